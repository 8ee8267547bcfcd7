"""The embedded procedural scene model: prompt -> ScenePlan -> terrain and object fields.

Offline and seeded: the prompt reader (``prompt.py``) says what is asked for,
the settings (``settings.py``) shape terrain, palette and default content,
each object comes from its catalog kind (``kinds/``) with shape parameters and
materials drawn from the seed, layout places it (``placement.py``), and
``fields`` turns the (possibly hand-edited) plan into torch fields.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from exporters.errors import InputError
from pipelines.fields import Field
from pipelines.models.encoder import nearest_kind
from pipelines.models.environment import active_settings, build_environment, settle_water, tint_of
from pipelines.models.kinds import KINDS, Kind
from pipelines.models.kinds.room import room_shape
from pipelines.models.layout import PAD_GAP_M, Item, Site, pad_heights, pad_of, settle
from pipelines.models.materials import AUTUMN_LEAVES, COLOR_WORDS, preset
from pipelines.models.nodes import ObjectField, RoomField, TerrainField
from pipelines.models.noise import ValueNoise, seed_of
from pipelines.models.placement import PRIORITY, Placer
from pipelines.models.prompt import Mention, ParsedPrompt, read_prompt, resolve_part
from pipelines.models.settings import SETTINGS, Setting
from pipelines.models.terrain import base_heights, build_heightmap, grid_axes
from pipelines.plan import EntityPlan, Environment, MaterialSpec, ScenePlan

MODEL_NAME = "procedural"
MAX_ENTITIES = 300
NATURAL = {"tree", "rock", "shrub", "crystal"}


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


class ProceduralModel:
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
        parsed = read_prompt(text, nearest=self._nearest)
        settings = active_settings(parsed.settings)
        env = build_environment(settings, parsed.features, seed, np.random.default_rng([seed, 1]))
        groups = self._groups(parsed, settings, env)
        for g in parsed.global_parts:
            if g.startswith("room.") and env.kind == "interior":
                material, color = parsed.global_parts[g]
                part = g.split(".", 1)[1]
                base = env.materials[part]
                env.materials[part] = preset(material or base.name, color or (base.base_color if not material else None),
                                             tint_of(settings))
        items, groups_of = self._items(groups, parsed, settings, seed)
        size = self._scene_size(items, env, parsed, settings)
        size = max(size, self._clear_core(items, env))
        for attempt in range(4):
            self._resize(env, size)
            settle_water(env, settings)
            base = None if env.kind == "interior" else base_heights(env, *grid_axes(env))
            ground = None if base is None else build_heightmap(env, [], base)
            site = Site(size=env.size_m, ground=ground, params=env.params, water_level=env.water_level,
                        interior=env.kind == "interior")
            for it in items:
                it.placed, it.parent, it.y = False, None, 0.0
            forced = Placer(items, site, np.random.default_rng([seed, 2, attempt])).place_all(
                self._order(items, groups_of), groups_of)
            if forced == 0:
                break
            size *= 1.2
        if ground is not None:
            final = build_heightmap(env, pad_heights(items, ground), base)
            settle(items, final, env.water_level)
        else:
            settle(items, None, None)
        entities = self._entities(items)
        return ScenePlan(prompt=prompt, seed=int(seed), model=MODEL_NAME, environment=env, entities=entities,
                         unknown_words=parsed.unknown)

    # ------------------------------------------------------------ what to build

    def _groups(self, parsed: ParsedPrompt, settings: list[Setting], env: Environment) -> list[Group]:
        groups = [Group(KINDS[m.kind], m.count, m.placement, m.words, m.anchor, m.feature, m, m.size)
                  for m in parsed.mentions]
        negated = set(parsed.negated) | {KINDS[k].group for k in parsed.negated}
        mentioned = {g.kind.group for g in groups} | {g.kind.name for g in groups}
        named = [SETTINGS[n] for n in parsed.settings if n in SETTINGS]
        if not groups and not any(s.defaults for s in named):
            named = named + [SETTINGS["meadow"]]
        area = (env.size_m[0] * env.size_m[1]) / 3600.0 * parsed.scale**2
        for s in named:
            for kind_name, n in s.defaults:
                kind = KINDS[kind_name]
                if kind.name in negated or kind.group in negated or kind.name in mentioned:
                    continue
                if kind.group in mentioned and not any(g.mention is None and g.kind.group == kind.group for g in groups):
                    continue
                dense = parsed.density if kind.group in NATURAL else 1.0
                count = max(1, round(n * dense * (area if kind.group in NATURAL else 1.0)))
                groups.append(Group(kind, count, "scatter", f"({s.name})"))
                mentioned.add(kind.name)
        self._infer_placements(groups, env)
        total = 0
        for g in groups:
            g.count = max(0, min(g.count, MAX_ENTITIES - total))
            total += g.count
        return groups

    def _infer_placements(self, groups: list[Group], env: Environment) -> None:
        """Fill in what the prompt left unsaid: candles on tables, chairs around them, cliffs at the edge."""
        by_group = {g.kind.group: i for i, g in reversed(list(enumerate(groups)))}
        river = env.params.get("river_w", 0.0) > 0
        for g in groups:
            if g.kind.name == "bridge" and river and g.placement in ("scatter", "near", "center"):
                g.placement = "across"
        for g in groups:  # what others stand around goes in the middle, unless placed otherwise
            if g.anchor is not None and g.placement in ("ring", "near") and groups[g.anchor].placement == "scatter":
                groups[g.anchor].placement = "center"
        centre = next((i for i, g in enumerate(groups) if g.placement == "center"), None)
        interior = env.kind == "interior"
        for i, g in enumerate(groups):
            explicit = g.mention is not None and g.mention.explicit
            if g.placement == "on" and g.anchor is not None:
                if not explicit:
                    g.count = groups[g.anchor].count
                continue
            if g.kind.name == "candle" and g.placement == "scatter":
                surface = next((j for j, h in enumerate(groups) if h.kind.flags.get("surface")), None)
                if surface is not None:
                    g.placement, g.anchor = "on", surface
                    if not explicit:
                        g.count = groups[surface].count
                continue
            if g.kind.group == "seat" and g.anchor is None and g.placement in ("scatter", "ring", "near"):
                anchor = by_group.get("counter") if g.kind.name == "stool" else by_group.get("table")
                anchor = anchor if anchor is not None else by_group.get("table", by_group.get("counter"))
                if anchor is not None and (interior or g.placement != "scatter"):
                    g.placement, g.anchor = "ring", anchor
                    continue
            if interior and g.kind.flags.get("against_wall") and g.placement == "scatter":
                g.placement = "wall"
            elif g.kind.flags.get("edge") and g.placement == "scatter" and not interior:
                g.placement = "edge"
            elif g.kind.name == "lighthouse" and g.placement == "scatter" and env.params.get("beach", 0) + \
                    env.params.get("island_r", 0) + env.params.get("lake_r", 0) > 0:
                g.placement = "shore"
            elif g.placement == "ring" and g.anchor is None and centre is not None and centre != i:
                g.anchor = centre
            if g.anchor is not None and g.anchor == i:
                g.anchor = None

    def _items(self, groups: list[Group], parsed: ParsedPrompt, settings: list[Setting], seed: int):
        """Return one Item per instance, with parameters and materials drawn from the seed."""
        tint = tint_of(settings)
        style: dict[str, str] = {}
        for s in settings:
            style.update(s.style)
        autumn = any(s.foliage == "autumn" for s in settings)
        items: list[Item] = []
        members: dict[int, list[int]] = {}
        self._materials: list[dict[str, MaterialSpec]] = []
        self._params: list[dict[str, float]] = []
        self._words: list[str] = []
        river_w = 0.0
        for gi, g in enumerate(groups):
            rng = np.random.default_rng([seed, 3, gi])
            for _ in range(g.count):
                params = g.kind.sample(rng)
                if g.placement == "across" and g.kind.name == "bridge":
                    river_w = river_w or max(
                        (s.env.get("river_w", 0.0) for s in settings), default=0.0)
                    params["length"] = round(river_w + 5.0, 3)
                jitter = float(rng.uniform(0.85, 1.15)) if g.kind.group in NATURAL else 1.0
                scale = round(g.size * jitter, 3)
                item = Item(kind=g.kind, shape=g.kind.shape(params), scale=scale, placement=g.placement, group=gi,
                            anchor=g.anchor, feature=g.feature)
                members.setdefault(gi, []).append(len(items))
                items.append(item)
                self._params.append(params)
                self._materials.append(self._materials_for(g, rng, parsed, style, autumn, tint))
                self._words.append(g.words)
        return items, members

    def _materials_for(self, g: Group, rng: np.random.Generator, parsed: ParsedPrompt, style: dict[str, str],
                       autumn: bool, tint) -> dict[str, MaterialSpec]:  # noqa: ANN001
        kind, m = g.kind, g.mention
        out: dict[str, MaterialSpec] = {}
        mods: dict[str, tuple[str | None, tuple | None]] = dict(parsed.global_parts)
        if m is not None:
            mods.update(m.parts)
        for part, choices in kind.parts.items():
            weights = np.array([2.0] + [1.0] * (len(choices) - 1))
            choice = choices[int(rng.choice(len(choices), p=weights / weights.sum()))]
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
            if autumn and kind.group == "tree" and part == "canopy" and kind.name == "tree" and color is None:
                color = AUTUMN_LEAVES[int(rng.integers(len(AUTUMN_LEAVES)))]
            if m is not None and m.species == "birch" and part == "trunk":
                name = "birch_bark"
            out[part] = preset(name, color, tint)
        return out

    # ------------------------------------------------------------ layout

    def _scene_size(self, items: list[Item], env: Environment, parsed: ParsedPrompt, settings: list[Setting]) -> float:
        gap = 0.6 if env.kind == "interior" else 1.5
        area = sum((2 * it.half[0] + gap + (PAD_GAP_M if it.pad else 0)) * (2 * it.half[1] + gap + (PAD_GAP_M if it.pad else 0))
                   for it in items if it.placement != "on")
        need = math.sqrt(area * (2.6 if env.kind == "interior" else 2.2)) + (1.0 if env.kind == "interior" else 8.0)
        if env.kind == "interior":
            base = max([s.size_m or 0.0 for s in settings if s.interior] + [8.0])
            return float(min(40.0, max(base * parsed.scale, need)))
        named = any(SETTINGS[n].env or SETTINGS[n].defaults for n in parsed.settings if n in SETTINGS)
        base = env.size_m[0] * parsed.scale if named else min(env.size_m[0], max(18.0, need * 1.3))
        return float(min(160.0, max(base, need)))

    def _clear_core(self, items: list[Item], env: Environment) -> float:
        """Keep the road (and river) clear of what stands in the middle; return the scene size that needs."""
        need = 0.0
        core = [it for it in items if it.placement in ("center", "ring", "near", "hill") and it.parent is None]
        if not core:
            return need
        area = sum((2 * it.half[0] + PAD_GAP_M) * (2 * it.half[1] + PAD_GAP_M) for it in core)
        radius = math.sqrt(area * 1.6 / math.pi) + 3.0
        rings: dict[int, list[Item]] = {}
        for it in core:
            if it.placement == "ring":
                rings.setdefault(it.group, []).append(it)
        for members in rings.values():
            n, it = len(members), members[0]
            tangential, radial = it.half[0] + PAD_GAP_M / 2, it.half[1] + PAD_GAP_M / 2
            r0 = radial + tangential / math.tan(math.pi / n) if n > 1 else radial + 4.0
            radius = max(radius, r0 + it.half[1] + PAD_GAP_M + 1.0)
        for key, width in (("road_x", "road_w"), ("river_x", "river_w")):
            if key in env.params and env.params.get(width, 0.0) > 0:
                v = env.params[key]
                env.params[key] = round(math.copysign(max(abs(v), radius + env.params[width] / 2), v or 1.0), 3)
                need = max(need, 2 * (abs(env.params[key]) + env.params[width] + 5.0))
        return need

    def _resize(self, env: Environment, size: float) -> None:
        old = env.size_m[0]
        size = round(size, 2)
        env.size_m = (size, round(size * 0.8, 2)) if env.kind == "interior" else (size, size)
        k = max(1.0, size / old)
        for key in ("road_x", "road_z", "hill_x", "hill_z", "hill_r", "lake_x", "lake_z", "lake_r", "river_x",
                    "island_r", "beach_z"):
            if key in env.params:
                env.params[key] = round(env.params[key] * k, 3)

    def _order(self, items: list[Item], groups: dict[int, list[int]]) -> list[int]:
        """Return the placing order: by rule (centre first, scatter last), each anchor before its dependents."""
        def key(gi: int) -> tuple:
            first = items[groups[gi][0]]
            return PRIORITY.get(first.placement, 10), -max(items[j].radius for j in groups[gi]), gi

        order: list[int] = []
        done: set[int] = set()

        def emit(gi: int, chain: tuple = ()) -> None:
            if gi in done or gi in chain:
                return
            anchor = items[groups[gi][0]].anchor
            if anchor is not None and anchor in groups:
                emit(anchor, chain + (gi,))
            done.add(gi)
            order.extend(groups[gi])

        for gi in sorted(groups, key=key):
            emit(gi)
        return order

    def _entities(self, items: list[Item]) -> list[EntityPlan]:
        counters: dict[str, int] = {}
        ids: list[str] = []
        for it in items:
            counters[it.kind.name] = counters.get(it.kind.name, 0) + 1
            ids.append(f"{it.kind.name.replace(' ', '_')}_{counters[it.kind.name]:02d}")
        out = []
        for k, it in enumerate(items):
            out.append(EntityPlan(
                id=ids[k], kind=it.kind.name, position=(round(it.x, 3), round(it.y, 4), round(it.z, 3)),
                yaw_deg=round(it.yaw_deg, 2), scale=it.scale, params=self._params[k], materials=self._materials[k],
                placement=it.placement, parent=ids[it.parent] if it.parent is not None else None, words=self._words[k],
            ))
        return out

    # ------------------------------------------------------------ fields

    def fields(self, plan: ScenePlan, device: torch.device | str = "cpu") -> list[Field]:
        """Return the terrain (or room shell) field, then one field per entity, in plan order."""
        env = plan.environment
        shapes = []
        for e in plan.entities:
            if e.kind not in KINDS:
                raise InputError(f"plan: entity {e.id!r} has kind {e.kind!r}, which the catalog does not have; "
                                 f"use one of: {', '.join(sorted(KINDS))}")
            shapes.append(KINDS[e.kind].shape(e.params))
        out: list[Field] = [self.ground(plan, shapes)]
        snow = float(env.params.get("snow", 0.0)) if env.kind == "terrain" else 0.0
        noise = ValueNoise(seed_of(plan.seed, "materials"))
        for e, shape in zip(plan.entities, shapes):
            out.append(ObjectField(e.id, e.kind, shape, e.materials, e.position, e.yaw_deg, e.scale,
                                   seed_of(plan.seed, e.id), snow=snow if KINDS[e.kind].where != "indoor" else 0.0,
                                   noise=noise))
        return out

    def ground(self, plan: ScenePlan, shapes: list | None = None) -> TerrainField | RoomField:
        """Return the scene's ground field (it has ``height_at(x, z)`` for numpy and torch)."""
        env = plan.environment
        if env.kind == "interior":
            mats = {k: v for k, v in env.materials.items()}
            return RoomField("terrain", "room", room_shape(*env.size_m), mats, (0.0, 0.0, 0.0), 0.0, 1.0,
                             seed_of(plan.seed, "room"))
        shapes = shapes or [KINDS[e.kind].shape(e.params) for e in plan.entities if e.kind in KINDS]
        pads = []
        for e, shape in zip(plan.entities, shapes):
            kind = KINDS[e.kind]
            if kind.ground == "pad" and e.parent is None and e.placement != "across":
                it = Item(kind=kind, shape=shape, scale=e.scale, x=e.position[0], z=e.position[2], y=e.position[1],
                          yaw_deg=e.yaw_deg)
                pads.append(pad_of(it))
        return TerrainField(build_heightmap(env, pads), env, seed_of(plan.seed, "terrain"))

    # ------------------------------------------------------------ explain

    def describe(self, plan: ScenePlan) -> list[dict[str, str]]:
        """Return one row per group of like entities: kind, count, material, placement, words."""
        rows: dict[tuple, dict[str, str]] = {}
        for e in plan.entities:
            key = (e.kind, e.placement, e.words, e.parent is not None)
            if key not in rows:
                kind = KINDS.get(e.kind)
                body = [p for p in (kind.body if kind else ()) if p in e.materials]
                extra = [p for p in e.materials if p in ("roof",) and p not in body]
                mat = ", ".join(f"{p}: {e.materials[p].name}" for p in body + extra)
                rows[key] = {"kind": e.kind, "count": "0", "material": mat, "placement": e.placement,
                             "words": e.words or "-"}
            rows[key]["count"] = str(int(rows[key]["count"]) + 1)
        return list(rows.values())

