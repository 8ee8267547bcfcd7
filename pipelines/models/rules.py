"""The placement rules: each yields candidate (x, z, yaw) positions for one item, best first.

A rule knows where its item should go (around its anchor, beside the road,
against the room's walls, in a band on both sides of the pass, ...) and which
way it should face; ``placement.Placer`` tries the candidates in order and
keeps the first that fits. Directions: north is -z, east is +x.
"""

from __future__ import annotations

import math

import numpy as np

from pipelines.models.layout import MAX_TRIES, PAD_GAP_M, Item, Site, facing
from pipelines.models.terrain import Line, river_line, road_line

Candidate = tuple[float, float, float]
DIRECTIONS = {"north": (0.0, -1.0), "south": (0.0, 1.0), "east": (1.0, 0.0), "west": (-1.0, 0.0)}
RELATIVE = {"front": 0.0, "behind": 180.0, "left": 90.0, "right": -90.0}  # turn from the anchor's front
FACES_PATH = {
    "building",
    "stall",
    "seat",
    "light",
    "landmark",
    "vehicle",
    "shop",
    "shelter",
    "mailbox",
    "sign",
    "phone booth",
    "church",
    "barn",
}  # turn their front to a road
SIDEWALK_M = 3.5  # from the road's edge to a building's front: room for lamps, benches, a bus stop
RING_GAP_M = 0.5  # between a ring and what it rings
RING_SLACK = math.radians(11)  # how far a ring member may stray from its even angle (3 tents: gaps < 150 deg)
RING_TURNS = 36  # turns of a ring tried before its members are placed
RING_STEPS, RING_TRIES, RING_STEP_M = 16, 8, 0.5  # a ring steps out 0.5 m at a time, 8 angles a step
CROWN = 0.7  # a round crown's reach, as a part of its box's half width (where neighbours' boxes may meet)
ROW_SLIDES = 24  # tries along a row's line before a member steps out of it
ANCHOR_PAD_GAP_M = 1.0  # between two built things placed by each other (they share one ground height)
ROADSIDE = {
    "bus stop",
    "traffic light",
    "signpost",
    "mailbox",
    "fire hydrant",
    "lamp post",
    "bollard",
    "phone booth",
    "trash bin",
    "bench",
}
VEHICLES = {"car", "truck", "bus", "bicycle", "motorcycle", "wagon", "handcart", "tractor"}


def faces_path(item: Item) -> bool:
    """True for what turns its front to the road: anything with a door, stalls, benches, street furniture."""
    return item.kind.group in FACES_PATH or any(name in ("door", "doors") for name, _ in item.shape.parts)


def parked(item: Item) -> bool:
    """True for a vehicle that lines the road: it stands in the road's edge lane, along it.

    A bicycle is not parked in the lane: it stands on the pavement, like a bench.
    """
    return (
        item.kind.name in VEHICLES - {"bicycle"}
        and item.feature == "road"
        and item.placement in ("line", "both_sides", "row")
    )


NATURAL_YAW = {"tree", "rock", "shrub", "crystal", "cliff", "plant", "animal"}
WALL_GAP_M = 0.03  # between a wall and the back of what stands against it
# Bands beside a line that a collective fills: (offset of the inner edge from the line's edge, depth), meters.
# A pass's clear way is the middle of its valley floor (valley_w wide); its bands start beside it, on the
# floor's edge, and climb the gentler lower slope.
BANDS = {"pass": (0.5, 10.0), "road": (1.0, 8.0), "river": (1.5, 8.0)}


def band_of(feature: str | None) -> tuple[float, float]:
    """Return (inner offset, depth) of the band beside ``feature`` that a forest or a crowd fills."""
    return BANDS.get(feature or "road", BANDS["road"])


def reach_of(item: Item) -> float:
    """Return how far an item's footprint reaches from its centre: between its half width and its half diagonal
    (round things, fountains and wells, fill a square box less than its corners say)."""
    return max(item.half) + 0.5 * (item.radius - max(item.half))


def world(x: float, z: float, yaw_deg: float) -> tuple[float, float]:
    """Return local (x, z) turned by ``yaw_deg`` into world axes."""
    c, s = math.cos(math.radians(yaw_deg)), math.sin(math.radians(yaw_deg))
    return c * x + s * z, -s * x + c * z


