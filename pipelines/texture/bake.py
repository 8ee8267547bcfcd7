"""Texture baking from a field onto an unwrapped mesh: base color, ORM and tangent-space normals.

For each texel the rasterizer gives a face and barycentrics; the texel's point
on the (possibly decimated) mesh is projected onto the field's surface along
the SDF gradient, and the field is read there: material (base color,
roughness, metallic), the field normal (expressed in the texel's interpolated
tangent frame, so the low-poly mesh shows the full-resolution surface) and an
SDF ambient-occlusion estimate (a field with ``closest_surface``, a converted
source mesh, is read at its closest source point instead). Everything runs batched on ``device``, in
chunks of texels; only the final uint8 images come to the host.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from functools import partial

import numpy as np
import torch
import torch.nn.functional as F

from exporters.asset import MeshData
from exporters.png import encode_png
from pipelines.texture.raster import rasterize_uv
from pipelines.texture.tangents import mikktspace_tangents
from pipelines.texture.unwrap import default_padding

log = logging.getLogger("hyworld.bake")


@dataclass
class BakedMaps:
    """The baked textures of one mesh, as uint8 images ready for PNG (rows top to bottom)."""

    base_color: np.ndarray  # [H, W, 3] sRGB
    orm: np.ndarray  # [H, W, 3] linear: R ambient occlusion (1 = open), G roughness, B metallic
    normal: np.ndarray  # [H, W, 3] tangent space, OpenGL (+Y up the image, glTF's convention)
    coverage: np.ndarray  # [H, W] bool: texels a chart touches (before gutter fill)

    def base_color_png(self) -> bytes:
        return encode_png(self.base_color, srgb=True)

    def orm_png(self) -> bytes:
        return encode_png(self.orm)

    def normal_png(self) -> bytes:
        return encode_png(self.normal)

    def to_png(self) -> dict[str, bytes]:
        """Return PNG bytes keyed by texture role: ``baseColor``, ``orm``, ``normal``."""
        return {"baseColor": self.base_color_png(), "orm": self.orm_png(), "normal": self.normal_png()}


def bake(
    mesh: MeshData,
    field,
    size: int,
    device: torch.device | str,
    *,
    padding: int | None = None,
    ao_radius_m: float | None = None,
    ao_strength: float = 1.0,
    ao_cones: bool = False,
    project_steps: int = 2,
    chunk_texels: int = 1 << 16,
    ao_block: int = 2,
) -> BakedMaps:
    """Return the maps of ``field`` baked into ``mesh``'s uv0 atlas at ``size`` x ``size``.

    ``mesh`` needs uv0 and normals; its tangents are used when present (they
    must be the ones exported with it) and computed with
    :func:`mikktspace_tangents` otherwise. ``padding`` is the gutter (texels)
    grown around every chart, each ring copying its covered neighbour; default
    :func:`default_padding` (size / 256, at least 2: clean down to mip
    log2(padding)); the rest of the empty atlas is filled by a push-pull
    (mip pyramid) fill, so no texel stays black at any mip level.
    ``ao_radius_m``: how far occluders count (default 8% of the mesh's bounding
    diagonal); occlusion is sampled at 5 distances along the field normal (the
    classic SDF AO: free space shorter than the step means an occluder) and,
    with ``ao_cones``, also along 4 directions tilted 45 degrees from it, which
    catches occluders off to the side but greys convex edges sharper than
    90 degrees (the tilted rays graze the neighbouring face), hence off by default.
    ``project_steps`` Newton steps move each texel onto the field surface
    (moves beyond 2% of the diagonal are refused: the mesh point is kept).
    ``ao_block``: occlusion is evaluated once per ``ao_block`` x ``ao_block``
    block of texels (at the mean of its surface points, stepped onto the
    surface) and every texel of the block takes it; a texel that lies far from
    its block's mean point or normal (an edge, two charts in one block) gets its own. AO is low
    frequency: 2 (a quarter of the samples) measured above 41 dB PSNR on ORM
    against 1 (every texel), see ``tests/test_bake.py``.

    Texels are visited in a spatial (Morton) order of their mesh points, so each
    chunk covers a compact piece of the object and the field's culled parts are
    skipped wherever the chunk is far from them.
    """
    if mesh.uv0 is None or mesh.normals is None:
        raise ValueError("bake needs a mesh with uv0 and normals (unwrap it first)")
    device = torch.device(device)
    padding = default_padding(size) if padding is None else int(padding)
    tangents = mesh.tangents if mesh.tangents is not None else mikktspace_tangents(mesh)

    faces = torch.from_numpy(mesh.indices.astype(np.int64)).to(device)
    positions = torch.from_numpy(mesh.positions).to(device)
    normals = F.normalize(torch.from_numpy(mesh.normals).to(device), dim=1)
    tan = torch.from_numpy(tangents).to(device)
    bitangents = torch.cross(normals, tan[:, :3], dim=1) * tan[:, 3:4]  # glTF: B = cross(N, T) * w
    face_id, bary = rasterize_uv(torch.from_numpy(mesh.uv0).to(device), faces, size)
    face_id, bary = face_id.reshape(-1), bary.reshape(-1, 3)
    texels = (face_id >= 0).nonzero().squeeze(1)
    texels = texels[_spatial_order(_points(positions, faces, face_id, bary, texels))]

    lo, hi = mesh.bounds()
    diag = float(np.linalg.norm(hi - lo)) or 1.0
    area = _surface_area(positions, faces)
    texel_m = math.sqrt(area / max(int(texels.numel()), 1))  # world size of one texel
    eps = min(max(0.5 * texel_m, 1e-5 * diag), 1e-2 * diag)  # gradient step: detail down to a texel
    radius = 0.08 * diag if ao_radius_m is None else float(ao_radius_m)
    log.info("bake: %dx%d, %d texels, torch on %s", size, size, int(texels.numel()), device)

    # A field may offer ``closest_surface(points) -> (points, normals, MaterialSample)`` (a converted
    # source mesh: texels read the source where it is closest) and ``ambient_sdf`` (a cheaper distance
    # for the occlusion rays); see pipelines/convert/fields.py.
    closest = getattr(field, "closest_surface", None) if getattr(field, "surface", None) is not None else None
    occluder = _Occluder(getattr(field, "ambient_sdf", None) or field.sdf)
    # Channels: 0-2 base color (sRGB), 3 occlusion, 4 roughness, 5 metallic, 6-8 normal xyz.
    image = torch.zeros((9, size * size), dtype=torch.float32, device=device)
    count = int(texels.numel())
    surface = torch.empty((count, 9), dtype=torch.float32, device=device)  # q, field normal, tangent per texel
    with torch.no_grad():
        for start in range(0, count, chunk_texels):
            t_idx = texels[start : start + chunk_texels]
            corners = faces[face_id[t_idx]]
            w = bary[t_idx][:, :, None]
            p = (positions[corners] * w).sum(1)
            n = F.normalize((normals[corners] * w).sum(1), dim=1)
            t = F.normalize((tan[corners, :3] * w).sum(1), dim=1)
            b = F.normalize((bitangents[corners] * w).sum(1), dim=1)
            if closest is not None:  # a source mesh: read it at its closest point, its own shading normal
                q, n_src, mat = closest(p)
                n_field = torch.where((n_src * n).sum(1, keepdim=True) > 0.0, n_src, n)
            else:
                q, n_field = _project(field, p, n, eps, project_steps, 0.02 * diag)
                mat = field.material(q)
            image[0:3, t_idx] = mat.base_color.to(torch.float32).clamp(0, 1).T
            image[4, t_idx] = mat.roughness.to(torch.float32).clamp(0, 1)
            image[5, t_idx] = mat.metallic.to(torch.float32).clamp(0, 1)
            image[6:9, t_idx] = _to_tangent_space(n_field, t, b, n).T
            surface[start : start + t_idx.numel()] = torch.cat([q, n_field, t], dim=1).to(torch.float32)
        ao = partial(_occlusion, occluder, radius=radius, strength=ao_strength, cones=ao_cones, chunk=chunk_texels)
        snap = partial(_sdf_chunked, occluder, chunk=chunk_texels)
        image[3, texels] = _block_occlusion(ao, snap, texels, surface, size, max(1, int(ao_block)), 3.0 * texel_m)

    covered = (face_id >= 0).view(size, size)
    image = image.view(9, size, size)
    image, grown = _dilate(image, covered, padding)
    image = _push_pull_fill(image, grown)
    length = (image[6:9] * image[6:9]).sum(0, keepdim=True).sqrt()  # (a norm over dim 0 is slow on CPU)
    normal = torch.where(length > 1e-6, image[6:9] / length.clamp_min(1e-6), _unit_z(device))

    def to_u8(x: torch.Tensor) -> np.ndarray:
        return (x.clamp(0, 1) * 255.0 + 0.5).to(torch.uint8).permute(1, 2, 0).contiguous().cpu().numpy()

    return BakedMaps(
        base_color=to_u8(image[0:3]),
        orm=to_u8(image[3:6]),
        normal=to_u8(normal * 0.5 + 0.5),
        coverage=covered.cpu().numpy(),
    )


def _points(positions, faces, face_id, bary, texels) -> torch.Tensor:
    """Return the mesh point [N, 3] under each of ``texels``."""
    corners = faces[face_id[texels]]
    return (positions[corners] * bary[texels][:, :, None]).sum(1)


def _spatial_order(points: torch.Tensor, bits: int = 10) -> torch.Tensor:
    """Return the permutation that sorts ``points`` along a Morton (Z-order) curve over their box."""
    if points.shape[0] < 2:
        return torch.arange(points.shape[0], device=points.device)
    lo, hi = points.min(dim=0).values, points.max(dim=0).values
    cells = ((points - lo) / (hi - lo).max().clamp_min(1e-12) * ((1 << bits) - 1)).to(torch.int64)
    code = torch.zeros(points.shape[0], dtype=torch.int64, device=points.device)
    for bit in range(bits):
        for axis in range(3):
            code |= ((cells[:, axis] >> bit) & 1) << (3 * bit + axis)
    return torch.argsort(code, stable=True)


def _block_occlusion(ao, snap, texels: torch.Tensor, surface: torch.Tensor, size: int, block: int, far: float):
    """Return occlusion per texel, evaluated once per ``block`` x ``block`` texel block.

    ``surface`` holds each texel's point, field normal and tangent ([N, 9]); a
    block is evaluated at the mean of its texels' points, stepped onto the
    surface along their mean normal (``snap`` gives the SDF there). Texels farther than ``far`` from that mean, or whose normal leaves the
    block's mean normal by more than ~14 degrees, get their own value.
    """
    q, n, t = surface[:, 0:3], surface[:, 3:6], surface[:, 6:9]
    if block == 1:
        return ao(q, n, t)
    row, col = texels // size, texels % size
    key = (row // block) * ((size + block - 1) // block) + col // block
    blocks, inverse = torch.unique(key, return_inverse=True)
    count = torch.zeros(len(blocks), device=q.device).index_add_(0, inverse, torch.ones_like(q[:, 0]))
    mean = torch.zeros((len(blocks), 9), device=q.device).index_add_(0, inverse, surface) / count[:, None]
    # A mean point sits a hair inside a convex edge: step it back onto the surface along the mean normal.
    nb = F.normalize(mean[:, 3:6], dim=1)
    qb = mean[:, 0:3] - snap(mean[:, 0:3])[:, None] * nb
    out = ao(qb, nb, F.normalize(mean[:, 6:9], dim=1))[inverse]
    dist = (q - mean[inverse, 0:3]).norm(dim=1)
    alone = (dist > far) | ((n * nb[inverse]).sum(1) < NORMAL_AGREE)
    log.debug("ao blocks: %d of %d texels alone", int(alone.sum()), int(alone.numel()))
    if bool(alone.any()):
        out[alone] = ao(q[alone], n[alone], t[alone])
    return out


class _Occluder:
    """The distance the occlusion rays read: ``sdf`` alone."""

    def __init__(self, sdf) -> None:
        self.sdf = sdf


def _sdf_chunked(field, points: torch.Tensor, chunk: int) -> torch.Tensor:
    return torch.cat([field.sdf(points[s : s + chunk]).to(torch.float32) for s in range(0, len(points), chunk)])


def _surface_area(positions: torch.Tensor, faces: torch.Tensor) -> float:
    p = positions[faces]
    return float(0.5 * torch.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0], dim=1).norm(dim=1).sum())


def _gradient(field, points: torch.Tensor, eps: float) -> torch.Tensor:
    """Return the SDF gradient [N, 3] by central differences (6 samples per point).

    Central, not tetrahedral (4 samples) differences: near an edge of a box the
    tetrahedron's skewed samples invent a gradient along the edge (measured:
    0.32 sideways on a flat face 0.06 from a corner), the axis pairs do not.
    """
    k = torch.cat([torch.eye(3), -torch.eye(3)]).to(points.device) * eps
    d = field.sdf((points[None] + k[:, None]).reshape(-1, 3)).reshape(6, -1).to(torch.float32)
    return (d[:3] - d[3:]).T / (2.0 * eps)


def _value_and_forward_gradient(field, points: torch.Tensor, h: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (SDF [N], its gradient [N, 3] by forward differences over ``h``): 4 samples per point, one call."""
    k = torch.cat([torch.zeros(1, 3), torch.eye(3)]).to(points.device) * h
    d = field.sdf((points[None] + k[:, None]).reshape(-1, 3)).reshape(4, -1).to(torch.float32)
    return d[0], (d[1:] - d[0]).T / h


