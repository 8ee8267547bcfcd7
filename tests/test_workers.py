"""Per-object stages in worker processes: the same bytes as one process, and the workers really ran.

The scene is small (a few objects, low resolution and textures) but goes through
every stage; the GLB and FBX are compared byte for byte, and the manifest in
everything but its timings and memory figures (and the recorded worker count).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from exporters.errors import ResourceError
from exporters.manifest import validate_manifest
from pipelines.generate import GenRequest, generate
from pipelines.models import get_model
from pipelines.options import BuildOptions, GenOptions
from pipelines.stages import Chain, ObjectState
from pipelines.workers import ObjectPool

PROMPT = "a wooden crate, a barrel and a stone well on a meadow"
VARIES = ("stage_seconds", "stage_memory_mb", "files", "options")


def _run(tmp: Path, workers: int):
    opts = GenOptions(
        device="cpu", target="unity", build=BuildOptions(resolution=32, texture_size=64, lods=1, workers=workers)
    )
    return generate(GenRequest(prompt=PROMPT, name="w", out_root=tmp / str(workers), options=opts, force=True))


@pytest.mark.slow
def test_two_workers_write_the_same_bytes_as_one(tmp_path: Path) -> None:
    one, two = _run(tmp_path, 1), _run(tmp_path, 2)
    files_one = {f.path.name: f.path.read_bytes() for f in one.files if f.path.name != "manifest.json"}
    files_two = {f.path.name: f.path.read_bytes() for f in two.files if f.path.name != "manifest.json"}
    assert set(files_one) == set(files_two) and {"w.glb", "w.fbx"} <= set(files_one)
    for name, data in files_one.items():
        assert data == files_two[name], f"{name} differs between 1 and 2 workers"
    m1, m2 = one.manifest, two.manifest
    assert {k: v for k, v in m1.items() if k not in VARIES} == {k: v for k, v in m2.items() if k not in VARIES}
    assert [f["sha256"] for f in m1["files"]] == [f["sha256"] for f in m2["files"]]
    # The per-object stages ran in two worker processes (each reports its own peak), and not without them.
    for stage in ("extract", "bake", "lod", "collision"):
        assert m1["stage_memory_mb"][stage]["workers"] == 0.0
        assert m2["stage_memory_mb"][stage]["workers"] > 2 * 50.0  # two processes holding torch
        assert m2["stage_memory_mb"][stage]["process"] > 50.0
    validate_manifest(m2)


def _where(chain, obj) -> None:
    """A step that records the process it ran in."""
    chain.kernels["pid"] = str(os.getpid())


def _die(chain, obj) -> None:
    """A step whose process the OS ends (as the OOM killer would)."""
    os._exit(9)


class _Unregistered:
    """A model that ``get_model`` does not know: workers could not rebuild its fields."""

    name = "unregistered"

    def __init__(self, model) -> None:
        self.model = model

    def fields(self, plan, device):
        return self.model.fields(plan, device)


@pytest.mark.slow
def test_pool_runs_in_workers_only_when_it_can_and_a_killed_worker_is_a_resource_error() -> None:
    model = get_model("procedural")
    plan = model.generate("a wooden crate and a barrel", 0)
    cpu = torch.device("cpu")
    objects = [ObjectState(field=f) for f in model.fields(plan, cpu)]
    assert len(objects) >= 2
    with ObjectPool(2) as pool:
        chain = Chain(plan=plan, model=model, opts=BuildOptions(workers=2), device=cpu)
        pool.run(_where, chain, objects, lambda: None)
        pids = set(chain.kernels["pid"].split(", "))
        assert str(os.getpid()) not in pids and 1 <= len(pids) <= 2  # ran in the workers
        here = Chain(plan=plan, model=_Unregistered(model), opts=BuildOptions(workers=2), device=cpu)
        pool.run(_where, here, objects, lambda: None)
        assert here.kernels["pid"] == str(os.getpid())  # fields it cannot rebuild: ran here
        with pytest.raises(ResourceError, match="a worker process died during die"):
            pool.run(_die, chain, objects, lambda: None)


def test_fused_steps_are_the_chains_per_object_stages_in_order() -> None:
    from pipelines import fused, run

    assert fused.STAGES == run.STAGES[1:]  # every stage after "fields", in the chain's order


_BUILD = """
import sys, time
from pipelines.workers import ObjectPool
pool = ObjectPool(2)
pool._starter.join()
print(*sorted(pool._pool._processes), flush=True)
time.sleep(600)
"""


def _gone(pid: int) -> bool:
    """True once ``pid`` has exited (a zombie nobody reaps counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc")
def test_workers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    """A SIGKILLed build cannot shut its pool down: its workers must still go, not wait for ever."""
    import signal
    import subprocess
    import sys
    import time

    repo = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    build = subprocess.Popen([sys.executable, "-c", _BUILD], cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)
    try:
        line = build.stdout.readline() if build.stdout else ""
        workers = [int(p) for p in line.split()]
        assert len(workers) == 2, line
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    deadline = time.monotonic() + 60.0
    while not all(_gone(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [p for p in workers if not _gone(p)]
    for p in left:
        os.kill(p, signal.SIGKILL)
    assert not left, f"workers {left} outlived their killed build"
