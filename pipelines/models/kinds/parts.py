"""Shapes many kinds are built from: a box or cylinder standing from below the base up to a height,
posts and four legs, a table's apron, copies at four corners, a shift up or down.

Each helper computes exactly what the kinds wrote out before it (the same float operations in the same
order), so moving a kind onto it changes no SDF value.
"""

from __future__ import annotations

from pipelines.models.kinds.base import FLOOR_M
from pipelines.models.sdf import Node, box, cylinder, mirror, translate, union


def standing_box(
    x: float, z: float, top: float, half_x: float, half_z: float, below: float = FLOOR_M, round_m: float = 0.0
) -> Node:
    """Return a box centred on (x, z) from ``below`` m under the base up to ``top``."""
    return box((x, (top - below) / 2, z), (half_x, (top + below) / 2, half_z), round_m=round_m)


def standing_cylinder(x: float, z: float, top: float, radius: float, below: float = FLOOR_M) -> Node:
    """Return an upright cylinder centred on (x, z) from ``below`` m under the base up to ``top``."""
    return cylinder((x, (top - below) / 2, z), radius, (top + below) / 2)


def at_corners(a: Node) -> Node:
    """Return ``a`` and its mirror images across x = 0 and z = 0: four copies, one evaluated."""
    return mirror(mirror(a, "x"), "z")


def post(x: float, z: float, top: float, half: float, turned: bool = False) -> Node:
    """Return a leg from just below the floor up to ``top``: square, or round when ``turned``."""
    if turned:
        return standing_cylinder(x, z, top, half)
    return standing_box(x, z, top, half, half, round_m=0.004)


def legs4(hx: float, hz: float, top: float, half: float, turned: bool = False) -> Node:
    """Return four legs at (+-hx, +-hz), folded by mirroring (one leg evaluated, not four)."""
    return at_corners(post(hx, hz, top, half, turned))


def apron(hx: float, hz: float, y: float, half_h: float = 0.05, t: float = 0.016) -> Node:
    """Return the rails under a table top joining the legs at (+-hx, +-hz)."""
    return union(mirror(box((0.0, y, hz), (hx, half_h, t)), "z"), mirror(box((hx, y, 0.0), (t, half_h, hz)), "x"))


def translate_y(a: Node, dy: float) -> Node:
    """Return ``a`` moved ``dy`` m up (down when negative)."""
    return translate(a, (0.0, dy, 0.0))
