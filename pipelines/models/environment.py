"""The plan's Environment from the settings and features a prompt named.

Terrain parameters merge in rank order (the most specific setting last), the
road, hill, lake and river go where the seed says, and the water level is
chosen so that only the carved lake or river (or the sea) is under water.
"""

from __future__ import annotations

import math

import numpy as np

from pipelines.models.materials import COLOR_WORDS, TINTS, preset
from pipelines.models.settings import BASE_PALETTE, SETTINGS, Setting
from pipelines.models.terrain import base_heights
from pipelines.plan import Environment, MaterialSpec

DEFAULT_SIZE_M = 60.0
ROOM_PALETTE = {"floor": "boards", "walls": "plaster", "door": "dark_wood", "windows": "glass", "beams": "dark_wood"}


def active_settings(names: list[str]) -> list[Setting]:
    """Return the named settings in rank order, with the meadow under any outdoor scene."""
    chosen = [SETTINGS[n] for n in names if n in SETTINGS]
    if not any(s.interior for s in chosen) and not any(s.rank >= 1 and s.env for s in chosen):
        chosen.insert(0, SETTINGS["meadow"])
    return sorted(chosen, key=lambda s: s.rank)


def tint_of(settings: list[Setting]) -> tuple[float, float, float] | None:
    tint = None
    for s in settings:
        if s.tint:
            t = TINTS[s.tint]
            tint = t if tint is None else tuple(a * b for a, b in zip(tint, t))
    return tint  # type: ignore[return-value]


def spec_from(choice: str, tint: tuple[float, float, float] | None) -> MaterialSpec:
    """Return the material for "preset" or "preset:color"."""
    name, _, color = choice.partition(":")
    return preset(name, COLOR_WORDS.get(color) if color else None, tint)


def build_environment(
    settings: list[Setting],
    features: list[str],
    seed: int,
    rng: np.random.Generator,
    feature_attributes: dict[str, list[str]] | None = None,
) -> Environment:
    """Return the environment (terrain parameters, palette, water) before the scene size is final.

    ``feature_attributes`` ("lake": ["frozen"], "road": ["winding"]) freeze the water or bend the road or river.
    """
    said = feature_attributes or {}
    interior = any(s.interior for s in settings)
    tint = tint_of(settings)
    biome = max(settings, key=lambda s: s.rank).name if settings else "meadow"
    if interior:
        palette = dict(ROOM_PALETTE)
        for s in settings:
            palette.update({k: v for k, v in s.palette.items() if k in ROOM_PALETTE})
        return Environment(
            kind="interior",
            size_m=(10.0, 8.0),
            biome=biome,
            params={"snow": 0.0},
            water_level=None,
            materials={k: spec_from(v, tint) for k, v in palette.items()},
        )
    params: dict[str, float] = {"noise_seed": float(seed % 1_000_003), "amplitude": 0.8, "frequency": 0.025}
    palette = dict(BASE_PALETTE)
    for s in settings:
        params.update(s.env)
        palette.update(s.palette)
    sizes = [s.size_m for s in settings if s.size_m]
    size = max(sizes) if sizes else DEFAULT_SIZE_M  # a garden is smaller than a valley
    side = float(rng.choice([-1.0, 1.0]))
    if "road" in features and params.get("road_w", 0.0) <= 0:
        params["road_w"] = 3.2
    if params.get("road_w", 0.0) > 0 and params.get("road_axis", 0.0) < 0.5 and "road_x" not in params:
        params["road_x"] = round(side * float(rng.uniform(0.25, 0.3)) * size, 3)
    if "hill" in features and params.get("hill_h", 0.0) <= 0:
        params.update(
            hill_h=round(float(rng.uniform(4.0, 6.0)), 3),
            hill_r=round(0.22 * size, 3),
            hill_x=round(-side * float(rng.uniform(0.0, 0.12)) * size, 3),
            hill_z=round(float(rng.uniform(-0.2, -0.05)) * size, 3),
        )
    if params.get("lake_r", 0.0) > 0:
        params["lake_x"] = round(-side * float(rng.uniform(0.05, 0.18)) * size, 3)
        params["lake_z"] = round(float(rng.uniform(0.05, 0.2)) * size, 3)
    if params.get("river_w", 0.0) > 0:
        params["river_x"] = round(-side * float(rng.uniform(0.08, 0.2)) * size, 3)
    params["snow"] = max([s.snow for s in settings] + [params.get("snow", 0.0)])
    _bend(params, said, size, rng)
    if any("frozen" in said.get(f, []) for f in ("lake", "river", "water")):
        params["frozen"] = 1.0
        palette["water"] = "ice"
    return Environment(
        kind="terrain",
        size_m=(size, size),
        biome=biome,
        params=params,
        water_level=None,
        materials={k: spec_from(v, tint) for k, v in palette.items()},
    )


def _bend(params: dict[str, float], said: dict[str, list[str]], size: float, rng: np.random.Generator) -> None:
    """Bend the road and river: a "winding" one strongly, others as their setting says (a pass keeps its road
    on the valley floor)."""
    winding = {f for f, words in said.items() if "winding" in words or "meandering" in words or "curving" in words}
    if params.get("road_w", 0.0) > 0:
        bend = max(params.get("road_bend", 0.0), 0.1 * size if "road" in winding else 0.0)
        if params.get("valley_depth", 0.0) > 0 and params.get("road_axis", 0.0) < 0.5:
            params["road_x"] = 0.0
            bend = min(bend, max(0.0, params.get("valley_w", 7.0) - params["road_w"] / 2 - 1.5))
        if bend > 0 and params.get("road_axis", 0.0) < 0.5 and params.get("road_x", 0.0) != 0.0:
            limit = max(0.0, 0.5 * size - bend - 14.0)  # the outer bends stay in the scene with room beside them
            params["road_x"] = round(math.copysign(min(abs(params["road_x"]), limit), params["road_x"]), 3)
        if bend > 0:
            params["road_bend"] = round(bend, 3)
            params["road_freq"] = round(2 * math.pi * 1.1 / size, 6)
            params["road_phase"] = round(float(rng.uniform(0, 2 * math.pi)), 4)
    if params.get("river_w", 0.0) > 0 and "river" in winding:
        params["river_bend"] = round(0.1 * size, 3)
        params["river_freq"] = round(2 * math.pi * 1.3 / size, 6)
        params["river_phase"] = round(float(rng.uniform(0, 2 * math.pi)), 4)


def settle_water(env: Environment, settings: list[Setting]) -> None:
    """Set the water level: the sea at 0, or just below the driest ground for a lake or river."""
    if env.kind != "terrain" or not any(s.water for s in settings):
        env.water_level = None
        return
    p = env.params
    if p.get("island_r", 0.0) > 0 or p.get("beach", 0.0) > 0:
        env.water_level = 0.0
        return
    dry = Environment(kind="terrain", size_m=env.size_m, params={**p, "lake_r": 0.0, "river_w": 0.0})
    n = 96
    xs = np.linspace(-env.size_m[0] / 2, env.size_m[0] / 2, n)
    zs = np.linspace(-env.size_m[1] / 2, env.size_m[1] / 2, n)
    env.water_level = round(float(base_heights(dry, xs, zs).min()) - 0.25, 4)
