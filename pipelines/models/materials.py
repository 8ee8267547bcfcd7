"""Material presets, prompt color and material words, and procedural patterns in torch.

A part's ``MaterialSpec`` (in the plan) names a preset and a pattern; ``shade``
turns it into per-point base color, roughness and metallic, with the
variation that makes a surface read as wood, brick, bark or rock.
"""

from __future__ import annotations

import torch

from pipelines.models.noise import ValueNoise, hash01, smoothstep
from pipelines.plan import MaterialSpec

RGB = tuple[float, float, float]

# name: (base_color sRGB, roughness, metallic, variation, pattern)
PRESETS: dict[str, tuple[RGB, float, float, float, str]] = {
    "wood": ((0.46, 0.31, 0.18), 0.75, 0.0, 0.22, "planks"),
    "dark_wood": ((0.28, 0.18, 0.11), 0.7, 0.0, 0.2, "planks"),
    "boards": ((0.50, 0.35, 0.21), 0.75, 0.0, 0.22, "boards"),
    "log": ((0.42, 0.28, 0.16), 0.85, 0.0, 0.25, "logs"),
    "plaster": ((0.88, 0.84, 0.74), 0.9, 0.0, 0.08, "noise"),
    "stone": ((0.56, 0.54, 0.50), 0.9, 0.0, 0.2, "stones"),
    "cobble": ((0.50, 0.48, 0.45), 0.95, 0.0, 0.25, "stones"),
    "brick": ((0.62, 0.29, 0.20), 0.9, 0.0, 0.18, "bricks"),
    "roof_tiles": ((0.62, 0.26, 0.18), 0.7, 0.0, 0.15, "tiles"),
    "slate": ((0.30, 0.32, 0.36), 0.6, 0.0, 0.12, "tiles"),
    "thatch": ((0.71, 0.58, 0.33), 1.0, 0.0, 0.25, "thatch"),
    "metal": ((0.62, 0.63, 0.65), 0.4, 1.0, 0.08, "noise"),
    "iron": ((0.28, 0.28, 0.30), 0.55, 0.9, 0.1, "noise"),
    "rust": ((0.45, 0.24, 0.13), 0.85, 0.3, 0.25, "noise"),
    "gold": ((0.90, 0.72, 0.32), 0.3, 1.0, 0.05, "noise"),
    "copper": ((0.72, 0.45, 0.28), 0.4, 1.0, 0.1, "noise"),
    "glass": ((0.30, 0.42, 0.50), 0.08, 0.0, 0.05, "flat"),
    "cloth": ((0.80, 0.74, 0.60), 0.95, 0.0, 0.08, "noise"),
    "canvas": ((0.86, 0.82, 0.70), 0.95, 0.0, 0.06, "noise"),
    "awning": ((0.75, 0.18, 0.15), 0.9, 0.0, 0.05, "stripes"),
    "bands": ((0.72, 0.13, 0.11), 0.6, 0.0, 0.05, "bands"),
    "leaves": ((0.24, 0.44, 0.17), 0.85, 0.0, 0.3, "leaves"),
    "needles": ((0.12, 0.30, 0.16), 0.9, 0.0, 0.25, "leaves"),
    "palm_leaves": ((0.30, 0.52, 0.20), 0.8, 0.0, 0.25, "leaves"),
    "bush": ((0.22, 0.40, 0.16), 0.9, 0.0, 0.3, "leaves"),
    "bark": ((0.36, 0.26, 0.18), 0.95, 0.0, 0.3, "bark"),
    "birch_bark": ((0.85, 0.83, 0.78), 0.8, 0.0, 0.2, "bark"),
    "palm_bark": ((0.55, 0.43, 0.30), 0.95, 0.0, 0.25, "rings"),
    "rock": ((0.52, 0.50, 0.47), 0.95, 0.0, 0.25, "rock"),
    "sandstone": ((0.78, 0.52, 0.33), 0.95, 0.0, 0.2, "strata"),
    "marble": ((0.90, 0.89, 0.86), 0.3, 0.0, 0.15, "marble"),
    "concrete": ((0.66, 0.66, 0.64), 0.9, 0.0, 0.1, "noise"),
    "panels": ((0.78, 0.80, 0.82), 0.45, 0.3, 0.08, "panels"),
    "wax": ((0.95, 0.91, 0.80), 0.6, 0.0, 0.04, "flat"),
    "flame": ((1.00, 0.78, 0.30), 1.0, 0.0, 0.05, "flat"),
    "water": ((0.14, 0.33, 0.42), 0.05, 0.0, 0.06, "noise"),
    "lamp": ((1.00, 0.90, 0.60), 0.2, 0.0, 0.02, "flat"),
    "crystal": ((0.55, 0.35, 0.90), 0.15, 0.0, 0.15, "marble"),
    "cactus": ((0.30, 0.50, 0.24), 0.7, 0.0, 0.15, "ribs"),
    "rope": ((0.68, 0.56, 0.36), 1.0, 0.0, 0.2, "noise"),
    "hay": ((0.82, 0.70, 0.36), 1.0, 0.0, 0.25, "thatch"),
    "paint": ((0.85, 0.85, 0.82), 0.6, 0.0, 0.05, "noise"),
    "ice": ((0.80, 0.90, 0.97), 0.1, 0.0, 0.06, "noise"),
    "snow": ((0.93, 0.95, 0.98), 0.85, 0.0, 0.04, "noise"),
    "grass": ((0.30, 0.50, 0.20), 0.95, 0.0, 0.2, "noise"),
    "dirt": ((0.45, 0.34, 0.22), 1.0, 0.0, 0.2, "noise"),
    "sand": ((0.86, 0.76, 0.54), 0.95, 0.0, 0.1, "noise"),
    "plastic": ((0.85, 0.85, 0.85), 0.45, 0.0, 0.05, "noise"),
    "bone": ((0.88, 0.85, 0.76), 0.7, 0.0, 0.1, "noise"),
    # --- catalog A ---
    "leather": ((0.36, 0.20, 0.12), 0.55, 0.0, 0.12, "noise"),
    "porcelain": ((0.94, 0.94, 0.92), 0.15, 0.0, 0.03, "flat"),
    "terracotta": ((0.72, 0.38, 0.24), 0.85, 0.0, 0.12, "noise"),
    "wicker": ((0.70, 0.52, 0.30), 0.9, 0.0, 0.3, "thatch"),
    "lacquer": ((0.06, 0.05, 0.05), 0.15, 0.0, 0.03, "flat"),
    "mirror": ((0.85, 0.87, 0.90), 0.05, 1.0, 0.02, "flat"),
    # --- catalog B --- animals, vehicles, street furniture
    "fur": ((0.45, 0.30, 0.18), 0.95, 0.0, 0.15, "noise"),
    "wool": ((0.90, 0.87, 0.78), 1.0, 0.0, 0.2, "noise"),
    "feathers": ((0.92, 0.90, 0.85), 0.9, 0.0, 0.12, "noise"),
    "skin": ((0.88, 0.62, 0.58), 0.7, 0.0, 0.08, "noise"),
    "tyre": ((0.07, 0.07, 0.08), 0.9, 0.0, 0.05, "noise"),
    "car_paint": ((0.70, 0.14, 0.11), 0.25, 0.5, 0.03, "flat"),
    # --- catalog D ---
    "petals": ((0.88, 0.30, 0.40), 0.6, 0.0, 0.12, "noise"),
    "blossom": ((0.96, 0.74, 0.82), 0.75, 0.0, 0.18, "leaves"),
    "moss": ((0.30, 0.42, 0.14), 1.0, 0.0, 0.3, "leaves"),
    "bamboo": ((0.56, 0.64, 0.30), 0.5, 0.0, 0.15, "rings"),
}

