"""What the `hyworld batch` tests share: a fake job that writes a small asset the way `generate` does
(atomic files, manifest last; importable by spawned workers), a runner for it, and the CLI in a subprocess."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from exporters.errors import InputError, OutputExistsError, ResourceError
from exporters.files import atomic_write
from hyworld_cli.batch import (
    BatchConfig,
    JobResult,
    JobSpec,
    failed_result,
    job_identity,
    local_executor_factory,
    read_records,
    run_batch,
    verify_asset,
)
from pipelines.options import GenOptions

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


def group_alive(pgid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False
