"""Batch generation: jobs from a folder / list / JSONL, hashing, sharding, records, scheduling, local workers.

A batch is a list of `Job`s (one asset each). The driver (`run_batch`) decides per job
whether it is already done (a record with the same content hash whose files still
match their sha256), hands the rest to an `Executor` (local worker processes here,
Ray in `batch_ray`), and appends one line per attempt to ``OUT/batch.jsonl`` with
flush + fsync. Outputs go to ``OUT/<name>/`` through `generate`, which writes every
file atomically and the manifest last, so a run killed at any moment leaves either a
whole asset or one the next run redoes.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import json
import logging
import os
import signal
import socket
import time
import traceback
import uuid
from collections import deque
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from multiprocessing import connection as mp_connection
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol

from exporters.errors import HyworldError, InputError
from exporters.files import safe_name
from hyworld_cli import __version__
from hyworld_cli.inputs import ensure_writable_dir, prompt_text

log = logging.getLogger("hyworld.batch")

RECORDS_NAME = "batch.jsonl"
MANIFEST_NAME = "manifest.json"  # same as generate.MANIFEST_NAME; not imported to keep torch out of this module
MAX_RETRIES = 10
MAX_JOBS = 256
# Keys a JSONL job may set in "options" (and seed/target at top level); both spellings of texture size.
OPTION_KEYS = ("seed", "resolution", "texture_size", "device", "target", "lods", "budget", "max_triangles", "model", "force")
JOB_KEYS = ("prompt", "name", "seed", "target", "options")


# ---------------------------------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class JobSettings:
    """The `gen` options a job runs with: the batch's, overridden per JSONL job."""

    seed: int = 0
    resolution: int = 160
    texture_size: int = 1024
    device: str = "auto"
    target: str = "generic"
    lods: int = 3
    budget: int | None = None
    max_triangles: int | None = None
    model: str = "procedural"
    force: bool = False


@dataclass(frozen=True)
class Job:
    """One asset to make; ``error`` says why its input could not become a job (it then fails)."""

    name: str
    source: str  # where it came from: "prompts/a.txt", "jobs.jsonl:3"
    prompt: str | None
    settings: JobSettings
    error: str | None = None


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


def load_jobs(path: Path, base: JobSettings) -> list[Job]:
    """Return the jobs in ``path`` (a folder of *.txt, a .jsonl file, or one prompt per line), names unique."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        jobs = _jobs_from_folder(path, base)
    elif path.suffix.lower() == ".jsonl":
        jobs = _jobs_from_jsonl(path, base)
    elif path.is_file():
        jobs = _jobs_from_lines(path, base)
    else:
        raise InputError(f"{path}: not a regular file or folder")
    if not jobs:
        raise InputError(f"{path}: holds no prompts (a folder needs *.txt files; a list, one prompt per line)")
    return unique_names(jobs)


def _jobs_from_folder(folder: Path, base: JobSettings) -> list[Job]:
    from hyworld_cli.inputs import read_prompt

    jobs = []
    for p in sorted(q for q in folder.glob("*.txt") if q.is_file()):
        try:
            jobs.append(Job(p.stem, str(p), read_prompt(p).text, base))
        except InputError as exc:
            jobs.append(Job(p.stem, str(p), None, base, error=str(exc)))
    return jobs


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc


def _jobs_from_lines(path: Path, base: JobSettings) -> list[Job]:
    data = _read_bytes(path)
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file, not a list of prompts (one per line)")
    jobs = []
    for lineno, stripped in _content_lines(data):
        source = f"{path}:{lineno}"
        name = f"{path.stem}_{lineno:04d}"
        try:
            jobs.append(Job(name, source, prompt_text(stripped, source), base))
        except InputError as exc:
            jobs.append(Job(name, source, None, base, error=str(exc)))
    return jobs


def _content_lines(data: bytes):
    """Yield ``(line number, stripped bytes)`` of non-blank, non-``#`` lines (a UTF-8 BOM dropped)."""
    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        stripped = raw.strip()
        if lineno == 1:
            stripped = stripped.removeprefix(b"\xef\xbb\xbf")
        if stripped and not stripped.startswith(b"#"):
            yield lineno, stripped


