"""Furniture and small props: table, chair, stool, bench, bar counter, shelf, barrel, crate, candle, wagon, fireplace."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register, variant_rng
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
    tube,
    union,
)

FLOOR_M = 0.02  # legs reach this far below the base so they meet the floor without a gap


def _table(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    leg_h = h - 0.05
    legs = mirror(mirror(box((hw - 0.1, (leg_h - FLOOR_M) / 2, hd - 0.1), (0.045, (leg_h + FLOOR_M) / 2, 0.045)), "x"), "z")
    return [("top", box((0.0, h - 0.04, 0.0), (hw, 0.04, hd), round_m=0.01)), ("legs", legs)]


register(Kind(
    name="table", group="table", words=("table", "dining table", "desk", "workbench", "counter table", "picnic table"),
    parts={"top": ("boards", "dark_wood"), "legs": ("dark_wood", "wood")}, body=("top", "legs"),
    ranges={"width": (1.3, 2.0), "depth": (0.8, 1.0), "height": (0.74, 0.8)},
    build=_table, ground="floor", where="any", plural_count=4, spacing_m=1.4, flags={"surface": 1.0},
))


def _chair(p: dict[str, float]) -> list[tuple[str, Node]]:
    s = p["seat"] / 2
    sy = p["seat_h"]
    legs = mirror(mirror(box((s - 0.03, (sy - FLOOR_M) / 2, s - 0.03), (0.022, (sy + FLOOR_M) / 2, 0.022)), "x"), "z")
    back = union(mirror(box((s - 0.03, sy + 0.25, -s + 0.03), (0.022, 0.25, 0.022)), "x"),
                 box((0.0, sy + 0.38, -s + 0.03), (s - 0.02, 0.1, 0.018)))
    return [("seat", box((0.0, sy, 0.0), (s, 0.025, s))), ("legs", legs), ("back", back)]


register(Kind(
    name="chair", group="seat", words=("chair", "armchair", "seat", "throne"),
    parts={"seat": ("wood",), "legs": ("dark_wood",), "back": ("wood",)}, body=("seat", "legs", "back"),
    ranges={"seat": (0.42, 0.5), "seat_h": (0.44, 0.48)},
    build=_chair, ground="floor", where="any", plural_count=4, spacing_m=0.15,
))


def _stool(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["radius"]
    legs = polar_repeat(cylinder((r * 0.7, (h - FLOOR_M) / 2, 0.0), 0.025, (h + FLOOR_M) / 2), 3)
    return [("seat", cylinder((0.0, h, 0.0), r, 0.03)), ("legs", legs)]


register(Kind(
    name="stool", group="seat", words=("stool", "bar stool", "barstool", "footstool"),
    parts={"seat": ("wood",), "legs": ("dark_wood",)}, body=("seat", "legs"),
    ranges={"height": (0.6, 0.75), "radius": (0.16, 0.2)},
    build=_stool, ground="floor", where="any", plural_count=4, spacing_m=0.3,
))


def _bench(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl = p["length"] / 2
    sy = 0.45
    legs = mirror(box((hl - 0.2, (sy - 0.15) / 2, 0.0), (0.05, (sy + 0.15) / 2, 0.2)), "x")
    parts = [("seat", box((0.0, sy, 0.0), (hl, 0.04, 0.22))), ("legs", legs)]
    if p["back"] > 0.5:
        parts.append(("back", union(box((0.0, sy + 0.38, -0.2), (hl, 0.1, 0.025)),
                                    mirror(box((hl - 0.2, sy + 0.2, -0.2), (0.04, 0.25, 0.03)), "x"))))
    return parts


register(Kind(
    name="bench", group="seat", words=("bench", "pew", "park bench", "settle"),
    parts={"seat": ("wood",), "legs": ("iron", "stone", "dark_wood"), "back": ("wood",)}, body=("seat",),
    ranges={"length": (1.4, 2.2), "back": (0.0, 1.0)}, integer_params=("back",),
    build=_bench, ground="floor", where="any", plural_count=3, spacing_m=0.6,
))


def _bar(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl = p["length"] / 2
    return [
        ("body", box((0.0, 0.5 - FLOOR_M / 2, 0.0), (hl, 0.5 + FLOOR_M / 2, 0.3))),
        ("top", box((0.0, 1.04, 0.05), (hl + 0.06, 0.04, 0.4), round_m=0.01)),
        ("rail", cylinder((0.0, 0.2, 0.42), 0.03, hl - 0.1, axis="x")),
    ]


register(Kind(
    name="bar counter", group="counter", words=("bar counter", "bar", "counter", "bartop", "reception desk"),
    parts={"body": ("dark_wood",), "top": ("boards", "marble"), "rail": ("copper",)}, body=("body",),
    ranges={"length": (3.5, 5.5)}, build=_bar, ground="floor", where="indoor", plural_count=1, spacing_m=1.2,
    flags={"against_wall": 1.0, "surface": 1.0},
))


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
        ("frame", union(mirror(box((hw - 0.02, (h - FLOOR_M) / 2, 0.0), (0.02, (h + FLOOR_M) / 2, hd)), "x"),
                        box((0.0, h / 2, -hd + 0.01), (hw, h / 2, 0.01)))),
        ("boards", boards),
        ("items", union(*items)),
    ]


register(Kind(
    name="shelf", group="storage", words=("shelf", "shelves", "bookshelf", "bookcase", "cupboard", "cabinet", "rack",
                                         "dresser", "wardrobe"),
    parts={"frame": ("dark_wood",), "boards": ("wood",), "items": ("glass", "paint:green", "roof_tiles")},
    body=("frame", "boards"), ranges={"width": (1.0, 1.6), "height": (1.7, 2.1), "boards": (4.0, 5.4)},
    integer_params=("boards",), build=_shelf, ground="floor", where="indoor", plural_count=2, spacing_m=0.5,
    flags={"against_wall": 1.0},
))


def _barrel(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r, b = p["height"], p["radius"], p["bulge"]

    def profile(y: float) -> float:
        t = (y - h / 2) / (h / 2)
        return r + b * (1 - t * t)

    hoops = union(*[tube((0.0, y, 0.0), profile(y) + 0.012, 0.03, 0.03) for y in (h * 0.15, h * 0.85)])
    return [("staves", bulged_cylinder((0.0, -FLOOR_M, 0.0), r, b, h + FLOOR_M)), ("hoops", hoops)]


register(Kind(
    name="barrel", group="storage", words=("barrel", "cask", "keg", "drum", "vat", "hogshead"),
    parts={"staves": ("wood",), "hoops": ("iron",)}, body=("staves",),
    ranges={"height": (0.85, 1.0), "radius": (0.26, 0.32), "bulge": (0.04, 0.07)},
    build=_barrel, ground="floor", where="any", plural_count=4, spacing_m=0.2,
))


def _crate(p: dict[str, float]) -> list[tuple[str, Node]]:
    s = p["size"] / 2
    f = 0.06
    c = (0.0, s - FLOOR_M / 2, 0.0)
    hs = s + FLOOR_M / 2
    frame = subtract(box(c, (s, hs, s)), box(c, (s * 2, hs - f, s - f)), box(c, (s - f, hs * 2, s - f)),
                     box(c, (s - f, hs - f, s * 2)))
    return [("body", box(c, (s - 0.02, hs - 0.02, s - 0.02))), ("frame", frame)]


register(Kind(
    name="crate", group="storage", words=("crate", "box", "chest", "container", "package"),
    parts={"body": ("boards",), "frame": ("dark_wood",)}, body=("body", "frame"), ranges={"size": (0.6, 1.0)},
    build=_crate, ground="floor", where="any", plural_count=4, spacing_m=0.2,
))


def _candle(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    return [
        ("holder", cylinder((0.0, 0.0, 0.0), 0.07, 0.015)),
        ("wax", cylinder((0.0, h / 2 + 0.01, 0.0), 0.026, h / 2)),
        ("flame", ellipsoid((0.0, h + 0.05, 0.0), (0.014, 0.035, 0.014))),
    ]


register(Kind(
    name="candle", group="light", words=("candle", "candlestick", "taper", "tealight", "candelabra"),
    parts={"holder": ("copper", "iron"), "wax": ("wax",), "flame": ("flame",)}, body=("wax",),
    ranges={"height": (0.12, 0.24)}, build=_candle, ground="on", where="any", plural_count=4, spacing_m=0.05,
))


def _wagon(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hw = p["length"] / 2, 0.75
    wr = p["wheel"]
    bed_y = wr + 0.25
    bed = subtract(box((0.0, bed_y + 0.25, 0.0), (hw, 0.3, hl)), box((0.0, bed_y + 0.5, 0.0), (hw - 0.07, 0.3, hl - 0.07)))
    wheels = mirror(mirror(cylinder((hw + 0.12, wr - FLOOR_M, hl * 0.62), wr, 0.05, axis="x"), "x"), "z")
    hubs = mirror(mirror(cylinder((hw + 0.12, wr - FLOOR_M, hl * 0.62), 0.1, 0.12, axis="x"), "x"), "z")
    shaft = mirror(box((0.35, bed_y - 0.1, hl + 0.9), (0.04, 0.04, 0.9)), "x")
    return [("bed", bed), ("wheels", union(wheels, hubs)), ("shaft", shaft),
            ("cargo", ellipsoid((0.0, bed_y + 0.5, 0.0), (hw - 0.1, 0.35, hl - 0.15)))]


register(Kind(
    name="wagon", group="vehicle", words=("wagon", "cart", "carriage", "hay cart", "wheelbarrow", "handcart", "caravan"),
    parts={"bed": ("wood",), "wheels": ("dark_wood",), "shaft": ("wood",), "cargo": ("hay",)}, body=("bed",),
    ranges={"length": (2.4, 3.2), "wheel": (0.42, 0.55)}, build=_wagon, where="any", plural_count=2, spacing_m=1.0,
))


def _fireplace(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, h = p["width"] / 2, p["height"]
    body = subtract(box((0.0, h / 2, 0.0), (hw, h / 2, 0.45)), box((0.0, 0.55, 0.45), (hw * 0.55, 0.55, 0.35)))
    return [
        ("stone", union(body, box((0.0, h + 0.8, -0.1), (hw * 0.6, 0.85, 0.3)))),
        ("mantel", box((0.0, 1.25, 0.12), (hw + 0.08, 0.05, 0.38))),
        ("fire", ellipsoid((0.0, 0.25, 0.25), (hw * 0.35, 0.28, 0.15))),
    ]


register(Kind(
    name="fireplace", group="hearth", words=("fireplace", "hearth", "stove", "oven", "furnace", "forge", "campfire"),
    parts={"stone": ("stone", "brick"), "mantel": ("dark_wood",), "fire": ("flame",)}, body=("stone",),
    ranges={"width": (1.6, 2.2), "height": (1.3, 1.5)}, build=_fireplace, ground="floor", where="indoor",
    plural_count=1, spacing_m=0.8, flags={"against_wall": 1.0},
))
