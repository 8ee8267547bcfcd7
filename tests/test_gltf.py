"""The GLB writer: validator-clean, readable by independent readers, deterministic, atomic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pygltflib
import pytest
import trimesh

from exporters import WRITERS, gltf, write_formats
from exporters.asset import Asset, CollisionShape, MeshData, Node
from exporters.errors import InputError
from exporters.presets import Preset
from tests.conftest import box_mesh, grid_mesh, hull_box, make_small_asset
from tests.pngs import read_png
from tests.validator import ValidatorUnavailable, assert_valid_gltf, issue_codes, validate_gltf

# Infos the fixture's GLB is expected to give, and why:
#   UNSUPPORTED_EXTENSION  the validator does not know MSFT_lod
#   UNUSED_OBJECT          LOD1+ and collider nodes are outside the scene (on purpose);
#                          TEXCOORD_1 (lightmap UVs) and uv0 of untextured materials are not
#                          read by any material, but engines use them
EXPECTED_INFOS = {"UNSUPPORTED_EXTENSION", "UNUSED_OBJECT"}


def _write(asset: Asset, tmp_path: Path, preset: Preset, name: str = "village.glb") -> Path:
    path = tmp_path / name
    files = gltf.write(asset, path, preset)
    assert [f.path for f in files] == [path]
    return path


def _accessor_array(doc: pygltflib.GLTF2, index: int) -> np.ndarray:
    acc = doc.accessors[index]
    view = doc.bufferViews[acc.bufferView]
    dtype = {5126: np.float32, 5123: np.uint16, 5125: np.uint32}[acc.componentType]
    width = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}[acc.type]
    blob = doc.binary_blob()
    start = view.byteOffset + (acc.byteOffset or 0)
    return np.frombuffer(blob, dtype=dtype, count=acc.count * width, offset=start).reshape(acc.count, width)


def _image_bytes(doc: pygltflib.GLTF2, image: int) -> bytes:
    view = doc.bufferViews[doc.images[image].bufferView]
    return doc.binary_blob()[view.byteOffset : view.byteOffset + view.byteLength]


@pytest.mark.parametrize("preset_fixture", ["generic_preset", "unreal_like_preset", "unity_preset", "unreal_preset"])
def test_glb_passes_khronos_validator_without_errors_or_warnings(
    small_asset, tmp_path, request, preset_fixture, gltf_validator
):
    path = _write(small_asset, tmp_path, request.getfixturevalue(preset_fixture))
    report = assert_valid_gltf(path)
    assert issue_codes(report, 2) <= EXPECTED_INFOS, report["issues"]["messages"]
    info = report["info"]
    assert info["hasDefaultScene"] and info["hasTextures"]
    assert info["maxUVs"] == 2  # TEXCOORD_0 and TEXCOORD_1 (lightmap)
    assert report["issues"]["numHints"] == 0


def _empty_mesh() -> MeshData:
    return MeshData(np.zeros((0, 3)), np.zeros((0, 3)))


def _with_lightmap_only_node() -> Asset:
    slab = grid_mesh(2)
    slab.uv0 = None
    asset = make_small_asset()
    asset.nodes.append(Node("slab", "prop", [slab], material=0))  # material 0 is textured
    return asset


def _with_empty_last_lod() -> Asset:
    asset = make_small_asset()
    asset.nodes[0].lods[2] = _empty_mesh()
    return asset


EDGE_CASES = {
    "no nodes": lambda: Asset(name="nothing"),
    "empty node": lambda: Asset(
        name="x", nodes=[Node("ghost", "rock", [_empty_mesh()], collision=[CollisionShape("convex", _empty_mesh())])]
    ),
    "uv1 without uv0 on a textured material": _with_lightmap_only_node,
    "empty last LOD": _with_empty_last_lod,
    "70k vertices": lambda: Asset(
        name="big", nodes=[Node("big", "terrain", [grid_mesh(264), grid_mesh(8)], lod_screen_sizes=[0.5, 0.1])]
    ),
}


@pytest.mark.parametrize("case", list(EDGE_CASES))
def test_edge_case_assets_pass_validator(case, tmp_path, generic_preset, gltf_validator):
    path = _write(EDGE_CASES[case](), tmp_path, generic_preset)
    report = assert_valid_gltf(path)
    assert issue_codes(report, 2) <= EXPECTED_INFOS | {"NODE_EMPTY"}


def test_nodes_meshes_and_lods_read_back_with_pygltflib(small_asset, tmp_path, unreal_like_preset):
    doc = pygltflib.GLTF2.load(str(_write(small_asset, tmp_path, unreal_like_preset)))
    assert doc.asset.version == "2.0" and doc.asset.generator == "hyworld"
    assert doc.asset.extras == {"prompt_sha256": "0" * 64, "seed": 7, "tags": ["test", "small"]}
    assert doc.scenes[doc.scene].nodes == [0, 1, 2]
    assert [n.name for n in doc.nodes[:3]] == ["SM_house_01", "SM_rock_01", "SM_terrain"]
    assert "MSFT_lod" in doc.extensionsUsed and not doc.extensionsRequired
    for index, node in enumerate(small_asset.nodes):
        gnode = doc.nodes[index]
        assert gnode.translation in (None, list(node.translation))
        assert gnode.scale in (None, list(node.scale))
        assert np.allclose(gnode.rotation or [0, 0, 0, 1], node.rotation)
        lod_nodes = [index] + gnode.extensions.get("MSFT_lod", {}).get("ids", []) if gnode.extensions else [index]
        assert len(lod_nodes) == len(node.lods)
        for level, (node_id, lod) in enumerate(zip(lod_nodes, node.lods)):
            gn = doc.nodes[node_id]
            assert gn.name == (gnode.name if level == 0 else f"{gnode.name}_LOD{level}")
            # LOD meshes are named as in the FBX: the object alone, or <object>_LOD<i> in a LOD group
            lod_mesh = gnode.name if len(node.lods) == 1 else f"{gnode.name}_LOD{level}"
            assert doc.meshes[gn.mesh].name == lod_mesh
            assert (gn.translation, gn.rotation, gn.scale) == (gnode.translation, gnode.rotation, gnode.scale)
            prim = doc.meshes[gn.mesh].primitives[0]
            pos = _accessor_array(doc, prim.attributes.POSITION)
            assert np.array_equal(pos, lod.positions)
            assert doc.accessors[prim.attributes.POSITION].min == lod.positions.min(axis=0).tolist()
            assert doc.accessors[prim.attributes.POSITION].max == lod.positions.max(axis=0).tolist()
            assert np.array_equal(_accessor_array(doc, prim.indices).reshape(-1, 3), lod.indices)
            assert doc.accessors[prim.indices].componentType == 5123  # all fixture meshes fit u16
        if len(node.lods) > 1:
            assert gnode.extras["MSFT_screencoverage"] == node.lod_screen_sizes
    house = doc.nodes[0]
    assert house.extras["style"] == "cottage" and house.extras["floors"] == 2
    assert doc.meshes[house.mesh].primitives[0].attributes.TEXCOORD_1 is not None


def test_node_transforms_are_written_as_their_float32_values(tmp_path, generic_preset, gltf_validator):
    asset = make_small_asset()
    node = asset.nodes[1]
    half = np.radians(37.3) / 2  # a yaw whose float64 quaternion has 16-17 digits
    node.rotation = (0.0, float(np.sin(half)), 0.0, float(np.cos(half)))
    node.translation = (1.0 / 3.0, 0.123456789012, -2.0)
    node.scale = (1.0 / 7.0, 1.0, 1.0 / 7.0)
    path = _write(asset, tmp_path, generic_preset)
    assert issue_codes(assert_valid_gltf(path), 1) == set()  # the quaternion is still of unit length
    doc = pygltflib.GLTF2.load(str(path))
    for gnode in [doc.nodes[1]] + [n for n in doc.nodes if (n.extras or {}).get("collision_of") == doc.nodes[1].name]:
        for written, value in ((gnode.rotation, node.rotation), (gnode.translation, node.translation)):
            assert np.array_equal(np.float32(written), np.float32(value))
            assert max(len(repr(x)) for x in written) <= 12  # 1/3 as 0.33333334, not 0.3333333333333333
        assert np.array_equal(np.float32(gnode.scale), np.float32(node.scale))


def test_colliders_are_named_nodes_outside_the_scene(small_asset, tmp_path, unreal_like_preset):
    doc = pygltflib.GLTF2.load(str(_write(small_asset, tmp_path, unreal_like_preset)))
    colliders = {n.name: n for n in doc.nodes if n.extras and "collision" in n.extras}
    assert set(colliders) == {"UBX_SM_house_01_00", "UCX_SM_rock_01_00", "COL_SM_terrain_00"}
    in_scene = set(doc.scenes[0].nodes) | {c for n in doc.nodes for c in (n.children or [])}
    for name, node in colliders.items():
        assert doc.nodes.index(node) not in in_scene
        prim = doc.meshes[node.mesh].primitives[0]
        assert doc.meshes[node.mesh].name == name and prim.material is None
        assert prim.attributes.NORMAL is None and prim.attributes.TEXCOORD_0 is None
    rock = colliders["UCX_SM_rock_01_00"]
    assert rock.extras == {"collision": "convex", "collision_of": "SM_rock_01"}
    assert (rock.translation, rock.scale) == (doc.nodes[1].translation, doc.nodes[1].scale)
    tri = _accessor_array(doc, doc.meshes[colliders["COL_SM_terrain_00"].mesh].primitives[0].indices)
    assert tri.size == 3 * small_asset.nodes[2].collision[0].mesh.triangle_count


def _with_merged_hulls() -> Asset:
    asset = make_small_asset()
    asset.nodes[0].collision += [CollisionShape("convex", hull_box((2, 1, 2))), CollisionShape("box", _empty_mesh())]
    return asset


def test_merged_hulls_are_one_node_each_with_the_shape_index(tmp_path, unreal_preset, gltf_validator):
    """Unreal merges a LOD group's hulls into one FBX mesh UCX_<object>_LOD0; the GLB keeps one node
    per shape, suffixed with the shape's index so every name stays unique."""
    path = _write(_with_merged_hulls(), tmp_path, unreal_preset)
    assert_valid_gltf(path)
    doc = pygltflib.GLTF2.load(str(path))
    colliders = [n for n in doc.nodes if n.extras and "collision" in n.extras]
    assert [n.name for n in colliders] == [
        "UCX_SM_house_01_LOD0_00",
        "UCX_SM_house_01_LOD0_01",
        "UCX_SM_rock_01_00",
        "COL_SM_terrain_00",
    ]
    assert [doc.meshes[n.mesh].name for n in colliders] == [n.name for n in colliders]
    assert [n.extras["collision"] for n in colliders[:2]] == ["box", "convex"]
    assert len({n.name for n in doc.nodes}) == len(doc.nodes) and len({m.name for m in doc.meshes}) == len(doc.meshes)
    # one merged name held by one shape alone is kept: the FBX's name
    one = make_small_asset()
    names = {n.name for n in pygltflib.GLTF2.load(str(_write(one, tmp_path, unreal_preset, "one.glb"))).nodes}
    assert "UBX_SM_house_01_LOD0" in names
    assert _write(_with_merged_hulls(), tmp_path, unreal_preset, "again.glb").read_bytes() == path.read_bytes()


