"""The stages of the chain, each a plain function over every object's state, in the order ``run.CHAIN`` lists them.

A stage takes the shared ``Chain`` (plan, model, options, device, what the run
reports) and the list of ``ObjectState`` and returns the list the next stage
gets (a stage may drop objects: extraction can find no surface). Per-object
stages advance the stage's progress task once per object.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from exporters.asset import Asset, CollisionShape, Material, MeshData, Node, Texture
from exporters.errors import ResourceError
from pipelines.extract import sparse
from pipelines.fields import Field
from pipelines.mesh import budgets, cleanup, collision, lod, simplify
from pipelines.models import SceneModel
from pipelines.options import BuildOptions
from pipelines.plan import ScenePlan
from pipelines.progress import StageTask
from pipelines.texture import bake, lightmap, tangents, unwrap, uv_overlap
from pipelines.workers import ObjectPool

log = logging.getLogger("hyworld.run")

# Surface area (m²) that earns the full --texture-size; smaller objects get a
# power-of-two size that keeps roughly the same texel density, down to MIN_TEXTURE.
FULL_TEXTURE_AREA_M2 = 150.0
MIN_TEXTURE = 128
MAX_LIGHTMAP = 2048


@dataclass
class ObjectState:
    """One object's state between stages: its field and what the stages made of it so far."""

    field: Field
    mesh: MeshData | None = None
    lods: list[MeshData] = dataclasses.field(default_factory=list)
    texture_size: int = 0
    triangle_target: int = 0  # what decimation aims at (set by the decimate stage)
    atlas_share: int = 1  # variants whose textures share this object's kind atlas (instancing.share_pools)
    budget_share: float = 1.0  # the part of a full triangle budget its variant pool grants it (instancing.share_pools)
    textures: dict[str, Texture] = dataclasses.field(default_factory=dict)
    collision: list[CollisionShape] = dataclasses.field(default_factory=list)
    # stage -> (seconds, pid, peak MB) where the stages ran in one task per object (``pipelines.fused``)
    ran: dict[str, tuple[float, int, float]] = dataclasses.field(default_factory=dict)


@dataclass
class Chain:
    """What every stage shares: the inputs of the build and what it reports (kernels, warnings)."""

    plan: ScenePlan
    model: SceneModel
    opts: BuildOptions
    device: torch.device
    kernels: dict[str, str] = dataclasses.field(default_factory=dict)
    warnings: list[str] = dataclasses.field(default_factory=list)
    pool: ObjectPool | None = None  # worker processes for per-object steps (None: here, one torch thread)


Stage = Callable[[Chain, list[ObjectState], StageTask], list[ObjectState]]
Step = Callable[[Chain, ObjectState], None]


def run_steps(chain: Chain, objects: list[ObjectState], task: StageTask, step: Step, needs_field: bool) -> None:
    """Run ``step`` on every object (in the chain's worker processes if it has them), advancing ``task``."""
    pool = chain.pool or ObjectPool(workers=1)
    pool.run(step, chain, objects, task.advance, needs_field=needs_field, cost=cost)


def per_object(step: Step, needs_field: bool = True) -> Stage:
    """Return a stage that runs ``step`` (a module-level function: workers import it) on every object."""

    def stage(chain: Chain, objects: list[ObjectState], task: StageTask) -> list[ObjectState]:
        run_steps(chain, objects, task, step, needs_field)
        return objects

    stage.__name__ = step.__name__.removesuffix("_step")
    stage.__doc__ = step.__doc__
    return stage


def cost(obj: ObjectState) -> float:
    """Return how much work an object is, roughly: its triangles, or before extraction its volume."""
    if obj.mesh is not None:
        return float(obj.mesh.triangle_count)
    lo, hi = obj.field.bounds_min, obj.field.bounds_max
    return float((hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]))


def make_fields(chain: Chain, objects: list[ObjectState], task: StageTask) -> list[ObjectState]:
    """Return one state per field the scene model compiles from the plan."""
    from pipelines.convert.plugin import model_fields  # a plugged-in model may return meshes or splats too

    fields = model_fields(chain.model, chain.plan, chain.device, chain.opts.resolution)
    task.advance()
    return [ObjectState(field=f) for f in fields]


