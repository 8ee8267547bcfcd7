"""Running jobs: one job in a worker (``run_job``), and local worker processes that run them (``LocalExecutor``)."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing import connection as mp_connection
from pathlib import Path
from typing import Any, Protocol

from exporters.errors import HyworldError, InputError
from hyworld_cli.batch.jobs import Job

log = logging.getLogger("hyworld.batch")


@dataclass(frozen=True)
class JobSpec:
    """What a worker needs to run one attempt of a job; picklable, sent to worker processes and Ray tasks."""

    job: Job
    out_root: str
    job_hash: str
    overwrite: bool  # replace files in OUT/<name>/ (the batch's own, or --force)
    threads: int = 1  # torch threads / UV-unwrap workers inside the job
    attempt: int = 1


@dataclass
class JobResult:
    """What one attempt did: outputs relative to the batch's out root, or the error."""

    name: str
    ok: bool
    outputs: list[dict] = field(default_factory=list)  # {path, role, bytes, sha256}
    seconds: float = 0.0
    stage_seconds: dict = field(default_factory=dict)
    error: dict | None = None  # {type, message, exit_code, retryable}
    host: str = ""
    pid: int = 0
    device: str = ""  # the torch device that ran, and the GPU the worker owns: "cuda:0 (CUDA_VISIBLE_DEVICES=3)"


def run_job(spec: JobSpec) -> JobResult:
    """Return the result of generating one job into OUT/<name>/; never raises (errors become the result)."""
    job, start = spec.job, time.perf_counter()
    out_root = Path(spec.out_root)
    try:
        import torch

        from pipelines.generate import GenRequest, generate

        torch.set_num_threads(max(1, spec.threads))  # the worker's share of the cores (OMP_NUM_THREADS says the same)
        options = replace(job.settings, build=replace(job.settings.build, workers=max(1, spec.threads)))
        if job.input is not None:  # a convert job
            from pipelines.convert.frame import FrameOptions
            from pipelines.convert.run import ConvertRequest, convert

            frame = FrameOptions(**dict(job.frame))  # type: ignore[arg-type]
            outcome = convert(ConvertRequest(Path(job.input), job.name, out_root, options, frame, force=spec.overwrite))
        else:
            req = GenRequest(
                prompt=job.prompt or "", name=job.name, out_root=out_root, options=options, force=spec.overwrite
            )
            outcome = generate(req)
        outputs = [_output_entry(f, out_root) for f in outcome.files]
        device = str(outcome.manifest.get("device", ""))
        if os.environ.get("CUDA_VISIBLE_DEVICES"):
            device += f" (CUDA_VISIBLE_DEVICES={os.environ['CUDA_VISIBLE_DEVICES']})"
        return JobResult(
            job.name,
            True,
            outputs,
            time.perf_counter() - start,
            dict(outcome.manifest.get("stage_seconds", {})),
            host=socket.gethostname(),
            pid=os.getpid(),
            device=device,
        )
    except BaseException as exc:  # isolation: whatever one job raises is its own failure
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return failed_result(job.name, exc, time.perf_counter() - start)


def _output_entry(f, out_root: Path) -> dict:
    path = Path(f.path)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(out_root.resolve())
    return {"path": path.as_posix(), "role": f.role, "bytes": f.bytes, "sha256": f.sha256}


def error_info(exc: BaseException) -> dict:
    """Return {type, message, exit_code, retryable} for ``exc`` (InputError is never retried)."""
    if isinstance(exc, HyworldError):
        code = exc.exit_code
    elif isinstance(exc, MemoryError) or type(exc).__name__ == "OutOfMemoryError":
        code = 3  # ResourceError's code: out of host or GPU memory
    else:
        code = 1
    message = str(exc) or type(exc).__name__
    if code == 3 and not isinstance(exc, HyworldError):
        message = f"out of memory ({message}); lower --resolution, --texture-size or --jobs"
    info = {
        "type": type(exc).__name__,
        "message": message,
        "exit_code": code,
        "retryable": not isinstance(exc, InputError),
    }
    if code == 1 and exc.__traceback__ is not None:  # a bug of ours: keep where it happened for the report
        info["traceback"] = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-12:])
    return info


def failed_result(name: str, exc: BaseException, seconds: float = 0.0) -> JobResult:
    return JobResult(name, False, seconds=seconds, error=error_info(exc), host=socket.gethostname(), pid=os.getpid())


