"""What a catalog kind is: words, parts and their materials, shape parameters, a builder.

A kind's builder turns a parameter dict (floats, as stored in the plan) into a
``Shape``: named parts, each a signed-distance node in the object's local frame
(meters, +Y up, origin at the centre of the base, front facing +Z). Parts
reach a little below y = 0 (foundations, roots, embedded rock) so that an
object never floats on uneven ground.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

from pipelines.models.sdf import Node, _maybe_cull

FLOOR_M = 0.02  # legs, posts and walls reach this far below the base, so they meet the floor without a gap


class Shape:
    """An object's parts (name, node); its surface is the union of the parts.

    Parts whose box is a small share of the object's are evaluated only near
    that box (``sdf.cull``), which keeps a many-part object cheap on big grids.
    """

    def __init__(self, parts: list[tuple[str, Node]]) -> None:
        self.parts = parts
        self.lo: tuple[float, float, float] = tuple(min(n.lo[i] for _, n in parts) for i in range(3))  # type: ignore[assignment]
        self.hi: tuple[float, float, float] = tuple(max(n.hi[i] for _, n in parts) for i in range(3))  # type: ignore[assignment]
        nodes = _maybe_cull([n for _, n in parts], self.lo, self.hi)
        self._fns = [n.fn for n in nodes]

    def sdf(self, p: torch.Tensor) -> torch.Tensor:
        x, y, z = p.t().contiguous().unbind(0)
        out = self._fns[0](x, y, z)
        for fn in self._fns[1:]:
            out = torch.minimum(out, fn(x, y, z), out=out)
        return out

    def part_distances(self, p: torch.Tensor) -> torch.Tensor:
        """Return the distance to every part, [P, N]."""
        x, y, z = p.t().contiguous().unbind(0)
        return torch.stack([fn(x, y, z) for fn in self._fns], dim=0)


Builder = Callable[[dict[str, float]], list[tuple[str, Node]]]


@dataclass(frozen=True)
class Kind:
    """One entry of the catalog."""

    name: str
    group: str  # what "defaults" and counts reason about: building, tree, rock, seat, ...
    words: tuple[str, ...]  # singular words and phrases that name it (the name first)
    parts: dict[str, tuple[str, ...]]  # part -> material choices "preset" or "preset:color"
    body: tuple[str, ...]  # parts a bare material or color word applies to ("stone well")
    ranges: dict[str, tuple[float, float]]  # shape parameter -> (low, high), drawn uniformly
    build: Builder
    ground: str = "pad"  # pad | embed | water | on | wall
    where: str = "outdoor"  # outdoor | indoor | any
    plural_count: int = 4  # how many a bare plural means ("houses")
    spacing_m: float = 1.5  # free space kept around its footprint
    integer_params: tuple[str, ...] = ()
    flags: dict[str, float] = field(default_factory=dict)
    # What a prompt's adjective can change: attribute name ("round", "broken", "stilts") ->
    # {"params": {shape parameter: value}, "parts": {part: "preset" or "preset:color"}}.
    # The reader maps words to attribute names; one a kind lacks is reported, not dropped.
    attributes: dict[str, dict] = field(default_factory=dict)

    def sample(self, rng: np.random.Generator, attributes: tuple[str, ...] = ()) -> dict[str, float]:
        """Return shape parameters drawn from ``rng`` (rounded so plans stay readable).

        ``attributes`` (names in ``self.attributes``) override the drawn values;
        the draws happen first either way, so an attribute changes nothing else.
        """
        out: dict[str, float] = {}
        for name, (lo, hi) in self.ranges.items():
            v = float(rng.uniform(lo, hi))
            out[name] = float(round(v)) if name in self.integer_params else round(v, 3)
        out["variant"] = float(rng.integers(0, 1_000_000))
        for a in attributes:
            out.update({k: float(v) for k, v in self.attributes.get(a, {}).get("params", {}).items()})
        return out

    def shape(self, params: dict[str, float]) -> Shape:
        full = {k: (lo + hi) / 2 for k, (lo, hi) in self.ranges.items()}
        full["variant"] = 0.0
        full.update(params)
        return Shape(self.build(full))


REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    assert kind.name not in REGISTRY, kind.name
    REGISTRY[kind.name] = kind
    return kind


def variant_rng(params: dict[str, float], salt: int = 0) -> np.random.Generator:
    """Return the generator that fixes a shape's irregular details from its ``variant``."""
    return np.random.default_rng([int(params.get("variant", 0.0)), salt])
