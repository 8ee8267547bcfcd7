"""Quadric decimation (fast_simplification) and the triangle budget a texture atlas can use."""

from __future__ import annotations

import logging
import threading

import fast_simplification
import numpy as np

from exporters.asset import MeshData
from exporters.errors import HyworldError
from pipelines.mesh.cleanup import CleanOptions, clean, vertex_normals
from pipelines.mesh.topology import is_closed

log = logging.getLogger("hyworld.simplify")

# fast_simplification keeps the mesh being simplified in module-level C++ state
# (load -> simplify -> return_points), so two threads must never interleave.
_SIMPLIFY_LOCK = threading.Lock()

# Texels each triangle should own in the atlas, and the share of the atlas that
# chart interiors cover (measured 0.30-0.35 with our xatlas options on noisy
# blobs: padding, block alignment and irregular chart shapes take the rest).
TEXELS_PER_TRIANGLE = 12
ATLAS_FILL = 0.3
# xatlas' chart growing is superlinear: with our options 64k triangles take
# 3-4 s of CPU, 128k took 20-30 s (and default xatlas minutes), so we stop here.
MAX_UNWRAP_TRIANGLES = 65_536
# Silhouettes need geometry a normal map cannot fake, and 4k triangles unwrap in
# ~0.1 s, so small textures do not push a mesh below this.
MIN_BUDGET_TRIANGLES = 4_096


class DecimationError(HyworldError):
    """Decimation would have opened a closed mesh; the caller keeps more triangles or the mesh."""


def texture_budget_triangles(texture_size: int) -> int:
    """Return how many triangles a ``texture_size``² atlas can use well (the pre-unwrap cut).

    Rule: ``size² x ATLAS_FILL / TEXELS_PER_TRIANGLE``: chart interiors cover
    about 30% of the atlas, and each triangle should own about 12 texels (a
    3.5 x 3.5 footprint) - with fewer, the texture cannot tell neighbouring
    triangles apart and the extra geometry only costs unwrap time, while the
    field's finer detail is carried by the baked normal map anyway. Clamped to
    ``MIN_BUDGET_TRIANGLES``..``MAX_UNWRAP_TRIANGLES`` (silhouettes keep their
    geometry; unwrapping stays a matter of seconds): 128-256 -> 4096,
    512 -> 6553, 1024 -> 26214, 2048 and up -> 65536.
    """
    if texture_size <= 0:
        raise ValueError(f"texture_size must be positive, got {texture_size}")
    rule = int(texture_size * texture_size * ATLAS_FILL) // TEXELS_PER_TRIANGLE
    return max(MIN_BUDGET_TRIANGLES, min(rule, MAX_UNWRAP_TRIANGLES))


def decimate(mesh: MeshData, target_triangles: int) -> MeshData:
    """Return ``mesh`` decimated to at most ``target_triangles`` by quadric edge collapse.

    The mesh is returned unchanged (the same object) when it is already at or
    under the target. Open borders are kept: no edge touching a border vertex
    collapses, so terrain keeps its outline (an open mesh whose vertices are
    mostly border may therefore stop above the target). A closed input must
    give a closed output: the result is checked, cleaned and, if still open,
    decimated again with gentler collapses (agg 7, then 3, then 1); if no
    attempt stays closed, :class:`DecimationError` is raised. Normals are
    recomputed (area-weighted); uv0/uv1/tangents/colors are dropped because
    they no longer match (decimate before unwrapping).
    """
    if target_triangles <= 0:
        raise ValueError(f"target_triangles must be positive, got {target_triangles}")
    if mesh.triangle_count <= target_triangles:
        return mesh
    closed = is_closed(mesh.indices)
    positions = mesh.positions.astype(np.float64)
    faces = mesh.indices.astype(np.int32)
    # agg 7 is the library default (fast); lower values collapse more gently.
    for agg in (7.0, 3.0, 1.0):
        with _SIMPLIFY_LOCK:
            points, tris = fast_simplification.simplify(
                positions, faces, target_count=target_triangles, agg=agg, preserve_border=True
            )
        out = _to_mesh(points, tris)
        if not closed or is_closed(out.indices):
            return out
        # Collapses sometimes leave a needle or a doubled face; cleanup repairs those.
        out = clean(out.positions, out.indices, CleanOptions(min_component_area_ratio=0.0))
        if is_closed(out.indices):
            return out
        log.info("decimate: agg=%.0f to %d triangles opened the mesh; retrying", agg, target_triangles)
    raise DecimationError(
        f"decimating a closed mesh of {mesh.triangle_count} triangles to {target_triangles} "
        "opened holes; keep a higher triangle budget for this object"
    )


def decimate_open(mesh: MeshData, target_triangles: int) -> MeshData:
    """Decimate ``mesh`` toward ``target_triangles`` with collapses that may open it (pinches, open edges).

    The last resort where :func:`decimate` cannot keep a thin surface closed at its budget;
    specks the collapses cut off are cleaned away, so the result can land a little off the target.
    """
    with _SIMPLIFY_LOCK:
        points, tris = fast_simplification.simplify(
            mesh.positions.astype(np.float64), mesh.indices.astype(np.int32), target_count=target_triangles, agg=7.0
        )
    return clean(points, tris)


def _to_mesh(points: np.ndarray, tris: np.ndarray) -> MeshData:
    tris = np.asarray(tris, dtype=np.int64).reshape(-1, 3)
    used = np.bincount(tris.reshape(-1), minlength=len(points)) > 0
    new_index = np.cumsum(used) - 1
    mesh = MeshData(positions=np.asarray(points, dtype=np.float32)[used], indices=new_index[tris])
    mesh.normals = vertex_normals(mesh)
    return mesh
