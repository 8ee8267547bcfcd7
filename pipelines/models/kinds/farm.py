"""Farm buildings and hay: barn, silo, chicken coop, haystack, hay bale (the gear is in ``farm_gear``)."""

from __future__ import annotations

import math

# registered first, as before the splits: the catalog's order (and so every output) stays the same
from pipelines.models.kinds import vehicles, vehicles_two_wheel  # noqa: F401
from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.parts import standing_box, standing_cylinder
from pipelines.models.sdf import (
    Node,
    box,
    bulged_cylinder,
    cone,
    cylinder,
    ellipsoid,
    gable,
    intersect,
    mirror,
    near_surface,
    polytope,
    pyramid,
    repeat,
    rotate,
    smooth_union,
    subtract,
    torus,
    translate,
    union,
)

FOUNDATION_M = 0.4  # buildings reach this far below the base, for uneven ground
GROUND_M = 0.04  # small props reach this far below the base


def _barn_roof(half_span: float, y0: float, ridge_y: float, gambrel: bool, half_len: float) -> Node:
    """Return a ridge-along-z roof solid: a gambrel (a steep lower slope under a shallow upper one) or a gable.

    The gambrel's slopes meet at 55% of the half span, 70% of the way up; a
    gable puts that point on the straight line from eave to ridge.
    """
    rise = ridge_y - y0
    kx = half_span * (0.55 if gambrel else 0.5)
    ky = y0 + rise * (0.7 if gambrel else 0.5)
    normals, offsets = [(0.0, -1.0, 0.0), (0.0, 0.0, 1.0), (0.0, 0.0, -1.0)], [-y0, half_len, half_len]
    for sx in (1.0, -1.0):
        for (ax, ay), (bx, by) in (((half_span, y0), (kx, ky)), ((kx, ky), (0.0, ridge_y))):
            nx, ny = by - ay, ax - bx  # outward normal of the slope from a to b (right half)
            n = math.hypot(nx, ny)
            normals.append((sx * nx / n, ny / n, 0.0))
            offsets.append((nx * ax + ny * ay) / n)
    return polytope(normals, offsets, (-half_span, y0, -half_len), (half_span, ridge_y, half_len))


