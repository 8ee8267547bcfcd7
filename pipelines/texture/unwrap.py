"""UV atlas (uv0) with xatlas, tuned so that unwrapping takes seconds, not minutes.

Why these xatlas options (measured on noisy marching-cubes blobs, see
``tests/benchmarks/bench_unwrap.py``: 20x faster than default xatlas):

* ``max_chart_area`` = surface area / max(16, sqrt(F)). xatlas grows charts one
  face at a time and refits, re-projects and re-checks the *whole* chart on
  every addition (O(chart size) each, so O(F x chart size) in all), while
  seeding and growth also loop over all charts (O(F x charts)). Capping chart
  size near sqrt(F) faces balances the two: a 20k-triangle noisy blob went
  from 7.5 s to 0.7 s (533 charts to ~240); 32k triangles take ~1-1.5 s of
  CPU, 64k ~3-4 s (k = 0.5 gives ~half the charts for ~1.5x the time).
* ``max_iterations`` = 1: each extra iteration re-grows every chart from
  relocated seeds (another full O(F x chart size) pass) for small gains.
* ``blockAlign`` on: charts sit on 4x4 blocks, so the packer tries 16x fewer
  positions, and block-compressed (BC/ASTC) textures do not bleed across charts.
* ``bruteForce`` off: brute-force placement is orders of magnitude slower for
  a few percent of utilisation.
* ``bilinear`` on, ``padding`` = :func:`default_padding` texels: bilinear
  taps and the mips the bake's gutter protects never reach a neighbour chart.
* ``resolution`` = the texture size. xatlas' own estimate for "texels per unit
  = 0" overshoots (a "1024" atlas came out 1172-1464 texels wide, which would
  shrink the padding when scaled down), and a fixed resolution with too large
  a scale spills into a second atlas that the Python binding silently overlays
  on the first. So charts are packed once freely at an estimated scale; when
  that atlas is not 0.92-1.0 x the texture size, the charts (reused, packing
  only, ~0.3 s) are re-packed into exactly one ``size`` x ``size`` atlas,
  lowering the scale 10% per try until it fits. When even that fails (a tiny
  texture for hundreds of charts: a fence at 128²), the free atlas is scaled
  down instead and a warning says the padding shrank.

xatlas' output y is the atlas image row, i.e. already glTF's v (0 at the top):
no flip. xatlas keeps the GIL while it runs (a Python thread spinning
alongside it got 1% of its normal iterations), so :func:`unwrap_many` uses
processes; results are identical whatever the number of workers. xatlas
already runs ~1.4 cores per mesh on its own threads, so processes pay off
with cores to spare: 32 meshes (682k triangles) on 16 cores took 19.9 s in
one process, 14.4 / 8.8 / 7.2 / 7.7 s with 2 / 4 / 8 / 16 workers; on a busy
2-core machine 2 workers took 2.5x longer than one. So at most cores / 2 workers.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import xatlas

from exporters.asset import MeshData
from exporters.errors import InputError

log = logging.getLogger("hyworld.unwrap")


def default_padding(texture_size: int) -> int:
    """Return the gutter in texels for a texture size: size / 256, at least 2.

    A gutter of g texels keeps charts apart down to mip level log2(g): 4 at
    1024 (mips 0-2, i.e. down to 256), 8 at 2048, 16 at 4096.
    """
    return max(2, texture_size // 256)


@dataclass(frozen=True)
class UnwrapOptions:
    """Atlas settings: the texture size the atlas is laid out for and how charts are cut."""

    texture_size: int = 1024
    padding: int | None = None  # texels between charts; None: default_padding(texture_size)
    max_chart_iterations: int = 1
    charts_per_sqrt_faces: float = 1.0  # chart-count target k * sqrt(F) (sets the chart area cap)
    min_charts: int = 16
    # Surface area x texels_per_unit² over atlas area for the first (free) packing;
    # 0.3 lands the free atlas near 0.9-1.05 x texture_size for our meshes, so many
    # meshes need no re-pack (charts + padding + packing losses fill the rest).
    fill_estimate: float = 0.3
    max_repack_tries: int = 12

    @property
    def padding_texels(self) -> int:
        return default_padding(self.texture_size) if self.padding is None else int(self.padding)


def unwrap(mesh: MeshData, opts: UnwrapOptions = UnwrapOptions()) -> MeshData:
    """Return ``mesh`` with uv0 in [0, 1] (glTF: (0, 0) top-left), vertices split along seams.

    Every per-vertex attribute (positions, normals, uv1, colors) is carried to
    the split vertices through xatlas' vertex map; tangents are dropped (they
    depend on uv0: compute them with ``tangents.mikktspace_tangents``). The
    atlas is one ``texture_size`` square with ``padding_texels`` between charts.
    """
    if mesh.triangle_count == 0:
        raise InputError("unwrap: the mesh has no triangles (was everything removed by cleanup?)")
    size, pad = opts.texture_size, opts.padding_texels
    p = mesh.positions.astype(np.float64)
    f = mesh.indices.astype(np.int64)
    area = 0.5 * float(np.linalg.norm(np.cross(p[f[:, 1]] - p[f[:, 0]], p[f[:, 2]] - p[f[:, 0]]), axis=1).sum())
    if area <= 0.0:
        raise InputError("unwrap: the mesh has zero surface area")

    chart = xatlas.ChartOptions()
    chart.max_iterations = opts.max_chart_iterations
    chart.max_chart_area = area / max(opts.min_charts, opts.charts_per_sqrt_faces * np.sqrt(mesh.triangle_count))
    atlas = xatlas.Atlas()
    atlas.add_mesh(mesh.positions, mesh.indices, mesh.normals)
    # Pass 1: charts, packed freely at a guessed scale (single atlas, no overlay).
    atlas.generate(chart, _pack_options(0, float(np.sqrt(opts.fill_estimate * size * size / area)), pad))
    vmapping, indices, uv = atlas[0]
    width, height = atlas.width, atlas.height
    uv_texels = (uv * np.float32([width, height])).astype(np.float32)

    log.info(
        "unwrap: %d triangles, %d charts, free atlas %dx%d for %d",
        mesh.triangle_count,
        atlas.chart_count,
        width,
        height,
        size,
    )
    if 0.92 * size <= max(width, height) <= size:
        uv_final = uv_texels / np.float32(size)
    else:  # too big (padding would shrink) or wastefully small: re-pack at the right scale
        scale = 0.95 * size / np.sqrt(width * height)  # by area: a long free atlas re-packs square
        uv_final = _repack(uv_texels, indices, size, pad, scale, opts.max_repack_tries)
        if uv_final is None:  # keep pass 1, scaled down: padding shrinks, logged
            log.warning("unwrap: could not repack into one %d atlas; padding shrinks", size)
            uv_final = uv_texels / np.float32(max(width, height, size))
    return _split_mesh(mesh, vmapping, indices, np.clip(uv_final, 0.0, 1.0))


def unwrap_many(meshes: list[MeshData], opts: UnwrapOptions = UnwrapOptions(), workers: int = 1) -> list[MeshData]:
    """Return the meshes unwrapped, in order; ``workers`` > 1 unwraps in separate processes.

    Each mesh is unwrapped alone with the same options, so the output does
    not depend on ``workers`` (or on scheduling). Processes, not threads:
    the xatlas binding holds the GIL. Workers are spawned (not forked) so a
    parent that has started torch threads cannot deadlock them; a spawned
    worker re-imports the parent's main module (about a second), so batches
    under ``_PARALLEL_MIN_TRIANGLES`` in all run here, serially. Since xatlas
    already keeps ~1.4 cores busy per mesh, at most half the machine's cores
    are used as workers (measured best on 16 cores; on 2 cores, serial).
    """
    total = sum(m.triangle_count for m in meshes)
    workers = min(_usable_workers(workers), len(meshes))
    if workers <= 1 or total < _PARALLEL_MIN_TRIANGLES:
        return [unwrap(m, opts) for m in meshes]
    # Biggest first so a large mesh does not start last and leave workers idle.
    order = sorted(range(len(meshes)), key=lambda i: -meshes[i].triangle_count)
    context = multiprocessing.get_context("spawn")
    log.info("unwrap_many: %d meshes, %d worker processes", len(meshes), workers)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {i: pool.submit(unwrap, meshes[i], opts) for i in order}
        return [futures[i].result() for i in range(len(meshes))]


_PARALLEL_MIN_TRIANGLES = 50_000  # below this, unwrapping takes about as long as starting workers


def _usable_workers(asked: int) -> int:
    return min(asked, max(1, (os.cpu_count() or 1) // 2))


def _pack_options(resolution: int, texels_per_unit: float, padding: int) -> xatlas.PackOptions:
    pack = xatlas.PackOptions()
    pack.resolution = resolution
    pack.texels_per_unit = texels_per_unit
    pack.padding = padding
    pack.bilinear = True
    pack.blockAlign = True
    pack.bruteForce = False
    pack.rotate_charts = True
    return pack


def _repack(uv_texels: np.ndarray, indices: np.ndarray, size: int, pad: int, scale: float, tries: int):
    """Return uv in [0, 1] with the charts of ``uv_texels`` packed into one ``size`` atlas, or None."""
    for _ in range(tries):
        atlas = xatlas.Atlas()
        atlas.add_uv_mesh(uv_texels, indices)
        atlas.generate(xatlas.ChartOptions(), _pack_options(size, float(scale), pad))
        if atlas.atlas_count == 1:
            _, new_indices, uv = atlas[0]
            assert np.array_equal(new_indices, indices), "xatlas reordered a uv mesh"
            chart_atlas, _ = atlas.get_mesh_vertex_assignment(0)
            uv = uv * np.float32([atlas.width, atlas.height]) / np.float32(size)
            # Vertices of zero-area uv faces belong to no chart: park them at the origin.
            uv[chart_atlas.astype(np.int64) > 1 << 30] = 0.0
            return uv
        scale *= 0.9
    return None


def _split_mesh(mesh: MeshData, vmapping: np.ndarray, indices: np.ndarray, uv0: np.ndarray) -> MeshData:
    vm = vmapping.astype(np.int64)

    def take(a):
        return None if a is None else a[vm]

    return MeshData(
        positions=mesh.positions[vm],
        indices=indices,
        normals=take(mesh.normals),
        uv0=uv0,
        uv1=take(mesh.uv1),
        colors=take(mesh.colors),
    )
