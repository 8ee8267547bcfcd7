"""The FBX writer, checked with independent readers (ufbx and assimp), for Unity and Unreal, binary and ASCII."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from exporters.asset import Asset
from exporters.fbx import ORM_PROPERTY, write, write_ascii
from exporters.presets import get_preset
from tests.fbx_asset import TREE_HEIGHT_M, face_corners, make_asset, world_normals, world_points
from tests.fbx_reader import read_assimp, read_ufbx, require_readers


@pytest.fixture(scope="module")
def asset() -> Asset:
    return make_asset()


# ------------------------------------------------------------------------------ written + read

EXPECTED = {
    # preset: (object names, LOD meshes per object, collider name per object, material/texture names)
    "unity": {
        "objects": ["tree_01", "crate"],
        "lods": {"tree_01": ["tree_01_LOD0", "tree_01_LOD1"], "crate": ["crate"]},
        "colliders": {"tree_01": "UCX_tree_01_00", "crate": "UBX_crate_00"},
        "materials": {"bark": "bark", "wood": "wood"},
        "textures": {"baseColor": "bark_baseColor", "normal": "bark_normal", "orm": "bark_orm"},
        "up_index": 1,
        "units_per_meter": 1.0,
    },
    "unreal": {
        "objects": ["SM_tree_01", "SM_crate"],
        "lods": {"SM_tree_01": ["SM_tree_01_LOD0", "SM_tree_01_LOD1"], "SM_crate": ["SM_crate"]},
        "colliders": {"SM_tree_01": "UCX_SM_tree_01_LOD0", "SM_crate": "UBX_SM_crate_00"},
        "materials": {"bark": "M_bark", "wood": "M_wood"},
        "textures": {"baseColor": "T_bark_BC", "normal": "T_bark_N", "orm": "T_bark_ORM"},
        "up_index": 2,
        "units_per_meter": 100.0,
    },
}


@pytest.fixture(
    scope="module",
    params=[(p, e) for p in ("unity", "unreal") for e in ("binary", "ascii")],
    ids=lambda pe: f"{pe[0]}-{pe[1]}",
)
def case(request, asset, tmp_path_factory):
    """Write the asset once per (preset, encoding) and read it with both independent readers."""
    require_readers()
    preset_name, encoding = request.param
    preset = get_preset(preset_name)
    out = tmp_path_factory.mktemp(f"{preset_name}_{encoding}")
    writer = write_ascii if encoding == "ascii" else write
    files = writer(asset, out / "scene.fbx", preset)
    path = out / "scene.fbx"
    return {
        "preset": preset,
        "expected": EXPECTED[preset_name],
        "files": files,
        "path": path,
        "raw": read_ufbx(path),
        "converted": read_ufbx(path, target="y_up_meters"),
        "assimp": read_assimp(path),
        "ascii": encoding == "ascii",
    }


def test_readers_are_installed():
    require_readers()


def test_file_kind_version_and_creator(case):
    raw = case["raw"]
    assert raw.version == 7400
    assert raw.ascii == case["ascii"]
    assert raw.creator.startswith("hyworld")
    head = case["path"].read_bytes()[:27]
    if case["ascii"]:
        assert head.startswith(b"; FBX 7.4.0 project file")
    else:
        assert head == b"Kaydara FBX Binary  \x00\x1a\x00" + (7400).to_bytes(4, "little")


def test_hierarchy_lod_group_and_collider_names(case):
    exp, raw, ai = case["expected"], case["raw"], case["assimp"]
    roots = sorted(n.name for n in raw.nodes.values() if n.parent is None)
    assert roots == sorted(exp["objects"] + list(exp["colliders"].values()))
    tree, crate = exp["objects"]
    assert raw.nodes[tree].attrib == "LOD_GROUP"
    assert raw.nodes[tree].children == exp["lods"][tree]  # only the levels, in order
    assert raw.nodes[crate].attrib == "MESH" and raw.nodes[crate].children == []
    for obj, collider in exp["colliders"].items():
        col = raw.nodes[collider]
        assert col.attrib == "MESH" and col.mesh.materials == []
        assert col.user_props["hyworld_collision_of"] == obj
        np.testing.assert_allclose(col.node_to_world, raw.nodes[obj].node_to_world, atol=1e-9)
    # assimp reads the same tree
    assert sorted(ai.nodes[ai.root].children) == roots
    assert ai.nodes[tree].children == exp["lods"][tree]
    assert raw.nodes[tree].user_props == {"hyworld_kind": "tree", "hyworld_species": "oak"}


def test_lod_group_thresholds_are_screen_percentages(case, asset):
    tree = case["expected"]["objects"][0]
    group = case["raw"].lod_groups[tree]
    assert group["levels"] == 2 and group["percentage"] is True
    assert group["thresholds"] == pytest.approx([asset.nodes[0].lod_screen_sizes[0] * 100.0])


def test_vertex_and_triangle_counts_per_mesh(case, asset):
    exp, raw, ai = case["expected"], case["raw"], case["assimp"]
    tree, crate = exp["objects"]
    meshes = {
        exp["lods"][tree][0]: asset.nodes[0].lods[0],
        exp["lods"][tree][1]: asset.nodes[0].lods[1],
        crate: asset.nodes[1].lods[0],
        exp["colliders"][tree]: asset.nodes[0].collision[0].mesh,
        exp["colliders"][crate]: asset.nodes[1].collision[0].mesh,
    }
    for name, mesh in meshes.items():
        got = raw.nodes[name].mesh
        assert (got.num_vertices, got.num_triangles, got.num_faces) == (
            mesh.vertex_count,
            mesh.triangle_count,
            mesh.triangle_count,
        ), name
        assert got.max_face_triangles == 1  # triangles only: engines need not triangulate
        (amesh,) = ai.nodes[name].meshes
        assert amesh.faces == mesh.triangle_count and amesh.face_sizes == {3}, name


def test_two_uv_sets_named_and_v_flipped(case, asset):
    exp, raw, ai = case["expected"], case["raw"], case["assimp"]
    tree, crate = exp["objects"]
    for name, mesh in ((exp["lods"][tree][0], asset.nodes[0].lods[0]), (exp["lods"][tree][1], asset.nodes[0].lods[1])):
        got = raw.nodes[name].mesh.uv_sets
        assert list(got) == ["UVMap", "Lightmap"]
        for set_name, uv in (("UVMap", mesh.uv0), ("Lightmap", mesh.uv1)):
            want = face_corners(mesh, uv)
            want[:, 1] = 1.0 - want[:, 1]  # FBX v goes up from the bottom of the image
            np.testing.assert_allclose(got[set_name], want, atol=1e-6)
            np.testing.assert_allclose(ai.nodes[name].meshes[0].uv_sets[set_name], want, atol=2e-6)
    assert list(raw.nodes[crate].mesh.uv_sets) == ["UVMap"]  # no lightmap set: none written


def test_geometry_round_trips_through_the_files_global_settings(case, asset):
    """ufbx converts the file to +Y up meters from its GlobalSettings; positions and normals equal the Asset's."""
    exp, conv = case["expected"], case["converted"]
    tree, crate = exp["objects"]
    checks = [
        (exp["lods"][tree][0], asset.nodes[0], asset.nodes[0].lods[0]),
        (exp["lods"][tree][1], asset.nodes[0], asset.nodes[0].lods[1]),
        (crate, asset.nodes[1], asset.nodes[1].lods[0]),
        (exp["colliders"][tree], asset.nodes[0], asset.nodes[0].collision[0].mesh),
        (exp["colliders"][crate], asset.nodes[1], asset.nodes[1].collision[0].mesh),
    ]
    for name, node, mesh in checks:
        got = conv.nodes[name]
        np.testing.assert_allclose(
            got.world_positions(), world_points(node, face_corners(mesh, mesh.positions)), atol=1e-5
        )
        if mesh.normals is not None:
            np.testing.assert_allclose(
                got.world_normals(), world_normals(node, face_corners(mesh, mesh.normals)), atol=1e-6
            )


