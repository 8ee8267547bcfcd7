"""The preview's shading: perspective-correct attributes, mipmapped texture lookups, sun and sky, ACES, sRGB.

Per pixel: the sRGB base color decoded to linear, a sun plus a sky/ground hemisphere,
Lambert with a GGX highlight from roughness/metallic and occlusion from the ORM
texture, the normal map where the mesh has tangents; ACES tone mapping.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from pipelines.inspect.camera import SUB, Camera, dot, floor_div
from pipelines.inspect.gltf_container import CLAMP_TO_EDGE, MIRRORED_REPEAT, REPEAT
from pipelines.inspect.scene_tensors import SceneTensors

SUN_RGB = (2.2, 2.05, 1.85)
SKY_RGB, GROUND_RGB = (0.42, 0.52, 0.68), (0.20, 0.18, 0.15)  # ambient hemisphere
REFLECTED_SKY_RGB = (0.85, 0.92, 1.0)  # what mirrors see above: brighter than the diffuse sky, so metals read as metal
ZENITH_RGB, HORIZON_RGB = (0.16, 0.33, 0.66), (0.80, 0.85, 0.90)  # backdrop, display-linear


def blend(w: torch.Tensor, corners: torch.Tensor) -> torch.Tensor:
    """Return sum_k w[:, k] * corners[:, k] for weights [P, 3] and corner values [P, 3, C]."""
    return w[:, 0:1] * corners[:, 0] + w[:, 1:2] * corners[:, 1] + w[:, 2:3] * corners[:, 2]


def interpolation_planes(
    xy_fixed: torch.Tensor, inv_depth: torch.Tensor, faces: torch.Tensor, edge_table
) -> torch.Tensor:
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


def shade(scene: SceneTensors, cam: Camera, tri, face_id, flip, planes, pixel) -> torch.Tensor:
    """Return linear HDR radiance [P, 3] of covered pixels: ``tri`` their faces' vertices, ``planes`` theirs."""
    count = len(pixel)
    dx = ((pixel % cam.width) * SUB + SUB // 2).float() - planes[:, 0]
    dy = (floor_div(pixel, cam.width) * SUB + SUB // 2).float() - planes[:, 1]
    slope_x, slope_y = planes[:, 2:5], planes[:, 5:8]
    n_k = slope_x * dx[:, None] + slope_y * dy[:, None]
    n_k[:, 0] += planes[:, 8]
    inv_sum = 1.0 / n_k.sum(1, keepdim=True)
    w = n_k * inv_sum
    corners = scene.attributes.index_select(0, tri.reshape(-1)).view(count, 3, -1)
    attr = blend(w, corners)
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
        uv_sets.append((uv, blend(gx, diff), blend(gy, diff)))
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
    occlusion = 1 + scene.occlusion_strength.index_select(0, mat) * (
        sample("occlusion_texture", (1, 1, 1, 1))[:, 0] - 1
    )
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
    return _light(
        cam, normal, view, base[:, :3], roughness, metallic, occlusion, emissive, scene.unlit.index_select(0, mat)
    )


def _sample_slot(scene: SceneTensors, slot: str, mat, uv_sets, default) -> torch.Tensor:
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
    texels_x, texels_y = (
        torch.hypot(du[:, 0] * size_x, du[:, 1] * size_y),
        torch.hypot(dv[:, 0] * size_x, dv[:, 1] * size_y),
    )
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
    n_dot_l, n_dot_v = dot(n, l), (n * v).sum(1)
    ndl, ndv = n_dot_l.clamp_min(0), n_dot_v.clamp_min(1e-4)
    ndh = ((n_dot_l + n_dot_v) * torch.rsqrt((2 + 2 * dot(v, l)).clamp_min(1e-8))).clamp_min(0)  # n . normalize(v + l)
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


def backdrop(cam: Camera, dev: torch.device) -> torch.Tensor:
    """Return the display-linear sky gradient [H * W, 3]: deep blue at the top to pale haze at the bottom."""
    top, bottom = (torch.tensor(c, device=dev) for c in (ZENITH_RGB, HORIZON_RGB))
    t = ((torch.arange(cam.height, device=dev, dtype=torch.float32) + 0.5) / cam.height).sqrt()[:, None]
    rows = top + (bottom - top) * t  # a screen-space gradient: looking down, a real horizon is off-frame
    return rows[:, None, :].expand(cam.height, cam.width, 3).reshape(-1, 3).clone()


def aces(x: torch.Tensor) -> torch.Tensor:
    """Return HDR radiance ``x`` tone-mapped to 0..1 (ACES filmic fit)."""
    x = x.clamp_min(0) * 0.8
    return (x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14)


def linear_to_srgb(c: torch.Tensor) -> torch.Tensor:
    """Return linear values ``c`` (0..1) encoded as sRGB."""
    return torch.where(c <= 0.0031308, c * 12.92, 1.055 * c.clamp_min(0.0031308) ** (1 / 2.4) - 0.055)
