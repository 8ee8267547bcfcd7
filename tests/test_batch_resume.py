"""`hyworld batch`: resume and skip, adoption of unrecorded assets, isolation, retries, timeouts and workers (fake job)."""

from __future__ import annotations

import hashlib
import json

import pytest

from exporters.errors import InputError
from hyworld_cli.batch import plan_workers, read_records, verify_asset
from pipelines.options import GenOptions
from tests.batch_fakes import calls, run_fake, write_prompts

# --------------------------------------------------------------------------------------- resume, skip


def test_rerun_skips_done_jobs_and_redoes_changed_or_damaged_ones(tmp_path):
    src = write_prompts(tmp_path / "p", {f"p{i}": f"prompt {i}" for i in range(5)})
    summary, out = run_fake(tmp_path, src)
    assert (summary.ok, summary.failed, summary.skipped) == (5, 0, 0)
    assert summary.assets_per_minute > 0
    summary, _ = run_fake(tmp_path, src)
    assert (summary.ok, summary.skipped) == (0, 5)
    assert len(calls(tmp_path)) == 5
    (src / "p1.txt").write_text("a different prompt")  # changed input
    (out / "p3" / "p3.glb").write_bytes(b"glTF truncated")  # damaged output
    (out / "p4" / "manifest.json").unlink()  # half-finished job
    summary, _ = run_fake(tmp_path, src)
    assert sorted(j.name for j in summary.jobs if j.status == "ok") == ["p1", "p3", "p4"]
    assert summary.skipped == 2
    for name in ("p0", "p1", "p2", "p3", "p4"):
        assert verify_asset(out / name, None, out) is None
    # --redo regenerates everything
    summary, _ = run_fake(tmp_path, src, redo=True)
    assert summary.ok == 5


def test_changed_batch_options_redo_every_job(tmp_path):
    src = write_prompts(tmp_path / "p", {"a": "a tree", "b": "a rock"})
    run_fake(tmp_path, src)
    summary, _ = run_fake(tmp_path, src, base=GenOptions(seed=3))
    assert summary.ok == 2 and summary.skipped == 0


def test_records_are_one_line_per_attempt_with_hash_outputs_and_timings(tmp_path):
    src = write_prompts(tmp_path / "p", {"a": "a tree", "b": "BOOM"})
    summary, out = run_fake(tmp_path, src, jobs=1)
    lines = [json.loads(x) for x in (out / "batch.jsonl").read_text().splitlines()]
    assert [(r["name"], r["status"], r["attempt"]) for r in lines] == [("a", "ok", 1), ("b", "failed", 1)]
    ok, bad = lines
    assert len(ok["hash"]) == 64 and ok["seconds"] >= 0 and ok["stage_seconds"] == {"fake": 0.0}
    assert {o["path"] for o in ok["outputs"]} == {"a/a.glb", "a/manifest.json"}
    for o in ok["outputs"]:
        assert hashlib.sha256((out / o["path"]).read_bytes()).hexdigest() == o["sha256"]
    assert bad["error"]["type"] == "RuntimeError" and bad["error"]["message"] == "boom" and bad["outputs"] == []


def test_stale_part_files_of_a_killed_run_are_removed(tmp_path):
    src = write_prompts(tmp_path / "p", {"a": "a tree", "b": "a rock"})
    run_fake(tmp_path, src)
    out = tmp_path / "out"
    (out / "a" / ".a.glb.x1y2.part").write_bytes(b"half")
    (out / "b" / ".manifest.json.zz.part").write_bytes(b"half")
    (out / "b" / "manifest.json").unlink()
    summary, _ = run_fake(tmp_path, src)
    assert (summary.skipped, summary.ok) == (1, 1)
    assert not list(out.rglob("*.part"))


def test_a_complete_but_unrecorded_asset_is_adopted_not_redone(tmp_path, monkeypatch):
    # a kill between the manifest's rename and the record's append
    monkeypatch.setenv("FAKE_JOB_IDENTITY", "1")
    src = write_prompts(tmp_path / "p", {"a": "a tree", "b": "a rock"})
    summary, out = run_fake(tmp_path, src)
    (out / "batch.jsonl").unlink()
    summary, _ = run_fake(tmp_path, src)
    assert (summary.ok, summary.skipped) == (2, 0)
    assert len(calls(tmp_path)) == 2
    assert all(j.attempts == 0 for j in summary.jobs)


def test_a_damaged_asset_made_for_this_job_is_redone_not_refused(tmp_path, monkeypatch):
    # its manifest names this very job, so the folder is the batch's even with no record of it
    monkeypatch.setenv("FAKE_JOB_IDENTITY", "1")
    src = write_prompts(tmp_path / "p", {"a": "a tree", "b": "a rock"})
    summary, out = run_fake(tmp_path, src)
    (out / "batch.jsonl").unlink()
    (out / "a" / "a.glb").write_bytes(b"glTF damaged")
    summary, _ = run_fake(tmp_path, src)
    status = {j.name: (j.status, j.attempts) for j in summary.jobs}
    assert status == {"a": ("ok", 1), "b": ("ok", 0)}  # a redone, b adopted
    assert verify_asset(out / "a", None, out) is None


def test_a_foreign_asset_is_kept_unless_force(tmp_path):
    src = write_prompts(tmp_path / "p", {"a": "a tree"})
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / "manifest.json").write_text('{"files": []}')
    summary, _ = run_fake(tmp_path, src)
    assert summary.failed == 1 and summary.jobs[0].error["type"] == "OutputExistsError"
    summary, _ = run_fake(tmp_path, src)  # the refusal does not make the folder the batch's
    assert summary.failed == 1
    summary, _ = run_fake(tmp_path, src, force=True)
    assert summary.ok == 1


