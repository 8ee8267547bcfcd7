"""The batch driver: which jobs are done, which to run, retries, and one record per attempt."""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from exporters.errors import InputError
from exporters.files import clean_stale, ensure_writable_dir
from exporters.manifest import MANIFEST_NAME
from hyworld_cli.batch.jobs import Job, load_jobs
from hyworld_cli.batch.records import (
    RecordLog,
    job_hash,
    manifest_hash,
    read_manifest,
    read_records,
    records_path,
    select_shard,
    sha256_file,
    verify_asset,
)
from hyworld_cli.batch.workers import Executor, JobResult, JobSpec, failed_result
from pipelines.options import GenOptions
from pipelines.version import __version__

log = logging.getLogger("hyworld.batch")

MAX_RETRIES = 10
MAX_JOBS = 256


def check_settings(s: GenOptions, check_device: bool = True) -> None:
    """Raise InputError for a setting `gen` would refuse (range, preset, device, model)."""
    from pipelines.generate import GenRequest, validate

    if not check_device:
        if not (s.device in ("auto", "cpu") or s.device.startswith("cuda")):
            raise InputError(f"unknown device {s.device!r}; use auto, cpu or cuda")
        s = replace(s, device="cpu")
    validate(GenRequest(prompt="-", name="-", out_root=Path("."), options=s))


@dataclass(frozen=True)
class BatchConfig:
    """A batch run: where jobs come from and go, shared options, retries, shard."""

    input: Path
    out_root: Path
    base: GenOptions = field(default_factory=GenOptions)
    force: bool = False  # overwrite assets in OUT that this batch did not make
    retries: int = 0
    shard: tuple[int, int] | None = None
    redo: bool = False  # regenerate jobs already done


class Reporter(Protocol):
    """Told the counts up front, then each executed job's end (skipped and bad-input jobs are in the counts)."""

    def begin(self, to_run: int, skipped: int, failed: int) -> None: ...

    def job_done(self, name: str, status: str) -> None: ...

    def end(self) -> None: ...


class NullReporter:
    def begin(self, to_run: int, skipped: int, failed: int) -> None:
        pass

    def job_done(self, name: str, status: str) -> None:
        pass

    def end(self) -> None:
        pass


@dataclass
class JobSummary:
    """How one job ended in this run."""

    name: str
    source: str
    status: str  # ok | failed | skipped
    hash: str
    attempts: int = 0
    seconds: float = 0.0
    outputs: list[dict] = field(default_factory=list)
    error: dict | None = None


@dataclass
class BatchSummary:
    """What a batch run did: counts, wall time, throughput and each job's end."""

    records: str
    total: int
    ok: int
    failed: int
    skipped: int
    seconds: float
    jobs: list[JobSummary]

    @property
    def assets_per_minute(self) -> float:
        return self.ok * 60.0 / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict:
        return {
            "records": self.records,
            "total": self.total,
            "ok": self.ok,
            "failed": self.failed,
            "skipped": self.skipped,
            "seconds": round(self.seconds, 3),
            "assets_per_minute": round(self.assets_per_minute, 3),
            "jobs": [asdict(j) for j in self.jobs],
        }


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _is_done(records: list[dict], digest: str, job_dir: Path, out_root: Path) -> list[dict] | None:
    """Return the outputs of the last ok/skipped record with ``digest`` if the files still match, else None."""
    for rec in reversed(records):
        if rec.get("status") in ("ok", "skipped") and rec.get("hash") == digest:
            outputs = rec.get("outputs") or []
            return outputs if verify_asset(job_dir, outputs, out_root) is None else None
    return None


def _for_this_job(manifest: dict | None, digest: str) -> bool:
    """True when ``manifest`` was written for exactly this job (same identity hash)."""
    return manifest is not None and manifest_hash(manifest) == digest


def _adoptable(job_dir: Path, manifest: dict, out_root: Path) -> list[dict] | None:
    """Return outputs of a whole asset made for this job but never recorded (a kill after its manifest)."""
    if verify_asset(job_dir, None, out_root) is not None:
        return None
    rel = Path(job_dir).name
    outputs = [{**f, "path": f"{rel}/{f['path']}"} for f in manifest["files"]]
    sha = sha256_file(Path(job_dir) / MANIFEST_NAME)
    size = (Path(job_dir) / MANIFEST_NAME).stat().st_size
    return outputs + [{"path": f"{rel}/{MANIFEST_NAME}", "role": "manifest", "bytes": size, "sha256": sha}]


def _owned(records: list[dict]) -> bool:
    """True when an earlier run of this batch wrote (or began writing) the job's folder."""
    return any(
        r.get("status") in ("ok", "skipped")
        or (r.get("error") or {}).get("type") not in (None, "OutputExistsError", "InputError")
        for r in records
    )


