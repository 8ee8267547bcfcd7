"""Batch generation: jobs from a folder / list / JSONL, hashing, sharding, records, scheduling, workers.

A batch is a list of `Job`s (one asset each, ``jobs``). The driver (`run_batch`,
``driver``) decides per job whether it is already done (a record with the same
content hash whose files still match their sha256, ``records``), hands the rest to
an `Executor` (local worker processes in ``workers``, Ray in ``ray``), and appends
one line per attempt to ``OUT/batch.jsonl`` with flush + fsync. Outputs go to
``OUT/<name>/`` through `pipelines.generate`, which writes into a staging folder
swapped in whole, so a run killed at any moment leaves the folder as it was or a whole
asset: the next run adopts one whose manifest names this very job (or redoes it when
its files do not match) and removes what the killed run left.
"""

from hyworld_cli.batch.driver import (
    MAX_JOBS,
    MAX_RETRIES,
    BatchConfig,
    BatchSummary,
    JobSummary,
    NullReporter,
    Reporter,
    check_settings,
    run_batch,
)
from hyworld_cli.batch.jobs import Job, apply_overrides, load_jobs, unique_names
from hyworld_cli.batch.records import (
    RECORDS_NAME,
    RecordLog,
    job_hash,
    job_identity,
    manifest_hash,
    parse_shard,
    read_manifest,
    read_records,
    records_path,
    select_shard,
    shard_index,
    verify_asset,
)
from hyworld_cli.batch.workers import (
    Executor,
    JobResult,
    JobSpec,
    LocalExecutor,
    WorkerPlan,
    failed_result,
    local_executor_factory,
    plan_workers,
    run_job,
    usable_cores,
)

__all__ = [
    "MAX_JOBS", "MAX_RETRIES", "RECORDS_NAME", "BatchConfig", "BatchSummary", "Executor", "Job", "JobResult",
    "JobSpec", "JobSummary", "LocalExecutor", "NullReporter", "RecordLog", "Reporter", "WorkerPlan",
    "apply_overrides", "check_settings", "failed_result", "job_hash", "job_identity", "load_jobs",
    "local_executor_factory", "manifest_hash", "parse_shard", "plan_workers", "read_manifest", "read_records",
    "records_path", "run_batch", "run_job", "select_shard", "shard_index", "unique_names", "usable_cores",
    "verify_asset",
]  # fmt: skip
