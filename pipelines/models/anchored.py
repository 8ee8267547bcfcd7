"""Placement rules relative to other things: against the room's walls or an object, at a table, beside an
object, on and by the water.

``AnchoredRules`` extends ``rules.Rules``; the Placer uses both.
"""

from __future__ import annotations

import math

import numpy as np

from pipelines.models.layout import MAX_TRIES, PAD_GAP_M, Item, facing
from pipelines.models.rules import (
    ANCHOR_PAD_GAP_M,
    CROWN,
    NATURAL_YAW,
    RING_GAP_M,
    RING_SLACK,
    RING_STEP_M,
    RING_STEPS,
    RING_TRIES,
    RING_TURNS,
    WALL_GAP_M,
    Rules,
    world,
)


class AnchoredRules(Rules):
    """Candidate generators for items placed against, at, beside or on the water near something."""

    def flank(self, k: int, members: list[int], anchor: Item, both: bool):  # noqa: ANN201
        """Beside ``anchor``, off its left and right flanks (alternating when ``both``), facing as it does;
        or in a line along its front (a row of crates along a wall)."""
        item = self.items[k]
        idx = members.index(k)
        ahx, ahz = anchor.half
        acx, acz = anchor.center_local
        for t in range(MAX_TRIES):
            if both:
                side = 1.0 if idx % 2 == 0 else -1.0
                lx = side * (ahx + item.half[0] + 0.4 + (idx // 2) * (2 * item.half[0] + 0.4) + 0.3 * (t // 4))
                lz = float(self.rng.uniform(-0.3, 0.3)) * ahz
            else:
                n = len(members)
                step = 2 * item.half[0] + max(item.kind.spacing_m, 0.3)
                lx = (idx - (n - 1) / 2) * step + float(self.rng.normal(0, 0.2 * min(t, 5)))
                lz = ahz + item.half[1] + 0.5 + 0.3 * (t // 4)
            wx, wz = world(lx + acx, lz + acz, anchor.yaw_deg)
            yield anchor.x + wx, anchor.z + wz, anchor.yaw_deg + (0.0 if both else float(self.rng.uniform(-5, 5)))

    # ------------------------------------------------------------ indoors

    def against_walls(self, k: int, members: list[int]):  # noqa: ANN201
        """Back against the room's back (-z) or left (-x) wall, facing into the room; members side by side."""
        item = self.items[k]
        sx, sz = self.site.size[0] / 2, self.site.size[1] / 2
        cx, cz = item.center_local
        hx, hz = item.half
        back_len, left_len = 2 * sx, 2 * sz
        idx = members.index(k)
        start = self._start.setdefault(members[0], float(self.rng.uniform()))
        wall0 = self._side.setdefault(
            members[0], 1.0 if self.rng.uniform() < back_len / (back_len + left_len) else -1.0
        )
        step = 2 * hx + 0.1
        for t in range(MAX_TRIES):
            wall = wall0 if t < MAX_TRIES // 2 else -wall0
            length = back_len if wall > 0 else left_len
            room = length - 2 * hx - 0.8
            if t < 40:  # side by side from a start point, then anywhere along the wall
                u = (start * room + idx * step + (t // 2) * step * (1 if t % 2 else -1)) % max(room, 1e-6)
            else:
                u = float(self.rng.uniform(0, max(room, 0.0)))
            u = -length / 2 + hx + 0.4 + u
            if wall > 0:  # back wall: front +z
                yield u - cx, -sz + WALL_GAP_M + hz - cz, 0.0
            else:  # left wall: front +x (yaw 90 turns local +z to world +x)
                lx, lz = world(cx, cz, 90.0)
                yield -sx + WALL_GAP_M + hz - lx, u - lz, 90.0

    def beside(self, k: int, anchor: Item, gap: float):  # noqa: ANN201
        """Next to ``anchor``: off one of its sides, ``gap`` (and a little more each round) from it."""
        item = self.items[k]
        ahx, ahz = anchor.half
        acx, acz = anchor.center_local
        natural = item.kind.group in ("tree", "rock", "shrub", "crystal")
        sides = [float(v) for v in self.rng.permutation([0.0, 90.0, 180.0, 270.0])]
        for t in range(MAX_TRIES):
            side = sides[t % 4]
            along_side = ahx if side in (0.0, 180.0) else ahz  # half length of that side
            reach = (ahz if side in (0.0, 180.0) else ahx) + gap + 0.25 * (t // 8)
            lateral = float(self.rng.uniform(-1, 1)) * along_side
            yaw = float(self.rng.uniform(0, 360)) if natural else anchor.yaw_deg + side + 180.0  # facing it
            size = max(item.half) if natural else item.half[1]
            ox, oz = world(lateral, reach + size, anchor.yaw_deg + side)
            bx, bz = world(acx, acz, anchor.yaw_deg)
            icx, icz = world(*item.center_local, yaw)
            yield anchor.x + bx + ox - icx, anchor.z + bz + oz - icz, yaw

    def inside(self, k: int, anchor: Item):  # noqa: ANN201
        """Within an enclosure's yard (goats in a pen), clear of its fence; then beside it."""
        item = self.items[k]
        ahx, ahz = anchor.half
        acx, acz = anchor.center_local
        room_x, room_z = ahx - item.radius - 0.35, ahz - item.radius - 0.35
        if room_x > 0 and room_z > 0:
            for _ in range(MAX_TRIES):
                lx, lz = float(self.rng.uniform(-room_x, room_x)), float(self.rng.uniform(-room_z, room_z))
                wx, wz = world(lx + acx, lz + acz, anchor.yaw_deg)
                yaw = float(self.rng.uniform(0, 360))
                icx, icz = world(*item.center_local, yaw)
                yield anchor.x + wx - icx, anchor.z + wz - icz, yaw
        yield from self.beside(k, anchor, 0.3)

    def against_item(self, k: int, anchor: Item):  # noqa: ANN201
        """Back against a side of ``anchor`` (its back or its flanks), facing away from it."""
        item = self.items[k]
        ahx, ahz = anchor.half
        acx, acz = anchor.center_local
        # a wall or fence is stood against on its face (its front faces the courtyard); a house at its back or flanks
        sides = [0.0, 180.0] if anchor.kind.flags.get("linear") else [180.0, 90.0, -90.0, 0.0]
        for t in range(MAX_TRIES):
            side = sides[t % len(sides)] if t < 8 else float(self.rng.choice(sides[:3]))
            yaw = anchor.yaw_deg + side
            reach = (ahz if side in (0.0, 180.0) else ahx) + item.half[1] + WALL_GAP_M + 0.02 * (t // 8)
            lateral = float(self.rng.uniform(-1, 1)) * max(0.0, (ahx if side in (0.0, 180.0) else ahz) - item.half[0])
            ox, oz = world(lateral, reach, yaw)
            bx, bz = world(acx, acz, anchor.yaw_deg)
            icx, icz = world(*item.center_local, yaw)
            yield anchor.x + bx + ox - icx, anchor.z + bz + oz - icz, yaw

    def slots(self, k: int, anchor: Item):  # noqa: ANN201
        """Seats at a table (around a round one, along a square or long one's sides) or before a counter, facing it."""
        item = self.items[k]
        hx, hz = anchor.half
        cx, cz = anchor.center_local
        d = item.half[1] + 0.1
        if anchor.kind.group == "counter" or anchor.kind.flags.get("against_wall"):
            local = [(float(x), hz + d, 180.0) for x in np.arange(-hx + 0.45, hx - 0.3, 0.8)]
        elif anchor.params.get("round", 0.0) > 0.5:
            r = max(hx, hz) + d
            n = max(3, min(8, int(2 * math.pi * r // (2 * item.half[0] + 0.25))))
            local = [
                (r * math.sin(2 * math.pi * i / n), r * math.cos(2 * math.pi * i / n), 180.0 + 360.0 * i / n)
                for i in range(n)
            ]
        else:
            along = (-hx / 2, hx / 2) if hx > 0.7 else (0.0,)
            local = [(x, sgn * (hz + d), 180.0 if sgn > 0 else 0.0) for x in along for sgn in (1, -1)]
            local += [(hx + d, 0.0, -90.0), (-hx - d, 0.0, 90.0)]
        for i in self.rng.permutation(len(local)):
            lx, lz, rel = local[int(i)]
            wx, wz = world(lx + cx, lz + cz, anchor.yaw_deg)
            yaw = anchor.yaw_deg + rel
            icx, icz = world(*item.center_local, yaw)
            yield anchor.x + wx - icx, anchor.z + wz - icz, yaw

    # ------------------------------------------------------------ water

    def water(self, k: int):  # noqa: ANN201
        """On open water at least half a metre deep."""
        item, site = self.items[k], self.site
        scatter = self.scatter(k)
        for _ in range(MAX_TRIES * 20):
            cand = next(scatter)
            box = item.obb(*cand)
            if site.water_level is not None and site.water_level - site.ground_under(box).max() > 0.5:
                yield cand

    def alongside(self, k: int, anchor: Item):  # noqa: ANN201
        """On the water beside ``anchor`` (a boat along a pier, its bow the pier's way), else near it on the water."""
        item, site = self.items[k], self.site
        ahx, ahz = anchor.half
        for t in range(MAX_TRIES * 4):
            side = 1.0 if (k + t) % 2 == 0 else -1.0
            if t < MAX_TRIES:
                lx = side * (ahx + item.half[0] + 0.4 + 0.3 * (t // 8))
                lz = float(self.rng.uniform(-0.9, 0.9)) * ahz
                yaw = anchor.yaw_deg + float(self.rng.choice([0.0, 180.0]))
            else:
                a = float(self.rng.uniform(0, 2 * math.pi))
                r = anchor.radius + item.radius + float(self.rng.uniform(0.3, 4.0))
                lx, lz, yaw = r * math.sin(a), r * math.cos(a), float(self.rng.uniform(0, 360))
            wx, wz = world(lx, lz, anchor.yaw_deg if t < MAX_TRIES else 0.0)
            x, z = anchor.x + wx, anchor.z + wz
            box = item.obb(x, z, yaw)
            if site.water_level is not None and site.water_level - site.ground_under(box).max() > 0.5:
                yield x, z, yaw

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

    def shore(self, k: int, reach_in: bool | None = None, members: list[int] | None = None):  # noqa: ANN201
        """By the water: piers reach out over it from the bank, others stand on the bank facing it.

        By a lake, the bank is the lake's, and a group's members take turns round it (pines round a lake).
        """
        item, site = self.items[k], self.site
        pts = self.shore_points()
        p = site.params
        lake = item.feature == "lake" and p.get("lake_r", 0.0) > 0
        if lake and len(pts):
            d = np.hypot(pts[:, 0] - p["lake_x"], pts[:, 1] - p["lake_z"])
            near = pts[d < p["lake_r"] * 1.15]
            pts = near if len(near) else pts
        if len(pts) == 0:
            yield from self.scatter(k)
            return
        pier = item.kind.ground == "water" if reach_in is None else reach_in
        forest = bool(lake and members and len(members) > 1 and not pier)
        pitch = 2 * item.radius + item.kind.spacing_m

        def behind():  # noqa: ANN202 - a forest round a lake: the bank holds the first trees, the rest
            d = max(2 * max(self.items[j].half) for j in members) + item.kind.spacing_m  # stand behind them, on a
            hx, hz = site.size[0] / 2 - 1.0, site.size[1] / 2 - 1.0  # lattice growing out from the water: a wood
            gx, gz = np.meshgrid(np.arange(-hx, hx, d), np.arange(-hz, hz, d * math.sqrt(3) / 2))
            gx = gx + (np.arange(gx.shape[0])[:, None] % 2) * d / 2
            r = np.hypot(gx - p["lake_x"], gz - p["lake_z"]).ravel()
            near = np.argsort(r, kind="stable")
            pts = np.stack([gx.ravel(), gz.ravel()], 1)[near[r[near] > p["lake_r"]]]
            placed = np.array(
                [(self.items[j].x, self.items[j].z) for j in members if self.items[j].placed] or [(1e9, 1e9)]
            )
            free = np.hypot(*(pts[:, None, :] - placed[None]).transpose(2, 0, 1)).min(axis=1) > 0.8 * d
            pts = pts[free] + self.rng.uniform(-0.12 * d, 0.12 * d, size=(int(free.sum()), 2))  # not in rows
            for x, z in pts:  # the nearest free points first
                yield float(x), float(z), self.default_yaw(item, float(x), float(z))

        if forest and members.index(k) >= int(2 * math.pi * p["lake_r"] / pitch):
            yield from behind()
            return
        order = None
        if lake and members and len(members) > 1:  # nearest bank points to this member's turn round the lake
            phase = self._phase.setdefault(members[0], float(self.rng.uniform(0, 2 * math.pi)))
            want = phase + 2 * math.pi * members.index(k) / len(members)
            ang = np.arctan2(pts[:, 0] - p["lake_x"], pts[:, 1] - p["lake_z"])
            order = np.argsort(np.abs((ang - want + math.pi) % (2 * math.pi) - math.pi), kind="stable")
        if item.anchor is not None and item.near is not None and self.items[item.near].placed:
            own = self.items[item.near]  # a jetty by its cabin: the bank nearest the cabin first
            d = np.hypot(pts[:, 0] - own.x, pts[:, 1] - own.z)
            order = np.argsort(np.abs(d - own.radius - item.half[0] - 1.5), kind="stable")  # beside it, not under it
        for t in range(MAX_TRIES * 4):
            if forest and t == MAX_TRIES // 2:  # no room left on the bank: behind it
                yield from behind()
                return
            if order is not None and t < MAX_TRIES:
                i = int(order[min(len(order) - 1, int(self.rng.integers(0, 1 + min(len(order) - 1, 4 * t + 8))))])
            else:
                i = int(self.rng.integers(len(pts)))
            px, pz = pts[i]
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
                back = item.radius * (0.7 if lake else 1.0) + (0.8 if lake else 1.5)
                yield px - dx * back, pz - dz * back, math.degrees(a)

    def ring(
        self,
        k: int,
        members: list[int],
        center: tuple[float, float],
        r_anchor: float,  # noqa: ANN201
        shared_pad: bool = False,
    ):
        """Evenly around ``center``, facing it, far enough out that neighbours' inner corners clear.

        ``shared_pad``: built members round a built anchor share its ground height, so they may stand closer.
        """
        item = self.items[k]
        n = len(members)
        idx = members.index(k)
        gap = (
            (ANCHOR_PAD_GAP_M if shared_pad else PAD_GAP_M)
            if item.pad and not self.site.interior
            else max(item.kind.spacing_m, 0.6 if self.site.interior else 1.0)
        )
        tangential, radial = item.half[0] + gap / 2, item.half[1] + gap / 2
        r0 = r_anchor + (ANCHOR_PAD_GAP_M if item.pad else RING_GAP_M) + item.half[1]  # close round what they ring
        if item.kind.group in NATURAL_YAW and item.kind.flags.get("base"):
            # trees ring by their trunks: crowns are round (not their boxes' corners) and may reach over a low anchor
            tangential = radial = CROWN * max(item.half) + gap / 2
            r0 = r_anchor + RING_GAP_M + max(item.half) * item.kind.flags["base"]
        if n > 1:
            r0 = max(r0, radial + tangential / math.tan(math.pi / n))
        if members[0] not in self._phase:
            self._phase[members[0]] = self._ring_phase(k, n, center, r0)
        phase = self._phase[members[0]]
        slack = min(RING_SLACK, math.pi / n)  # off its even angle by at most this: no gap opens wide
        for t in range(MAX_TRIES):
            if t < RING_STEPS * RING_TRIES:  # the even spot is taken (a road, a tent): step out, keeping the angle
                step, i = divmod(t, RING_TRIES)
                off = slack * ((i + 1) // 2) / (RING_TRIES // 2) * (1 if i % 2 else -1)
                a = phase + 2 * math.pi * idx / n + off + float(self.rng.normal(0, 0.01))
                r = r0 + RING_STEP_M * step
            else:  # nowhere near its angle: any free spot on the ring
                a = float(self.rng.uniform(0, 2 * math.pi))
                r = r0 + float(self.rng.uniform(0, 4.0))
            x, z = center[0] + r * math.sin(a), center[1] + r * math.cos(a)
            yield x, z, facing(x, z, *center)

    def _ring_phase(self, k: int, n: int, center: tuple[float, float], r0: float) -> float:
        """Return the ring's turn whose even spots are free closest in (a lake or a road on one side)."""
        item, start = self.items[k], float(self.rng.uniform(0, 2 * math.pi))
        best, least = start, (RING_STEPS + 1, 0)
        for i in range(RING_TURNS):
            phase = start + 2 * math.pi * i / (RING_TURNS * n)
            steps = []
            for j in range(n):
                a = phase + 2 * math.pi * j / n
                for step in range(RING_STEPS + 1):
                    r = r0 + RING_STEP_M * step
                    x, z = center[0] + r * math.sin(a), center[1] + r * math.cos(a)
                    if step == RING_STEPS or self.fits(k, item.obb(x, z, facing(x, z, *center))):  # type: ignore[attr-defined]
                        break
                steps.append(step)
            if (max(steps), sum(steps)) < least:
                best, least = phase, (max(steps), sum(steps))
            if least[0] == 0:
                break
        return best
