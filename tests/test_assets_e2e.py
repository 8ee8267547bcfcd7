"""One prompt through the whole chain, checked only from the files written (GLB, FBX, manifest).

The scene is built once (low resolution, small textures) and written with the
unreal and unity presets; every check reads the files back with independent
readers: the Khronos validator and pygltflib for GLB, ufbx for FBX.
"""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
import torch
from pygltflib import GLTF2

from exporters import write_formats
from exporters.presets import get_preset
from pipelines.generate import GenRequest, generate
from pipelines.mesh.budgets import default_budget
from pipelines.options import BuildOptions, GenOptions
from pipelines.texture.raster import uv_overlap_count
from tests.fbx_reader import read_ufbx, require_readers
from tests.pngs import read_png
from tests.validator import assert_valid_gltf

# One real generation of a small village, read back by independent readers: end to end.
pytestmark = pytest.mark.slow

PROMPT = "three houses, five trees, a single tower and two wells, with a wooden fence"
EXPECTED = {"house": 3, "tree": 5, "tower": 1, "well": 2, "fence": 1}
MAX_TRIANGLES = 40_000
OPTS = BuildOptions(resolution=40, texture_size=128, lods=2, max_triangles=MAX_TRIANGLES, workers=1)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("e2e")
    options = GenOptions(seed=3, build=OPTS, device="cpu", target="unreal")
    outcome = generate(GenRequest(prompt=PROMPT, name="hamlet", out_root=out, options=options))
    gltf_path = outcome.out_dir / "hamlet.glb"
    return {
        "dir": outcome.out_dir,
        "manifest": json.loads((outcome.out_dir / "manifest.json").read_text()),
        "glb": gltf_path,
        "gltf": GLTF2().load(str(gltf_path)),
        "fbx": outcome.out_dir / "hamlet.fbx",
    }


def _accessor(gltf: GLTF2, index: int) -> np.ndarray:
    acc = gltf.accessors[index]
    view = gltf.bufferViews[acc.bufferView]
    blob = gltf.binary_blob()
    comps = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}[acc.type]
    dtype = {5126: np.float32, 5125: np.uint32, 5123: np.uint16}[acc.componentType]
    start = (view.byteOffset or 0) + (acc.byteOffset or 0)
    data = np.frombuffer(blob, dtype=dtype, count=acc.count * comps, offset=start)
    return data.reshape(acc.count, comps) if comps > 1 else data


def _mesh_arrays(gltf: GLTF2, mesh_index: int) -> dict[str, np.ndarray]:
    prim = gltf.meshes[mesh_index].primitives[0]
    out = {"indices": _accessor(gltf, prim.indices).reshape(-1, 3).astype(np.int64)}
    for name in ("POSITION", "NORMAL", "TEXCOORD_0", "TEXCOORD_1", "TANGENT"):
        index = getattr(prim.attributes, name)
        if index is not None:
            out[name] = _accessor(gltf, index)
    return out


def _nodes_by_name(gltf: GLTF2) -> dict:
    return {n.name: n for n in gltf.nodes}


def _world(node, positions: np.ndarray) -> np.ndarray:
    x, y, z, w = node.rotation or (0.0, 0.0, 0.0, 1.0)
    u = np.array([x, y, z])
    v = positions.astype(np.float64)
    rotated = v + 2.0 * np.cross(u, np.cross(u, v) + w * v)
    return rotated + np.asarray(node.translation or (0.0, 0.0, 0.0))


def test_glb_passes_khronos_validator(written):
    assert_valid_gltf(written["glb"])


def test_prompt_counts_are_honoured(written):
    kinds = Counter(n["kind"] for n in written["manifest"]["nodes"])
    for kind, count in EXPECTED.items():
        assert kinds[kind] == count, (kind, kinds)
    assert written["manifest"]["unknown_words"] == []


def _scene_objects(written):
    gltf = written["gltf"]
    nodes = _nodes_by_name(gltf)
    objects = {}
    for entry in written["manifest"]["nodes"]:
        node = nodes[entry["object_name"]]
        lod0 = entry["lods"][0]["mesh"]
        mesh_index = next(i for i, m in enumerate(gltf.meshes) if m.name == lod0)
        objects[entry["name"]] = (entry, node, _world(node, _mesh_arrays(gltf, mesh_index)["POSITION"]))
    return objects


