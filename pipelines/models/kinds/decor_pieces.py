"""Room pieces: grandfather clock, piano, television, painting."""

from __future__ import annotations

import math

from pipelines.models.kinds.base import FLOOR_M, Kind, register, variant_rng
from pipelines.models.kinds.parts import post, standing_box
from pipelines.models.sdf import (
    Node,
    box,
    capsule,
    cylinder,
    ellipsoid,
    gable,
    intersect,
    mirror,
    repeat,
    rotate,
    subtract,
    torus,
    union,
)


def _clock(p: dict[str, float]) -> list[tuple[str, Node]]:
    h, hw, hd = p["height"], p["width"] / 2, p["depth"] / 2
    hood = 0.5  # the head that holds the dial
    trunk_w = hw * 0.78
    case = union(
        standing_box(0.0, 0.0, 0.32, hw, hd, round_m=0.01),
        box((0.0, (0.3 + h - hood) / 2, -0.02), (trunk_w, (h - hood - 0.3) / 2, hd - 0.03)),
        box((0.0, h - hood / 2 - 0.04, 0.0), (hw, hood / 2 - 0.04, hd), round_m=0.01),
        box((0.0, h - 0.06, 0.0), (hw + 0.02, 0.02, hd + 0.02)),
    )
    crest = gable((0.0, h - 0.04, 0.0), hw, hd, 0.1 + 0.08 * variant_rng(p).random(), ridge="z")
    win_y = 0.3 + (h - hood - 0.3) * 0.55
    window = box((0.0, win_y, hd - 0.03), (trunk_w * 0.55, (h - hood - 0.3) * 0.3, 0.02))
    case = subtract(union(case, crest), window)
    dial_y = h - hood / 2 - 0.04
    dial = cylinder((0.0, dial_y, hd + 0.005), hw * 0.72, 0.01, axis="z")
    brass = union(
        torus((0.0, dial_y, hd + 0.015), hw * 0.72, 0.012, axis="z"),
        cylinder((0.0, win_y - (h - hood - 0.3) * 0.15, hd - 0.035), trunk_w * 0.35, 0.01, axis="z"),
        box((0.0, win_y + 0.05, hd - 0.035), (0.008, (h - hood - 0.3) * 0.2, 0.008)),
        box((0.0, dial_y + hw * 0.22, hd + 0.02), (0.008, hw * 0.25, 0.006)),
        box((hw * 0.17, dial_y, hd + 0.02), (hw * 0.2, 0.008, 0.006)),
    )
    return [("case", case), ("dial", dial), ("brass", brass)]


register(
    Kind(
        name="grandfather clock",
        group="clock",
        words=("grandfather clock", "clock", "longcase clock", "tall clock", "grandmother clock"),
        parts={
            "case": ("dark_wood", "wood", "lacquer"),
            "dial": ("porcelain", "plaster:cream"),
            "brass": ("gold", "copper"),
        },
        body=("case",),
        ranges={"height": (1.9, 2.2), "width": (0.45, 0.56), "depth": (0.26, 0.32)},
        build=_clock,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.3,
        flags={"against_wall": 1.0},
    )
)


def _keys(w: float, y: float, z: float, depth: float) -> tuple[Node, Node]:
    """Return (the white keys' strip, the black keys) of a keyboard ``w`` wide, front edge at ``z``."""
    white = box((0.0, y, z - depth / 2), (w / 2, 0.012, depth / 2))
    octave = w / 7.3
    k = octave / 7
    group = union(
        *[
            box((x * k - octave / 2 + k, y + 0.02, z - depth * 0.68), (k * 0.3, 0.012, depth * 0.32))
            for x in (0.0, 1.0, 3.0, 4.0, 5.0)
        ]
    )
    return white, repeat(group, "x", octave, 7)


