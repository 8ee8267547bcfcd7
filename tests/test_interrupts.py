"""Kills and Ctrl-C during `gen`: the earlier asset stays whole or the new one is whole; never a mix, never litter.

Each test stops the process at a chosen point (it waits for a file to appear, it does not
sleep and hope): generate writes into a ``.<name>.*.staging`` folder and swaps it in whole,
so there is a moment when new files exist and the old asset is still in place.
`make stress` kills gen at random moments many times.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hyworld_cli.batch import verify_asset

REPO = Path(__file__).resolve().parents[1]
TINY = ["--resolution", "24", "--texture-size", "64", "--lods", "0", "--device", "cpu"]


def hyworld(*args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "hyworld_cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=600,
    )


def stalled_gen(prompt: Path, out: Path, at: str, ready: Path, *args: str) -> subprocess.Popen:
    """Start `hyworld gen` that stalls at ``at`` ("manifest": about to write the new manifest into its
    staging folder; "commit": every new file written, about to swap the folder in) after touching ``ready``."""
    patch = {"manifest": "pipelines.generate.write_manifest", "commit": "exporters.files.StagedDir.commit"}[at]
    # Ctrl-C as a terminal delivers it: a shell starts background jobs (as a test run may be) with SIGINT
    # ignored, and an ignored signal stays ignored across exec; Python then rightly keeps ignoring it.
    code = f"""
import pathlib, signal, time
signal.signal(signal.SIGINT, signal.default_int_handler)
import exporters.files, pipelines.generate
def stall(*args, **kwargs):
    pathlib.Path({str(ready)!r}).touch()
    time.sleep(3600)
{patch} = stall
from hyworld_cli.cli import main
main(["gen", {str(prompt)!r}, "--out", {str(out)!r}, *{list(args)!r}])
"""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 600
    while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # waiting for a file to appear
    assert ready.exists(), proc.communicate()
    return proc


@pytest.fixture
def prompt(tmp_path: Path) -> Path:
    p = tmp_path / "p.txt"
    p.write_text("a rock beside a pine tree\n")
    return p


@pytest.mark.slow
@pytest.mark.parametrize("at", ["manifest", "commit"])
def test_gen_force_killed_before_the_swap_leaves_the_earlier_asset_whole(tmp_path, prompt, at):
    out = tmp_path / "o"
    assert hyworld("gen", prompt, "--out", out, *TINY).returncode == 0
    before = {p.name: p.read_bytes() for p in (out / "p").iterdir()}
    (out / "p" / "p.glb.meta").write_text("an engine's own file beside the asset\n")
    (out / "p" / ".p.glb.x1y2.part").write_bytes(b"half of a file a killed run left")

    proc = stalled_gen(prompt, out, at, tmp_path / "ready", "--force", "--seed", "5", *TINY)
    proc.kill()
    proc.communicate()
    assert {p.name: p.read_bytes() for p in (out / "p").iterdir() if p.name in before} == before
    assert verify_asset(out / "p", None, out) is None
    assert json.loads((out / "p" / "manifest.json").read_text())["seed"] == 0
    assert [p.name for p in out.glob(".p.*.staging")]  # the killed run's work, not yet in place

    r = hyworld("gen", prompt, "--out", out, "--force", "--seed", "5", *TINY)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["p"]  # the stale staging folder is gone
    assert verify_asset(out / "p", None, out) is None
    assert json.loads((out / "p" / "manifest.json").read_text())["seed"] == 5
    assert (out / "p" / "p.glb.meta").is_file()  # what the asset does not own is kept
    assert not list(out.rglob("*.part"))


@pytest.mark.slow
def test_gen_refusing_an_existing_asset_still_removes_stale_part_files(tmp_path, prompt):
    folder = tmp_path / "o" / "p"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text('{"files": []}')
    (folder / ".p.glb.abc.part").write_bytes(b"half")
    stale = tmp_path / "o" / ".p.k3j4.staging"
    stale.mkdir()
    (stale / "p.glb").write_bytes(b"glTF")
    r = hyworld("gen", prompt, "--out", tmp_path / "o", *TINY)
    assert r.returncode == 2 and "--force" in r.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json"] and not stale.exists()


@pytest.mark.slow
def test_ctrl_c_during_gen_exits_130_with_one_line_and_leaves_nothing(tmp_path, prompt):
    out = tmp_path / "fresh" / "o"  # neither folder exists yet
    proc = stalled_gen(prompt, out, "manifest", tmp_path / "ready", *TINY)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert [line for line in stderr.splitlines() if line.strip()] == ["interrupted"]
    assert "Traceback" not in stderr
    assert not out.exists()  # no asset folder, no staging folder, no empty --out


def test_ctrl_c_while_python_is_still_loading_is_one_line_and_exit_130(tmp_path):
    # A Ctrl-C that lands while the command line is being imported (the first second or so).
    code = """
import builtins, sys
real_import = builtins.__import__
def interrupted_import(name, *args, **kwargs):
    if name == "typer":
        raise KeyboardInterrupt
    return real_import(name, *args, **kwargs)
builtins.__import__ = interrupted_import
from hyworld_cli.cli import main
main(["presets"])
"""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert r.returncode == 130
    assert r.stderr == "interrupted\n"
