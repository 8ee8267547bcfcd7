"""Furniture and small props: table, chair, stool, bench, bar counter, shelf, barrel, crate, candle.

The wagon and the fireplace are in ``furniture_large.py``; the legs and posts the kinds share are in ``parts.py``.
"""

from __future__ import annotations

from pipelines.models.kinds.base import FLOOR_M, Kind, register, variant_rng
from pipelines.models.kinds.parts import apron, legs4, post, standing_box, standing_cylinder
from pipelines.models.sdf import (
    Node,
    box,
    bulged_cylinder,
    cylinder,
    ellipsoid,
    mirror,
    polar_repeat,
    repeat,
    subtract,
    torus,
    tube,
    union,
)


def _table(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    rng = variant_rng(p)
    turned = bool(rng.random() < 0.4)
    ty = h - 0.035
    if p.get("round", 0.0) > 0.5:  # a round top: a pedestal or four legs under a disc
        r = 0.1 + 0.55 * p["depth"]
        top = cylinder((0.0, ty, 0.0), r, 0.035)
        if rng.random() < 0.5:
            foot = polar_repeat(box((r * 0.3, 0.03, 0.0), (r * 0.3, 0.05, 0.04), round_m=0.02), 4)
            legs = union(cylinder((0.0, ty / 2, 0.0), 0.065, ty / 2), foot)
        else:
            a = r * 0.55
            legs = union(legs4(a, a, ty, 0.03, turned), tube((0.0, ty - 0.09, 0.0), a * 1.45, 0.03, 0.05))
        return [("top", top), ("legs", legs)]
    w, d = p["width"], p["depth"]
    if p.get("square", 0.0) > 0.5:
        w = d = 0.1 + d
    if p.get("long", 0.0) > 0.5:
        w *= 1.7
    hw, hd = w / 2, d / 2
    lx, lz = hw - 0.09, hd - 0.09
    legs = legs4(lx, lz, ty, 0.04 if turned else 0.045, turned)
    if w > 2.3:  # a long table gets a middle pair of legs
        legs = union(legs, mirror(post(0.0, lz, ty, 0.045, turned), "z"))
    legs = union(legs, apron(lx, lz, ty - 0.08))
    return [("top", box((0.0, ty, 0.0), (hw, 0.035, hd), round_m=0.01)), ("legs", legs)]


register(
    Kind(
        name="table",
        group="table",
        words=("table", "dining table", "counter table", "kitchen table", "tavern table"),
        parts={"top": ("boards", "dark_wood", "wood"), "legs": ("dark_wood", "wood")},
        body=("top", "legs"),
        ranges={"width": (1.3, 2.0), "depth": (0.8, 1.0), "height": (0.74, 0.8)},
        build=_table,
        ground="floor",
        where="any",
        plural_count=4,
        spacing_m=1.4,
        flags={"surface": 1.0},
        attributes={
            "round": {"params": {"round": 1.0}},
            "square": {"params": {"square": 1.0}},
            "long": {"params": {"long": 1.0}},
        },
    )
)


def _chair(p: dict[str, float]) -> list[tuple[str, Node]]:
    s = p["seat"] / 2
    sy = p["seat_h"]
    bh = p["back_h"]
    rng = variant_rng(p)
    turned = bool(rng.random() < 0.5)
    legs = legs4(s - 0.03, s - 0.03, sy - 0.025, 0.022, turned)
    stiles = mirror(box((s - 0.03, sy + bh / 2, -s + 0.03), (0.022, bh / 2, 0.022)), "x")
    style = int(rng.integers(0, 3))
    if style == 0:  # a solid panel
        fill = box((0.0, sy + bh * 0.62, -s + 0.03), (s - 0.03, bh * 0.3, 0.016))
    elif style == 1:  # vertical spindles
        n = 3 + int(rng.integers(0, 3))
        fill = union(
            repeat(box((0.0, sy + bh * 0.55, -s + 0.03), (0.016, bh * 0.4, 0.016)), "x", (2 * s - 0.1) / n, n),
            box((0.0, sy + bh - 0.04, -s + 0.03), (s - 0.02, 0.04, 0.02)),
        )
    else:  # a ladder back: horizontal slats
        fill = repeat(box((0.0, sy + bh * 0.72, -s + 0.03), (s - 0.03, 0.03, 0.016)), "y", bh * 0.22, 3)
    return [("seat", box((0.0, sy, 0.0), (s, 0.025, s), round_m=0.006)), ("legs", legs), ("back", union(stiles, fill))]


register(
    Kind(
        name="chair",
        group="seat",
        words=("chair", "seat", "dining chair", "wooden chair", "kitchen chair"),
        parts={
            "seat": ("wood", "dark_wood", "paint:red"),
            "legs": ("dark_wood", "wood"),
            "back": ("wood", "dark_wood"),
        },
        body=("seat", "legs", "back"),
        ranges={"seat": (0.42, 0.5), "seat_h": (0.44, 0.48), "back_h": (0.42, 0.55)},
        build=_chair,
        ground="floor",
        where="any",
        plural_count=4,
        spacing_m=0.15,
    )
)


def _stool(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["radius"]
    n = 3 + int(variant_rng(p).integers(0, 2))
    legs = polar_repeat(standing_cylinder(r * 0.7, 0.0, h, 0.025), n)
    if h > 0.5:  # a tall stool has a foot ring
        legs = union(legs, torus((0.0, h * 0.35, 0.0), r * 0.7, 0.015))
    return [("seat", cylinder((0.0, h, 0.0), r, 0.03)), ("legs", legs)]


register(
    Kind(
        name="stool",
        group="seat",
        words=("stool", "bar stool", "barstool", "footstool"),
        parts={"seat": ("wood", "dark_wood", "cloth:red"), "legs": ("dark_wood", "iron")},
        body=("seat", "legs"),
        ranges={"height": (0.45, 0.75), "radius": (0.16, 0.2)},
        build=_stool,
        ground="floor",
        where="any",
        plural_count=4,
        spacing_m=0.3,
    )
)


def _bench(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl = p["length"] / 2
    sy = 0.45
    legs = mirror(box((hl - 0.2, (sy - 0.15) / 2, 0.0), (0.05, (sy + 0.15) / 2, 0.2)), "x")
    parts = [("seat", box((0.0, sy, 0.0), (hl, 0.04, 0.22))), ("legs", legs)]
    if p["back"] > 0.5:
        parts.append(
            (
                "back",
                union(
                    box((0.0, sy + 0.38, -0.2), (hl, 0.1, 0.025)),
                    mirror(box((hl - 0.2, sy + 0.2, -0.2), (0.04, 0.25, 0.03)), "x"),
                ),
            )
        )
    return parts


register(
    Kind(
        name="bench",
        group="seat",
        words=("bench", "pew", "park bench", "settle"),
        parts={"seat": ("wood", "dark_wood"), "legs": ("iron", "stone", "dark_wood"), "back": ("wood", "dark_wood")},
        body=("seat",),
        ranges={"length": (1.4, 2.2), "back": (0.0, 1.0)},
        integer_params=("back",),
        build=_bench,
        ground="floor",
        where="any",
        plural_count=3,
        spacing_m=0.6,
    )
)


def _bar(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl = p["length"] / 2
    return [
        ("body", box((0.0, 0.5 - FLOOR_M / 2, 0.0), (hl, 0.5 + FLOOR_M / 2, 0.3))),
        ("top", box((0.0, 1.04, 0.05), (hl + 0.06, 0.04, 0.4), round_m=0.01)),
        ("rail", cylinder((0.0, 0.2, 0.42), 0.03, hl - 0.1, axis="x")),
    ]


register(
    Kind(
        name="bar counter",
        group="counter",
        words=("bar counter", "bar", "counter", "bartop", "reception desk"),
        parts={"body": ("dark_wood", "wood"), "top": ("boards", "marble"), "rail": ("copper", "iron")},
        body=("body",),
        ranges={"length": (3.5, 5.5)},
        build=_bar,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=1.2,
        flags={"against_wall": 1.0, "surface": 1.0},
    )
)


def _shelf(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, h, hd = p["width"] / 2, p["height"], 0.18
    n = int(p["boards"])
    step = (h - 0.1) / n
    boards = repeat(box((0.0, 0.05 + step * (n - 1) / 2 + step / 2, 0.0), (hw - 0.02, 0.015, hd)), "y", step, n)
    rng = variant_rng(p)
    items = []
    for k in range(n - 1):
        y = 0.05 + step * (k + 1) + 0.02
        for x in rng.uniform(-hw + 0.12, hw - 0.12, 3):
            items.append(cylinder((float(x), y + 0.1, 0.0), 0.04, 0.1))
    return [
        (
            "frame",
            union(
                mirror(standing_box(hw - 0.02, 0.0, h, 0.02, hd), "x"),
                box((0.0, h / 2, -hd + 0.01), (hw, h / 2, 0.01)),
            ),
        ),
        ("boards", boards),
        ("items", union(*items)),
    ]


register(
    Kind(
        name="shelf",
        group="storage",
        words=("shelf", "shelves", "rack", "shelving", "shelving unit", "pantry shelf"),
        parts={
            "frame": ("dark_wood", "wood"),
            "boards": ("wood", "dark_wood"),
            "items": ("glass", "paint:green", "roof_tiles"),
        },
        body=("frame", "boards"),
        ranges={"width": (1.0, 1.6), "height": (1.7, 2.1), "boards": (4.0, 5.4)},
        integer_params=("boards",),
        build=_shelf,
        ground="floor",
        where="indoor",
        plural_count=2,
        spacing_m=0.5,
        flags={"against_wall": 1.0},
    )
)


def _barrel(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r, b = p["height"], p["radius"], p["bulge"]

    def profile(y: float) -> float:
        t = (y - h / 2) / (h / 2)
        return r + b * (1 - t * t)

    hoops = union(*[tube((0.0, y, 0.0), profile(y) + 0.012, 0.03, 0.03) for y in (h * 0.15, h * 0.85)])
    return [("staves", bulged_cylinder((0.0, -FLOOR_M, 0.0), r, b, h + FLOOR_M)), ("hoops", hoops)]


register(
    Kind(
        name="barrel",
        group="storage",
        words=("barrel", "cask", "keg", "drum", "vat", "hogshead"),
        parts={"staves": ("wood", "dark_wood"), "hoops": ("iron", "copper")},
        body=("staves",),
        ranges={"height": (0.85, 1.0), "radius": (0.26, 0.32), "bulge": (0.04, 0.07)},
        build=_barrel,
        ground="floor",
        where="any",
        plural_count=4,
        spacing_m=0.2,
        flags={"stackable": 1.0},
    )
)


def _crate(p: dict[str, float]) -> list[tuple[str, Node]]:
    s = p["size"] / 2
    f = 0.06
    c = (0.0, s - FLOOR_M / 2, 0.0)
    hs = s + FLOOR_M / 2
    frame = subtract(
        box(c, (s, hs, s)),
        box(c, (s * 2, hs - f, s - f)),
        box(c, (s - f, hs * 2, s - f)),
        box(c, (s - f, hs - f, s * 2)),
    )
    return [("body", box(c, (s - 0.02, hs - 0.02, s - 0.02))), ("frame", frame)]


register(
    Kind(
        name="crate",
        group="storage",
        words=("crate", "box", "container", "package", "wooden box", "shipping crate"),
        parts={"body": ("boards", "wood"), "frame": ("dark_wood", "wood")},
        body=("body", "frame"),
        ranges={"size": (0.6, 1.0)},
        build=_crate,
        ground="floor",
        where="any",
        plural_count=4,
        spacing_m=0.2,
        flags={"stackable": 1.0},
    )
)


def _candle(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    return [
        ("holder", cylinder((0.0, 0.0, 0.0), 0.07, 0.015)),
        ("wax", cylinder((0.0, h / 2 + 0.01, 0.0), 0.026, h / 2)),
        ("flame", ellipsoid((0.0, h + 0.05, 0.0), (0.014, 0.035, 0.014))),
    ]


register(
    Kind(
        name="candle",
        group="light",
        words=("candle", "candlestick", "taper", "tealight", "candelabra"),
        parts={"holder": ("copper", "iron"), "wax": ("wax", "wax:cream", "wax:red"), "flame": ("flame",)},
        body=("wax",),
        ranges={"height": (0.12, 0.24)},
        build=_candle,
        ground="on",
        where="any",
        plural_count=4,
        spacing_m=0.05,
    )
)


# The wagon and the fireplace live in their own module; importing it here registers them right after the
# candle, where the catalog has always had them (the catalog's order decides ties in the reader).
from pipelines.models.kinds import furniture_large  # noqa: E402, F401
