"""`hyworld batch --executor ray`: same records, isolation and bytes as local workers.

Ray is an optional extra (`pip install 'hyworld[ray]'`); CI installs it, so there a
missing Ray fails the test instead of skipping it.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

if os.environ.get("CI"):
    import ray  # noqa: F401  CI must run these tests
else:
    ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'hyworld[ray]'")

from hyworld_cli.batch import BatchConfig, local_executor_factory, read_records, run_batch, verify_asset
from hyworld_cli.batch.ray import ray_executor_factory
from pipelines.options import GenOptions, with_flat
from tests.batch_fakes import ENTRY, REPO, TINY, fake_job, no_check, write_prompts

# Real Ray, real chain: end to end.
pytestmark = pytest.mark.slow


def test_ray_executor_writes_the_same_bytes_as_local_workers(tmp_path):
    prompts = {"a": "a small house", "b": "a pine tree", "c": "two rocks"}
    src = write_prompts(tmp_path / "p", prompts)
    local = run_batch(
        BatchConfig(
            input=src,
            out_root=tmp_path / "local",
            base=with_flat(GenOptions(), resolution=24, texture_size=64, lods=1, device="cpu", seed=5),
        ),
        local_executor_factory(2, "cpu"),
    )
    assert local.ok == 3, [j.error for j in local.jobs]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("RAY_ADDRESS", None)
    args = [
        "batch",
        str(src),
        "--out",
        str(tmp_path / "ray"),
        "--executor",
        "ray",
        "--device",
        "cpu",
        "--seed",
        "5",
        *TINY,
        "--json",
    ]
    r = subprocess.run([*ENTRY, *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert (summary["ok"], summary["failed"]) == (3, 0)
    for name in prompts:
        assert verify_asset(tmp_path / "ray" / name, None, tmp_path / "ray") is None
        for suffix in (".glb",):
            ray_bytes = (tmp_path / "ray" / name / f"{name}{suffix}").read_bytes()
            assert ray_bytes == (tmp_path / "local" / name / f"{name}{suffix}").read_bytes(), name
    recs = (tmp_path / "ray" / "batch.jsonl").read_text().splitlines()
    assert sorted(json.loads(x)["name"] for x in recs) == ["a", "b", "c"]
    # resumable the same way: a rerun starts no Ray at all and skips everything
    r = subprocess.run([*ENTRY, *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=600)
    assert r.returncode == 0 and json.loads(r.stdout)["skipped"] == 3, r.stderr


def test_ray_executor_isolates_failures_crashes_and_retries(tmp_path):
    src = write_prompts(
        tmp_path / "p", {"a": "a tree", "b": "BOOM", "c": "ALWAYS CRASH", "d": "FLAKY", "e": "BADINPUT"}
    )
    out = tmp_path / "out"
    summary = run_batch(
        BatchConfig(input=src, out_root=out, retries=1), ray_executor_factory(None, 2, "cpu", fake_job), check=no_check
    )
    status = {j.name: j.status for j in summary.jobs}
    assert status == {"a": "ok", "b": "failed", "c": "failed", "d": "ok", "e": "failed"}
    recs = read_records(out)
    assert [r["status"] for r in recs["d"]] == ["failed", "ok"]
    assert len(recs["b"]) == 2 and len(recs["c"]) == 2 and len(recs["e"]) == 1  # input errors are not retried
    assert recs["c"][0]["error"]["exit_code"] in (1, 3)
    assert not ray.is_initialized()  # the executor shut down the instance it started


def test_ray_stops_a_job_past_the_timeout_records_it_and_goes_on(tmp_path):
    """--timeout with Ray, as with local workers: the hanging job is cancelled (its worker killed) once it has
    run past the limit, recorded as JobTimeout (not retried), and the other jobs finish."""
    src = write_prompts(tmp_path / "p", {"a": "a tree", "h": "ALWAYS HANG", "s": "SLOW rock"})
    out = tmp_path / "out"
    summary = run_batch(
        BatchConfig(input=src, out_root=out, retries=2),
        ray_executor_factory(None, 2, "cpu", fake_job, timeout=5.0),
        check=no_check,
    )
    status = {j.name: j.status for j in summary.jobs}
    assert status == {"a": "ok", "h": "failed", "s": "ok"}
    recs = read_records(out)
    assert len(recs["h"]) == 1  # not retried: it would hang as long again
    err = recs["h"][0]["error"]
    assert err["type"] == "JobTimeout" and "--timeout 5 s" in err["message"] and not err["retryable"]
    assert 5.0 <= recs["h"][0]["seconds"] < 120
    assert not ray.is_initialized()
