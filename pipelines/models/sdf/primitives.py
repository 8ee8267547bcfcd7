"""Signed-distance primitives (sphere, box, cylinder, cone, gable, ...), each exact or a 1-Lipschitz bound."""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from pipelines.models.sdf.core import Node, Vec3, _box2, _len2, _len3


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
