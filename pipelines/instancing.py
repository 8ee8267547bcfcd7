"""Variant pools: which objects are built, which are copies of them, and the nodes that place every copy.

Objects of one kind with the same attributes form a group. A group of ``n``
gets ``K`` variants (``--variants``: a number, ``all`` = every copy unique, or
``auto``: a pair stays unique, then ``ceil(sqrt(n))`` up to 6: three or four reeds
are two variants, 200 trees six).
The chain builds the variants only (``keep_variants`` runs right after the
fields are made), so build time and file size grow with K, not with n; every
other member becomes an instance of the variant nearest to it in shape (log of
its field's extents) and gets:

* its own transform: its planned position and yaw, and a scale that gives it
  its own extents (uniform in x/z so a yaw does not skew it; y on its own),
  kept within [0.5, 2];
* per-instance data in its node extras: ``instance_of`` (the variant's node),
  ``hue_shift`` (its planned colour's hue minus the variant's, within ±0.08 of
  a turn; a shader or import script may apply it).

Variants are chosen deterministically (farthest points in shape, refined once
to medoids), so the same plan gives the same pool. ``add_nodes`` packs each
group's baked texture sets into one atlas and one material
(``texture.kind_atlas``), then writes one Asset node per planned object, in
plan order: variants own their meshes, instances share the variant's very
``MeshData`` objects, which the writers detect to share meshes (GLB), use
``EXT_mesh_gpu_instancing`` (presets that read it) or share FBX Geometry.
"""

from __future__ import annotations

import colorsys
import math
from dataclasses import dataclass, field

import numpy as np

from exporters.asset import Asset, Material, Node
from pipelines import stages
from pipelines.mesh import lod
from pipelines.options import parse_variants
from pipelines.texture import kind_atlas

MAX_AUTO = 6
# A pool (a group of at least POOL_MIN_COPIES copies, with fewer variants than copies) shares a
# triangle budget: its K variants split POOL_BUDGETS full budgets of their kind, each at least
# POOL_FLOOR of one. A handful of houses keeps full budgets; a forest's trees are a pool.
POOL_MIN_COPIES = 12
POOL_BUDGETS = 2.0
POOL_FLOOR = 1 / 3
HUE_LIMIT = 0.08
SCALE_LIMITS = (0.5, 2.0)


@dataclass
class Group:
    """One kind's objects: its variants (field names, in plan order) and the variant of each member."""

    key: str  # kind, plus its attributes: "tree", "house+ruined"
    kind: str
    variants: list[str]
    variant_of: dict[str, str]  # member field name -> variant field name (a variant maps to itself)


@dataclass
class Pools:
    """The groups of a build and every field by name (instances keep theirs for their transform)."""

    groups: list[Group] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # every field name, plan order

    def group_of(self, name: str) -> Group | None:
        return next((g for g in self.groups if name in g.variant_of), None)


def variant_count(n: int, asked: int | None) -> int:
    """Return how many variants a group of ``n`` copies gets for ``asked`` (None auto, 0 all)."""
    if asked == 0:
        return n
    if asked is not None:
        return min(asked, n)
    if n <= 2:
        return n
    return min(MAX_AUTO, math.ceil(math.sqrt(n)))


def _extents(f) -> np.ndarray:
    lo, hi = np.asarray(f.bounds_min, np.float64), np.asarray(f.bounds_max, np.float64)
    return np.maximum(hi - lo, 1e-3)


def _choose(features: np.ndarray, k: int) -> list[int]:
    """Return the indices of ``k`` representatives: farthest points from the mean, then one medoid step."""
    n = len(features)
    if k >= n:
        return list(range(n))
    dist = np.linalg.norm(features[:, None] - features[None], axis=2)
    chosen = [int(np.argmin(np.linalg.norm(features - features.mean(axis=0), axis=1)))]
    while len(chosen) < k:
        nearest = dist[:, chosen].min(axis=1)
        chosen.append(int(np.argmax(nearest)))  # argmax takes the first of ties: deterministic
    assign = np.argmin(dist[:, chosen], axis=1)
    medoids = []
    for c in range(k):
        members = np.flatnonzero(assign == c)
        medoids.append(int(members[np.argmin(dist[np.ix_(members, members)].sum(axis=1))]))
    return sorted(set(medoids)) if len(set(medoids)) == k else sorted(chosen)


def plan_pools(fields: list, variants: str) -> Pools:
    """Return the groups of ``fields`` (closed objects; the ground stays alone) and their variants."""
    asked = parse_variants(variants)
    pools = Pools(fields={f.name: f for f in fields}, order=[f.name for f in fields])
    keyed: dict[str, list] = {}
    for f in fields:
        if not getattr(f, "closed", False) or f.name == "terrain" or f.kind in ("terrain", "room"):
            continue
        attrs = sorted(str(a) for a in (getattr(f, "extras", None) or {}).get("attributes", []) or [])
        keyed.setdefault("+".join([f.kind, *attrs]), []).append(f)
    for key, members in keyed.items():
        k = variant_count(len(members), asked)
        features = np.log(np.stack([_extents(f) for f in members]))
        picked = [members[i] for i in _choose(features, k)]
        pf = np.log(np.stack([_extents(f) for f in picked]))
        variant_of = {}
        for f, feat in zip(members, features):
            variant_of[f.name] = picked[int(np.argmin(np.linalg.norm(pf - feat, axis=1)))].name
        for p in picked:
            variant_of[p.name] = p.name
        pools.groups.append(Group(key, members[0].kind, [p.name for p in picked], variant_of))
    return pools


