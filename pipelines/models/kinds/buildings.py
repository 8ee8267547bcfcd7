"""Buildings: houses, cabins, huts, towers (walls, fences, wells, bridges and piers are in ``buildings_works``)."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.parts import at_corners, standing_box, standing_cylinder
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
        fb = at_corners(box((front_x, y0, zc), (0.45 + grow, 0.55 + grow, half_z)))
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
        ("foundation", standing_box(0.0, 0.0, base, hw + 0.12, hd + 0.12, below=FOUNDATION_M)),
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
        ("foundation", standing_box(0.0, 0.0, base, hw + 0.1, hd + 0.1, below=FOUNDATION_M)),
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
    walls = subtract(standing_cylinder(0.0, 0.0, h, r, below=0.3), door_hole)
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
    posts = polar_repeat(standing_cylinder(deck_r - 0.2, 0.0, lift, 0.1, below=FOUNDATION_M), 6)
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
