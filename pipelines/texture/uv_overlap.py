"""An exact check that a UV set has no overlapping triangles (lightmap UVs must never overlap).

Unlike the rasterised checks (``lightmap_checks``: samples at twice the
lightmap resolution), no overlap is too thin to see: candidate pairs come from
a grid of bounding boxes, and each pair is tested by the separating-axis
theorem on the six edge normals, so two triangles overlap when their
interiors share any area at all; triangles that only share an edge or a
corner (within ``tol`` uv units) do not. The LOD stage uses it on levels whose
uv1 came from LOD0 (projection can fold them), the tests on written files.
"""

from __future__ import annotations

import numpy as np


def overlapping_pairs(uv: np.ndarray, faces: np.ndarray, tol: float = 1e-7) -> int:
    """Return how many pairs of triangles of ``faces`` overlap in ``uv`` (zero-area triangles cover nothing)."""
    tri = np.asarray(uv, np.float64)[np.asarray(faces, np.int64)]
    e1, e2 = tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    keep = np.flatnonzero(np.abs(e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]) > 1e-14)
    tri = tri[keep]
    lo, hi = tri.min(axis=1), tri.max(axis=1)
    a, b = _candidates(lo, hi)
    if len(a) == 0:
        return 0
    separated = np.zeros(len(a), dtype=bool)
    for owner in (tri[a], tri[b]):
        for k in range(3):
            edge = owner[:, (k + 1) % 3] - owner[:, k]
            normal = np.stack([-edge[:, 1], edge[:, 0]], axis=1)
            normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-300)
            pa = np.einsum("pvc,pc->pv", tri[a], normal)
            pb = np.einsum("pvc,pc->pv", tri[b], normal)
            separated |= (pa.max(axis=1) <= pb.min(axis=1) + tol) | (pb.max(axis=1) <= pa.min(axis=1) + tol)
    return int((~separated).sum())


def _candidates(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return index pairs (i < j) of triangles whose bounding boxes share a grid cell and overlap."""
    n = len(lo)
    cells = max(1, int(np.sqrt(n)))
    c0 = np.clip((lo * cells).astype(np.int64), 0, cells - 1)
    c1 = np.clip((hi * cells).astype(np.int64), 0, cells - 1)
    tris, keys = [], []
    for dx in range(int((c1 - c0)[:, 0].max()) + 1):
        for dy in range(int((c1 - c0)[:, 1].max()) + 1):
            inside = (c0[:, 0] + dx <= c1[:, 0]) & (c0[:, 1] + dy <= c1[:, 1])
            idx = np.flatnonzero(inside)
            tris.append(idx)
            keys.append((c0[idx, 0] + dx) * cells + c0[idx, 1] + dy)
    tri, key = np.concatenate(tris), np.concatenate(keys)
    order = np.lexsort((tri, key))
    tri, key = tri[order], key[order]
    # Every pair within a cell, vectorised: the triangle at sorted position p pairs with the ones
    # after it in its cell (a Python loop over cells took seconds per village build).
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(key)]
    pos = np.arange(len(key))
    count = np.repeat(ends, ends - starts) - pos - 1  # partners after each position in its cell
    total = int(count.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    first = np.repeat(pos, count)
    second = first + 1 + np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    pairs = np.unique(tri[first] * n + tri[second])  # (i, j) as one integer: the same order, a faster sort
    a, b = pairs // n, pairs % n
    touch = np.all(lo[a] <= hi[b], axis=1) & np.all(lo[b] <= hi[a], axis=1)
    return a[touch], b[touch]
