"""`hyworld batch` end to end: the real chain at tiny settings through the CLI, killed and resumed, sharded."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hyworld_cli.batch import (
    BatchConfig,
    JobResult,
    JobSpec,
    local_executor_factory,
    read_records,
    run_batch,
    verify_asset,
)
from pipelines.options import GenOptions, with_flat
from tests.batch_fakes import REPO, TINY, assert_complete, final_status, group_alive, hyworld, write_prompts

# ----------------------------------------------------------------------------------- real chain, CLI

PROMPTS_20 = [
    "a small house",
    "a pine tree",
    "a rock",
    "two trees",
    "a well",
    "a wooden fence",
    "a stone wall",
    "a hut",
    "a big rock",
    "three rocks",
    "an oak tree",
    "a tower",
    "a bridge",
    "a house and a tree",
    "a barn",
    "a pond",
    "a hill",
    "a windmill",
    "a cabin",
    "a tent",
]


@pytest.fixture(scope="module")
def twenty(tmp_path_factory):
    """A 20-prompt folder and one uninterrupted CLI batch of it (2 workers, tiny settings)."""
    root = tmp_path_factory.mktemp("twenty")
    src = write_prompts(root / "prompts", {f"p{i:02d}": p for i, p in enumerate(PROMPTS_20)})
    out = root / "out"
    r = hyworld("batch", str(src), "--out", str(out), "--jobs", "2", "--device", "cpu", *TINY, "--json")
    return src, out, r


@pytest.mark.slow
def test_twenty_prompt_batch_writes_valid_assets(twenty):
    src, out, r = twenty
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert (summary["ok"], summary["failed"], summary["skipped"], summary["total"]) == (20, 0, 0, 20)
    assert summary["assets_per_minute"] > 0
    names = [f"p{i:02d}" for i in range(20)]
    assert_complete(out, names)
    assert final_status(out) == {n: "ok" for n in names}
    assert "assets/min" in r.stderr and "batch summary" in r.stderr
    from tests.validator import assert_valid_gltf

    for name in ("p00", "p13"):
        assert_valid_gltf(out / name / f"{name}.glb")


def gated_job(spec: JobSpec) -> JobResult:
    """Run the real job; the one named in $HYWORLD_TEST_GATE stalls at a chosen point after touching a file.

    ``name:after``: after its manifest is written, before the driver records it.
    ``name:before``: as its manifest is about to be written (every other file is on disk).
    """
    from hyworld_cli.batch import run_job

    name, _, where = os.environ.get("HYWORLD_TEST_GATE", "").partition(":")
    if spec.job.name != name:
        return run_job(spec)
    ready = Path(os.environ["HYWORLD_TEST_GATE_FILE"])

    def stall(*_args, **_kw):
        ready.touch()
        time.sleep(3600)  # until the driver's death kills this worker

    if where == "before":
        import pipelines.generate

        pipelines.generate.write_manifest = stall
    result = run_job(spec)
    stall()
    return result


def drive_gated(src: str, out: str) -> None:
    """The batch driver with one worker running `gated_job` (run in a subprocess the test kills)."""
    settings = with_flat(GenOptions(device="cpu"), resolution=24, texture_size=64, lods=1)  # the CLI's TINY
    run_batch(
        BatchConfig(input=Path(src), out_root=Path(out), base=settings), local_executor_factory(1, "cpu", gated_job)
    )


def kill_driver_at_gate(src: Path, out: Path, gate: str, ready: Path) -> None:
    """Start a gated batch, wait until the gated job reaches its point, SIGKILL the driver, wait for its workers to die."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "HYWORLD_TEST_GATE": gate, "HYWORLD_TEST_GATE_FILE": str(ready)}
    code = f"from tests.test_batch_e2e import drive_gated; drive_gated({str(src)!r}, {str(out)!r})"
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 600
    while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # waiting for a file to appear, not for time to pass
    assert ready.exists(), (
        f"the gated job never reached its point: {proc.poll()} {proc.stderr.read() if proc.stderr else ''}"
    )
    proc.send_signal(signal.SIGKILL)  # the driver only: its workers must not outlive it
    proc.wait()
    proc.stderr.close()
    deadline = time.monotonic() + 30
    while group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_alive(proc.pid), "worker processes outlived the killed batch"