def keep_variants(objects: list, variants: str) -> tuple[list, Pools]:
    """Return the objects the chain builds (ground, variants, ungrouped) and the pools to expand later."""
    pools = plan_pools([o.field for o in objects], variants)
    instances = {n for g in pools.groups for n, v in g.variant_of.items() if n != v}
    return [o for o in objects if o.field.name not in instances], pools


def _hue(f) -> float | None:
    specs = list((getattr(f, "materials", None) or {}).values())
    if not specs:
        return None
    rgb = np.mean([s.base_color for s in specs], axis=0)
    return colorsys.rgb_to_hsv(*[float(c) for c in rgb])[0]


def instance_transform(f, variant) -> tuple[tuple[float, float, float], float]:
    """Return the node scale that gives ``variant``'s mesh the extents of ``f``, and the hue shift."""
    ei, ev = _extents(f), _extents(variant)
    lo, hi = SCALE_LIMITS
    sxz = float(np.clip(math.sqrt(ei[0] * ei[2] / (ev[0] * ev[2])), lo, hi))
    sy = float(np.clip(ei[1] / ev[1], lo, hi))
    hi_, hv = _hue(f), _hue(variant)
    shift = 0.0 if hi_ is None or hv is None else ((hi_ - hv + 0.5) % 1.0) - 0.5
    return (round(sxz, 5), round(sy, 5), round(sxz, 5)), round(float(np.clip(shift, -HUE_LIMIT, HUE_LIMIT)), 5)


def budget_share(k: int, n: int) -> float:
    """Return the part of one object's triangle budget that each of a group's ``k`` variants of ``n`` copies gets.

    Every copy unique (``k == n``: ``--variants all``, a pair) or a small group (``n <
    POOL_MIN_COPIES``: five houses): a full budget each. A pool (``k < n``, ``n >=
    POOL_MIN_COPIES``): ``POOL_BUDGETS / k``, within [``POOL_FLOOR``, 1], so its unique
    triangles (bytes, build time) stay near-constant in ``k`` and each drawn copy is lighter.
    """
    if k >= n or n < POOL_MIN_COPIES:
        return 1.0
    return min(1.0, max(POOL_FLOOR, POOL_BUDGETS / k))


def share_pools(objects: list, pools: Pools) -> None:
    """Tell each variant what its pool shares: its kind atlas (``atlas_share``) and triangle budget (``budget_share``)."""
    atlas = {v: len(g.variants) for g in pools.groups if len(g.variants) > 1 for v in g.variants}
    budget = {v: budget_share(len(g.variants), len(g.variant_of)) for g in pools.groups for v in g.variants}
    for obj in objects:
        obj.atlas_share = atlas.get(obj.field.name, 1)
        obj.budget_share = budget.get(obj.field.name, 1.0)


def add_nodes(asset: Asset, objects: list, pools: Pools, max_side: int = kind_atlas.MAX_ATLAS) -> None:
    """Add every planned object to ``asset`` as a node, in plan order; copies share their variant's meshes.

    A kind's atlas is at most ``max_side`` texels a side (``--texture-size``: the largest texture edge).
    """
    built = {o.field.name: o for o in objects}
    materials: dict[str, int] = {}  # variant or ungrouped object -> material index
    lods: dict[str, list] = {}  # object -> its LOD meshes (uv0 moved into its kind's atlas)
    for g in pools.groups:
        done = [v for v in g.variants if v in built]  # a variant with no surface was dropped
        if len(done) < 2:
            continue
        sets = {v: built[v].textures for v in done}
        atlases, tiles = kind_atlas.build(g.key.replace("+", "_"), sets, max_side)
        for a, atlas in enumerate(atlases):
            index = _material(asset, atlas.textures, f"{g.key.replace('+', '_')}_mat" + (f"_{a + 1}" if a else ""))
            for v in atlas.members:
                materials[v] = index
                lods[v] = [kind_atlas.remap_uv0(m, tiles[v], atlas.width, atlas.height) for m in built[v].lods]
    for name in pools.order:
        group = pools.group_of(name)
        variant = group.variant_of[name] if group else name
        obj = built.get(variant)
        if obj is None:
            continue  # the object (or its variant) had no surface: already warned about
        if variant not in materials:
            tex = {role: asset.add_texture(t) for role, t in obj.textures.items()}
            materials[variant] = _material(asset, obj.textures, f"{variant}_mat", tex)
            lods[variant] = obj.lods
        f = pools.fields[name]
        extras = {"kind": f.kind, **(getattr(f, "extras", None) or {})}
        scale = (1.0, 1.0, 1.0)
        if group is not None:
            extras["variant"] = variant
            if name == variant:
                extras["triangle_budget"] = obj.triangle_target
            if name != variant:
                scale, hue = instance_transform(f, pools.fields[variant])
                extras.update({"instance_of": variant, "hue_shift": hue})
        mesh0 = lods[variant][0]
        lo, hi = mesh0.bounds()
        asset.nodes.append(
            Node(
                name=f.name,
                kind=f.kind,
                lods=lods[variant],
                material=materials[variant],
                translation=tuple(float(x) for x in f.translation),  # type: ignore[arg-type]
                rotation=stages.yaw_quaternion(f.yaw_deg),
                scale=scale,
                lod_screen_sizes=lod.lod_screen_sizes(len(lods[variant]), float(np.linalg.norm(hi - lo))),
                collision=obj.collision,
                extras=extras,
            )
        )


def _material(asset: Asset, textures: dict, name: str, indices: dict | None = None) -> int:
    tex = indices if indices is not None else {role: asset.add_texture(t) for role, t in textures.items()}
    return asset.add_material(
        Material(
            name=name,
            metallic_factor=1.0,
            roughness_factor=1.0,
            base_color_texture=tex.get("baseColor"),
            orm_texture=tex.get("orm"),
            occlusion_from_orm=True,
            normal_texture=tex.get("normal"),
        )
    )
