"""Signed-distance primitives and operators in torch, each carrying its bounding box.

Every primitive here is exact or a 1-Lipschitz bound of the true distance, and
every operator keeps that property (min, max, the quadratic smooth-min, rigid
transforms, uniform scale, limited repetition that checks the neighbouring
copy). A ``Node`` is a callable ``points[N, 3] -> distance[N]`` plus the
axis-aligned box ``lo..hi`` that encloses its zero set, so an object's bounds
follow from its program. Parameters are Python floats: a node works on any
device and dtype.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

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


# ---------------------------------------------------------------- primitives


def sphere(center: Vec3, radius: float) -> Node:
    cx, cy, cz = center

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return _len3(x - cx, y - cy, z - cz).sub_(radius)

    return Node(fn, (cx - radius, cy - radius, cz - radius), (cx + radius, cy + radius, cz + radius))


def box(center: Vec3, half: Vec3, round_m: float = 0.0) -> Node:
    """Axis-aligned box of half extents ``half``; ``round_m`` rounds its edges inwards."""
    cx, cy, cz = center
    hx, hy, hz = half
    r = min(round_m, hx, hy, hz)

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        qx = (x - cx).abs_().sub_(hx - r)
        qy = (y - cy).abs_().sub_(hy - r)
        qz = (z - cz).abs_().sub_(hz - r)
        inside = torch.maximum(torch.maximum(qx, qy), qz).clamp_(max=0)
        outside = _len3(qx.clamp_(min=0), qy.clamp_(min=0), qz.clamp_(min=0))
        return outside.add_(inside).sub_(r)

    return Node(fn, (cx - hx, cy - hy, cz - hz), (cx + hx, cy + hy, cz + hz))


def _axes(axis: str) -> tuple[int, int, int]:
    a = "xyz".index(axis)
    b, c = [i for i in range(3) if i != a]
    return a, b, c


def cylinder(center: Vec3, radius: float, half_height: float, axis: str = "y") -> Node:
    """Capped cylinder along ``axis`` ("x", "y" or "z") centred at ``center``."""
    a, b, c = _axes(axis)
    ca, cb, cc = center[a], center[b], center[c]

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        q = (x, y, z)
        radial = _len2(q[b] - cb, q[c] - cc).sub_(radius)
        along = (q[a] - ca).abs_().sub_(half_height)
        return _box2(radial, along)

    lo, hi = list(center), list(center)
    for i in range(3):
        ext = half_height if i == a else radius
        lo[i] -= ext
        hi[i] += ext
    return Node(fn, lo, hi)


def tube(center: Vec3, radius: float, thickness: float, half_height: float) -> Node:
    """Vertical hollow cylinder (a ring wall) of outer ``radius`` and wall ``thickness``."""
    cx, cy, cz = center
    mid = radius - thickness / 2

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        radial = _len2(x - cx, z - cz).sub_(mid).abs_().sub_(thickness / 2)
        along = (y - cy).abs_().sub_(half_height)
        return _box2(radial, along)

    return Node(fn, (cx - radius, cy - half_height, cz - radius), (cx + radius, cy + half_height, cz + radius))


def cone(base: Vec3, r_bottom: float, r_top: float, height: float) -> Node:
    """Exact vertical capped cone from ``base`` (centre of its bottom disc) up ``height``."""
    bx, by, bz = base
    h = height / 2
    r1, r2 = r_bottom, r_top
    k2x, k2y = r2 - r1, 2 * h
    k2_len2 = k2x * k2x + k2y * k2y

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        qx = _len2(x - bx, z - bz)
        qy = y - (by + h)
        rad = torch.where(qy < 0, r1, r2).to(qx.dtype)
        cax = qx - torch.minimum(qx, rad)
        cay = qy.abs() - h
        t = (((r2 - qx) * k2x + (h - qy) * k2y) / k2_len2).clamp_(0.0, 1.0)
        cbx = qx - r2 + k2x * t
        cby = qy - h + k2y * t
        neg = (cbx < 0) & (cay < 0)
        d = torch.sqrt(torch.minimum(cax * cax + cay * cay, cbx * cbx + cby * cby))
        return torch.where(neg, -d, d)

    r = max(r1, r2)
    return Node(fn, (bx - r, by, bz - r), (bx + r, by + height, bz + r))


def capsule(a: Vec3, b: Vec3, radius: float) -> Node:
    """Capsule around the segment ``a``-``b``."""
    ax, ay, az = a
    dx, dy, dz = b[0] - ax, b[1] - ay, b[2] - az
    dd = max(dx * dx + dy * dy + dz * dz, 1e-12)

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        px, py, pz = x - ax, y - ay, z - az
        t = ((px * dx + py * dy + pz * dz) / dd).clamp_(0.0, 1.0)
        return _len3(px - dx * t, py - dy * t, pz - dz * t).sub_(radius)

    lo = [min(a[i], b[i]) - radius for i in range(3)]
    hi = [max(a[i], b[i]) + radius for i in range(3)]
    return Node(fn, lo, hi)


def torus(center: Vec3, major: float, minor: float, axis: str = "y") -> Node:
    """Torus whose ring lies in the plane normal to ``axis``."""
    a, b, c = _axes(axis)
    ca, cb, cc = center[a], center[b], center[c]

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        q = (x, y, z)
        ring = _len2(q[b] - cb, q[c] - cc).sub_(major)
        return _len2(ring, q[a] - ca).sub_(minor)

    lo, hi = list(center), list(center)
    for i in range(3):
        ext = minor if i == a else major + minor
        lo[i] -= ext
        hi[i] += ext
    return Node(fn, lo, hi)


def ellipsoid(center: Vec3, radii: Vec3) -> Node:
    """Ellipsoid; the bound (|p/r| - 1) * min(r) is 1-Lipschitz and exact on the surface."""
    cx, cy, cz = center
    rx, ry, rz = radii
    rmin = min(radii)

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return _len3((x - cx) / rx, (y - cy) / ry, (z - cz) / rz).sub_(1.0).mul_(rmin)

    return Node(fn, (cx - rx, cy - ry, cz - rz), (cx + rx, cy + ry, cz + rz))


def gable(center_base: Vec3, half_span: float, half_len: float, height: float, ridge: str = "z") -> Node:
    """Triangular prism (a gable roof) standing on ``center_base``, ridge along ``ridge`` (x or z).

    ``half_span`` is the half width across the ridge, ``half_len`` the half length along it.
    """
    cx, cy, cz = center_base
    n = math.hypot(height, half_span)
    sx, sy = height / n, half_span / n
    across, along = (0, 2) if ridge == "z" else (2, 0)
    c_across, c_along = center_base[across], center_base[along]

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        q = (x, y, z)
        yy = y - cy
        slope = (q[across] - c_across).abs_().mul_(sx).add_(yy * sy).sub_(half_span * sx)
        ends = (q[along] - c_along).abs_().sub_(half_len)
        return torch.maximum(torch.maximum(slope, yy.neg_()), ends)

    half = [0.0, 0.0, 0.0]
    half[across], half[along] = half_span, half_len
    return Node(fn, (cx - half[0], cy, cz - half[2]), (cx + half[0], cy + height, cz + half[2]))


def pyramid(center_base: Vec3, half_x: float, half_z: float, height: float) -> Node:
    """Four-sided pyramid (a hip roof or tent) standing on ``center_base``."""
    cx, cy, cz = center_base
    nx = math.hypot(height, half_x)
    nz = math.hypot(height, half_z)

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        yy = y - cy
        fx = (x - cx).abs_().mul_(height / nx).add_(yy * (half_x / nx)).sub_(height * half_x / nx)
        fz = (z - cz).abs_().mul_(height / nz).add_(yy * (half_z / nz)).sub_(height * half_z / nz)
        return torch.maximum(torch.maximum(fx, fz), yy.neg_())

    return Node(fn, (cx - half_x, cy, cz - half_z), (cx + half_x, cy + height, cz + half_z))


def polytope(normals: Sequence[Vec3], offsets: Sequence[float], lo: Vec3, hi: Vec3) -> Node:
    """Convex solid ``dot(n_i, p) <= d_i`` for unit normals; ``lo..hi`` must enclose it."""
    unit = []
    for n in normals:
        length = math.sqrt(sum(c * c for c in n))
        unit.append(tuple(c / length for c in n))
    planes = list(zip(unit, offsets))

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        out = None
        for (nx, ny, nz), d in planes:
            f = (x * nx).add_(y * ny).add_(z * nz).sub_(d)
            out = f if out is None else torch.maximum(out, f, out=out)
        return out

    return Node(fn, lo, hi)


def bulged_cylinder(base: Vec3, radius: float, bulge: float, height: float) -> Node:
    """Vertical barrel: radius grows by ``bulge`` at mid height (parabolic profile).

    The radial term has slope |r'(y)| <= 4 * bulge / height along y, so it is
    divided by sqrt(1 + slope^2) to stay 1-Lipschitz.
    """
    bx, by, bz = base
    h = height / 2
    slope = 4 * bulge / height
    scale = 1.0 / math.sqrt(1.0 + slope * slope)

    def fn(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        yy = y - (by + h)
        t = (yy / h).clamp_(-1.0, 1.0)
        r = (1.0 - t * t).mul_(bulge).add_(radius)
        radial = (_len2(x - bx, z - bz) - r).mul_(scale)
        return _box2(radial, yy.abs_().sub_(h))

    r = radius + bulge
    return Node(fn, (bx - r, by, bz - r), (bx + r, by + height, bz + r))


# ---------------------------------------------------------------- operators


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


def rotate(a: Node, yaw_deg: float = 0.0, pitch_deg: float = 0.0, roll_deg: float = 0.0, pivot: Vec3 = (0.0, 0.0, 0.0)) -> Node:
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

    corners = [
        (x, y, z) for x in (a.lo[0], a.hi[0]) for y in (a.lo[1], a.hi[1]) for z in (a.lo[2], a.hi[2])
    ]
    moved = [
        tuple(sum(m[i][j] * (c[j] - pivot[j]) for j in range(3)) + pivot[i] for i in range(3)) for c in corners
    ]
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
