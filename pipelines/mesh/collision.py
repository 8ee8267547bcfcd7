"""Collision shapes per object: a few simplified convex hulls, or a coarse trimesh for terrain.

Objects: a cheap, deterministic approximate convex decomposition. The object's
vertices are split by planes, greedily: at each step the part whose best cut
removes the most empty hull volume (hull(part) - hull(left) - hull(right)) is
cut, until ``max_hulls`` parts or no cut removes at least 5% of the part's hull
(and 2% of the whole's). Candidate cuts are perpendicular to the local axes
and to the part's principal axes, at 7 positions across it (the best one then
refined to an eighth of a step). A convex object
(a crate, a gable house without eaves) stays one hull; a tree becomes trunk +
canopy. Edges that cross a cut add their crossing point to both sides, so the
hulls still cover the surface along the cut.

Each part's hull is then reduced to ``max_hull_vertices`` while still
containing the part: it is rebuilt as an intersection of support half-spaces
(every plane touches the part's extreme point in its direction, so nothing is
cut off), chosen greedily from the 26 k-DOP directions and the exact hull's
largest faces by how much volume each removes, as long as the result keeps
to the vertex limit. 32 vertices give at most 60 triangles (engines allow
255); faces are counter-clockwise seen from outside.

Containment: every visual vertex lies inside its part's hull up to
``CONTAINMENT_TOLERANCE`` x the mesh's bounds diagonal (float32 rounding of
the hull's vertices); the support planes are pushed out by half that.

Terrain (``kind == "terrain"``): the heightfield is resampled on a regular
grid of about ``terrain_resolution``² square cells spanning the terrain's x/z
bounds (so a rectangular terrain keeps its outline exactly): each node takes
the height of the topmost surface above it, each cell becomes two
counter-clockwise (up-facing) triangles split along the diagonal whose
heights agree best. A room (``kind`` "room" or "interior": floor and walls, a
concave shell whose hull would fill it) gets its mesh decimated to about
``2 * terrain_resolution²`` triangles, kept as a trimesh.
"""

from __future__ import annotations

import math

import fast_simplification
import numpy as np
from scipy.spatial import ConvexHull, HalfspaceIntersection, QhullError

from exporters.asset import CollisionShape, MeshData
from exporters.errors import InputError
from pipelines.mesh.topology import weld

CONTAINMENT_TOLERANCE = 1e-4  # of the bounds diagonal
MAX_HULL_VERTICES_LIMIT = 128  # 2 * 128 - 4 = 252 triangles, inside PhysX's 255
_MIN_CUT_GAIN = 0.05  # of the part's hull volume
_MIN_CUT_GAIN_WHOLE = 0.02  # of the whole object's hull volume
_CUT_POSITIONS = np.linspace(0.125, 0.875, 7)
_EVAL_CELLS = 16  # cuts are scored on one point per cell of a 16^3 grid over the part
_EVAL_SEGMENTS = 6000  # and on where (up to) this many of its edges cross the cut
_MIN_THICKNESS = 0.01  # meters: flat parts (a rug, a sign) get this much depth


def collision_shapes(
    mesh: MeshData,
    kind: str,
    *,
    max_hulls: int = 4,
    max_hull_vertices: int = 32,
    terrain_resolution: int = 32,
) -> list[CollisionShape]:
    """Return the colliders of one object in its local frame: convex hulls, or one trimesh for terrain."""
    if max_hulls < 1:
        raise InputError(f"max_hulls must be at least 1, not {max_hulls}")
    if not 4 <= max_hull_vertices <= MAX_HULL_VERTICES_LIMIT:
        raise InputError(
            f"max_hull_vertices {max_hull_vertices} is out of range: use 4..{MAX_HULL_VERTICES_LIMIT} "
            "(engines take at most 255 triangles per convex hull)"
        )
    if terrain_resolution < 1:
        raise InputError(f"terrain_resolution must be at least 1, not {terrain_resolution}")
    if mesh.triangle_count == 0:
        return []
    if kind == "terrain":
        return [CollisionShape("trimesh", terrain_collider(mesh, terrain_resolution))]
    if kind in ("room", "interior"):
        return [CollisionShape("trimesh", _decimated_trimesh(mesh, 2 * terrain_resolution * terrain_resolution))]
    lo, hi = mesh.bounds()
    diag = max(float(np.linalg.norm(hi.astype(np.float64) - lo)), 1e-9)
    push = 0.5 * CONTAINMENT_TOLERANCE * diag
    parts = _decompose(_edges(mesh), max_hulls)
    return [CollisionShape("convex", _reduced_hull(part, max_hull_vertices, push)) for part in parts]