def test_unreal_texture_and_material_names_come_from_the_preset(small_asset, tmp_path, unreal_preset):
    doc = pygltflib.GLTF2.load(str(_write(small_asset, tmp_path, unreal_preset)))
    assert [i.name for i in doc.images] == [t.name for t in doc.textures]
    assert sorted(i.name for i in doc.images) == sorted(unreal_preset.texture_names(small_asset))
    assert {"T_house_01_BC", "T_house_01_N", "T_house_01_ORM", "T_rock_01_BC"} == {i.name for i in doc.images}
    assert {m.name for m in doc.materials} == {"M_house", "M_house_noNormalMap", "M_rock", "M_terrain"}
    assert doc.meshes[doc.nodes[0].mesh].name == "SM_house_01_LOD0"


def test_materials_reference_embedded_pngs(small_asset, tmp_path, generic_preset):
    doc = pygltflib.GLTF2.load(str(_write(small_asset, tmp_path, generic_preset)))
    house = doc.materials[doc.meshes[doc.nodes[0].mesh].primitives[0].material]
    pbr = house.pbrMetallicRoughness

    def png_of(texture_index: int) -> bytes:
        return _image_bytes(doc, doc.textures[texture_index].source)

    textures = {t.name: t for t in small_asset.textures}
    assert png_of(pbr.baseColorTexture.index) == textures["house_01_baseColor"].png
    assert png_of(pbr.metallicRoughnessTexture.index) == textures["house_01_orm"].png
    assert house.occlusionTexture.index == pbr.metallicRoughnessTexture.index  # one ORM image serves both
    assert png_of(house.normalTexture.index) == textures["house_01_normal"].png
    assert house.normalTexture.scale == pytest.approx(0.8)
    assert all(img.mimeType == "image/png" for img in doc.images)
    assert len(doc.images) == 4 and len(doc.samplers) == 1
    assert doc.samplers[0].minFilter == 9987 and doc.samplers[0].wrapS == doc.samplers[0].wrapT == 33071
    for view in doc.bufferViews:
        assert view.byteOffset % 4 == 0
    image_views = {img.bufferView for img in doc.images}
    index_views = {doc.accessors[p.indices].bufferView for m in doc.meshes for p in m.primitives}
    for i, view in enumerate(doc.bufferViews):
        if i in image_views or i in index_views:
            assert view.byteStride is None
        assert view.target == (None if i in image_views else 34963 if i in index_views else 34962)


