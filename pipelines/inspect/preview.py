"""Headless preview: a GLB's LOD0 with its baked PBR textures, rendered by a small torch rasterizer.

No display, no GPU and no graphics library. Each face is cut into pixel rows; the
covered span of every row comes from the three edge equations in exact integers
on a 1/256-pixel grid with the top-left rule (shared edges leave no crack and no
pixel is drawn twice), and the covered pixels are z-tested with one
``scatter_reduce(amin)`` of (depth, face id) keys: vectorised torch on the chosen
device, no loop per face. Shading is per pixel: perspective-correct, mipmapped
bilinear texture lookups, the sRGB base color decoded to linear, a sun plus a
sky/ground hemisphere, Lambert with a GGX highlight from roughness/metallic and
occlusion from the ORM texture, the normal map where the mesh has tangents,
ACES tone mapping, 2x2 supersampling and an sRGB encode. The same file gives the
same bytes (on one device type).

Views look at the centre of the scene's bounding box from 28 degrees above the
horizon, 45 degrees off the front axis, from the distance that frames every
vertex. The asset's front faces +Z and its left side +X (glTF; see
ENGINE-CONVENTIONS.md), so "front left" sees the front and the asset's own left.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw, ImageFont

from exporters.errors import InputError
from exporters.files import atomic_write
from exporters.png import encode_png
from pipelines.inspect.camera import SUB, Camera, floor_div
from pipelines.inspect.glb_reader import read_scene
from pipelines.inspect.scene_tensors import SceneTensors
from pipelines.inspect.shading import aces, backdrop, interpolation_planes, linear_to_srgb, shade

# (label, azimuth in degrees from +Z toward +X); views=4 lays them out in reading order.
VIEWS = (("FRONT LEFT", 45.0), ("FRONT RIGHT", -45.0), ("BACK RIGHT", -135.0), ("BACK LEFT", 135.0))
SUPERSAMPLE = 2
CHUNK_ROWS = 1 << 18  # face rows set up at a time
CHUNK_FRAGMENTS = 1 << 21  # covered pixels z-tested at a time (bounds peak memory)
CHUNK_PIXELS = 1 << 20  # pixels shaded at a time


def render_preview(
    glb_path: Path, *, views: int = 1, size: int = 768, device: str | torch.device = "cpu"
) -> np.ndarray:
    """Return an sRGB uint8 [H, W, 3] render of ``glb_path``: one view (size²) or a 2x2 sheet ((2·size)²)."""
    if views not in (1, 4):
        raise InputError(f"views must be 1 or 4, not {views}")
    if not 16 <= int(size) <= 4096:
        raise InputError(f"preview size {size} is out of range: use 16..4096 pixels")
    size = int(size)
    dev = _device(device)
    scene = SceneTensors(read_scene(Path(glb_path)), dev)
    if views == 1:
        return _render_view(scene, VIEWS[0][1], size)
    panels = [_label(_render_view(scene, azimuth, size), name) for name, azimuth in VIEWS]
    return np.concatenate([np.concatenate(panels[:2], 1), np.concatenate(panels[2:], 1)], 0)


def write_preview(
    glb_path: Path, out_png: Path, views: int = 1, size: int = 768, device: str | torch.device = "cpu"
) -> Path:
    """Return ``out_png`` after rendering ``glb_path`` into it (sRGB PNG, written atomically)."""
    pixels = render_preview(glb_path, views=views, size=size, device=device)
    return atomic_write(Path(out_png), encode_png(pixels, srgb=True), "preview").path


def _device(device: str | torch.device) -> torch.device:
    if str(device) == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise InputError(f"unknown device {device!r}: use auto, cpu or cuda") from exc
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise InputError("device cuda was asked for but torch sees no CUDA device; use --device cpu")
    return dev


def _edge_table(xy_fixed: torch.Tensor, faces: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Return integer edge coefficients [F, 3, 3] (A, B, C per edge; top-left bias folded into C) and areas [F].

    Edge k runs opposite vertex k; e_k(p) = A x + B y + C is >= 0 inside a face with area > 0
    (clockwise on the y-down screen), and e_0 + e_1 + e_2 = area (less the bias) everywhere.
    """
    v = xy_fixed.index_select(0, faces.reshape(-1)).view(-1, 3, 2)
    a, b = v.roll(-1, 1), v.roll(-2, 1)
    coef_a, coef_b = a[..., 1] - b[..., 1], b[..., 0] - a[..., 0]
    coef_c = -(coef_a * a[..., 0] + coef_b * a[..., 1])
    area = coef_a[:, 0] * v[:, 0, 0] + coef_b[:, 0] * v[:, 0, 1] + coef_c[:, 0]
    top_left = (coef_a > 0) | ((coef_a == 0) & (coef_b > 0))  # edge going up, or a top edge going right
    return torch.stack([coef_a, coef_b, coef_c - (~top_left).long()], 2), area


