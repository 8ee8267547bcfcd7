"""Narrow-band extraction of a signed-distance callable: evaluate only where the surface can be.

``extract_sdf(sdf, bounds_min, bounds_max, resolution, device)`` samples a grid
over the bounds (padded by one cell, so closed objects come out closed) and
returns the welded ``level`` surface in local meters.

Small grids are sampled whole ("dense"). Larger ones ("sparse") use the
field's 1-Lipschitz bound: a block whose centre has ``|sdf - level|`` above its
half diagonal holds no surface, so it is skipped. Blocks are refined from
coarse to fine (each surviving block splits in eight) down to leaf blocks of
``block`` cells. Leaves are taken in batches of a bounded number of samples:
their samples are evaluated in sdf calls of at most ``max_points_per_call``
points and extracted together by one marching-cubes call (leaves stacked
along x, see ``extract.grid_mesh``), so memory stays bounded by the batch and
the output. Every vertex carries its global grid-edge key, so the vertices
that neighbouring leaves share are welded by one ``unique``; the result has the
dense path's vertices in the same order and the same triangles.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch

from exporters.asset import MeshData
from exporters.errors import InputError, ResourceError
from pipelines.extract.dense import Kernel, grid_mesh

log = logging.getLogger("hyworld.extract")

Sdf = Callable[[torch.Tensor], torch.Tensor]
Mode = Literal["auto", "dense", "sparse"]

DENSE_MAX_POINTS = 2**21  # auto mode samples grids up to ~128^3 whole
# Points per sdf call and per marching-cubes batch. Small sdf calls keep a CPU's
# temporaries in cache; a GPU wants large launches.
_CALL_POINTS = {"cpu": 2**18, "cuda": 2**22}
_BATCH_POINTS = {"cpu": 2**21, "cuda": 2**24}
_TOP_BLOCKS = 4096  # coarsest level of the sparse hierarchy has at most this many blocks
_DENSE_BYTES_PER_POINT = 14  # float sample + two byte grids of marching cubes + slack
_MESH_BYTES_PER_LEAF_CELL2 = 220  # output + welding bytes per (leaf side in cells)^2 of active leaf (measured)


@dataclass(frozen=True)
class Grid:
    """A regular sample grid in local meters: sample (i, j, k) sits at ``origin_m + (i, j, k) * spacing_m``."""

    origin_m: tuple[float, float, float]
    spacing_m: float
    shape: tuple[int, int, int]  # samples per axis (cells + 1)

    @property
    def cells(self) -> tuple[int, int, int]:
        return tuple(n - 1 for n in self.shape)  # type: ignore[return-value]

    @property
    def num_points(self) -> int:
        return self.shape[0] * self.shape[1] * self.shape[2]

    def points(self, start: tuple[int, int, int], stop: tuple[int, int, int], device) -> torch.Tensor:
        """Return the local-meter points [N, 3] of samples ``start <= index < stop``, x-major."""
        axes = [
            torch.arange(a, b, device=device, dtype=torch.float32) * self.spacing_m + o
            for a, b, o in zip(start, stop, self.origin_m)
        ]
        return torch.stack(torch.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 3)


def make_grid(bounds_min, bounds_max, resolution: int) -> Grid:
    """Return the grid with ``resolution`` cells along the longest side of the bounds, padded one cell per side."""
    lo = np.asarray(bounds_min, dtype=np.float64).reshape(-1)
    hi = np.asarray(bounds_max, dtype=np.float64).reshape(-1)
    if lo.shape != (3,) or hi.shape != (3,) or not (np.isfinite(lo).all() and np.isfinite(hi).all()):
        raise InputError(f"bounds must be two finite 3-vectors, got {bounds_min!r} and {bounds_max!r}")
    size = hi - lo
    if (size < 0).any() or size.max() <= 0:
        raise InputError(f"bounds_max {tuple(hi)} must be >= bounds_min {tuple(lo)} with some extent")
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or resolution < 1:
        raise InputError(f"resolution must be a positive integer (cells along the longest side), got {resolution!r}")
    h = float(size.max()) / int(resolution)
    cells = np.maximum(np.ceil(size / h - 1e-6), 1).astype(np.int64) + 2
    origin = (lo + hi) / 2 - cells * h / 2
    return Grid(tuple(float(v) for v in origin), h, tuple(int(c) + 1 for c in cells))


def grid_points(grid: Grid, device) -> torch.Tensor:
    """Return every sample point of ``grid`` as [N, 3] local meters, x-major (small grids only)."""
    return grid.points((0, 0, 0), grid.shape, device)


@dataclass
class ExtractStats:
    """What an extraction did: which path and kernel, how much it sampled, how much memory it needed."""

    mode: str  # "dense" or "sparse"
    kernel: str  # marching-cubes kernel: "torch" or "triton"
    device: str
    resolution: int
    grid_shape: tuple[int, int, int]  # samples per axis
    spacing_m: float
    points_total: int  # samples of the whole grid
    points_evaluated: int  # sdf evaluations, all levels of the hierarchy included
    cells_evaluated: int  # cells classified at full resolution
    blocks_total: int  # leaf blocks of the grid (sparse); 0 in dense mode
    blocks_active: int  # leaf blocks the surface can cross (sparse); 0 in dense mode
    peak_bytes_estimate: int
    seconds: float


@dataclass
class ExtractResult:
    """The extracted surface: vertices in the field's local meters, faces counter-clockwise from outside."""

    vertices_local: torch.Tensor  # [V, 3] float32
    faces: torch.Tensor  # [F, 3] int64
    stats: ExtractStats

    def to_mesh_data(self) -> MeshData:
        """Return the mesh as a numpy ``MeshData`` (positions and uint32 indices only)."""
        return MeshData(self.vertices_local.detach().cpu().numpy(), self.faces.detach().cpu().numpy())