def test_lod_without_tangents_gets_a_material_without_normal_map(small_asset, tmp_path, generic_preset):
    doc = pygltflib.GLTF2.load(str(_write(small_asset, tmp_path, generic_preset)))
    lod2 = next(n for n in doc.nodes if n.name == "house_01_LOD2")
    prim = doc.meshes[lod2.mesh].primitives[0]
    assert prim.attributes.TANGENT is None
    material = doc.materials[prim.material]
    assert material.name == "house_noNormalMap" and material.normalTexture is None
    assert material.pbrMetallicRoughness.baseColorTexture is not None


def test_trimesh_reads_render_nodes_bounds_and_textures(small_asset, tmp_path, unreal_like_preset):
    scene = trimesh.load(str(_write(small_asset, tmp_path, unreal_like_preset)), force="scene", process=False)
    # only the scene's nodes are drawn: LOD1+ and colliders are not instanced
    assert sorted(scene.graph.nodes_geometry) == ["SM_house_01", "SM_rock_01", "SM_terrain"]
    by_name = {n.name: n for n in small_asset.nodes}
    decoded = {t.name: read_png(t.png) for t in small_asset.textures}
    for node_name in scene.graph.nodes_geometry:
        transform, geometry = scene.graph[node_name]
        mesh = scene.geometry[geometry]
        source = by_name[node_name.removeprefix("SM_")]
        assert len(mesh.vertices) == source.mesh.vertex_count
        assert len(mesh.faces) == source.mesh.triangle_count
        assert np.allclose(mesh.bounds, np.stack(source.mesh.bounds()), atol=1e-6)
        world = trimesh.transform_points(mesh.vertices, transform)
        assert np.allclose(world.mean(axis=0), _world(source, source.mesh.positions).mean(axis=0), atol=1e-5)
        image = mesh.visual.material.baseColorTexture
        if source.material is not None and small_asset.materials[source.material].base_color_texture is not None:
            expected = decoded[small_asset.textures[small_asset.materials[source.material].base_color_texture].name]
            pixels = np.asarray(image.convert({3: "RGB", 4: "RGBA"}[expected.shape[2]]))
            assert np.array_equal(pixels, expected)


