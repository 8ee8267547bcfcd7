"""Closed word classes and the phrase tables the reader parses with.

Open-class words (nouns, verbs, adjectives) come from the WordNet table
(``wordnet.py``) and the catalog; everything here is a small, finite list:
determiners, pronouns, conjunctions, prepositions and the relation phrases
built on them, collective nouns, and the adjectives that name attributes.
"""

from __future__ import annotations

# The relation phrases live in ``relation_words``; they are read through this module as before.
from pipelines.models.reading.relation_words import LONGEST_RELATION as LONGEST_RELATION
from pipelines.models.reading.relation_words import OBJECTLESS as OBJECTLESS
from pipelines.models.reading.relation_words import PREPOSITIONS as PREPOSITIONS
from pipelines.models.reading.relation_words import RELATIONS as RELATIONS
from pipelines.models.reading.relation_words import REVERSED as REVERSED

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
DEFINITE = {"the", "this", "that", "these", "those", "its", "their", "his", "her", "my", "our", "your", "each", "every"}
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
