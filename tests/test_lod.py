"""LOD budgets, the LOD chain and screen sizes (pipelines/mesh/lod.py), on small real meshes."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh
from PIL import Image, ImageDraw
from scipy.spatial import cKDTree

from exporters.asset import MeshData
from exporters.errors import InputError
from pipelines.mesh import lod
from pipelines.mesh.budgets import (
    DEFAULT_BUDGET,
    MIN_NODE_TRIANGLES,
    SMALL_BUDGET,
    apply_scene_budget,
    default_budget,
)
from pipelines.mesh.topology import is_closed_mesh
from tests.meshes import heightfield, tree_lod0


def _terrain_lod0(n: int = 60) -> MeshData:
    """Return an open heightfield, 50 m square, with a planar uv0."""
    pos, faces, xz = heightfield(n, 25.0, 25.0, ripple=1.3)
    return MeshData(pos, faces, normals=np.tile([0.0, 1.0, 0.0], (len(pos), 1)), uv0=(xz + 25) / 50)


@pytest.fixture(scope="module")
def tree() -> MeshData:
    return tree_lod0()


@pytest.fixture(scope="module")
def tree_chain(tree: MeshData) -> lod.LodChain:
    return lod.build_lods(tree, 4)


def _welded(mesh: MeshData) -> trimesh.Trimesh:
    return trimesh.Trimesh(mesh.positions, mesh.indices, process=True)


def _surface_samples(mesh: MeshData, n: int, seed: int) -> np.ndarray:
    points, _ = trimesh.sample.sample_surface(_welded(mesh), n, seed=seed)
    return np.asarray(points)


# -- budgets ----------------------------------------------------------------------------------


def test_default_budget_is_larger_for_terrain_than_props():
    assert default_budget("terrain") > default_budget("house") > default_budget("candle")
    assert default_budget("no-such-kind") == DEFAULT_BUDGET
    assert default_budget("House") == default_budget("house")


def test_an_unlisted_kind_gets_a_budget_for_its_size():
    assert default_budget("house", 0.5) == default_budget("house")  # the table wins
    assert default_budget("mailbox", 1.3) < default_budget("mailbox", 3.0) < default_budget("mailbox", 9.0)
    assert default_budget("mailbox", 9.0) == DEFAULT_BUDGET
    assert default_budget("cup", 0.1) == SMALL_BUDGET


def test_scene_budget_scales_down_proportionally_to_fit():
    budgets = {"terrain": 60000, "house_01": 12000, "tree_01": 8000, "candle_01": 500}
    out = apply_scene_budget(budgets, 20000)
    assert list(out) == list(budgets)
    assert sum(out.values()) <= 20000
    assert out["terrain"] > out["house_01"] > out["tree_01"] > out["candle_01"] >= MIN_NODE_TRIANGLES
    assert out["house_01"] / out["tree_01"] == pytest.approx(12000 / 8000, rel=0.01)


def test_scene_budget_keeps_a_floor_per_node():
    budgets = {f"rock_{i:02d}": 2500 for i in range(10)} | {"pebble": 100}
    out = apply_scene_budget(budgets, 2000)
    assert sum(out.values()) <= 2000
    assert out["pebble"] == 100  # below the floor already: kept, not raised
    assert all(out[f"rock_{i:02d}"] >= MIN_NODE_TRIANGLES for i in range(10))


def test_scene_budget_without_maximum_or_under_it_is_unchanged():
    budgets = {"a": 1000, "b": 2000}
    assert apply_scene_budget(budgets, None) == budgets
    assert apply_scene_budget(budgets, 10_000) == budgets


def test_scene_budget_below_the_floors_is_an_input_error():
    with pytest.raises(InputError, match="--max-triangles"):
        apply_scene_budget({f"n{i}": 5000 for i in range(10)}, 500)


# -- the chain --------------------------------------------------------------------------------


def test_lod_levels_halve_triangles(tree: MeshData, tree_chain: lod.LodChain):
    counts = [tree.triangle_count] + [level.triangle_count for level in tree_chain]
    assert len(tree_chain) == 4, tree_chain.notes
    for before, after in zip(counts, counts[1:]):
        assert 0 < after <= before // 2


def test_closed_mesh_stays_closed(tree: MeshData, tree_chain: lod.LodChain):
    assert is_closed_mesh(tree) and _welded(tree).is_watertight
    for level in tree_chain:
        welded = _welded(level)
        assert welded.is_watertight and welded.is_winding_consistent
        assert is_closed_mesh(level)
        assert welded.volume > 0  # still outward-facing


def test_lod_uv0_stays_inside_unit_square(tree_chain: lod.LodChain):
    for level in tree_chain:
        assert level.uv0 is not None and level.normals is not None
        assert level.uv0.min() >= 0.0 and level.uv0.max() <= 1.0
        assert np.allclose(np.linalg.norm(level.normals, axis=1), 1.0, atol=1e-4)


def test_lod_surface_stays_near_lod0(tree: MeshData, tree_chain: lod.LodChain):
    diag = float(np.linalg.norm(np.ptp(tree.positions, axis=0)))
    ref = cKDTree(_surface_samples(tree, 200_000, seed=1))
    for k, level in enumerate(tree_chain, start=1):
        d_out, _ = ref.query(_surface_samples(level, 20_000, seed=2))
        d_back, _ = cKDTree(_surface_samples(level, 200_000, seed=3)).query(_surface_samples(tree, 20_000, seed=4))
        hausdorff = max(d_out.max(), d_back.max())
        assert hausdorff < 0.03 * diag, (k, hausdorff / diag)
        assert d_out.mean() < 0.005 * diag, (k, d_out.mean() / diag)


def test_first_level_reuses_lod0_vertices_exactly(tree: MeshData, tree_chain: lod.LodChain):
    # Seam-exact levels take every vertex, with all its attributes, from LOD0.
    def rows(m: MeshData) -> set[bytes]:
        data = np.concatenate([m.positions, m.uv0, m.normals], axis=1)
        return {r.tobytes() for r in np.ascontiguousarray(data)}

    assert rows(tree_chain[0]) <= rows(tree)


def test_every_lod_triangle_samples_one_atlas_island(tree: MeshData, tree_chain: lod.LodChain):
    size = 1024
    owner = Image.new("I", (size, size), 0)
    draw = ImageDraw.Draw(owner)
    chart = _split_components(tree)  # faces sharing a vertex index: xatlas's charts
    for tri, c in zip(tree.uv0[tree.indices.astype(np.int64)] * size, chart):
        draw.polygon([tuple(p) for p in tri], fill=int(c) + 1, outline=int(c) + 1)
    labels = np.asarray(owner)
    for level in tree_chain:
        uv = level.uv0[level.indices.astype(np.int64)] * size
        px = np.clip(np.round(uv - 0.5).astype(int), 0, size - 1)
        # The islands in the 3x3 texels around each corner (a corner may sit on an island's border).
        islands = [
            np.stack(
                [
                    labels[np.clip(px[:, corner, 1] + dy, 0, size - 1), np.clip(px[:, corner, 0] + dx, 0, size - 1)]
                    for dy in (-1, 0, 1)
                    for dx in (-1, 0, 1)
                ],
                axis=1,
            )
            for corner in range(3)
        ]
        shared = [np.intersect1d(np.intersect1d(a[a > 0], b[b > 0]), c[c > 0]).size > 0 for a, b, c in zip(*islands)]
        assert np.mean(shared) > 0.995


def _split_components(mesh: MeshData) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    f = mesh.indices.astype(np.int64)
    n = mesh.vertex_count
    graph = coo_matrix((np.ones(f.size), (np.repeat(f[:, 0], 3), f.reshape(-1))), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    return comp[f[:, 0]]


def test_build_lods_is_deterministic(tree: MeshData, tree_chain: lod.LodChain):
    again = lod.build_lods(tree, 4)
    assert again.notes == tree_chain.notes
    for a, b in zip(again, tree_chain):
        assert np.array_equal(a.positions, b.positions) and np.array_equal(a.indices, b.indices)
        assert np.array_equal(a.uv0, b.uv0)


def test_zero_levels_give_an_empty_chain_without_notes(tree: MeshData):
    chain = lod.build_lods(tree, 0)
    assert len(chain) == 0 and chain.notes == []


def test_open_terrain_keeps_its_outline():
    terrain = _terrain_lod0()
    chain = lod.build_lods(terrain, 4)
    assert len(chain) == 4, chain.notes
    lo, hi = terrain.bounds()
    for level in chain:
        l_lo, l_hi = level.bounds()
        assert np.allclose(l_lo[[0, 2]], lo[[0, 2]]) and np.allclose(l_hi[[0, 2]], hi[[0, 2]])
        assert level.uv0.min() >= 0.0 and level.uv0.max() <= 1.0
        tri = level.positions[level.indices.astype(np.int64)]
        up = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
        assert (up[:, 1] > 0).all()  # still counter-clockwise seen from above


def test_tiny_mesh_stops_the_chain_with_a_note():
    box = trimesh.creation.box()
    chain = lod.build_lods(MeshData(box.vertices, box.faces, uv0=np.zeros((8, 2))), 3)
    assert all(level.triangle_count <= 6 for level in chain)
    assert len(chain) < 3 and chain.notes


def test_bad_chain_options_are_input_errors(tree: MeshData):
    with pytest.raises(InputError):
        lod.build_lods(tree, -1)
    with pytest.raises(InputError):
        lod.build_lods(tree, 2, ratio=0.7)


# -- screen sizes -----------------------------------------------------------------------------


def test_lod_screen_sizes_halve_and_end_with_the_cull_size():
    sizes = lod.lod_screen_sizes(4, 5.0)
    assert len(sizes) == 4
    assert sizes[:3] == [0.5, 0.25, 0.125]
    assert 0 < sizes[3] < sizes[2]
    assert lod.lod_screen_sizes(1, 5.0)[0] > 0  # a single level still gets a cull size


def test_small_props_cull_earlier_and_terrain_never():
    assert lod.lod_screen_sizes(1, 0.3)[0] > lod.lod_screen_sizes(1, 10.0)[0] > 0
    assert lod.lod_screen_sizes(3, 400.0)[-1] == 0.0


def test_bad_screen_size_inputs_are_input_errors():
    with pytest.raises(InputError):
        lod.lod_screen_sizes(0, 1.0)
    with pytest.raises(InputError):
        lod.lod_screen_sizes(2, float("nan"))
