"""Two-wheelers as static props: bicycle, motorcycle."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register
from pipelines.models.kinds.vehicles import GROUND_M, PAINT
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cylinder,
    ellipsoid,
    mirror,
    rotate,
    subtract,
    torus,
    union,
)


def _bicycle(p: dict[str, float]) -> list[tuple[str, Node]]:
    R, wb = p["wheel_r"], p["wheelbase"] / 2
    y = R - GROUND_M / 2
    rear, front = (0.0, y, -wb), (0.0, y, wb)
    bb = (0.0, y - 0.02, -wb + 0.45)
    seat = (0.0, y + p["seat_h"], -wb + 0.33)
    head_top, head_bot = (0.0, y + p["seat_h"] - 0.03, wb - 0.32), (0.0, y + 0.3, wb - 0.26)
    tubes = union(
        capsule(bb, seat, 0.018),
        capsule(seat, head_top, 0.018),
        capsule(bb, head_bot, 0.02),
        capsule(bb, rear, 0.014),
        capsule(seat, rear, 0.014),
        capsule(head_top, head_bot, 0.024),
    )
    bar = (0.0, head_top[1] + 0.12, head_top[2] - 0.04)
    steer = union(
        capsule(head_bot, front, 0.016),
        capsule(head_top, bar, 0.016),
        capsule((-0.26, bar[1], bar[2] - 0.05), (0.26, bar[1], bar[2] - 0.05), 0.014),
    )
    wheels = union(torus(rear, R, 0.02, axis="x"), torus(front, R, 0.02, axis="x"))
    hubs = union(
        cylinder(rear, 0.035, 0.05, axis="x"),
        cylinder(front, 0.035, 0.05, axis="x"),
        cylinder(bb, 0.09, 0.012, axis="x"),
        capsule((0.08, bb[1] - 0.15, bb[2] + 0.04), (0.08, bb[1] + 0.15, bb[2] - 0.04), 0.014),
    )
    parts = [
        ("frame", tubes),
        ("steering", steer),
        ("tyres", wheels),
        ("hubs", hubs),
        ("saddle", ellipsoid((0.0, seat[1] + 0.05, seat[2] - 0.02), (0.07, 0.035, 0.13))),
    ]
    if p["basket"] > 0.5:
        c = (0.0, bar[1] - 0.12, bar[2] + 0.2)
        parts.append(
            ("basket", subtract(box(c, (0.17, 0.12, 0.13)), box((c[0], c[1] + 0.05, c[2]), (0.15, 0.13, 0.11))))
        )
    return parts


register(
    Kind(
        name="bicycle",
        group="bicycle",
        words=("bicycle", "bike", "cycle", "push bike", "pushbike", "road bike", "mountain bike"),
        parts={
            "frame": ("car_paint:red", "car_paint:blue", "car_paint:black", "car_paint:green", "car_paint:white"),
            "steering": ("metal",),
            "tyres": ("tyre",),
            "hubs": ("metal",),
            "saddle": ("plastic:black", "plastic:brown"),
            "basket": ("wood", "metal"),
        },
        body=("frame",),
        ranges={"wheel_r": (0.32, 0.35), "wheelbase": (1.0, 1.08), "seat_h": (0.5, 0.6), "basket": (0.0, 1.0)},
        integer_params=("basket",),
        build=_bicycle,
        ground="embed",
        where="any",
        plural_count=3,
        spacing_m=0.3,
    )
)


def _motorcycle(p: dict[str, float]) -> list[tuple[str, Node]]:
    wb = p["wheelbase"] / 2
    if p["scooter"] > 0.5:
        R, fat = 0.2, 0.055
        y = R - GROUND_M / 2
        rear, front = (0.0, y, -wb), (0.0, y, wb)
        body = union(
            box((0.0, y + 0.12, 0.0), (0.15, 0.05, wb - 0.15), round_m=0.03),
            ellipsoid((0.0, y + 0.38, -wb + 0.15), (0.19, 0.24, 0.4)),
            rotate(
                box((0.0, y + 0.55, wb - 0.18), (0.2, 0.38, 0.05), round_m=0.03),
                pitch_deg=-15,
                pivot=(0.0, y + 0.55, wb - 0.18),
            ),
        )
        seat = ellipsoid((0.0, y + 0.63, -wb + 0.2), (0.14, 0.06, 0.3))
        column = capsule(front, (0.0, y + 0.95, wb - 0.25), 0.03)
        bar_y, bar_z = y + 0.95, wb - 0.25
    else:
        R, fat = 0.3, 0.065
        y = R - GROUND_M / 2
        rear, front = (0.0, y, -wb), (0.0, y, wb)
        body = union(
            box((0.0, y + 0.1, -0.05), (0.14, 0.2, 0.25), round_m=0.05),
            ellipsoid((0.0, y + 0.5, 0.12), (0.15, 0.12, 0.27)),
            capsule((0.0, y + 0.45, wb - 0.35), rear, 0.04),
            ellipsoid((0.0, y + 0.36, -wb + 0.1), (0.1, 0.05, 0.32)),
        )
        seat = ellipsoid((0.0, y + 0.47, -0.3), (0.14, 0.07, 0.3))
        column = mirror(capsule((0.07, y, wb), (0.07, y + 0.68, wb - 0.25), 0.03), "x")
        bar_y, bar_z = y + 0.72, wb - 0.3
    return [
        ("body", body),
        ("seat", seat),
        ("steering", union(column, capsule((-0.35, bar_y, bar_z), (0.35, bar_y, bar_z), 0.018))),
        ("tyres", union(torus(rear, R - fat, fat, axis="x"), torus(front, R - fat, fat, axis="x"))),
        ("hubs", union(cylinder(rear, R - fat, 0.03, axis="x"), cylinder(front, R - fat, 0.03, axis="x"))),
        ("lights", cylinder((0.0, bar_y - 0.1, bar_z + 0.12), 0.08, 0.05, axis="z")),
        ("exhaust", capsule((-0.17, y - 0.05, -0.05), (-0.17, y + 0.1, -wb - 0.1), 0.04)),
    ]


register(
    Kind(
        name="motorcycle",
        group="motorcycle",
        words=("motorcycle", "motorbike", "scooter", "moped", "motor scooter", "dirt bike"),
        parts={
            "body": PAINT,
            "seat": ("plastic:black", "plastic:brown"),
            "steering": ("metal",),
            "tyres": ("tyre",),
            "hubs": ("metal", "iron"),
            "lights": ("lamp",),
            "exhaust": ("metal",),
        },
        body=("body",),
        ranges={"wheelbase": (1.35, 1.5), "scooter": (0.0, 1.0)},
        integer_params=("scooter",),
        build=_motorcycle,
        ground="embed",
        where="any",
        plural_count=2,
        spacing_m=0.4,
    )
)