# Words in a prompt that name a material, mapped to a preset.
MATERIAL_WORDS: dict[str, str] = {
    "wood": "wood",
    "wooden": "wood",
    "timber": "wood",
    "plank": "boards",
    "planked": "boards",
    "log": "log",
    "stone": "stone",
    "stony": "stone",
    "cobblestone": "cobble",
    "cobbled": "cobble",
    "brick": "brick",
    "bricks": "brick",
    "tile": "roof_tiles",
    "tiled": "roof_tiles",
    "clay": "roof_tiles",
    "terracotta": "roof_tiles",
    "slate": "slate",
    "thatch": "thatch",
    "thatched": "thatch",
    "straw": "hay",
    "metal": "metal",
    "metallic": "metal",
    "steel": "metal",
    "iron": "iron",
    "rusty": "rust",
    "rusted": "rust",
    "gold": "gold",
    "golden": "gold",
    "copper": "copper",
    "bronze": "copper",
    "brass": "copper",
    "glass": "glass",
    "cloth": "cloth",
    "fabric": "cloth",
    "canvas": "canvas",
    "marble": "marble",
    "concrete": "concrete",
    "sandstone": "sandstone",
    "rock": "rock",
    "crystal": "crystal",
    "ice": "ice",
    "icy": "ice",
    "plaster": "plaster",
    "plastered": "plaster",
    "whitewashed": "plaster",
    "plastic": "plastic",
    "bone": "bone",
    "wax": "wax",
    "oaken": "wood",
    "mossy": "stone",
}

