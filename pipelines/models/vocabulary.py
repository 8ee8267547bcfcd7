"""The words the prompt reader knows: counts, relations, features, parts, sizes, stopwords.

Kind and setting phrases come from the catalog and the settings table, with
plurals generated, in ``lexicon()``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.models.kinds import KINDS
from pipelines.models.settings import setting_words

RGB = tuple[float, float, float]

NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
    "single": 1, "lone": 1, "solitary": 1, "sole": 1, "couple": 2, "pair": 2, "both": 2, "twin": 2, "triple": 3,
}
MANY = -1  # "many": resolved per kind (about twice its plural default)
SOME = -2  # "some": a modest handful
# (count, placement) by phrase; placement None keeps the default.
QUANTITIES: dict[tuple[str, ...], tuple[int, str | None]] = {
    ("a", "few"): (3, None), ("few",): (3, None), ("a", "couple", "of"): (2, None), ("couple", "of"): (2, None),
    ("a", "pair", "of"): (2, None), ("pair", "of"): (2, None), ("a", "dozen"): (12, None),
    ("dozens", "of"): (24, None), ("a", "handful", "of"): (4, None), ("handful", "of"): (4, None),
    ("a", "lot", "of"): (MANY, None), ("lots", "of"): (MANY, None), ("plenty", "of"): (MANY, None),
    ("many",): (MANY, None), ("numerous",): (MANY, None), ("countless",): (MANY, None), ("loads", "of"): (MANY, None),
    ("some",): (SOME, None), ("several",): (5, None), ("various",): (4, None), ("hundreds", "of"): (100, None),
    ("a", "hundred"): (100, None), ("a", "single"): (1, None), ("a",): (1, None), ("an",): (1, None),
    ("a", "row", "of"): (0, "row"), ("row", "of"): (0, "row"), ("a", "line", "of"): (0, "row"),
    ("rows", "of"): (0, "row"), ("a", "ring", "of"): (0, "ring"), ("a", "circle", "of"): (0, "ring"),
    ("a", "group", "of"): (0, "cluster"), ("a", "cluster", "of"): (0, "cluster"), ("a", "grove", "of"): (0, "cluster"),
    ("clusters", "of"): (0, "cluster"), ("groups", "of"): (0, "cluster"), ("a", "stack", "of"): (0, "cluster"),
    ("a", "pile", "of"): (0, "cluster"),
}
MAX_PER_MENTION = 100

RELATIONS: dict[tuple[str, ...], str] = {
    ("around",): "ring", ("round",): "ring", ("surrounding",): "ring", ("encircling",): "ring",
    ("circling",): "ring", ("in", "a", "ring"): "ring", ("in", "a", "circle"): "ring", ("ringed", "by"): "surrounded",
    ("surrounded", "by"): "surrounded", ("encircled", "by"): "surrounded",
    ("along",): "line", ("alongside",): "line", ("lining",): "line", ("beside", "the", "road"): "line",
    ("lines",): "line", ("line", "the"): "line", ("at", "its", "centre"): "center", ("at", "its", "center"): "center",
    ("in", "a", "row"): "row", ("in", "rows"): "row", ("in", "a", "line"): "row",
    ("in", "the", "middle"): "center", ("in", "the", "center"): "center", ("in", "the", "centre"): "center",
    ("at", "the", "center"): "center", ("at", "the", "centre"): "center", ("in", "the", "heart"): "center",
    ("central",): "center", ("in", "the", "middle", "of"): "center",
    ("on", "a", "hill"): "hill", ("on", "the", "hill"): "hill", ("on", "top", "of", "a", "hill"): "hill",
    ("atop", "a", "hill"): "hill", ("on", "a", "hilltop"): "hill", ("hilltop",): "hill", ("on", "a", "mound"): "hill",
    ("next", "to"): "near", ("beside",): "near", ("near",): "near", ("by",): "near", ("close", "to"): "near",
    ("nearby",): "near", ("behind",): "near", ("in", "front", "of"): "near", ("at", "the", "foot", "of"): "near",
    ("outside",): "near", ("against",): "near",
    ("on", "both", "sides", "of"): "both_sides", ("on", "either", "side", "of"): "both_sides",
    ("on", "both", "sides"): "both_sides", ("flanking",): "both_sides", ("either", "side", "of"): "both_sides",
    ("on",): "on", ("on", "top", "of"): "on", ("upon",): "on", ("atop",): "on",
    ("in", "the", "water"): "water", ("on", "the", "water"): "water", ("floating",): "water", ("moored",): "water",
    ("afloat",): "water", ("across",): "across", ("over", "the"): "across", ("spanning",): "across",
    ("at", "the", "edge"): "edge", ("at", "the", "edges"): "edge", ("around", "the", "edge"): "edge",
    ("around", "the", "edges"): "edge", ("on", "the", "outskirts"): "edge", ("in", "the", "background"): "edge",
    ("in", "the", "distance"): "edge", ("along", "the", "edge"): "edge", ("at", "the", "back"): "edge",
    ("scattered",): "scatter", ("dotted",): "scatter", ("here", "and", "there"): "scatter",
    ("everywhere",): "scatter", ("clustered",): "cluster", ("grouped",): "cluster", ("stacked",): "cluster",
}
FEATURES = {
    "road": "road", "roads": "road", "path": "road", "paths": "road", "street": "road", "streets": "road",
    "lane": "road", "track": "road", "trail": "road", "avenue": "road", "dirt road": "road", "main road": "road",
    "river": "river", "stream": "river", "creek": "river", "brook": "river", "canal": "river",
    "lake": "lake", "pond": "lake", "lagoon": "lake", "water": "water", "sea": "water", "ocean": "water",
    "shore": "water", "coast": "water", "beach": "water", "waterfront": "water", "harbour": "water", "harbor": "water",
    "hill": "hill", "hilltop": "hill", "mound": "hill", "bank": "river", "banks": "river", "riverbank": "river",
    "riverside": "river",
}
# Feature words that also change the terrain when a prompt names them.
FEATURE_SETTINGS = {"river": "river", "lake": "lake", "water": "beach"}
FEATURE_PHRASES = {tuple(k.split()): v for k, v in FEATURES.items()}

PART_WORDS = {
    "roof": "roof", "roofs": "roof", "rooftop": "roof", "rooftops": "roof", "roofing": "roof", "wall": "walls",
    "walls": "walls", "door": "door", "doors": "door", "doorway": "door", "window": "windows", "windows": "windows",
    "shutters": "trim", "trim": "trim", "chimney": "chimney", "chimneys": "chimney", "trunk": "trunk",
    "trunks": "trunk", "leaves": "canopy", "leaf": "canopy", "foliage": "canopy", "canopy": "canopy",
    "crown": "canopy", "crowns": "canopy", "needles": "canopy", "sail": "sail", "sails": "sail", "hull": "hull",
    "hulls": "hull", "legs": "legs", "top": "top", "tops": "top", "awning": "awning", "awnings": "awning",
    "frame": "frame", "frames": "frame", "posts": "posts", "rails": "rails", "plinth": "plinth", "pedestal": "plinth",
    "dome": "roof", "domes": "roof", "blades": "sails", "floor": "floor", "floors": "floor", "shingles": "roof", "tiles": "roof", "foundation": "foundation",
}
PART_ADJECTIVES = {"roofed": "roof", "walled": "walls", "doored": "door", "leaved": "canopy", "leafed": "canopy",
                   "sailed": "sail", "topped": "top", "framed": "frame", "domed": "roof", "trunked": "trunk"}
# A part word names one of these parts, whichever the kind has.
PART_ALIASES = {
    "roof": ("roof", "awning", "cap", "battlements"), "walls": ("walls", "staves", "body", "stone", "cloth", "deck"),
    "canopy": ("canopy", "leaves"), "windows": ("windows",), "door": ("door", "doors"), "sail": ("sail", "sails"),
    "sails": ("sails", "sail"), "top": ("top",), "legs": ("legs",), "trim": ("trim",), "chimney": ("chimney",),
    "trunk": ("trunk",), "hull": ("hull",), "awning": ("awning",), "frame": ("frame",), "posts": ("posts", "pole"),
    "rails": ("rails", "parapets"), "plinth": ("plinth", "base"), "foundation": ("foundation", "base"),
}
SIZES = {"small": 0.8, "little": 0.8, "tiny": 0.65, "miniature": 0.6, "large": 1.25, "big": 1.25, "huge": 1.5,
         "giant": 1.6, "enormous": 1.6, "massive": 1.5, "tall": 1.25, "towering": 1.4, "great": 1.25,
         "grand": 1.3, "short": 0.85, "low": 0.85, "compact": 0.85, "long": 1.15, "wide": 1.15, "vast": 1.3}
DENSITY = {"dense": 1.5, "thick": 1.4, "lush": 1.3, "crowded": 1.4, "busy": 1.3, "sparse": 0.6, "empty": 0.4,
           "quiet": 0.9, "deserted": 0.6, "bustling": 1.4, "overgrown": 1.4}
NEGATIONS = {"no", "without", "not", "never", "except", "nor"}
# Wood species as adjectives ("oak table") are wood; as nouns ("oaks") they are trees.
SPECIES_MATERIAL = {"oak": "wood", "pine": "wood", "birch": "wood", "maple": "wood", "cedar": "wood",
                    "walnut": "dark_wood", "ebony": "dark_wood", "mahogany": "dark_wood", "palm": "wood"}
COLOR_MODS = {"dark": 0.55, "light": 1.35, "pale": 1.3, "bright": 1.15, "deep": 0.7, "faded": 1.1}

STOPWORDS = set("""
a an the and or but of to in on at by for from with without into onto over under near next beside between among
amid amidst across through along around behind before after above below within inside outside up down off out
is are was were be been being am has have had do does did will would can could should may might must shall
there here this that these those it its it's they them their he she his her we our you your i me my
which who whom whose what where when while as than then so such very quite rather really just also too
some any each every all both either neither few more most other another same own only
stand stands standing sits sit sitting lies lie lying rises rise rising grows grow growing stretch stretches
stretching line lines lined leads lead leading runs run running winds winding flows flow flowing look looks
surround surrounds covered cover covers filled fill full dotted made built set placed standing spread spreads
make create show shows showing generate render scene view place places overlooking facing face faces
s t like feel feeling vibe style styled themed theme kind type sort lots bit
sell sells selling wait waits waiting watch watches watching past north south east west northern southern
eastern western beyond toward towards centre center middle side sides edge top bottom front back corner
full filled holds holding hold sit perched nestled tucked surrounded overlooking dominated there's its
visible seen glimpse beneath underneath atop nearby far close everywhere somewhere each every
""".split())
KNOWN_ADJECTIVES = set("""
old ancient medieval rustic quaint cozy cosy cute charming peaceful quiet serene calm lovely beautiful pretty
ugly scary spooky creepy haunted abandoned ruined weathered worn broken crumbling mossy overgrown wild lush green
dense thick sparse misty foggy sunny rainy stormy windy cloudy bright dark gloomy warm cold hot cool fresh
new modern futuristic fantasy magical mystical enchanted epic heroic simple detailed realistic stylized
low poly lowpoly cartoon cartoony colorful colourful vibrant muted pastel natural wooden stony golden
tall short wide narrow long round square flat steep gentle rolling rocky grassy sandy snowy icy frozen
northern southern eastern western nordic viking roman greek japanese chinese english french scottish
tropical exotic remote distant nearby local main central little small big large huge tiny giant
sleepy busy bustling lively crowded empty deserted lonely isolated hidden secret sacred royal noble humble poor rich
twisted gnarled crooked leaning tilted straight neat tidy messy cluttered scattered various different several
lit glowing shining shiny polished rough smooth soft hard heavy light
""".split())


def _plurals(word: str) -> list[str]:
    irregular = {"cactus": ["cacti", "cactuses"], "shelf": ["shelves"], "leaf": ["leaves"], "wolf": ["wolves"],
                 "dwarf": ["dwarves"], "knife": ["knives"], "person": ["people"], "man": ["men"],
                 "fungus": ["fungi"], "bus": ["buses"], "torch": ["torches"], "hut": ["huts"], "bench": ["benches"],
                 "sheep": ["sheep"], "fish": ["fish"], "deer": ["deer"]}
    if word in irregular:
        return irregular[word]
    if re.search(r"(s|x|z|ch|sh)$", word):
        return [word + "es"]
    if re.search(r"[^aeiou]y$", word):
        return [word[:-1] + "ies"]
    if word.endswith("fe"):
        return [word[:-2] + "ves", word + "s"]
    return [word + "s"]


@dataclass(frozen=True)
class Lexicon:
    """Phrase tables, built once from the catalog: tuple of tokens -> (kind, is_plural)."""

    kinds: dict[tuple[str, ...], tuple[str, bool]]
    settings: dict[tuple[str, ...], str]
    longest: int


def _build_lexicon() -> Lexicon:
    kinds: dict[tuple[str, ...], tuple[str, bool]] = {}
    for kind in KINDS.values():
        for phrase in kind.words:
            toks = tuple(phrase.replace("-", " ").split())
            kinds.setdefault(toks, (kind.name, False))
            for pl in _plurals(toks[-1]):
                kinds.setdefault(toks[:-1] + (pl,), (kind.name, True))
    settings = {tuple(w.split()): s for w, s in setting_words().items()}
    longest = max(max(len(k) for k in kinds), max(len(k) for k in settings), max(len(k) for k in RELATIONS), 3)
    return Lexicon(kinds, settings, longest)


_LEXICON: Lexicon | None = None


def lexicon() -> Lexicon:
    """Return the phrase tables (built on first use; they are constant)."""
    global _LEXICON  # a cache of constant data, not state: every call returns the same tables
    if _LEXICON is None:
        _LEXICON = _build_lexicon()
    return _LEXICON


def tokenize(prompt: str) -> list[list[str]]:
    """Return the prompt's clauses, each a list of lower-case word tokens (any script)."""
    text = prompt.lower().replace("’", "'")
    text = re.sub(r"[-_/]", " ", text)
    text = re.sub(r"(\d+)([^\W\d_]+)", r"\1 \2", text)  # "3houses" -> "3 houses"
    clauses = re.split(r"[.,;:!?()\[\]{}\"“”«»。，、；：！？\n—–]+", text)
    out = []
    for c in clauses:
        # words (any script), and any other symbol (emoji) as a token of its own so it is reported
        toks = re.findall(r"[^\W_]+(?:'[^\W_]+)?|[^\w\s'\-]", c)
        toks = [t[:-2] if t.endswith("'s") else t for t in toks]
        if toks:
            out.append(toks)
    return out
