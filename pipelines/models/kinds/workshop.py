"""A smithy's and a carpenter's workshop: anvil, workbench, grindstone, sawhorse, tool rack, forge, ladder."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import FLOOR_M, Kind, register, variant_rng
from pipelines.models.kinds.parts import at_corners, legs4, post, standing_box, standing_cylinder
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    mirror,
    pyramid,
    repeat,
    rotate,
    subtract,
    translate,
    union,
)


def _anvil(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, y0 = p["length"] / 2, 0.0
    parts = []
    if variant_rng(p).random() < 0.7:  # standing on a log stump
        y0 = p["stump"]
        parts.append(("stump", standing_cylinder(0.0, 0.0, y0, 0.26)))
    s = hl / 0.35  # the anvil's parts scale with its length
    foot = box(
        (0.0, y0 + 0.04 * s - (FLOOR_M if y0 == 0.0 else 0.0) / 2, 0.0),
        (0.17 * s, 0.04 * s + (FLOOR_M if y0 == 0.0 else 0.0) / 2, 0.12 * s),
        round_m=0.01,
    )
    waist = box((0.0, y0 + 0.13 * s, 0.0), (0.09 * s, 0.06 * s, 0.06 * s))
    face = box((-0.05 * s, y0 + 0.22 * s, 0.0), (0.2 * s, 0.04 * s, 0.065 * s), round_m=0.008)
    horn = rotate(cone((0.0, 0.0, 0.0), 0.055 * s, 0.012 * s, 0.2 * s), roll_deg=-90.0)
    horn = translate(horn, (0.15 * s, y0 + 0.22 * s, 0.0))
    return [("iron", union(foot, waist, face, horn))] + parts


register(
    Kind(
        name="anvil",
        group="smithy",
        words=("anvil", "blacksmith anvil", "smithing anvil"),
        parts={"iron": ("iron", "metal"), "stump": ("log", "dark_wood")},
        body=("iron",),
        ranges={"length": (0.55, 0.8), "stump": (0.4, 0.55)},
        build=_anvil,
        ground="floor",
        where="any",
        plural_count=1,
        spacing_m=0.5,
    )
)


def _tools(x: float, y: float, z: float, kind: int) -> tuple[Node, Node]:
    """Return (steel, handle) of a hand tool lying along z at (x, y, z): 0 a hammer, 1 a saw, 2 a chisel."""
    if kind == 0:
        return box((x, y, z - 0.11), (0.055, 0.02, 0.022)), capsule((x, y, z - 0.11), (x, y, z + 0.16), 0.014)
    if kind == 1:
        return box((x, y, z + 0.05), (0.06, 0.01, 0.22)), box((x, y, z - 0.2), (0.03, 0.02, 0.06))
    return box((x, y, z - 0.1), (0.02, 0.015, 0.1)), capsule((x, y, z + 0.02), (x, y, z + 0.14), 0.016)


def _workbench(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["length"] / 2, p["depth"] / 2, p["height"]
    rng = variant_rng(p)
    top = box((0.0, h - 0.035, 0.0), (hw, 0.035, hd), round_m=0.006)
    frame = union(
        legs4(hw - 0.1, hd - 0.08, h - 0.07, 0.045),
        mirror(box((hw - 0.1, 0.15, 0.0), (0.035, 0.035, hd - 0.08)), "x"),
        box((0.0, 0.15, 0.0), (hw - 0.1, 0.03, 0.035)),
    )
    if rng.random() < 0.6:  # a shelf of boards under the top
        frame = union(frame, box((0.0, 0.2, 0.0), (hw - 0.12, 0.015, hd - 0.06)))
    vx = -hw + 0.2
    vise = union(
        box((vx, h - 0.08, hd + 0.04), (0.11, 0.07, 0.03)),
        cylinder((vx, h - 0.09, hd + 0.12), 0.015, 0.07, axis="z"),
        cylinder((vx, h - 0.09, hd + 0.2), 0.012, 0.1, axis="x"),
    )
    steel, handles = [], []
    for i, x in enumerate(rng.uniform(-hw * 0.5, hw * 0.8, 2)):
        s, w = _tools(float(x), h + 0.02, 0.0, int(rng.integers(0, 3)) if i else 0)
        steel.append(s)
        handles.append(w)
    return [("top", top), ("frame", union(frame, *handles)), ("vise", union(vise, *steel))]


register(
    Kind(
        name="workbench",
        group="workbench",
        words=("workbench", "work bench", "carpenter's bench", "carpenter bench", "work table", "woodworking bench"),
        parts={"top": ("wood", "boards", "dark_wood"), "frame": ("dark_wood", "wood"), "vise": ("iron", "metal")},
        body=("top", "frame"),
        ranges={"length": (1.5, 2.2), "depth": (0.6, 0.8), "height": (0.85, 0.92)},
        build=_workbench,
        ground="floor",
        where="any",
        plural_count=1,
        spacing_m=0.8,
        flags={"surface": 1.0, "against_wall": 1.0},
    )
)


def _grindstone(p: dict[str, float]) -> list[tuple[str, Node]]:
    r, t = p["radius"], p["thickness"]
    axle_y = 0.55 + r * 0.55
    trough = subtract(
        box((0.0, 0.5, 0.0), (0.12 + t, 0.08, r * 0.85)), box((0.0, 0.56, 0.0), (t + 0.05, 0.08, r * 0.8))
    )
    frame = union(trough, legs4(0.1 + t, r * 0.7, 0.42, 0.035), mirror(post(t + 0.06, 0.0, axle_y + 0.04, 0.035), "x"))
    wheel = cylinder((0.0, axle_y, 0.0), r, t, axis="x")
    crank = union(
        cylinder((0.0, axle_y, 0.0), 0.025, t + 0.18, axis="x"),
        box((t + 0.17, axle_y - 0.08, 0.0), (0.02, 0.1, 0.02)),
        cylinder((t + 0.23, axle_y - 0.16, 0.0), 0.018, 0.06, axis="x"),
    )
    return [("wheel", wheel), ("frame", frame), ("crank", crank)]


register(
    Kind(
        name="grindstone",
        group="smithy",
        words=("grindstone", "whetstone wheel", "grinding wheel", "sharpening wheel", "grinding stone"),
        parts={"wheel": ("sandstone", "stone"), "frame": ("wood", "dark_wood"), "crank": ("iron",)},
        body=("wheel",),
        ranges={"radius": (0.28, 0.42), "thickness": (0.05, 0.075)},
        build=_grindstone,
        ground="floor",
        where="any",
        plural_count=1,
        spacing_m=0.5,
    )
)


def _sawhorse(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, h = p["length"] / 2, p["height"]
    beam = box((0.0, h - 0.045, 0.0), (hl, 0.045, 0.045))
    leg = capsule((hl - 0.12, h - 0.06, 0.03), (hl - 0.08, -FLOOR_M + 0.025, 0.24 + 0.05 * h), 0.025)
    legs = at_corners(leg)
    brace = mirror(box((hl - 0.1, h * 0.35, 0.0), (0.02, 0.04, 0.12 + 0.05 * h)), "x")
    parts = [("wood", union(beam, legs, brace))]
    rng = variant_rng(p)
    if rng.random() < 0.5:  # a plank being sawn across it
        parts.append(
            ("load", rotate(box((0.0, h + 0.02, 0.0), (0.12, 0.02, 0.9)), yaw_deg=float(rng.uniform(-20, 20))))
        )
    return parts


register(
    Kind(
        name="sawhorse",
        group="workbench",
        words=("sawhorse", "saw horse", "trestle", "sawbuck", "saw bench"),
        parts={"wood": ("wood", "boards"), "load": ("boards", "wood")},
        body=("wood",),
        ranges={"length": (0.9, 1.2), "height": (0.6, 0.78)},
        build=_sawhorse,
        ground="floor",
        where="any",
        plural_count=2,
        spacing_m=0.4,
    )
)


def _tool_rack(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, h = p["width"] / 2, p["height"]
    rng = variant_rng(p)
    y0 = h - 1.1  # the board's bottom; two posts carry it
    board = box((0.0, (y0 + h) / 2, -0.04), (hw, (h - y0) / 2, 0.018))
    posts = mirror(post(hw - 0.06, -0.08, h, 0.035), "x")
    feet = mirror(box((hw - 0.06, 0.01, 0.0), (0.035, 0.03, 0.16)), "x")
    rail = box((0.0, h - 0.12, -0.005), (hw - 0.04, 0.02, 0.02))
    n = max(3, int((2 * hw - 0.2) / 0.22))
    steel, handles = [], []
    for i in range(n):
        x = -hw + 0.15 + i * (2 * hw - 0.3) / (n - 1)
        kind = int(rng.integers(0, 4))
        if kind == 3:  # an axe, head up
            steel.append(box((x + 0.04, h - 0.3, 0.01), (0.06, 0.05, 0.012)))
            handles.append(capsule((x, h - 0.28, 0.01), (x, y0 + 0.2, 0.01), 0.016))
        else:  # hammer, saw or chisel hanging head up from the rail: a lying tool turned upright
            s, w = _tools(x, 0.0, 0.0, kind)
            steel.append(translate(rotate(s, pitch_deg=-90.0), (0.0, h - 0.35, 0.02)))
            handles.append(translate(rotate(w, pitch_deg=-90.0), (0.0, h - 0.35, 0.02)))
    return [("board", union(board, posts, feet, rail)), ("tools", union(*steel)), ("handles", union(*handles))]


register(
    Kind(
        name="tool rack",
        group="workbench",
        words=("tool rack", "tool wall", "tool board", "pegboard", "tool rack wall"),
        parts={
            "board": ("boards", "wood", "paint:green"),
            "tools": ("iron", "metal"),
            "handles": ("wood", "dark_wood"),
        },
        body=("board",),
        ranges={"width": (1.1, 1.7), "height": (1.8, 2.0)},
        build=_tool_rack,
        ground="floor",
        where="any",
        plural_count=1,
        spacing_m=0.3,
        flags={"against_wall": 1.0},
    )
)


def _forge(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    rng = variant_rng(p)
    hearth = standing_box(0.0, 0.0, h, hw, hd, round_m=0.02)
    hearth = subtract(hearth, ellipsoid((0.0, h, 0.08), (0.3, 0.12, 0.25)))
    coals = ellipsoid((0.0, h - 0.07, 0.08), (0.26, 0.08, 0.21))
    top = p["chimney"]
    back = box((0.0, (h + 1.6) / 2, -hd + 0.18), (0.35, (1.6 - h) / 2, 0.18))
    hood = pyramid((0.0, 1.55, -0.05), hw * 0.85, hd * 0.8, 0.75)
    chimney = box((0.0, (2.0 + top) / 2, -0.05), (0.25, (top - 2.0) / 2, 0.25))
    parts = [("stone", union(hearth, back)), ("hood", union(hood, chimney)), ("coals", coals)]
    if rng.random() < 0.6:  # bellows at the side
        parts.append(
            (
                "bellows",
                union(
                    rotate(ellipsoid((hw + 0.25, h - 0.15, 0.0), (0.22, 0.06, 0.3)), roll_deg=8.0),
                    cylinder((hw + 0.05, h - 0.15, 0.0), 0.03, 0.12, axis="x"),
                ),
            )
        )
    if rng.random() < 0.5:  # a quenching tub in front
        parts.append(("tub", standing_cylinder(-hw + 0.25, hd + 0.3, 0.45, 0.22)))
    return parts


register(
    Kind(
        name="forge",
        group="hearth",
        words=("forge", "furnace", "smelter", "blacksmith forge", "smithy forge", "kiln"),
        parts={
            "stone": ("brick", "stone"),
            "hood": ("brick", "stone", "iron"),
            "coals": ("flame",),
            "bellows": ("leather",),
            "tub": ("wood", "iron"),
        },
        body=("stone", "hood"),
        ranges={"width": (1.2, 1.6), "depth": (0.85, 1.0), "height": (0.75, 0.9), "chimney": (2.8, 3.4)},
        build=_forge,
        ground="floor",
        where="any",
        plural_count=1,
        spacing_m=0.8,
        flags={"against_wall": 1.0},
    )
)


def _ladder(p: dict[str, float]) -> list[tuple[str, Node]]:
    """A ladder leaning back (towards -z) at ``lean`` degrees: feet on the ground, its top against what is behind."""
    length, hw = p["length"], p["width"] / 2
    rails = mirror(box((hw, length / 2 - FLOOR_M, 0.0), (0.035, length / 2, 0.03)), "x")
    n = max(3, int(length / 0.3))
    rungs = repeat(box((0.0, 0.3, 0.0), (hw, 0.022, 0.022)), "y", (length - 0.45) / (n - 1), n)
    rungs = translate(rungs, (0.0, (length - 0.45) / 2, 0.0))  # from 0.3 m up to 0.15 m below the top
    leaning = rotate(union(rails, rungs), pitch_deg=-p["lean"], pivot=(0.0, 0.0, 0.0))  # the top goes back (-z)
    depth = length * math.sin(math.radians(p["lean"]))
    return [("frame", translate(leaning, (0.0, 0.0, depth / 2)))]  # the pivot under the footprint's middle


register(
    Kind(
        name="ladder",
        group="ladder",
        words=("ladder", "stepladder", "step ladder", "wooden ladder", "hay ladder"),
        parts={"frame": ("wood", "dark_wood", "metal")},
        body=("frame",),
        ranges={"length": (2.4, 3.6), "width": (0.4, 0.5), "lean": (12.0, 16.0)},
        build=_ladder,
        ground="floor",
        where="any",
        plural_count=1,
        spacing_m=0.3,
        flags={"leans": 1.0, "against_wall": 1.0},
    )
)
