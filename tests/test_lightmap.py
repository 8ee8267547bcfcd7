"""Lightmap UVs (pipelines/texture/lightmap.py), checked by rasterising uv1 here, independently of the module."""

from __future__ import annotations

import math

import numpy as np
import pytest
import trimesh
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from exporters.asset import MeshData
from exporters.errors import InputError, ResourceError
from pipelines.texture import lightmap
from pipelines.texture.lightmap_checks import lightmap_problems
from tests.meshes import tree_lod0

RESOLUTION = 256
PADDING = 2


@pytest.fixture(scope="module")
def tree() -> MeshData:
    return tree_lod0()


@pytest.fixture(scope="module")
def lit(tree: MeshData) -> MeshData:
    return lightmap.lightmap_uvs(tree, resolution=RESOLUTION, padding_texels=PADDING)


# -- independent checks ---------------------------------------------------------------------


def _uv1_charts(mesh: MeshData) -> np.ndarray:
    """Chart per triangle: triangles connected through vertices with the same uv1 point."""
    _, weld = np.unique(mesh.uv1, axis=0, return_inverse=True)
    f = weld.reshape(-1)[mesh.indices.astype(np.int64)]
    n = int(f.max()) + 1
    graph = coo_matrix((np.ones(f.size), (np.repeat(f[:, 0], 3), f.reshape(-1))), shape=(n, n))
    return connected_components(graph, directed=False)[1][f[:, 0]]


def _max_coverage(uv: np.ndarray, faces: np.ndarray, size: int) -> int:
    """Most triangles strictly containing one sample of a size x size grid of texel centres."""
    count = np.zeros((size, size), dtype=np.int32)
    for tri in uv[faces.astype(np.int64)].astype(np.float64) * size - 0.5:
        x0, y0 = np.ceil(tri.min(axis=0)).astype(int)
        x1, y1 = np.floor(tri.max(axis=0)).astype(int)
        if x1 < x0 or y1 < y0:
            continue
        gx, gy = np.meshgrid(np.arange(x0, x1 + 1), np.arange(y0, y1 + 1))
        a, b, c = tri
        area = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        if area == 0:
            continue
        w = [((q[0] - p[0]) * (gy - p[1]) - (q[1] - p[1]) * (gx - p[0])) / area for p, q in ((b, c), (c, a), (a, b))]
        inside = (w[0] > 1e-9) & (w[1] > 1e-9) & (w[2] > 1e-9)
        count[gy[inside], gx[inside]] += 1
    return int(count.max())


def _footprint_labels(uv: np.ndarray, faces: np.ndarray, charts: np.ndarray, size: int) -> np.ndarray:
    """Texel labels from dense point samples of every triangle (edges included): chart id, -1, or -2 (shared)."""
    label = np.full((size, size), -1, dtype=np.int64)
    for tri, chart in zip(uv[faces.astype(np.int64)].astype(np.float64) * size, charts):
        longest = max(np.linalg.norm(tri[i] - tri[(i + 1) % 3]) for i in range(3))
        if longest == 0:
            continue  # no area: covers nothing
        n = max(2, int(math.ceil(longest * 8)))  # samples every 1/8 texel or closer
        i, j = np.meshgrid(np.arange(n + 1), np.arange(n + 1))
        keep = i + j <= n
        w1, w2 = i[keep] / n, j[keep] / n
        pts = tri[0] + w1[:, None] * (tri[1] - tri[0]) + w2[:, None] * (tri[2] - tri[0])
        # A point exactly on a texel border touches neither side's interior: nudge it inwards.
        pts = pts + 1e-7 * (tri.mean(axis=0) - pts)
        px = np.clip(np.floor(pts).astype(int), 0, size - 1)
        cur = label[px[:, 1], px[:, 0]]
        label[px[:, 1], px[:, 0]] = np.where((cur == -1) | (cur == chart), chart, -2)
    return label


# -- tests --------------------------------------------------------------------------------------


def test_uv1_lives_on_the_same_vertex_buffer(tree: MeshData, lit: MeshData):
    assert lit.vertex_count == tree.vertex_count
    assert np.array_equal(lit.indices, tree.indices)
    for name in ("positions", "normals", "uv0"):
        assert np.array_equal(getattr(lit, name), getattr(tree, name))
    assert lit.uv1 is not None and lit.uv1.shape == (tree.vertex_count, 2)


def test_uv1_is_inside_the_unit_square(lit: MeshData):
    assert lit.uv1.min() >= 0.0 and lit.uv1.max() <= 1.0


def test_no_two_triangles_overlap_in_uv1(lit: MeshData):
    # Sampled at four times the lightmap resolution; shared edges hold no strictly-inside sample.
    assert _max_coverage(lit.uv1, lit.indices, 4 * RESOLUTION) <= 1


def test_charts_are_at_least_padding_texels_apart(lit: MeshData):
    charts = _uv1_charts(lit)
    # uv0's islands, each kept whole (none split, none merged), and kept apart.
    assert len(np.unique(charts)) == len(np.unique(lightmap.uv_charts(lit))) > 5
    label = _footprint_labels(lit.uv1, lit.indices, charts, RESOLUTION)
    assert not (label == -2).any(), "a texel touched by two charts"
    window = 2 * PADDING + 1  # any other chart within PADDING texels (diagonals too) shows up here
    hi = ndimage.maximum_filter(label, size=window, mode="constant", cval=-1)
    empty = int(label.max()) + 1
    lo = ndimage.minimum_filter(np.where(label < 0, empty, label), size=window, mode="constant", cval=empty)
    mine = label >= 0
    assert (hi[mine] == label[mine]).all() and (lo[mine] == label[mine]).all()


