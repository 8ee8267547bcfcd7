"""`hyworld convert` end to end: inputs written by trimesh, plyfile and pygltflib; outputs read back by the Khronos
validator and pygltflib; the surface within 1% of the source's diagonal and colours within a stated error.

The fast suite converts a small input of every kind; the realistic sizes (a 1M-triangle textured GLB like
Hunyuan3D's, 500k Gaussians like HY-World's) are marked slow.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
import trimesh

from tests.convert_inputs import (
    assert_lightmaps_never_overlap,
    check_asset,
    coloured_sphere,
    gradient_image,
    sphere_uv,
    splat_colour,
    textured_sphere,
    write_point_cloud,
    write_splats,
)
from tests.test_cli import files_under, hyworld

QUICK = ["--texture-size", "128", "--lods", "1", "--resolution", "96", "--device", "cpu", "--json"]
CENTRE = np.array([0.0, 0.5, 0.0])  # a 0.5 m sphere at the origin stands on y = 0 once converted
# Stated colour errors (mean absolute, sRGB 0..1): a texture read through the closest point, a vertex colour
# interpolated across the source's faces, a splat's DC colour averaged over its neighbours.
TEXTURE_TOL, VERTEX_TOL, POINT_TOL = 0.03, 0.03, 0.05


def texture_colour(p_out: np.ndarray) -> np.ndarray:
    """The gradient texture's colour at the sphere point under ``p_out`` (NaN by the uv seam and the poles)."""
    d = p_out - CENTRE
    u, v = sphere_uv(d).T
    img = gradient_image().astype(np.float64) / 255.0
    h = img.shape[0]
    out = img[np.clip((v * h).astype(int), 0, h - 1), np.clip((u * h).astype(int), 0, h - 1)]
    d = d / np.linalg.norm(d, axis=1, keepdims=True)
    bad = ((d[:, 0] < 0) & (np.abs(d[:, 2]) < 0.15)) | (np.abs(d[:, 1]) > 0.9)
    out[bad] = np.nan
    return out


def vertex_colour(p_out: np.ndarray) -> np.ndarray:
    d = p_out - CENTRE
    return np.clip(0.5 + 0.4 * d / np.linalg.norm(d, axis=1, keepdims=True), 0, 1)


def sphere_samples(n: int = 20000) -> np.ndarray:
    m = trimesh.creation.icosphere(5, radius=0.5)
    return trimesh.sample.sample_surface(m, n, seed=1)[0] + CENTRE


def convert(src: Path, out: Path, *extra: str) -> dict:
    proc = hyworld("convert", str(src), "--out", str(out), *QUICK, *extra)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.mark.slow
def test_textured_glb(tmp_path):
    src = tmp_path / "hunyuan.glb"
    textured_sphere(4).export(src)
    manifest = convert(src, tmp_path / "out")
    figures = check_asset(
        tmp_path / "out" / "hunyuan", "hunyuan", sphere_samples(), texture_colour, colour_tol=TEXTURE_TOL
    )
    source = manifest["extras"]["source"]
    assert source["sha256"] == hashlib.sha256(src.read_bytes()).hexdigest()
    assert source["format"] == "glb"
    assert manifest["extras"]["decisions"]["parts"][0]["remesh"] is None  # a clean mesh is decimated directly
    assert figures["chamfer_share"] < 0.01


@pytest.mark.slow
def test_obj_with_mtl_and_texture(tmp_path):
    folder = tmp_path / "scan"
    folder.mkdir()
    textured_sphere(4).export(folder / "scan.obj")
    assert (folder / "material.mtl").exists() or list(folder.glob("*.mtl"))
    convert(folder / "scan.obj", tmp_path / "out")
    check_asset(tmp_path / "out" / "scan", "scan", sphere_samples(), texture_colour, colour_tol=TEXTURE_TOL)


@pytest.mark.slow
def test_vertex_coloured_ply_ascii(tmp_path):
    src = tmp_path / "layer.ply"
    src.write_bytes(trimesh.exchange.ply.export_ply(coloured_sphere(4), encoding="ascii"))
    convert(src, tmp_path / "out")
    check_asset(tmp_path / "out" / "layer", "layer", sphere_samples(), vertex_colour, colour_tol=VERTEX_TOL)


