"""`hyworld batch`: jobs, names, hashing, sharding, resume, isolation, retries; then the real chain end to end.

The scheduling tests run a fake job (`fake_job`, importable by spawned workers) that
writes a small asset the way `generate` does (atomic files, manifest last); the
end-to-end tests run the real chain at tiny settings through the CLI.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exporters.errors import InputError, OutputExistsError, ResourceError
from exporters.files import atomic_write
from hyworld_cli.batch import (
    BatchConfig,
    JobResult,
    JobSpec,
    failed_result,
    job_hash,
    job_identity,
    load_jobs,
    local_executor_factory,
    parse_shard,
    plan_workers,
    read_records,
    run_batch,
    select_shard,
    shard_index,
    verify_asset,
)
from pipelines.options import GenOptions, with_flat

REPO = Path(__file__).resolve().parents[1]
TINY = ["--resolution", "24", "--texture-size", "64", "--lods", "1"]


# ------------------------------------------------------------------------------------------ the fake


def fake_job(spec: JobSpec) -> JobResult:
    """Write OUT/<name>/<name>.glb and manifest.json like `generate`; misbehave on words in the prompt."""
    job, start = spec.job, time.perf_counter()
    out_root = Path(spec.out_root)
    with open(out_root.parent / "calls.log", "a") as log:
        log.write(f"{job.name} {spec.attempt} {os.getpid()} {os.environ.get('OMP_NUM_THREADS')}\n")
    text = job.prompt or ""
    if "CRASH" in text and (spec.attempt == 1 or "ALWAYS" in text):
        os.kill(os.getpid(), signal.SIGKILL)
    if "SLOW" in text:
        time.sleep(0.4)
    if "HANG" in text and (spec.attempt == 1 or "ALWAYS" in text):
        time.sleep(3600)
    try:
        if "BOOM" in text:
            raise RuntimeError("boom")
        if "BADINPUT" in text:
            raise InputError("the prompt names nothing the model knows")
        if "FLAKY" in text and spec.attempt == 1:
            raise ResourceError("out of GPU memory")
        job_dir = out_root / job.name
        if (job_dir / "manifest.json").exists() and not spec.overwrite:
            raise OutputExistsError(f"{job_dir / 'manifest.json'} already exists; pass --force to overwrite it")
        job_dir.mkdir(parents=True, exist_ok=True)
        glb = b"glTF" + hashlib.sha256(f"{text}|{job.settings}".encode()).digest() * 8
        written = [atomic_write(job_dir / f"{job.name}.glb", glb, "glb")]
        manifest = {
            "files": [{"path": w.path.name, "role": w.role, "bytes": w.bytes, "sha256": w.sha256} for w in written]
        }
        if os.environ.get("FAKE_JOB_IDENTITY"):  # what generate's manifest says of the run (imports torch: opt-in)
            ident = job_identity(job)
            manifest.update(
                asset_name=job.name,
                tool_version=ident["tool_version"],
                prompt={"sha256": ident["prompt_sha256"]},
                options={**ident["options"], "workers": spec.threads},
            )
        written.append(atomic_write(job_dir / "manifest.json", json.dumps(manifest).encode(), "manifest"))
    except Exception as exc:
        return failed_result(job.name, exc, time.perf_counter() - start)
    outputs = [
        {"path": f"{job.name}/{w.path.name}", "role": w.role, "bytes": w.bytes, "sha256": w.sha256} for w in written
    ]
    return JobResult(job.name, True, outputs, time.perf_counter() - start, {"fake": 0.0}, pid=os.getpid())


def no_check(settings: GenOptions) -> None:
    """The scheduling tests do not need the model registry."""


def write_prompts(folder: Path, prompts: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in prompts.items():
        data = text if isinstance(text, bytes) else text.encode()
        (folder / f"{name}.txt").write_bytes(data)
    return folder


def run_fake(tmp_path: Path, source: Path, jobs: int = 1, timeout: float | None = None, **config):
    out = tmp_path / "out"
    summary = run_batch(
        BatchConfig(input=source, out_root=out, **config),
        local_executor_factory(jobs, "cpu", fake_job, timeout=timeout),
        check=no_check,
    )
    return summary, out


def calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "calls.log"
    return [line.split()[0] for line in log.read_text().splitlines()] if log.exists() else []


def final_status(out: Path) -> dict[str, str]:
    """Return each job's last recorded status."""
    return {name: recs[-1]["status"] for name, recs in read_records(out).items()}


# --------------------------------------------------------------------------------------- jobs, names


def test_folder_jobs_are_sorted_txt_files_named_by_stem(tmp_path):
    src = write_prompts(tmp_path / "p", {"b": "a rock", "a": "a tree", "c d": "a house"})
    (tmp_path / "p" / "notes.md").write_text("not a prompt")
    jobs = load_jobs(src, GenOptions())
    assert [j.name for j in jobs] == ["a", "b", "c_d"]
    assert [j.prompt for j in jobs] == ["a tree", "a rock", "a house"]


