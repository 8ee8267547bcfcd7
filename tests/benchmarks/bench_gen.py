"""`hyworld gen` on the demo prompt, wall time per stage, on the CPU and (when present) on CUDA.

The baseline is the CPU run of the same request in the same process; on a
machine with CUDA the table adds the CUDA run and the CPU/CUDA ratio per stage.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import torch

from hyworld_cli.inputs import read_prompt
from pipelines.generate import GenRequest, generate
from pipelines.options import BuildOptions, GenOptions
from pipelines.run import STAGES

REPO = Path(__file__).resolve().parents[2]


def run_once(device: str, prompt: Path, opts: BuildOptions) -> dict[str, float]:
    text = read_prompt(prompt).text
    with tempfile.TemporaryDirectory() as tmp:
        req = GenRequest(
            prompt=text, name="bench", out_root=Path(tmp), options=GenOptions(build=opts, device=device), force=True
        )
        outcome = generate(req)
    stages = dict(outcome.manifest["stage_seconds"])
    stages["total"] = round(sum(stages.values()), 3)
    return stages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prompt", type=Path, default=REPO / "samples/prompts/village.txt")
    parser.add_argument("--resolution", type=int, default=BuildOptions.resolution)
    parser.add_argument("--texture-size", type=int, default=BuildOptions.texture_size)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    opts = BuildOptions(resolution=args.resolution, texture_size=args.texture_size)
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    if "cuda" in devices:
        run_once("cuda", args.prompt, BuildOptions(resolution=32, texture_size=128, lods=1))  # warm-up: kernels, caches
    results = {d: run_once(d, args.prompt, opts) for d in devices}
    order = ("plan", *STAGES, "export", "total")
    stages = [s for s in order if s in results["cpu"]]
    header = f"{'stage':<10}" + "".join(f"{d + ' s':>12}" for d in devices)
    if "cuda" in results:
        header += f"{'cpu/cuda':>10}"
    print(
        f"hyworld gen {args.prompt.name} --resolution {args.resolution} --texture-size {args.texture_size}"
        f" (torch {torch.__version__}, {torch.get_num_threads()} CPU threads)"
    )
    print(header)
    for stage in stages:
        row = f"{stage:<10}" + "".join(f"{results[d].get(stage, 0.0):>12.2f}" for d in devices)
        if "cuda" in results and results["cuda"].get(stage):
            row += f"{results['cpu'][stage] / max(results['cuda'][stage], 1e-9):>10.1f}"
        print(row)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
