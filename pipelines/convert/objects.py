"""A read source -> the objects of the asset: frame and scale applied, split, each one's field and decisions.

Meshes split by ``--split`` (``nodes``: the file's nodes or OBJ groups;
``parts``: connected components, tiny ones merged into the nearest big one).
Each part is checked: a clean closed mesh is kept as it is (decimated later);
one that is open, non-manifold, a soup or self-intersecting is rebuilt through
a field (``remesh.mesh_grid``). Points and splats are one object, rebuilt from
their density (``remesh.density_grid``). Every object's pivot is the centre of
its base; the whole input stands on y = 0, centred on x = z = 0.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from exporters.errors import InputError
from pipelines.convert import remesh
from pipelines.convert.fields import ConvertField, PointColors
from pipelines.convert.frame import FrameOptions, height_scale, rotation, unit_scale
from pipelines.convert.surface import SourceSurface
from pipelines.mesh import cleanup
from pipelines.mesh.topology import unique_first
from pipelines.sources.types import Source, SourceMesh, SourcePoints

TINY_PART = 0.01  # a part under this share of the total area merges into its nearest neighbour
MAX_PARTS = 64
SCENE_KIND = "room"  # wide scenes (points, splats): one decimated trimesh collider
OBJECT_KIND = "prop"  # objects: convex hulls


def build_objects(
    source: Source, fopts: FrameOptions, name: str, resolution: int, seed: int
) -> tuple[list[ConvertField], dict]:
    """Return the fields of the asset's objects and the decisions taken (frame, scale, split, remesh, level)."""
    fopts.check()
    r, up, fwd = rotation(fopts, source.cameras_opencv)
    s = unit_scale(fopts)
    decisions: dict = {"up": up, "forward": fwd, "units": fopts.units, "scale": s}
    if source.mesh is not None:
        fields = _mesh_objects(source.mesh, r, s, fopts, name, resolution, seed, decisions)
    else:
        assert source.points is not None
        fields = [_points_object(source.points, r, s, fopts, name, resolution, seed, decisions)]
    return fields, decisions


def _mesh_objects(mesh: SourceMesh, r, s, fopts, name, resolution, seed, decisions) -> list[ConvertField]:
    pos = mesh.positions @ r.T * s
    normals = mesh.normals @ r.T if mesh.normals is not None else None
    groups = _split(mesh, pos, fopts.split, decisions)
    heights = [float(np.ptp(pos[:, 1]))] + [float(np.ptp(pos[_used(mesh.faces[g], len(pos)), 1])) for g in groups]
    k = height_scale(fopts, heights)
    decisions["scale"] = round(s * k, 9)
    if fopts.height is not None:
        decisions["height"] = {"meters": fopts.height, "of": fopts.height_of}
    pos = pos * k
    lo, hi = pos.min(0), pos.max(0)
    pos = pos - [(lo[0] + hi[0]) / 2, lo[1], (lo[2] + hi[2]) / 2]  # ground at y = 0, centred
    out, parts = [], []
    for i, faces_of in enumerate(groups):
        verts = _used(mesh.faces[faces_of], len(pos))
        remap = np.full(len(pos), -1, np.int64)
        remap[verts] = np.arange(len(verts))
        faces = remap[mesh.faces[faces_of]]
        p = pos[verts]
        plo, phi = p.min(0), p.max(0)
        pivot = np.array([(plo[0] + phi[0]) / 2, plo[1], (plo[2] + phi[2]) / 2])
        local = p - pivot
        surface = SourceSurface(
            local, faces,
            normals=normals[verts] if normals is not None else None,
            uv=mesh.uv[:, verts] if mesh.uv is not None else None,
            colors=mesh.colors[verts] if mesh.colors is not None else None,
            face_material=mesh.face_material[faces_of] if mesh.face_material is not None else None,
            materials=mesh.materials, seed=seed,
        )  # fmt: skip
        obj_name = name if len(groups) == 1 else f"{name}_{i + 1:02d}"
        welded = weld_exact(local)[faces]  # a soup (glTF without normals is one) shrinks ~6x before cleanup
        problems = mesh_problems(local, welded, surface)
        part = {"name": obj_name, "source_triangles": int(len(faces)), "problems": problems}
        f = ConvertField(obj_name, OBJECT_KIND, tuple(local.min(0)), tuple(local.max(0)), tuple(pivot), surface=surface)
        if problems:
            cell = float(np.max(local.max(0) - local.min(0))) / resolution
            pad = 5.0 * cell
            f.grid, part["remesh"] = remesh.mesh_grid(surface, local.min(0) - pad, local.max(0) + pad, resolution)
            f.bounds_min, f.bounds_max = tuple(local.min(0) - pad), tuple(local.max(0) + pad)
        else:
            f.ready_mesh = cleanup.clean(local, welded)  # the same mesh as from ``faces``, in 60% of the time
            part["remesh"] = None
        f.extras = {"source_part": part}
        parts.append(part)
        out.append(f)
    decisions["parts"] = parts
    return out


