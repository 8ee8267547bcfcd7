"""Input reading for `hyworld convert`: formats told apart by content, every bad input one line and exit 2 with no
files written, too large for memory exit 3 before any work; broken meshes detected (open, soup, self-intersecting)."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
import trimesh
from pygltflib import GLTF2
from typer.testing import CliRunner

from exporters.errors import InputError
from hyworld_cli.cli import app
from pipelines.convert.frame import FrameOptions
from pipelines.convert.objects import build_objects
from pipelines.sources import read_source, sniff
from tests.convert_inputs import coloured_sphere, textured_sphere, write_point_cloud, write_splats

runner = CliRunner()


def run_convert(*args: str):
    return runner.invoke(app, ["convert", *args])


@pytest.fixture
def good_glb(tmp_path) -> Path:
    path = tmp_path / "good.glb"
    textured_sphere(1).export(path)
    return path


def test_formats_are_sniffed_by_content(tmp_path, good_glb):
    m = coloured_sphere(1)
    (tmp_path / "a.bin").write_bytes(trimesh.exchange.ply.export_ply(m, encoding="binary"))
    (tmp_path / "b.bin").write_bytes(trimesh.exchange.stl.export_stl_ascii(m).encode())
    (tmp_path / "c.bin").write_text(trimesh.exchange.obj.export_obj(m))
    assert [sniff((tmp_path / n).read_bytes()) for n in ("a.bin", "b.bin", "c.bin")] == ["ply", "stl", "obj"]
    assert sniff(good_glb.read_bytes()) == "glb"
    assert read_source(tmp_path / "a.bin").format == "ply-mesh"
    assert len(read_source(tmp_path / "b.bin").mesh.faces) == len(m.faces)


def test_ply_points_and_splats_ascii_and_binary(tmp_path):
    write_point_cloud(tmp_path / "p.ply", 500, binary=False)
    write_splats(tmp_path / "s.ply", 500)
    pts = read_source(tmp_path / "p.ply")
    assert pts.format == "ply-points" and len(pts.points.positions) == 500
    spl = read_source(tmp_path / "s.ply")
    assert spl.format == "ply-splats"
    assert np.allclose(spl.points.opacity, 1 / (1 + np.exp(-2.0)), atol=1e-6)  # logit decoded
    assert np.allclose(np.linalg.norm(spl.points.rotations, axis=1), 1.0)


def test_gltf_with_external_buffer_and_texture_transform_and_specgloss(tmp_path, good_glb):
    gltf = GLTF2().load(str(good_glb))
    doc = json.loads(gltf.to_json())
    blob = gltf.binary_blob()
    (tmp_path / "scene.bin").write_bytes(blob)
    doc["buffers"] = [{"uri": "scene.bin", "byteLength": len(blob)}]
    mat = doc["materials"][0]
    tex = mat["pbrMetallicRoughness"].pop("baseColorTexture")
    tex["extensions"] = {"KHR_texture_transform": {"scale": [2.0, 2.0]}}
    mat["extensions"] = {"KHR_materials_pbrSpecularGlossiness": {"diffuseTexture": tex, "glossinessFactor": 0.25}}
    doc["extensionsUsed"] = ["KHR_texture_transform", "KHR_materials_pbrSpecularGlossiness"]
    (tmp_path / "scene.gltf").write_text(json.dumps(doc))
    mesh = read_source(tmp_path / "scene.gltf").mesh
    m = mesh.materials[0]
    assert m.roughness == pytest.approx(0.75) and m.metallic == 0.0
    assert m.base_color_texture is not None and m.base_color_texture.uv_transform[0] == pytest.approx(2.0)


def _glb_with(tmp_path: Path, good_glb: Path, edit) -> Path:
    gltf = GLTF2().load(str(good_glb))
    doc = json.loads(gltf.to_json())
    blob = gltf.binary_blob()
    edit(doc)
    text = json.dumps(doc).encode()
    text += b" " * (-len(text) % 4)
    body = struct.pack("<I4s", len(text), b"JSON") + text + struct.pack("<I4s", len(blob), b"BIN\x00") + blob
    path = tmp_path / "edited.glb"
    path.write_bytes(struct.pack("<4sII", b"glTF", 2, 12 + len(body)) + body)
    return path


def _bad_inputs(tmp_path: Path, good_glb: Path) -> dict[str, Path]:
    out = {}
    data = good_glb.read_bytes()
    (tmp_path / "truncated.glb").write_bytes(data[: len(data) // 2])
    out["truncated"] = tmp_path / "truncated.glb"
    (tmp_path / "magic.glb").write_bytes(b"glTX" + data[4:])
    out["wrong magic"] = tmp_path / "magic.glb"
    ply = "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n"
    (tmp_path / "nan.ply").write_text(ply + "0 0 0\nnan 1 0\n0 0 1\n3 0 1 2\n")
    out["nan"] = tmp_path / "nan.ply"
    (tmp_path / "range.ply").write_text(ply + "0 0 0\n1 1 0\n0 0 1\n3 0 1 7\n")
    out["index out of range"] = tmp_path / "range.ply"
    (tmp_path / "noface.obj").write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\n")
    out["no faces"] = tmp_path / "noface.obj"
    out["declared buffer too large"] = _glb_with(tmp_path, good_glb, lambda d: d["buffers"][0].update(byteLength=10**9))
    (tmp_path / "uri").mkdir()
    doc = json.loads(GLTF2().load(str(good_glb)).to_json())
    doc["buffers"] = [{"uri": "../secret.bin", "byteLength": 4}]
    (tmp_path / "secret.bin").write_bytes(b"\0" * 4)
    (tmp_path / "uri" / "escape.gltf").write_text(json.dumps(doc))
    out["uri leaves folder"] = tmp_path / "uri" / "escape.gltf"
    (tmp_path / "tex").mkdir()
    (tmp_path / "tex" / "m.obj").write_text(
        "mtllib m.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nvt 0 0\nusemtl a\nf 1/1 2/1 3/1\n"
    )
    (tmp_path / "tex" / "m.mtl").write_text("newmtl a\nmap_Kd missing.png\n")
    out["missing texture"] = tmp_path / "tex" / "m.obj"
    (tmp_path / "stl.stl").write_bytes(b"\0" * 80 + struct.pack("<I", 1000) + b"\0" * 100)
    out["truncated stl"] = tmp_path / "stl.stl"
    return out


def test_bad_inputs_exit_2_with_one_line_naming_the_file_and_no_files(tmp_path, good_glb):
    for what, path in _bad_inputs(tmp_path, good_glb).items():
        out = tmp_path / f"out_{what.replace(' ', '_')}"
        result = run_convert(str(path), "--out", str(out))
        lines = [ln for ln in result.output.strip().splitlines() if ln.strip()]
        assert result.exit_code == 2, (what, result.output)
        assert len(lines) == 1 and lines[0].startswith("error:"), (what, result.output)
        assert path.name in result.output.replace("\n", ""), (what, result.output)
        assert not out.exists(), what


def test_too_large_for_memory_exits_3_before_work(tmp_path, good_glb, monkeypatch):
    monkeypatch.setenv("HYWORLD_MEMORY_BYTES", "1000")
    result = run_convert(str(good_glb), "--out", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert "too large for memory" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_broken_meshes_are_detected_and_rebuilt_clean_ones_kept(tmp_path):
    box = trimesh.creation.box((1.0, 1.0, 1.0))
    shifted = box.copy()
    shifted.apply_translation((0.5, 0.2, 0.0))
    fine = trimesh.Trimesh(*trimesh.remesh.subdivide_to_size(box.vertices, box.faces, 0.15)[:2])
    tri = fine.triangles
    soup = tri.mean(1, keepdims=True) + 0.97 * (tri - tri.mean(1, keepdims=True))  # triangles that share no corner
    cases = {
        "clean": box,
        "self-intersecting": trimesh.util.concatenate([box, shifted]),
        "open": trimesh.Trimesh(*trimesh.remesh.subdivide_to_size(box.vertices, box.faces, 0.15)[:2]),
        "soup": trimesh.Trimesh(soup.reshape(-1, 3), np.arange(len(soup) * 3).reshape(-1, 3), process=False),
    }
    cases["open"] = trimesh.Trimesh(cases["open"].vertices, cases["open"].faces[:-2])  # a small hole
    for what, mesh in cases.items():
        path = tmp_path / f"{what}.ply"
        path.write_bytes(trimesh.exchange.ply.export_ply(mesh))
        fields, decisions = build_objects(read_source(path), FrameOptions(), what, 32, 0)
        part = decisions["parts"][0]
        if what == "clean":
            assert part["problems"] == [] and fields[0].ready_mesh is not None
        else:
            assert any(p.startswith(what.split("-")[0]) for p in part["problems"]), (what, part)
            assert fields[0].grid is not None and part["remesh"]["closed_volume"], (what, part)
    open_box = build_objects(read_source(tmp_path / "open.ply"), FrameOptions(), "o", 32, 0)[0][0]
    import torch

    inside = open_box.sdf(torch.tensor([[0.0, 0.5, 0.0]]))  # the hole closed: the centre is inside
    assert float(inside[0]) < 0


def test_frame_options_are_checked():
    for bad in (
        FrameOptions(up="up"),
        FrameOptions(units="furlong"),
        FrameOptions(split="halves"),
        FrameOptions(scale=0),
    ):
        with pytest.raises(InputError):
            bad.check()
    from pipelines.convert.frame import rotation

    with pytest.raises(InputError):
        rotation(FrameOptions(up="+y", forward="-y"), False)
    r, up, fwd = rotation(FrameOptions(up="+z", forward="-y"), False)
    assert np.allclose(r @ [0, 0, 1], [0, 1, 0]) and np.allclose(r @ [0, -1, 0], [0, 0, 1])
    assert np.linalg.det(r) == pytest.approx(1.0)
