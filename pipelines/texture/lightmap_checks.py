"""Lightmap checks: uv1 inside [0, 1], no overlapping triangles, charts at least the padding apart.

Rasterised at texel resolution: coverage of sample points by triangles (overlaps)
and conservative per-texel chart footprints (padding, diagonals included).
"""

from __future__ import annotations

import numpy as np


def lightmap_problems(
    uv: np.ndarray, indices: np.ndarray, resolution: int, padding_texels: int, *, charts: np.ndarray
) -> list[str]:
    """Return what breaks the lightmap rules (empty when uv is a valid lightmap)."""
    problems = []
    if not (np.all(uv >= 0.0) and np.all(uv <= 1.0)):
        problems.append("uv1 leaves [0, 1]")
    faces = indices.astype(np.int64)
    covered = _sample_coverage(uv, faces, 2 * resolution)
    if covered.max(initial=0) > 1:
        problems.append(f"{int((covered > 1).sum())} texel samples covered by more than one triangle")
    near = _too_close(chart_footprints(uv, faces, charts, resolution), padding_texels)
    if near:
        problems.append(f"{near} texels where different charts are closer than {padding_texels} texels")
    return problems


def _sample_coverage(uv: np.ndarray, faces: np.ndarray, size: int) -> np.ndarray:
    """Return, per sample at texel centres of a ``size``² grid, how many triangles strictly contain it."""
    t = uv.astype(np.float64)[faces] * size - 0.5  # sample (i, j) sits at integer coordinates
    count = np.zeros(size * size, dtype=np.int32)
    ids, px, py = _candidates(t, size, conservative=False)
    if len(ids) == 0:
        return count.reshape(size, size)
    a, b, c = t[ids, 0], t[ids, 1], t[ids, 2]
    area = _cross2(b - a, c - a)
    p = np.stack([px, py], axis=1).astype(np.float64)
    w0, w1, w2 = _cross2(c - b, p - b), _cross2(a - c, p - c), _cross2(b - a, p - a)
    sign = np.sign(area)
    eps = 1e-9 * np.abs(area)
    inside = (area != 0) & (w0 * sign > eps) & (w1 * sign > eps) & (w2 * sign > eps)
    np.add.at(count, (py * size + px)[inside], 1)
    return count.reshape(size, size)


def chart_footprints(uv: np.ndarray, faces: np.ndarray, charts: np.ndarray, size: int) -> np.ndarray:
    """Return per texel the chart whose triangles touch it (-1 none, -2 two or more charts)."""
    t = uv.astype(np.float64)[faces] * size
    owner = np.full(size * size, -1, dtype=np.int64)
    # Triangles without area in uv cover no texel (and park where they do no harm).
    t = t[_cross2(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]) != 0]
    charts = charts[_cross2(uv[faces[:, 1]] - uv[faces[:, 0]], uv[faces[:, 2]] - uv[faces[:, 0]]) != 0]
    ids, px, py = _candidates(t, size, conservative=True)
    if len(ids) == 0:
        return owner.reshape(size, size)
    touch = _triangle_touches_box(t[ids], px.astype(np.float64), py.astype(np.float64))
    cell = (py * size + px)[touch]
    chart = charts[ids[touch]]
    lo = np.full(size * size, np.iinfo(np.int64).max)
    hi = np.full(size * size, -1)
    np.minimum.at(lo, cell, chart)
    np.maximum.at(hi, cell, chart)
    hit = hi >= 0
    owner[hit] = np.where(lo[hit] == hi[hit], hi[hit], -2)
    return owner.reshape(size, size)


def _too_close(owner: np.ndarray, padding: int) -> int:
    """Return how many texels have a texel of another chart within ``padding`` texels (Chebyshev).

    Two charts pass when at least ``padding`` empty texels separate their
    footprints in every direction, diagonals included (bilinear taps reach the
    8 neighbours).
    """
    size = owner.shape[0]
    count = int((owner == -2).sum())
    padded = np.pad(owner, padding, constant_values=-1)
    mine = owner >= 0
    for dy in range(-padding, padding + 1):
        for dx in range(-padding, padding + 1):
            if dx == 0 and dy == 0:
                continue
            other = padded[padding + dy : padding + dy + size, padding + dx : padding + dx + size]
            count += int((mine & (other >= 0) & (other != owner)).sum())
    return count


def _candidates(t: np.ndarray, size: int, *, conservative: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (triangle, x, y) for every texel (or sample) in each triangle's bounding box."""
    lo, hi = t.min(axis=1), t.max(axis=1)
    if conservative:  # texel (x, y) spans [x, x+1) x [y, y+1)
        x0, y0 = np.floor(lo[:, 0]), np.floor(lo[:, 1])
        x1, y1 = np.floor(hi[:, 0]), np.floor(hi[:, 1])
    else:  # sample (x, y) sits at integer coordinates
        x0, y0 = np.ceil(lo[:, 0]), np.ceil(lo[:, 1])
        x1, y1 = np.floor(hi[:, 0]), np.floor(hi[:, 1])
    x0, y0 = np.clip(x0, 0, size - 1).astype(np.int64), np.clip(y0, 0, size - 1).astype(np.int64)
    x1, y1 = np.clip(x1, -1, size - 1).astype(np.int64), np.clip(y1, -1, size - 1).astype(np.int64)
    nx, ny = np.maximum(x1 - x0 + 1, 0), np.maximum(y1 - y0 + 1, 0)
    count = nx * ny
    ids = np.repeat(np.arange(len(t)), count)
    off = np.arange(len(ids)) - np.repeat(np.cumsum(count) - count, count)
    nxi = np.maximum(nx[ids], 1)
    return ids, x0[ids] + off % nxi, y0[ids] + off // nxi


def _triangle_touches_box(tri: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return whether each triangle [N,3,2] touches the unit box at (x, y) (separating axis test)."""
    box = np.stack([x, y], axis=1)
    hit = np.ones(len(tri), dtype=bool)
    # Touching a texel's border is not covering it: the box shrinks by a hair.
    lo, hi = box + 1e-6, box + (1 - 1e-6)
    hit &= (tri[:, :, 0].max(axis=1) > lo[:, 0]) & (tri[:, :, 0].min(axis=1) < hi[:, 0])
    hit &= (tri[:, :, 1].max(axis=1) > lo[:, 1]) & (tri[:, :, 1].min(axis=1) < hi[:, 1])
    corners = np.stack([lo, np.stack([hi[:, 0], lo[:, 1]], 1), np.stack([lo[:, 0], hi[:, 1]], 1), hi], axis=1)
    for k in range(3):
        e = tri[:, (k + 1) % 3] - tri[:, k]
        n = np.stack([-e[:, 1], e[:, 0]], axis=1)
        tri_p = np.einsum("nkd,nd->nk", tri, n)
        box_p = np.einsum("nkd,nd->nk", corners, n)
        hit &= ~((box_p.max(axis=1) < tri_p.min(axis=1)) | (box_p.min(axis=1) > tri_p.max(axis=1)))
    return hit


def _cross2(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