def _project(field, p, n_mesh, eps, steps, max_move):
    """Return (points on the field surface [N, 3], field normals there [N, 3]).

    Newton steps use the exact SDF value and a forward-difference gradient over
    1/10 of ``eps`` (it only sets the step's direction), so near an edge they
    land on the nearest face instead of on the blurred average; the normal is
    then taken by central differences over ``eps`` (about half a texel), which
    filters detail finer than the texture can hold.
    """
    q = p
    for _ in range(steps):
        d, g = _value_and_forward_gradient(field, q, 0.1 * eps)
        g2 = (g * g).sum(1, keepdim=True)
        q = q - torch.where(g2 > 1e-6, d[:, None] * g / g2.clamp_min(1e-6), torch.zeros_like(g))
    moved = (q - p).norm(dim=1, keepdim=True)
    q = torch.where(moved <= max_move, q, p)
    g = _gradient(field, q, eps)
    length = g.norm(dim=1, keepdim=True)
    n_field = torch.where(length > 1e-3, g / length.clamp_min(1e-12), n_mesh)
    # A gradient that points into the mesh (thin parts, noisy fields) is not this surface's normal.
    n_field = torch.where((n_field * n_mesh).sum(1, keepdim=True) > 0.0, n_field, n_mesh)
    return q, n_field


