"""Park and playground props: bird bath, sundial, picnic table, swing set, slide, planter, stepping stones."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.parts import at_corners, standing_box
from pipelines.models.kinds.rocks import rock_chunk
from pipelines.models.sdf import (
    Node,
    box,
    bulged_cylinder,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    intersect,
    mirror,
    polar_repeat,
    polytope,
    repeat,
    rotate,
    sphere,
    subtract,
    translate,
    union,
)

GROUND_M = 0.05  # legs and plinths reach this far below the base


def _bird_bath(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, br = p["height"], p["bowl_r"]
    stem = union(
        cylinder((0.0, 0.02, 0.0), 0.2, 0.07),
        bulged_cylinder((0.0, 0.08, 0.0), 0.07, 0.03, h - 0.2),
        cone((0.0, h - 0.16, 0.0), 0.08, br * 0.6, 0.12),
    )
    bowl = subtract(
        union(cylinder((0.0, h, 0.0), br, 0.06), cone((0.0, h - 0.12, 0.0), br * 0.55, br, 0.07)),
        ellipsoid((0.0, h + 0.1, 0.0), (br - 0.04, 0.12, br - 0.04)),
    )
    return [("stone", union(stem, bowl)), ("water", cylinder((0.0, h + 0.015, 0.0), br - 0.06, 0.02))]


register(
    Kind(
        name="bird bath",
        group="ornament",
        words=("bird bath", "birdbath", "bird fountain"),
        parts={"stone": ("stone", "concrete", "marble"), "water": ("water",)},
        body=("stone",),
        ranges={"height": (0.7, 1.0), "bowl_r": (0.3, 0.45)},
        build=_bird_bath,
        ground="embed",
        plural_count=1,
        spacing_m=0.5,
        flags={"base": 0.6, "uneven": 0.2},
        attributes={"frozen": {"parts": {"water": "ice"}}},
    )
)


def _sundial(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["dial_r"]
    pedestal = union(
        box((0.0, 0.03, 0.0), (0.24, 0.08, 0.24)),
        cylinder((0.0, h / 2, 0.0), 0.11, h / 2),
        cylinder((0.0, h, 0.0), r + 0.04, 0.04),
    )
    top = h + 0.04
    dial = union(
        cylinder((0.0, top + 0.015, 0.0), r, 0.015),
        polar_repeat(box((r * 0.8, top + 0.035, 0.0), (0.03, 0.016, 0.015)), 12),
    )
    # the gnomon: a triangular fin in the y-z plane, high at the back, falling to the dial at the front
    rise, back, front = r * 0.7, -r * 0.8, r * 0.75
    ln = math.hypot(rise, front - back)
    hyp = ((0.0, (front - back) / ln, rise / ln), ((front - back) * top + rise * front) / ln)
    gnomon = polytope(
        [(1.0, 0.0, 0.0), (-1.0, 0.0, 0.0), (0.0, -1.0, 0.0), (0.0, 0.0, -1.0), hyp[0]],
        [0.016, 0.016, -top, -back, hyp[1]],
        (-0.016, top, back),
        (0.016, top + rise, front),
    )
    return [("stone", pedestal), ("dial", union(dial, gnomon))]


register(
    Kind(
        name="sundial",
        group="ornament",
        words=("sundial", "sun dial", "garden sundial"),
        parts={"stone": ("stone", "marble", "sandstone"), "dial": ("copper", "gold", "iron")},
        body=("stone",),
        ranges={"height": (0.8, 1.1), "dial_r": (0.2, 0.3)},
        build=_sundial,
        ground="embed",
        plural_count=1,
        spacing_m=0.5,
        flags={"base": 0.6, "uneven": 0.2},
    )
)


def _board(a: tuple[float, float, float], b: tuple[float, float, float], half_w: float, half_t: float) -> Node:
    """Return a flat board from ``a`` to ``b`` in a plane x = const, ``half_w`` wide along z at rest."""
    mid = tuple((a[i] + b[i]) / 2 for i in range(3))
    length = math.dist(a, b)
    tilt = math.degrees(math.atan2(b[2] - a[2], b[1] - a[1]))
    return rotate(box(mid, (half_t, length / 2, half_w)), pitch_deg=tilt, pivot=mid)


def _picnic_table(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, tw, h = p["length"] / 2, p["top_w"] / 2, p["height"]
    seat_z, seat_y = tw + 0.3, h * 0.6
    x = hl - 0.3
    leg = _board((x, -GROUND_M, seat_z + 0.12), (x, h - 0.06, 0.1), 0.06, 0.04)
    frame = union(mirror(mirror(leg, "z"), "x"), mirror(box((x, seat_y - 0.07, 0.0), (0.04, 0.05, seat_z + 0.13)), "x"))
    top = box((0.0, h - 0.03, 0.0), (hl, 0.03, tw), round_m=0.01)
    benches = mirror(box((0.0, seat_y, seat_z), (hl, 0.03, 0.14), round_m=0.01), "z")
    return [("top", top), ("benches", benches), ("frame", frame)]


register(
    Kind(
        name="picnic table",
        group="table",
        words=("picnic table", "picnic bench", "park table", "picnic set"),
        parts={"top": ("boards", "wood"), "benches": ("boards", "wood"), "frame": ("wood", "dark_wood", "metal")},
        body=("top", "benches", "frame"),
        ranges={"length": (1.8, 2.4), "top_w": (0.7, 0.8), "height": (0.74, 0.78)},
        build=_picnic_table,
        ground="embed",
        where="outdoor",
        plural_count=2,
        spacing_m=0.8,
        flags={"surface": 1.0, "base": 1.0, "uneven": 0.2},
    )
)


def _swing_set(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, h, spread = p["length"] / 2, p["height"], p["spread"] / 2
    frame = union(
        at_corners(capsule((hl, -0.2, spread), (hl, h, 0.0), 0.045)),
        cylinder((0.0, h, 0.0), 0.06, hl + 0.08, axis="x"),
    )
    n = int(p["swings"])
    seat_y = 0.45
    chains, seats = [], []
    for k in range(n):
        x = (k - (n - 1) / 2) * (2 * hl - 0.3) / n
        if k == 0 and p.get("broken", 0.0) > 0.5:  # one chain snapped: the seat hangs from the other, swung down
            chains.append(cylinder((x - 0.22, (h + seat_y) / 2, 0.0), 0.015, (h - seat_y) / 2))
            seats.append(
                rotate(box((x, seat_y, 0.0), (0.25, 0.025, 0.1)), roll_deg=70.0, pivot=(x - 0.22, seat_y, 0.0))
            )
            continue
        chains.append(
            mirror(cylinder((0.22, (h + seat_y) / 2, 0.0), 0.015, (h - seat_y) / 2), "x")
            if x == 0
            else union(*[cylinder((x + s, (h + seat_y) / 2, 0.0), 0.015, (h - seat_y) / 2) for s in (-0.22, 0.22)])
        )
        seats.append(box((x, seat_y, 0.0), (0.25, 0.025, 0.1)))
    return [("frame", frame), ("chains", union(*chains)), ("seats", union(*seats))]


register(
    Kind(
        name="swing set",
        group="playground",
        words=("swing set", "swing", "swingset", "playground swing", "garden swing"),
        parts={
            "frame": ("paint:red", "paint:blue", "metal", "wood"),
            "chains": ("iron", "rope"),
            "seats": ("plastic:yellow", "wood", "plastic:black", "plastic:red"),
        },
        body=("frame",),
        ranges={"length": (2.4, 3.6), "height": (2.1, 2.5), "spread": (1.5, 1.9), "swings": (1.0, 3.4)},
        integer_params=("swings",),
        build=_swing_set,
        ground="embed",
        plural_count=1,
        spacing_m=1.5,
        flags={"base": 1.0, "uneven": 0.3},
        attributes={"broken": {"params": {"broken": 1.0}}},
    )
)


def _slide(p: dict[str, float]) -> list[tuple[str, Node]]:
    hp, run, hw = p["platform_h"], p["run"], p["width"] / 2
    zc = (run + 0.5 - 1.55) / 2  # centre the footprint (ladder end to run-out) on the pivot
    back, mid_z = -1.0 - zc, -0.55 - zc
    posts = mirror(
        union(*[box((hw + 0.08, (hp - 0.2) / 2, mid_z + dz), (0.04, (hp + 0.2) / 2, 0.04)) for dz in (-0.4, 0.4)]), "x"
    )
    rails = mirror(
        union(
            box((hw + 0.08, hp + 0.5, mid_z), (0.025, 0.03, 0.42)),
            box((hw + 0.08, hp + 0.25, mid_z + 0.4), (0.025, 0.27, 0.025)),
        ),
        "x",
    )
    ladder_rails = mirror(capsule((hw, -GROUND_M, back - 0.5), (hw, hp + 0.6, back + 0.05), 0.03), "x")
    rungs = [box((0.0, hp * f, back - 0.5 + 0.55 * f), (hw, 0.02, 0.025)) for f in (0.2, 0.4, 0.6, 0.8)]
    drop = hp - 0.3
    length = math.hypot(drop, run)
    chute = subtract(
        box((0.0, 0.0, 0.0), (hw, 0.1, length / 2)), box((0.0, 0.12, 0.0), (hw - 0.05, 0.1, length / 2 + 0.2))
    )
    at = (0.0, (hp + 0.3) / 2, -0.1 - zc + run / 2)
    chute = translate(rotate(chute, pitch_deg=math.degrees(math.atan2(drop, run))), at)
    runout = box((0.0, 0.28, run - 0.1 - zc + 0.25), (hw, 0.04, 0.3))
    legs = mirror(box((hw - 0.05, 0.13, run - zc + 0.05), (0.03, 0.18, 0.03)), "x")
    platform = box((0.0, hp, mid_z), (hw + 0.1, 0.04, 0.45))
    return [
        ("frame", union(posts, rails, ladder_rails, *rungs, legs)),
        ("chute", union(chute, runout)),
        ("platform", platform),
    ]


register(
    Kind(
        name="slide",
        group="playground",
        words=("slide", "playground slide", "children's slide", "kids slide"),
        parts={
            "frame": ("metal", "paint:blue", "wood"),
            "chute": ("plastic:yellow", "plastic:red", "metal", "plastic:blue"),
            "platform": ("boards", "wood"),
        },
        body=("chute",),
        ranges={"platform_h": (1.2, 1.8), "run": (2.2, 3.0), "width": (0.5, 0.6)},
        build=_slide,
        ground="embed",
        plural_count=1,
        spacing_m=1.5,
        flags={"base": 1.0, "uneven": 0.3},
    )
)


def _planter(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hd, h = p["length"] / 2, p["depth"] / 2, p["height"]
    if p.get("round", 0.0) > 0.5:
        r = max(hd, 0.3)
        pot = subtract(cone((0.0, -GROUND_M, 0.0), r * 0.85, r, h + GROUND_M), cylinder((0.0, h, 0.0), r - 0.05, 0.1))
        inside = cylinder((0.0, h, 0.0), r - 0.05, 0.5)
        hl = hd = r
    else:
        pot = subtract(
            standing_box(0.0, 0.0, h, hl, hd, below=GROUND_M),
            box((0.0, h, 0.0), (hl - 0.05, 0.1, hd - 0.05)),
        )
        inside = box((0.0, h, 0.0), (hl - 0.05, 0.5, hd - 0.05))
    soil = intersect(box((0.0, h - 0.07, 0.0), (hl, 0.04, hd)), inside)
    nx, nz = max(1, round((2 * hl - 0.1) / 0.3)), max(1, round((2 * hd - 0.1) / 0.3))
    sx, sz = (2 * hl - 0.1) / nx, (2 * hd - 0.1) / nz
    grid = lambda node: intersect(repeat(repeat(node, "x", sx, nx), "z", sz, nz), inside)
    leaves = grid(ellipsoid((0.0, h + 0.03, 0.0), (sx * 0.5, 0.14, sz * 0.5)))
    parts = [("box", pot), ("soil", soil), ("leaves", leaves)]
    if p["flowers"] > 0.5:
        parts.append(
            (
                "blossoms",
                grid(union(sphere((sx * 0.15, h + 0.16, 0.0), 0.05), sphere((-sx * 0.2, h + 0.14, sz * 0.2), 0.045))),
            )
        )
    return parts


register(
    Kind(
        name="planter",
        group="planter",
        words=(
            "planter",
            "flower box",
            "window box",
            "raised bed",
            "flower planter",
            "planter box",
            "garden planter",
            "vegetable bed",
        ),
        parts={
            "box": ("wood", "stone", "roof_tiles", "concrete", "brick"),
            "soil": ("dirt",),
            "leaves": ("leaves:green", "leaves"),
            "blossoms": ("petals", "petals:yellow", "petals:white", "petals:violet"),
        },
        body=("box",),
        ranges={"length": (0.8, 2.4), "depth": (0.4, 1.1), "height": (0.3, 0.7), "flowers": (0.0, 1.0)},
        integer_params=("flowers",),
        build=_planter,
        ground="embed",
        where="any",
        plural_count=3,
        spacing_m=0.4,
        flags={"base": 1.0, "uneven": 0.2},
        attributes={
            "round": {"params": {"round": 1.0}},
            "long": {"params": {"length": 3.0, "depth": 0.6}},
            "flowering": {"params": {"flowers": 1.0}},
        },
    )
)


def _stepping_stones(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    n, step = int(p["stones"]), p["step"]
    bend = p["bend"]
    stones = []
    for k in range(n):
        t = k / (n - 1)
        x = (t - 0.5) * step * (n - 1)
        z = bend * math.sin(math.pi * t) - bend / 2 + float(rng.uniform(-0.05, 0.05))
        r = float(rng.uniform(0.2, 0.28))
        stones.append(rock_chunk((x, -0.03, z), (r, 0.09, r * float(rng.uniform(0.75, 0.95))), rng, 8))
    return [("stones", union(*stones))]


register(
    Kind(
        name="stepping stones",
        group="path",
        words=("stepping stones", "stepping stone", "flagstones", "stone steps path", "garden stones"),
        parts={"stones": ("stone", "rock", "sandstone")},
        body=("stones",),
        ranges={"stones": (4.0, 7.4), "step": (0.55, 0.7), "bend": (0.0, 0.6)},
        integer_params=("stones",),
        build=_stepping_stones,
        ground="embed",
        plural_count=1,
        spacing_m=0.2,
        flags={"linear": 1.0, "base": 1.0, "uneven": 0.2},
    )
)
