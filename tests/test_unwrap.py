"""UV unwrapping: atlas validity, seams, padding, determinism across workers; tangents."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from skimage.measure import marching_cubes

from exporters.asset import MeshData
from pipelines.mesh.cleanup import clean
from pipelines.mesh.simplify import decimate
from pipelines.texture.raster import rasterize_uv, uv_overlap_count
from pipelines.texture.tangents import mikktspace_tangents
from pipelines.texture.unwrap import UnwrapOptions, default_padding, unwrap, unwrap_many


def _blob(seed: int, res: int = 40, target: int = 2500) -> MeshData:
    rng = np.random.default_rng(seed)
    x = np.linspace(-1.2, 1.2, res)
    X, Y, Z = np.meshgrid(x, x, x, indexing="ij")
    sdf = np.sqrt(X**2 + (Y * rng.uniform(0.8, 1.2)) ** 2 + Z**2) - 0.8
    for _ in range(4):
        k = rng.normal(size=3) * 3
        sdf = sdf + 0.05 * np.sin(k[0] * X + k[1] * Y + k[2] * Z + rng.uniform(0, 6))
    v, f, _, _ = marching_cubes(sdf, 0.0, spacing=(x[1] - x[0],) * 3)
    return decimate(clean((v - 1.2).astype(np.float32), f), target)


@pytest.fixture(scope="module")
def unwrapped() -> tuple[MeshData, MeshData, UnwrapOptions]:
    mesh = _blob(1)
    opts = UnwrapOptions(texture_size=512)
    return mesh, unwrap(mesh, opts), opts


def _chart_of_face(mesh: MeshData) -> np.ndarray:
    f = mesh.indices.astype(np.int64)
    n = mesh.vertex_count
    graph = coo_matrix((np.ones(2 * len(f)), (np.r_[f[:, 0], f[:, 1]], np.r_[f[:, 1], f[:, 2]])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    return label[f[:, 0]]


def test_unwrap_puts_uv0_inside_the_unit_square(unwrapped):
    _, out, _ = unwrapped
    assert out.uv0 is not None and out.uv0.dtype == np.float32
    assert out.uv0.min() >= 0.0 and out.uv0.max() <= 1.0
    # The atlas is used, not crammed into a corner.
    assert out.uv0.max(axis=0).min() > 0.8


def test_unwrap_charts_do_not_overlap(unwrapped):
    _, out, opts = unwrapped
    size = opts.texture_size
    count = uv_overlap_count(torch.from_numpy(out.uv0), torch.from_numpy(out.indices.astype(np.int64)), size)
    assert int(count.max()) == 1
    assert float((count > 0).float().mean()) > 0.2  # charts cover a fair share of the atlas


def test_unwrap_splits_vertices_only_along_seams(unwrapped):
    mesh, out, _ = unwrapped
    assert out.triangle_count == mesh.triangle_count
    assert mesh.vertex_count <= out.vertex_count < 2 * mesh.vertex_count
    # Same triangles in space, in the same order, with normals carried along.
    assert np.array_equal(out.positions[out.indices.astype(np.int64)], mesh.positions[mesh.indices.astype(np.int64)])
    assert np.array_equal(out.normals[out.indices.astype(np.int64)], mesh.normals[mesh.indices.astype(np.int64)])
    assert out.tangents is None
    # Every original vertex survives, and split copies share the position exactly.
    assert len({tuple(p) for p in out.positions}) == mesh.vertex_count


def test_unwrap_keeps_padding_between_charts(unwrapped):
    _, out, opts = unwrapped
    size, pad = opts.texture_size, opts.padding_texels
    assert pad == default_padding(size) == 2
    face_id, _ = rasterize_uv(torch.from_numpy(out.uv0), torch.from_numpy(out.indices.astype(np.int64)), size)
    face_id = face_id.numpy()
    chart = np.where(face_id >= 0, _chart_of_face(out)[np.maximum(face_id, 0)], -1)
    # Texels of different charts (conservatively rasterised: rims included) are at
    # least 2 * padding + 1 apart, so each chart owns `padding` texels of gutter.
    window = 4 * pad + 1
    big = int(chart.max()) + 1
    highest = ndimage.maximum_filter(chart, size=window, mode="constant", cval=-1)
    lowest = ndimage.minimum_filter(np.where(chart >= 0, chart, big), size=window, mode="constant", cval=big)
    covered = chart >= 0
    assert (highest[covered] == chart[covered]).all() and (lowest[covered] == chart[covered]).all()


def test_unwrap_many_is_deterministic_regardless_of_workers(monkeypatch):
    import pipelines.texture.unwrap as unwrap_module

    # Small meshes, real processes, even on a 2-core machine.
    monkeypatch.setattr(unwrap_module, "_PARALLEL_MIN_TRIANGLES", 0)
    monkeypatch.setattr(unwrap_module, "_usable_workers", lambda asked: asked)
    meshes = [_blob(seed, res=32, target=1200) for seed in range(3)]
    opts = UnwrapOptions(texture_size=256)
    serial = unwrap_many(meshes, opts, workers=1)
    parallel = unwrap_many(meshes, opts, workers=2)
    assert len(parallel) == len(meshes)
    for a, b, m in zip(serial, parallel, meshes):
        assert a.triangle_count == m.triangle_count
        for name in ("positions", "indices", "normals", "uv0"):
            assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_unwrap_rejects_an_empty_mesh():
    from exporters.errors import InputError

    empty = MeshData(positions=np.zeros((0, 3), np.float32), indices=np.zeros((0, 3), np.uint32))
    with pytest.raises(InputError):
        unwrap(empty)


def _quad(uv: np.ndarray) -> MeshData:
    # A 1 m quad facing +Z, corners (x, y): (0,0) (1,0) (1,1) (0,1).
    p = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], np.float32)
    n = np.tile(np.float32([0, 0, 1]), (4, 1))
    return MeshData(positions=p, indices=np.array([[0, 1, 2], [0, 2, 3]]), normals=n, uv0=uv)


def test_tangents_follow_u_and_sign_the_image_up_bitangent():
    # Image placed upright on the quad: u grows with x, v (downwards in the image) shrinks with y.
    upright = _quad(np.array([[0, 1], [1, 1], [1, 0], [0, 0]], np.float32))
    t = mikktspace_tangents(upright)
    assert np.allclose(t, [1, 0, 0, 1], atol=1e-6)
    # glTF's bitangent cross(N, T) * w = +Y = up the image: green +Y decodes upward.
    assert np.allclose(np.cross(upright.normals, t[:, :3]) * t[:, 3:], [0, 1, 0], atol=1e-6)
    mirrored = _quad(np.array([[1, 1], [0, 1], [0, 0], [1, 0]], np.float32))
    t = mikktspace_tangents(mirrored)
    assert np.allclose(t, [-1, 0, 0, -1], atol=1e-6)
    assert np.allclose(np.cross(mirrored.normals, t[:, :3]) * t[:, 3:], [0, 1, 0], atol=1e-6)


def test_tangents_are_unit_orthogonal_with_unit_sign_and_no_nan(unwrapped):
    _, out, _ = unwrapped
    uv0 = out.uv0.copy()
    uv0[out.indices[0]] = uv0[out.indices[0, 0]]  # one degenerate uv triangle
    out = MeshData(positions=out.positions, indices=out.indices, normals=out.normals, uv0=uv0)
    t = mikktspace_tangents(out)
    assert t.shape == (out.vertex_count, 4) and t.dtype == np.float32
    assert np.isfinite(t).all()
    assert np.allclose(np.linalg.norm(t[:, :3], axis=1), 1.0, atol=1e-5)
    assert set(np.unique(t[:, 3])) <= {-1.0, 1.0}
    assert np.abs((t[:, :3] * out.normals).sum(axis=1)).max() < 1e-4