def crashed_result(name: str, exitcode: int | None, seconds: float) -> JobResult:
    """Return the failure of a job whose worker process died (signal or exit) while running it."""
    if exitcode is not None and exitcode < 0:
        sig = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else str(-exitcode)
        why = f"the worker process was killed by {sig}"
        if -exitcode == signal.SIGKILL:
            why += " (often the kernel's out-of-memory killer: lower --resolution, --texture-size or --jobs)"
    else:
        why = f"the worker process exited with code {exitcode} while running the job"
    error = {
        "type": "WorkerCrashed",
        "message": why,
        "exit_code": 3 if exitcode == -signal.SIGKILL else 1,
        "retryable": True,
    }
    return JobResult(name, False, seconds=seconds, error=error, host=socket.gethostname())


class Executor(Protocol):
    """Runs JobSpecs somewhere; the driver keeps at most ``slots`` in flight."""

    slots: int

    def submit(self, spec: JobSpec) -> None: ...

    def wait(self) -> list[tuple[JobSpec, JobResult]]:
        """Block until at least one submitted job ends; return those that ended."""
        ...

    def close(self) -> None: ...


JobFn = Callable[[JobSpec], JobResult]


def usable_cores() -> int:
    """Return the cores this process may run on (cpuset/Slurm-aware)."""
    with contextlib.suppress(AttributeError, OSError):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def visible_gpus(device: str) -> list[str]:
    """Return the CUDA device ids workers may own for ``device`` (empty on CPU or an explicit cuda:K)."""
    if device not in ("auto", "cuda"):
        return []
    import torch

    if not torch.cuda.is_available():
        return []
    listed = os.environ.get("CUDA_VISIBLE_DEVICES")
    if listed:
        ids = [x.strip() for x in listed.split(",") if x.strip()]
        return ids[: torch.cuda.device_count()]
    return [str(i) for i in range(torch.cuda.device_count())]


@dataclass(frozen=True)
class WorkerPlan:
    """How many local workers, the threads each, and the environment each starts with."""

    workers: int
    threads: int
    envs: list[dict[str, str]]
    gpus: list[str]