COLOR_WORDS: dict[str, RGB] = {
    "red": (0.70, 0.14, 0.11),
    "crimson": (0.60, 0.08, 0.12),
    "scarlet": (0.80, 0.15, 0.10),
    "maroon": (0.40, 0.08, 0.08),
    "orange": (0.90, 0.45, 0.12),
    "yellow": (0.92, 0.78, 0.20),
    "golden": (0.88, 0.70, 0.30),
    "green": (0.22, 0.52, 0.22),
    "olive": (0.45, 0.45, 0.20),
    "teal": (0.12, 0.50, 0.50),
    "turquoise": (0.20, 0.70, 0.68),
    "cyan": (0.25, 0.75, 0.85),
    "blue": (0.18, 0.32, 0.72),
    "navy": (0.10, 0.14, 0.36),
    "purple": (0.45, 0.22, 0.60),
    "violet": (0.55, 0.30, 0.75),
    "pink": (0.92, 0.55, 0.65),
    "magenta": (0.80, 0.20, 0.60),
    "white": (0.93, 0.93, 0.90),
    "black": (0.07, 0.07, 0.08),
    "gray": (0.50, 0.50, 0.50),
    "grey": (0.50, 0.50, 0.50),
    "silver": (0.75, 0.76, 0.78),
    "brown": (0.45, 0.29, 0.16),
    "beige": (0.85, 0.78, 0.62),
    "cream": (0.93, 0.89, 0.76),
    "tan": (0.78, 0.64, 0.45),
    "ochre": (0.78, 0.56, 0.20),
    "rose": (0.85, 0.45, 0.50),
}

# Colors that also imply a metal when they qualify an object.
METALLIC_COLORS = {"golden": "gold", "silver": "metal"}

# Per-setting palette tweaks applied to every base color (multiplied, sRGB).
TINTS: dict[str, RGB] = {
    "dusk": (0.92, 0.78, 0.74),
    "night": (0.55, 0.58, 0.75),
    "autumn": (1.04, 0.96, 0.88),
}

AUTUMN_LEAVES: list[RGB] = [(0.80, 0.38, 0.10), (0.85, 0.62, 0.15), (0.66, 0.20, 0.10), (0.55, 0.45, 0.12)]


