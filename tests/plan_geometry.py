"""Geometry of a plan the layout tests check: an entity's footprint item, how far it faces from a point, and
which objects' boxes interpenetrate."""

from __future__ import annotations

import math

from pipelines.models.kinds import KINDS
from pipelines.models.layout import Item, overlap
from pipelines.plan import ScenePlan


def item_of(e) -> Item:  # noqa: ANN001
    kind = KINDS[e.kind]
    return Item(
        kind=kind,
        shape=kind.shape(e.params),
        scale=e.scale,
        x=e.position[0],
        z=e.position[2],
        yaw_deg=e.yaw_deg,
        placement=e.placement,  # a building lining the road keeps the shallower street apron (footprints.door_apron)
        feature=e.anchor if e.anchor in ("road", "river", "lake", "water", "pass", "walls") else None,
    )


def heading_error_deg(yaw: float, x: float, z: float, tx: float, tz: float) -> float:
    """Return how far (degrees) a front turned by ``yaw`` is from pointing at (tx, tz)."""
    want = math.degrees(math.atan2(tx - x, tz - z))
    return abs((yaw - want + 180) % 360 - 180)


def interpenetrating(plan: ScenePlan) -> list[tuple[str, str]]:
    """Return pairs of objects whose boxes (footprint and height span) intersect, parents and their loads aside."""
    flat = plan.environment.kind == "terrain"
    boxes = []
    for e in plan.entities:
        it = item_of(e)
        y0 = 0.0 if flat and e.parent is None else e.position[1]
        boxes.append((e, it.obb(), y0, y0 + it.height))
    bad = []
    for i, (a, fa, a0, a1) in enumerate(boxes):
        for b, fb, b0, b1 in boxes[i + 1 :]:
            if a.parent == b.id or b.parent == a.id or a1 - a0 < 0.06 or b1 - b0 < 0.06:
                continue
            if min(a1, b1) - max(a0, b0) > 1e-3 and overlap(fa, fb, -0.01):
                bad.append((a.id, b.id))
    return bad


def on_dry_ground(ground, plan: ScenePlan, e) -> bool:  # noqa: ANN001
    """Return whether the ground under ``e`` stands above the plan's water level."""
    return (
        float(ground.heightmap.height_at(e.position[0], e.position[2], which="ground")) > plan.environment.water_level
    )
