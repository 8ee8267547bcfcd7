"""``hyworld convert``'s library entry: an input file or folder -> the files ``hyworld gen`` writes.

The source is read (``pipelines.sources``), framed, split and turned into one
``ConvertField`` per object (``objects``); then the same stages as ``gen`` run
(``pipelines/stages.py``): extraction (skipped for a mesh kept as it is),
cleanup, decimation, UVs, lightmap UVs, tangents, the bake (from the source:
colours, the full-resolution normal, AO, roughness and metallic), LODs and
collision; the exporters write the preset's GLB/FBX and the manifest, which
names the source file, its sha256 and every decision taken.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from threadpoolctl import threadpool_limits

from exporters import write_formats
from exporters.asset import Asset, MeshData
from exporters.errors import OutputExistsError
from exporters.files import StagedDir, WrittenFile, check_asset_dir, clean_stale, ensure_writable_dir, safe_name
from exporters.manifest import MANIFEST_NAME, RunInfo, build_manifest
from exporters.manifest import write as write_manifest
from exporters.presets import get_preset
from pipelines import stages
from pipelines.convert.frame import FrameOptions
from pipelines.convert.objects import build_objects
from pipelines.extract import sparse
from pipelines.generate import existing_outputs, listed_outputs
from pipelines.mesh import budgets, simplify
from pipelines.options import GenOptions, check_options, recorded_options
from pipelines.progress import NullProgress, Progress, StageTask
from pipelines.run import resolve_device
from pipelines.sources import Source, read_source
from pipelines.version import __version__

log = logging.getLogger("hyworld.convert")

DEFAULT_BUDGET = 50_000  # LOD0 triangles per object unless --budget says otherwise (the texture size may cap it)


@dataclass(frozen=True)
class ConvertRequest:
    """Everything one conversion needs; the same request gives the same bytes."""

    input: Path
    name: str
    out_root: Path
    options: GenOptions = field(default_factory=GenOptions)
    frame: FrameOptions = field(default_factory=FrameOptions)
    force: bool = False


@dataclass
class ConvertOutcome:
    out_dir: Path
    files: list[WrittenFile]
    manifest: dict


def extract_or_keep(
    chain: stages.Chain, objects: list[stages.ObjectState], task: StageTask
) -> list[stages.ObjectState]:
    """Give each object its surface: the source mesh it keeps, or the extracted level set of its grid."""
    kernels = set()
    for obj in objects:
        f = obj.field
        if _ready(obj) is not None:
            obj.mesh = _ready(obj)
            kernels.add("source-mesh")
        else:
            got = sparse.extract_sdf(f.sdf, f.bounds_min, f.bounds_max, chain.opts.resolution, chain.device)
            kernels.add(f"{got.stats.kernel}-{got.stats.mode}-{got.stats.device}")
            obj.mesh = got.to_mesh_data()
        task.advance()
    chain.kernels["extract"] = ", ".join(sorted(kernels))
    return objects


def clean_extracted(
    chain: stages.Chain, objects: list[stages.ObjectState], task: StageTask
) -> list[stages.ObjectState]:
    """Clean the extracted surfaces (kept source meshes were cleaned when read); drop empty objects."""
    grids = [o for o in objects if _ready(o) is None]
    stages.clean(chain, grids, task)
    for o in objects:
        if _ready(o) is not None:
            task.advance()
    return [o for o in objects if o.mesh is not None and o.mesh.triangle_count > 0]


def field_normals(chain: stages.Chain, objects: list[stages.ObjectState], task: StageTask) -> list[stages.ObjectState]:
    """Normals from the field's gradient for rebuilt surfaces; decimated source meshes keep theirs."""
    grids = [o for o in objects if _ready(o) is None]
    stages.normals(chain, grids, task)
    for o in objects:
        if _ready(o) is not None:
            task.advance()
    return objects


def decimate_objects(
    chain: stages.Chain, objects: list[stages.ObjectState], task: StageTask
) -> list[stages.ObjectState]:
    """Decimate each object to its budget (``--budget``, shared under ``--max-triangles``, at most what its atlas holds).

    Unlike ``gen``'s objects, a converted asset gets the whole ``--texture-size`` (it is one
    asset, not a prop among many). A rebuilt surface that only stays closed over budget
    (the topological noise of a density) is brought to it by ``stages.hold_budget``, and
    the manifest says so.
    """
    opts = chain.opts
    wanted = {o.field.name: opts.budget or DEFAULT_BUDGET for o in objects}
    granted = budgets.apply_scene_budget(wanted, opts.max_triangles)
    for obj in objects:
        obj.texture_size = opts.texture_size
        target = min(granted[obj.field.name], simplify.texture_budget_triangles(obj.texture_size))
        mesh = obj.mesh
        assert mesh is not None
        obj.triangle_target = target
        try:
            obj.mesh = simplify.decimate(mesh, target)
        except simplify.DecimationError as exc:
            chain.warnings.append(f"{obj.field.name}: kept {mesh.triangle_count} triangles ({exc})")
        stages.hold_budget(chain, obj, mesh)
        task.advance()
    return objects


CHAIN: tuple[tuple[str, stages.Stage], ...] = (
    ("extract", extract_or_keep),
    ("cleanup", clean_extracted),
    ("decimate", decimate_objects),
    ("normals", field_normals),
    ("unwrap", stages.unwrap_uv0),
    ("lightmap", stages.lightmap_uv1),
    ("tangents", stages.tangent_frames),
    ("bake", stages.bake_textures),
    ("lod", stages.lod_chain),
    ("collision", stages.collision_shapes),
)
STAGES = ("read", "objects") + tuple(n for n, _ in CHAIN) + ("export",)


