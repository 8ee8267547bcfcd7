"""Lightmap UVs that always fit: charts packed as boxes on shelves, never overlapping.

``lightmap.lightmap_uvs`` packs uv0's charts with xatlas at a padding that
bilinear filtering needs; a rebuilt surface with topological noise (thousands
of tiny charts) can defeat it at every resolution. Engines bake garbage into
overlapping lightmap UVs, so uv1 must still never overlap; this module gives
the layout that guarantees it, at some cost in texel use.

Each chart (uv0's, rescaled to the same texels per meter, as the xatlas path
does) is turned so it is wider than tall and put in its own box on a shelf:
the box is the chart's extent rounded up to whole texels plus one texel plus
the padding, and the chart sits half a texel inside it, so the texels two
charts touch are at least ``padding`` texels apart and their triangles can
never meet. The largest scale at which the shelves fit one square atlas is
found by bisection; the padding shrinks (to 0, charts then only touch
texels, never overlap) before the charts would fall under a texel.

Where uv0's charts fold or overlap themselves (which is why a chart cannot be
moved as a whole), every triangle becomes its own chart, laid out flat from
its 3D shape; its vertices are split (one vertex buffer: every attribute goes
with them). The result is checked with ``lightmap_problems`` either way.
"""

from __future__ import annotations

import math

import numpy as np

from exporters.asset import MeshData
from pipelines.texture.lightmap_checks import lightmap_problems

_BISECT = 24  # scale steps: ~1e-7 of the range, well past a texel
_GAP = 0.01  # texels between boxes when no padding is left (survives float32 uv up to 8192²)


def shelf_lightmap(
    mesh: MeshData, charts: tuple[np.ndarray, np.ndarray] | None, resolution: int, padding: int
) -> MeshData:
    """Return ``mesh`` with a uv1 whose charts never overlap, ``padding`` texels apart where they fit.

    ``charts`` is (uv in texels at uniform density per vertex, chart per vertex)
    for uv0's charts, or None when uv0 cannot be moved chart by chart; the
    triangles are then charts of their own (their vertices split).
    """
    if charts is not None:
        local, vchart = charts
        uv1 = _place(local, vchart, resolution, padding)
        if uv1 is not None:
            out = _with_uv1(mesh, uv1)
            if not _overlaps(out, vchart, resolution):
                return out
    split = _split_triangles(mesh)
    local, vchart = _flat_triangles(split)
    uv1 = _place(local, vchart, resolution, padding)
    assert uv1 is not None, "a triangle per chart always fits at some padding"
    return _with_uv1(split, uv1)


def _place(local: np.ndarray, vchart: np.ndarray, resolution: int, padding: int) -> np.ndarray | None:
    """Return uv1 in [0, 1] with each chart in its own shelf box, or None if none fits."""
    n = int(vchart.max()) + 1
    lo = np.full((n, 2), np.inf)
    hi = np.full((n, 2), -np.inf)
    np.minimum.at(lo, vchart, local)
    np.maximum.at(hi, vchart, local)
    rel = local - lo[vchart]
    size = hi - lo
    turn = size[:, 1] > size[:, 0]  # wider than tall: shelves waste less
    rel = np.where(turn[vchart][:, None], rel[:, ::-1], rel)
    size = np.where(turn[:, None], size[:, ::-1], size)
    order = np.lexsort((np.arange(n), -size[:, 1]))  # tallest first; ties keep chart order
    for pad in range(padding, -1, -1):
        scale = _largest_scale(size[order], resolution, pad)
        if scale is None:
            continue
        corner = _shelves(size[order] * scale, resolution, pad)
        assert corner is not None
        origin = np.zeros((n, 2))
        origin[order] = corner
        inset = pad + 0.5 if pad else 0.5 * _GAP
        uv = (origin[vchart] + inset + rel * scale) / resolution
        return np.clip(uv, 0.0, 1.0)
    return None


def _largest_scale(size: np.ndarray, resolution: int, pad: int) -> float | None:
    """Return the largest scale at which boxes of ``size`` (tallest first) fit on shelves, or None."""
    longest = float(size.max())
    if longest <= 0:
        return 1.0 if _shelves(size, resolution, pad) is not None else None
    lo, hi = 0.0, resolution / longest
    if _shelves(size * hi, resolution, pad) is not None:
        return hi
    for _ in range(_BISECT):
        mid = 0.5 * (lo + hi)
        if _shelves(size * mid, resolution, pad) is not None:
            lo = mid
        else:
            hi = mid
    # Below a texel for the biggest chart, less padding packs better than a smaller chart.
    if pad and lo * longest < 1.0:
        return None
    return lo if lo > 0 else None


