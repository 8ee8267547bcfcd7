"""Town buildings: shop, church (blocks are in ``town_blocks``). Fronts (doors, shopfronts) face +Z."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.buildings import gable_roof
from pipelines.models.kinds.parts import standing_box
from pipelines.models.sdf import (
    Node,
    box,
    cone,
    cylinder,
    intersect,
    mirror,
    near_surface,
    pyramid,
    repeat,
    rotate,
    subtract,
    union,
)

FOUNDATION_M = 0.4  # buildings reach this far below the base, for uneven ground


def grid_windows(
    hw: float,
    hd: float,
    y0: float,
    dy: float,
    rows: int,
    cols: tuple[int, int],
    half: tuple[float, float],
    sides: bool = True,
) -> tuple[Node, Node, Node]:
    """Return (holes, glass, sills) for ``rows`` storeys of windows on a box's faces, the first centred at ``y0``.

    ``cols`` is (windows across the front and back, windows along each side);
    ``half`` the window's half (width, height).
    """
    wx, wy = half
    y_mid = y0 + (rows - 1) / 2 * dy

    def ring(inset: float, depth: float, grow: float, drop: float = 0.0, tall: float = 0.0) -> Node:
        nx, nz = cols
        front = repeat(
            repeat(box((0.0, y_mid - drop, hd - inset), (wx + grow, (tall or wy), depth)), "x", 2 * hw / nx, nx),
            "y",
            dy,
            rows,
        )
        faces = mirror(front, "z")
        if sides and nz > 0:
            side = repeat(
                repeat(box((hw - inset, y_mid - drop, 0.0), (depth, (tall or wy), wx + grow)), "z", 2 * hd / nz, nz),
                "y",
                dy,
                rows,
            )
            faces = union(faces, mirror(side, "x"))
        return faces

    return ring(0.0, 0.25, 0.0), ring(0.15, 0.03, 0.0), ring(-0.04, 0.06, 0.08, drop=wy + 0.05, tall=0.05)


def _shop(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd = p["width"] / 2, p["depth"] / 2
    rng = variant_rng(p)
    base, ground_h = 0.3, 3.6
    uppers = int(p["floors"]) - 1
    top = base + ground_h + 3.0 * uppers
    side = 1.0 if rng.uniform() < 0.5 else -1.0
    door_x = side * (hw - 1.2)
    win_lo, win_hi = -hw + 0.5 if side > 0 else door_x + 0.8, door_x - 0.8 if side > 0 else hw - 0.5
    win_c, win_w = (win_lo + win_hi) / 2, (win_hi - win_lo) / 2
    walls_box = box((0.0, (base - 0.05 + top) / 2, 0.0), (hw, (top - base + 0.05) / 2, hd))
    door_hole = box((door_x, base + 1.15, hd), (0.55, 1.15, 0.3))
    shop_hole = box((win_c, base + 1.6, hd), (win_w, 1.0, 0.3))
    cut = [door_hole, shop_hole]
    parts: list[tuple[str, Node]] = []
    if uppers > 0:
        holes, glass, sills = grid_windows(
            hw, hd, base + ground_h + 1.5, 3.0, uppers, (max(2, int(p["width"] / 2.6)), 2), (0.5, 0.7)
        )
        cut.append(near_surface(holes, walls_box, 0.3))
        parts += [("windows", near_surface(glass, walls_box, 0.3)), ("trim", near_surface(sills, walls_box, 0.3))]
    fascia_y = base + ground_h - 0.55
    awning = rotate(
        box((win_c, fascia_y - 0.45, hd + 0.7), (win_w + 0.2, 0.04, 0.75)),
        pitch_deg=18,
        pivot=(win_c, fascia_y - 0.45, hd),
    )
    if p["flat"] > 0.5:
        roof = subtract(
            box((0.0, top + 0.35, 0.0), (hw + 0.1, 0.35, hd + 0.1)),
            box((0.0, top + 0.7, 0.0), (hw - 0.2, 0.4, hd - 0.2)),
        )
        walls = subtract(walls_box, *cut)
    else:
        roof, ends = gable_roof(hw, hd, top, p["pitch"], 0.4, 0.28)
        walls = union(subtract(walls_box, *cut), ends)
    parts += [
        ("foundation", standing_box(0.0, 0.0, base, hw + 0.1, hd + 0.1, below=FOUNDATION_M)),
        ("walls", walls),
        ("roof", roof),
        ("shop window", box((win_c, base + 1.6, hd - 0.15), (win_w, 1.0, 0.03))),
        ("door", box((door_x, base + 1.1, hd - 0.15), (0.55, 1.1, 0.05))),
        ("sign", box((0.0, fascia_y, hd + 0.08), (hw - 0.2, 0.35, 0.08))),
        ("awning", awning),
    ]
    return parts


register(
    Kind(
        name="shop",
        group="shop",
        words=(
            "shop",
            "store",
            "storefront",
            "shopfront",
            "bakery",
            "boutique",
            "grocery",
            "butcher",
            "cafe",
            "café",
            "pharmacy",
            "general store",
            "corner shop",
        ),
        parts={
            "foundation": ("stone", "concrete"),
            "walls": ("brick", "plaster:cream", "plaster:white", "plaster:beige", "boards"),
            "windows": ("glass",),
            "trim": ("paint:white", "stone"),
            "shop window": ("glass",),
            "door": ("dark_wood", "paint:green", "glass"),
            "sign": ("paint:green", "paint:red", "paint:navy", "dark_wood", "paint:black"),
            "awning": ("awning", "canvas", "awning:green"),
            "roof": ("roof_tiles", "slate", "concrete"),
        },
        body=("walls",),
        ranges={
            "width": (6.0, 9.0),
            "depth": (7.0, 10.0),
            "floors": (1.0, 3.4),
            "pitch": (0.5, 0.85),
            "flat": (0.0, 1.0),
        },
        integer_params=("floors", "flat"),
        build=_shop,
        plural_count=4,
        spacing_m=1.0,
    )
)


def _arched(c: tuple[float, float, float], half_w: float, half_h: float, depth: float, axis: str) -> Node:
    """Return a round-arched opening: a box topped by a half cylinder, ``depth`` thick along ``axis``."""
    top = (c[0], c[1] + half_h, c[2])
    hx, hz = (depth, half_w) if axis == "x" else (half_w, depth)
    return union(box(c, (hx, half_h, hz)), cylinder(top, half_w, depth, axis=axis))


def _church(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, wall_h = p["width"] / 2, p["length"] / 2, p["wall_h"]
    base = 0.4
    top = base + wall_h
    ts = p["tower"] / 2
    tz = hd + ts - 0.6  # the tower stands at the front, half out of the nave
    tower_top = base + p["tower_h"]
    nave = box((0.0, (base - 0.05 + top) / 2, 0.0), (hw, (top - base + 0.05) / 2, hd))
    roof, ends = gable_roof(hd, hw, top, p["pitch"], 0.5, 0.35)
    roof, ends = rotate(roof, yaw_deg=90.0), rotate(ends, yaw_deg=90.0)  # the ridge runs front to back
    n = max(3, int(p["length"] / 4.0))
    windows = mirror(
        repeat(_arched((hw, base + wall_h * 0.45, 0.0), 0.55, wall_h * 0.22, 0.4, "x"), "z", 2 * hd / n, n), "x"
    )
    glass = mirror(
        repeat(_arched((hw - 0.2, base + wall_h * 0.45, 0.0), 0.55, wall_h * 0.22, 0.03, "x"), "z", 2 * hd / n, n), "x"
    )
    apse = intersect(
        cylinder((0.0, (base - 0.05 + top) / 2, -hd), hw * 0.75, (top - base + 0.05) / 2),
        box((0.0, (base + top) / 2, -hd - hw), (hw, (top - base) / 2 + 0.1, hw)),
    )
    apse_roof = intersect(
        cone((0.0, top - 0.1, -hd), hw * 0.75 + 0.4, 0.1, wall_h * 0.4),
        box((0.0, top + wall_h * 0.2, -hd - hw), (hw + 1.0, wall_h * 0.25, hw + 0.5)),
    )
    tower = box((0.0, (base - 0.05 + tower_top) / 2, tz), (ts, (tower_top - base + 0.05) / 2, ts))
    belfry = union(
        _arched((0.0, tower_top - 2.2, tz + ts), 0.6, 0.9, 0.4, "z"),
        _arched((0.0, tower_top - 2.2, tz - ts), 0.6, 0.9, 0.4, "z"),
        _arched((ts, tower_top - 2.2, tz), 0.6, 0.9, 0.4, "x"),
        _arched((-ts, tower_top - 2.2, tz), 0.6, 0.9, 0.4, "x"),
    )
    door = _arched((0.0, base + 1.3, tz + ts), 0.9, 1.3, 0.3, "z")
    spire_top = tower_top + p["spire_h"]
    cross_y = spire_top + 0.6
    return [
        (
            "foundation",
            union(
                standing_box(0.0, 0.0, base, hw + 0.15, hd + 0.15, below=FOUNDATION_M),
                standing_box(0.0, tz, base, ts + 0.15, ts + 0.15, below=FOUNDATION_M),
            ),
        ),
        ("walls", union(subtract(union(nave, ends, apse), windows), subtract(tower, belfry, door))),
        ("roof", union(roof, apse_roof)),
        ("spire", pyramid((0.0, tower_top - 0.05, tz), ts + 0.3, ts + 0.3, p["spire_h"] + 0.05)),
        ("windows", glass),
        ("door", _arched((0.0, base + 1.25, tz + ts - 0.15), 0.9, 1.25, 0.05, "z")),
        ("cross", union(box((0.0, cross_y, tz), (0.08, 0.7, 0.08)), box((0.0, cross_y + 0.2, tz), (0.4, 0.08, 0.08)))),
    ]


register(
    Kind(
        name="church",
        group="church",
        words=(
            "church",
            "chapel",
            "cathedral",
            "steeple",
            "parish church",
            "kirk",
            "abbey",
            "basilica",
            "village church",
        ),
        parts={
            "foundation": ("stone",),
            "walls": ("stone", "plaster:white", "brick", "sandstone"),
            "roof": ("slate", "roof_tiles", "copper"),
            "spire": ("slate", "copper", "roof_tiles"),
            "windows": ("glass", "glass:blue"),
            "door": ("dark_wood",),
            "cross": ("gold", "iron"),
        },
        body=("walls",),
        ranges={
            "width": (8.0, 11.0),
            "length": (15.0, 22.0),
            "wall_h": (6.0, 8.5),
            "pitch": (1.0, 1.3),
            "tower": (3.6, 4.6),
            "tower_h": (13.0, 19.0),
            "spire_h": (6.0, 11.0),
        },
        build=_church,
        plural_count=1,
        spacing_m=3.0,
    )
)
