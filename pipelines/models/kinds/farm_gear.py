"""Farm gear: water trough, plough, scarecrow, wheelbarrow, handcart (registered right after ``farm``'s kinds)."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register
from pipelines.models.kinds.farm import GROUND_M
from pipelines.models.kinds.parts import standing_box
from pipelines.models.kinds.vehicles import axle, plane
from pipelines.models.sdf import (
    Node,
    box,
    bulged_cylinder,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    intersect,
    mirror,
    polytope,
    rotate,
    shell,
    subtract,
    torus,
    translate,
    union,
)


def _trough(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hw, h = p["length"] / 2, p["width"] / 2, p["height"]
    t = 0.06
    outer = box((0.0, (h + 0.12 - GROUND_M) / 2 + 0.0, 0.0), (hl, (h - 0.12 + GROUND_M) / 2, hw), round_m=0.02)
    outer = translate(outer, (0.0, 0.06, 0.0))
    inner = box((0.0, h, 0.0), (hl - t, h - 0.12 - t, hw - t))
    feet = mirror(box((hl - 0.2, 0.06 - GROUND_M / 2, 0.0), (0.08, 0.06 + GROUND_M / 2, hw + 0.05)), "x")
    return [
        ("body", subtract(outer, inner)),
        (
            "water",
            box((0.0, (h * 0.78 + 0.12 + t) / 2, 0.0), (hl - t - 0.005, (h * 0.78 - 0.12 - t) / 2, hw - t - 0.005)),
        ),
        ("feet", feet),
    ]


register(
    Kind(
        name="water trough",
        group="trough",
        words=("water trough", "trough", "horse trough", "feeding trough", "drinking trough"),
        parts={"body": ("wood", "stone", "metal", "concrete"), "water": ("water",), "feet": ("dark_wood", "stone")},
        body=("body",),
        ranges={"length": (1.6, 3.0), "width": (0.5, 0.8), "height": (0.5, 0.7)},
        build=_trough,
        ground="embed",
        plural_count=2,
        spacing_m=0.8,
    )
)


def _plough(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl = p["length"] / 2
    wr = p["wheel_r"]
    back = -hl + 0.25
    beam = capsule((0.0, wr + 0.15, hl - 0.15), (0.0, 0.5, back + 0.55), 0.055)
    standard = box((0.0, 0.28, back + 0.55), (0.05, 0.24, 0.06))
    handles = mirror(capsule((0.06, 0.35, back + 0.45), (0.3, p["handle_h"], -hl + 0.03), 0.03), "x")
    rung = cylinder((0.0, p["handle_h"] * 0.7, -hl + 0.25), 0.025, 0.2, axis="x")
    sole = box((0.0, 0.04 - GROUND_M / 2, back + 0.55), (0.04, 0.04 + GROUND_M / 2, 0.35))
    share = rotate(box((0.09, 0.05, back + 0.85), (0.1, 0.035, 0.16)), yaw_deg=-25, pivot=(0.0, 0.05, back + 0.85))
    board = intersect(
        shell(cylinder((-0.25, 0.22, back + 0.5), 0.42, 0.2), 0.04), box((0.05, 0.22, back + 0.72), (0.13, 0.2, 0.22))
    )
    wheel = cylinder((0.0, wr - GROUND_M, hl - 0.12), wr, 0.035, axis="x")
    fork = mirror(box((0.06, (wr + 0.15) / 2 + 0.05, hl - 0.12), (0.02, (wr + 0.15) / 2 - 0.02, 0.03)), "x")
    return [
        ("frame", union(beam, standard, handles, rung, fork)),
        ("blade", union(share, board, sole)),
        ("wheel", wheel),
    ]


register(
    Kind(
        name="plough",
        group="farm tool",
        words=("plough", "plow", "horse plough", "ploughshare", "plowshare"),
        parts={"frame": ("wood", "dark_wood", "iron"), "blade": ("iron", "rust", "metal"), "wheel": ("iron", "wood")},
        body=("frame",),
        ranges={"length": (2.2, 2.8), "wheel_r": (0.16, 0.24), "handle_h": (0.85, 1.0)},
        build=_plough,
        ground="embed",
        plural_count=1,
        spacing_m=0.8,
    )
)


def _scarecrow(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    arm_y = h * 0.74
    ha = p["span"] / 2
    head_y = h - 0.2
    post = box((0.0, (arm_y + 0.05 - 0.35) / 2, -0.03), (0.04, (arm_y + 0.05 + 0.35) / 2, 0.04))
    shirt = union(
        bulged_cylinder((0.0, h * 0.4, 0.0), 0.17, 0.04, arm_y - h * 0.4 + 0.08),
        capsule((-ha + 0.2, arm_y, 0.0), (ha - 0.2, arm_y, 0.0), 0.075),
    )
    straw = union(
        mirror(ellipsoid((ha - 0.14, arm_y - 0.02, 0.0), (0.1, 0.07, 0.07)), "x"),
        cone((0.0, h * 0.3, 0.0), 0.24, 0.17, h * 0.12),
        ellipsoid((0.0, head_y - 0.16, 0.0), (0.08, 0.06, 0.08)),
    )
    parts = [
        ("post", post),
        ("shirt", shirt),
        ("straw", straw),
        ("head", ellipsoid((0.0, head_y, 0.0), (0.13, 0.15, 0.13))),
    ]
    if p["pointed"] > 0.5:
        hat = union(cylinder((0.0, head_y + 0.1, 0.0), 0.25, 0.02), cone((0.0, head_y + 0.1, 0.0), 0.12, 0.02, 0.3))
    else:
        hat = union(cylinder((0.0, head_y + 0.1, 0.0), 0.25, 0.02), cylinder((0.0, head_y + 0.18, 0.0), 0.12, 0.08))
    parts.append(("hat", hat))
    if p["legs"] > 0.5:
        parts.append(("trousers", mirror(capsule((0.08, h * 0.42, 0.0), (0.1, h * 0.2, 0.02), 0.065), "x")))
    return parts


register(
    Kind(
        name="scarecrow",
        group="scarecrow",
        words=("scarecrow", "straw man", "strawman"),
        parts={
            "post": ("wood", "dark_wood"),
            "shirt": ("cloth:blue", "cloth:red", "cloth", "cloth:brown", "cloth:green"),
            "straw": ("hay",),
            "head": ("canvas", "cloth:beige"),
            "hat": ("hay", "cloth:brown", "cloth:black"),
            "trousers": ("cloth:blue", "cloth:brown"),
        },
        body=("shirt",),
        ranges={"height": (1.8, 2.2), "span": (1.3, 1.7), "pointed": (0.0, 1.0), "legs": (0.0, 1.0)},
        integer_params=("pointed", "legs"),
        build=_scarecrow,
        ground="embed",
        plural_count=1,
        spacing_m=0.8,
    )
)


def _tray(
    bottom: tuple[float, float, float, float],
    top: tuple[float, float, float, float],
    yb: float,
    yt: float,
    inset: float = 0.0,
) -> Node:
    """Return a flared tub: ``bottom``/``top`` are (half x, z back, z front) rims at ``yb``/``yt``, shrunk by ``inset``."""
    bx, bzb, bzf, _ = bottom
    tx, tzb, tzf, _ = top
    dy = yt - yb
    planes = [
        plane((0.0, -1.0, 0.0), (0.0, yb, 0.0)),
        plane((0.0, 1.0, 0.0), (0.0, yt, 0.0)),
        plane((dy, -(tx - bx), 0.0), (bx, yb, 0.0)),
        plane((-dy, -(tx - bx), 0.0), (-bx, yb, 0.0)),
        plane((0.0, -(tzf - bzf), dy), (0.0, yb, bzf)),
        plane((0.0, -(bzb - tzb), -dy), (0.0, yb, bzb)),
    ]
    offs = [d - inset for _, d in planes]
    offs[1] += 2 * inset + 0.2 if inset else 0.0  # the inner cut opens through the top
    return polytope([n for n, _ in planes], offs, (-tx, yb, tzb), (tx, yt + (0.2 + inset if inset else 0.0), tzf))


def _wheelbarrow(p: dict[str, float]) -> list[tuple[str, Node]]:
    r, hw, zw = p["wheel_r"], p["tray_w"] / 2, 0.55
    yb, yt = r + 0.12, r + 0.12 + p["tray_h"]
    bottom, top = (hw * 0.6, -0.2, 0.2, 0.0), (hw, -0.38, 0.45, 0.0)
    tub = subtract(_tray(bottom, top, yb, yt), _tray(bottom, top, yb, yt, inset=0.03))
    tyres, hubs = axle(0.0, zw, r, 0.045)
    grip = (hw * 0.85, yt - 0.05, -0.9)
    knee = (hw * 0.6, yb - 0.03, 0.1)
    hip = tuple(a + 0.45 * (b - a) for a, b in zip(knee, grip))  # where the leg meets the handle
    handles = mirror(
        union(
            capsule((0.07, r, zw), knee, 0.022),
            capsule(knee, grip, 0.022),
            capsule(hip, (hip[0], -GROUND_M + 0.02, hip[2] - 0.05), 0.02),
        ),
        "x",
    )  # type: ignore[arg-type]
    return [
        ("tray", tub),
        ("frame", handles),
        (
            "grips",
            mirror(
                capsule((grip[0], grip[1] - 0.01, grip[2] + 0.04), (grip[0], grip[1] - 0.04, grip[2] - 0.1), 0.03), "x"
            ),
        ),
        ("tyres", tyres),
        ("hubs", hubs),
    ]


register(
    Kind(
        name="wheelbarrow",
        group="cart",
        words=("wheelbarrow", "wheel barrow", "garden barrow"),
        parts={
            "tray": ("metal", "paint:green", "paint:red", "wood"),
            "frame": ("wood", "iron"),
            "grips": ("plastic:black", "wood"),
            "tyres": ("tyre",),
            "hubs": ("metal",),
        },
        body=("tray",),
        ranges={"wheel_r": (0.17, 0.21), "tray_w": (0.6, 0.72), "tray_h": (0.26, 0.34)},
        build=_wheelbarrow,
        ground="embed",
        where="any",
        plural_count=1,
        spacing_m=0.5,
    )
)


def _handcart(p: dict[str, float]) -> list[tuple[str, Node]]:
    R, hw, hl = p["wheel_r"], p["bed_w"] / 2, p["bed_l"] / 2
    y = R - GROUND_M
    bed_y = y + 0.06
    wx = hw + 0.08
    spokes = union(
        *[rotate(box((wx, y, 0.0), (0.018, R - 0.03, 0.025)), pitch_deg=a, pivot=(wx, y, 0.0)) for a in (0, 60, 120)]
    )
    wheels = mirror(
        union(torus((wx, y, 0.0), R - 0.035, 0.035, axis="x"), spokes, cylinder((wx, y, 0.0), 0.07, 0.06, axis="x")),
        "x",
    )
    bed = box((0.0, bed_y, 0.0), (hw, 0.035, hl))
    sides = subtract(
        box((0.0, bed_y + 0.14, 0.0), (hw, 0.16, hl)), box((0.0, bed_y + 0.3, 0.0), (hw - 0.04, 0.3, hl - 0.04))
    )
    handles = mirror(capsule((hw - 0.06, bed_y, hl - 0.1), (hw - 0.06, bed_y + 0.05, hl + p["reach"]), 0.03), "x")
    bar = cylinder((0.0, bed_y + 0.05, hl + p["reach"] - 0.05), 0.03, hw - 0.03, axis="x")
    leg = mirror(standing_box(hw - 0.08, hl - 0.15, bed_y, 0.03, 0.03, below=GROUND_M), "x")
    return [
        ("bed", union(bed, sides)),
        ("frame", union(handles, bar, leg, cylinder((0.0, y, 0.0), 0.035, wx, axis="x"))),
        ("wheels", wheels),
    ]


register(
    Kind(
        name="handcart",
        group="cart",
        words=("handcart", "hand cart", "pushcart", "push cart", "barrow", "pull cart", "costermonger cart"),
        parts={
            "bed": ("boards", "wood", "dark_wood"),
            "frame": ("dark_wood", "wood"),
            "wheels": ("wood", "dark_wood", "iron"),
        },
        body=("bed",),
        ranges={"wheel_r": (0.42, 0.58), "bed_w": (0.9, 1.15), "bed_l": (1.2, 1.6), "reach": (0.8, 1.1)},
        build=_handcart,
        ground="embed",
        where="outdoor",
        plural_count=2,
        spacing_m=0.6,
    )
)