def extract_step(chain: Chain, obj: ObjectState) -> None:
    """Give each object the marching-cubes surface of its field (sparse, refined while none is found)."""
    resolution_asked: int = chain.opts.resolution
    f = obj.field
    ready = getattr(f, "ready_mesh", None)  # a mesh a plugged-in model returned: nothing to extract
    if ready is not None:
        obj.mesh = ready
        return
    # A part thinner than a cell can vanish (a fence at a coarse preview resolution):
    # refine up to 4x before calling the object empty.
    resolution = resolution_asked
    while True:
        got = sparse.extract_sdf(f.sdf, f.bounds_min, f.bounds_max, resolution, chain.device)
        if got.faces.shape[0] or resolution >= min(4 * resolution_asked, 2048):
            break
        resolution = min(2 * resolution, 2048)
        log.info("%s: no surface found, retrying at resolution %d", f.name, resolution)
    chain.kernels["extract"] = f"{got.stats.kernel}-{got.stats.mode}-{got.stats.device}"
    obj.mesh = got.to_mesh_data()


extract = per_object(extract_step)


def clean_step(chain: Chain, obj: ObjectState) -> None:
    """Weld and repair the surface (see ``mesh.cleanup``)."""
    obj.mesh = cleanup.clean(mesh_of(obj).positions, mesh_of(obj).indices)


def clean(chain: Chain, objects: list[ObjectState], task: StageTask) -> list[ObjectState]:
    """Weld and repair each surface (see ``mesh.cleanup``); leave out objects with none left."""
    run_steps(chain, objects, task, clean_step, needs_field=False)
    return drop_empty(chain, objects)


def drop_empty(chain: Chain, objects: list[ObjectState]) -> list[ObjectState]:
    """Return the objects whose cleaned surface has triangles; the warnings name the others."""
    empty = [obj.field.name for obj in objects if mesh_of(obj).triangle_count == 0]
    if empty:
        chain.warnings.append(f"no surface found for {', '.join(empty)}; those nodes were left out")
    return [obj for obj in objects if mesh_of(obj).triangle_count > 0]


def decimate(chain: Chain, objects: list[ObjectState], task: StageTask) -> list[ObjectState]:
    """Decimate each object to its share of the triangle budgets, then pick its texture size (for what is kept).

    A variant of a pool takes its ``budget_share`` of what a lone object would get (``--budget`` or
    its kind's, at most what its texture holds).
    """
    granted = granted_triangles(chain, objects)
    for obj in objects:
        set_target(chain, obj, granted[obj.field.name])
    extracted = {o.field.name: mesh_of(o) for o in objects}
    run_steps(chain, objects, task, decimate_step, needs_field=False)
    for obj in objects:
        hold_budget(chain, obj, extracted[obj.field.name])
        size_texture(chain, obj)
    return objects


def granted_triangles(chain: Chain, objects: list[ObjectState]) -> dict[str, int]:
    """Return each object's share of the scene's triangle budget (from its kind, size and pool, not its mesh)."""
    opts = chain.opts
    wanted = {
        o.field.name: max(1, int((opts.budget or budgets.default_budget(o.field.kind, _size_m(o))) * o.budget_share))
        for o in objects
    }
    return budgets.apply_scene_budget(wanted, opts.max_triangles)


def _size_m(obj: ObjectState) -> float | None:
    """The largest side of the object's field bounds, in metres (None for a field without bounds)."""
    lo, hi = getattr(obj.field, "bounds_min", None), getattr(obj.field, "bounds_max", None)
    if lo is None or hi is None:
        return None
    return float(max(h - low for h, low in zip(hi, lo, strict=True)))


def set_target(chain: Chain, obj: ObjectState, granted: int) -> None:
    """Set the object's triangle target: ``granted``, at most what its own texture holds."""
    opts = chain.opts
    # Triangles follow the texture the object would have alone: sharing its kind's atlas
    # costs a variant texels, not geometry.
    own = texture_size_for(mesh_of(obj), opts.texture_size)
    cap = max(1, int(simplify.texture_budget_triangles(own) * obj.budget_share))
    obj.triangle_target = min(granted, cap)


def size_texture(chain: Chain, obj: ObjectState) -> None:
    """Set the object's texture size from its decimated surface.

    The texture covers the surface that is kept: thin parts (reeds' stalks) that decimation
    pinched no longer ask for the texels of the extracted surface, several times larger.
    """
    obj.texture_size = texture_size_for(mesh_of(obj), chain.opts.texture_size, share=obj.atlas_share)


