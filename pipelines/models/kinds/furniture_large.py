"""The large furniture: a wagon (whole, or broken with a wheel off and tilted) and a fireplace.

In their own module, after ``furniture.py`` in the catalog's alphabetical order, so the catalog keeps its order."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import FLOOR_M, Kind, register
from pipelines.models.kinds.parts import at_corners
from pipelines.models.sdf import (
    Node,
    box,
    cylinder,
    ellipsoid,
    intersect,
    mirror,
    rotate,
    subtract,
    union,
)


def _tilt(a: Node, x: float, z: float, deg: float) -> Node:
    """Return ``a`` turned ``deg`` about the ground line through (-x, 0, z) and (x, 0, -z).

    The turn about that axis is handed to ``rotate`` as its yaw-pitch-roll angles: one
    rotation, whose bounds stay tight (three nested ones would grow the box three times).
    """
    n = math.hypot(x, z)
    ux, uz = x / n, -z / n  # the axis, a unit vector in the ground plane
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    # Rodrigues: R = c I + s [u]x + (1 - c) u u^T, for u = (ux, 0, uz)
    m = [
        [c + (1 - c) * ux * ux, -s * uz, (1 - c) * ux * uz],
        [s * uz, c, -s * ux],
        [(1 - c) * ux * uz, s * ux, c + (1 - c) * uz * uz],
    ]
    # R = Ry(yaw) Rx(pitch) Rz(roll): m[1][2] = -sin(pitch), m[1][0] / m[1][1] give roll, m[0][2] / m[2][2] yaw
    return rotate(
        a,
        yaw_deg=math.degrees(math.atan2(m[0][2], m[2][2])),
        pitch_deg=math.degrees(math.asin(-m[1][2])),
        roll_deg=math.degrees(math.atan2(m[1][0], m[1][1])),
    )


def _wagon(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hw = p["length"] / 2, 0.75
    wr = p["wheel"]
    bed_y = wr + 0.25
    wx, wz = hw + 0.12, hl * 0.62
    bed = subtract(
        box((0.0, bed_y + 0.25, 0.0), (hw, 0.3, hl)), box((0.0, bed_y + 0.5, 0.0), (hw - 0.07, 0.3, hl - 0.07))
    )
    wheel = union(
        cylinder((wx, wr - FLOOR_M, wz), wr, 0.05, axis="x"), cylinder((wx, wr - FLOOR_M, wz), 0.1, 0.12, axis="x")
    )
    shaft = mirror(box((0.35, bed_y - 0.1, hl + 0.9), (0.04, 0.04, 0.9)), "x")
    axles = mirror(cylinder((0.0, wr - FLOOR_M, wz), 0.05, wx, axis="x"), "z")
    cargo = ellipsoid((0.0, bed_y + 0.5, 0.0), (hw - 0.1, 0.35, hl - 0.15))
    if p.get("broken", 0.0) < 0.5:
        return [
            ("bed", union(bed, axles)),
            ("wheels", at_corners(wheel)),
            ("shaft", shaft),
            ("cargo", cargo),
        ]
    # Broken: the front right wheel is off and lies flat beside the wagon; without it the wagon
    # rests on its other front wheel, its right rear wheel and the front right axle end, so it
    # tilts about the line joining those two wheels' ground contacts and its left rear wheel lifts.
    deg = math.degrees(math.asin(min(0.9, (wr - 0.06) / (2 * wx * wz / math.hypot(wx, wz)))))
    three = union(
        cylinder((-wx, wr - FLOOR_M, wz), wr, 0.05, axis="x"),
        cylinder((-wx, wr - FLOOR_M, -wz), wr, 0.05, axis="x"),
        cylinder((wx, wr - FLOOR_M, -wz), wr, 0.05, axis="x"),
    )
    lying = cylinder((wx + wr * 0.9, 0.05 - FLOOR_M, wz + wr * 0.8), wr, 0.05)
    spill = ellipsoid((wx * 0.9, 0.08, hl + 0.3), (0.45, 0.12, 0.35))
    return [
        ("bed", _tilt(union(bed, axles), wx, wz, deg)),
        ("wheels", union(_tilt(three, wx, wz, deg), lying)),
        (
            "shaft",
            intersect(_tilt(shaft, wx, wz, deg), box((0.0, 1.0 - FLOOR_M, 0.0), (3.0, 1.0, 4.0))),
        ),  # its tip rests on the ground
        ("cargo", union(_tilt(cargo, wx, wz, deg), spill)),
    ]


register(
    Kind(
        name="wagon",
        group="vehicle",
        words=("wagon", "cart", "carriage", "hay cart", "caravan", "farm cart"),
        parts={"bed": ("wood", "dark_wood"), "wheels": ("dark_wood", "wood"), "shaft": ("wood",), "cargo": ("hay",)},
        body=("bed",),
        ranges={"length": (2.4, 3.2), "wheel": (0.42, 0.55)},
        build=_wagon,
        where="any",
        plural_count=2,
        spacing_m=1.0,
        attributes={"broken": {"params": {"broken": 1.0}}},
    )
)


def _fireplace(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, h = p["width"] / 2, p["height"]
    body = subtract(box((0.0, h / 2, 0.0), (hw, h / 2, 0.45)), box((0.0, 0.55, 0.45), (hw * 0.55, 0.55, 0.35)))
    return [
        ("stone", union(body, box((0.0, h + 0.8, -0.1), (hw * 0.6, 0.85, 0.3)))),
        ("mantel", box((0.0, 1.25, 0.12), (hw + 0.08, 0.05, 0.38))),
        ("fire", ellipsoid((0.0, 0.25, 0.25), (hw * 0.35, 0.28, 0.15))),
    ]


register(
    Kind(
        name="fireplace",
        group="hearth",
        words=("fireplace", "hearth", "chimneypiece", "open fire"),
        parts={"stone": ("stone", "brick"), "mantel": ("dark_wood", "wood"), "fire": ("flame",)},
        body=("stone",),
        ranges={"width": (1.6, 2.2), "height": (1.3, 1.5)},
        build=_fireplace,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.8,
        flags={"against_wall": 1.0},
    )
)
