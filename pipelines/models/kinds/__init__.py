"""The catalog of object kinds the procedural model can build, keyed by name."""

from __future__ import annotations

from pipelines.models.kinds import buildings, furniture, landmarks, nature  # noqa: F401  (they register kinds)
from pipelines.models.kinds.base import REGISTRY, Kind, Shape, register, variant_rng

KINDS: dict[str, Kind] = REGISTRY


def get_kind(name: str) -> Kind:
    """Return the catalog kind ``name`` (KeyError names the kinds there are)."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown kind {name!r}; the catalog has: {', '.join(sorted(KINDS))}") from None


__all__ = ["KINDS", "Kind", "Shape", "get_kind", "register", "variant_rng"]
