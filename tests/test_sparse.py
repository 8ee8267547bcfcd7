"""Sparse extraction: same mesh as dense, closed objects stay closed, bounded sampling and clear errors."""

from __future__ import annotations

import logging
import math

import pytest
import torch

from exporters.asset import MeshData
from exporters.errors import InputError, ResourceError
from pipelines.extract.sparse import extract_sdf, grid_points, make_grid
from tests.test_extract import area, assert_watertight


def sphere_sdf(p: torch.Tensor, centre=(0.1, 0.2, -0.1), r: float = 0.8037) -> torch.Tensor:
    # Radii and centres avoid surfaces through samples: a sample exactly at the level puts
    # the vertices of all its crossed edges on one point (see extract.py).
    return (p - torch.tensor(centre, device=p.device)).norm(dim=1) - r


def torus_sdf(p: torch.Tensor) -> torch.Tensor:
    ring = torch.sqrt(p[:, 0] ** 2 + p[:, 2] ** 2) - 0.7
    return torch.stack([ring, p[:, 1]], 1).norm(dim=1) - 0.25


def scene_sdf(p: torch.Tensor) -> torch.Tensor:
    """Several separate objects, like a scene's entities: a ball, a torus and a box."""
    ball = sphere_sdf(p, (0.55, 0.3, 0.2), 0.35)
    ring = torus_sdf((p - torch.tensor([-0.45, 0.0, 0.3])) * 1.6) / 1.6
    q = (p - torch.tensor([0.2, -0.5, -0.5])).abs() - torch.tensor([0.3, 0.2, 0.25])
    box = q.clamp(min=0).norm(dim=1) + q.max(dim=1).values.clamp(max=0)
    return torch.minimum(torch.minimum(ball, ring), box)


def terrain_sdf(p: torch.Tensor) -> torch.Tensor:
    """An open heightfield, divided by its gradient bound to stay 1-Lipschitz."""
    h = 0.1 * torch.sin(3 * p[:, 0]) * torch.cos(2 * p[:, 2])
    return (p[:, 1] - h) / math.sqrt(1 + 0.3**2 + 0.2**2)


