"""The embedded procedural scene model: prompt -> ScenePlan -> terrain and object fields.

Offline and seeded: the prompt reader (``prompt.py``) says what is asked for,
the settings (``settings.py``) shape terrain, palette and default content,
``groups.py`` turns both into groups of like objects with counts, each object
comes from its catalog kind (``kinds/``) with shape parameters, attributes and
materials drawn from the seed, ``placement.py`` stands it somewhere it fits,
and ``fields`` (``plan_fields.py``) turns the (possibly hand-edited) plan into torch fields. A
prompt that names one object and no setting is a prop: the object alone.
"""

from __future__ import annotations

import math

import numpy as np

from exporters.errors import InputError
from pipelines.models.encoder import nearest_kind
from pipelines.models.environment import (
    active_settings,
    build_environment,
    settle_water,
    tint_of,
)
from pipelines.models.groups import DRESSING, MAX_ENTITIES, NATURAL, Group, build_groups
from pipelines.models.kinds.room import walkway
from pipelines.models.layout import Item, Site, pad_heights, settle
from pipelines.models.materials import AUTUMN_LEAVES, COLOR_WORDS, preset
from pipelines.models.placement import PRIORITY, Placer
from pipelines.models.plan_fields import PlanFields
from pipelines.models.prompt import ParsedPrompt, read_prompt, resolve_part
from pipelines.models.settings import Setting
from pipelines.models.sizing import clear_core, resize, scene_size
from pipelines.models.terrain import base_heights, build_heightmap, grid_axes
from pipelines.plan import EntityPlan, Environment, MaterialSpec, ScenePlan

MODEL_NAME = "procedural"
__all__ = ["MAX_ENTITIES", "MODEL_NAME", "ProceduralModel", "is_prop"]
HANG_M = 1.2  # where a picture's lower edge hangs on a room's wall
RING_GAP_M = 0.3  # beyond the depth of what rings a thing, kept free round it
SEAT_CLEARANCE_M = 0.7  # a chair and room to pull it out, on each side of a table that has chairs


def is_prop(parsed: ParsedPrompt) -> bool:
    """True when the prompt names one object and no setting: the reader says so, or (older readers) it looks so."""
    flag = getattr(parsed, "prop", None)
    if flag is not None:
        return bool(flag) and len(parsed.mentions) == 1
    return (
        len(parsed.mentions) == 1
        and parsed.mentions[0].count == 1
        and not parsed.settings
        and not parsed.features
        and parsed.mentions[0].placement == "scatter"
    )