def _occlusion(field, q, n, t, radius, strength, cones, chunk=1 << 16):
    """Return ambient occlusion [N] in 0..1 (1 = open) from SDF samples along the normal (+ cones)."""
    if q.shape[0] > chunk:
        parts = [
            _occlusion(field, q[s : s + chunk], n[s : s + chunk], t[s : s + chunk], radius, strength, cones, chunk)
            for s in range(0, q.shape[0], chunk)
        ]
        return torch.cat(parts)
    directions = [n]
    if cones:
        b = F.normalize(torch.cross(n, t, dim=1), dim=1)
        t = torch.cross(b, n, dim=1)
        directions += [F.normalize(n + s * axis, dim=1) for axis in (t, b) for s in (1.0, -1.0)]
    cos_weights = [1.0] + [math.sqrt(0.5)] * (len(directions) - 1)  # cosine-weighted, like irradiance
    steps = 5
    h = torch.arange(1, steps + 1, device=q.device, dtype=torch.float32) * (radius / steps)
    fall = 0.6 ** torch.arange(steps, device=q.device, dtype=torch.float32)  # near samples count more
    total = torch.zeros(q.shape[0], device=q.device)
    d0 = field.sdf(q).to(torch.float32)  # clearance is measured from here: q may sit a hair off the surface
    for direction, cos in zip(directions, cos_weights):
        pts = q[None] + h[:, None, None] * direction[None]
        d = field.sdf(pts.reshape(-1, 3)).reshape(steps, -1).to(torch.float32) - d0
        # An open flat surface leaves h * cos of clearance along a tilted ray; less is occlusion.
        free = h[:, None] * cos
        blocked = ((free - d) / free).clamp(0.0, 1.0)
        total += cos * (blocked * fall[:, None]).sum(0) / fall.sum()
    occ = total / sum(cos_weights)
    return (1.0 - strength * occ).clamp(0.0, 1.0)


