"""Street furniture: traffic light, signpost, mailbox, fire hydrant, trash bin, phone booth, bus stop, bollard."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    intersect,
    mirror,
    repeat,
    rotate,
    subtract,
    torus,
    translate,
    union,
)

GROUND_M = 0.1  # posts and plinths reach this far below the base (set in the pavement)


def _traffic_light(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], 0.07
    arm = p["arm"] > 0.5
    hx = 1.8 if arm else 0.0  # the head hangs over the road at the end of an arm, or sits on the pole
    hy = h + 0.1 if arm else h - 0.45
    pole = cylinder((0.0, (h - GROUND_M) / 2, 0.0), r, (h + GROUND_M) / 2)
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


def translate_y(a: Node, dy: float) -> Node:
    return translate(a, (0.0, dy, 0.0))


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
        post = box((0.0, (h - GROUND_M) / 2, 0.0), (0.06, (h + GROUND_M) / 2, 0.06))
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
    post = cylinder((0.0, (h - GROUND_M) / 2, 0.0), 0.035, (h + GROUND_M) / 2)
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
        body = subtract(
            cylinder((0.0, (h - GROUND_M) / 2, 0.0), r, (h + GROUND_M) / 2), box((0.0, h - 0.28, r), (0.13, 0.02, 0.05))
        )
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
    post = box((0.0, (h - GROUND_M) / 2, 0.0), (0.05, (h + GROUND_M) / 2, 0.05))
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


def _hydrant(p: dict[str, float]) -> list[tuple[str, Node]]:
    r, h = p["radius"], p["height"]
    body = cylinder((0.0, (h - GROUND_M) / 2, 0.0), r, (h + GROUND_M) / 2)
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
    drum = subtract(
        cylinder((0.0, (h - GROUND_M) / 2, 0.0), r, (h + GROUND_M) / 2), cylinder((0.0, h, 0.0), r - 0.03, 0.3)
    )
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
        ("plinth", box((0.0, (0.1 - GROUND_M) / 2, 0.0), (hw + 0.05, (0.1 + GROUND_M) / 2, hw + 0.05))),
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
    posts = mirror(mirror(box((hl - 0.06, (h - GROUND_M) / 2, hd - 0.06), (0.05, (h + GROUND_M) / 2, 0.05)), "x"), "z")
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
        ("pole", cylinder((sign_x, (h + 0.3 - GROUND_M) / 2, hd), 0.045, (h + 0.3 + GROUND_M) / 2)),
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