def test_line_list_skips_blanks_and_comments_and_names_by_line(tmp_path):
    src = tmp_path / "list.txt"
    src.write_text("# village set\na tree\n\n   \na  rock\n# done\n")
    jobs = load_jobs(src, GenOptions())
    assert [(j.name, j.prompt) for j in jobs] == [("list_0002", "a tree"), ("list_0005", "a rock")]


def test_colliding_names_get_deterministic_suffixes(tmp_path):
    src = tmp_path / "jobs.jsonl"
    lines = [
        {"prompt": "a", "name": "Rock"},
        {"prompt": "b", "name": "rock"},
        {"prompt": "c", "name": "../rock"},
        {"prompt": "d", "name": "rock_2"},
    ]
    src.write_text("\n".join(json.dumps(x) for x in lines))
    names = [j.name for j in load_jobs(src, GenOptions())]
    assert names == ["Rock", "rock_2", "rock_3", "rock_2_2"]
    assert names == [j.name for j in load_jobs(src, GenOptions())]


def test_jsonl_options_override_the_batch_options(tmp_path):
    src = tmp_path / "jobs.jsonl"
    src.write_text(
        json.dumps({"prompt": "a tree", "seed": 7, "target": "unity", "options": {"texture-size": 128, "lods": 0}})
        + "\n"
        + json.dumps({"prompt": "a rock"})
        + "\n"
    )
    base = with_flat(GenOptions(), seed=1, resolution=24, texture_size=64)
    first, second = load_jobs(src, base)
    assert (
        first.settings.seed,
        first.settings.target,
        first.settings.build.texture_size,
        first.settings.build.lods,
    ) == (7, "unity", 128, 0)
    assert first.settings.build.resolution == 24
    assert second.settings == base


def test_a_jsonl_job_may_set_a_float_option(tmp_path):
    src = tmp_path / "jobs.jsonl"
    src.write_text(json.dumps({"prompt": "a rock", "options": {"agent_radius": 0.3, "agent_step": 1}}) + "\n")
    (job,) = load_jobs(src, GenOptions())
    assert (job.error, job.settings.build.agent_radius, job.settings.build.agent_step) == (None, 0.3, 1.0)


def test_a_jsonl_job_may_set_every_gen_option(tmp_path):
    src = tmp_path / "jobs.jsonl"
    options = {"collision": False, "fbx-ascii": True, "lightmap_resolution": 512, "force": True}
    src.write_text(
        json.dumps({"prompt": "a rock", "options": options}) + "\n" + json.dumps({"prompt": "a tree"}) + "\n"
    )
    first, second = load_jobs(src, GenOptions())
    assert (first.settings.build.collision, first.settings.fbx_ascii, first.settings.build.lightmap_resolution) == (
        False,
        True,
        512,
    )
    assert first.force and not second.force and second.settings == GenOptions()


@pytest.mark.parametrize(
    "line, words",
    [
        ("{not json", "not a JSON object"),
        ('["a tree"]', "JSON object"),
        ('{"prompt": "   "}', "empty"),
        ('{"prompt": 3}', "must be a string"),
        ('{"prompt": "a tree", "sed": 3}', "unknown key"),
        ('{"prompt": "a tree", "options": {"resolutoin": 3}}', "unknown option"),
        ('{"prompt": "a tree", "options": {"lods": "2"}}', "must be an integer"),
        ('{"prompt": "a tree", "seed": true}', "must be an integer"),
        ('{"prompt": "a tree", "options": {"agent_radius": NaN}}', "finite number"),
        ('{"prompt": "a tree", "options": {"agent_radius": "wide"}}', "finite number"),
    ],
)
def test_a_bad_jsonl_line_is_a_failed_job_not_a_crash(tmp_path, line, words):
    src = tmp_path / "jobs.jsonl"
    src.write_text(json.dumps({"prompt": "a rock"}) + "\n" + line + "\n")
    good, bad = load_jobs(src, GenOptions())
    assert good.error is None and bad.prompt is None
    assert words in bad.error and "jobs.jsonl:2" in bad.error


def test_job_hash_covers_content_not_parallelism(tmp_path):
    src = tmp_path / "l.txt"
    src.write_text("a tree\n")
    (job,) = load_jobs(src, GenOptions())
    h = job_hash(job)
    assert h == job_hash(load_jobs(src, GenOptions())[0])
    from dataclasses import replace

    changes = (
        {"seed": 1},
        {"resolution": 24},
        {"target": "unity"},
        {"lods": 1},
        {"model": "other"},
        {"fbx_ascii": True},
        {"collision": False},
        {"lightmap_resolution": 512},
    )
    for change in changes:
        assert job_hash(replace(job, settings=with_flat(job.settings, **change))) != h, change
    assert job_hash(replace(job, prompt="a rock")) != h
    assert job_hash(replace(job, force=True)) == h
    assert job_hash(replace(job, settings=with_flat(job.settings, workers=7))) == h