MIN_TANGENT_Z = 0.1
NORMAL_AGREE = 0.995


def _to_tangent_space(n_field, t, b, n):
    """Return [N, 3] tangent-space normals that the decoder mat3(t, b, n) @ x maps back to n_field."""
    bn, nt, tb = torch.cross(b, n, dim=1), torch.cross(n, t, dim=1), torch.cross(t, b, dim=1)
    det = (t * bn).sum(1, keepdim=True)
    x = torch.stack([(bn * n_field).sum(1), (nt * n_field).sum(1), (tb * n_field).sum(1)], dim=1)
    ortho = torch.stack([(t * n_field).sum(1), (b * n_field).sum(1), (n * n_field).sum(1)], dim=1)
    x = torch.where(det.abs() > 1e-3, x / det.where(det.abs() > 1e-3, torch.ones_like(det)), ortho)
    # A field normal more than ~84° from the low-poly normal (a texel that projected onto
    # another face near a sharp corner) would light the back of the surface: engines' and
    # bakers' convention is a tangent-space normal in the upper hemisphere.
    x = F.normalize(x, dim=1)
    x = torch.cat([x[:, :2], x[:, 2:].clamp_min(MIN_TANGENT_Z)], dim=1)
    return F.normalize(x, dim=1)


def _unit_z(device):
    return torch.tensor([0.0, 0.0, 1.0], device=device).view(3, 1, 1)


