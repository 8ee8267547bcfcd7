"""What a scene holds: groups of like objects, from the prompt's mentions and the settings' defaults.

A group carries its kind, count, placement rule, anchor (another group) or
feature (road, river, lake, pass, the room's walls), attributes and whether
its members stack. Collective nouns ("a forest", "a herd") get their count
from the ground they cover: both sides of a pass are two bands, "scattered"
spreads over the scene. What the prompt leaves unsaid is inferred (candles on
the tables, chairs around them, shelves against the walls). Counts over the
caps are cut and reported, never silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.models.kinds import KINDS, Kind
from pipelines.models.prompt import Mention, ParsedPrompt
from pipelines.models.rules import band_of
from pipelines.models.settings import SETTINGS, Setting
from pipelines.models.vocabulary import SEATS_PER_TABLE
from pipelines.plan import Environment

MAX_ENTITIES = 300
MAX_PER_GROUP = 300  # = MAX_ENTITIES: a forest of 200 trees is one group (issue 12)
NATURAL = {"tree", "rock", "shrub", "crystal"}
DRESSING = NATURAL | {"grass"}  # what a setting strews about: placed after the prompt's own objects
STACKABLE = {"barrel", "crate"}  # stackable before the catalog flags its kinds

PLACEMENTS = {"wall": "against"}  # older names of the contract's placements
VEHICLES = {"car", "truck", "bus", "bicycle", "motorcycle", "wagon", "handcart", "tractor"}
# Things that belong at the roadside: with a road in the scene and nowhere said, they line it.
ROADSIDE = VEHICLES - {"tractor"} | {
    "bus stop",
    "traffic light",
    "signpost",
    "mailbox",
    "fire hydrant",
    "lamp post",
    "bollard",
    "phone booth",
    "trash bin",
}


@dataclass(frozen=True)
class Collective:
    """How a collective noun sets a count: ground per member, the patch it covers alone, bounds, its rule."""

    m2_each: float
    patch_m2: float
    low: int
    high: int
    placement: str | None = None


COLLECTIVES = {
    "forest": Collective(30.0, 900.0, 12, 120),
    "woodland": Collective(34.0, 900.0, 10, 100),
    "woods": Collective(30.0, 900.0, 12, 120),
    "grove": Collective(22.0, 260.0, 5, 18, "cluster"),
    "orchard": Collective(26.0, 450.0, 9, 36, "row"),
    "thicket": Collective(5.0, 60.0, 6, 20, "cluster"),
    "herd": Collective(16.0, 200.0, 5, 16, "cluster"),
    "flock": Collective(7.0, 140.0, 8, 24, "cluster"),
    "crowd": Collective(3.0, 120.0, 8, 30, "cluster"),
    "field": Collective(2.5, 160.0, 12, 60, "cluster"),
    "meadow": Collective(2.5, 160.0, 12, 60, "cluster"),
}
PILES = {"stack", "stacks", "pile", "piles", "heap", "heaps"}
SPREAD_WORDS = ("scatter", "spread", "dotted", "here and there", "everywhere", "across")
STREET_FRONTS = {"building", "shop", "church"}  # what lines a street rather than standing in the middle of it
WALL_LIKE = ("wall", "castle keep", "gatehouse", "tower", "fence", "hedge", "house", "barn", "shop")


@dataclass
class Group:
    """A set of like objects to place together: from one mention, or a setting's default."""

    kind: Kind
    count: int
    placement: str
    words: str
    anchor: int | None = None
    feature: str | None = None
    mention: Mention | None = None
    size: float = 1.0
    attributes: tuple[str, ...] = ()
    direction: str | None = None
    stacked: bool = False
    collective: str | None = None
    optional: bool = False  # members may be left out when they find no room (a forest's trees)

    @property
    def explicit(self) -> bool:
        return self.mention is not None and self.mention.explicit


def stackable(kind: Kind) -> bool:
    return bool(kind.flags.get("stackable")) or kind.name in STACKABLE


