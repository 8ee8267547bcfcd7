"""Marching cubes in vectorised torch: one code path for CPU and CUDA, plus a Triton fast path.

``marching_cubes(volume, level)`` returns a welded triangle mesh in index
coordinates. The surface is where ``volume`` crosses ``level``; a sample counts
as inside when ``value < level`` (SDF convention: negative inside), so a value
exactly at ``level`` is always outside. Triangles are counter-clockwise seen
from outside, so their normals point along the field's gradient.

How the torch path works (every step is a whole-tensor op, no loop over cells):

1. ``inside`` bits go into a grid padded by one replicated sample per axis, so
   every crossed edge has an *owner* cell (the cell whose min corner is the
   edge's low end) even on the grid's max faces; replicated samples never add
   a crossing.
2. Cube codes come from three shifted adds over the flat byte grid (one per
   axis), and active cells (code not 0 or 255) from one ``nonzero``.
3. Each active cell owns its crossed edges along +x, +y, +z; a cumulative sum
   over the owners numbers the vertices, so each crossed edge gets exactly one
   vertex and welding is free.
4. Triangles come from the tables in ``tables``; each corner finds its
   vertex through a cell -> compact-index map (a gather).

The Triton path (``triton_mc``) does the same in four kernels and is chosen
for CUDA tensors when Triton imports; ``kernel="torch"`` forces the reference.
Both give the same vertices and faces in the same order.

A sample exactly at ``level`` is outside, so the vertex of every crossed edge
that ends at it sits on that sample: such vertices coincide in position (their
ids stay distinct and the mesh stays watertight). A cleanup weld merges them.
"""

from __future__ import annotations

import logging

import torch

from exporters.errors import InputError
from pipelines.extract.grid import GridMesh, Kernel, device_tables, empty_mesh, validate_volume
from pipelines.extract.tables import MAX_TRIANGLES

log = logging.getLogger("hyworld.extract")


