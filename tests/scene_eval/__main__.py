"""`python -m tests.scene_eval [--split dev|heldout|all] [--jobs 2] [--keep DIR]`: build, score, report."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.scene_eval.checklist import load_prompts
from tests.scene_eval.runner import FAST, build_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.scene_eval", description=__doc__)
    parser.add_argument("--split", default="all", choices=("dev", "heldout", "all"))
    parser.add_argument("--jobs", type=int, default=2, help="CLI builds at a time")
    parser.add_argument("--keep", type=Path, help="write the built scenes here (default: a temporary folder)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="score scenes already in --keep that were built from the same prompt and resolution",
    )
    parser.add_argument("--only", nargs="*", help="prompt names (file stems) to run")
    parser.add_argument("--build-only", action="store_true", help="build into --keep and score nothing")
    parser.add_argument("--json", type=Path, help="write the full report here")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every failed check")
    parser.add_argument("--resolution", type=int, default=int(FAST[1]))
    args = parser.parse_args(argv)
    prompts = load_prompts(args.split, args.only)
    if not prompts:
        parser.error("no prompt matches")
    options = ("--resolution", str(args.resolution), *FAST[2:])
    with tempfile.TemporaryDirectory(prefix="scene_eval_") as tmp:
        out_root = args.keep or Path(tmp)

        def done(b):
            state = "ok" if b.folder else f"FAILED {b.error}"
            print(f"built {b.prompt.split}/{b.prompt.name} in {b.seconds:.0f} s: {state}", file=sys.stderr, flush=True)

        builds = build_all(prompts, out_root, args.jobs, options, args.reuse, done)
        if args.build_only:
            return 0 if all(b.folder for b in builds) else 1
        from tests.scene_eval.report import print_report, score_builds, write_json

        results = score_builds(builds)
        print_report(results, verbose=args.verbose)
        if args.json:
            write_json(results, args.json, options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
