"""Graveyard kinds and monuments: gravestone, grave cross, mausoleum, tomb, obelisk, shrine, bell."""

from __future__ import annotations

import math

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
    polytope,
    pyramid,
    repeat,
    rotate,
    sphere,
    subtract,
    torus,
    translate,
    union,
)

FOUNDATION_M = 0.4
SET_M = 0.2  # stones are set this deep into the ground
FLOOR_M = 0.02


def _tilted(parts: list[tuple[str, Node]], rng, most: float) -> list[tuple[str, Node]]:
    """Return the parts leaning together a little about the base (old stones settle unevenly)."""
    pitch, roll = (float(v) for v in rng.uniform(-most, most, 2))
    return [(n, rotate(s, pitch_deg=pitch, roll_deg=roll)) for n, s in parts]


def _gravestone(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, h, ht = p["width"] / 2, p["height"], p["thick"] / 2
    rng = variant_rng(p)
    top = int(p["top"])
    if top == 0:  # rounded head
        slab = union(
            box((0.0, (h - hw - SET_M) / 2, 0.0), (hw, (h - hw + SET_M) / 2, ht)),
            cylinder((0.0, h - hw, 0.0), hw, ht, axis="z"),
        )
    elif top == 1:  # pointed gable head
        slab = union(
            box((0.0, (h - 0.2 - SET_M) / 2, 0.0), (hw, (h - 0.2 + SET_M) / 2, ht)),
            gable((0.0, h - 0.2, 0.0), hw, ht, 0.2),
        )
    else:  # square head with shoulders
        slab = union(
            box((0.0, (h - 0.1 - SET_M) / 2, 0.0), (hw, (h - 0.1 + SET_M) / 2, ht)),
            box((0.0, h - 0.05, 0.0), (hw * 0.7, 0.05, ht)),
        )
    if p["broken"] > 0.5:  # the head has snapped off and lies on the ground
        cut = rotate(
            box((0.0, h, 0.0), (hw * 2, h * 0.3, ht * 2)),
            roll_deg=float(rng.uniform(15.0, 30.0)),
            pivot=(0.0, h * 0.65, 0.0),
        )
        slab = subtract(slab, cut)
    parts = [("stone", slab), ("panel", box((0.0, h * 0.55, ht), (hw * 0.65, h * 0.2, 0.015)))]
    if p["mound"] > 0.5:  # the grave itself, a low mound in front of the stone
        parts.append(("mound", ellipsoid((0.0, -0.05, ht + 1.0), (hw + 0.15, 0.2, 0.95))))
    parts = _tilted(parts, rng, 9.0 if p["broken"] > 0.5 else 4.0)
    if p["broken"] > 0.5:
        parts.append(
            ("shard", rotate(box((0.0, ht, ht + 0.5), (hw * 0.8, ht, h * 0.15)), yaw_deg=float(rng.uniform(-40, 40))))
        )
    if p["mound"] > 0.5:  # the pivot stays at the centre of the whole footprint
        parts = [(n, translate(s, (0.0, 0.0, -(ht + 0.95) / 2 - 0.02))) for n, s in parts]
    return parts


register(
    Kind(
        name="gravestone",
        group="grave",
        words=("gravestone", "headstone", "tombstone", "grave", "grave stone", "grave marker", "burial stone"),
        parts={
            "stone": ("stone", "marble", "stone:gray", "sandstone"),
            "panel": ("stone", "marble"),
            "mound": ("dirt", "grass"),
            "shard": ("stone",),
        },
        body=("stone",),
        ranges={
            "width": (0.45, 0.7),
            "height": (0.7, 1.1),
            "thick": (0.1, 0.16),
            "top": (0.0, 2.0),
            "mound": (0.0, 1.0),
            "broken": (0.0, 0.0),
        },
        integer_params=("top", "mound"),
        build=_gravestone,
        ground="floor",
        plural_count=8,
        spacing_m=0.7,
        attributes={
            "broken": {"params": {"broken": 1.0}},
            "mossy": {"parts": {"stone": "stone:olive", "panel": "stone:olive"}},
        },
    )
)


def _grave_cross(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, t = p["height"], p["thick"] / 2
    rng = variant_rng(p)
    arm_y = h - p["height"] * 0.3
    arm = p["height"] * 0.28
    cross = union(box((0.0, (h - SET_M) / 2, 0.0), (t, (h + SET_M) / 2, t)), box((0.0, arm_y, 0.0), (arm, t, t)))
    parts = [("cross", cross)]
    if p["celtic"] > 0.5:  # a stone ring around the crossing
        parts.append(("ring", torus((0.0, arm_y, 0.0), arm * 0.62, t * 0.7, axis="z")))
        parts.append(("base", box((0.0, 0.08, 0.0), (t * 2.6, 0.16, t * 2.2))))
    return _tilted(parts, rng, 5.0)


register(
    Kind(
        name="grave cross",
        group="grave",
        words=("grave cross", "cross", "wooden cross", "celtic cross", "stone cross", "memorial cross"),
        parts={"cross": ("dark_wood", "wood", "stone", "iron"), "ring": ("stone",), "base": ("stone",)},
        body=("cross",),
        ranges={"height": (1.0, 1.6), "thick": (0.08, 0.12), "celtic": (0.0, 1.0)},
        integer_params=("celtic",),
        build=_grave_cross,
        ground="floor",
        plural_count=6,
        spacing_m=0.7,
    )
)


def _mausoleum(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    cols = int(p["columns"])
    base = 0.45
    front = hd + 1.2  # the portico stands in front of the cella
    cella = box((0.0, (base + h) / 2, -0.2), (hw, (h - base) / 2, hd - 0.2))
    door_hole = box((0.0, base + 1.05, hd - 0.2), (0.55, 1.05, 0.3))
    step = (front + hd) / 2
    steps = union(
        box((0.0, (base - FOUNDATION_M) / 2, step - hd - 0.2), (hw + 0.35, (base + FOUNDATION_M) / 2, step + 0.2)),
        box((0.0, base / 4, front + 0.25), (hw + 0.1, base / 4 + 0.05, 0.25)),
    )
    spacing = (2 * hw - 0.5) / max(1, cols - 1)
    columns = repeat(cylinder((0.0, (base + h) / 2, front - 0.35), 0.2, (h - base) / 2), "x", spacing, cols)
    roof = union(
        box((0.0, h + 0.12, (front - hd) / 2 - 0.2), (hw + 0.2, 0.12, (front + hd) / 2 + 0.2)),
        gable((0.0, h + 0.24, (front - hd) / 2 - 0.2), hw + 0.2, (front + hd) / 2 + 0.2, hw * 0.45),
    )
    parts = [
        ("steps", steps),
        ("walls", subtract(cella, door_hole)),
        ("columns", columns),
        ("roof", roof),
        ("door", box((0.0, base + 1.0, hd - 0.25), (0.55, 1.0, 0.06))),
    ]
    if p["urn"] > 0.5:  # an urn on the ridge's front end
        parts.append(
            (
                "urn",
                union(
                    sphere((0.0, h + 0.4 + hw * 0.45, front + 0.1), 0.22),
                    cone((0.0, h + 0.2 + hw * 0.45, front + 0.1), 0.16, 0.08, 0.15),
                ),
            )
        )
    return parts


register(
    Kind(
        name="mausoleum",
        group="building",
        words=("mausoleum", "family tomb", "burial vault", "sepulchre"),
        parts={
            "steps": ("stone",),
            "walls": ("stone", "marble", "sandstone"),
            "columns": ("marble", "stone"),
            "roof": ("stone", "slate", "copper"),
            "door": ("iron", "copper", "dark_wood"),
            "urn": ("stone", "marble"),
        },
        body=("walls", "columns"),
        ranges={
            "width": (3.0, 4.2),
            "depth": (3.6, 5.0),
            "height": (3.2, 4.0),
            "columns": (2.0, 4.0),
            "urn": (0.0, 1.0),
        },
        integer_params=("columns", "urn"),
        build=_mausoleum,
        plural_count=1,
        spacing_m=2.0,
        attributes={"mossy": {"parts": {"walls": "stone:olive", "roof": "stone:olive"}}},
    )
)


def _tomb(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hl, h = p["width"] / 2, p["length"] / 2, p["height"]
    chest = box((0.0, (h - 0.1 - SET_M / 2) / 2, 0.0), (hw, (h - 0.1 + SET_M / 2) / 2, hl))
    panels = repeat(box((hw, h * 0.45, 0.0), (0.02, h * 0.25, hl * 0.17)), "z", hl * 0.68, 3)
    parts = [
        ("chest", union(chest, box((0.0, 0.05, 0.0), (hw + 0.08, 0.08, hl + 0.08)))),
        ("panels", mirror(panels, "x")),
        (
            "lid",
            union(
                box((0.0, h - 0.06, 0.0), (hw + 0.06, 0.06, hl + 0.06), round_m=0.02),
                intersect(
                    gable((0.0, h - 0.01, 0.0), hw + 0.02, hl + 0.02, 0.12), box((0.0, h + 0.05, 0.0), (hw, 0.06, hl))
                ),
            ),
        ),
    ]
    if p["broken"] > 0.5:  # the lid has been pushed askew and slumps off one side
        parts[2] = (
            "lid",
            translate(rotate(parts[2][1], yaw_deg=14.0, roll_deg=-9.0, pivot=(hw, h, 0.0)), (hw * 0.45, 0.0, 0.0)),
        )
    elif p["effigy"] > 0.5:  # a carved figure lying on the lid, hands folded
        y = h + 0.12
        parts.append(
            (
                "effigy",
                union(
                    capsule((0.0, y + 0.06, -hl * 0.45), (0.0, y + 0.06, hl * 0.55), hw * 0.35),
                    sphere((0.0, y + 0.12, -hl * 0.7), hw * 0.25),
                ),
            )
        )
    return parts


register(
    Kind(
        name="tomb",
        group="grave",
        words=("tomb", "sarcophagus", "chest tomb", "stone coffin", "coffin"),
        parts={
            "chest": ("stone", "marble", "sandstone"),
            "panels": ("stone", "marble"),
            "lid": ("stone", "marble"),
            "effigy": ("marble", "stone"),
        },
        body=("chest", "lid"),
        ranges={
            "width": (0.9, 1.1),
            "length": (2.0, 2.4),
            "height": (0.85, 1.05),
            "effigy": (0.0, 1.0),
            "broken": (0.0, 0.0),
        },
        integer_params=("effigy",),
        build=_tomb,
        ground="floor",
        where="any",
        plural_count=2,
        spacing_m=0.8,
        attributes={
            "broken": {"params": {"broken": 1.0}},
            "mossy": {"parts": {"chest": "stone:olive", "lid": "stone:olive"}},
        },
    )
)


def _obelisk(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, b = p["height"], p["base"] / 2
    t = b * 0.65
    y0 = 0.9  # the shaft stands on a stepped plinth
    shaft_h = h - y0 - t
    n = math.hypot(shaft_h, b - t)
    sx, sy = shaft_h / n, (b - t) / n  # unit normal of a side (tapering inward)
    d = sx * b + sy * y0
    sides = [(sx, sy, 0.0), (-sx, sy, 0.0), (0.0, sy, sx), (0.0, sy, -sx), (0.0, 1.0, 0.0), (0.0, -1.0, 0.0)]
    offs = [d, d, d, d, y0 + shaft_h, -(y0 - 0.05)]
    shaft = polytope(sides, offs, (-b, y0 - 0.05, -b), (b, y0 + shaft_h, b))
    tip = pyramid((0.0, y0 + shaft_h - 0.01, 0.0), t, t, t * 1.3)
    if p["broken"] > 0.5:  # snapped: the stump stands, the top lies on the ground beside the plinth
        rng = variant_rng(p)
        at = y0 + shaft_h * float(rng.uniform(0.3, 0.55))
        cut = rotate(
            box((0.0, at + 5.0, 0.0), (2 * b, 5.0, 2 * b)), roll_deg=float(rng.uniform(8.0, 16.0)), pivot=(0.0, at, 0.0)
        )
        top = rotate(
            union(subtract(shaft, box((0.0, at - 5.0, 0.0), (2 * b, 5.0, 2 * b))), tip),
            roll_deg=-90.0,
            pivot=(0.0, at, 0.0),
        )
        top = translate(top, (b + 1.1, -top.lo[1] - 0.05, 0.0))
        return [
            (
                "plinth",
                union(
                    box((0.0, (0.45 - FOUNDATION_M) / 2, 0.0), (b + 0.8, (0.45 + FOUNDATION_M) / 2, b + 0.8)),
                    box((0.0, 0.675, 0.0), (b + 0.35, 0.225, b + 0.35)),
                ),
            ),
            ("shaft", union(subtract(shaft, cut), top)),
        ]
    return [
        (
            "plinth",
            union(
                box((0.0, (0.45 - FOUNDATION_M) / 2, 0.0), (b + 0.8, (0.45 + FOUNDATION_M) / 2, b + 0.8)),
                box((0.0, 0.675, 0.0), (b + 0.35, 0.225, b + 0.35)),
            ),
        ),
        ("shaft", shaft),
        ("tip", tip),
    ]


register(
    Kind(
        name="obelisk",
        group="landmark",
        words=("obelisk", "stone obelisk", "needle monument", "stele", "stela"),
        parts={
            "plinth": ("stone", "marble"),
            "shaft": ("sandstone", "stone", "marble", "stone:gray"),
            "tip": ("gold", "copper", "stone"),
        },
        body=("shaft",),
        ranges={"height": (4.5, 9.0), "base": (0.8, 1.3), "broken": (0.0, 0.0)},
        build=_obelisk,
        plural_count=1,
        spacing_m=1.5,
        attributes={"broken": {"params": {"broken": 1.0}}},
    )
)


def _shrine(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    rng = variant_rng(p)
    if p["altar"] > 0.5:  # an altar table with a cloth, candles and a stele behind
        hw = 0.8
        candles = [cylinder((float(x), 1.05 + 0.09, -0.15), 0.035, 0.1) for x in rng.uniform(-hw + 0.2, hw - 0.2, 3)]
        return [
            (
                "stone",
                union(
                    box((0.0, 0.5 - FLOOR_M, 0.0), (hw, 0.5 + FLOOR_M, 0.45)),
                    box((0.0, h / 2, -0.55), (hw * 0.8, h / 2, 0.1)),
                    cylinder((0.0, h, -0.55), hw * 0.8, 0.1, axis="z"),
                ),
            ),
            ("cloth", box((0.0, 0.95, 0.08), (hw - 0.1, 0.1, 0.4))),
            ("candles", union(*candles)),
        ]
    roof_y = h - 0.25
    return [
        (
            "stone",
            union(
                box((0.0, (h - 0.75 - SET_M) / 2, 0.0), (0.22, (h - 0.75 + SET_M) / 2, 0.22)),
                subtract(box((0.0, h - 0.55, 0.0), (0.35, 0.3, 0.3)), box((0.0, h - 0.55, 0.2), (0.26, 0.22, 0.3))),
                box((0.0, 0.06, 0.0), (0.4, 0.12, 0.4)),
            ),
        ),
        ("roof", gable((0.0, roof_y, 0.0), 0.5, 0.42, 0.4)),
        (
            "figure",
            union(capsule((0.0, h - 0.74, 0.05), (0.0, h - 0.52, 0.05), 0.06), sphere((0.0, h - 0.44, 0.05), 0.05)),
        ),
        ("candles", cylinder((0.15, h - 0.72, 0.12), 0.03, 0.05)),
    ]


register(
    Kind(
        name="shrine",
        group="landmark",
        words=("shrine", "altar", "wayside shrine", "roadside shrine", "wayside cross"),
        parts={
            "stone": ("stone", "marble", "sandstone"),
            "roof": ("slate", "roof_tiles", "dark_wood"),
            "figure": ("marble", "gold", "paint:white"),
            "cloth": ("cloth:red", "cloth:white", "cloth:purple"),
            "candles": ("wax",),
        },
        body=("stone",),
        ranges={"height": (1.6, 2.2), "altar": (0.0, 1.0)},
        integer_params=("altar",),
        build=_shrine,
        ground="floor",
        where="any",
        plural_count=1,
        spacing_m=1.0,
    )
)


def _bell(p: dict[str, float]) -> list[tuple[str, Node]]:
    bh, h = p["bell"], p["height"]
    hw = bh * 0.9 + 0.35
    beam_y = h - 0.3
    mouth = beam_y - 0.25 - bh
    if p["temple"] > 0.5:  # a straight-sided temple bell struck by a hanging log
        bell = union(
            cylinder((0.0, mouth + bh * 0.45, 0.0), bh * 0.42, bh * 0.45),
            sphere((0.0, mouth + bh * 0.9, 0.0), bh * 0.38),
        )
        bell = subtract(bell, cylinder((0.0, mouth, 0.0), bh * 0.35, bh * 0.5))
        striker = capsule((-0.2, mouth + bh * 0.35, bh * 0.45 + 0.2), (-0.2, mouth + bh * 0.35, bh * 0.45 + 1.3), 0.09)
    else:  # a flared church bell
        outer = union(
            cone((0.0, mouth, 0.0), bh * 0.55, bh * 0.32, bh * 0.8), sphere((0.0, mouth + bh * 0.75, 0.0), bh * 0.33)
        )
        bell = union(
            subtract(outer, cone((0.0, mouth - 0.01, 0.0), bh * 0.48, bh * 0.26, bh * 0.7)),
            torus((0.0, mouth + 0.02, 0.0), bh * 0.53, 0.035),
        )
        striker = sphere((0.0, mouth + 0.05, 0.0), bh * 0.12)
    frame = union(
        mirror(box((hw, (h - 0.3) / 2 - 0.15, 0.0), (0.1, (h - 0.3) / 2 + 0.15, 0.1)), "x"),
        box((0.0, beam_y, 0.0), (hw + 0.15, 0.1, 0.1)),
        mirror(mirror(capsule((hw, 0.0, 0.5), (hw, 1.0, 0.05), 0.06), "z"), "x"),
    )
    return [
        ("frame", frame),
        ("roof", gable((0.0, h - 0.2, 0.0), 0.55, hw + 0.35, 0.45, ridge="x")),
        ("bell", union(bell, cylinder((0.0, (mouth + bh + beam_y) / 2, 0.0), 0.04, (beam_y - mouth - bh) / 2 + 0.05))),
        ("striker", striker),
    ]


register(
    Kind(
        name="bell",
        group="landmark",
        words=("bell", "temple bell", "bell frame", "church bell", "bell stand", "gong bell"),
        parts={
            "frame": ("dark_wood", "wood"),
            "roof": ("roof_tiles", "dark_wood", "slate"),
            "bell": ("copper", "iron", "gold"),
            "striker": ("wood", "iron"),
        },
        body=("bell",),
        ranges={"bell": (0.6, 1.0), "height": (2.6, 3.2), "temple": (0.0, 1.0)},
        integer_params=("temple",),
        build=_bell,
        plural_count=1,
        spacing_m=1.0,
    )
)