# The Asset frame in each file, written out by hand: Unreal (x, y, z) -> (x, -z, y) * 100, Unity as is.
FILE_FRAME = {"unity": np.eye(3), "unreal": np.array([[1.0, 0, 0], [0, 0, -1.0], [0, 1.0, 0]])}


def test_tangents_and_binormals(case, asset):
    """Tangent and binormal layers, in the file's frame (ufbx converts positions and normals, not these)."""
    mesh = asset.nodes[0].lods[0]
    got = case["raw"].nodes[case["expected"]["lods"][case["expected"]["objects"][0]][0]].mesh
    c = FILE_FRAME[case["preset"].name]
    t = face_corners(mesh, mesh.tangents[:, :3])
    w = face_corners(mesh, mesh.tangents[:, 3:])
    n = face_corners(mesh, mesh.normals)
    np.testing.assert_allclose(got.corner_tangents, t @ c.T, atol=1e-6)
    np.testing.assert_allclose(got.corner_bitangents, (np.cross(n, t) * w) @ c.T, atol=1e-6)
    np.testing.assert_allclose(got.corner_normals, n @ c.T, atol=1e-6)
    positions = face_corners(mesh, mesh.positions) @ c.T * case["expected"]["units_per_meter"]
    np.testing.assert_allclose(got.corner_positions, positions, atol=1e-4)


