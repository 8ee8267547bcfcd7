"""Trees and bushes: tree, pine, palm, willow, cherry blossom, bush, cactus, and the dead wood on the ground
(tree stump, fallen log). Rocks live in ``rocks.py``."""

from __future__ import annotations

import math

import numpy as np

from pipelines.models.kinds import rocks  # noqa: F401  (registered before the trees: the catalog's order)
from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.sdf import (
    Node,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    polar_repeat,
    rotate,
    smooth_union,
    sphere,
    union,
)

ROOTS_M = 0.5  # trunks reach this far below the base


def _bare_limbs(
    rng: np.random.Generator, y0: float, top: float, spread: float, r: float, n: int
) -> tuple[list[Node], list[tuple[float, float, float]]]:
    """Return (limbs, their tips): ``n`` leafless branches from the trunk at ``y0`` up to ``top``, each forked."""
    limbs, tips = [], []
    for k in range(n):
        a = 2 * math.pi * k / n + float(rng.uniform(-0.35, 0.35))
        base = (0.0, y0 * float(rng.uniform(0.8, 1.0)), 0.0)
        reach = spread * float(rng.uniform(0.6, 1.0))
        tip = (reach * math.cos(a), top * float(rng.uniform(0.82, 1.0)), reach * math.sin(a))
        limbs.append(capsule(base, tip, r))
        mid = tuple(base[i] + 0.55 * (tip[i] - base[i]) for i in range(3))
        b = a + float(rng.choice([-1.0, 1.0])) * float(rng.uniform(0.5, 0.9))
        fork = (mid[0] + reach * 0.45 * math.cos(b), mid[1] + (top - y0) * 0.35, mid[2] + reach * 0.45 * math.sin(b))
        limbs.append(capsule(mid, fork, r * 0.6))
        tips += [tip, fork]
    return limbs, tips


