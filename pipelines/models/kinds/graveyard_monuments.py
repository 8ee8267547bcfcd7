"""Monuments: obelisk, shrine, bell."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import FLOOR_M, Kind, register, variant_rng
from pipelines.models.kinds.graveyard import FOUNDATION_M, SET_M
from pipelines.models.kinds.parts import standing_box
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    gable,
    mirror,
    polytope,
    pyramid,
    rotate,
    sphere,
    subtract,
    torus,
    translate,
    union,
)


def _obelisk(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, b = p["height"], p["base"] / 2
    t = b * 0.65
    y0 = 0.9  # the shaft stands on a stepped plinth
    shaft_h = h - y0 - t
    n = math.hypot(shaft_h, b - t)
    sx, sy = shaft_h / n, (b - t) / n  # unit normal of a side (tapering inward)
    d = sx * b + sy * y0
    sides = [(sx, sy, 0.0), (-sx, sy, 0.0), (0.0, sy, sx), (0.0, sy, -sx), (0.0, 1.0, 0.0), (0.0, -1.0, 0.0)]
    offs = [d, d, d, d, y0 + shaft_h, -(y0 - 0.05)]
    shaft = polytope(sides, offs, (-b, y0 - 0.05, -b), (b, y0 + shaft_h, b))
    tip = pyramid((0.0, y0 + shaft_h - 0.01, 0.0), t, t, t * 1.3)
    if p["broken"] > 0.5:  # snapped: the stump stands, the top lies on the ground beside the plinth
        rng = variant_rng(p)
        at = y0 + shaft_h * float(rng.uniform(0.3, 0.55))
        cut = rotate(
            box((0.0, at + 5.0, 0.0), (2 * b, 5.0, 2 * b)), roll_deg=float(rng.uniform(8.0, 16.0)), pivot=(0.0, at, 0.0)
        )
        top = rotate(
            union(subtract(shaft, box((0.0, at - 5.0, 0.0), (2 * b, 5.0, 2 * b))), tip),
            roll_deg=-90.0,
            pivot=(0.0, at, 0.0),
        )
        top = translate(top, (b + 1.1, -top.lo[1] - 0.05, 0.0))
        return [
            (
                "plinth",
                union(
                    standing_box(0.0, 0.0, 0.45, b + 0.8, b + 0.8, below=FOUNDATION_M),
                    box((0.0, 0.675, 0.0), (b + 0.35, 0.225, b + 0.35)),
                ),
            ),
            ("shaft", union(subtract(shaft, cut), top)),
        ]
    return [
        (
            "plinth",
            union(
                standing_box(0.0, 0.0, 0.45, b + 0.8, b + 0.8, below=FOUNDATION_M),
                box((0.0, 0.675, 0.0), (b + 0.35, 0.225, b + 0.35)),
            ),
        ),
        ("shaft", shaft),
        ("tip", tip),
    ]


register(
    Kind(
        name="obelisk",
        group="landmark",
        words=("obelisk", "stone obelisk", "needle monument", "stele", "stela"),
        parts={
            "plinth": ("stone", "marble"),
            "shaft": ("sandstone", "stone", "marble", "stone:gray"),
            "tip": ("gold", "copper", "stone"),
        },
        body=("shaft",),
        ranges={"height": (4.5, 9.0), "base": (0.8, 1.3), "broken": (0.0, 0.0)},
        build=_obelisk,
        plural_count=1,
        spacing_m=1.5,
        attributes={"broken": {"params": {"broken": 1.0}}},
    )
)


def _shrine(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    rng = variant_rng(p)
    if p["altar"] > 0.5:  # an altar table with a cloth, candles and a stele behind
        hw = 0.8
        candles = [cylinder((float(x), 1.05 + 0.09, -0.15), 0.035, 0.1) for x in rng.uniform(-hw + 0.2, hw - 0.2, 3)]
        return [
            (
                "stone",
                union(
                    box((0.0, 0.5 - FLOOR_M, 0.0), (hw, 0.5 + FLOOR_M, 0.45)),
                    box((0.0, h / 2, -0.55), (hw * 0.8, h / 2, 0.1)),
                    cylinder((0.0, h, -0.55), hw * 0.8, 0.1, axis="z"),
                ),
            ),
            ("cloth", box((0.0, 0.95, 0.08), (hw - 0.1, 0.1, 0.4))),
            ("candles", union(*candles)),
        ]
    roof_y = h - 0.25
    return [
        (
            "stone",
            union(
                box((0.0, (h - 0.75 - SET_M) / 2, 0.0), (0.22, (h - 0.75 + SET_M) / 2, 0.22)),
                subtract(box((0.0, h - 0.55, 0.0), (0.35, 0.3, 0.3)), box((0.0, h - 0.55, 0.2), (0.26, 0.22, 0.3))),
                box((0.0, 0.06, 0.0), (0.4, 0.12, 0.4)),
            ),
        ),
        ("roof", gable((0.0, roof_y, 0.0), 0.5, 0.42, 0.4)),
        (
            "figure",
            union(capsule((0.0, h - 0.74, 0.05), (0.0, h - 0.52, 0.05), 0.06), sphere((0.0, h - 0.44, 0.05), 0.05)),
        ),
        ("candles", cylinder((0.15, h - 0.72, 0.12), 0.03, 0.05)),
    ]


register(
    Kind(
        name="shrine",
        group="landmark",
        words=("shrine", "altar", "wayside shrine", "roadside shrine", "wayside cross"),
        parts={
            "stone": ("stone", "marble", "sandstone"),
            "roof": ("slate", "roof_tiles", "dark_wood"),
            "figure": ("marble", "gold", "paint:white"),
            "cloth": ("cloth:red", "cloth:white", "cloth:purple"),
            "candles": ("wax",),
        },
        body=("stone",),
        ranges={"height": (1.6, 2.2), "altar": (0.0, 1.0)},
        integer_params=("altar",),
        build=_shrine,
        ground="floor",
        where="any",
        plural_count=1,
        spacing_m=1.0,
    )
)


def _bell(p: dict[str, float]) -> list[tuple[str, Node]]:
    bh, h = p["bell"], p["height"]
    hw = bh * 0.9 + 0.35
    beam_y = h - 0.3
    mouth = beam_y - 0.25 - bh
    if p["temple"] > 0.5:  # a straight-sided temple bell struck by a hanging log
        bell = union(
            cylinder((0.0, mouth + bh * 0.45, 0.0), bh * 0.42, bh * 0.45),
            sphere((0.0, mouth + bh * 0.9, 0.0), bh * 0.38),
        )
        bell = subtract(bell, cylinder((0.0, mouth, 0.0), bh * 0.35, bh * 0.5))
        striker = capsule((-0.2, mouth + bh * 0.35, bh * 0.45 + 0.2), (-0.2, mouth + bh * 0.35, bh * 0.45 + 1.3), 0.09)
    else:  # a flared church bell
        outer = union(
            cone((0.0, mouth, 0.0), bh * 0.55, bh * 0.32, bh * 0.8), sphere((0.0, mouth + bh * 0.75, 0.0), bh * 0.33)
        )
        bell = union(
            subtract(outer, cone((0.0, mouth - 0.01, 0.0), bh * 0.48, bh * 0.26, bh * 0.7)),
            torus((0.0, mouth + 0.02, 0.0), bh * 0.53, 0.035),
        )
        striker = sphere((0.0, mouth + 0.05, 0.0), bh * 0.12)
    frame = union(
        mirror(box((hw, (h - 0.3) / 2 - 0.15, 0.0), (0.1, (h - 0.3) / 2 + 0.15, 0.1)), "x"),
        box((0.0, beam_y, 0.0), (hw + 0.15, 0.1, 0.1)),
        mirror(mirror(capsule((hw, 0.0, 0.5), (hw, 1.0, 0.05), 0.06), "z"), "x"),
    )
    return [
        ("frame", frame),
        ("roof", gable((0.0, h - 0.2, 0.0), 0.55, hw + 0.35, 0.45, ridge="x")),
        ("bell", union(bell, cylinder((0.0, (mouth + bh + beam_y) / 2, 0.0), 0.04, (beam_y - mouth - bh) / 2 + 0.05))),
        ("striker", striker),
    ]


register(
    Kind(
        name="bell",
        group="landmark",
        words=("bell", "temple bell", "bell frame", "church bell", "bell stand", "gong bell"),
        parts={
            "frame": ("dark_wood", "wood"),
            "roof": ("roof_tiles", "dark_wood", "slate"),
            "bell": ("copper", "iron", "gold"),
            "striker": ("wood", "iron"),
        },
        body=("bell",),
        ranges={"bell": (0.6, 1.0), "height": (2.6, 3.2), "temple": (0.0, 1.0)},
        integer_params=("temple",),
        build=_bell,
        plural_count=1,
        spacing_m=1.0,
    )
)
