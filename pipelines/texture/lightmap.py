"""Lightmap UVs (uv1): uv0's charts repacked without overlap, with padding, at a stated resolution.

Choice: uv1 is derived from uv0's chart structure instead of a second unwrap.
A chart is a connected set of triangles in uv0 (vertices that share a position
and a uv0 count as one, so hard normal edges do not split a chart). Each chart
keeps its uv0 shape, rescaled so every chart has the same texels per meter
(lightmaps want uniform world density; uv0 may favour some parts), and
xatlas packs the charts (``add_uv_mesh``: no re-parametrisation, only
placement and rotation) into one ``resolution``² atlas with ``padding_texels``
of padding and bilinear margins, at the largest texel density that still fits.

Why: uv1 then lives on exactly uv0's vertex buffer (one vertex per (position,
uv0, normal), nothing is split), packing takes a fraction of a second where a
second xatlas unwrap of a dense mesh takes many seconds, and every LOD made
from the same vertices (pipelines/mesh/lod.py) can carry the same lightmap.

Every result is checked (``lightmap_problems``): inside [0, 1], no two
triangles strictly contain one sample of a grid at twice the resolution, and
the conservative texel footprints of different charts at least
``padding_texels`` empty texels apart, diagonals included (bilinear taps reach
all 8 neighbours). If xatlas's own rasteriser disagrees by a texel, the
packing is redone with one more texel of padding. When uv0 is missing, or its
charts fold or overlap themselves, the mesh is unwrapped again by xatlas with
the same packing; that splits vertices where its seams need it, and every
other attribute is split with them (one vertex buffer). That path is slow on
dense meshes (xatlas's chart search: ~1 minute at 50k triangles).

Charts whose triangles have no area in uv0 (degenerate slivers) are parked on
one free texel: they cover nothing.
"""

from __future__ import annotations

import math

import numpy as np
import xatlas
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from exporters.asset import MeshData
from exporters.errors import InputError, ResourceError
from pipelines.texture.lightmap_checks import chart_footprints, lightmap_problems
from pipelines.texture.lightmap_fallback import shelf_lightmap

_TRIES = 10  # densities tried (each 0.8x the last) before giving up on one atlas


def lightmap_uvs(mesh: MeshData, *, resolution: int = 256, padding_texels: int = 2) -> MeshData:
    """Return ``mesh`` with ``uv1``: charts inside [0, 1], no overlaps, ``padding_texels`` apart at ``resolution``."""
    if not 16 <= resolution <= 8192:
        raise InputError(f"lightmap resolution {resolution} is out of range: use 16..8192 texels")
    if not 0 <= padding_texels <= resolution // 8:
        raise InputError(f"lightmap padding {padding_texels} is out of range: use 0..{resolution // 8} texels")
    if mesh.triangle_count == 0:
        return _with(mesh, uv1=np.zeros((mesh.vertex_count, 2), np.float32))
    if mesh.uv0 is not None:
        charts = uv_charts(mesh)
        # xatlas's own raster is a hair less conservative than our check: one more texel if needed.
        for xatlas_padding in (padding_texels, padding_texels + 1):
            uv1 = _repack_uv0(mesh, resolution, xatlas_padding)
            if uv1 is None:
                break
            if not lightmap_problems(uv1, mesh.indices, resolution, padding_texels, charts=charts):
                return _with(mesh, uv1=uv1)
    return _unwrap_again(mesh, resolution, padding_texels)


def uv_charts(mesh: MeshData) -> np.ndarray:
    """Return a chart id per triangle: connected components of the mesh welded by (position, uv0)."""
    weld, vchart = _welded_charts(mesh)
    return vchart[weld[mesh.indices.astype(np.int64)[:, 0]]]


