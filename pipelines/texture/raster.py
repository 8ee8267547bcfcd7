"""The one triangle rasterizer, in plain torch: which faces cover each texel (or pixel), and where.

Its clients: baking (``rasterize_uv``: the face and barycentrics of each texel), the
lightmap checks (``sample_coverage``, ``chart_footprints``: overlaps and padding) and
the preview (``nearest_face``: a z-buffer over screen pixels). Coordinates are in
texels, texel (row, col) spanning [col, col + 1) x [row, row + 1), its centre at
(col + 0.5, row + 0.5). For UV input, texel (row, col) of a ``size`` x ``size`` atlas has its centre at
uv = ((col + 0.5) / size, (row + 0.5) / size); uv (0, 0) is the image's
top-left corner (glTF), so rows follow v downwards and nothing is flipped.

Triangles are binned by the size of their texel bounding box (steps of at
most 1.5x per axis); each bin is evaluated as one batch of [triangles, bh, bw]
candidate texels (in chunks that bound memory), so there is no Python loop
per triangle and the same code runs on CPU and CUDA. Measured at 1024² with
50k triangles (conservative / centre-only): 56 / 43 ms on 16 CPU threads,
7 / 4 ms on an H200 (identical face ids), 0.34 / 0.40 s on one busy core.
"""

from __future__ import annotations

from collections.abc import Iterator

import torch

_MAX_CANDIDATES = 1 << 22  # candidate texels evaluated per batch (~100 MB of temporaries)


