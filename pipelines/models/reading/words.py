"""Closed word classes and the phrase tables the reader parses with.

Open-class words (nouns, verbs, adjectives) come from the WordNet table
(``wordnet.py``) and the catalog; everything here is a small, finite list:
determiners, pronouns, conjunctions, prepositions and the relation phrases
built on them, collective nouns, and the adjectives that name attributes.
"""

from __future__ import annotations

DETERMINERS = {
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "its",
    "their",
    "his",
    "her",
    "my",
    "our",
    "your",
    "each",
    "every",
    "any",
    "another",
    "other",
    "such",
}
DEFINITE = {"the", "this", "that", "these", "those", "its", "their", "his", "her", "my", "our", "your"}
PRONOUNS = {
    "everything": "scene",
    "it": "one",
    "them": "many",
    "they": "many",
    "those": "many",
    "these": "many",
    "each": "one",
    "one": "one",
    "ones": "many",
    "both": "many",
    "all": "many",
    "either": "one",
}
CONJUNCTIONS = {"and", "or", "plus", "&", "nor"}
# "with" attaches what follows to what came before: parts ("with red roofs") or companions ("with chairs").
WITH = {"with", "having", "featuring", "including", "containing", "holding", "w"}
NEGATIONS = {"no", "without", "not", "never", "nor", "except"}
SCENE_NOUNS = {
    "scene",
    "landscape",
    "environment",
    "world",
    "view",
    "place",
    "area",
    "spot",
    "setting",
    "level",
    "map",
    "diorama",
    "image",
    "render",
    "rendering",
    "model",
    "asset",
    "assets",
    "scenery",
    "vista",
    "panorama",
    "location",
    "backdrop",
    "layout",
    "space",
    "thing",
    "things",
    "stuff",
    "object",
    "objects",
    "prop",
    "props",
    "style",
    "look",
    "feel",
    "vibe",
    "atmosphere",
    "mood",
    "time",
    "day",
    "side",
    "sides",
    "edge",
    "edges",
    "middle",
    "centre",
    "center",
    "corner",
    "corners",
    "top",
    "bottom",
    "front",
    "back",
    "rest",
    "lot",
    "lots",
    "kind",
    "sort",
    "type",
    "detail",
    "details",
    "piece",
    "pieces",
}

# Nouns for the ground itself: as the object of a relation they place nothing ("across the grass").
GROUND_WORDS = {
    "grass",
    "ground",
    "floor",
    "field",
    "fields",
    "meadow",
    "lawn",
    "earth",
    "slope",
    "slopes",
    "hillside",
    "terrain",
    "sand",
    "snow",
    "dirt",
    "mud",
    "soil",
    "floorboards",
    "landscape",
    "land",
}
# Relation phrases -> relation name. Longest match wins; ``OBJECTLESS`` ones need nothing after them.
RELATIONS: dict[tuple[str, ...], str] = {}


def _rel(name: str, *phrases: str) -> None:
    for p in phrases:
        RELATIONS[tuple(p.split())] = name


