"""Ray executor for `hyworld batch --executor ray`: the same jobs as Ray tasks; the driver keeps the records.

Each task runs `workers.run_job` (generate into OUT/<name>/ with atomic writes and the
manifest last) on whichever node Ray picks, so OUT must be a folder every node sees
at the same path (shared storage) — or a local Ray instance. Ray's own task retries
are off: retries, records and skip-if-done stay the driver's, exactly as with local
workers. Ray is optional: ``pip install 'hyworld[ray]'``.

``--timeout`` works as with local workers, from the moment a task starts (not when it was
queued): each task tells a small ``_Clock`` actor when it starts, the driver waits on its
tasks no longer than the first deadline, and a task past it is cancelled with ``force``
(Ray kills the worker process running it) and recorded as ``JobTimeout``. The start times are
the workers' wall clocks: on a cluster, the nodes' clocks must agree (NTP) to within the timeout's precision.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import replace

from exporters.errors import InputError
from hyworld_cli.batch.workers import (
    Executor,
    JobFn,
    JobResult,
    JobSpec,
    crashed_result,
    run_job,
    timed_out_result,
    usable_cores,
)

log = logging.getLogger("hyworld.batch.ray")

INSTALL_HINT = "--executor ray needs Ray, an optional extra: pip install 'hyworld[ray]' (or pip install ray)"


def require_ray():
    """Return the ray module; raise InputError (exit 2) saying how to install it when it is missing."""
    try:
        import ray
    except ImportError:
        raise InputError(INSTALL_HINT) from None
    return ray


POLL_S = 1.0  # with --timeout, how often the driver asks the clock whether queued tasks have started


class _Clock:
    """A Ray actor: the wall time at which each task (by its token) started running."""

    def __init__(self) -> None:
        self.starts: dict[str, float] = {}

    def start(self, token: str) -> None:
        self.starts[token] = time.time()

    def started(self) -> dict[str, float]:
        return dict(self.starts)


def _ray_job(job_fn: JobFn, spec: JobSpec, clock=None, token: str = "") -> JobResult:  # noqa: ANN001 - actor handle
    if clock is not None:  # --timeout: the job's clock starts now, once the clock has it
        import ray

        ray.get(clock.start.remote(token))
    return job_fn(spec)


class RayExecutor:
    """Submits JobSpecs as Ray tasks (num_gpus=1 for GPU jobs) and hands back results as they end."""

    def __init__(
        self,
        address: str | None,
        jobs: int | None,
        device: str,
        n_jobs: int,
        job_fn: JobFn = run_job,
        timeout: float | None = None,
    ) -> None:
        ray = self._ray = require_ray()
        self._owns = not ray.is_initialized()
        if self._owns:
            kwargs = dict(address=address, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
            if address is None and not os.environ.get("RAY_ADDRESS"):
                # A private local instance ("local": never attach to a cluster found on this machine), as
                # many task slots as this process may use, a small object store (results are a few kB;
                # /dev/shm in containers is often tiny).
                kwargs.update(address="local", num_cpus=usable_cores(), object_store_memory=128 * 1024 * 1024)
            ray.init(**kwargs)
        gpus = ray.cluster_resources().get("GPU", 0)
        self.use_gpu = device.startswith("cuda") or (device == "auto" and gpus > 0)
        if device.startswith("cuda") and gpus == 0:
            raise InputError(f"--device {device}: the Ray cluster has no GPUs; use --device cpu or auto")
        # One CPU per task (Ray sets OMP_NUM_THREADS to it); Ray pins CUDA_VISIBLE_DEVICES for num_gpus=1.
        self._remote = ray.remote(_ray_job).options(
            num_cpus=1, num_gpus=1 if self.use_gpu else 0, max_retries=0, retry_exceptions=False, name="hyworld-job"
        )
        self._job_fn = job_fn
        self.slots = jobs or n_jobs  # Ray queues what the cluster cannot run yet
        self._inflight: dict = {}  # ObjectRef -> (spec, start, token)
        self._timeout = timeout
        self._clock = ray.remote(_Clock).options(num_cpus=0).remote() if timeout is not None else None
        self._tokens = 0
        log.info("ray: %s, %d task slot(s), GPU tasks: %s", ray.cluster_resources(), self.slots, self.use_gpu)

    def submit(self, spec: JobSpec) -> None:
        spec = replace(spec, threads=1)
        self._tokens += 1
        token = f"{spec.job.name}#{self._tokens}"
        ref = self._remote.remote(self._job_fn, spec, self._clock, token)
        self._inflight[ref] = (spec, time.perf_counter(), token)

    def _past_timeout(self) -> tuple[list, float | None]:
        """Return the tasks running past --timeout, and the seconds until the next one will (None: no limit)."""
        if self._timeout is None or self._clock is None:
            return [], None
        starts, now = self._ray.get(self._clock.started.remote()), time.time()
        ends = {ref: starts[token] + self._timeout for ref, (_, _, token) in self._inflight.items() if token in starts}
        late = [ref for ref, end in ends.items() if end <= now]
        waiting = len(ends) < len(self._inflight)  # queued tasks: ask again soon
        nxt = min([end - now for end in ends.values() if end > now] + ([POLL_S] if waiting else []), default=None)
        return late, nxt

    def wait(self) -> list[tuple[JobSpec, JobResult]]:
        ray = self._ray
        while self._inflight:
            ready, rest = ray.wait(list(self._inflight), num_returns=1, timeout=0)  # what ended wins over a deadline
            if not ready:
                late, nxt = self._past_timeout()
                if late:
                    return [self._stop(ref) for ref in late]
                ready, rest = ray.wait(list(self._inflight), num_returns=1, timeout=nxt)
            if ready:
                return self._collect(ready, rest)
        return []

    def _stop(self, ref) -> tuple[JobSpec, JobResult]:  # noqa: ANN001 - an ObjectRef
        """Cancel a task past --timeout (force: its worker process is killed) and return its JobTimeout."""
        spec, start, _ = self._inflight.pop(ref)
        try:
            self._ray.cancel(ref, force=True)
        except Exception:  # it may have just ended: the timeout stands, as with local workers
            pass
        return spec, timed_out_result(spec.job.name, float(self._timeout or 0), time.perf_counter() - start)

    def _collect(self, ready: list, rest: list) -> list[tuple[JobSpec, JobResult]]:
        ray = self._ray
        if rest:  # collect everything else that has ended too, without blocking
            more, _ = ray.wait(rest, num_returns=len(rest), timeout=0)
            ready += more
        done = []
        for ref in ready:
            spec, start, _ = self._inflight.pop(ref)
            try:
                result = ray.get(ref)
            except ray.exceptions.RayError as exc:  # the task's worker or node died, or Ray itself gave up
                result = crashed_result(spec.job.name, None, time.perf_counter() - start)
                result.error["type"] = type(exc).__name__
                result.error["message"] = (
                    f"Ray task failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                )
                result.error["exit_code"] = 3 if "OutOfMemory" in type(exc).__name__ else 1
            done.append((spec, result))
        return done

    def close(self) -> None:
        for ref in list(self._inflight):
            try:
                self._ray.cancel(ref, force=True)
            except Exception:  # best effort: the task may have just ended
                pass
        self._inflight.clear()
        if self._owns:
            self._ray.shutdown()


def ray_executor_factory(
    address: str | None, jobs: int | None, device: str, job_fn: JobFn = run_job, timeout: float | None = None
) -> Callable[[int], Executor]:
    """Return a factory of RayExecutors (a job stopped after ``timeout`` seconds of running; None: no limit);
    raise InputError now if Ray is not installed."""
    require_ray()

    def make(n_jobs: int) -> Executor:
        return RayExecutor(address, jobs, device, n_jobs, job_fn, timeout)

    return make