def _world(node: Node, points: np.ndarray) -> np.ndarray:
    x, y, z, w = node.rotation
    rot = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )
    return (points * node.scale) @ rot.T + node.translation


def test_same_asset_gives_byte_identical_glb(tmp_path, unreal_like_preset):
    a = _write(make_small_asset(), tmp_path, unreal_like_preset, "a.glb").read_bytes()
    b = _write(make_small_asset(), tmp_path, unreal_like_preset, "b.glb").read_bytes()
    assert a == b
    assert a[:4] == b"glTF" and len(a) % 4 == 0


def test_extras_key_order_does_not_change_the_bytes(generic_preset):
    one, two = make_small_asset(), make_small_asset()
    two.extras = dict(reversed(list(two.extras.items())))
    two.nodes[0].extras = dict(reversed(list(two.nodes[0].extras.items())))
    assert gltf.encode_glb(one, generic_preset) == gltf.encode_glb(two, generic_preset)


def test_large_mesh_uses_32_bit_indices(tmp_path, generic_preset):
    asset = Asset(name="big", nodes=[Node("big", "terrain", [grid_mesh(264)])])
    doc = pygltflib.GLTF2.load(str(_write(asset, tmp_path, generic_preset)))
    prim = doc.meshes[0].primitives[0]
    assert doc.accessors[prim.indices].componentType == 5125
    assert np.array_equal(_accessor_array(doc, prim.indices).reshape(-1, 3), asset.nodes[0].mesh.indices)


def test_empty_mesh_node_is_written_without_mesh(tmp_path, generic_preset):
    asset = Asset(name="x", nodes=[Node("ghost", "rock", [_empty_mesh()], translation=(1.0, 2.0, 3.0))])
    doc = pygltflib.GLTF2.load(str(_write(asset, tmp_path, generic_preset)))
    assert [n.name for n in doc.nodes] == ["ghost"] and doc.nodes[0].mesh is None
    assert doc.nodes[0].translation == [1.0, 2.0, 3.0]
    assert not doc.meshes and not doc.accessors and not doc.buffers