class ProceduralModel(PlanFields):
    """The embedded scene model (``--model procedural``)."""

    name = MODEL_NAME

    def __init__(self, embeddings: bool = True) -> None:
        """``embeddings``: map unknown nouns with the optional sentence-embedding package when installed."""
        self.embeddings = embeddings

    def _nearest(self, word: str) -> tuple[str | None, float, str]:
        return nearest_kind(word, embeddings=self.embeddings)

    def generate(self, prompt: str, seed: int) -> ScenePlan:
        """Return the plan for ``prompt``; the same prompt and seed give the same plan."""
        text = prompt.strip()
        if not text:
            raise InputError("the prompt is empty; describe a scene, e.g. 'a village with five houses around a well'")
        return self.plan_from(read_prompt(text, nearest=self._nearest), prompt, seed)

    def plan_from(self, parsed: ParsedPrompt, prompt: str, seed: int) -> ScenePlan:
        """Return the plan for what the reader understood (``parsed``) of ``prompt``."""
        warnings: list[str] = []
        trace = [dict(t) for t in (getattr(parsed, "trace", None) or [])]
        if is_prop(parsed):
            return self._prop(parsed, prompt, seed, trace)
        if not parsed.mentions and not parsed.settings and parsed.features == ["road"]:
            parsed.settings.append("street")  # "a street": the road is the subject, and a street has its things
        settings = active_settings(parsed.settings)
        env = build_environment(
            settings,
            parsed.features,
            seed,
            np.random.default_rng([seed, 1]),
            getattr(parsed, "feature_attributes", None) or {},
        )
        groups = build_groups(parsed, settings, env, warnings)
        self._room_parts(parsed, settings, env)
        items, members = self._items(groups, parsed, settings, seed)
        size = scene_size(items, env, parsed, settings)
        size = max(size, clear_core(items, env))
        for attempt in range(4):
            resize(env, size)
            settle_water(env, settings)
            base = None if env.kind == "interior" else base_heights(env, *grid_axes(env))
            ground = None if base is None else build_heightmap(env, [], base)
            site = Site(
                size=env.size_m,
                ground=ground,
                params=env.params,
                water_level=env.water_level,
                interior=env.kind == "interior",
            )
            for it in items:
                it.placed, it.parent, it.y, it.near = False, None, 0.0, it.below
                it.base_y, it.afloat = it.hang, False
            placer = Placer(
                items,
                site,
                np.random.default_rng([seed, 2, attempt]),
                blockers=[walkway(*env.size_m)] if env.kind == "interior" else [],
                relax=attempt == 3,
            )
            forced = placer.place_all(self._order(items, members), members)
            if forced == 0:
                break
            size *= 1.2
        items = self._drop(items, set(placer.dropped), groups, warnings)
        if ground is not None:
            final = build_heightmap(env, pad_heights(items, ground), base)
            settle(items, final, env.water_level)
        else:
            settle(items, None, None)
        return ScenePlan(
            prompt=prompt,
            seed=int(seed),
            model=MODEL_NAME,
            environment=env,
            entities=self._entities(items, env),
            unknown_words=parsed.unknown,
            trace=trace,
            warnings=warnings,
        )

    # ------------------------------------------------------------ a prop

    def _prop(self, parsed: ParsedPrompt, prompt: str, seed: int, trace: list[dict]) -> ScenePlan:
        """Return the plan of one object alone: no ground, its lowest point at y = 0, its footprint centred."""
        g = build_groups(parsed, [], Environment(kind="prop", size_m=(4.0, 4.0)), [])[0]
        g.count, g.placement, g.anchor, g.feature = 1, "center", None, None
        items, _ = self._items([g], parsed, [], seed)
        it = items[0]  # at the origin: the field puts its pivot at the centre of its lowest face
        half = it.half
        env = Environment(
            kind="prop",
            size_m=(round(2 * half[0], 3), round(2 * half[1], 3)),
            biome="prop",
            params={},
            water_level=None,
            materials={},
        )
        return ScenePlan(
            prompt=prompt,
            seed=int(seed),
            model=MODEL_NAME,
            environment=env,
            entities=self._entities(items, env),
            unknown_words=parsed.unknown,
            trace=trace,
        )

    # ------------------------------------------------------------ what to build

    def _room_parts(self, parsed: ParsedPrompt, settings: list[Setting], env: Environment) -> None:
        """Apply "a tavern with stone walls" to the room's materials."""
        for g in parsed.global_parts:
            if g.startswith("room.") and env.kind == "interior":
                material, color = parsed.global_parts[g]
                part = g.split(".", 1)[1]
                base = env.materials[part]
                env.materials[part] = preset(
                    material or base.name, color or (base.base_color if not material else None), tint_of(settings)
                )

    def _items(self, groups: list[Group], parsed: ParsedPrompt, settings: list[Setting], seed: int):
        """Return one Item per instance, with parameters and materials drawn from the seed, and each group's items."""
        tint = tint_of(settings)
        style: dict[str, str] = {}
        for s in settings:
            style.update(s.style)
        autumn = any(s.foliage == "autumn" for s in settings)
        river_w = max((s.env.get("river_w", 0.0) for s in settings), default=0.0)
        items: list[Item] = []
        members: dict[int, list[int]] = {}
        for gi, g in enumerate(groups):
            rng = np.random.default_rng([seed, 3, gi])
            attributes = tuple(a for a in g.attributes if a in g.kind.attributes)
            made: list[Item] = []
            for _ in range(g.count):
                params = g.kind.sample(rng, attributes=attributes)
                if g.placement == "across" and g.kind.name == "bridge" and river_w > 0:
                    params["length"] = round(river_w + 5.0, 3)
                jitter = float(rng.uniform(0.85, 1.15)) if g.kind.group in NATURAL else 1.0
                made.append(
                    Item(
                        kind=g.kind,
                        shape=g.kind.shape(params),
                        scale=round(g.size * jitter, 3),
                        placement=g.placement,
                        group=gi,
                        anchor=g.anchor,
                        feature=g.feature,
                        optional=g.optional,
                        dressing=g.mention is None and g.kind.group in DRESSING,
                        params=params,
                        words=g.words,
                        attributes=attributes,
                        direction=g.direction,
                        materials=self._materials_for(g, rng, parsed, style, autumn, tint, attributes),
                    )
                )
            seated = any(h.anchor == gi and h.kind.group == "seat" for h in groups)
            hang = HANG_M if g.kind.ground == "wall" and g.feature == "walls" else 0.0
            for it in made:
                it.clearance = SEAT_CLEARANCE_M if seated else 0.0
                it.hang = hang
            made = _stack(made, g.stacked, len(items))
            members[gi] = list(range(len(items), len(items) + len(made)))
            items.extend(made)
        for gi in range(len(groups)):  # "a gazebo surrounded by hydrangeas next to a pond": room for the ring
            rings = [
                (k, _ringer(hg))
                for h, hg in enumerate(groups)
                if hg.anchor == gi and hg.placement == "ring"
                for k in members.get(h, [])
            ]
            for k in members.get(gi, []) if rings else []:  # the whole ring, pads too, stays on dry ground
                items[k].ring_room = max(2 * max(items[j].half) for j, _ in rings) + RING_GAP_M
                depth = max([2 * min(items[j].half) + RING_GAP_M for j, r in rings if r] or [0.0])  # one layer
                items[k].clearance = max(items[k].clearance, depth)
        return items, members

    def _materials_for(
        self,
        g: Group,
        rng: np.random.Generator,
        parsed: ParsedPrompt,
        style: dict[str, str],
        autumn: bool,
        tint,
        attributes: tuple[str, ...],
    ) -> dict[str, MaterialSpec]:  # noqa: ANN001
        kind, m = g.kind, g.mention
        out: dict[str, MaterialSpec] = {}
        mods: dict[str, tuple[str | None, tuple | None]] = dict(parsed.global_parts)
        if m is not None:
            mods.update(m.parts)
        by_attribute: dict[str, str] = {}
        for a in attributes:
            by_attribute.update(kind.attributes.get(a, {}).get("parts", {}))
        for part, choices in kind.parts.items():
            weights = np.array([2.0] + [1.0] * (len(choices) - 1))
            choice = choices[int(rng.choice(len(choices), p=weights / weights.sum()))]
            choice = by_attribute.get(part, choice)  # "dry" bushes: brown leaves, after the draw
            name, _, color_word = choice.partition(":")
            color = COLOR_WORDS.get(color_word) if color_word else None
            name = style.get(f"{kind.name}.{part}", name)
            if m is not None and part in kind.body:
                if m.material:
                    name, color = m.material, None
                if m.color:
                    color = m.color
            for word, (mat, col) in mods.items():
                if part in resolve_part(list(kind.parts), word):
                    if mat:
                        name, color = mat, None
                    if col:
                        color = col
            if (
                autumn
                and kind.group == "tree"
                and part == "canopy"
                and kind.name == "tree"
                and color is None
                and part not in by_attribute
            ):
                color = AUTUMN_LEAVES[int(rng.integers(len(AUTUMN_LEAVES)))]
            if m is not None and m.species == "birch" and part == "trunk":
                name = "birch_bark"
            out[part] = preset(name, color, tint)
        return out

    # ------------------------------------------------------------ layout

    def _order(self, items: list[Item], groups: dict[int, list[int]]) -> list[int]:
        """Return the placing order: by rule (centre first, scatter last), each anchor before its dependents."""

        def key(gi: int) -> tuple:
            first = items[groups[gi][0]]
            big = max(items[j].radius for j in groups[gi])
            # the prompt's own objects take their spots before the setting's dressing (a lake's reeds), inner rings first
            return (first.dressing, PRIORITY.get(first.placement, 10), big if first.placement == "ring" else -big, gi)

        order: list[int] = []
        done: set[int] = set()

        def emit(gi: int, chain: tuple = ()) -> None:
            if gi in done or gi in chain:
                return
            anchor = items[groups[gi][0]].anchor
            if anchor is not None and anchor in groups and groups[anchor]:
                emit(anchor, chain + (gi,))
            done.add(gi)
            order.extend(groups[gi])

        for gi in sorted((g for g in groups if groups[g]), key=key):
            emit(gi)
        for gi in groups:  # a cabin near a forest comes right after the forest's first tree, before the rest fill in
            a = items[groups[gi][0]].anchor if groups[gi] else None
            if a is not None and a != gi and groups.get(a) and items[groups[a][0]].optional:
                order = [k for k in order if k not in groups[gi]]
                at = order.index(groups[a][0]) + 1
                order[at:at] = groups[gi]
        return order

    def _drop(self, items: list[Item], dropped: set[int], groups: list[Group], warnings: list[str]) -> list[Item]:
        """Return the items without those that found no room, re-pointing parents; report what was dropped."""
        if not dropped:
            return items
        lost: dict[int, int] = {}
        for k in sorted(dropped):
            lost[items[k].group] = lost.get(items[k].group, 0) + 1
        for gi, n in sorted(lost.items()):
            g = groups[gi]
            if g.mention is not None:
                warnings.append(f"{g.words!r}: {n} of {g.count} {g.kind.name} found no room and were left out")
        keep = [k for k in range(len(items)) if k not in dropped]
        new = {old: i for i, old in enumerate(keep)}
        out = []
        for k in keep:
            it = items[k]
            it.parent = new.get(it.parent) if it.parent is not None else None
            it.near = new.get(it.near) if it.near is not None else None
            out.append(it)
        return out

    def _entities(self, items: list[Item], env: Environment) -> list[EntityPlan]:
        counters: dict[str, int] = {}
        ids: list[str] = []
        for it in items:
            counters[it.kind.name] = counters.get(it.kind.name, 0) + 1
            ids.append(f"{it.kind.name.replace(' ', '_').replace('-', '_')}_{counters[it.kind.name]:02d}")
        out = []
        for k, it in enumerate(items):
            if it.parent is not None:
                support = ids[it.parent]
            elif it.hang > 0:
                support = "walls"
            elif env.kind == "interior":
                support = "floor"
            elif it.afloat:
                support = "water"
            else:
                support = "ground"
            anchor = ids[it.near] if it.near is not None else it.feature
            out.append(
                EntityPlan(
                    id=ids[k],
                    kind=it.kind.name,
                    position=(round(float(it.x), 3), round(float(it.y), 4), round(float(it.z), 3)),
                    yaw_deg=round(float(it.yaw_deg), 2),
                    scale=it.scale,
                    params=it.params,
                    materials=it.materials,
                    placement=it.placement,
                    parent=ids[it.parent] if it.parent is not None else None,
                    words=it.words,
                    attributes=list(it.attributes),
                    anchor=anchor,
                    support=support,
                )
            )
        return out


