"""Buildings and built structures: houses, cabins, huts, towers, walls, wells, bridges."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.sdf import (
    Node,
    box,
    cone,
    cylinder,
    gable,
    intersect,
    mirror,
    near_surface,
    polar_repeat,
    repeat,
    rotate,
    sphere,
    subtract,
    translate,
    tube,
    union,
)

FOUNDATION_M = 0.4  # how far foundations reach below the base, for uneven ground


def box_windows(hw: float, hd: float, y0: float, floors: int, front_x: float) -> tuple[Node, Node, Node]:
    """Return (holes, glass, frames) for windows on all four walls of a box house."""

    def ring(zc: float, half_z: float, grow: float) -> Node:
        fb = mirror(mirror(box((front_x, y0, zc), (0.45 + grow, 0.55 + grow, half_z)), "x"), "z")
        side = mirror(box((hw - (hd - zc), y0, 0.0), (half_z, 0.55 + grow, 0.45 + grow)), "x")
        return repeat(union(fb, side), "y", 2.7, floors)

    holes = ring(hd, 0.15, 0.0)
    glass = ring(hd - 0.1, 0.03, 0.0)
    frame = subtract(ring(hd, 0.05, 0.09), ring(hd, 0.15, 0.0))
    return holes, glass, frame


def gable_roof(hw: float, hd: float, top: float, pitch: float, overhang: float, thick: float) -> tuple[Node, Node]:
    """Return (roof shell, gable-end walls) for a ridge along x over a w x d box."""
    rise = pitch * hd
    span = hd + overhang
    outer = gable((0.0, top - rise * overhang / hd, 0.0), span, hw + overhang, rise * span / hd, ridge="x")
    inner = gable(
        (0.0, top - rise * overhang / hd - thick, 0.0), span, hw + overhang + 1.0, rise * span / hd, ridge="x"
    )
    ends = gable((0.0, top - 0.2, 0.0), hd, hw, rise, ridge="x")
    return subtract(outer, inner), ends


def _timber(hw: float, hd: float, base: float, top: float, floors: int) -> Node:
    """Return half-timbering: dark beams (sills, storey rails, posts, corner braces) standing 5 cm proud of the walls."""
    mid, half_h = (base + top) / 2, (top - base) / 2
    zone = subtract(
        box((0.0, mid, 0.0), (hw + 0.05, half_h, hd + 0.05)), box((0.0, mid, 0.0), (hw - 0.1, half_h + 1.0, hd - 0.1))
    )
    rails = repeat(box((0.0, mid, 0.0), (hw + 1.0, 0.1, hd + 1.0)), "y", (top - base - 0.2) / floors, floors + 1)
    nx, nz = max(2, round(2 * hw / 1.4)), max(2, round(2 * hd / 1.4))
    # each post crosses only its own face, so the outermost ones are corner posts, not a whole side
    posts = union(
        mirror(repeat(box((0.0, mid, hd), (0.1, half_h, 0.2)), "x", (2 * hw - 0.2) / nx, nx + 1), "z"),
        mirror(repeat(box((hw, mid, 0.0), (0.2, half_h, 0.1)), "z", (2 * hd - 0.2) / nz, nz + 1), "x"),
    )
    storey = (top - base) / floors
    brace = mirror(
        mirror(
            rotate(
                box((hw - 0.7, base + storey / 2, hd), (storey * 0.62, 0.09, 0.2)),
                roll_deg=-50,
                pivot=(hw - 0.7, base + storey / 2, hd),
            ),
            "x",
        ),
        "z",
    )
    braces = repeat(brace, "y", storey, floors) if floors > 1 else brace
    if floors > 1:
        braces = translate(braces, (0.0, (floors - 1) * storey / 2, 0.0))
    return intersect(zone, union(rails, posts, braces))


def _ruin(
    parts: list[tuple[str, Node]], p: dict[str, float], hw: float, hd: float, floor_y: float, top: float, wall_t: float
) -> list[tuple[str, Node]]:
    """Return ``parts`` broken: hollowed, holes torn in the roof, wall tops crumbled at two corners, no glass, no door."""
    rng = variant_rng(p, 7)
    roof_cuts = []
    for _ in range(2):
        x, z = float(rng.uniform(-0.6, 0.6)) * hw, float(rng.uniform(-0.5, 0.5)) * hd
        roof_cuts += [
            sphere(
                (
                    x + float(rng.uniform(-0.7, 0.7)),
                    top + float(rng.uniform(0.6, 1.4)),
                    z + float(rng.uniform(-0.7, 0.7)),
                ),
                float(rng.uniform(0.8, 1.4)),
            )
            for _ in range(3)
        ]
    corners = [(sx * hw, top + 0.3, sz * hd) for sx in (-1.0, 1.0) for sz in (-1.0, 1.0)]
    wall_cuts = [sphere(corners[int(k)], float(rng.uniform(1.1, 1.7))) for k in rng.choice(4, 2, replace=False)]
    hollow = box((0.0, floor_y + 10.0, 0.0), (hw - wall_t, 10.0, hd - wall_t))
    out = []
    for name, node in parts:
        if name in ("windows", "door"):
            continue
        if name == "roof":
            node = subtract(node, *roof_cuts, *wall_cuts)
        elif name == "walls":
            node = subtract(node, hollow, *wall_cuts)
        elif name in ("chimney", "trim", "beams"):
            node = subtract(node, *wall_cuts)
        out.append((name, node))
    return out


def _house(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd = p["width"] / 2, p["depth"] / 2
    floors = max(1, int(p["floors"]))
    base = 0.35
    top = base + 2.7 * floors
    door_x = p["door_offset"] * hw
    front_x = hw * 0.55 if abs(door_x) < 0.2 else -door_x * 0.9
    if abs(front_x - door_x) < 1.1 or abs(-front_x - door_x) < 1.1:
        front_x = hw * 0.62
    holes, glass, frames = box_windows(hw, hd, base + 1.5 + 1.35 * (floors - 1), floors, front_x)
    wall_box = box((0.0, (base - 0.05 + top) / 2, 0.0), (hw, (top - base + 0.05) / 2, hd))
    holes, glass, frames = (near_surface(n, wall_box, 0.2) for n in (holes, glass, frames))
    door_hole = box((door_x, base + 1.05, hd), (0.5, 1.05, 0.15))
    roof, ends = gable_roof(hw, hd, top, p["pitch"], 0.4, 0.28)
    parts = [
        ("foundation", box((0.0, (base - FOUNDATION_M) / 2, 0.0), (hw + 0.12, (base + FOUNDATION_M) / 2, hd + 0.12))),
        ("walls", subtract(union(wall_box, ends), door_hole, holes)),
        ("roof", roof),
        ("door", box((door_x, base + 1.0, hd - 0.1), (0.5, 1.0, 0.06))),
        ("windows", glass),
        ("trim", frames),
    ]
    if p["chimney"] > 0.5:
        rise = p["pitch"] * hd
        parts.append(("chimney", box((hw * 0.45, top + rise * 0.6, -hd * 0.35), (0.35, rise * 0.6 + 0.3, 0.35))))
    if p.get("timber", 0.0) > 0.5:
        parts.append(("beams", subtract(_timber(hw, hd, base, top, floors), door_hole, holes)))
    if p.get("ruined", 0.0) > 0.5:
        parts = _ruin(parts, p, hw, hd, base, top, 0.3)
    return parts


register(
    Kind(
        name="house",
        group="building",
        words=("house", "home", "cottage", "dwelling", "farmhouse", "townhouse", "building", "residence", "inn"),
        parts={
            "foundation": ("stone",),
            "walls": ("plaster", "plaster:cream", "plaster:beige", "brick", "plaster:white", "boards"),
            "roof": ("roof_tiles", "slate", "thatch", "roof_tiles:brown"),
            "door": ("dark_wood", "wood"),
            "windows": ("glass",),
            "trim": ("paint:white", "dark_wood"),
            "chimney": ("brick", "stone"),
            "beams": ("dark_wood",),
        },
        body=("walls",),
        ranges={
            "width": (6.0, 9.0),
            "depth": (5.0, 7.0),
            "floors": (1.0, 2.2),
            "pitch": (0.55, 0.95),
            "chimney": (0.0, 1.0),
            "door_offset": (-0.3, 0.3),
        },
        integer_params=("floors", "chimney"),
        build=_house,
        plural_count=4,
        spacing_m=2.5,
        attributes={
            "timber": {"params": {"timber": 1.0}, "parts": {"walls": "plaster:cream"}},
            "broken": {"params": {"ruined": 1.0}},
        },
    )
)


def _cabin(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd = p["width"] / 2, p["depth"] / 2
    base, top = 0.2, 0.2 + p["wall_h"]
    r = 0.17
    n = max(2, int((top - base) / 0.3))
    yc = base + (n - 1) * 0.15 + r
    logs_x = mirror(repeat(cylinder((0.0, yc, hd - r), r, hw + 0.25, axis="x"), "y", 0.3, n), "z")
    logs_z = mirror(repeat(cylinder((hw - r, yc, 0.0), r, hd + 0.25, axis="z"), "y", 0.3, n), "x")
    core = box((0.0, (base + top) / 2, 0.0), (hw - r, (top - base) / 2, hd - r))
    door_hole = box((0.0, base + 1.0, hd), (0.48, 1.0, 0.5))
    win_hole = mirror(box((hw * 0.6, base + 1.4, hd), (0.4, 0.4, 0.5)), "x")
    side_hole = mirror(box((hw, base + 1.4, 0.0), (0.5, 0.4, 0.4)), "x")
    walls = subtract(union(core, logs_x, logs_z), door_hole, win_hole, side_hole)
    roof, ends = gable_roof(hw + 0.25, hd, top, p["pitch"], 0.45, 0.22)
    glass = union(
        mirror(box((hw * 0.6, base + 1.4, hd - 0.3), (0.4, 0.4, 0.03)), "x"),
        mirror(box((hw - 0.3, base + 1.4, 0.0), (0.03, 0.4, 0.4)), "x"),
    )
    parts = [
        ("foundation", box((0.0, (base - FOUNDATION_M) / 2, 0.0), (hw + 0.1, (base + FOUNDATION_M) / 2, hd + 0.1))),
        ("walls", union(walls, ends)),
        ("roof", roof),
        ("door", box((0.0, base + 0.98, hd - 0.28), (0.48, 0.98, 0.05))),
        ("windows", glass),
        (
            "chimney",
            box(
                (-hw + 0.2, (top + p["pitch"] * hd + 0.8) / 2, -hd * 0.3),
                (0.45, (top + p["pitch"] * hd + 0.8) / 2 + 0.2, 0.45),
            ),
        ),
    ]
    return _ruin(parts, p, hw, hd, base, top, 0.4) if p.get("ruined", 0.0) > 0.5 else parts


register(
    Kind(
        name="cabin",
        group="building",
        words=("cabin", "log cabin", "lodge", "chalet", "shack", "hunting lodge"),
        parts={
            "foundation": ("stone",),
            "walls": ("log",),
            "roof": ("dark_wood", "slate", "boards"),
            "door": ("dark_wood",),
            "windows": ("glass",),
            "chimney": ("stone",),
        },
        body=("walls",),
        ranges={"width": (4.5, 6.5), "depth": (3.8, 5.0), "wall_h": (2.4, 2.9), "pitch": (0.6, 0.9)},
        build=_cabin,
        plural_count=3,
        spacing_m=2.5,
        attributes={"broken": {"params": {"ruined": 1.0}}},
    )
)


def _hut(p: dict[str, float]) -> list[tuple[str, Node]]:
    r, h = p["radius"], p["wall_h"]
    door_hole = box((0.0, 0.95, r), (0.45, 0.95, 0.5))
    walls = subtract(cylinder((0.0, (h - 0.3) / 2, 0.0), r, (h + 0.3) / 2), door_hole)
    parts = [
        ("walls", walls),
        ("roof", cone((0.0, h - 0.35, 0.0), r + 0.55, 0.05, p["roof_h"])),
        ("door", box((0.0, 0.9, r - 0.35), (0.45, 0.9, 0.05))),
    ]
    if p.get("stilts", 0.0) <= 0.5:
        return parts
    # On stilts: the hut rises onto a deck on posts, with a ladder up to the door.
    lift = 1.4 + 0.8 * float(variant_rng(p, 3).uniform())
    parts = [(name, translate(node, (0.0, lift, 0.0))) for name, node in parts]
    deck_r = r + 0.5
    posts = polar_repeat(cylinder((deck_r - 0.2, (lift - FOUNDATION_M) / 2, 0.0), 0.1, (lift + FOUNDATION_M) / 2), 6)
    run = lift * 0.45
    ang = math.degrees(math.atan2(run, lift))
    foot_z = deck_r + run
    rails = mirror(
        rotate(
            box((0.32, lift / 2, deck_r + run / 2), (0.04, math.hypot(lift, run) / 2, 0.04)),
            pitch_deg=-ang,
            pivot=(0.32, lift / 2, deck_r + run / 2),
        ),
        "x",
    )
    n = max(3, int(lift / 0.32))
    rungs = [
        cylinder((0.0, (k + 0.5) * lift / n, foot_z - (k + 0.5) * run / n), 0.03, 0.32, axis="x") for k in range(n)
    ]
    parts += [
        ("deck", cylinder((0.0, lift - 0.15, 0.0), deck_r, 0.15)),
        ("posts", union(posts, rails, *rungs)),
    ]
    return parts


register(
    Kind(
        name="hut",
        group="building",
        words=("hut", "shed", "yurt", "roundhouse", "hovel", "igloo"),
        parts={
            "walls": ("plaster:ochre", "plaster:beige", "boards"),
            "roof": ("thatch", "hay"),
            "door": ("wood",),
            "deck": ("boards",),
            "posts": ("wood", "dark_wood"),
        },
        body=("walls",),
        ranges={"radius": (1.6, 2.4), "wall_h": (1.9, 2.4), "roof_h": (1.8, 2.6)},
        build=_hut,
        plural_count=3,
        spacing_m=2.0,
        attributes={"stilts": {"params": {"stilts": 1.0}}},
    )
)


def _tower(p: dict[str, float]) -> list[tuple[str, Node]]:
    r, h = p["radius"], p["height"]
    slits = polar_repeat(box((r, 0.0, 0.0), (0.3, 0.6, 0.16)), 4)
    levels = max(1, int(h / 3.5) - 1)
    slit_holes = repeat(translate(slits, (0.0, 3.2 + (levels - 1) * 1.6, 0.0)), "y", 3.2, levels)
    door_hole = box((0.0, 1.1, r), (0.6, 1.1, 0.5))
    body = subtract(cone((0.0, -FOUNDATION_M, 0.0), r * 1.08, r, h + FOUNDATION_M), door_hole, slit_holes)
    parts = [
        ("walls", body),
        ("door", box((0.0, 1.05, r - 0.3), (0.6, 1.05, 0.06))),
        ("windows", subtract(cone((0.0, 0.5, 0.0), r * 1.08 - 0.1, r - 0.1, h - 1.0), door_hole)),
    ]
    if p["roof"] > 0.5:
        parts.append(("roof", cone((0.0, h - 0.1, 0.0), r + 0.5, 0.05, r * 1.6)))
    else:
        merlons = subtract(
            tube((0.0, h + 0.5, 0.0), r + 0.25, 0.55, 0.6),
            polar_repeat(box((r, h + 0.9, 0.0), (0.6, 0.45, 0.35)), max(6, int(r * 3.2))),
        )
        parts.append(("battlements", merlons))
    return parts


register(
    Kind(
        name="tower",
        group="building",
        words=("tower", "watchtower", "turret", "belfry", "spire", "bell tower", "round tower"),
        parts={
            "walls": ("stone", "brick", "sandstone"),
            "door": ("dark_wood",),
            "windows": ("iron",),
            "roof": ("slate", "roof_tiles"),
            "battlements": ("stone",),
        },
        body=("walls", "battlements"),
        ranges={"radius": (2.0, 3.0), "height": (8.0, 13.0), "roof": (0.0, 1.0)},
        integer_params=("roof",),
        build=_tower,
        plural_count=2,
        spacing_m=3.0,
    )
)


def _wall(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, h, ht = p["length"] / 2, p["height"], p["thickness"] / 2
    n = max(3, int(p["length"] / 1.2))
    merlons = repeat(box((0.0, h + 0.35, 0.0), (0.3, 0.35, ht)), "x", p["length"] / n, n)
    return [
        ("walls", box((0.0, (h - FOUNDATION_M) / 2, 0.0), (hl, (h + FOUNDATION_M) / 2, ht))),
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
    posts = repeat(box((0.0, (h - 0.3) / 2, 0.0), (0.09, (h + 0.3) / 2, 0.09), round_m=0.01), "x", step, n)
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
    pillars = mirror(box((gw + 0.4, (h + 0.6 - FOUNDATION_M) / 2, 0.0), (0.4, (h + 0.6 + FOUNDATION_M) / 2, 0.4)), "x")
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
    clip = box((0.0, (top - FOUNDATION_M) / 2, 0.0), (hl, (top + FOUNDATION_M) / 2, hw))
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
