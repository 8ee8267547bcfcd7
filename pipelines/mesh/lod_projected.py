"""Projected LOD levels: LOD0 decimated freely, each new triangle's attributes projected from one LOD0 chart.

See ``lod.py``'s docstring: used once seams stop the seam-exact levels; uv0 stays
inside LOD0's charts, but seams are approximate.
"""

from __future__ import annotations

import fast_simplification
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from exporters.asset import MeshData
from pipelines.mesh.lod_seams import SeamAwareDecimator
from pipelines.mesh.topology import is_closed_mesh, weld


def projected_level(lod0: MeshData, surface: ChartSurface, target: int, closed: bool) -> tuple[MeshData, int] | None:
    """Return (LOD0 decimated to ``target``, attributes projected from LOD0; faces folded in UV), or None.

    Each new triangle takes the chart of the LOD0 triangle nearest its centroid;
    each of its corners gets uv0 (and normals, uv1, ...) from the closest point
    *of that chart*, so a triangle never spans two islands of the atlas. A
    triangle that crosses a seam therefore stretches its chart's border texels
    over the part that lay in the neighbouring chart: seams are approximate.
    """
    shape = _free_decimation(surface.welded_pos, surface.welded_faces, target, closed)
    if shape is None:
        return None
    pos, faces = shape
    face_chart, folded = surface.choose_charts(pos, faces)
    n_charts = int(surface.charts.max()) + 1
    pairs, inverse = np.unique(faces * n_charts + face_chart[:, None], return_inverse=True)
    vert, chart = pairs // n_charts, pairs % n_charts
    src_face, bary = surface.project(pos[vert], chart)
    corners = lod0.indices.astype(np.int64)[src_face]

    def lerp(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else (a[corners] * bary[:, :, None]).sum(axis=1)

    normals = lerp(lod0.normals)
    if normals is not None:
        normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
    tangents = lerp(lod0.tangents)
    if tangents is not None and normals is not None:
        t = tangents[:, :3] - normals * (tangents[:, :3] * normals).sum(axis=1, keepdims=True)
        tangents[:, :3] = t / np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-12)
        tangents[:, 3] = np.where(tangents[:, 3] < 0, -1.0, 1.0)
    out = MeshData(
        positions=pos[vert],
        indices=inverse.reshape(-1, 3),
        normals=normals,
        uv0=lerp(lod0.uv0),
        uv1=lerp(lod0.uv1),
        tangents=tangents,
        colors=lerp(lod0.colors),
    )
    return out, folded


def _free_decimation(
    wpos: np.ndarray, wfaces: np.ndarray, target: int, closed: bool
) -> tuple[np.ndarray, np.ndarray] | None:
    """Return (positions, faces) of the welded mesh decimated to at most ``target`` faces, or None.

    fast_simplification first (quadric-optimal placement). It does not check the
    link condition, so on thin parts it can pinch a closed surface open; then
    the half-edge decimator above, on the welded mesh without attributes (no
    seams, only the link condition), keeps it closed.
    """
    lo, hi = wpos.min(axis=0), wpos.max(axis=0)
    size = max(float(np.linalg.norm(hi - lo)), 1e-12)
    unit = (wpos - (lo + hi) / 2) / size
    # An open surface (terrain) first keeps its whole outline; fast_simplification otherwise
    # moves border vertices only along the border, to an endpoint or the midpoint.
    attempts = [(7.0, False), (4.0, False)]
    if not closed:
        attempts.insert(0, (7.0, True))
    for agg, keep_border in attempts:
        pts, faces = fast_simplification.simplify(
            unit, wfaces, target_count=target, agg=agg, preserve_border=keep_border
        )
        faces = np.asarray(faces, dtype=np.int64).reshape(-1, 3)
        if 0 < len(faces) <= target:
            pos = np.asarray(pts, dtype=np.float64) * size + (lo + hi) / 2
            if not closed or is_closed_mesh(MeshData(pos, faces)):
                return pos, faces
    dec = SeamAwareDecimator(MeshData(wpos, wfaces))
    if not dec.reduce_to(target):
        return None
    out = dec.mesh()
    return out.positions.astype(np.float64), out.indices.astype(np.int64)