class Rules:
    """Candidate generators; the Placer supplies items, site, rng and the per-group state."""

    items: list[Item]
    site: Site
    rng: np.random.Generator

    def reset_state(self) -> None:
        self._phase: dict[int, float] = {}
        self._side: dict[int, float] = {}
        self._start: dict[int, float] = {}
        self._row: dict[int, tuple[float, float, float]] = {}  # a row's middle and its members' yaw
        self._shore: np.ndarray | None = None

    # ------------------------------------------------------------ facing

    def path_line(self) -> Line | None:
        return road_line(self.site.params)

    def default_yaw(self, item: Item, x: float, z: float) -> float:
        """Plants any way; fences along a grid axis; buildings, stalls, benches to the road, else to the centre."""
        if item.kind.group in NATURAL_YAW:
            return float(self.rng.uniform(0, 360))
        if item.kind.flags.get("linear"):
            return float(self.rng.choice([0.0, 90.0]) + self.rng.uniform(-8, 8))
        line = self.path_line()
        if line is not None and faces_path(item) and not self.site.interior:
            s = z if line.along_z else x
            cx, cz = line.point(s)
            if math.hypot(cx - x, cz - z) < 30.0:
                return facing(x, z, cx, cz) + float(self.rng.uniform(-8, 8))
        if self.site.interior:
            return float(self.rng.choice([0.0, 90.0, 180.0, 270.0]))
        return facing(x, z, 0.0, 0.0) + float(self.rng.uniform(-25, 25))

    # ------------------------------------------------------------ open ground

    def scatter(self, k: int, spread: list[int] | None = None, disc: tuple[float, float, float] | None = None):  # noqa: ANN201
        """Anywhere (or within ``disc``: x, z, radius); with ``spread`` (the group's members), the best of a few
        draws keeps them apart."""
        item = self.items[k]
        hx, hz = self.site.size[0] / 2 - 1.0, self.site.size[1] / 2 - 1.0

        def draw() -> tuple[float, float]:
            if disc is None:
                return float(self.rng.uniform(-hx, hx)), float(self.rng.uniform(-hz, hz))
            r, a = disc[2] * math.sqrt(float(self.rng.uniform())), float(self.rng.uniform(0, 2 * math.pi))
            return disc[0] + r * math.sin(a), disc[1] + r * math.cos(a)

        while True:
            draws = [draw() for _ in range(4 if spread else 1)]
            if spread:
                others = [(self.items[j].x, self.items[j].z) for j in spread if self.items[j].placed]
                if others:
                    pts = np.array(others)
                    draws.sort(key=lambda p: -float(np.min(np.hypot(pts[:, 0] - p[0], pts[:, 1] - p[1]))))
            x, z = draws[0]
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
        yield cx, cz, self.default_yaw(item, cx, cz) if item.kind.group in NATURAL_YAW else 0.0
        yield from self.around_point(k, cx, cz, 1.0, face=False)

    def edge(self, k: int):  # noqa: ANN201
        item = self.items[k]
        sx, sz = self.site.size[0] / 2, self.site.size[1] / 2
        while True:
            side = int(self.rng.integers(4))
            inset = 1.5 + (item.half[1] if item.kind.flags.get("edge") else item.radius) + float(self.rng.uniform(0, 3))
            t = float(self.rng.uniform(-0.8, 0.8))
            x, z, yaw = [
                (t * sx, -sz + inset, 0.0),
                (t * sx, sz - inset, 180.0),
                (-sx + inset, t * sz, 90.0),
                (sx - inset, t * sz, 270.0),
            ][side]
            if not item.kind.flags.get("edge"):
                yaw = facing(x, z, 0.0, 0.0)
            yield x, z, yaw

    def row(self, k: int, members: list[int]):  # noqa: ANN201
        """In a straight row of their own, all facing one way across it (towards the water when the row is by
        it, else towards the middle); a row too long for the scene wraps into parallel rows."""
        item = self.items[k]
        idx, n = members.index(k), len(members)
        inside = self.site.interior
        along = 2 * item.half[0] + max(item.kind.spacing_m, 0.6 if inside else 1.0)
        along += PAD_GAP_M if item.pad and not inside else 0.0
        across = 2 * item.half[1] + max(item.kind.spacing_m, 1.0) + (PAD_GAP_M if item.pad and not inside else 0.0)
        per_row = max(1, min(n, int(min(self.site.size) * 0.8 // along) or 1))
        rows = math.ceil(n / per_row)
        if members[0] not in self._row:
            self._row[members[0]] = self._dry_row(item, self._row_frame(item, rows * across), per_row * along)
        ox, oz, yaw = self._row[members[0]]
        r, c = divmod(idx, per_row)
        in_row = min(per_row, n - r * per_row)
        dx, dz = world(1.0, 0.0, yaw)  # the row runs along the items' local x
        fx, fz = world(0.0, 1.0, yaw)
        for t in range(MAX_TRIES):
            s = (c - (in_row - 1) / 2) * along
            off = -(r - (rows - 1) / 2) * across
            if t < ROW_SLIDES:  # a taken spot (a road across the row): slide along the line, staying on it
                s += (t // 2) * 0.5 * along * (1 if t % 2 else -1)
            else:
                off += ((t - ROW_SLIDES) // 2) * 0.8 * (1 if t % 2 else -1)
            yield ox + dx * s + fx * off, oz + dz * s + fz * off, yaw

    def _dry_row(self, item: Item, frame: tuple[float, float, float], length: float) -> tuple[float, float, float]:
        """Return the frame moved back from the water until the whole row's line is dry ground (shores bend)."""
        ox, oz, yaw = frame
        if self.site.water_level is None or self.site.ground is None:
            return frame
        dx, dz = world(1.0, 0.0, yaw)
        fx, fz = world(0.0, 1.0, yaw)
        for step in range(60):
            x, z = ox - fx * 0.5 * step, oz - fz * 0.5 * step
            slots = [item.obb(x + dx * s, z + dz * s, yaw) for s in np.linspace(-length / 2, length / 2, 9)]
            if all(self.site.wet(b) <= -0.3 for b in slots):
                return x, z, yaw
        return frame

    def _row_frame(self, item: Item, depth: float) -> tuple[float, float, float]:
        """Return a row's middle and the yaw its members face: by the water facing it, else near the middle."""
        p = self.site.params
        water = None
        if item.feature in ("water", "lake", "shore") or self.site.water_level is not None and item.feature:
            if p.get("lake_r", 0.0) > 0:
                water = (p["lake_x"], p["lake_z"], p["lake_r"] * 0.95)
            elif p.get("beach", 0.0) > 0:
                water = (0.0, p.get("beach_z", 8.0) + 40.0, 40.0 - 3.0)
        if water is not None:
            tx, tz, r = water
            d = math.hypot(tx, tz) or 1.0
            ux, uz = (tx / d, tz / d) if math.hypot(tx, tz) > 1e-6 else (0.0, 1.0)
            back = r + 2.5 + depth / 2
            return tx - ux * back, tz - uz * back, math.degrees(math.atan2(ux, uz))
        ox = float(self.rng.uniform(-0.15, 0.15) * self.site.size[0])
        oz = float(self.rng.uniform(-0.15, 0.15) * self.site.size[1])
        yaw = float(self.rng.choice([0.0, 90.0]))
        fx, fz = world(0.0, 1.0, yaw)
        if fx * -ox + fz * -oz < 0:  # turn the row to face the middle
            yaw += 180.0
        return ox, oz, yaw % 360.0

    def direction(self, k: int, target: tuple[float, float, float, float], word: str):  # noqa: ANN201
        """To the north (-z) / east (+x) / ... of the target, or behind / in front of / beside it.

        ``target`` is (x, z, radius, yaw of its front); "behind" is away from its front.
        """
        item = self.items[k]
        tx, tz, tr, tyaw = target
        if word in DIRECTIONS:
            dx, dz = DIRECTIONS[word]
        else:
            a = math.radians(tyaw + RELATIVE.get(word, 180.0))
            dx, dz = math.sin(a), math.cos(a)
        for t in range(MAX_TRIES):
            r = tr + item.radius + 1.0 + 0.5 * (t // 4) + float(self.rng.uniform(0, 1.0))
            spread = float(self.rng.normal(0, 0.25 + 0.02 * t))
            c, s = math.cos(spread), math.sin(spread)
            ux, uz = dx * c + dz * s, -dx * s + dz * c
            x, z = tx + ux * r, tz + uz * r
            yaw = (
                self.default_yaw(item, x, z)
                if item.kind.group in NATURAL_YAW
                else facing(x, z, tx, tz) + 180.0
                if word == "behind"
                else facing(x, z, tx, tz)
            )
            yield x, z, yaw

    # ------------------------------------------------------------ lines: road, river, pass

    def feature_line(self, feature: str | None) -> Line | None:
        """Return the centre line of a linear feature: the road, the river or the pass's valley floor."""
        p = self.site.params
        if feature == "river":
            return river_line(p)
        if feature == "pass" and p.get("valley_depth", 0.0) > 0:
            return Line(True, 0.0, 0.0, 0.0, 0.0, p.get("valley_w", 7.0))
        return road_line(p) or (river_line(p) if feature is None else None)

    def _line_extent(self, line: Line) -> float:
        return (self.site.size[1] if line.along_z else self.site.size[0]) - 4.0

    def along(self, k: int, members: list[int], both: bool, line: Line, clear_m: float = 1.0):  # noqa: ANN201
        """Beside a line, spaced evenly along it on one side (or alternating sides), facing it."""
        item = self.items[k]
        idx, n = members.index(k), len(members)
        linear = bool(item.kind.flags.get("linear"))
        along_half, across_half = item.half  # fences run along it; the rest face it, sideways to it
        side = self._side.setdefault(members[0], float(self.rng.choice([-1.0, 1.0])))
        length = self._line_extent(line)
        min_step = 2 * along_half + max(item.kind.spacing_m, 1.0) + (PAD_GAP_M if item.pad else 0.0)
        if n * min_step > length:
            both = True  # too many for one side: line both
        slot, m = (idx // 2, (n + 1) // 2) if both else (idx, n)
        if both:
            side = side if idx % 2 == 0 else -side
        step = max(min_step, min(length / max(m, 1), 2 * along_half + 6.0))
        slack = max(0.0, (length - (m - 1) * step) / 2 - along_half)
        start = self._start.setdefault(members[0], float(self.rng.uniform(-1.0, 1.0)) * min(slack, 0.15 * length))
        if item.pad and any(name == "door" for name, _ in item.shape.parts):
            clear_m = max(clear_m, SIDEWALK_M)  # a pavement between the road and a door: lamps, benches, bins
        elif item.kind.name in ROADSIDE:
            clear_m = min(clear_m, 0.5)  # at the kerb
        lane = parked(item)
        if lane:  # parked along the kerb, in the road's edge lane
            along_half, across_half = item.half[1], item.half[0]
            min_step = 2 * along_half + 0.8
            step = max(min_step, min(length / max(m, 1), 2 * along_half + 6.0))
        for t in range(MAX_TRIES):
            if t == MAX_TRIES // 2:  # that side is taken (water, a slope): the other side
                side = -side
            if t < 14:  # its slot, give or take
                s = start + (slot - (m - 1) / 2) * step + (t % 7 - 3) * 0.8 * (t > 0)
                back = 0.5 * (t // 7)
            else:  # anywhere along the line before further from it
                s = float(self.rng.uniform(-length / 2 + along_half, length / 2 - along_half))
                back = 0.5 * ((t - 14) // 30)
            if lane:
                off = max(0.0, line.width / 2 - across_half - 0.25)
                x, z, _ = self._beside(item, line, s, side * off, True)
                tx, tz = line.tangent(s)
                yield x, z, math.degrees(math.atan2(tx, tz)) + (0.0 if side > 0 else 180.0)
                continue
            off = line.width / 2 + across_half + clear_m + back
            yield self._beside(item, line, s, side * off, linear)

    def band(self, k: int, both: bool, line: Line, depth_m: float, clear_m: float = 1.0):  # noqa: ANN201
        """Anywhere in a band ``depth_m`` deep beside a line (a forest on both sides of the pass)."""
        item = self.items[k]
        side0 = self._side.setdefault(item.group, float(self.rng.choice([-1.0, 1.0])))
        half = self._line_extent(line) / 2
        idx = k
        for t in range(MAX_TRIES):
            side = (1.0 if (idx + t) % 2 == 0 else -1.0) if both else side0
            s = float(self.rng.uniform(-half, half))
            off = line.width / 2 + clear_m + item.radius + float(self.rng.uniform(0, depth_m))
            yield self._beside(item, line, s, side * off, bool(item.kind.flags.get("linear")))

    def _beside(self, item: Item, line: Line, s: float, off: float, linear: bool) -> Candidate:
        cx, cz = line.point(s)
        nx, nz = line.normal(s)
        x, z = cx + nx * off, cz + nz * off
        if linear:
            tx, tz = line.tangent(s)
            return x, z, math.degrees(math.atan2(-tz, tx))
        if item.kind.group in NATURAL_YAW:
            return x, z, float(self.rng.uniform(0, 360))
        return x, z, facing(x, z, cx, cz)

    def across(self, k: int):  # noqa: ANN201
        """Spanning the river (or the road), its length across the line."""
        line = river_line(self.site.params) or road_line(self.site.params)
        half = self._line_extent(line) / 2 if line else 1.0
        while True:
            s = float(self.rng.uniform(-0.6, 0.6)) * half
            if line is None:
                yield 0.0, s, 0.0
                continue
            x, z = line.point(s)
            tx, tz = line.tangent(s)
            yield x, z, math.degrees(math.atan2(tx, tz))  # local x (the span) across the line
