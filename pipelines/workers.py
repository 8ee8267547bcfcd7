"""Per-object stages across worker processes: the cores are used across objects, not inside each op.

Torch's intra-op threads lose badly on a busy machine (every op of marching
cubes or a bake waits for a descheduled thread: 2 threads measured 0.28-0.41x
one single-threaded library while other work ran). So the chain's per-object
stages (extract, cleanup, normals, bake, LODs, collision, ...) run one object
per worker process, each worker with one torch thread, and a busy core stalls
only the object it holds.

Workers are started once per build from a forkserver (torch and fork do not
mix, so never forked from this process; see ``_context``) and rebuild
the scene's fields themselves from the plan (fields are closures over torch
programs: they cannot be pickled), so a task sends an object's name and its
state without its field, and gets the state back. Results are gathered in
object order and every step runs with one torch thread whether it runs in a
worker or here, so the output bytes do not depend on ``workers``.

Stages that need the field run here (not in workers) when the device is not the
CPU: a GPU does them faster than worker start-up, and one CUDA context is enough.
Each task also reports its process's peak resident memory (``ru_maxrss``), so a
stage's peak covers the workers as well as this process.
"""

from __future__ import annotations

import atexit
import dataclasses
import importlib
import logging
import multiprocessing
import os
import resource
import select
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

import torch

from exporters.errors import ResourceError

log = logging.getLogger("hyworld.workers")


def rss_mb() -> float:
    """Return this process's peak resident memory, in MB (``ru_maxrss``: since ``reset_peak`` on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024.0  # bytes on macOS, KiB on Linux


def reset_peak() -> bool:
    """Restart this process's peak-memory count at its current size (Linux); return False where it can't."""
    try:
        with open("/proc/self/clear_refs", "w") as f:  # "5": reset the peak RSS (VmHWM, ru_maxrss)
            f.write("5")
        return True
    except OSError:
        return False


@contextmanager
def one_thread() -> Iterator[None]:
    """Run the body with one torch intra-op thread (as a worker does), then restore the count."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


# ---------------------------------------------------------------- the worker side

_WORKER: dict[str, Any] = {}


def _init_worker(modules: tuple[str, ...], build_pid: int) -> None:
    """Start a worker: one torch thread, and the chain's modules imported while the parent plans."""
    _exit_with(build_pid)
    torch.set_num_threads(1)
    for name in modules:
        importlib.import_module(name)
    # A worker has handed back everything when it is told to stop: skip the interpreter's
    # teardown of torch and the chain (~1.5 s per worker on a quiet 2-core machine, which
    # the build waited for in ``close``). Registered last, so it runs first at exit.
    atexit.register(os._exit, 0)