def rasterize_uv(
    uv: torch.Tensor, faces: torch.Tensor, size: int, *, conservative: bool = True
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (face_id [H, W] int64, -1 where empty; bary [H, W, 3] float32) for a uv mesh.

    A texel belongs to a face when its centre lies inside the face (edges
    inclusive, within 1e-3 texel, so texels on a shared edge are never lost and
    every interior texel of a chart is covered). With ``conservative`` (the
    default) a texel whose square merely overlaps a face is covered too, with
    barycentrics clamped onto the face: the chart's rim texels then hold real
    surface values for bilinear filtering instead of gutter fill. Centre hits
    win over overlaps; between equals the highest face index wins
    (deterministic). Degenerate (zero uv-area) faces are skipped.
    """
    device = uv.device
    faces = faces.to(device=device, dtype=torch.int64)
    n_faces = int(faces.shape[0])
    # One spare slot at the end absorbs the candidates that miss (no boolean compaction).
    best = torch.full((size * size + 1,), -1, dtype=torch.int64, device=device)
    pts = uv.to(torch.float32) * size  # texel units; texel centres at k + 0.5
    for texel, face, strict, loose, _, _ in _candidates(pts, faces, size, size, grow=conservative):
        hit = loose if conservative else strict
        key = torch.where(hit, face + n_faces * strict.to(torch.int64), -1)  # centre hits outrank rims
        best.scatter_reduce_(0, texel.reshape(-1), key.reshape(-1), reduce="amax")
    best = best[:-1]
    covered = best >= 0
    face_id = torch.where(best >= n_faces, best - n_faces, best)
    bary = torch.zeros((size * size, 3), dtype=torch.float32, device=device)
    idx = covered.nonzero().squeeze(1)
    if idx.numel():
        bary[idx] = _barycentric(uv, faces[face_id[idx]], idx, size, clamp=True)
    return face_id.view(size, size), bary.view(size, size, 3)


def uv_overlap_count(uv: torch.Tensor, faces: torch.Tensor, size: int, *, margin: float = 0.05) -> torch.Tensor:
    """Return [H, W] int32: how many faces hold each texel centre at least ``margin`` texels inside.

    A valid atlas has no texel above 1: faces of one chart only share edges
    (which the margin excludes) and charts do not overlap.
    """
    faces = faces.to(device=uv.device, dtype=torch.int64)
    return sample_coverage(uv.to(torch.float32) * size, faces, size, size, margin=margin)


def sample_coverage(pts: torch.Tensor, faces: torch.Tensor, width: int, height: int, *, margin: float) -> torch.Tensor:
    """Return [height, width] int32: how many faces hold each texel centre at least ``margin`` texels inside."""
    faces = faces.to(device=pts.device, dtype=torch.int64)
    count = torch.zeros(width * height + 1, dtype=torch.int32, device=pts.device)
    for texel, _, _, _, inner, _ in _candidates(pts, faces, width, height, grow=False, margin=margin):
        count.scatter_add_(0, texel.reshape(-1), inner.reshape(-1).to(torch.int32))
    return count[:-1].view(height, width)


def chart_footprints(pts: torch.Tensor, faces: torch.Tensor, charts: torch.Tensor, size: int) -> torch.Tensor:
    """Return [size, size] int64: per texel the chart whose faces overlap its square (-1 none, -2 two or more).

    Overlap is conservative but strict: a face that only touches a texel's border
    (within 1e-6 texel) does not reach into it.
    """
    faces = faces.to(device=pts.device, dtype=torch.int64)
    charts = charts.to(device=pts.device, dtype=torch.int64)
    lo = torch.full((size * size + 1,), torch.iinfo(torch.int64).max, dtype=torch.int64, device=pts.device)
    hi = torch.full((size * size + 1,), -1, dtype=torch.int64, device=pts.device)
    for texel, face, _, loose, _, _ in _candidates(pts, faces, size, size, grow=True, shrink=1e-6):
        cell = torch.where(loose, texel, size * size).reshape(-1)
        chart = charts[face].expand_as(texel).reshape(-1)
        lo.scatter_reduce_(0, cell, chart, reduce="amin")
        hi.scatter_reduce_(0, cell, chart, reduce="amax")
    lo, hi = lo[:-1], hi[:-1]
    owner = torch.where(hi < 0, -1, torch.where(lo == hi, hi, -2))
    return owner.view(size, size)


def nearest_face(xy: torch.Tensor, depth: torch.Tensor, faces: torch.Tensor, width: int, height: int) -> torch.Tensor:
    """Return [height * width] int64: the face whose surface is nearest at each pixel centre, -1 where none.

    ``xy`` [V, 2] are pixel coordinates, ``depth`` [V] a depth key linear in screen space
    (smaller is nearer: -1/z for a pinhole camera), interpolated at each covered centre.
    Equal depths go to the lower face index.
    """
    faces = faces.to(device=xy.device, dtype=torch.int64)
    none = torch.iinfo(torch.int64).max
    zbuf = torch.full((width * height + 1,), none, dtype=torch.int64, device=xy.device)
    corner_depth = depth.to(torch.float64)[faces]  # [F, 3]
    for texel, face, strict, _, _, dist in _candidates(
        xy.to(torch.float32), faces, width, height, grow=False, edges=True
    ):
        # dist[..., i] is the edge function of edge i (corner i -> i+1): the weight of corner i + 2.
        d = dist.to(torch.float64)
        z = corner_depth[face.reshape(-1)].view(*face.shape[:1], 1, 1, 3)
        w = d / d.sum(-1, keepdim=True).clamp_min(1e-30)
        value = (w[..., 0] * z[..., 2] + w[..., 1] * z[..., 0] + w[..., 2] * z[..., 1]).float()
        bits = value.view(torch.int32).long()
        order = torch.where(bits < 0, -(bits & 0x7FFFFFFF) - 1, bits) + (1 << 31)  # float order, unsigned
        key = torch.where(strict, (order << 31) | face, none)
        zbuf.scatter_reduce_(0, texel.reshape(-1), key.reshape(-1), reduce="amin")
    zbuf = zbuf[:-1]
    return torch.where(zbuf != none, zbuf & 0x7FFFFFFF, torch.full_like(zbuf, -1))


# Bin extents: each step at most 1.5x the one before, so a batch wastes <= 2.25x on padding.
_BIN_SIZES = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024)


def _candidates(
    pts: torch.Tensor,
    faces: torch.Tensor,
    width: int,
    height: int,
    *,
    grow: bool,
    margin: float = 0.0,
    shrink: float = 0.0,
    edges: bool = False,
) -> Iterator[tuple[torch.Tensor, ...]]:
    """Yield dense batches [n, bh, bw]: (texel index or the spare slot, face, centre inside,
    square overlaps (by more than ``shrink`` texels), centre at least ``margin`` inside, the edge functions [n, bh, bw, 3] if ``edges`` else None)."""
    device = pts.device
    tri = pts[faces]  # [F, 3, 2], texel units
    area2 = _cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    valid = area2.abs() > 1e-10
    lo = tri.min(dim=1).values
    hi = tri.max(dim=1).values
    if grow:  # texels whose square touches the bounding box
        first, last = torch.floor(lo + shrink), torch.floor(hi - shrink)
    else:  # texels whose centre lies in the bounding box
        first, last = torch.ceil(lo - 0.5), torch.floor(hi - 0.5)
    limit = torch.tensor([width - 1, height - 1], device=device)
    first = torch.minimum(first.clamp_min(0), limit).to(torch.int64)
    last = torch.minimum(last.clamp_min(-1), limit).to(torch.int64)
    extent = last - first + 1  # [F, 2]: columns, rows
    valid &= (extent > 0).all(dim=1)
    ids = valid.nonzero().squeeze(1)
    if ids.numel() == 0:
        return
    sizes = torch.tensor((*_BIN_SIZES, max(width, height)), device=device)
    bins = torch.searchsorted(sizes, extent[ids].contiguous())  # [n, 2] bin index per axis
    bin_key = bins[:, 0] * len(sizes) + bins[:, 1]
    order = torch.argsort(bin_key, stable=True)
    ids, bin_key = ids[order], bin_key[order]
    keys, counts = torch.unique_consecutive(bin_key, return_counts=True)
    # Edge i (corner i -> i+1) as a half-plane: dist = ax * x + ay * y + c, >= 0 inside.
    sign = torch.sign(area2)[:, None]
    e = tri[:, [1, 2, 0]] - tri
    ax, ay = -e[..., 1] * sign, e[..., 0] * sign  # [F, 3]
    length = torch.sqrt(ax * ax + ay * ay)
    start = 0
    for key, count in zip(keys.tolist(), counts.tolist()):
        bw, bh = int(sizes[key // len(sizes)]), int(sizes[key % len(sizes)])
        per_batch = max(1, _MAX_CANDIDATES // (bw * bh))
        for s in range(start, start + count, per_batch):
            f = ids[s : min(s + per_batch, start + count)]
            # Offsets from the batch's first texel keep the float32 sums small and exact enough.
            rel = tri[f] - first[f, None, :].to(torch.float32)
            c = -(ax[f] * rel[..., 0] + ay[f] * rel[..., 1])
            yield _test_batch(
                f, first[f], extent[f], ax[f], ay[f], c, length[f], bw, bh, width, height, margin, shrink, edges
            )
        start += count


def _test_batch(face, first, extent, ax, ay, c, length, bw, bh, width, height, margin, shrink, edges):
    device = face.device
    ox = torch.arange(bw, device=device)
    oy = torch.arange(bh, device=device)
    col = first[:, 0, None] + ox  # [n, bw]
    row = first[:, 1, None] + oy  # [n, bh]
    qx = ox.to(torch.float32) + 0.5  # relative to the first texel of each triangle
    qy = oy.to(torch.float32) + 0.5
    strict = loose = inner = None
    dists = []
    for i in range(3):
        # dist = ax*qx + ay*qy + c as a [n, bh, bw] sum of a row term and a column term.
        dist = (ax[:, i, None] * qx + c[:, i, None])[:, None, :] + (ay[:, i, None] * qy)[:, :, None]  # texels x |e|
        tol = length[:, i, None, None]
        grow = 0.5 * (ax[:, i].abs() + ay[:, i].abs())[:, None, None]  # the texel square's reach
        s_i, n_i = dist >= -1e-3 * tol, dist >= margin * tol
        l_i = dist >= -grow if shrink == 0.0 else dist > shrink * tol - grow
        strict = s_i if strict is None else strict & s_i
        loose = l_i if loose is None else loose & l_i
        inner = n_i if inner is None else inner & n_i
        if edges:
            dists.append(dist)
    in_box = (ox < extent[:, 0, None])[:, None, :] & (oy < extent[:, 1, None])[:, :, None]
    texel = torch.where(in_box, row[:, :, None] * width + col[:, None, :], width * height)
    return (
        texel,
        face[:, None, None],
        strict & in_box,
        loose & in_box,
        inner & in_box,
        torch.stack(dists, -1) if edges else None,
    )


def _barycentric(uv, tri_index, texel, size, clamp):
    """Return [N, 3] barycentrics of texel centres in their faces (clamped onto the face)."""
    pts = uv.to(torch.float32) * size
    tri = pts[tri_index]  # [N, 3, 2]
    q = torch.stack([(texel % size).to(torch.float32) + 0.5, (texel // size).to(torch.float32) + 0.5], dim=1)
    v0 = tri[:, 1] - tri[:, 0]
    v1 = tri[:, 2] - tri[:, 0]
    v2 = q - tri[:, 0]
    den = _cross(v0, v1)
    b1 = _cross(v2, v1) / den
    b2 = _cross(v0, v2) / den
    bary = torch.stack([1.0 - b1 - b2, b1, b2], dim=1)
    if clamp:
        bary = bary.clamp_min(0.0)
        bary = bary / bary.sum(dim=1, keepdim=True).clamp_min(1e-12)
    return bary


def _cross(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
