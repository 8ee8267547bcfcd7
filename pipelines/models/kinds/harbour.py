"""Harbour kinds: dock crane, anchor, buoy, net rack (boats and moorings are in ``harbour_boats``)."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.parts import standing_box
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    gable,
    intersect,
    mirror,
    polar_repeat,
    repeat,
    rotate,
    sphere,
    subtract,
    torus,
    translate,
    union,
)

FOUNDATION_M = 0.4


def lens(hw: float, hl: float, y: float, half_h: float) -> Node:
    """Return a vertical prism whose footprint is pointed at both ends (z = +-hl), hw wide at z = 0."""
    r = (hw * hw + hl * hl) / (2 * hw)
    return intersect(cylinder((r - hw, y, 0.0), r, half_h), cylinder((hw - r, y, 0.0), r, half_h))


def _crane(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, reach = p["height"], p["reach"]
    rng = variant_rng(p)
    root = (0.0, h * 0.55, 0.2)
    tip = (0.0, h * 0.92, reach)
    drop = float(rng.uniform(0.35, 0.6)) * tip[1]
    parts = [
        ("base", standing_box(0.0, 0.0, 0.5, 1.3, 1.3, below=FOUNDATION_M)),
        (
            "mast",
            union(
                box((0.0, 0.5 + (h - 0.5) / 2, 0.0), (0.2, (h - 0.5) / 2, 0.2)),
                mirror(capsule((0.9, 0.5, 0.0), (0.0, 2.2, 0.0), 0.1), "x"),
                mirror(capsule((0.0, 0.5, 0.9), (0.0, 2.2, 0.0), 0.1), "z"),
            ),
        ),
        ("jib", union(capsule(root, tip, 0.16), capsule((0.0, h, 0.0), tip, 0.09))),
        ("rope", cylinder((0.0, (tip[1] + drop) / 2, reach), 0.035, (tip[1] - drop) / 2)),
        (
            "hook",
            union(
                sphere((0.0, drop, reach), 0.09),
                subtract(
                    torus((0.0, drop - 0.2, reach), 0.16, 0.045, axis="z"),
                    box((-0.1, drop - 0.1, reach), (0.12, 0.12, 0.1)),
                ),
            ),
        ),
    ]
    if p["load"] > 0.5:  # a slung crate hangs below the hook
        parts.append(("load", box((0.0, drop - 0.75, reach), (0.45, 0.4, 0.45))))
    if p["wheel"] > 0.5:  # a treadwheel turns the rope drum
        parts.append(
            (
                "wheel",
                union(
                    torus((1.0, 1.9, 0.0), 1.45, 0.1, axis="x"),
                    translate(
                        rotate(polar_repeat(box((0.7, 0.0, 0.0), (0.72, 0.05, 0.05)), 6), roll_deg=90.0),
                        (1.0, 1.9, 0.0),
                    ),
                    cylinder((0.5, 1.9, 0.0), 0.12, 0.55, axis="x"),
                ),
            )
        )
    return parts


register(
    Kind(
        name="dock crane",
        group="machine",
        words=("dock crane", "crane", "harbour crane", "harbor crane", "cargo crane", "treadwheel crane"),
        parts={
            "base": ("stone", "cobble"),
            "mast": ("dark_wood", "wood", "iron"),
            "jib": ("wood", "dark_wood", "iron"),
            "rope": ("rope",),
            "hook": ("iron",),
            "load": ("wood", "boards"),
            "wheel": ("wood", "dark_wood"),
        },
        body=("mast", "jib"),
        ranges={"height": (6.0, 8.5), "reach": (3.5, 5.5), "load": (0.0, 1.0), "wheel": (0.0, 1.0)},
        integer_params=("load", "wheel"),
        build=_crane,
        plural_count=1,
        spacing_m=2.0,
    )
)


def _anchor(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    s = h / 1.8
    arm_r = 0.55 * s
    cy = arm_r + 0.1
    fluke = gable((0.0, 0.0, 0.0), 0.14 * s, 0.035, 0.32 * s)
    shank = union(
        cylinder((0.0, (0.1 + h - 0.2) / 2, 0.0), 0.065 * s, (h - 0.3) / 2),
        intersect(
            torus((0.0, cy, 0.0), arm_r, 0.065 * s, axis="z"),
            box((0.0, cy - arm_r / 2, 0.0), (arm_r + 0.1, arm_r / 2, 0.2)),
        ),
        mirror(translate(rotate(fluke, roll_deg=-35.0), (arm_r - 0.02, cy - 0.05, 0.0)), "x"),
    )
    ring = torus((0.0, h - 0.05, 0.0), 0.15 * s, 0.035 * s, axis="z")
    if p["lying"] > 0.5:  # a stockless anchor laid flat on the ground, arms and shank on the ground
        flat = [(n, rotate(rotate(s_, roll_deg=90.0), pitch_deg=90.0)) for n, s_ in (("shank", shank), ("ring", ring))]
        lift = -min(s_.lo[1] for _, s_ in flat) - 0.03
        return [(n, translate(s_, (h / 2 - 0.1, lift, 0.0))) for n, s_ in flat]
    return [
        ("shank", shank),
        ("ring", ring),
        ("stock", cylinder((0.0, h - 0.42 * s, 0.0), 0.05 * s, 0.5 * s, axis="z")),
        ("block", box((0.0, -0.03, 0.0), (arm_r + 0.15, 0.16, 0.35))),
    ]


register(
    Kind(
        name="anchor",
        group="decor",
        words=("anchor", "ship anchor", "ship's anchor", "boat anchor"),
        parts={
            "shank": ("iron", "rust"),
            "ring": ("iron", "rust"),
            "stock": ("dark_wood", "iron"),
            "block": ("stone",),
        },
        body=("shank",),
        ranges={"height": (1.4, 2.2), "lying": (0.0, 1.0)},
        integer_params=("lying",),
        build=_anchor,
        ground="floor",
        plural_count=1,
        spacing_m=0.8,
    )
)


def _buoy(p: dict[str, float]) -> list[tuple[str, Node]]:
    r, h = p["radius"], p["height"]
    legs = polar_repeat(capsule((r * 0.7, 0.55, 0.0), (0.12, h - 0.35, 0.0), 0.04), 3)
    parts = [
        (
            "body",
            union(
                cylinder((0.0, 0.05, 0.0), r, 0.5),
                cone((0.0, 0.5, 0.0), r, r * 0.75, 0.15),
                cone((0.0, -0.8, 0.0), r * 0.35, r * 0.9, 0.4),
            ),
        ),
        ("cage", union(legs, cylinder((0.0, h - 0.33, 0.0), 0.2, 0.04))),
        ("light", union(cylinder((0.0, h - 0.15, 0.0), 0.13, 0.15), cone((0.0, h, 0.0), 0.16, 0.02, 0.12))),
    ]
    if p["cross"] > 0.5:  # a top mark: two cones or a ball above the light
        parts.append(("mark", sphere((0.0, h + 0.32, 0.0), 0.2)))
    return parts


register(
    Kind(
        name="buoy",
        group="waterfront",
        words=("buoy", "channel buoy", "marker buoy", "navigation buoy", "bell buoy"),
        parts={
            "body": ("paint:red", "paint:green", "paint:yellow", "bands"),
            "cage": ("metal", "paint:red"),
            "light": ("lamp",),
            "mark": ("paint:black", "paint:red"),
        },
        body=("body",),
        ranges={"radius": (0.6, 0.9), "height": (1.8, 2.6), "cross": (0.0, 1.0)},
        integer_params=("cross",),
        build=_buoy,
        ground="water",
        plural_count=3,
        spacing_m=2.0,
    )
)


def _net_rack(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, h = p["width"] / 2, p["height"]
    rng = variant_rng(p)
    bays = max(1, round(hw * 2 / 1.8))
    posts = repeat(standing_box(0.0, 0.0, h, 0.07, 0.07, below=0.3), "x", 2 * hw / bays, bays + 1)
    bar = cylinder((0.0, h, 0.0), 0.06, hw + 0.15, axis="x")
    nets, floats = [], []
    for k in range(bays):  # each bay's net hangs over the bar, down both sides to its own length
        x = -hw + (k + 0.5) * 2 * hw / bays
        half = hw / bays - 0.12
        for side in (-1.0, 1.0):
            low = float(rng.uniform(0.35, 0.9))
            sheet = box((x, (h + low) / 2, side * 0.1), (half, (h - low) / 2, 0.025))
            holes = repeat(
                repeat(box((x, (h + low) / 2, side * 0.1), (0.05, 0.05, 0.1)), "x", 0.15, int(2 * half / 0.15)),
                "y",
                0.15,
                int((h - low - 0.2) / 0.15),
            )
            nets.append(rotate(subtract(sheet, holes), pitch_deg=-side * 4.0, pivot=(x, h, 0.0)))
            floats.append(
                rotate(
                    repeat(sphere((x, low + 0.02, side * 0.13), 0.06), "x", 0.35, int(2 * half / 0.35)),
                    pitch_deg=-side * 4.0,
                    pivot=(x, h, 0.0),
                )
            )
    return [("posts", union(posts, bar)), ("nets", union(*nets)), ("floats", union(*floats))]


register(
    Kind(
        name="net rack",
        group="waterfront",
        words=("net rack", "fishing net", "drying net", "fish net", "net drying rack", "net"),
        parts={
            "posts": ("wood", "dark_wood"),
            "nets": ("rope", "rope:brown", "rope:green"),
            "floats": ("paint:orange", "paint:red", "wood"),
        },
        body=("nets",),
        ranges={"width": (2.5, 5.0), "height": (1.9, 2.4)},
        build=_net_rack,
        ground="floor",
        plural_count=2,
        spacing_m=1.0,
    )
)