def _rasterize(xy_fixed: torch.Tensor, depth_key: torch.Tensor, faces: torch.Tensor, width: int, height: int,
               edge_table: tuple[torch.Tensor, torch.Tensor] | None = None) -> torch.Tensor:  # fmt: skip
    """Return the nearest face index per pixel [H * W] (-1 where empty); faces must have area > 0.

    Each face is cut into pixel rows; each row's covered span comes from the three edge
    equations in exact integers, so only covered pixels are generated, and they are z-tested
    with one scatter of (depth, face id) keys per chunk. ``depth_key`` [V] is linear in screen
    space and smaller when nearer (-1/z for a pinhole camera).
    """
    dev = faces.device
    none = torch.iinfo(torch.int64).max
    zbuf = torch.full((height * width,), none, dtype=torch.int64, device=dev)
    edges, area = edge_table if edge_table is not None else _edge_table(xy_fixed, faces)
    v = xy_fixed.index_select(0, faces.reshape(-1)).view(-1, 3, 2)
    half = SUB // 2
    x0 = (-floor_div(half - v[..., 0].min(1).values, SUB)).clamp_min(0)  # first centre >= min x
    x1 = floor_div(v[..., 0].max(1).values - half, SUB).clamp_max(width - 1)
    y0 = (-floor_div(half - v[..., 1].min(1).values, SUB)).clamp_min(0)
    y1 = floor_div(v[..., 1].max(1).values - half, SUB).clamp_max(height - 1)
    rows = torch.where(x1 >= x0, (y1 - y0 + 1).clamp_min(0), torch.zeros_like(y0))
    ids = torch.nonzero(rows).squeeze(1)  # dense meshes have many faces between pixel centres: dropped here
    live = lambda t: t.index_select(0, ids)  # noqa: E731
    dk = (
        live(depth_key.index_select(0, faces.reshape(-1)).view(-1, 3)) / live(area).double()[:, None]
    )  # z = sum_k e_k dk_k
    edges, x0, x1, y0, rows = live(edges), live(x0), live(x1), live(y0), live(rows)
    ends = torch.cumsum(rows, 0)
    start = 0
    while start < len(ids):  # chunks of whole faces, about CHUNK_ROWS rows each
        base = int(ends[start - 1]) if start else 0
        stop = max(int(torch.searchsorted(ends, base + CHUNK_ROWS, right=True)), start + 1)
        n_rows = int(ends[stop - 1]) - base
        if n_rows:
            face = torch.repeat_interleave(torch.arange(start, stop, device=dev), rows[start:stop])
            take = lambda t: t.index_select(0, face)  # noqa: E731
            y = take(y0) + torch.arange(n_rows, device=dev) - (take(ends) - take(rows) - base)
            e = take(edges)  # [R, 3, 3]
            a = e[..., 0]
            r = e[..., 1] * (y * SUB + half)[:, None] + e[..., 2] + a * half  # e_k at column 0's centre
            # a * SUB * x + r >= 0: a lower bound on x where a > 0, an upper one where a < 0
            safe = torch.where(a == 0, torch.ones_like(a), a.abs() * SUB)
            lower = torch.where(a > 0, -floor_div(r, safe), torch.zeros_like(a))
            upper = torch.where(a < 0, floor_div(r, safe), torch.full_like(a, width - 1))
            blocked = ((a == 0) & (r < 0)).any(1)
            lo = torch.maximum(lower.max(1).values, take(x0))
            hi = torch.where(blocked, -1, torch.minimum(upper.min(1).values, take(x1)))
            span = (hi - lo + 1).clamp_min(0)
            # depth along a row: z(x) = z(lo) + step * (x - lo)
            d = take(dk)
            z_rows = torch.stack([((a * SUB * lo[:, None] + r) * d).sum(1), (a * SUB * d).sum(1)], 1)
            int_rows = torch.stack([y * width + lo, ids.index_select(0, face)], 1)
            span_end = torch.cumsum(span, 0)
            first = 0
            while first < len(span):  # whole rows, about CHUNK_FRAGMENTS pixels at a time
                base_px = int(span_end[first - 1]) if first else 0
                last = max(int(torch.searchsorted(span_end, base_px + CHUNK_FRAGMENTS, right=True)), first + 1)
                n = int(span_end[last - 1]) - base_px
                if n:
                    row_of = torch.repeat_interleave(torch.arange(first, last, device=dev), span[first:last])
                    local = torch.arange(base_px, base_px + n, device=dev) - (span_end - span).index_select(0, row_of)
                    zr, ir = z_rows.index_select(0, row_of), int_rows.index_select(0, row_of)
                    bits = (zr[:, 0] + zr[:, 1] * local).float().view(torch.int32).long()
                    order = torch.where(bits < 0, -(bits & 0x7FFFFFFF) - 1, bits) + (1 << 31)  # float order, unsigned
                    zbuf.scatter_reduce_(0, ir[:, 0] + local, (order << 31) | ir[:, 1], "amin")
                first = last
        start = stop
    return torch.where(zbuf != none, zbuf & 0x7FFFFFFF, torch.full_like(zbuf, -1))


