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

import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from exporters.errors import InputError
from exporters.files import atomic_write
from exporters.png import encode_png
from pipelines.inspect.glb_reader import CLAMP_TO_EDGE, MIRRORED_REPEAT, REPEAT, PreviewMaterial, SceneGeometry, read_scene

# (label, azimuth in degrees from +Z toward +X); views=4 lays them out in reading order.
VIEWS = (("FRONT LEFT", 45.0), ("FRONT RIGHT", -45.0), ("BACK RIGHT", -135.0), ("BACK LEFT", 135.0))
ELEVATION_DEG = 28.0
FOV_Y_DEG = 35.0
FRAME_FILL = 0.9  # fraction of the half-field of view the farthest vertex may reach
SUPERSAMPLE = 2
SUB = 256  # sub-pixel steps per pixel of the fixed-point raster grid
CHUNK_ROWS = 1 << 18  # face rows set up at a time
CHUNK_FRAGMENTS = 1 << 21  # covered pixels z-tested at a time (bounds peak memory)
CHUNK_PIXELS = 1 << 20  # pixels shaded at a time
SUN_RGB = (2.2, 2.05, 1.85)
SKY_RGB, GROUND_RGB = (0.42, 0.52, 0.68), (0.20, 0.18, 0.15)  # ambient hemisphere
REFLECTED_SKY_RGB = (0.85, 0.92, 1.0)  # what mirrors see above: brighter than the diffuse sky, so metals read as metal
ZENITH_RGB, HORIZON_RGB = (0.16, 0.33, 0.66), (0.80, 0.85, 0.90)  # backdrop, display-linear
_SLOTS = ("base_color_texture", "metallic_roughness_texture", "occlusion_texture", "normal_texture", "emissive_texture")
_SRGB_SLOTS = ("base_color_texture", "emissive_texture")


def render_preview(glb_path: Path, *, views: int = 1, size: int = 768, device: str | torch.device = "cpu") -> np.ndarray:
    """Return an sRGB uint8 [H, W, 3] render of ``glb_path``: one view (size²) or a 2x2 sheet ((2·size)²)."""
    if views not in (1, 4):
        raise InputError(f"views must be 1 or 4, not {views}")
    if not 16 <= int(size) <= 4096:
        raise InputError(f"preview size {size} is out of range: use 16..4096 pixels")
    size = int(size)
    dev = _device(device)
    scene = _SceneTensors(read_scene(Path(glb_path)), dev)
    if views == 1:
        return _render_view(scene, VIEWS[0][1], size)
    panels = [_label(_render_view(scene, azimuth, size), name) for name, azimuth in VIEWS]
    return np.concatenate([np.concatenate(panels[:2], 1), np.concatenate(panels[2:], 1)], 0)


def write_preview(glb_path: Path, out_png: Path, views: int = 1, size: int = 768, device: str | torch.device = "cpu") -> Path:
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


