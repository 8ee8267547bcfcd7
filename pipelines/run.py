"""The chain: ScenePlan -> fields -> meshes -> cleanup/LOD -> UVs -> bake -> Asset.

Stages run stage-major (every object through one stage, then the next stage),
so each stage gets one progress bar and one wall time, and independent objects
can be processed in parallel where a stage allows it (UV unwrapping).
"""

from __future__ import annotations

import logging
import math
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np
import torch

from exporters.asset import Asset, Material, MeshData, Node, Texture
from exporters.errors import InputError, ResourceError
from pipelines.fields import Field
from pipelines.models import SceneModel
from pipelines.plan import ScenePlan
from pipelines.progress import NullProgress, Progress

log = logging.getLogger("hyworld.run")

STAGES = ("fields", "extract", "cleanup", "unwrap", "bake", "lod", "collision")

# Surface area (m²) that earns the full --texture-size; smaller objects get a
# power-of-two size that keeps roughly the same texel density, down to MIN_TEXTURE.
FULL_TEXTURE_AREA_M2 = 150.0
MIN_TEXTURE = 128
MAX_LIGHTMAP = 2048


@dataclass(frozen=True)
class BuildOptions:
    """Everything that shapes the output geometry and textures (all of it goes in the manifest)."""

    resolution: int = 160  # extraction grid cells along each object's longest side
    texture_size: int = 1024  # largest texture edge, texels
    lods: int = 3  # LOD levels beyond LOD0
    budget: int | None = None  # LOD0 triangles per object; None = the kind's default
    max_triangles: int | None = None  # LOD0 triangles for the whole scene
    workers: int = 2  # parallel UV unwrapping
    collision: bool = True
    lightmap_resolution: int = 256


@dataclass
class BuildResult:
    """What ``build`` returns: the Asset, per-stage wall time and the kernels that ran."""

    asset: Asset
    stage_seconds: dict[str, float] = field(default_factory=dict)
    kernels: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Work:
    """One object's state between stages."""

    field: Field
    mesh: MeshData | None = None
    lods: list[MeshData] = field(default_factory=list)
    texture_size: int = 0
    textures: dict[str, Texture] = field(default_factory=dict)
    collision: list = field(default_factory=list)


