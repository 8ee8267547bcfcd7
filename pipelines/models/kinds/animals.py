"""Farm animals as static props: cow, horse, sheep, pig (goat, dog and the birds are in ``animals_small``)."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.sdf import (
    Node,
    capsule,
    cylinder,
    ellipsoid,
    intersect,
    mirror,
    rotate,
    smooth_union,
    sphere,
    torus,
    union,
)

GROUND_M = 0.03  # hooves and feet reach this far below the base
Vec = tuple[float, float, float]


def _along(a: Vec, pitch_deg: float, dist: float) -> Vec:
    """Return the point ``dist`` from ``a`` along +Z pitched ``pitch_deg`` nose-down."""
    t = math.radians(pitch_deg)
    return (a[0], a[1] - dist * math.sin(t), a[2] + dist * math.cos(t))


def _head(c: Vec, radii: Vec, pitch_deg: float) -> Node:
    return rotate(ellipsoid(c, radii), pitch_deg=pitch_deg, pivot=c)


def _legs(x: float, z_front: float, z_back: float, top: float, r: float) -> Node:
    """Return four straight legs from ``top`` down to the ground (mirrored across x = 0)."""
    foot = r - GROUND_M
    return mirror(
        union(capsule((x, top, z_front), (x, foot, z_front), r), capsule((x, top, z_back), (x, foot, z_back), r)), "x"
    )


def _hooves(x: float, z_front: float, z_back: float, r: float, h: float) -> Node:
    cyl = union(
        cylinder((x, h / 2 - GROUND_M, z_front), r, h / 2 + 0.005),
        cylinder((x, h / 2 - GROUND_M, z_back), r, h / 2 + 0.005),
    )
    return mirror(cyl, "x")


def _patches(body: Node, centres: list[Vec], r: float, grow: Vec, radii: Vec, c: Vec) -> Node:
    """Return coat patches: the body's ellipsoid grown by ~1 cm, kept only inside a few spheres."""
    skin = ellipsoid(c, (radii[0] + grow[0], radii[1] + grow[1], radii[2] + grow[2]))
    return intersect(skin, union(*[sphere(q, r) for q in centres]))


def _quadruped(p: dict[str, float], girth: Vec, leg_h: float, leg_r: float) -> tuple[Vec, Vec, Node, Node]:
    """Return (body centre, body radii, body ellipsoid, legs) of a four-legged animal ``length`` long."""
    rz = p["length"] / 2
    c = (0.0, leg_h + girth[1] * 0.75, 0.0)
    radii = (girth[0], girth[1], rz)
    legs = _legs(girth[0] * 0.55, rz * 0.62, -rz * 0.62, c[1], leg_r)
    return c, radii, ellipsoid(c, radii), legs


