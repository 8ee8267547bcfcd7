"""Landmarks: windmill, lighthouse, dome, tent, market stall (smaller props are in ``landmarks_props``)."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.parts import at_corners
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    gable,
    intersect,
    mirror,
    polar_repeat,
    rotate,
    sphere,
    subtract,
    tube,
    union,
)


def _windmill(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["radius"]
    top_r = r * 0.68
    hub_y = h + 0.2
    hub_z = top_r + 0.7
    blade = box((0.0, hub_y, hub_z), (p["sail"], 0.55, 0.05))
    sails = union(
        rotate(blade, roll_deg=45.0, pivot=(0.0, hub_y, hub_z)),
        rotate(blade, roll_deg=-45.0, pivot=(0.0, hub_y, hub_z)),
    )
    door_hole = box((0.0, 1.0, r), (0.55, 1.0, 0.6))
    return [
        ("walls", subtract(cone((0.0, -0.4, 0.0), r, top_r, h + 0.4), door_hole)),
        ("roof", cone((0.0, h - 0.1, 0.0), top_r + 0.35, 0.1, top_r * 1.3)),
        ("hub", cylinder((0.0, hub_y, (hub_z + top_r) / 2), 0.28, (hub_z - top_r) / 2 + 0.3, axis="z")),
        ("sails", sails),
        ("door", box((0.0, 0.95, r - 0.4), (0.55, 0.95, 0.06))),
    ]


register(
    Kind(
        name="windmill",
        group="landmark",
        words=("windmill", "mill", "wind mill", "watermill"),
        parts={
            "walls": ("plaster:white", "stone", "plaster:cream"),
            "roof": ("thatch", "dark_wood"),
            "hub": ("dark_wood",),
            "sails": ("canvas", "cloth"),
            "door": ("dark_wood",),
        },
        body=("walls",),
        ranges={"height": (7.5, 10.0), "radius": (2.2, 2.9), "sail": (4.0, 5.0)},
        build=_windmill,
        plural_count=2,
        spacing_m=3.0,
    )
)


def _lighthouse(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["radius"]
    top_r = r * 0.65
    door_hole = box((0.0, 1.9, r), (0.5, 0.95, 0.6))
    return [
        ("base", cylinder((0.0, 0.3, 0.0), r + 0.5, 0.7)),
        ("walls", subtract(cone((0.0, 0.9, 0.0), r, top_r, h - 0.9), door_hole)),
        (
            "gallery",
            union(
                cylinder((0.0, h + 0.1, 0.0), top_r + 0.55, 0.12), tube((0.0, h + 0.65, 0.0), top_r + 0.55, 0.06, 0.45)
            ),
        ),
        ("lantern", cylinder((0.0, h + 1.2, 0.0), top_r * 0.75, 1.0)),
        ("roof", cone((0.0, h + 2.15, 0.0), top_r * 0.95, 0.08, 1.3)),
        ("door", box((0.0, 1.9, r - 0.35), (0.5, 0.95, 0.06))),
    ]


register(
    Kind(
        name="lighthouse",
        group="landmark",
        words=("lighthouse", "beacon", "light tower"),
        parts={
            "base": ("stone",),
            "walls": ("bands", "plaster:white", "stone"),
            "gallery": ("iron",),
            "lantern": ("lamp",),
            "roof": ("paint:red", "iron"),
            "door": ("dark_wood",),
        },
        body=("walls",),
        ranges={"height": (11.0, 15.0), "radius": (1.8, 2.3)},
        build=_lighthouse,
        plural_count=1,
        spacing_m=3.0,
    )
)


def _dome(p: dict[str, float]) -> list[tuple[str, Node]]:
    r, drum = p["radius"], p["drum_h"]
    door_hole = box((0.0, 1.1, r), (0.7, 1.1, 0.8))
    return [
        ("walls", subtract(cylinder((0.0, (drum - 0.4) / 2, 0.0), r, (drum + 0.4) / 2), door_hole)),
        (
            "roof",
            intersect(sphere((0.0, drum - 0.05, 0.0), r * 0.97), box((0.0, drum + r / 2, 0.0), (r, r / 2 + 0.05, r))),
        ),
        ("trim", cylinder((0.0, drum, 0.0), r + 0.15, 0.15)),
        (
            "lantern",
            union(
                cylinder((0.0, drum + r * 0.97 + 0.3, 0.0), 0.35, 0.5),
                cone((0.0, drum + r * 0.97 + 0.75, 0.0), 0.45, 0.04, 0.7),
            ),
        ),
        ("door", box((0.0, 1.05, r - 0.45), (0.7, 1.05, 0.06))),
    ]


register(
    Kind(
        name="dome",
        group="building",
        words=("dome", "domed building", "observatory", "temple", "mosque", "habitat", "pod", "module", "rotunda"),
        parts={
            "walls": ("plaster:cream", "stone", "panels"),
            "roof": ("copper", "plaster:white", "gold", "panels"),
            "trim": ("stone",),
            "lantern": ("gold", "copper"),
            "door": ("dark_wood",),
        },
        body=("walls",),
        ranges={"radius": (3.0, 4.5), "drum_h": (2.5, 3.8)},
        build=_dome,
        plural_count=3,
        spacing_m=3.0,
    )
)


def _tent(p: dict[str, float]) -> list[tuple[str, Node]]:
    hs, hl, h = p["width"] / 2, p["length"] / 2, p["height"]
    if p["round"] > 0.5:  # a bell tent or teepee: a cone of cloth, its poles crossing above the top
        r = (hs + hl) / 2
        top = h * 1.3
        body = cone((0.0, -0.1, 0.0), r, 0.06, top + 0.1)
        flap = intersect(
            cone((0.0, -0.1, 0.0), r + 0.03, 0.09, top + 0.1), box((0.0, h * 0.3, r), (r * 0.28, h * 0.4, r * 0.3))
        )
        poles = polar_repeat(capsule((r * 0.85, 0.0, 0.0), (-0.12, top + 0.45, 0.0), 0.035), 5)
        return [("cloth", body), ("door", flap), ("poles", poles)]
    body = gable((0.0, -0.1, 0.0), hs, hl, h + 0.1)
    flap = intersect(
        gable((0.0, -0.1, 0.0), hs * 0.5, hl + 0.03, (h + 0.1) * 0.55), box((0.0, h / 2, hl), (hs, h, 0.03))
    )
    poles = mirror(cylinder((0.0, h + 0.1, hl - 0.1), 0.04, 0.35), "z")
    return [("cloth", body), ("door", flap), ("poles", poles)]


register(
    Kind(
        name="tent",
        group="building",
        words=("tent", "pavilion", "marquee", "teepee", "tipi", "bell tent", "wigwam"),
        parts={"cloth": ("canvas", "cloth:green", "cloth:tan"), "door": ("cloth:brown",), "poles": ("wood",)},
        body=("cloth",),
        ranges={"width": (2.2, 3.2), "length": (2.8, 4.0), "height": (1.8, 2.4), "round": (0.0, 1.0)},
        integer_params=("round",),
        build=_tent,
        plural_count=4,
        spacing_m=1.5,
        attributes={"round": {"params": {"round": 1.0}}, "square": {"params": {"round": 0.0}}},
    )
)


def _stall(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd = p["width"] / 2, 0.9
    rng = variant_rng(p)
    goods = [
        sphere((float(x), 1.1, float(z)), 0.13)
        for x, z in zip(rng.uniform(-hw + 0.3, hw - 0.3, 6), rng.uniform(-0.15, 0.3, 6))
    ]
    awning = rotate(box((0.0, 2.45, 0.0), (hw + 0.2, 0.04, hd + 0.25)), pitch_deg=12.0, pivot=(0.0, 2.45, 0.0))
    return [
        ("counter", box((0.0, 0.48, 0.15), (hw, 0.5, 0.45))),
        ("posts", at_corners(box((hw - 0.06, 1.15, hd - 0.1), (0.06, 1.35, 0.06)))),
        ("awning", awning),
        ("goods", union(*goods)),
    ]


register(
    Kind(
        name="market stall",
        group="stall",
        words=("market stall", "stall", "booth", "kiosk", "vendor"),
        parts={
            "counter": ("wood", "dark_wood", "boards"),
            "posts": ("dark_wood",),
            "awning": ("awning", "awning:blue", "awning:green"),
            "goods": ("paint:orange", "paint:red", "paint:yellow"),
        },
        body=("counter",),
        ranges={"width": (2.2, 3.2)},
        build=_stall,
        plural_count=4,
        spacing_m=1.5,
    )
)
