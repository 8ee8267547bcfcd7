"""Triton marching cubes for CUDA: the torch path of ``dense.py`` in four kernels.

1. ``_count``: per tile of 1024 cells of one x-plane, classify (8 corner
   loads, mostly cache hits) and count owned crossed edges, triangles and
   "working" cells (those that own a vertex or emit a triangle);
2. a ``cumsum`` over the per-tile counts gives every tile its output offsets
   (deterministic, unlike atomics), and one small copy to the host sizes the
   outputs;
3. ``_compact``: tiles with work classify again and list their working cells
   with their first vertex and first triangle; empty tiles return at once;
4. ``_vertices``: one lane per listed cell writes its vertices and the
   owner-map entry (first vertex * 8 + crossed-edge bits) at its cell;
5. ``_triangles``: one lane per (listed cell, table slot) looks its vertex up
   in the owner cell's map entry.

The output is identical in order to the torch path (cells in flat order, then
axis or table slot), so the torch path is the reference in tests. Nothing
grid-sized is copied to the host, and the owner map is never cleared: it is
read only at cells that wrote it. With ``TRITON_INTERPRET=1`` the kernels also
run on CPU tensors (slowly), which the tests use to compare with torch.
"""

from __future__ import annotations

import os

import torch

from pipelines.extract.grid import GridMesh, device_tables, empty_mesh
from pipelines.extract.tables import MAX_TRIANGLES

try:  # Triton is optional: CUDA machines have it, the CPU path never needs it.
    import triton
    import triton.language as tl

    _IMPORT_ERROR: str | None = None
except Exception as exc:  # pragma: no cover - depends on the machine
    triton = None
    tl = None
    _IMPORT_ERROR = f"triton does not import: {exc}"

BLOCK = 1024  # cells per program in the grid passes
BLOCK_CELLS = 128  # listed cells per program in the vertex and triangle passes


def interpret_mode() -> bool:
    return os.environ.get("TRITON_INTERPRET", "0") == "1"


def unavailable_reason(device: torch.device) -> str:
    if _IMPORT_ERROR:
        return _IMPORT_ERROR
    if device.type != "cuda" and not interpret_mode():
        return f"device {device} is not CUDA"
    return ""


def available(device: torch.device) -> bool:
    """Return True when the Triton kernels can run on ``device``."""
    return not unavailable_reason(device)