# Every option away from its default, at settings cheap enough to build.
EVERY_OPTION = {
    "seed": 3,
    "device": "cpu",
    "target": "unreal",
    "fbx_ascii": True,
    "resolution": 12,
    "texture_size": 64,
    "lods": 0,
    "budget": 400,
    "max_triangles": 4000,
    "collision": False,
    "lightmap_resolution": 32,
    "variants": "1",
    "navmesh": False,
    "agent_radius": 0.3,
    "agent_height": 1.5,
    "agent_max_slope": 40.0,
    "agent_step": 0.25,
}


def test_a_generated_manifest_hashes_to_its_jobs_identity(tmp_path):
    """generate() records exactly the options a job's identity covers: a finished asset is known as the job's.

    Every option is set away from its default, so an option the manifest records and the job
    hash leaves out (or the reverse: `fbx_ascii` once) cannot hide.
    """
    from dataclasses import replace

    from hyworld_cli.batch import Job, manifest_hash
    from pipelines.generate import GenRequest, generate
    from pipelines.options import option_fields

    assert {f.name for f in option_fields()} - {"model"} == set(EVERY_OPTION)  # a new option joins this test
    settings = with_flat(GenOptions(), **EVERY_OPTION)
    job = Job("rock", "-", "a rock", settings)
    req = GenRequest(prompt="a rock", name="rock", out_root=tmp_path, options=with_flat(settings, workers=1))
    manifest = generate(req).manifest
    assert set(job_identity(job)["options"]) == set(manifest["options"]) - {"workers"}
    assert manifest_hash(manifest) == job_hash(job)
    for change in ({"fbx_ascii": False}, {"collision": True}, {"lightmap_resolution": 512}, {"agent_step": 0.3}):
        assert manifest_hash(manifest) != job_hash(replace(job, settings=with_flat(settings, **change))), change


# ------------------------------------------------------------------------------------------- sharding


def test_shards_split_jobs_disjointly_and_stably():
    from hyworld_cli.batch import Job

    jobs = [Job(f"asset_{i:03d}", "-", "x", GenOptions()) for i in range(300)]
    parts = [select_shard(jobs, (i, 3)) for i in (1, 2, 3)]
    names = [j.name for part in parts for j in part]
    assert sorted(names) == sorted(j.name for j in jobs)
    assert all(60 < len(p) < 140 for p in parts)
    more = jobs + [Job(f"new_{i}", "-", "x", GenOptions()) for i in range(50)]
    for i in (1, 2, 3):  # adding jobs moves none of the old ones
        old = {j.name for j in parts[i - 1]}
        assert old == {j.name for j in select_shard(more, (i, 3)) if j.name in {x.name for x in jobs}}
    assert shard_index("asset_001", 3) == shard_index("asset_001", 3)


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "a/b", "1", "1/2/3", "-1/3"])
def test_bad_shard_is_a_usage_error(text):
    with pytest.raises(InputError, match="--shard"):
        parse_shard(text)


def test_shards_1_2_3_of_3_cover_every_job_once(tmp_path):
    src = write_prompts(tmp_path / "p", {f"p{i:02d}": f"prompt {i}" for i in range(12)})
    for i in (1, 2, 3):
        summary, out = run_fake(tmp_path, src, jobs=2, shard=(i, 3))
        assert summary.failed == 0
    assert sorted(calls(tmp_path)) == [f"p{i:02d}" for i in range(12)]
    assert sorted(p.name for p in out.glob("batch*.jsonl")) == [f"batch.shard-{i}-of-3.jsonl" for i in (1, 2, 3)]
    assert final_status(out) == {f"p{i:02d}": "ok" for i in range(12)}
    # the whole batch afterwards finds every shard's work done
    summary, _ = run_fake(tmp_path, src)
    assert (summary.skipped, summary.ok) == (12, 0)


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


# ------------------------------------------------------------------------------------------------ CLI


def cli(*args: str) -> object:
    """Invoke `hyworld batch ...` in-process (usage errors: no worker, no model)."""
    from typer.testing import CliRunner

    from hyworld_cli.cli import app

    return CliRunner().invoke(app, ["batch", *args])


