"""Garden structures: gazebo, pergola, garden arch, flower bed, stone lantern, torii gate, pagoda, garden pond, fish."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.nature import blooms
from pipelines.models.kinds.rocks import rock_chunk
from pipelines.models.sdf import (
    Node,
    box,
    cone,
    cylinder,
    ellipsoid,
    intersect,
    mirror,
    polytope,
    radial,
    repeat,
    rotate,
    smooth_union,
    sphere,
    subtract,
    torus,
    tube,
    union,
)

GROUND_M = 0.3  # footings reach this far below the base


def _angles(n: int, phase_deg: float) -> list[float]:
    return [math.radians(phase_deg + 360.0 * k / n) for k in range(n)]


def prism(n: int, apothem: float, y0: float, y1: float, phase_deg: float = 0.0) -> Node:
    """Return a regular ``n``-sided vertical prism whose face normals point at ``phase_deg`` + k * 360 / n."""
    normals = [(math.cos(a), 0.0, math.sin(a)) for a in _angles(n, phase_deg)] + [(0.0, 1.0, 0.0), (0.0, -1.0, 0.0)]
    r = apothem / math.cos(math.pi / n)
    return polytope(normals, [apothem] * n + [y1, -y0], (-r, y0, -r), (r, y1, r))


def spire_roof(n: int, apothem: float, y0: float, height: float, phase_deg: float = 0.0) -> Node:
    """Return an ``n``-sided pyramid roof on the plane ``y0`` (faces as in ``prism``)."""
    ln = math.hypot(height, apothem)
    normals = [(height * math.cos(a) / ln, apothem / ln, height * math.sin(a) / ln) for a in _angles(n, phase_deg)]
    offsets = [apothem * (height + y0) / ln] * n
    r = apothem / math.cos(math.pi / n)
    return polytope(normals + [(0.0, -1.0, 0.0)], offsets + [-y0], (-r, y0, -r), (r, y0 + height, r))


def _gazebo(p: dict[str, float]) -> list[tuple[str, Node]]:
    n = 8 if p["octagon"] > 0.5 else 6
    phase = 0.0 if n % 4 == 0 else 180.0 / n  # a face (the entrance) looks along +z
    r, h = p["radius"], p["post_h"]
    a = r * math.cos(math.pi / n)
    side = 2 * r * math.sin(math.pi / n)
    fy = 0.35  # floor top
    top = fy + h
    floor = union(prism(n, a + 0.12, -GROUND_M, fy, phase), box((0.0, 0.06, a + 0.3), (0.55, 0.18, 0.3)))
    posts = radial(cylinder((r - 0.12, (fy + top) / 2, 0.0), 0.08, h / 2), n, phase + 180.0 / n)
    panel = union(
        box((a - 0.08, fy + 0.95, 0.0), (0.04, 0.04, side / 2)),
        box((a - 0.08, fy + 0.1, 0.0), (0.04, 0.04, side / 2)),
        repeat(box((a - 0.08, fy + 0.52, 0.0), (0.025, 0.4, 0.025)), "z", 0.2, max(2, int(side / 0.2) - 1)),
    )
    rails = subtract(radial(panel, n, phase), box((0.0, fy + 0.5, a), (side / 2, 0.7, 0.4)))
    roof = union(
        prism(n, a + 0.4, top - 0.05, top + 0.15, phase),
        spire_roof(n, a + 0.45, top + 0.1, r * 0.65, phase),
        sphere((0.0, top + 0.1 + r * 0.65, 0.0), 0.1),
    )
    return [("floor", floor), ("posts", union(posts, rails)), ("roof", roof)]


register(
    Kind(
        name="gazebo",
        group="structure",
        words=("gazebo", "summerhouse", "summer house", "bandstand", "garden pavilion"),
        parts={
            "floor": ("boards", "stone"),
            "posts": ("paint:white", "wood", "dark_wood"),
            "roof": ("slate", "roof_tiles", "copper", "wood"),
        },
        body=("posts",),
        ranges={"radius": (1.7, 2.3), "post_h": (2.2, 2.6), "octagon": (0.0, 1.0)},
        integer_params=("octagon",),
        build=_gazebo,
        plural_count=1,
        spacing_m=1.5,
    )
)


def _vines(rng, path: list[tuple[float, float, float]], r: float) -> tuple[Node, Node]:
    """Return (leaves, blossoms): leafy clumps along ``path`` with flowers set in them."""
    clumps = [sphere(q, r * float(rng.uniform(0.8, 1.2))) for q in path]
    heads = [blooms(rng, q, (r * 1.05, r * 1.05, r * 1.05), 3, 0.06, lowest=-0.5) for q in path]
    return smooth_union(r * 0.6, *clumps), union(*heads)


def _pergola(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    hl, hw, h = p["length"] / 2, p["width"] / 2, p["height"]
    np_x = max(2, round(p["length"] / 2.0) + 1)
    posts = mirror(
        repeat(
            box((0.0, (h - GROUND_M) / 2, hw - 0.1), (0.09, (h + GROUND_M) / 2, 0.09)),
            "x",
            (2 * hl - 0.2) / (np_x - 1),
            np_x,
        ),
        "z",
    )
    beams = mirror(box((0.0, h + 0.1, hw - 0.1), (hl + 0.35, 0.1, 0.06)), "z")
    n_raft = max(3, int(p["length"] / 0.45))
    rafters = repeat(box((0.0, h + 0.3, 0.0), (0.04, 0.09, hw + 0.3)), "x", (2 * hl + 0.4) / (n_raft - 1), n_raft)
    parts = [("posts", posts), ("beams", union(beams, rafters))]
    if p.get("vines", 0.0) > 0.5:  # climbing plants along the top and down the front posts
        path = [(float(x), h + 0.45, float(z)) for x, z in zip(rng.uniform(-hl, hl, 10), rng.uniform(-hw, hw, 10))]
        path += [(-hl + 0.1, h * f, hw - 0.1) for f in (0.3, 0.6, 0.9)]
        leaves, heads = _vines(rng, path, 0.32)
        parts += [("vines", leaves), ("blossoms", heads)]
    return parts


register(
    Kind(
        name="pergola",
        group="structure",
        words=("pergola", "arbour walk", "vine pergola", "garden pergola"),
        parts={
            "posts": ("wood", "paint:white", "stone"),
            "beams": ("wood", "paint:white", "dark_wood"),
            "vines": ("leaves:green",),
            "blossoms": ("petals:violet", "petals:pink", "petals:white"),
        },
        body=("posts", "beams"),
        ranges={"length": (3.0, 5.0), "width": (2.4, 3.2), "height": (2.4, 2.8), "vines": (0.0, 1.0)},
        integer_params=("vines",),
        build=_pergola,
        plural_count=1,
        spacing_m=1.0,
        ground="embed",
        flags={"base": 0.9, "uneven": 0.3},
        attributes={"flowering": {"params": {"vines": 1.0}}},
    )
)


def _garden_arch(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    posts = mirror(mirror(box((hw, (h - GROUND_M) / 2, hd), (0.05, (h + GROUND_M) / 2, 0.05)), "x"), "z")
    n = max(3, int(h / 0.3))
    slats = mirror(repeat(box((hw, h * 0.5, 0.0), (0.025, 0.025, hd)), "y", (h - 0.3) / (n - 1), n), "x")
    ring = intersect(
        torus((0.0, h, hd), hw, 0.05, axis="z"), box((0.0, h + hw / 2, hd), (hw + 0.1, hw / 2 + 0.06, 0.1))
    )
    ties = [
        box((hw * math.cos(t), h + hw * math.sin(t), 0.0), (0.03, 0.03, hd))
        for t in (0.35, 0.8, 1.2, 1.57, 1.94, 2.34, 2.79)
    ]
    parts = [("frame", union(posts, slats, mirror(ring, "z"), *ties))]
    if p["vines"] > 0.5:  # roses over the top and up one side
        path = [
            (hw * math.cos(t), h + hw * math.sin(t), float(rng.uniform(-hd, hd)))
            for t in (0.2, 0.7, 1.2, 1.7, 2.2, 2.8)
        ]
        path += [(hw, h * f, float(rng.uniform(-hd, hd))) for f in (0.25, 0.5, 0.75)]
        leaves, heads = _vines(rng, path, 0.22)
        parts += [("vines", leaves), ("blossoms", heads)]
    return parts


register(
    Kind(
        name="garden arch",
        group="structure",
        words=("garden arch", "arbor", "arbour", "trellis", "rose arch", "trellis arch", "garden arbor"),
        parts={
            "frame": ("paint:white", "wood", "iron"),
            "vines": ("leaves:green",),
            "blossoms": ("petals:red", "petals:pink", "petals:white"),
        },
        body=("frame",),
        ranges={"width": (1.2, 1.8), "depth": (0.4, 0.6), "height": (2.0, 2.4), "vines": (0.0, 1.0)},
        integer_params=("vines",),
        build=_garden_arch,
        ground="embed",
        plural_count=1,
        spacing_m=0.6,
        flags={"base": 1.0, "uneven": 0.3},
        attributes={"flowering": {"params": {"vines": 1.0}}},
    )
)


def _flower_bed(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hd = p["length"] / 2, p["depth"] / 2
    rim_h = 0.22
    if p.get("round", 0.0) > 0.5:  # a round bed as wide as the rectangle is deep
        hl = hd = (hl + hd) / 2
        border = tube((0.0, (rim_h - 0.1) / 2, 0.0), hd, 0.12, (rim_h + 0.1) / 2)
        inside = cylinder((0.0, 0.5, 0.0), hd - 0.16, 0.6)
        soil = cylinder((0.0, 0.07, 0.0), hd - 0.1, 0.06)  # reaching under the border: no gap between them
    else:
        outer = box((0.0, (rim_h - 0.1) / 2, 0.0), (hl, (rim_h + 0.1) / 2, hd))
        border = subtract(outer, box((0.0, 0.2, 0.0), (hl - 0.12, 0.4, hd - 0.12)))
        inside = box((0.0, 0.5, 0.0), (hl - 0.16, 0.6, hd - 0.16))
        soil = box((0.0, 0.07, 0.0), (hl - 0.1, 0.06, hd - 0.1))
    s = p["spacing"]
    nx, nz = max(1, int((2 * hl - 0.3) / s) + 1), max(1, int((2 * hd - 0.3) / s) + 1)

    def grid(node: Node) -> Node:
        return intersect(repeat(repeat(node, "x", s, nx), "z", s, nz), inside)

    leaves = grid(ellipsoid((0.0, 0.16, 0.0), (s * 0.45, 0.12, s * 0.45)))
    heads = grid(union(sphere((s * 0.12, 0.3, 0.0), 0.06), sphere((-s * 0.15, 0.27, s * 0.12), 0.055)))
    accents = grid(sphere((-s * 0.05, 0.28, -s * 0.18), 0.05))
    return [("border", border), ("soil", soil), ("leaves", leaves), ("blossoms", heads), ("accents", accents)]


register(
    Kind(
        name="flower bed",
        group="flower",
        words=("flower bed", "flowerbed", "bed of flowers", "flower border", "rose bed"),
        parts={
            "border": ("stone", "brick", "wood", "cobble"),
            "soil": ("dirt",),
            "leaves": ("leaves:green", "leaves"),
            "blossoms": ("petals", "petals:yellow", "petals:violet", "petals:pink"),
            "accents": ("petals:white", "petals:orange", "petals:blue"),
        },
        body=("blossoms",),
        ranges={"length": (1.8, 3.4), "depth": (0.9, 1.5), "spacing": (0.32, 0.42)},
        build=_flower_bed,
        ground="embed",
        plural_count=2,
        spacing_m=0.5,
        flags={"base": 1.0, "uneven": 0.2},
        attributes={
            "round": {"params": {"round": 1.0}},
            "square": {"params": {"length": 1.6, "depth": 1.6}},
            "long": {"params": {"length": 5.0, "depth": 1.0}},
        },
    )
)


def _stone_lantern(p: dict[str, float]) -> list[tuple[str, Node]]:
    s = p["height"] / 1.6
    n = 6 if p["hex"] > 0.5 else 4
    phase = 0.0 if n == 6 else 45.0
    fb = 0.62 * s  # firebox centre height above the platform base
    stone = [
        prism(n, 0.28 * s, -0.08, 0.16 * s, phase),
        cylinder((0.0, 0.16 * s + 0.3 * s, 0.0), 0.09 * s, 0.3 * s),
        prism(n, 0.24 * s, 0.76 * s, 0.86 * s, phase),
        subtract(
            box((0.0, 0.86 * s + fb * 0.3, 0.0), (0.17 * s, 0.15 * s, 0.17 * s)),
            box((0.0, 0.86 * s + fb * 0.3, 0.0), (0.1 * s, 0.09 * s, 0.3 * s)),
            box((0.0, 0.86 * s + fb * 0.3, 0.0), (0.3 * s, 0.09 * s, 0.1 * s)),
        ),
        prism(n, 0.4 * s, 1.16 * s, 1.2 * s, phase),
        spire_roof(n, 0.4 * s, 1.2 * s, 0.24 * s, phase),
        sphere((0.0, 1.47 * s, 0.0), 0.07 * s),
    ]
    light = box((0.0, 0.86 * s + fb * 0.3, 0.0), (0.09 * s, 0.08 * s, 0.09 * s))
    return [("stone", union(*stone)), ("light", light)]


register(
    Kind(
        name="stone lantern",
        group="ornament",
        words=("stone lantern", "toro", "japanese lantern", "garden lantern", "ishidoro"),
        parts={"stone": ("stone", "rock", "concrete"), "light": ("lamp",)},
        body=("stone",),
        ranges={"height": (1.1, 2.0), "hex": (0.0, 1.0)},
        integer_params=("hex",),
        build=_stone_lantern,
        ground="embed",
        plural_count=2,
        spacing_m=0.5,
        flags={"base": 1.0, "uneven": 0.2},
    )
)


def _torii(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, h, r = p["width"] / 2, p["height"], p["pillar_r"]
    over = p["overhang"]
    pillars = mirror(cone((hw, -GROUND_M, 0.0), r * 1.12, r * 0.92, h + GROUND_M), "x")
    feet = mirror(cylinder((hw, 0.05, 0.0), r * 1.35, 0.25), "x")
    nuki = box((0.0, h * 0.78, 0.0), (hw + over * 0.7, 0.1, 0.08))
    strut = box((0.0, (h * 0.78 + h) / 2, 0.0), (0.09, (h - h * 0.78) / 2, 0.07))
    shimaki = box((0.0, h + 0.1, 0.0), (hw + over, 0.1, 0.13))
    lintel = box((0.0, h + 0.32, 0.0), (hw + over * 0.7, 0.12, 0.2))
    tip = rotate(
        box((hw + over, h + 0.36, 0.0), (over * 0.45, 0.12, 0.2)), roll_deg=9.0, pivot=(hw + over * 0.6, h + 0.32, 0.0)
    )
    return [("pillars", union(pillars, nuki, strut, shimaki)), ("feet", feet), ("top", union(lintel, mirror(tip, "x")))]


register(
    Kind(
        name="torii gate",
        group="structure",
        words=("torii gate", "torii", "shinto gate", "japanese gate"),
        parts={
            "pillars": ("paint:red", "paint:orange", "stone", "wood"),
            "feet": ("paint:black", "stone"),
            "top": ("paint:black", "dark_wood"),
        },
        body=("pillars",),
        ranges={"width": (2.6, 4.0), "height": (3.2, 4.6), "pillar_r": (0.14, 0.22), "overhang": (0.6, 1.0)},
        build=_torii,
        ground="embed",
        plural_count=3,
        spacing_m=1.0,
        flags={"base": 0.8, "uneven": 0.4},
    )
)


def _pagoda(p: dict[str, float]) -> list[tuple[str, Node]]:
    b, th, n = p["base"] / 2, p["tier_h"], int(p["tiers"])
    y = 0.6
    walls, roofs = [], []
    for k in range(n):
        hw = b * (1.0 - 0.13 * k)
        walls.append(box((0.0, y + th * 0.35, 0.0), (hw, th * 0.36, hw)))
        eave = hw + 0.9
        roofs.append(
            union(
                box((0.0, y + th * 0.74, 0.0), (eave, 0.09, eave)), spire_roof(4, eave, y + th * 0.74, th * 0.45, 45.0)
            )
        )
        y += th
    top = y - th * 0.26 + th * 0.3
    spire = union(
        cylinder((0.0, top + 1.0, 0.0), 0.07, 1.3),
        repeat(torus((0.0, top + 1.0, 0.0), 0.16, 0.04), "y", 0.3, 5),
        sphere((0.0, top + 2.35, 0.0), 0.14),
    )
    base = box((0.0, 0.1, 0.0), (b + 0.7, 0.5, b + 0.7))
    door = box((0.0, 0.6 + th * 0.3, b), (0.5, th * 0.3, 0.06))
    return [("base", base), ("walls", union(*walls)), ("roof", union(*roofs)), ("spire", spire), ("door", door)]


register(
    Kind(
        name="pagoda",
        group="landmark",
        words=("pagoda", "temple tower", "japanese pagoda", "chinese pagoda"),
        parts={
            "base": ("stone",),
            "walls": ("paint:red", "plaster:white", "wood"),
            "roof": ("slate", "roof_tiles:green", "dark_wood"),
            "spire": ("gold", "copper"),
            "door": ("dark_wood",),
        },
        body=("walls",),
        ranges={"base": (4.0, 6.0), "tier_h": (1.9, 2.4), "tiers": (3.0, 5.4)},
        integer_params=("tiers",),
        build=_pagoda,
        plural_count=1,
        spacing_m=2.5,
    )
)


def koi(length: float, at: tuple[float, float, float], yaw_deg: float) -> tuple[Node, Node]:
    """Return (body, fins) of a fish ``length`` long with its belly at ``at``, head towards +z before ``yaw_deg``."""
    x, y, z = at
    cy = y + length * 0.13
    body = ellipsoid((x, cy, z), (length * 0.13, length * 0.14, length * 0.5))
    tail = [
        rotate(
            ellipsoid((x, cy, z - length * 0.58), (0.016, length * 0.14, length * 0.1)),
            pitch_deg=s * 35.0,
            pivot=(x, cy, z - length * 0.48),
        )
        for s in (1.0, -1.0)
    ]
    dorsal = ellipsoid((x, cy + length * 0.13, z - length * 0.05), (0.016, length * 0.06, length * 0.17))
    side = [
        rotate(
            ellipsoid(
                (x + s * length * 0.15, cy - length * 0.06, z + length * 0.12), (length * 0.08, 0.016, length * 0.05)
            ),
            roll_deg=s * 20.0,
            pivot=(x, cy, z),
        )
        for s in (1.0, -1.0)
    ]
    fins = union(*tail, dorsal, *side)
    return rotate(body, yaw_deg=yaw_deg, pivot=at), rotate(fins, yaw_deg=yaw_deg, pivot=at)


def _fish(p: dict[str, float]) -> list[tuple[str, Node]]:
    length = p["length"]
    body, fins = koi(length, (0.0, -0.02, 0.0), 0.0)
    eyes = mirror(sphere((length * 0.085, length * 0.15, length * 0.36), max(0.016, length * 0.03)), "x")
    return [("body", body), ("fins", fins), ("eyes", eyes)]


register(
    Kind(
        name="fish",
        group="fish",
        words=("fish", "koi", "carp", "goldfish", "koi fish", "koi carp", "trout"),
        parts={
            "body": ("paint:orange", "paint:white", "gold", "metal"),
            "fins": ("paint:orange", "paint:white", "paint:red"),
            "eyes": ("paint:black",),
        },
        body=("body",),
        ranges={"length": (0.35, 0.7)},
        build=_fish,
        ground="water",
        plural_count=5,
        spacing_m=0.2,
        flags={"base": 1.0, "uneven": 0.2},
    )
)


def _garden_pond(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    rx, rz = p["length"] / 2, p["length"] / 2 * p["aspect"]
    water = intersect(ellipsoid((0.0, 0.0, 0.0), (rx, 0.45, rz)), box((0.0, -0.2, 0.0), (rx, 0.25, rz)))
    n = max(8, int(math.pi * (rx + rz) / 0.42))
    stones = []
    for k in range(n):
        t = 2 * math.pi * (k + float(rng.uniform(-0.2, 0.2))) / n
        size = float(rng.uniform(0.2, 0.3))
        centre = ((rx + 0.05) * math.cos(t), 0.04, (rz + 0.05) * math.sin(t))
        stones.append(rock_chunk(centre, (size, size * float(rng.uniform(0.55, 0.8)), size * 0.85), rng, 8))
    parts = [
        ("water", water),
        ("stones", union(*stones)),
        ("floor", ellipsoid((0.0, -0.35, 0.0), (rx + 0.2, 0.2, rz + 0.2))),
    ]
    fish_b, fish_f = [], []
    for _ in range(int(p["koi"])):
        a, d = float(rng.uniform(0, 2 * math.pi)), float(rng.uniform(0.2, 0.6))
        b, f = koi(0.4, (rx * d * math.cos(a), -0.02, rz * d * math.sin(a)), float(rng.uniform(0, 360)))
        fish_b.append(b)
        fish_f.append(f)
    if fish_b:
        parts.append(("koi", union(*fish_b, *fish_f)))
    return parts


register(
    Kind(
        name="garden pond",
        group="pond",
        words=(
            "garden pond",
            "koi pond",
            "fishpond",
            "fish pond",
            "lily pond",
            "ornamental pond",
            "pond with stones",
            "stone pond",
            "water feature",
            "pond",
            "duck pond",
            "small pond",
        ),
        parts={
            "water": ("water",),
            "stones": ("stone", "rock", "sandstone"),
            "floor": ("dirt",),
            "koi": ("paint:orange",),
        },
        body=("stones",),
        ranges={"length": (2.6, 4.6), "aspect": (0.6, 0.9), "koi": (0.0, 3.4)},
        integer_params=("koi",),
        build=_garden_pond,
        ground="pad",
        plural_count=1,
        spacing_m=0.8,
        attributes={"frozen": {"parts": {"water": "ice"}}},
    )
)