def _dilate(image: torch.Tensor, mask: torch.Tensor, steps: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (image with the covered region grown ``steps`` texels, the grown mask).

    Each ring copies a covered neighbour (the highest texel index among the
    8 neighbours, so it is deterministic): one max-pool of a single index
    channel per ring, then one gather of all channels, instead of filtering
    every channel each ring.
    """
    channels, h, w = image.shape
    dtype = torch.float32 if h * w < 2**24 else torch.float64  # indices stay exact
    index = torch.arange(h * w, device=image.device, dtype=dtype).view(1, h, w)
    source = torch.where(mask[None], index, torch.full_like(index, -1.0))
    for _ in range(steps):
        source = torch.where(source >= 0, source, F.max_pool2d(source[None], 3, stride=1, padding=1)[0])
    source = source.view(-1).to(torch.int64)
    grown = source >= 0
    flat = image.reshape(channels, -1)
    out = torch.where(grown, flat[:, source.clamp_min(0)], flat)
    return out.view(channels, h, w), grown.view(h, w)


def _push_pull_fill(image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Fill texels outside ``mask`` from a coverage-weighted mip pyramid (coarser where emptier)."""
    if bool(mask.all()) or not bool(mask.any()):
        return image
    weight = mask.to(torch.float32)[None, None]
    levels = [(image[None] * weight, weight)]
    while min(levels[-1][1].shape[-2:]) > 1:
        s, w = levels[-1]
        levels.append((F.avg_pool2d(s, 2, ceil_mode=True) * 4.0, F.avg_pool2d(w, 2, ceil_mode=True) * 4.0))
    filled = levels[-1][0] / levels[-1][1].clamp_min(1e-12)
    for s, w in reversed(levels[:-1]):
        up = F.interpolate(filled, size=s.shape[-2:], mode="bilinear", align_corners=False)
        filled = torch.where(w > 0, s / w.clamp_min(1e-12), up)
    return torch.where(mask[None], image, filled[0])
