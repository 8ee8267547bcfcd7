"""Town blocks: apartment building, office tower. Fronts face +Z."""

from __future__ import annotations

from pipelines.models.kinds.base import Kind, register
from pipelines.models.kinds.parts import standing_box, translate_y
from pipelines.models.kinds.town import FOUNDATION_M, grid_windows
from pipelines.models.sdf import (
    Node,
    box,
    cylinder,
    intersect,
    mirror,
    near_surface,
    repeat,
    subtract,
    union,
)


def _apartments(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd = p["width"] / 2, p["depth"] / 2
    floors = int(p["floors"])
    base, fh = 0.3, 3.0
    top = base + fh * floors
    walls_box = box((0.0, (base - 0.05 + top) / 2, 0.0), (hw, (top - base + 0.05) / 2, hd))
    cols = (max(3, int(p["width"] / 3.2)), max(2, int(p["depth"] / 3.4)))
    holes, glass, sills = grid_windows(hw, hd, base + 1.6, fh, floors, cols, (0.6, 0.75))
    door_hole = box((0.0, base + 1.2, hd), (0.9, 1.2, 0.3))
    parts = [
        ("foundation", standing_box(0.0, 0.0, base, hw + 0.1, hd + 0.1, below=FOUNDATION_M)),
        ("walls", subtract(walls_box, near_surface(holes, walls_box, 0.3), door_hole)),
        ("base", subtract(box((0.0, base + 0.5, 0.0), (hw + 0.05, 0.55, hd + 0.05)), door_hole)),
        ("windows", near_surface(glass, walls_box, 0.3)),
        ("trim", near_surface(sills, walls_box, 0.3)),
        ("door", box((0.0, base + 1.2, hd - 0.15), (0.9, 1.2, 0.05))),
        (
            "roof",
            union(
                subtract(
                    box((0.0, top + 0.45, 0.0), (hw + 0.05, 0.5, hd + 0.05)),
                    box((0.0, top + 0.9, 0.0), (hw - 0.25, 0.5, hd - 0.25)),
                ),
                box((hw * 0.3, top + 1.3, -hd * 0.2), (1.6, 1.3, 1.6)),
                box((0.0, base + 2.7, hd + 0.6), (1.4, 0.08, 0.7)),
            ),
        ),
    ]
    if p["balconies"] > 0.5 and floors > 1:
        nx = cols[0]
        slab = box((0.0, 0.0, hd + 0.6), (0.9, 0.08, 0.6))
        rail = subtract(box((0.0, 0.5, hd + 0.6), (0.9, 0.5, 0.6)), box((0.0, 0.6, hd + 0.55), (0.85, 0.6, 0.6)))
        one = union(slab, rail)
        row = repeat(one, "x", 2 * hw / nx, nx)
        y_first = base + fh + 0.1
        stack = repeat(row, "y", fh, floors - 1)
        parts.append(("balconies", translate_y(stack, y_first + (floors - 2) / 2 * fh)))
    return parts


register(
    Kind(
        name="apartment building",
        group="building",
        words=(
            "apartment building",
            "apartment block",
            "apartments",
            "tenement",
            "flats",
            "block of flats",
            "apartment house",
            "condominium",
            "residential block",
        ),
        parts={
            "foundation": ("concrete",),
            "walls": ("brick", "plaster:cream", "plaster:white", "concrete", "plaster:ochre"),
            "base": ("stone", "concrete", "brick"),
            "windows": ("glass",),
            "trim": ("paint:white", "stone"),
            "door": ("dark_wood", "glass"),
            "roof": ("concrete",),
            "balconies": ("concrete", "metal", "paint:white"),
        },
        body=("walls",),
        ranges={"width": (13.0, 21.0), "depth": (10.0, 13.0), "floors": (4.0, 7.4), "balconies": (0.0, 1.0)},
        integer_params=("floors", "balconies"),
        build=_apartments,
        plural_count=2,
        spacing_m=3.0,
    )
)


def _office(p: dict[str, float]) -> list[tuple[str, Node]]:
    hw, hd, h = p["width"] / 2, p["depth"] / 2, p["height"]
    fh = 3.8
    floors = int(h / fh)
    h = floors * fh
    setback = p["setback"] > 0.5
    body_h = h * 0.78 if setback else h
    core = standing_box(0.0, 0.0, body_h, hw - 0.3, hd - 0.3, below=FOUNDATION_M)
    bands = repeat(box((0.0, fh, 0.0), (hw, 0.3, hd)), "y", fh, floors - 1) if floors > 1 else core
    bands = translate_y(bands, (floors - 2) / 2 * fh) if floors > 1 else core
    nx, nz = max(4, int(p["width"] / 3.0)), max(4, int(p["depth"] / 3.0))
    fins = union(
        mirror(repeat(box((0.0, body_h / 2, hd - 0.15), (0.22, body_h / 2, 0.2)), "x", 2 * hw / nx, nx + 1), "z"),
        mirror(repeat(box((hw - 0.15, body_h / 2, 0.0), (0.2, body_h / 2, 0.22)), "z", 2 * hd / nz, nz + 1), "x"),
    )
    frame = union(intersect(bands, box((0.0, body_h / 2, 0.0), (hw, body_h / 2, hd))), fins)
    parts = [
        ("windows", core),
        ("frame", frame),
        ("lobby", box((0.0, 4.2, hd + 1.2), (hw * 0.5, 0.15, 1.5))),
    ]
    crown_top = body_h
    if setback:
        tw, td = hw * 0.7, hd * 0.7
        parts.append(
            (
                "crown",
                union(
                    box((0.0, (body_h + h) / 2, 0.0), (tw - 0.3, (h - body_h) / 2, td - 0.3)),
                    repeat(box((0.0, body_h + 1.9, 0.0), (tw, 0.3, td)), "y", fh, max(1, int((h - body_h) / fh))),
                ),
            )
        )
        crown_top = h
        tw_roof, td_roof = tw, td
    else:
        tw_roof, td_roof = hw, hd
    parts.append(
        (
            "roof",
            union(
                box((0.0, crown_top + 0.4, 0.0), (tw_roof, 0.4, td_roof)),
                box((tw_roof * 0.3, crown_top + 2.0, 0.0), (tw_roof * 0.35, 1.4, td_roof * 0.4)),
            ),
        )
    )
    if p["antenna"] > 0.5:
        parts.append(
            ("antenna", cylinder((0.0, crown_top + 3.0 + p["height"] * 0.06, 0.0), 0.25, 2.6 + p["height"] * 0.06))
        )
    return parts


register(
    Kind(
        name="office tower",
        group="building",
        words=(
            "office tower",
            "skyscraper",
            "high rise",
            "highrise",
            "office building",
            "tower block",
            "office block",
            "high rise building",
        ),
        parts={
            "windows": ("glass", "glass:blue", "glass:teal"),
            "frame": ("concrete", "metal", "paint:white", "stone", "paint:black"),
            "lobby": ("metal", "concrete"),
            "crown": ("glass", "glass:blue"),
            "roof": ("concrete", "metal"),
            "antenna": ("metal",),
        },
        body=("frame",),
        ranges={
            "width": (18.0, 26.0),
            "depth": (16.0, 24.0),
            "height": (36.0, 70.0),
            "setback": (0.0, 1.0),
            "antenna": (0.0, 1.0),
        },
        integer_params=("setback", "antenna"),
        build=_office,
        plural_count=2,
        spacing_m=4.0,
    )
)