class _SceneTensors:
    """The scene's vertices, faces, material tables and one flat store of every texture's mip chain."""

    def __init__(self, scene: SceneGeometry, dev: torch.device) -> None:
        t = lambda a, dtype=torch.float32: torch.as_tensor(np.ascontiguousarray(a), dtype=dtype, device=dev)  # noqa: E731
        self.dev = dev
        self.positions_np = scene.positions
        self.positions = t(scene.positions)
        self.faces, self.face_material = t(scene.faces, torch.int64), t(scene.face_material, torch.int64)
        mats = scene.materials
        self.base_factor = t([m.base_color_factor for m in mats])
        self.metallic = t([m.metallic_factor for m in mats])
        self.roughness = t([m.roughness_factor for m in mats])
        self.occlusion_strength = t([m.occlusion_strength for m in mats])
        self.normal_scale = t([m.normal_scale for m in mats])
        self.emissive = t([m.emissive_factor for m in mats])
        self.double_sided = t([m.double_sided for m in mats], torch.bool)
        self.unlit = t([m.unlit for m in mats], torch.bool)
        self._build_textures(scene.images, mats)
        refs = [(m.occlusion_texture, m.metallic_roughness_texture) for m in mats]
        # one ORM texture usually serves both slots: then it is sampled once
        self.same_as = {"occlusion_texture": "metallic_roughness_texture"} if all(o == r for o, r in refs) else {}
        # every per-vertex attribute a pixel needs sits in one table, gathered once per pixel
        used = [r for m in mats for r in (getattr(m, s) for s in _SLOTS) if r is not None]
        columns = {"normal": scene.normals, "position": scene.positions, "uv0": scene.uv[0]}
        if any(r.texcoord == 1 for r in used):
            columns["uv1"] = scene.uv[1]
        if any(m.normal_texture is not None for m in mats) and (scene.tangents[:, 3] != 0).any():
            columns["tangent"] = scene.tangents
        if (scene.colors != 1).any():
            columns["color"] = scene.colors
        self.cols, start = {}, 0
        for name, array in columns.items():
            self.cols[name] = slice(start, start + array.shape[1])
            start += array.shape[1]
        self.attributes = t(np.concatenate(list(columns.values()), 1))

    def _build_textures(self, images: list[np.ndarray | None], mats: list[PreviewMaterial]) -> None:
        entries: dict[tuple[int, bool], int] = {}
        self.slot, self.wrap_modes, self.transformed = {}, {}, {}
        for name in _SLOTS:
            entry, texcoord, wrap, affine = [], [], [], []
            for m in mats:
                ref = getattr(m, name)
                drawn = ref is not None and images[ref.image] is not None
                entry.append(entries.setdefault((ref.image, name in _SRGB_SLOTS), len(entries)) if drawn else -1)
                texcoord.append(ref.texcoord if drawn else 0)
                wrap.append((ref.wrap_s, ref.wrap_t) if drawn else (0, 0))
                affine.append(ref.uv_transform if drawn else (1, 0, 0, 0, 1, 0))
            dev = self.dev
            self.wrap_modes[name] = {mode for pair, e in zip(wrap, entry) if e >= 0 for mode in pair}
            self.transformed[name] = any(a != (1, 0, 0, 0, 1, 0) for a, e in zip(affine, entry) if e >= 0)
            self.slot[name] = (
                torch.tensor(entry, device=dev),
                torch.tensor(texcoord, device=dev),
                torch.tensor(wrap, device=dev),
                torch.tensor(affine, dtype=torch.float32, device=dev).view(-1, 2, 3),
            )
        levels: list[list[torch.Tensor]] = []
        decode = torch.arange(256, dtype=torch.float32, device=self.dev) / 255.0
        decode = torch.stack([_srgb_to_linear(decode), decode])  # [srgb?, byte] -> linear value
        for image, srgb in entries:  # dicts keep insertion order, so entry ids follow
            raw = torch.as_tensor(images[image], device=self.dev).long()
            px = torch.cat([decode[0 if srgb else 1][raw[..., :3]], decode[1][raw[..., 3:]]], -1)  # alpha is linear
            chain = [px]
            while chain[-1].shape[0] > 1 or chain[-1].shape[1] > 1:  # box-filtered in linear light
                prev = chain[-1].permute(2, 0, 1)[None]
                chain.append(F.avg_pool2d(prev, 2, ceil_mode=True)[0].permute(1, 2, 0).contiguous())
            levels.append(chain)
        # level j of entry i: tex_w/tex_h/tex_off[i, j]; past an entry's last level, its last level again
        depth = max((len(c) for c in levels), default=1)
        dims, offsets, flat, offset = [], [], [], 0
        for chain in levels:
            starts = []
            for level in chain:
                starts.append(offset)
                flat.append(level.reshape(-1, 4).half())
                offset += level.shape[0] * level.shape[1]
            padded = chain + chain[-1:] * (depth - len(chain))
            dims.append([(lv.shape[1], lv.shape[0]) for lv in padded])
            offsets.append(starts + starts[-1:] * (depth - len(chain)))
        table = lambda rows: torch.tensor(rows or [[1] * depth], dtype=torch.int64, device=self.dev)  # noqa: E731
        self.tex_w, self.tex_h = table([[d[0] for d in row] for row in dims]), table([[d[1] for d in row] for row in dims])
        self.tex_off = table(offsets) if offsets else torch.zeros((1, depth), dtype=torch.int64, device=self.dev)
        self.tex_levels = torch.tensor([len(c) for c in levels] or [1], dtype=torch.int64, device=self.dev)
        self.texels = torch.cat(flat) if flat else torch.ones((1, 4), dtype=torch.float16, device=self.dev)


