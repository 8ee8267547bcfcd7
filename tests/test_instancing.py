"""Variant pools and instances: who becomes a variant, how copies are written (GLB shared meshes or
EXT_mesh_gpu_instancing, FBX shared Geometry), one atlas per kind; checked with the Khronos validator,
pygltflib, ufbx and assimp reading the written files."""

from __future__ import annotations

import dataclasses
import json
import math
from types import SimpleNamespace

import numpy as np
import pytest
from pygltflib import GLTF2

from exporters import write_formats
from exporters.asset import Node, Texture
from exporters.errors import InputError
from exporters.manifest import RunInfo, build_manifest, validate_manifest
from exporters.png import encode_png
from exporters.presets import get_preset
from pipelines.instancing import budget_share, instance_transform, plan_pools, share_pools, variant_count
from pipelines.options import BuildOptions, check_options, parse_variants
from pipelines.plan import MaterialSpec
from pipelines.texture import kind_atlas
from tests.conftest import make_small_asset
from tests.fbx_reader import read_assimp, read_ufbx, require_readers
from tests.pngs import read_png
from tests.validator import assert_valid_gltf, check_gpu_instancing


@dataclasses.dataclass
class FakeField:
    """The parts of a Field that pooling reads: name, kind, extents, place, materials."""

    name: str
    kind: str
    bounds_min: tuple
    bounds_max: tuple
    translation: tuple = (0.0, 0.0, 0.0)
    yaw_deg: float = 0.0
    closed: bool = True
    extras: dict = dataclasses.field(default_factory=dict)
    materials: dict = dataclasses.field(default_factory=dict)


def forest(n: int, seed: int = 0) -> list[FakeField]:
    rng = np.random.default_rng(seed)
    out = [FakeField("terrain", "terrain", (-50, -1, -50), (50, 1, 50), closed=False)]
    for i in range(n):
        r, h = rng.uniform(1.0, 3.0), rng.uniform(4.0, 12.0)
        green = MaterialSpec("leaves", (0.2, float(rng.uniform(0.3, 0.6)), 0.2))
        out.append(
            FakeField(
                f"tree_{i + 1:03d}",
                "tree",
                (-r, 0, -r),
                (r, h, r),
                (float(i), 0.0, 0.0),
                float(rng.uniform(0, 360)),
                materials={"canopy": green},
            )
        )
    out.append(FakeField("cabin_01", "cabin", (-3, 0, -4), (3, 4, 4)))
    return out


def test_variant_count_follows_the_option_and_the_count():
    assert [variant_count(n, None) for n in (1, 2, 3, 4, 5, 16, 17, 36, 200)] == [1, 2, 2, 2, 3, 4, 5, 6, 6]
    assert variant_count(200, 0) == 200 and variant_count(200, 3) == 3 and variant_count(2, 3) == 2
    assert parse_variants("auto") is None and parse_variants("all") == 0 and parse_variants("4") == 4
    for bad in ("0", "-1", "many"):
        with pytest.raises(InputError):
            check_options(BuildOptions(variants=bad))


def test_two_hundred_trees_become_six_variants_and_instances():
    fields = forest(200)
    pools = plan_pools(fields, "auto")
    (trees,) = [g for g in pools.groups if g.kind == "tree"]
    assert len(trees.variants) == 6 and len(trees.variant_of) == 200
    assert set(trees.variant_of.values()) == set(trees.variants)
    assert "terrain" not in {n for g in pools.groups for n in g.variant_of}
    by_name = {f.name: f for f in fields}
    for name, variant in trees.variant_of.items():  # each copy is near its variant in shape
        scale, hue = instance_transform(by_name[name], by_name[variant])
        assert 0.5 <= scale[0] <= 2.0 and 0.5 <= scale[1] <= 2.0 and scale[0] == scale[2]
        assert abs(hue) <= 0.08
        if name == variant:
            assert scale == (1.0, 1.0, 1.0)
    # the same fields give the same pool; --variants all makes every copy unique
    assert plan_pools(forest(200), "auto").groups[0].variants == trees.variants
    everyone = [g for g in plan_pools(fields, "all").groups if g.kind == "tree"][0]
    assert len(everyone.variants) == 200


