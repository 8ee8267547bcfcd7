"""The signed-distance node and what every primitive and operator shares: bounds, culling, rotations.

Every primitive is exact or a 1-Lipschitz bound of the true distance, and
every operator keeps that property. A ``Node`` is a callable
``points[N, 3] -> distance[N]`` plus the axis-aligned box ``lo..hi`` that
encloses its zero set, so an object's bounds follow from its program.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch

Vec3 = tuple[float, float, float]


class Node:
    """A signed-distance function with the box ``lo..hi`` that encloses its surface.

    ``fn`` takes the three coordinate columns (x, y, z), each a contiguous [N]
    tensor, which keeps the hot path free of strided access; calling the node
    with points [N, 3] splits them once.
    """

    __slots__ = ("fn", "lo", "hi")

    def __init__(self, fn: Fn, lo: Sequence[float], hi: Sequence[float]) -> None:
        self.fn = fn
        self.lo: Vec3 = (float(lo[0]), float(lo[1]), float(lo[2]))
        self.hi: Vec3 = (float(hi[0]), float(hi[1]), float(hi[2]))

    def __call__(self, p: torch.Tensor) -> torch.Tensor:
        x, y, z = p.t().contiguous().unbind(0)
        return self.fn(x, y, z)

    @property
    def volume(self) -> float:
        return max(0.0, (self.hi[0] - self.lo[0]) * (self.hi[1] - self.lo[1]) * (self.hi[2] - self.lo[2]))


Fn = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]

# Subtrees whose box is smaller than this share of their parent's are evaluated
# only at the points near that box (see ``cull``).
CULL_SHARE = 0.35
CULL_MARGIN_M = 0.25


def _len2(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return torch.sqrt(a * a + b * b)


def _len3(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    return torch.sqrt(a * a + b * b + c * c)


def _box2(dx: torch.Tensor, dy: torch.Tensor) -> torch.Tensor:
    """Exact 2-D box distance from the per-axis excesses ``|q| - half``."""
    outside = _len2(dx.clamp(min=0), dy.clamp(min=0))
    return outside.add_(torch.maximum(dx, dy).clamp_(max=0))


def box_bound(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor, lo: Vec3, hi: Vec3) -> torch.Tensor:
    """Chebyshev distance to the box lo..hi: 1-Lipschitz, never above the true distance."""
    dx = (x - (lo[0] + hi[0]) / 2).abs_().sub_((hi[0] - lo[0]) / 2)
    dy = (y - (lo[1] + hi[1]) / 2).abs_().sub_((hi[1] - lo[1]) / 2)
    dz = (z - (lo[2] + hi[2]) / 2).abs_().sub_((hi[2] - lo[2]) / 2)
    return torch.maximum(torch.maximum(dx, dy, out=dx), dz, out=dx)


def cull(a: Node, margin: float = CULL_MARGIN_M) -> Node:
    """``a`` evaluated only near its box: max(box bound, min(a, margin)).

    Far from the box the result is the box bound; near it, ``a`` clamped at
    ``margin``. Both pieces are 1-Lipschitz and agree where they meet, the
    zero set is ``a``'s, and the value never exceeds the true distance.
    """
    lo, hi = a.lo, a.hi

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        b = box_bound(x, y, z, lo, hi)
        idx = (b < margin).nonzero().squeeze(1)
        n = idx.numel()
        if n == 0:
            return b
        if n > 0.7 * b.numel():
            return torch.maximum(b, a.fn(x, y, z).clamp_(max=margin))
        inner = a.fn(x[idx], y[idx], z[idx]).clamp_(max=margin)
        return b.index_put_((idx,), torch.maximum(b[idx], inner))

    return Node(fn, lo, hi)


def near_surface(a: Node, around: Node, thickness: float, margin: float = CULL_MARGIN_M) -> Node:
    """``a``, whose surface lies within ``thickness`` of ``around``'s, evaluated only near that surface.

    |around| - thickness is a 1-Lipschitz lower bound of the distance to
    ``a``'s surface (windows set in a wall: a thin shell around the wall's
    box), used the way ``cull`` uses the box bound.
    """

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        b = around.fn(x, y, z).abs_().sub_(thickness)
        b = torch.maximum(b, box_bound(x, y, z, a.lo, a.hi))
        idx = (b < margin).nonzero().squeeze(1)
        if idx.numel() == 0:
            return b
        inner = a.fn(x[idx], y[idx], z[idx]).clamp_(max=margin)
        return b.index_put_((idx,), torch.maximum(b[idx], inner))

    return Node(fn, a.lo, a.hi)


def _maybe_cull(children: Sequence[Node], lo: Sequence[float], hi: Sequence[float]) -> list[Node]:
    total = max(1e-9, (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]))
    return [cull(c) if c.volume < CULL_SHARE * total else c for c in children]


# ---------------------------------------------------------------- helpers


def _lo(nodes: Sequence[Node]) -> list[float]:
    return [min(n.lo[i] for n in nodes) for i in range(3)]


def _hi(nodes: Sequence[Node]) -> list[float]:
    return [max(n.hi[i] for n in nodes) for i in range(3)]


def _matrix(yaw_deg: float, pitch_deg: float, roll_deg: float) -> list[list[float]]:
    """Return R = Ry(yaw) @ Rx(pitch) @ Rz(roll) as nested lists (right-handed, +Y up)."""
    cy, sy = math.cos(math.radians(yaw_deg)), math.sin(math.radians(yaw_deg))
    cp, sp = math.cos(math.radians(pitch_deg)), math.sin(math.radians(pitch_deg))
    cr, sr = math.cos(math.radians(roll_deg)), math.sin(math.radians(roll_deg))
    ry = [[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]]
    rx = [[1, 0, 0], [0, cp, -sp], [0, sp, cp]]
    rz = [[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]]
    return _mul(ry, _mul(rx, rz))


def _mul(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    return [[sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)] for i in range(3)]


def yaw_to_world(x: float, z: float, yaw_deg: float) -> tuple[float, float]:
    """Return local (x, z) rotated by ``yaw_deg`` about +Y into world axes (glTF convention)."""
    c, s = math.cos(math.radians(yaw_deg)), math.sin(math.radians(yaw_deg))
    return c * x + s * z, -s * x + c * z