@pytest.mark.slow
def test_binary_stl_detected_by_content_not_extension(tmp_path):
    src = tmp_path / "part.dat"
    trimesh.creation.icosphere(3, radius=0.5).export(tmp_path / "part.stl")
    (tmp_path / "part.stl").rename(src)
    manifest = convert(src, tmp_path / "out")
    assert manifest["extras"]["source"]["format"] == "stl"
    check_asset(tmp_path / "out" / "part", "part", sphere_samples(), None, colour_tol=0.0)


@pytest.mark.slow
def test_coloured_point_cloud(tmp_path):
    src = tmp_path / "points.ply"
    write_point_cloud(src, 40_000)
    manifest = convert(src, tmp_path / "out")
    assert manifest["extras"]["decisions"]["remesh"]["input"] == "points"
    check_asset(tmp_path / "out" / "points", "points", sphere_samples(), splat_colour, colour_tol=POINT_TOL)


@pytest.mark.slow
def test_gaussian_splats(tmp_path):
    src = tmp_path / "gaussians.ply"
    write_splats(src, 40_000)
    manifest = convert(src, tmp_path / "out")
    assert manifest["extras"]["decisions"]["remesh"]["input"] == "Gaussian splats"
    assert manifest["extras"]["defaults"]["gaussians"]["roughness"] == 0.8
    check_asset(tmp_path / "out" / "gaussians", "gaussians", sphere_samples(), splat_colour, colour_tol=POINT_TOL)


