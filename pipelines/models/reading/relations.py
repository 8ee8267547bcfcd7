"""From a relation and its object to a placement: the contract's table (placement, anchor, feature, direction).

``apply_relation`` sets ``placement``, ``anchor`` (a mention index) or
``feature`` (road, river, lake, water, hill, walls, pass), ``direction`` and
``relation_words`` on each subject. What a phrase means depends on its object:
"on the tables" stands on them, "on the lake" floats, "on the road" lines it,
"on the wall" hangs against the room's walls.
"""

from __future__ import annotations

from pipelines.models.kinds import KINDS
from pipelines.models.reading.model import Mention, ParsedPrompt

Ref = tuple  # ("M", mention index, words) | ("F", feature, words) | ("S", setting, words) | ("P", part, words)
WATER = ("water", "lake", "river")
SHORE_WORDS = {
    "shore",
    "shores",
    "beach",
    "coast",
    "bank",
    "banks",
    "riverbank",
    "riverside",
    "waterfront",
    "shoreline",
    "lakeshore",
    "lakeside",
    "seashore",
    "seaside",
    "water's edge",
}
# Kinds things can stand in rather than on ("koi in the pond", "flowers in the planter").
CONTAINERS = {
    "garden pond",
    "fountain",
    "well",
    "planter",
    "flower bed",
    "basket",
    "wagon",
    "handcart",
    "wheelbarrow",
    "boat",
    "bird bath",
    "cauldron",
    "bathtub",
    "sink",
    "potted plant",
}
# Kinds said to be "on" a building stand on its top: "banners on the towers".
ON_TOP = {"flag", "bell", "antenna", "statue", "lantern", "candle", "potted plant"}


def _water_body(out: ParsedPrompt) -> str:
    for f in ("lake", "river", "water"):
        if f in out.features:
            return f
    return "lake" if "lake" in out.settings else ("river" if "river" in out.settings else "water")


def _set(
    m: Mention, placement: str, anchor: int | None = None, feature: str | None = None, direction: str | None = None
) -> None:
    m.placement, m.anchor, m.feature, m.direction = placement, anchor, feature, direction


def apply_relation(
    out: ParsedPrompt, rel: str, subjects: list[int], target: Ref | None, words: str, interior: bool
) -> None:
    """Place each subject mention by ``rel`` against ``target`` (see the module docstring)."""
    if target is not None and target[0] == "P":
        return  # "over the rooftops": a part of something is no place to stand
    ttype = target[0] if target else None
    tval = target[1] if target else None
    twords = str(target[2]) if target else ""
    anchor = int(tval) if ttype == "M" else None  # type: ignore[arg-type]
    feature = str(tval) if ttype == "F" else None
    if feature is not None and any(w in SHORE_WORDS for w in twords.split()):
        feature = "shore"
    for k in subjects:
        m = out.mentions[k]
        # "a cabin by the lake with a jetty reaching into the water": by its cabin, out over the water
        owner = m.anchor if m.placement == "near" and m.relation_words.startswith("with ") else None
        m.relation_words = words
        if rel == "surrounded":
            _surrounded(out, k, target, feature, anchor)
            continue
        if rel == "walls":
            if m.count == 1 and any(w in ("each", "every", "all") for w in words.split()):
                m.count = 4  # "a barrel in each corner"
            wall = next((i for i, o in enumerate(out.mentions) if o.kind == "wall" and i != k), None)
            if interior or wall is None:
                _set(m, "against", feature="walls")
                _feature(out, "walls")
            else:
                _set(m, "against", wall)
            continue
        if rel in ("flanked", "covered", "lit"):
            continue  # the reversed relation placed the object; the subject stays where it is
        if rel in ("row", "scatter", "cluster"):
            if rel != "scatter" or m.placement in ("center", "cluster", "row"):
                m.placement = rel
            else:
                m.placement = "scatter"
            continue
        if rel == "circle":
            m.placement = "ring"
            continue
        if rel == "hill":
            _set(m, "hill", feature="hill")
            _feature(out, "hill")
            continue
        if rel.startswith("dir_"):
            d = rel[4:]
            if anchor is None and feature is None and ttype != "S":
                _set(m, "edge", direction=d) if d in ("north", "south", "east", "west") else _set(
                    m, "direction", direction=d
                )
            else:
                _set(m, "direction", anchor, _shore_of(out, feature), d)
            continue
        _place(out, m, rel, anchor, feature, ttype, interior)
        if owner is not None and m.anchor is None and m.placement in ("into_water", "shore", "water"):
            m.anchor = owner


def _feature(out: ParsedPrompt, name: str) -> None:
    if name not in out.features:
        out.features.append(name)


def _shore_of(out: ParsedPrompt, feature: str | None) -> str | None:
    return _water_body(out) if feature == "shore" else feature


