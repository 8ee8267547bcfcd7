"""The per-object stages in one task per object: extract -> ... -> collision without waiting between stages.

Run stage-major (``run.CHAIN``), every stage waits for its slowest object before
the next starts, and the budget holds (``stages.hold_budget``) ran one after the
other in this process: on 2 cores about 5 s of core time idled in each village
build. Here each object goes through the whole chain in one worker task (the
largest first), so a core idles only at the very end.

The stage table stays meaningful: each task times its stages and reports its
process's peak memory in each; ``run_fused`` shares the phase's wall time out
among the stages in proportion to their summed per-object seconds (the rows add
up to the phase's wall time, as stage-major rows did), and a stage's worker
memory is the sum over worker processes of the largest peak it reached in each.

Only on the CPU: on a GPU the field stages run in this process (one CUDA context)
while the CPU-only ones run in workers, which the stage-major chain keeps.
Every step is the stage-major chain's own function, run in the same order on
each object with one torch thread, so the bytes are the same either way.
"""

from __future__ import annotations

import os
import time

from pipelines import stages
from pipelines.progress import Progress
from pipelines.workers import ObjectPool, reset_peak, rss_mb


def _decimate_held(chain: stages.Chain, obj: stages.ObjectState) -> None:
    """Decimate to the object's target (``triangle_target`` holds its grant until here), holding the budget."""
    extracted = stages.mesh_of(obj)
    stages.set_target(chain, obj, obj.triangle_target)
    stages.decimate_step(chain, obj)
    stages.hold_budget(chain, obj, extracted)
    stages.size_texture(chain, obj)


STEPS: tuple[tuple[str, stages.Step], ...] = (
    ("extract", stages.extract_step),
    ("cleanup", stages.clean_step),
    ("decimate", _decimate_held),
    ("normals", stages.normals_step),
    ("unwrap", stages.unwrap_step),
    ("lightmap", stages.lightmap_step),
    ("tangents", stages.tangents_step),
    ("bake", stages.bake_step),
    ("lod", stages.lod_step),
    ("collision", stages.collision_step),
)
STAGES = tuple(name for name, _ in STEPS)


def applies(chain: stages.Chain) -> bool:
    """Return True where the per-object stages run fused: on the CPU."""
    return chain.device.type == "cpu"


def build_object(chain: stages.Chain, obj: stages.ObjectState) -> None:
    """Run every per-object stage on ``obj``, recording each one's seconds and peak memory in ``obj.ran``."""
    obj.ran = {}
    for name, step in STEPS:
        reset_peak()
        start = time.perf_counter()
        step(chain, obj)
        obj.ran[name] = (time.perf_counter() - start, os.getpid(), rss_mb())
        if name == "cleanup" and stages.mesh_of(obj).triangle_count == 0:
            return  # no surface: ``run_fused`` leaves it out


def run_fused(
    chain: stages.Chain,
    objects: list[stages.ObjectState],
    progress: Progress,
    seconds: dict[str, float],
    memory: dict[str, dict[str, float]],
) -> list[stages.ObjectState]:
    """Run every per-object stage on ``objects``, one task each; fill each stage's row of ``seconds`` and ``memory``."""
    granted = stages.granted_triangles(chain, objects)  # the scene's budget: from kinds and pools, not meshes
    for obj in objects:
        obj.triangle_target = granted[obj.field.name]
    pool = chain.pool or ObjectPool(workers=1)
    pool.begin_stage()
    start = time.perf_counter()
    with progress.stage("objects", len(objects)) as task:
        pool.run(build_object, chain, objects, task.advance, cost=stages.cost)
    wall = time.perf_counter() - start
    main_mb, _ = pool.stage_peak_mb()
    spent = {name: sum(o.ran[name][0] for o in objects if name in o.ran) for name in STAGES}
    total = sum(spent.values()) or 1.0
    for name in STAGES:
        seconds[name] = round(wall * spent[name] / total, 4)
        peaks: dict[int, float] = {}
        for obj in objects:
            if name in obj.ran:
                _, pid, mb = obj.ran[name]
                peaks[pid] = max(peaks.get(pid, 0.0), mb)
        here = peaks.pop(os.getpid(), 0.0)  # steps run in this process (one worker): its own peak
        memory[name] = {"process": round(max(main_mb, here), 1), "workers": round(sum(peaks.values()), 1)}
    return stages.drop_empty(chain, objects)


__all__ = ["STAGES", "applies", "run_fused"]