def _shelves(size: np.ndarray, resolution: int, pad: int) -> np.ndarray | None:
    """Return each box's corner (texels) for charts of ``size`` texels (tallest first), or None if they overflow.

    With padding, boxes are whole texels: the chart's texels, one more for its
    half-texel inset, and ``pad``; the texels two charts touch are then ``pad``
    apart. Without, boxes are the charts plus ``_GAP`` (they may share texels, never area).
    """
    if pad:
        box = np.ceil(size - 1e-9) + 1 + pad
        end = float(pad)
    else:
        box = size + _GAP
        end = 0.0
    if len(box) and float(box[:, 0].max()) + end > resolution:
        return None
    corner = []
    x = y = shelf = 0.0
    limit = resolution - end
    for w, h in box.tolist():  # plain floats: this loop runs ~25 times per padding
        if x + w > limit:  # the shelf is full: start the next one under it
            x, y, shelf = 0.0, y + shelf, 0.0
            if y > limit:
                return None
        corner.append((x, y))
        x += w
        shelf = max(shelf, h)
    if y + shelf > limit:
        return None
    return np.array(corner, dtype=np.float64).reshape(-1, 2)


def _overlaps(mesh: MeshData, vchart: np.ndarray, resolution: int) -> bool:
    """Return whether uv1 breaks a lightmap rule other than padding (overlap, outside [0, 1])."""
    assert mesh.uv1 is not None
    faces = mesh.indices.astype(np.int64)
    charts = vchart[faces[:, 0]]
    tri = mesh.uv1.astype(np.float64)[faces]
    e1, e2 = tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    area = 0.5 * np.abs(e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0])
    n = int(charts.max()) + 1
    lo, hi = np.full((n, 2), np.inf), np.full((n, 2), -np.inf)
    np.minimum.at(lo, charts, tri.min(axis=1))
    np.maximum.at(hi, charts, tri.max(axis=1))
    if np.any(np.bincount(charts, area, n) > np.prod(hi - lo, axis=1) * (1 + 1e-6) + 1e-12):
        return True  # more area than room: charts are stacked on themselves (cheap, before rasterising)
    return any(
        "padding" not in p and "closer than" not in p
        for p in lightmap_problems(mesh.uv1, mesh.indices, resolution, 0, charts=charts)
    )


def _split_triangles(mesh: MeshData) -> MeshData:
    """Return ``mesh`` with three vertices of its own per triangle (every attribute split with them)."""
    corners = mesh.indices.astype(np.int64).reshape(-1)

    def take(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else a[corners]

    return MeshData(
        positions=mesh.positions[corners],
        indices=np.arange(len(corners), dtype=np.uint32).reshape(-1, 3),
        normals=take(mesh.normals),
        uv0=take(mesh.uv0),
        tangents=take(mesh.tangents),
        colors=take(mesh.colors),
    )


def _flat_triangles(mesh: MeshData) -> tuple[np.ndarray, np.ndarray]:
    """Return (each split triangle laid flat, in units of the same texels per meter; its chart per vertex)."""
    p = mesh.positions.astype(np.float64).reshape(-1, 3, 3)
    e1, e2 = p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]
    len1 = np.linalg.norm(e1, axis=1)
    x_axis = e1 / np.maximum(len1, 1e-30)[:, None]
    along = (e2 * x_axis).sum(axis=1)
    across = np.linalg.norm(e2 - along[:, None] * x_axis, axis=1)
    flat = np.zeros((len(p), 3, 2))
    flat[:, 1, 0] = len1
    flat[:, 2] = np.stack([along, across], axis=1)
    total = float(0.5 * (len1 * across).sum())
    flat *= 1.0 / math.sqrt(max(total, 1e-30))  # only relative sizes matter: the packer scales
    return flat.reshape(-1, 2), np.repeat(np.arange(len(p)), 3)


def _with_uv1(mesh: MeshData, uv1: np.ndarray) -> MeshData:
    return MeshData(
        positions=mesh.positions,
        indices=mesh.indices,
        normals=mesh.normals,
        uv0=mesh.uv0,
        uv1=uv1.astype(np.float32),
        tangents=mesh.tangents,
        colors=mesh.colors,
    )
