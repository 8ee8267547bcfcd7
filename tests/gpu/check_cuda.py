"""Check marching cubes and sparse extraction on a CUDA machine: CUDA against CPU, then time them.

    python3 tests/gpu/check_cuda.py [--quick] [--diso-dir DIR --diso-wait SECONDS]

Run from the repository root on a machine with an NVIDIA GPU, torch and Triton.
It needs only torch and numpy beyond the repo (diso and Warp are optional
peers: timed when they import). Sections, each recorded even if another fails:

1. dense: CUDA Triton and CUDA torch against the CPU torch path on the bench
   fields and white noise (same triangles, same faces, vertices within 1e-4 of
   a grid cell), stacked blocks included, and the kernel named in the log;
2. sparse: ``extract_sdf`` on CUDA against CPU, dense and sparse modes, on a
   scene whose sdf uses only ops that round identically on both devices
   (+ - * sqrt min max abs), so any difference is ours;
3. timing: dense marching cubes at 256^3 and 512^3 (torch path, Triton path,
   diso and Warp when they import) with CUDA events, with the fraction of the
   bandwidth floor; sparse and dense ``extract_sdf`` of the bench scene.

Prints tables and writes everything to $OUT/gpu_results.json (or ./gpu_results.json).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from pipelines.extract.dense import grid_mesh, marching_cubes  # noqa: E402
from pipelines.extract.sparse import extract_sdf  # noqa: E402
from tests.benchmarks.bench_extract import CUDA_COLUMNS, SHAPES, cuda_median_ms, cuda_rows, field, print_table  # noqa: E402
from tests.benchmarks.bench_sparse import BOUNDS, scene_sdf  # noqa: E402

OUT = Path(os.environ.get("OUT", "."))
RESULTS: dict = {"sections": {}, "errors": {}}
DEVICE = "cuda"  # --rehearse runs the correctness sections on CPU (Triton's interpreter) instead


def save() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "gpu_results.json").write_text(json.dumps(RESULTS, indent=2, default=str))


def section(name: str):
    def wrap(fn):
        def run(*a, **k):
            t0 = time.perf_counter()
            print(f"\n=== {name} ===", flush=True)
            try:
                RESULTS["sections"][name] = fn(*a, **k)
            except Exception:
                RESULTS["errors"][name] = traceback.format_exc()
                print(RESULTS["errors"][name], flush=True)
            print(f"=== {name}: {time.perf_counter() - t0:.1f} s ===", flush=True)
            save()

        return run

    return wrap


def compare_meshes(ref, got, cell: float = 1.0) -> dict:
    """Return counts, face equality and the largest vertex difference in grid cells."""
    out = {
        "ref_vertices": int(ref[0].shape[0]),
        "vertices": int(got[0].shape[0]),
        "ref_triangles": int(ref[1].shape[0]),
        "triangles": int(got[1].shape[0]),
    }
    same = out["ref_vertices"] == out["vertices"] and out["ref_triangles"] == out["triangles"]
    out["faces_equal"] = bool(same and torch.equal(ref[1].cpu(), got[1].cpu()))
    out["max_vertex_diff_cells"] = (
        float((ref[0].cpu() - got[0].cpu()).abs().max() / cell) if same and out["vertices"] else None
    )
    out["ok"] = bool(out["faces_equal"] and (out["max_vertex_diff_cells"] or 0.0) <= 1e-4)
    return out


@section("environment")
def environment() -> dict:
    env = {
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "gpu": torch.cuda.get_device_name(),
        "python": sys.version.split()[0],
    }
    try:
        import triton

        env["triton"] = triton.__version__
    except Exception as exc:
        env["triton"] = f"missing: {exc}"
    x = torch.empty(512**3, device="cuda")
    env["one_read_512_ms"] = cuda_median_ms(lambda: x.sum(), 20)
    env["measured_read_bandwidth_TBps"] = x.numel() * 4 / env["one_read_512_ms"] / 1e9
    print(env)
    return env


@section("dense")
def dense(sizes) -> list[dict]:
    rows = []
    gen = torch.Generator().manual_seed(5)
    cases = [(shape, n, field(shape, n), None) for n in sizes for shape in SHAPES]
    cases.append(("noise", 40, torch.rand((40, 33, 27), generator=gen) - 0.5, None))
    cases.append(("stacked-noise", 9, torch.rand((9 * 50, 9, 9), generator=gen) - 0.5, 9))
    for shape, n, vol, period in cases:
        ref = grid_mesh(vol, kernel="torch", period_x=period)
        gpu = vol.to(DEVICE)
        for kernel in ("triton", "torch"):
            got = grid_mesh(gpu, kernel=kernel, period_x=period)
            row = {"field": shape, "n": n, "kernel": got.kernel}
            row.update(compare_meshes((ref.vertices, ref.faces), (got.vertices, got.faces)))
            row["edges_equal"] = bool(
                torch.equal(ref.edge_point, got.edge_point.cpu()) and torch.equal(ref.edge_axis, got.edge_axis.cpu())
            )
            row["ok"] = row["ok"] and row["edges_equal"]
            rows.append(row)
            print(row, flush=True)
    records = []

    class Grab(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    logger = logging.getLogger("hyworld.extract")
    logger.setLevel(logging.INFO)
    logger.addHandler(Grab())
    marching_cubes(field("sphere", 16, DEVICE), kernel="auto" if DEVICE == "cuda" else "triton")
    rows.append({"field": "log", "message": records[-1], "ok": "kernel=triton" in records[-1]})
    print(rows[-1], flush=True)
    return rows


def exact_scene(p: torch.Tensor) -> torch.Tensor:
    """A scene sdf built from ops that round the same on CPU and CUDA (no sin, no norm reductions)."""
    x, y, z = p[:, 0], p[:, 1], p[:, 2]

    def length(a, b, c):
        return torch.sqrt(a * a + b * b + c * c)

    ground = (y + 0.5 - 0.1 * x * x - 0.05 * z) * 0.9
    ball = length(x - 0.3031, y + 0.1017, z + 0.2013) - 0.2503
    r = torch.sqrt((x + 0.4) * (x + 0.4) + z * z) - 0.3
    ring = torch.sqrt(r * r + (y + 0.2) * (y + 0.2)) - 0.0707
    qx, qy, qz = (x - 0.1).abs() - 0.2, (y + 0.35).abs() - 0.15, (z - 0.5).abs() - 0.12
    box = length(qx.clamp(min=0), qy.clamp(min=0), qz.clamp(min=0)) + torch.maximum(torch.maximum(qx, qy), qz).clamp(
        max=0
    )
    return torch.minimum(torch.minimum(ground, ball), torch.minimum(ring, box))


@section("sparse")
def sparse(resolutions) -> list[dict]:
    rows = []
    lo, hi = (-1.0, -0.75, -1.0), (1.0, 0.35, 1.0)
    for res in resolutions:
        for mode in ("dense", "sparse"):
            cpu = extract_sdf(exact_scene, lo, hi, res, "cpu", mode=mode)
            gpu = extract_sdf(exact_scene, lo, hi, res, DEVICE, mode=mode, kernel="triton")
            row = {"resolution": res, "mode": mode, "kernel": gpu.stats.kernel}
            row.update(
                compare_meshes((cpu.vertices_local, cpu.faces), (gpu.vertices_local, gpu.faces), cpu.stats.spacing_m)
            )
            rows.append(row)
            print(row, flush=True)
    return rows


def _wait_for_diso(directory: str | None, wait_s: float) -> None:
    if not directory:
        return
    marker = Path("/tmp/diso.done")
    t0 = time.time()
    while not marker.exists() and time.time() - t0 < wait_s:
        time.sleep(2)
    print(f"diso build: {marker.read_text().strip() if marker.exists() else 'not finished'}", flush=True)
    sys.path.insert(0, directory)


@section("bench_dense")
def bench_dense(sizes, repeats) -> list[dict]:
    rows = cuda_rows(sizes, repeats, 4.8e12)
    print_table(f"Dense marching cubes, CUDA ({torch.cuda.get_device_name()})", rows, CUDA_COLUMNS)
    return rows


@section("profile")
def profile(n: int) -> dict:
    """Return per-kernel CUDA times (torch profiler) of both paths on the sphere, for tuning."""
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as torch_profile

    vol = field("blob", n, "cuda")
    out = {}
    for kernel in ("triton", "torch"):
        for _ in range(3):
            grid_mesh(vol, kernel=kernel)
        torch.cuda.synchronize()
        with torch_profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
            for _ in range(5):
                grid_mesh(vol, kernel=kernel)
            torch.cuda.synchronize()
        table = prof.key_averages().table(sort_by="cuda_time_total", row_limit=14)
        print(f"--- {kernel} path, blob {n}^3, 5 calls ---\n{table}", flush=True)
        out[kernel] = table
    return out


@section("bench_sparse")
def bench_sparse(resolutions) -> list[dict]:
    rows = []
    for res in resolutions:
        for mode in ("sparse", "dense"):
            if mode == "dense" and res > 512:
                continue
            extract_sdf(scene_sdf, *BOUNDS, min(res, 256), "cuda", mode=mode)  # warm-up and compile
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            t0 = time.perf_counter()
            r = extract_sdf(scene_sdf, *BOUNDS, res, "cuda", mode=mode)
            torch.cuda.synchronize()
            rows.append(
                {
                    "resolution": res,
                    "mode": mode,
                    "seconds": time.perf_counter() - t0,
                    "cuda_peak_mb": torch.cuda.max_memory_allocated() / 2**20,
                    "triangles": int(r.faces.shape[0]),
                    "points_evaluated": r.stats.points_evaluated,
                    "blocks_active": r.stats.blocks_active,
                    "kernel": r.stats.kernel,
                }
            )
            print(rows[-1], flush=True)
    columns = [
        ("resolution", "res", "d"),
        ("mode", "mode", ""),
        ("seconds", "time s", ".3f"),
        ("cuda_peak_mb", "CUDA peak MB", ".0f"),
        ("triangles", "triangles", "d"),
        ("points_evaluated", "sdf samples", "d"),
        ("kernel", "kernel", ""),
    ]
    print_table("extract_sdf of the bench scene on CUDA", rows, columns)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only")
    ap.add_argument("--diso-dir", default=None)
    ap.add_argument("--diso-wait", type=float, default=0.0)
    ap.add_argument("--rehearse", action="store_true", help="CPU dry run of the checks (needs TRITON_INTERPRET=1)")
    args = ap.parse_args()
    global DEVICE
    if args.rehearse:
        DEVICE = "cpu"
        dense([12])
        sparse([24])
        print(json.dumps(RESULTS["errors"], indent=1))
        return 1 if RESULTS["errors"] else 0
    if not torch.cuda.is_available():
        print("no CUDA device")
        return 2
    environment()
    dense([64, 128] if args.quick else [64, 128, 256])
    sparse([96] if args.quick else [96, 200])
    _wait_for_diso(args.diso_dir, args.diso_wait)
    bench_dense([128] if args.quick else [256, 512], 20)
    profile(128 if args.quick else 512)
    bench_sparse([256] if args.quick else [512, 1024])
    failed = [r for name in ("dense", "sparse") for r in RESULTS["sections"].get(name, []) if not r.get("ok")]
    RESULTS["summary"] = {"failed_checks": len(failed), "errors": sorted(RESULTS["errors"])}
    save()
    print(f"\nsummary: {len(failed)} failed checks, errors in {sorted(RESULTS['errors']) or 'no section'}")
    print(f"results: {OUT / 'gpu_results.json'}")
    return 1 if failed or RESULTS["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
