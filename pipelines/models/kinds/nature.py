"""Plants and rocks: deciduous tree, pine, palm, bush, cactus, rock, boulder, rock pillar, cliff, crystal."""

from __future__ import annotations

import math

import numpy as np

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    intersect,
    polytope,
    pyramid,
    rotate,
    smooth_union,
    sphere,
    union,
)

ROOTS_M = 0.5  # trunks reach this far below the base


def _tree(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    th, cr, tr = p["trunk_h"], p["crown"], p["trunk_r"]
    cy = th + cr * 0.75
    blobs = [ellipsoid((0.0, cy, 0.0), (cr, cr * 0.8, cr))]
    for k in range(int(p["blobs"])):
        ang = 2 * math.pi * k / p["blobs"] + float(rng.uniform(-0.4, 0.4))
        dist = cr * float(rng.uniform(0.45, 0.7))
        rad = cr * float(rng.uniform(0.5, 0.68))
        blobs.append(sphere((dist * math.cos(ang), cy + cr * float(rng.uniform(-0.3, 0.35)), dist * math.sin(ang)), rad))
    branches = [
        capsule((0.0, th * 0.85, 0.0), (cr * 0.5 * math.cos(a), cy + 0.2, cr * 0.5 * math.sin(a)), tr * 0.4)
        for a in rng.uniform(0, 2 * math.pi, 2)
    ]
    return [
        ("trunk", union(cone((0.0, -ROOTS_M, 0.0), tr * 1.25, tr * 0.6, th + ROOTS_M + cr * 0.5), *branches)),
        ("canopy", smooth_union(cr * 0.35, *blobs)),
    ]


register(Kind(
    name="tree", group="tree",
    words=("tree", "deciduous tree", "oak", "oak tree", "maple", "birch", "elm", "beech", "ash tree", "willow",
           "chestnut", "apple tree", "fruit tree", "orchard", "linden", "poplar", "sycamore", "lime tree", "woodland",
           "birch tree", "maple tree", "willow tree", "elm tree", "beech tree", "chestnut tree", "poplar tree",
           "cherry tree", "cherry", "walnut tree", "olive tree", "acacia", "baobab"),
    parts={"trunk": ("bark",), "canopy": ("leaves", "leaves:olive", "leaves:green")}, body=("canopy",),
    ranges={"trunk_h": (2.2, 3.6), "crown": (1.8, 3.0), "trunk_r": (0.22, 0.34), "blobs": (3.0, 5.4)},
    integer_params=("blobs",), build=_tree, ground="embed", plural_count=8, spacing_m=0.8,
    flags={"base": 0.15, "uneven": 0.5},
))


def _pine(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["radius"]
    n = int(p["tiers"])
    start = h * 0.22
    step = (h - start) / (n + 0.6)
    tiers = [cone((0.0, start + k * step, 0.0), r * (1 - k / (n + 0.7)), r * 0.08, step * 2.0) for k in range(n)]
    return [
        ("trunk", cylinder((0.0, (start + 0.5 - ROOTS_M) / 2, 0.0), p["trunk_r"], (start + 0.5 + ROOTS_M) / 2)),
        ("canopy", union(*tiers)),
    ]


register(Kind(
    name="pine", group="tree",
    words=("pine", "pine tree", "fir", "fir tree", "spruce", "conifer", "evergreen", "cedar", "larch", "christmas tree",
           "cypress", "hemlock", "redwood", "spruce tree", "cedar tree", "larch tree", "conifers"),
    parts={"trunk": ("bark",), "canopy": ("needles",)}, body=("canopy",),
    ranges={"height": (6.0, 11.0), "radius": (1.6, 2.5), "tiers": (3.0, 5.4), "trunk_r": (0.18, 0.28)},
    integer_params=("tiers",), build=_pine, ground="embed", plural_count=8, spacing_m=0.6,
    flags={"base": 0.15, "uneven": 0.5},
))


def _palm(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, lean = p["height"], p["lean"]
    pts = [(lean * (k / 5) ** 2, -ROOTS_M + (h + ROOTS_M) * k / 5, 0.0) for k in range(6)]
    trunk = union(*[capsule(pts[k], pts[k + 1], 0.24 - 0.015 * k) for k in range(5)])
    top = pts[-1]
    n = int(p["fronds"])
    frond = rotate(ellipsoid((top[0] + 1.3, top[1] - 0.1, 0.0), (1.45, 0.07, 0.32)), roll_deg=-28.0, pivot=top)
    fronds = union(*[rotate(frond, yaw_deg=360.0 * k / n + 13.0, pivot=top) for k in range(n)])
    nuts = union(*[sphere((top[0] + 0.2 * math.cos(a), top[1] - 0.25, 0.2 * math.sin(a)), 0.12)
                   for a in (0.3, 2.4, 4.4)])
    return [("trunk", trunk), ("canopy", fronds), ("nuts", nuts)]


register(Kind(
    name="palm", group="tree", words=("palm", "palm tree", "coconut palm", "date palm", "coconut tree"),
    parts={"trunk": ("palm_bark",), "canopy": ("palm_leaves",), "nuts": ("dark_wood",)}, body=("canopy",),
    ranges={"height": (5.0, 7.5), "lean": (0.6, 1.6), "fronds": (6.0, 8.4)},
    integer_params=("fronds",), build=_palm, ground="embed", plural_count=5, spacing_m=0.8,
    flags={"base": 0.12, "uneven": 0.5},
))


def _bush(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    r = p["radius"]
    blobs = [sphere((0.0, r * 0.55, 0.0), r)]
    for k in range(3):
        a = 2 * math.pi * k / 3 + float(rng.uniform(0, 1))
        blobs.append(sphere((r * 0.6 * math.cos(a), r * 0.45, r * 0.6 * math.sin(a)), r * float(rng.uniform(0.6, 0.8))))
    return [("leaves", smooth_union(r * 0.4, *blobs))]


register(Kind(
    name="bush", group="shrub",
    words=("bush", "shrub", "shrubbery", "hedge", "thicket", "fern", "undergrowth", "flowers", "flower", "plant",
           "bramble", "grass tuft"),
    parts={"leaves": ("bush", "leaves:olive")}, body=("leaves",), ranges={"radius": (0.6, 1.1)},
    build=_bush, ground="embed", plural_count=6, spacing_m=0.4, flags={"base": 0.6, "uneven": 0.4},
))


def _chunk(center: tuple[float, float, float], radii: tuple[float, float, float], rng: np.random.Generator,
           planes: int = 11) -> Node:
    """Return a faceted rock: an ellipsoid cut by random planes (a convex, 1-Lipschitz solid)."""
    normals, offsets = [], []
    for _ in range(planes):
        n = rng.normal(size=3)
        n /= np.linalg.norm(n)
        support = math.sqrt(sum((radii[i] * n[i]) ** 2 for i in range(3)))
        normals.append(tuple(float(v) for v in n))
        offsets.append(float(support * rng.uniform(0.72, 0.94) + sum(n[i] * center[i] for i in range(3))))
    lo = tuple(center[i] - radii[i] for i in range(3))
    hi = tuple(center[i] + radii[i] for i in range(3))
    return intersect(ellipsoid(center, radii), polytope(normals, offsets, lo, hi))


def _rock(p: dict[str, float]) -> list[tuple[str, Node]]:
    s = p["size"]
    radii = (s, s * p["flat"], s * p["aspect"])
    return [("rock", _chunk((0.0, radii[1] * 0.45, 0.0), radii, variant_rng(p)))]


register(Kind(
    name="rock", group="rock", words=("rock", "stone", "pebble", "rubble", "stones"),
    parts={"rock": ("rock",)}, body=("rock",), ranges={"size": (0.5, 1.1), "flat": (0.5, 0.8), "aspect": (0.7, 1.0)},
    build=_rock, ground="embed", plural_count=6, spacing_m=0.3, flags={"base": 0.6, "uneven": 0.3},
))

register(Kind(
    name="boulder", group="rock", words=("boulder", "big rock", "large rock", "megalith", "menhir", "standing stone"),
    parts={"rock": ("rock",)}, body=("rock",), ranges={"size": (1.4, 2.4), "flat": (0.6, 0.9), "aspect": (0.7, 1.0)},
    build=_rock, ground="embed", plural_count=4, spacing_m=0.6, flags={"base": 0.6, "uneven": 0.8},
))


def _pillar(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    h, r = p["height"], p["radius"]
    n = 4
    chunks, y = [], -0.4
    for k in range(n):
        seg = h / n * 1.25
        rk = r * (1.0 - 0.12 * k) * float(rng.uniform(0.9, 1.1))
        cx, cz = (float(v) for v in rng.uniform(-0.15, 0.15, 2) * r)
        chunks.append(_chunk((cx, y + seg / 2, cz), (rk, seg / 2 + 0.2, rk * float(rng.uniform(0.8, 1.0))), rng, 9))
        y += seg * 0.8
    return [("rock", union(*chunks))]


register(Kind(
    name="rock pillar", group="rock",
    words=("rock pillar", "pillar", "hoodoo", "spire rock", "rock spire", "column", "butte", "mesa",
           "rock formation", "stack", "sea stack"),
    parts={"rock": ("sandstone", "rock")}, body=("rock",), ranges={"height": (5.0, 9.0), "radius": (1.0, 1.6)},
    build=_pillar, ground="embed", plural_count=4, spacing_m=1.0, flags={"base": 0.7, "uneven": 0.6},
))


def _cliff(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    hl, h, t = p["length"] / 2, p["height"], p["thickness"] / 2
    n = 5
    chunks = []
    for k in range(n):
        x = -hl + (k + 0.5) * (2 * hl / n)
        hk = h * float(rng.uniform(0.75, 1.0))
        chunks.append(_chunk((x, hk / 2 - 0.6, float(rng.uniform(-0.3, 0.3)) * t),
                             (hl / n * 1.5, hk / 2 + 0.6, t * float(rng.uniform(0.8, 1.0))), rng, 10))
    return [("rock", union(*chunks))]


register(Kind(
    name="cliff", group="cliff", words=("cliff", "crag", "rock face", "escarpment", "bluff", "ridge",
                                         "rock wall", "outcrop"),
    parts={"rock": ("rock", "sandstone")}, body=("rock",),
    ranges={"length": (14.0, 20.0), "height": (6.0, 10.0), "thickness": (4.0, 6.0)},
    build=_cliff, ground="embed", plural_count=2, spacing_m=1.0,
    flags={"edge": 1.0, "base": 0.8, "uneven": 1.5},
))


def _cactus(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    h, r = p["height"], p["radius"]
    limbs = [capsule((0.0, -0.3, 0.0), (0.0, h - r, 0.0), r)]
    for side in (1.0, -1.0)[: int(p["arms"])]:
        y0 = h * float(rng.uniform(0.35, 0.55))
        out = side * r * 2.6
        limbs.append(capsule((0.0, y0, 0.0), (out, y0, 0.0), r * 0.7))
        limbs.append(capsule((out, y0, 0.0), (out, y0 + h * float(rng.uniform(0.25, 0.4)), 0.0), r * 0.7))
    return [("body", smooth_union(r * 0.5, *limbs))]


register(Kind(
    name="cactus", group="shrub", words=("cactus", "cacti", "saguaro", "succulent", "agave", "yucca"),
    parts={"body": ("cactus",)}, body=("body",), ranges={"height": (2.0, 3.6), "radius": (0.22, 0.32), "arms": (0.0, 2.4)},
    integer_params=("arms",), build=_cactus, ground="embed", plural_count=6, spacing_m=0.6,
    flags={"base": 0.2, "uneven": 0.4},
))


def _crystal(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    h = p["height"]
    shards = []
    for k in range(int(p["shards"])):
        hk = h * (1.0 if k == 0 else float(rng.uniform(0.4, 0.75)))
        rk = hk * 0.16
        shard = union(box((0.0, (hk * 0.8 - 0.3) / 2, 0.0), (rk, (hk * 0.8 + 0.3) / 2, rk)),
                      pyramid((0.0, hk * 0.8, 0.0), rk, rk, hk * 0.2 + 0.05))
        if k:
            shard = rotate(shard, yaw_deg=float(rng.uniform(0, 360)), roll_deg=float(rng.uniform(18, 40)))
        shards.append(rotate(shard, yaw_deg=45.0 + 20 * k))
    return [("crystal", union(*shards))]


register(Kind(
    name="crystal", group="crystal", words=("crystal", "crystals", "gem", "gemstone", "shard", "quartz", "geode"),
    parts={"crystal": ("crystal", "crystal:cyan", "crystal:pink")}, body=("crystal",),
    ranges={"height": (1.8, 3.2), "shards": (3.0, 5.4)}, integer_params=("shards",),
    build=_crystal, ground="embed", plural_count=6, spacing_m=0.6, flags={"base": 0.5, "uneven": 0.5},
))