def resolve_device(name: str) -> torch.device:
    """Return the torch device for ``auto|cpu|cuda``; raise InputError for one that isn't here."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise InputError("--device cuda was asked for, but torch sees no CUDA device here; use --device cpu or auto")
        return torch.device(name)
    raise InputError(f"unknown device {name!r}; use auto, cpu or cuda")


def yaw_quaternion(yaw_deg: float) -> tuple[float, float, float, float]:
    """Return the quaternion (x, y, z, w) of a rotation by ``yaw_deg`` about +Y."""
    half = math.radians(yaw_deg) / 2.0
    return (0.0, math.sin(half), 0.0, math.cos(half))


def texture_size_for(mesh: MeshData, max_size: int) -> int:
    """Return a power-of-two texture edge that keeps texel density roughly constant."""
    tri = mesh.positions[mesh.indices.astype(np.int64)]
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1).sum()
    want = max_size * math.sqrt(max(area, 1e-6) / FULL_TEXTURE_AREA_M2)
    size = 1 << max(0, math.ceil(math.log2(max(want, 1.0))))
    return int(min(max_size, max(MIN_TEXTURE, size)))


class _Timer:
    def __init__(self, progress: Progress, result: BuildResult) -> None:
        self.progress = progress
        self.result = result

    @contextmanager
    def stage(self, name: str, total: int) -> Iterator:
        start = time.perf_counter()
        with self.progress.stage(name, total) as task:
            yield task
        self.result.stage_seconds[name] = round(time.perf_counter() - start, 4)


def build(
    plan: ScenePlan,
    model: SceneModel,
    opts: BuildOptions,
    device: torch.device,
    progress: Progress | None = None,
) -> BuildResult:
    """Return the Asset built from ``plan`` (geometry, UVs, textures, LODs, collision)."""
    from pipelines.texture import bake
    from pipelines.mesh import cleanup
    from pipelines.mesh import collision
    from pipelines.texture import lightmap
    from pipelines.mesh import budgets, lod
    from pipelines.mesh import simplify
    from pipelines.extract import sparse
    from pipelines.texture import tangents
    from pipelines.texture import unwrap

    progress = progress or NullProgress()
    asset = Asset(name="scene", generator="hyworld")  # the caller names it (generate: the prompt file)
    result = BuildResult(asset=asset)
    timer = _Timer(progress, result)
    log.info("device %s", device)

    with timer.stage("fields", 1) as task:
        fields = model.fields(plan, device)
        task.advance()
    work = [_Work(field=f) for f in fields]

    extract_kernels: set[str] = set()
    with timer.stage("extract", len(work)) as task:
        for w in work:
            f = w.field
            # A part thinner than a cell can vanish (a fence at a coarse preview resolution):
            # refine up to 4x before calling the object empty.
            resolution = opts.resolution
            while True:
                got = sparse.extract_sdf(f.sdf, f.bounds_min, f.bounds_max, resolution, device)
                if got.faces.shape[0] or resolution >= min(4 * opts.resolution, 2048):
                    break
                resolution = min(2 * resolution, 2048)
                log.info("%s: no surface found, retrying at resolution %d", f.name, resolution)
            extract_kernels.add(f"{got.stats.kernel}-{got.stats.mode}-{got.stats.device}")
            w.mesh = cleanup.clean(got.vertices_local.cpu().numpy(), got.faces.cpu().numpy())
            task.advance()
    result.kernels["extract"] = ", ".join(sorted(extract_kernels))
    empty = [w.field.name for w in work if w.mesh.triangle_count == 0]
    if empty:
        result.warnings.append(f"no surface found for {', '.join(empty)}; those nodes were left out")
    work = [w for w in work if w.mesh.triangle_count > 0]

    with timer.stage("cleanup", len(work)) as task:
        budgets = {w.field.name: opts.budget or budgets.default_budget(w.field.kind) for w in work}
        budgets = budgets.apply_scene_budget(budgets, opts.max_triangles)
        for w in work:
            w.texture_size = texture_size_for(w.mesh, opts.texture_size)
            target = min(budgets[w.field.name], simplify.texture_budget_triangles(w.texture_size))
            try:
                mesh = simplify.decimate(w.mesh, target)
            except simplify.DecimationError as exc:  # keep the full mesh rather than open holes
                result.warnings.append(f"{w.field.name}: kept {w.mesh.triangle_count} triangles ({exc})")
                mesh = w.mesh
            normals = cleanup.field_normals(w.field, mesh.positions, device, faces=mesh.indices)
            w.mesh = MeshData(mesh.positions, mesh.indices, normals=normals)
            task.advance()

    with timer.stage("unwrap", len(work)) as task:
        # one atlas layout per texture size; objects of a size are unwrapped in parallel
        for size in sorted({w.texture_size for w in work}):
            group = [w for w in work if w.texture_size == size]
            meshes = unwrap.unwrap_many([w.mesh for w in group], unwrap.UnwrapOptions(texture_size=size), workers=opts.workers)
            for w, mesh in zip(group, meshes):
                w.mesh = mesh
        for w in work:
            mesh = w.mesh
            mesh = _lightmap(lightmap, mesh, w.field.name, opts.lightmap_resolution, result)
            mesh.tangents = tangents.mikktspace_tangents(mesh)
            w.mesh = mesh
            task.advance()

    with timer.stage("bake", len(work)) as task:
        for w in work:
            maps = bake.bake(w.mesh, w.field, w.texture_size, device)
            name = w.field.name
            h, wd = maps.base_color.shape[:2]
            w.textures["baseColor"] = Texture(f"{name}_baseColor", "baseColor", maps.base_color_png(), wd, h)
            w.textures["orm"] = Texture(f"{name}_orm", "orm", maps.orm_png(), wd, h)
            w.textures["normal"] = Texture(f"{name}_normal", "normal", maps.normal_png(), wd, h)
            task.advance()
    result.kernels["bake"] = f"torch-{device.type}"

    with timer.stage("lod", len(work)) as task:
        for w in work:
            chain = lod.build_lods(w.mesh, opts.lods, atlas_size=w.texture_size)
            for note in chain.notes:  # how the chain was made, not a problem with it
                log.info("%s: %s", w.field.name, note)
            w.lods = [w.mesh, *chain]
            for level in w.lods[1:]:
                level.tangents = tangents.mikktspace_tangents(level)
            task.advance()

    with timer.stage("collision", len(work)) as task:
        for w in work:
            if opts.collision:
                w.collision = collision.collision_shapes(w.mesh, w.field.kind)
            task.advance()

    for w in work:
        asset.nodes.append(_node(asset, w, lod.lod_screen_sizes))
    asset.extras.update({"seed": plan.seed, "model": plan.model})
    scene_extras = getattr(model, "scene_extras", None)  # optional: what a scene checker needs to know
    if scene_extras is not None:
        extras = scene_extras(plan)
        if extras:
            asset.extras["scene"] = extras
    return result


def _lightmap(lightmap, mesh: MeshData, name: str, resolution: int, result: BuildResult) -> MeshData:
    """Return ``mesh`` with uv1, doubling the lightmap resolution while its charts don't fit."""
    while True:
        try:
            return lightmap.lightmap_uvs(mesh, resolution=resolution)
        except ResourceError:
            if resolution >= MAX_LIGHTMAP:
                raise
            resolution *= 2
            result.warnings.append(f"{name}: lightmap charts need {resolution}² texels")


def _node(asset: Asset, w: _Work, screen_sizes) -> Node:
    f = w.field
    tex = {role: asset.add_texture(t) for role, t in w.textures.items()}
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
    lo, hi = w.mesh.bounds()
    diag = float(np.linalg.norm(hi - lo))
    return Node(
        name=f.name,
        kind=f.kind,
        lods=w.lods,
        material=material,
        translation=tuple(float(x) for x in f.translation),
        rotation=yaw_quaternion(f.yaw_deg),
        lod_screen_sizes=screen_sizes(len(w.lods), diag),
        collision=w.collision,
        extras={"kind": f.kind, **(getattr(f, "extras", None) or {})},
    )


def check_resolution(resolution: int) -> None:
    """Raise InputError for a resolution outside what extraction supports."""
    if not 8 <= resolution <= 2048:
        raise InputError(f"--resolution {resolution} is out of range: use 8..2048 cells along an object's longest side")


def check_options(opts: BuildOptions) -> None:
    """Raise InputError for any build option outside what the chain supports."""
    check_resolution(opts.resolution)
    check_texture_size(opts.texture_size)
    if not 0 <= opts.lods <= 6:
        raise InputError(f"--lods {opts.lods} is out of range: use 0..6")
    for flag, value in (("--budget", opts.budget), ("--max-triangles", opts.max_triangles)):
        if value is not None and value < 12:
            raise InputError(f"{flag} {value} is too small: use at least 12 triangles")


def check_texture_size(size: int) -> None:
    """Raise InputError unless ``size`` is a power of two in 64..8192."""
    if size < 64 or size > 8192 or size & (size - 1):
        raise InputError(f"--texture-size {size} must be a power of two between 64 and 8192")


__all__ = ["BuildOptions", "BuildResult", "build", "resolve_device", "check_options", "check_resolution", "check_texture_size", "ResourceError"]