def _jobs_from_jsonl(path: Path, base: JobSettings) -> list[Job]:
    jobs = []
    for lineno, stripped in _content_lines(_read_bytes(path)):
        source = f"{path}:{lineno}"
        name = f"{path.stem}_{lineno:04d}"
        try:
            jobs.append(_job_from_json(stripped, source, name, base))
        except InputError as exc:
            jobs.append(Job(name, source, None, base, error=str(exc)))
    return jobs


def _job_from_json(raw: bytes, source: str, default_name: str, base: JobSettings) -> Job:
    try:
        entry = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{source}: not a JSON object ({exc})") from None
    if not isinstance(entry, dict):
        raise InputError(f"{source}: a job is a JSON object like {{\"prompt\": \"a village\"}}")
    unknown = sorted(set(entry) - set(JOB_KEYS))
    if unknown:
        raise InputError(f"{source}: unknown key(s) {', '.join(unknown)}; a job has {', '.join(JOB_KEYS)}")
    prompt = entry.get("prompt")
    if not isinstance(prompt, str):
        raise InputError(f"{source}: \"prompt\" must be a string")
    text = prompt_text(prompt.encode("utf-8"), source)
    name = entry.get("name", default_name)
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{source}: \"name\" must be a non-empty string")
    options = entry.get("options", {})
    if not isinstance(options, dict):
        raise InputError(f"{source}: \"options\" must be an object")
    overrides = {k.replace("-", "_"): v for k, v in options.items()}
    for key in ("seed", "target"):
        if key in entry:
            overrides[key] = entry[key]
    return Job(name, source, text, apply_overrides(base, overrides, source))


def apply_overrides(base: JobSettings, overrides: dict, source: str) -> JobSettings:
    """Return ``base`` with a JSONL job's options applied; raise InputError naming a bad key or type."""
    unknown = sorted(set(overrides) - set(OPTION_KEYS))
    if unknown:
        raise InputError(f"{source}: unknown option(s) {', '.join(unknown)}; options are {', '.join(OPTION_KEYS)}")
    for key, value in overrides.items():
        want = type(getattr(JobSettings(), key)) if key not in ("budget", "max_triangles") else int
        nullable = key in ("budget", "max_triangles")
        if value is None and nullable:
            continue
        if want is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise InputError(f"{source}: option {key!r} must be an integer, not {json.dumps(value)}")
        if want is not int and not isinstance(value, want):
            raise InputError(f"{source}: option {key!r} must be a {want.__name__}, not {json.dumps(value)}")
    return replace(base, **overrides)


def unique_names(jobs: list[Job]) -> list[Job]:
    """Return ``jobs`` with sanitised names, later duplicates suffixed _2, _3... (case-insensitive)."""
    taken: set[str] = set()
    out = []
    for job in jobs:
        base = safe_name(job.name, fallback="job")
        name, k = base, 1
        while name.casefold() in taken:
            k += 1
            suffix = f"_{k}"
            name = base[: 64 - len(suffix)] + suffix
        taken.add(name.casefold())
        out.append(replace(job, name=name))
    return out


# ------------------------------------------------------------------------------------ checks, hashing


def check_settings(s: JobSettings, check_device: bool = True) -> None:
    """Raise InputError for a setting `gen` would refuse (range, preset, device, model)."""
    from hyworld_cli.generate import GenRequest, validate

    if not check_device:
        if not (s.device in ("auto", "cpu") or s.device.startswith("cuda")):
            raise InputError(f"unknown device {s.device!r}; use auto, cpu or cuda")
        s = replace(s, device="cpu")
    validate(GenRequest(prompt="-", name="-", out_root=Path("."), build=build_options(s), device=s.device,
                        target=s.target, model=s.model))


def build_options(s: JobSettings, threads: int = 1):
    """Return the BuildOptions a job runs with (``threads`` only sets UV-unwrap parallelism)."""
    from pipelines.run import BuildOptions

    return BuildOptions(
        resolution=s.resolution, texture_size=s.texture_size, lods=s.lods, budget=s.budget,
        max_triangles=s.max_triangles, workers=max(1, threads),
    )