def extract_sdf(
    sdf: Sdf,
    bounds_min,
    bounds_max,
    resolution: int,
    device,
    *,
    level: float = 0.0,
    block: int = 8,
    mode: Mode = "auto",
    kernel: Kernel = "auto",
    margin_cells: float = 0.5,
    max_points_per_call: int | None = None,
    memory_limit_bytes: int | None = None,
) -> ExtractResult:
    """Return the ``level`` surface of ``sdf`` over the bounds as an ``ExtractResult``.

    ``sdf`` maps local points [N, 3] (float32, on ``device``) to values [N] and
    must be 1-Lipschitz for the sparse path to be exact. ``block`` is the leaf
    block side in cells; ``margin_cells`` widens the Lipschitz test against
    rounding; ``max_points_per_call`` bounds each sdf call (default 2^18 points
    on CPU, 2^22 on CUDA); marching cubes runs on batches of leaves of at most
    2^21 (CPU) or 2^24 (CUDA) samples, which bounds memory.
    Raises ``ResourceError`` when the grid or its mesh would not fit in
    ``memory_limit_bytes`` (default: the device's available memory).
    """
    started = time.perf_counter()
    device = torch.device(device)
    grid = make_grid(bounds_min, bounds_max, resolution)
    if mode not in ("auto", "dense", "sparse"):
        raise InputError(f"unknown extraction mode {mode!r}: use 'auto', 'dense' or 'sparse'")
    if int(block) < 2:
        raise InputError(f"block must be at least 2 cells, got {block!r}")
    limit = memory_limit_bytes if memory_limit_bytes is not None else available_memory(device)
    kind = "cuda" if device.type == "cuda" else "cpu"
    call = int(max_points_per_call) if max_points_per_call else _CALL_POINTS[kind]
    if call < 1:
        raise InputError(f"max_points_per_call must be positive, got {max_points_per_call!r}")
    if mode == "auto":
        mode = "dense" if grid.num_points <= DENSE_MAX_POINTS else "sparse"
    if mode == "dense":
        result = _extract_dense(sdf, grid, device, float(level), kernel, call, limit)
    else:
        batch = max(call, _BATCH_POINTS[kind])
        result = _extract_sparse(sdf, grid, device, float(level), int(block), kernel, margin_cells, call, batch, limit)
    result.stats.resolution = int(resolution)
    result.stats.seconds = time.perf_counter() - started
    s = result.stats
    log.info(
        "extract: mode=%s kernel=%s device=%s grid=%s evaluated %d of %d points, %d/%d leaf blocks, "
        "%d vertices, %d triangles, ~%.0f MB peak, %.2f s",
        s.mode,
        s.kernel,
        s.device,
        s.grid_shape,
        s.points_evaluated,
        s.points_total,
        s.blocks_active,
        s.blocks_total,
        result.vertices_local.shape[0],
        result.faces.shape[0],
        s.peak_bytes_estimate / 2**20,
        s.seconds,
    )
    return result