class _Camera:
    """A pinhole camera framing every vertex from (azimuth, ELEVATION_DEG), for a W x H raster."""

    def __init__(self, positions: np.ndarray, azimuth_deg: float, width: int, height: int) -> None:
        lo, hi = positions.min(0).astype(np.float64), positions.max(0).astype(np.float64)
        target = (lo + hi) / 2
        az, el = math.radians(azimuth_deg), math.radians(ELEVATION_DEG)
        back = np.array([math.sin(az) * math.cos(el), math.sin(el), math.cos(az) * math.cos(el)])
        self.forward = -back
        self.right = np.cross(self.forward, [0.0, 1.0, 0.0])
        self.right /= np.linalg.norm(self.right)
        self.up = np.cross(self.right, self.forward)
        tan_y = math.tan(math.radians(FOV_Y_DEG) / 2) * FRAME_FILL
        tan_x = tan_y * width / height
        rel = positions.astype(np.float64) - target
        x, y, z = (rel[:, 0] * a[0] + rel[:, 1] * a[1] + rel[:, 2] * a[2] for a in (self.right, self.up, self.forward))
        radius = max(float(np.linalg.norm(hi - lo)) / 2, 1e-6)
        # the camera backs off until |x| <= tan_x * (z + d) and |y| <= tan_y * (z + d) for every vertex
        distance = max(
            float(np.max(np.abs(x) / tan_x - z)), float(np.max(np.abs(y) / tan_y - z)), float(np.max(-z)) + 0.05 * radius
        )
        self.eye = target - self.forward * distance
        self.width, self.height = width, height
        self.focal = height / 2 / math.tan(math.radians(FOV_Y_DEG) / 2)

    def project(self, points: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Return (pixel xy [N, 2] float64, view depth [N] float64) of world points [N, 3]."""
        rel = points.double() - torch.tensor(self.eye, dtype=torch.float64, device=points.device)
        # elementwise dot products, not a matmul: BLAS may sum in a thread-dependent order
        x, y, z = (_dot(rel, axis) for axis in (self.right, self.up, self.forward))
        depth = z.clamp_min(1e-9)
        return torch.stack([self.width / 2 + self.focal * x / depth, self.height / 2 - self.focal * y / depth], 1), depth


def _dot(rows: torch.Tensor, vector) -> torch.Tensor:
    """Return rows [N, 3] . vector (3 numbers), as three multiply-adds."""
    return rows[:, 0] * float(vector[0]) + rows[:, 1] * float(vector[1]) + rows[:, 2] * float(vector[2])


def _blend(w: torch.Tensor, corners: torch.Tensor) -> torch.Tensor:
    """Return sum_k w[:, k] * corners[:, k] for weights [P, 3] and corner values [P, 3, C]."""
    return w[:, 0:1] * corners[:, 0] + w[:, 1:2] * corners[:, 1] + w[:, 2:3] * corners[:, 2]


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


def _floor_div(a: torch.Tensor, b: torch.Tensor | int) -> torch.Tensor:
    return torch.div(a, b, rounding_mode="floor")


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
    x0 = (-_floor_div(half - v[..., 0].min(1).values, SUB)).clamp_min(0)  # first centre >= min x
    x1 = _floor_div(v[..., 0].max(1).values - half, SUB).clamp_max(width - 1)
    y0 = (-_floor_div(half - v[..., 1].min(1).values, SUB)).clamp_min(0)
    y1 = _floor_div(v[..., 1].max(1).values - half, SUB).clamp_max(height - 1)
    rows = torch.where(x1 >= x0, (y1 - y0 + 1).clamp_min(0), torch.zeros_like(y0))
    ids = torch.nonzero(rows).squeeze(1)  # dense meshes have many faces between pixel centres: dropped here
    live = lambda t: t.index_select(0, ids)  # noqa: E731
    dk = live(depth_key.index_select(0, faces.reshape(-1)).view(-1, 3)) / live(area).double()[:, None]  # z = sum_k e_k dk_k
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
            lower = torch.where(a > 0, -_floor_div(r, safe), torch.zeros_like(a))
            upper = torch.where(a < 0, _floor_div(r, safe), torch.full_like(a, width - 1))
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


def _render_view(scene: _SceneTensors, azimuth_deg: float, size: int) -> np.ndarray:
    """Return one supersampled, shaded, tone-mapped view as sRGB uint8 [size, size, 3]."""
    ss = size * SUPERSAMPLE
    cam = _Camera(scene.positions_np, azimuth_deg, ss, ss)
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
    color = _backdrop(cam, scene.dev)
    planes = _interpolation_planes(xy_fixed, 1.0 / depth, faces, edge_table)
    covered_all = torch.nonzero(pixel_face >= 0).squeeze(1)
    for covered in covered_all.split(CHUNK_PIXELS):  # bounds the memory of the per-pixel attributes
        face = pixel_face.index_select(0, covered)
        face_id = keep.index_select(0, face)
        tri, flip = faces.index_select(0, face), back.index_select(0, face_id)
        shaded = _shade(scene, cam, tri, face_id, flip, planes.index_select(0, face), covered)
        color.index_copy_(0, covered, _aces(shaded))
    image = F.avg_pool2d(color.view(ss, ss, 3).permute(2, 0, 1)[None], SUPERSAMPLE)[0].permute(1, 2, 0)
    return (_linear_to_srgb(image.clamp(0, 1)) * 255 + 0.5).to(torch.uint8).cpu().numpy()


def _interpolation_planes(xy_fixed: torch.Tensor, inv_depth: torch.Tensor, faces: torch.Tensor, edge_table) -> torch.Tensor:
    """Return per face [F, 9] float32: vertex 0's fixed-point xy, A_k / z_k, B_k / z_k, area / z_0.

    With dx, dy measured from vertex 0, N_0 = A_0' dx + B_0' dy + area' and N_k = A_k' dx + B_k' dy
    (k = 1, 2) are e_k / z_k: the perspective-correct barycentrics are N_k / sum(N) and the screen
    derivative of an interpolated attribute is sum_k (A_k' / sum(N)) (attr_k - attr). Measuring
    from a vertex keeps the terms as small as the face, so float32 loses nothing that shows.
    """
    edges, area = edge_table
    q = inv_depth.index_select(0, faces.reshape(-1)).view(-1, 3)
    origin = xy_fixed.index_select(0, faces[:, 0]).double()
    table = torch.cat([origin, edges[..., 0] * q, edges[..., 1] * q, (area * q[:, 0])[:, None]], 1)
    return table.float()


def _shade(scene: _SceneTensors, cam: _Camera, tri, face_id, flip, planes, pixel) -> torch.Tensor:
    """Return linear HDR radiance [P, 3] of covered pixels: ``tri`` their faces' vertices, ``planes`` theirs."""
    count = len(pixel)
    dx = ((pixel % cam.width) * SUB + SUB // 2).float() - planes[:, 0]
    dy = (_floor_div(pixel, cam.width) * SUB + SUB // 2).float() - planes[:, 1]
    slope_x, slope_y = planes[:, 2:5], planes[:, 5:8]
    n_k = slope_x * dx[:, None] + slope_y * dy[:, None]
    n_k[:, 0] += planes[:, 8]
    inv_sum = 1.0 / n_k.sum(1, keepdim=True)
    w = n_k * inv_sum
    corners = scene.attributes.index_select(0, tri.reshape(-1)).view(count, 3, -1)
    attr = _blend(w, corners)
    cols = scene.cols
    mat = scene.face_material.index_select(0, face_id)
    normal = F.normalize(attr[:, cols["normal"]], dim=1, eps=1e-12)
    normal = torch.where(flip[:, None], -normal, normal)
    eye = torch.tensor(cam.eye, dtype=torch.float32, device=pixel.device)
    view = F.normalize(eye - attr[:, cols["position"]], dim=1, eps=1e-12)
    gx, gy = slope_x * (inv_sum * SUB), slope_y * (inv_sum * SUB)
    uv_sets = []
    for name in ("uv0", "uv1") if "uv1" in cols else ("uv0",):
        uv = attr[:, cols[name]]
        diff = corners[:, :, cols[name]] - uv[:, None]
        uv_sets.append((uv, _blend(gx, diff), _blend(gy, diff)))
    samples: dict[str, torch.Tensor] = {}

    def sample(slot: str, default: tuple[float, ...]) -> torch.Tensor:
        key = scene.same_as.get(slot, slot)
        if key not in samples:
            samples[key] = _sample_slot(scene, key, mat, uv_sets, default)
        return samples[key]

    base = scene.base_factor.index_select(0, mat) * sample("base_color_texture", (1, 1, 1, 1))
    if "color" in cols:
        base = base * attr[:, cols["color"]]
    orm = sample("metallic_roughness_texture", (1, 1, 1, 1))
    roughness = (scene.roughness.index_select(0, mat) * orm[:, 1]).clamp(0.08, 1.0)
    metallic = (scene.metallic.index_select(0, mat) * orm[:, 2]).clamp(0.0, 1.0)
    occlusion = 1 + scene.occlusion_strength.index_select(0, mat) * (sample("occlusion_texture", (1, 1, 1, 1))[:, 0] - 1)
    emissive = scene.emissive.index_select(0, mat) * sample("emissive_texture", (1, 1, 1, 1))[:, :3]
    if "tangent" in cols:
        tangent = attr[:, cols["tangent"]]
        has_map = (scene.slot["normal_texture"][0].index_select(0, mat) >= 0) & (tangent[:, 3].abs() > 0.5)
        mapped = torch.nonzero(has_map).squeeze(1)
        n, t = normal[mapped], tangent[mapped, :3]
        t = F.normalize(t - n * (t * n).sum(1, keepdim=True), dim=1, eps=1e-12)
        sign = torch.where(flip[mapped, None], -tangent[mapped, 3:], tangent[mapped, 3:]).sign()
        b = torch.cross(n, t, dim=1) * sign
        ts = sample("normal_texture", (0.5, 0.5, 1, 1))[mapped, :3] * 2 - 1
        ts[:, :2] *= scene.normal_scale.index_select(0, mat[mapped])[:, None]
        normal[mapped] = F.normalize(t * ts[:, :1] + b * ts[:, 1:2] + n * ts[:, 2:3], dim=1, eps=1e-12)
    return _light(cam, normal, view, base[:, :3], roughness, metallic, occlusion, emissive, scene.unlit.index_select(0, mat))


def _sample_slot(scene: _SceneTensors, slot: str, mat, uv_sets, default) -> torch.Tensor:
    """Return RGBA [P, 4] of texture slot ``slot`` for pixels of materials ``mat``; ``default`` where none."""
    entry, texcoord, wrap, affine = (x.index_select(0, mat) for x in scene.slot[slot])
    has = entry >= 0
    out = torch.tensor(default, dtype=torch.float32, device=mat.device).expand(len(mat), 4)
    if not scene.wrap_modes[slot] or not bool(has.any()):
        return out
    every = bool(has.all())
    rows = None if every else torch.nonzero(has).squeeze(1)
    pick = (lambda x: x) if every else (lambda x: x.index_select(0, rows))  # noqa: E731
    uv, du, dv = (pick(x) for x in uv_sets[0])
    if len(uv_sets) > 1:
        second = (pick(texcoord) == 1)[:, None]
        uv, du, dv = (torch.where(second, pick(b), a) for a, b in zip((uv, du, dv), uv_sets[1]))
    if scene.transformed[slot]:
        m = pick(affine)  # [P, 2, 3] rows of the uv affine
        apply = lambda t: m[:, :, 0] * t[:, 0:1] + m[:, :, 1] * t[:, 1:2]  # noqa: E731
        uv, du, dv = apply(uv) + m[:, :, 2], apply(du), apply(dv)
    texels = _sample_texture(scene, pick(entry), uv, du, dv, pick(wrap), scene.wrap_modes[slot])
    if every:
        return texels
    return out.clone().index_copy_(0, rows, texels)


def _sample_texture(scene, entry, uv, du, dv, wrap, modes: set[int]) -> torch.Tensor:
    """Return bilinear RGBA [P, 4] of texture entries at uv, from the mip level nearest the uv footprint.

    One level, not two blended (trilinear): half the texel fetches, and the 2x2 supersampling
    already hides the seam where the level changes.
    """
    depth = scene.tex_w.shape[1]
    slot = entry * depth
    size_x = scene.tex_w.view(-1).index_select(0, slot).float()
    size_y = scene.tex_h.view(-1).index_select(0, slot).float()
    texels_x, texels_y = torch.hypot(du[:, 0] * size_x, du[:, 1] * size_y), torch.hypot(dv[:, 0] * size_x, dv[:, 1] * size_y)
    footprint = torch.maximum(texels_x, texels_y)  # texels one pixel step covers
    top = scene.tex_levels.index_select(0, entry) - 1
    level = torch.minimum((torch.log2(footprint.clamp_min(1e-8)) + 0.5).nan_to_num(0.0).clamp_min(0).long(), top)
    slot = slot + level
    w, h = scene.tex_w.view(-1).index_select(0, slot), scene.tex_h.view(-1).index_select(0, slot)
    off = scene.tex_off.view(-1).index_select(0, slot)
    uv = uv.nan_to_num(0.0).clamp(-1e6, 1e6)
    x, y = uv[:, 0] * w - 0.5, uv[:, 1] * h - 0.5
    x0, y0 = x.floor(), y.floor()
    fx, fy = (x - x0)[:, None], (y - y0)[:, None]
    x0, y0 = x0.long(), y0.long()
    xa, xb = _wrap(x0, w, wrap[:, 0], modes), _wrap(x0 + 1, w, wrap[:, 0], modes)
    ya, yb = _wrap(y0, h, wrap[:, 1], modes) * w + off, _wrap(y0 + 1, h, wrap[:, 1], modes) * w + off
    quad = scene.texels.index_select(0, torch.cat([ya + xa, ya + xb, yb + xa, yb + xb])).float().view(4, -1, 4)
    return torch.lerp(torch.lerp(quad[0], quad[1], fx), torch.lerp(quad[2], quad[3], fx), fy)


def _wrap(i: torch.Tensor, n: torch.Tensor, mode: torch.Tensor, modes: set[int]) -> torch.Tensor:
    """Return texel indices ``i`` folded into [0, n) by each pixel's glTF wrap mode."""
    out = {}
    if CLAMP_TO_EDGE in modes:
        out[CLAMP_TO_EDGE] = torch.minimum(i.clamp_min(0), n - 1)
    if MIRRORED_REPEAT in modes:
        m = torch.remainder(i, 2 * n)
        out[MIRRORED_REPEAT] = torch.where(m < n, m, 2 * n - 1 - m)
    if modes - {CLAMP_TO_EDGE, MIRRORED_REPEAT}:
        out[REPEAT] = torch.remainder(i, n)  # REPEAT, and glTF's default for unknown values
    result = out.popitem()[1]
    for value, folded in out.items():
        result = torch.where(mode == value, folded, result)
    return result


def _light(cam, n, v, base, roughness, metallic, occlusion, emissive, unlit) -> torch.Tensor:
    """Return radiance [P, 3]: sun (Lambert + GGX) + sky/ground hemisphere, all in linear light.

    Per-pixel terms stay [P] scalars until the end: at millions of pixels each [P, 3] pass counts.
    """
    dev = n.device
    # the sun follows the camera (upper left, a little behind it) so every view is front-lit
    horizontal_back = np.array([-cam.forward[0], 0.0, -cam.forward[2]])
    horizontal_back /= max(np.linalg.norm(horizontal_back), 1e-9)
    sun = -0.55 * cam.right + 0.35 * horizontal_back + np.array([0.0, 0.75, 0.0])
    l = sun / np.linalg.norm(sun)
    colors = (SUN_RGB, SKY_RGB, GROUND_RGB, REFLECTED_SKY_RGB)
    sun_rgb, sky, ground, mirrored = (torch.tensor(c, device=dev) for c in colors)
    n_dot_l, n_dot_v = _dot(n, l), (n * v).sum(1)
    ndl, ndv = n_dot_l.clamp_min(0), n_dot_v.clamp_min(1e-4)
    ndh = ((n_dot_l + n_dot_v) * torch.rsqrt((2 + 2 * _dot(v, l)).clamp_min(1e-8))).clamp_min(0)  # n . normalize(v + l)
    alpha2 = roughness**4
    ggx = alpha2 / (math.pi * (ndh * ndh * (alpha2 - 1) + 1) ** 2)
    k = (roughness + 1) ** 2 / 8
    vis = 1 / (4 * (ndl * (1 - k) + k) * (ndv * (1 - k) + k))
    # rough surfaces reflect a blur of the hemisphere: bend the mirror direction toward the normal
    reflected_y = torch.lerp(2 * n_dot_v * n[:, 1] - v[:, 1], n[:, 1], roughness * roughness)
    hemi = lambda y, top: ground + torch.outer(0.5 + 0.5 * y, top - ground)  # noqa: E731
    diffuse_light = torch.outer(ndl, sun_rgb) + hemi(n[:, 1], sky) * occlusion[:, None]
    specular_light = torch.outer(ggx * vis * ndl * math.pi, sun_rgb) + hemi(reflected_y, mirrored) * occlusion[:, None]
    f0 = 0.04 + (base - 0.04) * metallic[:, None]
    fresnel = torch.lerp(f0, torch.ones_like(f0), ((1 - ndv) ** 5 * (1 - roughness) ** 2)[:, None])
    color = base * (1 - metallic)[:, None] * diffuse_light + fresnel * specular_light + emissive
    return torch.where(unlit[:, None], base + emissive, color) if bool(unlit.any()) else color


def _backdrop(cam: _Camera, dev: torch.device) -> torch.Tensor:
    """Return the display-linear sky gradient [H * W, 3]: deep blue at the top to pale haze at the bottom."""
    top, bottom = (torch.tensor(c, device=dev) for c in (ZENITH_RGB, HORIZON_RGB))
    t = ((torch.arange(cam.height, device=dev, dtype=torch.float32) + 0.5) / cam.height).sqrt()[:, None]
    rows = top + (bottom - top) * t  # a screen-space gradient: looking down, a real horizon is off-frame
    return rows[:, None, :].expand(cam.height, cam.width, 3).reshape(-1, 3).clone()


def _aces(x: torch.Tensor) -> torch.Tensor:
    x = x.clamp_min(0) * 0.8
    return (x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14)


def _srgb_to_linear(c: torch.Tensor) -> torch.Tensor:
    return torch.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _linear_to_srgb(c: torch.Tensor) -> torch.Tensor:
    return torch.where(c <= 0.0031308, c * 12.92, 1.055 * c.clamp_min(0.0031308) ** (1 / 2.4) - 0.055)


# 5x7 bitmap glyphs for the contact-sheet labels: no font file or library needed.
_GLYPHS = {
    "A": "01110 10001 10001 11111 10001 10001 10001", "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110", "E": "11111 10000 10000 11110 10000 10000 11111",
    "F": "11111 10000 10000 11110 10000 10000 10000", "G": "01110 10001 10000 10111 10001 10001 01111",
    "H": "10001 10001 10001 11111 10001 10001 10001", "I": "01110 00100 00100 00100 00100 00100 01110",
    "K": "10001 10010 10100 11000 10100 10010 10001", "L": "10000 10000 10000 10000 10000 10000 11111",
    "N": "10001 11001 10101 10011 10001 10001 10001", "O": "01110 10001 10001 10001 10001 10001 01110",
    "R": "11110 10001 10001 11110 10100 10010 10001", "T": "11111 00100 00100 00100 00100 00100 00100",
    " ": "00000 00000 00000 00000 00000 00000 00000",
}  # fmt: skip


def _label(panel: np.ndarray, text: str) -> np.ndarray:
    """Return ``panel`` with ``text`` in white 5x7 capitals (dark drop shadow) at its top-left corner."""
    scale = max(1, panel.shape[0] // 160)
    rows = [np.array([[c == "1" for c in row] for row in _GLYPHS[ch].split()]) for ch in text]
    mask = np.concatenate([np.pad(g, ((0, 0), (0, 1))) for g in rows], 1).repeat(scale, 0).repeat(scale, 1)
    out, y, x = panel.copy(), 3 * scale, 3 * scale
    h, w = min(mask.shape[0], out.shape[0] - y - scale), min(mask.shape[1], out.shape[1] - x - scale)
    mask = mask[:h, :w]
    out[y + scale : y + scale + h, x + scale : x + scale + w][mask] = (20, 20, 24)
    out[y : y + h, x : x + w][mask] = (250, 250, 250)
    return out