def frame_options(frame: dict) -> dict:
    """Return the frame options as the manifest records them (``frame_up``, ...), defaults filled in."""
    return {f"frame_{k}": v for k, v in dataclasses.asdict(FrameOptions(**frame)).items()}


def source_digest(path: Path) -> str:
    """Return the sha256 the manifest records for input ``path`` (a folder: of the file picked from it)."""
    path = Path(path)
    if path.is_dir():
        from pipelines.sources import pick_from_folder

        path = pick_from_folder(path)[0]
    return sha256_of(path) if path.is_file() else ""


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def convert(req: ConvertRequest, progress: Progress | None = None, source: Source | None = None) -> ConvertOutcome:
    """Convert ``req.input`` (or the ``source`` already read from it) and write the asset; the manifest is written last.

    numpy's BLAS runs single-threaded meanwhile: its idle threads spin, and on a loaded
    2-core machine an [N, 3] @ [3, 3] product over the 3.9M vertices of a 1.3M-triangle
    flat-shaded source took 1.1 s with two threads against 0.04 s with one (the reader's
    node transform and the frame rotation do three of those each). The products split
    by rows, so the bytes are the same either way; torch keeps its own threads.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _convert(req, progress, source)


def _convert(req: ConvertRequest, progress: Progress | None, source: Source | None) -> ConvertOutcome:
    progress = progress or NullProgress()
    opts = req.options
    check_options(opts.build)
    req.frame.check()
    preset = get_preset(opts.target)
    if opts.fbx_ascii:
        preset = replace(preset, fbx_ascii=True)
    device = resolve_device(opts.device)
    name = safe_name(req.name)
    out_dir = Path(req.out_root) / name
    check_asset_dir(out_dir)
    clean_stale(req.out_root, name)  # what killed runs left: staging folders, .part files
    found = existing_outputs(out_dir, name)
    if found and not req.force:
        raise OutputExistsError(f"{found[0]} already exists; pass --force to overwrite it")
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    with progress.stage("read", 1) as task:
        source = source or read_source(Path(req.input))
        task.advance()
    seconds["read"] = round(time.perf_counter() - t0, 4)
    t0 = time.perf_counter()
    with progress.stage("objects", 1) as task:
        fields, decisions = build_objects(source, req.frame, name, opts.build.resolution, opts.seed)
        task.advance()
    seconds["objects"] = round(time.perf_counter() - t0, 4)
    build = opts.build if opts.build.budget is not None else replace(opts.build, budget=DEFAULT_BUDGET)
    chain = stages.Chain(plan=None, model=None, opts=build, device=device)  # type: ignore[arg-type]
    objects = [stages.ObjectState(field=f) for f in fields]
    for stage_name, stage in CHAIN:
        t0 = time.perf_counter()
        with progress.stage(stage_name, max(len(objects), 1)) as task:
            objects = stage(chain, objects, task)
        seconds[stage_name] = round(time.perf_counter() - t0, 4)
    asset = Asset(name=name, generator="hyworld convert")
    for obj in objects:
        stages.add_node(asset, obj)
    digest = sha256_of(Path(source.path))
    decisions["objects"] = len(objects)
    asset.extras.update(
        {
            "seed": opts.seed,
            "model": "convert",
            "source": {"file": str(source.path), "format": source.format, "sha256": digest, "notes": source.notes},
            "decisions": decisions,
            "defaults": _stated_defaults(fields),
        }
    )
    root_created = not Path(req.out_root).exists()
    ensure_writable_dir(req.out_root)
    try:
        # Written into a fresh folder swapped in whole, as gen does: a kill never leaves a mix.
        with StagedDir(out_dir) as staged:
            t0 = time.perf_counter()
            with progress.stage("export", len(preset.formats)) as task:
                files = write_formats(asset, staged.path, name, preset)
                task.advance(len(preset.formats))
            seconds["export"] = round(time.perf_counter() - t0, 4)
            recorded = recorded_options(opts, plan_file=False)
            recorded.update(frame_options(dataclasses.asdict(req.frame)))
            run = RunInfo(
                tool_version=__version__,
                model="convert",
                seed=opts.seed,
                prompt_sha256=digest,
                prompt_chars=0,
                options=recorded,
                device=str(device),
                kernels=chain.kernels,
                stage_seconds=seconds,
                target=preset.name,
                warnings=chain.warnings,
            )
            manifest = build_manifest(asset, files, run, staged.path)
            files.append(write_manifest(manifest, staged.path / MANIFEST_NAME))
            ours = listed_outputs(out_dir)  # the earlier asset's files: replaced; anything else there is kept
            staged.commit(keep=lambda entry: not entry.startswith(".") and entry not in ours)
    except BaseException:
        if root_created:
            with contextlib.suppress(OSError):
                Path(req.out_root).rmdir()  # only if empty: no bare folder left by a failed or interrupted run
        raise
    files = [replace(f, path=out_dir / Path(f.path).relative_to(staged.path)) for f in files]
    return ConvertOutcome(out_dir=out_dir, files=files, manifest=manifest)


def _ready(obj: stages.ObjectState) -> MeshData | None:
    """The source mesh a field keeps as it is (``ConvertField.ready_mesh``), or None."""
    return getattr(obj.field, "ready_mesh", None)


def _stated_defaults(fields) -> dict:
    """Return the defaults used where the source said nothing (roughness/metallic of points, splats, bare meshes)."""
    out = {}
    for f in fields:
        if f.surface is None:
            out[f.name] = {
                "roughness": f.roughness,
                "metallic": f.metallic,
                "why": "points and splats carry no material",
            }
        elif not all(m.stated for m in f.surface.materials[:-1] or f.surface.materials):
            out[f.name] = {"roughness": 0.8, "metallic": 0.0, "why": "the source material states no roughness/metallic"}
    return out
