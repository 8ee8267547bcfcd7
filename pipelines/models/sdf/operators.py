"""Signed-distance operators: unions, cuts, rigid transforms, uniform scale, repetition; all keep 1-Lipschitz."""

from __future__ import annotations

import math

import torch

from pipelines.models.sdf.core import Node, Vec3, _hi, _len2, _lo, _matrix, _maybe_cull


def union(*nodes: Node) -> Node:
    nodes = tuple(nodes)
    if len(nodes) == 1:
        return nodes[0]
    lo, hi = _lo(nodes), _hi(nodes)
    kids = _maybe_cull(nodes, lo, hi)

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        out = kids[0].fn(x, y, z)
        for n in kids[1:]:
            out = torch.minimum(out, n.fn(x, y, z), out=out)
        return out

    return Node(fn, lo, hi)


def smooth_union(k: float, *nodes: Node) -> Node:
    """Quadratic smooth minimum: its gradient is a convex mix of the inputs', so 1-Lipschitz."""
    nodes = tuple(nodes)

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        out = nodes[0].fn(x, y, z)
        for n in nodes[1:]:
            b = n.fn(x, y, z)
            h = (out - b).abs_().neg_().add_(k).clamp_(min=0).div_(k)
            out = torch.minimum(out, b).sub_(h.mul_(h).mul_(k / 4))
        return out

    pad = k / 4
    lo = [v - pad for v in _lo(nodes)]
    hi = [v + pad for v in _hi(nodes)]
    return Node(fn, lo, hi)


def subtract(a: Node, *cuts: Node) -> Node:
    """``a`` with every node of ``cuts`` carved away."""
    kids = _maybe_cull(cuts, a.lo, a.hi)

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        out = a.fn(x, y, z)
        for c in kids:
            out = torch.maximum(out, c.fn(x, y, z).neg_(), out=out)
        return out

    return Node(fn, a.lo, a.hi)


def intersect(a: Node, b: Node) -> Node:
    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return torch.maximum(a.fn(x, y, z), b.fn(x, y, z))

    lo = [max(a.lo[i], b.lo[i]) for i in range(3)]
    hi = [min(a.hi[i], b.hi[i]) for i in range(3)]
    return Node(fn, lo, hi)


def shell(a: Node, thickness: float) -> Node:
    """Hollow skin of ``a`` (|d| - t/2), keeping the box grown by the skin."""
    t = thickness / 2

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return a.fn(x, y, z).abs_().sub_(t)

    return Node(fn, [v - t for v in a.lo], [v + t for v in a.hi])


def rotate(
    a: Node, yaw_deg: float = 0.0, pitch_deg: float = 0.0, roll_deg: float = 0.0, pivot: Vec3 = (0.0, 0.0, 0.0)
) -> Node:
    """``a`` rotated about ``pivot``: roll about z, then pitch about x, then yaw about y."""
    m = _matrix(yaw_deg, pitch_deg, roll_deg)
    px, py, pz = pivot
    # local = M^T (world - pivot) + pivot; rows of M^T are the columns of M
    mt = [[m[j][i] for j in range(3)] for i in range(3)]

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        x, y, z = x - px, y - py, z - pz
        return a.fn(
            (x * mt[0][0]).add_(y * mt[0][1]).add_(z * mt[0][2]).add_(px),
            (x * mt[1][0]).add_(y * mt[1][1]).add_(z * mt[1][2]).add_(py),
            (x * mt[2][0]).add_(y * mt[2][1]).add_(z * mt[2][2]).add_(pz),
        )

    corners = [(x, y, z) for x in (a.lo[0], a.hi[0]) for y in (a.lo[1], a.hi[1]) for z in (a.lo[2], a.hi[2])]
    moved = [tuple(sum(m[i][j] * (c[j] - pivot[j]) for j in range(3)) + pivot[i] for i in range(3)) for c in corners]
    lo = [min(c[i] for c in moved) for i in range(3)]
    hi = [max(c[i] for c in moved) for i in range(3)]
    return Node(fn, lo, hi)


def translate(a: Node, offset: Vec3) -> Node:
    ox, oy, oz = offset

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return a.fn(x - ox, y - oy, z - oz)

    return Node(fn, [a.lo[i] + offset[i] for i in range(3)], [a.hi[i] + offset[i] for i in range(3)])


def scale(a: Node, s: float) -> Node:
    """Uniform scale about the origin: s * a(p / s) stays 1-Lipschitz."""

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return a.fn(x / s, y / s, z / s).mul_(s)

    return Node(fn, [v * s for v in a.lo], [v * s for v in a.hi])


def repeat(a: Node, axis: str, spacing: float, count: int) -> Node:
    """``count`` copies of ``a`` every ``spacing`` m along ``axis``, centred on ``a``'s position.

    The nearest copy and its neighbour towards the point are both evaluated,
    so the result is the exact union of the copies while each copy stays
    within half a spacing of its own cell, and a safe bound otherwise.
    """
    if count <= 1:
        return a
    i = "xyz".index(axis)
    first = -(count - 1) / 2
    mid = (a.lo[i] + a.hi[i]) / 2  # cells are counted from the copy's own centre

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        q = [x, y, z]
        t = (q[i] - mid) / spacing - first
        k = torch.round(t).clamp_(0, count - 1)
        k2 = (k + torch.where(t > k, 1.0, -1.0).to(t.dtype)).clamp_(0, count - 1)
        out = None
        for kk in (k, k2):
            q[i] = (x, y, z)[i] - (kk + first) * spacing
            d = a.fn(*q)
            out = d if out is None else torch.minimum(out, d, out=out)
        return out

    ext = (count - 1) / 2 * spacing
    lo, hi = list(a.lo), list(a.hi)
    lo[i] -= ext
    hi[i] += ext
    return Node(fn, lo, hi)


def mirror(a: Node, axis: str) -> Node:
    """``a`` and its mirror image across the plane ``axis = 0`` (exact union by folding)."""
    i = "xyz".index(axis)

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        q = [x, y, z]
        q[i] = q[i].abs()
        return a.fn(*q)

    lo, hi = list(a.lo), list(a.hi)
    ext = max(abs(a.lo[i]), abs(a.hi[i]))
    lo[i], hi[i] = -ext, ext
    return Node(fn, lo, hi)


def polar_repeat(a: Node, count: int) -> Node:
    """``count`` copies of ``a`` (modelled around the +x axis) spaced evenly about the y axis.

    Like ``repeat``, the nearest sector and its neighbour towards the point
    are both evaluated.
    """
    sector = 2.0 * math.pi / count

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        ang = torch.atan2(z, x)
        r = _len2(x, z)
        k = torch.round(ang / sector)
        rest = ang - k * sector
        out = None
        for a2 in (rest, rest - torch.sign(rest) * sector):
            d = a.fn(r * torch.cos(a2), y, r * torch.sin(a2))
            out = d if out is None else torch.minimum(out, d, out=out)
        return out

    reach = max(math.hypot(x, z) for x in (a.lo[0], a.hi[0]) for z in (a.lo[2], a.hi[2]))
    return Node(fn, (-reach, a.lo[1], -reach), (reach, a.hi[1], reach))


def radial(a: Node, count: int, phase_deg: float = 0.0) -> Node:
    """``count`` copies of ``a`` rotated evenly about the y axis (union of all copies)."""
    return union(*[rotate(a, yaw_deg=phase_deg + 360.0 * k / count) for k in range(count)])
