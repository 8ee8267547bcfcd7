"""Placement: where each object stands, facing which way, at what height.

Every object has a footprint, the oriented rectangle of its bounds on the
ground (local x/z extents rotated by its yaw). Layout places objects one by
one by their rule (ring, line along the road, next to, on a hill, scatter,
...), rejecting candidates whose footprint, grown by the kinds' spacing,
meets one already placed, leaves the scene, stands in water or on a slope too
steep to build on. Heights come last: built objects get a flat pad at the
mean ground height under them; plants and rocks take the lowest ground under
their footprint and reach below it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from pipelines.models.kinds.base import Kind, Shape
from pipelines.models.terrain import PAD_FALLOFF_M, PAD_MARGIN_M, Heightmap, Line, Pad, river_line, road_line

EDGE_MARGIN_M = 1.0
MAX_TRIES = 160
UNDER_CROWN = 0.12  # what stays below this part of a tree's height passes under its crown
LOW_M = 0.5  # ... if it is this low (a pond, a flower bed), and the tree rings something
TOP_STEP_M = 0.01  # how finely a parent's top is found under what stands on it
SHARED_PAD = ("near", "ring", "both_sides", "line", "against", "direction")
PAD_GAP_M = PAD_FALLOFF_M + 2 * PAD_MARGIN_M + 0.2  # pads never blend into each other's core


@dataclass
class Item:
    """One instance to place, and where it ended up."""

    kind: Kind
    shape: Shape
    scale: float
    placement: str = "scatter"
    group: int = 0  # index of the mention (or default) it came from
    anchor: int | None = None  # group placed relative to
    feature: str | None = None
    x: float = 0.0
    z: float = 0.0
    y: float = 0.0
    yaw_deg: float = 0.0
    parent: int | None = None  # item it stands on
    placed: bool = False
    base_y: float = 0.0  # height of its base above the ground or floor (on a table, on another barrel)
    optional: bool = False  # one of many (a forest's trees): left out, not forced, when it does not fit
    dressing: bool = False  # a setting's trees, rocks, reeds (not the prompt's): placed after the prompt's own objects
    stack: int = 0  # its place in a stack (0 stands on the ground)
    params: dict[str, float] = field(default_factory=dict)  # its shape parameters ("round" tables seat around)
    near: int | None = None  # the item it was placed relative to (its table, the house it stands behind)
    below: int | None = None  # in a stack: the item it stands on
    afloat: bool = False  # it floats on the water (set by ``settle``)
    hang: float = 0.0  # a picture's height on the wall it hangs on (0: it stands)
    clearance: float = 0.0  # kept free around it for what is placed at it (the chairs around a table)
    ring_room: float = 0.0  # dry ground kept round it for the ring placed about it (tents round a fire)
    direction: str | None = None  # for placement "direction": north, behind, ...
    words: str = ""
    attributes: tuple[str, ...] = ()
    materials: dict = field(default_factory=dict)  # part -> MaterialSpec

    @property
    def center_local(self) -> tuple[float, float]:
        lo, hi = self.shape.lo, self.shape.hi
        return (lo[0] + hi[0]) / 2 * self.scale, (lo[2] + hi[2]) / 2 * self.scale

    @property
    def half(self) -> tuple[float, float]:
        lo, hi = self.shape.lo, self.shape.hi
        return (hi[0] - lo[0]) / 2 * self.scale, (hi[2] - lo[2]) / 2 * self.scale

    @property
    def radius(self) -> float:
        return math.hypot(*self.half)

    @property
    def height(self) -> float:
        return self.shape.hi[1] * self.scale

    def overlaps(self, other: Item, box: OBB, gap: float) -> bool:
        """True when this item, at footprint ``box``, meets ``other``: footprints (grown by gap) and heights."""
        if self.base_y >= other.base_y + other.height - 1e-6 or other.base_y >= self.base_y + self.height - 1e-6:
            return False  # one stands wholly above the other (a candle over a chair's seat)
        theirs = other.obb()
        if (
            self.placement == "ring"
            and self.kind.flags.get("base")
            and other.height < LOW_M
            and other.base_y + other.height < self.base_y + UNDER_CROWN * self.height
        ):
            box = self.base_box_at(box)  # palms ringing a pond: crowns reach over it, only the trunks must clear
        elif (
            other.placement == "ring"
            and other.kind.flags.get("base")
            and self.height < LOW_M
            and self.base_y + self.height < other.base_y + UNDER_CROWN * other.height
        ):
            theirs = other.base_box()
        return overlap(box, theirs, gap)

    def base_box_at(self, box: OBB) -> OBB:
        """Return ``base_box`` for the footprint ``box`` (this item moved there)."""
        k = self.kind.flags.get("base", 1.0)
        cx, cz = self.center_local
        c, s = math.cos(math.radians(box.yaw_deg)), math.sin(math.radians(box.yaw_deg))
        return OBB(box.x - (c * cx + s * cz), box.z - (-s * cx + c * cz), box.hx * k, box.hz * k, box.yaw_deg)

    @property
    def pad(self) -> bool:
        return self.kind.ground == "pad"

    def base_box(self) -> OBB:
        """Return the part of the footprint that touches the ground (a trunk, not the whole canopy)."""
        box = self.obb()
        k = self.kind.flags.get("base", 1.0)
        return OBB(self.x, self.z, box.hx * k, box.hz * k, box.yaw_deg) if k != 1.0 else box  # about the pivot

    def obb(self, x: float | None = None, z: float | None = None, yaw: float | None = None) -> OBB:
        x = self.x if x is None else x
        z = self.z if z is None else z
        yaw = self.yaw_deg if yaw is None else yaw
        cx, cz = self.center_local
        c, s = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))
        return OBB(x + c * cx + s * cz, z - s * cx + c * cz, self.half[0], self.half[1], yaw)


@dataclass(frozen=True)
class OBB:
    """A footprint: centre (x, z), half extents along the object's local x and z, yaw."""

    x: float
    z: float
    hx: float
    hz: float
    yaw_deg: float

    def axes(self) -> tuple[tuple[float, float], tuple[float, float]]:
        c, s = math.cos(math.radians(self.yaw_deg)), math.sin(math.radians(self.yaw_deg))
        return (c, -s), (s, c)  # world directions of local +x and +z

    def corners(self) -> list[tuple[float, float]]:
        (ax, az), (bx, bz) = self.axes()
        return [
            (self.x + sx * self.hx * ax + sz * self.hz * bx, self.z + sx * self.hx * az + sz * self.hz * bz)
            for sx in (-1, 1)
            for sz in (-1, 1)
        ]

    def samples(self, n: int = 3) -> np.ndarray:
        """Return n x n points spread over the footprint, [n*n, 2]."""
        (ax, az), (bx, bz) = self.axes()
        u = np.linspace(-1.0, 1.0, n)
        su, sv = np.meshgrid(u, u, indexing="ij")
        x = self.x + su * self.hx * ax + sv * self.hz * bx
        z = self.z + su * self.hx * az + sv * self.hz * bz
        return np.stack([x.ravel(), z.ravel()], axis=1)