def hold_budget(chain: Chain, obj: ObjectState, extracted: MeshData) -> None:
    """Bring a field's surface that decimation left over its target down to the target.

    Quadric collapses that must keep a surface closed stall on thin parts (reeds'
    stalks a few cells wide at a grid sized to the whole clump: 8150 triangles
    against 4096). The field is extracted again on a coarser grid, sized from
    ``extracted`` (the full-resolution surface) to give about twice the target,
    and that closed surface is decimated; where that also stalls, collapses that
    may open the surface (pinches, a few open edges) finish the job. Either way
    the warnings say so. A mesh kept as it is (``ready_mesh``) has no field to
    extract again and stays as decimation left it.
    """
    target, f = obj.triangle_target, obj.field
    if mesh_of(obj).triangle_count <= target or getattr(f, "ready_mesh", None) is not None:
        return
    resolution = max(16, int(chain.opts.resolution * math.sqrt(2.0 * target / extracted.triangle_count)))
    got = sparse.extract_sdf(f.sdf, f.bounds_min, f.bounds_max, resolution, chain.device).to_mesh_data()
    coarse = cleanup.clean(got.positions, got.indices)
    with contextlib.suppress(simplify.DecimationError):
        coarse = simplify.decimate(coarse, target) if coarse.triangle_count else coarse
    stalled = mesh_of(obj).triangle_count
    if 0 < coarse.triangle_count <= target:
        obj.mesh = coarse
        chain.warnings.append(
            f"{f.name}: decimation stopped at {stalled} triangles (target {target}) keeping the surface closed; "
            f"extracted again at resolution {resolution} and decimated to {coarse.triangle_count}"
        )
        return
    source = coarse if coarse.triangle_count else mesh_of(obj)
    out = source
    for share in (1.0, 0.8, 0.6):  # cleanup can leave a few more than asked: aim lower until it holds
        out = simplify.decimate_open(source, int(target * share))
        if out.triangle_count <= target:
            break
    obj.mesh = out
    chain.warnings.append(
        f"{f.name}: decimation stopped at {stalled} triangles (target {target}) keeping the surface closed; "
        f"decimated to {out.triangle_count} allowing it to open (thin parts pinch)"
    )


def decimate_step(chain: Chain, obj: ObjectState) -> None:
    """Decimate the mesh to its triangle target (keep it whole rather than open holes)."""
    mesh = mesh_of(obj)
    try:
        obj.mesh = simplify.decimate(mesh, obj.triangle_target)
    except simplify.DecimationError as exc:
        chain.warnings.append(f"{obj.field.name}: kept {mesh.triangle_count} triangles ({exc})")


def normals_step(chain: Chain, obj: ObjectState) -> None:
    """Replace the mesh's normals by its field's gradient (exact where the mesh is coarse)."""
    mesh = mesh_of(obj)
    if getattr(obj.field, "ready_mesh", None) is not None:
        return  # a mesh kept as it is: its decimated normals are its own
    field_normals = cleanup.field_normals(obj.field, mesh.positions, chain.device, faces=mesh.indices)
    obj.mesh = MeshData(mesh.positions, mesh.indices, normals=field_normals)


normals = per_object(normals_step)


def unwrap_step(chain: Chain, obj: ObjectState) -> None:
    """Give each mesh its texture atlas (uv0), laid out for its texture size."""
    obj.mesh = unwrap.unwrap(mesh_of(obj), unwrap.UnwrapOptions(texture_size=obj.texture_size))


unwrap_uv0 = per_object(unwrap_step, needs_field=False)


def lightmap_step(chain: Chain, obj: ObjectState) -> None:
    """Give the mesh lightmap UVs (uv1), doubling the lightmap resolution while its charts don't fit.

    Past ``MAX_LIGHTMAP`` (a rebuilt surface with topological noise: thousands of tiny
    charts) the charts are packed as boxes on shelves instead, which never overlap
    (``lightmap.fallback_uvs``), and the warnings say so.
    """
    resolution: int = chain.opts.lightmap_resolution
    while True:
        try:
            obj.mesh = lightmap.lightmap_uvs(mesh_of(obj), resolution=resolution)
            return
        except ResourceError as exc:
            if resolution >= MAX_LIGHTMAP:
                obj.mesh = lightmap.fallback_uvs(mesh_of(obj), resolution=resolution)
                chain.warnings.append(f"{obj.field.name}: lightmap charts packed as shelf boxes ({exc})")
                return
            resolution *= 2
            chain.warnings.append(f"{obj.field.name}: lightmap charts need {resolution}² texels")


lightmap_uv1 = per_object(lightmap_step, needs_field=False)


def tangents_step(chain: Chain, obj: ObjectState) -> None:
    """Give the mesh MikkTSpace tangents (for the baked normal map)."""
    mesh_of(obj).tangents = tangents.mikktspace_tangents(mesh_of(obj))


tangent_frames = per_object(tangents_step, needs_field=False)


