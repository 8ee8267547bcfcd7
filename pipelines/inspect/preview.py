"""Headless preview: a GLB's LOD0 with its baked PBR textures, rendered by a small torch rasterizer.

No display, no GPU and no graphics library. Vertices are projected and snapped to
a 1/256-pixel grid; the project's one rasterizer (``texture/raster.py``) finds the
faces over each pixel centre (edges inclusive, so shared edges leave no crack) and
z-tests them with one ``scatter_reduce(amin)`` of (depth, face id) keys: vectorised
torch on the chosen device, no loop per face. Shading is per pixel: perspective-correct, mipmapped
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
from pipelines.inspect.camera import SUB, Camera
from pipelines.inspect.glb_reader import read_scene
from pipelines.inspect.scene_tensors import SceneTensors
from pipelines.inspect.shading import aces, backdrop, interpolation_planes, linear_to_srgb, shade
from pipelines.texture.raster import nearest_face

# (label, azimuth in degrees from +Z toward +X); views=4 lays them out in reading order.
VIEWS = (("FRONT LEFT", 45.0), ("FRONT RIGHT", -45.0), ("BACK RIGHT", -135.0), ("BACK LEFT", 135.0))
SUPERSAMPLE = 2
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
    # the one rasterizer (texture/raster.py) z-tests pixel centres on the snapped fixed-point positions
    pixel_face = nearest_face(xy_fixed.double() / SUB, -1.0 / depth, faces, ss, ss)
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