def plan_workers(jobs: int | None, device: str, cores: int | None = None, gpus: list[str] | None = None) -> WorkerPlan:
    """Return the worker layout: one worker per GPU (owning it), else max(1, cores // 2) CPU workers."""
    cores = cores or usable_cores()
    gpus = visible_gpus(device) if gpus is None else gpus
    if gpus:
        n = jobs or len(gpus)
        threads = max(1, cores // n)
        envs = [{"CUDA_VISIBLE_DEVICES": gpus[i % len(gpus)]} for i in range(n)]
    else:
        n = jobs or max(1, cores // 2)
        threads = max(1, cores // n)
        envs = [{} for _ in range(n)]
    for env in envs:
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            env[var] = str(threads)
    return WorkerPlan(n, threads, envs, gpus)


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this worker when the driver dies, so a killed batch leaves no writer behind."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the driver died before prctl took effect
        os._exit(1)


_STARTED = "started"


def timed_out_result(name: str, timeout: float, seconds: float) -> JobResult:
    """Return the failure of a job stopped for running past ``--timeout`` (not retried: it would run as long again)."""
    error = {
        "type": "JobTimeout",
        "message": f"the job ran past --timeout {timeout:g} s and was stopped",
        "exit_code": 3,
        "retryable": False,
    }
    return JobResult(name, False, seconds=seconds, error=error, host=socket.gethostname())


def _worker_main(conn, job_fn: JobFn, parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    while True:
        try:
            spec = conn.recv()
        except (EOFError, OSError):
            return
        if spec is None:
            return
        conn.send(_STARTED)  # the job's clock (--timeout) starts now, not when the worker was spawned
        conn.send(job_fn(spec))


@contextlib.contextmanager
def _environ(extra: dict[str, str]) -> Iterator[None]:
    # A spawned child copies os.environ when it starts: the only moment to give it its own GPU and threads.
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@dataclass
class _Slot:
    index: int
    proc: Any = None  # multiprocessing Process of the spawn context
    conn: Any = None  # its end of the Pipe
    spec: JobSpec | None = None
    started: float = 0.0
    running_since: float | None = None  # when the worker said it began the job


class LocalExecutor:
    """Long-lived worker processes (spawn), one job each at a time; a dead worker fails only its job."""

    def __init__(self, plan: WorkerPlan, job_fn: JobFn = run_job, timeout: float | None = None) -> None:
        import multiprocessing

        self._timeout = timeout  # seconds one job may run (from its start in the worker); None: no limit
        self._ctx = multiprocessing.get_context("spawn")  # torch and fork do not mix
        self._plan = plan
        self._job_fn = job_fn
        self.slots = plan.workers
        self._workers = [_Slot(i) for i in range(plan.workers)]

    def _start(self, slot: _Slot) -> None:
        if slot.conn is not None:  # a worker that died between jobs
            slot.conn.close()
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_worker_main,
            args=(child, self._job_fn, os.getpid()),
            name=f"hyworld-batch-{slot.index}",
            daemon=False,  # a job may start its own processes (UV unwrap)
        )
        with _environ(self._plan.envs[slot.index]):
            proc.start()
        child.close()
        slot.proc, slot.conn, slot.spec = proc, parent, None

    def submit(self, spec: JobSpec) -> None:
        slot = next(w for w in self._workers if w.spec is None)
        if slot.proc is None or not slot.proc.is_alive():
            self._start(slot)
        spec = replace(spec, threads=self._plan.threads)
        slot.spec, slot.started, slot.running_since = spec, time.perf_counter(), None
        try:
            slot.conn.send(spec)
        except (BrokenPipeError, OSError):
            pass  # the worker died; wait() reports it as this job's crash

    def wait(self) -> list[tuple[JobSpec, JobResult]]:
        busy = [w for w in self._workers if w.spec is not None]
        if not busy:
            return []
        while True:
            mp_connection.wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], self._time_left(busy))
            done = []
            for w in busy:
                spec = w.spec
                result = self._collect(w)
                if result is not None:
                    done.append((spec, result))
            if done:
                return done

    def _time_left(self, busy: list[_Slot]) -> float | None:
        """Return the seconds until the first running job's --timeout, or None (no limit, or none started)."""
        if self._timeout is None:
            return None
        ends = [w.running_since + self._timeout for w in busy if w.running_since is not None]
        return max(0.0, min(ends) - time.perf_counter()) if ends else None

    def _collect(self, w: _Slot) -> JobResult | None:
        """Return the job's result if it ended (done, crashed or past --timeout), else None; the slot is then free."""
        result = None
        while result is None and w.conn.poll():
            try:
                message = w.conn.recv()
            except (EOFError, OSError):
                break
            if message == _STARTED:
                w.running_since = time.perf_counter()
            else:
                result = message
        now = time.perf_counter()
        if result is None and w.proc.is_alive():
            if self._timeout is None or w.running_since is None or now - w.running_since < self._timeout:
                return None
            w.proc.kill()  # past --timeout: the worker goes, its job's staging folder is cleaned by the next run
            w.proc.join(5)
            result = timed_out_result(w.spec.job.name, self._timeout, now - w.started)
            w.conn.close()
            w.proc, w.conn = None, None
        elif result is None:
            w.proc.join(1)
            result = crashed_result(w.spec.job.name, w.proc.exitcode, now - w.started)
            w.conn.close()
            w.proc, w.conn = None, None
        w.spec, w.running_since = None, None
        return result

    def close(self) -> None:
        for w in self._workers:
            if w.proc is None:
                continue
            with contextlib.suppress(OSError, BrokenPipeError):
                if w.spec is None:
                    w.conn.send(None)
            w.proc.join(2 if w.spec is None else 0)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(5)
            w.conn.close()
            w.proc, w.conn = None, None


def local_executor_factory(
    jobs: int | None, device: str, job_fn: JobFn = run_job, timeout: float | None = None
) -> Callable[[int], Executor]:
    """Return a factory of LocalExecutors sized for the machine (never more workers than jobs), each job
    stopped after ``timeout`` seconds of running (None: no limit)."""

    def make(n_jobs: int) -> Executor:
        plan = plan_workers(jobs, device)
        if plan.workers > n_jobs:  # no idle workers: fewer, each with more threads
            plan = plan_workers(n_jobs, device)
        log.info("%d local worker(s), %d thread(s) each, GPUs %s", plan.workers, plan.threads, plan.gpus or "none")
        return LocalExecutor(plan, job_fn, timeout)

    return make
