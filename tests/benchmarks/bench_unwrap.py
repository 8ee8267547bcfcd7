"""UV stage benchmark: our decimate-to-budget + tuned xatlas + processes vs plain xatlas.

    python -m tests.benchmarks.bench_unwrap [--objects 50] [--texture-size 1024] [--workers 2]
                                            [--baseline-every 5] [--baseline-timeout 60] [--seed 0]

Makes ``--objects`` noisy blobs with marching cubes at resolutions chosen for
5k-200k triangles (log-uniform), cleans them, then times:

* ours: ``decimate(mesh, texture_budget_triangles(size))`` + ``unwrap`` per mesh,
  one process (per-mesh times), and the whole set with ``unwrap_many(workers)``;
* baseline: ``xatlas.parametrize(positions, indices)`` with default options on
  the raw cleaned meshes, each in a child process killed after
  ``--baseline-timeout`` seconds. Default xatlas takes ~30 s for 60k triangles
  and minutes beyond, so only every ``--baseline-every``-th mesh is run; a
  timed-out mesh counts as the timeout (the ratio is then a lower bound).

Both sides run in this one process tree on the same meshes. The machine's
load average is printed: other processes make every timing noisier.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time

import numpy as np
from skimage.measure import marching_cubes

from exporters.asset import MeshData
from pipelines.mesh.cleanup import clean
from pipelines.mesh.simplify import decimate, texture_budget_triangles
from pipelines.texture.unwrap import UnwrapOptions, _usable_workers, unwrap, unwrap_many


def blob(target_triangles: int, rng: np.random.Generator) -> MeshData:
    """Return a cleaned marching-cubes blob of about ``target_triangles`` (noisy: many charts)."""
    res = int(np.sqrt(target_triangles / 3.6))  # measured: ~3.6 res² triangles
    x = np.linspace(-1.2, 1.2, res, dtype=np.float32)
    X, Y, Z = np.meshgrid(x, x, x, indexing="ij")
    sdf = np.sqrt(X**2 + (Y * rng.uniform(0.7, 1.3)) ** 2 + Z**2) - 0.8
    for _ in range(5):
        k = rng.normal(size=3).astype(np.float32) * 3.0
        sdf += 0.06 * np.sin(k[0] * X + k[1] * Y + k[2] * Z + np.float32(rng.uniform(0, 6.3)))
    v, f, _, _ = marching_cubes(sdf, 0.0, spacing=(float(x[1] - x[0]),) * 3)
    return clean((v - 1.2).astype(np.float32), f)


def our_stage(mesh: MeshData, opts: UnwrapOptions) -> MeshData:
    return unwrap(decimate(mesh, texture_budget_triangles(opts.texture_size)), opts)


def _baseline_child(positions: np.ndarray, indices: np.ndarray, out) -> None:
    import xatlas

    start = time.perf_counter()
    xatlas.parametrize(positions, indices)
    out.send(time.perf_counter() - start)


def baseline(mesh: MeshData, timeout: float) -> float | None:
    """Return default xatlas's seconds on ``mesh``, or None if it ran past ``timeout``."""
    context = multiprocessing.get_context("spawn")
    recv, send = context.Pipe(duplex=False)
    child = context.Process(target=_baseline_child, args=(mesh.positions, mesh.indices, send))
    child.start()
    got = recv.poll(timeout)
    seconds = recv.recv() if got else None
    if child.is_alive():
        child.kill()
    child.join()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=50)
    parser.add_argument("--texture-size", type=int, default=1024)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-every", type=int, default=5)
    parser.add_argument("--baseline-timeout", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    opts = UnwrapOptions(texture_size=args.texture_size)
    budget = texture_budget_triangles(args.texture_size)
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; texture {args.texture_size}, "
        f"budget {budget} triangles, padding {opts.padding_texels} texels"
    )

    start = time.perf_counter()
    targets = np.exp(rng.uniform(np.log(5_000), np.log(200_000), args.objects)).astype(int)
    meshes = [blob(int(t), rng) for t in targets]
    print(
        f"made {len(meshes)} blobs in {time.perf_counter() - start:.0f} s: "
        f"{min(m.triangle_count for m in meshes)}-{max(m.triangle_count for m in meshes)} triangles"
    )

    per_mesh = []
    for mesh in meshes:
        t0 = time.perf_counter()
        our_stage(mesh, opts)
        per_mesh.append(time.perf_counter() - t0)
    serial = sum(per_mesh)

    t0 = time.perf_counter()
    decimated = [decimate(m, budget) for m in meshes]
    t_decimate = time.perf_counter() - t0
    t0 = time.perf_counter()
    parallel_out = unwrap_many(decimated, opts, workers=args.workers)
    t_unwrap = time.perf_counter() - t0
    parallel = t_decimate + t_unwrap
    assert all(o.uv0 is not None for o in parallel_out)

    print()
    print(f"{'#':>3} {'triangles':>9} {'unwrapped':>9} {'ours s':>7} {'default s':>10} {'ratio':>7}")
    subset = list(range(0, len(meshes), max(1, args.baseline_every)))
    ours_sum = base_sum = 0.0
    timed_out = 0
    for i in subset:
        mesh = meshes[i]
        seconds = baseline(mesh, args.baseline_timeout)
        late = seconds is None
        timed_out += late
        seconds = args.baseline_timeout if late else seconds
        ours_sum += per_mesh[i]
        base_sum += seconds
        shown = f">{seconds:9.0f}" if late else f"{seconds:10.2f}"
        print(
            f"{i:3d} {mesh.triangle_count:9d} {min(mesh.triangle_count, budget):9d} {per_mesh[i]:7.2f} "
            f"{shown} {seconds / per_mesh[i]:6.1f}x{'+' if late else ''}"
        )
    bound = " (lower bound: timed-out meshes count as the timeout)" if timed_out else ""
    print(
        f"subset of {len(subset)} meshes: ours {ours_sum:.1f} s, "
        f"default xatlas {base_sum:.1f} s -> {base_sum / ours_sum:.1f}x faster{bound}"
    )
    if timed_out:
        print(f"{timed_out} default runs passed the {args.baseline_timeout:.0f} s timeout and were killed")
    print()
    print(
        f"all {len(meshes)} meshes, ours: one process {serial:.1f} s "
        f"(mean {serial / len(meshes):.2f} s, max {max(per_mesh):.2f} s); "
        f"decimate {t_decimate:.1f} s + unwrap_many(workers={args.workers}: {_usable_workers(args.workers)} used) "
        f"{t_unwrap:.1f} s = {parallel:.1f} s "
        f"({serial / parallel:.2f}x the one-process speed)"
    )
    mean_base = base_sum / len(subset)
    print(
        f"default xatlas on all {len(meshes)} at the subset's mean: ~{mean_base * len(meshes):.0f} s or more, "
        f"vs ours {parallel:.0f} s"
    )
    print(f"load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
