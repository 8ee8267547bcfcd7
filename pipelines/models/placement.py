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

from pipelines.models.footprints import (
    FLAT_M,
    LEVEL_M,
    NATURAL_GROUPS,
    NEAR_GAP_M,
    PRIORITY,
    SMALL_PAD_GAP_M,
    SMALL_PAD_M,
    box_pivot,
    disc_meets,
    door_apron,
    enclosing,
    inside_yard,
)
from pipelines.models.layout import MAX_TRIES, OBB, PAD_GAP_M, Item, Site, overlap, tops_under
from pipelines.models.rule_choice import RuleChoice
from pipelines.models.rules import ANCHOR_PAD_GAP_M, CROWN, ROADSIDE, parked

__all__ = ["PRIORITY", "Placer", "door_apron"]


class Placer(RuleChoice):
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
        elif item.ring_room and site.wet(OBB(box.x, box.z, box.hx + item.ring_room, box.hz + item.ring_room, 0.0)) > 0:
            return False  # a ring round it would stand in the lake, so its even spots are lost
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
            # what rings either (chairs, hydrangeas) keeps its room, unless it is what rings the other
            ring = (0.0 if other.anchor == item.group else item.clearance) + (
                0.0 if item.anchor == other.group else other.clearance
            )
            if item.pad and other.pad and not self.site.interior:
                return max(ANCHOR_PAD_GAP_M, ring)  # a silo by its barn: their pads share its height (pad_heights)
            return max(NEAR_GAP_M, ring)  # "a cauldron by the fire", "an anvil in front of the forge": close
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
        # a top that already holds something and has no room for more leaves the rest out (reported), rather
        # than standing them through one another: 14 plants on 4 tables are as many as the tops hold
        shared = not stacked and any(self.items[j].parent == parent_k for j in self.done)
        was, item.optional = item.optional, item.optional or shared
        if not self.try_place(k, gen()) and k not in self.dropped:
            self.forced -= 1  # the first on a top too small for it still stands there
        item.optional = was