def _tree(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    th, cr, tr = p["trunk_h"], p["crown"], p["trunk_r"]
    cy = th + cr * 0.75
    if p.get("dead", 0.0) > 0.5:  # bare limbs where the crown was; the crown's height stays the same
        trunk = cone((0.0, -ROOTS_M, 0.0), tr * 1.25, tr * 0.6, th + ROOTS_M + cr * 0.3)
        return [("trunk", trunk), ("canopy", union(*_bare_limbs(rng, th * 0.9, cy + cr * 0.7, cr, tr * 0.38, 5)[0]))]
    blobs = [ellipsoid((0.0, cy, 0.0), (cr, cr * 0.8, cr))]
    for k in range(int(p["blobs"])):
        ang = 2 * math.pi * k / p["blobs"] + float(rng.uniform(-0.4, 0.4))
        dist = cr * float(rng.uniform(0.45, 0.7))
        rad = cr * float(rng.uniform(0.5, 0.68))
        blobs.append(
            sphere((dist * math.cos(ang), cy + cr * float(rng.uniform(-0.3, 0.35)), dist * math.sin(ang)), rad)
        )
    branches = [
        capsule((0.0, th * 0.85, 0.0), (cr * 0.5 * math.cos(a), cy + 0.2, cr * 0.5 * math.sin(a)), tr * 0.4)
        for a in rng.uniform(0, 2 * math.pi, 2)
    ]
    return [
        ("trunk", union(cone((0.0, -ROOTS_M, 0.0), tr * 1.25, tr * 0.6, th + ROOTS_M + cr * 0.5), *branches)),
        ("canopy", smooth_union(cr * 0.35, *blobs)),
    ]


register(
    Kind(
        name="tree",
        group="tree",
        words=(
            "tree",
            "deciduous tree",
            "oak",
            "oak tree",
            "maple",
            "birch",
            "elm",
            "beech",
            "ash tree",
            "chestnut",
            "apple tree",
            "fruit tree",
            "linden",
            "poplar",
            "sycamore",
            "lime tree",
            "birch tree",
            "maple tree",
            "elm tree",
            "beech tree",
            "chestnut tree",
            "poplar tree",
            "cherry tree",
            "cherry",
            "walnut tree",
            "olive tree",
            "acacia",
            "baobab",
        ),
        parts={"trunk": ("bark",), "canopy": ("leaves", "leaves:olive", "leaves:green")},
        body=("canopy",),
        ranges={"trunk_h": (2.2, 3.6), "crown": (1.8, 3.0), "trunk_r": (0.22, 0.34), "blobs": (3.0, 5.4)},
        integer_params=("blobs",),
        build=_tree,
        ground="embed",
        plural_count=8,
        spacing_m=0.8,
        flags={"base": 0.15, "uneven": 0.5},
        attributes={
            "dead": {"params": {"dead": 1.0}, "parts": {"trunk": "bark:gray", "canopy": "bark:gray"}},
            "flowering": {"parts": {"canopy": "blossom:white"}},
        },
    )
)


def _pine(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["radius"]
    n = int(p["tiers"])
    start = h * 0.22
    step = (h - start) / (n + 0.6)
    tiers = [cone((0.0, start + k * step, 0.0), r * (1 - k / (n + 0.7)), r * 0.08, step * 2.0) for k in range(n)]
    parts = [
        ("trunk", cylinder((0.0, (start + 0.5 - ROOTS_M) / 2, 0.0), p["trunk_r"], (start + 0.5 + ROOTS_M) / 2)),
        ("canopy", union(*tiers)),
    ]
    if p.get("snowy", 0.0) > 0.5:  # a cone a hand's width proud of each tier's upper slope, its lip showing
        caps = []
        for k in range(n):
            rb, rt, f = r * (1 - k / (n + 0.7)), r * 0.08, 0.15
            caps.append(
                cone(
                    (0.0, start + k * step + f * 2 * step, 0.0),
                    rb + (rt - rb) * f + 0.08,
                    rt + 0.05,
                    (1 - f) * 2 * step + 0.03,
                )
            )
        parts.append(("snow", union(*caps)))
    return parts


register(
    Kind(
        name="pine",
        group="tree",
        words=(
            "pine",
            "pine tree",
            "fir",
            "fir tree",
            "spruce",
            "conifer",
            "evergreen",
            "cedar",
            "larch",
            "christmas tree",
            "cypress",
            "hemlock",
            "redwood",
            "spruce tree",
            "cedar tree",
            "larch tree",
            "conifers",
        ),
        parts={"trunk": ("bark",), "canopy": ("needles", "needles:green"), "snow": ("snow",)},
        body=("canopy",),
        ranges={"height": (6.0, 11.0), "radius": (1.6, 2.5), "tiers": (3.0, 5.4), "trunk_r": (0.18, 0.28)},
        integer_params=("tiers",),
        build=_pine,
        ground="embed",
        plural_count=8,
        spacing_m=0.6,
        flags={"base": 0.15, "uneven": 0.5},
        attributes={"snowy": {"params": {"snowy": 1.0}}},
    )
)


def _palm(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, lean = p["height"], p["lean"]
    pts = [(lean * (k / 5) ** 2, -ROOTS_M + (h + ROOTS_M) * k / 5, 0.0) for k in range(6)]
    trunk = union(*[capsule(pts[k], pts[k + 1], 0.24 - 0.015 * k) for k in range(5)])
    top = pts[-1]
    n = int(p["fronds"])
    frond = rotate(ellipsoid((top[0] + 1.3, top[1] - 0.1, 0.0), (1.45, 0.07, 0.32)), roll_deg=-28.0, pivot=top)
    fronds = union(*[rotate(frond, yaw_deg=360.0 * k / n + 13.0, pivot=top) for k in range(n)])
    nuts = union(
        *[sphere((top[0] + 0.2 * math.cos(a), top[1] - 0.25, 0.2 * math.sin(a)), 0.12) for a in (0.3, 2.4, 4.4)]
    )
    return [("trunk", trunk), ("canopy", fronds), ("nuts", nuts)]


register(
    Kind(
        name="palm",
        group="tree",
        words=("palm", "palm tree", "coconut palm", "date palm", "coconut tree"),
        parts={"trunk": ("palm_bark",), "canopy": ("palm_leaves",), "nuts": ("dark_wood",)},
        body=("canopy",),
        ranges={"height": (5.0, 7.5), "lean": (0.6, 1.6), "fronds": (6.0, 8.4)},
        integer_params=("fronds",),
        build=_palm,
        ground="embed",
        plural_count=5,
        spacing_m=0.8,
        flags={"base": 0.12, "uneven": 0.5},
    )
)


def _willow(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    th, cr, tr = p["trunk_h"], p["crown"], p["trunk_r"]
    cy = th + cr * 0.45
    lean = float(rng.uniform(-0.4, 0.4))
    trunk = union(
        cone((0.0, -ROOTS_M, 0.0), tr * 1.35, tr * 0.75, th + ROOTS_M),
        *[
            capsule((0.0, th * 0.9, 0.0), (cr * 0.45 * math.cos(a) + lean, cy, cr * 0.45 * math.sin(a)), tr * 0.45)
            for a in rng.uniform(0, 2 * math.pi, 3)
        ],
    )
    dome = ellipsoid((lean * 0.5, cy + cr * 0.1, 0.0), (cr * 0.75, cr * 0.5, cr * 0.75))
    # Two rings of hanging curtains (modelled on +x and repeated about y), the inner ring shorter and offset.
    hang = p["hang"]
    n = int(p["strands"])
    outer = polar_repeat(ellipsoid((cr * 0.78, (cy + hang) / 2, 0.0), (0.3, (cy - hang) / 2, 0.45)), n)
    inner_bottom = hang + (cy - hang) * 0.4
    inner = rotate(
        polar_repeat(ellipsoid((cr * 0.5, (cy + inner_bottom) / 2, 0.0), (0.3, (cy - inner_bottom) / 2, 0.45)), n - 5),
        yaw_deg=180.0 / n + float(rng.uniform(0, 20)),
    )
    return [("trunk", trunk), ("canopy", smooth_union(0.35, dome, outer, inner))]


register(
    Kind(
        name="willow",
        group="tree",
        words=("willow", "weeping willow", "willow tree"),
        parts={"trunk": ("bark",), "canopy": ("leaves:olive", "leaves", "leaves:green")},
        body=("canopy",),
        ranges={
            "trunk_h": (2.0, 2.8),
            "crown": (3.4, 4.4),
            "trunk_r": (0.3, 0.42),
            "hang": (0.5, 1.3),
            "strands": (14.0, 18.4),
        },
        integer_params=("strands",),
        build=_willow,
        ground="embed",
        plural_count=3,
        spacing_m=1.0,
        flags={"base": 0.12, "uneven": 0.5, "shore": 1.0},
    )
)


def _cherry(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    th, cr, tr = p["trunk_h"], p["crown"], p["trunk_r"]
    bend = (float(rng.uniform(-0.5, 0.5)), th * 0.55, float(rng.uniform(-0.5, 0.5)))
    limbs, clouds = [capsule((0.0, -ROOTS_M, 0.0), bend, tr), capsule((0.0, 0.0, 0.0), (0.0, 0.4, 0.0), tr * 1.3)], []
    n = int(p["limbs"])
    for k in range(n):
        a = 2 * math.pi * k / n + float(rng.uniform(-0.4, 0.4))
        reach = cr * float(rng.uniform(0.45, 0.7))
        tip = (reach * math.cos(a), th + float(rng.uniform(0.3, 0.9)), reach * math.sin(a))
        limbs.append(capsule(bend, tip, tr * 0.55))
        clouds.append(ellipsoid((tip[0], tip[1] + 0.3, tip[2]), (cr * 0.48, cr * 0.34, cr * 0.48)))
    clouds.append(ellipsoid((bend[0], th + 1.3, bend[2]), (cr * 0.5, cr * 0.42, cr * 0.5)))
    return [("trunk", union(*limbs)), ("canopy", smooth_union(0.5, *clouds))]


register(
    Kind(
        name="cherry blossom",
        group="tree",
        words=(
            "cherry blossom",
            "sakura",
            "blossom tree",
            "cherry blossom tree",
            "sakura tree",
            "flowering cherry",
            "japanese cherry",
        ),
        parts={"trunk": ("bark", "dark_wood"), "canopy": ("blossom", "blossom:pink", "blossom:white")},
        body=("canopy",),
        ranges={"trunk_h": (1.6, 2.4), "crown": (2.4, 3.4), "trunk_r": (0.2, 0.3), "limbs": (3.0, 5.4)},
        integer_params=("limbs",),
        build=_cherry,
        ground="embed",
        plural_count=4,
        spacing_m=0.8,
        flags={"base": 0.12, "uneven": 0.5},
    )
)


def blooms(
    rng: np.random.Generator,
    centre: tuple[float, float, float],
    radii: tuple[float, float, float],
    n: int,
    size: float,
    lowest: float = -0.2,
    tall: float = 1.0,
) -> Node:
    """Return ``n`` flower heads of radius about ``size`` set into the surface of an ellipsoid of foliage.

    Heads sit at random directions whose height (the y of the unit direction)
    is above ``lowest``, sunk by a third into the foliage so they never float;
    ``tall`` > 1 stretches them upright into panicles (lilac).
    """
    heads = []
    for _ in range(n):
        d = rng.normal(size=3)
        d[1] = abs(d[1])
        d /= np.linalg.norm(d)
        d[1] = max(d[1], lowest)
        s = size * float(rng.uniform(0.75, 1.2))
        pos = tuple(centre[i] + d[i] * (radii[i] - s * 0.35) for i in range(3))
        heads.append(
            sphere(pos, s)
            if tall == 1.0
            else ellipsoid((pos[0], pos[1] + s * (tall - 1) * 0.6, pos[2]), (s, s * tall, s))
        )
    return union(*heads)


def _bush(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    r = p["radius"]
    dry = p.get("dry", 0.0)
    if dry > 0.5:  # dry: a few sparse clumps on brown twigs; dead (dry 2): the twigs alone
        limbs, tips = _bare_limbs(rng, 0.08, r * 1.3, r * 0.9, 0.03, 7 if dry > 1.5 else 5)
        parts = [("twigs", union(capsule((0.0, -0.15, 0.0), (0.0, 0.12, 0.0), 0.05), *limbs))]
        if dry < 1.5:  # withered tufts along the outer twigs, small and flattened
            clumps = []
            for tip in tips:
                t = float(rng.uniform(0.55, 0.85))
                at = (tip[0] * t, 0.08 + (tip[1] - 0.08) * t, tip[2] * t)
                clumps.append(sphere(at, r * float(rng.uniform(0.1, 0.15))))
                clumps.append(sphere((at[0] * 0.85, at[1] - r * 0.08, at[2] * 0.85), r * 0.09))
            parts.append(("leaves", union(*clumps)))
        return parts
    blobs = [sphere((0.0, r * 0.55, 0.0), r)]
    for k in range(3):
        a = 2 * math.pi * k / 3 + float(rng.uniform(0, 1))
        blobs.append(sphere((r * 0.6 * math.cos(a), r * 0.45, r * 0.6 * math.sin(a)), r * float(rng.uniform(0.6, 0.8))))
    parts = [("leaves", smooth_union(r * 0.4, *blobs))]
    if p.get("flowering", 0.0) > 0.5:
        parts.append(("blossoms", blooms(rng, (0.0, r * 0.55, 0.0), (r * 1.05, r * 1.05, r * 1.05), 18, r * 0.1)))
    return parts


register(
    Kind(
        name="bush",
        group="shrub",
        words=("bush", "shrub", "shrubbery", "undergrowth", "plant", "bramble", "sapling"),
        parts={"leaves": ("bush", "leaves:olive"), "twigs": ("bark",), "blossoms": ("petals:pink", "petals:white")},
        body=("leaves",),
        ranges={"radius": (0.6, 1.1)},
        build=_bush,
        ground="embed",
        plural_count=6,
        spacing_m=0.4,
        flags={"base": 0.6, "uneven": 0.4},
        attributes={
            "dry": {"params": {"dry": 1.0}, "parts": {"leaves": "leaves:tan", "twigs": "bark:brown"}},
            "dead": {"params": {"dry": 2.0}, "parts": {"twigs": "bark:gray"}},
            "flowering": {"params": {"flowering": 1.0}},
        },
    )
)


# The cactus and the dead wood live in their own module; importing it here registers them right after the
# bush, where the catalog has always had them (the catalog's order decides ties in the reader).
from pipelines.models.kinds import nature_ground  # noqa: E402, F401
