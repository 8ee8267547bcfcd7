"""English plurals of the catalog's nouns: the irregular ones, and the rules for the rest."""

from __future__ import annotations

import re

IRREGULAR_PLURALS = {
    "cactus": ["cacti", "cactuses"],
    "leaf": ["leaves"],
    "wolf": ["wolves"],
    "dwarf": ["dwarves"],
    "knife": ["knives"],
    "person": ["people"],
    "man": ["men"],
    "woman": ["women"],
    "fungus": ["fungi"],
    "bus": ["buses"],
    "sheep": ["sheep"],
    "fish": ["fish", "fishes"],
    "deer": ["deer"],
    "ox": ["oxen"],
    "goose": ["geese"],
    "mouse": ["mice"],
    "louse": ["lice"],
    "calf": ["calves"],
    "half": ["halves"],
    "loaf": ["loaves"],
    "shelf": ["shelves"],
    "scarf": ["scarves"],
    "hoof": ["hooves"],
    "child": ["children"],
    "foot": ["feet"],
    "tooth": ["teeth"],
    "moose": ["moose"],
    "bison": ["bison"],
    "salmon": ["salmon"],
    "trout": ["trout"],
    "swine": ["swine"],
    "cattle": ["cattle"],
    "elf": ["elves"],
    "thief": ["thieves"],
    "wharf": ["wharves", "wharfs"],
    "staff": ["staves", "staffs"],
    "roof": ["roofs"],
    "chief": ["chiefs"],
    "cliff": ["cliffs"],
    "dice": ["dice"],
    "die": ["dice"],
    "volcano": ["volcanoes"],
    "tomato": ["tomatoes"],
    "potato": ["potatoes"],
    "hero": ["heroes"],
    "torpedo": ["torpedoes"],
    "domino": ["dominoes"],
}


def plurals(word: str) -> list[str]:
    """Return the plural forms of a noun; irregular ones also inside compounds ("bookshelf" -> "bookshelves")."""
    for sing in sorted(IRREGULAR_PLURALS, key=len, reverse=True):
        if word == sing or (word.endswith(sing) and len(word) - len(sing) >= 3 and sing not in ("man", "ox", "die")):
            return [word[: len(word) - len(sing)] + pl for pl in IRREGULAR_PLURALS[sing]]
    if re.search(r"(s|x|z|ch|sh)$", word):
        return [word + "es"]
    if re.search(r"[^aeiou]y$", word):
        return [word[:-1] + "ies"]
    if word.endswith("fe"):
        return [word[:-2] + "ves", word + "s"]
    return [word + "s"]


def looks_plural(word: str) -> bool:
    """True when a catalog phrase's last word is itself a plural ("reeds", "lily pads", "books")."""
    return bool(re.search(r"[^su]s$", word)) and not word.endswith(("ss", "us", "is", "ics"))