def job_identity(job: Job) -> dict:
    """Return what decides a job's output bytes, in the form its manifest records them."""
    s = job.settings
    options = asdict(build_options(s))
    options.pop("workers")  # parallelism, not content
    options.update(seed=s.seed, device=s.device, target=s.target, model=s.model, plan_file=False)
    return {
        "name": job.name,
        "prompt_sha256": hashlib.sha256((job.prompt or "").encode("utf-8")).hexdigest(),
        "options": options,
        "tool_version": __version__,
    }


def identity_hash(identity: dict) -> str:
    """Return the sha256 of ``identity`` as canonical JSON."""
    return hashlib.sha256(json.dumps(identity, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def job_hash(job: Job) -> str:
    """Return the content hash of a job: prompt, name, seed, options and tool version."""
    return identity_hash(job_identity(job))


def manifest_hash(manifest: dict) -> str | None:
    """Return the job hash a manifest was made for, or None if it lacks the fields."""
    try:
        options = dict(manifest["options"])
        options.pop("workers", None)
        identity = {
            "name": manifest["asset_name"],
            "prompt_sha256": manifest["prompt"]["sha256"],
            "options": options,
            "tool_version": manifest["tool_version"],
        }
    except (KeyError, TypeError):
        return None
    return identity_hash(identity)


# ------------------------------------------------------------------------------------------ sharding


def parse_shard(text: str) -> tuple[int, int]:
    """Return (i, n) from "i/n" (1-based); raise InputError unless 1 <= i <= n."""
    parts = text.split("/")
    try:
        i, n = (int(p) for p in parts)
    except ValueError:
        raise InputError(f"--shard {text!r}: write it as i/N, e.g. 2/8 (1-based)") from None
    if n < 1 or not 1 <= i <= n:
        raise InputError(f"--shard {text}: need 1 <= i <= N (shards are numbered from 1)")
    return i, n


def shard_index(name: str, n: int) -> int:
    """Return the 0-based shard of job ``name`` among ``n``: stable across runs, machines and job lists."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % n


def select_shard(jobs: list[Job], shard: tuple[int, int] | None) -> list[Job]:
    """Return the jobs of shard (i, n), or all of them."""
    if shard is None:
        return jobs
    i, n = shard
    return [j for j in jobs if shard_index(j.name, n) == i - 1]


def records_path(out_root: Path, shard: tuple[int, int] | None) -> Path:
    """Return this run's record file: batch.jsonl, or batch.shard-I-of-N.jsonl so farm shards never share one."""
    if shard is None:
        return Path(out_root) / RECORDS_NAME
    return Path(out_root) / f"batch.shard-{shard[0]}-of-{shard[1]}.jsonl"


# ------------------------------------------------------------------------------------------- records


class RecordLog:
    """An append-only JSONL file, locked for this run; every line is flushed and fsynced."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        created = not self.path.exists()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise InputError(f"another batch run is writing {self.path}; wait for it to end or use another --out") from None
        if created:
            _fsync_dir(self.path.parent)

    def append(self, record: dict) -> None:
        line = (json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        # One write of a whole line: a kill leaves the line whole or absent (a torn tail is skipped on read).
        os.write(self._fd, line)
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # releases the lock
            self._fd = -1

    def __enter__(self) -> "RecordLog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_records(out_root: Path) -> dict[str, list[dict]]:
    """Return every record in OUT/batch*.jsonl (all shards), by job name, in file order."""
    by_name: dict[str, list[dict]] = {}
    for path in sorted(Path(out_root).glob("batch*.jsonl")):
        for lineno, line in enumerate(path.read_bytes().split(b"\n"), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                by_name.setdefault(rec["name"], []).append(rec)
            except (ValueError, KeyError, TypeError):
                log.warning("%s:%d: skipping a torn or unreadable record", path, lineno)
    return by_name


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_files(root: Path, entries: Iterable[dict]) -> str | None:
    """Return None if every {path, bytes, sha256} under ``root`` matches, else what does not."""
    for e in entries:
        p = Path(root) / e["path"]
        if not p.is_file():
            return f"{p} is missing"
        if "bytes" in e and p.stat().st_size != e["bytes"]:
            return f"{p} has {p.stat().st_size} bytes, expected {e['bytes']}"
        if _sha256_file(p) != e["sha256"]:
            return f"{p} does not match its sha256"
    return None


def read_manifest(job_dir: Path) -> dict | None:
    """Return OUT/<name>/manifest.json parsed, or None when it is absent or unreadable."""
    try:
        data = json.loads((Path(job_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def verify_asset(job_dir: Path, outputs: list[dict] | None, out_root: Path) -> str | None:
    """Return None if the job's manifest exists and its files (and ``outputs``) match their sha256, else why not."""
    manifest = read_manifest(job_dir)
    if manifest is None:
        return f"{Path(job_dir) / MANIFEST_NAME} is missing or unreadable"
    files = manifest.get("files")
    if not isinstance(files, list) or not files:
        return f"{Path(job_dir) / MANIFEST_NAME} lists no files"
    return check_files(job_dir, files) or (check_files(out_root, outputs) if outputs else None)


def clean_partials(job_dir: Path) -> int:
    """Delete temporary ``.*.part`` files a killed run left in ``job_dir``; return how many."""
    n = 0
    for p in Path(job_dir).glob(".*.part"):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            n += 1
    return n


# -------------------------------------------------------------------------------------- running a job


def run_job(spec: JobSpec) -> JobResult:
    """Return the result of generating one job into OUT/<name>/; never raises (errors become the result)."""
    job, start = spec.job, time.perf_counter()
    out_root = Path(spec.out_root)
    try:
        import torch

        from hyworld_cli.generate import GenRequest, generate

        torch.set_num_threads(max(1, spec.threads))  # the worker's share of the cores (OMP_NUM_THREADS says the same)
        clean_partials(out_root / job.name)
        s = job.settings
        req = GenRequest(
            prompt=job.prompt, name=job.name, out_root=out_root, seed=s.seed, build=build_options(s, spec.threads),
            device=s.device, target=s.target, model=s.model, force=spec.overwrite,
        )
        outcome = generate(req)
        outputs = [_output_entry(f, out_root) for f in outcome.files]
        device = str(outcome.manifest.get("device", ""))
        if os.environ.get("CUDA_VISIBLE_DEVICES"):
            device += f" (CUDA_VISIBLE_DEVICES={os.environ['CUDA_VISIBLE_DEVICES']})"
        return JobResult(
            job.name, True, outputs, time.perf_counter() - start, dict(outcome.manifest.get("stage_seconds", {})),
            host=socket.gethostname(), pid=os.getpid(), device=device,
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
    info = {"type": type(exc).__name__, "message": message, "exit_code": code, "retryable": not isinstance(exc, InputError)}
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
    error = {"type": "WorkerCrashed", "message": why, "exit_code": 3 if exitcode == -signal.SIGKILL else 1, "retryable": True}
    return JobResult(name, False, seconds=seconds, error=error, host=socket.gethostname())


# ------------------------------------------------------------------------------------------ executors


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
    proc: object = None
    conn: object = None
    spec: JobSpec | None = None
    started: float = 0.0


class LocalExecutor:
    """Long-lived worker processes (spawn), one job each at a time; a dead worker fails only its job."""

    def __init__(self, plan: WorkerPlan, job_fn: JobFn = run_job) -> None:
        import multiprocessing

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
            target=_worker_main, args=(child, self._job_fn, os.getpid()),
            name=f"hyworld-batch-{slot.index}", daemon=False,  # a job may start its own processes (UV unwrap)
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
        slot.spec, slot.started = spec, time.perf_counter()
        try:
            slot.conn.send(spec)
        except (BrokenPipeError, OSError):
            pass  # the worker died; wait() reports it as this job's crash

    def wait(self) -> list[tuple[JobSpec, JobResult]]:
        busy = [w for w in self._workers if w.spec is not None]
        if not busy:
            return []
        mp_connection.wait([w.conn for w in busy] + [w.proc.sentinel for w in busy])
        done = []
        for w in busy:
            result = None
            if w.conn.poll():
                with contextlib.suppress(EOFError, OSError):
                    result = w.conn.recv()
            if result is None and w.proc.is_alive():
                continue
            if result is None:
                w.proc.join(1)
                result = crashed_result(w.spec.job.name, w.proc.exitcode, time.perf_counter() - w.started)
                w.conn.close()
                w.proc, w.conn = None, None
            done.append((w.spec, result))
            w.spec = None
        return done

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


# --------------------------------------------------------------------------------------------- driver


@dataclass(frozen=True)
class BatchConfig:
    """A batch run: where jobs come from and go, shared options, retries, shard."""

    input: Path
    out_root: Path
    base: JobSettings = field(default_factory=JobSettings)
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
            "records": self.records, "total": self.total, "ok": self.ok, "failed": self.failed,
            "skipped": self.skipped, "seconds": round(self.seconds, 3),
            "assets_per_minute": round(self.assets_per_minute, 3), "jobs": [asdict(j) for j in self.jobs],
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


def _adoptable(job_dir: Path, digest: str, out_root: Path) -> list[dict] | None:
    """Return outputs of a whole asset made for exactly this job but never recorded (a kill after its manifest)."""
    manifest = read_manifest(job_dir)
    if manifest is None or manifest_hash(manifest) != digest or verify_asset(job_dir, None, out_root) is not None:
        return None
    rel = Path(job_dir).name
    outputs = [{**f, "path": f"{rel}/{f['path']}"} for f in manifest["files"]]
    sha = _sha256_file(Path(job_dir) / MANIFEST_NAME)
    size = (Path(job_dir) / MANIFEST_NAME).stat().st_size
    return outputs + [{"path": f"{rel}/{MANIFEST_NAME}", "role": "manifest", "bytes": size, "sha256": sha}]


def _owned(records: list[dict]) -> bool:
    """True when an earlier run of this batch wrote (or began writing) the job's folder."""
    return any(
        r.get("status") in ("ok", "skipped") or (r.get("error") or {}).get("type") not in (None, "OutputExistsError", "InputError")
        for r in records
    )


def run_batch(
    config: BatchConfig,
    executor_factory: Callable[[int], Executor],
    reporter: Reporter | None = None,
    check: Callable[[JobSettings], None] = check_settings,
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
    jobs = select_shard(load_jobs(config.input, config.base), config.shard)
    out_root = ensure_writable_dir(config.out_root)
    run_id = uuid.uuid4().hex[:12]
    path = records_path(out_root, config.shard)
    with RecordLog(path) as records_log:
        history = read_records(out_root)
        summaries: dict[str, JobSummary] = {}
        todo: list[JobSpec] = []

        def record(job: Job, digest: str, status: str, attempt: int, result: JobResult | None, outputs=None, note=None):
            rec = {
                "name": job.name, "status": status, "hash": digest, "attempt": attempt, "source": job.source,
                "run": run_id, "tool_version": __version__, "time": _now(),
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
            if job_dir.is_dir():
                clean_partials(job_dir)
            if not config.redo:
                done = _is_done(past, digest, job_dir, out_root)
                if done is not None:
                    record(job, digest, "skipped", 0, None, outputs=done)
                    continue
                adopted = _adoptable(job_dir, digest, out_root)
                if adopted is not None:
                    record(job, digest, "ok", 0, None, outputs=adopted, note="found complete, not recorded")
                    continue
            overwrite = config.redo or job.settings.force or _owned(past) or read_manifest(job_dir) is None
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
    return BatchSummary(str(path), len(ordered), count["ok"], count["failed"], count["skipped"], time.perf_counter() - t0, ordered)


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
                    log.warning("%s: attempt %d failed (%s); retrying", spec.job.name, spec.attempt, result.error["message"])
                    # A retry may overwrite what the failed attempt left: the folder is now the batch's.
                    pending.append(replace(spec, attempt=spec.attempt + 1, overwrite=True))
                else:
                    reporter.job_done(spec.job.name, status)
    finally:
        executor.close()


def local_executor_factory(jobs: int | None, device: str, job_fn: JobFn = run_job) -> Callable[[int], Executor]:
    """Return a factory of LocalExecutors sized for the machine (never more workers than jobs)."""

    def make(n_jobs: int) -> Executor:
        plan = plan_workers(jobs, device)
        if plan.workers > n_jobs:  # no idle workers: fewer, each with more threads
            plan = plan_workers(n_jobs, device)
        log.info("%d local worker(s), %d thread(s) each, GPUs %s", plan.workers, plan.threads, plan.gpus or "none")
        return LocalExecutor(plan, job_fn)

    return make
