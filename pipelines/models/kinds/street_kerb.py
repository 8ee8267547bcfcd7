"""Street furniture at the kerb: fire hydrant, trash bin, phone booth, bus stop, bollard."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register
from pipelines.models.kinds.parts import at_corners, standing_box, standing_cylinder, translate_y
from pipelines.models.kinds.street import GROUND_M
from pipelines.models.sdf import (
    Node,
    box,
    cone,
    cylinder,
    ellipsoid,
    intersect,
    mirror,
    repeat,
    rotate,
    subtract,
    torus,
    union,
)


def _hydrant(p: dict[str, float]) -> list[tuple[str, Node]]:
    r, h = p["radius"], p["height"]
    body = standing_cylinder(0.0, 0.0, h, r, below=GROUND_M)
    cap = union(
        ellipsoid((0.0, h, 0.0), (r + 0.01, r * 0.75, r + 0.01)), cylinder((0.0, h + r * 0.75, 0.0), 0.03, 0.03)
    )
    rims = union(cylinder((0.0, 0.04, 0.0), r + 0.04, 0.05), cylinder((0.0, h - 0.02, 0.0), r + 0.025, 0.025))
    nozzles = union(
        mirror(cylinder((r + 0.04, h * 0.62, 0.0), 0.045, 0.05, axis="x"), "x"),
        cylinder((0.0, h * 0.55, r + 0.05), 0.065, 0.06, axis="z"),
    )
    caps = union(
        mirror(cylinder((r + 0.095, h * 0.62, 0.0), 0.055, 0.012, axis="x"), "x"),
        cylinder((0.0, h * 0.55, r + 0.115), 0.075, 0.015, axis="z"),
    )
    return [("body", union(body, nozzles)), ("cap", cap), ("rims", union(rims, caps))]


register(
    Kind(
        name="fire hydrant",
        group="hydrant",
        words=("fire hydrant", "hydrant", "fireplug", "fire plug", "standpipe"),
        parts={
            "body": ("paint:red", "paint:yellow", "paint:silver"),
            "cap": ("paint:red", "paint:white", "paint:silver"),
            "rims": ("paint:red", "metal"),
        },
        body=("body",),
        ranges={"radius": (0.11, 0.14), "height": (0.6, 0.8)},
        build=_hydrant,
        ground="embed",
        plural_count=1,
        spacing_m=0.4,
    )
)


def _bin(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    if p["wheelie"] > 0.5:  # a wheelie bin: a tapered box, a hinged lid, two wheels at the back
        hw, hd = 0.3, 0.36
        tub = box((0.0, (h - 0.05 + 0.06) / 2, 0.0), (hw, (h - 0.05 - 0.06) / 2, hd), round_m=0.03)
        lid = union(
            box((0.0, h, 0.02), (hw + 0.02, 0.03, hd + 0.04)),
            cylinder((0.0, h - 0.03, -hd - 0.04), 0.035, hw, axis="x"),
        )
        wheels = mirror(cylinder((hw - 0.04, 0.1 - 0.03, -hd + 0.02), 0.1, 0.035, axis="x"), "x")
        return [("body", tub), ("lid", lid), ("wheels", wheels)]
    r = p["radius"]
    drum = subtract(standing_cylinder(0.0, 0.0, h, r, below=GROUND_M), cylinder((0.0, h, 0.0), r - 0.03, 0.3))
    slats = subtract(
        cylinder((0.0, h * 0.55, 0.0), r + 0.015, h * 0.35), cylinder((0.0, h * 0.55, 0.0), r - 0.01, h * 0.4)
    )
    gaps = [rotate(box((0.0, h * 0.55, 0.0), (r + 0.1, h * 0.36, 0.025)), yaw_deg=a) for a in (0.0, 45.0, 90.0, 135.0)]
    lid = union(torus((0.0, h, 0.0), r - 0.015, 0.025), cone((0.0, h, 0.0), r - 0.02, r * 0.45, 0.12))
    return [("body", drum), ("slats", subtract(slats, *gaps)), ("lid", lid)]


register(
    Kind(
        name="trash bin",
        group="bin",
        words=(
            "trash bin",
            "bin",
            "dustbin",
            "garbage can",
            "trash can",
            "litter bin",
            "wheelie bin",
            "rubbish bin",
            "waste bin",
            "garbage bin",
        ),
        parts={
            "body": ("paint:black", "plastic:green", "plastic:gray", "metal", "plastic:blue"),
            "slats": ("metal", "wood", "paint:black"),
            "lid": ("paint:black", "plastic:green", "metal"),
            "wheels": ("tyre",),
        },
        body=("body",),
        ranges={"height": (0.85, 1.05), "radius": (0.22, 0.3), "wheelie": (0.0, 1.0)},
        integer_params=("wheelie",),
        build=_bin,
        ground="embed",
        where="any",
        plural_count=2,
        spacing_m=0.3,
    )
)


def _phone_booth(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, h = p["width"] / 2, p["height"]
    frame_h = h - 0.35
    shell_box = box((0.0, (frame_h + 0.1) / 2, 0.0), (hw, (frame_h - 0.1) / 2, hw))
    panes = []
    for face in range(4):
        pane = repeat(repeat(box((0.0, 0.55 + 0.2, hw), (hw * 0.26, 0.18, 0.06)), "x", hw * 0.58, 2), "y", 0.42, 4)
        panes.append(rotate(translate_y(pane, 0.02), yaw_deg=90.0 * face))
    holes = union(*panes)
    glass = intersect(box((0.0, (frame_h + 0.1) / 2, 0.0), (hw - 0.03, (frame_h - 0.1) / 2, hw - 0.03)), holes)
    roof = union(
        box((0.0, frame_h + 0.08, 0.0), (hw + 0.03, 0.08, hw + 0.03)),
        intersect(
            cylinder((0.0, frame_h - 0.05, 0.0), hw * 1.1, hw, axis="x"),
            box((0.0, frame_h + 0.35, 0.0), (hw, 0.25, hw)),
        ),
        intersect(
            cylinder((0.0, frame_h - 0.05, 0.0), hw * 1.1, hw, axis="z"),
            box((0.0, frame_h + 0.35, 0.0), (hw, 0.25, hw)),
        ),
    )
    signs = union(
        box((0.0, frame_h - 0.02, 0.0), (hw + 0.005, 0.07, hw * 0.8)),
        box((0.0, frame_h - 0.02, 0.0), (hw * 0.8, 0.07, hw + 0.005)),
    )
    return [
        ("plinth", standing_box(0.0, 0.0, 0.1, hw + 0.05, hw + 0.05, below=GROUND_M)),
        ("frame", union(subtract(shell_box, holes), roof)),
        ("windows", glass),
        ("sign", signs),
    ]


register(
    Kind(
        name="phone booth",
        group="phone booth",
        words=("phone booth", "telephone box", "telephone booth", "phone box", "call box", "payphone"),
        parts={
            "plinth": ("concrete",),
            "frame": ("paint:red", "paint:gray", "paint:blue"),
            "windows": ("glass",),
            "sign": ("lamp",),
        },
        body=("frame",),
        ranges={"width": (0.95, 1.1), "height": (2.4, 2.6)},
        build=_phone_booth,
        ground="embed",
        where="any",
        plural_count=1,
        spacing_m=0.5,
    )
)


def _bus_stop(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hd, h = p["length"] / 2, p["depth"] / 2, p["height"]
    posts = at_corners(standing_box(hl - 0.06, hd - 0.06, h, 0.05, 0.05, below=GROUND_M))
    roof = rotate(box((0.0, h + 0.05, 0.0), (hl + 0.1, 0.05, hd + 0.15)), pitch_deg=-4, pivot=(0.0, h, 0.0))
    back = box((0.0, (h + 0.2) / 2, -hd + 0.05), (hl - 0.1, (h - 0.3) / 2, 0.015))
    side = box((-hl + 0.05, (h + 0.2) / 2, -0.1), (0.015, (h - 0.3) / 2, hd - 0.2))
    seat = union(
        box((0.0, 0.45, -hd + 0.28), (hl * 0.6, 0.03, 0.18)),
        mirror(box((hl * 0.5, 0.21, -hd + 0.28), (0.03, 0.24, 0.15)), "x"),
    )
    sign_x = hl + 0.45
    return [
        ("frame", union(posts, box((0.0, h - 0.05, -hd + 0.05), (hl, 0.05, 0.04)))),
        ("roof", roof),
        ("windows", union(back, side)),
        ("bench", seat),
        ("pole", standing_cylinder(sign_x, hd, h + 0.3, 0.045, below=GROUND_M)),
        ("sign", cylinder((sign_x, h + 0.1, hd), 0.22, 0.02, axis="z")),
    ]


register(
    Kind(
        name="bus stop",
        group="shelter",
        words=("bus stop", "bus shelter", "tram stop", "bus station shelter", "waiting shelter"),
        parts={
            "frame": ("metal", "paint:green", "paint:black"),
            "roof": ("metal", "glass", "paint:green"),
            "windows": ("glass",),
            "bench": ("wood", "metal"),
            "pole": ("metal",),
            "sign": ("paint:red", "paint:blue", "paint:white"),
        },
        body=("frame",),
        ranges={"length": (2.8, 4.0), "depth": (1.3, 1.6), "height": (2.3, 2.6)},
        build=_bus_stop,
        ground="embed",
        plural_count=1,
        spacing_m=1.0,
        flags={"uneven": 0.25},
    )
)


def _bollard(p: dict[str, float]) -> list[tuple[str, Node]]:
    r, h = p["radius"], p["height"]
    body = cylinder((0.0, (h - 0.35) / 2, 0.0), r, (h + 0.35) / 2)
    if p["style"] > 0.5:  # cast iron: a swelling collar and a ball top
        top = union(
            ellipsoid((0.0, h, 0.0), (r + 0.01, r * 0.8, r + 0.01)),
            torus((0.0, h * 0.7, 0.0), r, 0.03),
            cylinder((0.0, 0.1, 0.0), r + 0.03, 0.1),
        )
    else:  # a modern post with a domed cap
        top = union(ellipsoid((0.0, h, 0.0), (r, r * 0.4, r)), cylinder((0.0, h - 0.02, 0.0), r + 0.008, 0.02))
    band = cylinder((0.0, h - 0.15, 0.0), r + 0.006, 0.04)
    return [("body", body), ("cap", top), ("band", band)]


register(
    Kind(
        name="bollard",
        group="bollard",
        words=("bollard", "post bollard", "traffic bollard", "street bollard", "parking post"),
        parts={
            "body": ("paint:black", "concrete", "metal", "paint:gray"),
            "cap": ("paint:black", "metal", "gold"),
            "band": ("paint:white", "paint:yellow"),
        },
        body=("body",),
        ranges={"radius": (0.08, 0.12), "height": (0.8, 1.05), "style": (0.0, 1.0)},
        integer_params=("style",),
        build=_bollard,
        ground="embed",
        where="outdoor",
        plural_count=5,
        spacing_m=0.8,
    )
)
