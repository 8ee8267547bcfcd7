"""Smaller animals as static props: goat, dog, chicken, duck."""

from __future__ import annotations

from pipelines.models.kinds.animals import GROUND_M, Vec, _along, _head, _hooves, _quadruped
from pipelines.models.kinds.base import Kind, register
from pipelines.models.sdf import (
    Node,
    capsule,
    cone,
    ellipsoid,
    mirror,
    rotate,
    smooth_union,
    sphere,
    union,
)


def _goat(p: dict[str, float]) -> list[tuple[str, Node]]:
    c, radii, body, legs = _quadruped(p, (p["girth"], p["girth"] * 1.15, 0.0), p["leg_h"], 0.035)
    rz = radii[2]
    neck_a = (0.0, c[1] + radii[1] * 0.3, rz * 0.7)
    head_c = (0.0, c[1] + radii[1] + 0.28, rz + 0.16)
    pitch = 45.0
    back = _along(head_c, pitch, -0.1)
    chin = _along(head_c, pitch, 0.05)
    return [
        ("body", smooth_union(0.08, body, capsule(neck_a, back, 0.09))),
        ("head", _head(head_c, (0.07, 0.08, 0.16), pitch)),
        ("beard", ellipsoid((0.0, chin[1] - 0.1, chin[2] - 0.02), (0.03, 0.08, 0.03))),
        ("ears", mirror(ellipsoid((0.1, back[1], back[2]), (0.08, 0.022, 0.035)), "x")),
        (
            "horns",
            mirror(capsule((0.035, back[1] + 0.07, back[2] + 0.02), (0.07, back[1] + 0.2, back[2] - 0.12), 0.022), "x"),
        ),
        ("legs", legs),
        ("hooves", _hooves(radii[0] * 0.55, rz * 0.62, -rz * 0.62, 0.04, 0.06)),
        ("tail", capsule((0.0, c[1] + radii[1] * 0.6, -rz + 0.02), (0.0, c[1] + radii[1] + 0.1, -rz - 0.05), 0.025)),
    ]


register(
    Kind(
        name="goat",
        group="goat",
        words=("goat", "billy goat", "nanny goat", "kid goat", "mountain goat"),
        parts={
            "body": ("fur:white", "fur:brown", "fur:black", "fur:tan", "fur:gray"),
            "head": ("fur:white", "fur:brown", "fur:black"),
            "beard": ("fur:white", "fur:gray"),
            "ears": ("fur:white", "fur:brown"),
            "horns": ("bone", "fur:gray"),
            "legs": ("fur:white", "fur:brown"),
            "hooves": ("dark_wood",),
            "tail": ("fur:white", "fur:brown"),
        },
        body=("body", "head", "legs"),
        ranges={"length": (0.85, 1.1), "girth": (0.18, 0.23), "leg_h": (0.38, 0.5)},
        build=_goat,
        ground="embed",
        plural_count=4,
        spacing_m=0.5,
    )
)


def _dog(p: dict[str, float]) -> list[tuple[str, Node]]:
    s = p["size"]
    g = (0.12 * s, 0.13 * s, 0.0)
    c, radii, body, legs = _quadruped({"length": 0.7 * s}, g, p["leg_h"] * s, 0.035 * s)
    rz = radii[2]
    head_c = (0.0, c[1] + 0.22 * s, rz + 0.08 * s)
    snout = capsule(head_c, (0.0, head_c[1] - 0.04 * s, head_c[2] + 0.15 * s), 0.05 * s)
    if p["pointy"] > 0.5:
        ears = mirror(cone((0.055 * s, head_c[1] + 0.06 * s, head_c[2] - 0.02 * s), 0.035 * s, 0.008, 0.09 * s), "x")
    else:
        ears = mirror(
            ellipsoid((0.09 * s, head_c[1] - 0.02 * s, head_c[2] - 0.02 * s), (0.022 * s + 0.005, 0.08 * s, 0.045 * s)),
            "x",
        )
    paws = mirror(
        union(
            ellipsoid((g[0] * 0.55, 0.02 * s - GROUND_M / 2, rz * 0.62 + 0.02 * s), (0.04 * s, 0.03 * s, 0.055 * s)),
            ellipsoid((g[0] * 0.55, 0.02 * s - GROUND_M / 2, -rz * 0.62 + 0.02 * s), (0.04 * s, 0.03 * s, 0.055 * s)),
        ),
        "x",
    )
    return [
        ("body", smooth_union(0.05 * s, body, capsule((0.0, c[1] + 0.04 * s, rz * 0.7), head_c, 0.065 * s))),
        ("head", union(sphere(head_c, 0.09 * s), snout)),
        ("nose", sphere((0.0, head_c[1] - 0.025 * s, head_c[2] + 0.2 * s), 0.025 * s)),
        ("ears", ears),
        ("legs", union(legs, paws)),
        ("tail", capsule((0.0, c[1] + 0.06 * s, -rz + 0.02), (0.0, c[1] + 0.2 * s, -rz - 0.18 * s), 0.025 * s)),
    ]


