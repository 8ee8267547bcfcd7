"""What chunking produces: noun phrases (``NP``) and the other units of a sentence (``Unit``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.models.reading import words as W

TREE_SPECIES = {"oak", "birch", "maple", "willow", "elm", "beech", "chestnut", "apple", "linden", "poplar", "cherry"}
RGB = tuple[float, float, float]
# Participles that are relations after a noun ("boulders scattered about") and say how things stand before one.
PRENOMINAL = {
    "scattered": "scatter",
    "dotted": "scatter",
    "strewn": "scatter",
    "clustered": "cluster",
    "grouped": "cluster",
    "huddled": "cluster",
    "floating": "water",
    "moored": "water",
}


@dataclass
class NP:
    """One noun phrase as read: what heads it and everything said of it."""

    words: list[str] = field(default_factory=list)
    definite: bool = False
    negated: bool = False
    count: int | None = None
    head: str | None = None  # kind | feature | setting | part | pronoun | unknown | scene | collective
    value: str | None = None  # the kind, feature, setting, part, pronoun or unknown word
    plural: bool = False
    head_words: list[str] = field(default_factory=list)
    color: RGB | None = None
    material: str | None = None
    part: str | None = None  # "red-roofed": the color goes to this part
    size: float = 1.0
    density: float = 1.0
    attrs: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (words said, attribute names)
    adjectives: list[str] = field(default_factory=list)  # adjectives with no table of their own
    noun_mods: list[tuple[str, str, str]] = field(default_factory=list)  # (word, what it is, value)
    collective: str | None = None
    collectives: int = 1  # "two stacks of crates"
    species: str | None = None
    placement: str | None = None  # from a participle before it: "scattered boulders"
    settings: list[str] = field(default_factory=list)  # settings named inside it ("a forest cabin")

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class Unit:
    """One chunk of a sentence: an NP, a relation, "with", a conjunction or a comma."""

    type: str  # np | rel | with | conj | comma | neg
    np: NP | None = None
    rel: str | None = None
    words: list[str] = field(default_factory=list)


def longest_phrase(toks: list[str], i: int, table: dict, longest: int) -> tuple[int, object]:
    for n in range(min(longest, len(toks) - i), 0, -1):
        hit = table.get(tuple(toks[i : i + n]))
        if hit is not None:
            return n, hit
    return 0, None


def collective_of(t: str, before_of: bool = False) -> str | None:
    """Return the collective noun ``t`` is (singular or plural), or None.

    Words that are also verbs or relations ("stand", "line", "ring") count only before "of".
    """
    base = t[:-1] if t.endswith("s") and t[:-1] in W.COLLECTIVES else t
    if base not in W.NAMED_COLLECTIVES:
        return None
    return base if before_of or base not in W.AMBIGUOUS_COLLECTIVES else None


def is_room(setting: object) -> bool:
    """True for an indoor setting: "a throne room", "the tavern hall" name a room, not the object before them."""
    from pipelines.models.settings import SETTINGS

    return str(setting) in SETTINGS and SETTINGS[str(setting)].interior


def join_of(units: list[Unit], kinds: dict) -> list[Unit]:
    """Join "COLLECTIVE of NP" ("a stack of crates", "a field of flowers") into one phrase."""
    out: list[Unit] = []
    k = 0
    while k < len(units):
        u = units[k]
        named = _named_by_of(units, k, kinds)
        if named is not None:  # "a rack of tools" is a tool rack, "a pile of firewood" a firewood pile
            out.append(named)
            k += 3
            continue
        if (
            u.type == "np"
            and u.np.head == "collective"
            and k + 2 < len(units)  # type: ignore[union-attr]
            and units[k + 1].type == "of"
            and units[k + 2].type == "np"
        ):
            inner, outer = units[k + 2].np, u.np
            inner.collective = outer.collective  # type: ignore[union-attr]
            inner.collectives = outer.count or (3 if outer.plural else 1)  # type: ignore[union-attr]
            inner.words = outer.words + ["of"] + inner.words  # type: ignore[union-attr]
            inner.definite = inner.definite or outer.definite  # type: ignore[union-attr]
            inner.negated = inner.negated or outer.negated  # type: ignore[union-attr]
            for name in ("attrs", "adjectives"):
                getattr(inner, name)[:0] = getattr(outer, name)
            out.append(units[k + 2])
            k += 3
            continue
        out.append(u)
        k += 1
    return out


def _named_by_of(units: list[Unit], k: int, kinds: dict) -> Unit | None:
    """Return "X of Y" as one phrase when the catalog names "Y X" ("a rack of tools": a tool rack), else None."""
    if k + 2 >= len(units) or units[k + 1].type != "of" or units[k].type != "np" or units[k + 2].type != "np":
        return None
    outer, inner = units[k].np, units[k + 2].np
    if outer is None or inner is None or outer.head not in ("kind", "unknown") or inner.head not in ("kind", "unknown"):
        return None
    if outer.value in W.CONTENT_HOLDERS:
        return None  # "crates of fish": crates, holding fish
    last = inner.head_words[-1] if inner.head_words else ""
    for noun in (last, last[:-1] if last.endswith("s") else last, last[:-2] if last.endswith("es") else last):
        hit = kinds.get((*inner.head_words[:-1], noun, *outer.head_words))
        if hit is not None and hit[0] != outer.value:
            outer.value, outer.head = hit[0], "kind"
            outer.words = outer.words + ["of"] + inner.words
            return Unit("np", np=outer)
    return None
