"""The chain: ScenePlan -> fields -> meshes -> cleanup/decimation -> UVs -> bake -> LODs -> collision -> Asset.

``CHAIN`` is the one ordered list of stages (functions in ``pipelines/stages.py``);
on a GPU ``build`` runs it stage-major (every object through one stage, then the
next), so each stage gets one progress bar, one wall time and one peak memory that
measure exactly that stage; within a per-object stage the objects run in parallel,
one per worker process (``pipelines/workers.py``). On the CPU the per-object stages
run fused, one task per object (``pipelines/fused.py``), and their rows share out
that phase's wall time. Adding a stage means one function, one line here and,
for a per-object stage, one in ``fused.STEPS``.
"""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass, field

import torch

from exporters.asset import Asset
from exporters.errors import InputError
from pipelines import fused, instancing, stages
from pipelines.models import SceneModel
from pipelines.nav import add_navigation
from pipelines.options import BuildOptions
from pipelines.plan import ScenePlan
from pipelines.progress import NullProgress, Progress
from pipelines.workers import ObjectPool, reset_peak, rss_mb

log = logging.getLogger("hyworld.run")

CHAIN: tuple[tuple[str, stages.Stage], ...] = (
    ("fields", stages.make_fields),
    ("extract", stages.extract),
    ("cleanup", stages.clean),
    ("decimate", stages.decimate),
    ("normals", stages.normals),
    ("unwrap", stages.unwrap_uv0),
    ("lightmap", stages.lightmap_uv1),
    ("tangents", stages.tangent_frames),
    ("bake", stages.bake_textures),
    ("lod", stages.lod_chain),
    ("collision", stages.collision_shapes),
)
STAGES = tuple(name for name, _ in CHAIN)


@dataclass
class BuildResult:
    """What ``build`` returns: the Asset, per-stage wall time and the kernels that ran."""

    asset: Asset
    stage_seconds: dict[str, float] = field(default_factory=dict)
    stage_memory_mb: dict[str, dict[str, float]] = field(default_factory=dict)  # stage -> process/workers peak
    kernels: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def resolve_device(name: str) -> torch.device:
    """Return the torch device for ``auto|cpu|cuda``; raise InputError for one that isn't here."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise InputError(
                "--device cuda was asked for, but torch sees no CUDA device here; use --device cpu or auto"
            )
        return torch.device(name)
    raise InputError(f"unknown device {name!r}; use auto, cpu or cuda")


def build(
    plan: ScenePlan,
    model: SceneModel,
    opts: BuildOptions,
    device: torch.device,
    progress: Progress | None = None,
    pool: ObjectPool | None = None,
) -> BuildResult:
    """Return the Asset built from ``plan`` (geometry, UVs, textures, LODs, collision).

    ``pool`` runs the per-object stages (default: one of ``opts.workers`` processes, made here).
    """
    progress = progress or NullProgress()
    asset = Asset(name="scene", generator="hyworld")  # the caller names it (generate: the prompt file)
    log.info("device %s", device)
    objects: list[stages.ObjectState] = []
    pools = instancing.Pools()
    with nullcontext(pool) if pool is not None else ObjectPool(opts.workers) as workers:
        chain = stages.Chain(plan=plan, model=model, opts=opts, device=device, pool=workers)
        result = BuildResult(asset=asset, kernels=chain.kernels, warnings=chain.warnings)
        fuse = fused.applies(chain)
        for name, stage in CHAIN:
            if fuse and name in fused.STAGES:
                continue
            start = time.perf_counter()
            workers.begin_stage()
            with progress.stage(name, max(len(objects), 1)) as task:
                objects = stage(chain, objects, task)
                if name == "fields":  # build the variants only; the copies become instances in add_nodes
                    objects, pools = instancing.keep_variants(objects, opts.variants)
                    instancing.share_pools(objects, pools)
            result.stage_seconds[name] = round(time.perf_counter() - start, 4)
            main_mb, workers_mb = workers.stage_peak_mb()
            result.stage_memory_mb[name] = {"process": round(main_mb, 1), "workers": round(workers_mb, 1)}
        if fuse:  # the per-object stages, one task per object (same bytes, no waiting between stages)
            objects = fused.run_fused(chain, objects, progress, result.stage_seconds, result.stage_memory_mb)
    instancing.add_nodes(asset, objects, pools, opts.texture_size)
    start = time.perf_counter()
    reset_peak()
    add_navigation(asset, pools, plan, opts, chain.warnings)
    result.stage_seconds["nav"] = round(time.perf_counter() - start, 4)
    result.stage_memory_mb["nav"] = {"process": round(rss_mb(), 1), "workers": 0.0}
    asset.extras.update({"seed": plan.seed, "model": plan.model})
    scene_extras = getattr(model, "scene_extras", None)  # optional: what a scene checker needs to know
    if scene_extras is not None:
        extras = scene_extras(plan)
        if extras:
            asset.extras["scene"] = extras
    return result


__all__ = ["CHAIN", "STAGES", "BuildResult", "build", "resolve_device"]
