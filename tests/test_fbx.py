"""The FBX writer, checked with independent readers (ufbx and assimp), for Unity and Unreal, binary and ASCII."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from exporters.asset import Asset, CollisionShape, Material, MeshData, Node, Texture
from exporters.fbx import ORM_PROPERTY, encode_fbx, write, write_ascii
from exporters.fbx.geometry import euler_xyz_degrees, quaternion_matrix
from exporters.png import encode_png
from exporters.presets import get_preset
from tests.fbx_reader import read_assimp, read_ufbx, require_readers

ROOT = Path(__file__).resolve().parents[1]
TREE_HEIGHT_M = 6.0
SQRT_HALF = float(np.sqrt(0.5))


# ------------------------------------------------------------------------------------ the asset


def _box(lo, hi) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (positions, CCW outward triangles, normals) of a box with split corners (24 vertices)."""
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    positions, normals, tris = [], [], []
    for axis in range(3):
        for sign in (-1.0, 1.0):
            n = np.zeros(3)
            n[axis] = sign
            u, v = (axis + 1) % 3, (axis + 2) % 3
            quad = []
            for a, b in ((0, 0), (1, 0), (1, 1), (0, 1)):
                p = np.where(n > 0, hi, lo).astype(float)
                p[u] = (lo, hi)[a][u]
                p[v] = (lo, hi)[b][v]
                quad.append(p)
            base = len(positions)
            positions += quad
            normals += [n] * 4
            for t in ((0, 1, 2), (0, 2, 3)):
                i0, i1, i2 = (base + k for k in t)
                e = np.cross(positions[i1] - positions[i0], positions[i2] - positions[i0])
                tris.append((i0, i1, i2) if e @ n > 0 else (i0, i2, i1))
    return np.array(positions), np.array(tris), np.array(normals)


def _uv(positions: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.uniform(0.02, 0.98, size=(len(positions), 2))


def _tangents(normals: np.ndarray) -> np.ndarray:
    """Unit tangents perpendicular to the normals, with w alternating ±1 (a mirrored chart)."""
    helper = np.where(np.abs(normals[:, :1]) < 0.9, [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]])
    t = np.cross(helper, normals)
    t /= np.linalg.norm(t, axis=1, keepdims=True)
    w = np.where(np.arange(len(normals)) % 2 == 0, 1.0, -1.0)[:, None]
    return np.hstack([t, w])


def _png(rgb: tuple[int, int, int], srgb: bool = False) -> bytes:
    pixels = np.zeros((4, 4, 3), dtype=np.uint8)
    pixels[...] = rgb
    pixels[0, 0] = (255, 255, 255)  # not uniform, so a flipped or re-encoded image would differ
    return encode_png(pixels, srgb=srgb)