def test_a_pools_variants_share_two_budgets_and_unique_copies_keep_one():
    """A pool (12 copies or more) of K variants splits 2 full budgets (each 1/3 to 1 of one), so its unique triangles stay near-constant
    in K and each drawn copy gets lighter; copies that are all unique (--variants all, a pair) keep a full budget."""
    assert [round(budget_share(k, 200), 4) for k in (1, 2, 3, 4, 6, 8)] == [1.0, 1.0, 0.6667, 0.5, 0.3333, 0.3333]
    assert budget_share(200, 200) == 1.0 and budget_share(2, 2) == 1.0
    assert budget_share(3, 5) == 1.0 and budget_share(4, 11) == 1.0  # five houses are no pool; twelve copies are
    assert budget_share(4, 12) == 0.5
    assert all(k * budget_share(k, 100) <= 2.0 + 1e-9 for k in range(2, 7))
    fields = forest(200)
    for variants, share in (("auto", 1 / 3), ("all", 1.0)):
        objects = [SimpleNamespace(field=f, atlas_share=1, budget_share=1.0) for f in fields]
        pools = plan_pools(fields, variants)
        built = {v for g in pools.groups for v in g.variants} | {"terrain"}
        objects = [o for o in objects if o.field.name in built]
        share_pools(objects, pools)
        got = {o.field.name: o.budget_share for o in objects}
        assert got.pop("terrain") == 1.0 and got.pop("cabin_01") == 1.0  # a lone object is no pool
        assert {round(v, 4) for v in got.values()} == {round(share, 4)}, variants


@pytest.mark.slow
def test_the_forest_prompt_plans_every_tree_it_asks_for_on_dry_free_ground():
    from pipelines.models import get_model

    prompt = "a dense pine forest of 200 trees around a lake with a log cabin and a few boulders"
    plan = get_model("procedural").generate(prompt, 0)
    kinds = [e.kind for e in plan.entities]
    assert kinds.count("tree") == 200 and "cabin" in kinds and kinds.count("boulder") == 3
    assert not [w for w in plan.warnings if "no room" in w or "wanted" in w], plan.warnings
    p, env = plan.environment.params, plan.environment
    trees = np.array([[e.position[0], e.position[2]] for e in plan.entities if e.kind == "tree"])
    assert (np.abs(trees) <= np.array(env.size_m) / 2).all()
    assert np.hypot(trees[:, 0] - p["lake_x"], trees[:, 1] - p["lake_z"]).min() > p["lake_r"]  # none in the lake
    near = np.hypot(*(trees[:, None] - trees[None]).transpose(2, 0, 1)) + np.eye(len(trees)) * 1e9
    assert near.min() > 1.0  # trunks apart: the layout checked each footprint against the others
    cabin = next(e for e in plan.entities if e.kind == "cabin")
    assert np.hypot(trees[:, 0] - cabin.position[0], trees[:, 1] - cabin.position[2]).min() < 15.0  # in the forest


def test_an_instance_gets_the_extents_it_was_planned_with():
    small = FakeField("a", "tree", (-1, 0, -1), (1, 4, 1))
    big = FakeField("b", "tree", (-1.5, 0, -1.5), (1.5, 6, 1.5))
    (sxz, sy, _), _ = instance_transform(big, small)
    assert math.isclose(sxz, 1.5) and math.isclose(sy, 1.5)


def test_kind_atlas_packs_tiles_apart_and_moves_uvs_into_them():
    tiles, atlases = kind_atlas.pack([256, 128, 256, 128, 64])
    assert len(atlases) == 1
    w, h = atlases[0]
    assert w & (w - 1) == 0 and h & (h - 1) == 0
    boxes = [(t.x, t.y, t.x + t.size, t.y + t.size) for t in tiles]
    for i, a in enumerate(boxes):
        assert a[2] <= w and a[3] <= h
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    # the texels of each variant land in its tile, and its uv0 reads them back there
    colours = [(200, 10, 10), (10, 200, 10)]
    sets = {}
    for k, c in enumerate(colours):
        img = np.zeros((64, 64, 3), np.uint8) + np.array(c, np.uint8)
        png = encode_png(img)
        sets[f"v{k}"] = {r: Texture(f"v{k}_{r}", r, png, 64, 64) for r in kind_atlas.ROLES}
    atlases_, where = kind_atlas.build("tree", sets)
    (atlas,) = atlases_
    pixels = read_png(atlas.textures["baseColor"].png)
    mesh = make_small_asset().nodes[0].lods[0]
    for k, c in enumerate(colours):
        moved = kind_atlas.remap_uv0(mesh, where[f"v{k}"], atlas.width, atlas.height)
        px = np.clip((moved.uv0 * [atlas.width, atlas.height]).astype(int), 0, [atlas.width - 1, atlas.height - 1])
        assert (pixels[px[:, 1], px[:, 0], :3] == c).all()