def _welded_charts(mesh: MeshData) -> tuple[np.ndarray, np.ndarray]:
    """Return (welded id per vertex, chart per welded vertex); vertices weld on (position, uv0)."""
    key = mesh.positions if mesh.uv0 is None else np.concatenate([mesh.positions, mesh.uv0], axis=1)
    _, weld = np.unique(key, axis=0, return_inverse=True)
    weld = weld.reshape(-1)
    n = int(weld.max()) + 1
    wf = weld[mesh.indices.astype(np.int64)]
    graph = coo_matrix((np.ones(wf.size), (np.repeat(wf[:, 0], 3), wf.reshape(-1))), shape=(n, n))
    return weld, connected_components(graph, directed=False)[1]


# -- repacking uv0's charts ----------------------------------------------------------------


def _repack_uv0(mesh: MeshData, resolution: int, padding: int) -> np.ndarray | None:
    """Return uv1 from uv0's charts packed by xatlas, or None when uv0 cannot be used.

    Raises ResourceError when the charts are usable but too many for the resolution.
    """
    laid = _uniform_charts(mesh, resolution)
    if laid is None:
        return None
    weld, vchart, wf, local = laid
    n, n_charts = len(vchart), int(vchart.max()) + 1
    if n_charts * (1 + 2 * padding) ** 2 > resolution**2:
        # Hopeless before any packing: the charts' minimum footprints alone overflow the atlas
        # (a noisy rebuilt surface: thousands of charts; each xatlas try there takes seconds).
        raise _too_many_charts(n_charts, mesh.triangle_count, resolution, padding)
    # Lay the charts out side by side so no two share a coordinate in xatlas's input.
    lo = np.full((n_charts, 2), np.inf)
    hi = np.full((n_charts, 2), -np.inf)
    np.minimum.at(lo, vchart, local)
    np.maximum.at(hi, vchart, local)
    width = hi[:, 0] - lo[:, 0]
    shift = np.concatenate([[0.0], np.cumsum(width + 4.0)[:-1]])
    local = local - lo[vchart] + np.stack([shift[vchart], np.zeros(n)], axis=1)

    placed = _pack(local, wf, resolution, padding)
    spot = None
    if placed is not None and placed[1].any():
        # Charts xatlas leaves out have no area (degenerate triangles): park them on one
        # free texel, where they cover nothing.
        uv1, dropped = placed
        spot = _free_texel(uv1, wf[~np.isin(wf, np.flatnonzero(dropped)).any(axis=1)], vchart, resolution, padding)
        if spot is not None:
            uv1[dropped] = spot
    if placed is None or (placed[1].any() and spot is None):
        raise _too_many_charts(n_charts, mesh.triangle_count, resolution, padding)
    return placed[0][weld].astype(np.float32)


def _too_many_charts(n_charts: int, triangles: int, resolution: int, padding: int) -> ResourceError:
    return ResourceError(
        f"the {n_charts} UV charts of a {triangles}-triangle mesh do not fit one "
        f"{resolution}x{resolution} lightmap with {padding} texels of padding (each chart takes at "
        f"least {(1 + 2 * padding) ** 2} texels); raise the lightmap resolution or lower the object's "
        "triangle budget (fewer triangles, fewer charts)"
    )