def mesh_problems(positions: np.ndarray, welded: np.ndarray, surface: SourceSurface) -> list[str]:
    """Return why a mesh cannot be decimated as it is: open, non-manifold, soup, self-intersecting (empty: clean).

    ``welded``: the faces with exactly coincident vertices merged (``weld_exact(positions)[faces]``).
    """
    f = welded[(welded[:, 0] != welded[:, 1]) & (welded[:, 1] != welded[:, 2]) & (welded[:, 2] != welded[:, 0])]
    if len(f) == 0:
        return ["degenerate"]
    n = int(f.max()) + 1
    e = np.sort(np.stack([f, f[:, [1, 2, 0]]], 2).reshape(-1, 2), axis=1)
    _, edge = unique_first(e[:, 0] * n + e[:, 1])
    counts = np.bincount(edge)
    problems = []
    if (counts == 1).any():
        problems.append(f"open ({int((counts == 1).sum())} border edges)")
    if (counts > 2).any():
        problems.append(f"non-manifold ({int((counts > 2).sum())} edges)")
    comps = _components(f, n)
    sizes = np.bincount(comps)
    if len(sizes) > 1 and np.median(sizes[comps]) <= 4:
        problems.append(f"soup ({len(sizes)} pieces)")
    if not problems and self_intersecting(positions, welded, surface):
        problems.append("self-intersecting")
    return problems


def self_intersecting(positions: np.ndarray, faces: np.ndarray, surface: SourceSurface, cells: int = 40) -> bool:
    """True when a closed mesh's signed volume disagrees with the volume a flood fill finds inside it.

    Where a closed surface passes through itself the enclosed region is counted
    twice by the divergence theorem (winding number 2) but once by a flood
    fill, so the two differ by more than the grid's error (one cell of shell).
    """
    tri = positions[faces]
    volume = abs(float(np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum()) / 6.0)
    lo, hi = positions.min(0), positions.max(0)
    h = float(np.max(hi - lo)) / cells
    grid = remesh.make_grid(lo - 2 * h, hi + 2 * h, cells + 4)
    udf = surface.udf(remesh.grid_points(grid), upper=3 * grid.spacing_m).reshape(grid.shape)
    h = grid.spacing_m
    outside = remesh._flood(udf > 0.6 * h)
    v_hi = float((~outside).sum()) * h**3
    v_lo = float((~outside & (udf > 1.0 * h)).sum()) * h**3
    return volume > 1.1 * v_hi + 1e-12 or volume < 0.9 * v_lo


def _used(faces: np.ndarray, n: int) -> np.ndarray:
    """Return the sorted vertex indices ``faces`` use (a bincount: numpy 2's unique hashes, 20x slower here)."""
    return np.flatnonzero(np.bincount(faces.reshape(-1), minlength=n))


def weld_exact(positions: np.ndarray) -> np.ndarray:
    """Return, per vertex, the index of the first vertex at exactly its position (a lexsort, not unique(axis=0))."""
    order = np.lexsort(positions.T[::-1])
    p = positions[order]
    new = np.ones(len(p), bool)
    new[1:] = (p[1:] != p[:-1]).any(1)
    group = np.cumsum(new) - 1
    first = order[new]
    out = np.empty(len(p), np.int64)
    out[order] = first[group]
    return out


def _components(f: np.ndarray, n: int) -> np.ndarray:
    """Return each face's connected component (faces sharing a vertex)."""
    m = len(f)
    rows = np.repeat(np.arange(m), 3)
    g = coo_matrix((np.ones(3 * m), (rows, f.reshape(-1) + m)), shape=(m + n, m + n))
    _, labels = connected_components(g, directed=False)
    _, comp = np.unique(labels[:m], return_inverse=True)
    return comp


