"""Road vehicles as static props: car, truck, bus, tractor (two-wheelers are in ``vehicles_two_wheel``)."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import Kind, register
from pipelines.models.sdf import (
    Node,
    box,
    cylinder,
    intersect,
    mirror,
    polytope,
    repeat,
    shell,
    subtract,
    torus,
    translate,
    union,
)

GROUND_M = 0.03  # tyres reach this far below the base
PAINT = ("car_paint:red", "car_paint:blue", "car_paint:white", "car_paint:black", "car_paint:silver", "car_paint:green")


def tyre(c: tuple[float, float, float], r: float, half_w: float) -> Node:
    """Return a tyre: a cylinder along x whose edges are rounded (the exact union of its pieces)."""
    e = min(0.35 * r, 0.6 * half_w)
    rims = union(
        torus((c[0] + half_w - e, c[1], c[2]), r - e, e, axis="x"),
        torus((c[0] - half_w + e, c[1], c[2]), r - e, e, axis="x"),
    )
    return union(cylinder(c, r - e, half_w, axis="x"), cylinder(c, r, half_w - e, axis="x"), rims)


def axle(x: float, z: float, r: float, half_w: float) -> tuple[Node, Node]:
    """Return (tyres, hubs) of a pair of wheels at +-x, axle at z, touching the ground."""
    y = r - GROUND_M
    return (
        mirror(tyre((x, y, z), r, half_w), "x"),
        mirror(cylinder((x, y, z), r * 0.55, half_w + 0.012, axis="x"), "x"),
    )


def plane(
    normal: tuple[float, float, float], point: tuple[float, float, float]
) -> tuple[tuple[float, float, float], float]:
    n = math.sqrt(sum(c * c for c in normal))
    u = tuple(c / n for c in normal)
    return u, sum(a * b for a, b in zip(u, point))  # type: ignore[return-value]


def cabin(
    half_w: float, y0: float, y1: float, z_front: tuple[float, float], z_back: tuple[float, float], grow: float = 0.0
) -> Node:
    """Return a car's glasshouse: sides leaning in, a raked windscreen from ``z_front`` (bottom, top), a rear window."""
    planes = [
        plane((0.0, 1.0, 0.0), (0.0, y1, 0.0)),
        plane((0.0, -1.0, 0.0), (0.0, y0, 0.0)),
        plane((1.0, 0.25, 0.0), (half_w, y0, 0.0)),
        plane((-1.0, 0.25, 0.0), (-half_w, y0, 0.0)),
        plane((0.0, z_front[0] - z_front[1], y1 - y0), (0.0, y0, z_front[0])),
        plane((0.0, z_back[1] - z_back[0], -(y1 - y0)), (0.0, y0, z_back[0])),
    ]
    return polytope(
        [n for n, _ in planes],
        [d + grow for _, d in planes],
        (-half_w - grow, y0 - grow, z_back[0] - grow),
        (half_w + grow, y1 + grow, z_front[0] + grow),
    )


