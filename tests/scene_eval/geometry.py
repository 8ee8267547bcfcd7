"""Plain geometry for the scorer: 2D hulls and distances, vertical lines through meshes, overlap volumes."""

from __future__ import annotations

import numpy as np


def hull2d(points: np.ndarray) -> np.ndarray:
    """Return the convex hull of 2D ``points`` counter-clockwise (monotone chain), (K, 2)."""
    pts = np.unique(np.round(np.asarray(points, dtype=float), 6), axis=0)
    if len(pts) <= 2:
        return pts
    pts = pts[np.lexsort((pts[:, 1], pts[:, 0]))]

    def half(seq: np.ndarray) -> list:
        out: list = []
        for p in seq:
            while len(out) >= 2:
                a, b = out[-2], out[-1]
                if (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) > 1e-12:
                    break
                out.pop()
            out.append(p)
        return out

    lower, upper = half(pts), half(pts[::-1])
    return np.array(lower[:-1] + upper[:-1])


def polygon_area(poly: np.ndarray) -> float:
    """Return the area of a simple polygon (shoelace)."""
    if len(poly) < 3:
        return 0.0
    x, z = poly[:, 0], poly[:, 1]
    return float(abs(np.dot(x, np.roll(z, -1)) - np.dot(z, np.roll(x, -1))) / 2)