class ChartSurface:
    """LOD0's triangles with their chart ids, for closest-point queries restricted to one chart."""

    def __init__(self, mesh: MeshData) -> None:
        faces = mesh.indices.astype(np.int64)
        uniq, wid = weld(mesh.positions)
        self.welded_pos = uniq.astype(np.float64)
        self.welded_faces = wid.reshape(-1)[faces]
        n = mesh.vertex_count
        graph = coo_matrix((np.ones(faces.size), (np.repeat(faces[:, 0], 3), faces.reshape(-1))), shape=(n, n))
        _, vertex_chart = connected_components(graph, directed=False)
        self.charts = vertex_chart[faces[:, 0]]
        self.tri = mesh.positions.astype(np.float64)[faces]
        centroid = self.tri.mean(axis=1)
        lo, hi = mesh.bounds()
        self.gap = 4.0 * float(np.linalg.norm(hi - lo)) + 1.0  # charts sit this far apart in the 4th coordinate
        self.tree = cKDTree(np.concatenate([centroid, self.charts[:, None] * self.gap], axis=1))
        self.tree3 = cKDTree(centroid)
        # uv0 corners per face and each chart's orientation in uv0 (+1 counter-clockwise, -1 mirrored)
        # Each UV set's corners per face, and each chart's orientation in it (+1 CCW, -1 mirrored).
        self.uvs = [uv.astype(np.float64)[faces] for uv in (mesh.uv0, mesh.uv1) if uv is not None]
        self.orientation = []
        for uv in self.uvs:
            e1, e2 = uv[:, 1] - uv[:, 0], uv[:, 2] - uv[:, 0]
            signed = e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]
            self.orientation.append(np.where(np.bincount(self.charts, weights=signed) < 0, -1.0, 1.0))

    def choose_charts(self, pos: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, int]:
        """Return (a chart per new face, how many faces still fold in some UV set).

        The chart under the face's centroid comes first; a triangle across a seam gets
        corners clamped to that chart's border, which can fold it in UV, so the charts
        under its corners are tried next, keeping the first that folds it in no UV set.
        """
        points = np.concatenate([pos[faces].mean(axis=1), pos[faces[:, 0]], pos[faces[:, 1]], pos[faces[:, 2]]])
        cand = self.charts[self.project(points, k=6)[0]].reshape(4, -1).T  # [F, 4]
        chosen = cand[:, 0].copy()
        if not self.uvs:
            return chosen, 0
        tri = pos[faces]
        todo = np.flatnonzero(np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1) > 0)
        for j in range(4):  # a triangle without area shows nothing, folded or not: never todo
            if len(todo) == 0:
                break
            charts = cand[todo, j]
            src, bary = self.project(pos[faces[todo]].reshape(-1, 3), np.repeat(charts, 3))
            good = np.ones(len(todo), dtype=bool)
            for uv_faces, orientation in zip(self.uvs, self.orientation):
                uv = (uv_faces[src] * bary[:, :, None]).sum(axis=1).reshape(-1, 3, 2)
                e1, e2 = uv[:, 1] - uv[:, 0], uv[:, 2] - uv[:, 0]
                good &= (e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]) * orientation[charts] > 0
            chosen[todo[good]] = charts[good]
            todo = todo[~good]
        return chosen, len(todo)

    def project(
        self, points: np.ndarray, charts: np.ndarray | None = None, k: int = 12
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return (LOD0 face, barycentric weights [N,3]) of the closest point to each point (in its chart)."""
        k = min(k, len(self.tri))
        if charts is None:
            _, cand = self.tree3.query(points, k=k)
        else:
            _, cand = self.tree.query(np.concatenate([points, charts[:, None] * self.gap], axis=1), k=k)
        cand = cand.reshape(len(points), k)
        tri = self.tri[cand]  # [N, k, 3, 3]
        p = np.broadcast_to(points[:, None, :], cand.shape + (3,))
        bary = _closest_barycentric(p, tri[..., 0, :], tri[..., 1, :], tri[..., 2, :])
        closest = np.einsum("nkj,nkjd->nkd", bary, tri)
        dist = np.linalg.norm(closest - p, axis=-1)
        if charts is not None:
            dist = np.where(self.charts[cand] == charts[:, None], dist, np.inf)
        best = np.argmin(dist, axis=1)
        rows = np.arange(len(points))
        return cand[rows, best], bary[rows, best]


def _closest_barycentric(p: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Return barycentric weights [..., 3] of the point of triangle abc closest to p (Ericson, 5.1.5)."""

    def dot(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return (x * y).sum(axis=-1)

    ab, ac = b - a, c - a
    d1, d2 = dot(ab, p - a), dot(ac, p - a)
    d3, d4 = dot(ab, p - b), dot(ac, p - b)
    d5, d6 = dot(ab, p - c), dot(ac, p - c)
    va, vb, vc = d3 * d6 - d5 * d4, d5 * d2 - d1 * d6, d1 * d4 - d3 * d2
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = va + vb + vc
        v, w = vb / denom, vc / denom
        out = np.stack([1.0 - v - w, v, w], axis=-1)
        t_bc = (d4 - d3) / ((d4 - d3) + (d5 - d6))
        t_ac = d2 / (d2 - d6)
        t_ab = d1 / (d1 - d3)
    zero = np.zeros_like(d1)
    regions = [  # later entries win, so this is Ericson's order reversed
        ((va <= 0) & (d4 - d3 >= 0) & (d5 - d6 >= 0), np.stack([zero, 1.0 - t_bc, t_bc], axis=-1)),
        ((vb <= 0) & (d2 >= 0) & (d6 <= 0), np.stack([1.0 - t_ac, zero, t_ac], axis=-1)),
        ((d6 >= 0) & (d5 <= d6), np.stack([zero, zero, zero + 1.0], axis=-1)),
        ((vc <= 0) & (d1 >= 0) & (d3 <= 0), np.stack([1.0 - t_ab, t_ab, zero], axis=-1)),
        ((d3 >= 0) & (d4 <= d3), np.stack([zero, zero + 1.0, zero], axis=-1)),
        ((d1 <= 0) & (d2 <= 0), np.stack([zero + 1.0, zero, zero], axis=-1)),
    ]
    for mask, value in regions:
        out = np.where(mask[..., None], value, out)
    bad = ~np.isfinite(out).all(axis=-1)
    return np.where(bad[..., None], 1.0 / 3.0, out)
