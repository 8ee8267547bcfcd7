"""`gen --force` SIGKILLed at random moments, many times: the folder always holds one whole asset.

Every run asks for another seed than the asset on disk, so a run that got far enough
would change every file. After each kill the asset folder must still hold a manifest
whose every file matches its sha256 (the earlier asset, or the new one if the swap
happened), and no ``.part`` file; and no process of the killed run (its workers, their
forkserver) may outlive it. $HYWORLD_STRESS_KILLS kills (default 50).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

from hyworld_cli.batch import verify_asset
from tests.batch_fakes import ENTRY, REPO

TINY = ["--resolution", "24", "--texture-size", "64", "--lods", "1", "--device", "cpu"]


def _gen(prompt: Path, out: Path, seed: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = [*ENTRY, "gen", str(prompt), "--out", str(out), "--force", "--seed", str(seed), *TINY]
    return subprocess.Popen(
        args, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def _live_members(pgid: int) -> list[int]:
    """The processes of group ``pgid`` that have not exited (zombies waiting for init to reap them have)."""
    live = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _ppid, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except OSError:
            continue
        if int(pgrp) == pgid and state != "Z":
            live.append(int(stat.parent.name))
    return live


def _group_ends(pgid: int, within_s: float = 60.0) -> bool:
    """Wait until no process of the group ``pgid`` is left; kill what is left after ``within_s`` and say so."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if not _live_members(pgid):
            return True
        time.sleep(0.2)
    for pid in _live_members(pgid):
        os.kill(pid, signal.SIGKILL)
    return False


def test_gen_force_survives_random_sigkills(tmp_path):
    kills_wanted = int(os.environ.get("HYWORLD_STRESS_KILLS", "50"))
    rng = random.Random(int(os.environ.get("HYWORLD_STRESS_SEED", "14")))
    prompt = tmp_path / "p.txt"
    prompt.write_text("a rock beside a pine tree and a wooden fence\n")
    out = tmp_path / "o"
    t0 = time.monotonic()
    proc = _gen(prompt, out, 0)
    _, err = proc.communicate(timeout=900)
    span = time.monotonic() - t0
    assert proc.returncode == 0, err

    seed, kills, landed, finished = 0, 0, Counter(), 0
    while kills < kills_wanted:
        new_seed = seed + 1 + rng.randrange(3)
        started = time.time()
        proc = _gen(prompt, out, new_seed)
        try:
            _, err = proc.communicate(timeout=rng.uniform(0.0, 1.2 * span))
            assert proc.returncode == 0, err
            seed, finished = new_seed, finished + 1
        except subprocess.TimeoutExpired:
            ours = [d for d in out.glob(".p.*.staging") if d.stat().st_mtime >= started]
            landed["generating" if ours else "starting up"] += 1
            proc.kill()
            proc.wait()
            assert _group_ends(proc.pid), f"processes of the run killed at kill {kills + 1} outlived it"
            proc.communicate()
            kills += 1
        assert verify_asset(out / "p", None, out) is None  # one whole asset, whatever the moment
        on_disk = json.loads((out / "p" / "manifest.json").read_text())["seed"]
        assert on_disk in (seed, new_seed)
        seed = on_disk
        assert not list((out / "p").glob(".*.part"))

    proc = _gen(prompt, out, seed + 1)
    _, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["p"]  # what the killed runs left is gone
    report = {"kills": kills, "landed": dict(landed), "runs_finished": finished, "uninterrupted_run_s": round(span, 1)}
    print("gen kill stress:", json.dumps(report))
    if os.environ.get("HYWORLD_STRESS_REPORT"):
        with open(os.environ["HYWORLD_STRESS_REPORT"], "a") as fh:
            fh.write(json.dumps({"test": "gen", **report}) + "\n")