def overlap(a: OBB, b: OBB, gap: float = 0.0) -> bool:
    """True when the rectangles, each grown by gap / 2, intersect (separating-axis test)."""
    g = gap / 2
    dx, dz = b.x - a.x, b.z - a.z
    if math.hypot(dx, dz) > math.hypot(a.hx, a.hz) + math.hypot(b.hx, b.hz) + gap:
        return False
    for axis in (*a.axes(), *b.axes()):
        ra = sum((h + g) * abs(axis[0] * u[0] + axis[1] * u[1]) for h, u in zip((a.hx, a.hz), a.axes()))
        rb = sum((h + g) * abs(axis[0] * u[0] + axis[1] * u[1]) for h, u in zip((b.hx, b.hz), b.axes()))
        if abs(dx * axis[0] + dz * axis[1]) > ra + rb:
            return False
    return True


def facing(x: float, z: float, tx: float, tz: float) -> float:
    """Return the yaw that turns an object's front (+z) from (x, z) towards (tx, tz)."""
    return math.degrees(math.atan2(tx - x, tz - z))


@dataclass
class Site:
    """What layout knows of the scene: extent, ground, water, features."""

    size: tuple[float, float]
    ground: Heightmap | None  # None indoors (flat floor at y = 0)
    params: dict[str, float] = field(default_factory=dict)
    water_level: float | None = None
    interior: bool = False

    def inside(self, box: OBB, margin: float = EDGE_MARGIN_M) -> bool:
        hx, hz = self.size[0] / 2 - margin, self.size[1] / 2 - margin
        return all(abs(x) <= hx and abs(z) <= hz for x, z in box.corners())

    def ground_under(self, box: OBB) -> np.ndarray:
        if self.ground is None:
            return np.zeros(9)
        s = box.samples(3)
        return self.ground.height_at(s[:, 0], s[:, 1], which="ground")

    def wet(self, box: OBB) -> float:
        """Return how deep the deepest point under ``box`` lies below the water (<= 0 when dry)."""
        if self.water_level is None or self.ground is None:
            return -1.0
        return float(self.water_level - self.ground_under(box).min())

    def slope(self, box: OBB) -> float:
        h = self.ground_under(box)
        span = 2 * max(box.hx, box.hz, 0.5)
        return float((h.max() - h.min()) / span)

    def on_road(self, box: OBB) -> bool:
        line = road_line(self.params)
        return line is not None and _near_line(line, box, line.width / 2 + 0.3)

    def in_pass(self, box: OBB) -> bool:
        """True when ``box`` reaches into the clear way along a mountain pass's valley floor."""
        w = self.params.get("valley_w", 0.0) if self.params.get("valley_depth", 0.0) > 0 else 0.0
        return w > 0 and _near_line(Line(True, 0.0, width=w), box, w / 2)

    def in_river(self, box: OBB) -> bool:
        line = river_line(self.params)
        return line is not None and _near_line(line, box, line.width / 2 + 1.0)


