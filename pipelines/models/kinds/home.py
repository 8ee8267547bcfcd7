"""Furniture of homes' rooms: bed, bunk bed, sofa, armchair (storage and tables are in ``home_storage``)."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.parts import legs4, standing_box
from pipelines.models.sdf import (
    Node,
    box,
    cylinder,
    ellipsoid,
    mirror,
    repeat,
    subtract,
    union,
)

GROOVE_M = 0.012  # depth of the grooves between doors and drawers
WOODS = ("dark_wood", "wood", "paint:white")
FABRICS = ("cloth:blue", "cloth:green", "cloth:gray", "leather", "cloth:red", "cloth:beige")


def _plinth(hw: float, hd: float, top: float) -> Node:
    """Return a base from just below the floor to ``top``, set back 2 cm from the front and sides."""
    return standing_box(0.0, -0.02, top, hw - 0.02, hd - 0.02)


def case_front(hw: float, hd: float, y0: float, y1: float, rows: int, cols: int, face: float) -> tuple[Node, Node]:
    """Return (a box from y0 to y1 with a grid of door/drawer fronts grooved into its front, the knobs)."""
    body = box((0.0, (y0 + y1) / 2, 0.0), (hw, (y1 - y0) / 2, hd), round_m=0.006)
    h, w = (y1 - y0 - 0.04) / rows, (2 * hw - 0.04) / cols
    zf = hd
    grooves = []
    if rows > 1:
        grooves.append(repeat(box((0.0, y0 + 0.02 + h * rows / 2, zf), (hw - 0.02, 0.006, GROOVE_M)), "y", h, rows - 1))
    if cols > 1:
        grooves.append(repeat(box((0.0, (y0 + y1) / 2, zf), (0.006, (y1 - y0) / 2 - 0.02, GROOVE_M)), "x", w, cols - 1))
    if grooves:
        body = subtract(body, *grooves)
    knob = cylinder((0.0, y0 + 0.02 + h * (rows - 1) / 2 + h * face, zf + 0.015), 0.018, 0.018, axis="z")
    knobs = repeat(repeat(knob, "x", w, cols), "y", h, rows)
    return body, knobs


def _bed(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hl, top = p["width"] / 2, p["length"] / 2, p["height"]
    rng = variant_rng(p)
    base = top - 0.2  # the mattress lies on a frame whose top is here
    frame = union(
        box((0.0, base - 0.1, 0.0), (hw, 0.1, hl), round_m=0.01), legs4(hw - 0.05, hl - 0.05, base - 0.2, 0.04)
    )
    head = p["head"]
    frame = union(frame, standing_box(0.0, -hl - 0.03, head, hw + 0.03, 0.04, round_m=0.02))
    if rng.random() < 0.6:  # a footboard
        frame = union(frame, standing_box(0.0, hl + 0.03, top + 0.08, hw + 0.03, 0.035))
    if p.get("posts", 0.0) > 0.5 or rng.random() < 0.15:  # four posts and a canopy frame
        ph = 1.95 + 0.15 * rng.random()
        frame = union(
            frame,
            legs4(hw, hl + 0.02, ph, 0.045, turned=True),
            mirror(box((0.0, ph - 0.03, hl + 0.02), (hw, 0.03, 0.03)), "z"),
            mirror(box((hw, ph - 0.03, 0.0), (0.03, 0.03, hl)), "x"),
        )
    mattress = box((0.0, top - 0.1, 0.0), (hw - 0.03, 0.1, hl - 0.04), round_m=0.04)
    fold = hl * (0.3 + 0.15 * rng.random())  # how far from the head the blanket is turned down
    z0 = -hl + fold
    blanket = box((0.0, top - 0.085, (z0 + hl - 0.02) / 2), (hw - 0.01, 0.11, (hl - 0.02 - z0) / 2), round_m=0.04)
    if hw > 0.6:
        pillows = mirror(ellipsoid((hw * 0.48, top + 0.05, -hl + 0.22), (hw * 0.4, 0.07, 0.16)), "x")
    else:
        pillows = ellipsoid((0.0, top + 0.05, -hl + 0.22), (hw * 0.75, 0.07, 0.16))
    return [("frame", frame), ("mattress", mattress), ("blanket", blanket), ("pillows", pillows)]


register(
    Kind(
        name="bed",
        group="bed",
        words=("bed", "double bed", "single bed", "four poster bed", "king size bed", "cot bed"),
        parts={
            "frame": WOODS,
            "mattress": ("cloth:white", "cloth:cream"),
            "blanket": ("cloth:blue", "cloth:red", "cloth:green", "cloth:beige", "cloth:gray"),
            "pillows": ("cloth:white", "cloth:cream"),
        },
        body=("frame",),
        ranges={"width": (0.95, 1.8), "length": (2.0, 2.15), "height": (0.5, 0.62), "head": (0.9, 1.2)},
        build=_bed,
        ground="floor",
        where="indoor",
        plural_count=2,
        spacing_m=0.6,
        flags={"against_wall": 1.0},
        attributes={
            "double": {"params": {"width": 1.6}},
            "single": {"params": {"width": 0.95}},
            "canopied": {"params": {"posts": 1.0}},
        },
    )
)


def _bunk_bed(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hd, h = p["length"] / 2, p["depth"] / 2, p["height"]
    low, high = 0.42, h - 0.38  # the two mattresses' bottoms
    frame = union(
        legs4(hl, hd, h, 0.04),
        repeat(box((0.0, (low + high) / 2, 0.0), (hl, 0.06, hd)), "y", high - low, 2),
        mirror(box((hl, h - 0.15, 0.0), (0.03, 0.1, hd)), "x"),
        box((-hl * 0.3, high + 0.3, hd), (hl * 0.7, 0.04, 0.03)),  # the upper bunk's guard rail
    )
    lx = hl - 0.32
    rail = standing_box(lx, hd + 0.05, high + 0.3, 0.025, 0.025)
    ladder = union(
        repeat(rail, "x", 0.36, 2),
        repeat(cylinder((lx, 0.1 + (high - 0.1) / 2, hd + 0.05), 0.018, 0.18, axis="x"), "y", (high - 0.1) / 4, 5),
    )
    mats = repeat(
        box((0.0, (low + high) / 2 + 0.14, 0.0), (hl - 0.05, 0.08, hd - 0.05), round_m=0.03), "y", high - low, 2
    )
    blankets = repeat(
        box((0.3, (low + high) / 2 + 0.16, 0.0), (hl - 0.35, 0.08, hd - 0.03), round_m=0.03), "y", high - low, 2
    )
    return [("frame", union(frame, ladder)), ("mattress", mats), ("blanket", blankets)]


register(
    Kind(
        name="bunk bed",
        group="bed",
        words=("bunk bed", "bunk", "bunkbed", "double decker bed"),
        parts={
            "frame": ("wood", "dark_wood", "metal"),
            "mattress": ("cloth:white", "cloth:cream"),
            "blanket": ("cloth:blue", "cloth:red", "cloth:green", "cloth:gray"),
        },
        body=("frame",),
        ranges={"length": (1.95, 2.1), "depth": (0.9, 1.0), "height": (1.55, 1.8)},
        build=_bunk_bed,
        ground="floor",
        where="indoor",
        plural_count=2,
        spacing_m=0.6,
        flags={"against_wall": 1.0},
    )
)


def _upholstered(p: dict[str, float], seats: int) -> list[tuple[str, Node]]:
    """Return a sofa or armchair: a base, two arms, a back and ``seats`` seat cushions."""
    hl, hd, bh, aw = p["length"] / 2, p["depth"] / 2, p["back"], p["arm"]
    rng = variant_rng(p)
    arm_h = 0.55 + 0.1 * rng.random()
    body = union(
        box((0.0, 0.21, 0.0), (hl, 0.12, hd), round_m=0.03),
        mirror(box((hl - aw / 2, (0.09 + arm_h) / 2, 0.0), (aw / 2, (arm_h - 0.09) / 2, hd), round_m=0.05), "x"),
        box((0.0, (0.09 + bh) / 2, -hd + 0.1), (hl, (bh - 0.09) / 2, 0.1), round_m=0.05),
    )
    if rng.random() < 0.5:  # rolled arms
        body = union(body, mirror(cylinder((hl - aw / 2, arm_h, 0.0), aw / 2 + 0.02, hd, axis="z"), "x"))
    cw = (2 * hl - 2 * aw) / seats
    x0 = -hl + aw + cw / 2 + cw * (seats - 1) / 2
    cushions = repeat(box((x0, 0.39, 0.06), (cw / 2 - 0.008, 0.065, hd - 0.1), round_m=0.04), "x", cw, seats)
    cushions = union(
        cushions,
        repeat(
            box((x0, (0.45 + bh) / 2, -hd + 0.27), (cw / 2 - 0.008, (bh - 0.5) / 2, 0.07), round_m=0.05), "x", cw, seats
        ),
    )
    legs = legs4(hl - 0.07, hd - 0.07, 0.1, 0.025, turned=bool(rng.random() < 0.5))
    return [("upholstery", union(body, cushions)), ("legs", legs)]


register(
    Kind(
        name="sofa",
        group="sofa",
        words=("sofa", "couch", "settee", "loveseat", "chesterfield"),
        parts={"upholstery": FABRICS, "legs": ("dark_wood", "wood", "metal")},
        body=("upholstery",),
        ranges={
            "length": (1.6, 2.4),
            "depth": (0.85, 1.0),
            "back": (0.78, 0.95),
            "arm": (0.14, 0.24),
            "seats": (2.0, 3.4),
        },
        integer_params=("seats",),
        build=lambda p: _upholstered(p, int(p["seats"])),
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.8,
        flags={"against_wall": 1.0},
    )
)

register(
    Kind(
        name="armchair",
        group="seat",
        words=("armchair", "easy chair", "recliner", "wingback chair", "lounge chair", "club chair"),
        parts={"upholstery": FABRICS, "legs": ("dark_wood", "wood", "metal")},
        body=("upholstery",),
        ranges={"length": (0.78, 0.98), "depth": (0.8, 0.95), "back": (0.85, 1.05), "arm": (0.14, 0.2)},
        build=lambda p: _upholstered(p, 1),
        ground="floor",
        where="indoor",
        plural_count=2,
        spacing_m=0.5,
    )
)
