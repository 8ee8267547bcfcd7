"""Reading a prompt: its structure, not its keywords.

Each sentence is chunked into noun phrases, relations, "with" and
conjunctions (``reading/chunker.py``: determiners, numbers, adjectives,
compounds and collective nouns inside a phrase; closed-class word lists and
WordNet's parts of speech for the open words). The binder
(``reading/binder.py``) turns phrases into mentions of catalog kinds,
settings and terrain features, resolves "the tables" and "them" to earlier
mentions, gives "with" parts and companions to their owner, and turns each
relation and its object into a placement (``reading/relations.py``). Nouns
the catalog does not know go through ``nearest`` (WordNet's is-a chains, then
the optional sentence encoder); every word left unused is reported, as is
every attribute an object cannot show.
"""

from __future__ import annotations

from collections.abc import Callable

from pipelines.models.kinds import KINDS
from pipelines.models.reading import words as W
from pipelines.models.reading.binder import Binder
from pipelines.models.reading.chunker import Chunker
from pipelines.models.reading.languages import gloss
from pipelines.models.reading.model import Mention, ParsedPrompt
from pipelines.models.reading.trace import build_trace, explain_rows
from pipelines.models.settings import SETTINGS
from pipelines.models.vocabulary import resolve_part, tokenize

__all__ = ["Mention", "ParsedPrompt", "explain_rows", "read_prompt", "resolve_part"]

# word -> (kind or None, score, how); see encoder.nearest_kind
Nearest = Callable[[str], tuple[str | None, float, str]]


def _skip_none(word: str) -> tuple[str | None, float, str]:
    return None, 0.0, "skipped"


# Kinds that make a road with no setting named a town street.
TOWN_KINDS = {"house", "shop", "apartment building", "church", "car", "bus", "truck", "lamp post", "traffic light"}
TOWN_KINDS |= {"bus stop", "mailbox", "fire hydrant", "trash bin", "phone booth", "bicycle", "motorcycle"}


def _interior(chunks) -> bool:  # noqa: ANN001 - list of unit lists
    """True when the prompt names an indoor setting anywhere (so "the wall" is the room's)."""
    for units in chunks:
        for u in units:
            if u.type == "np" and u.np is not None:
                names = list(u.np.settings) + ([str(u.np.value)] if u.np.head == "setting" else [])
                if any(SETTINGS[s].interior for s in names if s in SETTINGS):
                    return True
    return False


def read_prompt(prompt: str, nearest: Nearest | None = None) -> ParsedPrompt:
    """Return what ``prompt`` asks for; ``nearest`` maps an unknown noun to a kind (or None)."""
    memo: dict[str, tuple[str | None, float, str]] = {}
    base = nearest or _skip_none

    def cached(word: str) -> tuple[str | None, float, str]:
        if word not in memo:
            memo[word] = base(word)
        return memo[word]

    chunker = Chunker(cached)
    chunks = [chunker.chunk(sentence) for sentence in gloss(tokenize(prompt))]
    binder = Binder(cached, _interior(chunks))
    for units in chunks:
        binder.sentence(units)
    out = binder.out
    for m in out.mentions:
        if m.placement in ("line", "both_sides") and m.feature in ("road", "pass") and m.feature not in out.features:
            out.features.append(m.feature)
    if (
        "water" in out.features
        and ({"lake", "river"} & set(out.features))
        and not any(m.feature == "water" for m in out.mentions)
    ):
        out.features.remove("water")  # "on the shore of the lake": the lake's shore, not a sea
    for f in out.features:
        s = {"river": "river", "lake": "lake", "water": "beach", "pass": "mountain"}.get(f)
        if s == "beach" and any(x in out.settings for x in ("island", "beach", "harbour", "lake")):
            continue
        if s and s not in out.settings:
            out.settings.append(s)
    town = {m.kind for m in out.mentions} & TOWN_KINDS
    if not out.settings and "road" in out.features and len(town) >= 2:
        out.settings.append("street")  # "houses on both sides of the road, cars, lamp posts": a town street
    if any(m.feature == "hill" for m in out.mentions) and "hill" not in out.features:
        out.features.append("hill")
    _break_cycles(out)
    out.prop = (
        len(out.mentions) == 1
        and out.mentions[0].count == 1
        and not out.settings
        and not out.features
        and out.mentions[0].anchor is None
    )
    out.trace = build_trace(out)
    return out


def _break_cycles(out: ParsedPrompt) -> None:
    """Drop the anchor that closes a loop ("a well by the church, the church by the well"): keep the first said."""
    for k in range(len(out.mentions) - 1, -1, -1):
        m = out.mentions[k]
        seen, j = {k}, m.anchor
        while j is not None:
            if j in seen:
                m.anchor = None
                if m.placement != "center" and m.feature is None:
                    m.placement = "scatter"
                break
            seen.add(j)
            j = out.mentions[j].anchor


def attribute_names(word: str) -> tuple[str, ...]:
    """Return the attribute names an adjective or phrase can mean, most specific first (empty if none)."""
    return W.ATTRIBUTE_WORDS.get(tuple(word.split()), ())


def honoured(kind: str, word: str) -> str | None:
    """Return the attribute of ``kind`` that ``word`` applies, or None when the kind cannot show it."""
    return next((a for a in attribute_names(word) if a in KINDS[kind].attributes), None)
