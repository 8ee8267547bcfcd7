"""Footprint helpers of placement: a box's pivot, a door's apron, pens and round tables, and the placing
constants (the order rules run in, gaps kept)."""

from __future__ import annotations

import math

from pipelines.models.layout import OBB, Item

PRIORITY = {
    "center": 0,
    "hill": 1,
    "across": 2,
    "against": 3,
    "wall": 3,
    "line": 4,
    "both_sides": 4,
    "row": 5,
    "shore": 6,
    "into_water": 6,
    "water": 6,
    "edge": 7,
    "ring": 7.5,
    "near": 8,
    "direction": 8,
    "cluster": 9,
    "scatter": 10,
    "on": 12,
}
FLAT_M = 0.06  # rugs and the like: others stand on them
APRON_DEPTH_M = 2.5  # clear ground kept in front of a door
APRON_SIDE_M = 0.6  # beyond the door's edges
STREET_APRON_M = 1.2
SMALL_PAD_M = 0.6  # a lamp post's pad is too small to tilt a house's: they may stand closer
SMALL_PAD_GAP_M = 1.0
NATURAL_GROUPS = {"tree", "rock", "shrub", "crystal"}
NEAR_GAP_M = 0.05
LEVEL_M = 0.05  # how far the surface under a thing standing on another may vary


def box_pivot(item: Item, box: OBB) -> tuple[float, float, float]:
    """Return the pivot (x, z, yaw) whose footprint is ``box``."""
    cx, cz = item.center_local
    c, s = math.cos(math.radians(box.yaw_deg)), math.sin(math.radians(box.yaw_deg))
    return box.x - (c * cx + s * cz), box.z - (-s * cx + c * cz), box.yaw_deg


def enclosing(item: Item) -> bool:
    """True for an enclosure (a pen, a paddock) that things stand inside."""
    return item.params.get("closed", 0.0) > 0.5


def inside_yard(box: OBB, yard: Item) -> bool:
    """True when ``box`` lies wholly inside the enclosure's yard, a margin clear of its fence."""
    pen = yard.obb()
    c, s = math.cos(math.radians(pen.yaw_deg)), math.sin(math.radians(pen.yaw_deg))
    for x, z in box.corners():
        dx, dz = x - pen.x, z - pen.z
        u, v = c * dx - s * dz, s * dx + c * dz
        if abs(u) > pen.hx - 0.25 or abs(v) > pen.hz - 0.25:
            return False
    return True


def disc_meets(box: OBB, disc: OBB, gap: float) -> bool:
    """True when ``box`` comes within ``gap`` of the disc inscribed in the square ``disc``."""
    c, s = math.cos(math.radians(box.yaw_deg)), math.sin(math.radians(box.yaw_deg))
    dx, dz = disc.x - box.x, disc.z - box.z
    u, v = c * dx - s * dz, s * dx + c * dz  # the disc's centre in the box's frame
    nu, nv = max(-box.hx, min(box.hx, u)), max(-box.hz, min(box.hz, v))
    return math.hypot(u - nu, v - nv) < max(disc.hx, disc.hz) + gap


def door_apron(item: Item, x: float, z: float, yaw: float) -> OBB | None:
    """Return the ground in front of the item's door that must stay clear, or None when it has no door.

    A building that lines a road keeps a shallower apron: the pavement's kerb side is for lamps and benches.
    """
    door = next((n for name, n in item.shape.parts if name == "door"), None)
    if door is None or item.kind.ground != "pad":
        return None
    s = item.scale
    lx = (door.lo[0] + door.hi[0]) / 2 * s
    half_w = (door.hi[0] - door.lo[0]) / 2 * s + APRON_SIDE_M
    depth = (
        STREET_APRON_M if item.feature == "road" and item.placement in ("line", "both_sides", "row") else APRON_DEPTH_M
    )
    lz = door.hi[2] * s + 0.3 + depth / 2
    c, sn = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))
    return OBB(x + c * lx + sn * lz, z - sn * lx + c * lz, half_w, depth / 2, yaw)