def default_kind(name: str) -> Kind | None:
    """Return the first kind of "a|b" the catalog has, or None."""
    return next((KINDS[n] for n in name.split("|") if n in KINDS), None)


def from_mention(m: Mention, interior: bool) -> Group:
    kind = KINDS[m.kind]
    placement = PLACEMENTS.get(m.placement, m.placement)
    collective = getattr(m, "collective", None)
    stacked = bool(getattr(m, "stacked", False)) or (collective in PILES)
    stacked = stacked and stackable(kind)
    if stacked and placement == "scatter":
        placement = "against" if interior else "cluster"
    feature = m.feature
    if placement == "against" and feature is None and m.anchor is None and interior:
        feature = "walls"
    g = Group(
        kind,
        m.count,
        placement,
        m.words,
        m.anchor,
        feature,
        m,
        m.size,
        attributes=tuple(getattr(m, "attributes", ()) or ()),
        direction=getattr(m, "direction", None),
        stacked=stacked,
        collective=collective,
    )
    spec = COLLECTIVES.get(collective or "")
    if spec is not None:
        g.optional = True
        said = f"{getattr(m, 'relation_words', '')} {m.words}"
        if spec.placement and placement == "scatter" and not any(w in said for w in SPREAD_WORDS):
            g.placement = spec.placement  # a herd stands together unless it is "scattered"
    return g


def build_groups(parsed: ParsedPrompt, settings: list[Setting], env: Environment, warnings: list[str]) -> list[Group]:
    """Return the groups to place, counts set and capped (each cap reported in ``warnings``)."""
    interior = env.kind == "interior"
    groups = [from_mention(m, interior) for m in parsed.mentions]
    for g in groups:
        if g.collective in COLLECTIVES and not g.explicit:
            g.count = collective_count(g, env, parsed.density, warnings)
    add_defaults(groups, parsed, env)
    infer_placements(groups, env)
    total = 0
    for g in groups:
        # a collective's count ("a pine forest") comes from the ground it covers, not from words: nothing to report
        said = g.mention is not None and (g.explicit or g.collective not in COLLECTIVES)
        want = max(g.count, g.mention.asked if said and g.mention is not None else 0)
        g.count = max(0, min(g.count, MAX_PER_GROUP, MAX_ENTITIES - total))
        if g.count < want and g.mention is not None:
            cap = "the 300-object cap" if g.count < min(want, MAX_PER_GROUP) else f"at most {MAX_PER_GROUP} per group"
            warnings.append(f"{g.words!r}: {want} {g.kind.name} wanted, {g.count} made ({cap})")
        total += g.count
    return groups


def collective_count(g: Group, env: Environment, density: float, warnings: list[str]) -> int:
    """Return how many members a collective has: the ground it covers over the ground each member takes."""
    spec = COLLECTIVES[g.collective or ""]
    sx, sz = env.size_m
    p = env.params
    if g.placement in ("both_sides", "line") and (g.feature in ("pass", "road", "river") or g.anchor is None):
        _, depth = band_of("pass" if g.feature == "pass" else g.feature)
        length = (sx if p.get("road_axis", 0.0) > 0.5 and g.feature == "road" else sz) - 4.0
        area = depth * length * (2 if g.placement == "both_sides" else 1)
    elif g.placement == "scatter" and g.collective in ("forest", "woodland", "woods"):
        area = 0.45 * sx * sz
    else:
        area = spec.patch_m2 * g.size**2
    # Members keep their spacing: placed at random, squares fill about half the ground they could tile.
    shape = g.kind.shape({})
    half = max(shape.hi[0] - shape.lo[0], shape.hi[2] - shape.lo[2]) / 2
    m2 = max(spec.m2_each, 2.0 * (2 * half * g.size + g.kind.spacing_m) ** 2)
    want = round(area / m2 * density)
    count = max(spec.low, min(spec.high, want))
    if want > spec.high:
        warnings.append(
            f"{g.words!r}: a {g.collective} here would hold about {want} {g.kind.name}; "
            f"{spec.high} made (the cap for a {g.collective})"
        )
    return count


