"""How big a scene is: from what it holds and the settings named, with room kept clear for the road.

The scene grows when layout had to force an item (``resize``), scaling the
features' positions and bends with it.
"""

from __future__ import annotations

import math

from pipelines.models.layout import PAD_GAP_M, Item
from pipelines.models.prompt import ParsedPrompt
from pipelines.models.settings import SETTINGS, Setting
from pipelines.plan import Environment

SCALED = ("road_x", "road_z", "hill_x", "hill_z", "hill_r", "lake_x", "lake_z", "lake_r", "river_x", "island_r",
          "beach_z", "road_bend", "river_bend")
INV_SCALED = ("road_freq", "river_freq")


def scene_size(items: list[Item], env: Environment, parsed: ParsedPrompt, settings: list[Setting]) -> float:
    """Return the scene's extent (meters): the setting's, grown until what it holds fits."""
    inside = env.kind == "interior"
    gap = 0.6 if inside else 1.5
    area = sum((2 * it.half[0] + gap + (PAD_GAP_M if it.pad else 0)) * (2 * it.half[1] + gap + (PAD_GAP_M if it.pad else 0))
               for it in items if it.placement != "on" and it.stack == 0)
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
    core = [it for it in items if it.placement in ("center", "ring", "near", "hill") and it.parent is None
            and not (it.placement == "near" and it.feature in ("road", "river"))]
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
