"""`hyworld convert` benchmark (issue 11): a 1M-triangle textured GLB and 1M Gaussian splats to engine-ready GLBs.

    python -m tests.benchmarks.bench_convert [--triangles-subdiv 8] [--splats 1000000] [--baseline-timeout 300]

* mesh: a Hunyuan3D-like textured GLB (an icosphere, 1.31M triangles, 256² texture, written by
  trimesh) -> `convert` with ``--budget 50000 --texture-size 2048 --lods 3`` (read, checks,
  decimation, unwrap, lightmap UVs, bake from the source, LODs, collision, GLB, manifest);
* baseline, in the same run: default ``xatlas.parametrize`` on the raw mesh (what those
  generators do before baking), in a child process killed after ``--baseline-timeout`` s; a
  crash or a timeout is reported as such (the ratio is then a lower bound);
* splats: 1M standard-layout 3DGS splats (flat discs on a sphere, written by plyfile) -> GLB.

Each conversion runs in this process; wall time and the process's CPU time are printed with
the load average (other jobs on the machine make the wall time longer, not the CPU time).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _convert(src: Path, out: Path, **build) -> tuple[float, float, dict]:
    from pipelines.convert.run import ConvertRequest, convert
    from pipelines.options import BuildOptions, GenOptions

    opts = GenOptions(device="cpu", build=BuildOptions(**build))
    t0, c0 = time.perf_counter(), _cpu()
    outcome = convert(ConvertRequest(src, src.stem, out, opts, force=True))
    return time.perf_counter() - t0, _cpu() - c0, outcome.manifest


def _xatlas_child(path: str) -> None:
    import trimesh
    import xatlas

    mesh = trimesh.load(path, force="mesh", process=False)
    xatlas.parametrize(np.asarray(mesh.vertices, np.float32), np.asarray(mesh.faces, np.uint32))


def _baseline(path: Path, timeout: float) -> str:
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(target=_xatlas_child, args=(str(path),))
    t0 = time.perf_counter()
    proc.start()
    proc.join(timeout)
    seconds = time.perf_counter() - t0
    if proc.is_alive():
        proc.kill()
        proc.join()
        return f"timed out after {timeout:.0f} s"
    if proc.exitcode != 0:
        return f"crashed (exit {proc.exitcode}) after {seconds:.1f} s"
    return f"{seconds:.1f} s"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triangles-subdiv", type=int, default=8, help="icosphere subdivisions (8: 1.31M triangles)")
    parser.add_argument("--splats", type=int, default=1_000_000)
    parser.add_argument("--baseline-timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    from tests.convert_inputs import textured_sphere, write_splats

    print(f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        glb = root / "hunyuan.glb"
        mesh = textured_sphere(args.triangles_subdiv)
        mesh.export(glb)
        tris = len(mesh.faces)
        wall, cpu, m = _convert(glb, root / "out", budget=50_000, texture_size=2048, lods=3)
        print(f"mesh {tris} triangles -> LODs {m['totals']['triangles_per_lod']}: {wall:.1f} s wall, {cpu:.1f} s CPU")
        print("  stages:", {k: round(v, 1) for k, v in m["stage_seconds"].items()}, flush=True)
        base = _baseline(glb, args.baseline_timeout)
        print(f"  baseline: default xatlas on the raw {tris}-triangle mesh: {base}", flush=True)
        splats = root / "gaussians.ply"
        write_splats(splats, args.splats)
        wall, cpu, m = _convert(splats, root / "out")
        print(f"splats {args.splats} -> LODs {m['totals']['triangles_per_lod']}: {wall:.1f} s wall, {cpu:.1f} s CPU")
        print("  stages:", {k: round(v, 1) for k, v in m["stage_seconds"].items()}, flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