def test_six_meter_tree_stands_six_meters_tall_on_the_engine_up_axis(case):
    """In the file's own frame (no conversion): the tree's extent along the declared up axis is 6 m."""
    exp, raw, ai = case["expected"], case["raw"], case["assimp"]
    up = exp["up_index"]
    assert raw.global_props["UpAxis"] == up and raw.global_props["UpAxisSign"] == 1
    assert raw.axes[1] == "+" + "XYZ"[up]
    assert raw.unit_meters == pytest.approx(1.0 / exp["units_per_meter"])
    lods = exp["lods"][exp["objects"][0]]
    for source in ("ufbx", "assimp"):
        if source == "ufbx":
            p = raw.nodes[lods[0]].world_positions()
        else:
            m = ai.world(lods[0])
            p = ai.nodes[lods[0]].meshes[0].positions @ m[:3, :3].T + m[:3, 3]
        base, top = p[:, up].min(), p[:, up].max()
        assert base == pytest.approx(0.0, abs=1e-6), source
        assert (top - base) * raw.unit_meters == pytest.approx(TREE_HEIGHT_M), source
        assert top > base  # standing up: +up, not upside down
        others = [a for a in range(3) if a != up]
        assert np.ptp(p[:, others], axis=0).max() < 1.0 * exp["units_per_meter"], source  # standing, not lying


def test_global_settings_say_the_truth(case):
    g, preset = case["raw"].global_props, case["preset"]
    want = {
        "unity": dict(
            UpAxis=1,
            UpAxisSign=1,
            FrontAxis=2,
            FrontAxisSign=1,
            CoordAxis=0,
            CoordAxisSign=1,
            UnitScaleFactor=100.0,
            OriginalUnitScaleFactor=100.0,
        ),
        "unreal": dict(
            UpAxis=2,
            UpAxisSign=1,
            FrontAxis=1,
            FrontAxisSign=-1,
            CoordAxis=0,
            CoordAxisSign=1,
            UnitScaleFactor=1.0,
            OriginalUnitScaleFactor=1.0,
        ),
    }[preset.name]
    assert g == want
    # ufbx's reading of those: Unreal's import frame is 3ds Max's right-handed Z-up, Unity's is Maya's Y-up
    assert case["raw"].axes == {"unity": ("+X", "+Y", "+Z"), "unreal": ("+X", "+Z", "-Y")}[preset.name]


def test_materials_and_texture_links(case, asset):
    exp, raw, ai = case["expected"], case["raw"], case["assimp"]
    tex = exp["textures"]
    bark = raw.materials[exp["materials"]["bark"]]
    assert bark.links == {"DiffuseColor": tex["baseColor"], "NormalMap": tex["normal"], ORM_PROPERTY: tex["orm"]}
    assert (bark.diffuse_texture, bark.normal_texture) == (tex["baseColor"], tex["normal"])
    wood = raw.materials[exp["materials"]["wood"]]
    assert wood.links == {"DiffuseColor": tex["baseColor"]}  # one texture object, shared
    tree, crate = exp["objects"]
    assert raw.nodes[exp["lods"][tree][0]].mesh.materials == [exp["materials"]["bark"]]
    assert raw.nodes[crate].mesh.materials == [exp["materials"]["wood"]]
    by_name = {m["name"]: m["textures"] for m in ai.materials}
    assert by_name[exp["materials"]["bark"]] == {
        "Diffuse": tex["baseColor"] + ".png",
        "Normals": tex["normal"] + ".png",
    }
    assert ai.nodes[crate].meshes[0].material == exp["materials"]["wood"]
    for t in raw.textures.values():
        assert t.relative_filename == t.name + ".png" and t.uv_set == "UVMap"


def test_embedded_textures_are_our_png_bytes(case, asset):
    exp, raw, ai = case["expected"], case["raw"], case["assimp"]
    for texture in asset.textures:
        name = exp["textures"][texture.role]
        assert raw.textures[name].content == texture.png
    assert sorted(ai.embedded) == sorted(t.png for t in asset.textures)


def test_textures_are_also_written_beside_the_fbx(case, asset):
    files = case["files"]
    assert files[0].role == "fbx" and files[0].path == case["path"]
    beside = {f.path.name: f for f in files[1:]}
    for texture in asset.textures:
        f = beside[case["expected"]["textures"][texture.role] + ".png"]
        assert f.role == "texture" and f.path.read_bytes() == texture.png
        assert f.sha256 == hashlib.sha256(texture.png).hexdigest()
    assert not list(case["path"].parent.glob("*.part"))
