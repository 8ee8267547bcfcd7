"""Desert and forest-floor plants and wood: cactus, tree stump, fallen log.

In their own module, after ``nature.py`` in the catalog's alphabetical order, so the catalog keeps its order."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.rocks import MOSSY, moss_cap
from pipelines.models.sdf import (
    Node,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    polar_repeat,
    rotate,
    smooth_union,
    union,
)


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


register(
    Kind(
        name="cactus",
        group="shrub",
        words=("cactus", "cacti", "saguaro", "succulent", "agave", "yucca"),
        parts={"body": ("cactus",)},
        body=("body",),
        ranges={"height": (2.0, 3.6), "radius": (0.22, 0.32), "arms": (0.0, 2.4)},
        integer_params=("arms",),
        build=_cactus,
        ground="embed",
        plural_count=6,
        spacing_m=0.6,
        flags={"base": 0.2, "uneven": 0.4},
    )
)


def _stump(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    r, h = p["radius"], p["height"]
    root = capsule((r * 0.55, h * 0.25, 0.0), (r * 1.55, -0.12, 0.0), r * 0.24)
    body = union(
        cone((0.0, -0.3, 0.0), r * 1.2, r, h + 0.3),
        rotate(polar_repeat(root, int(p["roots"])), yaw_deg=float(rng.uniform(0, 90))),
    )
    parts = [("bark", body), ("cut", cylinder((0.0, h, 0.0), r * 0.88, 0.02))]
    if p.get("mossy", 0.0) > 0.5:
        parts.append(("moss", moss_cap(body, (r * 0.9, 0.0, 0.0), (r * 1.0, h * 0.6, r * 1.1))))
    return parts


register(
    Kind(
        name="tree stump",
        group="deadwood",
        words=("tree stump", "stump"),
        parts={"bark": ("bark", "bark:gray"), "cut": ("wood:tan", "wood:beige"), "moss": ("moss",)},
        body=("bark",),
        ranges={"radius": (0.25, 0.5), "height": (0.25, 0.6), "roots": (4.0, 6.4)},
        integer_params=("roots",),
        build=_stump,
        ground="embed",
        plural_count=3,
        spacing_m=0.4,
        flags={"base": 0.8, "uneven": 0.3},
        attributes=MOSSY,
    )
)


def _log(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    hl, r = p["length"] / 2, p["radius"]
    cy = r - 0.06  # settled a little into the ground
    stubs = []
    for x in rng.uniform(-hl * 0.6, hl * 0.6, int(p["stubs"])):
        a = float(rng.uniform(-1.0, 1.0))
        stubs.append(
            capsule((float(x), cy, 0.0), (float(x) + 0.2, cy + r * 1.6 * math.cos(a), r * 1.6 * math.sin(a)), r * 0.28)
        )
    bark = [cylinder((0.0, cy, 0.0), r, hl, axis="x"), *stubs]
    parts = []
    if p["roots"] > 0.5:  # a fallen tree keeps its torn-up root plate, earth and all, at one end
        end = (-hl - 0.1, cy + r * 0.7, 0.0)
        for a in rng.uniform(0, 2 * math.pi, 6):
            bark.append(
                capsule(
                    (-hl + 0.2, cy, 0.0),
                    (end[0] - 0.15, end[1] + r * 2.8 * math.cos(a), r * 2.8 * math.sin(a)),
                    r * 0.22,
                )
            )
        parts.append(("soil", ellipsoid(end, (0.3, r * 2.5, r * 2.7))))
    parts += [("bark", union(*bark)), ("cut", cylinder((hl, cy, 0.0), r * 0.85, 0.025, axis="x"))]
    if p.get("mossy", 0.0) > 0.5:
        parts.append(("moss", moss_cap(union(*bark), (0.0, cy + r, 0.0), (hl * 0.9, r * 0.8, r * 1.2))))
    return parts


register(
    Kind(
        name="fallen log",
        group="deadwood",
        words=("fallen log", "log", "fallen tree", "fallen trunk", "dead log"),
        parts={"bark": ("bark", "bark:gray"), "cut": ("wood:tan", "wood:beige"), "moss": ("moss",), "soil": ("dirt",)},
        body=("bark",),
        ranges={"length": (2.5, 5.0), "radius": (0.18, 0.34), "stubs": (0.0, 2.4), "roots": (0.0, 1.0)},
        integer_params=("stubs", "roots"),
        build=_log,
        ground="embed",
        plural_count=3,
        spacing_m=0.5,
        flags={"base": 0.9, "uneven": 0.4},
        attributes=MOSSY,
    )
)
