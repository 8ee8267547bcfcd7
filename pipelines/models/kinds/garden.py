"""Garden structures: gazebo, pergola, garden arch, flower bed (the Japanese garden's are in ``garden_japanese``)."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.nature import blooms
from pipelines.models.kinds.parts import at_corners, standing_box
from pipelines.models.sdf import (
    Node,
    box,
    cylinder,
    ellipsoid,
    intersect,
    mirror,
    polytope,
    radial,
    repeat,
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
            standing_box(0.0, hw - 0.1, h, 0.09, 0.09, below=GROUND_M),
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
    posts = at_corners(standing_box(hw, hd, h, 0.05, 0.05, below=GROUND_M))
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