def test_two_runs_on_one_out_folder_are_refused(tmp_path):
    from hyworld_cli.batch import RecordLog

    src = write_prompts(tmp_path / "p", {"a": "a tree"})
    (tmp_path / "out").mkdir()
    with RecordLog(tmp_path / "out" / "batch.jsonl"):
        with pytest.raises(InputError, match="another batch run"):
            run_fake(tmp_path, src)


# ----------------------------------------------------------------------------------- isolation, retry


def test_failures_are_isolated_and_counted(tmp_path):
    src = write_prompts(
        tmp_path / "p", {"a": "a tree", "b": "BOOM", "c": b"\x00\x01binary", "d": "BADINPUT", "e": "a rock"}
    )
    summary, out = run_fake(tmp_path, src, retries=2)
    status = {j.name: j.status for j in summary.jobs}
    assert status == {"a": "ok", "b": "failed", "c": "failed", "d": "failed", "e": "ok"}
    errors = {j.name: j.error for j in summary.jobs if j.error}
    assert errors["c"]["type"] == "InputError" and "binary" in errors["c"]["message"]
    assert errors["b"]["exit_code"] == 1 and errors["d"]["exit_code"] == 2
    # RuntimeError is retried (3 attempts), input errors never are
    assert calls(tmp_path).count("b") == 3 and calls(tmp_path).count("d") == 1 and "c" not in calls(tmp_path)


def test_a_worker_killed_mid_job_fails_only_that_job(tmp_path):
    src = write_prompts(tmp_path / "p", {"a": "SLOW a", "b": "ALWAYS CRASH", "c": "SLOW c", "d": "SLOW d"})
    summary, out = run_fake(tmp_path, src, jobs=2)
    status = {j.name: j.status for j in summary.jobs}
    assert status == {"a": "ok", "b": "failed", "c": "ok", "d": "ok"}
    err = summary.jobs[1].error
    assert err["type"] == "WorkerCrashed" and "SIGKILL" in err["message"] and err["exit_code"] == 3


def test_retries_recover_transient_failures_and_crashes(tmp_path):
    src = write_prompts(tmp_path / "p", {"a": "FLAKY", "b": "CRASH once", "c": "a tree"})
    summary, out = run_fake(tmp_path, src, retries=1)
    assert summary.ok == 3 and summary.failed == 0
    recs = read_records(out)
    assert [(r["status"], r["attempt"]) for r in recs["a"]] == [("failed", 1), ("ok", 2)]
    assert [(r["status"], r["attempt"]) for r in recs["b"]] == [("failed", 1), ("ok", 2)]
    assert recs["b"][0]["error"]["type"] == "WorkerCrashed"


def test_a_job_past_the_timeout_is_stopped_recorded_and_the_batch_goes_on(tmp_path):
    # the job's clock starts when its worker begins it, so spawning a worker on a loaded machine does not count
    src = write_prompts(tmp_path / "p", {"a": "HANG ALWAYS", "b": "a rock", "c": "a tree"})
    summary, out = run_fake(tmp_path, src, jobs=1, timeout=5.0, retries=2)
    status = {j.name: j.status for j in summary.jobs}
    assert status == {"a": "failed", "b": "ok", "c": "ok"}
    (err,) = [j.error for j in summary.jobs if j.name == "a"]
    assert err["type"] == "JobTimeout" and "--timeout 5 s" in err["message"] and not err["retryable"]
    assert [r["status"] for r in read_records(out)["a"]] == ["failed"]  # not retried: it would hang again
    assert not (out / "a" / "manifest.json").exists()


def test_no_retries_by_default(tmp_path):
    src = write_prompts(tmp_path / "p", {"a": "FLAKY"})
    summary, _ = run_fake(tmp_path, src)
    assert summary.failed == 1 and summary.jobs[0].error["type"] == "ResourceError"


# ------------------------------------------------------------------------------------------- workers


def test_cpu_workers_split_cores_and_gpu_workers_own_one_gpu_each():
    cpu = plan_workers(None, "cpu", cores=8, gpus=[])
    assert (cpu.workers, cpu.threads) == (4, 2)
    assert all(env["OMP_NUM_THREADS"] == "2" and "CUDA_VISIBLE_DEVICES" not in env for env in cpu.envs)
    assert plan_workers(None, "cpu", cores=1, gpus=[]).workers == 1
    assert plan_workers(3, "cpu", cores=2, gpus=[]).threads == 1
    gpu = plan_workers(None, "auto", cores=16, gpus=["2", "5"])
    assert gpu.workers == 2 and [e["CUDA_VISIBLE_DEVICES"] for e in gpu.envs] == ["2", "5"] and gpu.threads == 8
    assert [e["CUDA_VISIBLE_DEVICES"] for e in plan_workers(3, "auto", cores=16, gpus=["0", "1"]).envs] == [
        "0",
        "1",
        "0",
    ]


def test_workers_get_their_thread_limit(tmp_path):
    src = write_prompts(tmp_path / "p", {"a": "a", "b": "b"})
    run_fake(tmp_path, src, jobs=2)
    threads = {line.split()[3] for line in (tmp_path / "calls.log").read_text().splitlines()}
    expected = str(max(1, plan_workers(2, "cpu", gpus=[]).threads))
    assert threads == {expected}
