"""Street furniture: traffic light, signpost, mailbox (the kerb's small things are in ``street_kerb``)."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.parts import standing_box, standing_cylinder, translate_y
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    intersect,
    repeat,
    rotate,
    subtract,
    union,
)

GROUND_M = 0.1  # posts and plinths reach this far below the base (set in the pavement)


def _traffic_light(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], 0.07
    arm = p["arm"] > 0.5
    hx = 1.8 if arm else 0.0  # the head hangs over the road at the end of an arm, or sits on the pole
    hy = h + 0.1 if arm else h - 0.45
    pole = standing_cylinder(0.0, 0.0, h, r, below=GROUND_M)
    if arm:
        pole = union(
            pole,
            cylinder((hx / 2, h + 0.5, 0.0), 0.05, hx / 2 + 0.05, axis="x"),
            capsule((0.0, h - 0.3, 0.0), (0.6, h + 0.5, 0.0), 0.035),
        )
    housing = box((hx, hy, 0.12), (0.17, 0.5, 0.12), round_m=0.03)
    if not arm:
        housing = union(housing, box((0.0, hy, 0.0), (0.1, 0.2, 0.08)))
    lamp = cylinder((hx, hy, 0.24), 0.1, 0.02, axis="z")
    visors = repeat(
        intersect(
            subtract(cylinder((hx, hy, 0.3), 0.13, 0.07, axis="z"), cylinder((hx, hy, 0.3), 0.1, 0.2, axis="z")),
            box((hx, hy + 0.07, 0.3), (0.2, 0.07, 0.1)),
        ),
        "y",
        0.32,
        3,
    )  # hoods over the lamps
    return [
        ("pole", union(pole, cylinder((0.0, 0.02, 0.0), 0.14, 0.12))),
        ("housing", union(housing, visors)),
        ("red lamp", translate_y(lamp, 0.32)),
        ("amber lamp", lamp),
        ("green lamp", translate_y(lamp, -0.32)),
    ]


register(
    Kind(
        name="traffic light",
        group="traffic light",
        words=("traffic light", "traffic lights", "stoplight", "stop light", "traffic signal", "signal light"),
        parts={
            "pole": ("paint:gray", "paint:black", "metal", "paint:green"),
            "housing": ("paint:black", "paint:yellow", "paint:gray"),
            "red lamp": ("lamp:red",),
            "amber lamp": ("lamp:orange",),
            "green lamp": ("lamp:green",),
        },
        body=("pole",),
        ranges={"height": (2.8, 3.6), "arm": (0.0, 1.0)},
        integer_params=("arm",),
        build=_traffic_light,
        ground="embed",
        plural_count=2,
        spacing_m=0.5,
    )
)


def _signpost(p: dict[str, float]) -> list[tuple[str, Node]]:
    h = p["height"]
    rng = variant_rng(p)
    if p["finger"] > 0.5:  # a rural fingerpost: a square post with arrow boards pointing several ways
        post = standing_box(0.0, 0.0, h, 0.06, 0.06, below=GROUND_M)
        boards = []
        for k in range(int(p["boards"])):
            y = h - 0.18 - 0.24 * k
            yaw = float(rng.uniform(-60, 60)) + 180.0 * (k % 2)
            arm = union(
                box((0.45, y, 0.0), (0.4, 0.09, 0.025)),
                rotate(box((0.85, y, 0.0), (0.064, 0.064, 0.025)), roll_deg=45, pivot=(0.85, y, 0.0)),
            )
            boards.append(rotate(arm, yaw_deg=yaw))
        return [("post", union(post, cone((0.0, h, 0.0), 0.085, 0.01, 0.1))), ("sign", union(*boards))]
    post = standing_cylinder(0.0, 0.0, h, 0.035, below=GROUND_M)
    if p["boards"] > 2.5:
        plate = cylinder((0.0, h - 0.3, 0.05), 0.3, 0.015, axis="z")
    elif p["boards"] > 1.5:
        plate = rotate(box((0.0, h - 0.3, 0.05), (0.22, 0.22, 0.015)), roll_deg=45, pivot=(0.0, h - 0.3, 0.05))
    else:
        plate = box((0.0, h - 0.3, 0.05), (0.35, 0.25, 0.015))
    return [("post", post), ("sign", plate)]


register(
    Kind(
        name="signpost",
        group="sign",
        words=(
            "signpost",
            "street sign",
            "road sign",
            "sign",
            "fingerpost",
            "guidepost",
            "waymarker",
            "sign post",
            "stop sign",
        ),
        parts={
            "post": ("wood", "metal", "paint:gray"),
            "sign": ("paint:white", "wood", "paint:blue", "paint:green", "paint:red"),
        },
        body=("post",),
        ranges={"height": (2.0, 2.6), "finger": (0.0, 1.0), "boards": (1.0, 3.0)},
        integer_params=("finger", "boards"),
        build=_signpost,
        ground="embed",
        plural_count=2,
        spacing_m=0.4,
    )
)


def _mailbox(p: dict[str, float]) -> list[tuple[str, Node]]:
    if p["pillar"] > 0.5:  # a pillar box: a painted cast-iron column with a domed cap and a slot
        r, h = p["radius"] * 0.85, p["height"]
        body = subtract(standing_cylinder(0.0, 0.0, h, r, below=GROUND_M), box((0.0, h - 0.28, r), (0.13, 0.02, 0.05)))
        cap = union(
            cylinder((0.0, h + 0.03, 0.0), r + 0.03, 0.03),
            ellipsoid((0.0, h + 0.06, 0.0), (r + 0.01, r * 0.45, r + 0.01)),
        )
        return [
            ("body", body),
            ("cap", cap),
            ("base", cylinder((0.0, 0.05, 0.0), r + 0.04, 0.07)),
            ("plate", box((0.0, h * 0.55, r - 0.005), (0.09, 0.06, 0.02))),
        ]
    # a kerbside mailbox: a round-topped box on a post
    h, w = p["height"] - 0.25, p["radius"]
    post = standing_box(0.0, 0.0, h, 0.05, 0.05, below=GROUND_M)
    body = union(box((0.0, h + 0.1, 0.0), (w * 0.6, 0.1, 0.26)), cylinder((0.0, h + 0.2, 0.0), w * 0.6, 0.26, axis="z"))
    flag = union(
        box((w * 0.6 + 0.02, h + 0.3, -0.1), (0.015, 0.16, 0.02)),
        box((w * 0.6 + 0.02, h + 0.42, -0.04), (0.015, 0.05, 0.07)),
    )
    return [("post", post), ("body", body), ("flag", flag)]


register(
    Kind(
        name="mailbox",
        group="mailbox",
        words=("mailbox", "postbox", "letterbox", "pillar box", "post box", "mail box", "letter box"),
        parts={
            "body": ("paint:red", "metal", "paint:blue", "paint:green", "paint:black"),
            "cap": ("paint:red", "paint:black"),
            "base": ("paint:black", "iron"),
            "plate": ("paint:white",),
            "post": ("wood", "metal"),
            "flag": ("paint:red",),
        },
        body=("body",),
        ranges={"height": (1.25, 1.5), "radius": (0.26, 0.32), "pillar": (0.0, 1.0)},
        integer_params=("pillar",),
        build=_mailbox,
        ground="embed",
        plural_count=1,
        spacing_m=0.4,
    )
)