if triton is not None:

    @triton.jit
    def _classify(vol, level, pid, tiles_per_plane, X, Y, Z, period, BLOCK: tl.constexpr, BIG: tl.constexpr):
        """Return the tile's cells: flat index, y, z, code, owned crossed edges, real-cell flag, in-x-block flag.

        A program covers BLOCK consecutive cells of one x-plane, so x and the
        stacked-block test are per program and only y needs a division.
        """
        x = pid // tiles_per_plane
        YZ = Y * Z
        r = (pid - x * tiles_per_plane) * BLOCK + tl.arange(0, BLOCK)
        m = r < YZ
        if BIG:
            p = x.to(tl.int64) * YZ + r
        else:
            p = x * YZ + r
        y = r // Z
        z = r - y * Z
        # Replicate the last sample past the grid's max faces: the owner cells there see no crossing.
        dx = tl.where(x + 1 < X, YZ, 0)
        dy = tl.where(y + 1 < Y, Z, 0)
        dz = tl.where(z + 1 < Z, 1, 0)
        code = (tl.load(vol + p, mask=m, other=0.0) < level).to(tl.int32)
        code |= (tl.load(vol + p + dz, mask=m, other=0.0) < level).to(tl.int32) << 1
        code |= (tl.load(vol + p + dy, mask=m, other=0.0) < level).to(tl.int32) << 2
        code |= (tl.load(vol + p + dy + dz, mask=m, other=0.0) < level).to(tl.int32) << 3
        code |= (tl.load(vol + p + dx, mask=m, other=0.0) < level).to(tl.int32) << 4
        code |= (tl.load(vol + p + dx + dz, mask=m, other=0.0) < level).to(tl.int32) << 5
        code |= (tl.load(vol + p + dx + dy, mask=m, other=0.0) < level).to(tl.int32) << 6
        code |= (tl.load(vol + p + dx + dy + dz, mask=m, other=0.0) < level).to(tl.int32) << 7
        inner_x = (x % period) < period - 1  # a cell or x-edge inside one stacked block
        own_x = tl.where(inner_x, ((code >> 4) ^ code) & 1, 0)
        own = tl.where(m, own_x + (((code >> 2) ^ code) & 1) * 2 + (((code >> 1) ^ code) & 1) * 4, 0)
        real = m & inner_x & (y < Y - 1) & (z < Z - 1)
        return p, code, own, real, inner_x

    # Shapes change with every grid and batch; specialising on them would recompile each time.
    _SHAPE_ARGS = ["tiles", "tiles_per_plane", "X", "Y", "Z", "period"]

    @triton.jit
    def _popcount3(bits):
        return (bits & 1) + ((bits >> 1) & 1) + ((bits >> 2) & 1)

    @triton.jit(do_not_specialize=_SHAPE_ARGS)
    def _count(
        vol, level, counts, tri_count, tiles, tiles_per_plane, X, Y, Z, period, BLOCK: tl.constexpr, BIG: tl.constexpr
    ):
        pid = tl.program_id(0)
        p, code, own, real, inner_x = _classify(vol, level, pid, tiles_per_plane, X, Y, Z, period, BLOCK, BIG)
        nt = tl.where(real, tl.load(tri_count + code), 0)
        work = ((own > 0) | (nt > 0)).to(tl.int32)
        tl.store(counts + pid, tl.sum(_popcount3(own), axis=0))
        tl.store(counts + tiles + pid, tl.sum(nt, axis=0))
        tl.store(counts + 2 * tiles + pid, tl.sum(work, axis=0))

    @triton.jit(do_not_specialize=_SHAPE_ARGS)
    def _compact(
        vol,
        level,
        counts,
        starts,
        tri_count,
        cell_p,
        cell_info,
        cell_v,
        cell_t,
        tiles,
        tiles_per_plane,
        X,
        Y,
        Z,
        period,
        BLOCK: tl.constexpr,
        BIG: tl.constexpr,
    ):
        """List the cells that own a vertex or emit a triangle, with their first vertex and triangle."""
        pid = tl.program_id(0)
        if tl.load(counts + 2 * tiles + pid) > 0:  # most tiles hold no surface: skip them whole
            p, code, own, real, inner_x = _classify(vol, level, pid, tiles_per_plane, X, Y, Z, period, BLOCK, BIG)
            nv = _popcount3(own)
            nt = tl.where(real, tl.load(tri_count + code), 0)
            work = ((own > 0) | (nt > 0)).to(tl.int32)
            slot = tl.load(starts + 2 * tiles + pid) + (tl.cumsum(work, axis=0) - work)
            vfirst = tl.load(starts + pid) + (tl.cumsum(nv, axis=0) - nv)
            tfirst = tl.load(starts + tiles + pid) + (tl.cumsum(nt, axis=0) - nt)
            keep = work > 0
            tl.store(cell_p + slot, p.to(tl.int64), mask=keep)
            tl.store(cell_info + slot, code | (own << 8) | (nt << 11), mask=keep)
            tl.store(cell_v + slot, vfirst.to(tl.int64), mask=keep)
            tl.store(cell_t + slot, tfirst.to(tl.int64), mask=keep)

    @triton.jit(do_not_specialize=["W", "Y", "Z"])
    def _vertices(
        vol, level, cell_p, cell_info, cell_v, verts, edge_point, edge_axis, vmap, W, Y, Z, BLOCK_CELLS: tl.constexpr
    ):
        """Write one vertex per owned crossed edge, numbered (cell, axis) like the torch path."""
        c = tl.program_id(0) * BLOCK_CELLS + tl.arange(0, BLOCK_CELLS)
        mc = c < W
        p = tl.load(cell_p + c, mask=mc, other=0)
        own = (tl.load(cell_info + c, mask=mc, other=0) >> 8) & 7
        first = tl.load(cell_v + c, mask=mc, other=0)
        YZ = Y * Z
        x = p // YZ
        r = p - x * YZ
        y = r // Z
        z = r - y * Z
        a0 = tl.load(vol + p, mask=mc, other=0.0).to(tl.float32)
        fx = x.to(tl.float32)
        fy = y.to(tl.float32)
        fz = z.to(tl.float32)
        zero = tl.zeros_like(p)
        i = first
        for axis in tl.static_range(3):
            crossed = mc & (((own >> axis) & 1) > 0)
            stride = YZ if axis == 0 else (Z if axis == 1 else 1)
            a1 = tl.load(vol + p + stride, mask=crossed, other=1.0).to(tl.float32)
            t = (level - a0) / tl.where(crossed, a1 - a0, 1.0)
            tl.store(verts + i * 3 + 0, fx + t if axis == 0 else fx, mask=crossed)
            tl.store(verts + i * 3 + 1, fy + t if axis == 1 else fy, mask=crossed)
            tl.store(verts + i * 3 + 2, fz + t if axis == 2 else fz, mask=crossed)
            tl.store(edge_point + i, p, mask=crossed)
            tl.store(edge_axis + i, zero + axis, mask=crossed)
            i += crossed.to(tl.int64)
        # The owner map: first vertex * 8 + crossed-edge bits, written only at owners.
        tl.store(vmap + p, first * 8 + own, mask=mc & (own > 0))

    @triton.jit(do_not_specialize=["W", "Y", "Z"])
    def _triangles(
        cell_p,
        cell_info,
        cell_t,
        tri_edges,
        edge_origin,
        edge_axis_tab,
        vmap,
        faces,
        face_cell,
        W,
        Y,
        Z,
        BLOCK_CELLS: tl.constexpr,
        MAX_TRI: tl.constexpr,
    ):
        pid = tl.program_id(0)
        c = pid * BLOCK_CELLS + tl.arange(0, BLOCK_CELLS)[:, None]
        lane = tl.arange(0, 16)[None, :]  # slot * 3 + corner; 15 used
        mc = c < W
        p = tl.load(cell_p + c, mask=mc, other=0)
        info = tl.load(cell_info + c, mask=mc, other=0)
        first = tl.load(cell_t + c, mask=mc, other=0)
        code = info & 255
        nt = info >> 11
        slot = lane // 3
        valid = mc & (lane < MAX_TRI * 3) & (slot < nt)
        edge = tl.load(tri_edges + code * (MAX_TRI * 3) + lane, mask=valid, other=0)
        ox = tl.load(edge_origin + edge * 3 + 0, mask=valid, other=0)
        oy = tl.load(edge_origin + edge * 3 + 1, mask=valid, other=0)
        oz = tl.load(edge_origin + edge * 3 + 2, mask=valid, other=0)
        off = (ox.to(tl.int64) * Y + oy) * Z + oz  # the owner cell of the edge, relative to this cell
        axis = tl.load(edge_axis_tab + edge, mask=valid, other=0)
        entry = tl.load(vmap + p + off, mask=valid, other=0)
        bits = entry & 7
        below = bits & ((1 << axis) - 1)  # crossed edges of the owner on lower axes come first
        vid = (entry >> 3) + (below & 1) + ((below >> 1) & 1)
        tl.store(faces + (first + slot) * 3 + (lane - slot * 3), vid, mask=valid)
        tl.store(face_cell + first + slot, p + tl.zeros_like(lane).to(tl.int64), mask=valid & (lane % 3 == 0))


