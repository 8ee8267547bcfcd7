"""Small household objects: vase, chest, lantern, tankard, bottle, basket, sack, books.

Most stand on something (ground "on"): the layout puts them on a surface kind
(a table, a shelf top, a counter) the way it puts candles on tables.
"""

from __future__ import annotations

import math

from pipelines.models.kinds.base import FLOOR_M, Kind, register, variant_rng
from pipelines.models.kinds.parts import at_corners, standing_box
from pipelines.models.sdf import (
    Node,
    box,
    cone,
    cylinder,
    ellipsoid,
    intersect,
    mirror,
    pyramid,
    rotate,
    smooth_union,
    subtract,
    torus,
    tube,
    union,
)


def _vase(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["height"] * p["belly"]
    rng = variant_rng(p)
    neck = r * (0.35 + 0.2 * rng.random())
    shoulder = h * (0.55 + 0.2 * rng.random())  # where the belly narrows into the neck
    body = smooth_union(
        0.02 * h / 0.4,
        ellipsoid((0.0, shoulder / 2 + 0.01, 0.0), (r, shoulder / 2 + 0.01, r)),
        cylinder((0.0, (shoulder + h) / 2 - 0.02, 0.0), neck, (h - shoulder) / 2),
        cone((0.0, h - 0.06 * h, 0.0), neck, neck * 1.45, 0.06 * h),
        cylinder((0.0, 0.0, 0.0), r * 0.5, 0.015),
    )
    body = subtract(body, cylinder((0.0, h, 0.0), neck * 0.75, 0.12 * h))
    parts = [("body", body)]
    if rng.random() < 0.35:  # two handles, as on an urn
        parts.append(
            (
                "handles",
                mirror(
                    intersect(
                        torus((r * 0.75, shoulder * 0.95, 0.0), h * 0.1, 0.012 + 0.01 * h, axis="z"),
                        box((r, shoulder * 0.95, 0.0), (r * 0.3, h * 0.2, 0.05)),
                    ),
                    "x",
                ),
            )
        )
    return parts


register(
    Kind(
        name="vase",
        group="vessel",
        words=("vase", "urn", "amphora", "flower vase", "jar"),
        parts={
            "body": ("porcelain", "terracotta", "porcelain:blue", "marble", "glass:teal"),
            "handles": ("porcelain", "terracotta"),
        },
        body=("body", "handles"),
        ranges={"height": (0.25, 0.6), "belly": (0.22, 0.34)},
        build=_vase,
        ground="on",
        where="any",
        plural_count=2,
        spacing_m=0.1,
    )
)


def _chest(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, bh = p["width"] / 2, p["depth"] / 2, p["height"]
    rng = variant_rng(p)
    body = standing_box(0.0, 0.0, bh, hw, hd, round_m=0.01)
    if rng.random() < 0.6:  # a domed lid: a half cylinder along x
        lid = intersect(cylinder((0.0, bh, 0.0), hd, hw, axis="x"), box((0.0, bh + hd / 2, 0.0), (hw, hd / 2, hd)))
        lid_h = hd
    else:
        lid = box((0.0, bh + 0.05, 0.0), (hw + 0.01, 0.05, hd + 0.01), round_m=0.01)
        lid_h = 0.1
    bx = hw * (0.55 + 0.15 * rng.random())  # two straps around body and lid
    if lid_h == hd:
        over = intersect(
            cylinder((bx, bh, 0.0), hd + 0.008, 0.025, axis="x"),
            box((bx, bh + hd / 2, 0.0), (0.025, hd / 2, hd + 0.01)),
        )
    else:
        over = box((bx, bh + 0.05, 0.0), (0.025, 0.058, hd + 0.018))
    strap = union(standing_box(bx, 0.0, bh, 0.025, hd + 0.008), over)
    bands = union(mirror(strap, "x"), box((0.0, bh - 0.04, hd + 0.008), (0.05, 0.06, 0.012)))
    parts = []
    if p.get("open", 0.0) > 0.5:  # the lid swung back on its hinges, treasure inside
        hinge = (0.0, bh, -hd)
        lid = rotate(lid, pitch_deg=-105.0, pivot=hinge)
        bands = union(
            mirror(standing_box(bx, 0.0, bh, 0.025, hd + 0.008), "x"),
            rotate(
                intersect(mirror(strap, "x"), box((0.0, bh + lid_h, 0.0), (hw + 0.1, lid_h, hd + 0.1))),
                pitch_deg=-105.0,
                pivot=hinge,
            ),
        )
        body = subtract(body, box((0.0, bh, 0.0), (hw - 0.04, 0.15, hd - 0.04)))
        parts.append(("treasure", ellipsoid((0.0, bh - 0.1, 0.0), (hw - 0.05, 0.16, hd - 0.05))))
    return [("body", union(body, lid)), ("bands", bands)] + parts


register(
    Kind(
        name="chest",
        group="chest",
        words=("chest", "treasure chest", "trunk chest", "coffer", "strongbox", "sea chest"),
        parts={"body": ("wood", "dark_wood", "boards"), "bands": ("iron", "gold", "copper"), "treasure": ("gold",)},
        body=("body",),
        ranges={"width": (0.7, 1.0), "depth": (0.42, 0.55), "height": (0.35, 0.45)},
        build=_chest,
        ground="floor",
        where="any",
        plural_count=2,
        spacing_m=0.3,
        attributes={"open": {"params": {"open": 1.0}}},
    )
)


def _lantern(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["radius"]
    gh = h * 0.55  # the glass's height
    if variant_rng(p).random() < 0.5:  # a square lantern
        base = box((0.0, 0.01, 0.0), (r + 0.01, 0.03, r + 0.01))
        glass = box((0.0, 0.04 + gh / 2, 0.0), (r - 0.01, gh / 2, r - 0.01))
        posts = at_corners(box((r - 0.008, 0.04 + gh / 2, r - 0.008), (0.012, gh / 2, 0.012)))
        cap = pyramid((0.0, 0.04 + gh, 0.0), r + 0.02, r + 0.02, h * 0.22)
    else:
        base = cylinder((0.0, 0.01, 0.0), r + 0.01, 0.03)
        glass = cylinder((0.0, 0.04 + gh / 2, 0.0), r - 0.01, gh / 2)
        posts = tube((0.0, 0.04 + gh - 0.015, 0.0), r, 0.02, 0.015)
        cap = cone((0.0, 0.04 + gh, 0.0), r + 0.02, r * 0.3, h * 0.22)
    top = 0.04 + gh + h * 0.22
    ring = torus((0.0, top + h * 0.1, 0.0), h * 0.1, 0.01, axis="z")
    return [("frame", union(base, posts, cap, ring, cylinder((0.0, top, 0.0), 0.02, 0.02))), ("glass", glass)]


register(
    Kind(
        name="lantern",
        group="light",
        words=("lantern", "oil lamp", "hurricane lamp", "paper lantern", "storm lantern"),
        parts={"frame": ("iron", "copper", "metal"), "glass": ("lamp",)},
        body=("frame",),
        ranges={"height": (0.25, 0.4), "radius": (0.07, 0.1)},
        build=_lantern,
        ground="on",
        where="any",
        plural_count=3,
        spacing_m=0.1,
    )
)


def _tankard(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["radius"]
    body = subtract(
        cylinder((0.0, (h - 0.005) / 2, 0.0), r, (h + 0.005) / 2), cylinder((0.0, h, 0.0), r - 0.008, 0.025)
    )
    handle = intersect(
        torus((r, h * 0.5, 0.0), h * 0.3, 0.01, axis="z"), box((r + h * 0.2, h * 0.5, 0.0), (h * 0.2, h * 0.4, 0.02))
    )
    parts = [("body", body), ("handle", handle), ("drink", cylinder((0.0, h - 0.02, 0.0), r - 0.007, 0.01))]
    if variant_rng(p).random() < 0.5:  # hoops, as on a wooden tankard
        parts.append(("hoops", union(torus((0.0, h * 0.2, 0.0), r, 0.006), torus((0.0, h * 0.8, 0.0), r, 0.006))))
    return parts


register(
    Kind(
        name="tankard",
        group="vessel",
        words=("tankard", "mug", "cup", "beer mug", "stein", "goblet"),
        parts={
            "body": ("wood", "copper", "porcelain", "metal"),
            "handle": ("iron", "wood"),
            "drink": ("plaster:cream", "wax"),
            "hoops": ("iron", "copper"),
        },
        body=("body",),
        ranges={"height": (0.1, 0.17), "radius": (0.04, 0.058)},
        build=_tankard,
        ground="on",
        where="any",
        plural_count=4,
        spacing_m=0.05,
    )
)


def _bottle(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["radius"]
    nr = r * 0.33
    if variant_rng(p).random() < 0.3:  # a round flask
        glass = union(
            ellipsoid((0.0, r * 1.1, 0.0), (r * 1.3, r * 1.15, r * 1.3)),
            cylinder((0.0, (h + r) / 2, 0.0), nr, (h - r) / 2 - 0.01),
            cylinder((0.0, 0.0, 0.0), r * 0.6, 0.006),
        )
    else:
        shoulder = h * 0.62
        glass = union(
            cylinder((0.0, (shoulder - 0.005) / 2, 0.0), r, (shoulder + 0.005) / 2),
            cone((0.0, shoulder - 0.001, 0.0), r, nr, h * 0.15),
            cylinder((0.0, (shoulder + h) / 2, 0.0), nr, (h - shoulder) / 2 - 0.015),
        )
    return [
        ("glass", glass),
        ("cork", cylinder((0.0, h - 0.02, 0.0), nr * 0.9, 0.02)),
        ("label", cylinder((0.0, h * 0.33, 0.0), r + 0.002, h * 0.1)),
    ]


register(
    Kind(
        name="bottle",
        group="vessel",
        words=("bottle", "wine bottle", "flask", "beer bottle", "potion", "decanter"),
        parts={
            "glass": ("glass:green", "glass:brown", "glass", "glass:olive"),
            "cork": ("wood", "wax"),
            "label": ("cloth:cream", "paint:white"),
        },
        body=("glass",),
        ranges={"height": (0.22, 0.33), "radius": (0.033, 0.045)},
        build=_bottle,
        ground="on",
        where="any",
        plural_count=4,
        spacing_m=0.03,
    )
)


def _basket(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["radius"]
    rng = variant_rng(p)
    weave = union(
        subtract(cone((0.0, -0.01, 0.0), r * 0.82, r, h + 0.01), cylinder((0.0, h, 0.0), r - 0.025, h - 0.03)),
        torus((0.0, h, 0.0), r - 0.005, 0.016),
    )
    parts = []
    if rng.random() < 0.6:  # a handle arching over
        weave = union(
            weave, intersect(torus((0.0, h, 0.0), r * 0.95, 0.016, axis="z"), box((0.0, h + r, 0.0), (r, r, 0.03)))
        )
    fill = int(rng.integers(0, 3))
    if fill == 1:  # apples
        apples = [
            ellipsoid((r * 0.45 * math.cos(a), h - 0.02, r * 0.45 * math.sin(a)), (0.045, 0.042, 0.045))
            for a in (0.3, 2.4, 4.4)
        ]
        parts.append(("contents", union(*apples, ellipsoid((0.0, h + 0.01, 0.0), (0.045, 0.042, 0.045)))))
    elif fill == 2:  # a cloth heaped inside
        parts.append(("contents", ellipsoid((0.0, h - 0.03, 0.0), (r - 0.03, 0.06, r - 0.03))))
    return [("weave", weave)] + parts


register(
    Kind(
        name="basket",
        group="vessel",
        words=("basket", "wicker basket", "laundry basket", "picnic basket", "hamper"),
        parts={"weave": ("wicker", "hay"), "contents": ("paint:red", "cloth:white", "paint:green")},
        body=("weave",),
        ranges={"height": (0.2, 0.38), "radius": (0.17, 0.28)},
        build=_basket,
        ground="floor",
        where="any",
        plural_count=3,
        spacing_m=0.1,
    )
)


def _sack(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, r = p["height"], p["radius"]
    rng = variant_rng(p)
    belly = h * 0.38
    sack = smooth_union(
        0.08,
        ellipsoid((0.0, belly, 0.0), (r, belly + 0.03, r * 0.85)),
        cone((0.0, belly, 0.0), r * 0.7, r * 0.22, h - belly - 0.08),
        ellipsoid((0.0, h - 0.05, 0.0), (r * 0.3, 0.07, r * 0.28)),
    )
    sack = intersect(sack, box((0.0, h / 2, 0.0), (r * 1.5, h / 2 + FLOOR_M, r * 1.5)))  # flat where it sits
    lean = float(rng.uniform(-8.0, 8.0))
    tie = torus((0.0, h - 0.12, 0.0), r * 0.22, 0.018)
    return [("sack", rotate(sack, roll_deg=lean)), ("tie", rotate(tie, roll_deg=lean))]


register(
    Kind(
        name="sack",
        group="storage",
        words=("sack", "grain sack", "flour sack", "bag", "burlap sack", "potato sack"),
        parts={"sack": ("canvas", "cloth:tan", "cloth:beige"), "tie": ("rope",)},
        body=("sack",),
        ranges={"height": (0.6, 0.9), "radius": (0.22, 0.3)},
        build=_sack,
        ground="floor",
        where="any",
        plural_count=4,
        spacing_m=0.05,
        flags={"stackable": 1.0},
    )
)


def _books(p: dict[str, float]) -> list[tuple[str, Node]]:
    rng = variant_rng(p)
    n = int(p["count"])
    covers: list[list[Node]] = [[], []]
    pages = []
    y = -0.005
    for i in range(n):
        w, d, t = rng.uniform(0.14, 0.22), rng.uniform(0.2, 0.28), rng.uniform(0.025, 0.055)
        yaw = float(rng.uniform(-18.0, 18.0))
        c = (0.0, y + t / 2, 0.0)
        # a cover open on three sides round the spine (at -x), the pages set 3 mm into it
        cover = subtract(
            box(c, (w / 2, t / 2, d / 2), round_m=0.002), box((0.012, c[1], 0.0), (w / 2, t / 2 - 0.004, d))
        )
        covers[i % 2].append(rotate(cover, yaw_deg=yaw))
        pages.append(rotate(box((0.0, c[1], 0.0), (w / 2 - 0.003, t / 2 - 0.003, d / 2 - 0.003)), yaw_deg=yaw))
        y += t
    return [("cover", union(*covers[0])), ("cover_2", union(*covers[1])), ("pages", union(*pages))]


register(
    Kind(
        name="books",
        group="books",
        words=("books", "book", "stack of books", "pile of books", "tome", "book stack"),
        parts={
            "cover": ("cloth:red", "cloth:blue", "leather"),
            "cover_2": ("cloth:green", "cloth:maroon", "cloth:navy"),
            "pages": ("plaster:cream",),
        },
        body=("cover",),
        ranges={"count": (3.0, 7.4)},
        integer_params=("count",),
        build=_books,
        ground="on",
        where="indoor",
        plural_count=2,
        spacing_m=0.05,
    )
)
