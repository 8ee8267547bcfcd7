"""Dense marching cubes: ours against scikit-image and PyMCubes (CPU), and against diso/Warp on CUDA.

    python -m tests.benchmarks.bench_extract [--sizes 128,256] [--repeats 5] [--threads N]
                                             [--cuda-sizes 256,512] [--json FILE]

Three fields per size, built with torch on the device: a sphere, a noisy blob (a
sphere with three octaves of smooth noise) and a terrain heightfield. Each
timing is the median of ``--repeats`` runs after one warm-up, all in this one
process, baselines included. On CUDA the timings use CUDA events around the
whole call (fields already on the GPU), and the table adds the fraction of the
bandwidth floor: the time one read of the grid takes at ``--bandwidth`` bytes/s
(4.8e12 for an H200's HBM3e) divided by the measured time.

scikit-image and PyMCubes run on one core; ``--threads 1`` compares like with
like. On a machine other processes keep busy, torch's multi-threaded ops wait
for a descheduled worker on every op, so the default thread count can be far
slower there: the table prints the load average so a reader can tell.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import torch

from pipelines.extract.dense import grid_mesh

SHAPES = ("sphere", "blob", "terrain")


def field(shape: str, n: int, device="cpu") -> torch.Tensor:
    """Return an [n, n, n] float32 signed-distance-like volume of ``shape`` over [-1, 1]^3."""
    g = torch.linspace(-1.0, 1.0, n, device=device)
    x, y, z = g[:, None, None], g[None, :, None], g[None, None, :]
    if shape == "sphere":
        v = torch.sqrt(x * x + y * y + z * z) - 0.7
    elif shape == "blob":
        v = torch.sqrt(x * x + y * y + z * z) - 0.6
        gen = torch.Generator().manual_seed(7)
        for octave in range(3):
            f = 3.0 * 2**octave
            phase = (torch.rand(3, generator=gen) * 6.28).tolist()
            v = v + (0.08 / 2**octave) * torch.sin(f * x + phase[0]) * torch.sin(f * y + phase[1]) * torch.sin(
                f * z + phase[2]
            )
    elif shape == "terrain":
        h = 0.2 * torch.sin(3.1 * x) * torch.cos(2.3 * z) + 0.05 * torch.sin(11.0 * x + 7.0 * z)
        v = (y + 0.2 - h) * torch.ones_like(x * z)
    else:
        raise ValueError(shape)
    return v.to(torch.float32).contiguous()


def median_seconds(fn, repeats: int) -> float:
    """Return the median wall time of ``fn()`` over ``repeats`` runs after one warm-up."""
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cuda_median_ms(fn, repeats: int, warmup: int = 3) -> float:
    """Return the median time of ``fn()`` in ms, measured with CUDA events (synchronised per run)."""
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times)


def cpu_rows(sizes, repeats: int) -> list[dict]:
    import mcubes
    import skimage.measure

    rows = []
    for n in sizes:
        for shape in SHAPES:
            vol = field(shape, n)
            arr = vol.numpy()
            mesh = grid_mesh(vol)
            ours = median_seconds(lambda: grid_mesh(vol), repeats)
            sk = median_seconds(lambda: skimage.measure.marching_cubes(arr, 0.0), repeats)
            pm = median_seconds(lambda: mcubes.marching_cubes(arr, 0.0), repeats)
            rows.append(
                {
                    "n": n,
                    "shape": shape,
                    "triangles": int(mesh.faces.shape[0]),
                    "ours_ms": ours * 1e3,
                    "skimage_ms": sk * 1e3,
                    "pymcubes_ms": pm * 1e3,
                    "vs_skimage": sk / ours,
                    "vs_pymcubes": pm / ours,
                }
            )
            print(f"  cpu {shape} {n}^3 done", file=sys.stderr)
    return rows


def _diso():
    try:
        from diso import DiffMC

        return DiffMC(dtype=torch.float32).cuda()
    except Exception as exc:  # optional peer
        print(f"  diso unavailable: {exc}", file=sys.stderr)
        return None


def _warp_mc(n: int):
    try:
        import warp as wp

        wp.init()
        mc = wp.MarchingCubes(n, n, n, max_verts=8 * n * n * 6, max_tris=8 * n * n * 6, device="cuda:0")

        def run(vol: torch.Tensor):
            mc.surface(wp.from_torch(vol), 0.0)

        return run
    except Exception as exc:  # optional peer
        print(f"  warp unavailable: {exc}", file=sys.stderr)
        return None


def cuda_rows(sizes, repeats: int, bandwidth: float) -> list[dict]:
    from pipelines.extract import triton_mc

    diso = _diso()
    rows = []
    for n in sizes:
        warp = _warp_mc(n)
        for shape in SHAPES:
            vol = field(shape, n, "cuda")
            floor_ms = vol.numel() * vol.element_size() / bandwidth * 1e3
            row = {"n": n, "shape": shape, "floor_ms": floor_ms}
            row["triangles"] = int(grid_mesh(vol, kernel="torch").faces.shape[0])
            row["torch_ms"] = cuda_median_ms(lambda: grid_mesh(vol, kernel="torch"), repeats)
            if triton_mc.available(vol.device):
                row["triton_ms"] = cuda_median_ms(lambda: grid_mesh(vol, kernel="triton"), repeats)
            if diso is not None:
                row["diso_ms"] = cuda_median_ms(lambda: diso(vol, isovalue=0.0, normalize=False), repeats)
                row["diso_triangles"] = int(diso(vol, isovalue=0.0, normalize=False)[1].shape[0])
            if warp is not None:
                row["warp_ms"] = cuda_median_ms(lambda: warp(vol), repeats)
            for key in ("torch", "triton"):
                if f"{key}_ms" in row:
                    row[f"{key}_floor_fraction"] = floor_ms / row[f"{key}_ms"]
            rows.append(row)
            print(f"  cuda {shape} {n}^3 done", file=sys.stderr)
    return rows


def print_table(title: str, rows: list[dict], columns: list[tuple[str, str, str]]) -> None:
    """Print ``rows`` as a table of (key, header, format) columns, with rich when it imports."""
    cells = [[("" if r.get(k) is None else format(r[k], f)) for k, _, f in columns] for r in rows]
    try:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title)
        for _, header, _ in columns:
            table.add_column(header, justify="right")
        for c in cells:
            table.add_row(*c)
        Console(width=160).print(table)
    except ImportError:
        print(title)
        print(" | ".join(h for _, h, _ in columns))
        for c in cells:
            print(" | ".join(c))


CPU_COLUMNS = [
    ("shape", "field", ""),
    ("n", "n", "d"),
    ("triangles", "triangles", "d"),
    ("ours_ms", "ours ms", ".1f"),
    ("skimage_ms", "skimage ms", ".1f"),
    ("pymcubes_ms", "PyMCubes ms", ".1f"),
    ("vs_skimage", "skimage/ours", ".2f"),
    ("vs_pymcubes", "PyMCubes/ours", ".2f"),
]
CUDA_COLUMNS = [
    ("shape", "field", ""),
    ("n", "n", "d"),
    ("triangles", "triangles", "d"),
    ("torch_ms", "torch ms", ".3f"),
    ("triton_ms", "triton ms", ".3f"),
    ("diso_ms", "diso ms", ".3f"),
    ("warp_ms", "warp ms", ".3f"),
    ("floor_ms", "1-read floor ms", ".3f"),
    ("triton_floor_fraction", "triton/floor", ".2f"),
    ("torch_floor_fraction", "torch/floor", ".3f"),
]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="128,256")
    ap.add_argument("--cuda-sizes", default="256,512")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--bandwidth", type=float, default=4.8e12)
    ap.add_argument("--no-cpu", action="store_true")
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    result = {
        "machine": f"{os.cpu_count()}-core {os.uname().machine}",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "load_before": os.getloadavg()[0],
    }
    if not args.no_cpu:
        result["cpu"] = cpu_rows([int(s) for s in args.sizes.split(",")], args.repeats)
        print_table(
            f"Dense marching cubes, CPU ({result['machine']}, {result['threads']} torch threads)",
            result["cpu"],
            CPU_COLUMNS,
        )
    if torch.cuda.is_available():
        result["gpu"] = torch.cuda.get_device_name()
        result["cuda"] = cuda_rows([int(s) for s in args.cuda_sizes.split(",")], max(args.repeats, 10), args.bandwidth)
        print_table(f"Dense marching cubes, CUDA ({result['gpu']})", result["cuda"], CUDA_COLUMNS)
    result["load_after"] = os.getloadavg()[0]
    print(f"load average before/after: {result['load_before']:.2f}/{result['load_after']:.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
