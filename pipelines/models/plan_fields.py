"""What the pipeline asks of a plan, beside making it: its fields (terrain or room, then one per object), its
ground, the scene's extras for the written files, and the rows that explain it. ``PlanFields`` is the
procedural model's half that reads a (possibly hand-edited) plan; ``ProceduralModel`` extends it."""

from __future__ import annotations

import torch

from exporters.errors import InputError
from pipelines.fields import Field
from pipelines.models.extras import entity_extras, scene_extras
from pipelines.models.kinds import KINDS
from pipelines.models.kinds.room import room_shape
from pipelines.models.layout import Item, pad_of
from pipelines.models.nodes import ObjectField, RoomField, TerrainField
from pipelines.models.noise import ValueNoise, seed_of
from pipelines.models.sizing import base_pivot
from pipelines.models.terrain import build_heightmap
from pipelines.plan import ScenePlan


class PlanFields:
    """Fields, ground, extras and explanation rows of a plan."""

    # ------------------------------------------------------------ fields

    def fields(self, plan: ScenePlan, device: torch.device | str = "cpu") -> list[Field]:
        """Return the terrain (or room shell) field, then one field per entity, in plan order (a prop: no ground)."""
        env = plan.environment
        shapes = []
        for e in plan.entities:
            if e.kind not in KINDS:
                raise InputError(
                    f"plan: entity {e.id!r} has kind {e.kind!r}, which the catalog does not have; "
                    f"use one of: {', '.join(sorted(KINDS))}"
                )
            shapes.append(KINDS[e.kind].shape(e.params))
        prop = env.kind == "prop"
        out: list[Field] = [] if prop else [self.ground(plan, shapes)]
        snow = float(env.params.get("snow", 0.0)) if env.kind == "terrain" else 0.0
        noise = ValueNoise(seed_of(plan.seed, "materials"))
        for e, shape in zip(plan.entities, shapes):
            out.append(
                ObjectField(
                    e.id,
                    e.kind,
                    shape,
                    e.materials,
                    e.position,
                    e.yaw_deg,
                    e.scale,
                    seed_of(plan.seed, e.id),
                    snow=snow if KINDS[e.kind].where != "indoor" else 0.0,
                    noise=noise,
                    extras=entity_extras(e),
                    pivot=base_pivot(shape) if prop else (0.0, 0.0, 0.0),
                )
            )
        return out

    def ground(self, plan: ScenePlan, shapes: list | None = None) -> TerrainField | RoomField:
        """Return the scene's ground field (it has ``height_at(x, z)`` for numpy and torch)."""
        env = plan.environment
        if env.kind == "prop":
            raise InputError("plan: a prop has no ground")
        if env.kind == "interior":
            mats = {k: v for k, v in env.materials.items()}
            return RoomField(
                "terrain", "room", room_shape(*env.size_m), mats, (0.0, 0.0, 0.0), 0.0, 1.0, seed_of(plan.seed, "room")
            )
        shapes = shapes or [KINDS[e.kind].shape(e.params) for e in plan.entities if e.kind in KINDS]
        pads = []
        for e, shape in zip(plan.entities, shapes):
            kind = KINDS[e.kind]
            if kind.ground == "pad" and e.parent is None and e.placement != "across":
                it = Item(
                    kind=kind,
                    shape=shape,
                    scale=e.scale,
                    x=e.position[0],
                    z=e.position[2],
                    y=e.position[1],
                    yaw_deg=e.yaw_deg,
                )
                pads.append(pad_of(it))
        return TerrainField(build_heightmap(env, pads), env, seed_of(plan.seed, "terrain"))

    def scene_extras(self, plan: ScenePlan) -> dict:
        """Return what the written files say about the scene (kind, size, water, features): SCENE-CONTRACT §3."""
        return scene_extras(plan)

    # ------------------------------------------------------------ explain

    def describe(self, plan: ScenePlan) -> list[dict[str, str]]:
        """Return one row per group of like entities: kind, count, attributes, material, placement, support, words."""
        rows: dict[tuple, dict[str, str]] = {}
        for e in plan.entities:
            key = (e.kind, e.placement, e.words, e.parent is not None, tuple(e.attributes))
            if key not in rows:
                kind = KINDS.get(e.kind)
                body = [p for p in (kind.body if kind else ()) if p in e.materials]
                extra = [p for p in e.materials if p in ("roof",) and p not in body]
                mat = ", ".join(f"{p}: {e.materials[p].name}" for p in body + extra)
                anchor = _kind_of_id(e.anchor or "")
                rows[key] = {
                    "kind": e.kind,
                    "count": "0",
                    "attributes": ", ".join(e.attributes) or "-",
                    "material": mat,
                    "placement": e.placement + (f" {anchor}" if anchor else ""),
                    "support": e.support
                    if e.support in ("ground", "floor", "water", "walls")
                    else "on " + _kind_of_id(e.support),
                    "words": e.words or "-",
                }
            rows[key]["count"] = str(int(rows[key]["count"]) + 1)
        return list(rows.values())


def _kind_of_id(name: str) -> str:
    """Return "bar counter" for the id "bar_counter_01" (a feature name stays as it is)."""
    return name.rstrip("0123456789").rstrip("_").replace("_", " ")
