"""Green plants: hedge, topiary, grass tuft, reeds, fern, bamboo, mushroom, lily pads."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import Kind, register, variant_rng
from pipelines.models.kinds.nature import blooms
from pipelines.models.kinds.plants import STEM_R, _blade, _disc, _spots
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    intersect,
    polar_repeat,
    repeat,
    rotate,
    smooth_union,
    sphere,
    subtract,
    torus,
    translate,
    union,
)


def _hedge(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    hl, h, hd = p["length"] / 2, p["height"], p["depth"] / 2
    if p["wild"] < 0.5:  # clipped: a rounded box with a gently lumpy top
        n = max(2, int(p["length"] / 0.7))
        body = box((0.0, (h - 0.1) / 2, 0.0), (hl, (h + 0.1) / 2, hd), round_m=0.12)
        bumps = repeat(ellipsoid((0.0, h - 0.1, 0.0), (0.42, 0.14, hd * 0.9)), "x", (2 * hl - 0.5) / (n - 1), n)
        return [("leaves", smooth_union(0.12, body, bumps))]
    n = max(3, int(p["length"] / 0.6))  # a hedgerow: overlapping rounded masses of uneven height
    blobs = [box((0.0, h * 0.3, 0.0), (hl, h * 0.35, hd * 0.8), round_m=0.15)]
    for k in range(n):
        x = -hl + 0.4 + (2 * hl - 0.8) * k / (n - 1)
        rk = hd * float(rng.uniform(0.9, 1.15))
        blobs.append(ellipsoid((x, h - rk * 0.9, float(rng.uniform(-0.08, 0.08))), (rk * 0.9, rk, rk)))
    return [("leaves", smooth_union(0.25, *blobs))]


register(
    Kind(
        name="hedge",
        group="hedge",
        words=("hedge", "hedgerow", "box hedge", "privet hedge", "boxwood hedge", "garden hedge"),
        parts={"leaves": ("leaves:green", "bush", "leaves")},
        body=("leaves",),
        ranges={"length": (3.0, 6.0), "height": (1.0, 1.8), "depth": (0.6, 1.0), "wild": (0.0, 1.0)},
        integer_params=("wild",),
        build=_hedge,
        ground="embed",
        plural_count=3,
        spacing_m=0.3,
        flags={"linear": 1.0, "base": 1.0, "uneven": 0.6},
    )
)


def _topiary(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, form = p["height"], int(p["form"])
    pot = p["pot"] > 0.5
    y0 = 0.45 if pot else 0.0
    w = p["width"] / 2
    if form == 0:  # a ball on a bare stem
        green = sphere((0.0, y0 + h - w, 0.0), w)
        stem_top = y0 + h - w
    elif form == 1:  # a cone
        green = cone((0.0, y0 + 0.15, 0.0), w, 0.04, h - 0.15)
        stem_top = y0 + 0.3
    elif form == 2:  # three balls stacked, each smaller
        green = union(*[sphere((0.0, y0 + h * f, 0.0), w * s) for f, s in ((0.25, 1.0), (0.6, 0.75), (0.87, 0.5))])
        stem_top = y0 + h * 0.8
    else:  # a clipped block
        green = box((0.0, y0 + h * 0.55, 0.0), (w, h * 0.45, w), round_m=0.08)
        stem_top = y0 + 0.2
    parts = [
        ("leaves", green),
        ("trunk", cylinder((0.0, (stem_top + y0 - 0.1) / 2, 0.0), 0.04, (stem_top - y0 + 0.1) / 2)),
    ]
    if pot:
        pw = max(0.3, w * 0.7)
        parts.append(
            (
                "pot",
                subtract(
                    box((0.0, 0.21, 0.0), (pw, 0.24, pw), round_m=0.02),
                    box((0.0, 0.45, 0.0), (pw - 0.05, 0.06, pw - 0.05)),
                ),
            )
        )
        parts.append(("soil", box((0.0, 0.41, 0.0), (pw - 0.04, 0.02, pw - 0.04))))
    return parts


register(
    Kind(
        name="topiary",
        group="topiary",
        words=("topiary", "topiary bush", "topiary tree", "clipped shrub", "boxwood ball"),
        parts={
            "leaves": ("bush", "leaves:green"),
            "trunk": ("bark",),
            "pot": ("roof_tiles", "stone", "concrete"),
            "soil": ("dirt",),
        },
        body=("leaves",),
        ranges={"height": (1.1, 2.0), "width": (0.6, 1.0), "form": (0.0, 3.4), "pot": (0.0, 1.0)},
        integer_params=("form", "pot"),
        build=_topiary,
        ground="embed",
        plural_count=4,
        spacing_m=0.6,
        flags={"base": 0.8, "uneven": 0.2},
    )
)


def _grass_tuft(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    h, n = p["height"], int(p["blades"])
    outer = polar_repeat(_blade(h * 0.8, 0.026, float(rng.uniform(30, 40))), n)
    middle = rotate(polar_repeat(_blade(h, 0.026, float(rng.uniform(16, 24))), n - 2), yaw_deg=180.0 / n)
    inner = rotate(polar_repeat(_blade(h * 1.1, 0.026, float(rng.uniform(5, 10))), n - 5), yaw_deg=90.0 / n)
    base = ellipsoid((0.0, 0.0, 0.0), (0.12, 0.1, 0.12))
    return [("blades", union(base, outer, middle, inner))]


register(
    Kind(
        name="grass tuft",
        group="grass",
        words=(
            "grass tuft",
            "tall grass",
            "tussock",
            "grass clump",
            "pampas grass",
            "ornamental grass",
            "clump of grass",
        ),
        parts={"blades": ("grass", "leaves:olive", "grass:green")},
        body=("blades",),
        ranges={"height": (0.4, 0.9), "blades": (12.0, 16.4)},
        integer_params=("blades",),
        build=_grass_tuft,
        ground="embed",
        plural_count=10,
        spacing_m=0.05,
        flags={"base": 0.5, "uneven": 0.3},
        attributes={"dry": {"parts": {"blades": "hay"}}, "dead": {"parts": {"blades": "hay:tan"}}},
    )
)


def _reeds(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    h, n = p["height"], int(p["stalks"])
    stalks, heads = [], []
    for k, (x, z) in enumerate(_spots(rng, p["width"] / 2, n)):
        hk = h * float(rng.uniform(0.7, 1.0))
        top = (x + float(rng.uniform(-0.08, 0.08)), hk, z + float(rng.uniform(-0.08, 0.08)))
        stalks.append(capsule((x, -0.1, z), top, STEM_R))
        if k % 2 == 0:  # a cattail's brown head below the tip
            heads.append(
                capsule((top[0] * 0.97, hk * 0.78, top[2] * 0.97), (top[0] * 0.99, hk * 0.9, top[2] * 0.99), 0.035)
            )
    leaves = polar_repeat(_blade(h * 0.8, 0.04, 14.0), 7)
    return [("stalks", union(*stalks, leaves)), ("heads", union(*heads))]


register(
    Kind(
        name="reeds",
        group="grass",
        words=("reeds", "reed", "cattail", "bulrush", "reed bed", "papyrus", "rushes"),
        parts={"stalks": ("leaves:olive", "grass"), "heads": ("bark:brown", "dark_wood")},
        body=("stalks",),
        ranges={"height": (1.3, 2.2), "width": (0.5, 0.9), "stalks": (9.0, 14.4)},
        integer_params=("stalks",),
        build=_reeds,
        ground="embed",
        plural_count=6,
        spacing_m=0.05,
        flags={"base": 0.7, "uneven": 0.5, "shore": 1.0},
    )
)


def _fern(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    length, h, n = p["spread"] / 2, p["height"], int(p["fronds"])

    def frond(reach: float, rise: float, width: float) -> Node:
        """An arching frond along +x: leaflet segments following a parabola up and over."""
        pts = [(reach * t, 0.05 + rise * (2.2 * t - 1.6 * t * t) / 0.756, 0.0) for t in (0.0, 0.3, 0.6, 0.85, 1.0)]
        segs = []
        for (x0, y0, _), (x1, y1, _), wk in zip(pts, pts[1:], (0.5, 1.0, 0.8, 0.45)):
            seg = math.hypot(x1 - x0, y1 - y0) / 2
            leaf = ellipsoid(((x0 + x1) / 2, (y0 + y1) / 2, 0.0), (seg * 1.15, 0.02, width * wk))
            segs.append(
                rotate(
                    leaf, roll_deg=math.degrees(math.atan2(y1 - y0, x1 - x0)), pivot=((x0 + x1) / 2, (y0 + y1) / 2, 0.0)
                )
            )
        return union(*segs)

    outer = polar_repeat(frond(length, h * 0.8, length * 0.14), n)
    inner = rotate(polar_repeat(frond(length * 0.6, h, length * 0.12), n - 2), yaw_deg=float(rng.uniform(15, 30)))
    return [("fronds", union(ellipsoid((0.0, 0.0, 0.0), (0.1, 0.1, 0.1)), outer, inner))]


register(
    Kind(
        name="fern",
        group="shrub",
        words=("fern", "bracken", "fern frond", "tree fern"),
        parts={"fronds": ("leaves:green", "leaves", "needles")},
        body=("fronds",),
        ranges={"spread": (1.0, 1.6), "height": (0.5, 0.9), "fronds": (7.0, 9.4)},
        integer_params=("fronds",),
        build=_fern,
        ground="embed",
        plural_count=8,
        spacing_m=0.1,
        flags={"base": 0.5, "uneven": 0.4},
        attributes={"dry": {"parts": {"fronds": "leaves:ochre"}}, "dead": {"parts": {"fronds": "leaves:brown"}}},
    )
)


def _bamboo(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    h, n = p["height"], int(p["culms"])
    # A spray: narrow drooping leaves fanned about a node (modelled at the origin, moved to each node).
    spray = polar_repeat(rotate(ellipsoid((0.2, 0.0, 0.0), (0.2, 0.016, 0.045)), roll_deg=-30.0), 5)
    culms, leaves = [], []
    for x, z in _spots(rng, p["width"] / 2, n):
        hk, rk = h * float(rng.uniform(0.65, 1.0)), p["culm_r"] * float(rng.uniform(0.8, 1.1))
        nodes = max(2, int(hk / 0.4))
        culm = union(
            cylinder((x, (hk - 0.2) / 2, z), rk, (hk + 0.2) / 2),
            repeat(torus((x, hk * 0.5, z), rk, 0.012), "y", hk / nodes, nodes - 1),
        )
        tilt = (float(rng.uniform(-5, 5)), float(rng.uniform(-5, 5)))
        culms.append(rotate(culm, pitch_deg=tilt[0], roll_deg=tilt[1], pivot=(x, 0.0, z)))
        for f in (0.55, 0.7, 0.85, 1.0):  # sprays at the upper nodes
            leaves.append(translate(rotate(spray, yaw_deg=float(rng.uniform(0, 72))), (x, hk * f - 0.02, z)))
    return [("culms", union(*culms)), ("leaves", union(*leaves))]


register(
    Kind(
        name="bamboo",
        group="tree",
        words=("bamboo", "bamboo clump", "bamboo stalk", "bamboo plant", "bamboo cane"),
        parts={"culms": ("bamboo", "bamboo:olive"), "leaves": ("leaves:green", "leaves")},
        body=("culms",),
        ranges={"height": (3.5, 6.0), "width": (0.8, 1.6), "culms": (6.0, 10.4), "culm_r": (0.04, 0.06)},
        integer_params=("culms",),
        build=_bamboo,
        ground="embed",
        plural_count=4,
        spacing_m=0.3,
        flags={"base": 0.6, "uneven": 0.5},
    )
)


def _mushroom(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    s = p["size"]
    stems, caps, gills, spots = [], [], [], []
    for k in range(int(p["caps"])):
        sk = s * (1.0 if k == 0 else float(rng.uniform(0.45, 0.7)))
        x, z = (0.0, 0.0) if k == 0 else (s * 0.45 * math.cos(2.1 * k + 0.5), s * 0.45 * math.sin(2.1 * k + 0.5))
        hs, rc, rs = sk * 0.7, sk * 0.45, max(0.016, sk * 0.12)
        stems.append(cone((x, -0.03, z), rs * 1.3, rs, hs + 0.03))
        cap = ellipsoid((x, hs, z), (rc, rc * p["dome"], rc))
        caps.append(intersect(cap, box((x, hs + rc * 0.5, z), (rc, rc * 0.58, rc))))
        gills.append(cylinder((x, hs - rc * 0.05, z), rc * 0.9, 0.016))
        if p["spotted"] > 0.5:
            spots.append(blooms(rng, (x, hs, z), (rc, rc * p["dome"], rc), 7, max(0.018, rc * 0.12), lowest=0.35))
    parts = [("stem", union(*stems, *gills)), ("cap", union(*caps))]
    if spots:
        parts.append(("spots", union(*spots)))
    return parts


register(
    Kind(
        name="mushroom",
        group="fungus",
        words=("mushroom", "toadstool", "fungus", "fly agaric", "giant mushroom", "mushroom cluster"),
        parts={
            "stem": ("bone", "paint:cream"),
            "cap": ("paint:red", "paint:brown", "paint:tan"),
            "spots": ("paint:white",),
        },
        body=("cap",),
        ranges={"size": (0.15, 0.35), "caps": (1.0, 3.4), "dome": (0.5, 0.9), "spotted": (0.0, 1.0)},
        integer_params=("caps", "spotted"),
        build=_mushroom,
        ground="embed",
        plural_count=5,
        spacing_m=0.1,
        flags={"base": 0.8, "uneven": 0.2},
    )
)


def _lily_pads(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    pads, flowers, centres = [], [], []
    spots = [(0.0, 0.0)] + [_disc(rng, p["spread"] / 2) for _ in range(int(p["pads"]) - 1)]
    for k, (x, z) in enumerate(spots):
        r = p["pad_r"] * float(rng.uniform(0.7, 1.1))
        notch = rotate(
            box((x + r * 0.55, 0.0, z), (r * 0.55, 0.05, 0.025)), yaw_deg=float(rng.uniform(0, 360)), pivot=(x, 0.0, z)
        )
        pads.append(subtract(cylinder((x, 0.0, z), r, 0.016), notch))
        if k == 0 and p["flower"] > 0.5:  # a water lily: a cup of pointed petals on the first pad
            petal = rotate(ellipsoid((0.07, 0.06, 0.0), (0.07, 0.018, 0.03)), roll_deg=35.0, pivot=(0.0, 0.03, 0.0))
            flowers.append(union(polar_repeat(petal, 8), rotate(polar_repeat(petal, 6), yaw_deg=30.0)))
            centres.append(sphere((0.0, 0.06, 0.0), 0.03))
    parts = [("pads", union(*pads))]
    if flowers:
        parts += [("flower", union(*flowers)), ("centre", union(*centres))]
    return parts


register(
    Kind(
        name="lily pads",
        group="water plant",
        words=("lily pads", "lily pad", "water lily", "lotus", "lotus flower"),
        parts={
            "pads": ("leaves:green", "leaves"),
            "flower": ("petals:white", "petals:pink"),
            "centre": ("petals:yellow",),
        },
        body=("pads",),
        ranges={"pads": (3.0, 6.4), "spread": (0.8, 1.4), "pad_r": (0.15, 0.3), "flower": (0.0, 1.0)},
        integer_params=("pads", "flower"),
        build=_lily_pads,
        ground="water",
        plural_count=5,
        spacing_m=0.1,
        flags={"base": 1.0, "uneven": 0.2},
        attributes={"flowering": {"params": {"flower": 1.0}}},
    )
)