def grid_mesh(volume: torch.Tensor, level: float, period: int):
    """Return the ``GridMesh`` of ``volume`` computed by the Triton kernels (see ``dense.grid_mesh``)."""
    dev = volume.device
    vol = volume.contiguous()
    X, Y, Z = vol.shape
    N = X * Y * Z
    big = N + BLOCK + Y * Z + Z + 1 >= 2**31  # int32 index math would overflow
    T = device_tables(dev)
    tiles_per_plane = triton.cdiv(Y * Z, BLOCK)
    tiles = X * tiles_per_plane
    shape_args = (tiles, tiles_per_plane, X, Y, Z, period)
    counts = torch.empty(3 * tiles, dtype=torch.int32, device=dev)
    _count[(tiles,)](vol, level, counts, T["tri_count32"], *shape_args, BLOCK=BLOCK, BIG=big, num_warps=4)
    # Exclusive starts of every tile's vertices, triangles and listed cells; rows are contiguous,
    # so each cumsum scans its innermost dimension.
    ends = torch.cumsum(counts.view(3, tiles), 1, dtype=torch.int64)
    starts = ends - counts.view(3, tiles)
    V, F, W = (int(v) for v in ends[:, -1].tolist())  # the one host sync: it sizes the outputs
    if V == 0:
        return empty_mesh(dev, "triton")
    cell_p = torch.empty(W, dtype=torch.int64, device=dev)
    cell_info = torch.empty(W, dtype=torch.int32, device=dev)
    cell_v = torch.empty(W, dtype=torch.int64, device=dev)
    cell_t = torch.empty(W, dtype=torch.int64, device=dev)
    _compact[(tiles,)](
        vol,
        level,
        counts,
        starts,
        T["tri_count32"],
        cell_p,
        cell_info,
        cell_v,
        cell_t,
        *shape_args,
        BLOCK=BLOCK,
        BIG=big,
        num_warps=4,
    )
    verts = torch.empty((V, 3), dtype=torch.float32, device=dev)
    edge_point = torch.empty(V, dtype=torch.int64, device=dev)
    edge_axis = torch.empty(V, dtype=torch.int64, device=dev)
    vmap = torch.empty(N, dtype=torch.int64, device=dev)  # read only where written: no fill
    grid = (triton.cdiv(W, BLOCK_CELLS),)
    _vertices[grid](
        vol,
        level,
        cell_p,
        cell_info,
        cell_v,
        verts,
        edge_point,
        edge_axis,
        vmap,
        W,
        Y,
        Z,
        BLOCK_CELLS=BLOCK_CELLS,
        num_warps=4,
    )
    faces = torch.empty((F, 3), dtype=torch.int64, device=dev)
    face_cell = torch.empty(F, dtype=torch.int64, device=dev)
    if F:
        _triangles[grid](
            cell_p,
            cell_info,
            cell_t,
            T["tri_edges32"],
            T["edge_origin32"],
            T["edge_axis32"],
            vmap,
            faces,
            face_cell,
            W,
            Y,
            Z,
            BLOCK_CELLS=BLOCK_CELLS,
            MAX_TRI=MAX_TRIANGLES,
            num_warps=4,
        )
    return GridMesh(verts, faces, edge_point, edge_axis, face_cell, "triton")
