"""Graveyard kinds: gravestone, grave cross, mausoleum, tomb (monuments are in ``graveyard_monuments``)."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.parts import standing_box
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
        standing_box(0.0, step - hd - 0.2, base, hw + 0.35, step + 0.2, below=FOUNDATION_M),
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