def run_batch(
    config: BatchConfig,
    executor_factory: Callable[[int], Executor],
    reporter: Reporter | None = None,
    check: Callable[[GenOptions], None] = check_settings,
) -> BatchSummary:
    """Return the summary of running every job of ``config`` not already done; records go to OUT/batch*.jsonl.

    ``executor_factory(n_jobs_to_run)`` is called only when there is work, so a fully
    done batch starts no worker. ``check`` raises InputError for settings `gen` would
    refuse: for the batch's own options that ends the run (exit 2), for a JSONL job's it
    fails that job.
    """
    reporter = reporter or NullReporter()
    t0 = time.perf_counter()
    if not 0 <= config.retries <= MAX_RETRIES:
        raise InputError(f"--retries {config.retries} is out of range: use 0..{MAX_RETRIES}")
    check(config.base)
    jobs = select_shard(load_jobs(config.input, config.base, config.force or config.redo), config.shard)
    out_root = ensure_writable_dir(config.out_root)
    run_id = uuid.uuid4().hex[:12]
    path = records_path(out_root, config.shard)
    with RecordLog(path) as records_log:
        history = read_records(out_root)
        summaries: dict[str, JobSummary] = {}
        todo: list[JobSpec] = []

        def record(job: Job, digest: str, status: str, attempt: int, result: JobResult | None, outputs=None, note=None):
            rec = {
                "name": job.name,
                "status": status,
                "hash": digest,
                "attempt": attempt,
                "source": job.source,
                "run": run_id,
                "tool_version": __version__,
                "time": _now(),
                "outputs": outputs if outputs is not None else (result.outputs if result else []),
                "seconds": round(result.seconds, 4) if result else 0.0,
                "stage_seconds": result.stage_seconds if result else {},
                "error": result.error if result else None,
                "host": result.host if result else socket.gethostname(),
                "pid": result.pid if result else os.getpid(),
                "device": result.device if result else "",
            }
            if config.shard:
                rec["shard"] = f"{config.shard[0]}/{config.shard[1]}"
            if note:
                rec["note"] = note
            records_log.append(rec)
            summaries[job.name] = JobSummary(
                job.name, job.source, status, digest, attempt, rec["seconds"], rec["outputs"], rec["error"]
            )

        for job in jobs:
            job_dir = out_root / job.name
            if job.error is not None:
                record(job, "", "failed", 1, failed_result(job.name, InputError(job.error)))
                continue
            try:
                check(job.settings)
            except InputError as exc:
                record(job, "", "failed", 1, failed_result(job.name, exc))
                continue
            digest = job_hash(job)
            past = history.get(job.name, [])
            clean_stale(out_root, job.name)  # staging folders and .part files a killed run left
            manifest = read_manifest(job_dir)
            # A manifest written for this very job makes the folder the batch's: adopt it whole, or redo it.
            mine = _for_this_job(manifest, digest)
            if not config.redo:
                done = _is_done(past, digest, job_dir, out_root)
                if done is not None:
                    record(job, digest, "skipped", 0, None, outputs=done)
                    continue
                adopted = _adoptable(job_dir, manifest, out_root) if mine else None
                if adopted is not None:
                    record(job, digest, "ok", 0, None, outputs=adopted, note="found complete, not recorded")
                    continue
            overwrite = config.redo or job.force or mine or manifest is None or _owned(past)
            todo.append(JobSpec(job, str(out_root), digest, overwrite))

        failed_early = sum(1 for s in summaries.values() if s.status == "failed")
        reporter.begin(len(todo), len(summaries) - failed_early, failed_early)
        try:
            if todo:
                _execute(todo, executor_factory, config.retries, record, reporter)
        finally:
            reporter.end()

    ordered = [summaries[j.name] for j in jobs if j.name in summaries]
    count = {k: sum(1 for s in ordered if s.status == k) for k in ("ok", "failed", "skipped")}
    return BatchSummary(
        str(path), len(ordered), count["ok"], count["failed"], count["skipped"], time.perf_counter() - t0, ordered
    )


def _execute(todo: list[JobSpec], executor_factory, retries: int, record, reporter: Reporter) -> None:
    pending = deque(todo)
    executor = executor_factory(len(todo))
    inflight = 0
    try:
        while pending or inflight:
            while pending and inflight < executor.slots:
                executor.submit(pending.popleft())
                inflight += 1
            for spec, result in executor.wait():
                inflight -= 1
                retry = not result.ok and (result.error or {}).get("retryable") and spec.attempt <= retries
                status = "ok" if result.ok else "failed"
                record(spec.job, spec.job_hash, status, spec.attempt, result)
                if retry:
                    log.warning(
                        "%s: attempt %d failed (%s); retrying", spec.job.name, spec.attempt, result.error["message"]
                    )
                    # A retry may overwrite what the failed attempt left: the folder is now the batch's.
                    pending.append(replace(spec, attempt=spec.attempt + 1, overwrite=True))
                else:
                    reporter.job_done(spec.job.name, status)
    finally:
        executor.close()
