"""The catalog of object kinds the procedural model can build, keyed by name.

Every module in this package that registers kinds is imported here, in
alphabetical order (so the catalog's order, and every output that follows
from it, does not depend on the file system): adding kinds means adding one
module, nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil

from pipelines.models.kinds.base import REGISTRY, Kind, Shape, register, variant_rng

_NOT_CATALOG = {"base", "parts", "room"}  # the Kind machinery, shared shapes and the interior shell register no kinds
for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module not in _NOT_CATALOG and not _module.startswith("_"):
        importlib.import_module(f"{__name__}.{_module}")

KINDS: dict[str, Kind] = REGISTRY


def get_kind(name: str) -> Kind:
    """Return the catalog kind ``name`` (KeyError names the kinds there are)."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown kind {name!r}; the catalog has: {', '.join(sorted(KINDS))}") from None


__all__ = ["KINDS", "Kind", "Shape", "get_kind", "register", "variant_rng"]
