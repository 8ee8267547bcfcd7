"""Built works: walls, fences and pens, gates, wells, bridges, piers."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register
from pipelines.models.kinds.buildings import FOUNDATION_M
from pipelines.models.kinds.parts import standing_box
from pipelines.models.sdf import (
    Node,
    box,
    cylinder,
    gable,
    intersect,
    mirror,
    repeat,
    rotate,
    subtract,
    translate,
    tube,
    union,
)


def _wall(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, h, ht = p["length"] / 2, p["height"], p["thickness"] / 2
    n = max(3, int(p["length"] / 1.2))
    merlons = repeat(box((0.0, h + 0.35, 0.0), (0.3, 0.35, ht)), "x", p["length"] / n, n)
    return [
        ("walls", standing_box(0.0, 0.0, h, hl, ht, below=FOUNDATION_M)),
        ("battlements", merlons),
    ]


register(
    Kind(
        name="wall",
        group="structure",
        words=("wall", "rampart", "city wall", "castle wall", "palisade"),
        parts={"walls": ("stone", "brick"), "battlements": ("stone",)},
        body=("walls", "battlements"),
        ranges={"length": (9.0, 14.0), "height": (2.8, 4.0), "thickness": (1.0, 1.4)},
        build=_wall,
        plural_count=2,
        spacing_m=2.0,
        flags={"linear": 1.0},
    )
)


PEN_WORDS = (
    "enclosure",
    "paddock",
    "corral",
    "pen",
    "pigpen",
    "sheep pen",
    "cattle pen",
    "stockade",
    "enclosed",
    "fenced",
)
PEN_DEPTH = 0.75  # a pen's depth over its length
PEN_GATE_M = 1.4  # the open gateway in a pen's front


def _fence_run(length: float, h: float) -> tuple[Node, Node]:
    """Return (posts, rails) of a straight run ``length`` long along x, centred on the origin."""
    n = max(2, round(length / 2.0) + 1)
    step = (length - 0.16) / (n - 1)
    posts = repeat(standing_box(0.0, 0.0, h, 0.09, 0.09, below=0.3, round_m=0.01), "x", step, n)
    rails = union(
        box((0.0, h * 0.42, 0.0), (length / 2, 0.08, 0.06)), box((0.0, h * 0.82, 0.0), (length / 2, 0.08, 0.06))
    )
    return posts, rails


def _fence(p: dict[str, float]) -> list[tuple[str, Node]]:
    length, h = p["length"], p["height"]
    if p.get("closed", 0.0) <= 0.5:
        posts, rails = _fence_run(length, h)
        return [("posts", posts), ("rails", rails)]
    # a pen: four runs round a yard PEN_DEPTH of its length deep, a gateway left open in the front (+z) one
    hx, hz = length / 2, length * PEN_DEPTH / 2
    side = (length - PEN_GATE_M) / 2
    runs = [
        (_fence_run(2 * hz, h), (hx, 0.0), 90.0),
        (_fence_run(2 * hz, h), (-hx, 0.0), 90.0),
        (_fence_run(length, h), (0.0, -hz), 0.0),
        (_fence_run(side, h), ((side - length) / 2, hz), 0.0),
        (_fence_run(side, h), ((length - side) / 2, hz), 0.0),
    ]
    posts = union(*(translate(rotate(pr[0], yaw_deg=yaw), (x, 0.0, z)) for pr, (x, z), yaw in runs))
    rails = union(*(translate(rotate(pr[1], yaw_deg=yaw), (x, 0.0, z)) for pr, (x, z), yaw in runs))
    return [("posts", posts), ("rails", rails)]


register(
    Kind(
        name="fence",
        group="fence",
        words=(
            "fence",
            "fencing",
            "railing",
            "picket fence",
            "hedge fence",
            "enclosure",
            "paddock",
            "corral",
            "pen",
            "pigpen",
            "sheep pen",
            "cattle pen",
            "stockade",
        ),
        parts={"posts": ("wood", "dark_wood"), "rails": ("wood", "dark_wood")},
        body=("posts", "rails"),
        ranges={"length": (8.0, 12.0), "height": (1.0, 1.25)},
        build=_fence,
        plural_count=3,
        spacing_m=1.2,
        flags={"linear": 1.0},
        # "a pen", "a paddock": a closed yard that what is said to be in it stands inside (placement.inside)
        attributes={w: {"params": {"closed": 1.0}} for w in PEN_WORDS},
    )
)


def _gate(p: dict[str, float]) -> list[tuple[str, Node]]:
    gw, h = p["width"] / 2, p["height"]
    pillars = mirror(standing_box(gw + 0.4, 0.0, h + 0.6, 0.4, 0.4, below=FOUNDATION_M), "x")
    caps = mirror(box((gw + 0.4, h + 0.7, 0.0), (0.48, 0.1, 0.48)), "x")
    doors = subtract(box((0.0, h * 0.45, 0.0), (gw, h * 0.45, 0.08)), box((0.0, h * 0.45, 0.0), (0.02, h, 0.2)))
    lintel = box((0.0, h + 0.25, 0.0), (gw + 0.1, 0.25, 0.3))
    return [("pillars", union(pillars, caps)), ("doors", doors), ("lintel", lintel)]


register(
    Kind(
        name="gate",
        group="structure",
        words=("gate", "gateway", "portal", "archway", "entrance"),
        parts={"pillars": ("stone",), "doors": ("dark_wood", "iron"), "lintel": ("dark_wood", "stone")},
        body=("pillars",),
        ranges={"width": (2.6, 3.8), "height": (2.4, 3.2)},
        build=_gate,
        plural_count=2,
        spacing_m=2.0,
    )
)


def _well(p: dict[str, float]) -> list[tuple[str, Node]]:
    r, h = p["radius"], p["wall_h"]
    roof_y = h + 1.35
    return [
        ("walls", tube((0.0, (h - 0.25) / 2, 0.0), r, 0.24, (h + 0.25) / 2)),
        ("water", cylinder((0.0, (h - 0.4 - 0.25) / 2, 0.0), r - 0.2, (h - 0.4 + 0.25) / 2)),
        ("posts", mirror(box((r - 0.1, (0.3 + roof_y) / 2, 0.0), (0.08, (roof_y - 0.3) / 2, 0.08)), "x")),
        (
            "crank",
            union(cylinder((0.0, h + 0.8, 0.0), 0.06, r - 0.05, axis="x"), cylinder((0.0, h + 0.25, 0.0), 0.14, 0.14)),
        ),
        ("roof", gable((0.0, roof_y - 0.05, 0.0), r + 0.2, r + 0.3, 0.7, ridge="x")),
    ]


register(
    Kind(
        name="well",
        group="landmark",
        words=("well", "wishing well", "water well", "cistern"),
        parts={
            "walls": ("stone", "cobble"),
            "water": ("water",),
            "posts": ("wood",),
            "crank": ("dark_wood",),
            "roof": ("roof_tiles", "boards", "thatch"),
        },
        body=("walls",),
        ranges={"radius": (0.75, 0.95), "wall_h": (0.8, 1.0)},
        build=_well,
        plural_count=2,
        spacing_m=1.5,
    )
)


def _bridge(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hw, rise = p["length"] / 2, p["width"] / 2, p["rise"]
    big = (hl * hl + rise * rise) / (2 * rise)
    top = rise + 0.6
    deck = cylinder((0.0, top - big, 0.0), big, hw, axis="z")
    clip = standing_box(0.0, 0.0, top, hl, hw, below=FOUNDATION_M)
    arch_r = hl * 0.55
    arch = cylinder((0.0, -arch_r * 0.45, 0.0), arch_r, hw + 1.0, axis="z")
    body = subtract(intersect(deck, clip), arch)
    wall_band = mirror(box((0.0, top / 2 + 0.6, hw - 0.15), (hl, top / 2 + 0.6, 0.15)), "z")
    parapet = subtract(
        intersect(cylinder((0.0, top - big, 0.0), big + 0.8, hw, axis="z"), wall_band),
        cylinder((0.0, top - big, 0.0), big - 0.05, hw + 1.0, axis="z"),
        arch,
    )
    return [("deck", body), ("parapets", parapet)]


register(
    Kind(
        name="bridge",
        group="structure",
        words=("bridge", "footbridge", "viaduct", "crossing"),
        parts={"deck": ("stone", "boards"), "parapets": ("stone", "wood")},
        body=("deck", "parapets"),
        ranges={"length": (8.0, 11.0), "width": (2.6, 3.4), "rise": (0.8, 1.4)},
        build=_bridge,
        plural_count=2,
        spacing_m=1.0,
        flags={"linear": 1.0},
    )
)


def _pier(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hw, deck_y = p["length"] / 2, p["width"] / 2, p["deck_h"]
    n = max(2, int(p["length"] / 2.2) + 1)
    posts = mirror(
        repeat(
            cylinder((hw - 0.12, (deck_y - 1.8) / 2, 0.0), 0.12, (deck_y + 1.8) / 2 + 0.3),
            "z",
            (p["length"] - 0.3) / (n - 1),
            n,
        ),
        "x",
    )
    return [
        ("deck", box((0.0, deck_y, 0.0), (hw, 0.08, hl))),
        ("posts", posts),
    ]


register(
    Kind(
        name="pier",
        group="waterfront",
        words=("pier", "jetty", "dock", "wharf", "quay", "boardwalk", "landing stage"),
        parts={"deck": ("boards",), "posts": ("dark_wood",)},
        body=("deck", "posts"),
        ranges={"length": (9.0, 14.0), "width": (2.0, 2.8), "deck_h": (0.9, 1.2)},
        build=_pier,
        ground="water",
        plural_count=2,
        spacing_m=1.5,
        flags={"linear": 1.0, "shore": 1.0},
    )
)
