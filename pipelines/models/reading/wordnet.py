"""Look-ups in the packaged WordNet 3.0 tables: a word's parts of speech, its base form, a noun's kind.

The tables (``data/*.json.gz``, made by ``make_tables.py``) ship inside the
package and load on first use; nothing is downloaded. Base forms follow
WordNet's own "morphy": the irregular forms first, then its detachment rules.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
MAX_HOPS = 6  # a chain longer than this is too loose to trust ("tank" -> ... -> car is 2, "goldfish" -> fish 6)
# WordNet's detachment rules (morphy): suffix -> replacement, per part of speech.
RULES = {
    "n": (
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
        ("s", ""),
    ),
    "v": (("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("s", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
}


@lru_cache(maxsize=1)
def _words() -> dict:
    with gzip.open(DATA / "words.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def _kinds() -> dict:
    with gzip.open(DATA / "wordnet_kinds.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


def base_forms(word: str, pos: str) -> list[str]:
    """Return the WordNet lemmas ``word`` can be an inflection of as ``pos`` (n, v, a), itself first."""
    table = _words()["pos"]
    out = [word] if pos in table.get(word, "") else []
    exc = _words()["exc"].get(pos, {}).get(word)
    if exc and exc not in out:
        out.append(exc)
    for suffix, repl in RULES.get(pos, ()):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            base = word[: len(word) - len(suffix)] + repl
            if pos in table.get(base, "") and base not in out:
                out.append(base)
    return out


def parts_of_speech(word: str) -> str:
    """Return the parts of speech a word can be, commonest first ("nv"), counting inflections; "" if unknown."""
    direct = _words()["pos"].get(word, "")
    extra = "".join(p for p in "nva" if p not in direct and base_forms(word, p))
    return direct + extra


def known(word: str) -> bool:
    """True when WordNet knows the word (or an inflection of it) as any part of speech."""
    return bool(parts_of_speech(word))


def kind_chain(noun: str, available: set[str] | None = None) -> tuple[str | None, int, list[str]]:
    """Return (kind, hops, is-a chain) for a noun by its WordNet hypernyms, or (None, 0, []).

    The chain runs from the noun's sense up to the anchor synset ("hydrangea",
    "shrub"); ``available`` limits the kinds to those the catalog has, so a
    chain that passes a missing kind lands on the next one up.
    """
    table = _kinds()
    for form in [noun, *base_forms(noun, "n")]:
        node = table["lemmas"].get(form)
        if node is None:
            continue
        chain: list[str] = []
        hops = 0
        while node != -1 and hops <= MAX_HOPS:
            label, parent, kinds = table["nodes"][node]
            chain.append(label)
            for kind in kinds:
                if available is None or kind in available:
                    return kind, hops, chain
            node, hops = parent, hops + 1
        return None, 0, []
    return None, 0, []