def test_a_kinds_variants_share_one_texture_size_square():
    """--texture-size is the largest texture edge: six tree variants that would each get 1024² fit one 1024² atlas
    as 256² tiles (the old atlas was 4096 x 2048 for the forest's trees), two as 512²; lone objects keep theirs."""
    from exporters.asset import MeshData
    from pipelines.stages import texture_size_for

    big = MeshData(np.array([[0, 0, 0], [30, 0, 0], [0, 0, 30]], np.float32), np.array([[0, 1, 2]]))  # 450 m²
    assert [texture_size_for(big, 1024, share=k) for k in (1, 2, 4, 5, 6, 16)] == [1024, 512, 512, 256, 256, 256]
    assert texture_size_for(big, 256, share=6) == 128  # never under MIN_TEXTURE: such a kind spills into 2 atlases
    png = encode_png(np.zeros((256, 256, 3), np.uint8))
    sets = {f"v{k}": {r: Texture(f"v{k}_{r}", r, png, 256, 256) for r in kind_atlas.ROLES} for k in range(6)}
    (atlas,), _ = kind_atlas.build("tree", sets, max_side=1024)
    assert atlas.width <= 1024 and atlas.height <= 1024 and atlas.members == list(sets)
    atlases, _ = kind_atlas.build("tree", sets, max_side=512)
    assert len(atlases) == 2 and all(a.width <= 512 and a.height <= 512 for a in atlases)


def test_the_texture_is_sized_for_the_surface_decimation_keeps(monkeypatch):
    """Reeds: the extracted clump (33k triangles) has several times the area of the 4k kept once stalks pinch,
    and asked for 256² maps; the texture follows what is baked. The triangle target still follows the extracted
    surface's texture (it is chosen before decimation)."""
    import torch

    from exporters.asset import MeshData
    from pipelines import stages

    def square(side: float) -> MeshData:
        pos = np.array([[0, 0, 0], [side, 0, 0], [side, 0, side], [0, 0, side]], np.float32)
        return MeshData(pos, np.array([[0, 1, 2], [0, 2, 3]]))

    def pinch(chain, obj):  # stands in for a decimation that keeps 1/100 of the area
        obj.mesh = square(1.0)

    monkeypatch.setattr(stages, "decimate_step", pinch)
    field = SimpleNamespace(name="reeds_01", kind="reeds", ready_mesh=square(1.0))  # kept as is by hold_budget
    obj = stages.ObjectState(field=field, mesh=square(10.0))  # 100 m²: 1024² by its area, 128² by the kept 1 m²
    chain = stages.Chain(plan=None, model=None, opts=BuildOptions(texture_size=1024), device=torch.device("cpu"))
    stages.decimate(chain, [obj], SimpleNamespace(advance=lambda *a, **k: None))
    assert obj.texture_size == 128 == stages.texture_size_for(obj.mesh, 1024)
    assert stages.texture_size_for(square(10.0), 1024) == 1024


def instanced_asset():
    """Return the small asset plus three copies of its house drawing the house's very meshes."""
    asset = make_small_asset()
    house = asset.nodes[0]
    house.extras.update({"variant": "house_01", "triangle_budget": 4000})
    for k in range(3):
        asset.nodes.append(
            Node(
                f"house_{k + 2:02d}",
                "house",
                house.lods,
                house.material,
                translation=(10.0 * k, 0.0, 12.0),
                rotation=(0.0, 0.0, 0.0, 1.0),
                scale=(1.1, 0.9, 1.1),
                lod_screen_sizes=house.lod_screen_sizes,
                collision=house.collision,
                extras={"kind": "house", "variant": "house_01", "instance_of": "house_01", "hue_shift": 0.02},
            )
        )
    return asset


def _written(tmp_path, target: str):
    preset = get_preset(target)
    files = write_formats(instanced_asset(), tmp_path, "village", preset)
    run = RunInfo("0", "test", 0, "0" * 64, 1, target=target)
    return files, build_manifest(instanced_asset(), files, run, tmp_path, preset)


def test_glb_copies_share_one_mesh_per_level(tmp_path):
    _, manifest = _written(tmp_path, "generic")
    path = tmp_path / "village.glb"
    assert_valid_gltf(path)
    gltf = GLTF2().load(str(path))
    nodes = {n.name: n for n in gltf.nodes}
    assert {nodes[f"house_{k:02d}"].mesh for k in range(1, 5)} == {nodes["house_01"].mesh}
    assert len({m.name for m in gltf.meshes}) == len(gltf.meshes)  # each written once
    assert len([m for m in gltf.meshes if m.name.startswith("house_01_LOD")]) == 3
    validate_manifest(manifest)
    totals = manifest["totals"]
    assert totals["unique_meshes"] == 3 and totals["draw_calls"] == 3 and totals["draw_calls_uninstanced"] == 6
    (house,) = [v for v in manifest["instancing"]["variants"] if v["kind"] == "house"]
    assert house["instances"] == ["house_02", "house_03", "house_04"] and house["triangle_budget"] == 4000
    entries = {n["name"]: n for n in manifest["nodes"]}
    assert entries["house_03"]["lods"][0]["mesh"] == "house_01_LOD0"


