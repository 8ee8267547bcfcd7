"""Storage and tables of homes' rooms: wardrobe, dresser, nightstand, desk, bookshelf, cabinet, coffee table."""

from __future__ import annotations

from pipelines.models.kinds.base import FLOOR_M, Kind, register, variant_rng
from pipelines.models.kinds.home import GROOVE_M, WOODS, _plinth, case_front
from pipelines.models.kinds.parts import apron, legs4, post, standing_box
from pipelines.models.sdf import (
    Node,
    box,
    cylinder,
    mirror,
    repeat,
    subtract,
    translate,
    union,
)


def _wardrobe(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    doors = 2 + int(hw > 0.7 and variant_rng(p).random() < 0.5)
    body, knobs = case_front(hw, hd, 0.1, h - 0.08, 1, doors, 0.5)
    panels = repeat(
        box((0.0, (h + 0.02) / 2, hd), ((2 * hw - 0.04) / doors / 2 - 0.08, (h - 0.18) / 2 - 0.12, 0.008)),
        "x",
        (2 * hw - 0.04) / doors,
        doors,
    )
    body = subtract(body, panels)
    body = union(body, _plinth(hw, hd, 0.1), box((0.0, h - 0.04, 0.01), (hw + 0.03, 0.04, hd + 0.02), round_m=0.01))
    return [("body", body), ("handles", knobs)]


register(
    Kind(
        name="wardrobe",
        group="storage",
        words=("wardrobe", "armoire", "closet", "clothes cupboard"),
        parts={"body": WOODS, "handles": ("copper", "iron", "gold")},
        body=("body",),
        ranges={"width": (1.0, 1.6), "depth": (0.55, 0.62), "height": (1.8, 2.2)},
        build=_wardrobe,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.4,
        flags={"against_wall": 1.0},
    )
)


def _drawer_chest(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    rows = int(p["drawers"])
    cols = 2 if hw > 0.5 else 1
    body, knobs = case_front(hw, hd, 0.08, h - 0.03, rows, cols, 0.5)
    top = box((0.0, h - 0.015, 0.005), (hw + 0.02, 0.017, hd + 0.02), round_m=0.006)
    return [("body", union(body, top, legs4(hw - 0.04, hd - 0.04, 0.08, 0.03))), ("handles", knobs)]


register(
    Kind(
        name="dresser",
        group="storage",
        words=("dresser", "chest of drawers", "drawers", "commode", "bureau"),
        parts={"body": WOODS, "handles": ("copper", "iron", "gold")},
        body=("body",),
        ranges={"width": (0.8, 1.4), "depth": (0.45, 0.52), "height": (0.8, 1.1), "drawers": (3.0, 5.4)},
        integer_params=("drawers",),
        build=_drawer_chest,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.4,
        flags={"against_wall": 1.0, "surface": 1.0},
    )
)


def _nightstand(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    seam = h * 0.6  # the drawer fills the top, above this line
    body = box((0.0, (0.12 + h - 0.02) / 2, 0.0), (hw, (h - 0.14) / 2, hd), round_m=0.006)
    body = subtract(body, box((0.0, seam, hd), (hw - 0.02, 0.006, GROOVE_M)))
    if variant_rng(p).random() < 0.5:  # an open shelf under the drawer
        body = subtract(body, box((0.0, (0.15 + seam - 0.03) / 2, hd), (hw - 0.03, (seam - 0.03 - 0.15) / 2, hd * 1.6)))
    knob = cylinder((0.0, (seam + h - 0.02) / 2, hd + 0.015), 0.018, 0.018, axis="z")
    top = box((0.0, h - 0.015, 0.0), (hw + 0.015, 0.017, hd + 0.015), round_m=0.006)
    return [("body", union(body, top, legs4(hw - 0.03, hd - 0.03, 0.12, 0.025))), ("handles", knob)]


register(
    Kind(
        name="nightstand",
        group="storage",
        words=("nightstand", "bedside table", "night table", "bedside cabinet"),
        parts={"body": WOODS, "handles": ("copper", "iron", "gold")},
        body=("body",),
        ranges={"width": (0.4, 0.55), "depth": (0.35, 0.45), "height": (0.5, 0.65)},
        build=_nightstand,
        ground="floor",
        where="indoor",
        plural_count=2,
        spacing_m=0.2,
        flags={"surface": 1.0, "against_wall": 1.0},
    )
)


def _desk(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    rng = variant_rng(p)
    ty = h - 0.02
    style = int(rng.integers(0, 3))  # 0 legs, 1 a drawer pedestal on one side, 2 pedestals both sides
    pw = 0.2
    if style == 0:
        base = union(legs4(hw - 0.04, hd - 0.04, ty - 0.02, 0.03), apron(hw - 0.04, hd - 0.04, ty - 0.08))
        knobs = cylinder((0.0, ty - 0.08, hd - 0.02), 0.015, 0.02, axis="z")
    else:
        ped, knobs = case_front(pw, hd - 0.02, -FLOOR_M, ty - 0.02, 3, 1, 0.5)
        side = -1.0 if rng.random() < 0.5 else 1.0
        base = translate(ped, (side * (hw - pw), 0.0, 0.0))
        knobs = translate(knobs, (side * (hw - pw), 0.0, 0.0))
        if style == 2:
            base, knobs = (
                mirror(translate(ped, (hw - pw, 0.0, 0.0)), "x"),
                mirror(translate(knobs, (hw - pw, 0.0, 0.0)), "x"),
            )
        else:
            base = union(
                base,
                post(-side * (hw - 0.04), hd - 0.04, ty - 0.02, 0.03),
                post(-side * (hw - 0.04), -hd + 0.04, ty - 0.02, 0.03),
            )
        base = union(base, box((0.0, ty - 0.25, -hd + 0.03), (hw - 0.05, 0.22, 0.012)))  # the modesty panel
    top = box((0.0, ty, 0.0), (hw, 0.025, hd), round_m=0.006)
    return [("top", top), ("body", base), ("handles", knobs)]


register(
    Kind(
        name="desk",
        group="desk",
        words=("desk", "writing desk", "office desk", "computer desk", "study desk"),
        parts={
            "top": ("wood", "dark_wood", "paint:white"),
            "body": ("dark_wood", "wood", "metal"),
            "handles": ("copper", "iron"),
        },
        body=("top", "body"),
        ranges={"width": (1.1, 1.6), "depth": (0.6, 0.75), "height": (0.74, 0.78)},
        build=_desk,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.8,
        flags={"surface": 1.0, "against_wall": 1.0},
    )
)


def _bookshelf(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    n = int(p["boards"])
    step = (h - 0.08) / n
    rng = variant_rng(p)
    sides = mirror(standing_box(hw - 0.01, 0.0, h, 0.018, hd), "x")
    boards = repeat(box((0.0, 0.06 + step * (n - 1) / 2, 0.0), (hw, 0.015, hd)), "y", step, n)
    frame = union(
        sides,
        boards,
        box((0.0, h - 0.015, 0.0), (hw + 0.015, 0.02, hd + 0.01)),
        box((0.0, h / 2, -hd + 0.006), (hw, h / 2, 0.006)),
        box((0.0, 0.03, hd - 0.01), (hw, 0.05, 0.01)),
    )
    books: list[list[Node]] = [[], []]
    for k in range(n):
        y = 0.075 + step * k
        x = -hw + 0.03
        room = step - 0.05
        while x < hw - 0.12:
            t = 0.025 + 0.015 * rng.random()  # one run of like books: thickness, height, count
            bh = min(room, 0.17 + 0.09 * rng.random())
            m = int(min(3 + rng.integers(0, 9), (hw - 0.03 - x) // (t + 0.004)))
            if m < 1:
                break
            run = repeat(
                box((x + (m - 1) * (t + 0.004) / 2 + t / 2, y + bh / 2, hd - 0.02 - 0.09), (t / 2, bh / 2, 0.09)),
                "x",
                t + 0.004,
                m,
            )
            books[len(books[0]) > len(books[1])].append(run)
            x += m * (t + 0.004) + (0.02 + 0.12 * rng.random() if rng.random() < 0.35 else 0.0)
    return [("frame", frame), ("books", union(*books[0])), ("books_2", union(*books[1]))]


register(
    Kind(
        name="bookshelf",
        group="storage",
        words=("bookshelf", "bookcase", "bookshelves", "book shelf"),
        parts={
            "frame": WOODS,
            "books": ("cloth:red", "cloth:blue", "cloth:green"),
            "books_2": ("cloth:tan", "cloth:maroon", "cloth:navy"),
        },
        body=("frame",),
        ranges={"width": (0.8, 1.2), "depth": (0.28, 0.34), "height": (1.8, 2.1), "boards": (5.0, 6.4)},
        integer_params=("boards",),
        build=_bookshelf,
        ground="floor",
        where="indoor",
        plural_count=2,
        spacing_m=0.2,
        flags={"against_wall": 1.0},
    )
)


def _cabinet(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    doors = max(2, round(2 * hw / 0.45))
    body, knobs = case_front(hw, hd, 0.1, h - 0.03, 1, doors, 0.75)
    if variant_rng(p).random() < 0.5:  # a row of drawers above the doors
        body = subtract(body, box((0.0, h - 0.2, hd), (hw - 0.02, 0.006, GROOVE_M)))
    top = box((0.0, h - 0.015, 0.005), (hw + 0.025, 0.017, hd + 0.02), round_m=0.006)
    return [("body", union(body, top, _plinth(hw, hd, 0.1))), ("handles", knobs)]


register(
    Kind(
        name="cabinet",
        group="storage",
        words=("cabinet", "cupboard", "sideboard", "credenza", "buffet cabinet"),
        parts={"body": WOODS, "handles": ("copper", "iron", "gold")},
        body=("body",),
        ranges={"width": (0.9, 1.8), "depth": (0.42, 0.52), "height": (0.8, 1.0)},
        build=_cabinet,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.3,
        flags={"surface": 1.0, "against_wall": 1.0},
    )
)


def _coffee_table(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    rng = variant_rng(p)
    if p.get("round", 0.0) > 0.5:
        r = hd + 0.1
        top = cylinder((0.0, h - 0.025, 0.0), r, 0.025)
        legs = union(legs4(r * 0.6, r * 0.6, h - 0.05, 0.025), cylinder((0.0, 0.12, 0.0), r * 0.8, 0.015))
        return [("top", top), ("legs", legs)]
    legs = legs4(hw - 0.05, hd - 0.05, h - 0.05, 0.03, turned=bool(rng.random() < 0.4))
    if rng.random() < 0.6:  # a lower shelf
        legs = union(legs, box((0.0, 0.12, 0.0), (hw - 0.05, 0.015, hd - 0.05)))
    return [("top", box((0.0, h - 0.025, 0.0), (hw, 0.025, hd), round_m=0.008)), ("legs", legs)]


register(
    Kind(
        name="coffee table",
        group="table",
        words=("coffee table", "low table", "tea table", "cocktail table"),
        parts={"top": ("wood", "dark_wood", "glass", "marble"), "legs": ("dark_wood", "wood", "metal")},
        body=("top", "legs"),
        ranges={"width": (0.9, 1.3), "depth": (0.5, 0.7), "height": (0.4, 0.48)},
        build=_coffee_table,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.5,
        flags={"surface": 1.0},
        attributes={"round": {"params": {"round": 1.0}}},
    )
)
