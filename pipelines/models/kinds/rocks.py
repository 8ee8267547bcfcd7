"""Rocks: rock, boulder, rock pillar, cliff, crystal; and the faceted chunks and moss skins other kinds reuse."""

from __future__ import annotations

import math

import numpy as np

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.parts import standing_box
from pipelines.models.sdf import (
    Node,
    ellipsoid,
    intersect,
    polytope,
    pyramid,
    rotate,
    shell,
    union,
)

MOSS_M = 0.06  # a moss skin's thickness; half of it stands proud of the surface it grows on


def moss_cap(surface: Node, centre: tuple[float, float, float], radii: tuple[float, float, float]) -> Node:
    """Return a moss skin over ``surface`` where it lies inside the ellipsoid ``centre``/``radii``.

    The skin straddles the surface, so its outer half is nearer than the
    surface itself and the shader paints it; the ellipsoid keeps it to the top.
    """
    return intersect(shell(surface, MOSS_M), ellipsoid(centre, radii))


def rock_chunk(
    center: tuple[float, float, float], radii: tuple[float, float, float], rng: np.random.Generator, planes: int = 11
) -> Node:
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
    rng = variant_rng(p)
    rock = rock_chunk((0.0, radii[1] * 0.45, 0.0), radii, rng)
    if p.get("mossy", 0.0) < 0.5:
        return [("rock", rock)]
    ox, oz = (float(v) for v in rng.uniform(-0.3, 0.3, 2) * s)
    return [("rock", rock), ("moss", moss_cap(rock, (ox, radii[1] * 1.6, oz), (s * 0.95, radii[1] * 0.95, s * 0.95)))]


MOSSY = {"mossy": {"params": {"mossy": 1.0}}}


register(
    Kind(
        name="rock",
        group="rock",
        words=("rock", "stone", "pebble", "rubble", "stones"),
        parts={"rock": ("rock", "stone"), "moss": ("moss", "moss:olive")},
        body=("rock",),
        ranges={"size": (0.5, 1.1), "flat": (0.5, 0.8), "aspect": (0.7, 1.0)},
        build=_rock,
        ground="embed",
        plural_count=6,
        spacing_m=0.3,
        flags={"base": 0.6, "uneven": 0.3},
        attributes=MOSSY,
    )
)

register(
    Kind(
        name="boulder",
        group="rock",
        words=("boulder", "big rock", "large rock", "megalith", "menhir", "standing stone"),
        parts={"rock": ("rock", "stone"), "moss": ("moss", "moss:olive")},
        body=("rock",),
        ranges={"size": (1.4, 2.4), "flat": (0.6, 0.9), "aspect": (0.7, 1.0)},
        build=_rock,
        ground="embed",
        plural_count=4,
        spacing_m=0.6,
        flags={"base": 0.6, "uneven": 0.8},
        attributes=MOSSY,
    )
)


def _pillar(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    h, r = p["height"], p["radius"]
    n = 4
    chunks, y = [], -0.4
    for k in range(n):
        seg = h / n * 1.25
        rk = r * (1.0 - 0.12 * k) * float(rng.uniform(0.9, 1.1))
        cx, cz = (float(v) for v in rng.uniform(-0.15, 0.15, 2) * r)
        chunks.append(rock_chunk((cx, y + seg / 2, cz), (rk, seg / 2 + 0.2, rk * float(rng.uniform(0.8, 1.0))), rng, 9))
        y += seg * 0.8
    return [("rock", union(*chunks))]


register(
    Kind(
        name="rock pillar",
        group="rock",
        words=(
            "rock pillar",
            "pillar",
            "hoodoo",
            "spire rock",
            "rock spire",
            "column",
            "butte",
            "mesa",
            "rock formation",
        ),
        parts={"rock": ("sandstone", "rock")},
        body=("rock",),
        ranges={"height": (5.0, 9.0), "radius": (1.0, 1.6)},
        build=_pillar,
        ground="embed",
        plural_count=4,
        spacing_m=1.0,
        flags={"base": 0.7, "uneven": 0.6},
    )
)


def _cliff(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    hl, h, t = p["length"] / 2, p["height"], p["thickness"] / 2
    n = 5
    chunks = []
    for k in range(n):
        x = -hl + (k + 0.5) * (2 * hl / n)
        hk = h * float(rng.uniform(0.75, 1.0))
        chunks.append(
            rock_chunk(
                (x, hk / 2 - 0.6, float(rng.uniform(-0.3, 0.3)) * t),
                (hl / n * 1.5, hk / 2 + 0.6, t * float(rng.uniform(0.8, 1.0))),
                rng,
                10,
            )
        )
    return [("rock", union(*chunks))]


register(
    Kind(
        name="cliff",
        group="cliff",
        words=("cliff", "crag", "rock face", "escarpment", "bluff", "ridge", "rock wall", "outcrop"),
        parts={"rock": ("rock", "sandstone")},
        body=("rock",),
        ranges={"length": (14.0, 20.0), "height": (6.0, 10.0), "thickness": (4.0, 6.0)},
        build=_cliff,
        ground="embed",
        plural_count=2,
        spacing_m=1.0,
        flags={"edge": 1.0, "base": 0.8, "uneven": 1.5},
    )
)


def _crystal(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    h = p["height"]
    shards = []
    for k in range(int(p["shards"])):
        hk = h * (1.0 if k == 0 else float(rng.uniform(0.4, 0.75)))
        rk = hk * 0.16
        shard = union(
            standing_box(0.0, 0.0, hk * 0.8, rk, rk, below=0.3),
            pyramid((0.0, hk * 0.8, 0.0), rk, rk, hk * 0.2 + 0.05),
        )
        if k:
            shard = rotate(shard, yaw_deg=float(rng.uniform(0, 360)), roll_deg=float(rng.uniform(18, 40)))
        shards.append(rotate(shard, yaw_deg=45.0 + 20 * k))
    return [("crystal", union(*shards))]


register(
    Kind(
        name="crystal",
        group="crystal",
        words=("crystal", "crystals", "gem", "gemstone", "shard", "quartz", "geode"),
        parts={"crystal": ("crystal", "crystal:cyan", "crystal:pink")},
        body=("crystal",),
        ranges={"height": (1.8, 3.2), "shards": (3.0, 5.4)},
        integer_params=("shards",),
        build=_crystal,
        ground="embed",
        plural_count=6,
        spacing_m=0.6,
        flags={"base": 0.5, "uneven": 0.5},
    )
)
