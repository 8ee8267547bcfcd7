"""Landmark props: fountain, lamp post, statue, boat, antenna."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.parts import standing_box
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    gable,
    intersect,
    mirror,
    pyramid,
    rotate,
    shell,
    smooth_union,
    sphere,
    subtract,
    translate,
    tube,
    union,
)


def _fountain(p: dict[str, float]) -> list[tuple[str, Node]]:
    r = p["radius"]
    return [
        ("basin", union(tube((0.0, 0.15, 0.0), r, 0.35, 0.45), cylinder((0.0, -0.15, 0.0), r - 0.1, 0.2))),
        ("water", cylinder((0.0, 0.2, 0.0), r - 0.3, 0.2)),
        (
            "pillar",
            union(
                cylinder((0.0, 0.8, 0.0), 0.25, 0.7),
                cone((0.0, 1.45, 0.0), 0.2, 0.95, 0.35),
                sphere((0.0, 2.0, 0.0), 0.22),
            ),
        ),
    ]


register(
    Kind(
        name="fountain",
        group="landmark",
        words=("fountain", "water fountain", "basin", "pool"),
        parts={"basin": ("stone", "marble"), "water": ("water",), "pillar": ("stone", "marble")},
        body=("basin", "pillar"),
        ranges={"radius": (1.6, 2.6)},
        build=_fountain,
        plural_count=2,
        spacing_m=2.0,
    )
)


def _lamp(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    return [
        ("pole", union(cylinder((0.0, 0.0, 0.0), 0.18, 0.25), cylinder((0.0, h / 2, 0.0), 0.06, h / 2))),
        ("lantern", box((0.0, h + 0.25, 0.0), (0.17, 0.25, 0.17), round_m=0.02)),
        ("cap", pyramid((0.0, h + 0.48, 0.0), 0.26, 0.26, 0.3)),
    ]


register(
    Kind(
        name="lamp post",
        group="light",
        words=("lamp post", "lamppost", "street lamp", "streetlight", "street light", "lamp", "light post", "torch"),
        parts={"pole": ("iron", "paint:black", "metal"), "lantern": ("lamp",), "cap": ("iron", "copper")},
        body=("pole", "cap"),
        ranges={"height": (2.8, 3.6)},
        build=_lamp,
        plural_count=4,
        spacing_m=0.8,
    )
)


def _statue(p: dict[str, float]) -> list[tuple[str, Node]]:
    s = p["figure"]
    b = 1.2  # plinth top
    rng = variant_rng(p)
    arm = float(rng.uniform(-0.2, 1.0))
    figure = smooth_union(
        0.12,
        capsule((0.12 * s, b + 0.1, 0.0), (0.1 * s, b + 0.85 * s, 0.0), 0.1 * s),
        capsule((-0.12 * s, b + 0.1, 0.0), (-0.1 * s, b + 0.85 * s, 0.0), 0.1 * s),
        ellipsoid((0.0, b + 1.2 * s, 0.0), (0.24 * s, 0.38 * s, 0.15 * s)),
        capsule((0.26 * s, b + 1.45 * s, 0.0), (0.35 * s, b + (1.1 + arm) * s, 0.1 * s), 0.07 * s),
        capsule((-0.26 * s, b + 1.45 * s, 0.0), (-0.32 * s, b + 0.95 * s, 0.05 * s), 0.07 * s),
    )
    head = sphere((0.0, b + 1.78 * s, 0.0), 0.13 * s)
    return [
        ("plinth", standing_box(0.0, 0.0, b, 0.6, 0.6, below=0.3, round_m=0.03)),
        ("figure", smooth_union(0.06, figure, head)),
    ]


register(
    Kind(
        name="statue",
        group="landmark",
        words=("statue", "sculpture", "monument", "idol", "figure", "memorial"),
        parts={"plinth": ("stone", "marble"), "figure": ("copper", "marble", "stone", "gold")},
        body=("figure",),
        ranges={"figure": (1.0, 1.3)},
        build=_statue,
        plural_count=2,
        spacing_m=1.5,
    )
)


def _boat(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hw = p["length"] / 2, p["beam"] / 2
    broken = p["broken"] > 0.5
    rng = variant_rng(p)
    hull = subtract(
        intersect(ellipsoid((0.0, 0.55, 0.0), (hw, 1.0, hl)), box((0.0, 0.05, 0.0), (hw, 0.5, hl))),
        ellipsoid((0.0, 0.65, 0.0), (hw - 0.12, 0.9, hl - 0.15)),
    )
    seats = mirror(box((0.0, 0.3, hl * 0.3), (hw * 0.8, 0.04, 0.14)), "z")
    if broken:  # a stove-in side and a missing seat
        hull = subtract(hull, ellipsoid((hw, 0.35, float(rng.uniform(-0.3, 0.3)) * hl), (0.35, 0.3, 0.6)))
        seats = box((0.0, 0.3, -hl * 0.3), (hw * 0.8, 0.04, 0.14))
    parts = [("hull", hull), ("seats", seats)]
    if p["mast"] > 0.5:
        mast_h = p["length"] * 0.9
        if broken:  # snapped off above the thwart
            parts.append(("mast", cylinder((0.0, 0.6, 0.0), 0.06, 0.9)))
        else:
            parts.append(("mast", cylinder((0.0, mast_h / 2, 0.0), 0.06, mast_h / 2 + 0.3)))
            sail = intersect(
                gable((0.0, 0.9, -0.1), hl * 0.55, 0.05, mast_h - 1.0, ridge="x"),
                box((0.0, mast_h / 2, -0.1 - hl * 0.27), (0.05, mast_h / 2, hl * 0.28)),
            )
            parts.append(("sail", sail))
    if broken:  # listing where it lies
        roll = float(rng.uniform(10.0, 20.0))
        parts = [(n, rotate(s_, roll_deg=roll, pivot=(0.0, 0.0, 0.0))) for n, s_ in parts]
    return parts


register(
    Kind(
        name="boat",
        group="boat",
        words=(
            "boat",
            "rowboat",
            "rowing boat",
            "sailboat",
            "fishing boat",
            "dinghy",
            "skiff",
            "yacht",
            "raft",
            "gondola",
        ),
        parts={
            "hull": ("wood", "paint:white", "paint:blue", "paint:red"),
            "seats": ("wood",),
            "mast": ("wood",),
            "sail": ("canvas",),
        },
        body=("hull",),
        ranges={"length": (4.0, 6.5), "beam": (1.5, 2.1), "mast": (0.0, 1.0), "broken": (0.0, 0.0)},
        integer_params=("mast",),
        build=_boat,
        ground="water",
        plural_count=3,
        spacing_m=1.5,
        attributes={"broken": {"params": {"broken": 1.0}}},
    )
)


def _antenna(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    dish_r = 1.6
    cap = intersect(
        shell(sphere((0.0, 0.0, dish_r * 1.6), dish_r * 1.6), 0.08), box((0.0, 0.0, 0.2), (dish_r, dish_r, 0.25))
    )
    dish = rotate(cap, pitch_deg=-35.0)
    dish_at = translate(dish, (0.0, h - 0.8, 0.45))
    return [
        ("base", box((0.0, 0.1, 0.0), (1.0, 0.45, 1.0), round_m=0.05)),
        ("mast", cone((0.0, 0.5, 0.0), 0.3, 0.1, h - 0.5)),
        ("dish", dish_at),
        ("light", sphere((0.0, h + 0.1, 0.0), 0.16)),
    ]


register(
    Kind(
        name="antenna",
        group="tech",
        words=(
            "antenna",
            "radio mast",
            "satellite dish",
            "dish",
            "radar",
            "transmitter",
            "relay",
            "comm tower",
            "pylon",
        ),
        parts={"base": ("concrete",), "mast": ("metal",), "dish": ("paint:white", "metal"), "light": ("lamp",)},
        body=("mast", "dish"),
        ranges={"height": (7.0, 10.0)},
        build=_antenna,
        plural_count=2,
        spacing_m=2.0,
    )
)