def _split(mesh: SourceMesh, pos: np.ndarray, how: str, decisions: dict) -> list[np.ndarray]:
    """Return the face indices of each object."""
    all_faces = [np.arange(len(mesh.faces))]
    if how == "nodes":
        if mesh.face_group is None or len(np.unique(mesh.face_group)) < 2:
            decisions["split"] = "nodes (the file has one node: one object)"
            return all_faces
        decisions["split"] = "nodes"
        return [np.flatnonzero(mesh.face_group == g) for g in np.unique(mesh.face_group)]
    if how == "none":
        decisions["split"] = "none"
        return all_faces
    f = weld_exact(pos)[mesh.faces]
    comp = _components(f, int(f.max()) + 1)
    tri = pos[mesh.faces]
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    comp_area = np.bincount(comp, area)
    order = np.argsort(-comp_area, kind="stable")
    big = [c for c in order[:MAX_PARTS] if comp_area[c] >= TINY_PART * comp_area.sum()] or [int(order[0])]
    owner = np.full(len(comp_area), -1)
    owner[big] = np.arange(len(big))
    small = owner[comp] < 0
    if small.any():  # merge each tiny part into the big part nearest its faces
        centres = tri.mean(1)
        tree = cKDTree(centres[~small])
        _, near = tree.query(centres[small], workers=2)
        face_owner = owner[comp]
        face_owner[small] = face_owner[~small][near]
    else:
        face_owner = owner[comp]
    decisions["split"] = f"parts ({len(comp_area)} connected components, {len(big)} kept, the rest merged)"
    return [np.flatnonzero(face_owner == i) for i in range(len(big))]


def _quat_matrices(q: np.ndarray) -> np.ndarray:
    w, x, y, z = q.T
    return np.stack(
        [
            np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)], -1),
            np.stack([2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)], -1),
            np.stack([2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)], -1),
        ],
        1,
    )


def _points_object(pts: SourcePoints, r, s, fopts, name, resolution, seed, decisions) -> ConvertField:
    if fopts.split != "none":
        decisions["split"] = f"{fopts.split} asked, but points and splats are one object"
    else:
        decisions["split"] = "none"
    weights = pts.opacity if pts.opacity is not None else np.ones(len(pts.positions))
    pos = pts.positions @ r.T * s
    solid = weights > 0.1 if (weights > 0.1).sum() >= 16 else np.ones(len(pos), bool)
    lo, hi = np.quantile(pos[solid], 0.001, axis=0), np.quantile(pos[solid], 0.999, axis=0)
    k = height_scale(fopts, [float(hi[1] - lo[1])])
    decisions["scale"] = round(s * k, 9)
    pos, lo, hi = pos * k, lo * k, hi * k
    shift = np.array([(lo[0] + hi[0]) / 2, lo[1], (lo[2] + hi[2]) / 2])  # ground at y = 0, centred
    pos, lo, hi = pos - shift, lo - shift, hi - shift
    keep = ((pos >= lo - 0.02 * (hi - lo)) & (pos <= hi + 0.02 * (hi - lo))).all(1)
    if keep.sum() < 4:
        raise InputError("the points are too few or too spread out to find a surface")
    pivot = np.zeros(3)
    local = pos[keep]
    w = weights[keep]
    cell = float(np.max(hi - lo)) / resolution
    pad = 4.0 * cell
    blo, bhi = local.min(0) - pad, local.max(0) + pad
    blo, bhi = np.maximum(blo, (lo - pivot) - pad), np.minimum(bhi, (hi - pivot) + pad)
    if pts.is_splats:
        axes = _quat_matrices(pts.rotations[keep]) * (pts.scales[keep] * s * k)[:, None, :]
        axes = np.einsum("ij,njk->nik", r, axes)
        decisions["remesh"] = {"input": "Gaussian splats", "count": int(keep.sum())}
        grid, decided = remesh.density_grid(local, axes, w, blo, bhi, resolution, seed)
    else:
        point_set = remesh.PointSet(local)
        decisions["remesh"] = {"input": "points", "count": int(keep.sum()), "spacing_m": round(point_set.spacing, 6)}
        pad += point_set.spacing
        blo, bhi = blo - point_set.spacing, bhi + point_set.spacing
        grid, decided = remesh.mesh_grid(point_set, blo, bhi, resolution, min_level=point_set.spacing)
    decisions["remesh"].update(decided)
    f = ConvertField(name, SCENE_KIND if (hi - lo)[[0, 2]].max() > 4 * (hi - lo)[1] else OBJECT_KIND,
                     tuple(blo), tuple(bhi), tuple(pivot), closed=True, grid=grid,
                     point_colors=PointColors(local, pts.colors[keep], w, max(cell, 1e-6)))  # fmt: skip
    f.extras = {"source_part": {"name": name, "points": int(keep.sum())}}
    return f