_rel(
    "ring",
    "around",
    "round",
    "surrounding",
    "encircling",
    "circling",
    "ringing",
    "all around",
    "encircle",
    "surround",
    "surrounds",
    "encircles",
    "ring",
    "rings",
)
_rel(
    "surrounded",
    "surrounded by",
    "encircled by",
    "ringed by",
    "ringed with",
    "surrounded with",
    "circled by",
    "framed by",
    "enclosed by",
    "hemmed in by",
)
_rel("line", "along", "alongside", "lining", "line", "lines", "beside the road", "running along", "down the side of")
_rel(
    "both_sides",
    "on both sides of",
    "on either side of",
    "either side of",
    "both sides of",
    "on each side of",
    "on both sides",
    "on either side",
    "flanking",
    "flank",
    "flanks",
    "on each side",
    "along both sides",
    "along both sides of",
    "along either side of",
    "along either side",
    "down both sides of",
    "lining both sides of",
    "down both sides",
    "lining both sides",
    "parked along both sides of",
    "parked along both sides",
)
_rel("flanked", "flanked by", "flanked with", "between two")
_rel(
    "covered",
    "covered in",
    "covered with",
    "covered by",
    "strewn with",
    "piled with",
    "piled high with",
    "laden with",
    "topped with",
    "full of",
    "filled with",
    "stocked with",
    "loaded with",
    "cluttered with",
    "littered with",
    "dotted with",
    "scattered with",
    "crowded with",
    "lined with",
    "decorated with",
    "set with",
)
_rel("lit", "lit by", "lit with", "illuminated by", "lighted by", "lit up by")
_rel(
    "material",
    "made of",
    "made from",
    "made out of",
    "carved from",
    "carved out of",
    "carved of",
    "built of",
    "built from",
    "built out of",
    "crafted from",
    "hewn from",
    "cut from",
    "cast in",
    "cast from",
    "forged from",
    "out of",
)
_rel(
    "near",
    "next to",
    "beside",
    "besides",
    "near",
    "nearby",
    "by",
    "close to",
    "near to",
    "adjacent to",
    "at",
    "outside",
    "outside of",
    "under",
    "beneath",
    "below",
    "underneath",
    "among",
    "amongst",
    "amid",
    "amidst",
    "between",
    "above",
    "at the foot of",
    "at the base of",
    "at the end of",
    "right next to",
    "just by",
    "not far from",
    "a short walk from",
    "off",
)
_rel("against", "against", "up against", "leaning against", "backed against", "hanging on", "pushed against")
_rel(
    "walls",
    "along the wall",
    "along the walls",
    "against the walls",
    "against the wall",
    "on the walls",
    "on the wall",
    "in the corner",
    "in the corners",
    "in a corner",
    "in corners",
    "along one wall",
    "against one wall",
    "around the walls",
    "round the walls",
    "lining the walls",
    "by the wall",
    "by the walls",
)
_rel(
    "on",
    "on",
    "on top of",
    "upon",
    "atop",
    "onto",
    "resting on",
    "sitting on",
    "standing on",
    "placed on",
    "lying on",
    "laid on",
)
_rel("in", "in", "inside", "within", "into")
_rel("down", "down", "up", "down along", "up along", "partway up", "halfway up", "halfway down")
_rel(
    "into_water",
    "reaching into",
    "jutting into",
    "stretching into",
    "extending into",
    "reaching out into",
    "jutting out into",
    "out into",
    "sticking out into",
    "leading into",
    "running into",
    "projecting into",
    "reaching out over",
    "jutting out over",
    "out over",
)
_rel(
    "center",
    "in the middle of",
    "in the center of",
    "in the centre of",
    "at the center of",
    "at the centre of",
    "in the heart of",
    "at the heart of",
    "in the middle",
    "in the center",
    "in the centre",
    "at the center",
    "at the centre",
    "at its centre",
    "at its center",
    "central",
    "centered",
    "centred",
    "in the midst of",
)
_rel(
    "edge",
    "at the edge of",
    "at the edges of",
    "on the edge of",
    "on the edges of",
    "around the edge of",
    "along the edge of",
    "at the edge",
    "at the edges",
    "around the edge",
    "around the edges",
    "on the outskirts of",
    "on the outskirts",
    "in the background",
    "in the distance",
    "at the back of",
    "at the back",
    "on the periphery",
    "along the edges",
    "around the perimeter",
    "along the perimeter",
    "on the horizon",
    "at the far end of",
    "at the far end",
)
_rel("across", "across", "over", "spanning", "crossing", "bridging")
_rel("row", "in a row", "in rows", "in a line", "in lines", "lined up", "in a straight line", "side by side")
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
# What "X of Y" fills with Y: "baskets of fruit", "a barrel of nails" (Y is what they hold).
CONTENT_HOLDERS = {
    "basket",
    "crate",
    "barrel",
    "sack",
    "bottle",
    "vase",
    "wagon",
    "handcart",
    "wheelbarrow",
    "cauldron",
    "chest",
    "bucket",
    "jar",
    "bowl",
    "box",
    "cart",
    "market stall",
}
# Nouns that say what state the thing they land on is in ("a shipwreck" is a broken ship, "a tipi" a round tent).
NOUN_ATTRIBUTES = {
    "shipwreck": "broken",
    "wreck": "broken",
    "wreckage": "broken",
    "ruin": "broken",
    "ruins": "broken",
    "teepee": "round",
    "tepee": "round",
    "tipi": "round",
    "wigwam": "round",
    "yurt": "round",
}
# A noun after a kind that puts it in that state: "castle ruins", "a ship wreck".
STATE_NOUNS = {"ruins": "broken", "ruin": "broken", "wreck": "broken", "wreckage": "broken", "remains": "broken"}
# Participles that say how things stand, before (or instead of) a relation: "barrels stacked against the wall".
STACKING = {"stacked", "piled", "heaped", "stacked up", "piled up"}
LONGEST_RELATION = max(len(k) for k in RELATIONS)