def _place(
    out: ParsedPrompt, m: Mention, rel: str, anchor: int | None, feature: str | None, ttype: str | None, interior: bool
) -> None:
    if feature == "walls" or (interior and rel == "against" and anchor is None):
        _set(m, "against", feature="walls")
        return
    if rel == "against":
        _set(m, "against", anchor) if anchor is not None else _set(m, "near", feature=_shore_of(out, feature))
        return
    if (
        rel == "in"
        and anchor is not None
        and out.mentions[anchor].collective in ("forest", "woodland", "woods", "grove", "orchard", "field")
    ):
        if "forest" not in out.settings and out.mentions[anchor].collective != "field":
            out.settings.append("forest")  # "a camp in a pine forest": the forest is where it is
        return
    if (
        rel == "in"
        and ttype == "S"
        and any(
            w in ("bay", "harbour", "harbor", "sea", "ocean", "lake", "pond", "river", "lagoon", "water")
            for w in m.relation_words.split()
        )
    ):
        _set(m, "water", feature=_water_body(out))  # "buoys in the bay"
        return
    if rel in ("on", "in"):
        if anchor is not None:
            host = KINDS[out.mentions[anchor].kind]
            inside = rel == "in" and host.name in CONTAINERS
            small = KINDS[m.kind].ground == "on" or m.kind in ON_TOP
            on_top = rel == "on" and (
                host.flags.get("surface") or host.name == m.kind or host.name in CONTAINERS or small
            )
            if on_top and m.kind == "floor lamp" and host.flags.get("surface"):
                m.kind = "table lamp"  # "a lamp on the desk"
            _set(m, "on" if inside or on_top else "near", anchor)
        elif feature == "shore":
            _set(m, "shore", feature=_water_body(out))
        elif feature in WATER:
            _set(m, "water", feature=feature)
        elif feature == "road":
            _set(m, "line", feature="road")
        elif feature == "hill":
            _set(m, "hill", feature="hill")
        elif feature == "pass":
            _set(m, "line", feature="pass")
        return
    if rel == "into_water":
        _set(m, "into_water", anchor, feature if feature in WATER else _water_body(out))
        return
    if rel == "water":
        _set(m, "water", anchor, feature if feature in WATER else _water_body(out))
        return
    if rel == "center":
        if feature in WATER:
            _set(m, "water", feature=feature)
        else:
            _set(m, "center", anchor)
        return
    if rel == "down":  # "scattered down the slope", "up the hill"
        if feature == "hill":
            _set(m, "scatter" if m.placement in ("scatter", "cluster") else "hill", feature="hill")
            _feature(out, "hill")
        else:
            _set(m, "near", anchor, feature)
        return
    if rel == "edge" and interior and anchor is None and feature is None:
        _set(m, "against", feature="walls")  # "a throne at the far end": of the room, against its wall
        _feature(out, "walls")
        return
    if rel == "edge":
        if feature in WATER or feature == "shore":
            _set(m, "shore", feature=_shore_of(out, feature))
        else:
            _set(m, "edge")
        return
    if rel == "across":
        if feature in ("river", "road") and not KINDS[m.kind].flags.get("linear") and m.count > 1:
            _set(m, "both_sides", feature=feature)  # "houses facing each other across the street"
            _feature(out, feature)
        elif feature in ("river", "road"):
            _set(m, "across", feature=feature)
        else:
            _set(m, "near", anchor, feature)
        return
    if rel in ("line", "both_sides"):
        if anchor is None and feature is None and interior:  # "a bed with a nightstand on each side": the bed's
            anchor = next((i for i in range(len(out.mentions) - 1, -1, -1) if out.mentions[i] is not m), None)
            if rel == "both_sides" and m.count == 1 and "each" in m.relation_words.split():
                m.count = 2
        if anchor is None and feature is None:
            feature = (
                "pass"
                if ("pass" in out.features or ("mountain" in out.settings and "road" not in out.features))
                else "road"
            )
            if rel == "line" and ttype == "S" and m.relation_words.split()[0] in ("line", "lines", "lining"):
                centre = next((i for i, o in enumerate(out.mentions) if o.placement == "center" and o is not m), None)
                _set(m, "ring", centre)  # "benches line the square": around it
                return
            if ttype == "S":
                _set(m, "edge")  # "a wall running along the field"
                return
        if feature == "shore":
            _set(m, "shore", feature=_water_body(out))
            return
        _set(m, rel, anchor, feature)
        if feature:
            _feature(out, feature)
        return
    if rel == "ring":
        if ttype == "S":
            _set(m, "edge")
        elif feature in WATER or feature == "shore":
            _set(m, "shore", feature=_shore_of(out, feature))
        elif anchor is None and feature is None:
            prior = len(out.mentions) and next(
                (i for i in range(len(out.mentions) - 1, -1, -1) if out.mentions[i] is not m), None
            )
            _set(m, "ring", prior if isinstance(prior, int) else None)
        else:
            _set(m, "ring", anchor, feature)
        return
    # near, and anything else with an object
    if m.placement == "row" and (feature in WATER or feature == "shore"):
        _set(m, "row", feature=_shore_of(out, feature))  # "a row of stalls facing the water": a row along the bank
        return
    if feature in WATER or feature == "shore":
        _set(m, "shore", feature=_shore_of(out, feature))
    elif feature == "hill":
        _set(m, "hill", feature="hill")
    elif anchor is not None or feature is not None:
        _set(m, "near", anchor, feature)
    elif ttype == "S" and any(s in ("lake", "river", "beach") for s in out.settings):
        _set(m, "shore", feature=_water_body(out))


def _surrounded(out: ParsedPrompt, k: int, target: Ref | None, feature: str | None, anchor: int | None) -> None:
    """ "A surrounded by B": B rings A. Only water or sea all round makes an island."""
    m = out.mentions[k]
    if anchor is not None:
        ring = out.mentions[anchor]
        ring.placement, ring.anchor, ring.feature = "ring", k, None
        ring.relation_words = m.relation_words
        if m.placement in ("scatter", "near"):
            m.placement = "center"
        return
    words = str(target[2]) if target else ""
    sea = feature == "water" and any(w in ("water", "sea", "ocean", "waves") for w in words.split())
    if sea and "island" not in out.settings:
        out.settings.append("island")
    if m.placement == "scatter":
        m.placement = "center"
