"""The manifest: matches its schema, its hashes match the files, its names match the GLB."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pygltflib
import pytest

from exporters import manifest, write_formats
from exporters.asset import CollisionShape, MeshData
from exporters.fbx import ORM_PROPERTY
from exporters.files import WrittenFile
from exporters.manifest import RunInfo, build_manifest, validate_manifest
from exporters.presets import Preset, get_preset
from tests.conftest import hull_box, make_small_asset
from tests.fbx_reader import read_ufbx, require_readers
from tests.validator import assert_valid_gltf


def _run(**overrides) -> RunInfo:
    fields = dict(
        tool_version="0.1.0",
        model="procedural",
        seed=7,
        prompt_sha256=hashlib.sha256(b"a village").hexdigest(),
        prompt_chars=9,
        options={"lods": 3, "resolution": np.int64(128), "out": Path("out/village")},
        device="cpu",
        kernels={"extract": "torch-reference", "bake": "torch-reference"},
        stage_seconds={"extract": 0.25, "bake": np.float32(1.5)},
        target="generic",
        unknown_words=[{"word": "zeppelin", "position": 3}],
        warnings=["terrain resolution clamped to 256"],
    )
    fields.update(overrides)
    return RunInfo(**fields)


def _written(tmp_path: Path, preset: Preset) -> tuple[dict, list[WrittenFile]]:
    asset = make_small_asset()
    files = write_formats(asset, tmp_path, "village", preset)
    return build_manifest(asset, files, _run(target=preset.name), tmp_path, preset=preset), files


def test_manifest_matches_schema_and_hashes_match_files(tmp_path, unreal_like_preset):
    data, files = _written(tmp_path, unreal_like_preset)
    written = manifest.write(data, tmp_path / "village.manifest.json")
    loaded = json.loads(written.path.read_text(encoding="utf-8"))
    validate_manifest(loaded)
    assert loaded["schema_version"] == manifest.SCHEMA_VERSION
    assert [f["path"] for f in loaded["files"]] == ["village.glb"]
    for entry in loaded["files"]:
        blob = (tmp_path / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(blob).hexdigest()
        assert entry["bytes"] == len(blob)
    assert loaded["totals"]["file_bytes"] == sum(f.bytes for f in files)
    assert written.sha256 == hashlib.sha256(written.path.read_bytes()).hexdigest()


def test_manifest_file_is_pretty_sorted_and_deterministic(tmp_path, generic_preset):
    data, _ = _written(tmp_path, generic_preset)
    text = manifest.write(data, tmp_path / "a.json").path.read_text(encoding="utf-8")
    again, _ = _written(tmp_path, generic_preset)
    assert manifest.write(again, tmp_path / "b.json").path.read_bytes() == text.encode("utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "asset_name"')
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json", "village.glb"]


def test_manifest_records_provenance(tmp_path, generic_preset):
    data, _ = _written(tmp_path, generic_preset)
    assert data["seed"] == 7 and data["model"] == "procedural" and data["device"] == "cpu"
    assert data["prompt"] == {"sha256": hashlib.sha256(b"a village").hexdigest(), "chars": 9}
    assert data["options"] == {"lods": 3, "out": "out/village", "resolution": 128}
    assert data["stage_seconds"] == {"bake": 1.5, "extract": 0.25}
    assert data["kernels"]["extract"] == "torch-reference"
    assert data["unknown_words"] == [{"position": 3, "word": "zeppelin"}]
    assert data["tool_version"] == "0.1.0" and data["target"] == "generic"
    assert data["extras"]["seed"] == 7


def test_manifest_counts_lods_colliders_and_bounds(tmp_path, generic_preset):
    data, _ = _written(tmp_path, generic_preset)
    house, rock, terrain = data["nodes"]
    assert [lod["triangles"] for lod in house["lods"]] == [48, 12, 6]
    assert [lod["screen_size"] for lod in house["lods"]] == [0.4, 0.15, 0.02]
    assert house["collision"] == [
        {"kind": "box", "mesh": "UBX_house_01_00", "gltf_node": "UBX_house_01_00", "triangles": 12, "vertices": 8}
    ]
    assert rock["collision"][0]["kind"] == "convex" and terrain["collision"][0]["kind"] == "trimesh"
    assert house["uv_sets"] == ["uv0", "uv1"] and house["has_tangents"] and not house["has_vertex_colors"]
    assert house["material"] == "house" and house["kind"] == "house"
    assert house["bounds"]["local_min"] == [-2.0, 0.0, -2.5] and house["bounds"]["local_max"] == [2.0, 3.0, 2.5]
    # +90 degrees about Y maps local (x, z) to world (z, -x), then the pivot moves to (4, 0, -2)
    assert np.allclose(house["bounds"]["world_min"], [1.5, 0.0, -4.0])
    assert np.allclose(house["bounds"]["world_max"], [6.5, 3.0, 0.0])
    assert np.allclose(rock["bounds"]["world_max"], [-3.0 + 0.75, 0.2 + 1.5, 1.5 + 0.75])
    totals = data["totals"]
    assert totals["triangles_per_lod"] == [48 + 8 + 32, 12 + 8 + 8, 6 + 8 + 8]
    assert totals["collision_shapes"] == 3 and totals["nodes"] == 3 and totals["lod_levels"] == 3


def test_manifest_names_every_lod_and_collider_mesh_in_the_glb(tmp_path, unreal_like_preset):
    data, files = _written(tmp_path, unreal_like_preset)
    doc = pygltflib.GLTF2.load(str(files[0].path))
    mesh_names = {m.name for m in doc.meshes}
    node_names = {n.name for n in doc.nodes}
    for node in data["nodes"]:
        assert node["object_name"] in node_names and node["object_name"].startswith("SM_")
        for lod in node["lods"]:
            assert lod["mesh"] in mesh_names
            assert lod["level"] == 0 or lod["mesh"] in node_names  # LOD1+ are MSFT_lod nodes
        for entry in node["collision"]:
            assert entry["gltf_node"] == entry["mesh"]  # no merged hulls without merge_lod_hulls
            assert entry["gltf_node"] in mesh_names and entry["gltf_node"] in node_names
    materials = {m.name for m in doc.materials}
    assert {n["material"] for n in data["nodes"]} <= materials
    assert {t["name"] for t in data["textures"]} == {i.name for i in doc.images}


def test_empty_lod_has_no_mesh_name(tmp_path, generic_preset):
    asset = make_small_asset()
    empty = asset.nodes[0].lods[2]
    empty.positions, empty.indices = np.zeros((0, 3), np.float32), np.zeros((0, 3), np.uint32)
    data = build_manifest(asset, [], _run(), tmp_path, preset=generic_preset)
    validate_manifest(data)
    assert [lod["mesh"] for lod in data["nodes"][0]["lods"]] == ["house_01_LOD0", "house_01_LOD1", None]


def test_preset_is_found_by_target_name(tmp_path):
    data = build_manifest(make_small_asset(), [], _run(target="generic"), tmp_path)
    assert data["nodes"][0]["object_name"] == "house_01"


def test_validate_manifest_lists_violations(tmp_path, generic_preset):
    data, _ = _written(tmp_path, generic_preset)
    data["files"][0]["sha256"] = "not a hash"
    del data["seed"]
    with pytest.raises(ValueError) as err:
        validate_manifest(data)
    assert "/files/0/sha256" in str(err.value) and "seed" in str(err.value)


def test_file_outside_the_manifest_folder_is_rejected(tmp_path, generic_preset):
    outside = WrittenFile(path=tmp_path.parent / "elsewhere.glb", role="glb", bytes=1, sha256="0" * 64)
    with pytest.raises(ValueError, match="not inside"):
        build_manifest(make_small_asset(), [outside], _run(), tmp_path, preset=generic_preset)


def test_non_json_options_are_rejected(tmp_path, generic_preset):
    with pytest.raises(ValueError, match="options.bad"):
        build_manifest(make_small_asset(), [], _run(options={"bad": object()}), tmp_path, preset=generic_preset)
    with pytest.raises(ValueError, match="nan"):
        build_manifest(make_small_asset(), [], _run(options={"x": float("nan")}), tmp_path, preset=generic_preset)


def _merged_hulls_asset():
    """The small asset with a second hull (convex) and an empty shape on the 3-LOD house:
    Unreal merges the box and the convex hull into one FBX mesh; the GLB keeps one node each."""
    asset = make_small_asset()
    asset.nodes[0].collision += [
        CollisionShape("convex", hull_box((2.0, 1.0, 2.0))),
        CollisionShape("box", MeshData(np.zeros((0, 3)), np.zeros((0, 3)))),
    ]
    return asset


def _gltf_triangles(doc: pygltflib.GLTF2, mesh: int) -> int:
    return sum(doc.accessors[p.indices].count // 3 for p in doc.meshes[mesh].primitives)


@pytest.mark.parametrize("target", ["unity", "unreal"])
def test_manifest_names_are_the_names_in_the_fbx_and_the_glb(tmp_path, target, gltf_validator):
    """Objects, LOD meshes, colliders, materials and textures: every name the manifest gives
    is found, for the same thing, in the FBX (read by ufbx) and in the GLB (read by pygltflib)."""
    require_readers()
    asset = _merged_hulls_asset()
    files = write_formats(asset, tmp_path, "village", get_preset(target))
    data = build_manifest(asset, files, _run(target=target), tmp_path)  # preset found by target name
    validate_manifest(data)
    assert_valid_gltf(tmp_path / "village.glb")
    fbx = read_ufbx(tmp_path / "village.fbx")
    glb = pygltflib.GLTF2.load(str(tmp_path / "village.glb"))
    gl_nodes = {n.name: i for i, n in enumerate(glb.nodes)}
    assert len(gl_nodes) == len(glb.nodes), "GLB node names are unique"
    scene = set(glb.scenes[glb.scene].nodes)

    for node in data["nodes"]:
        obj = node["object_name"]
        assert fbx.nodes[obj].parent is None and gl_nodes[obj] in scene
        lods = [lod["mesh"] for lod in node["lods"] if lod["mesh"]]
        if len(lods) > 1:
            assert fbx.nodes[obj].attrib == "LOD_GROUP" and fbx.nodes[obj].children == lods
        else:
            assert lods == [obj] and fbx.nodes[obj].attrib == "MESH"
        for level, name in enumerate(lods):
            triangles = node["lods"][level]["triangles"]
            assert fbx.nodes[name].mesh.num_triangles == triangles
            assert fbx.nodes[name].mesh.materials == [node["material"]]
            gl_mesh = glb.nodes[gl_nodes[obj] if level == 0 else gl_nodes[name]].mesh
            assert glb.meshes[gl_mesh].name == name and _gltf_triangles(glb, gl_mesh) == triangles
            material = glb.materials[glb.meshes[gl_mesh].primitives[0].material].name
            assert material in (node["material"], node["material"] + "_noNormalMap")
        fbx_triangles: dict[str, int] = {}
        for shape in node["collision"]:
            if shape["mesh"] is None:
                assert shape["gltf_node"] is None and shape["triangles"] == 0
                continue
            fbx_triangles[shape["mesh"]] = fbx_triangles.get(shape["mesh"], 0) + shape["triangles"]
            assert fbx.nodes[shape["mesh"]].user_props["hyworld_collision_of"] == obj
            gl_node = glb.nodes[gl_nodes[shape["gltf_node"]]]
            assert gl_nodes[shape["gltf_node"]] not in scene
            assert gl_node.extras == {"collision": shape["kind"], "collision_of": obj}
            assert glb.meshes[gl_node.mesh].name == shape["gltf_node"]
            assert _gltf_triangles(glb, gl_node.mesh) == shape["triangles"]
        for name, triangles in fbx_triangles.items():  # merged shapes: one FBX mesh holds them all
            assert fbx.nodes[name].mesh.num_triangles == triangles

    textures = [t["name"] for t in data["textures"]]
    assert sorted(textures) == sorted(fbx.textures) == sorted(i.name for i in glb.images)
    beside = sorted(Path(f["path"]).name for f in data["files"] if f["role"] == "texture")
    assert beside == sorted(f"{name}.png" for name in textures)
    gl_materials = {m.name: m for m in glb.materials}
    slots = {"base_color_texture": "DiffuseColor", "normal_texture": "NormalMap", "orm_texture": ORM_PROPERTY}
    for entry in data["materials"]:
        links = {slots[k]: entry[k] for k in slots if entry[k] is not None}
        assert fbx.materials[entry["name"]].links == links
        pbr = gl_materials[entry["name"]].pbrMetallicRoughness
        if entry["base_color_texture"] is not None:
            image = glb.textures[pbr.baseColorTexture.index].source
            assert glb.images[image].name == entry["base_color_texture"]
        if entry["orm_texture"] is not None:
            image = glb.textures[pbr.metallicRoughnessTexture.index].source
            assert glb.images[image].name == entry["orm_texture"]

    house = data["nodes"][0]["collision"]
    if target == "unreal":
        assert data["nodes"][0]["object_name"] == "SM_house_01"
        assert [c["mesh"] for c in house] == ["UCX_SM_house_01_LOD0", "UCX_SM_house_01_LOD0", None]
        assert [c["gltf_node"] for c in house] == ["UCX_SM_house_01_LOD0_00", "UCX_SM_house_01_LOD0_01", None]
        assert {"T_house_01_BC", "T_house_01_N", "T_house_01_ORM", "T_rock_01_BC"} == set(textures)
        assert data["nodes"][0]["material"] == "M_house"
    else:
        assert (
            [c["mesh"] for c in house]
            == [c["gltf_node"] for c in house]
            == ["UBX_house_01_00", "UCX_house_01_01", None]
        )
        assert set(textures) == {t.name for t in asset.textures}
