"""Town buildings: shop, church, apartment building, office tower. Fronts (doors, shopfronts) face +Z."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.buildings import gable_roof
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
    translate,
    union,
)

FOUNDATION_M = 0.4  # buildings reach this far below the base, for uneven ground


def _shift_y(a: Node, dy: float) -> Node:
    return translate(a, (0.0, dy, 0.0))


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
        ("foundation", box((0.0, (base - FOUNDATION_M) / 2, 0.0), (hw + 0.1, (base + FOUNDATION_M) / 2, hd + 0.1))),
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
                box((0.0, (base - FOUNDATION_M) / 2, 0.0), (hw + 0.15, (base + FOUNDATION_M) / 2, hd + 0.15)),
                box((0.0, (base - FOUNDATION_M) / 2, tz), (ts + 0.15, (base + FOUNDATION_M) / 2, ts + 0.15)),
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


def _apartments(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd = p["width"] / 2, p["depth"] / 2
    floors = int(p["floors"])
    base, fh = 0.3, 3.0
    top = base + fh * floors
    walls_box = box((0.0, (base - 0.05 + top) / 2, 0.0), (hw, (top - base + 0.05) / 2, hd))
    cols = (max(3, int(p["width"] / 3.2)), max(2, int(p["depth"] / 3.4)))
    holes, glass, sills = grid_windows(hw, hd, base + 1.6, fh, floors, cols, (0.6, 0.75))
    door_hole = box((0.0, base + 1.2, hd), (0.9, 1.2, 0.3))
    parts = [
        ("foundation", box((0.0, (base - FOUNDATION_M) / 2, 0.0), (hw + 0.1, (base + FOUNDATION_M) / 2, hd + 0.1))),
        ("walls", subtract(walls_box, near_surface(holes, walls_box, 0.3), door_hole)),
        ("base", subtract(box((0.0, base + 0.5, 0.0), (hw + 0.05, 0.55, hd + 0.05)), door_hole)),
        ("windows", near_surface(glass, walls_box, 0.3)),
        ("trim", near_surface(sills, walls_box, 0.3)),
        ("door", box((0.0, base + 1.2, hd - 0.15), (0.9, 1.2, 0.05))),
        (
            "roof",
            union(
                subtract(
                    box((0.0, top + 0.45, 0.0), (hw + 0.05, 0.5, hd + 0.05)),
                    box((0.0, top + 0.9, 0.0), (hw - 0.25, 0.5, hd - 0.25)),
                ),
                box((hw * 0.3, top + 1.3, -hd * 0.2), (1.6, 1.3, 1.6)),
                box((0.0, base + 2.7, hd + 0.6), (1.4, 0.08, 0.7)),
            ),
        ),
    ]
    if p["balconies"] > 0.5 and floors > 1:
        nx = cols[0]
        slab = box((0.0, 0.0, hd + 0.6), (0.9, 0.08, 0.6))
        rail = subtract(box((0.0, 0.5, hd + 0.6), (0.9, 0.5, 0.6)), box((0.0, 0.6, hd + 0.55), (0.85, 0.6, 0.6)))
        one = union(slab, rail)
        row = repeat(one, "x", 2 * hw / nx, nx)
        y_first = base + fh + 0.1
        stack = repeat(row, "y", fh, floors - 1)
        parts.append(("balconies", _shift_y(stack, y_first + (floors - 2) / 2 * fh)))
    return parts


register(
    Kind(
        name="apartment building",
        group="building",
        words=(
            "apartment building",
            "apartment block",
            "apartments",
            "tenement",
            "flats",
            "block of flats",
            "apartment house",
            "condominium",
            "residential block",
        ),
        parts={
            "foundation": ("concrete",),
            "walls": ("brick", "plaster:cream", "plaster:white", "concrete", "plaster:ochre"),
            "base": ("stone", "concrete", "brick"),
            "windows": ("glass",),
            "trim": ("paint:white", "stone"),
            "door": ("dark_wood", "glass"),
            "roof": ("concrete",),
            "balconies": ("concrete", "metal", "paint:white"),
        },
        body=("walls",),
        ranges={"width": (13.0, 21.0), "depth": (10.0, 13.0), "floors": (4.0, 7.4), "balconies": (0.0, 1.0)},
        integer_params=("floors", "balconies"),
        build=_apartments,
        plural_count=2,
        spacing_m=3.0,
    )
)


def _office(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    fh = 3.8
    floors = int(h / fh)
    h = floors * fh
    setback = p["setback"] > 0.5
    body_h = h * 0.78 if setback else h
    core = box((0.0, (body_h - FOUNDATION_M) / 2, 0.0), (hw - 0.3, (body_h + FOUNDATION_M) / 2, hd - 0.3))
    bands = repeat(box((0.0, fh, 0.0), (hw, 0.3, hd)), "y", fh, floors - 1) if floors > 1 else core
    bands = _shift_y(bands, (floors - 2) / 2 * fh) if floors > 1 else core
    nx, nz = max(4, int(p["width"] / 3.0)), max(4, int(p["depth"] / 3.0))
    fins = union(
        mirror(repeat(box((0.0, body_h / 2, hd - 0.15), (0.22, body_h / 2, 0.2)), "x", 2 * hw / nx, nx + 1), "z"),
        mirror(repeat(box((hw - 0.15, body_h / 2, 0.0), (0.2, body_h / 2, 0.22)), "z", 2 * hd / nz, nz + 1), "x"),
    )
    frame = union(intersect(bands, box((0.0, body_h / 2, 0.0), (hw, body_h / 2, hd))), fins)
    parts = [
        ("windows", core),
        ("frame", frame),
        ("lobby", box((0.0, 4.2, hd + 1.2), (hw * 0.5, 0.15, 1.5))),
    ]
    crown_top = body_h
    if setback:
        tw, td = hw * 0.7, hd * 0.7
        parts.append(
            (
                "crown",
                union(
                    box((0.0, (body_h + h) / 2, 0.0), (tw - 0.3, (h - body_h) / 2, td - 0.3)),
                    repeat(box((0.0, body_h + 1.9, 0.0), (tw, 0.3, td)), "y", fh, max(1, int((h - body_h) / fh))),
                ),
            )
        )
        crown_top = h
        tw_roof, td_roof = tw, td
    else:
        tw_roof, td_roof = hw, hd
    parts.append(
        (
            "roof",
            union(
                box((0.0, crown_top + 0.4, 0.0), (tw_roof, 0.4, td_roof)),
                box((tw_roof * 0.3, crown_top + 2.0, 0.0), (tw_roof * 0.35, 1.4, td_roof * 0.4)),
            ),
        )
    )
    if p["antenna"] > 0.5:
        parts.append(
            ("antenna", cylinder((0.0, crown_top + 3.0 + p["height"] * 0.06, 0.0), 0.25, 2.6 + p["height"] * 0.06))
        )
    return parts


register(
    Kind(
        name="office tower",
        group="building",
        words=(
            "office tower",
            "skyscraper",
            "high rise",
            "highrise",
            "office building",
            "tower block",
            "office block",
            "high rise building",
        ),
        parts={
            "windows": ("glass", "glass:blue", "glass:teal"),
            "frame": ("concrete", "metal", "paint:white", "stone", "paint:black"),
            "lobby": ("metal", "concrete"),
            "crown": ("glass", "glass:blue"),
            "roof": ("concrete", "metal"),
            "antenna": ("metal",),
        },
        body=("frame",),
        ranges={
            "width": (18.0, 26.0),
            "depth": (16.0, 24.0),
            "height": (36.0, 70.0),
            "setback": (0.0, 1.0),
            "antenna": (0.0, 1.0),
        },
        integer_params=("setback", "antenna"),
        build=_office,
        plural_count=2,
        spacing_m=4.0,
    )
)