def _stack(made: list[Item], stacked: bool, offset: int) -> list[Item]:
    """Return the group's items, bottoms first; when stacked, 2-3 high, each upper one pointing at the one below.

    ``offset`` is the index the group's first item will have in the scene's item list.
    """
    n = len(made)
    if not stacked or n < 2:
        return made
    columns = math.ceil(n / 3) if n >= 6 else math.ceil(n / 2)
    heights = [n // columns + (1 if c < n % columns else 0) for c in range(columns)]
    levels: list[list[tuple[int, int]]] = []  # per level: (column, index into made)
    k = 0
    for level in range(max(heights)):
        row = []
        for c in range(columns):
            if level < heights[c]:
                row.append((c, k))
                k += 1
        levels.append(row)
    out: list[Item] = []
    where: dict[tuple[int, int], int] = {}  # (column, level) -> index in out
    for level, row in enumerate(levels):
        for c, j in row:
            it = made[j]
            it.stack = level
            it.below = offset + where[(c, level - 1)] if level else None
            where[(c, level)] = len(out)
            out.append(it)
    return out


def _ringer(g: Group) -> bool:
    """True for a ring that needs room kept round what it rings: plants, rocks, props; not seats (a table's
    clearance has them), not buildings (their pads keep their own gaps), not furniture that backs onto walls."""
    k = g.kind
    return k.group != "seat" and k.ground != "pad" and not (k.flags.get("against_wall") or k.flags.get("surface"))
