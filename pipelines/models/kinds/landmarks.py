"""Landmarks and props: windmill, lighthouse, dome, tent, market stall, fountain, lamp post, statue, boat, antenna."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    gable,
    intersect,
    mirror,
    polar_repeat,
    pyramid,
    rotate,
    shell,
    smooth_union,
    sphere,
    subtract,
    translate,
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
        ("posts", mirror(mirror(box((hw - 0.06, 1.15, hd - 0.1), (0.06, 1.35, 0.06)), "x"), "z")),
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


def _fountain(p: dict[str, float]) -> list[tuple[str, Node]]:
    r = p["radius"]
    return [
        ("basin", union(tube((0.0, 0.15, 0.0), r, 0.35, 0.45), cylinder((0.0, -0.15, 0.0), r - 0.1, 0.2))),
        ("water", cylinder((0.0, 0.2, 0.0), r - 0.3, 0.2)),
        (
            "pillar",
            union(
                cylinder((0.0, 0.8, 0.0), 0.25, 0.7),
                cone((0.0, 1.45, 0.0), 0.2, 0.95, 0.35),
                sphere((0.0, 2.0, 0.0), 0.22),
            ),
        ),
    ]


register(
    Kind(
        name="fountain",
        group="landmark",
        words=("fountain", "water fountain", "basin", "pool"),
        parts={"basin": ("stone", "marble"), "water": ("water",), "pillar": ("stone", "marble")},
        body=("basin", "pillar"),
        ranges={"radius": (1.6, 2.6)},
        build=_fountain,
        plural_count=2,
        spacing_m=2.0,
    )
)


def _lamp(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    return [
        ("pole", union(cylinder((0.0, 0.0, 0.0), 0.18, 0.25), cylinder((0.0, h / 2, 0.0), 0.06, h / 2))),
        ("lantern", box((0.0, h + 0.25, 0.0), (0.17, 0.25, 0.17), round_m=0.02)),
        ("cap", pyramid((0.0, h + 0.48, 0.0), 0.26, 0.26, 0.3)),
    ]


register(
    Kind(
        name="lamp post",
        group="light",
        words=("lamp post", "lamppost", "street lamp", "streetlight", "street light", "lamp", "light post", "torch"),
        parts={"pole": ("iron", "paint:black", "metal"), "lantern": ("lamp",), "cap": ("iron", "copper")},
        body=("pole", "cap"),
        ranges={"height": (2.8, 3.6)},
        build=_lamp,
        plural_count=4,
        spacing_m=0.8,
    )
)


def _statue(p: dict[str, float]) -> list[tuple[str, Node]]:
    s = p["figure"]
    b = 1.2  # plinth top
    rng = variant_rng(p)
    arm = float(rng.uniform(-0.2, 1.0))
    figure = smooth_union(
        0.12,
        capsule((0.12 * s, b + 0.1, 0.0), (0.1 * s, b + 0.85 * s, 0.0), 0.1 * s),
        capsule((-0.12 * s, b + 0.1, 0.0), (-0.1 * s, b + 0.85 * s, 0.0), 0.1 * s),
        ellipsoid((0.0, b + 1.2 * s, 0.0), (0.24 * s, 0.38 * s, 0.15 * s)),
        capsule((0.26 * s, b + 1.45 * s, 0.0), (0.35 * s, b + (1.1 + arm) * s, 0.1 * s), 0.07 * s),
        capsule((-0.26 * s, b + 1.45 * s, 0.0), (-0.32 * s, b + 0.95 * s, 0.05 * s), 0.07 * s),
    )
    head = sphere((0.0, b + 1.78 * s, 0.0), 0.13 * s)
    return [
        ("plinth", box((0.0, (b - 0.3) / 2, 0.0), (0.6, (b + 0.3) / 2, 0.6), round_m=0.03)),
        ("figure", smooth_union(0.06, figure, head)),
    ]


register(
    Kind(
        name="statue",
        group="landmark",
        words=("statue", "sculpture", "monument", "idol", "figure", "memorial"),
        parts={"plinth": ("stone", "marble"), "figure": ("copper", "marble", "stone", "gold")},
        body=("figure",),
        ranges={"figure": (1.0, 1.3)},
        build=_statue,
        plural_count=2,
        spacing_m=1.5,
    )
)


def _boat(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hw = p["length"] / 2, p["beam"] / 2
    broken = p["broken"] > 0.5
    rng = variant_rng(p)
    hull = subtract(
        intersect(ellipsoid((0.0, 0.55, 0.0), (hw, 1.0, hl)), box((0.0, 0.05, 0.0), (hw, 0.5, hl))),
        ellipsoid((0.0, 0.65, 0.0), (hw - 0.12, 0.9, hl - 0.15)),
    )
    seats = mirror(box((0.0, 0.3, hl * 0.3), (hw * 0.8, 0.04, 0.14)), "z")
    if broken:  # a stove-in side and a missing seat
        hull = subtract(hull, ellipsoid((hw, 0.35, float(rng.uniform(-0.3, 0.3)) * hl), (0.35, 0.3, 0.6)))
        seats = box((0.0, 0.3, -hl * 0.3), (hw * 0.8, 0.04, 0.14))
    parts = [("hull", hull), ("seats", seats)]
    if p["mast"] > 0.5:
        mast_h = p["length"] * 0.9
        if broken:  # snapped off above the thwart
            parts.append(("mast", cylinder((0.0, 0.6, 0.0), 0.06, 0.9)))
        else:
            parts.append(("mast", cylinder((0.0, mast_h / 2, 0.0), 0.06, mast_h / 2 + 0.3)))
            sail = intersect(
                gable((0.0, 0.9, -0.1), hl * 0.55, 0.05, mast_h - 1.0, ridge="x"),
                box((0.0, mast_h / 2, -0.1 - hl * 0.27), (0.05, mast_h / 2, hl * 0.28)),
            )
            parts.append(("sail", sail))
    if broken:  # listing where it lies
        roll = float(rng.uniform(10.0, 20.0))
        parts = [(n, rotate(s_, roll_deg=roll, pivot=(0.0, 0.0, 0.0))) for n, s_ in parts]
    return parts


register(
    Kind(
        name="boat",
        group="boat",
        words=(
            "boat",
            "rowboat",
            "rowing boat",
            "sailboat",
            "fishing boat",
            "dinghy",
            "skiff",
            "yacht",
            "raft",
            "gondola",
        ),
        parts={
            "hull": ("wood", "paint:white", "paint:blue", "paint:red"),
            "seats": ("wood",),
            "mast": ("wood",),
            "sail": ("canvas",),
        },
        body=("hull",),
        ranges={"length": (4.0, 6.5), "beam": (1.5, 2.1), "mast": (0.0, 1.0), "broken": (0.0, 0.0)},
        integer_params=("mast",),
        build=_boat,
        ground="water",
        plural_count=3,
        spacing_m=1.5,
        attributes={"broken": {"params": {"broken": 1.0}}},
    )
)


def _antenna(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    dish_r = 1.6
    cap = intersect(
        shell(sphere((0.0, 0.0, dish_r * 1.6), dish_r * 1.6), 0.08), box((0.0, 0.0, 0.2), (dish_r, dish_r, 0.25))
    )
    dish = rotate(cap, pitch_deg=-35.0)
    dish_at = translate(dish, (0.0, h - 0.8, 0.45))
    return [
        ("base", box((0.0, 0.1, 0.0), (1.0, 0.45, 1.0), round_m=0.05)),
        ("mast", cone((0.0, 0.5, 0.0), 0.3, 0.1, h - 0.5)),
        ("dish", dish_at),
        ("light", sphere((0.0, h + 0.1, 0.0), 0.16)),
    ]


register(
    Kind(
        name="antenna",
        group="tech",
        words=(
            "antenna",
            "radio mast",
            "satellite dish",
            "dish",
            "radar",
            "transmitter",
            "relay",
            "comm tower",
            "pylon",
        ),
        parts={"base": ("concrete",), "mast": ("metal",), "dish": ("paint:white", "metal"), "light": ("lamp",)},
        body=("mast", "dish"),
        ranges={"height": (7.0, 10.0)},
        build=_antenna,
        plural_count=2,
        spacing_m=2.0,
    )
)