@pytest.mark.parametrize(
    "args, words",
    [
        (["--shard", "0/3"], "--shard"),
        (["--shard", "2"], "--shard"),
        (["--jobs", "0"], "--jobs"),
        (["--retries", "-1"], "--retries"),
        (["--executor", "slurm"], "--executor"),
        (["--address", "ray://head:10001"], "--address"),
        (["--lods", "9"], "--lods"),
        (["--timeout", "0"], "--timeout"),
        (["--timeout", "-5"], "--timeout"),
        (["--timeout", "1e9"], "--timeout"),
    ],
)
def test_bad_batch_options_exit_2(tmp_path, args, words):
    src = write_prompts(tmp_path / "p", {"a": "a tree"})
    r = cli(str(src), "--out", str(tmp_path / "out"), *args)
    assert r.exit_code == 2, r.output
    assert words in r.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.glb"))


def test_missing_input_exits_2(tmp_path):
    r = cli(str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert r.exit_code == 2 and "no such file" in r.output


def test_executor_ray_without_ray_exits_2_saying_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    src = write_prompts(tmp_path / "p", {"a": "a tree"})
    r = cli(str(src), "--out", str(tmp_path / "out"), "--executor", "ray")
    assert r.exit_code == 2, r.output
    assert "pip install 'hyworld[ray]'" in r.output
    from hyworld_cli.batch.ray import require_ray

    with pytest.raises(InputError, match=r"pip install 'hyworld\[ray\]'"):
        require_ray()


def test_progress_shows_throughput_eta_and_summary_table():
    import io

    from rich.console import Console

    from hyworld_cli.batch import BatchSummary, JobSummary
    from hyworld_cli.batch_cmd import BatchBar, render_summary

    buf = io.StringIO()
    console = Console(file=buf, width=160, force_terminal=False)
    bar = BatchBar(console)
    bar.begin(3, skipped=2, failed=1)
    time.sleep(0.05)
    for name, status in (("a", "ok"), ("b", "failed"), ("c", "ok")):
        bar.job_done(name, status)
    bar.end()
    jobs = [
        JobSummary("a", "a.txt", "ok", "h"),
        JobSummary("b", "b.txt", "failed", "h", 1, 0.1, [], {"type": "InputError", "message": "empty"}),
    ]
    render_summary(BatchSummary("out/batch.jsonl", 2, 1, 1, 0, 30.0, jobs), console)
    text = buf.getvalue()
    assert "3/3" in text and "assets/min" in text and "ETA 00:00" in text and "2 ok" in text and "2 failed" in text
    assert "batch summary" in text and "2.00" in text and "InputError: empty" in text and "out/batch.jsonl" in text


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


ENTRY = [sys.executable, "-m", "hyworld_cli"]


def hyworld(*args: str, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "160"}
    return subprocess.run([*ENTRY, *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=600, **kw)


def assert_complete(out: Path, names: list[str]) -> None:
    """Every job's manifest lists files whose sha256 match; GLBs are glTF 2; no temporary files remain."""
    for name in names:
        manifest = json.loads((out / name / "manifest.json").read_text())
        assert manifest["asset_name"] == name
        assert verify_asset(out / name, None, out) is None, name
        glb = (out / name / f"{name}.glb").read_bytes()
        assert glb[:4] == b"glTF" and int.from_bytes(glb[4:8], "little") == 2
        assert int.from_bytes(glb[8:12], "little") == len(glb)
    assert not list(out.rglob("*.part"))


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
    code = f"from tests.test_batch import drive_gated; drive_gated({str(src)!r}, {str(out)!r})"
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
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _group_alive(proc.pid), "worker processes outlived the killed batch"


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


def _group_alive(pgid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


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


def test_batch_command_is_registered():
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "160"}
    r = subprocess.run(
        [sys.executable, "-m", "hyworld_cli", "batch", "--help"], capture_output=True, text=True, env=env, cwd=REPO
    )
    assert r.returncode == 0, r.stderr
    assert "--shard" in r.stdout and "--executor" in r.stdout


def test_a_jsonl_job_with_a_bad_seed_fails_as_bad_input_not_retried(tmp_path):
    from hyworld_cli.batch import check_settings

    src = tmp_path / "jobs.jsonl"
    src.write_text(json.dumps({"prompt": "a rock", "seed": -1}) + "\n" + json.dumps({"prompt": "a tree"}) + "\n")
    out = tmp_path / "out"
    summary = run_batch(
        BatchConfig(input=src, out_root=out, retries=3),
        local_executor_factory(1, "cpu", fake_job),
        check=lambda s: check_settings(with_flat(s, device="cpu")),
    )
    bad, good = summary.jobs
    assert (bad.status, bad.error["type"], bad.error["exit_code"], bad.error["retryable"]) == (
        "failed",
        "InputError",
        2,
        False,
    )
    assert "--seed -1 is out of range" in bad.error["message"] and good.status == "ok"
    assert calls(tmp_path) == ["jobs_0002"]
