"""Small plants: flowers, flowering shrub (the green ones are in ``plants_green``)."""

from __future__ import annotations

import math

import numpy as np

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.nature import blooms
from pipelines.models.sdf import (
    Node,
    capsule,
    cylinder,
    ellipsoid,
    rotate,
    smooth_union,
    sphere,
    union,
)

STEM_R = 0.016  # the thinnest stem: 3.2 cm across
WILD, TULIP, DAISY, ROSE, POPPY, SUNFLOWER, LAVENDER = range(7)


def _disc(rng: np.random.Generator, radius: float) -> tuple[float, float]:
    """Return a uniform random point (x, z) in a disc."""
    r, a = radius * math.sqrt(float(rng.uniform())), float(rng.uniform(0, 2 * math.pi))
    return r * math.cos(a), r * math.sin(a)


def _spots(rng: np.random.Generator, radius: float, n: int) -> list[tuple[float, float]]:
    """Return ``n`` random points in a disc, shifted so their mean is the centre (the pivot stays mid-clump)."""
    pts = [_disc(rng, radius) for _ in range(n)]
    mx, mz = sum(x for x, _ in pts) / n, sum(z for _, z in pts) / n
    return [(x - mx, z - mz) for x, z in pts]


def _blade(height: float, half_width: float, lean_deg: float) -> Node:
    """Return one leaning blade (a thin upright ellipsoid from the ground) modelled to lean towards +x."""
    blade = ellipsoid((0.0, height / 2, 0.0), (0.018, height / 2, half_width))
    return rotate(blade, roll_deg=-lean_deg, pivot=(0.0, 0.0, 0.0)) if lean_deg else blade