def _near_line(line, box: OBB, reach: float) -> bool:  # noqa: ANN001 - a terrain.Line
    """True when any of the footprint's corners, edge midpoints or centre lies within ``reach`` of the line."""
    pts = box.samples(3)
    return bool((line.distance(pts[:, 0], pts[:, 1]) < reach).any())


def pad_heights(items: list[Item], base: Heightmap) -> list[Pad]:
    """Set the height of every built object to the mean ground under it; return their pads."""
    built = [it for it in items if it.pad and it.parent is None and it.placement != "across"]

    # what was placed by another built thing (a silo by its barn) stands at that one's height, so the two pads,
    # closer than a pad's falloff, blend into one flat ground
    def shares(it: Item) -> bool:
        other = items[it.near] if it.near is not None else None
        return (
            other is not None
            and other.pad
            and other.parent is None
            and it.placement in SHARED_PAD
            and overlap(it.obb(), other.obb(), PAD_GAP_M)
        )

    shared = [it for it in built if shares(it)]
    for it in built:
        if not any(it is s for s in shared):
            samples = it.obb().samples(5)
            it.y = round(float(base.height_at(samples[:, 0], samples[:, 1], which="ground").mean()), 4)
    for _ in range(len(shared)):  # in chains: a bench by a silo by a barn
        for it in shared:
            it.y = items[it.near].y
    return [pad_of(it) for it in built]


def pad_of(it: Item) -> Pad:
    box = it.obb()
    return Pad(box.x, box.z, box.hx, box.hz, box.yaw_deg, it.y)


def settle(items: list[Item], ground: Heightmap | None, water_level: float | None) -> None:
    """Set the height of every object that has no pad: on the water, on the ground, on its parent."""
    for it in items:
        if it.parent is not None or (it.pad and it.placement != "across"):
            continue
        if ground is None:
            it.y = it.hang
            continue
        box = it.obb()
        if it.placement == "across":
            (ax, az), _ = box.axes()
            ends = [(box.x + sgn * ax * box.hx * 0.8, box.z + sgn * az * box.hx * 0.8) for sgn in (-1, 1)]
            it.y = float(np.mean([ground.height_at(x, z, which="ground") for x, z in ends]))
        elif (
            it.kind.ground == "water"
            and water_level is not None
            and (water_level - float(ground.height_at(box.x, box.z, which="ground")) > 0.2)
        ):
            it.y = float(water_level)
            it.afloat = it.kind.group == "boat" or not it.kind.flags.get("shore")
        else:
            s = it.base_box().samples(3)
            it.y = float(ground.height_at(s[:, 0], s[:, 1]).min())
        it.y = round(it.y, 4)
    for it in items:  # parents first: a stack settles from the bottom up
        if it.parent is not None:
            parent = items[it.parent]
            it.y = round(parent.y + top_under(parent, it.base_box().samples(3)), 4)


def top_under(parent: Item, points: np.ndarray) -> float:
    """Return the height above ``parent``'s pivot of its highest surface under world (x, z) ``points``.

    Read from the parent's shape, so a candle stands on the table top and a jar on a shelf's board, not on
    the top of the shelf's box; where nothing of the parent lies under the points, the top of its box.
    """
    tops = tops_under(parent, points)
    found = tops[np.isfinite(tops)]
    return float(found.max()) if len(found) else float(parent.shape.hi[1] * parent.scale)


def tops_under(parent: Item, points: np.ndarray) -> np.ndarray:
    """Return, per world (x, z) point, the height above ``parent``'s pivot of its highest surface there (NaN where
    nothing of the parent lies under the point)."""
    c, s = math.cos(math.radians(parent.yaw_deg)), math.sin(math.radians(parent.yaw_deg))
    dx, dz = points[:, 0] - parent.x, points[:, 1] - parent.z
    lx, lz = (c * dx - s * dz) / parent.scale, (s * dx + c * dz) / parent.scale  # world -> local (inverse yaw)
    lo, hi = parent.shape.lo[1], parent.shape.hi[1]
    ys = np.arange(hi, lo, -TOP_STEP_M)
    grid = np.stack(np.broadcast_arrays(lx[:, None], ys[None, :], lz[:, None]), axis=-1).reshape(-1, 3)
    with torch.no_grad():
        d = parent.shape.sdf(torch.from_numpy(grid).float()).numpy().reshape(len(lx), len(ys))
    inside = d <= TOP_STEP_M / 2
    tops = np.where(inside.any(axis=1), ys[np.argmax(inside, axis=1)], np.nan)
    return tops * parent.scale