register(
    Kind(
        name="dog",
        group="dog",
        words=("dog", "hound", "puppy", "sheepdog", "mutt", "pup", "retriever", "collie", "terrier"),
        parts={
            "body": ("fur:brown", "fur:black", "fur:tan", "fur:white", "fur:gray"),
            "head": ("fur:brown", "fur:black", "fur:tan"),
            "nose": ("fur:black",),
            "ears": ("fur:brown", "fur:black"),
            "legs": ("fur:brown", "fur:tan", "fur:white"),
            "tail": ("fur:brown", "fur:black"),
        },
        body=("body", "head", "legs"),
        ranges={"size": (0.8, 1.3), "leg_h": (0.28, 0.4), "pointy": (0.0, 1.0)},
        integer_params=("pointy",),
        build=_dog,
        ground="embed",
        where="any",
        plural_count=2,
        spacing_m=0.5,
    )
)


def _bird_legs(x: float, z: float, top: float, r: float, foot: Vec) -> Node:
    return mirror(
        union(
            capsule((x, top, z), (x, r - GROUND_M / 2, z), r),
            ellipsoid((x, foot[1] - GROUND_M / 2, z + foot[2] * 0.5), foot),
        ),
        "x",
    )


def _chicken(p: dict[str, float]) -> list[tuple[str, Node]]:
    s = p["size"]
    c = (0.0, 0.26 * s, 0.0)
    body = rotate(ellipsoid(c, (0.11 * s, 0.12 * s, 0.17 * s)), pitch_deg=-15, pivot=c)
    head_c = (0.0, 0.44 * s, 0.13 * s)
    rooster = p["rooster"] > 0.5
    tail_r = (0.03 * s + 0.01, 0.13 * s if rooster else 0.09 * s, 0.09 * s)
    tail = rotate(ellipsoid((0.0, 0.36 * s, -0.15 * s), tail_r), pitch_deg=-30, pivot=(0.0, 0.36 * s, -0.15 * s))
    beak = rotate(
        cone((0.0, head_c[1] - 0.005, head_c[2] + 0.04 * s), 0.018, 0.004, 0.05 * s),
        pitch_deg=90,
        pivot=(0.0, head_c[1] - 0.005, head_c[2] + 0.04 * s),
    )
    comb_h = 0.045 * s if rooster else 0.025 * s
    comb = union(
        ellipsoid((0.0, head_c[1] + 0.05 * s, head_c[2]), (0.016, comb_h, 0.045 * s)),
        ellipsoid((0.0, head_c[1] - 0.05 * s, head_c[2] + 0.04 * s), (0.015, 0.025 * s, 0.018)),
    )
    return [
        ("body", smooth_union(0.04 * s, body, capsule((0.0, c[1] + 0.05 * s, 0.08 * s), head_c, 0.05 * s), tail)),
        ("head", sphere(head_c, 0.055 * s)),
        ("beak", beak),
        ("comb", comb),
        ("legs", _bird_legs(0.045 * s, 0.0, c[1] - 0.05 * s, 0.016, (0.025, 0.012, 0.05 * s))),
    ]


register(
    Kind(
        name="chicken",
        group="poultry",
        words=("chicken", "hen", "rooster", "cockerel", "chick", "poultry", "fowl"),
        parts={
            "body": ("feathers", "feathers:brown", "feathers:ochre", "feathers:black", "feathers:tan"),
            "head": ("feathers", "feathers:brown"),
            "beak": ("paint:ochre", "paint:yellow"),
            "comb": ("skin:red",),
            "legs": ("paint:yellow", "paint:ochre"),
        },
        body=("body", "head"),
        ranges={"size": (0.85, 1.2), "rooster": (0.0, 1.0)},
        integer_params=("rooster",),
        build=_chicken,
        ground="embed",
        plural_count=6,
        spacing_m=0.25,
    )
)


def _duck(p: dict[str, float]) -> list[tuple[str, Node]]:
    s = p["size"]
    c = (0.0, 0.2 * s, 0.0)
    body = ellipsoid(c, (0.12 * s, 0.1 * s, 0.2 * s))
    neck_top = (0.0, (0.33 + 0.2 * p["neck"]) * s, 0.14 * s)
    head_c = (0.0, neck_top[1] + 0.02 * s, neck_top[2] + 0.02 * s)
    tail = rotate(
        ellipsoid((0.0, 0.24 * s, -0.19 * s), (0.06 * s, 0.035 * s, 0.08 * s)),
        pitch_deg=-25,
        pivot=(0.0, 0.24 * s, -0.19 * s),
    )
    bill = ellipsoid(
        (0.0, head_c[1] - 0.015 * s, head_c[2] + 0.08 * s), (0.03 * s + 0.005, 0.016 * s + 0.006, 0.055 * s)
    )
    return [
        ("body", smooth_union(0.04 * s, body, capsule((0.0, c[1] + 0.04 * s, 0.12 * s), neck_top, 0.04 * s), tail)),
        ("head", ellipsoid(head_c, (0.05 * s, 0.055 * s, 0.07 * s))),
        ("bill", bill),
        ("legs", _bird_legs(0.05 * s, 0.0, c[1] - 0.06 * s, 0.016, (0.035 * s, 0.012, 0.045 * s))),
    ]


register(
    Kind(
        name="duck",
        group="waterfowl",
        words=("duck", "goose", "duckling", "mallard", "drake", "gosling", "gander"),
        parts={
            "body": ("feathers", "feathers:brown", "feathers:gray", "feathers:tan"),
            "head": ("feathers", "feathers:green", "feathers:brown"),
            "bill": ("paint:orange", "paint:ochre"),
            "legs": ("paint:orange",),
        },
        body=("body",),
        ranges={"size": (0.8, 1.5), "neck": (0.0, 1.0)},
        build=_duck,
        ground="embed",
        plural_count=5,
        spacing_m=0.25,
        flags={"shore": 1.0},
    )
)