def bake_step(chain: Chain, obj: ObjectState) -> None:
    """Bake each object's base color, ORM and normal textures from its field."""
    maps = bake.bake(mesh_of(obj), obj.field, obj.texture_size, chain.device)
    name = obj.field.name
    h, w = maps.base_color.shape[:2]
    obj.textures["baseColor"] = Texture(f"{name}_baseColor", "baseColor", maps.base_color_png(), w, h)
    obj.textures["orm"] = Texture(f"{name}_orm", "orm", maps.orm_png(), w, h)
    obj.textures["normal"] = Texture(f"{name}_normal", "normal", maps.normal_png(), w, h)
    chain.kernels["bake"] = f"torch-{chain.device.type}"


bake_textures = per_object(bake_step)


def lod_step(chain: Chain, obj: ObjectState) -> None:
    """Make the LOD levels below LOD0, each with its own tangents."""
    levels = lod.build_lods(mesh_of(obj), chain.opts.lods, atlas_size=obj.texture_size)
    for note in levels.notes:  # how the chain was made, not a problem with it
        log.info("%s: %s", obj.field.name, note)
    obj.lods = [mesh_of(obj), *levels]
    for i, level in enumerate(obj.lods[1:], start=1):
        tol = 0.25 / chain.opts.lightmap_resolution  # deeper than a quarter texel: xatlas's own charts stay under
        if level.uv1 is not None and uv_overlap.overlapping_pairs(level.uv1, level.indices, tol):
            # Projected levels take uv1 from LOD0's charts and can fold it: such a level gets
            # its own lightmap layout (engines that bake each LOD need one without overlaps).
            log.info("%s: LOD%d's lightmap UVs overlap; laid out anew", obj.field.name, i)
            level = obj.lods[i] = lightmap.fallback_uvs(level, resolution=chain.opts.lightmap_resolution)
        level.tangents = tangents.mikktspace_tangents(level)


lod_chain = per_object(lod_step, needs_field=False)


def collision_step(chain: Chain, obj: ObjectState) -> None:
    """Give the object its colliders (convex hulls, or a trimesh for grounds) unless collision is off."""
    if chain.opts.collision:
        obj.collision = collision.collision_shapes(mesh_of(obj), obj.field.kind)


collision_shapes = per_object(collision_step, needs_field=False)


def texture_size_for(mesh: MeshData, max_size: int, *, share: int = 1) -> int:
    """Return a power-of-two texture edge that keeps texel density roughly constant.

    ``share`` objects (a kind's variants) pack their textures into one atlas of at
    most ``max_size`` a side, so each gets at most ``max_size / 2^ceil(log4(share))``
    (2-4 variants half the edge, 5-16 a quarter), never under ``MIN_TEXTURE``
    (a kind with more variants than that holds spills into a second atlas).
    """
    tri = mesh.positions[mesh.indices.astype(np.int64)]
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1).sum()
    want = max_size * math.sqrt(max(area, 1e-6) / FULL_TEXTURE_AREA_M2)
    size = 1 << max(0, math.ceil(math.log2(max(want, 1.0))))
    if share > 1:
        size = min(size, max(MIN_TEXTURE, max_size >> math.ceil(math.log2(share) / 2)))
    return int(min(max_size, max(MIN_TEXTURE, size)))


def yaw_quaternion(yaw_deg: float) -> tuple[float, float, float, float]:
    """Return the quaternion (x, y, z, w) of a rotation by ``yaw_deg`` about +Y."""
    half = math.radians(yaw_deg) / 2.0
    return (0.0, math.sin(half), 0.0, math.cos(half))


def add_node(asset: Asset, obj: ObjectState) -> Node:
    """Return the scene node of a finished object, its material and textures added to ``asset``."""
    f = obj.field
    tex = {role: asset.add_texture(t) for role, t in obj.textures.items()}
    material = asset.add_material(
        Material(
            name=f"{f.name}_mat",
            metallic_factor=1.0,
            roughness_factor=1.0,
            base_color_texture=tex["baseColor"],
            orm_texture=tex["orm"],
            occlusion_from_orm=True,
            normal_texture=tex["normal"],
        )
    )
    lo, hi = mesh_of(obj).bounds()
    diag = float(np.linalg.norm(hi - lo))
    node = Node(
        name=f.name,
        kind=f.kind,
        lods=obj.lods,
        material=material,
        translation=(float(f.translation[0]), float(f.translation[1]), float(f.translation[2])),
        rotation=yaw_quaternion(f.yaw_deg),
        lod_screen_sizes=lod.lod_screen_sizes(len(obj.lods), diag),
        collision=obj.collision,
        extras={"kind": f.kind, **(getattr(f, "extras", None) or {})},
    )
    asset.nodes.append(node)
    return node


def mesh_of(obj: ObjectState) -> MeshData:
    """Return the object's current mesh (every stage after extraction has one)."""
    assert obj.mesh is not None, f"{obj.field.name}: no mesh yet"
    return obj.mesh
