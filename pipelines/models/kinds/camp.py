"""Camp kinds: campfire, log seat, bedroll, cauldron, firewood pile, lean-to."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import FLOOR_M, Kind, register, variant_rng
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    intersect,
    mirror,
    polar_repeat,
    repeat,
    rotate,
    sphere,
    subtract,
    torus,
    union,
)


def _campfire(p: dict[str, float]) -> list[tuple[str, Node]]:
    r = p["radius"]
    rng = variant_rng(p)
    n = int(p["stones"])
    stones = polar_repeat(ellipsoid((r, 0.07, 0.0), (0.13, 0.12, 0.16 * 6.5 / n + 0.04)), n)
    logs = polar_repeat(capsule((r * 0.7, 0.06, 0.0), (0.06, r * 0.95, 0.0), 0.055), int(p["logs"]))
    flames = [cone((0.0, 0.05, 0.0), r * 0.42, 0.02, r * 1.5)]
    for a in rng.uniform(0.0, 2 * math.pi, 3):  # tongues of flame around the main one
        x, z = math.cos(a) * r * 0.25, math.sin(a) * r * 0.25
        flames.append(cone((x, 0.05, z), r * 0.22, 0.01, r * float(rng.uniform(0.7, 1.1))))
    return [
        ("stones", stones),
        ("ash", ellipsoid((0.0, 0.0, 0.0), (r * 0.85, 0.06, r * 0.85))),
        ("logs", logs),
        ("flame", union(*flames)),
    ]


register(
    Kind(
        name="campfire",
        group="fire",
        words=("campfire", "camp fire", "bonfire", "fire pit", "firepit", "cooking fire", "fire ring"),
        parts={
            "stones": ("stone", "rock"),
            "ash": ("dirt:black", "dirt:gray"),
            "logs": ("log", "bark"),
            "flame": ("flame", "flame:orange"),
        },
        body=("stones",),
        ranges={"radius": (0.45, 0.7), "stones": (8.0, 11.0), "logs": (4.0, 6.0)},
        integer_params=("stones", "logs"),
        build=_campfire,
        ground="floor",
        plural_count=1,
        spacing_m=1.5,
    )
)


def _log_seat(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, r = p["length"] / 2, p["radius"]
    rng = variant_rng(p)
    y = r - 0.04
    log = cylinder((0.0, y, 0.0), r, hl - 0.02, axis="x")
    if p["flat"] > 0.5:  # the top is hewn flat to sit on
        log = intersect(log, box((0.0, y - 0.1, 0.0), (hl, r * 0.7 + 0.1, r)))
    stub_x = float(rng.uniform(-hl * 0.6, hl * 0.6))
    stub = capsule((stub_x, y, -r * 0.8), (stub_x + 0.1, y + 0.15, -r - 0.15), 0.045)
    return [
        ("log", union(log, stub)),
        (
            "ends",
            mirror(
                intersect(
                    cylinder((hl - 0.015, y, 0.0), r - 0.02, 0.02, axis="x"),
                    box((hl - 0.015, y - 0.1, 0.0), (0.03, r * 0.7 + 0.1, r))
                    if p["flat"] > 0.5
                    else cylinder((hl - 0.015, y, 0.0), r, 0.03, axis="x"),
                ),
                "x",
            ),
        ),
    ]


register(
    Kind(
        name="log seat",
        group="seat",
        words=("log seat", "log bench", "sitting log", "seat log", "log stool"),
        parts={"log": ("bark", "log"), "ends": ("wood",)},
        body=("log",),
        ranges={"length": (1.4, 2.4), "radius": (0.17, 0.24), "flat": (0.0, 1.0)},
        integer_params=("flat",),
        build=_log_seat,
        ground="floor",
        where="any",
        plural_count=3,
        spacing_m=0.4,
    )
)


def _bedroll(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hl = p["width"] / 2, p["length"] / 2
    if p["rolled"] > 0.5:  # rolled up and strapped
        r = 0.16
        return [
            ("roll", cylinder((0.0, r - FLOOR_M, 0.0), r, hw, axis="x")),
            ("straps", mirror(torus((hw * 0.55, r - FLOOR_M, 0.0), r + 0.005, 0.025, axis="x"), "x")),
        ]
    return [
        (
            "roll",
            union(
                box((0.0, 0.045 - FLOOR_M / 2, 0.1), (hw, 0.045 + FLOOR_M / 2, hl - 0.1), round_m=0.03),
                cylinder((0.0, 0.11, -hl + 0.12), 0.13, hw, axis="x"),
            ),
        ),
        ("straps", box((0.0, 0.095, hl * 0.3), (hw - 0.04, 0.02, hl * 0.55), round_m=0.015)),
    ]


register(
    Kind(
        name="bedroll",
        group="bedding",
        words=("bedroll", "sleeping bag", "bed roll", "sleeping mat", "bedding roll"),
        parts={"roll": ("cloth:green", "cloth:brown", "cloth:red", "canvas"), "straps": ("cloth:brown", "cloth:tan")},
        body=("roll",),
        ranges={"width": (0.7, 0.85), "length": (1.9, 2.1), "rolled": (0.0, 1.0)},
        integer_params=("rolled",),
        build=_bedroll,
        ground="floor",
        where="any",
        plural_count=3,
        spacing_m=0.3,
    )
)


def _cauldron(p: dict[str, float]) -> list[tuple[str, Node]]:
    r = p["radius"]
    tripod = p["tripod"] > 0.5
    cy = (0.55 if tripod else 0.16) + r * 0.9
    pot = subtract(
        sphere((0.0, cy, 0.0), r),
        sphere((0.0, cy, 0.0), r - 0.04),
        box((0.0, cy + r * 0.8, 0.0), (r + 0.1, r * 0.4, r + 0.1)),
    )
    rim_y = cy + r * 0.4
    rim_r = math.sqrt(r * r - (r * 0.4) ** 2)
    parts = [
        ("pot", union(pot, torus((0.0, rim_y, 0.0), rim_r - 0.01, 0.035))),
        ("contents", cylinder((0.0, rim_y - 0.08, 0.0), rim_r - 0.03, 0.03)),
    ]
    if tripod:  # hung from a tripod of poles over the fire
        top = 1.25 + r * 1.6
        legs = polar_repeat(capsule((r + 0.6, -0.1, 0.0), (0.04, top, 0.0), 0.04), 3)
        parts.append(("tripod", legs))
        parts.append(
            (
                "chain",
                union(
                    cylinder((0.0, (rim_y + top) / 2 + 0.1, 0.0), 0.02, (top - rim_y) / 2 - 0.1),
                    torus((0.0, rim_y + 0.1, 0.0), rim_r - 0.05, 0.02, axis="z"),
                ),
            )
        )
    else:  # standing on three stub feet
        parts.append(("feet", polar_repeat(capsule((r * 0.5, cy - r * 0.8, 0.0), (r * 0.6, -FLOOR_M, 0.0), 0.04), 3)))
    return parts


register(
    Kind(
        name="cauldron",
        group="container",
        words=("cauldron", "cooking pot", "kettle over fire", "witch cauldron", "stew pot", "pot over fire"),
        parts={
            "pot": ("iron", "copper", "rust"),
            "contents": ("water:green", "paint:brown", "water"),
            "tripod": ("wood", "dark_wood"),
            "chain": ("iron",),
            "feet": ("iron",),
        },
        body=("pot",),
        ranges={"radius": (0.3, 0.45), "tripod": (0.0, 1.0)},
        integer_params=("tripod",),
        build=_cauldron,
        ground="floor",
        where="any",
        plural_count=1,
        spacing_m=0.6,
    )
)


def _woodpile(p: dict[str, float]) -> list[tuple[str, Node]]:
    r, hl = p["log_r"], p["length"] / 2
    rng = variant_rng(p)
    rows = int(p["rows"])
    logs = []
    for k in range(rows):  # each row nests in the hollows of the one below
        n = rows + 1 - k
        dz = float(rng.uniform(-0.06, 0.06))
        logs.append(repeat(cylinder((0.0, r - 0.02 + k * r * 1.72, dz), r, hl, axis="z"), "x", 2 * r, n))
    parts = [("logs", union(*logs))]
    if p["block"] > 0.5:  # a chopping block with an axe beside the pile
        x = (rows + 1) * r + 0.45
        parts.append(("block", cylinder((x, 0.2, hl * 0.3), 0.24, 0.22)))
        parts.append(
            (
                "axe",
                union(
                    capsule((x - 0.05, 0.42, hl * 0.3), (x + 0.25, 0.85, hl * 0.3), 0.025),
                    box((x - 0.05, 0.5, hl * 0.3), (0.09, 0.07, 0.025)),
                ),
            )
        )
    return parts


register(
    Kind(
        name="firewood pile",
        group="storage",
        words=("firewood pile", "firewood", "woodpile", "wood pile", "log pile", "stack of firewood", "cordwood"),
        parts={"logs": ("log", "bark", "wood"), "block": ("bark", "wood"), "axe": ("iron", "wood")},
        body=("logs",),
        ranges={"log_r": (0.07, 0.1), "length": (0.5, 0.9), "rows": (3.0, 5.0), "block": (0.0, 1.0)},
        integer_params=("rows", "block"),
        build=_woodpile,
        ground="floor",
        where="any",
        plural_count=2,
        spacing_m=0.4,
        flags={"stackable": 1.0},
    )
)


def _lean_to(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    length = math.hypot(2 * hd, h)
    slope = math.degrees(math.atan2(h, 2 * hd))
    roof = rotate(box((0.0, h / 2, 0.0), (hw, 0.05, length / 2)), pitch_deg=-slope, pivot=(0.0, h / 2, 0.0))
    posts = mirror(cylinder((hw - 0.1, (h - 0.25) / 2, hd - 0.05), 0.06, (h + 0.25) / 2), "x")
    parts = [
        ("roof", roof),
        ("frame", union(posts, cylinder((0.0, h + 0.02, hd - 0.05), 0.07, hw + 0.15, axis="x"))),
    ]
    if p["sides"] > 0.5:  # closed ends: a triangle of the same cover on each side
        side = intersect(
            box((hw - 0.03, h / 2, 0.0), (0.04, h / 2, hd)),
            rotate(box((hw, h / 2 - 3.0, 0.0), (hw, 3.0, length)), pitch_deg=-slope, pivot=(0.0, h / 2, 0.0)),
        )
        parts.append(("sides", mirror(side, "x")))
    return parts


register(
    Kind(
        name="lean-to",
        group="building",
        words=("lean-to", "lean-to shelter", "shelter", "tarp shelter", "brush shelter"),
        parts={
            "roof": ("canvas", "cloth:green", "thatch", "cloth:tan"),
            "frame": ("wood", "bark"),
            "sides": ("canvas", "cloth:green", "thatch"),
        },
        body=("roof",),
        ranges={"width": (2.4, 3.4), "depth": (1.8, 2.4), "height": (1.5, 2.0), "sides": (0.0, 1.0)},
        integer_params=("sides",),
        build=_lean_to,
        plural_count=2,
        spacing_m=1.2,
    )
)