def _cow(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    c, radii, body, legs = _quadruped(p, (p["girth"], p["girth"] * 1.12, 0.0), p["leg_h"], 0.075)
    rz = radii[2]
    graze = p["graze"] > 0.5
    neck_a = (0.0, c[1] + radii[1] * 0.25, rz * 0.75)
    head_c = (0.0, 0.45, rz + 0.32) if graze else (0.0, c[1] + radii[1] * 0.55, rz + 0.3)
    pitch = 70.0 if graze else 35.0
    head = _head(head_c, (0.15, 0.16, 0.27), pitch)
    muzzle_c = _along(head_c, pitch, 0.24)
    spots = [
        (
            float(rng.uniform(-1, 1)) * radii[0],
            c[1] + float(rng.uniform(-0.3, 0.9)) * radii[1],
            float(rng.uniform(-0.9, 0.8)) * rz,
        )
        for _ in range(5)
    ]
    horn_base = _along(head_c, pitch, -0.2)
    parts = [
        ("body", smooth_union(0.15, body, capsule(neck_a, _along(head_c, pitch, -0.12), 0.16 if graze else 0.2))),
        ("patches", _patches(body, spots, 0.26, (0.012, 0.012, 0.012), radii, c)),
        ("head", head),
        ("muzzle", ellipsoid(muzzle_c, (0.12, 0.1, 0.09))),
        ("legs", legs),
        ("hooves", _hooves(radii[0] * 0.55, rz * 0.62, -rz * 0.62, 0.085, 0.1)),
        ("ears", mirror(ellipsoid((0.2, horn_base[1] - 0.02, horn_base[2]), (0.09, 0.035, 0.05)), "x")),
        (
            "tail",
            union(
                capsule((0.0, c[1] + radii[1] * 0.7, -rz + 0.05), (0.0, 0.55, -rz - 0.05), 0.03),
                ellipsoid((0.0, 0.5, -rz - 0.05), (0.05, 0.1, 0.05)),
            ),
        ),
        ("udder", ellipsoid((0.0, c[1] - radii[1] * 0.85, -rz * 0.45), (0.14, 0.12, 0.16))),
    ]
    if p["horns"] > 0.5:
        parts.append(
            (
                "horns",
                mirror(
                    capsule(
                        (0.08, horn_base[1] + 0.08, horn_base[2]), (0.26, horn_base[1] + 0.2, horn_base[2] + 0.04), 0.03
                    ),
                    "x",
                ),
            )
        )
    return parts


register(
    Kind(
        name="cow",
        group="cattle",
        words=("cow", "cattle", "bull", "ox", "calf", "heifer", "dairy cow", "bullock"),
        parts={
            "body": ("fur:white", "fur:brown", "fur:black", "fur:tan"),
            "patches": ("fur:black", "fur:brown", "fur:white"),
            "head": ("fur:white", "fur:brown", "fur:black"),
            "muzzle": ("skin", "skin:gray"),
            "legs": ("fur:white", "fur:brown"),
            "hooves": ("dark_wood", "fur:black"),
            "ears": ("fur:white", "fur:brown"),
            "tail": ("fur:black", "fur:brown"),
            "udder": ("skin",),
            "horns": ("bone",),
        },
        body=("body",),
        ranges={
            "length": (1.7, 2.1),
            "girth": (0.32, 0.38),
            "leg_h": (0.55, 0.68),
            "graze": (0.0, 1.0),
            "horns": (0.0, 1.0),
        },
        integer_params=("graze", "horns"),
        build=_cow,
        ground="embed",
        plural_count=4,
        spacing_m=0.8,
        flags={"uneven": 0.3},  # a long body: keep its four hooves near the ground
    )
)


def _horse(p: dict[str, float]) -> list[tuple[str, Node]]:
    c, radii, body, legs = _quadruped(p, (p["girth"], p["girth"] * 1.15, 0.0), p["leg_h"], 0.06)
    rz = radii[2]
    graze = p["graze"] > 0.5
    neck_a = (0.0, c[1] + radii[1] * 0.3, rz * 0.7)
    neck_b = (0.0, 0.6, rz + 0.55) if graze else (0.0, c[1] + radii[1] + 0.55, rz + 0.3)
    pitch = 80.0 if graze else 62.0
    head_c = _along(neck_b, pitch, 0.2)
    mane = capsule((0.0, neck_a[1] + 0.2, neck_a[2] - 0.08), (0.0, neck_b[1] + 0.14, neck_b[2] - 0.06), 0.06)
    ear = _along(neck_b, pitch, -0.02)
    return [
        ("body", smooth_union(0.12, body, capsule(neck_a, neck_b, 0.17))),
        ("head", union(_head(head_c, (0.1, 0.12, 0.3), pitch), ellipsoid(neck_b, (0.11, 0.15, 0.15)))),
        ("mane", mane),
        ("legs", legs),
        ("hooves", _hooves(radii[0] * 0.55, rz * 0.62, -rz * 0.62, 0.07, 0.09)),
        ("ears", mirror(capsule((0.06, ear[1] + 0.05, ear[2]), (0.08, ear[1] + 0.17, ear[2] - 0.02), 0.025), "x")),
        (
            "tail",
            union(
                capsule((0.0, c[1] + radii[1] * 0.6, -rz), (0.0, c[1] - 0.15, -rz - 0.2), 0.06),
                ellipsoid((0.0, c[1] - 0.4, -rz - 0.22), (0.07, 0.3, 0.08)),
            ),
        ),
    ]


register(
    Kind(
        name="horse",
        group="horse",
        words=("horse", "pony", "mare", "stallion", "foal", "colt", "steed", "mule", "donkey"),
        parts={
            "body": ("fur:brown", "fur:black", "fur:white", "fur:tan", "fur:gray"),
            "head": ("fur:brown", "fur:black", "fur:white"),
            "mane": ("fur:black", "fur:brown", "fur:cream"),
            "legs": ("fur:brown", "fur:black"),
            "hooves": ("dark_wood", "fur:black"),
            "ears": ("fur:brown", "fur:black"),
            "tail": ("fur:black", "fur:brown", "fur:cream"),
        },
        body=("body", "head", "legs", "ears"),
        ranges={"length": (1.5, 1.75), "girth": (0.27, 0.32), "leg_h": (0.8, 0.95), "graze": (0.0, 1.0)},
        integer_params=("graze",),
        build=_horse,
        ground="embed",
        plural_count=3,
        spacing_m=1.0,
        flags={"uneven": 0.3},
    )
)


def _sheep(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    c, radii, body, legs = _quadruped(p, (p["girth"], p["girth"] * 1.05, 0.0), p["leg_h"], 0.035)
    rz = radii[2]
    lumps = []
    for _ in range(9):
        a = float(rng.uniform(0, math.pi))
        z = float(rng.uniform(-0.8, 0.8)) * rz
        s = math.sqrt(max(0.05, 1 - (z / rz) ** 2))
        lumps.append(
            sphere(
                (radii[0] * s * 0.8 * math.cos(a), c[1] + radii[1] * s * 0.8 * math.sin(a), z),
                radii[0] * float(rng.uniform(0.35, 0.5)),
            )
        )
    graze = p["graze"] > 0.5
    head_c = (0.0, 0.28, rz + 0.15) if graze else (0.0, c[1] + radii[1] * 0.5, rz + 0.12)
    pitch = 70.0 if graze else 30.0
    ear = _along(head_c, pitch, -0.05)
    parts = [
        ("wool", smooth_union(0.08, body, *lumps, sphere(_along(head_c, pitch, -0.12), 0.13))),
        ("head", _head(head_c, (0.075, 0.09, 0.15), pitch)),
        ("ears", mirror(ellipsoid((0.1, ear[1], ear[2]), (0.07, 0.025, 0.035)), "x")),
        ("legs", legs),
        ("tail", ellipsoid((0.0, c[1] + radii[1] * 0.3, -rz - 0.02), (0.06, 0.09, 0.06))),
    ]
    if p["horns"] > 0.5:
        parts.append(("horns", mirror(torus((0.1, ear[1] + 0.02, ear[2] - 0.02), 0.06, 0.025, axis="x"), "x")))
    return parts


register(
    Kind(
        name="sheep",
        group="sheep",
        words=("sheep", "ram", "lamb", "ewe"),
        parts={
            "wool": ("wool", "wool:cream", "wool:gray", "wool:black"),
            "head": ("fur:black", "fur:white", "fur:brown"),
            "ears": ("fur:black", "fur:white"),
            "legs": ("fur:black", "fur:white"),
            "tail": ("wool",),
            "horns": ("bone",),
        },
        body=("wool",),
        ranges={
            "length": (0.9, 1.15),
            "girth": (0.27, 0.33),
            "leg_h": (0.3, 0.4),
            "graze": (0.0, 1.0),
            "horns": (0.0, 1.0),
        },
        integer_params=("graze", "horns"),
        build=_sheep,
        ground="embed",
        plural_count=6,
        spacing_m=0.5,
    )
)


def _pig(p: dict[str, float]) -> list[tuple[str, Node]]:
    c, radii, body, legs = _quadruped(p, (p["girth"], p["girth"] * 1.05, 0.0), p["leg_h"], 0.055)
    rz = radii[2]
    head_c = (0.0, c[1] + 0.02, rz - 0.02)
    snout_z = head_c[2] + 0.24
    return [
        ("body", smooth_union(0.1, body, ellipsoid(head_c, (0.19, 0.19, 0.2)))),
        ("snout", cylinder((0.0, head_c[1] - 0.04, snout_z), 0.075, 0.05, axis="z")),
        (
            "ears",
            mirror(
                rotate(
                    ellipsoid((0.12, head_c[1] + 0.17, head_c[2] + 0.05), (0.07, 0.025, 0.09)),
                    pitch_deg=40,
                    pivot=(0.12, head_c[1] + 0.17, head_c[2] + 0.05),
                ),
                "x",
            ),
        ),
        ("legs", legs),
        ("hooves", _hooves(radii[0] * 0.55, rz * 0.62, -rz * 0.62, 0.06, 0.06)),
        ("tail", torus((0.0, c[1] + radii[1] * 0.4, -rz - 0.04), 0.04, 0.016, axis="z")),
    ]


register(
    Kind(
        name="pig",
        group="pig",
        words=("pig", "hog", "swine", "piglet", "boar", "piggy"),
        parts={
            "body": ("skin", "skin:pink", "fur:black", "skin:tan"),
            "snout": ("skin", "skin:pink"),
            "ears": ("skin", "skin:pink"),
            "legs": ("skin", "skin:pink"),
            "hooves": ("dark_wood",),
            "tail": ("skin",),
        },
        body=("body",),
        ranges={"length": (1.0, 1.3), "girth": (0.27, 0.33), "leg_h": (0.16, 0.24)},
        build=_pig,
        ground="embed",
        plural_count=4,
        spacing_m=0.5,
    )
)
