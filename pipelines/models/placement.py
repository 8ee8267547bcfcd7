"""Placing the items: each rule's candidates are tried until one fits the site and the items placed so far.

``place_all`` places every item in dependency order (anchors before what is
placed around them, the bottom of a stack before what stands on it). A
candidate fits when it stays inside the scene, off the water, the road, steep
ground, the room's walkway and every building's door apron, and its box (its
footprint and its height span, so a candle on a table clears a chair beside
it) meets nothing placed. One of many (a forest's tree) that finds no room is
left out and counted; any other item is forced to its last candidate and
counted, and the caller retries in a larger scene.
"""

from __future__ import annotations

import math

import numpy as np

from pipelines.models.anchored import AnchoredRules
from pipelines.models.layout import MAX_TRIES, OBB, PAD_GAP_M, Item, Site, overlap, tops_under
from pipelines.models.rules import ANCHOR_PAD_GAP_M, CROWN, ROADSIDE, band_of, parked, reach_of

PRIORITY = {
    "center": 0,
    "hill": 1,
    "across": 2,
    "against": 3,
    "wall": 3,
    "line": 4,
    "both_sides": 4,
    "row": 5,
    "shore": 6,
    "into_water": 6,
    "water": 6,
    "edge": 7,
    "ring": 7.5,
    "near": 8,
    "direction": 8,
    "cluster": 9,
    "scatter": 10,
    "on": 12,
}
FLAT_M = 0.06  # rugs and the like: others stand on them
APRON_DEPTH_M = 2.5  # clear ground kept in front of a door
APRON_SIDE_M = 0.6  # beyond the door's edges
STREET_APRON_M = 1.2
SMALL_PAD_M = 0.6  # a lamp post's pad is too small to tilt a house's: they may stand closer
SMALL_PAD_GAP_M = 1.0
NATURAL_GROUPS = {"tree", "rock", "shrub", "crystal"}
NEAR_GAP_M = 0.05
LEVEL_M = 0.05  # how far the surface under a thing standing on another may vary


def box_pivot(item: Item, box: OBB) -> tuple[float, float, float]:
    """Return the pivot (x, z, yaw) whose footprint is ``box``."""
    cx, cz = item.center_local
    c, s = math.cos(math.radians(box.yaw_deg)), math.sin(math.radians(box.yaw_deg))
    return box.x - (c * cx + s * cz), box.z - (-s * cx + c * cz), box.yaw_deg


def enclosing(item: Item) -> bool:
    """True for an enclosure (a pen, a paddock) that things stand inside."""
    return item.params.get("closed", 0.0) > 0.5


def inside_yard(box: OBB, yard: Item) -> bool:
    """True when ``box`` lies wholly inside the enclosure's yard, a margin clear of its fence."""
    pen = yard.obb()
    c, s = math.cos(math.radians(pen.yaw_deg)), math.sin(math.radians(pen.yaw_deg))
    for x, z in box.corners():
        dx, dz = x - pen.x, z - pen.z
        u, v = c * dx - s * dz, s * dx + c * dz
        if abs(u) > pen.hx - 0.25 or abs(v) > pen.hz - 0.25:
            return False
    return True


def disc_meets(box: OBB, disc: OBB, gap: float) -> bool:
    """True when ``box`` comes within ``gap`` of the disc inscribed in the square ``disc``."""
    c, s = math.cos(math.radians(box.yaw_deg)), math.sin(math.radians(box.yaw_deg))
    dx, dz = disc.x - box.x, disc.z - box.z
    u, v = c * dx - s * dz, s * dx + c * dz  # the disc's centre in the box's frame
    nu, nv = max(-box.hx, min(box.hx, u)), max(-box.hz, min(box.hz, v))
    return math.hypot(u - nu, v - nv) < max(disc.hx, disc.hz) + gap


def door_apron(item: Item, x: float, z: float, yaw: float) -> OBB | None:
    """Return the ground in front of the item's door that must stay clear, or None when it has no door.

    A building that lines a road keeps a shallower apron: the pavement's kerb side is for lamps and benches.
    """
    door = next((n for name, n in item.shape.parts if name == "door"), None)
    if door is None or item.kind.ground != "pad":
        return None
    s = item.scale
    lx = (door.lo[0] + door.hi[0]) / 2 * s
    half_w = (door.hi[0] - door.lo[0]) / 2 * s + APRON_SIDE_M
    depth = (
        STREET_APRON_M if item.feature == "road" and item.placement in ("line", "both_sides", "row") else APRON_DEPTH_M
    )
    lz = door.hi[2] * s + 0.3 + depth / 2
    c, sn = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))
    return OBB(x + c * lx + sn * lz, z - sn * lx + c * lz, half_w, depth / 2, yaw)