@pytest.mark.slow
def test_batch_killed_with_sigkill_resumes_to_the_same_assets_each_once(twenty, tmp_path):
    """The driver is killed in the two windows a kill can land in, each made to happen, not hoped for.

    First after a job's manifest is written but before the driver records it (the asset must
    be adopted, not refused as someone else's), then while a job's files are being written (the
    job must be redone). The rerun ends with every asset complete, made once, byte for byte the
    uninterrupted batch's. `make stress` kills batches at random moments many times.
    """
    _, done, first = twenty
    assert first.returncode == 0, first.stderr
    names = [f"p{i:02d}" for i in range(4)]  # four of the twenty: the same jobs, so the same bytes
    src = write_prompts(tmp_path / "prompts", {n: PROMPTS_20[i] for i, n in enumerate(names)})
    out = tmp_path / "out"

    kill_driver_at_gate(src, out, "p01:after", tmp_path / "ready1")
    assert final_status(out) == {"p00": "ok"}
    assert verify_asset(out / "p01", None, out) is None  # whole, unrecorded

    kill_driver_at_gate(src, out, "p02:before", tmp_path / "ready2")
    recs = read_records(out)
    assert recs["p01"][-1]["note"] == "found complete, not recorded" and sorted(recs) == ["p00", "p01"]
    assert not (out / "p02" / "manifest.json").exists()

    r = hyworld("batch", str(src), "--out", str(out), "--jobs", "2", "--device", "cpu", *TINY, "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert {j["name"]: j["status"] for j in summary["jobs"]} == {
        "p00": "skipped",
        "p01": "skipped",
        "p02": "ok",
        "p03": "ok",
    }
    assert_complete(out, names)
    recs = read_records(out)
    assert sorted(recs) == names
    for name in names:
        assert [r["status"] for r in recs[name]].count("ok") == 1, recs[name]
        # same bytes as the uninterrupted batch: nothing half-written survived
        assert (out / name / f"{name}.glb").read_bytes() == (done / name / f"{name}.glb").read_bytes()
    assert sorted(p.name for p in out.iterdir()) == sorted(names + ["batch.jsonl"])


@pytest.mark.slow
def test_one_bad_prompt_exits_4_and_the_others_are_made(twenty, tmp_path):
    import shutil

    src, done, first = twenty
    out = tmp_path / "out"
    shutil.copytree(done, out)
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(
        "\n".join(
            [
                json.dumps({"prompt": PROMPTS_20[0], "name": "p00"}),  # done by the 20-prompt batch
                json.dumps({"prompt": ""}),  # an empty prompt
                json.dumps({"prompt": "a lone pine tree", "name": "new one", "seed": 4}),
                "{this is not json",
            ]
        )
        + "\n"
    )
    r = hyworld("batch", str(jobs), "--out", str(out), "--device", "cpu", *TINY, "--json")
    assert r.returncode == 4, r.stderr
    summary = json.loads(r.stdout)
    status = {j["name"]: j["status"] for j in summary["jobs"]}
    assert status == {"p00": "skipped", "jobs_0002": "failed", "new_one": "ok", "jobs_0004": "failed"}
    assert "2 of 4 jobs failed" in r.stderr
    assert_complete(out, ["p00", "new_one"])
    assert json.loads((out / "new_one" / "manifest.json").read_text())["seed"] == 4


@pytest.mark.slow
def test_cli_shards_cover_the_batch_once(twenty, tmp_path):
    import shutil

    src, done, first = twenty
    out = tmp_path / "out"
    shutil.copytree(done, out)
    seen = []
    for i in (1, 2, 3):
        r = hyworld("batch", str(src), "--out", str(out), "--shard", f"{i}/3", "--device", "cpu", *TINY, "--json")
        assert r.returncode == 0, r.stderr
        summary = json.loads(r.stdout)
        assert summary["records"].endswith(f"batch.shard-{i}-of-3.jsonl")
        assert all(j["status"] == "skipped" for j in summary["jobs"])
        seen += [j["name"] for j in summary["jobs"]]
    assert sorted(seen) == [f"p{i:02d}" for i in range(20)]
