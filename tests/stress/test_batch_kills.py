"""A batch SIGKILLed at random moments, many times, ends once rerun with every asset complete exactly once.

Each kill lands at a uniformly random moment of a run (start-up, planning, building, writing,
between a manifest and its record, the summary) and hits either the driver alone (its workers
must die with it) or the whole process group. After every kill, any manifest on disk must
describe a whole asset. A cycle reruns until a run ends by itself; then every job has exactly
one ``ok`` record and its bytes are those of an uninterrupted run. Cycles repeat, each in a
fresh folder, until $HYWORLD_STRESS_KILLS kills (default 50) have landed. Kill moments are
uniform over 1.5 times an uninterrupted run, so some runs finish and a cycle ends.
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

from hyworld_cli.batch import read_records, verify_asset
from tests.batch_fakes import ENTRY, REPO, TINY, group_alive, write_prompts

PROMPTS = {"k0": "a rock", "k1": "a pine tree", "k2": "a well", "k3": "a wooden fence"}


def _batch(src: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = [*ENTRY, "batch", str(src), "--out", str(out), "--jobs", "2", "--device", "cpu", *TINY]
    return subprocess.Popen(
        args, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def _wait_group_dead(pgid: int) -> None:
    deadline = time.monotonic() + 60
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_alive(pgid), "processes of the killed batch outlived it"


def _assert_no_false_manifest(out: Path) -> None:
    """Any manifest on disk describes a whole asset: every file it lists is there with its sha256."""
    for manifest in out.glob("*/manifest.json"):
        assert verify_asset(manifest.parent, None, out) is None, manifest


def test_batch_survives_random_sigkills(tmp_path):
    kills_wanted = int(os.environ.get("HYWORLD_STRESS_KILLS", "50"))
    rng = random.Random(int(os.environ.get("HYWORLD_STRESS_SEED", "14")))
    src = write_prompts(tmp_path / "prompts", PROMPTS)
    names = sorted(PROMPTS)

    ref = tmp_path / "ref"
    t0 = time.monotonic()
    proc = _batch(src, ref)
    _, err = proc.communicate(timeout=900)
    span = time.monotonic() - t0  # an uninterrupted run's wall time: kills land anywhere in it
    assert proc.returncode == 0, err

    kills: Counter[str] = Counter()
    progress: Counter[int] = Counter()  # how many jobs were recorded when a kill landed
    cycles = adopted = 0
    while sum(kills.values()) < kills_wanted:
        out = tmp_path / f"out{cycles}"
        while True:
            proc = _batch(src, out)
            try:
                _, err = proc.communicate(timeout=rng.uniform(0.0, 1.5 * span))
            except subprocess.TimeoutExpired:
                how = rng.choice(["driver", "group"])
                if how == "driver":
                    proc.send_signal(signal.SIGKILL)
                else:
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                _wait_group_dead(proc.pid)
                kills[how] += 1
                progress[len(read_records(out)) if out.exists() else 0] += 1
                if out.exists():
                    _assert_no_false_manifest(out)
                continue
            assert proc.returncode == 0, err
            break
        recs = read_records(out)
        assert sorted(recs) == names
        for name in names:
            statuses = [r["status"] for r in recs[name]]
            assert statuses.count("ok") == 1, (out, name, statuses)
            assert verify_asset(out / name, None, out) is None
            assert (out / name / f"{name}.glb").read_bytes() == (ref / name / f"{name}.glb").read_bytes()
        assert not list(out.rglob("*.part"))
        assert sorted(p.name for p in out.iterdir()) == sorted(names + ["batch.jsonl"])
        adopted += sum(1 for rs in recs.values() for r in rs if r.get("note") == "found complete, not recorded")
        cycles += 1

    report = {
        "kills": sum(kills.values()),
        "by_target": dict(kills),
        "jobs_recorded_at_kill": dict(sorted(progress.items())),
        "cycles": cycles,
        "adopted_after_kill": adopted,  # kills that landed between a manifest and its record
        "uninterrupted_run_s": round(span, 1),
    }
    print("batch kill stress:", json.dumps(report))
    if os.environ.get("HYWORLD_STRESS_REPORT"):
        with open(os.environ["HYWORLD_STRESS_REPORT"], "a") as fh:
            fh.write(json.dumps({"test": "batch", **report}) + "\n")