def segment_distance(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return the distances (N, M) from 2D ``points`` (N, 2) to segments ``a``-``b`` (M, 2)."""
    p = np.asarray(points, dtype=float)[:, None, :]
    a, b = np.asarray(a, dtype=float)[None], np.asarray(b, dtype=float)[None]
    ab = b - a
    t = np.clip(np.sum((p - a) * ab, axis=-1) / np.maximum(np.sum(ab * ab, axis=-1), 1e-12), 0.0, 1.0)
    return np.linalg.norm(p - (a + t[..., None] * ab), axis=-1)


def inside_convex(points: np.ndarray, hull: np.ndarray, margin: float = 0.0) -> np.ndarray:
    """Return which 2D ``points`` lie inside the counter-clockwise convex ``hull`` grown by ``margin``."""
    points = np.atleast_2d(points)
    if len(hull) < 3:
        if not len(hull):
            return np.zeros(len(points), dtype=bool)
        edges = hull if len(hull) == 2 else np.repeat(hull, 2, axis=0)
        return segment_distance(points, edges[:1], edges[1:]).min(axis=1) <= margin
    a, b = hull, np.roll(hull, -1, axis=0)
    edge = b - a
    length = np.maximum(np.linalg.norm(edge, axis=1), 1e-12)
    cross = (
        edge[None, :, 0] * (points[:, None, 1] - a[None, :, 1])
        - edge[None, :, 1] * (points[:, None, 0] - a[None, :, 0])
    ) / length[None]
    return np.all(cross >= -margin, axis=1)


def hull_distance(h1: np.ndarray, h2: np.ndarray) -> float:
    """Return the gap between two convex 2D hulls (0 when they overlap)."""
    if inside_convex(h1, h2).any() or inside_convex(h2, h1).any():
        return 0.0
    e1 = (h1, np.roll(h1, -1, axis=0)) if len(h1) > 1 else (h1, h1)
    e2 = (h2, np.roll(h2, -1, axis=0)) if len(h2) > 1 else (h2, h2)
    d = min(segment_distance(h1, *e2).min(), segment_distance(h2, *e1).min())
    if len(h1) > 1 and len(h2) > 1 and _edges_cross(e1, e2):
        return 0.0
    return float(d)


def _edges_cross(e1: tuple, e2: tuple) -> bool:
    a, b = e1[0][:, None], e1[1][:, None]
    c, d = e2[0][None], e2[1][None]

    def orient(p, q, r):
        return (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1]) - (q[..., 1] - p[..., 1]) * (r[..., 0] - p[..., 0])

    o1, o2, o3, o4 = orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)
    return bool(np.any((o1 * o2 < 0) & (o3 * o4 < 0)))


def heights_at(triangles: np.ndarray, xz: np.ndarray) -> np.ndarray:
    """Return (N, T): the height where the vertical line through each ``xz`` meets each triangle, NaN where it misses."""
    xz = np.atleast_2d(np.asarray(xz, dtype=float))
    out = np.full((len(xz), len(triangles)), np.nan)
    if not len(triangles) or not len(xz):
        return out
    p0, p1, p2 = (triangles[:, i, [0, 2]] for i in range(3))
    v0, v1 = p1 - p0, p2 - p0
    den = v0[:, 0] * v1[:, 1] - v0[:, 1] * v1[:, 0]
    ok = np.abs(den) > 1e-12
    den = np.where(ok, den, 1.0)  # upright triangles: no vertical line meets them in a point
    for start in range(0, len(xz), 256):
        q = xz[start : start + 256, None, :] - p0[None]
        with np.errstate(divide="ignore", invalid="ignore"):
            u = (q[..., 0] * v1[None, :, 1] - q[..., 1] * v1[None, :, 0]) / den[None]
            v = (v0[None, :, 0] * q[..., 1] - v0[None, :, 1] * q[..., 0]) / den[None]
        hit = ok[None] & (u >= -1e-9) & (v >= -1e-9) & (u + v <= 1 + 1e-9)
        y = (
            triangles[None, :, 0, 1]
            + u * (triangles[None, :, 1, 1] - triangles[None, :, 0, 1])
            + v * (triangles[None, :, 2, 1] - triangles[None, :, 0, 1])
        )
        out[start : start + 256] = np.where(hit, y, np.nan)
    return out


def triangles_near(triangles: np.ndarray, lo: np.ndarray, hi: np.ndarray, pad: float = 0.0) -> np.ndarray:
    """Return the triangles whose x-z bounds meet the box [lo, hi] (x, z) grown by ``pad``."""
    if not len(triangles):
        return triangles
    tlo, thi = triangles[:, :, [0, 2]].min(axis=1), triangles[:, :, [0, 2]].max(axis=1)
    keep = np.all(thi >= np.asarray(lo) - pad, axis=1) & np.all(tlo <= np.asarray(hi) + pad, axis=1)
    return triangles[keep]


def polyline_frame(points: np.ndarray, line: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return, for 2D ``points``, the distance to the polyline ``line``, the side (+1 left, -1 right) and the arc length."""
    line = np.asarray(line, dtype=float)
    a, b = line[:-1], line[1:]
    d = segment_distance(points, a, b)
    seg = np.argmin(d, axis=1)
    ab = b[seg] - a[seg]
    rel = points - a[seg]
    t = np.clip(np.sum(rel * ab, axis=1) / np.maximum(np.sum(ab * ab, axis=1), 1e-12), 0, 1)
    cross = ab[:, 0] * rel[:, 1] - ab[:, 1] * rel[:, 0]
    lengths = np.concatenate([[0.0], np.cumsum(np.linalg.norm(b - a, axis=1))])
    along = lengths[seg] + t * np.linalg.norm(ab, axis=1)
    return d[np.arange(len(points)), seg], np.where(cross >= 0, 1, -1), along


def _weld(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the mesh with vertices at the same place (UV seams) joined and degenerate faces dropped."""
    key = np.round(vertices / 1e-5).astype(np.int64)
    uniq, inverse = np.unique(key, axis=0, return_inverse=True)
    faces = inverse.reshape(-1)[faces]
    keep = (faces[:, 0] != faces[:, 1]) & (faces[:, 1] != faces[:, 2]) & (faces[:, 0] != faces[:, 2])
    return uniq * 1e-5, faces[keep]


def solid(vertices: np.ndarray, faces: np.ndarray):
    """Return the mesh as an exact manifold3d solid, or None when it is not closed and manifold."""
    import manifold3d

    if not len(faces):
        return None
    v, f = _weld(vertices, faces)
    try:
        m = manifold3d.Manifold(manifold3d.Mesh(vert_properties=v.astype(np.float32), tri_verts=f.astype(np.uint32)))
    except Exception:  # noqa: BLE001 - the constructor rejects some inputs outright
        return None
    return m if str(m.status()).endswith("NoError") and not m.is_empty() else None


def inside_fraction(triangles: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Return which 3D ``points`` are inside the closed mesh ``triangles`` (odd crossings of the line above)."""
    if not len(points):
        return np.zeros(0, dtype=bool)
    h = heights_at(triangles, points[:, [0, 2]])
    return (np.sum(h > points[:, 1:2], axis=1) % 2) == 1


def overlap_volume(
    a_vf: tuple, b_vf: tuple, lo: np.ndarray, hi: np.ndarray, cache: dict | None = None, keys: tuple = (None, None)
) -> float:
    """Return the volume shared by two meshes: exact (manifold3d) when both are closed, else sampled in [lo, hi]."""
    cache = {} if cache is None else cache
    solids = []
    for key, (v, f) in zip(keys, (a_vf, b_vf)):
        if key is not None and key in cache:
            solids.append(cache[key])
            continue
        s = solid(v, f)
        if key is not None:
            cache[key] = s
        solids.append(s)
    if solids[0] is not None and solids[1] is not None:
        return float((solids[0] ^ solids[1]).volume())
    n = 14  # a sampled estimate on a 14^3 grid over the boxes' overlap: parity of crossings above each point
    axes = [np.linspace(lo[i], hi[i], n + 2)[1:-1] for i in range(3)]
    pts = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
    ta, tb = (v[f] for v, f in (a_vf, b_vf))
    both = inside_fraction(ta, pts) & inside_fraction(tb, pts)
    return float(both.mean() * np.prod(np.asarray(hi) - np.asarray(lo)))
