"""`make bench`: run every benchmark in turn; each prints its table with its baseline."""

from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS = (
    "bench_extract",
    "bench_sparse",
    "bench_unwrap",
    "bench_gen",
    "bench_batch",
    "bench_scene",
    "bench_world",
    "bench_convert",
)


def main(argv: list[str]) -> int:
    chosen = argv or list(BENCHMARKS)
    failed = []
    for name in chosen:
        print(f"\n=== {name} ===", flush=True)
        start = time.perf_counter()
        module = importlib.import_module(f"tests.benchmarks.{name}")
        try:
            module.main([])
        except SystemExit as exc:  # a benchmark's own argparse exit
            if exc.code not in (None, 0):
                failed.append(name)
        except Exception as exc:  # report and go on with the others
            print(f"{name} failed: {type(exc).__name__}: {exc}", flush=True)
            failed.append(name)
        print(f"({name}: {time.perf_counter() - start:.1f} s)", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
