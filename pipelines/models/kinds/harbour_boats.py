"""Boats and moorings: ship, canoe, mooring post, fish crate."""

from __future__ import annotations

from pipelines.models.kinds.base import FLOOR_M, Kind, register, variant_rng
from pipelines.models.kinds.harbour import lens
from pipelines.models.kinds.parts import standing_cylinder
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cylinder,
    ellipsoid,
    intersect,
    mirror,
    repeat,
    rotate,
    sphere,
    subtract,
    torus,
    translate,
    union,
)


def _ship(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hw, fb = p["length"] / 2, p["beam"] / 2, p["freeboard"]
    rng = variant_rng(p)
    wrecked = p["wrecked"] > 0.5
    draft = 1.4
    mid = (fb - draft) / 2
    keel = ellipsoid((0.0, fb, 0.0), (hw * 1.25, fb + draft, hl * 1.05))
    shape = intersect(lens(hw, hl, mid, (fb + draft) / 2), keel)
    hull = subtract(
        intersect(shape, box((0.0, mid, 0.1), (hw, (fb + draft) / 2, hl - 0.1))),
        box((0.0, fb + 1.0, 0.0), (hw - 0.25, 1.0, hl * 0.7)),
    )  # a bulwark around the deck
    stern = intersect(lens(hw, hl, fb + 1.2, 1.2), box((0.0, fb + 1.2, -hl * 0.82), (hw, 1.2, hl * 0.2)))
    masts_n = int(p["masts"])
    xs = [hl * 0.45 - k * hl * 0.9 / max(1, masts_n - 1) for k in range(masts_n)] if masts_n > 1 else [0.1 * hl]
    mast_h = p["length"] * 0.8
    masts, yards, sails = [], [], []
    for k, z in enumerate(xs):
        mh = mast_h * (1.0 if k == len(xs) // 2 else 0.85)
        if wrecked:
            mh *= float(rng.uniform(0.25, 0.55))
        masts.append(cylinder((0.0, fb + mh / 2 - 0.5, z), 0.2, mh / 2 + 0.5))
        if wrecked:
            continue
        for j, (lo, hi) in enumerate(((0.35, 0.65), (0.68, 0.92))):
            sw = hw * (1.5 - 0.4 * j)
            y0, y1 = fb + mh * lo, fb + mh * hi
            yards.append(cylinder((0.0, y1, z + 0.3), 0.15, sw + 0.3, axis="x"))
            sails.append(
                rotate(
                    box((0.0, (y0 + y1) / 2, z + 0.5), (sw, (y1 - y0) / 2 - 0.05, 0.12)),
                    pitch_deg=6.0,
                    pivot=(0.0, y1, z + 0.3),
                )
            )
    parts = [
        ("hull", hull),
        ("deck", intersect(lens(hw - 0.2, hl - 0.3, fb - 0.1, 0.12), box((0.0, fb, 0.0), (hw, 0.2, hl * 0.95)))),
        ("castle", stern),
        ("masts", union(*masts, capsule((0.0, fb + 0.2, hl * 0.85), (0.0, fb + 2.6, hl * 1.2), 0.15))),
    ]
    if sails:
        parts += [("yards", union(*yards)), ("sails", union(*sails))]
    if wrecked:  # listing, a stove-in side and a broken spar on the deck
        parts = [
            (n, subtract(s, ellipsoid((hw, 0.1, hl * 0.2), (0.6, 0.9, 1.4))) if n == "hull" else s) for n, s in parts
        ]
        parts.append(("spar", capsule((-hw * 0.5, fb + 0.3, -hl * 0.3), (hw * 0.8, fb + 0.9, hl * 0.3), 0.15)))
        parts = [(n, rotate(s, roll_deg=float(rng.uniform(8.0, 14.0)), pivot=(0.0, 0.0, 0.0))) for n, s in parts]
    return parts


register(
    Kind(
        name="ship",
        group="boat",
        words=(
            "ship",
            "sailing ship",
            "galleon",
            "schooner",
            "vessel",
            "tall ship",
            "frigate",
            "caravel",
            "brig",
            "pirate ship",
            "merchant ship",
        ),
        parts={
            "hull": ("dark_wood", "wood", "paint:black"),
            "deck": ("boards",),
            "castle": ("dark_wood", "wood"),
            "masts": ("wood",),
            "yards": ("wood",),
            "sails": ("canvas", "cloth:cream", "cloth:red"),
            "spar": ("wood",),
        },
        body=("hull",),
        ranges={
            "length": (14.0, 22.0),
            "beam": (4.0, 6.0),
            "freeboard": (1.6, 2.3),
            "masts": (2.0, 3.0),
            "wrecked": (0.0, 0.0),
        },
        integer_params=("masts",),
        build=_ship,
        ground="water",
        plural_count=2,
        spacing_m=3.0,
        attributes={"broken": {"params": {"wrecked": 1.0}}},
    )
)


def _canoe(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hw, d = p["length"] / 2, p["beam"] / 2, p["depth"]
    rocker = ellipsoid((0.0, d + 0.1, 0.0), (hw * 1.6, d + 0.2, hl))  # the ends sweep up
    outer = intersect(lens(hw, hl, d / 2 - 0.05, d / 2 + 0.05), rocker)
    inner = intersect(
        lens(hw - 0.04, hl - 0.2, d / 2 + 0.1, d / 2 + 0.1),
        ellipsoid((0.0, d + 0.1, 0.0), (hw * 1.6 - 0.04, d + 0.16, hl - 0.1)),
    )
    if p["kayak"] > 0.5:  # a closed deck with one cockpit
        deck = intersect(lens(hw, hl, d - 0.02, 0.04), rocker)
        cockpit = ellipsoid((0.0, d, 0.0), (hw * 0.55, 0.3, 0.45))
        return [
            ("hull", union(subtract(outer, inner), subtract(deck, cockpit))),
            ("trim", subtract(ellipsoid((0.0, d + 0.02, 0.0), (hw * 0.65, 0.06, 0.55)), cockpit)),
            ("paddle", capsule((-0.5, d + 0.12, 0.7), (0.6, d + 0.1, 0.65), 0.025)),
        ]
    return [
        ("hull", subtract(outer, inner)),
        ("trim", mirror(box((0.0, d - 0.12, hl * 0.35), (hw - 0.03, 0.03, 0.06)), "z")),
        (
            "paddle",
            union(
                capsule((0.0, 0.15, -hl * 0.5), (0.05, 0.2, hl * 0.2), 0.025),
                box((0.05, 0.2, hl * 0.3), (0.08, 0.02, 0.22)),
            ),
        ),
    ]


register(
    Kind(
        name="canoe",
        group="boat",
        words=("canoe", "kayak", "dugout", "dugout canoe", "pirogue"),
        parts={
            "hull": ("wood", "paint:red", "paint:green", "paint:yellow"),
            "trim": ("dark_wood", "wood"),
            "paddle": ("wood",),
        },
        body=("hull",),
        ranges={"length": (3.8, 5.2), "beam": (0.75, 0.92), "depth": (0.36, 0.46), "kayak": (0.0, 1.0)},
        integer_params=("kayak",),
        build=_canoe,
        ground="water",
        plural_count=3,
        spacing_m=1.0,
        attributes={"kayak": {"params": {"kayak": 1.0}}},
    )
)


def _mooring(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["radius"]
    if p["iron"] > 0.5:  # a cast-iron bollard with a flared head
        h = h * 0.5
        return [
            (
                "post",
                union(
                    cylinder((0.0, (h - 0.2) / 2, 0.0), r, (h + 0.2) / 2), cylinder((0.0, 0.04, 0.0), r + 0.08, 0.06)
                ),
            ),
            (
                "cap",
                union(
                    ellipsoid((0.0, h + 0.04, 0.0), (r + 0.07, 0.1, r + 0.07)),
                    cylinder((0.0, h - 0.12, 0.0), r + 0.03, 0.05),
                ),
            ),
        ]
    return [
        ("post", union(standing_cylinder(0.0, 0.0, h, r, below=0.3), sphere((0.0, h - 0.05, 0.0), r * 0.95))),
        ("cap", union(torus((0.0, h - 0.35, 0.0), r + 0.02, 0.04), torus((0.0, h - 0.45, 0.0), r + 0.02, 0.04))),
    ]


register(
    Kind(
        name="mooring post",
        group="waterfront",
        words=("mooring post", "mooring bollard", "piling", "pile post", "mooring", "bitt", "dock post"),
        parts={"post": ("dark_wood", "wood", "iron", "paint:black"), "cap": ("rope", "iron")},
        body=("post",),
        ranges={"height": (1.1, 1.7), "radius": (0.14, 0.2), "iron": (0.0, 1.0)},
        integer_params=("iron",),
        build=_mooring,
        ground="floor",
        plural_count=4,
        spacing_m=0.8,
    )
)


def _fish_crate(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    rng = variant_rng(p)
    crate = subtract(
        box((0.0, h / 2 - FLOOR_M / 2, 0.0), (hw, h / 2 + FLOOR_M / 2, hd)),
        box((0.0, h / 2 + 0.05, 0.0), (hw - 0.025, h / 2, hd - 0.025)),
        mirror(repeat(box((0.0, h * 0.5, hd), (hw - 0.06, 0.02, 0.05)), "y", h * 0.35, 2), "z"),
    )
    fish = [
        rotate(ellipsoid((0.0, h - 0.05, 0.0), (0.05, 0.04, 0.17)), yaw_deg=float(a), pivot=(0.0, 0.0, 0.0))
        for a in rng.uniform(0, 180, 6)
    ]
    fish = [
        translate(f, (float(x), 0.0, float(z)))
        for f, x, z in zip(fish, rng.uniform(-hw + 0.15, hw - 0.15, 6), rng.uniform(-hd + 0.15, hd - 0.15, 6))
    ]
    return [("crate", crate), ("fish", union(*fish)), ("ice", box((0.0, h - 0.1, 0.0), (hw - 0.03, 0.04, hd - 0.03)))]


register(
    Kind(
        name="fish crate",
        group="storage",
        words=("fish crate", "fish box", "catch crate"),
        parts={"crate": ("wood", "paint:blue", "boards"), "fish": ("metal", "paint:silver"), "ice": ("ice",)},
        body=("crate",),
        ranges={"width": (0.6, 0.8), "depth": (0.4, 0.5), "height": (0.25, 0.32)},
        build=_fish_crate,
        ground="floor",
        where="any",
        plural_count=4,
        spacing_m=0.3,
        flags={"stackable": 1.0},
    )
)
