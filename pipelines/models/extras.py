"""What the written files say about the scene and each object (SCENE-CONTRACT §3), from the plan alone.

A scene checker reads these from the GLB and the manifest without our model
code: the scene's kind and size, its water and whether it is frozen, the
features as geometry (road and river centre lines, the lake, the pass, the
room's walls, door and walkway), and per object its kind, attributes, the
words it came from, its placement, what it was placed against and what it
stands on. Directions: north is -z.
"""

from __future__ import annotations

from typing import Any

from pipelines.models.kinds.room import door_of, walls_of
from pipelines.models.terrain import river_line, road_line
from pipelines.plan import EntityPlan, ScenePlan

POLYLINE_STEP_M = 2.0


def entity_extras(e: EntityPlan) -> dict:
    """Return the node extras of one entity: kind, attributes, words, placement, anchor, support."""
    return {
        "kind": e.kind,
        "attributes": list(e.attributes),
        "words": e.words,
        "placement": e.placement,
        "anchor": e.anchor,
        "support": e.support,
    }


def scene_extras(plan: ScenePlan) -> dict:
    """Return the asset's scene extras: kind, size_m, water_level, frozen, features."""
    env = plan.environment
    p = env.params
    out: dict[str, Any] = {
        "kind": env.kind,
        "size_m": [round(float(v), 3) for v in env.size_m],
        "water_level": None if env.water_level is None else round(float(env.water_level), 4),
        "frozen": bool(p.get("frozen", 0.0) > 0),
        "north": [0.0, -1.0],
        "features": {},
    }
    features: dict = out["features"]
    if env.kind == "interior":
        width, depth = env.size_m
        features["walls"] = walls_of(width, depth)
        x, z, half = door_of(width, depth)
        features["door"] = {"x": round(x, 3), "z": round(z, 3), "width": round(2 * half, 3), "normal": [1.0, 0.0]}
        features["walkway"] = {
            "points": [[round(x, 3), round(z, 3)], [round(width / 2, 3), round(z, 3)]],
            "width": round(2 * half, 3),
        }
        return out
    if env.kind != "terrain":
        return out
    sx, sz = env.size_m
    for name, line in (("road", road_line(p)), ("river", river_line(p))):
        if line is not None:
            half = (sz if line.along_z else sx) / 2
            features[name] = {
                "points": line.polyline(-half, half, POLYLINE_STEP_M),
                "width": round(line.width, 3),
                "winding": bool(line.amp >= 3.0),
            }
    if p.get("lake_r", 0.0) > 0:
        features["lake"] = {"x": round(p["lake_x"], 3), "z": round(p["lake_z"], 3), "r": round(p["lake_r"], 3)}
    if p.get("valley_depth", 0.0) > 0:
        features["pass"] = {"axis": "z", "x": 0.0, "width": round(p.get("valley_w", 7.0), 3)}  # its clear way
    if p.get("hill_h", 0.0) > 0:
        features["hill"] = {
            "x": round(p["hill_x"], 3),
            "z": round(p["hill_z"], 3),
            "r": round(p["hill_r"], 3),
            "h": round(p["hill_h"], 3),
        }
    if p.get("island_r", 0.0) > 0:
        features["island"] = {"x": 0.0, "z": 0.0, "r": round(p["island_r"], 3)}
    if p.get("beach", 0.0) > 0:
        features["sea"] = {"side": "+z", "shore_z": round(p.get("beach_z", 8.0), 3)}
    return out
