"""`hyworld gen` on the demo prompt: wall time and peak memory per stage, against a baseline commit in the same run.

Each generation runs in its own process (`python -m hyworld_cli gen ... --json`),
this tree's and the baseline commit's (issue 13: 3fd9175, unpacked with
``git archive`` into a scratch folder and put first on PYTHONPATH), interleaved
(baseline, new, other commits, baseline, ...), each with the CLI's default options and workers.
The load average is read before and after each run: on a shared machine it is
what the absolute figures mean, while the ratio of two runs made side by side
is the result. The table also shows the last figures stored in
``tests/benchmarks/RESULTS.md`` (the ``<!-- bench_gen: {...} -->`` line), with the
machine and load they were measured under. With CUDA present this tree also
runs with ``--device cuda``.

Stages: the baseline's ``cleanup`` also decimated and set normals, and its
``unwrap`` also made lightmap UVs and tangents, so those rows add up this
tree's finer stages the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "tests/benchmarks/RESULTS.md"
BASELINE = "3fd9175"
# Rows of the table: name -> the stages (of either tree) it adds up.
ROWS = {
    "plan": ("plan",),
    "fields": ("fields",),
    "extract": ("extract",),
    "cleanup": ("cleanup", "decimate", "normals"),
    "unwrap": ("unwrap", "lightmap", "tangents"),
    "bake": ("bake",),
    "lod": ("lod",),
    "collision": ("collision",),
    "nav": ("nav",),
    "export": ("export",),
}
_CHILD = """
import json, os, resource, runpy, sys
sys.argv = ["hyworld"] + sys.argv[1:]
try:
    runpy.run_module("hyworld_cli", run_name="__main__")
finally:
    kib = lambda who: resource.getrusage(who).ru_maxrss / 1024.0
    with open(os.environ["BENCH_RUSAGE"], "w") as f:
        json.dump({"self_mb": kib(resource.RUSAGE_SELF), "child_mb": kib(resource.RUSAGE_CHILDREN)}, f)
"""


def baseline_tree(commit: str) -> Path:
    """Return a folder holding ``commit``'s files (made once with ``git archive``)."""
    path = Path(tempfile.gettempdir()) / f"hyworld-base-{commit}"
    if not (path / "pipelines").is_dir():
        path.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(path)], input=archive.stdout, check=True)
    return path


