"""The scene on the preview's device: vertices, faces, material tables and every texture's mip chain."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from pipelines.inspect.glb_reader import PreviewMaterial, SceneGeometry

SLOTS = ("base_color_texture", "metallic_roughness_texture", "occlusion_texture", "normal_texture", "emissive_texture")
SRGB_SLOTS = ("base_color_texture", "emissive_texture")


class SceneTensors:
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
        used = [r for m in mats for r in (getattr(m, s) for s in SLOTS) if r is not None]
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
        for name in SLOTS:
            entry, texcoord, wrap, affine = [], [], [], []
            for m in mats:
                ref = getattr(m, name)
                drawn = ref is not None and images[ref.image] is not None
                entry.append(entries.setdefault((ref.image, name in SRGB_SLOTS), len(entries)) if drawn else -1)
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
        decode = torch.stack([srgb_to_linear(decode), decode])  # [srgb?, byte] -> linear value
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
        self.tex_w, self.tex_h = (
            table([[d[0] for d in row] for row in dims]),
            table([[d[1] for d in row] for row in dims]),
        )
        self.tex_off = table(offsets) if offsets else torch.zeros((1, depth), dtype=torch.int64, device=self.dev)
        self.tex_levels = torch.tensor([len(c) for c in levels] or [1], dtype=torch.int64, device=self.dev)
        self.texels = torch.cat(flat) if flat else torch.ones((1, 4), dtype=torch.float16, device=self.dev)


def srgb_to_linear(c: torch.Tensor) -> torch.Tensor:
    """Return sRGB-encoded values ``c`` (0..1) decoded to linear light."""
    return torch.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
