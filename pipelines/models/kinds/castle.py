"""Castle buildings: castle keep, gatehouse (what stands in the yard is in ``castle_yard``)."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.parts import at_corners, standing_box, standing_cylinder
from pipelines.models.sdf import (
    Node,
    box,
    cone,
    cylinder,
    ellipsoid,
    mirror,
    near_surface,
    polar_repeat,
    repeat,
    subtract,
    translate,
    tube,
    union,
)

FOUNDATION_M = 0.4  # masonry reaches this far below the base, for uneven ground
PERIOD = 1.1  # one merlon and one crenel


def battlements(hx: float, hz: float, y: float, h: float = 1.1, t: float = 0.5) -> Node:
    """Return a crenellated parapet ring of outer half size hx x hz standing on height ``y``."""
    ring = subtract(
        box((0.0, y + h / 2, 0.0), (hx, h / 2, hz)), box((0.0, y + h / 2 + 0.2, 0.0), (hx - t, h / 2 + 0.4, hz - t))
    )
    cuts = []
    for along, half, other in (("x", hx, hz), ("z", hz, hx)):
        n = max(1, int((2 * half - 0.6) / PERIOD))
        size = (0.27, h * 0.25, t) if along == "x" else (t, h * 0.25, 0.27)
        at = (0.0, y + h * 0.8, other - t / 2) if along == "x" else (other - t / 2, y + h * 0.8, 0.0)
        cuts.append(mirror(repeat(box(at, size), along, PERIOD, n), "z" if along == "x" else "x"))
    return subtract(ring, *cuts)


def round_battlements(r: float, y: float, h: float = 1.0, t: float = 0.45) -> Node:
    """Return a crenellated ring of outer radius ``r`` around the y axis on height ``y``."""
    n = max(4, int(2 * math.pi * r / PERIOD))
    notch = box((r - t / 2, y + h * 0.8, 0.0), (t, h * 0.25, 0.27))
    return subtract(tube((0.0, y + h / 2, 0.0), r, t, h / 2), polar_repeat(notch, n))


def _arch(x: float, z: float, half_w: float, h: float, half_d: float) -> Node:
    """Return a round-headed opening, sill at y = 0, through depth 2 * half_d along z."""
    return union(
        box((x, (h - half_w) / 2 - 0.2, z), (half_w, (h - half_w) / 2 + 0.2, half_d)),
        cylinder((x, h - half_w, z), half_w, half_d, axis="z"),
    )


def _slits(
    hx: float, hz: float, y0: float, rows: int, cols: int, inset: float, half_d: float, sides: bool = True
) -> Node:
    """Return arrow slits on the faces of a hx x hz block: boxes ``inset`` behind each face, ``half_d`` deep."""
    step_x = 2 * hx / (cols + 1)
    front = repeat(repeat(box((0.0, y0, hz - inset), (0.12, 0.6, half_d)), "x", step_x, cols), "y", 3.2, rows)
    if not sides:
        return mirror(front, "z")
    step_z = 2 * hz / (cols + 1)
    side = repeat(repeat(box((hx - inset, y0, 0.0), (half_d, 0.6, 0.12)), "z", step_z, cols), "y", 3.2, rows)
    return union(mirror(front, "z"), mirror(side, "x"))


def _slit_parts(
    hx: float, hz: float, y0: float, rows: int, cols: int, wall: Node, sides: bool = True
) -> tuple[Node, Node]:
    """Return (holes cut 30 cm into the wall, dark panes at their bottom), evaluated only near the wall."""
    holes = _slits(hx, hz, y0, rows, cols, 0.0, 0.3, sides)
    panes = _slits(hx, hz, y0, rows, cols, 0.3, 0.1, sides)
    return near_surface(holes, wall, 0.5), near_surface(panes, wall, 0.5)


def _keep(p: dict[str, float]) -> list[tuple[str, Node]]:
    w, h, r = p["width"] / 2, p["height"], p["tower_r"]
    rng = variant_rng(p)
    ruined = p["ruined"] > 0.5
    body = standing_box(0.0, 0.0, h, w, w, below=FOUNDATION_M)
    door = _arch(0.0, w, 1.0, 3.2, 0.5)
    tower_h = h + float(rng.uniform(2.0, 4.0))
    tower = standing_cylinder(w, w, tower_h, r, below=FOUNDATION_M)
    towers = at_corners(tower)
    tops = at_corners(translate(round_battlements(r + 0.15, tower_h), (w, 0.0, w)))
    rows = max(1, int((h - 4.0) / 3.2))
    holes, panes = _slit_parts(w, w, 4.5 + 3.2 * (rows - 1) / 2, rows, 3, body)
    parts = [
        ("walls", subtract(union(body, towers), door, holes)),
        ("battlements", union(battlements(w + 0.2, w + 0.2, h), tops)),
        ("door", box((0.0, 1.5, w - 0.35), (1.0, 1.6, 0.08))),
        ("windows", panes),
        ("plinth", box((0.0, 0.15 - FOUNDATION_M / 2, 0.0), (w + 0.4, 0.15 + FOUNDATION_M / 2, w + 0.4))),
    ]
    if p["roofs"] > 0.5 and not ruined:
        parts.append(("roof", at_corners(cone((w, tower_h + 0.9, w), r + 0.4, 0.05, r * 2.2))))
    if ruined:  # a corner of the top falls away in steps and rubble lies at the foot
        steps = [
            box((float(rng.uniform(-0.2, 0.5)) * w + w, h * f + 10.0, w + 2.0 - k * w * 0.5), (w, 10.0, w))
            for k, f in enumerate(sorted(rng.uniform(0.45, 0.8, 3)))
        ]
        hollow = box((0.0, h / 2 + 1.0, 0.0), (w - 1.2, h / 2, w - 1.2))  # the floors inside have fallen in
        parts = [(n, subtract(s, hollow, *steps) if n in ("walls", "battlements", "windows") else s) for n, s in parts]
        stones = [
            ellipsoid((float(x), 0.3, float(z)), (0.9, 0.6, 0.8))
            for x, z in zip(rng.uniform(w * 0.2, w + 1.5, 5), rng.uniform(w + 0.8, w + 2.2, 5))
        ]
        parts.append(("rubble", union(*stones)))
    return parts


register(
    Kind(
        name="castle keep",
        group="building",
        words=("castle keep", "castle", "keep", "fortress", "citadel", "fort", "stronghold", "donjon"),
        parts={
            "walls": ("stone", "sandstone", "stone:gray"),
            "battlements": ("stone", "sandstone"),
            "door": ("dark_wood",),
            "windows": ("glass:black",),
            "plinth": ("cobble", "stone"),
            "roof": ("slate", "roof_tiles", "paint:blue"),
            "rubble": ("stone",),
        },
        body=("walls", "battlements"),
        ranges={
            "width": (10.0, 14.0),
            "height": (12.0, 17.0),
            "tower_r": (1.8, 2.6),
            "roofs": (0.0, 1.0),
            "ruined": (0.0, 0.0),
        },
        integer_params=("roofs",),
        build=_keep,
        plural_count=1,
        spacing_m=4.0,
        attributes={
            "broken": {"params": {"ruined": 1.0}},
            "mossy": {"parts": {"walls": "stone:olive", "battlements": "stone:olive"}},
        },
    )
)


def _gatehouse(p: dict[str, float]) -> list[tuple[str, Node]]:
    w, h, d, r = p["width"] / 2, p["height"], p["depth"] / 2, p["tower_r"]
    gw, gh = p["gate_w"] / 2, p["gate_h"]
    rng = variant_rng(p)
    block = standing_box(0.0, 0.0, h, w, d, below=FOUNDATION_M)
    passage = _arch(0.0, 0.0, gw, gh, d + 1.0)
    th = h + float(rng.uniform(1.5, 3.0))
    if p["round"] > 0.5:
        tower = standing_cylinder(w, 0.0, th, r, below=FOUNDATION_M)
        top = translate(round_battlements(r + 0.15, th), (w, 0.0, 0.0))
    else:
        tower = standing_box(w, 0.0, th, r, r, below=FOUNDATION_M)
        top = translate(battlements(r + 0.15, r + 0.15, th), (w, 0.0, 0.0))
    bars = subtract(
        union(
            repeat(box((0.0, gh / 2, d * 0.4), (0.07, gh / 2, 0.07)), "x", 0.4, int(2 * gw / 0.4) + 1),
            repeat(box((0.0, gh / 2, d * 0.4), (gw + 0.1, 0.07, 0.07)), "y", 0.45, int(gh / 0.45)),
        ),
        subtract(box((0.0, gh / 2, d * 0.4), (gw + 0.5, gh / 2 + 0.5, 0.3)), _arch(0.0, d * 0.4, gw, gh, 0.4)),
    )
    lift = float(rng.uniform(0.3, 1.6))  # the portcullis hangs part-way up
    holes, panes = _slit_parts(w - r, d, h - 2.5, 1, 2, block, sides=False)
    return [
        ("walls", subtract(union(block, mirror(tower, "x")), passage, holes)),
        ("battlements", union(battlements(w + 0.15, d + 0.15, h), mirror(top, "x"))),
        ("portcullis", translate(bars, (0.0, lift, 0.0))),
        ("windows", panes),
    ]


register(
    Kind(
        name="gatehouse",
        group="structure",
        words=("gatehouse", "castle gate", "portcullis", "barbican", "fortified gate"),
        parts={
            "walls": ("stone", "sandstone"),
            "battlements": ("stone", "sandstone"),
            "portcullis": ("iron", "dark_wood"),
            "windows": ("glass:black",),
        },
        body=("walls", "battlements"),
        ranges={
            "width": (8.0, 11.0),
            "height": (7.0, 9.5),
            "depth": (5.0, 7.0),
            "tower_r": (1.6, 2.2),
            "gate_w": (2.8, 3.6),
            "gate_h": (3.8, 4.6),
            "round": (0.0, 1.0),
        },
        integer_params=("round",),
        build=_gatehouse,
        plural_count=1,
        spacing_m=3.0,
    )
)
