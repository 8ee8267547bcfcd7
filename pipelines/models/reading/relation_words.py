"""The relation phrases the reader knows ("around", "along the edge of", "stacked against") and how they read:
which stand alone, which are reversed, which take an object. ``words`` re-exports them."""

from __future__ import annotations

from pipelines.models.reading.relation_phrases import add_first

# Relation phrases -> relation name. Longest match wins; ``OBJECTLESS`` ones need nothing after them.
RELATIONS: dict[tuple[str, ...], str] = {}


def _rel(name: str, *phrases: str) -> None:
    for p in phrases:
        RELATIONS[tuple(p.split())] = name


add_first(_rel)
_rel("across", "across", "over", "spanning", "crossing", "bridging")
_rel("row", "in a row", "in rows", "in a line", "in lines", "lined up", "in a straight line", "side by side")
# "in neat rows", "in a long straight row", "in a loose circle": a word of manner inside the phrase changes nothing
for _how in ("neat", "straight", "long", "orderly", "tidy", "even", "parallel", "single", "two", "three", "several"):
    _rel("row", f"in {_how} rows", f"in a {_how} row", f"in {_how} lines", f"in a {_how} line")
for _how in ("rough", "wide", "loose", "tight", "small", "large", "big", "perfect", "great"):
    _rel("circle", f"in a {_how} circle", f"in a {_how} ring", f"in a {_how} semicircle")
_rel("circle", "in a ring", "in a circle", "in a semicircle", "in circles", "on all sides", "all around", "all round")
_rel("ring", "on all sides of", "all around")
_rel(
    "scatter",
    "scattered",
    "scattered around",
    "scattered about",
    "scattered across",
    "scattered over",
    "scattered throughout",
    "spread across",
    "spread over",
    "dotted across",
    "dotted over",
    "dotted about",
    "strewn across",
    "strewn over",
    "grazing on",
    "grazing across",
    "roaming",
    "dotted",
    "dotted around",
    "here and there",
    "everywhere",
    "all over",
    "strewn",
    "strewn about",
    "spread out",
    "spread around",
    "randomly",
    "throughout",
)
_rel("cluster", "clustered", "grouped", "grouped together", "clustered together", "huddled", "bunched")
_rel(
    "water",
    "floating",
    "floating on",
    "moored",
    "moored on",
    "moored at",
    "moored to",
    "tied to",
    "tied up to",
    "tied up at",
    "tied up by",
    "docked by",
    "docked beside",
    "moored beside",
    "moored by",
    "afloat",
    "bobbing on",
    "drifting on",
    "sailing on",
    "docked at",
)
_rel(
    "hill",
    "on a hill",
    "on the hill",
    "on top of a hill",
    "atop a hill",
    "on a hilltop",
    "on the hilltop",
    "on a mound",
    "up on the hill",
    "on a rise",
)
for _d in ("north", "south", "east", "west"):
    _rel(
        f"dir_{_d}",
        f"to the {_d} of",
        f"{_d} of",
        f"in the {_d} of",
        f"on the {_d} side of",
        f"on the {_d} of",
        f"to the {_d}",
        f"in the {_d}",
        f"on the {_d} side",
        f"{_d}ward of",
    )
_rel("dir_behind", "behind", "in back of", "to the rear of", "at the rear of", "beyond")
_rel("dir_front", "in front of", "before", "in front")
_rel(
    "near",
    "facing",
    "opposite",
    "across from",
    "looking onto",
    "overlooking",
    "overlooks",
    "overlook",
    "faces",
    "face",
    "borders",
    "border",
    "bordering",
    "leads to",
    "leading to",
    "looks onto",
    "looks out over",
)
_rel(
    "cluster",
    "next to each other",
    "close together",
    "close to each other",
    "together",
    "in a group",
    "in groups",
    "in a cluster",
    "in clusters",
    "in a pile",
    "in piles",
    "in a heap",
)
_rel("edge", "far from", "away from", "far away from", "in the far corner of")
_rel("across", "spans", "span", "crosses", "cross")
_rel("walls", "in each corner", "in every corner", "in all four corners", "in all corners", "in the four corners")
_rel("dir_left", "to the left of", "left of", "on the left of", "to the left", "on the left")
_rel("dir_right", "to the right of", "right of", "on the right of", "to the right", "on the right")
# Relations that stand alone ("in a row", "scattered") and apply to what came before.
OBJECTLESS = {"row", "circle", "scatter", "cluster", "hill", "walls"}
# Relations whose object is placed relative to the subject: "A surrounded by B" puts B around A.
REVERSED = {"surrounded", "flanked", "covered", "lit"}
# A relation phrase that ends in one of these takes an object; "on both sides", "in a row" do not.
PREPOSITIONS = {
    "of",
    "to",
    "by",
    "into",
    "on",
    "in",
    "at",
    "with",
    "from",
    "over",
    "onto",
    "upon",
    "against",
    "along",
    "across",
    "around",
    "round",
    "near",
    "beside",
    "under",
    "behind",
    "between",
    "among",
    "amid",
    "before",
    "beyond",
    "facing",
    "opposite",
    "flanking",
    "surrounding",
    "lining",
    "spanning",
    "crossing",
    "alongside",
    "outside",
    "inside",
    "within",
    "underneath",
    "beneath",
    "below",
    "above",
    "atop",
    "amidst",
    "amongst",
    "throughout",
    "past",
    "encircling",
    "circling",
    "ringing",
    "line",
    "lines",
    "flank",
    "flanks",
    "surround",
    "surrounds",
    "encircle",
    "encircles",
    "ring",
    "rings",
    "off",
    "bridging",
    "overlooking",
    "besides",
    "down",
    "overlooks",
    "overlook",
    "faces",
    "face",
    "borders",
    "border",
    "bordering",
    "spans",
    "span",
    "crosses",
    "cross",
}
LONGEST_RELATION = max(len(k) for k in RELATIONS)
