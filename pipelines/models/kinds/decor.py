"""Room furnishings: floor lamp, table lamp, rug, potted plant, mirror (the larger pieces are in ``decor_pieces``)."""

from __future__ import annotations

import math

# Furniture's kinds stand before decor's in the catalog (decor once took its legs from there): importing it
# first keeps that order, which plans depend on.
from pipelines.models.kinds import furniture  # noqa: F401
from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.parts import post
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    mirror,
    polar_repeat,
    rotate,
    subtract,
    torus,
    tube,
    union,
)

SHADES = ("cloth:cream", "cloth:white", "cloth:beige", "cloth:green", "cloth:red")


def _floor_lamp(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, sr = p["height"], p["shade"]
    rng = variant_rng(p)
    if rng.random() < 0.35:  # three splayed legs
        leg = capsule((0.0, 0.35, 0.0), (0.2, -0.005, 0.0), 0.014)
        base = union(polar_repeat(leg, 3), cylinder((0.0, 0.35, 0.0), 0.02, 0.03))
    else:
        base = cylinder((0.0, 0.012, 0.0), 0.15 + 0.04 * rng.random(), 0.032)
    pole = cylinder((0.0, (h - 0.25) / 2, 0.0), 0.015, (h - 0.25) / 2)
    shade = cone((0.0, h - 0.32, 0.0), sr, sr * 0.62, 0.32)  # solid: a thin shade would fall between grid cells
    return [
        ("base", union(base, pole)),
        ("shade", shade),
        ("bulb", ellipsoid((0.0, h - 0.32, 0.0), (0.05, 0.04, 0.05))),
    ]


register(
    Kind(
        name="floor lamp",
        group="lamp",
        words=("floor lamp", "standing lamp", "reading lamp", "standard lamp"),
        parts={"base": ("metal", "iron", "copper", "dark_wood"), "shade": SHADES, "bulb": ("lamp",)},
        body=("base",),
        ranges={"height": (1.5, 1.8), "shade": (0.19, 0.26)},
        build=_floor_lamp,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.3,
    )
)


def _table_lamp(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, sr = p["height"], p["shade"]
    rng = variant_rng(p)
    bh = h * 0.55  # the base's height; the shade sits over its top
    if rng.random() < 0.5:  # a round ceramic body
        base = union(
            ellipsoid((0.0, bh * 0.45, 0.0), (bh * 0.32, bh * 0.45, bh * 0.32)),
            cylinder((0.0, 0.005, 0.0), bh * 0.2, 0.015),
        )
    else:  # a candlestick column on a foot
        base = union(cylinder((0.0, 0.01, 0.0), sr * 0.6, 0.02), cylinder((0.0, bh / 2, 0.0), 0.02, bh / 2))
    stem = cylinder((0.0, (bh + h - 0.05) / 2, 0.0), 0.008, (h - 0.05 - bh) / 2)
    sh = h - bh + 0.03
    shade = cone((0.0, h - sh, 0.0), sr, sr * 0.7, sh)
    return [("base", union(base, stem)), ("shade", shade), ("bulb", ellipsoid((0.0, h - sh, 0.0), (0.03, 0.025, 0.03)))]


register(
    Kind(
        name="table lamp",
        group="lamp",
        words=("table lamp", "desk lamp", "bedside lamp", "lamp shade"),
        parts={"base": ("porcelain", "copper", "porcelain:blue", "metal"), "shade": SHADES, "bulb": ("lamp",)},
        body=("base",),
        ranges={"height": (0.4, 0.6), "shade": (0.13, 0.19)},
        build=_table_lamp,
        ground="on",
        where="indoor",
        plural_count=2,
        spacing_m=0.1,
    )
)


def _rug(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd = p["width"] / 2, p["depth"] / 2
    border = 0.06 + 0.1 * variant_rng(p).random()
    # A thick rug, its field 4 mm proud of its border, starting just below the floor: 3 cm in
    # all, so that extraction grids of a few cm still catch it.
    if p.get("round", 0.0) > 0.5:
        r = hd
        return [
            ("border", tube((0.0, 0.005, 0.0), r, border, 0.013)),
            ("field", cylinder((0.0, 0.007, 0.0), r - border + 0.005, 0.015)),
        ]
    return [
        (
            "border",
            subtract(
                box((0.0, 0.005, 0.0), (hw, 0.013, hd), round_m=0.004),
                box((0.0, 0.0, 0.0), (hw - border, 0.1, hd - border)),
            ),
        ),
        ("field", box((0.0, 0.007, 0.0), (hw - border + 0.005, 0.015, hd - border + 0.005), round_m=0.004)),
    ]


register(
    Kind(
        name="rug",
        group="rug",
        words=("rug", "carpet", "mat", "area rug", "doormat"),
        parts={
            "field": ("cloth:red", "cloth:blue", "awning", "cloth:green", "cloth:beige"),
            "border": ("cloth:cream", "cloth:navy", "cloth:ochre", "cloth:maroon"),
        },
        body=("field",),
        ranges={"width": (1.6, 3.0), "depth": (1.2, 2.0)},
        build=_rug,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.0,
        attributes={"round": {"params": {"round": 1.0}}},
    )
)


def _potted_plant(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["pot"]
    rng = variant_rng(p)
    ph = r * 1.6  # the pot's height
    pot = union(cone((0.0, -0.01, 0.0), r * 0.72, r, ph + 0.01), torus((0.0, ph - 0.01, 0.0), r, 0.018))
    pot = subtract(pot, cylinder((0.0, ph, 0.0), r - 0.02, 0.04))
    soil = cylinder((0.0, ph - 0.03, 0.0), r - 0.02, 0.015)
    style = int(rng.integers(0, 3))
    stem = None
    if style == 0:  # a leafy bush: a few overlapping blobs
        blobs = []
        for _ in range(6):
            a, d = rng.uniform(0, 2 * math.pi), rng.uniform(0.0, 0.5)
            size = (h - ph) * rng.uniform(0.28, 0.4)
            y = ph + (h - ph) * rng.uniform(0.35, 0.65)
            blobs.append(ellipsoid((d * size * math.cos(a), y, d * size * math.sin(a)), (size, size * 0.85, size)))
        leaves = union(*blobs)
    elif style == 1:  # long upright leaves (a snake plant, a yucca)
        n = 5 + int(rng.integers(0, 4))
        leaf = capsule((0.03, ph, 0.0), ((h - ph) * 0.18 + 0.03, h - 0.03, 0.0), 0.025)
        leaves = union(polar_repeat(leaf, n), capsule((0.0, ph, 0.0), (0.0, h - 0.03, 0.0), 0.025))
    else:  # a small tree: a stem and a crown
        cr = (h - ph) * 0.32
        stem = capsule((0.0, ph - 0.02, 0.0), (0.0, h - cr, 0.0), 0.018)
        leaves = union(
            ellipsoid((0.0, h - cr, 0.0), (cr, cr * 0.95, cr)),
            ellipsoid((cr * 0.45, h - cr * 1.3, cr * 0.2), (cr * 0.7, cr * 0.6, cr * 0.7)),
        )
    parts = [("pot", pot), ("soil", soil), ("leaves", leaves)]
    if stem is not None:
        parts.append(("stem", stem))
    return parts


register(
    Kind(
        name="potted plant",
        group="plant",
        words=(
            "potted plant",
            "houseplant",
            "house plant",
            "plant pot",
            "flowerpot",
            "flower pot",
            "pot plant",
            "indoor plant",
        ),
        parts={
            "pot": ("terracotta", "porcelain", "porcelain:blue", "paint:white"),
            "soil": ("dirt",),
            "leaves": ("leaves", "bush", "leaves:olive"),
            "stem": ("bark",),
        },
        body=("pot",),
        ranges={"height": (0.5, 1.4), "pot": (0.12, 0.2)},
        build=_potted_plant,
        ground="floor",
        where="any",
        plural_count=3,
        spacing_m=0.15,
    )
)


def _mirror(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, hw = p["height"], p["width"] / 2
    mh = h - 0.35  # the glass's height; it swings between two uprights
    cy = 0.3 + mh / 2
    frame_outer = box((0.0, cy, 0.0), (hw, mh / 2, 0.025), round_m=0.02)
    frame = subtract(frame_outer, box((0.0, cy, 0.0), (hw - 0.05, mh / 2 - 0.05, 0.05)))
    glass = box((0.0, cy, 0.0), (hw - 0.045, mh / 2 - 0.045, 0.012))
    tilt = -6.0  # leaning back a little, about the pivots
    frame = rotate(frame, pitch_deg=tilt, pivot=(0.0, cy, 0.0))
    glass = rotate(glass, pitch_deg=tilt, pivot=(0.0, cy, 0.0))
    stand = union(
        mirror(post(hw + 0.04, 0.0, cy + 0.25, 0.025), "x"),
        mirror(box((hw + 0.04, 0.02, 0.0), (0.03, 0.035, 0.22), round_m=0.02), "x"),
        mirror(cylinder((hw + 0.012, cy, 0.0), 0.02, 0.025, axis="x"), "x"),
    )
    return [("frame", union(frame, stand)), ("glass", glass)]


register(
    Kind(
        name="mirror",
        group="mirror",
        words=("mirror", "standing mirror", "cheval mirror", "full length mirror", "looking glass"),
        parts={"frame": ("dark_wood", "wood", "gold"), "glass": ("mirror",)},
        body=("frame",),
        ranges={"height": (1.5, 1.8), "width": (0.5, 0.7)},
        build=_mirror,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.3,
    )
)