def _uniform_charts(mesh: MeshData, resolution: int) -> tuple[np.ndarray, ...] | None:
    """Return (welded id per vertex, chart per welded vertex, welded faces, welded uv in texels at one
    density for every chart), or None when uv0 cannot be moved chart by chart (a chart folds, no area)."""
    weld, vchart = _welded_charts(mesh)
    n = len(vchart)
    wf = weld[mesh.indices.astype(np.int64)]
    fchart = vchart[wf[:, 0]]
    n_charts = int(vchart.max()) + 1
    uv = np.zeros((n, 2))
    uv[weld] = mesh.uv0.astype(np.float64)
    pos = np.zeros((n, 3))
    pos[weld] = mesh.positions.astype(np.float64)

    e1, e2 = uv[wf[:, 1]] - uv[wf[:, 0]], uv[wf[:, 2]] - uv[wf[:, 0]]
    signed = 0.5 * (e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0])
    area3 = 0.5 * np.linalg.norm(np.cross(pos[wf[:, 1]] - pos[wf[:, 0]], pos[wf[:, 2]] - pos[wf[:, 0]]), axis=1)
    tiny = 1e-12 * max(float(np.abs(signed).max()), 1e-30)
    pos_area = np.bincount(fchart, np.where(signed > tiny, 1.0, 0.0), n_charts)
    neg_area = np.bincount(fchart, np.where(signed < -tiny, 1.0, 0.0), n_charts)
    if np.any((pos_area > 0) & (neg_area > 0)):
        return None  # a chart folds over itself in uv0: it cannot be packed as it is
    uv_area = np.bincount(fchart, np.abs(signed), n_charts)
    world_area = np.bincount(fchart, area3, n_charts)
    total = float(world_area.sum())
    if total <= 0:
        return None
    # Same texels per meter in every chart; units: texels at the density that fills the atlas.
    density = np.where(uv_area > 0, np.sqrt(world_area / np.maximum(uv_area, 1e-300)), 0.0)
    density *= resolution / math.sqrt(total)
    return weld, vchart, wf, uv * density[vchart][:, None]


def fallback_uvs(mesh: MeshData, *, resolution: int, padding_texels: int = 2) -> MeshData:
    """Return ``mesh`` with a uv1 that never overlaps (``lightmap_fallback``), for when xatlas cannot pack it."""
    laid = None if mesh.uv0 is None else _uniform_charts(mesh, resolution)
    if laid is None:
        return shelf_lightmap(mesh, None, resolution, padding_texels)
    weld, vchart, _, local = laid
    return shelf_lightmap(mesh, (local[weld], vchart[weld]), resolution, padding_texels)