def test_the_manifest_finds_a_variants_budget_on_its_node_when_a_copy_owns_the_mesh(tmp_path):
    """The first node drawing a mesh names it; in plan order that can be a copy (tree_01 an instance of tree_155)."""
    asset, preset = instanced_asset(), get_preset("generic")
    nodes = {n.name: n for n in asset.nodes}
    del nodes["house_01"].extras["triangle_budget"]
    nodes["house_03"].extras["triangle_budget"] = 2666  # as if house_03 were the variant, planned after house_01
    files = write_formats(asset, tmp_path, "village", preset)
    manifest = build_manifest(asset, files, RunInfo("0", "test", 0, "0" * 64, 1), tmp_path, preset)
    validate_manifest(manifest)
    (house,) = [v for v in manifest["instancing"]["variants"] if v["kind"] == "house"]
    assert house["variant"] == "house_01" and house["triangle_budget"] == 2666


def test_unity_glb_draws_copies_with_ext_mesh_gpu_instancing(tmp_path):
    _, manifest = _written(tmp_path, "unity")
    path = tmp_path / "village.glb"
    assert_valid_gltf(path)
    assert check_gpu_instancing(path) == []
    gltf = GLTF2().load(str(path))
    assert "EXT_mesh_gpu_instancing" in gltf.extensionsUsed
    assert "EXT_mesh_gpu_instancing" not in (gltf.extensionsRequired or [])
    users = [n for n in gltf.nodes if "EXT_mesh_gpu_instancing" in (n.extensions or {})]
    scene = set(gltf.scenes[0].nodes)
    drawer = [n for n in users if gltf.nodes.index(n) in scene]
    assert len(drawer) == 1 and drawer[0].extras["instances"] == ["house_01", "house_02", "house_03", "house_04"]
    attrs = drawer[0].extensions["EXT_mesh_gpu_instancing"]["attributes"]
    assert {gltf.accessors[i].count for i in attrs.values()} == {4}
    # the objects stay as named empty nodes, so nothing is drawn twice
    for k in range(1, 5):
        node = [n for n in gltf.nodes if n.name == f"house_{k:02d}"][0]
        assert node.mesh is None and node.extras["instanced_by"] == "house_01_instances"
    assert manifest["instancing"]["glb"] == "EXT_mesh_gpu_instancing"


def test_a_broken_instancing_extension_is_caught(tmp_path):
    _written(tmp_path, "unity")
    path = tmp_path / "village.glb"
    data = bytearray(path.read_bytes())
    text = data.decode("latin-1")
    at = text.index('"SCALE"')
    data[at + 1 : at + 6] = b"SCALX"  # an unprefixed custom attribute
    path.write_bytes(bytes(data))
    assert any("underscore" in e for e in check_gpu_instancing(path))


def test_fbx_copies_share_one_geometry_read_by_ufbx_and_assimp(tmp_path):
    require_readers()
    _written(tmp_path, "unity")
    path = tmp_path / "village.fbx"
    raw = path.read_bytes()
    # house LOD0..2, rock, terrain LOD0..1, and the colliders: box, convex, trimesh -> 9 Geometry objects
    assert raw.count(b"\x00\x01Geometry") == 9
    scene = read_ufbx(path)
    lod0 = [n for n in scene.nodes.values() if n.name.endswith("_LOD0") and n.name.startswith("house")]
    assert len(lod0) == 4
    assert len({n.mesh.name for n in lod0}) == 1
    first = lod0[0].mesh.corner_positions
    assert all(np.array_equal(n.mesh.corner_positions, first) for n in lod0)
    worlds = {tuple(np.round(n.geometry_to_world[:3, 3], 3)) for n in lod0}
    assert len(worlds) == 4  # one geometry, four places
    ascene = read_assimp(path)
    meshes = [ascene.nodes[n] for n in ascene.nodes if n.startswith("house") and n.endswith("_LOD0")]
    assert len(meshes) == 4 and all(len(n.meshes) == 1 for n in meshes)
    assert all(np.allclose(n.meshes[0].positions, meshes[0].meshes[0].positions) for n in meshes)


def test_copies_change_no_byte_between_runs(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    for folder in (a, b):
        write_formats(instanced_asset(), folder, "village", get_preset("unity"))
    for name in ("village.glb", "village.fbx"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert json.loads(json.dumps(get_preset("godot").agent)) == [0.6, 2.0, 45.0, 0.9]
