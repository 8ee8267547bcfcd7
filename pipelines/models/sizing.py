"""How big a scene is: from what it holds and the settings named, with room kept clear for the road.

The scene grows when layout had to force an item (``resize``), scaling the
features' positions and bends with it.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from pipelines.models.layout import PAD_GAP_M, Item
from pipelines.models.prompt import ParsedPrompt
from pipelines.models.settings import SETTINGS, Setting
from pipelines.plan import Environment

SCALED = (
    "road_x",
    "road_z",
    "hill_x",
    "hill_z",
    "hill_r",
    "lake_x",
    "lake_z",
    "lake_r",
    "river_x",
    "island_r",
    "beach_z",
    "road_bend",
    "river_bend",
)
INV_SCALED = ("road_freq", "river_freq")


def scene_size(items: list[Item], env: Environment, parsed: ParsedPrompt, settings: list[Setting]) -> float:
    """Return the scene's extent (meters): the setting's, grown until what it holds fits."""
    inside = env.kind == "interior"
    gap = 0.6 if inside else 1.5
    area = sum(
        (2 * it.half[0] + gap + (PAD_GAP_M if it.pad else 0)) * (2 * it.half[1] + gap + (PAD_GAP_M if it.pad else 0))
        for it in items
        if it.placement != "on" and it.stack == 0
    )
    need = math.sqrt(area * (2.6 if inside else 2.2)) + (1.0 if inside else 8.0)
    if inside:
        base = max([s.size_m for s in settings if s.interior and s.size_m] or [8.0])
        return float(min(40.0, max(base * parsed.scale, need)))
    named = any(SETTINGS[n].env or SETTINGS[n].defaults for n in parsed.settings if n in SETTINGS)
    base = env.size_m[0] * parsed.scale if named else min(env.size_m[0], max(18.0, need * 1.3))
    return float(min(160.0, max(base, need)))


def clear_core(items: list[Item], env: Environment) -> float:
    """Keep the road (and river) clear of what stands in the middle; return the scene size that needs."""
    need = 0.0
    core = [
        it
        for it in items
        if it.placement in ("center", "ring", "near", "hill")
        and it.parent is None
        and not (it.placement == "near" and it.feature in ("road", "river"))
    ]
    if not core or env.params.get("valley_depth", 0.0) > 0:
        return need  # a pass keeps its road on the valley floor
    area = sum((2 * it.half[0] + PAD_GAP_M) * (2 * it.half[1] + PAD_GAP_M) for it in core)
    radius = math.sqrt(area * 1.6 / math.pi) + 3.0
    rings: dict[int, list[Item]] = {}
    for it in core:
        if it.placement == "ring":
            rings.setdefault(it.group, []).append(it)
    for members in rings.values():
        n, it = len(members), members[0]
        tangential, radial = it.half[0] + PAD_GAP_M / 2, it.half[1] + PAD_GAP_M / 2
        r0 = radial + tangential / math.tan(math.pi / n) if n > 1 else radial + 4.0
        radius = max(radius, r0 + it.half[1] + PAD_GAP_M + 1.0)
    for key, width, bend in (("road_x", "road_w", "road_bend"), ("river_x", "river_w", "river_bend")):
        if key == "road_x" and env.params.get("road_fixed", 0.0) > 0:
            continue  # a street's road is the middle of the scene
        if key in env.params and env.params.get(width, 0.0) > 0:
            v = env.params[key]
            reach = radius + env.params[width] / 2 + env.params.get(bend, 2.5 if key == "river_x" else 0.0)
            env.params[key] = round(math.copysign(max(abs(v), reach), v or 1.0), 3)
            need = max(need, 2 * (abs(env.params[key]) + env.params[width] + env.params.get(bend, 0.0) + 5.0))
    return need


def resize(env: Environment, size: float) -> None:
    """Set the scene's extent to ``size`` and move the features out with it."""
    old = env.size_m[0]
    size = round(size, 2)
    env.size_m = (size, round(size * 0.8, 2)) if env.kind == "interior" else (size, size)
    k = max(1.0, size / old)
    for key in SCALED:
        if key in env.params:
            env.params[key] = round(env.params[key] * k, 3)
    for key in INV_SCALED:
        if key in env.params:
            env.params[key] = round(env.params[key] / k, 6)


def base_pivot(shape, cells: tuple[int, int, int] = (48, 128, 48)) -> tuple[float, float, float]:  # noqa: ANN001
    """Return the centre of a shape's lowest face: a prop's pivot, where it stands.

    Read from the solid itself on a grid (finer in height), not from its bounding box: a box is only an
    outer bound, and a tilted shape (a broken wagon) reaches far less low than its box says.
    """
    lo, hi = np.array(shape.lo, dtype=np.float64), np.array(shape.hi, dtype=np.float64)
    axes = [np.linspace(lo[i], hi[i], cells[i]) for i in range(3)]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
    with torch.no_grad():
        d = torch.cat([shape.sdf(c) for c in torch.from_numpy(grid).float().split(262_144)]).numpy()
    solid = grid[d <= 0.0]
    if len(solid) == 0:
        return (float(lo[0] + hi[0]) / 2, float(lo[1]), float(lo[2] + hi[2]) / 2)
    step = (hi[1] - lo[1]) / (cells[1] - 1)
    bottom = float(solid[:, 1].min()) - step / 2  # the surface lies within a step under the lowest solid sample
    low, high = solid.min(axis=0), solid.max(axis=0)
    return (
        round(float(low[0] + high[0]) / 2, 4),
        round(float(max(bottom, lo[1])), 4),
        round(float(low[2] + high[2]) / 2, 4),
    )