# -- convex decomposition -----------------------------------------------------------------


def _edges(mesh: MeshData) -> np.ndarray:
    """Return the mesh's unique edges as endpoint positions [E, 2, 3]."""
    f = mesh.indices.astype(np.int64)
    e = np.sort(np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]]), axis=1)
    n = max(mesh.vertex_count, 1)
    key = np.unique(e[:, 0] * n + e[:, 1])  # the rows' order (a, then b), as a 1-D unique
    return mesh.positions.astype(np.float64)[np.stack([key // n, key % n], axis=1)]


def _decompose(segments: np.ndarray, max_hulls: int) -> list[np.ndarray]:
    """Return the point sets of up to ``max_hulls`` convex-ish parts of the surface's edges.

    A part is the set of mesh edges clipped to its region, so the points where
    edges cross a cut belong to both sides and the hulls meet along the cut.
    """
    whole = _hull_volume(_spread_sample(segments.reshape(-1, 3), 4 * _EVAL_CELLS))
    parts = [segments]
    best: dict[int, tuple[float, np.ndarray, float]] = {}
    while len(parts) < max_hulls:
        for i, seg in enumerate(parts):
            if i not in best:
                best[i] = _best_cut(seg)
        i = max(range(len(parts)), key=lambda k: best[k][0])
        gain, normal, offset = best[i]
        part_volume = _hull_volume(_spread_sample(parts[i].reshape(-1, 3), 4 * _EVAL_CELLS))
        if gain <= 0.0 or gain < _MIN_CUT_GAIN * part_volume or gain < _MIN_CUT_GAIN_WHOLE * whole:
            break
        below, above = _clip(parts[i], normal, offset), _clip(parts[i], -normal, -offset)
        parts[i] = below
        parts.append(above)
        best.pop(i)
    return [np.unique(seg.reshape(-1, 3), axis=0) for seg in parts]


def _clip(segments: np.ndarray, normal: np.ndarray, offset: float) -> np.ndarray:
    """Return the segments clipped to the half-space normal.x <= offset."""
    s = segments @ normal - offset  # [E, 2]
    keep = (s <= 0).any(axis=1)
    seg, s = segments[keep].copy(), s[keep]
    for end in (0, 1):
        out = s[:, end] > 0
        t = (s[out, 1 - end] / (s[out, 1 - end] - s[out, end]))[:, None]
        seg[out, end] = seg[out, 1 - end] + t * (seg[out, end] - seg[out, 1 - end])
    return seg


def _best_cut(segments: np.ndarray) -> tuple[float, np.ndarray, float]:
    """Return (hull volume removed, normal, offset) of the best plane n.x = d across a part."""
    points = np.unique(segments.reshape(-1, 3), axis=0)
    if len(points) < 16:
        return (0.0, np.eye(3)[0], 0.0)
    sample = _spread_sample(points, _EVAL_CELLS)
    segments = segments[:: max(1, len(segments) // _EVAL_SEGMENTS)]  # enough to trace the cut's outline
    axes = [np.eye(3)[k] for k in range(3)]
    _, _, vt = np.linalg.svd(sample - sample.mean(axis=0), full_matrices=False)
    for axis in vt:
        axis = axis * (1.0 if axis[np.argmax(np.abs(axis))] > 0 else -1.0)  # sign-stable
        if all(abs(float(axis @ a)) < 0.95 for a in axes):
            axes.append(axis)

    def gain_at(axis: np.ndarray, d: float) -> float:
        proj = sample @ axis
        below, above = sample[proj <= d], sample[proj > d]
        if len(below) < 8 or len(above) < 8:
            return 0.0
        # Where the surface crosses the cut belongs to both sides (and to the whole).
        ends = segments @ axis  # [E, 2]
        cross = (ends[:, 0] <= d) != (ends[:, 1] <= d)
        w = ((d - ends[cross, 0]) / (ends[cross, 1] - ends[cross, 0]))[:, None]
        xs = _spread_sample(segments[cross, 0] + w * (segments[cross, 1] - segments[cross, 0]), _EVAL_CELLS)
        total = _hull_volume(np.concatenate([sample, xs]))
        return total - _hull_volume(np.concatenate([below, xs])) - _hull_volume(np.concatenate([above, xs]))

    best = (0.0, axes[0], 0.0, 0.0)  # gain, axis, offset, step
    for axis in axes:
        proj = sample @ axis
        lo, hi = float(proj.min()), float(proj.max())
        step = (hi - lo) * (_CUT_POSITIONS[1] - _CUT_POSITIONS[0])
        for t in _CUT_POSITIONS:
            d = lo + t * (hi - lo)
            gain = gain_at(axis, d)
            if gain > best[0]:
                best = (gain, axis, d, step)
    # Refine the winner: halve the step twice around it.
    gain, axis, d, step = best
    for _ in range(2):
        step /= 2
        for cand in (d - step, d + step):
            g = gain_at(axis, cand)
            if g > gain:
                gain, d = g, cand
    return gain, axis, d


def _spread_sample(points: np.ndarray, cells: int) -> np.ndarray:
    """Return one point per occupied cell of a ``cells``-per-side grid over ``points`` (first by order)."""
    if len(points) == 0:
        return points
    lo, hi = points.min(axis=0), points.max(axis=0)
    size = max(float((hi - lo).max()), 1e-12) / cells
    keys = np.floor((points - lo) / size).astype(np.int64)  # 0..cells on every axis
    base = cells + 1
    flat = (keys[:, 0] * base + keys[:, 1]) * base + keys[:, 2]  # one integer per cell: 1-D unique is ~5x faster
    _, first = np.unique(flat, return_index=True)
    return points[np.sort(first)]


def _hull_volume(points: np.ndarray) -> float:
    if len(points) < 4:
        return 0.0
    try:
        return float(ConvexHull(points).volume)
    except (QhullError, ValueError):
        return 0.0


# -- hull simplification --------------------------------------------------------------------


def _kdop_directions() -> np.ndarray:
    dirs = [np.array(v, dtype=np.float64) for v in np.ndindex(3, 3, 3)]
    dirs = [d - 1.0 for d in dirs if np.any(d != 1)]
    return np.array([d / np.linalg.norm(d) for d in dirs])


_KDOP26 = _kdop_directions()


def _reduced_hull(points: np.ndarray, max_vertices: int, push: float) -> MeshData:
    """Return a convex hull of ``points`` with at most ``max_vertices`` vertices that contains them all."""
    points = _thickened(points)
    hull = ConvexHull(points)
    if len(hull.vertices) <= max_vertices:
        return _hull_mesh(_merge_close(points[hull.vertices], push))
    hp = points[hull.vertices]
    # Candidate directions: the exact hull's largest faces (distinct by > ~8 degrees), then the 26-DOP.
    normals = hull.equations[:, :3]
    tri = points[hull.simplices]
    areas = np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    dirs = np.zeros((26 + 64, 3))
    dirs[:26] = _KDOP26
    count = 26
    for k in np.argsort(-areas, kind="stable"):
        if count == len(dirs):
            break
        if float((dirs[:count] @ normals[k]).max()) < 0.99:
            dirs[count] = normals[k]
            count += 1
    dirs = dirs[:count]
    support = (hp @ dirs.T).max(axis=0) + push
    if max_vertices >= 8:  # start from the axis-aligned box ...
        chosen = [i for i, d in enumerate(dirs[:26]) if np.count_nonzero(np.abs(d) > 1e-9) == 1]
    else:  # ... or, below 8 vertices, from a tetrahedron of alternate 26-DOP corners
        chosen = [i for i, d in enumerate(dirs[:26]) if np.count_nonzero(d) == 3 and np.prod(np.sign(d)) > 0]
    verts = _polytope(dirs[chosen], support[chosen], hp.mean(axis=0), push)
    # Volume samples: a regular lattice in the box, kept while inside the current polytope.
    lo, hi = verts.min(axis=0), verts.max(axis=0)
    g = (np.arange(16) + 0.5) / 16
    lattice = lo + (hi - lo) * np.stack(np.meshgrid(g, g, g, indexing="ij"), axis=-1).reshape(-1, 3)
    rejected: set[int] = set()
    while True:
        free = [i for i in range(len(dirs)) if i not in chosen and i not in rejected]
        if not free or len(lattice) == 0:
            break
        cut = ((lattice @ dirs[free].T) > support[free]).sum(axis=0)
        order = np.argsort(-cut, kind="stable")
        if cut[order[0]] < 0.002 * len(lattice):
            break
        i = free[int(order[0])]
        trial = _polytope(dirs[chosen + [i]], support[chosen + [i]], hp.mean(axis=0), push)
        if len(trial) > max_vertices:
            rejected.add(i)
            continue
        chosen.append(i)
        verts = trial
        lattice = lattice[lattice @ dirs[i] <= support[i]]
    return _hull_mesh(verts)


def _polytope(normals: np.ndarray, offsets: np.ndarray, interior: np.ndarray, merge: float) -> np.ndarray:
    """Return the vertices of {x : normals @ x <= offsets} (bounded, around ``interior``).

    Vertices closer than ``merge`` (where several planes nearly meet) become one,
    which shrinks the polytope by less than the planes were pushed out.
    """
    halfspaces = np.concatenate([normals, -offsets[:, None]], axis=1)
    pts = HalfspaceIntersection(halfspaces, interior).intersections
    pts = pts[ConvexHull(pts).vertices]
    return _merge_close(pts, merge)


def _merge_close(points: np.ndarray, tol: float) -> np.ndarray:
    """Return ``points`` with each cluster of points within ``tol`` of its first member reduced to it."""
    keep: list[int] = []
    for i in range(len(points)):
        if not keep or float(np.min(np.linalg.norm(points[keep] - points[i], axis=1))) > tol:
            keep.append(i)
    return points[keep]


def _thickened(points: np.ndarray) -> np.ndarray:
    """Return ``points``, extended to ``_MIN_THICKNESS`` along each principal axis where they are thinner."""
    centred = points - points.mean(axis=0)
    _, axes = np.linalg.eigh(centred.T @ centred)  # columns: principal axes, thinnest first
    for axis in axes.T:
        depth = float(np.ptp(centred @ axis))
        if depth < _MIN_THICKNESS:
            half = 0.5 * (_MIN_THICKNESS - depth)
            points = np.concatenate([points + half * axis, points - half * axis])
            centred = points - points.mean(axis=0)
    return points


def _hull_mesh(points: np.ndarray) -> MeshData:
    """Return the convex hull of ``points`` as a mesh with outward, counter-clockwise triangles."""
    hull = ConvexHull(points)
    used = np.unique(hull.simplices)
    remap = np.full(len(points), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    tri = hull.simplices.copy()
    p = points
    n = np.cross(p[tri[:, 1]] - p[tri[:, 0]], p[tri[:, 2]] - p[tri[:, 0]])
    flip = (n * hull.equations[:, :3]).sum(axis=1) < 0
    tri[flip] = tri[flip][:, ::-1]
    return MeshData(positions=points[used], indices=remap[tri])


# -- terrain and interiors ------------------------------------------------------------------


def terrain_collider(mesh: MeshData, resolution: int) -> MeshData:
    """Return the terrain resampled as a regular heightfield grid of ~``resolution``² cells, CCW facing up."""
    pos = mesh.positions.astype(np.float64)
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    size_x, size_z = max(hi[0] - lo[0], 1e-9), max(hi[2] - lo[2], 1e-9)
    aspect = math.sqrt(size_x / size_z)
    nx = max(1, int(round(resolution * aspect)))
    nz = max(1, int(round(resolution / aspect)))
    xs = np.linspace(lo[0], hi[0], nx + 1)
    zs = np.linspace(lo[2], hi[2], nz + 1)
    gx, gz = np.meshgrid(xs, zs, indexing="xy")  # [nz+1, nx+1]
    height = _top_heights(pos, mesh.indices.astype(np.int64), xs, zs)
    grid = np.stack([gx.ravel(), height, gz.ravel()], axis=1)
    ok = np.isfinite(height)
    node = np.arange((nz + 1) * (nx + 1)).reshape(nz + 1, nx + 1)
    a, b = node[:-1, :-1].ravel(), node[:-1, 1:].ravel()  # (x, z), (x+1, z)
    c, d = node[1:, :-1].ravel(), node[1:, 1:].ravel()  # (x, z+1), (x+1, z+1)
    h = np.where(ok, height, 0.0)
    # Split each cell along the diagonal whose end heights agree best (follows ridges and valleys).
    along_ad = np.abs(h[a] - h[d]) <= np.abs(h[b] - h[c])
    # +Y up, x right, z towards the viewer: a -> c -> b is counter-clockwise seen from above.
    t1 = np.where(along_ad[:, None], np.stack([a, c, d], 1), np.stack([a, c, b], 1))
    t2 = np.where(along_ad[:, None], np.stack([a, d, b], 1), np.stack([b, c, d], 1))
    tris = np.concatenate([t1, t2])
    tris = tris[ok[tris].all(axis=1)]
    used = np.unique(tris)
    remap = np.full(len(grid), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return MeshData(positions=grid[used], indices=remap[tris])


def _top_heights(pos: np.ndarray, faces: np.ndarray, xs: np.ndarray, zs: np.ndarray) -> np.ndarray:
    """Return the highest surface y above each grid node (x fastest; NaN where nothing covers it)."""
    nx, nz = len(xs), len(zs)
    dx = (xs[-1] - xs[0]) / max(nx - 1, 1) or 1.0
    dz = (zs[-1] - zs[0]) / max(nz - 1, 1) or 1.0
    # Probe just inside the outline, so nodes on it still hit the boundary triangles.
    inset = 1e-6 * max(xs[-1] - xs[0], zs[-1] - zs[0], 1e-9)
    px = np.clip(xs, xs[0] + inset, xs[-1] - inset)
    pz = np.clip(zs, zs[0] + inset, zs[-1] - inset)
    tri = pos[faces]
    # Grid nodes inside each triangle's x/z bounding box (most triangles hold none: cells are larger).
    i0 = np.maximum(np.ceil((tri[:, :, 0].min(axis=1) - xs[0]) / dx - 1e-6), 0).astype(np.int64)
    i1 = np.minimum(np.floor((tri[:, :, 0].max(axis=1) - xs[0]) / dx + 1e-6), nx - 1).astype(np.int64)
    k0 = np.maximum(np.ceil((tri[:, :, 2].min(axis=1) - zs[0]) / dz - 1e-6), 0).astype(np.int64)
    k1 = np.minimum(np.floor((tri[:, :, 2].max(axis=1) - zs[0]) / dz + 1e-6), nz - 1).astype(np.int64)
    ni, nk = np.maximum(i1 - i0 + 1, 0), np.maximum(k1 - k0 + 1, 0)
    count = ni * nk
    height = np.full(nx * nz, -np.inf)
    fid = np.repeat(np.arange(len(faces)), count)
    off = np.arange(len(fid)) - np.repeat(np.cumsum(count) - count, count)
    gi = i0[fid] + off % np.maximum(ni[fid], 1)
    gk = k0[fid] + off // np.maximum(ni[fid], 1)
    t = tri[fid]
    qx, qz = px[gi], pz[gk]
    ax, az = t[:, 0, 0], t[:, 0, 2]
    e1x, e1z = t[:, 1, 0] - ax, t[:, 1, 2] - az
    e2x, e2z = t[:, 2, 0] - ax, t[:, 2, 2] - az
    det = e1x * e2z - e1z * e2x
    with np.errstate(divide="ignore", invalid="ignore"):
        u = ((qx - ax) * e2z - (qz - az) * e2x) / det
        v = (e1x * (qz - az) - e1z * (qx - ax)) / det
    eps = 1e-9
    hit = (det != 0) & (u >= -eps) & (v >= -eps) & (u + v <= 1 + eps)
    y = t[:, 0, 1] + u * (t[:, 1, 1] - t[:, 0, 1]) + v * (t[:, 2, 1] - t[:, 0, 1])
    np.maximum.at(height, (gk * nx + gi)[hit], y[hit])
    return np.where(np.isfinite(height), height, np.nan)


def _decimated_trimesh(mesh: MeshData, target: int) -> MeshData:
    """Return the mesh welded and decimated to about ``target`` triangles (outline kept)."""
    uniq, wid = weld(mesh.positions.astype(np.float64))
    faces = wid[mesh.indices.astype(np.int64)]
    faces = faces[(faces[:, 0] != faces[:, 1]) & (faces[:, 1] != faces[:, 2]) & (faces[:, 0] != faces[:, 2])]
    if len(faces) > target:
        pts, faces = fast_simplification.simplify(uniq, faces, target_count=target, preserve_border=True)
        uniq = np.asarray(pts, dtype=np.float64)
        faces = np.asarray(faces, dtype=np.int64).reshape(-1, 3)
    used = np.unique(faces)
    remap = np.full(len(uniq), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return MeshData(positions=uniq[used], indices=remap[faces])
