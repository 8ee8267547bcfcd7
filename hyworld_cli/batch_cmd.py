"""The `batch` command: many prompts, local worker processes or Ray, resumable, shardable."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn
from rich.text import Text

from exporters.errors import BatchError, InputError
from hyworld_cli import options as opt
from hyworld_cli.batch import (
    MAX_JOBS,
    BatchConfig,
    BatchSummary,
    check_settings,
    local_executor_factory,
    parse_shard,
    run_batch,
)
from hyworld_cli.report import print_json, render_table, run_guarded, stderr
from pipelines.options import GenOptions

MAX_TIMEOUT_S = 7 * 24 * 3600


class ThroughputColumn(ProgressColumn):
    """Assets finished per minute of wall time."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        ok = task.fields.get("ok", 0)
        if elapsed <= 0 or not task.completed:
            return Text("-- assets/min", style="progress.data.speed")
        return Text(f"{ok * 60.0 / elapsed:.1f} assets/min", style="progress.data.speed")


class EtaColumn(ProgressColumn):
    """Time left at the average pace so far (wall time per finished job, workers included)."""

    def render(self, task: Task) -> Text:
        if not task.completed or task.elapsed is None or task.total is None:
            return Text("ETA --:--", style="progress.remaining")
        left = max(0.0, (task.total - task.completed) * task.elapsed / task.completed)
        minutes, seconds = divmod(int(left + 0.5), 60)
        hours, minutes = divmod(minutes, 60)
        return Text(
            f"ETA {hours}:{minutes:02d}:{seconds:02d}" if hours else f"ETA {minutes:02d}:{seconds:02d}",
            style="progress.remaining",
        )


class BatchBar:
    """One rich bar on stderr for the jobs this run executes, with throughput and ETA."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._bar = Progress(
            TextColumn("[bold]batch[/]"),
            BarColumn(bar_width=20),
            MofNCompleteColumn(),
            TextColumn(
                "[green]{task.fields[ok]} ok[/] [red]{task.fields[failed]} failed[/] {task.fields[skipped]} skipped"
            ),
            ThroughputColumn(),
            TimeElapsedColumn(),
            EtaColumn(),
            console=console,
            transient=False,
        )
        self._task = None

    def begin(self, to_run: int, skipped: int, failed: int) -> None:
        self._bar.start()
        self._task = self._bar.add_task("batch", total=to_run, ok=0, failed=failed, skipped=skipped)

    def job_done(self, name: str, status: str) -> None:
        fields = self._bar.tasks[0].fields
        key = "ok" if status == "ok" else "failed"
        self._bar.update(self._task, advance=1, **{key: fields[key] + 1})

    def end(self) -> None:
        self._bar.stop()


def render_summary(summary: BatchSummary, console: Console) -> None:
    """Print the counts, wall time and throughput, then each failed job's error."""
    minutes, seconds = divmod(summary.seconds, 60)
    console.print(
        render_table(
            "batch summary",
            ["ok", "failed", "skipped", "total", "time", "assets/min"],
            [
                [
                    summary.ok,
                    summary.failed,
                    summary.skipped,
                    summary.total,
                    f"{int(minutes)}m{seconds:04.1f}s",
                    f"{summary.assets_per_minute:.2f}",
                ]
            ],
        )
    )
    failed = [j for j in summary.jobs if j.status == "failed"]
    if failed:
        console.print(
            render_table(
                "failed jobs",
                ["name", "source", "attempts", "error"],
                [
                    [j.name, j.source, j.attempts, f"{(j.error or {}).get('type')}: {(j.error or {}).get('message')}"]
                    for j in failed[:50]
                ],
            )
        )
        if len(failed) > 50:
            console.print(f"... and {len(failed) - 50} more; every error is in {summary.records}")
    console.print(f"records: {summary.records}", highlight=False)


@opt.with_gen_options
def batch(
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="A folder of prompt files (*.txt), a text file with one prompt per line (# comments), "
            "or a .jsonl file of jobs {prompt, name, seed, target, options}.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output root: OUT/<name>/ per job, records in OUT/batch.jsonl.")
    ] = Path("out"),
    options: GenOptions = GenOptions(),  # one Typer option per field, as `gen` has (hyworld_cli/options.py)
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Overwrite assets in OUT that this batch did not make; finished jobs are still skipped."
        ),
    ] = False,
    redo: Annotated[
        bool, typer.Option("--redo", help="Regenerate jobs that are already done (implies --force).")
    ] = False,
    jobs: Annotated[
        Optional[int],
        typer.Option(
            "--jobs",
            "-j",
            help="Parallel jobs (default: one per GPU with CUDA, else max(1, cores // 2); with Ray, all).",
        ),
    ] = None,
    retries: Annotated[
        int, typer.Option(help="Retry a failed job up to N times (bad-input errors are never retried).")
    ] = 0,
    shard: Annotated[
        Optional[str],
        typer.Option(help="Run only shard i/N of the jobs (1-based, by job name hash): for farm array jobs."),
    ] = None,
    timeout: Annotated[
        Optional[float],
        typer.Option(
            help="Stop a job that runs longer than SECONDS and record it as failed (JobTimeout); the others go on."
        ),
    ] = None,
    executor: Annotated[str, typer.Option(help="local (worker processes) or ray (tasks on a Ray cluster).")] = "local",
    address: Annotated[
        Optional[str], typer.Option(help="Ray cluster address (default: $RAY_ADDRESS, else a local Ray instance).")
    ] = None,
    json_out: opt.Json = False,
    debug: opt.Debug = False,
) -> None:
    """Generate an asset for every prompt in INPUT; resumable (rerun to finish), exit 4 if some jobs failed."""

    def run() -> None:
        if jobs is not None and not 1 <= jobs <= MAX_JOBS:
            raise InputError(f"--jobs {jobs} is out of range: use 1..{MAX_JOBS}")
        if executor not in ("local", "ray"):
            raise InputError(f"--executor {executor!r}: use local or ray")
        if address and executor != "ray":
            raise InputError("--address is for --executor ray")
        if timeout is not None and not 0 < timeout <= MAX_TIMEOUT_S:
            raise InputError(
                f"--timeout {timeout:g} is out of range: use more than 0 and at most {MAX_TIMEOUT_S} seconds"
            )
        config = BatchConfig(
            input=input_path,
            out_root=out,
            base=options,
            force=force,
            retries=retries,
            shard=parse_shard(shard) if shard else None,
            redo=redo,
        )
        if executor == "ray":
            from hyworld_cli.batch.ray import ray_executor_factory

            # The driver may have no GPU while the cluster does: check the device's spelling only.
            factory, check = (
                ray_executor_factory(address, jobs, options.device, timeout=timeout),
                partial(check_settings, check_device=False),
            )
        else:
            factory, check = local_executor_factory(jobs, options.device, timeout=timeout), check_settings
        summary = run_batch(config, factory, BatchBar(stderr), check=check)
        if json_out:
            print_json(summary.to_dict())
        render_summary(summary, stderr)
        if summary.failed:
            raise BatchError(
                f"{summary.failed} of {summary.total} jobs failed (errors in {summary.records}); "
                "rerun the same command to retry them, finished jobs are skipped"
            )

    run_guarded(debug, run)