def test_normals_and_tangents_are_renormalised(tmp_path, generic_preset):
    mesh = box_mesh()
    mesh.normals = mesh.normals * 1.01
    mesh.normals[0] = 0.0  # degenerate: becomes +Y
    mesh.tangents = mesh.tangents * np.array([0.99, 0.99, 0.99, 0.5], dtype=np.float32)
    asset = make_small_asset()
    asset.nodes[0].lods = [mesh]
    doc = pygltflib.GLTF2.load(str(_write(asset, tmp_path, generic_preset)))
    attrs = doc.meshes[0].primitives[0].attributes
    normals, tangents = _accessor_array(doc, attrs.NORMAL), _accessor_array(doc, attrs.TANGENT)
    assert np.allclose(np.linalg.norm(normals, axis=1), 1.0, atol=1e-6)
    assert np.array_equal(normals[0], [0.0, 1.0, 0.0])
    assert np.allclose(np.linalg.norm(tangents[:, :3], axis=1), 1.0, atol=1e-6)
    assert set(tangents[:, 3].tolist()) == {1.0}


def test_atomic_write_leaves_only_the_glb(small_asset, tmp_path, generic_preset):
    _write(small_asset, tmp_path, generic_preset)
    _write(small_asset, tmp_path, generic_preset)  # replacing an existing file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["village.glb"]


def test_failed_write_leaves_no_file(small_asset, tmp_path, generic_preset):
    small_asset.nodes[1].lods[0].positions[0, 0] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        gltf.write(small_asset, tmp_path / "bad.glb", generic_preset)
    assert list(tmp_path.iterdir()) == []


def test_write_formats_runs_the_preset_formats(small_asset, tmp_path):
    preset = Preset("t", "test", formats=("glb",))
    files = write_formats(small_asset, tmp_path, "my village", preset)
    assert [f.path.name for f in files] == ["my_village.glb"]
    assert [f.role for f in files] == ["glb"]
    escaped = write_formats(small_asset, tmp_path, "../../etc/x", preset)
    assert escaped[0].path.parent == tmp_path and escaped[0].path.exists()
    assert "glb" in WRITERS and "fbx" in WRITERS


def test_write_formats_rejects_unknown_format_before_writing(small_asset, tmp_path):
    with pytest.raises(InputError, match="obj"):
        write_formats(small_asset, tmp_path, "x", Preset("t", "test", formats=("glb", "obj")))
    assert list(tmp_path.iterdir()) == []


def test_importing_exporters_is_light():
    code = (
        "import sys, exporters; print(sorted(m for m in ('numpy', 'pygltflib', 'exporters.gltf') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_validator_helper_reports_errors(small_asset, tmp_path, generic_preset, gltf_validator):
    doc = pygltflib.GLTF2.load(str(_write(small_asset, tmp_path, generic_preset)))
    doc.accessors[0].max = [m + 1.0 for m in doc.accessors[0].max]
    doc.accessors[1].min, doc.accessors[1].max = [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]
    broken = tmp_path / "broken.glb"
    broken.write_bytes(b"".join(doc.save_to_bytes()))
    with pytest.raises(AssertionError, match="ACCESSOR_MAX_MISMATCH"):
        assert_valid_gltf(broken)


def test_missing_validator_fails_with_install_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("HYWORLD_GLTF_VALIDATOR", str(tmp_path / "nowhere"))
    with pytest.raises(ValidatorUnavailable, match="make test"):
        validate_gltf(tmp_path / "x.glb")


def test_empty_lod_ends_the_lod_chain(tmp_path, generic_preset):
    asset = make_small_asset()
    asset.nodes[0].lods[2] = _empty_mesh()
    doc = pygltflib.GLTF2.load(str(_write(asset, tmp_path, generic_preset)))
    house = doc.nodes[0]
    assert [doc.nodes[i].name for i in house.extensions["MSFT_lod"]["ids"]] == ["house_01_LOD1"]
    assert house.extras["MSFT_screencoverage"] == [0.4, 0.15]  # LOD1 is now culled below 0.15
    assert "house_01_LOD2" not in {n.name for n in doc.nodes}


def test_normal_maps_only_on_primitives_with_tangents(small_asset, tmp_path, generic_preset):
    doc = pygltflib.GLTF2.load(str(_write(small_asset, tmp_path, generic_preset)))
    normal_mapped = 0
    for mesh in doc.meshes:
        for prim in mesh.primitives:
            if prim.material is not None and doc.materials[prim.material].normalTexture is not None:
                assert prim.attributes.TANGENT is not None and prim.attributes.NORMAL is not None
                normal_mapped += 1
    assert normal_mapped == 2  # house LOD0 and LOD1