def _render_view(scene: SceneTensors, azimuth_deg: float, size: int) -> np.ndarray:
    """Return one supersampled, shaded, tone-mapped view as sRGB uint8 [size, size, 3]."""
    ss = size * SUPERSAMPLE
    cam = Camera(scene.positions_np, azimuth_deg, ss, ss)
    xy, depth = cam.project(scene.positions)
    xy_fixed = torch.round(xy * SUB).long().clamp(-(1 << 24), 1 << 24)
    # glTF's counter-clockwise front faces turn clockwise on the y-down screen: reversed, they get area > 0
    v = xy_fixed.index_select(0, scene.faces.reshape(-1)).view(-1, 3, 2)
    d1, d2 = v[:, 2] - v[:, 0], v[:, 1] - v[:, 0]
    area = d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]  # of the reversed face (0, 2, 1)
    back = area < 0
    keep = torch.nonzero((area > 0) | (back & scene.double_sided.index_select(0, scene.face_material))).squeeze(1)
    faces = scene.faces.index_select(0, keep)
    faces = torch.where(back.index_select(0, keep)[:, None], faces, faces[:, [0, 2, 1]])
    edge_table = _edge_table(xy_fixed, faces)
    pixel_face = _rasterize(xy_fixed, -1.0 / depth, faces, ss, ss, edge_table)
    color = backdrop(cam, scene.dev)
    planes = interpolation_planes(xy_fixed, 1.0 / depth, faces, edge_table)
    covered_all = torch.nonzero(pixel_face >= 0).squeeze(1)
    for covered in covered_all.split(CHUNK_PIXELS):  # bounds the memory of the per-pixel attributes
        face = pixel_face.index_select(0, covered)
        face_id = keep.index_select(0, face)
        tri, flip = faces.index_select(0, face), back.index_select(0, face_id)
        shaded = shade(scene, cam, tri, face_id, flip, planes.index_select(0, face), covered)
        color.index_copy_(0, covered, aces(shaded))
    image = F.avg_pool2d(color.view(ss, ss, 3).permute(2, 0, 1)[None], SUPERSAMPLE)[0].permute(1, 2, 0)
    return (linear_to_srgb(image.clamp(0, 1)) * 255 + 0.5).to(torch.uint8).cpu().numpy()


def _label(panel: np.ndarray, text: str) -> np.ndarray:
    """Return ``panel`` with ``text`` in white (dark drop shadow) at its top-left corner."""
    scale = max(1, panel.shape[0] // 160)
    image = Image.fromarray(panel)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"  # crisp, not antialiased: legible at small sizes and the same bytes on every machine
    font = ImageFont.load_default(size=10 * scale)  # Pillow's bundled font: no font file to ship
    x = y = 3 * scale
    draw.text((x + scale, y + scale), text, fill=(20, 20, 24), font=font)
    draw.text((x, y), text, fill=(250, 250, 250), font=font)
    return np.asarray(image).copy()
