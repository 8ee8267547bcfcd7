"""Engine presets: formats, axes, units and the names engines match."""

from __future__ import annotations

import json

import numpy as np
import pytest

from exporters.asset import Asset, CollisionShape, Material, MeshData, Node, Texture
from exporters.errors import InputError
from exporters.presets import PRESETS, Y_UP, Z_UP, describe_presets, get_preset


def _tri(height: float = 1.0) -> MeshData:
    return MeshData(np.array([[0, 0, 0], [1, 0, 0], [0, height, 0]], float), np.array([[0, 1, 2]]))


def _empty() -> MeshData:
    return MeshData(np.zeros((0, 3)), np.zeros((0, 3)))


def _asset(*nodes: Node) -> Asset:
    return Asset("a", nodes=list(nodes))


def test_unknown_target_lists_the_valid_ones():
    with pytest.raises(InputError, match="generic, unity, unreal, godot"):
        get_preset("cryengine")


def test_axis_systems_are_rotations_that_put_up_where_the_engine_wants_it():
    up, front, right = np.eye(3)[1], np.eye(3)[2], np.eye(3)[0]
    np.testing.assert_array_equal(Y_UP.matrix(), np.eye(3))
    z = Z_UP.matrix()
    np.testing.assert_array_equal(z @ up, [0, 0, 1])  # Unreal: up is +Z
    np.testing.assert_array_equal(z @ front, [0, -1, 0])  # FrontAxis 1, sign -1
    np.testing.assert_array_equal(z @ right, [1, 0, 0])
    assert np.linalg.det(z) == pytest.approx(1.0)
    assert get_preset("unreal").axes == Z_UP and get_preset("unreal").unit_scale_cm == 1.0
    assert get_preset("unity").axes == Y_UP and get_preset("unity").meters_per_unit == 1.0


def test_unreal_texture_names_follow_T_name_suffix():
    p = get_preset("unreal")
    assert p.texture_name(Texture("house_01_baseColor", "baseColor", b"", 1, 1)) == "T_house_01_BC"
    assert p.texture_name(Texture("house_01_normal", "normal", b"", 1, 1)) == "T_house_01_N"
    assert p.texture_name(Texture("house_01_orm", "orm", b"", 1, 1)) == "T_house_01_ORM"
    assert p.texture_name(Texture("T_rock", "orm", b"", 1, 1)) == "T_rock_ORM"
    assert get_preset("unity").texture_name(Texture("house_01_orm", "orm", b"", 1, 1)) == "house_01_orm"


def test_names_keep_only_safe_characters_and_get_the_prefix_once():
    p = get_preset("unreal")
    assert p.object_name("tree.01 big") == "SM_tree_01_big"  # Interchange splits node paths at dots
    assert p.object_name("SM_rock") == "SM_rock"
    assert p.material_name("bark/wet") == "M_bark_wet"


def test_lod_and_collider_names():
    node = Node(
        "tree_01",
        "tree",
        [_tri(), _tri(), _tri()],
        collision=[
            CollisionShape("convex", _tri()),
            CollisionShape("trimesh", _tri()),
            CollisionShape("box", _empty()),
        ],
    )
    (unity,) = get_preset("unity").scene_names(_asset(node))
    assert unity.node == "tree_01" and unity.lod_group
    assert unity.lod_meshes == ("tree_01_LOD0", "tree_01_LOD1", "tree_01_LOD2")
    assert unity.collision == ("UCX_tree_01_00", "COL_tree_01_01", None)  # empty shapes are not written
    (unreal,) = get_preset("unreal").scene_names(_asset(node))
    assert unreal.lod_meshes == ("SM_tree_01_LOD0", "SM_tree_01_LOD1", "SM_tree_01_LOD2")
    # convex and box shapes of a LOD group merge into the one name both Unreal importers match
    assert unreal.collision == ("UCX_SM_tree_01_LOD0", "COL_SM_tree_01_01", None)


def test_single_lod_objects_are_the_mesh_and_an_empty_lod_ends_the_chain():
    node = Node("crate", "prop", [_tri(), _empty(), _tri()], collision=[CollisionShape("box", _tri())])
    (names,) = get_preset("unreal").scene_names(_asset(node))
    assert names.lod_meshes == ("SM_crate",) and not names.lod_group
    assert names.collision == ("UBX_SM_crate_00",)
    (empty,) = get_preset("unity").scene_names(_asset(Node("marker", "empty", [_empty()])))
    assert empty.lod_meshes == ()


def test_names_are_unique_ignoring_case_and_never_read_as_another_objects_collider():
    nodes = [
        Node("rock", "rock", [_tri()], collision=[CollisionShape("convex", _tri())]),
        Node("Rock", "rock", [_tri()]),
        Node("rock_00", "rock", [_tri()]),  # "UCX_SM_rock_00" would otherwise name this object
        Node("rock", "rock", [_tri()]),
    ]
    names = [n.node for n in get_preset("unreal").scene_names(_asset(*nodes))]
    assert len({n.lower() for n in names}) == 4
    assert names[0] == "SM_rock" and names[2] != "SM_rock_00"
    every = [
        n
        for nn in get_preset("unreal").scene_names(_asset(*nodes))
        for n in (nn.node, *nn.lod_meshes, *(c for c in nn.collision if c))
    ]
    assert len({n.lower() for n in every}) == len(set(every))


def test_godot_colliders_use_godot_import_suffixes():
    node = Node(
        "rock", "rock", [_tri()], collision=[CollisionShape("convex", _tri()), CollisionShape("trimesh", _tri())]
    )
    (names,) = get_preset("godot").scene_names(_asset(node))
    assert names.collision == ("rock_00-convcolonly", "rock_01-colonly")


def test_describe_presets_rows_for_the_cli():
    rows = describe_presets()
    assert [r["name"] for r in rows] == list(PRESETS)
    keys = ["name", "formats", "axes", "units", "naming", "collision", "lods", "instancing", "description"]
    for row in rows:
        assert list(row) == keys
        assert all(isinstance(v, str) and v for v in row.values())
    json.dumps(rows)
    by = {r["name"]: r for r in rows}
    assert by["unreal"]["axes"].startswith("+Z up, -Y front") and by["unreal"]["units"] == "centimeters"
    assert by["unity"]["axes"].startswith("+Y up") and by["unity"]["units"] == "meters"
    assert "UCX_" in by["unreal"]["collision"] and "LOD0" in by["unreal"]["lods"]


def test_material_and_texture_names_stay_unique_after_renaming():
    a = Asset("a")
    a.textures = [Texture("wall_baseColor", "baseColor", b"", 1, 1), Texture("wall_albedo", "baseColor", b"", 1, 1)]
    a.materials = [Material("bark"), Material("bark!"), Material("Bark")]
    p = get_preset("unreal")
    assert p.texture_names(a) == ["T_wall_BC", "T_wall_BC_2"]
    assert p.material_names(a) == ["M_bark", "M_bark_2", "M_Bark_3"]