def _flowers(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    style, w, h = int(p["style"]), p["width"] / 2, p["height"]
    n = int(p["stems"])
    if style == SUNFLOWER:
        h, n = h * 3.2, max(3, n // 2)
    leaf_r = min(0.16, h * 0.3)
    mound = [
        sphere((x, -leaf_r * 0.3, z), leaf_r * float(rng.uniform(0.8, 1.1)))
        for x, z in [(0.0, 0.0)] + [_disc(rng, w * 0.6) for _ in range(4)]
    ]
    stems: list[Node] = []
    heads: list[Node] = []
    accents: list[Node] = []
    centres: list[Node] = []
    for i, (x, z) in enumerate(_spots(rng, w * 0.8, n)):
        top = (
            x + float(rng.uniform(-0.05, 0.05)),
            h * float(rng.uniform(0.7, 1.0)),
            z + float(rng.uniform(-0.05, 0.05)),
        )
        stems.append(capsule((x, 0.0, z), top, STEM_R * (2.0 if style == SUNFLOWER else 1.0)))
        out = accents if style == WILD and i % 2 else heads
        if style == TULIP:
            out.append(ellipsoid((top[0], top[1] + 0.04, top[2]), (0.05, 0.075, 0.05)))
        elif style in (DAISY, POPPY):
            out.append(cylinder(top, 0.065 if style == DAISY else 0.075, 0.016))
            centres.append(sphere((top[0], top[1] + 0.016, top[2]), 0.026))
        elif style == SUNFLOWER:  # big faces turned to the front
            face = (top[0], top[1], top[2] + 0.06)
            out.append(cylinder(face, 0.17, 0.02, axis="z"))
            centres.append(cylinder((face[0], face[1], face[2] + 0.02), 0.085, 0.02, axis="z"))
            mound += [
                ellipsoid((x + s * 0.1, top[1] * 0.45, z), (0.1, 0.025, 0.06)) for s in (-1.0, 1.0)
            ]  # leaves up the stem
        elif style == LAVENDER:
            out.append(capsule(top, (top[0], top[1] + 0.14, top[2]), 0.026))
        else:  # wildflower or rose: round heads, roses bigger
            out.append(sphere(top, 0.065 if style == ROSE else 0.05))
    parts = [("leaves", union(smooth_union(0.06, *mound), *stems)), ("blossoms", union(*heads))]
    if accents:
        parts.append(("accents", union(*accents)))
    if centres:
        parts.append(("centres", union(*centres)))
    return parts


def _species(style: int, blossoms: str, centres: str | None = None) -> dict:
    parts = {"blossoms": blossoms} | ({"centres": centres} if centres else {})
    return {"params": {"style": float(style)}, "parts": parts}


register(
    Kind(
        name="flowers",
        group="flower",
        words=(
            "flowers",
            "flower",
            "wildflower",
            "tulip",
            "rose",
            "daisy",
            "poppy",
            "sunflower",
            "lavender",
            "bluebell",
            "marigold",
            "flower patch",
            "flower clump",
            "bloom",
        ),
        parts={
            "leaves": ("leaves", "leaves:green"),
            "blossoms": ("petals", "petals:yellow", "petals:white", "petals:violet", "petals:orange"),
            "accents": ("petals:white", "petals:yellow", "petals:blue"),
            "centres": ("petals:yellow", "petals:brown"),
        },
        body=("blossoms",),
        ranges={"width": (0.6, 1.0), "height": (0.3, 0.55), "stems": (10.0, 16.4), "style": (0.0, 4.4)},
        integer_params=("stems", "style"),
        build=_flowers,
        ground="embed",
        plural_count=10,
        spacing_m=0.1,
        flags={"base": 0.9, "uneven": 0.3},
        attributes={
            "wildflower": _species(WILD, "petals:violet"),
            "tulip": _species(TULIP, "petals:red"),
            "daisy": _species(DAISY, "petals:white", "petals:yellow"),
            "rose": _species(ROSE, "petals:crimson"),
            "poppy": _species(POPPY, "petals:scarlet", "petals:black"),
            "sunflower": _species(SUNFLOWER, "petals:yellow", "petals:brown"),
            "lavender": _species(LAVENDER, "petals:violet"),
            "bluebell": _species(WILD, "petals:blue"),
            "marigold": _species(ROSE, "petals:orange"),
            "dry": {"parts": {"leaves": "leaves:tan", "blossoms": "petals:brown"}},
        },
    )
)


def _flowering_shrub(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    r, h = p["radius"], p["height"]
    centre, radii = (0.0, h * 0.5, 0.0), (r, h * 0.5, r)
    lobes = [ellipsoid((centre[0], centre[1] - 0.05, 0.0), radii)]
    for a in rng.uniform(0, 2 * math.pi, 3):
        lobes.append(sphere((r * 0.55 * math.cos(a), h * 0.4, r * 0.55 * math.sin(a)), min(r, h) * 0.55))
    heads = blooms(rng, centre, radii, int(p["blooms"]), p["bloom_r"], lowest=-0.1, tall=p.get("panicle", 1.0))
    return [("leaves", smooth_union(0.2, *lobes)), ("blossoms", heads)]


def _shrub(colour: str, **params: float) -> dict:
    return {"params": params, "parts": {"blossoms": f"petals:{colour}"}}


register(
    Kind(
        name="flowering shrub",
        group="shrub",
        words=(
            "flowering shrub",
            "hydrangea",
            "azalea",
            "rhododendron",
            "lilac",
            "rosebush",
            "rose bush",
            "camellia",
            "hibiscus",
            "oleander",
            "peony",
            "forsythia",
            "gardenia",
            "bougainvillea",
            "flowering bush",
        ),
        parts={
            "leaves": ("leaves:green", "bush"),
            "blossoms": ("petals:pink", "petals:white", "petals:magenta", "petals:violet", "petals:blue"),
        },
        body=("blossoms",),
        ranges={"radius": (0.6, 1.0), "height": (1.0, 1.7), "blooms": (24.0, 34.4), "bloom_r": (0.1, 0.15)},
        integer_params=("blooms",),
        build=_flowering_shrub,
        ground="embed",
        plural_count=5,
        spacing_m=0.4,
        flags={"base": 0.7, "uneven": 0.4},
        attributes={
            "hydrangea": _shrub("blue", bloom_r=0.2, blooms=22.0),
            "azalea": _shrub("pink", bloom_r=0.09, blooms=40.0),
            "rhododendron": _shrub("magenta", bloom_r=0.15, blooms=26.0),
            "lilac": _shrub("violet", bloom_r=0.11, blooms=24.0, panicle=2.2, height=2.2),
            "rosebush": _shrub("red", bloom_r=0.08, blooms=34.0),
            "forsythia": _shrub("yellow", bloom_r=0.08, blooms=40.0),
            "camellia": _shrub("rose", bloom_r=0.1, blooms=30.0),
            "hibiscus": _shrub("scarlet", bloom_r=0.13, blooms=22.0),
        },
    )
)
