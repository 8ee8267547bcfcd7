"""The scene evaluation suite (issue 16 §8): every prompt built with the CLI and scored from its files.

Prints the score per prompt, then per category with one column per split (dev,
heldout, all); the figures kept in RESULTS.md come from this run. Options are
those of `python -m tests.scene_eval` (e.g. `--split dev`, `--jobs 1`, `--json FILE`).
"""

from __future__ import annotations

import sys

from tests.scene_eval.__main__ import main as eval_main


def main(argv: list[str] | None = None) -> int:
    return eval_main(["--split", "all", "--jobs", "2", *(argv or [])])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
