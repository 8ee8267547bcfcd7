"""Sparse against dense extraction of a scene-like SDF: time, peak memory, triangles, surface difference.

    python -m tests.benchmarks.bench_sparse [--resolutions 256,512,1024] [--dense-max 512] [--device cpu]
                                            [--threads N] [--json FILE]

Each (mode, resolution) runs in its own subprocess so that its peak resident
memory (``ru_maxrss``) is its own; the table also gives the process's resident
memory after imports, before extracting ("base"), so the extraction's share is
the difference. Surface difference: the area ratio sparse/dense, and the
largest vertex distance (in grid cells) when the vertex counts match (both
paths emit vertices in the same order). Resolutions above ``--dense-max`` run
sparse only: dense 1024^3 samples a billion points.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time

import torch


def scene_sdf(p: torch.Tensor) -> torch.Tensor:
    """Return a 1-Lipschitz scene: rolling terrain, a house-like box, a tree (cone + sphere), a torus, rocks."""
    x, y, z = p[:, 0], p[:, 1], p[:, 2]
    # Terrain: a heightfield divided by the bound of its gradient's norm keeps it 1-Lipschitz.
    h = 0.08 * torch.sin(2.1 * x) * torch.cos(1.7 * z) + 0.02 * torch.sin(6.3 * x + 4.1 * z)
    terrain = (y + 0.6 - h) / math.sqrt(1.0 + (0.08 * 2.1 + 0.02 * 6.3) ** 2 + (0.08 * 1.7 + 0.02 * 4.1) ** 2)
    q = torch.stack([x - 0.35, y + 0.35, z + 0.3], 1).abs() - torch.tensor([0.25, 0.2, 0.2], device=p.device)
    house = q.clamp(min=0).norm(dim=1) + q.max(dim=1).values.clamp(max=0)
    trunk_r = torch.sqrt((x + 0.5) ** 2 + (z - 0.2) ** 2)
    trunk = torch.maximum(trunk_r - 0.04, (y + 0.3).abs() - 0.3)
    crown = torch.sqrt((x + 0.5) ** 2 + (y - 0.1) ** 2 + (z - 0.2) ** 2) - 0.22
    ring = torch.stack([torch.sqrt((x - 0.3) ** 2 + (z - 0.45) ** 2) - 0.18, y + 0.3], 1).norm(dim=1) - 0.05
    rocks = torch.sqrt((x + 0.1) ** 2 + (y + 0.55) ** 2 + (z + 0.55) ** 2) - 0.09
    return torch.minimum(
        torch.minimum(torch.minimum(terrain, house), torch.minimum(trunk, crown)), torch.minimum(ring, rocks)
    )


BOUNDS = ((-1.0, -0.75, -1.0), (1.0, 0.35, 1.0))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(mode: str, resolution: int, device: str, out_npz: str | None) -> dict:
    """Extract the scene once and return timing, memory and mesh statistics (in this process)."""
    from pipelines.extract.sparse import extract_sdf

    base = _rss_mb()
    if device.startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    r = extract_sdf(scene_sdf, *BOUNDS, resolution, device, mode=mode)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    seconds = time.perf_counter() - t0
    v, f = r.vertices_local, r.faces
    area = 0.5 * torch.linalg.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]]).norm(dim=1).sum().item()
    row = {
        "mode": mode,
        "resolution": resolution,
        "device": device,
        "seconds": seconds,
        "base_rss_mb": base,
        "peak_rss_mb": _rss_mb(),
        "triangles": int(f.shape[0]),
        "vertices": int(v.shape[0]),
        "area_m2": area,
        "points_evaluated": r.stats.points_evaluated,
        "points_total": r.stats.points_total,
        "blocks_active": r.stats.blocks_active,
        "blocks_total": r.stats.blocks_total,
        "peak_bytes_estimate_mb": r.stats.peak_bytes_estimate / 2**20,
        "kernel": r.stats.kernel,
        "spacing_m": r.stats.spacing_m,
    }
    if device.startswith("cuda"):
        row["cuda_peak_mb"] = torch.cuda.max_memory_allocated() / 2**20
    if out_npz:
        import numpy as np

        np.savez(out_npz, v=v.cpu().numpy(), f=f.cpu().numpy())
    return row


def _subprocess_case(mode: str, resolution: int, device: str, out_npz: str, threads: int) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "tests.benchmarks.bench_sparse",
        "--case",
        f"{mode},{resolution},{device}",
        "--npz",
        out_npz,
        "--threads",
        str(threads),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(dense_npz: str, sparse_npz: str, spacing: float) -> dict:
    import numpy as np

    d, s = np.load(dense_npz), np.load(sparse_npz)
    out = {"same_counts": d["v"].shape == s["v"].shape and d["f"].shape == s["f"].shape}
    if out["same_counts"]:
        out["max_vertex_distance_cells"] = float(np.abs(d["v"] - s["v"]).max() / spacing)
        out["faces_equal"] = bool((d["f"] == s["f"]).all())
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resolutions", default="256,512,1024")
    ap.add_argument("--dense-max", type=int, default=512)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    ap.add_argument("--json", default=None)
    ap.add_argument("--case", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--npz", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.case:
        mode, res, device = args.case.split(",")
        print(json.dumps(run_case(mode, int(res), device, args.npz)))
        return 0
    from tests.benchmarks.bench_extract import print_table

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for res in [int(r) for r in args.resolutions.split(",")]:
            sparse_npz = os.path.join(tmp, f"s{res}.npz")
            s = _subprocess_case("sparse", res, args.device, sparse_npz, args.threads)
            rows.append(s)
            print(f"  sparse {res} done in {s['seconds']:.1f} s", file=sys.stderr)
            if res <= args.dense_max:
                dense_npz = os.path.join(tmp, f"d{res}.npz")
                d = _subprocess_case("dense", res, args.device, dense_npz, args.threads)
                d.update(compare(dense_npz, sparse_npz, d["spacing_m"]))
                d["area_ratio"] = s["area_m2"] / d["area_m2"]
                s["area_ratio"] = d["area_ratio"]
                s["speedup"] = d["seconds"] / s["seconds"]
                rows.append(d)
                print(f"  dense {res} done in {d['seconds']:.1f} s", file=sys.stderr)
    for r in rows:
        r["evaluated_pct"] = 100.0 * r["points_evaluated"] / r["points_total"]
    columns = [
        ("resolution", "res", "d"),
        ("mode", "mode", ""),
        ("seconds", "time s", ".2f"),
        ("speedup", "dense/sparse", ".1f"),
        ("base_rss_mb", "base MB", ".0f"),
        ("peak_rss_mb", "peak MB", ".0f"),
        ("peak_bytes_estimate_mb", "est. MB", ".0f"),
        ("evaluated_pct", "% sampled", ".2f"),
        ("triangles", "triangles", "d"),
        ("area_ratio", "area s/d", ".6f"),
        ("max_vertex_distance_cells", "max dv cells", ".1e"),
        ("faces_equal", "faces equal", ""),
    ]
    threads = args.threads or torch.get_num_threads()
    print_table(
        f"Sparse vs dense extraction ({args.device}, {os.cpu_count()}-core {os.uname().machine}, "
        f"torch {torch.__version__}, {threads} threads)",
        rows,
        columns,
    )
    print(f"load average: {os.getloadavg()[0]:.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
