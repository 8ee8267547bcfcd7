"""Which candidates an item tries: its rule (ring, line, against, on the water, ...) read against its anchor
or the scene's features. ``RuleChoice`` extends ``AnchoredRules``; the Placer checks what it yields."""

from __future__ import annotations

import math

from pipelines.models.anchored import AnchoredRules
from pipelines.models.footprints import NATURAL_GROUPS, enclosing
from pipelines.models.rules import ANCHOR_PAD_GAP_M, band_of, reach_of


class RuleChoice(AnchoredRules):
    """The candidate generator each item's rule picks."""

    done: list[int]  # the items placed so far, in order (kept by the Placer)

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