def marching_cubes(
    volume: torch.Tensor, level: float = 0.0, *, kernel: Kernel = "auto"
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return ``(vertices[V, 3] float32, faces[F, 3] int64)`` of the ``level`` surface of ``volume``.

    ``volume`` is a floating tensor ``[X, Y, Z]`` on any device; the results are
    on the same device, vertices in index coordinates. Every crossed grid edge
    gets exactly one vertex, and a surface that does not touch the grid's
    border comes out closed (every edge shared by exactly two triangles).
    """
    mesh = grid_mesh(volume, level, kernel=kernel)
    log.info(
        "marching cubes: kernel=%s device=%s grid=%s -> %d vertices, %d triangles",
        mesh.kernel,
        volume.device,
        tuple(volume.shape),
        mesh.vertices.shape[0],
        mesh.faces.shape[0],
    )
    return mesh.vertices, mesh.faces


def grid_mesh(
    volume: torch.Tensor, level: float = 0.0, *, kernel: Kernel = "auto", period_x: int | None = None
) -> GridMesh:
    """Return the marching-cubes ``GridMesh`` of ``volume`` (see ``marching_cubes``).

    ``period_x`` extracts a stack of independent blocks laid along axis 0, each
    ``period_x`` samples thick: no cell and no x-edge spans two blocks. Sparse
    extraction uses it to run many blocks in one call.
    """
    validate_volume(volume)
    period = volume.shape[0] if period_x is None else int(period_x)
    if period < 2 or volume.shape[0] % period:
        raise InputError(f"period_x={period_x} must be >= 2 and divide the volume's first axis {volume.shape[0]}")
    if kernel not in ("auto", "torch", "triton"):
        raise InputError(f"unknown marching-cubes kernel {kernel!r}: use 'auto', 'torch' or 'triton'")
    if kernel == "triton" or (kernel == "auto" and volume.is_cuda):
        from pipelines.extract import triton_mc

        if triton_mc.available(volume.device):
            return triton_mc.grid_mesh(volume, float(level), period)
        if kernel == "triton":
            raise InputError(f"the Triton kernel cannot run here ({triton_mc.unavailable_reason(volume.device)})")
        log.info("marching cubes: Triton unavailable (%s), using torch", triton_mc.unavailable_reason(volume.device))
    return _grid_mesh_torch(volume, float(level), period)


def _cube_codes(volume: torch.Tensor, level: float) -> tuple[torch.Tensor, torch.Tensor, tuple[int, int, int]]:
    """Return ``(codes, scratch, padded_shape)`` for the padded grid ``(X+1, Y+1, Z+1)``.

    ``codes[p]`` (flat uint8) is the code of the cell whose min corner is
    padded-grid point p; only points with x < X, y < Y, z < Z name real or
    owner cells. ``scratch`` is a second byte buffer of the grid's size (plus
    up to 8) for the caller to reuse: the two buffers are all the full-grid
    memory the torch path touches, so repeated calls recycle the same pages.
    """
    X, Y, Z = volume.shape
    shape = (X + 1, Y + 1, Z + 1)
    n = shape[0] * shape[1] * shape[2]
    sy, sx = shape[2], shape[1] * shape[2]
    a = torch.empty(n, dtype=torch.uint8, device=volume.device)
    b = torch.empty((n + 7) // 8 * 8, dtype=torch.uint8, device=volume.device)
    inside = b[:n].view(torch.bool).view(shape)
    torch.lt(volume, level, out=inside[:X, :Y, :Z])
    inside[X, :Y, :Z] = inside[X - 1, :Y, :Z]
    inside[:, Y, :Z] = inside[:, Y - 1, :Z]
    inside[:, :, Z] = inside[:, :, Z - 1]
    # Three separable adds build the 8-bit code: bit 4*dx + 2*dy + dz is corner (dx, dy, dz).
    torch.add(b[: n - 1], b[1:n], alpha=2, out=a[: n - 1])
    torch.add(a[: n - 1 - sy], a[sy : n - 1], alpha=4, out=b[: n - 1 - sy])
    m = n - 1 - sy - sx
    torch.add(b[:m], b[sx : sx + m], alpha=16, out=a[:m])
    return a[:m], b, shape


def _active(codes: torch.Tensor, scratch: torch.Tensor) -> torch.Tensor:
    """Return the sorted flat indices where ``codes`` is neither 0 nor 255 (``scratch`` is overwritten)."""
    m = codes.numel()
    t = scratch[: (m + 7) // 8 * 8]
    t[m:] = 0
    # (code + 1) wraps 255 to 0; halving maps 0 and 1 (codes 255 and 0) to 0 and the rest to >= 1.
    torch.add(codes, 1, out=t[:m])
    t[:m].bitwise_right_shift_(1)
    if codes.is_cuda:
        return torch.nonzero(t[:m]).squeeze(1)
    # On CPU, scan 8-byte words first: active cells are sparse, so this touches 8x fewer entries.
    hot = torch.nonzero(t.view(torch.int64)).squeeze(1)
    sub = torch.nonzero(t.view(-1, 8).index_select(0, hot)).t()
    return hot.index_select(0, sub[0]) * 8 + sub[1]


_CHUNK_BITS = 8  # cells per rank chunk: 256, so a rank inside a chunk fits in a byte


def _grid_mesh_torch(volume: torch.Tensor, level: float, period: int) -> GridMesh:
    dev = volume.device
    X, Y, Z = volume.shape
    codes_grid, scratch, (_, Yp, Zp) = _cube_codes(volume, level)
    lin = _active(codes_grid, scratch)
    z = lin % Zp
    y = (lin // Zp) % Yp
    keep = torch.nonzero((z < Z) & (y < Y)).squeeze(1)
    lin, y, z = lin.index_select(0, keep), y.index_select(0, keep), z.index_select(0, keep)
    if lin.numel() == 0:
        return empty_mesh(dev, "torch")
    x = lin // (Yp * Zp)
    code = codes_grid.index_select(0, lin).long()
    xl = x % period if period < X else x

    # Owned crossed edges: corner 0 against corners 4 (+x), 2 (+y), 1 (+z).
    own = torch.stack([code >> 4, code >> 2, code >> 1], 1).bitwise_xor_(code[:, None]).bitwise_and_(1)
    if period < X:
        own[:, 0] *= (xl < period - 1).long()  # no x-edge spans two stacked blocks
    ox, oy = own[:, 0], own[:, 1]
    count = ox + oy + own[:, 2]
    first = torch.cumsum(count, 0) - count
    # [K, 3] vertex id of each owned edge (written out: a cumsum over a 3-wide dim is slow on CUDA).
    vid = torch.stack([first, first + ox, first + ox + oy], 1)

    # Vertices: one per owned crossed edge, in (cell, axis) order, matching ``vid``.
    k, axis = torch.nonzero(own).unbind(1)
    strides = torch.tensor([Y * Z, Z, 1], dtype=torch.int64, device=dev)
    cell_point = (x * Y + y) * Z + z
    point = cell_point.index_select(0, k)
    flat = volume.reshape(-1)
    v0 = flat.index_select(0, point)
    v1 = flat.index_select(0, point + strides.index_select(0, axis))
    ftype = torch.float64 if volume.dtype == torch.float64 else torch.float32
    v0 = v0.to(ftype)
    t = ((level - v0) / (v1.to(ftype) - v0)).to(torch.float32)
    xyz = torch.stack([x, y, z], 1).index_select(0, k).to(torch.float32)
    eye = torch.eye(3, dtype=torch.float32, device=dev)
    verts = torch.addcmul(xyz, eye.index_select(0, axis), t[:, None])

    # Triangles, from the cells that lie whole inside the grid (or inside one stacked block).
    T = device_tables(dev)
    ntri = T["tri_count"].index_select(0, code)
    ntri *= ((xl < period - 1) & (y < Y - 1) & (z < Z - 1)).long()
    cell = torch.repeat_interleave(torch.arange(lin.numel(), device=dev), ntri)
    if cell.numel() == 0:
        none = torch.zeros((0,), dtype=torch.int64, device=dev)
        return GridMesh(verts, none.view(0, 3), point, axis, none, "torch")
    slot = torch.arange(cell.numel(), device=dev) - (torch.cumsum(ntri, 0) - ntri).index_select(0, cell)
    row = code.index_select(0, cell) * MAX_TRIANGLES + slot
    # Per (code, slot, corner): the owner cell's offset in the padded grid and the edge's axis.
    origin = T["edge_origin"]
    edge_off = (origin[:, 0] * Yp + origin[:, 1]) * Zp + origin[:, 2]
    tri = T["tri_edges"].clamp(min=0)
    owner = (lin.index_select(0, cell)[:, None] + edge_off[tri].index_select(0, row)).view(-1)
    # Owner cell -> compact index without a full-grid int32 map: the codes buffer (already in
    # memory) takes each active cell's rank inside its chunk of 256 cells, a small table the
    # index of each chunk's first active cell.
    chunk_first = torch.cumsum(torch.bincount(lin >> _CHUNK_BITS), 0)
    chunk_first = torch.cat([chunk_first.new_zeros(1), chunk_first])
    rank = torch.arange(lin.numel(), device=dev) - chunk_first.index_select(0, lin >> _CHUNK_BITS)
    codes_grid.index_copy_(0, lin, rank.to(torch.uint8))
    index = chunk_first.index_select(0, owner >> _CHUNK_BITS) + codes_grid.index_select(0, owner)
    slot_of = index * 3 + T["edge_axis"][tri].index_select(0, row).view(-1)
    faces = vid.view(-1).index_select(0, slot_of).view(-1, 3)
    return GridMesh(verts, faces, point, axis, cell_point.index_select(0, cell), "torch")
