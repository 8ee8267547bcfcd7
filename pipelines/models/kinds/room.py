"""The interior's shell: a floor and two walls (back and left), open towards the viewer; its door and walkway.

Two walls, not four, so a three-quarter view sees in, as in a diorama or a
cut-away level blockout; the floor's top is y = 0.
"""

from __future__ import annotations

from pipelines.models.kinds.base import Shape
from pipelines.models.layout import OBB
from pipelines.models.sdf import box, subtract, union

WALL_M = 0.3
HEIGHT_M = 3.4


def room_shape(width: float, depth: float) -> Shape:
    """Return the shell of a ``width`` x ``depth`` room (meters, along x and z)."""
    hw, hd = width / 2, depth / 2
    t = WALL_M
    window = box((hw * 0.35, 1.7, -hd - t / 2), (0.7, 0.65, t))
    _, door_z, door_half = door_of(width, depth)
    door = box((-hw - t / 2, 1.05, door_z), (t, 1.05, door_half))
    yc, yh = (HEIGHT_M - 0.3) / 2, (HEIGHT_M + 0.3) / 2  # from below the floor's top to the wall top
    back = box((-t / 2, yc, -hd - t / 2), (hw + t / 2, yh, t / 2))
    left = box((-hw - t / 2, yc, -t / 2), (t / 2, yh, hd + t / 2))
    beams = box((-t / 2, HEIGHT_M - 0.15, -hd + 0.1), (hw + t / 2, 0.15, 0.1))
    return Shape(
        [
            ("floor", box((-t / 2, -0.15, -t / 2), (hw + t / 2, 0.15, hd + t / 2))),
            ("walls", subtract(union(back, left), window, door)),
            ("door", box((-hw - t * 0.7, 1.0, door_z), (0.05, 1.0, door_half))),
            ("windows", box((hw * 0.35, 1.7, -hd - t * 0.6), (0.7, 0.65, 0.04))),
            ("beams", beams),
        ]
    )


def door_of(width: float, depth: float) -> tuple[float, float, float]:
    """Return the room's door: (x, z) of its centre on the left wall's inner face, and its half width."""
    return -width / 2, depth / 2 * 0.3, 0.55


def walls_of(width: float, depth: float) -> list[dict]:
    """Return the inner faces of the room's walls (back, left): ends and the normal pointing into the room."""
    hw, hd = width / 2, depth / 2
    return [
        {"from": [-hw, -hd], "to": [hw, -hd], "normal": [0.0, 1.0]},
        {"from": [-hw, -hd], "to": [-hw, hd], "normal": [1.0, 0.0]},
    ]


def walkway(width: float, depth: float) -> OBB:
    """Return the floor kept clear from the door straight across the room, as a footprint box."""
    _, z, half = door_of(width, depth)
    return OBB(0.0, z, width / 2, half, 0.0)
