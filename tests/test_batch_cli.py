"""`hyworld batch` on the command line: usage errors exit 2, progress and the summary table, the command is registered."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from exporters.errors import InputError
from tests.batch_fakes import REPO, write_prompts

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


def test_batch_command_is_registered():
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "160"}
    r = subprocess.run(
        [sys.executable, "-m", "hyworld_cli", "batch", "--help"], capture_output=True, text=True, env=env, cwd=REPO
    )
    assert r.returncode == 0, r.stderr
    assert "--shard" in r.stdout and "--executor" in r.stdout