# Collective nouns: word -> (how many one of them holds, placement, kind when said alone).
COLLECTIVES: dict[str, tuple[int, str, str | None]] = {
    "forest": (30, "scatter", None),
    "woodland": (24, "scatter", "tree"),
    "woods": (24, "scatter", None),
    "grove": (9, "cluster", "tree"),
    "orchard": (12, "row", "tree"),
    "thicket": (8, "cluster", "bush"),
    "copse": (7, "cluster", "tree"),
    "stand": (7, "cluster", None),
    "stack": (6, "cluster", None),
    "pile": (6, "cluster", None),
    "heap": (6, "cluster", None),
    "row": (6, "row", None),
    "line": (6, "row", None),
    "column": (6, "row", None),
    "crowd": (12, "cluster", None),
    "herd": (8, "cluster", "cow"),
    "flock": (10, "cluster", "sheep"),
    "field": (40, "scatter", None),
    "patch": (10, "cluster", None),
    "cluster": (5, "cluster", None),
    "clump": (5, "cluster", None),
    "group": (5, "cluster", None),
    "bunch": (5, "cluster", None),
    "ring": (6, "ring", None),
    "circle": (6, "ring", None),
    "avenue": (12, "both_sides", "tree"),
    "collection": (5, "cluster", None),
    "set": (4, "cluster", None),
    "sea": (40, "scatter", None),
    "carpet": (40, "scatter", None),
    "wall": (10, "line", None),
    "hedgerow": (10, "line", "bush"),
    "array": (6, "row", None),
    "dozen": (12, "scatter", None),
    "couple": (2, "scatter", None),
    "pair": (2, "scatter", None),
    "handful": (4, "scatter", None),
    "lot": (12, "scatter", None),
    "lots": (12, "scatter", None),
    "number": (5, "scatter", None),
    "variety": (5, "scatter", None),
    "selection": (4, "scatter", None),
    "plenty": (12, "scatter", None),
    "loads": (12, "scatter", None),
    "dozens": (24, "scatter", None),
    "hundreds": (100, "scatter", None),
    "tons": (12, "scatter", None),
    "mass": (20, "scatter", None),
}
# Collectives that are also verbs, relations or plain nouns: collective only in "a line of ...".
AMBIGUOUS_COLLECTIVES = {
    "stand",
    "line",
    "column",
    "ring",
    "circle",
    "sea",
    "carpet",
    "set",
    "field",
    "array",
    "collection",
    "group",
    "patch",
}
# Collectives that also stack their members on each other.
STACKED_COLLECTIVES = {"stack", "pile", "heap"}
# The collective nouns of the contract (what ``Mention.collective`` reports); the rest only count.
NAMED_COLLECTIVES = {
    "forest",
    "woodland",
    "woods",
    "grove",
    "orchard",
    "thicket",
    "copse",
    "stand",
    "stack",
    "pile",
    "heap",
    "row",
    "line",
    "column",
    "crowd",
    "herd",
    "flock",
    "field",
    "patch",
    "cluster",
    "clump",
    "group",
    "bunch",
    "ring",
    "circle",
    "avenue",
    "sea",
    "carpet",
    "hedgerow",
    "array",
}

# Attribute words -> attribute names, in preference order: the first one the kind honours is applied.
ATTRIBUTE_WORDS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _attr(names: tuple[str, ...], *phrases: str) -> None:
    for p in phrases:
        ATTRIBUTE_WORDS[tuple(p.split())] = names


