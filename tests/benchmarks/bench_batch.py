"""Batch throughput (assets per minute) with 1 and 2 local workers on the same prompts, in one run.

    python -m tests.benchmarks.bench_batch [--prompts 8] [--resolution 32] [--texture-size 64] [--lods 1] [--jobs 1,2]

Each worker count gets a fresh output folder; the wall time includes starting the
workers (spawn + torch import), as a real batch pays it. Prints a table with each
count's speed-up over the first, the machine's cores and its load (a busy machine
shrinks the ratio).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

PROMPTS = [
    "a small village with three houses and a well",
    "a pine forest on a hill",
    "a stone bridge over a river",
    "a lighthouse on a rocky coast",
    "two wooden huts and a fence",
    "a ruined castle tower",
    "a desert with cacti and rocks",
    "a windmill next to a barn",
    "a campfire surrounded by logs",
    "an oak tree next to a pond",
    "a market square with stalls",
    "a snowy mountain cabin",
    "a farm with a silo",
    "a graveyard with tombstones",
    "a harbour with a pier and boats",
    "a temple with columns",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_batch", description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=8, help="how many prompts (cycled from a fixed list)")
    parser.add_argument("--resolution", type=int, default=32)
    parser.add_argument("--texture-size", type=int, default=64)
    parser.add_argument("--lods", type=int, default=1)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--jobs", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON on stdout")
    args = parser.parse_args(argv)

    from hyworld_cli.batch import BatchConfig, local_executor_factory, plan_workers, run_batch, usable_cores
    from pipelines.options import GenOptions, with_flat

    counts = [int(x) for x in args.jobs.split(",")]
    base = with_flat(
        GenOptions(), resolution=args.resolution, texture_size=args.texture_size, lods=args.lods, device=args.device
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="hyworld-bench-batch-") as tmp:
        prompts = Path(tmp) / "prompts.txt"
        prompts.write_text(
            "\n".join(
                PROMPTS[i % len(PROMPTS)] + ("" if i < len(PROMPTS) else f", variant {i}") for i in range(args.prompts)
            )
            + "\n"
        )
        for n in counts:
            load = os.getloadavg()[0]
            summary = run_batch(
                BatchConfig(input=prompts, out_root=Path(tmp) / f"out-j{n}", base=base),
                local_executor_factory(n, args.device),
            )
            if summary.failed:
                errors = {j.name: j.error for j in summary.jobs if j.error}
                print(f"jobs={n}: {summary.failed} jobs failed: {errors}", file=sys.stderr)
                return 1
            rows.append(
                {
                    "jobs": n,
                    "threads_per_worker": plan_workers(n, args.device).threads,
                    "assets": summary.ok,
                    "seconds": round(summary.seconds, 2),
                    "assets_per_minute": round(summary.assets_per_minute, 2),
                    "load_before": round(load, 2),
                }
            )
            rows[-1]["glb_sha256"] = {
                o["path"]: o["sha256"] for j in summary.jobs for o in j.outputs if o["path"].endswith(".glb")
            }
    first = rows[0]["assets_per_minute"]
    same_bytes = all(r["glb_sha256"] == rows[0]["glb_sha256"] for r in rows)
    for row in rows:
        row["ratio"] = round(row["assets_per_minute"] / first, 2) if first else None
    if args.json:
        print(
            json.dumps(
                {"cores": usable_cores(), "settings": vars(args), "same_bytes": same_bytes, "rows": rows}, indent=2
            )
        )
        return 0
    print(
        f"batch throughput: {args.prompts} prompts, resolution {args.resolution}, texture {args.texture_size}, "
        f"lods {args.lods}, device {args.device}, {usable_cores()} cores"
    )
    print(f"{'jobs':>4} {'threads':>7} {'assets':>6} {'wall s':>8} {'assets/min':>10} {'ratio':>6} {'load':>5}")
    for r in rows:
        print(
            f"{r['jobs']:>4} {r['threads_per_worker']:>7} {r['assets']:>6} {r['seconds']:>8.1f} "
            f"{r['assets_per_minute']:>10.2f} {r['ratio']:>6.2f} {r['load_before']:>5.1f}"
        )
    print(f"GLB bytes identical across worker counts: {'yes' if same_bytes else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
