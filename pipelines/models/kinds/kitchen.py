"""Kitchen and bathroom fixtures: bathtub, toilet, sink, kitchen counter, kitchen stove, fridge."""

from __future__ import annotations

from pipelines.models.kinds.base import FLOOR_M, Kind, register, variant_rng
from pipelines.models.kinds.home import GROOVE_M, case_front
from pipelines.models.kinds.parts import at_corners, legs4, standing_box
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    intersect,
    mirror,
    repeat,
    subtract,
    torus,
    union,
)


def _faucet(x: float, y: float, z: float, reach: float, axis: str = "z") -> Node:
    """Return a tap rising from (x, y, z) and bending ``reach`` m along +``axis``."""
    top = y + 0.14
    end = (x, top, z + reach) if axis == "z" else (x + reach, top, z)
    spout = capsule((x, y - 0.01, z), (x, top, z), 0.014)
    return union(spout, capsule((x, top, z), end, 0.012), cylinder((x, y + 0.005, z), 0.03, 0.012))


def _bathtub(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hw, h = p["length"] / 2, p["width"] / 2, p["height"]
    rng = variant_rng(p)
    if rng.random() < 0.45:  # a free-standing roll-top tub on four feet
        y0 = 0.15
        shell = box((0.0, (y0 + h) / 2, 0.0), (hl, (h - y0) / 2, hw), round_m=0.14)
        feet = legs4(hl - 0.16, hw - 0.11, y0 + 0.03, 0.035, turned=True)
        body = subtract(shell, box((0.0, h, 0.0), (hl - 0.05, h - y0 - 0.08, hw - 0.05), round_m=0.12))
        parts = [("tub", body), ("feet", feet)]
    else:  # built in: a panelled box against the wall
        y0 = 0.0
        body = standing_box(0.0, 0.0, h, hl, hw, round_m=0.02)
        body = subtract(body, box((0.0, h, 0.0), (hl - 0.08, h - 0.15, hw - 0.08), round_m=0.12))
        parts = [("tub", body)]
    parts.append(("faucet", _faucet(-hl + 0.06, h, 0.0, 0.12, axis="x")))
    if rng.random() < 0.5:
        parts.append(("water", box((0.0, h - 0.14, 0.0), (hl - 0.07, 0.02, hw - 0.07), round_m=0.015)))
    return parts


register(
    Kind(
        name="bathtub",
        group="bath",
        words=("bathtub", "bath", "tub", "bath tub", "clawfoot tub"),
        parts={
            "tub": ("porcelain", "porcelain:cream", "marble"),
            "feet": ("gold", "iron", "copper"),
            "faucet": ("metal", "copper"),
            "water": ("water",),
        },
        body=("tub",),
        ranges={"length": (1.5, 1.8), "width": (0.7, 0.8), "height": (0.55, 0.62)},
        build=_bathtub,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.4,
        flags={"against_wall": 1.0},
    )
)


def _toilet(p: dict[str, float]) -> list[tuple[str, Node]]:
    d, sh = p["depth"], p["seat_h"]
    zb = d / 2 - 0.25  # the bowl's centre; the tank stands at the back
    pedestal = standing_box(0.0, zb - 0.02, sh - 0.12, 0.12, 0.18, round_m=0.06)
    bowl = intersect(ellipsoid((0.0, sh - 0.12, zb), (0.19, 0.2, 0.25)), box((0.0, sh - 0.11, zb), (0.2, 0.1, 0.26)))
    bowl = subtract(bowl, ellipsoid((0.0, sh - 0.01, zb + 0.02), (0.13, 0.16, 0.18)))
    seat = subtract(
        intersect(ellipsoid((0.0, sh, zb), (0.2, 0.03, 0.26)), box((0.0, sh, zb), (0.21, 0.02, 0.27))),
        ellipsoid((0.0, sh, zb + 0.02), (0.12, 0.05, 0.17)),
    )
    tz = -d / 2 + 0.1
    tank = box((0.0, sh + 0.18, tz), (0.2, 0.2, 0.09), round_m=0.02)
    lid = box((0.0, sh + 0.38, tz), (0.21, 0.018, 0.1), round_m=0.01)
    if variant_rng(p).random() < 0.5:  # the seat lid down
        seat = union(
            seat,
            intersect(
                ellipsoid((0.0, sh + 0.03, zb), (0.2, 0.025, 0.26)), box((0.0, sh + 0.035, zb), (0.21, 0.02, 0.27))
            ),
        )
    else:  # the lid up, against the tank
        seat = union(seat, box((0.0, sh + 0.22, tz + 0.12), (0.18, 0.2, 0.015), round_m=0.012))
    handle = box((-0.13, sh + 0.3, tz + 0.095), (0.035, 0.012, 0.012))
    return [("porcelain", union(pedestal, bowl, tank)), ("seat", union(seat, lid)), ("handle", handle)]


register(
    Kind(
        name="toilet",
        group="toilet",
        words=("toilet", "water closet", "wc", "loo"),
        parts={
            "porcelain": ("porcelain", "porcelain:cream"),
            "seat": ("porcelain", "wood", "plastic:black"),
            "handle": ("metal", "copper"),
        },
        body=("porcelain",),
        ranges={"depth": (0.65, 0.72), "seat_h": (0.4, 0.44)},
        build=_toilet,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.3,
        flags={"against_wall": 1.0},
    )
)


def _sink(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    bowl = ellipsoid((0.0, h, 0.03), (hw - 0.07, 0.12, hd - 0.08))
    if variant_rng(p).random() < 0.5:  # a pedestal basin
        basin = subtract(box((0.0, h - 0.08, 0.0), (hw, 0.08, hd), round_m=0.04), bowl)
        stand = union(
            cone((0.0, -FLOOR_M, -0.03), 0.14, 0.09, h - 0.14 + FLOOR_M), cylinder((0.0, 0.0, -0.03), 0.16, 0.02)
        )
    else:  # a basin set into a vanity cabinet
        doors, knobs = case_front(hw, hd, 0.1, h - 0.04, 1, 2, 0.8)
        stand = union(
            subtract(doors, bowl),
            knobs,
            standing_box(0.0, -0.03, 0.1, hw - 0.03, hd - 0.03),
        )
        basin = subtract(box((0.0, h - 0.02, 0.0), (hw + 0.01, 0.025, hd + 0.01), round_m=0.01), bowl)
    return [("basin", basin), ("stand", stand), ("faucet", _faucet(0.0, h, -hd + 0.06, 0.12))]


register(
    Kind(
        name="sink",
        group="sink",
        words=("sink", "washbasin", "wash basin", "basin sink", "bathroom sink", "vanity", "lavabo"),
        parts={
            "basin": ("porcelain", "marble"),
            "stand": ("porcelain", "wood", "paint:white"),
            "faucet": ("metal", "copper"),
        },
        body=("basin",),
        ranges={"width": (0.5, 0.8), "depth": (0.42, 0.52), "height": (0.82, 0.88)},
        build=_sink,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.3,
        flags={"against_wall": 1.0},
    )
)


def _counter(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["length"] / 2, p["depth"] / 2, p["height"]
    rng = variant_rng(p)
    doors = max(2, round(2 * hw / 0.5))
    cab, knobs = case_front(hw - 0.01, hd - 0.03, 0.1, h - 0.04, 1, doors, 0.85)
    cab = subtract(cab, box((0.0, h - 0.2, hd - 0.03), (hw - 0.03, 0.006, GROOVE_M)))  # drawers along the top
    kick = standing_box(0.0, -0.06, 0.1, hw - 0.01, hd - 0.06)
    top = box((0.0, h - 0.02, 0.0), (hw, 0.022, hd), round_m=0.006)
    parts = [("cabinets", union(cab, kick)), ("handles", knobs)]
    if rng.random() < 0.5:  # a sink let into the top, and its tap
        sx = float(rng.uniform(-0.4, 0.4)) * (hw - 0.35)
        top = subtract(top, box((sx, h, 0.02), (0.25, 0.1, hd - 0.12), round_m=0.03))
        parts.append(("faucet", _faucet(sx, h, -hd + 0.07, 0.15)))
    if rng.random() < 0.5:  # a tiled splashback
        parts.append(("splashback", box((0.0, h + 0.25, -hd + 0.01), (hw, 0.25, 0.015))))
    return [("top", top)] + parts


register(
    Kind(
        name="kitchen counter",
        group="kitchen",
        words=("kitchen counter", "countertop", "worktop", "kitchen cabinets", "kitchen unit", "kitchen island"),
        parts={
            "cabinets": ("paint:white", "wood", "paint:green", "paint:blue", "paint:cream"),
            "top": ("marble", "wood", "stone", "concrete"),
            "handles": ("metal", "copper"),
            "faucet": ("metal", "copper"),
            "splashback": ("slate", "porcelain", "roof_tiles"),
        },
        body=("cabinets",),
        ranges={"length": (1.6, 3.0), "depth": (0.6, 0.66), "height": (0.88, 0.93)},
        build=_counter,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.3,
        flags={"surface": 1.0, "against_wall": 1.0},
    )
)


def _stove(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    if variant_rng(p).random() < 0.3:  # a cast-iron wood stove on legs, its pipe going up
        body = box((0.0, 0.2 + (h - 0.2) / 2, 0.0), (hw, (h - 0.2) / 2, hd), round_m=0.02)
        body = subtract(body, box((-hw * 0.3, 0.2 + (h - 0.2) * 0.45, hd), (hw * 0.4, (h - 0.2) * 0.25, 0.02)))
        fire = box((-hw * 0.3, 0.2 + (h - 0.2) * 0.45, hd - 0.03), (hw * 0.38, (h - 0.2) * 0.23, 0.02))
        pipe = cylinder((hw * 0.4, h + 0.6, -hd * 0.4), 0.07, 0.6)
        return [
            ("body", union(body, legs4(hw - 0.06, hd - 0.06, 0.2, 0.035), pipe)),
            ("burners", mirror(cylinder((hw * 0.5, h + 0.005, hd * 0.3), 0.09, 0.012), "x")),
            ("glass", fire),
        ]
    oven_top = h - 0.22
    body = standing_box(0.0, 0.0, h, hw, hd, round_m=0.01)
    door = box((0.0, (0.1 + oven_top) / 2, hd), (hw - 0.03, (oven_top - 0.1) / 2, 0.008))
    body = subtract(
        body, subtract(door, box((0.0, (0.1 + oven_top) / 2, hd), (hw - 0.04, (oven_top - 0.1) / 2 - 0.01, 0.02)))
    )
    window = box((0.0, (0.1 + oven_top) / 2 + 0.02, hd - 0.004), (hw * 0.6, (oven_top - 0.1) * 0.28, 0.01))
    handle = cylinder((0.0, oven_top - 0.05, hd + 0.04), 0.012, hw * 0.7, axis="x")
    knobs = repeat(cylinder((0.0, h - 0.11, hd + 0.012), 0.02, 0.014, axis="z"), "x", (2 * hw - 0.2) / 3, 4)
    burners = at_corners(torus((hw * 0.5, h + 0.006, hd * 0.45), 0.075, 0.012))
    back = box((0.0, h + 0.08, -hd + 0.03), (hw, 0.08, 0.03))
    return [("body", union(body, back)), ("burners", burners), ("glass", window), ("handles", union(handle, knobs))]


register(
    Kind(
        name="kitchen stove",
        group="stove",
        words=("kitchen stove", "stove", "oven", "cooker", "cooking range", "wood stove", "cookstove"),
        parts={
            "body": ("paint:white", "metal", "iron", "paint:cream"),
            "burners": ("iron",),
            "glass": ("glass:black", "flame"),
            "handles": ("metal", "iron"),
        },
        body=("body",),
        ranges={"width": (0.6, 0.9), "depth": (0.6, 0.66), "height": (0.86, 0.92)},
        build=_stove,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.3,
        flags={"against_wall": 1.0, "surface": 1.0},
    )
)


def _fridge(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    rng = variant_rng(p)
    retro = rng.random() < 0.3
    body = standing_box(0.0, 0.0, h, hw, hd, round_m=0.09 if retro else 0.015)
    split = h * (0.68 if rng.random() < 0.6 else 0.32)  # a freezer door above or below
    body = subtract(body, box((0.0, split, hd), (hw, 0.006, GROOVE_M)), box((0.0, 0.06, hd), (hw, 0.04, 0.03)))
    hx = -hw + 0.07
    handles = union(
        box((hx, split + 0.05 + (h - split) * 0.2, hd + 0.03), (0.015, (h - split) * 0.2, 0.015), round_m=0.008),
        box((hx, split - 0.05 - split * 0.2, hd + 0.03), (0.015, split * 0.2, 0.015), round_m=0.008),
    )
    return [("body", body), ("handles", handles)]


register(
    Kind(
        name="fridge",
        group="fridge",
        words=("fridge", "refrigerator", "icebox", "freezer", "fridge freezer"),
        parts={"body": ("paint:white", "metal", "paint:cream", "paint:teal"), "handles": ("metal", "plastic:gray")},
        body=("body",),
        ranges={"width": (0.6, 0.8), "depth": (0.65, 0.75), "height": (1.7, 1.9)},
        build=_fridge,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.2,
        flags={"against_wall": 1.0},
    )
)