def run_once(tree: Path, prompt: Path, device: str, extra: list[str]) -> dict:
    """Run `hyworld gen` from ``tree`` in a fresh process; return its stages, wall time, memory and load."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTHONPATH=str(tree), BENCH_RUSAGE=str(Path(tmp) / "rusage.json"))
        cmd = [sys.executable, "-c", _CHILD, "gen", str(prompt), "--out", tmp, "--force", "--json", "--device", device]
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        done = subprocess.run([*cmd, *extra], cwd=tree, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{tree}: gen failed ({done.returncode}): {done.stderr[-2000:]}")
        manifest = json.loads(done.stdout)
        rusage = json.loads((Path(tmp) / "rusage.json").read_text())
    stages = {k: float(v) for k, v in manifest["stage_seconds"].items()}
    memory = manifest.get("stage_memory_mb", {})
    peak = max((m["process"] + m["workers"] for m in memory.values()), default=rusage["self_mb"])
    return {
        "stages": stages,
        "rows": {row: round(sum(stages.get(s, 0.0) for s in parts), 2) for row, parts in ROWS.items()},
        "wall": round(wall, 2),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "peak_mb": round(peak, 1),  # this tree: process + its workers, the largest stage; baseline: its process
        "self_mb": round(rusage["self_mb"], 1),
        "largest_child_mb": round(rusage["child_mb"], 1),
        "triangles_lod0": manifest["totals"]["triangles_per_lod"][0],
        "textures": sorted((t["width"], t["height"]) for t in manifest["textures"]),
    }


def stored_figures(path: Path = RESULTS) -> dict | None:
    """Return the last ``<!-- bench_gen: {...} -->`` figures stored in RESULTS.md, or None."""
    if not path.exists():
        return None
    found = re.findall(r"<!-- bench_gen: (\{.*?\}) -->", path.read_text(encoding="utf-8"))
    return json.loads(found[-1]) if found else None


def _median(values: list[float]) -> float:
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else 0.5 * (values[mid - 1] + values[mid])


def summarize(runs: list[dict]) -> dict:
    """Return the median of each row, the wall time and the peak over ``runs``, and the loads seen."""
    return {
        "rows": {row: round(_median([r["rows"][row] for r in runs]), 2) for row in ROWS},
        "wall": round(_median([r["wall"] for r in runs]), 2),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "load": [x for r in runs for x in r["load"]],
        "triangles_lod0": runs[0]["triangles_lod0"],
        "textures": runs[0]["textures"],
    }


def print_table(columns: dict[str, dict], stored: dict | None) -> None:
    names = list(columns)
    header = f"{'stage':<10}" + "".join(f"{n:>14}" for n in names)
    ratio = "new" in columns and "baseline" in columns
    header += f"{'base/new':>10}" if ratio else ""
    header += f"{'RESULTS.md':>12}" if stored else ""
    print(header)
    for row in [*ROWS, "wall"]:
        values = [columns[n]["wall"] if row == "wall" else columns[n]["rows"][row] for n in names]
        line = f"{row:<10}" + "".join(f"{v:>14.2f}" for v in values)
        if ratio:
            new, base = (columns["new"]["wall"], columns["baseline"]["wall"]) if row == "wall" else (
                columns["new"]["rows"][row], columns["baseline"]["rows"][row])  # fmt: skip
            line += f"{base / new:>10.2f}" if new > 0.005 else f"{'':>10}"
        if stored:
            value = stored.get("wall") if row == "wall" else stored.get("rows", {}).get(row)
            line += f"{value:>12.2f}" if isinstance(value, (int, float)) else f"{'':>12}"
        print(line)
    print(f"{'peak MB':<10}" + "".join(f"{columns[n]['peak_mb']:>14.0f}" for n in names))
    for n in names:
        load = columns[n]["load"]
        print(f"{n}: load average {min(load):.1f}-{max(load):.1f} during its runs; "
              f"{columns[n]['triangles_lod0']} LOD0 triangles, {len(columns[n]['textures'])} textures")  # fmt: skip
    if stored:
        print(
            f"RESULTS.md: {stored.get('commit', '?')} on {stored.get('machine', '?')}, load {stored.get('load', '?')}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prompt", type=Path, default=REPO / "samples/prompts/village.txt")
    parser.add_argument(
        "--baseline", default=BASELINE, help="commits to compare with, comma-separated; the first gives the ratio"
    )
    parser.add_argument("--rounds", type=int, default=1, help="interleaved pairs of runs (medians are shown)")
    parser.add_argument("--json", type=Path, help="also write every run's figures here")
    parser.add_argument("gen_args", nargs="*", help="extra `hyworld gen` options for both trees (after --)")
    args = parser.parse_args(argv)
    commits = [c for c in args.baseline.split(",") if c and c != "none"]
    try:
        found = {commit: baseline_tree(commit) for commit in commits}
    except subprocess.CalledProcessError as exc:  # a shallow clone lacks the commit
        print(f"no baseline: git archive failed ({exc.stderr.decode(errors='replace').strip()})")
        found, commits = {}, []
    trees = {"baseline": found[commits[0]]} if commits else {}
    trees["new"] = REPO  # between the baseline and the other commits: the load drifts less between the two
    trees.update({commit: found[commit] for commit in commits[1:]})
    machine = f"{platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}"
    print(f"hyworld gen {args.prompt.name} {' '.join(args.gen_args)} on {machine}", flush=True)
    print(f"baseline = {args.baseline.split(',')[0]}", flush=True)
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(max(1, args.rounds)):
        for name, tree in trees.items():
            runs[name].append(run_once(tree, args.prompt.resolve(), "cpu", args.gen_args))
            print(f"  {name}: {runs[name][-1]['wall']:.1f} s, load {runs[name][-1]['load']}", flush=True)
    if torch.cuda.is_available():
        runs["new-cuda"] = [run_once(REPO, args.prompt.resolve(), "cuda", args.gen_args)]
    columns = {name: summarize(r) for name, r in runs.items()}
    print_table(columns, stored_figures())
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "runs": runs, "summary": columns}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
