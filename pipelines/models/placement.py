"""The placement rules: each turns an item into candidate (x, z, yaw) positions, best first.

``place_all`` places every item in dependency order (anchors before what is
placed around them) and reports whether any had to be forced; the caller then
retries in a larger scene.
"""

from __future__ import annotations

import math

import numpy as np

from pipelines.models.layout import MAX_TRIES, PAD_GAP_M, Item, OBB, Site, facing, overlap
from pipelines.models.terrain import river_center_x

PRIORITY = {"center": 0, "hill": 1, "across": 2, "wall": 3, "line": 4, "both_sides": 4, "row": 5, "shore": 6,
            "water": 6, "edge": 7, "ring": 8, "near": 8, "cluster": 9, "scatter": 10, "on": 12}
Candidate = tuple[float, float, float]


def box_pivot(item: Item, box: OBB) -> tuple[float, float, float]:
    """Return the pivot (x, z, yaw) whose footprint is ``box``."""
    cx, cz = item.center_local
    c, s = math.cos(math.radians(box.yaw_deg)), math.sin(math.radians(box.yaw_deg))
    return box.x - (c * cx + s * cz), box.z - (-s * cx + c * cz), box.yaw_deg


class Placer:
    def __init__(self, items: list[Item], site: Site, rng: np.random.Generator) -> None:
        self.items = items
        self.site = site
        self.rng = rng
        self.done: list[int] = []
        self.forced = 0
        self._shore: np.ndarray | None = None

    # ------------------------------------------------------------ checks

    def fits(self, k: int, box: OBB) -> bool:
        item, site = self.items[k], self.site
        margin = 0.3 if site.interior else 1.0
        if item.placement == "wall":
            margin = 0.0
        if not site.inside(box, margin):
            return False
        if not site.interior:
            wet = site.wet(box)
            if item.kind.ground == "water" and site.water_level is not None:
                pass  # boats and piers: their rules (water, shore) choose wet ground
            elif item.placement == "across":
                pass
            elif wet > -0.15:
                return False
            if item.pad and item.placement != "across" and site.slope(box) > 0.3:
                return False
            if not item.pad and item.kind.ground != "water" and item.parent is None:
                item.x, item.z, item.yaw_deg = box_pivot(item, box)
                h = site.ground_under(item.base_box())
                if h.max() - h.min() > item.kind.flags.get("uneven", 0.5):
                    return False  # it would sink into the slope on one side
            if item.placement != "across" and (site.on_road(box) or site.in_river(box)):
                return False
        for j in self.done:
            other = self.items[j]
            if (item.parent is not None or other.parent is not None) and item.parent != other.parent:
                continue  # a candle on a table meets only the other things on that table
            gap = max(item.kind.spacing_m, other.kind.spacing_m)
            if site.interior:
                gap = min(gap, 0.6)
            if item.anchor == other.group and item.kind.group == "seat":
                gap = 0.05  # a chair pulled up to its table
            if item.pad and other.pad and not site.interior:
                gap = max(gap, PAD_GAP_M)
            if overlap(box, other.obb(), gap):
                return False
        return True

    def try_place(self, k: int, candidates) -> bool:  # noqa: ANN001 - an iterator of Candidate
        item = self.items[k]
        last = None
        for n, (x, z, yaw) in enumerate(candidates):
            if n >= MAX_TRIES:
                break
            last = (x, z, yaw)
            if self.fits(k, item.obb(x, z, yaw)):
                item.x, item.z, item.yaw_deg, item.placed = x, z, yaw % 360.0, True
                self.done.append(k)
                return True
        if last is None:
            last = next(iter(self.scatter(k)))
        item.x, item.z, item.yaw_deg, item.placed = last[0], last[1], last[2] % 360.0, True
        self.done.append(k)
        self.forced += 1
        return False

    # ------------------------------------------------------------ rules

    def default_yaw(self, item: Item, x: float, z: float) -> float:
        if item.kind.group in ("tree", "rock", "shrub", "crystal", "cliff"):
            return float(self.rng.uniform(0, 360))
        if item.kind.flags.get("linear"):
            return float(self.rng.choice([0.0, 90.0]) + self.rng.uniform(-8, 8))
        return facing(x, z, 0.0, 0.0) + float(self.rng.uniform(-25, 25))

    def scatter(self, k: int):  # noqa: ANN201 - generator of Candidate
        item = self.items[k]
        hx, hz = self.site.size[0] / 2 - 1.0, self.site.size[1] / 2 - 1.0
        while True:
            x, z = float(self.rng.uniform(-hx, hx)), float(self.rng.uniform(-hz, hz))
            yield x, z, self.default_yaw(item, x, z)

    def around_point(self, k: int, cx: float, cz: float, r0: float, face: bool = True):  # noqa: ANN201
        item = self.items[k]
        for t in range(MAX_TRIES):
            r = r0 + 0.6 * (t // 6) + float(self.rng.uniform(0, 0.5))
            a = float(self.rng.uniform(0, 2 * math.pi))
            x, z = cx + r * math.sin(a), cz + r * math.cos(a)
            yield x, z, facing(x, z, cx, cz) if face else self.default_yaw(item, x, z)

    def spiral(self, k: int, cx: float, cz: float):  # noqa: ANN201
        item = self.items[k]
        yield cx, cz, self.default_yaw(item, cx, cz) if item.kind.group in ("tree", "rock") else 0.0
        yield from self.around_point(k, cx, cz, 1.0, face=False)

    def ring(self, k: int, members: list[int], center: tuple[float, float], r_anchor: float):  # noqa: ANN201
        """Evenly around ``center``, facing it, far enough out that neighbours' inner corners clear."""
        item = self.items[k]
        n = len(members)
        idx = members.index(k)
        gap = PAD_GAP_M if item.pad else max(item.kind.spacing_m, 1.0)
        tangential, radial = item.half[0] + gap / 2, item.half[1] + gap / 2
        r0 = r_anchor + gap + item.half[1]
        if n > 1:
            r0 = max(r0, radial + tangential / math.tan(math.pi / n))
        phase = self._phase.setdefault(members[0], float(self.rng.uniform(0, 2 * math.pi)))
        for t in range(MAX_TRIES):
            if t < 60:
                a = phase + 2 * math.pi * idx / n + float(self.rng.normal(0, 0.06 * min(t, 6)))
                r = r0 + 0.7 * (t // 10)
            else:  # the even spot is taken (a road, a slope): any free spot on the ring
                a = float(self.rng.uniform(0, 2 * math.pi))
                r = r0 + float(self.rng.uniform(0, 4.0))
            x, z = center[0] + r * math.sin(a), center[1] + r * math.cos(a)
            yield x, z, facing(x, z, *center)

    def slots(self, k: int, anchor: Item):  # noqa: ANN201
        """Seats along a table's sides (or in front of a counter), squarely facing it."""
        item = self.items[k]
        hx, hz = anchor.half
        cx, cz = anchor.center_local
        d = item.half[1] + 0.12
        # (local x, local z, yaw relative to the table): a seat on the +z side faces -z, and so on
        if anchor.kind.group == "counter":
            local = [(float(x), hz + d, 180.0) for x in np.arange(-hx + 0.45, hx - 0.3, 0.8)]
        else:
            along = (-hx / 2, hx / 2) if hx > 0.7 else (0.0,)
            local = [(x, sgn * (hz + d), 180.0 if sgn > 0 else 0.0) for x in along for sgn in (1, -1)]
            local += [(hx + d, 0.0, -90.0), (-hx - d, 0.0, 90.0)]
        c, s = math.cos(math.radians(anchor.yaw_deg)), math.sin(math.radians(anchor.yaw_deg))
        for i in self.rng.permutation(len(local)):
            lx, lz, rel = local[int(i)]
            lx, lz = lx + cx, lz + cz
            yield anchor.x + c * lx + s * lz, anchor.z - s * lx + c * lz, anchor.yaw_deg + rel

    def seats(self, k: int, anchors: list[Item], idx: int):  # noqa: ANN201
        """This seat's table first, then any table with a free side, then anywhere near."""
        first = anchors[idx % len(anchors)]
        yield from self.slots(k, first)
        for a in anchors:
            if a is not first:
                yield from self.slots(k, a)
        item = self.items[k]
        yield from self.around_point(k, first.x, first.z, first.radius + item.radius + 0.3)

    def along(self, k: int, members: list[int], both: bool):  # noqa: ANN201
        """Beside the road or river, spaced along it, on one side (or alternating sides)."""
        item, p = self.items[k], self.site.params
        idx, n = members.index(k), len(members)
        linear = bool(item.kind.flags.get("linear"))
        river = item.feature == "river" and p.get("river_w", 0.0) > 0
        axis_z = (not river) and p.get("road_axis", 0.0) > 0.5
        width = p.get("river_w", 0.0) if river else p.get("road_w", 3.0)
        along_half, across_half = item.half  # fences run along it; the rest face it, sideways to it
        side = self._side.setdefault(members[0], float(self.rng.choice([-1.0, 1.0])))
        length = (self.site.size[1] if not axis_z else self.site.size[0]) - 4.0
        min_step = 2 * along_half + max(item.kind.spacing_m, 1.0) + (PAD_GAP_M if item.pad else 0.0)
        if n * min_step > length:
            both = True  # too many for one side: line both
        if both:
            side = side if idx % 2 == 0 else -side
            slot, m = idx // 2, (n + 1) // 2
        else:
            slot, m = idx, n
        step = max(min_step, min(length / max(m, 1), 2 * along_half + 6.0))
        slack = max(0.0, (length - (m - 1) * step) / 2 - along_half)
        start = self._start.setdefault(members[0], float(self.rng.uniform(-1.0, 1.0)) * min(slack, 0.15 * length))
        for t in range(MAX_TRIES):
            if t == MAX_TRIES // 2:  # that side is taken (water, a slope): the other side
                side = -side
            s = start + (slot - (m - 1) / 2) * step + (t % 7 - 3) * 0.8 * (t > 0)
            off = width / 2 + across_half + 1.0 + 0.5 * (t // 7) + (PAD_GAP_M / 2 if item.pad else 0.0)
            if river:
                x, z = river_center_x(p, s) + side * (off + 1.0), s
            elif axis_z:
                x, z = s, p.get("road_z", 0.0) + side * off
            else:
                x, z = p.get("road_x", 0.0) + side * off, s
            centre = (x - side * off, z) if not axis_z else (x, z - side * off)
            if linear:
                yaw = 0.0 if axis_z else 90.0
            else:
                yaw = facing(x, z, *centre)
            yield x, z, yaw

    def edge(self, k: int):  # noqa: ANN201
        item = self.items[k]
        sx, sz = self.site.size[0] / 2, self.site.size[1] / 2
        while True:
            side = int(self.rng.integers(4))
            inset = 1.5 + (item.half[1] if item.kind.flags.get("edge") else item.radius) + float(self.rng.uniform(0, 3))
            t = float(self.rng.uniform(-0.8, 0.8))
            x, z, yaw = [(t * sx, -sz + inset, 0.0), (t * sx, sz - inset, 180.0),
                         (-sx + inset, t * sz, 90.0), (sx - inset, t * sz, 270.0)][side]
            if not item.kind.flags.get("edge"):
                yaw = facing(x, z, 0.0, 0.0)
            yield x, z, yaw

    def wall(self, k: int):  # noqa: ANN201
        """Interior: back against the back (-z) or left (-x) wall, facing into the room."""
        item = self.items[k]
        sx, sz = self.site.size[0] / 2, self.site.size[1] / 2
        cx, cz = item.center_local
        while True:
            if self.rng.uniform() < 0.6:
                x = float(self.rng.uniform(-sx + item.half[0] + 0.4, sx - item.half[0] - 0.4))
                yield x - cx, -sz + 0.05 + item.half[1] - cz, 0.0
            else:
                z = float(self.rng.uniform(-sz + item.half[0] + 0.4, sz - item.half[0] - 0.4))
                yield -sx + 0.05 + item.half[1] - cz, z + cx, 90.0

    def water(self, k: int):  # noqa: ANN201
        item, site = self.items[k], self.site
        scatter = self.scatter(k)
        for _ in range(MAX_TRIES * 20):
            cand = next(scatter)
            box = item.obb(*cand)
            if site.water_level is not None and site.water_level - site.ground_under(box).max() > 0.5:
                yield cand

    def shore_points(self) -> np.ndarray:
        if self._shore is None:
            g = self.site.ground
            wl = self.site.water_level
            pts = np.zeros((0, 2))
            if g is not None and wl is not None:
                i, j = np.nonzero((g.ground > wl + 0.1) & (g.ground < wl + 0.9))
                pts = np.stack([g.x0 + i * g.dx, g.z0 + j * g.dx], axis=1)
            self._shore = pts
        return self._shore

    def shore(self, k: int):  # noqa: ANN201
        """By the water: piers reach out over it from the bank, others stand on the bank facing it."""
        item, site = self.items[k], self.site
        pts = self.shore_points()
        if len(pts) == 0:
            yield from self.scatter(k)
            return
        pier = item.kind.ground == "water"
        for _ in range(MAX_TRIES * 4):
            px, pz = pts[int(self.rng.integers(len(pts)))]
            angles = np.linspace(0, 2 * math.pi, 16, endpoint=False)
            probe = site.ground.height_at(px + 4 * np.sin(angles), pz + 4 * np.cos(angles), which="ground")
            a = float(angles[int(np.argmin(probe))])
            dx, dz = math.sin(a), math.cos(a)
            if pier:
                reach = item.half[1] * 0.75
                x, z = px + dx * reach, pz + dz * reach
                far = item.obb(x, z, math.degrees(a))
                tip = (far.x + dx * item.half[1] * 0.9, far.z + dz * item.half[1] * 0.9)
                if site.ground.height_at(tip[0], tip[1], which="ground") > site.water_level - 0.4:
                    continue
                yield x, z, math.degrees(a)
            else:
                back = item.radius + 1.5
                yield px - dx * back, pz - dz * back, math.degrees(a)

    def across(self, k: int):  # noqa: ANN201
        p = self.site.params
        while True:
            z = float(self.rng.uniform(-0.3, 0.3)) * self.site.size[1]
            yield float(river_center_x(p, z)), z, 0.0

    # ------------------------------------------------------------ driver

    def candidates(self, k: int, groups: dict[int, list[int]]):  # noqa: ANN201
        item = self.items[k]
        rule = item.placement
        anchors = [self.items[j] for j in groups.get(item.anchor, []) if self.items[j].placed] if item.anchor is not None else []
        members = groups[item.group]
        if rule == "wall":
            return self.wall(k)
        if rule == "center":
            return self.spiral(k, 0.0, 0.0)
        if rule == "hill":
            top = (self.site.params.get("hill_x", 0.0), self.site.params.get("hill_z", 0.0))
            if k == members[0]:
                return self.spiral(k, *top)
            return self.ring(k, members[1:], top, self.items[members[0]].radius)
        if rule == "across" and self.site.params.get("river_w", 0.0) > 0:
            return self.across(k)
        if rule in ("line", "both_sides") and item.feature in ("road", "river"):
            return self.along(k, members, rule == "both_sides")
        if rule in ("line", "both_sides", "near", "ring") and anchors and anchors[0].kind.group in ("table", "counter") \
                and item.kind.group == "seat":
            return self.seats(k, anchors, members.index(k))
        if rule == "ring":
            if anchors:
                cx = sum(a.x for a in anchors) / len(anchors)
                cz = sum(a.z for a in anchors) / len(anchors)
                r = max(math.hypot(a.x - cx, a.z - cz) + a.radius for a in anchors)
                return self.ring(k, members, (cx, cz), r)
            return self.ring(k, members, (0.0, 0.0), 2.0)
        if rule in ("near", "line", "both_sides") and anchors:
            a = anchors[members.index(k) % len(anchors)]
            return self.around_point(k, a.x, a.z, a.radius + item.radius + max(item.kind.spacing_m, 0.8))
        if rule == "shore" or (rule == "near" and item.feature in ("water", "lake")):
            return self.shore(k)
        if rule == "water" or (item.kind.ground == "water" and self.site.water_level is not None and rule == "scatter"):
            return self.shore(k) if item.kind.flags.get("shore") else self.water(k)
        if rule == "row":
            return self.row(k, members)
        if rule == "edge":
            return self.edge(k)
        if rule == "cluster":
            first = self.items[members[0]]
            if k != members[0] and first.placed:
                return self.around_point(k, first.x, first.z, first.radius + item.radius + 0.5, face=False)
        return self.scatter(k)

    def row(self, k: int, members: list[int]):  # noqa: ANN201
        item = self.items[k]
        idx, n = members.index(k), len(members)
        step = 2 * item.radius + max(item.kind.spacing_m, 1.0) + (PAD_GAP_M if item.pad else 0.0)
        ox, oz, ang = self._row.setdefault(members[0], (
            float(self.rng.uniform(-0.2, 0.2) * self.site.size[0]), float(self.rng.uniform(-0.2, 0.2) * self.site.size[1]),
            float(self.rng.choice([0.0, 90.0]))))
        dx, dz = math.cos(math.radians(ang)), -math.sin(math.radians(ang))
        for t in range(MAX_TRIES):
            s = (idx - (n - 1) / 2) * step
            off = (t // 2) * 0.8 * (1 if t % 2 else -1)
            x, z = ox + dx * s - dz * off, oz + dz * s + dx * off
            yield x, z, ang if item.kind.flags.get("linear") else ang + 90.0

    def place_all(self, order: list[int], groups: dict[int, list[int]]) -> int:
        """Place the items in ``order``; return how many had to be forced."""
        self._phase: dict[int, float] = {}
        self._side: dict[int, float] = {}
        self._start: dict[int, float] = {}
        self._row: dict[int, tuple[float, float, float]] = {}
        for k in order:
            item = self.items[k]
            if item.placement == "on" and item.anchor is not None:
                self.place_on(k, groups)
                continue
            self.try_place(k, self.candidates(k, groups))
        return self.forced

    def place_on(self, k: int, groups: dict[int, list[int]]) -> None:
        """Stand the item on one of its anchor's instances (a candle on a table)."""
        item = self.items[k]
        parents = groups.get(item.anchor, [])
        members = groups[item.group]
        parent_k = parents[members.index(k) % len(parents)]
        parent = self.items[parent_k]
        item.parent = parent_k
        hx, hz = parent.half
        cx, cz = parent.center_local
        c, s = math.cos(math.radians(parent.yaw_deg)), math.sin(math.radians(parent.yaw_deg))

        def gen():  # noqa: ANN202
            for _ in range(MAX_TRIES):
                lx = cx + float(self.rng.uniform(-1, 1)) * max(0.0, hx - item.radius - 0.05)
                lz = cz + float(self.rng.uniform(-1, 1)) * max(0.0, hz - item.radius - 0.05)
                yield parent.x + c * lx + s * lz, parent.z - s * lx + c * lz, float(self.rng.uniform(0, 360))

        if not self.try_place(k, gen()):
            self.forced -= 1  # a crowded table top is not an error; the candle shares the top
