"""Build what the prompt reader hands the layout (``ParsedPrompt``/``Mention``) directly, by the contract.

Layout tests use these so they prove the layout's behaviour whatever the
reader of the day makes of a sentence. Fields the contract adds to the
reader's dataclasses (attributes, collective, direction, stacked, prop,
feature_attributes, trace) are set as attributes, so the helpers work with
the reader before and after it grows them.
"""

from __future__ import annotations

from pipelines.models.prompt import Mention, ParsedPrompt


def mention(kind: str, count: int = 1, words: str | None = None, **said: object) -> Mention:
    """Return a mention of ``count`` ``kind``; ``said``: placement, anchor, feature, attributes, stacked, ..."""
    m = Mention(kind=kind, count=count, words=words or kind)
    for key, value in said.items():
        setattr(m, key, value)
    return m


def parsed(
    mentions: list[Mention], settings: tuple[str, ...] = (), features: tuple[str, ...] = (), **said: object
) -> ParsedPrompt:
    """Return a parsed prompt; ``said``: prop, feature_attributes, trace, density, scale, ..."""
    p = ParsedPrompt(mentions=list(mentions), settings=list(settings), features=list(features))
    p.prop = False  # type: ignore[attr-defined]
    for key, value in said.items():
        setattr(p, key, value)
    return p