def _car(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hw, h, r = p["length"] / 2, p["width"] / 2, p["height"], p["wheel_r"]
    belt = 0.55 + r
    zf, zb = hl - 0.8, -hl + 0.8
    arches = mirror(
        union(cylinder((hw, r, zf), r + 0.06, 0.3, axis="x"), cylinder((hw, r, zb), r + 0.06, 0.3, axis="x")), "x"
    )
    lower = subtract(box((0.0, (belt + r * 0.6) / 2, 0.0), (hw, (belt - r * 0.6) / 2, hl), round_m=0.12), arches)
    back = (-hl + 0.15, -hl + 0.45) if p["hatch"] > 0.5 else (-hl * 0.72, -hl * 0.42)
    front = (hl * 0.3, -hl * 0.02)
    glass_house = cabin(hw - 0.05, belt - 0.05, h, front, back)
    band = box((0.0, (belt + 0.05 + h - 0.07) / 2, 0.0), (hw + 0.1, (h - 0.07 - belt - 0.05) / 2, hl))
    pillar = box((0.0, h / 2, (front[1] + back[1]) / 2 + 0.1), (hw + 0.1, h, 0.05))
    windows = subtract(intersect(cabin(hw - 0.05, belt - 0.05, h, front, back, grow=0.012), band), pillar)
    tyres, hubs = axle(hw - 0.13, zf, r, 0.1)
    tyres_b, hubs_b = axle(hw - 0.13, zb, r, 0.1)
    lights = mirror(box((hw - 0.28, belt - 0.12, hl - 0.06), (0.16, 0.05, 0.08)), "x")
    return [
        ("body", union(lower, glass_house)),
        ("windows", windows),
        ("tyres", union(tyres, tyres_b)),
        ("hubs", union(hubs, hubs_b)),
        ("bumpers", mirror(box((0.0, r * 0.85, hl - 0.02), (hw - 0.05, 0.07, 0.06), round_m=0.03), "z")),
        ("lights", lights),
        ("taillights", box((0.0, belt - 0.12, -hl + 0.04), (hw - 0.12, 0.04, 0.06))),
    ]


register(
    Kind(
        name="car",
        group="car",
        words=(
            "car",
            "automobile",
            "sedan",
            "parked car",
            "hatchback",
            "saloon car",
            "coupe",
            "taxi",
            "estate car",
            "motorcar",
            "vehicle",
        ),
        parts={
            "body": PAINT,
            "windows": ("glass",),
            "tyres": ("tyre",),
            "hubs": ("metal", "iron"),
            "bumpers": ("plastic:black", "metal"),
            "lights": ("lamp",),
            "taillights": ("lamp:red",),
        },
        body=("body",),
        ranges={
            "length": (3.9, 4.8),
            "width": (1.72, 1.9),
            "height": (1.38, 1.55),
            "wheel_r": (0.3, 0.34),
            "hatch": (0.0, 1.0),
        },
        integer_params=("hatch",),
        build=_car,
        ground="pad",
        plural_count=3,
        spacing_m=0.8,
    )
)


def _truck(p: dict[str, float]) -> list[tuple[str, Node]]:
    boxed = p["cargo"] > 0.5
    length = p["length"] if boxed else 4.9 + 0.4 * (p["length"] - 5.2)  # a pickup is shorter than a lorry
    hl, hw, r = length / 2, p["width"] / 2, p["wheel_r"]
    cab_h = 2.7 if boxed else 1.9
    cab_len = 1.9 if boxed else 2.7
    floor = r + 0.25
    cab_back = hl - cab_len
    parts: list[tuple[str, Node]] = []
    if boxed:
        upper = box((0.0, (floor + cab_h) / 2, hl - cab_len / 2), (hw, (cab_h - floor) / 2, cab_len / 2))
        cab = box((0.0, (floor + cab_h) / 2, hl - cab_len / 2), (hw, (cab_h - floor) / 2, cab_len / 2), round_m=0.12)
        band = box((0.0, cab_h - 0.55, hl - cab_len / 2), (hw + 0.1, 0.4, cab_len / 2 - 0.25))
        screen = box((0.0, cab_h - 0.6, hl), (hw - 0.12, 0.45, 0.3))
    else:
        upper = box((0.0, (floor + cab_h) / 2, cab_back + 0.8), (hw, (cab_h - floor) / 2, 0.8))
        hood = box((0.0, (floor + floor + 0.75) / 2, hl - 0.6), (hw, 0.375, 0.6), round_m=0.1)
        cab = union(hood, box((0.0, (floor + cab_h) / 2, cab_back + 0.8), (hw, (cab_h - floor) / 2, 0.8), round_m=0.1))
        band = box((0.0, cab_h - 0.35, cab_back + 0.8), (hw + 0.1, 0.25, 0.6))
        screen = box((0.0, cab_h - 0.35, cab_back + 1.6), (hw - 0.1, 0.25, 0.3))
    grown = box(
        tuple((a + b) / 2 for a, b in zip(upper.lo, upper.hi)),  # type: ignore[arg-type]
        tuple((b - a) / 2 + 0.012 for a, b in zip(upper.lo, upper.hi)),
    )  # type: ignore[arg-type]
    glass = intersect(grown, union(band, screen))
    parts.append(("cab", cab))
    parts.append(("windows", glass))
    cargo_len = hl + cab_back - 0.1
    cargo_c = -hl + cargo_len / 2
    if boxed:
        parts.append(
            (
                "cargo",
                box(
                    (0.0, (floor + 0.1 + 3.3) / 2, cargo_c),
                    (hw + 0.05, (3.3 - floor - 0.1) / 2, cargo_len / 2),
                    round_m=0.04,
                ),
            )
        )
    else:
        bed = box((0.0, floor + 0.3, cargo_c), (hw, 0.32, cargo_len / 2))
        parts.append(
            ("cargo", subtract(bed, box((0.0, floor + 0.7, cargo_c), (hw - 0.07, 0.37, cargo_len / 2 - 0.07))))
        )
    zf, zb = hl - 0.9, -hl + 1.0
    tyres, hubs = axle(hw - 0.18, zf, r, 0.14)
    tb, hb = axle(hw - 0.18, zb, r, 0.14)
    tyres, hubs = union(tyres, tb), union(hubs, hb)
    if boxed and p["length"] > 7.0:
        t2, h2 = axle(hw - 0.18, zb + 2 * r + 0.15, r, 0.14)
        tyres, hubs = union(tyres, t2), union(hubs, h2)
    parts += [
        ("chassis", box((0.0, r + 0.05, 0.0), (hw - 0.35, 0.18, hl - 0.2))),
        ("tyres", tyres),
        ("hubs", hubs),
        ("bumpers", box((0.0, r + 0.05, hl), (hw, 0.12, 0.08))),
        ("lights", mirror(box((hw - 0.2, floor + 0.25, hl + 0.01), (0.12, 0.07, 0.06)), "x")),
    ]
    return parts


register(
    Kind(
        name="truck",
        group="truck",
        words=(
            "truck",
            "lorry",
            "van",
            "pickup",
            "pickup truck",
            "delivery van",
            "delivery truck",
            "box truck",
            "dump truck",
            "camper van",
        ),
        parts={
            "cab": PAINT,
            "windows": ("glass",),
            "cargo": ("car_paint:white", "metal", "car_paint:silver", "car_paint:red"),
            "chassis": ("iron",),
            "tyres": ("tyre",),
            "hubs": ("metal", "iron"),
            "bumpers": ("metal", "plastic:black"),
            "lights": ("lamp",),
        },
        body=("cab",),
        ranges={"length": (5.2, 7.8), "width": (1.95, 2.3), "wheel_r": (0.38, 0.48), "cargo": (0.0, 1.0)},
        integer_params=("cargo",),
        build=_truck,
        ground="pad",
        plural_count=2,
        spacing_m=1.0,
    )
)


def _bus(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hw, r = p["length"] / 2, 1.25, 0.5
    decks = int(p["decks"])
    h = 3.1 if decks == 1 else 4.3
    floor = 0.35
    body = box((0.0, (floor + h) / 2, 0.0), (hw, (h - floor) / 2, hl), round_m=0.18)
    rows = []
    for k in range(decks):
        y0 = 1.3 + 1.35 * k
        band = box((0.0, y0 + 0.55, -0.3), (hw + 0.02, 0.5, hl - 0.8))
        n = max(4, int((hl * 2 - 1.6) / 1.3))
        pillars = repeat(box((0.0, y0 + 0.55, -0.3), (hw + 0.1, 0.6, 0.06)), "z", (2 * hl - 1.6) / n, n + 1)
        rows.append(
            subtract(intersect(box((0.0, (floor + h) / 2, 0.0), (hw + 0.012, (h - floor) / 2, hl)), band), pillars)
        )
    screen = intersect(
        box((0.0, (floor + h) / 2, 0.0), (hw, (h - floor) / 2, hl + 0.012)),
        box((0.0, 1.05 + (h - 1.3) / 2, hl), (hw - 0.12, (h - 1.3) / 2 - 0.1, 0.2)),
    )
    doors = union(
        box((-hw - 0.005, 1.3, hl - 1.3), (0.02, 0.95, 0.55)), box((-hw - 0.005, 1.3, -0.6), (0.02, 0.95, 0.55))
    )
    tyres, hubs = axle(hw - 0.22, hl - 2.2, r, 0.16)
    tb, hb = axle(hw - 0.22, -hl + 2.6, r, 0.16)
    sign = box((0.0, h - 0.25, hl + 0.005), (hw - 0.3, 0.12, 0.02))
    stripe = intersect(
        box((0.0, (floor + h) / 2, 0.0), (hw + 0.01, (h - floor) / 2, hl + 0.01)),
        box((0.0, 1.05, 0.0), (hw + 0.1, 0.08, hl + 0.1)),
    )
    return [
        ("body", body),
        ("windows", union(*rows, screen)),
        ("doors", doors),
        ("stripe", stripe),
        ("sign", sign),
        ("tyres", union(tyres, tb)),
        ("hubs", union(hubs, hb)),
        ("bumpers", mirror(box((0.0, 0.5, hl), (hw, 0.12, 0.06)), "z")),
    ]


register(
    Kind(
        name="bus",
        group="bus",
        words=("bus", "coach", "school bus", "double decker", "double decker bus", "city bus", "omnibus", "minibus"),
        parts={
            "body": ("car_paint:yellow", "car_paint:red", "car_paint:blue", "car_paint:white", "car_paint:green"),
            "windows": ("glass",),
            "doors": ("glass",),
            "stripe": ("paint:white", "paint:black", "paint:gray"),
            "sign": ("lamp:orange",),
            "tyres": ("tyre",),
            "hubs": ("metal",),
            "bumpers": ("plastic:black", "metal"),
        },
        body=("body",),
        ranges={"length": (9.5, 12.0), "decks": (1.0, 1.6)},
        integer_params=("decks",),
        build=_bus,
        ground="pad",
        plural_count=2,
        spacing_m=1.2,
    )
)


def _tractor(p: dict[str, float]) -> list[tuple[str, Node]]:
    R, r = p["rear_r"], p["front_r"]
    track = p["track"] / 2
    zr, zf = -0.6, -0.6 + p["wheelbase"]
    rt, rh = axle(track, zr, R, 0.22)
    ft, fh = axle(track * 0.85, zf, r, 0.13)
    hood_top = max(1.35, r * 2 + 0.45)
    hood = box(
        (0.0, (0.55 + hood_top) / 2, (zr + 0.4 + zf + 0.45) / 2),
        (0.4, (hood_top - 0.55) / 2, (zf + 0.45 - zr - 0.4) / 2),
        round_m=0.08,
    )
    body = union(hood, box((0.0, R * 0.95, zr + 0.1), (track - 0.3, 0.25, 0.6)))
    cab_y0 = R * 0.95 + 0.25
    cab_top = cab_y0 + 1.35
    posts = translate(
        mirror(
            mirror(box((track - 0.33, (cab_y0 + cab_top) / 2, 0.55), (0.04, (cab_top - cab_y0) / 2, 0.04)), "x"), "z"
        ),
        (0.0, 0.0, zr - 0.05),
    )
    roof = box((0.0, cab_top + 0.05, zr - 0.05), (track - 0.2, 0.06, 0.65))
    panes = box(
        (0.0, (cab_y0 + 0.35 + cab_top - 0.1) / 2, zr - 0.05), (track - 0.34, (cab_top - 0.1 - cab_y0 - 0.35) / 2, 0.58)
    )
    fenders = mirror(
        intersect(
            shell(cylinder((track, R - GROUND_M, zr), R + 0.1, 0.26, axis="x"), 0.05),
            box((track, R + R / 2, zr), (0.3, R / 2 + 0.05, R + 0.2)),
        ),
        "x",
    )
    return [
        ("body", union(body, fenders)),
        ("cab", union(posts, roof)),
        ("windows", panes),
        ("exhaust", cylinder((0.28, hood_top + 0.4, zf - 0.05), 0.045, 0.45)),
        ("tyres", union(rt, ft)),
        ("hubs", union(rh, fh)),
        ("grille", box((0.0, (0.7 + hood_top) / 2, zf + 0.46), (0.32, (hood_top - 0.7) / 2 - 0.05, 0.02))),
    ]


register(
    Kind(
        name="tractor",
        group="tractor",
        words=("tractor", "farm tractor", "bulldozer", "harvester", "combine harvester"),
        parts={
            "body": ("car_paint:red", "car_paint:green", "car_paint:blue", "car_paint:orange", "car_paint:yellow"),
            "cab": ("iron", "car_paint:black"),
            "windows": ("glass",),
            "exhaust": ("iron", "metal"),
            "tyres": ("tyre",),
            "hubs": ("paint:yellow", "paint:white", "paint:red"),
            "grille": ("iron",),
        },
        body=("body",),
        ranges={"rear_r": (0.68, 0.85), "front_r": (0.38, 0.46), "wheelbase": (2.0, 2.4), "track": (1.6, 1.9)},
        build=_tractor,
        ground="pad",
        plural_count=1,
        spacing_m=1.2,
    )
)