def add_defaults(groups: list[Group], parsed: ParsedPrompt, env: Environment) -> None:
    """Add each named setting's default content for the kinds and groups the prompt did not mention."""
    negated = set(parsed.negated) | {KINDS[k].group for k in parsed.negated if k in KINDS}
    mentioned = {g.kind.group for g in groups} | {g.kind.name for g in groups}
    named = [SETTINGS[n] for n in parsed.settings if n in SETTINGS]
    if not groups and not any(s.defaults for s in named):
        named = named + [SETTINGS["meadow"]]
    area = (env.size_m[0] * env.size_m[1]) / 3600.0 * parsed.scale**2
    frozen = "frozen" in (getattr(parsed, "feature_attributes", {}) or {}).get("lake", [])
    bare = not any(g.mention is not None for g in groups)
    for s in named:
        for entry in s.defaults:
            kind = default_kind(entry[0])
            if kind is None or kind.name in negated or kind.group in negated or kind.name in mentioned:
                continue
            if entry[0] in s.bare_only and not bare:
                continue  # the prompt named its own objects: no pier it did not ask for
            if kind.group in mentioned and not any(g.mention is None and g.kind.group == kind.group for g in groups):
                continue
            if frozen and kind.ground == "water" and not kind.flags.get("shore"):
                continue  # no boats on a frozen lake
            placement = entry[2] if len(entry) > 2 else "scatter"
            anchor = None
            if len(entry) > 3:
                target = default_kind(entry[3])
                anchor = next(
                    (i for i, g in enumerate(groups) if target is not None and g.kind.name == target.name), None
                )
                if anchor is None:
                    if placement == "on":
                        continue  # a lamp for a nightstand that is not there
                    placement = "scatter"
            natural = kind.group in NATURAL
            dense = parsed.density if natural else 1.0
            count = max(1, round(entry[1] * dense * (area if natural else 1.0)))
            feature = "walls" if placement == "against" and env.kind == "interior" else None
            if placement in ("line", "both_sides") and env.params.get("road_w", 0.0) > 0:
                feature = "road"
            groups.append(Group(kind, count, placement, f"({s.name})", anchor, feature, optional=natural))
            mentioned.add(kind.name)