def test_every_object_stands_on_the_terrain(written):
    objects = _scene_objects(written)
    terrain = objects.pop("terrain")[2]
    for name, (_entry, _, world) in objects.items():
        lo, hi = world.min(axis=0), world.max(axis=0)
        under = (
            (terrain[:, 0] >= lo[0]) & (terrain[:, 0] <= hi[0]) & (terrain[:, 2] >= lo[2]) & (terrain[:, 2] <= hi[2])
        )
        if not under.any():  # a small object between terrain vertices: take the nearest ones
            d = np.hypot(terrain[:, 0] - (lo[0] + hi[0]) / 2, terrain[:, 2] - (lo[2] + hi[2]) / 2)
            under = d <= np.sort(d)[3]
        ground = terrain[under, 1]
        assert lo[1] <= ground.max() + 0.05, f"{name} floats: base {lo[1]:.2f} m above ground {ground.max():.2f} m"
        assert lo[1] >= ground.min() - 0.75, f"{name} is buried: base {lo[1]:.2f} m, ground {ground.min():.2f} m"


def test_objects_do_not_interpenetrate(written):
    objects = _scene_objects(written)
    objects.pop("terrain")
    boxes = {name: (w.min(axis=0), w.max(axis=0)) for name, (_, _, w) in objects.items()}
    names = sorted(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            (alo, ahi), (blo, bhi) = boxes[a], boxes[b]
            overlap = np.clip(np.minimum(ahi, bhi) - np.maximum(alo, blo), 0, None)
            shared = overlap[0] * overlap[2]
            smaller = min((ahi - alo)[0] * (ahi - alo)[2], (bhi - blo)[0] * (bhi - blo)[2])
            assert shared <= 0.2 * smaller, f"{a} and {b} overlap by {shared / smaller:.0%} of the smaller footprint"


def test_lod_levels_at_least_halve_triangles_and_budgets_hold(written):
    gltf = written["gltf"]
    meshes = {m.name: i for i, m in enumerate(gltf.meshes)}
    total0 = 0
    for entry in written["manifest"]["nodes"]:
        counts = [len(_mesh_arrays(gltf, meshes[lod["mesh"]])["indices"]) for lod in entry["lods"]]
        assert counts == [lod["triangles"] for lod in entry["lods"]]
        assert len(counts) == OPTS.lods + 1, entry["name"]
        for a, b in zip(counts, counts[1:]):
            assert b <= a // 2, (entry["name"], counts)
        assert counts[0] <= default_budget(entry["kind"]), (entry["name"], counts[0])
        total0 += counts[0]
    assert total0 <= MAX_TRIANGLES


def test_lightmap_uvs_are_inside_unit_square_without_overlap(written):
    gltf = written["gltf"]
    meshes = {m.name: i for i, m in enumerate(gltf.meshes)}
    for entry in written["manifest"]["nodes"]:
        arrays = _mesh_arrays(gltf, meshes[entry["lods"][0]["mesh"]])
        uv1 = arrays["TEXCOORD_1"]
        assert uv1.min() >= 0.0 and uv1.max() <= 1.0, entry["name"]
        count = uv_overlap_count(torch.from_numpy(uv1.copy()), torch.from_numpy(arrays["indices"]), 256)
        assert int(count.max()) <= 1, f"{entry['name']}: lightmap charts overlap"


def test_normal_maps_decode_to_unit_vectors_and_tangents_are_unit(written):
    gltf = written["gltf"]
    blob = gltf.binary_blob()
    for material in gltf.materials:
        if material.normalTexture is None:
            continue
        image = gltf.images[gltf.textures[material.normalTexture.index].source]
        view = gltf.bufferViews[image.bufferView]
        png = read_png(blob[view.byteOffset : view.byteOffset + view.byteLength]).astype(np.float64)
        n = png / 255.0 * 2.0 - 1.0
        length = np.linalg.norm(n, axis=2)
        assert np.abs(length - 1).max() < 0.03, material.name
        assert (n[..., 2] > 0).all(), f"{material.name}: a normal points into the surface"
    for i in range(len(gltf.meshes)):
        arrays = _mesh_arrays(gltf, i)
        if "TANGENT" in arrays:
            t = arrays["TANGENT"]
            assert np.allclose(np.linalg.norm(t[:, :3], axis=1), 1, atol=1e-3)
            assert set(np.unique(t[:, 3])) <= {-1.0, 1.0}


def test_collision_hulls_are_convex_and_contain_the_visual_mesh(written):
    gltf = written["gltf"]
    nodes = _nodes_by_name(gltf)
    meshes = {m.name: i for i, m in enumerate(gltf.meshes)}
    for entry in written["manifest"]["nodes"]:
        visual = _mesh_arrays(gltf, meshes[entry["lods"][0]["mesh"]])["POSITION"].astype(np.float64)
        diag = float(np.linalg.norm(visual.max(0) - visual.min(0)))
        hulls = [c for c in entry["collision"] if c["kind"] == "convex"]
        if entry["kind"] == "terrain":
            assert [c["kind"] for c in entry["collision"]] == ["trimesh"]
            continue
        assert hulls, entry["name"]
        inside_any = np.zeros(len(visual), dtype=bool)
        for hull in hulls:
            arrays = _mesh_arrays(gltf, nodes[hull["gltf_node"]].mesh)
            p, f = arrays["POSITION"].astype(np.float64), arrays["indices"]
            assert len(f) <= 255
            normal = np.cross(p[f[:, 1]] - p[f[:, 0]], p[f[:, 2]] - p[f[:, 0]])
            normal /= np.linalg.norm(normal, axis=1, keepdims=True)
            offset = np.einsum("ij,ij->i", normal, p[f[:, 0]])
            # convex with outward faces: every hull vertex lies behind every face plane
            assert (p @ normal.T - offset).max() <= 1e-4 * diag, f"{hull['gltf_node']} is not convex"
            inside_any |= ((visual @ normal.T - offset) <= 1e-3 * diag).all(axis=1)
        assert inside_any.all(), f"{entry['name']}: {(~inside_any).sum()} vertices outside every hull"


def test_unreal_fbx_matches_the_manifest_in_names_units_and_axes(written):
    require_readers()
    scene = read_ufbx(written["fbx"])
    assert scene.axes[1] == "+Z" and abs(scene.unit_meters - 0.01) < 1e-9
    converted = read_ufbx(written["fbx"], target="y_up_meters")
    for entry in written["manifest"]["nodes"]:
        assert entry["object_name"] in scene.nodes, entry["object_name"]
        lod0 = converted.nodes[entry["lods"][0]["mesh"]]
        world = lod0.world_positions()
        height = float(world[:, 1].max() - world[:, 1].min())
        expected = entry["bounds"]["local_max"][1] - entry["bounds"]["local_min"][1]
        assert height == pytest.approx(expected, rel=1e-3, abs=1e-3), entry["name"]
        assert list(lod0.mesh.uv_sets) == ["UVMap", "Lightmap"]
        if len(entry["lods"]) > 1:
            assert entry["object_name"] in scene.lod_groups
        for c in entry["collision"]:
            assert c["mesh"] in scene.nodes


def test_unity_fbx_is_y_up_meters_with_lod_names(written, tmp_path):
    require_readers()
    from exporters.asset import Asset  # noqa: F401  (the same document, another preset)
    from pipelines.models import get_model
    from pipelines.run import build, resolve_device

    model = get_model("procedural")
    plan = model.generate("a single tree", 1)
    asset = build(
        plan, model, BuildOptions(resolution=32, texture_size=128, lods=2, workers=1), resolve_device("cpu")
    ).asset
    files = write_formats(asset, tmp_path, "tree", get_preset("unity"))
    fbx = next(f.path for f in files if f.role == "fbx")
    scene = read_ufbx(fbx)
    assert scene.axes[1] == "+Y"
    converted = read_ufbx(fbx, target="y_up_meters")
    tree = next(n for n in asset.nodes if n.kind == "tree")
    lod0 = converted.nodes[f"{tree.name}_LOD0"]
    world = lod0.world_positions()
    lo, hi = tree.mesh.bounds()
    assert float(world[:, 1].max() - world[:, 1].min()) == pytest.approx(float(hi[1] - lo[1]), rel=1e-3)
    assert {f"{tree.name}_LOD{i}" for i in range(3)} <= set(converted.nodes)


def test_unknown_words_are_reported_in_the_manifest_and_on_stderr(tmp_path):
    import subprocess
    import sys

    prompt = tmp_path / "odd.txt"
    prompt.write_text("two houses next to a zeppelin and a flibbertigibbet", encoding="utf-8")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "hyworld_cli",
            "gen",
            str(prompt),
            "--out",
            str(tmp_path / "out"),
            "--resolution",
            "24",
            "--texture-size",
            "64",
            "--lods",
            "0",
            "--no-collision",
            "--device",
            "cpu",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    manifest = json.loads(r.stdout)
    words = {u["word"]: u for u in manifest["unknown_words"]}
    assert {"zeppelin", "flibbertigibbet"} <= set(words), words
    assert Counter(n["kind"] for n in manifest["nodes"])["house"] == 2
    assert "flibbertigibbet" in r.stderr  # the run names every unknown word, not only the manifest
    assert_valid_gltf(tmp_path / "out" / "odd" / "odd.glb")