def test_lightmap_density_is_uniform_per_meter(lit: MeshData):
    f = lit.indices.astype(np.int64)
    p, uv = lit.positions.astype(np.float64), lit.uv1.astype(np.float64)
    area3 = 0.5 * np.linalg.norm(np.cross(p[f[:, 1]] - p[f[:, 0]], p[f[:, 2]] - p[f[:, 0]]), axis=1)
    e1, e2 = uv[f[:, 1]] - uv[f[:, 0]], uv[f[:, 2]] - uv[f[:, 0]]
    area_uv = 0.5 * np.abs(e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0])
    charts = _uv1_charts(lit)
    a3 = np.bincount(charts, area3)
    auv = np.bincount(charts, area_uv)
    big = a3 > 0.01 * a3.sum() / len(a3)  # skip slivers
    density = auv[big] / a3[big]
    assert density.max() / density.min() < 1.3


@pytest.mark.slow
def test_lightmap_is_deterministic(tree: MeshData, lit: MeshData):
    again = lightmap.lightmap_uvs(tree, resolution=RESOLUTION, padding_texels=PADDING)
    assert np.array_equal(again.uv1, lit.uv1)


@pytest.mark.parametrize("resolution, padding", [(128, 4), (256, 0)])
def test_other_resolutions_and_paddings(tree: MeshData, resolution: int, padding: int):
    out = lightmap.lightmap_uvs(tree, resolution=resolution, padding_texels=padding)
    assert not lightmap_problems(out.uv1, out.indices, resolution, padding, charts=_uv1_charts(out))
    assert _max_coverage(out.uv1, out.indices, 2 * resolution) <= 1


def test_mesh_without_uv0_is_unwrapped_with_its_attributes_split_along():
    sphere = trimesh.creation.icosphere(subdivisions=2, radius=0.5)
    mesh = MeshData(sphere.vertices, sphere.faces, normals=sphere.vertex_normals)
    out = lightmap.lightmap_uvs(mesh, resolution=RESOLUTION, padding_texels=PADDING)
    assert out.uv1.min() >= 0.0 and out.uv1.max() <= 1.0
    assert _max_coverage(out.uv1, out.indices, 4 * RESOLUTION) <= 1
    # Same triangles, each vertex with its own normal.
    assert sorted(map(tuple, np.sort(out.positions[out.indices].reshape(-1, 9), axis=1))) == sorted(
        map(tuple, np.sort(mesh.positions[mesh.indices].reshape(-1, 9), axis=1))
    )
    source = {p.tobytes(): n for p, n in zip(mesh.positions, mesh.normals)}
    assert all(np.array_equal(source[p.tobytes()], n) for p, n in zip(out.positions, out.normals))


def test_folded_uv0_is_unwrapped_again_with_uv0_carried():
    box = trimesh.creation.box(extents=(1.0, 1.0, 1.0))  # 8 shared vertices
    uv0 = box.vertices[:, [0, 2]] + 0.5  # top and bottom land on one square: a folded chart
    mesh = MeshData(box.vertices, box.faces, uv0=uv0)
    out = lightmap.lightmap_uvs(mesh, resolution=64, padding_texels=2)
    assert _max_coverage(out.uv1, out.indices, 4 * 64) <= 1
    # Each output vertex keeps the uv0 that belongs to its position.
    assert np.allclose(out.uv0, out.positions[:, [0, 2]] + 0.5)


def test_checker_catches_overlaps_and_crowding():
    uv = np.array([[0.1, 0.1], [0.5, 0.1], [0.1, 0.5], [0.2, 0.2], [0.6, 0.2], [0.2, 0.6]])
    faces = np.array([[0, 1, 2], [3, 4, 5]])
    problems = lightmap_problems(uv, faces, 64, 2, charts=np.array([0, 1]))
    assert any("more than one triangle" in p for p in problems)
    near = uv.copy()
    near[3:] = [[0.52, 0.1], [0.9, 0.1], [0.52, 0.5]]  # 0.02 * 64 = 1.3 texels from the first
    problems = lightmap_problems(near, faces, 64, 2, charts=np.array([0, 1]))
    assert problems and all("closer than 2 texels" in p for p in problems)


def test_bad_options_are_input_errors(tree: MeshData):
    with pytest.raises(InputError):
        lightmap.lightmap_uvs(tree, resolution=8)
    with pytest.raises(InputError):
        lightmap.lightmap_uvs(tree, padding_texels=-1)


def test_too_many_charts_for_the_resolution_is_a_resource_error(tree: MeshData):
    # Every chart needs at least (1 + 2 * padding)^2 texels: 13 charts cannot share 16 x 16.
    with pytest.raises(ResourceError, match="lightmap resolution"):
        lightmap.lightmap_uvs(tree, resolution=16, padding_texels=2)