def make_asset() -> Asset:
    """A 6 m tree (2 LODs, a convex hull, uv0+uv1, tangents), a rotated and scaled crate, textures."""
    asset = Asset("fbx_test", extras={"seed": 7})
    bc = asset.add_texture(Texture("bark_baseColor", "baseColor", _png((120, 80, 40), srgb=True), 4, 4))
    nm = asset.add_texture(Texture("bark_normal", "normal", _png((128, 128, 255)), 4, 4))
    orm = asset.add_texture(Texture("bark_orm", "orm", _png((255, 200, 0)), 4, 4))
    bark = asset.add_material(
        Material(
            "bark",
            base_color_texture=bc,
            normal_texture=nm,
            orm_texture=orm,
            occlusion_from_orm=True,
            metallic_factor=0.0,
            roughness_factor=0.8,
        )
    )
    wood = asset.add_material(Material("wood", base_color_factor=(0.6, 0.4, 0.2, 1.0), base_color_texture=bc))

    p, f, n = _box((-0.3, 0.0, -0.3), (0.3, TREE_HEIGHT_M, 0.3))
    lod0 = MeshData(p, f, n, uv0=_uv(p, 1), uv1=_uv(p, 2), tangents=_tangents(n))
    # LOD1: two crossed quads ("billboard cross"), 4 triangles, still 6 m tall
    q = np.array(
        [[-0.4, 0, 0], [0.4, 0, 0], [0.4, 6, 0], [-0.4, 6, 0], [0, 0, -0.4], [0, 0, 0.4], [0, 6, 0.4], [0, 6, -0.4]],
        dtype=float,
    )
    qn = np.array([[0, 0, 1]] * 4 + [[1, 0, 0]] * 4, dtype=float)
    lod1 = MeshData(q, np.array([[0, 1, 2], [0, 2, 3], [4, 6, 5], [4, 7, 6]]), qn, uv0=_uv(q, 3), uv1=_uv(q, 4))
    hp, hf, _ = _box((-0.35, 0.0, -0.35), (0.35, 6.1, 0.35))
    asset.nodes.append(
        Node(
            "tree_01",
            "tree",
            [lod0, lod1],
            material=bark,
            translation=(2.0, 0.0, -3.0),
            lod_screen_sizes=[0.4, 0.05],
            collision=[CollisionShape("convex", MeshData(hp, hf))],
            extras={"species": "oak"},
        )
    )
    cp, cf, cn = _box((-0.5, 0.0, -0.5), (0.5, 1.0, 0.5))
    asset.nodes.append(
        Node(
            "crate",
            "prop",
            [MeshData(cp, cf, cn, uv0=_uv(cp, 5))],
            material=wood,
            translation=(-4.0, 0.5, 1.0),
            rotation=(0.0, SQRT_HALF, 0.0, SQRT_HALF),
            scale=(1.0, 1.5, 2.0),
            collision=[CollisionShape("box", MeshData(cp, cf))],
        )
    )
    return asset


def _world(node: Node, p: np.ndarray) -> np.ndarray:
    return (p * np.asarray(node.scale)) @ quaternion_matrix(node.rotation).T + np.asarray(node.translation)


def _world_normals(node: Node, n: np.ndarray) -> np.ndarray:
    w = (n / np.asarray(node.scale)) @ quaternion_matrix(node.rotation).T
    return w / np.linalg.norm(w, axis=1, keepdims=True)


def _corners(mesh: MeshData, values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)[mesh.indices.reshape(-1)]


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


@pytest.fixture(scope="module")
def asset() -> Asset:
    return make_asset()


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
            want = _corners(mesh, uv)
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
        np.testing.assert_allclose(got.world_positions(), _world(node, _corners(mesh, mesh.positions)), atol=1e-5)
        if mesh.normals is not None:
            np.testing.assert_allclose(
                got.world_normals(), _world_normals(node, _corners(mesh, mesh.normals)), atol=1e-6
            )


# The Asset frame in each file, written out by hand: Unreal (x, y, z) -> (x, -z, y) * 100, Unity as is.
FILE_FRAME = {"unity": np.eye(3), "unreal": np.array([[1.0, 0, 0], [0, 0, -1.0], [0, 1.0, 0]])}


def test_tangents_and_binormals(case, asset):
    """Tangent and binormal layers, in the file's frame (ufbx converts positions and normals, not these)."""
    mesh = asset.nodes[0].lods[0]
    got = case["raw"].nodes[case["expected"]["lods"][case["expected"]["objects"][0]][0]].mesh
    c = FILE_FRAME[case["preset"].name]
    t = _corners(mesh, mesh.tangents[:, :3])
    w = _corners(mesh, mesh.tangents[:, 3:])
    n = _corners(mesh, mesh.normals)
    np.testing.assert_allclose(got.corner_tangents, t @ c.T, atol=1e-6)
    np.testing.assert_allclose(got.corner_bitangents, (np.cross(n, t) * w) @ c.T, atol=1e-6)
    np.testing.assert_allclose(got.corner_normals, n @ c.T, atol=1e-6)
    positions = _corners(mesh, mesh.positions) @ c.T * case["expected"]["units_per_meter"]
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
    hp, hf, _ = _box((-1.0, 3.0, -1.0), (1.0, 5.0, 1.0))
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
        "import hashlib, sys; sys.path.insert(0, sys.argv[1]); from tests.test_fbx import make_asset;"
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