def test_splats_are_standard_3dgs_for_an_independent_reader(tmp_path):
    """@playcanvas/splat-transform (the npm package, installed by `make test`) reads the test splats."""
    src = tmp_path / "gaussians.ply"
    write_splats(src, 2000)
    tool = Path(__file__).resolve().parents[1] / ".venv" / "node" / "node_modules" / ".bin" / "splat-transform"
    assert tool.exists(), "run `make test`: it installs @playcanvas/splat-transform into .venv/node"
    out = tmp_path / "copy.ply"
    proc = subprocess.run([str(tool), str(src), str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    from plyfile import PlyData

    copy = PlyData.read(str(out))["vertex"]
    assert copy.count == 2000
    assert {"f_dc_0", "opacity", "scale_0", "rot_0"} <= set(copy.data.dtype.names)


@pytest.mark.slow
def test_folder_picks_the_richest_and_opencv_frame(tmp_path):
    """HY-World 2.0's output: gaussians.ply (20k), points.ply and COLMAP cameras; the splats win, Y down is read.

    This conversion failed before: closed decimation stalled at 7068 triangles against 4096, xatlas could not pack
    that noisy surface's lightmap at any resolution (65 s of tries), and the fallback (uv1 = uv0) overlapped; now
    the surface is extracted again to its budget and its lightmap packs."""
    from pipelines.sources import pick_from_folder

    folder = tmp_path / "world"
    (folder / "sparse" / "0").mkdir(parents=True)
    (folder / "sparse" / "0" / "cameras.txt").write_text("# Camera list\n1 PINHOLE 64 64 50 50 32 32\n")
    write_point_cloud(folder / "points.ply", 6_000)
    write_splats(folder / "gaussians.ply", 20_000)
    assert pick_from_folder(folder)[:2] == (folder / "gaussians.ply", "ply-splats")
    manifest = convert(folder, tmp_path / "out", "--name", "world")
    extras = manifest["extras"]
    assert extras["source"]["format"] == "ply-splats"
    assert any("picked gaussians.ply" in n for n in extras["source"]["notes"])
    assert not any("lightmap" in w for w in manifest["warnings"])  # on budget, the lightmap packed by xatlas
    assert extras["decisions"]["up"] == "-y" and extras["decisions"]["forward"] == "-z"
    check_asset(tmp_path / "out" / "world", "world", sphere_samples(), None, colour_tol=0.0)


@pytest.mark.slow
def test_split_parts_height_and_units(tmp_path):
    a = trimesh.creation.box((1.0, 2.0, 1.0))
    b = trimesh.creation.box((1.0, 1.0, 1.0))
    b.apply_translation((3.0, 0.0, 0.0))
    speck = trimesh.creation.box((0.1, 0.1, 0.1))
    speck.apply_translation((0.7, 0.0, 0.0))
    src = tmp_path / "pair.glb"
    trimesh.util.concatenate([a, b, speck]).export(src)
    manifest = convert(
        src, tmp_path / "out", "--split", "parts", "--units", "cm", "--height", "4", "--height-of", "tallest"
    )
    assert [n["name"] for n in manifest["nodes"]] == ["pair_01", "pair_02"]  # the speck merged into a neighbour
    assert manifest["extras"]["decisions"]["scale"] == pytest.approx(2.0)
    heights = sorted(n["bounds"]["local_max"][1] - n["bounds"]["local_min"][1] for n in manifest["nodes"])
    assert heights == pytest.approx([2.0, 4.0], rel=0.02)
    assert min(n["bounds"]["world_min"][1] for n in manifest["nodes"]) == pytest.approx(0.0, abs=1e-3)
    for n in manifest["nodes"]:  # each pivot at the centre of its base
        lo, hi = n["bounds"]["local_min"], n["bounds"]["local_max"]
        assert lo[1] == pytest.approx(0.0, abs=1e-3) and (lo[0] + hi[0]) / 2 == pytest.approx(0.0, abs=1e-3)


@pytest.mark.slow
def test_same_seed_same_bytes(tmp_path):
    src = tmp_path / "p.ply"
    write_point_cloud(src, 3000)
    for k in (1, 2):
        convert(src, tmp_path / f"o{k}", "--resolution", "40")
    a, b = (files_under(tmp_path / f"o{k}" / "p") for k in (1, 2))
    assert [p.name for p in a] == [p.name for p in b]
    glb = [(x.read_bytes(), y.read_bytes()) for x, y in zip(a, b) if x.suffix == ".glb"]
    assert glb and all(x == y for x, y in glb)


@pytest.mark.slow
def test_million_triangle_textured_glb(tmp_path):
    src = tmp_path / "hunyuan.glb"
    m = textured_sphere(8)  # 1.31M triangles, like a Hunyuan3D/TRELLIS export
    assert len(m.faces) >= 1_000_000
    m.export(src)
    manifest = convert(src, tmp_path / "out", "--budget", "50000")
    assert manifest["totals"]["triangles_per_lod"][0] <= 50_000
    check_asset(tmp_path / "out" / "hunyuan", "hunyuan", sphere_samples(), texture_colour, colour_tol=TEXTURE_TOL)


@pytest.mark.slow
def test_half_million_gaussians(tmp_path):
    src = tmp_path / "gaussians.ply"
    write_splats(src, 500_000)
    convert(src, tmp_path / "out")
    check_asset(tmp_path / "out" / "gaussians", "gaussians", sphere_samples(), splat_colour, colour_tol=POINT_TOL)


@pytest.mark.slow
def test_outputs_need_no_leftovers(tmp_path):
    """A failed conversion leaves no folder behind (see test_sources for the bad inputs)."""
    src = tmp_path / "empty.ply"
    src.write_bytes(
        b"ply\nformat ascii 1.0\nelement vertex 0\nproperty float x\nproperty float y\nproperty float z\nend_header\n"
    )
    proc = hyworld("convert", str(src), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_unpackable_lightmap_falls_back_to_shelved_charts_that_never_overlap(tmp_path, monkeypatch):
    """Where xatlas cannot pack a rebuilt surface's lightmap charts at any resolution, the charts are shelved as
    boxes and the manifest warns, instead of the conversion failing; every LOD's TEXCOORD_1 in the written GLB is
    checked triangle against triangle (the old fallback, uv1 = the texture atlas, could overlap)."""
    from exporters.errors import ResourceError
    from pipelines.convert.run import ConvertRequest
    from pipelines.convert.run import convert as run_convert
    from pipelines.options import BuildOptions, GenOptions
    from pipelines.texture import lightmap

    def unpackable(mesh, *, resolution, padding_texels=2):
        raise ResourceError("could not pack (simulated)")

    monkeypatch.setattr(lightmap, "lightmap_uvs", unpackable)
    src = tmp_path / "p.ply"
    write_point_cloud(src, 3000)
    opts = GenOptions(device="cpu", build=BuildOptions(resolution=40, texture_size=64, lods=2))
    outcome = run_convert(ConvertRequest(src, "p", tmp_path / "out", opts))
    assert any("lightmap charts packed as shelf boxes" in w for w in outcome.manifest["warnings"])
    check_asset(tmp_path / "out" / "p", "p", sphere_samples(), None, colour_tol=0.0)
    assert assert_lightmaps_never_overlap(tmp_path / "out" / "p" / "p.glb", tol=1e-7) >= 3  # LOD0-2, exactly
