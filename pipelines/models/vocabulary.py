"""The words the prompt reader knows: counts, features, parts, sizes; kind and setting phrase tables.

Kind and setting phrases come from the catalog and the settings table, with
plurals generated, in ``lexicon()``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.models.kinds import KINDS
from pipelines.models.plurals import looks_plural, plurals
from pipelines.models.settings import setting_words

RGB = tuple[float, float, float]

NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "single": 1,
    "lone": 1,
    "solitary": 1,
    "sole": 1,
    "couple": 2,
    "pair": 2,
    "both": 2,
    "twin": 2,
    "triple": 3,
}
MANY = -1  # "many": resolved per kind (about twice its plural default)
SOME = -2  # "some": a modest handful
# (count, placement) by phrase; placement None keeps the default.
QUANTITIES: dict[tuple[str, ...], tuple[int, str | None]] = {
    ("a", "few"): (3, None),
    ("few",): (3, None),
    ("a", "couple", "of"): (2, None),
    ("couple", "of"): (2, None),
    ("a", "pair", "of"): (2, None),
    ("pair", "of"): (2, None),
    ("a", "dozen"): (12, None),
    ("dozens", "of"): (24, None),
    ("a", "handful", "of"): (4, None),
    ("handful", "of"): (4, None),
    ("a", "lot", "of"): (MANY, None),
    ("lots", "of"): (MANY, None),
    ("plenty", "of"): (MANY, None),
    ("many",): (MANY, None),
    ("numerous",): (MANY, None),
    ("countless",): (MANY, None),
    ("loads", "of"): (MANY, None),
    ("some",): (SOME, None),
    ("several",): (5, None),
    ("various",): (4, None),
    ("hundreds", "of"): (100, None),
    ("a", "hundred"): (100, None),
    ("a", "single"): (1, None),
    ("a",): (1, None),
    ("an",): (1, None),
}
# Collective nouns ("a row of", "stacks of") are read as nouns: reading/words.py COLLECTIVES.
MAX_PER_MENTION = 300  # a forest of 200 trees is 200 (issue 12)
SEATS_PER_TABLE = 4  # "tables with chairs": chairs at every table

FEATURES = {
    "road": "road",
    "roads": "road",
    "path": "road",
    "paths": "road",
    "street": "road",
    "streets": "road",
    "lane": "road",
    "track": "road",
    "trail": "road",
    "avenue": "road",
    "dirt road": "road",
    "main road": "road",
    "pavement": "road",
    "pavements": "road",
    "sidewalk": "road",
    "sidewalks": "road",
    "kerb": "road",
    "curb": "road",
    "river": "river",
    "stream": "river",
    "creek": "river",
    "brook": "river",
    "canal": "river",
    "lake": "lake",
    "lagoon": "lake",
    "water": "water",
    "sea": "water",
    "ocean": "water",
    "shore": "water",
    "coast": "water",
    "beach": "water",
    "waterfront": "water",
    "harbour": "water",
    "harbor": "water",
    "hill": "hill",
    "hilltop": "hill",
    "mound": "hill",
    "bank": "river",
    "banks": "river",
    "riverbank": "river",
    "riverside": "river",
    "pass": "pass",
    "passes": "pass",
    "mountain pass": "pass",
    "col": "pass",
    "shoreline": "water",
    "seashore": "water",
    "lakeshore": "lake",
    "lakeside": "lake",
    "lake shore": "lake",
    "river bank": "river",
    "seafront": "water",
    "waters": "water",
    "waves": "water",
    "lakes": "lake",
    "rivers": "river",
    "streams": "river",
    "hills": "hill",
    "slope": "hill",
    "slopes": "hill",
    "hillside": "hill",
    "hillsides": "hill",
    "quayside": "water",
    "harbourside": "water",
    "dockyard": "water",
    "dockyards": "water",
    "shipyard": "water",
    "boatyard": "water",
    "harborside": "water",
}
# Feature words that also change the terrain when a prompt names them.
FEATURE_SETTINGS = {"river": "river", "lake": "lake", "water": "beach"}
FEATURE_PHRASES = {tuple(k.split()): v for k, v in FEATURES.items()}

PART_WORDS = {
    "roof": "roof",
    "roofs": "roof",
    "rooftop": "roof",
    "rooftops": "roof",
    "roofing": "roof",
    "wall": "walls",
    "walls": "walls",
    "door": "door",
    "doors": "door",
    "doorway": "door",
    "window": "windows",
    "windows": "windows",
    "shutters": "trim",
    "trim": "trim",
    "chimney": "chimney",
    "chimneys": "chimney",
    "trunk": "trunk",
    "trunks": "trunk",
    "leaves": "canopy",
    "leaf": "canopy",
    "foliage": "canopy",
    "canopy": "canopy",
    "crown": "canopy",
    "crowns": "canopy",
    "needles": "canopy",
    "sail": "sail",
    "sails": "sail",
    "hull": "hull",
    "hulls": "hull",
    "legs": "legs",
    "top": "top",
    "tops": "top",
    "awning": "awning",
    "awnings": "awning",
    "frame": "frame",
    "frames": "frame",
    "posts": "posts",
    "rails": "rails",
    "plinth": "plinth",
    "pedestal": "plinth",
    "dome": "roof",
    "domes": "roof",
    "blades": "sails",
    "floor": "floor",
    "floors": "floor",
    "shingles": "roof",
    "tiles": "roof",
    "foundation": "foundation",
}
PART_ADJECTIVES = {
    "roofed": "roof",
    "walled": "walls",
    "doored": "door",
    "leaved": "canopy",
    "leafed": "canopy",
    "sailed": "sail",
    "topped": "top",
    "framed": "frame",
    "domed": "roof",
    "trunked": "trunk",
}
# A part word names one of these parts, whichever the kind has.
PART_ALIASES = {
    "roof": ("roof", "awning", "cap", "battlements"),
    "walls": ("walls", "staves", "body", "stone", "cloth", "deck"),
    "canopy": ("canopy", "leaves"),
    "windows": ("windows",),
    "door": ("door", "doors"),
    "sail": ("sail", "sails"),
    "sails": ("sails", "sail"),
    "top": ("top",),
    "legs": ("legs",),
    "trim": ("trim",),
    "chimney": ("chimney",),
    "trunk": ("trunk",),
    "hull": ("hull",),
    "awning": ("awning",),
    "frame": ("frame",),
    "posts": ("posts", "pole"),
    "rails": ("rails", "parapets"),
    "bucket": ("bucket", "crank"),
    "pail": ("bucket", "crank"),
    "winch": ("crank",),
    "plinth": ("plinth", "base"),
    "foundation": ("foundation", "base"),
}
SIZES = {
    "small": 0.8,
    "little": 0.8,
    "tiny": 0.65,
    "miniature": 0.6,
    "large": 1.25,
    "big": 1.25,
    "huge": 1.5,
    "giant": 1.6,
    "enormous": 1.6,
    "massive": 1.5,
    "tall": 1.25,
    "towering": 1.4,
    "great": 1.25,
    "grand": 1.3,
    "short": 0.85,
    "low": 0.85,
    "compact": 0.85,
    "long": 1.15,
    "wide": 1.15,
    "vast": 1.3,
}
DENSITY = {
    "dense": 1.5,
    "thick": 1.4,
    "lush": 1.3,
    "crowded": 1.4,
    "busy": 1.3,
    "sparse": 0.6,
    "empty": 0.4,
    "quiet": 0.9,
    "deserted": 0.6,
    "bustling": 1.4,
    "overgrown": 1.4,
}
# Wood species as adjectives ("oak table") are wood; as nouns ("oaks") they are trees.
SPECIES_MATERIAL = {
    "oak": "wood",
    "pine": "wood",
    "birch": "wood",
    "maple": "wood",
    "cedar": "wood",
    "walnut": "dark_wood",
    "ebony": "dark_wood",
    "mahogany": "dark_wood",
    "palm": "wood",
}
COLOR_MODS = {"dark": 0.55, "light": 1.35, "pale": 1.3, "bright": 1.15, "deep": 0.7, "faded": 1.1}


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
            kinds.setdefault(toks, (kind.name, looks_plural(toks[-1])))
            for pl in plurals(toks[-1]):
                kinds.setdefault(toks[:-1] + (pl,), (kind.name, True))
    settings = {tuple(w.split()): s for w, s in setting_words().items()}
    longest = max(max(len(k) for k in kinds), max(len(k) for k in settings), 3)
    return Lexicon(kinds, settings, longest)


_LEXICON: Lexicon | None = None


def lexicon() -> Lexicon:
    """Return the phrase tables (built on first use; they are constant)."""
    global _LEXICON  # a cache of constant data, not state: every call returns the same tables
    if _LEXICON is None:
        _LEXICON = _build_lexicon()
    return _LEXICON


def tokenize(prompt: str) -> list[list[str]]:
    """Return the prompt's sentences, each a list of lower-case word tokens (any script) and "," tokens.

    Sentences end at . ! ? ; : and line breaks; commas, brackets and dashes
    inside a sentence become "," (they separate list items and asides).
    """
    text = prompt.lower().replace("’", "'")
    text = re.sub(r"[-_/]", " ", text)
    text = re.sub(r"(\d+)([^\W\d_]+)", r"\1 \2", text)  # "3houses" -> "3 houses"
    text = re.sub(r"[,()\[\]{}\"“”«»，、—–]+", " , ", text)
    out = []
    for c in re.split(r"[.;:!?。；：！？\n]+", text):
        # words (any script), commas, and any other symbol (emoji) as a token of its own so it is reported
        toks = re.findall(r"[^\W_]+(?:'[^\W_]+)?|,|[^\w\s'\-,]", c)
        toks = [t[:-2] if t.endswith("'s") else t for t in toks]
        while toks and toks[0] == ",":
            toks.pop(0)
        while toks and toks[-1] == ",":
            toks.pop()
        if any(t != "," for t in toks):
            out.append(toks)
    return out


def resolve_part(kind_parts: list[str], part_word: str) -> list[str]:
    """Return the parts of a kind that a part word ("roof") names."""
    names = PART_ALIASES.get(part_word, (part_word,))
    return [p for p in kind_parts if p in names]
