"""Cleanup (weld, degenerate/duplicate faces, floaters, normals) and decimation."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import trimesh
from skimage.measure import marching_cubes

from exporters.asset import MeshData
from pipelines.fields import MaterialSample
from pipelines.mesh.cleanup import CleanOptions, clean, field_normals, vertex_normals
from pipelines.mesh.simplify import MAX_UNWRAP_TRIANGLES, MIN_BUDGET_TRIANGLES, decimate, texture_budget_triangles
from pipelines.mesh.topology import is_closed


class SphereField:
    """Unit-speed SDF of a sphere; grey material."""

    name, kind, closed = "sphere", "test", True
    translation, yaw_deg = (0.0, 0.0, 0.0), 0.0

    def __init__(self, radius: float = 1.0):
        self.radius = radius
        self.bounds_min = (-1.2 * radius,) * 3
        self.bounds_max = (1.2 * radius,) * 3

    def sdf(self, points: torch.Tensor) -> torch.Tensor:
        return points.norm(dim=1) - self.radius

    def material(self, points: torch.Tensor) -> MaterialSample:
        n = points.shape[0]
        return MaterialSample(torch.full((n, 3), 0.5), torch.full((n,), 0.5), torch.zeros(n))


class FlatTopSphereField(SphereField):
    """A sphere whose SDF is clamped to a constant above y = 0.5: no gradient there."""

    def sdf(self, points: torch.Tensor) -> torch.Tensor:
        d = super().sdf(points)
        return torch.where(points[:, 1] > 0.5, torch.full_like(d, 0.25), d)


def _grid_sdf_mesh(sdf: np.ndarray, lo: float, step: float) -> tuple[np.ndarray, np.ndarray]:
    v, f, _, _ = marching_cubes(sdf, 0.0, spacing=(step,) * 3)
    return (v + lo).astype(np.float32), f.astype(np.int64)


def _face_areas(positions: np.ndarray, faces: np.ndarray) -> np.ndarray:
    p = positions.astype(np.float64)[faces.astype(np.int64)]
    return 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1)


def _blob(res: int = 48) -> MeshData:
    x = np.linspace(-1.2, 1.2, res)
    X, Y, Z = np.meshgrid(x, x, x, indexing="ij")
    sdf = np.sqrt(X**2 + Y**2 + Z**2) - 0.8 + 0.08 * np.sin(5 * X) * np.sin(4 * Y + 1) * np.sin(3 * Z)
    return clean(*_grid_sdf_mesh(sdf, -1.2, x[1] - x[0]))


def test_clean_welds_a_triangle_soup_into_a_closed_sphere():
    sphere = trimesh.creation.icosphere(subdivisions=3)
    soup = sphere.vertices[sphere.faces].reshape(-1, 3).astype(np.float32)
    soup += np.random.default_rng(0).normal(scale=1e-8, size=soup.shape).astype(np.float32)
    faces = np.arange(len(soup)).reshape(-1, 3)
    assert not is_closed(faces)
    mesh = clean(soup, faces)
    assert mesh.vertex_count == len(sphere.vertices)
    assert mesh.triangle_count == len(sphere.faces)
    assert is_closed(mesh.indices)


def test_clean_keeps_winding_outward():
    sphere = trimesh.creation.icosphere(subdivisions=2)
    mesh = clean(sphere.vertices, sphere.faces)
    p = mesh.positions[mesh.indices.astype(np.int64)]
    face_n = np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0])
    assert (np.einsum("ij,ij->i", face_n, p.mean(axis=1)) > 0).all()
    assert (np.einsum("ij,ij->i", mesh.normals, mesh.positions) > 0).all()


def test_clean_repairs_zero_area_faces_of_a_grid_aligned_box_and_keeps_it_closed():
    # A box whose faces lie on grid planes: marching cubes emits coincident
    # vertices and 248 zero-area triangles; cleanup must fix them without holes.
    x = np.linspace(-1.0, 1.0, 21)
    X, Y, Z = np.meshgrid(x, x, x, indexing="ij")
    q = np.abs(np.stack([X, Y, Z])) - 0.5
    sdf = np.linalg.norm(np.maximum(q, 0.0), axis=0) + np.minimum(q.max(axis=0), 0.0)
    v, f = _grid_sdf_mesh(sdf, -1.0, 0.1)
    assert (_face_areas(v, f) < 1e-9).sum() > 0
    mesh = clean(v, f)
    assert is_closed(mesh.indices)
    areas = _face_areas(mesh.positions, mesh.indices)
    assert areas.min() > 1e-6
    assert areas.sum() == pytest.approx(6.0, rel=1e-5)
    assert mesh.triangle_count == 1200 and mesh.vertex_count == 602


def test_clean_flips_a_cap_instead_of_opening_the_surface():
    sphere = trimesh.creation.icosphere(subdivisions=2)
    v = sphere.vertices.astype(np.float32)
    f = sphere.faces.astype(np.int64).copy()
    a, b, c = f[0]
    m = len(v)
    v = np.vstack([v, (v[a] + v[b]) / 2])  # m on edge a-b: T-junction...
    f[0] = [a, m, c]
    f = np.vstack([f, [m, b, c], [a, b, m]])  # ...closed by a zero-area cap (a, b, m)
    assert is_closed(f) and (_face_areas(v, f) < 1e-7).sum() == 1
    mesh = clean(v, f)
    assert is_closed(mesh.indices)
    assert _face_areas(mesh.positions, mesh.indices).min() > 1e-6
    assert _face_areas(mesh.positions, mesh.indices).sum() == pytest.approx(_face_areas(v, f).sum(), rel=1e-6)


def test_clean_removes_degenerate_and_duplicate_faces():
    sphere = trimesh.creation.icosphere(subdivisions=2)
    f = sphere.faces.astype(np.int64)
    extra = np.array([[0, 0, 1], [5, 6, 6], f[3], f[7][[1, 2, 0]], f[9][[0, 2, 1]]])
    mesh = clean(sphere.vertices, np.vstack([f, extra]))
    assert mesh.triangle_count == len(f)
    assert is_closed(mesh.indices)


def test_clean_drops_small_components_relative_to_the_largest_area():
    big = trimesh.creation.icosphere(subdivisions=3, radius=1.0)
    speck = trimesh.creation.icosphere(subdivisions=1, radius=0.005)
    speck.vertices += [3.0, 0.0, 0.0]
    medium = trimesh.creation.icosphere(subdivisions=1, radius=0.1)  # 1% of the area: kept
    medium.vertices += [-3.0, 0.0, 0.0]
    parts = [big, speck, medium]
    offsets = np.cumsum([0] + [len(p.vertices) for p in parts[:-1]])
    v = np.vstack([p.vertices for p in parts]).astype(np.float32)
    f = np.vstack([p.faces + o for p, o in zip(parts, offsets)])
    mesh = clean(v, f)
    assert mesh.triangle_count == len(big.faces) + len(medium.faces)
    assert mesh.positions[:, 0].max() < 2.0  # the speck is gone
    assert mesh.vertex_count == len(big.vertices) + len(medium.vertices)  # unreferenced dropped
    kept = clean(v, f, CleanOptions(min_component_area_ratio=0.0))
    assert kept.triangle_count == len(f)


def test_clean_drops_faces_with_non_finite_vertices():
    sphere = trimesh.creation.icosphere(subdivisions=1)
    v = np.vstack([sphere.vertices, [[np.nan, 0.0, 0.0]]]).astype(np.float32)
    f = np.vstack([sphere.faces, [[0, 1, len(v) - 1]]])
    mesh = clean(v, f)
    assert np.isfinite(mesh.positions).all() and mesh.triangle_count == len(sphere.faces)


def test_field_normals_follow_the_sdf_gradient_and_fall_back_where_it_vanishes():
    sphere = trimesh.creation.icosphere(subdivisions=3)
    mesh = clean(sphere.vertices, sphere.faces)
    n = field_normals(SphereField(), mesh.positions, "cpu")
    expected = mesh.positions / np.linalg.norm(mesh.positions, axis=1, keepdims=True)
    assert np.allclose(np.linalg.norm(n, axis=1), 1.0, atol=1e-5)
    assert np.degrees(np.arccos(np.clip((n * expected).sum(1), -1, 1))).max() < 0.5

    flat = field_normals(FlatTopSphereField(), mesh.positions, "cpu", faces=mesh.indices)
    top = mesh.positions[:, 1] > 0.55
    assert np.allclose(flat[top], vertex_normals(mesh)[top], atol=1e-6)
    assert np.allclose(np.linalg.norm(flat, axis=1), 1.0, atol=1e-5)


def test_vertex_normals_are_unit_and_area_weighted():
    # Vertex 0 joins a 2 m² triangle facing +Z and a 0.5 m² one facing +Y.
    v = np.array([[0, 0, 0], [2, 0, 0], [0, 2, 0], [0, 0, -1], [1, 0, 0]], np.float32)
    mesh = MeshData(positions=v, indices=np.array([[0, 1, 2], [0, 4, 3]]))
    n = vertex_normals(mesh)
    assert np.allclose(np.linalg.norm(n, axis=1), 1.0, atol=1e-6)
    expected = np.array([0.0, 0.5, 2.0])
    assert np.allclose(n[0], expected / np.linalg.norm(expected), atol=1e-6)


def test_decimate_respects_target_and_keeps_a_closed_mesh_closed():
    mesh = _blob(64)
    assert is_closed(mesh.indices) and mesh.triangle_count > 10_000
    for target in (5000, 800, 120):
        out = decimate(mesh, target)
        assert out.triangle_count <= target
        assert out.triangle_count >= 0.9 * target
        assert is_closed(out.indices)
        assert np.allclose(np.linalg.norm(out.normals, axis=1), 1.0, atol=1e-5)


def test_decimate_returns_a_mesh_under_target_unchanged():
    mesh = _blob(24)
    assert decimate(mesh, mesh.triangle_count) is mesh


def test_decimate_keeps_the_border_of_an_open_mesh():
    n = 40  # an open height field
    x, z = np.meshgrid(np.linspace(0, 1, n), np.linspace(0, 1, n))
    y = 0.05 * np.sin(6 * x) * np.cos(5 * z)
    v = np.stack([x.ravel(), y.ravel(), z.ravel()], axis=1).astype(np.float32)
    i = np.arange(n - 1)
    I, J = np.meshgrid(i, i)
    a = (J * n + I).ravel()
    f = np.concatenate([np.stack([a, a + n, a + 1], 1), np.stack([a + 1, a + n, a + n + 1], 1)])
    mesh = MeshData(positions=v, indices=f)
    out = decimate(mesh, 600)
    assert out.triangle_count <= 600
    border = (v[:, 0] == 0) | (v[:, 0] == 1) | (v[:, 2] == 0) | (v[:, 2] == 1)
    kept = {tuple(p) for p in out.positions.round(6)}
    assert all(tuple(p) in kept for p in v[border].round(6))


def test_texture_budget_grows_with_texture_area_and_is_capped():
    budgets = [texture_budget_triangles(s) for s in (128, 512, 1024, 2048, 4096)]
    assert budgets[0] == MIN_BUDGET_TRIANGLES
    assert budgets[2] == pytest.approx(4 * budgets[1], abs=4)
    assert budgets[-1] == budgets[-2] == MAX_UNWRAP_TRIANGLES
    with pytest.raises(ValueError):
        texture_budget_triangles(0)


def test_decimate_reports_instead_of_returning_a_mesh_with_holes(monkeypatch):
    import pipelines.mesh.simplify as simplify_module
    from pipelines.mesh.simplify import DecimationError

    mesh = _blob(32)
    real = simplify_module.fast_simplification.simplify

    def leaky(points, triangles, **kwargs):  # a decimator that always loses one face
        p, t = real(points, triangles, **kwargs)
        return p, t[1:]

    monkeypatch.setattr(simplify_module.fast_simplification, "simplify", leaky)
    with pytest.raises(DecimationError, match="opened holes"):
        decimate(mesh, 500)
