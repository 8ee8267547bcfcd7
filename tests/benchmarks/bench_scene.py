"""The scene evaluation suite (issue 16 §8): every prompt built with the CLI and scored from its files.

Prints the score per prompt, then the mean score per category with one column per
split (dev, heldout, all), framed by the commit, the date and the load average the
run was measured under; the figures kept in RESULTS.md come from this run. Options
are those of `python -m tests.scene_eval` (e.g. `--split dev`, `--jobs 1`, `--json FILE`).
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time

from tests.scene_eval.__main__ import main as eval_main
from tests.scene_eval.runner import REPO


def _commit() -> str:
    """Return the checkout's short commit (with "+changes" when the tree differs from it), or "unknown"."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"commit {_commit()}, {today}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start",
        flush=True,
    )
    start = time.perf_counter()
    code = eval_main(["--split", "all", "--jobs", "2", *(argv or [])])
    print(
        f"{(time.perf_counter() - start) / 60:.0f} min wall, load average {os.getloadavg()[0]:.1f} at the end "
        f"(1-minute; other jobs on the machine count)",
        flush=True,
    )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