CASES = {
    "sphere": (sphere_sdf, (-0.7, -0.6, -0.9), (0.9, 1.0, 0.7)),
    "torus": (torus_sdf, (-0.95, -0.25, -0.95), (0.95, 0.25, 0.95)),
    "scene": (scene_sdf, (-1.2, -0.75, -1.0), (1.0, 0.7, 1.0)),
    "terrain": (terrain_sdf, (-1.0, -0.3, -1.0), (1.0, 0.3, 1.0)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_sparse_gives_the_dense_mesh(name):
    sdf, lo, hi = CASES[name]
    dense = extract_sdf(sdf, lo, hi, 56, "cpu", mode="dense")
    sparse = extract_sdf(sdf, lo, hi, 56, "cpu", mode="sparse")
    assert dense.stats.mode == "dense" and sparse.stats.mode == "sparse"
    assert sparse.faces.shape == dense.faces.shape and sparse.faces.shape[0] > 0
    assert torch.equal(sparse.faces, dense.faces)
    assert torch.allclose(sparse.vertices_local, dense.vertices_local, atol=1e-4 * dense.stats.spacing_m, rtol=0)
    if name in ("sphere", "scene"):  # thin slabs (torus, terrain) fill most leaves at this size
        assert sparse.stats.points_evaluated < dense.stats.points_evaluated
    if name != "terrain":
        assert_watertight(sparse.vertices_local, sparse.faces)


def test_leaf_size_does_not_change_the_mesh():
    sdf, lo, hi = CASES["scene"]
    ref = extract_sdf(sdf, lo, hi, 40, "cpu", mode="sparse", block=8)
    for block in (4, 5, 16):
        other = extract_sdf(sdf, lo, hi, 40, "cpu", mode="sparse", block=block, max_points_per_call=5000)
        assert torch.equal(other.faces, ref.faces), block
        assert torch.allclose(other.vertices_local, ref.vertices_local, atol=1e-6)


def test_tight_bounds_still_give_a_closed_object():
    r = 0.5
    res = extract_sdf(lambda p: p.norm(dim=1) - r, (-r, -r, -r), (r, r, r), 24, "cpu")
    # Samples lie on the bounds, where this sphere touches them: a few vertices coincide there.
    assert_watertight(res.vertices_local, res.faces, distinct_positions=False)
    assert abs(area(res.vertices_local.numpy(), res.faces.numpy()) / (4 * math.pi * r * r) - 1) < 0.02


def test_sparse_512_samples_a_small_fraction_of_the_grid():
    r = 0.08
    res = extract_sdf(lambda p: p.norm(dim=1) - r, (-1, -1, -1), (1, 1, 1), 512, "cpu")
    s = res.stats
    assert s.mode == "sparse" and s.grid_shape == (515, 515, 515)
    assert s.points_evaluated < s.points_total / 200
    assert s.blocks_active < s.blocks_total / 500
    assert s.peak_bytes_estimate < 256 * 2**20
    assert_watertight(res.vertices_local, res.faces)
    assert abs(area(res.vertices_local.numpy(), res.faces.numpy()) / (4 * math.pi * r * r) - 1) < 0.01


def test_sdf_calls_are_chunked():
    sizes = []

    def counting(p):
        sizes.append(p.shape[0])
        return sphere_sdf(p)

    sdf, lo, hi = CASES["sphere"]
    extract_sdf(counting, lo, hi, 48, "cpu", mode="dense", max_points_per_call=3000)
    assert max(sizes) <= 3000
    sizes.clear()
    extract_sdf(counting, lo, hi, 48, "cpu", mode="sparse", max_points_per_call=3000)
    assert max(sizes) <= 3000


def test_auto_mode_is_dense_for_small_grids_and_logs_its_choice(caplog):
    with caplog.at_level(logging.INFO, logger="hyworld.extract"):
        small = extract_sdf(sphere_sdf, (-1, -1, -1), (1, 1, 1), 32, "cpu")
    assert small.stats.mode == "dense" and small.stats.kernel == "torch"
    assert "mode=dense kernel=torch" in caplog.text


def test_empty_surface_gives_an_empty_mesh():
    for mode in ("dense", "sparse"):
        res = extract_sdf(lambda p: p.norm(dim=1) + 1.0, (-1, -1, -1), (1, 1, 1), 40, "cpu", mode=mode)
        assert res.vertices_local.shape == (0, 3) and res.faces.shape == (0, 3)
        assert res.faces.dtype == torch.int64 and res.vertices_local.dtype == torch.float32


def test_grids_that_do_not_fit_raise_resource_error():
    with pytest.raises(ResourceError, match="resolution"):
        extract_sdf(sphere_sdf, (-1, -1, -1), (1, 1, 1), 200, "cpu", mode="dense", memory_limit_bytes=10**6)
    with pytest.raises(ResourceError, match="resolution"):
        extract_sdf(sphere_sdf, (-1, -1, -1), (1, 1, 1), 200, "cpu", mode="sparse", memory_limit_bytes=10**6)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(resolution=0),
        dict(resolution=2.5),
        dict(bounds_max=(-2, 1, 1)),
        dict(bounds_min=(0, 0)),
        dict(mode="fast"),
        dict(block=1),
    ],
    ids=["zero-res", "float-res", "inverted", "short-bounds", "mode", "block"],
)
def test_bad_arguments_raise_input_error(kwargs):
    args = dict(sdf=sphere_sdf, bounds_min=(-1, -1, -1), bounds_max=(1, 1, 1), resolution=16, device="cpu")
    args.update(kwargs)
    with pytest.raises(InputError):
        extract_sdf(**args)


def test_sdf_returning_the_wrong_shape_raises_input_error():
    with pytest.raises(InputError, match="sdf returned shape"):
        extract_sdf(lambda p: p, (-1, -1, -1), (1, 1, 1), 16, "cpu")


def test_grid_is_padded_and_centred_on_the_bounds():
    grid = make_grid((0, 0, 0), (2.0, 1.0, 0.5), 20)
    assert grid.spacing_m == pytest.approx(0.1)
    assert grid.shape == (23, 13, 8)  # 20, 10, 5 cells + one padding cell per side
    pts = grid_points(grid, "cpu")
    assert pts.shape == (23 * 13 * 8, 3)
    assert torch.allclose(pts[0], torch.tensor([-0.1, -0.1, -0.1]), atol=1e-6)
    assert torch.allclose(pts[-1], torch.tensor([2.1, 1.1, 0.6]), atol=1e-6)


def test_result_converts_to_mesh_data():
    res = extract_sdf(sphere_sdf, (-1, -1, -1), (1, 1, 1), 24, "cpu")
    mesh = res.to_mesh_data()
    assert isinstance(mesh, MeshData)
    assert mesh.triangle_count == res.faces.shape[0] and mesh.indices.dtype.name == "uint32"
