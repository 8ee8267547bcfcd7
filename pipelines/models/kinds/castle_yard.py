"""A castle's yard and hall: catapult, flag, throne, weapon rack, training dummy, pillory, stocks."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import FLOOR_M, Kind, register, variant_rng
from pipelines.models.kinds.parts import at_corners, standing_box, standing_cylinder
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    gable,
    mirror,
    repeat,
    rotate,
    sphere,
    subtract,
    torus,
    translate,
    union,
)


def _catapult(p: dict[str, float]) -> list[tuple[str, Node]]:
    hl, hw = p["length"] / 2, 0.8
    rng = variant_rng(p)
    frame = union(
        mirror(box((hw, 0.55, 0.0), (0.12, 0.12, hl)), "x"),
        repeat(box((0.0, 0.55, 0.0), (hw, 0.1, 0.1)), "z", hl * 0.9, 3),
    )
    wheels = at_corners(cylinder((hw + 0.25, 0.45, hl * 0.65), 0.47, 0.08, axis="x"))
    axles = mirror(cylinder((0.0, 0.45, hl * 0.65), 0.06, hw + 0.35, axis="x"), "z")
    if p["trebuchet"] > 0.5:  # tall A-frames, a long arm and a hanging counterweight
        ph = p["length"] * 1.15
        leg = capsule((hw, 0.6, hl * 0.55), (hw, ph, 0.0), 0.11)
        uprights = mirror(union(leg, mirror(leg, "z")), "x")
        pivot = (0.0, ph, 0.0)
        tilt = float(rng.uniform(-50, -20))
        arm = rotate(capsule((0.0, ph, -hl * 1.5), (0.0, ph, hl * 0.5), 0.1), pitch_deg=tilt, pivot=pivot)
        end = (0.0, ph + math.sin(math.radians(-tilt)) * hl * 0.5, math.cos(math.radians(tilt)) * hl * 0.5)
        weight = box((0.0, end[1] - 1.0, end[2]), (0.55, 0.5, 0.5))
        return [
            ("frame", union(frame, uprights, cylinder(pivot, 0.12, hw + 0.15, axis="x"))),
            ("wheels", wheels),
            ("axles", axles),
            ("arm", union(arm, capsule(end, (0.0, end[1] - 0.5, end[2]), 0.05))),
            ("weight", weight),
        ]
    ph = 1.6
    posts = mirror(box((hw * 0.7, (ph + 0.55) / 2, -hl * 0.15), (0.1, (ph - 0.55) / 2, 0.1)), "x")
    bar = box((0.0, ph, -hl * 0.15), (hw * 0.7 + 0.1, 0.1, 0.12))
    pivot = (0.0, 0.75, hl * 0.55)
    tilt = float(rng.uniform(-10.0, 25.0))  # cocked back to thrown forward
    arm = rotate(capsule((0.0, 0.75, hl * 0.55), (0.0, 0.75, -hl * 0.9), 0.09), pitch_deg=20.0 + tilt, pivot=pivot)
    cup_at = (
        0.0,
        0.75 + math.sin(math.radians(20.0 + tilt)) * hl * 1.45,
        hl * 0.55 - math.cos(math.radians(20.0 + tilt)) * hl * 1.45,
    )
    cup = subtract(
        sphere(cup_at, 0.32),
        sphere((cup_at[0], cup_at[1] + 0.08, cup_at[2]), 0.27),
        box((cup_at[0], cup_at[1] + 0.35, cup_at[2]), (0.4, 0.2, 0.4)),
    )
    return [("frame", union(frame, posts, bar)), ("wheels", wheels), ("axles", axles), ("arm", union(arm, cup))]


register(
    Kind(
        name="catapult",
        group="machine",
        words=("catapult", "trebuchet", "siege engine", "mangonel", "onager"),
        parts={
            "frame": ("wood", "dark_wood"),
            "wheels": ("dark_wood", "wood"),
            "axles": ("iron",),
            "arm": ("wood", "dark_wood"),
            "weight": ("stone", "iron"),
        },
        body=("frame", "arm"),
        ranges={"length": (3.6, 4.8), "trebuchet": (0.0, 1.0)},
        integer_params=("trebuchet",),
        build=_catapult,
        plural_count=2,
        spacing_m=2.0,
        attributes={"trebuchet": {"params": {"trebuchet": 1.0}}},
    )
)


def _flag(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, fw, fh = p["height"], p["flag_w"], p["flag_h"]
    rng = variant_rng(p)
    top, y = h - 0.25, h - 0.25 - p["flag_h"] / 2
    seg = fw / 3
    x, z, cloth = 0.05, 0.0, []
    for k in range(3):  # three panels chained at alternating angles read as cloth in the wind
        yaw = float(rng.uniform(8.0, 18.0)) * (1 if k % 2 else -1)
        panel = box((x + seg / 2, y, z), (seg / 2 + 0.03, fh / 2, 0.04))
        cloth.append(rotate(panel, yaw_deg=yaw, pivot=(x, y, z)))
        x, z = x + seg * math.cos(math.radians(yaw)), z - seg * math.sin(math.radians(yaw))
    flag = union(*cloth)
    if int(p["shape"]) == 1:  # swallowtail: a notch cut out of the free end
        notch = rotate(gable((0.0, 0.0, 0.0), fh * 0.35, 0.6, seg), roll_deg=90.0)
        flag = subtract(flag, translate(notch, (x + 0.05, y, z)))
    elif int(p["shape"]) == 2:  # pennant: the cloth tapers to a point
        slope = math.degrees(math.atan2(fh / 2, fw))
        above = rotate(
            box((0.05 + fw / 2, top + 2.0, 0.0), (fw * 1.5, 2.0, 1.0)), roll_deg=-slope, pivot=(0.05, top, 0.0)
        )
        below = rotate(
            box((0.05 + fw / 2, top - fh - 2.0, 0.0), (fw * 1.5, 2.0, 1.0)), roll_deg=slope, pivot=(0.05, top - fh, 0.0)
        )
        flag = subtract(flag, above, below)
    return [
        ("pole", standing_cylinder(0.0, 0.0, h, 0.06, below=0.3)),
        ("flag", flag),
        ("finial", sphere((0.0, h + 0.05, 0.0), 0.11)),
        ("base", box((0.0, 0.05, 0.0), (0.35, 0.25, 0.35), round_m=0.03)),
    ]


register(
    Kind(
        name="flag",
        group="decor",
        words=("flag", "banner", "flagpole", "flag pole", "pennant", "standard", "flagstaff"),
        parts={
            "pole": ("wood", "metal", "dark_wood"),
            "flag": ("cloth:red", "cloth:blue", "cloth:yellow", "cloth:green", "awning"),
            "finial": ("gold", "iron"),
            "base": ("stone", "concrete"),
        },
        body=("flag",),
        ranges={"height": (4.5, 7.5), "flag_w": (1.4, 2.2), "flag_h": (0.9, 1.4), "shape": (0.0, 2.0)},
        integer_params=("shape",),
        build=_flag,
        plural_count=3,
        spacing_m=1.0,
    )
)


def _throne(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, sy, bh = p["width"] / 2, p["depth"] / 2, 0.5, p["back_h"]
    rng = variant_rng(p)
    dais = p["dais"] > 0.5
    y0 = 0.2 if dais else 0.0
    base = box((0.0, y0 + (sy - 0.1 - FLOOR_M) / 2, 0.0), (hw, (sy - 0.1 + FLOOR_M) / 2, hd))
    back = box((0.0, y0 + (sy + bh) / 2, -hd + 0.09), (hw, (bh - sy) / 2, 0.09))
    crest = gable((0.0, y0 + bh - 0.02, -hd + 0.09), hw * 0.9, 0.09, float(rng.uniform(0.2, 0.4)))
    arms = mirror(box((hw - 0.07, y0 + sy + 0.2, 0.02), (0.07, 0.2, hd - 0.02)), "x")
    parts = [
        ("frame", union(base, back, crest, arms)),
        (
            "cushion",
            union(
                box((0.0, y0 + sy - 0.04, 0.03), (hw - 0.15, 0.06, hd - 0.08), round_m=0.03),
                box((0.0, y0 + sy + (bh - sy) * 0.45, -hd + 0.2), (hw - 0.18, (bh - sy) * 0.35, 0.04), round_m=0.02),
            ),
        ),
        ("finials", mirror(sphere((hw - 0.07, y0 + bh + 0.02, -hd + 0.09), 0.08), "x")),
    ]
    if dais:
        parts.append(("dais", standing_box(0.0, 0.15, y0, hw + 0.35, hd + 0.45)))
    return parts


register(
    Kind(
        name="throne",
        group="seat",
        words=("throne", "royal throne", "king throne", "queen throne"),
        parts={
            "frame": ("gold", "dark_wood", "stone", "marble"),
            "cushion": ("cloth:red", "cloth:purple", "cloth:blue"),
            "finials": ("gold",),
            "dais": ("stone", "marble"),
        },
        body=("frame",),
        ranges={"width": (0.85, 1.1), "depth": (0.7, 0.85), "back_h": (1.5, 2.1), "dais": (0.0, 1.0)},
        integer_params=("dais",),
        build=_throne,
        ground="floor",
        where="any",
        plural_count=1,
        spacing_m=0.8,
        flags={"against_wall": 1.0},
    )
)


def _weapon_rack(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, h = p["width"] / 2, 1.8
    rng = variant_rng(p)
    frame = union(
        mirror(standing_box(hw, 0.0, h, 0.05, 0.05), "x"),
        mirror(box((hw, 0.04, 0.0), (0.06, 0.06, 0.3)), "x"),
        box((0.0, 0.12, 0.0), (hw, 0.04, 0.2)),
        box((0.0, h * 0.75, 0.06), (hw, 0.05, 0.04)),
    )
    shafts, heads = [], []
    n = int(p["count"])
    for x in ((k + 0.5) / n * 2 * hw - hw for k in range(n)):  # weapons lean in the notched rail
        tip_y = h + float(rng.uniform(0.1, 0.4))
        low, high = (x, 0.18, 0.14), (x, tip_y, -0.02)
        shafts.append(capsule(low, high, 0.025))
        kind = int(rng.integers(0, 3))
        if kind == 0:  # spear
            heads.append(cone((x, tip_y - 0.05, -0.02), 0.05, 0.0, 0.28))
        elif kind == 1:  # axe
            heads.append(box((x + 0.1, tip_y - 0.2, -0.02), (0.1, 0.12, 0.02)))
        else:  # halberd: blade and spike
            heads.append(
                union(
                    box((x + 0.09, tip_y - 0.25, -0.02), (0.09, 0.15, 0.02)),
                    cone((x, tip_y - 0.05, -0.02), 0.04, 0.0, 0.25),
                )
            )
    return [("frame", frame), ("shafts", union(*shafts)), ("heads", union(*heads))]


register(
    Kind(
        name="weapon rack",
        group="storage",
        words=("weapon rack", "weapons rack", "armory rack", "armoury rack", "spear rack", "sword rack", "arms rack"),
        parts={"frame": ("dark_wood", "wood"), "shafts": ("wood",), "heads": ("metal", "iron")},
        body=("frame",),
        ranges={"width": (1.3, 2.0), "count": (4.0, 7.0)},
        integer_params=("count",),
        build=_weapon_rack,
        ground="floor",
        where="any",
        plural_count=2,
        spacing_m=0.6,
        flags={"against_wall": 1.0},
    )
)


def _dummy(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    rng = variant_rng(p)
    chest = h - 0.55
    body = ellipsoid((0.0, chest, 0.0), (0.26, 0.42, 0.2))
    if p["arms"] > 0.5:
        body = union(body, capsule((-0.6, chest + 0.15, 0.0), (0.6, chest + 0.15, 0.0), 0.09))
    lean = float(rng.uniform(-6.0, 6.0))
    figure = [
        (
            "post",
            union(
                cylinder((0.0, (h - 0.3) / 2 - 0.1, 0.0), 0.06, (h + 0.1) / 2),
                box((0.0, 0.04, 0.0), (0.45, 0.05, 0.07)),
                box((0.0, 0.04, 0.0), (0.07, 0.05, 0.45)),
            ),
        ),
        ("body", body),
        ("head", sphere((0.0, h - 0.02, 0.0), 0.16)),
        (
            "ropes",
            union(
                torus((0.0, chest - 0.2, 0.0), 0.235, 0.025),
                torus((0.0, chest + 0.22, 0.0), 0.22, 0.025),
                torus((0.0, h - 0.2, 0.0), 0.09, 0.025),
            ),
        ),
    ]
    return [(name, rotate(s, roll_deg=lean, pivot=(0.0, 0.1, 0.0)) if name != "post" else s) for name, s in figure]


register(
    Kind(
        name="training dummy",
        group="decor",
        words=("training dummy", "practice dummy", "straw dummy", "combat dummy", "target dummy", "dummy"),
        parts={
            "post": ("wood", "dark_wood"),
            "body": ("hay", "cloth:tan", "canvas"),
            "head": ("cloth:tan", "canvas"),
            "ropes": ("rope",),
        },
        body=("body",),
        ranges={"height": (1.65, 1.9), "arms": (0.0, 1.0)},
        integer_params=("arms",),
        build=_dummy,
        ground="floor",
        where="any",
        plural_count=3,
        spacing_m=1.0,
    )
)


def _holes(board: Node, y: float, z: float, xs: tuple[float, ...], r: float) -> Node:
    return subtract(board, *[cylinder((x, y, z), r, 0.3, axis="z") for x in xs])


def _pillory(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    y = h - 0.55
    board = _holes(box((0.0, y, 0.0), (0.6, 0.16, 0.05)), y, 0.0, (-0.38, 0.0, 0.38), 0.06)
    return [
        (
            "post",
            union(
                box((0.0, (y - 0.1) / 2 - 0.1, 0.0), (0.09, (y - 0.1) / 2 + 0.1, 0.09)),
                box((0.0, y + 0.35, 0.0), (0.09, 0.2, 0.09)),
            ),
        ),
        ("board", board),
        ("platform", box((0.0, 0.09, 0.0), (0.8, 0.12, 0.8))),
    ]


register(
    Kind(
        name="pillory",
        group="decor",
        words=("pillory", "pillories"),
        parts={"post": ("dark_wood", "wood"), "board": ("wood", "dark_wood"), "platform": ("boards", "stone")},
        body=("post", "board"),
        ranges={"height": (2.2, 2.5)},
        build=_pillory,
        plural_count=1,
        spacing_m=1.0,
    )
)


def _stocks(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw = p["width"] / 2
    n = int(p["seats"])
    xs = tuple((k + 0.5) / n * 2 * (hw - 0.15) - (hw - 0.15) for k in range(n))
    feet = tuple(x + s for x in xs for s in (-0.09, 0.09))
    board = _holes(box((0.0, 0.42, 0.25), (hw, 0.14, 0.05)), 0.42, 0.25, feet, 0.045)
    return [
        ("posts", mirror(box((hw + 0.06, 0.3 - FLOOR_M, 0.25), (0.07, 0.3 + FLOOR_M, 0.07)), "x")),
        ("board", board),
        (
            "bench",
            union(
                box((0.0, 0.36, -0.35), (hw + 0.1, 0.04, 0.16)),
                mirror(standing_box(hw - 0.05, -0.35, 0.32, 0.05, 0.12), "x"),
            ),
        ),
    ]


register(
    Kind(
        name="stocks",
        group="decor",
        words=("stocks", "village stocks", "foot stocks"),
        parts={"posts": ("dark_wood", "wood"), "board": ("wood", "dark_wood"), "bench": ("wood", "boards")},
        body=("board",),
        ranges={"width": (1.2, 1.8), "seats": (2.0, 3.0)},
        integer_params=("seats",),
        build=_stocks,
        ground="floor",
        plural_count=1,
        spacing_m=0.8,
    )
)
