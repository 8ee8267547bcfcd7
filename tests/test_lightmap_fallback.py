"""The lightmap fallback (charts as shelf boxes): uv1 never overlaps, checked exactly (texture/uv_overlap.py)."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from exporters.asset import MeshData
from exporters.errors import ResourceError
from pipelines.texture import lightmap
from pipelines.texture.uv_overlap import overlapping_pairs
from tests.meshes import tree_lod0


@pytest.fixture(scope="module")
def tree() -> MeshData:
    return tree_lod0()


def test_charts_xatlas_cannot_fit_are_shelved_without_overlap_on_the_same_vertices(tree: MeshData):
    with pytest.raises(ResourceError):
        lightmap.lightmap_uvs(tree, resolution=16, padding_texels=2)
    out = lightmap.fallback_uvs(tree, resolution=16, padding_texels=2)
    assert out.uv1.min() >= 0.0 and out.uv1.max() <= 1.0
    assert overlapping_pairs(out.uv1, out.indices) == 0
    assert out.positions is tree.positions and out.indices is tree.indices  # uv0's charts moved whole


def test_uv0_charts_stacked_on_each_other_are_moved_apart():
    """The old fallback (uv1 = uv0) kept charts that share atlas space; the shelf layout separates them."""
    a = trimesh.creation.icosphere(subdivisions=2, radius=0.5)
    b = a.copy()
    b.apply_translation([2.0, 0.0, 0.0])
    both = trimesh.util.concatenate([a, b])
    d = a.vertices / np.linalg.norm(a.vertices, axis=1, keepdims=True)
    uv = 0.5 + 0.45 * d[:, [0, 2]] * np.where(d[:, [1]] > 0, 1.0, 0.5)  # two charts per sphere, both spheres alike
    faces = both.faces
    mesh = MeshData(both.vertices, faces, uv0=np.concatenate([uv, uv]))
    assert overlapping_pairs(mesh.uv0, faces) > 0
    out = lightmap.fallback_uvs(mesh, resolution=256, padding_texels=2)
    assert overlapping_pairs(out.uv1, out.indices) == 0
    assert out.uv1.min() >= 0.0 and out.uv1.max() <= 1.0


def test_folded_uv0_gives_every_triangle_its_own_chart():
    box = trimesh.creation.box(extents=(1.0, 2.0, 0.5))
    uv0 = box.vertices[:, [0, 2]] + 0.5  # top and bottom land on one square: a folded chart
    mesh = MeshData(box.vertices, box.faces, uv0=uv0, normals=box.vertex_normals)
    out = lightmap.fallback_uvs(mesh, resolution=64, padding_texels=2)
    assert out.vertex_count == 3 * mesh.triangle_count
    assert overlapping_pairs(out.uv1, out.indices) == 0
    assert np.allclose(out.uv0, out.positions[:, [0, 2]] + 0.5)  # every attribute went with its vertex
    # Each triangle keeps its 3D shape in uv1 (a similarity): edge length ratios match.
    for tri in out.indices[:4]:
        p, q = out.positions[tri], out.uv1[tri]
        lp = np.linalg.norm(p - np.roll(p, 1, axis=0), axis=1)
        lq = np.linalg.norm(q - np.roll(q, 1, axis=0), axis=1)
        assert np.allclose(lq / lq.sum(), lp / lp.sum(), atol=1e-4)


def test_thousands_of_tiny_charts_fit_with_less_padding():
    """5120 triangles, all on one uv0 triangle, at 64²: each becomes a chart, too many for padding 2 (25
    texels each): the padding shrinks and still no two overlap."""
    sphere = trimesh.creation.icosphere(subdivisions=4, radius=0.5)
    soup = sphere.vertices[sphere.faces].reshape(-1, 3)
    uv0 = np.tile([[0.1, 0.1], [0.9, 0.1], [0.1, 0.9]], (len(sphere.faces), 1))
    mesh = MeshData(soup, np.arange(len(soup)).reshape(-1, 3), uv0=uv0)
    out = lightmap.fallback_uvs(mesh, resolution=64, padding_texels=2)
    assert overlapping_pairs(out.uv1, out.indices) == 0
    tri = out.uv1[out.indices]
    e1, e2 = tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    area = 0.5 * np.abs(e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0])
    assert np.all(area > 0)  # every triangle keeps lightmap texels of its own
    assert out.uv1.min() >= 0.0 and out.uv1.max() <= 1.0


def test_exact_overlap_check_sees_folds_and_stacks_but_not_shared_edges():
    n = 12
    g = np.linspace(0.0, 1.0, n + 1)
    uv = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    a = (np.arange(n)[:, None] * (n + 1) + np.arange(n)[None]).reshape(-1)
    faces = np.concatenate([np.stack([a, a + 1, a + n + 2], 1), np.stack([a, a + n + 2, a + n + 1], 1)])
    assert overlapping_pairs(uv, faces) == 0  # a grid: neighbours share edges and corners only
    moved = uv.copy()
    moved[5 * (n + 1) + 5] += [1.5 / n, 0.3 / n]  # one vertex pushed past its neighbour: the fan folds
    assert overlapping_pairs(moved, faces) > 0
    stacked = np.concatenate([faces, faces[:3]])  # three triangles drawn twice
    assert overlapping_pairs(uv, stacked) == 3
    sliver = np.array([[0.2, 0.2], [0.8, 0.2], [0.5, 0.2 + 1e-5], [0.5, 0.2 - 1e-6], [0.5, 0.9], [0.4, 0.9]])
    assert overlapping_pairs(sliver, np.array([[0, 1, 2], [3, 4, 5]])) == 1  # thinner than any raster sample
