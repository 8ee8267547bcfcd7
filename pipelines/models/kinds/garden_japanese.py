"""A Japanese garden's structures: stone lantern, torii gate, pagoda, garden pond, fish."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.garden import GROUND_M, prism, spire_roof
from pipelines.models.kinds.rocks import rock_chunk
from pipelines.models.sdf import (
    Node,
    box,
    cone,
    cylinder,
    ellipsoid,
    intersect,
    mirror,
    repeat,
    rotate,
    sphere,
    subtract,
    torus,
    union,
)


def _stone_lantern(p: dict[str, float]) -> list[tuple[str, Node]]:
    s = p["height"] / 1.6
    n = 6 if p["hex"] > 0.5 else 4
    phase = 0.0 if n == 6 else 45.0
    fb = 0.62 * s  # firebox centre height above the platform base
    stone = [
        prism(n, 0.28 * s, -0.08, 0.16 * s, phase),
        cylinder((0.0, 0.16 * s + 0.3 * s, 0.0), 0.09 * s, 0.3 * s),
        prism(n, 0.24 * s, 0.76 * s, 0.86 * s, phase),
        subtract(
            box((0.0, 0.86 * s + fb * 0.3, 0.0), (0.17 * s, 0.15 * s, 0.17 * s)),
            box((0.0, 0.86 * s + fb * 0.3, 0.0), (0.1 * s, 0.09 * s, 0.3 * s)),
            box((0.0, 0.86 * s + fb * 0.3, 0.0), (0.3 * s, 0.09 * s, 0.1 * s)),
        ),
        prism(n, 0.4 * s, 1.16 * s, 1.2 * s, phase),
        spire_roof(n, 0.4 * s, 1.2 * s, 0.24 * s, phase),
        sphere((0.0, 1.47 * s, 0.0), 0.07 * s),
    ]
    light = box((0.0, 0.86 * s + fb * 0.3, 0.0), (0.09 * s, 0.08 * s, 0.09 * s))
    return [("stone", union(*stone)), ("light", light)]


register(
    Kind(
        name="stone lantern",
        group="ornament",
        words=("stone lantern", "toro", "japanese lantern", "garden lantern", "ishidoro"),
        parts={"stone": ("stone", "rock", "concrete"), "light": ("lamp",)},
        body=("stone",),
        ranges={"height": (1.1, 2.0), "hex": (0.0, 1.0)},
        integer_params=("hex",),
        build=_stone_lantern,
        ground="embed",
        plural_count=2,
        spacing_m=0.5,
        flags={"base": 1.0, "uneven": 0.2},
    )
)


def _torii(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, h, r = p["width"] / 2, p["height"], p["pillar_r"]
    over = p["overhang"]
    pillars = mirror(cone((hw, -GROUND_M, 0.0), r * 1.12, r * 0.92, h + GROUND_M), "x")
    feet = mirror(cylinder((hw, 0.05, 0.0), r * 1.35, 0.25), "x")
    nuki = box((0.0, h * 0.78, 0.0), (hw + over * 0.7, 0.1, 0.08))
    strut = box((0.0, (h * 0.78 + h) / 2, 0.0), (0.09, (h - h * 0.78) / 2, 0.07))
    shimaki = box((0.0, h + 0.1, 0.0), (hw + over, 0.1, 0.13))
    lintel = box((0.0, h + 0.32, 0.0), (hw + over * 0.7, 0.12, 0.2))
    tip = rotate(
        box((hw + over, h + 0.36, 0.0), (over * 0.45, 0.12, 0.2)), roll_deg=9.0, pivot=(hw + over * 0.6, h + 0.32, 0.0)
    )
    return [("pillars", union(pillars, nuki, strut, shimaki)), ("feet", feet), ("top", union(lintel, mirror(tip, "x")))]


register(
    Kind(
        name="torii gate",
        group="structure",
        words=("torii gate", "torii", "shinto gate", "japanese gate"),
        parts={
            "pillars": ("paint:red", "paint:orange", "stone", "wood"),
            "feet": ("paint:black", "stone"),
            "top": ("paint:black", "dark_wood"),
        },
        body=("pillars",),
        ranges={"width": (2.6, 4.0), "height": (3.2, 4.6), "pillar_r": (0.14, 0.22), "overhang": (0.6, 1.0)},
        build=_torii,
        ground="embed",
        plural_count=3,
        spacing_m=1.0,
        flags={"base": 0.8, "uneven": 0.4},
    )
)


def _pagoda(p: dict[str, float]) -> list[tuple[str, Node]]:
    b, th, n = p["base"] / 2, p["tier_h"], int(p["tiers"])
    y = 0.6
    walls, roofs = [], []
    for k in range(n):
        hw = b * (1.0 - 0.13 * k)
        walls.append(box((0.0, y + th * 0.35, 0.0), (hw, th * 0.36, hw)))
        eave = hw + 0.9
        roofs.append(
            union(
                box((0.0, y + th * 0.74, 0.0), (eave, 0.09, eave)), spire_roof(4, eave, y + th * 0.74, th * 0.45, 45.0)
            )
        )
        y += th
    top = y - th * 0.26 + th * 0.3
    spire = union(
        cylinder((0.0, top + 1.0, 0.0), 0.07, 1.3),
        repeat(torus((0.0, top + 1.0, 0.0), 0.16, 0.04), "y", 0.3, 5),
        sphere((0.0, top + 2.35, 0.0), 0.14),
    )
    base = box((0.0, 0.1, 0.0), (b + 0.7, 0.5, b + 0.7))
    door = box((0.0, 0.6 + th * 0.3, b), (0.5, th * 0.3, 0.06))
    return [("base", base), ("walls", union(*walls)), ("roof", union(*roofs)), ("spire", spire), ("door", door)]


register(
    Kind(
        name="pagoda",
        group="landmark",
        words=("pagoda", "temple tower", "japanese pagoda", "chinese pagoda"),
        parts={
            "base": ("stone",),
            "walls": ("paint:red", "plaster:white", "wood"),
            "roof": ("slate", "roof_tiles:green", "dark_wood"),
            "spire": ("gold", "copper"),
            "door": ("dark_wood",),
        },
        body=("walls",),
        ranges={"base": (4.0, 6.0), "tier_h": (1.9, 2.4), "tiers": (3.0, 5.4)},
        integer_params=("tiers",),
        build=_pagoda,
        plural_count=1,
        spacing_m=2.5,
    )
)


def koi(length: float, at: tuple[float, float, float], yaw_deg: float) -> tuple[Node, Node]:
    """Return (body, fins) of a fish ``length`` long with its belly at ``at``, head towards +z before ``yaw_deg``."""
    x, y, z = at
    cy = y + length * 0.13
    body = ellipsoid((x, cy, z), (length * 0.13, length * 0.14, length * 0.5))
    tail = [
        rotate(
            ellipsoid((x, cy, z - length * 0.58), (0.016, length * 0.14, length * 0.1)),
            pitch_deg=s * 35.0,
            pivot=(x, cy, z - length * 0.48),
        )
        for s in (1.0, -1.0)
    ]
    dorsal = ellipsoid((x, cy + length * 0.13, z - length * 0.05), (0.016, length * 0.06, length * 0.17))
    side = [
        rotate(
            ellipsoid(
                (x + s * length * 0.15, cy - length * 0.06, z + length * 0.12), (length * 0.08, 0.016, length * 0.05)
            ),
            roll_deg=s * 20.0,
            pivot=(x, cy, z),
        )
        for s in (1.0, -1.0)
    ]
    fins = union(*tail, dorsal, *side)
    return rotate(body, yaw_deg=yaw_deg, pivot=at), rotate(fins, yaw_deg=yaw_deg, pivot=at)


def _fish(p: dict[str, float]) -> list[tuple[str, Node]]:
    length = p["length"]
    body, fins = koi(length, (0.0, -0.02, 0.0), 0.0)
    eyes = mirror(sphere((length * 0.085, length * 0.15, length * 0.36), max(0.016, length * 0.03)), "x")
    return [("body", body), ("fins", fins), ("eyes", eyes)]


register(
    Kind(
        name="fish",
        group="fish",
        words=("fish", "koi", "carp", "goldfish", "koi fish", "koi carp", "trout"),
        parts={
            "body": ("paint:orange", "paint:white", "gold", "metal"),
            "fins": ("paint:orange", "paint:white", "paint:red"),
            "eyes": ("paint:black",),
        },
        body=("body",),
        ranges={"length": (0.35, 0.7)},
        build=_fish,
        ground="water",
        plural_count=5,
        spacing_m=0.2,
        flags={"base": 1.0, "uneven": 0.2},
    )
)


def _garden_pond(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    rx, rz = p["length"] / 2, p["length"] / 2 * p["aspect"]
    water = intersect(ellipsoid((0.0, 0.0, 0.0), (rx, 0.45, rz)), box((0.0, -0.2, 0.0), (rx, 0.25, rz)))
    n = max(8, int(math.pi * (rx + rz) / 0.42))
    stones = []
    for k in range(n):
        t = 2 * math.pi * (k + float(rng.uniform(-0.2, 0.2))) / n
        size = float(rng.uniform(0.2, 0.3))
        centre = ((rx + 0.05) * math.cos(t), 0.04, (rz + 0.05) * math.sin(t))
        stones.append(rock_chunk(centre, (size, size * float(rng.uniform(0.55, 0.8)), size * 0.85), rng, 8))
    parts = [
        ("water", water),
        ("stones", union(*stones)),
        ("floor", ellipsoid((0.0, -0.35, 0.0), (rx + 0.2, 0.2, rz + 0.2))),
    ]
    fish_b, fish_f = [], []
    for _ in range(int(p["koi"])):
        a, d = float(rng.uniform(0, 2 * math.pi)), float(rng.uniform(0.2, 0.6))
        b, f = koi(0.4, (rx * d * math.cos(a), -0.02, rz * d * math.sin(a)), float(rng.uniform(0, 360)))
        fish_b.append(b)
        fish_f.append(f)
    if fish_b:
        parts.append(("koi", union(*fish_b, *fish_f)))
    return parts


register(
    Kind(
        name="garden pond",
        group="pond",
        words=(
            "garden pond",
            "koi pond",
            "fishpond",
            "fish pond",
            "lily pond",
            "ornamental pond",
            "pond with stones",
            "stone pond",
            "water feature",
            "pond",
            "duck pond",
            "small pond",
        ),
        parts={
            "water": ("water",),
            "stones": ("stone", "rock", "sandstone"),
            "floor": ("dirt",),
            "koi": ("paint:orange",),
        },
        body=("stones",),
        ranges={"length": (2.6, 4.6), "aspect": (0.6, 0.9), "koi": (0.0, 3.4)},
        integer_params=("koi",),
        build=_garden_pond,
        ground="pad",
        plural_count=1,
        spacing_m=0.8,
        attributes={"frozen": {"parts": {"water": "ice"}}},
    )
)
