"""Fields for what cannot be decimated directly: broken meshes, point clouds and Gaussian splats.

* A mesh that is open, non-manifold, self-intersecting or a soup becomes a
  narrow-band unsigned distance on the extraction grid, signed by a flood fill
  from the grid's border through cells farther than ``level`` from the
  surface: what the flood cannot reach is inside, so holes narrower than about
  twice the level close. The level starts at 0.6 cell (no flood crosses a
  surface then) and doubles, up to 4 cells, while nothing is found inside (an
  open shell with wide holes). Cells within ``level`` of the flood are outside
  too, so the sign flips at the surface itself, and over a hole where the two
  floods meet (a cap). A sheet with no inside at all becomes a thin closed
  shell at that distance.
* Splats become an opacity-weighted anisotropic Gaussian density: every
  Gaussian scatters ``SPLAT_SAMPLES`` samples drawn from its own covariance,
  each carrying opacity / samples, then a blur wide enough that each kernel
  gathers ``KERNEL_SAMPLES`` samples (``blur_cells``: sparse splats, more blur).
* Points become a point-set surface the same way as a broken mesh: the
  distance to the nearest point, signed by the flood fill, at a level no lower
  than the points' median spacing (so the gaps between points close).
* The density's surface level is chosen from the data: ``LEVEL_FRACTION`` of
  the median density at the (opaque) splat centres, which lie on the surface
  (so the surface stays within a kernel width of the centres; cavities are filled first, see below).
  Floaters (connected pieces holding under ``FLOATER_MASS`` of the largest
  piece's mass) are removed and one closing step shuts pinholes. A shell that
  encloses a cavity is made solid, and its surface moved in (at most 1.5
  cells) to pass through the splat centres (the median distance there).

Every grid becomes a metric signed distance (``GridSdf``) for the sparse
extraction, the normals and the bake's occlusion rays.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from pipelines.convert.fields import GridSdf
from pipelines.convert.surface import SourceSurface
from pipelines.extract.sparse import Grid, make_grid

SPLAT_SAMPLES = 8
LEVEL_FRACTION = 0.7
BLUR_CELLS = 0.75  # the least blur: half a cell's worth of smoothing on dense splats
MAX_BLUR_CELLS = 2.0  # the most: keeps the surface within ~1% of a sphere's diagonal at resolution 96
KERNEL_SAMPLES = 40  # samples a blur kernel should gather for the level crossing to be smooth
CAVITY_FRACTION = 0.2
FLOATER_MASS = 0.02
MIN_INSIDE = 0.002  # share of the grid that must be inside for a flood fill to count as having found a volume


def grid_points(grid: Grid) -> np.ndarray:
    axes = [np.arange(n) * grid.spacing_m + o for n, o in zip(grid.shape, grid.origin_m)]
    return np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 3)


def mesh_grid(
    surface: SourceSurface | PointSet, lo, hi, resolution: int, min_level: float = 0.0
) -> tuple[GridSdf, dict]:
    """Return the signed distance grid of a broken mesh (or a point set) and what was decided (level, inside share)."""
    grid = make_grid(lo, hi, resolution)
    h = grid.spacing_m
    pts = grid_points(grid)
    udf = surface.udf(pts, upper=6.0 * h)
    band = udf < 2.0 * h  # exact distances where the surface is near
    if band.any() and isinstance(surface, SourceSurface):
        udf[band] = surface.closest(pts[band], k=4)[3]
    udf = np.minimum(udf, 6.0 * h).reshape(grid.shape)
    for level_cells in (0.6, 1.2, 2.4, 4.0):
        level = max(level_cells * h, min_level)
        outside = _flood(udf > level)
        inside_share = float((~outside & (udf > level)).mean())
        if inside_share >= MIN_INSIDE:
            break
    if inside_share >= MIN_INSIDE:
        # The flood stops ``level`` short of the surface; cells nearer the outside than that are
        # outside too, and the rest is inside: the sign flips at the surface itself (exact
        # distances there) and, over a hole, where the two floods meet (a cap).
        near_outside = ndimage.distance_transform_edt(~outside) * h < level
        values = np.where(outside | near_outside, udf, -udf)
    else:  # a sheet with no inside: a thin closed shell ``level`` around it
        values = _metric(udf - level, udf < level, h)
    decided = {"method": "unsigned distance + flood fill", "level_m": round(level, 6), "level_cells": level_cells,
               "inside_share": round(inside_share, 5), "closed_volume": inside_share >= MIN_INSIDE}  # fmt: skip
    return GridSdf(np.asarray(grid.origin_m), h, values.astype(np.float32)), decided


class PointSet:
    """Points as a surface for ``mesh_grid``: the unsigned distance is the distance to the nearest point."""

    def __init__(self, positions: np.ndarray) -> None:
        self.tree = cKDTree(positions, balanced_tree=False, compact_nodes=False)
        d, _ = self.tree.query(positions, k=2, workers=2)
        self.spacing = float(np.median(d[:, 1]))  # the level: gaps between neighbours close

    def udf(self, q: np.ndarray, upper: float = np.inf) -> np.ndarray:
        return self.tree.query(q, k=1, distance_upper_bound=upper, workers=2)[0]


def density_grid(positions, axes, weights, lo, hi, resolution: int, seed: int) -> tuple[GridSdf, dict]:
    """Return the signed distance grid of a density made of Gaussians (``axes`` [N, 3, 3]: x = mu + axes @ z)."""
    grid = make_grid(lo, hi, resolution)
    h = grid.spacing_m
    rng = np.random.default_rng(seed)
    dens = np.zeros(grid.num_points)
    n = len(positions)
    chunk = 1 << 18
    for start in range(0, n, chunk):
        mu, ax, w = positions[start : start + chunk], axes[start : start + chunk], weights[start : start + chunk]
        z = rng.standard_normal((len(mu), SPLAT_SAMPLES, 3))
        x = mu[:, None, :] + np.einsum("nij,nsj->nsi", ax, z)
        dens += np.bincount(
            _cell(grid, x.reshape(-1, 3)), np.repeat(w / SPLAT_SAMPLES, SPLAT_SAMPLES), grid.num_points + 1
        )[:-1]
    blur = blur_cells(n, int(np.count_nonzero(dens)))
    dens = ndimage.gaussian_filter(dens.reshape(grid.shape), blur, mode="constant")
    at_centres = dens.reshape(-1)[
        _cell(grid, positions)[weights > 0.5] if (weights > 0.5).any() else _cell(grid, positions)
    ]
    at_centres = at_centres[at_centres > 0] if (at_centres > 0).any() else np.array([dens.max() or 1.0])
    level = LEVEL_FRACTION * float(np.median(at_centres))
    inside = dens > level
    labels, count = ndimage.label(inside)
    removed = 0
    if count > 1:
        mass = ndimage.sum(dens, labels, index=np.arange(1, count + 1))
        keep = np.concatenate([[False], mass >= FLOATER_MASS * mass.max()])
        removed = int(count - keep[1:].sum())
        inside = keep[labels]
    inside = ndimage.binary_closing(inside, iterations=1) | inside
    # Cavities a shell of splats encloses are inside (one surface, not two): the flood that finds
    # them runs through thinner density than the level, so pinholes in the shell do not let it in.
    cavity = ~_flood(dens < CAVITY_FRACTION * level) & ~inside
    inside |= cavity
    first = (level - dens) / max(_typical_gradient(dens, level, h), 1e-12)
    values = _metric(first, inside, h)
    moved = 0.0
    if cavity.sum() > inside.sum() // 4:  # a closed shell, now solid: its surface goes through the splat centres
        centres = _cell(grid, positions[weights > 0.5] if (weights > 0.5).any() else positions)
        at = values.reshape(-1)[centres[centres < grid.num_points]]
        moved = float(np.clip(-np.median(at), 0.0, 1.5 * h)) if len(at) else 0.0
        values = values + moved
    decided = {"method": "Gaussian density", "blur_cells": round(blur, 4), "level": float(f"{level:.6g}"), "level_fraction": LEVEL_FRACTION,
               "floaters_removed": removed, "pieces_kept": int(count - removed), "moved_in_m": round(moved, 6)}  # fmt: skip
    return GridSdf(np.asarray(grid.origin_m), h, values.astype(np.float32)), decided


def blur_cells(splats: int, occupied_cells: int) -> float:
    """Return the density's blur (Gaussian sigma, cells): wide enough that each kernel gathers ``KERNEL_SAMPLES``.

    Sparse splats on a fine grid leave a cell or two of samples per surface cell:
    that Monte Carlo noise crosses the level everywhere and the surface comes out
    full of handles and bubbles (372k triangles for 20k splats at resolution 160,
    thousands of tiny UV charts that no lightmap fits). A kernel on a surface
    covers about 4 pi sigma² cells, so sigma = sqrt(KERNEL_SAMPLES / (4 pi m)) for m
    samples per occupied cell, between ``BLUR_CELLS`` and ``MAX_BLUR_CELLS``.
    """
    per_cell = splats * SPLAT_SAMPLES / max(occupied_cells, 1)
    return float(np.clip(np.sqrt(KERNEL_SAMPLES / (4.0 * np.pi * per_cell)), BLUR_CELLS, MAX_BLUR_CELLS))


def _cell(grid: Grid, x: np.ndarray) -> np.ndarray:
    """Return the flat index of the nearest grid sample of each point (points off the grid: the last, dropped, bin)."""
    idx = np.rint((x - np.asarray(grid.origin_m)) / grid.spacing_m).astype(np.int64)
    shape = np.asarray(grid.shape)
    ok = ((idx >= 0) & (idx < shape)).all(1)
    flat = (idx[:, 0] * shape[1] + idx[:, 1]) * shape[2] + idx[:, 2]
    return np.where(ok, flat, grid.num_points)


def _flood(free: np.ndarray) -> np.ndarray:
    """Return the cells of ``free`` connected (6-neighbours) to the grid's border."""
    labels, _ = ndimage.label(free)
    border = np.unique(
        np.concatenate([labels[[0, -1]].ravel(), labels[:, [0, -1]].ravel(), labels[:, :, [0, -1]].ravel()])
    )
    return np.isin(labels, border[border > 0])


def _typical_gradient(dens: np.ndarray, level: float, h: float) -> float:
    g = np.linalg.norm(np.stack(np.gradient(dens, h)), axis=0)
    near = np.abs(dens - level) < 0.25 * level
    return float(np.median(g[near])) if near.any() else float(g.max() or 1.0)


def _metric(first: np.ndarray, inside: np.ndarray, h: float) -> np.ndarray:
    """Return a signed distance in meters: ``first`` near the surface where its sign agrees with ``inside``, else distance transforms."""
    d_out = ndimage.distance_transform_edt(~inside) * h - 0.5 * h
    d_in = ndimage.distance_transform_edt(inside) * h - 0.5 * h
    far = np.where(inside, -d_in, d_out)
    agree = (first < 0) == inside
    near = agree & (np.abs(far) <= 1.5 * h)  # the first-order value is only trusted next to the surface
    return np.where(near, np.clip(first, -1.5 * h, 1.5 * h), far)
