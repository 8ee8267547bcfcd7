"""The FBX writer's names for Unreal's importers, identical bytes across processes, binary layout, edge cases and the
format registry."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from exporters.asset import Asset, CollisionShape, MeshData, Node
from exporters.fbx import encode_fbx, write
from exporters.fbx.geometry import euler_xyz_degrees, quaternion_matrix
from exporters.presets import get_preset
from tests.fbx_asset import ROOT, SQRT_HALF, box_arrays, make_asset
from tests.fbx_reader import read_ufbx, require_readers


@pytest.fixture(scope="module")
def asset() -> Asset:
    return make_asset()


# ------------------------------------------------------------------------------- Unreal naming


def _legacy_fbx_match(collider: str, lod0_mesh_names: list[str]) -> str | None:
    """Unreal's legacy FBX importer: the name between the first and last '_' (or all after the
    first), compared upper-case with the node name of the mesh being built (LOD0's, in a LOD group)."""
    rest = collider.split("_", 1)[1]
    keys = {rest.upper()}
    if "_" in rest:
        keys.add(rest.rsplit("_", 1)[0].upper())
    hits = [m for m in lod0_mesh_names if m.upper() in keys]
    return hits[0] if len(hits) == 1 else None


def _interchange_match(collider: str, instance_names: list[str]) -> str | None:
    """UE5 Interchange: all after the first '_' equals a static mesh instance (LOD group or mesh)
    name, case-sensitive; else the same without the last '_' suffix."""
    rest = collider.split("_", 1)[1]
    if rest in instance_names:
        return rest
    if "_" in rest and rest.rsplit("_", 1)[0] in instance_names:
        return rest.rsplit("_", 1)[0]
    return None


def test_unreal_collider_names_match_their_mesh_in_both_importers(tmp_path, asset):
    require_readers()
    write(asset, tmp_path / "u.fbx", get_preset("unreal"))
    scene = read_ufbx(tmp_path / "u.fbx")
    colliders = [n for n in scene.nodes.values() if n.name[:4] in ("UCX_", "UBX_", "USP_", "UCP_")]
    objects = [n for n in scene.nodes.values() if n.parent is None and n not in colliders]
    lod0 = {(o.children[0] if o.attrib == "LOD_GROUP" else o.name): o.name for o in objects}
    assert len(colliders) == 2
    for col in colliders:
        owner = col.user_props["hyworld_collision_of"]
        assert lod0[_legacy_fbx_match(col.name, list(lod0))] == owner
        assert _interchange_match(col.name, [o.name for o in objects]) == owner


def test_unreal_merges_a_lod_groups_hulls_into_one_ucx_mesh(tmp_path):
    require_readers()
    a = make_asset()
    hp, hf, _ = box_arrays((-1.0, 3.0, -1.0), (1.0, 5.0, 1.0))
    a.nodes[0].collision.append(CollisionShape("convex", MeshData(hp, hf)))
    write(a, tmp_path / "u.fbx", get_preset("unreal"))
    col = read_ufbx(tmp_path / "u.fbx").nodes["UCX_SM_tree_01_LOD0"]
    assert col.mesh.num_triangles == 24 and col.mesh.num_vertices == 48
    assert col.user_props["hyworld_collision"] == "convex"


# ---------------------------------------------------------------------------- determinism, edges


def test_same_asset_gives_identical_bytes_across_processes(asset):
    for preset in ("unity", "unreal"):
        for ascii in (False, True):
            assert encode_fbx(asset, get_preset(preset), ascii) == encode_fbx(make_asset(), get_preset(preset), ascii)
    code = (
        "import hashlib, sys; sys.path.insert(0, sys.argv[1]); from tests.fbx_asset import make_asset;"
        "from exporters.fbx import encode_fbx; from exporters.presets import get_preset;"
        "print(hashlib.sha256(encode_fbx(make_asset(), get_preset('unreal'))).hexdigest())"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == hashlib.sha256(encode_fbx(asset, get_preset("unreal"))).hexdigest()


def test_binary_footer_and_alignment(asset):
    data = encode_fbx(asset, get_preset("unreal"))
    assert data.endswith(b"\xf8\x5a\x8c\x6a\xde\xf5\xd9\x7e\xec\xe9\x0c\xe3\x75\x8f\x29\x0b")
    assert (7400).to_bytes(4, "little") + b"\x00" * 120 == data[-140:-16]
    assert (len(data) - 140) % 16 == 0  # the footer's padding aligns its version field to 16


def test_empty_lod0_is_a_null_and_uv1_alone_stays_the_second_set(tmp_path):
    require_readers()
    a = make_asset()
    a.nodes.append(Node("marker", "empty", [MeshData(np.zeros((0, 3)), np.zeros((0, 3)))], translation=(1, 2, 3)))
    mesh = a.nodes[1].lods[0]
    a.nodes[1].lods[0] = MeshData(mesh.positions, mesh.indices, mesh.normals, uv1=mesh.uv0)
    write(a, tmp_path / "x.fbx", get_preset("unity"))
    scene = read_ufbx(tmp_path / "x.fbx", target="y_up_meters")
    assert scene.nodes["marker"].attrib == "EMPTY" and scene.nodes["marker"].mesh is None
    np.testing.assert_allclose(scene.nodes["marker"].node_to_world[:3, 3], [1, 2, 3])
    uv = scene.nodes["crate"].mesh.uv_sets
    assert list(uv) == ["UVMap", "Lightmap"]
    np.testing.assert_array_equal(uv["UVMap"], np.tile([0.0, 1.0], (36, 1)))  # a zero uv0, v flipped


def test_euler_angles_rebuild_the_rotation():
    rng = np.random.default_rng(0)
    for q in list(rng.normal(size=(20, 4))) + [
        np.array([0.0, SQRT_HALF, 0.0, SQRT_HALF]),
        np.array([0.0, 0.0, 0.0, 1.0]),
    ]:
        r = quaternion_matrix(q)
        a, b, c = np.radians(euler_xyz_degrees(r))
        rx = np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
        ry = np.array([[np.cos(b), 0, np.sin(b)], [0, 1, 0], [-np.sin(b), 0, np.cos(b)]])
        rz = np.array([[np.cos(c), -np.sin(c), 0], [np.sin(c), np.cos(c), 0], [0, 0, 1]])
        np.testing.assert_allclose(rz @ ry @ rx, r, atol=1e-9)


def test_fbx_is_a_registered_format_of_write_formats(tmp_path, asset):
    from exporters import WRITERS, write_formats

    assert WRITERS["fbx"].__name__ == "exporters.fbx.write"
    files = write_formats(asset, tmp_path, "my tree", get_preset("unreal"))
    assert [(f.path.name, f.role) for f in files] == [
        ("my_tree.fbx", "fbx"),
        ("T_bark_BC.png", "texture"),
        ("T_bark_N.png", "texture"),
        ("T_bark_ORM.png", "texture"),
        ("my_tree.glb", "glb"),
    ]
    assert (tmp_path / "my_tree.fbx").read_bytes() == encode_fbx(asset, get_preset("unreal"))


def test_fbx_ascii_option_of_the_preset(tmp_path, asset):
    files = write(asset, tmp_path / "a.fbx", replace(get_preset("unity"), fbx_ascii=True, fbx_textures_beside=False))
    assert [f.role for f in files] == ["fbx"]
    assert (tmp_path / "a.fbx").read_bytes().startswith(b"; FBX 7.4.0 project file")


def test_a_missing_reader_fails_the_test_with_the_install_command(monkeypatch):
    from tests import fbx_reader

    monkeypatch.setattr(fbx_reader.shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y assimp-utils"):
        require_readers()