def _barn(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd = p["width"] / 2, p["depth"] / 2
    base = 0.3
    top = base + p["wall_h"]
    ridge = top + hw * p["pitch"]
    knee = p["gambrel"] > 0.5
    oh, thick = 0.35, 0.25
    outer = _barn_roof(hw + oh, top - oh * p["pitch"], ridge, knee, hd + oh)
    under = translate(_barn_roof(hw + oh, top - oh * p["pitch"], ridge, knee, hd + oh + 1.0), (0.0, -thick, 0.0))
    ends = intersect(under, box((0.0, (top + ridge) / 2, 0.0), (hw, (ridge - top) / 2 + 0.1, hd)))
    dw, dh = p["door_w"] / 2, min(p["wall_h"] - 0.6, 3.4)
    door_hole = box((0.0, base + dh / 2, hd), (dw, dh / 2, 0.3))
    loft_y = top + 0.25 * (ridge - top) + 0.5
    loft_hole = box((0.0, loft_y, hd), (0.6, 0.6, 0.3))
    nwin = max(2, int(p["depth"] / 3.2))
    win = mirror(repeat(box((hw, base + dh * 0.7, 0.0), (0.3, 0.45, 0.5)), "z", p["depth"] / nwin, nwin), "x")
    shell_box = box((0.0, (base + top) / 2, 0.0), (hw, (top - base) / 2, hd))
    walls = subtract(union(shell_box, ends), door_hole, loft_hole, near_surface(win, shell_box, 0.35))
    leaf = mirror(box((dw / 2, base + dh / 2, hd - 0.1), (dw / 2 - 0.03, dh / 2, 0.05)), "x")
    brace_len = math.hypot(dw, dh) / 2
    ang = math.degrees(math.atan2(dh, dw / 2))
    one_x = union(
        rotate(
            box((dw / 2, base + dh / 2, hd - 0.03), (brace_len, 0.07, 0.04)),
            roll_deg=ang,
            pivot=(dw / 2, base + dh / 2, hd - 0.03),
        ),
        rotate(
            box((dw / 2, base + dh / 2, hd - 0.03), (brace_len, 0.07, 0.04)),
            roll_deg=-ang,
            pivot=(dw / 2, base + dh / 2, hd - 0.03),
        ),
    )
    frame = subtract(
        box((dw / 2, base + dh / 2, hd - 0.03), (dw / 2, dh / 2, 0.04)),
        box((dw / 2, base + dh / 2, hd), (dw / 2 - 0.14, dh / 2 - 0.14, 0.2)),
    )
    braces = intersect(union(one_x, frame), box((dw / 2, base + dh / 2, hd - 0.03), (dw / 2, dh / 2, 0.05)))
    parts = [
        ("foundation", standing_box(0.0, 0.0, base, hw + 0.1, hd + 0.1, below=FOUNDATION_M)),
        ("walls", walls),
        ("roof", subtract(outer, under)),
        ("doors", union(leaf, box((0.0, loft_y, hd - 0.1), (0.58, 0.58, 0.05)))),
        (
            "trim",
            union(
                mirror(braces, "x"),
                subtract(box((0.0, loft_y, hd - 0.03), (0.6, 0.6, 0.04)), box((0.0, loft_y, hd), (0.48, 0.48, 0.2))),
            ),
        ),
        (
            "windows",
            near_surface(
                mirror(
                    repeat(box((hw - 0.1, base + dh * 0.7, 0.0), (0.03, 0.45, 0.3)), "z", p["depth"] / nwin, nwin), "x"
                ),
                shell_box,
                0.35,
            ),
        ),
    ]
    if p["cupola"] > 0.5:
        cup = box((0.0, ridge + 0.3, 0.0), (0.55, 0.75, 0.55))
        parts.append(("cupola", union(cup, pyramid((0.0, ridge + 1.0, 0.0), 0.8, 0.8, 0.8))))
    return parts


register(
    Kind(
        name="barn",
        group="barn",
        words=("barn", "stable", "cowshed", "byre", "hayloft", "cow barn"),
        parts={
            "foundation": ("stone", "concrete"),
            "walls": ("boards:red", "boards", "boards:maroon", "boards:gray"),
            "roof": ("slate", "metal", "roof_tiles", "boards:gray"),
            "doors": ("boards:red", "boards", "dark_wood"),
            "trim": ("paint:white", "paint:cream"),
            "windows": ("glass",),
            "cupola": ("paint:white", "boards:red"),
        },
        body=("walls",),
        ranges={
            "width": (8.0, 12.0),
            "depth": (10.0, 15.0),
            "wall_h": (3.6, 4.8),
            "pitch": (0.7, 1.0),
            "gambrel": (0.0, 1.0),
            "cupola": (0.0, 1.0),
            "door_w": (3.0, 3.8),
        },
        integer_params=("gambrel", "cupola"),
        build=_barn,
        plural_count=1,
        spacing_m=3.0,
    )
)


def _silo(p: dict[str, float]) -> list[tuple[str, Node]]:
    r, h = p["radius"], p["height"]
    n_bands = max(3, int(h / 2.0))
    bands = repeat(torus((0.0, h / 2, 0.0), r + 0.01, 0.05), "y", h / (n_bands + 1), n_bands)  # copies centre on h / 2
    rails = mirror(box((0.22, h / 2 + 0.5, r + 0.25), (0.035, h / 2 + 0.3, 0.035)), "x")
    n_rungs = int((h - 0.6) / 0.35)
    rungs = repeat(cylinder((0.0, 0.6 + (n_rungs - 1) * 0.175, r + 0.25), 0.03, 0.22, axis="x"), "y", 0.35, n_rungs)
    n_stays = max(2, int(h / 3.0))
    stays = repeat(box((0.0, h / 2 + 0.5, r + 0.12), (0.2, 0.04, 0.14)), "y", (h - 1.0) / n_stays, n_stays)
    dome = ellipsoid((0.0, h, 0.0), (r + 0.05, r * p["dome"], r + 0.05))
    parts = [
        ("base", standing_cylinder(0.0, 0.0, 0.3, r + 0.3, below=FOUNDATION_M)),
        ("body", cylinder((0.0, h / 2 + 0.1, 0.0), r, h / 2 - 0.1)),
        ("bands", bands),
        ("roof", intersect(dome, box((0.0, h + r, 0.0), (r + 0.1, r, r + 0.1)))),
        ("ladder", union(rails, rungs, stays)),
    ]
    if p["vent"] > 0.5:
        parts.append(
            (
                "vent",
                union(
                    cylinder((0.0, h + r * p["dome"] + 0.2, 0.0), 0.3, 0.25),
                    cone((0.0, h + r * p["dome"] + 0.45, 0.0), 0.45, 0.05, 0.35),
                ),
            )
        )
    return parts


register(
    Kind(
        name="silo",
        group="silo",
        words=("silo", "grain silo", "grain bin", "feed silo"),
        parts={
            "base": ("concrete",),
            "body": ("metal", "concrete", "brick", "paint:white"),
            "bands": ("metal", "iron"),
            "roof": ("metal", "copper", "paint:red"),
            "ladder": ("iron", "metal"),
            "vent": ("metal",),
        },
        body=("body",),
        ranges={"radius": (2.0, 3.0), "height": (8.0, 14.0), "dome": (0.35, 0.6), "vent": (0.0, 1.0)},
        integer_params=("vent",),
        build=_silo,
        plural_count=2,
        spacing_m=1.5,
    )
)


def _coop(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, leg, wall = p["width"] / 2, p["depth"] / 2, p["legs"], p["wall_h"]
    top = leg + wall
    door_x = -hw * 0.45
    door = box((door_x, leg + 0.3, hd), (0.18, 0.22, 0.2))
    win = box((hw * 0.35, leg + wall * 0.6, hd), (0.2, 0.15, 0.2))
    body = subtract(box((0.0, leg + wall / 2, 0.0), (hw, wall / 2, hd)), door, win)
    rise = hd * 0.8
    if p["hip"] > 0.5:
        outer = pyramid((0.0, top - 0.05, 0.0), hw + 0.2, hd + 0.2, rise + 0.05)  # its eaves clear the walls' top
        roof = subtract(outer, translate(outer, (0.0, -0.08, 0.0)))
        ends = box((0.0, top - 0.1, 0.0), (hw - 0.05, 0.1, hd - 0.05))
    else:
        roof = subtract(
            _ridge_x(hw + 0.2, hd + 0.2, top - 0.12, rise + 0.12),
            translate(_ridge_x(hw + 1.0, hd + 0.2, top - 0.12, rise + 0.12), (0.0, -0.08, 0.0)),
        )
        ends = intersect(
            translate(_ridge_x(hw, hd + 0.2, top - 0.12, rise + 0.12), (0.0, -0.08, 0.0)),
            box((0.0, top + rise / 2, 0.0), (hw, rise / 2 + 0.1, hd)),
        )
    legs = mirror(mirror(standing_box(hw - 0.06, hd - 0.06, leg, 0.04, 0.04, below=GROUND_M), "x"), "z")
    run = math.hypot(leg + 0.08, leg * 1.6)
    pitch = math.degrees(math.atan2(leg + 0.08, leg * 1.6))
    mid = (door_x, (leg + 0.08) / 2, hd + leg * 0.8)
    ramp = rotate(
        union(
            box(mid, (0.17, 0.02, run / 2)),
            repeat(box((mid[0], mid[1] + 0.035, mid[2]), (0.17, 0.02, 0.02)), "z", 0.16, int(run / 0.16)),
        ),
        pitch_deg=pitch,
        pivot=mid,
    )
    nest_y = leg + wall * 0.35
    nest = union(
        box((hw + 0.22, nest_y, 0.0), (0.22, 0.2, hd * 0.6)),
        rotate(
            box((hw + 0.24, nest_y + 0.24, 0.0), (0.28, 0.03, hd * 0.6 + 0.04)),
            roll_deg=-18,
            pivot=(hw, nest_y + 0.24, 0.0),
        ),
    )
    return [
        ("walls", union(body, ends, nest)),
        ("roof", roof),
        ("legs", union(legs, ramp)),
        ("door", box((door_x, leg + 0.3, hd - 0.06), (0.18, 0.22, 0.03))),
        ("windows", box((hw * 0.35, leg + wall * 0.6, hd - 0.06), (0.2, 0.15, 0.03))),
    ]


def _ridge_x(half_x: float, half_z: float, y0: float, rise: float) -> Node:
    return gable((0.0, y0, 0.0), half_z, half_x, rise, ridge="x")


register(
    Kind(
        name="chicken coop",
        group="coop",
        words=("chicken coop", "coop", "henhouse", "hen house", "chicken house", "hencoop"),
        parts={
            "walls": ("boards", "boards:white", "boards:red", "plaster:white"),
            "roof": ("roof_tiles", "boards", "metal", "slate"),
            "legs": ("wood", "dark_wood"),
            "door": ("dark_wood", "boards"),
            "windows": ("iron",),
        },
        body=("walls",),
        ranges={"width": (1.4, 2.2), "depth": (1.0, 1.4), "legs": (0.35, 0.6), "wall_h": (0.9, 1.2), "hip": (0.0, 1.0)},
        integer_params=("hip",),
        build=_coop,
        ground="embed",
        plural_count=1,
        spacing_m=1.2,
    )
)


def _haystack(p: dict[str, float]) -> list[tuple[str, Node]]:
    r, h = p["radius"], p["height"]
    rng = variant_rng(p)
    base = bulged_cylinder((0.0, -0.1, 0.0), r * 0.85, r * 0.1, h * 0.45 + 0.1)
    if p["pole"] > 0.5:  # a rick built round a pole: a conical top
        core = smooth_union(0.8, base, cone((0.0, h * 0.3, 0.0), r * 0.95, r * 0.1, h * 0.7))
    else:  # a loose heap: a domed top
        core = smooth_union(0.8, base, ellipsoid((0.0, h * 0.45, 0.0), (r * 0.95, h * 0.55, r * 0.95)))
    lumps = []
    for _ in range(5):
        a = rng.uniform(0, 2 * math.pi)
        y = rng.uniform(0.15, 0.45) * h
        lumps.append(ellipsoid((r * 0.62 * math.cos(a), y, r * 0.62 * math.sin(a)), (r * 0.32, h * 0.14, r * 0.32)))
    hay = smooth_union(0.3, core, *lumps)
    # smooth_union pads its box by k/4 per blend; a clip at the real top keeps the box tight
    parts = [("hay", intersect(hay, box((0.0, (h - 0.07) / 2, 0.0), (r * 1.3, (h + 0.17) / 2, r * 1.3))))]
    if p["pole"] > 0.5:
        parts.append(("pole", cylinder((0.0, h * 0.6, 0.0), 0.05, h * 0.5)))
    return parts


register(
    Kind(
        name="haystack",
        group="hay",
        words=("haystack", "hayrick", "hay stack", "rick", "strawstack", "hay heap"),
        parts={"hay": ("hay", "thatch"), "pole": ("wood",)},
        body=("hay",),
        ranges={"radius": (1.4, 2.2), "height": (2.4, 3.6), "pole": (0.0, 1.0)},
        integer_params=("pole",),
        build=_haystack,
        ground="embed",
        plural_count=3,
        spacing_m=1.2,
    )
)


def _rounded_cylinder_x(c: tuple[float, float, float], r: float, half: float, e: float) -> Node:
    """Return a cylinder along x with edges rounded by ``e`` (the exact union of its three pieces)."""
    rims = mirror(torus((half - e, c[1], c[2]), r - e, e, axis="x"), "x")  # c is on the x = 0 plane
    return union(cylinder(c, r - e, half, axis="x"), cylinder(c, r, half - e, axis="x"), rims)


def _bale(p: dict[str, float]) -> list[tuple[str, Node]]:
    if p["round"] > 0.5:
        r, half = p["roll_r"], p["roll_w"] / 2
        body = _rounded_cylinder_x((0.0, r - GROUND_M, 0.0), r, half, 0.08)
        twine = mirror(cylinder((half * 0.45, r - GROUND_M, 0.0), r + 0.01, 0.02, axis="x"), "x")
        return [("hay", body), ("twine", twine)]
    hl, hh, hd = p["length"] / 2, p["height"] / 2, p["bale_d"] / 2
    body = box((0.0, hh - GROUND_M, 0.0), (hl, hh, hd), round_m=0.04)
    twine = mirror(box((hl * 0.45, hh - GROUND_M, 0.0), (0.015, hh + 0.008, hd + 0.008)), "x")
    return [("hay", body), ("twine", twine)]


register(
    Kind(
        name="hay bale",
        group="hay",
        words=("hay bale", "bale", "straw bale", "bale of hay", "round bale"),
        parts={"hay": ("hay", "thatch"), "twine": ("rope", "plastic:green")},
        body=("hay",),
        ranges={
            "round": (0.0, 1.0),
            "roll_r": (0.6, 0.75),
            "roll_w": (1.1, 1.3),
            "length": (0.9, 1.15),
            "height": (0.36, 0.45),
            "bale_d": (0.45, 0.52),
        },
        integer_params=("round",),
        build=_bale,
        ground="embed",
        plural_count=6,
        spacing_m=0.3,
        flags={"stackable": 1.0},
        attributes={"round": {"params": {"round": 1.0}}, "square": {"params": {"round": 0.0}}},
    )
)
