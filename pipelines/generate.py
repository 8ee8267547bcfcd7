"""Prompt (or plan) to files on disk: one generation, for the CLI, batch workers, engine scripts and library users."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from exporters import write_formats
from exporters.errors import OutputExistsError
from exporters.files import StagedDir, WrittenFile, check_asset_dir, clean_stale, ensure_writable_dir, safe_name
from exporters.manifest import MANIFEST_NAME, RunInfo, build_manifest
from exporters.manifest import write as write_manifest
from exporters.presets import get_preset
from pipelines.models import get_model
from pipelines.nav import with_agent
from pipelines.options import GenOptions, check_options, check_seed, recorded_options
from pipelines.plan import ScenePlan
from pipelines.plan_checks import check_plan
from pipelines.progress import NullProgress, Progress
from pipelines.resources import check_memory
from pipelines.run import build, resolve_device
from pipelines.version import __version__
from pipelines.workers import ObjectPool, reset_peak, rss_mb

log = logging.getLogger("hyworld.gen")


@dataclass(frozen=True)
class GenRequest:
    """Everything one generation needs; the same request gives the same bytes."""

    prompt: str
    name: str  # asset name and output folder name (sanitised here)
    out_root: Path
    options: GenOptions = field(default_factory=GenOptions)
    force: bool = False  # replace an earlier asset of the same name
    plan: ScenePlan | None = None  # an edited plan replaces the model's reading of the prompt


@dataclass
class GenOutcome:
    """What a generation wrote: its folder, files and manifest."""

    out_dir: Path
    files: list[WrittenFile]
    manifest: dict
    plan: ScenePlan


def validate(req: GenRequest) -> GenRequest:
    """Check options that need no work; return the request with a sanitised name."""
    check_seed(req.options.seed)
    check_options(req.options.build)
    if req.plan is not None:
        check_plan(req.plan)
    get_preset(req.options.target)
    resolve_device(req.options.device)
    get_model(req.options.model)
    return replace(req, name=safe_name(req.name))


def existing_outputs(out_dir: Path, name: str) -> list[Path]:
    """Return the files of an earlier asset in ``out_dir`` that a new run would replace."""
    return [p for p in (out_dir / MANIFEST_NAME, out_dir / f"{name}.glb", out_dir / f"{name}.fbx") if p.exists()]


def generate(req: GenRequest, progress: Progress | None = None) -> GenOutcome:
    """Run the whole chain for ``req`` and return what it wrote; the manifest is written last."""
    progress = progress or NullProgress()
    req = validate(req)
    opts = req.options
    preset = get_preset(opts.target)
    if opts.fbx_ascii:
        preset = replace(preset, fbx_ascii=True)
    device = resolve_device(opts.device)
    model = get_model(opts.model)
    check_memory(opts.build)  # before any work or file: exit 3, not the OS's kill halfway
    out_dir = Path(req.out_root) / req.name
    check_asset_dir(out_dir)
    clean_stale(req.out_root, req.name)  # what killed runs left: staging folders, .part files
    found = existing_outputs(out_dir, req.name)
    if found and not req.force:
        raise OutputExistsError(f"{found[0]} already exists; pass --force to overwrite it")
    root_created = not Path(req.out_root).exists()
    ensure_writable_dir(req.out_root)
    try:
        # Everything is written into a fresh folder swapped in whole at the end: a kill or Ctrl-C at any
        # moment leaves the earlier asset (or nothing), never an old manifest beside new files.
        with StagedDir(out_dir) as stage:
            reset_peak()
            t0 = time.perf_counter()
            with ObjectPool(opts.build.workers) as pool:  # the workers start while the prompt is read
                plan = req.plan if req.plan is not None else model.generate(req.prompt, opts.seed)
                plan_seconds = time.perf_counter() - t0
                plan_mb = round(rss_mb(), 1)
                result = build(plan, model, with_agent(opts.build, preset.agent), device, progress, pool)
            result.asset.name = req.name
            result.asset.extras["prompt_sha256"] = _sha(plan.prompt)
            t0 = time.perf_counter()
            reset_peak()
            with progress.stage("export", len(preset.formats)) as task:
                files = write_formats(result.asset, stage.path, req.name, preset)
                task.advance(len(preset.formats))
            stage_seconds = {"plan": round(plan_seconds, 4), **result.stage_seconds}
            stage_seconds["export"] = round(time.perf_counter() - t0, 4)
            stage_memory = {"plan": {"process": plan_mb, "workers": 0.0}, **result.stage_memory_mb}
            stage_memory["export"] = {"process": round(rss_mb(), 1), "workers": 0.0}
            run = RunInfo(
                tool_version=__version__,
                model=model.name,
                seed=plan.seed,
                prompt_sha256=_sha(plan.prompt),
                prompt_chars=len(plan.prompt),
                options=recorded_options(opts, plan_file=req.plan is not None),
                device=str(device),
                kernels=result.kernels,
                stage_seconds=stage_seconds,
                stage_memory_mb=stage_memory,
                target=preset.name,
                unknown_words=[asdict(u) for u in plan.unknown_words],
                warnings=[*plan.warnings, *result.warnings],  # the plan's caps and left-outs too
            )
            manifest = build_manifest(result.asset, files, run, stage.path)
            files.append(write_manifest(manifest, stage.path / MANIFEST_NAME))
            ours = listed_outputs(out_dir)  # the earlier asset's files: replaced; anything else there is kept
            stage.commit(keep=lambda entry: not entry.startswith(".") and entry not in ours)
    except BaseException:
        if root_created:
            with contextlib.suppress(OSError):
                Path(req.out_root).rmdir()  # only if empty: no bare folder left by a failed or interrupted run
        raise
    files = [replace(f, path=out_dir / Path(f.path).relative_to(stage.path)) for f in files]
    return GenOutcome(out_dir=out_dir, files=files, manifest=manifest, plan=plan)


def listed_outputs(out_dir: Path) -> set[str]:
    """Return the top-level names the manifest in ``out_dir`` lists, and the manifest's own name."""
    try:
        entries = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
        names = {str(e["path"]).split("/")[0] for e in entries}
    except (OSError, ValueError, KeyError, TypeError):
        names = set()
    return names | {MANIFEST_NAME}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