def _exit_with(build_pid: int) -> None:
    """End this worker as soon as the build process ``build_pid`` is gone, however it went.

    A SIGKILLed build cannot shut its pool down: its workers would block for ever on
    handing back a result nobody reads (the result pipe's read end lives on in the
    workers themselves), holding the build's stderr open, its memory, and the forkserver
    (which lives while any worker does). A worker's parent is the forkserver, so
    ``PR_SET_PDEATHSIG`` cannot see the build: a thread waits on the build's pidfd
    (readable once the build has exited, before it is reaped), or polls where there is none.
    """

    def watch() -> None:
        try:
            fd = os.pidfd_open(build_pid)  # Linux 5.3+
        except ProcessLookupError:
            os._exit(1)
        except (AttributeError, OSError):
            while _alive(build_pid):
                time.sleep(1.0)
        else:
            select.select([fd], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="hyworld-build-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, and someone else's
        pass
    return True


def _ready() -> int:
    return os.getpid()


def _start(pool: ProcessPoolExecutor, workers: int) -> None:
    """Start ``pool``'s ``workers`` processes (each submit starts one while there are fewer)."""
    try:
        for _ in range(workers):
            pool.submit(_ready)
    except (RuntimeError, BrokenProcessPool) as exc:  # a pool shut down or broken: its first task says why
        log.debug("worker start-up stopped: %s", exc)


def _worker_field(task: _Task) -> Any:
    """Return the field ``task`` names, from the fields of its plan on its device (built once per plan)."""
    from pipelines.models import get_model

    key = (task.plan_key, task.model_name, task.device)
    if _WORKER.get("key") != key:
        from pipelines.convert.plugin import model_fields

        model = get_model(task.model_name)
        fields = model_fields(model, task.plan, torch.device(task.device), task.opts.resolution)
        _WORKER.update(key=key, model=model, fields={f.name: f for f in fields})
    return _WORKER["fields"][task.name]


def _run_task(task: _Task) -> tuple[dict, list, dict, tuple[int, float]]:
    """Run one object's step in a worker; return (its state, warnings, kernels, (pid, peak MB))."""
    reset_peak()
    obj = task.obj_type(field=_worker_field(task), **task.state)
    device = torch.device(task.device)
    chain = task.chain_type(plan=task.plan, model=_WORKER["model"], opts=task.opts, device=device)
    task.step(chain, obj)
    return _state(obj), chain.warnings, chain.kernels, (os.getpid(), rss_mb())


@dataclasses.dataclass(frozen=True)
class _Task:
    """What one object's step sends to a worker (types and the step travel by reference)."""

    step: Callable
    obj_type: type
    chain_type: type
    plan: Any
    plan_key: str  # the same plan in the same build: the worker keeps its fields
    model_name: str
    name: str
    state: dict
    opts: Any
    device: str


def _state(obj: Any) -> dict:
    """Return an ObjectState's fields without its field (what travels between processes)."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.name != "field"}


# ---------------------------------------------------------------- the parent side


# What a worker imports when it starts (the per-object stages' modules), so the first task doesn't wait.
WORKER_MODULES = ("pipelines.stages", "pipelines.fused", "pipelines.models.procedural")


class ObjectPool:
    """Runs per-object steps in up to ``workers`` worker processes (or here, with one thread, if 1).

    The workers start (and import the chain) as soon as the pool is made, so a
    caller makes it before planning. A worker rebuilds a build's fields with
    ``get_model(model.name).fields(plan, device)``, so a model that is not
    registered under its name runs every step here. Inside ``with``, this process
    runs torch with one thread too (it plans and waits while the workers run).
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(1, int(workers))
        self._peaks: dict[int, float] = {}  # worker pid -> its peak MB in this stage
        self._pool: ProcessPoolExecutor | None = None
        self._plans: dict[int, tuple[Any, str]] = {}  # id(plan) -> (the plan, kept alive so ids stay unique; key)
        self._threads = torch.get_num_threads()  # this process's torch threads outside ``with``
        self._starter: threading.Thread | None = None
        if self.workers > 1:
            context = _context()
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_init_worker,
                initargs=(WORKER_MODULES, os.getpid()),
            )
            # Start them all now, from a thread: starting one waits until the forkserver has imported
            # the chain (seconds), which the caller spends planning instead.
            self._starter = threading.Thread(target=_start, args=(self._pool, self.workers), daemon=True)
            self._starter.start()
            log.info("%d worker processes for per-object stages", self.workers)

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def begin_stage(self) -> None:
        """Start a stage's memory count: this process's peak restarts, the workers' are forgotten."""
        reset_peak()
        self._peaks.clear()

    def stage_peak_mb(self) -> tuple[float, float]:
        """Return (this process's peak, the sum of the workers' peaks) in MB since ``begin_stage``.

        Worker peaks are per task (each task restarts its worker's count), so the
        sum bounds what the workers held at once during the stage.
        """
        return rss_mb(), sum(self._peaks.values())

    def run(
        self,
        step: Callable,
        chain: Any,
        objects: Sequence[Any],
        advance: Callable[[], None],
        *,
        needs_field: bool = True,
        cost: Callable[[Any], float] | None = None,
    ) -> None:
        """Run ``step(chain, obj)`` on every object, in workers when there are, updating each in place.

        ``step`` must be a module-level function (workers import it by name).
        Warnings and kernels are merged into ``chain`` in object order; the
        largest object (by ``cost``) is started first so no worker idles at the end.
        """
        kernels: dict[str, set[str]] = {}

        def merge(warnings: list[str], found: dict[str, str]) -> None:
            chain.warnings.extend(warnings)
            for key, value in found.items():
                kernels.setdefault(key, set()).add(value)
            advance()

        here = (
            self._pool is None
            or len(objects) < 2
            or (needs_field and chain.device.type != "cpu")
            or not _registered(chain.model)
        )
        if here:
            with one_thread():
                for obj in objects:
                    local = dataclasses.replace(chain, warnings=[], kernels={})
                    step(local, obj)
                    merge(local.warnings, local.kernels)
        else:
            assert self._pool is not None
            order = sorted(range(len(objects)), key=lambda i: -(cost(objects[i]) if cost else 0.0))
            device = str(chain.device) if needs_field else "cpu"
            plan_key = self._plan_key(chain.plan)
            futures: dict[int, Future] = {}
            for i in order:
                obj = objects[i]
                task = _Task(
                    step, type(obj), type(chain), chain.plan, plan_key, chain.model.name,
                    obj.field.name, _state(obj), chain.opts, device,
                )  # fmt: skip
                futures[i] = self._pool.submit(_run_task, task)
            for i, obj in enumerate(objects):
                try:
                    state, warnings, found, (pid, peak) = futures[i].result()
                except BrokenProcessPool as exc:  # the OS killed a worker: most often for memory
                    raise ResourceError(
                        f"{obj.field.name}: a worker process died during {step.__name__.lstrip('_')} "
                        "(out of memory?); try --workers 1 or a lower --resolution / --texture-size"
                    ) from exc
                for key, value in state.items():
                    setattr(obj, key, value)
                self._peaks[pid] = max(self._peaks.get(pid, 0.0), peak)
                merge(warnings, found)
        for key, values in kernels.items():
            chain.kernels[key] = ", ".join(sorted(values))

    def _plan_key(self, plan: Any) -> str:
        """Return a key that names ``plan`` to the workers (they keep one plan's fields at a time)."""
        entry = self._plans.get(id(plan))
        if entry is None or entry[0] is not plan:
            entry = (plan, f"{os.getpid()}-{len(self._plans) + 1}")
            self._plans[id(plan)] = entry
        return entry[1]

    def close(self) -> None:
        if self._starter is not None:
            self._starter.join()
            self._starter = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ObjectPool:
        # This process plans, builds fields and waits while the workers run: with torch's
        # default threads its ops (the terrain's noise while the workers import) stall on a
        # busy machine (3.4 s of "plan" on a quiet 2-core one, 0.5 s of CPU with one thread).
        self._threads = torch.get_num_threads()
        torch.set_num_threads(1)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        torch.set_num_threads(self._threads)


def _context() -> Any:
    """Return the multiprocessing context the workers start from: a forkserver that imported the chain.

    The forkserver (a fresh interpreter, never this one: torch and fork do not
    mix once torch has run) imports torch and the chain once, and each worker is
    forked from it: two workers import once instead of twice (about 2 s of CPU on
    a 2-core machine, at the start of every build). Where there is no forkserver
    (Windows), workers are spawned and import themselves.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["torch", *WORKER_MODULES])
    return context


def _registered(model: Any) -> bool:
    """Return True if ``get_model(model.name)`` builds the same kind of model (workers can rebuild fields)."""
    from pipelines.models import get_model

    try:
        return type(get_model(str(getattr(model, "name", "")))) is type(model)
    except Exception:  # noqa: BLE001 - any failure means: run here
        return False


__all__ = ["ObjectPool", "one_thread", "rss_mb"]