def _pack(uv: np.ndarray, faces: np.ndarray, resolution: int, padding: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Return (uv in [0,1], vertices xatlas left out) for the charts packed into one atlas, or None.

    ``uv`` is in texels at full utilisation; the largest scale that fits one
    ``resolution``² atlas is found by shrinking, then bisecting back up (to
    within ~5% of the texel density). None when no scale fits: every chart
    costs at least a texel plus its padding, so too many charts never fit, and
    shrinking further only makes xatlas drop the smallest as degenerate.
    """
    options = xatlas.PackOptions()
    options.resolution = resolution
    options.padding = padding
    options.bilinear = True
    options.rotate_charts = True
    options.texels_per_unit = 1.0
    e1, e2 = uv[faces[:, 1]] - uv[faces[:, 0]], uv[faces[:, 2]] - uv[faces[:, 0]]
    has_area = (e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]) != 0

    def attempt(scale: float) -> tuple[np.ndarray, np.ndarray] | None:
        atlas = xatlas.Atlas()
        atlas.add_uv_mesh((uv * scale).astype(np.float32), faces.astype(np.uint32))
        atlas.generate(pack_options=options)
        if atlas.atlas_count != 1 or atlas.width > resolution or atlas.height > resolution:
            return None
        vmap, _, out = atlas.get_mesh(0)
        uv1 = np.zeros((len(uv), 2))
        # The binding normalises by the atlas size; we want texels of the stated resolution.
        uv1[vmap] = out.astype(np.float64) * np.array([atlas.width, atlas.height]) / resolution
        kept = np.zeros(len(faces), dtype=bool)
        for c in range(atlas.chart_count):
            kept[np.asarray(atlas.get_mesh_chart(0, c).faces, dtype=np.int64)] = True
        if np.any(has_area & ~kept):
            return None  # xatlas dropped real triangles as degenerate: charts this small are no lightmap
        used = np.zeros(len(uv), dtype=bool)
        used[faces[kept].reshape(-1)] = True
        return uv1, ~used

    # Start near what padded charts usually reach (~60% of the texels), then shrink and refine.
    scale, too_big, best = math.sqrt(0.6), None, None
    for _ in range(_TRIES):
        best = attempt(scale)
        if best is not None:
            break
        too_big, scale = scale, scale * 0.8
    if best is None:
        return None
    for _ in range(2 if too_big is not None else 0):
        mid = math.sqrt(scale * too_big)
        got = attempt(mid)
        if got is None:
            too_big = mid
        else:
            scale, best = mid, got
    return best


def _free_texel(
    uv: np.ndarray, faces: np.ndarray, vchart: np.ndarray, resolution: int, padding: int
) -> np.ndarray | None:
    """Return the centre of a texel at least ``padding + 1`` texels from every chart, or None."""
    owner = chart_footprints(uv, faces, vchart[faces[:, 0]], resolution)
    busy = ndimage.binary_dilation(owner >= 0, iterations=padding + 1, structure=np.ones((3, 3), bool))
    free = np.argwhere(~busy)
    if len(free) == 0:
        return None
    y, x = free[0]
    return (np.array([x, y], dtype=np.float64) + 0.5) / resolution


# -- unwrapping again -----------------------------------------------------------------------


def _unwrap_again(mesh: MeshData, resolution: int, padding: int) -> MeshData:
    """Return the mesh unwrapped anew by xatlas for uv1, every attribute split with its vertices."""
    options = xatlas.PackOptions()
    options.resolution = resolution
    options.padding = padding
    options.bilinear = True
    options.rotate_charts = True
    pos = mesh.positions.astype(np.float32)
    idx = mesh.indices.astype(np.uint32)
    normals = None if mesh.normals is None else mesh.normals.astype(np.float32)
    probe = xatlas.Atlas()
    probe.add_mesh(pos, idx, normals)
    probe.generate(pack_options=options)  # estimate: texels per unit that about fill the resolution
    density = probe.texels_per_unit * resolution / max(probe.width, probe.height, 1)
    for _ in range(_TRIES):
        atlas = xatlas.Atlas()
        atlas.add_mesh(pos, idx, normals)
        options.texels_per_unit = density
        atlas.generate(pack_options=options)
        if atlas.atlas_count == 1 and atlas.width <= resolution and atlas.height <= resolution:
            vmap, new_idx, uv = atlas.get_mesh(0)
            vmap = vmap.astype(np.int64)
            uv1 = uv.astype(np.float64) * np.array([atlas.width, atlas.height]) / resolution

            def take(a: np.ndarray | None) -> np.ndarray | None:
                return None if a is None else a[vmap]

            out = MeshData(
                positions=mesh.positions[vmap],
                indices=new_idx.reshape(-1, 3),
                normals=take(mesh.normals),
                uv0=take(mesh.uv0),
                uv1=uv1,
                tangents=take(mesh.tangents),
                colors=take(mesh.colors),
            )
            charts = _xatlas_charts(atlas, out.triangle_count)
            if not lightmap_problems(out.uv1, out.indices, resolution, padding, charts=charts):
                return out
        density *= 0.9
    raise ResourceError(
        f"could not pack a {mesh.triangle_count}-triangle mesh into a {resolution}x{resolution} lightmap "
        f"with {padding} texels of padding; raise --lightmap-resolution"
    )


def _xatlas_charts(atlas: xatlas.Atlas, n_faces: int) -> np.ndarray:
    chart = np.zeros(n_faces, dtype=np.int64)
    for c in range(atlas.chart_count):
        chart[np.asarray(atlas.get_mesh_chart(0, c).faces, dtype=np.int64)] = c + 1
    return chart


def _with(mesh: MeshData, **changes: np.ndarray) -> MeshData:
    fields = dict(
        positions=mesh.positions,
        indices=mesh.indices,
        normals=mesh.normals,
        uv0=mesh.uv0,
        uv1=mesh.uv1,
        tangents=mesh.tangents,
        colors=mesh.colors,
    )
    fields.update(changes)
    return MeshData(**fields)