def preset(name: str, color: RGB | None = None, tint: RGB | None = None) -> MaterialSpec:
    """Return a MaterialSpec from the preset ``name``, with an optional color override and tint."""
    base, rough, metal, var, pattern = PRESETS[name]
    rgb = color if color is not None else base
    if tint is not None:
        rgb = tuple(min(1.0, max(0.0, c * t)) for c, t in zip(rgb, tint))
    return MaterialSpec(
        name=name,
        base_color=(round(rgb[0], 4), round(rgb[1], 4), round(rgb[2], 4)),
        roughness=rough,
        metallic=metal,
        variation=var,
        pattern=pattern,
    )


def shade(
    spec: MaterialSpec, p: torch.Tensor, noise: ValueNoise, seed: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return (base_color [M,3], roughness [M], metallic [M]) of ``spec`` at local points ``p``."""
    base = p.new_tensor(spec.base_color)
    v = float(spec.variation)
    pattern = PATTERNS.get(spec.pattern, _noise)
    shade_k, rough_k = pattern(p, noise, seed)
    color = base[None, :] * (1.0 + v * shade_k)[:, None]
    if spec.pattern in TWO_TONE:
        color = torch.lerp(color, p.new_tensor(CREAM)[None, :], TWO_TONE[spec.pattern](p)[:, None])
    rough = torch.full_like(p[:, 0], float(spec.roughness)) + 0.12 * rough_k
    metal = torch.full_like(p[:, 0], float(spec.metallic))
    return color.clamp(0.0, 1.0), rough.clamp(0.02, 1.0), metal.clamp(0.0, 1.0)


# Each pattern returns (shade in about [-1, 1], roughness offset in about [-1, 1]).


def _noise(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    f = n.fbm(p * 2.5, octaves=3)
    return f, -0.5 * f


def _flat(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    z = torch.zeros_like(p[:, 0])
    return z, z


def _banded(coord: torch.Tensor, width: float, grain: torch.Tensor, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Boards of ``width`` along ``coord``: per-board tint, grain, dark seams."""
    t = coord / width
    idx = torch.floor(t)
    frac = t - idx
    tint = hash01(idx.to(torch.int64), seed) * 2.0 - 1.0
    seam = 1.0 - smoothstep(0.0, 0.08, torch.minimum(frac, 1.0 - frac))
    return 0.6 * tint + 0.5 * grain - 1.8 * seam, 0.8 * seam - 0.3 * tint


def _planks(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    grain = n(p * p.new_tensor((0.6, 9.0, 0.6)))
    return _banded(p[:, 1], 0.22, grain, seed)


def _boards(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    grain = n(p * p.new_tensor((9.0, 9.0, 0.6)))
    return _banded(p[:, 0], 0.18, grain, seed)


def _logs(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    grain = n(p * p.new_tensor((1.0, 12.0, 1.0)))
    return _banded(p[:, 1], 0.3, grain, seed)


def _bricks(
    p: torch.Tensor, n: ValueNoise, seed: int, h: float = 0.22, w: float = 0.45
) -> tuple[torch.Tensor, torch.Tensor]:
    row = torch.floor(p[:, 1] / h)
    u = p[:, 0] + p[:, 2] + 0.5 * w * (row % 2)
    col = torch.floor(u / w)
    fy = p[:, 1] / h - row
    fu = u / w - col
    edge = torch.minimum(torch.minimum(fy, 1.0 - fy) * h, torch.minimum(fu, 1.0 - fu) * w)
    mortar = 1.0 - smoothstep(0.0, 0.02, edge)
    tint = hash01((row * 7919 + col).to(torch.int64), seed) * 2.0 - 1.0
    f = n(p * 6.0)
    return 0.5 * tint + 0.3 * f + 1.2 * mortar, 0.5 * mortar


def _stones(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    warped = p + 0.12 * torch.stack([n(p * 1.7), n(p * 1.7 + 31.0), n(p * 1.7 + 57.0)], dim=1)
    s, r = _bricks(warped, n, seed, h=0.3, w=0.55)
    return s - 0.4 * smoothstep(0.2, 0.9, s) + 0.25 * n.fbm(p * 4.0, octaves=2), r


def _tiles(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    row = torch.floor(p[:, 1] / 0.2)
    u = p[:, 2] + 0.1 * (row % 2)
    col = torch.floor(u / 0.2)
    fy = p[:, 1] / 0.2 - row
    edge = 1.0 - smoothstep(0.0, 0.25, fy)
    tint = hash01((row * 613 + col).to(torch.int64), seed) * 2.0 - 1.0
    return 0.5 * tint - 1.2 * edge + 0.2 * n(p * 5.0), 0.3 * edge


def _thatch(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    f = n.fbm(p * p.new_tensor((7.0, 0.8, 7.0)), octaves=3)
    bands = torch.sin(p[:, 1] * 9.0) * 0.3
    return 1.3 * f + bands, 0.2 * f


def _bark(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    f = n.fbm(p * p.new_tensor((6.0, 0.9, 6.0)), octaves=3)
    return 1.5 * f, 0.3 * f


def _rings(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    ring = torch.sin(p[:, 1] * 14.0)
    return 0.8 * ring + 0.4 * n(p * 5.0), 0.2 * ring


def _leaves(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    blotch = n.fbm(p * 1.8, octaves=2)
    speck = n(p * 14.0)
    return 1.1 * blotch + 0.6 * speck, 0.3 * speck


def _rock(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    f = n.fbm(p * 1.2, octaves=4)
    crack = 1.0 - smoothstep(0.0, 0.06, n(p * 3.0 + 11.0).abs())
    return 1.2 * f - 0.9 * crack, 0.4 * crack


def _strata(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    warp = 0.4 * n.fbm(p * 0.5, octaves=2)
    bands = torch.sin((p[:, 1] + warp) * 4.5) + 0.5 * torch.sin((p[:, 1] + warp) * 11.0)
    return 0.8 * bands + 0.5 * n(p * 4.0), 0.2 * bands


def _stripes(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    return 0.3 * n(p * 4.0), torch.zeros_like(p[:, 0])


# Two-tone patterns: where the mask is 1 the base color gives way to a painted cream.
def _stripe_mask(p: torch.Tensor) -> torch.Tensor:
    return torch.floor((p[:, 0] + p[:, 2]) / 0.35) % 2


def _band_mask(p: torch.Tensor) -> torch.Tensor:
    return torch.floor(p[:, 1] / 1.6) % 2


TWO_TONE = {"stripes": _stripe_mask, "bands": _band_mask}
CREAM = (0.94, 0.92, 0.86)


def _marble(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    v = torch.sin(p[:, 0] * 2.0 + p[:, 1] * 1.3 + 4.0 * n.fbm(p * 0.9, octaves=3))
    vein = 1.0 - smoothstep(0.0, 0.15, v.abs())
    return -1.2 * vein + 0.2 * n(p * 3.0), 0.3 * vein


def _panels(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = p / 0.8
    fr = g - torch.floor(g)
    d = torch.minimum(fr, 1.0 - fr).min(dim=1).values
    seam = 1.0 - smoothstep(0.0, 0.03, d)
    tint = hash01(torch.floor(g[:, 0] + 31 * g[:, 1] + 977 * g[:, 2]).to(torch.int64), seed) * 2 - 1
    return 0.3 * tint - 1.5 * seam, 0.5 * seam


def _ribs(p: torch.Tensor, n: ValueNoise, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    ang = torch.atan2(p[:, 2], p[:, 0])
    rib = torch.cos(ang * 12.0)
    return 0.6 * rib + 0.3 * n(p * 6.0), 0.2 * rib


PATTERNS = {
    "noise": _noise,
    "flat": _flat,
    "planks": _planks,
    "boards": _boards,
    "logs": _logs,
    "bricks": _bricks,
    "stones": _stones,
    "tiles": _tiles,
    "thatch": _thatch,
    "bark": _bark,
    "rings": _rings,
    "leaves": _leaves,
    "rock": _rock,
    "strata": _strata,
    "stripes": _stripes,
    "bands": _stripes,
    "marble": _marble,
    "panels": _panels,
    "ribs": _ribs,
}