def infer_placements(groups: list[Group], env: Environment) -> None:
    """Fill in what the prompt left unsaid: candles on tables, chairs around them, cliffs at the edge."""
    by_group = {g.kind.group: i for i, g in reversed(list(enumerate(groups)))}
    river = env.params.get("river_w", 0.0) > 0
    interior = env.kind == "interior"
    for g in groups:
        if g.kind.name == "bridge" and river and g.placement in ("scatter", "near", "center"):
            g.placement, g.feature = "across", "river"
    for g in groups:  # what others stand around goes in the middle, unless placed otherwise
        if (
            g.anchor is not None
            and g.placement in ("ring", "near")
            and groups[g.anchor].placement == "scatter"
            and not groups[g.anchor].kind.flags.get("against_wall")
        ):
            groups[g.anchor].placement = "center"
    centre = next((i for i, g in enumerate(groups) if g.placement == "center"), None)
    for i, g in enumerate(groups):
        if g.anchor is not None and (g.anchor == i or g.anchor >= len(groups)):
            g.anchor = None
        if g.placement == "on" and g.anchor is not None:
            if not g.explicit and g.mention is not None:  # "candles on the tables": one on each, or more
                host = groups[g.anchor]
                # ducks or koi on a pond come as many as said; a clump of lily pads is already many pads
                swim = host.kind.group in ("pond", "fountain") and g.kind.group in ("waterfowl", "fish")
                roomy = host.kind.flags.get("surface") or swim
                more = g.count if g.mention.count > 1 and roomy else 1
                g.count = max(more, host.count)  # "banners on the towers": one on each tower's top
            continue
        if (g.kind.ground == "on" or g.kind.name == "candle") and g.placement in ("scatter", "on") and g.anchor is None:
            surface = _surface_for(g, groups)
            if surface is not None:
                g.placement, g.anchor = "on", surface
                if not g.explicit and g.mention is not None:
                    g.count = groups[surface].count
                continue
        if (
            g.kind.group == "seat"
            and g.anchor is not None
            and not groups[g.anchor].kind.flags.get("surface")
            and groups[g.anchor].kind.group not in ("table", "counter", "hearth", "landmark")
            and (groups[g.anchor].kind.ground == "on" or groups[g.anchor].placement == "on")
        ):
            g.anchor = None  # chairs "around" candles: they mean the tables the candles stand on (a bench by a house
            # stays by it)
        if (
            g.kind.group == "seat"
            and g.anchor is None
            and g.placement in ("scatter", "ring", "near", "against")
            and not (g.feature == "walls" and g.mention is not None and g.mention.relation_words)
            and g.kind.name != "throne"
        ):  # "a throne at the far end", "chairs along the walls" stay there
            anchor = by_group.get("counter") if g.kind.name == "stool" else by_group.get("table")
            anchor = anchor if anchor is not None else by_group.get("table", by_group.get("counter"))
            if anchor is not None and (interior or g.placement != "scatter") and anchor != i:
                g.placement, g.anchor = "ring", anchor
        if (
            g.kind.group == "seat"
            and g.anchor is not None
            and groups[g.anchor].kind.group == "table"
            and g.mention is not None
            and not g.explicit
        ):
            g.count = groups[g.anchor].count * SEATS_PER_TABLE  # "tables with chairs": chairs at every table
            continue
        if g.anchor is not None and g.placement == "ring":
            continue
        if interior and (g.kind.flags.get("against_wall") or g.kind.ground == "wall") and g.placement == "scatter":
            g.placement, g.feature = "against", "walls"
        elif interior and g.kind.name == "rug" and g.placement == "scatter":
            g.placement = "center"
        elif (
            g.kind.name in ROADSIDE
            and g.placement == "scatter"
            and not interior
            and g.anchor is None
            and env.params.get("road_w", 0.0) > 0
        ):
            g.placement, g.feature = "line", "road"
        elif (
            g.kind.ground == "pad"
            and g.kind.group in STREET_FRONTS
            and g.placement in ("scatter", "row")
            and g.anchor is None
            and env.biome in ("street", "suburb")
            and env.params.get("road_w", 0.0) > 0
        ):
            g.placement, g.feature = "both_sides", "road"  # a street's or a suburb's houses front it on both sides
        elif g.kind.flags.get("edge") and g.placement == "scatter" and not interior:
            g.placement = "edge"
        elif (
            g.kind.name == "lighthouse"
            and g.placement == "scatter"
            and env.params.get("beach", 0) + env.params.get("island_r", 0) + env.params.get("lake_r", 0) > 0
        ):
            g.placement = "shore"
        elif g.placement == "ring" and g.anchor is None and centre is not None and centre != i:
            g.anchor = centre
        if g.placement == "against" and g.anchor is None and g.feature is None and interior:
            g.feature = "walls"
        if not interior and g.feature == "walls" and g.anchor is None:  # outdoors the walls are objects
            wall = next((j for name in WALL_LIKE for j, h in enumerate(groups) if h.kind.name == name and j != i), None)
            if wall is not None:
                g.anchor, g.placement = wall, "against"
            elif g.placement in ("against", "line", "near"):
                g.placement, g.feature = "edge", None


def _surface_for(g: Group, groups: list[Group]) -> int | None:
    """Return the group whose tops ``g`` stands on: a table for candles, a nightstand for a lamp."""
    prefer = {
        "table lamp": ("nightstand", "desk", "table"),
        "tankard": ("table", "bar counter"),
        "bottle": ("bar counter", "table", "kitchen counter"),
        "books": ("desk", "table", "nightstand"),
    }
    surfaces = [i for i, h in enumerate(groups) if h.kind.flags.get("surface") and h is not g]
    for name in prefer.get(g.kind.name, ()):
        hit = next((i for i in surfaces if groups[i].kind.name == name), None)
        if hit is not None:
            return hit
    tables = [i for i in surfaces if groups[i].kind.group == "table"]
    return (tables or surfaces or [None])[0]