def _piano(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw = p["width"] / 2
    rng = variant_rng(p)
    ky = 0.72  # the keys' height
    if p["grand"] > 0.5:  # a grand: a long curved case on three legs, its lid propped open
        length, top, bottom = p["length"], 1.0, 0.68
        zf = (0.45 * length + min(1.25 * hw, 0.6 * length) - 0.14) / 2  # centres the footprint on the pivot
        mid = zf - length * 0.45

        def outline(y0: float, y1: float) -> Node:
            # straight on the left (bass) side, curving in on the right towards the tail
            yc, yh = (y0 + y1) / 2, (y1 - y0) / 2
            return union(
                box((0.0, yc, (zf + mid) / 2), (hw, yh, (zf - mid) / 2)),
                intersect(
                    cylinder((-hw * 0.25, yc, mid), hw * 1.25, yh),
                    box((0.0, yc, mid - length * 0.3), (hw, yh, length * 0.3)),
                ),
            )

        body = outline(bottom, top)
        angle = 25.0 + 10.0 * rng.random()
        lid = rotate(
            intersect(outline(top, top + 0.04), box((0.0, top, zf - 0.25 - length), (hw, 0.1, length))),
            roll_deg=angle,
            pivot=(-hw, top, 0.0),
        )
        legs = union(
            mirror(post(hw - 0.08, zf - 0.12, bottom, 0.045, turned=True), "x"),
            post(-hw * 0.2, zf - length * 0.85, bottom, 0.045, turned=True),
        )
        rise = (2 * hw - 0.1) * math.sin(math.radians(angle))
        prop = capsule((hw - 0.1, top, mid), (hw - 0.1 - rise * 0.2, top + rise, mid), 0.012)
        white, black = _keys(hw * 1.7, ky + 0.1, zf + 0.12, 0.15)
        shelf = box((0.0, ky + 0.06, zf + 0.04), (hw, 0.03, 0.1))
        return [("body", union(body, lid, shelf, prop)), ("legs", legs), ("keys", white), ("sharps", black)]
    d, h = p["depth"], p["height"]  # an upright against the wall
    back = -d / 2
    case = union(
        standing_box(0.0, back + 0.15, h, hw, 0.15, round_m=0.01),
        mirror(box((hw - 0.03, (ky + 0.05) / 2, 0.0), (0.03, (ky + 0.05 + FLOOR_M) / 2, d / 2)), "x"),
        box((0.0, ky - 0.03, back + 0.4), (hw, 0.04, 0.12)),
        box((0.0, h - 0.03, back + 0.17), (hw + 0.02, 0.03, 0.17)),
    )
    case = union(case, box((0.0, ky + 0.2, back + 0.32), (hw - 0.06, 0.16, 0.02)))  # the music desk
    white, black = _keys(hw * 1.7, ky + 0.02, back + 0.52, 0.15)
    legs = mirror(post(hw - 0.1, d / 2 - 0.05, ky - 0.07, 0.03, turned=True), "x")
    return [("body", case), ("legs", legs), ("keys", white), ("sharps", black)]


register(
    Kind(
        name="piano",
        group="piano",
        words=("piano", "grand piano", "upright piano", "pianoforte", "baby grand"),
        parts={
            "body": ("lacquer", "dark_wood", "paint:white"),
            "legs": ("lacquer", "dark_wood"),
            "keys": ("porcelain", "bone"),
            "sharps": ("lacquer",),
        },
        body=("body", "legs"),
        ranges={
            "width": (1.45, 1.55),
            "depth": (0.58, 0.66),
            "height": (1.1, 1.3),
            "length": (1.5, 2.1),
            "grand": (0.0, 1.0),
        },
        integer_params=("grand",),
        build=_piano,
        ground="floor",
        where="indoor",
        plural_count=1,
        spacing_m=0.6,
        attributes={"grand": {"params": {"grand": 1.0}}, "upright": {"params": {"grand": 0.0}}},
    )
)


def _television(p: dict[str, float]) -> list[tuple[str, Node]]:
    w = p["width"]
    if variant_rng(p).random() < 0.25:  # an old tube set: a deep box with a curved glass front
        hw, h, d = w * 0.3, w * 0.48, w * 0.5
        zf = d / 2 - 0.05  # the case's front; the glass bulges 5 cm beyond it
        case = box((0.0, h / 2 + 0.01, -0.05), (hw, h / 2 + 0.01, d / 2), round_m=0.03)
        case = union(case, mirror(box((hw * 0.6, 0.0, -0.05), (0.03, 0.02, d * 0.4)), "x"))
        screen = intersect(
            ellipsoid((-hw * 0.12, h * 0.55, zf - 0.05), (hw * 0.75, h * 0.4, 0.1)),
            box((-hw * 0.12, h * 0.55, zf + 0.05), (hw * 0.7, h * 0.36, 0.1)),
        )
        knobs = repeat(cylinder((hw * 0.78, h * 0.45, zf + 0.01), 0.022, 0.015, axis="z"), "y", 0.08, 2)
        return [("case", union(case, knobs)), ("screen", screen)]
    sh = w * 9 / 16  # a flat panel on a foot
    y0 = 0.09
    case = union(
        box((0.0, y0 + sh / 2 + 0.02, 0.0), (w / 2 + 0.02, sh / 2 + 0.02, 0.03), round_m=0.008),
        box((0.0, y0 / 2, -0.01), (0.035, y0 / 2, 0.02)),
        box((0.0, 0.005, -0.01), (w * 0.18, 0.016, 0.1), round_m=0.008),
    )
    screen = box((0.0, y0 + sh / 2 + 0.02, 0.028), (w / 2 - 0.005, sh / 2 - 0.005, 0.006))
    return [("case", case), ("screen", screen)]


register(
    Kind(
        name="television",
        group="screen",
        words=("television", "tv", "tv set", "flat screen", "television set", "telly"),
        parts={"case": ("lacquer", "plastic:gray", "plastic:black"), "screen": ("glass:black", "glass:navy")},
        body=("case",),
        ranges={"width": (0.8, 1.4)},
        build=_television,
        ground="on",
        where="indoor",
        plural_count=1,
        spacing_m=0.2,
    )
)


def _painting(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, h, fw = p["width"] / 2, p["height"], p["frame"]
    rng = variant_rng(p)
    cy = h / 2 - 0.01  # the frame's bottom edge is the pivot, 1 cm below it so it reaches y = 0
    outer = box((0.0, cy, 0.0), (hw, h / 2, 0.025), round_m=0.005)
    frame = subtract(outer, box((0.0, cy, 0.02), (hw - fw, h / 2 - fw, 0.03)))
    canvas = box((0.0, cy, -0.01), (hw - fw + 0.005, h / 2 - fw + 0.005, 0.012))
    inner = box((0.0, cy, 0.006), (hw - fw, h / 2 - fw, 0.006))  # motifs are clipped to the canvas
    motif = int(rng.integers(0, 3))
    iw, ih = hw - fw, h / 2 - fw

    def blob(x: float, y: float, rx: float, ry: float) -> Node:
        # deep along z, then clipped to the thin relief: a flat shape with an elliptic outline
        return ellipsoid((x, cy + y, 0.006), (rx, ry, max(rx, ry)))

    if motif == 0:  # a landscape: two hills and a sun
        shapes = union(
            blob(-iw * 0.4, -ih, iw * 0.9, ih * 0.9),
            blob(iw * 0.6, -ih, iw * 0.8, ih * 0.6),
            cylinder((iw * 0.45, cy + ih * 0.5, 0.006), min(iw, ih) * 0.18, 0.006, axis="z"),
        )
    elif motif == 1:  # a portrait: head and shoulders
        shapes = union(blob(0.0, ih * 0.2, iw * 0.28, ih * 0.32), blob(0.0, -ih, iw * 0.75, ih * 0.6))
    else:  # a still life: a vase and fruit on a table
        shapes = union(
            box((0.0, cy - ih * 0.6, 0.006), (iw, ih * 0.4, 0.006)),
            blob(-iw * 0.2, -ih * 0.05, iw * 0.22, ih * 0.32),
            repeat(
                cylinder((iw * 0.35, cy - ih * 0.12, 0.006), min(iw, ih) * 0.1, 0.006, axis="z"),
                "x",
                min(iw, ih) * 0.22,
                2,
            ),
        )
    return [("frame", frame), ("canvas", canvas), ("motif", intersect(shapes, inner))]


register(
    Kind(
        name="painting",
        group="wall art",
        words=("painting", "picture", "portrait", "framed picture", "artwork", "oil painting", "landscape painting"),
        parts={
            "frame": ("gold", "dark_wood", "wood"),
            "canvas": ("paint:cream", "paint:blue", "paint:teal", "paint:beige"),
            "motif": ("paint:green", "paint:ochre", "paint:maroon", "paint:navy"),
        },
        body=("frame",),
        ranges={"width": (0.4, 1.2), "height": (0.35, 1.0), "frame": (0.05, 0.09)},
        build=_painting,
        ground="wall",
        where="indoor",
        plural_count=2,
        spacing_m=0.3,
        flags={"against_wall": 1.0},
    )
)