class Placer(AnchoredRules):
    def __init__(
        self,
        items: list[Item],
        site: Site,
        rng: np.random.Generator,
        blockers: list[OBB] | None = None,
        relax: bool = False,
    ) -> None:
        """``relax``: an item its rule cannot place goes anywhere it fits before it is forced (the last try)."""
        self.items = items
        self.site = site
        self.rng = rng
        self.blockers = list(blockers or [])  # ground nothing may stand on: an interior's walkway
        self.relax = relax
        self.done: list[int] = []
        self.aprons: dict[int, OBB] = {}
        self.forced = 0
        self.dropped: list[int] = []
        self.reset_state()

    # ------------------------------------------------------------ checks

    def _ancestors(self, k: int) -> set[int]:
        out, p = set(), self.items[k].parent
        while p is not None and p not in out:
            out.add(p)
            p = self.items[p].parent
        return out

    def fits(self, k: int, box: OBB) -> bool:
        item = self.items[k]
        grounded = item.parent is None
        if grounded and not self._site_ok(k, box):
            return False
        flat = item.height < FLAT_M
        if grounded and not flat:
            if any(overlap(box, b, 2 * item.clearance) for b in self.blockers):
                return False
            if any(overlap(box, a) for j, a in self.aprons.items() if j != k):
                return False
            apron = door_apron(item, *box_pivot(item, box))
            if apron is not None and not self._apron_ok(k, apron):
                return False
        if flat:
            return True
        above = self._ancestors(k)
        for j in self._neighbours(box):
            other = self.items[j]
            if j in above or other.height < FLAT_M or k in self._ancestors(j):
                continue
            if j == item.near and enclosing(other) and inside_yard(box, other):
                continue  # in the pen's yard, clear of its fence
            if j == item.near and item.kind.group == "seat" and other.params.get("round", 0.0) > 0.5:
                if disc_meets(box, other.obb(), NEAR_GAP_M):  # a round table's top, not its square box
                    return False
                continue
            if item.overlaps(other, box, self._gap(item, other, j)):
                return False
        return True

    def _site_ok(self, k: int, box: OBB) -> bool:
        item, site = self.items[k], self.site
        margin = 0.3 if site.interior else 1.0
        if item.placement in ("wall", "against") or item.kind.flags.get("edge"):
            margin = 0.0
        if item.placement not in ("wall", "against"):
            margin += item.clearance  # a table keeps room for its chairs from the walls
        if not site.inside(box, margin):
            return False
        if site.interior:
            return True
        if item.kind.ground == "water" and site.water_level is not None:
            pass  # boats and piers: their rules (water, shore) choose wet ground
        elif item.placement == "across":
            pass
        elif site.wet(box) > -0.15:
            return False
        if item.pad and item.placement != "across" and site.slope(box) > 0.3:
            return False
        if not item.pad and item.kind.ground != "water":
            item.x, item.z, item.yaw_deg = box_pivot(item, box)
            h = site.ground_under(item.base_box())
            if h.max() - h.min() > item.kind.flags.get("uneven", 0.5):
                return False  # it would sink into the slope on one side
        if item.placement != "across" and (site.on_road(box) and not parked(item) or site.in_river(box)):
            return False
        if item.placement not in ("center", "across", "hill") and site.in_pass(box):
            return False  # the way through a pass stays open
        return True

    def _apron_ok(self, k: int, apron: OBB) -> bool:
        """The door's apron must be dry, inside the scene and free of anything placed."""
        site = self.site
        if not site.inside(apron, 0.0) or (not site.interior and site.wet(apron) > -0.05):
            return False
        return not any(
            self.items[j].height >= FLAT_M and overlap(apron, self.items[j].obb())
            for j in self._neighbours(apron)
            if self.items[j].parent is None
        )

    def _gap(self, item: Item, other: Item, j: int) -> float:
        """Return the free space kept between ``item`` and the placed ``other`` (item ``j``)."""
        if item.parent is not None or other.parent is not None:
            return 0.02 if item.parent == other.parent else 0.0
        if item.near == j and item.placement in (
            "near",
            "against",
            "direction",
            "ring",
            "both_sides",
            "line",
            "into_water",
            "shore",
        ):
            if item.pad and other.pad and not self.site.interior:
                return ANCHOR_PAD_GAP_M  # a silo by its barn: their pads share the barn's height (pad_heights)
            return NEAR_GAP_M  # "a cauldron by the fire", "an anvil in front of the forge": close, not touching
        gap = max(item.kind.spacing_m, other.kind.spacing_m)
        small = min(max(item.half), max(other.half)) < SMALL_PAD_M
        if small:
            gap = min(gap, SMALL_PAD_GAP_M)  # a lamp post or a bin may stand by a house's wall
        if self.site.interior:
            gap = min(gap, 0.6)
        gap = max(gap, item.clearance + other.clearance)  # room for the chairs around two tables
        if (
            item.group == other.group
            and item.placement == "ring"
            and item.kind.group in NATURAL_GROUPS
            and item.kind.flags.get("base")
        ):
            return -2 * (1 - CROWN) * min(min(item.half), min(other.half))  # crowns round, not square
        if item.kind.group == "seat" and item.anchor == other.group:
            gap = 0.05  # a chair pulled up to its table
        elif item.group == other.group and item.stack == 0 and item.placement in ("against", "wall"):
            gap = min(gap, 0.05)  # barrels side by side along the wall
        if (
            item.pad
            and other.pad
            and not self.site.interior
            and item.group == other.group
            and item.placement == "ring"
            and item.near is not None
            and item.near == other.near
        ):
            gap = max(gap, ANCHOR_PAD_GAP_M)  # a ring round one built thing shares its ground height
        elif item.pad and other.pad and not self.site.interior:
            gap = max(gap, SMALL_PAD_GAP_M if small else PAD_GAP_M)
        if (item.kind.name in ROADSIDE) != (other.kind.name in ROADSIDE) and not self.site.interior:
            gap = min(gap, SMALL_PAD_GAP_M)  # street furniture on the pavement before a house
        if parked(item) and parked(other):
            gap = min(gap, 0.8)  # cars nose to tail at the kerb; the road is flat under them
        return gap

    def _neighbours(self, box: OBB) -> list[int]:
        """Return the placed items whose bounding circle comes within reach of ``box`` (a cheap first cut)."""
        if not self.done:
            return []
        idx = np.array(self.done)
        pos = np.array([(self.items[j].obb().x, self.items[j].obb().z, self.items[j].radius) for j in self.done])
        reach = math.hypot(box.hx, box.hz) + pos[:, 2] + PAD_GAP_M + 2.5
        near = np.hypot(pos[:, 0] - box.x, pos[:, 1] - box.z) < reach
        return [int(j) for j in idx[near]]

    def try_place(self, k: int, candidates) -> bool:  # noqa: ANN001 - an iterator of Candidate
        item = self.items[k]
        last = None
        for n, (x, z, yaw) in enumerate(candidates):
            if n >= MAX_TRIES:
                break
            last = (x, z, yaw)
            if self.fits(k, item.obb(x, z, yaw)):
                self._accept(k, x, z, yaw)
                return True
        if item.optional:
            self.dropped.append(k)
            return False
        if self.relax and item.parent is None:  # the last try: anywhere it fits rather than through another
            for n, (x, z, yaw) in enumerate(self.scatter(k)):
                if n >= 4 * MAX_TRIES:
                    break
                if self.fits(k, item.obb(x, z, yaw)):
                    self._accept(k, x, z, yaw)
                    self.forced += 1
                    return False
        if last is None:
            last = next(iter(self.scatter(k)))
        self._accept(k, *last)
        self.forced += 1
        return False

    def _accept(self, k: int, x: float, z: float, yaw: float) -> None:
        item = self.items[k]
        item.x, item.z, item.yaw_deg, item.placed = x, z, yaw % 360.0, True
        self.done.append(k)
        apron = door_apron(item, x, z, item.yaw_deg) if item.parent is None else None
        if apron is not None:
            self.aprons[k] = apron

    # ------------------------------------------------------------ driver

    def candidates(self, k: int, groups: dict[int, list[int]]):  # noqa: ANN201, C901 - one branch per rule
        item, site = self.items[k], self.site
        rule, feat = item.placement, item.feature
        p = site.params
        anchors = [j for j in groups.get(item.anchor, []) if self.items[j].placed] if item.anchor is not None else []
        members = groups[item.group]
        mine = members.index(k)
        if anchors:
            item.near = anchors[mine % len(anchors)]
        a = self.items[item.near] if anchors else None
        if (
            item.kind.group == "seat"
            and a is not None
            and a.kind.group in ("table", "counter")
            or (a is not None and item.kind.group == "seat" and a.kind.flags.get("surface"))
        ):
            if rule in ("ring", "near", "line", "both_sides", "scatter", "against"):
                return self.seats(k, anchors, mine)
        if a is not None and enclosing(a) and rule in ("near", "center", "scatter", "cluster", "on"):
            return self.inside(k, a)  # "goats in a pen", "a paddock with three horses"
        if rule in ("against", "wall"):
            if a is not None and feat != "walls":
                return self.against_item(k, a)
            if site.interior:
                return self.against_walls(k, [j for j in members if self.items[j].stack == 0])
            rule = "near"
        if rule == "center":
            if a is not None:
                return self.spiral(k, a.x, a.z)
            if feat == "lake" and p.get("lake_r", 0.0) > 0:
                return self.water(k) if item.kind.ground == "water" else self.spiral(k, p["lake_x"], p["lake_z"])
            return self.spiral(k, 0.0, 0.0)
        if feat == "hill" and rule == "scatter" and p.get("hill_r", 0.0) > 0:  # "scattered down the slope"
            return self.scatter(k, spread=members, disc=(p["hill_x"], p["hill_z"], p["hill_r"] * 0.9))
        if rule == "hill" or (feat == "hill" and rule in ("near", "ring")):
            top = (p.get("hill_x", 0.0), p.get("hill_z", 0.0))
            if k == members[0] and rule == "hill":
                return self.spiral(k, *top)
            return self.ring(
                k,
                members[1:] if rule == "hill" else members,
                top,
                self.items[members[0]].radius if rule == "hill" else p.get("hill_r", 8.0) * 0.35,
            )
        if rule == "across":
            return self.across(k)
        if rule == "ring":
            if anchors:
                pts = [self.items[j] for j in anchors]
                cx = sum(b.x for b in pts) / len(pts)
                cz = sum(b.z for b in pts) / len(pts)
                r = max(math.hypot(b.x - cx, b.z - cz) + reach_of(b) for b in pts)
                for j in self.done:  # an outer ring clears the rings already round the same anchor
                    o = self.items[j]
                    if o.placement == "ring" and o.anchor == item.anchor and o.group != item.group:
                        r = max(r, math.hypot(o.x - cx, o.z - cz) + o.radius)
                return self.ring(k, members, (cx, cz), r, shared_pad=len(pts) == 1 and pts[0].pad)
            if feat == "lake" and p.get("lake_r", 0.0) > 0:
                return self.ring(k, members, (p["lake_x"], p["lake_z"]), p["lake_r"] * 0.8)
            return self.ring(k, members, (0.0, 0.0), 2.0)
        if (
            rule in ("line", "both_sides", "near")
            and feat in ("road", "river", "pass", None)
            and a is None
            or rule == "row"
            and feat in ("road", "river")
            and a is None
        ):
            line = self.feature_line(feat) if (feat or rule != "near") else None
            if line is not None:
                both = rule == "both_sides"
                if item.optional or len(members) > 12:
                    inner, depth = band_of(feat)
                    return self.band(k, both, line, depth, clear_m=inner)
                return self.along(k, members, both, line)
        if rule in ("line", "both_sides") and a is not None and item.kind.group not in NATURAL_GROUPS:
            return self.flank(k, members, a, rule == "both_sides")
        if (
            item.kind.ground == "water"
            and a is not None
            and a.kind.ground == "water"
            and site.water_level is not None
            and rule != "on"
        ):
            return self.alongside(k, a)  # boats moored by the pier: on the water beside it
        if rule == "near" and a is not None:
            return self.beside(k, a, ANCHOR_PAD_GAP_M if item.pad and a.pad and not site.interior else 0.3)
        if rule in ("line", "both_sides", "cluster") and a is not None:
            face = item.kind.group not in NATURAL_GROUPS
            return self.around_point(k, a.x, a.z, a.radius + item.radius + 0.3, face=face)
        if rule == "direction":
            word = getattr(item, "direction", None) or "north"
            if a is not None:
                return self.direction(k, (a.x, a.z, a.radius, a.yaw_deg), word)
            if feat == "lake" and p.get("lake_r", 0.0) > 0:
                return self.direction(k, (p["lake_x"], p["lake_z"], p["lake_r"], 0.0), word)
            return self.direction(k, (0.0, 0.0, min(site.size) / 5, 0.0), word)
        frozen = p.get("frozen", 0.0) > 0
        if rule == "into_water":
            return self.shore(k, reach_in=not frozen or item.kind.flags.get("shore", 0.0) > 0)
        if rule in ("shore", "near") and feat == "river" and item.kind.ground != "water":
            line = self.feature_line("river")
            if line is not None:  # "willows along the banks": spaced along the river, both banks
                return self.along(k, members, True, line, clear_m=1.5)
        if rule == "shore" or (rule == "near" and feat in ("water", "lake", "shore")):
            return self.shore(k, members=members)
        if rule == "water" or (item.kind.ground == "water" and site.water_level is not None and rule == "scatter"):
            if frozen and not item.kind.flags.get("shore"):
                return self.shore(k, reach_in=False)  # nothing floats on ice: boats are drawn up on the bank
            return self.shore(k) if item.kind.flags.get("shore") else self.water(k)
        if rule == "row":
            return self.row(k, members)
        if rule == "edge":
            return self.edge(k)
        if rule == "cluster":
            first = self.items[members[0]]
            if k != members[0] and first.placed:
                return self.around_point(k, first.x, first.z, first.radius + item.radius + 0.3, face=False)
        return self.scatter(k, spread=members if len(members) > 1 else None)

    def seats(self, k: int, anchors: list[int], idx: int):  # noqa: ANN201
        """This seat's table first, then any table with a free side, then anywhere near (``near`` follows)."""
        item = self.items[k]
        first = anchors[idx % len(anchors)]
        for j in [first] + [a for a in anchors if a != first]:
            item.near = j
            yield from self.slots(k, self.items[j])
        item.near = first
        t = self.items[first]
        yield from self.around_point(k, t.x, t.z, t.radius + item.radius + 0.3)

    def place_all(self, order: list[int], groups: dict[int, list[int]]) -> int:
        """Place the items in ``order``; return how many had to be forced."""
        self.reset_state()
        for k in order:
            item = self.items[k]
            if item.stack > 0 or (item.placement == "on" and item.anchor is not None):
                self.place_on(k, groups)
                continue
            self.try_place(k, self.candidates(k, groups))
        return self.forced

    def place_on(self, k: int, groups: dict[int, list[int]]) -> None:
        """Stand the item on top of another: a candle on a table, a barrel on the barrel below it."""
        item = self.items[k]
        if item.stack > 0:
            parent_k = item.near
        else:
            parents = [j for j in groups.get(item.anchor, []) if self.items[j].placed]
            members = groups[item.group]
            parent_k = parents[members.index(k) % len(parents)] if parents else None
        if parent_k is None or not self.items[parent_k].placed:
            if item.optional or item.stack > 0:
                self.dropped.append(k)
                return
            item.placement, item.anchor = "scatter", None  # nothing to stand on: it stands on the ground
            self.try_place(k, self.scatter(k))
            return
        parent = self.items[parent_k]
        item.parent = item.near = parent_k
        item.base_y = parent.base_y + parent.height
        hx, hz = parent.half
        cx, cz = parent.center_local
        c, s = math.cos(math.radians(parent.yaw_deg)), math.sin(math.radians(parent.yaw_deg))
        stacked = item.stack > 0

        def level(x: float, z: float, yaw: float) -> bool:
            """True when the whole base rests on one level of the parent (a pond's water, not its rim; a tower's
            roof, not the air beside its round top)."""
            tops = tops_under(parent, item.obb(x, z, yaw).samples(3))
            return bool(np.isfinite(tops).all() and tops.max() - tops.min() <= LEVEL_M)

        def gen():  # noqa: ANN202
            for t in range(MAX_TRIES * 4):
                cand = next(spots)
                if stacked or t >= MAX_TRIES * 3 or level(*cand):
                    yield cand

        def draw():  # noqa: ANN202
            for _ in range(MAX_TRIES * 4):
                if stacked:  # squarely on the one below, turned a little
                    lx, lz = cx + float(self.rng.normal(0, 0.01)), cz + float(self.rng.normal(0, 0.01))
                else:
                    lx = cx + float(self.rng.uniform(-1, 1)) * max(0.0, hx - item.radius - 0.05)
                    lz = cz + float(self.rng.uniform(-1, 1)) * max(0.0, hz - item.radius - 0.05)
                icx, icz = item.center_local
                yaw = float(self.rng.uniform(0, 360))
                ox = math.cos(math.radians(yaw)) * icx + math.sin(math.radians(yaw)) * icz
                oz = -math.sin(math.radians(yaw)) * icx + math.cos(math.radians(yaw)) * icz
                yield parent.x + c * lx + s * lz - ox, parent.z - s * lx + c * lz - oz, yaw

        spots = draw()
        if not self.try_place(k, gen()) and k not in self.dropped:
            self.forced -= 1  # a crowded table top is not an error; the candle shares the top