def available_memory(device: torch.device) -> int:
    """Return the bytes an extraction may use on ``device``: free GPU memory, or MemAvailable on CPU."""
    if device.type == "cuda":
        return int(torch.cuda.mem_get_info(device)[0])
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 8 * 2**30


def _evaluate(sdf: Sdf, points: torch.Tensor, max_points: int) -> torch.Tensor:
    """Return sdf values [N] float32 for points [N, 3], calling ``sdf`` on chunks of at most ``max_points``."""
    if points.shape[0] <= max_points:
        return _checked(sdf(points), points.shape[0])
    return torch.cat([_checked(sdf(c), c.shape[0]) for c in torch.split(points, max_points)])


def _checked(values: torch.Tensor, n: int) -> torch.Tensor:
    values = values.reshape(-1) if values.dim() == 2 and values.shape[-1] == 1 else values
    if values.shape != (n,):
        raise InputError(f"sdf returned shape {tuple(values.shape)} for {n} points; expected ({n},)")
    return values.to(torch.float32)


def _extract_dense(sdf, grid: Grid, device, level, kernel, max_points, limit) -> ExtractResult:
    need = grid.num_points * _DENSE_BYTES_PER_POINT
    if need > limit:
        raise ResourceError(
            f"a dense {grid.shape[0]}x{grid.shape[1]}x{grid.shape[2]} grid needs ~{need / 2**30:.1f} GiB "
            f"but {limit / 2**30:.1f} GiB is available: lower the resolution or use sparse extraction"
        )
    X, Y, Z = grid.shape
    volume = torch.empty(grid.shape, dtype=torch.float32, device=device)
    slab = max(1, max_points // (Y * Z))
    for x0 in range(0, X, slab):
        x1 = min(X, x0 + slab)
        pts = grid.points((x0, 0, 0), (x1, Y, Z), device)
        volume[x0:x1] = _evaluate(sdf, pts, max_points).view(x1 - x0, Y, Z)
    mesh = grid_mesh(volume, level, kernel=kernel)
    ep = mesh.edge_point
    g = torch.stack([ep // (Y * Z), (ep // Z) % Y, ep % Z], 1)
    verts = _edge_vertices_local(volume, ep, mesh.edge_axis, g, level, grid)
    stats = ExtractStats(
        "dense",
        mesh.kernel,
        str(device),
        0,
        grid.shape,
        grid.spacing_m,
        grid.num_points,
        grid.num_points,
        (X - 1) * (Y - 1) * (Z - 1),
        0,
        0,
        need,
        0.0,
    )
    return ExtractResult(verts, mesh.faces, stats)


def _edge_vertices_local(
    volume: torch.Tensor, edge_point: torch.Tensor, edge_axis: torch.Tensor, g: torch.Tensor, level: float, grid: Grid
) -> torch.Tensor:
    """Return float32 local meters of the vertices on edges (``edge_point``, ``edge_axis``) of ``volume``.

    ``g`` [V, 3] is each edge's low sample in global grid indices. The position is
    built in float64 from the integer index and the fraction along the edge, so it
    does not depend on where the sample sat in a stacked volume or how big the grid is.
    """
    X, Y, Z = volume.shape
    flat = volume.reshape(-1)
    strides = torch.tensor([Y * Z, Z, 1], dtype=torch.int64, device=volume.device)
    v0 = flat.index_select(0, edge_point)
    v1 = flat.index_select(0, edge_point + strides.index_select(0, edge_axis))
    t = ((level - v0) / (v1 - v0)).to(torch.float64)  # the float32 division marching cubes does
    pos = g.to(torch.float64)
    pos[torch.arange(pos.shape[0], device=pos.device), edge_axis] += t
    origin = torch.tensor(grid.origin_m, dtype=torch.float64, device=volume.device)
    return (pos * grid.spacing_m + origin).to(torch.float32)


def _active_leaves(sdf, grid: Grid, device, level, leaf, margin_cells, chunk) -> tuple[torch.Tensor, int]:
    """Return the leaf blocks the surface can cross, as sorted int64 [L, 3] leaf coordinates, and points evaluated.

    Blocks are refined by halving from a coarse level with at most ``_TOP_BLOCKS``
    blocks. The last test runs on half-leaves (a leaf is kept when one of its
    eight halves passes): about 7% fewer samples than testing whole leaves on
    the bench scene, for eight centre samples per leaf.
    """
    cells = torch.tensor(grid.cells, dtype=torch.int64, device=device)
    finest = leaf // 2 if leaf % 2 == 0 else leaf
    size = finest
    while math.prod(-(-c // size) for c in grid.cells) > _TOP_BLOCKS:
        size *= 2
    blocks = torch.stack(
        torch.meshgrid(*[torch.arange(-(-c // size), device=device) for c in grid.cells], indexing="ij"), -1
    ).reshape(-1, 3)
    origin = torch.tensor(grid.origin_m, dtype=torch.float32, device=device)
    children = torch.stack(torch.meshgrid(*[torch.arange(2, device=device)] * 3, indexing="ij"), -1).reshape(-1, 3)
    evaluated = 0
    while True:
        lo = blocks * size
        hi = torch.minimum(lo + size, cells)
        keep = (lo < cells).all(1)
        blocks, lo, hi = blocks[keep], lo[keep], hi[keep]
        centre = origin + (lo + hi).to(torch.float32) * (grid.spacing_m / 2)
        half_diag = (hi - lo).to(torch.float32).norm(dim=1) * (grid.spacing_m / 2)
        value = _evaluate(sdf, centre, chunk)
        evaluated += centre.shape[0]
        blocks = blocks[(value - level).abs() <= half_diag + margin_cells * grid.spacing_m]
        if size == finest or blocks.shape[0] == 0:
            break
        size //= 2
        blocks = (blocks[:, None, :] * 2 + children[None]).reshape(-1, 3)
    if finest != leaf:
        blocks = blocks // 2
    nl = [-(-c // leaf) for c in grid.cells]
    # unique() sorts the flat keys: leaves come out in x-major order.
    key = torch.unique((blocks[:, 0] * nl[1] + blocks[:, 1]) * nl[2] + blocks[:, 2])
    return torch.stack([key // (nl[1] * nl[2]), (key // nl[2]) % nl[1], key % nl[2]], 1), evaluated


def _extract_sparse(
    sdf, grid: Grid, device, level, leaf, kernel, margin_cells, max_points, batch_points, limit
) -> ExtractResult:
    leaves, evaluated = _active_leaves(sdf, grid, device, level, leaf, margin_cells, max_points)
    n_leaves = leaves.shape[0]
    blocks_total = math.prod(-(-c // leaf) for c in grid.cells)
    out_bytes = n_leaves * leaf * leaf * _MESH_BYTES_PER_LEAF_CELL2
    side = leaf + 1
    per_batch = max(1, batch_points // side**3)
    batch_bytes = min(per_batch, max(n_leaves, 1)) * side**3 * 48  # points, values, marching-cubes temporaries
    if out_bytes + batch_bytes > limit:
        raise ResourceError(
            f"a {grid.shape[0]}x{grid.shape[1]}x{grid.shape[2]} grid would produce a mesh needing "
            f"~{out_bytes / 2**30:.1f} GiB ({n_leaves} active {leaf}^3 blocks) but {limit / 2**30:.1f} GiB "
            "is available: lower the resolution"
        )
    P = torch.tensor(grid.shape, dtype=torch.int64, device=device)
    Q = P + side  # key strides: leaves at the far faces overhang the grid, and their keys must not alias
    local = torch.stack(torch.meshgrid(*[torch.arange(side, device=device)] * 3, indexing="ij"), -1).reshape(-1, 3)
    origin = torch.tensor(grid.origin_m, dtype=torch.float32, device=device)
    verts, vkeys, faces, fkeys = [], [], [], []
    used_kernel, nverts = "torch", 0
    for b0 in range(0, n_leaves, per_batch):
        batch = leaves[b0 : b0 + per_batch]
        nb = batch.shape[0]
        first = batch * leaf  # global index of each leaf's first sample
        pts = origin + (first[:, None, :] + local[None]).reshape(-1, 3).to(torch.float32) * grid.spacing_m
        values = _evaluate(sdf, pts, max_points).view(nb * side, side, side)
        evaluated += pts.shape[0]
        del pts
        mesh = grid_mesh(values, level, kernel=kernel, period_x=side)
        used_kernel = mesh.kernel
        # Stacked-grid integers -> global sample coordinates.
        shift = first.clone()
        shift[:, 0] -= torch.arange(nb, device=device) * side
        ep = mesh.edge_point
        sx, sy, sz = ep // (side * side), (ep // side) % side, ep % side
        g = torch.stack([sx, sy, sz], 1) + shift.index_select(0, sx // side)
        vkeys.append(((g[:, 0] * Q[1] + g[:, 1]) * Q[2] + g[:, 2]) * 3 + mesh.edge_axis)
        verts.append(_edge_vertices_local(values, ep, mesh.edge_axis, g, level, grid))
        fc = mesh.face_cell
        cx, cy, cz = fc // (side * side), (fc // side) % side, fc % side
        c = torch.stack([cx, cy, cz], 1) + shift.index_select(0, cx // side)
        inside = (c < P - 1).all(1)  # leaves at the far faces overhang the grid: drop those cells
        fkeys.append((c[inside, 0] * Q[1] + c[inside, 1]) * Q[2] + c[inside, 2])
        faces.append(mesh.faces[inside] + nverts)
        nverts += mesh.vertices.shape[0]
    peak = out_bytes + batch_bytes
    stats = ExtractStats(
        "sparse",
        used_kernel,
        str(device),
        0,
        grid.shape,
        grid.spacing_m,
        grid.num_points,
        evaluated,
        n_leaves * leaf**3,
        blocks_total,
        n_leaves,
        peak,
        0.0,
    )
    if not faces or sum(f.shape[0] for f in faces) == 0:
        empty = ExtractResult(
            torch.zeros((0, 3), dtype=torch.float32, device=device),
            torch.zeros((0, 3), dtype=torch.int64, device=device),
            stats,
        )
        return empty
    vkey = torch.cat(vkeys)
    del vkeys
    # Weld: one vertex per global edge key. ``unique`` sorts the keys, which is the dense path's order.
    ukey, inverse = torch.unique(vkey, return_inverse=True)
    face = inverse.index_select(0, torch.cat(faces).view(-1)).view(-1, 3)
    del faces
    fkey = torch.cat(fkeys)
    # Triangles in global cell order (stable: slot order inside a cell is kept), as the dense path emits them.
    face = face.index_select(0, torch.sort(fkey, stable=True).indices)
    all_verts = torch.cat(verts)
    first_of = torch.full((ukey.shape[0],), vkey.shape[0], dtype=torch.int64, device=device)
    first_of.scatter_reduce_(0, inverse, torch.arange(vkey.shape[0], device=device), "amin")
    # Keep only vertices some kept face uses (those of overhanging cells are dropped).
    used = torch.zeros(ukey.shape[0], dtype=torch.bool, device=device)
    used[face.view(-1)] = True
    renumber = torch.cumsum(used.long(), 0) - 1
    vertices = all_verts.index_select(0, first_of[used])
    return ExtractResult(vertices, renumber.index_select(0, face.view(-1)).view(-1, 3), stats)