_attr(("round",), "round", "circular", "rounded", "oval")
_attr(("square",), "square", "squared", "rectangular")
_attr(("long",), "long", "lengthy", "elongated")
_attr(("broken",), "broken", "wrecked", "damaged", "smashed", "busted", "shattered", "derelict")
_attr(("ruined", "broken"), "ruined", "crumbling", "collapsed", "dilapidated", "tumbledown", "decrepit")
_attr(("abandoned", "ruined", "broken"), "abandoned", "forsaken", "deserted")
_attr(("dry",), "dry", "withered", "parched", "dried", "wilted", "shrivelled", "shriveled", "brittle")
_attr(("dead",), "dead", "bare", "leafless", "lifeless", "barren")
_attr(("stilts",), "stilted", "on stilts", "raised on stilts", "on poles", "on piles")
_attr(("frozen",), "frozen", "icy", "iced", "ice covered", "frozen over", "iced over")
_attr(("timber",), "timber", "half timbered", "timbered", "timber framed", "tudor")
_attr(("stacked",), "stacked", "piled", "heaped", "stacked up", "piled up")
_attr(("snowy",), "snowy", "snow covered", "snowcapped", "snow capped", "frosted")
_attr(("mossy",), "mossy", "moss covered", "overgrown", "lichen covered")
_attr(("flowering",), "flowering", "blooming", "blossoming", "in bloom", "in blossom", "flowered")
_attr(
    ("winding",),
    "winding",
    "meandering",
    "curving",
    "bending",
    "twisting",
    "serpentine",
    "curvy",
    "snaking",
    "twisty",
    "curved",
    "bendy",
    "zigzag",
)
_attr(("straight",), "straight")
_attr(("tilted",), "tilted", "leaning", "crooked", "slanted", "lopsided")
_attr(("open",), "open", "opened")
_attr(("closed",), "closed", "shut")
_attr(("lit",), "lit", "burning", "lighted", "glowing", "flickering")
_attr(("empty",), "empty")
_attr(("full",), "full", "filled", "loaded", "laden")
_attr(("rusty",), "rusty", "rusted", "corroded")
_attr(("old",), "weathered", "worn", "aged")
LONGEST_ATTRIBUTE = max(len(k) for k in ATTRIBUTE_WORDS)
# Attributes of terrain features, with the features they apply to.
FEATURE_ATTRIBUTES = {"frozen": ("lake", "river", "water"), "winding": ("river", "road"), "straight": ("river", "road")}
# Attribute words that are also settings: said of an object that cannot show them, they set the scene instead.
SETTING_ATTRIBUTES = {"snowy": "snowy", "frozen": "snowy"}
# Attribute words said so often of anything that an object lacking them is not worth a report.
QUIET_ATTRIBUTES = {"old", "open", "closed", "lit", "full", "empty", "straight", "long"}

# Words of mood and style: understood, and deliberately without effect on objects.
STYLE_WORDS = set(
    """
old ancient medieval rustic quaint cozy cosy cute charming peaceful quiet serene calm lovely beautiful pretty
ugly scary spooky creepy haunted weathered worn mossy wild lush green misty foggy sunny rainy stormy windy cloudy
gloomy warm cold hot cool fresh new modern futuristic fantasy magical mystical enchanted epic heroic simple
detailed realistic stylized stylised low poly lowpoly cartoon cartoony colorful colourful vibrant muted pastel
natural nordic viking roman greek japanese chinese english french scottish tropical exotic remote distant local
main little sleepy lively lonely isolated hidden secret sacred royal noble humble poor rich twisted gnarled neat
tidy messy cluttered various different several shiny polished rough smooth soft hard heavy light nice cool
traditional classic classical victorian gothic elegant ornate fancy plain sturdy solid tiny massive typical
usual standard generic basic cozy inviting welcoming homely warm-lit dim dimly brightly nicely well freshly
abandoned ruined overgrown deserted empty busy bustling crowded sprawling idyllic picturesque scenic grand
little small big large huge giant enormous tall short wide narrow flat steep gentle rolling rocky grassy sandy
""".split()
)
FUNCTION_WORDS = {
    "of",
    "to",
    "from",
    "for",
    "through",
    "toward",
    "towards",
    "via",
    "per",
    "about",
    "than",
    "up",
    "out",
    "away",
    "back",
    "if",
    "whether",
    "because",
    "but",
    "yet",
    "although",
    "though",
    "s",
    "t",
    "etc",
    "eg",
    "ie",
    "x",
    "e",
    "g",
}
# Verbs and fillers that carry no scene content in prompts ("make me a ...", "there are ...").
FILLER = set(
    """
is are was were be been being am has have had do does did will would can could should may might must shall
there here which who whom whose what where when while as than then so very quite rather really just also too
make create show generate render build give want need like please me i we you us let lets let's
stand stands standing sits sit sitting lies lie lying rises rise rising grows grow growing stretch stretches
stretching leads lead leading runs run running winds flows flow flowing look looks looking set placed
sell sells selling wait waits waiting watch watches watching hold holds spread spreads filled covered
perched nestled tucked located situated found dominated visible seen glimpse full of some many few
parked docked standing lying sitting resting waiting
""".split()
)
