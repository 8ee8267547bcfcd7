"""Collision shapes (pipelines/mesh/collision.py): convex hulls per object, a coarse trimesh for terrain."""

from __future__ import annotations

import mcubes
import numpy as np
import pytest
import trimesh
from scipy.spatial import ConvexHull

from exporters.asset import CollisionShape, MeshData
from exporters.errors import InputError
from pipelines.mesh import collision
from tests.meshes import heightfield


def _sdf_mesh(sdf, lo, hi, cells: int = 40) -> MeshData:
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    x, y, z = np.meshgrid(*[np.linspace(lo[i], hi[i], cells) for i in range(3)], indexing="ij")
    v, f = mcubes.marching_cubes(-sdf(x, y, z), 0.0)
    m = trimesh.Trimesh(lo + v * (hi - lo) / (cells - 1), f, process=True)
    return MeshData(m.vertices, m.faces, normals=m.vertex_normals)


def _tree(x, y, z):
    trunk = np.maximum(np.hypot(x, z) - 0.18, np.maximum(-y, y - 2.0))
    return np.minimum(trunk, np.sqrt(x**2 + (y - 2.5) ** 2 + z**2) - 1.0)


def _house(x, y, z):  # walls, a gable roof with eaves, a chimney
    body = np.maximum.reduce([abs(x) - 2.0, abs(z) - 1.5, -y, y - 2.5])
    roof = np.maximum.reduce([abs(z) - 1.9, abs(x) * 0.8 + (y - 2.3) * 0.6 - 1.7, 2.3 - y])
    chimney = np.maximum.reduce([abs(x - 1.2) - 0.25, abs(z - 0.5) - 0.25, y - 4.4, 2.0 - y])
    return np.minimum.reduce([body, roof, chimney])


@pytest.fixture(scope="module")
def tree() -> MeshData:
    return _sdf_mesh(_tree, (-1.2, -0.1, -1.2), (1.2, 3.6, 1.2))


@pytest.fixture(scope="module")
def house() -> MeshData:
    return _sdf_mesh(_house, (-2.6, -0.1, -2.1), (2.6, 5.4, 2.1), cells=48)


@pytest.fixture(scope="module")
def tree_hulls(tree: MeshData) -> list[CollisionShape]:
    return collision.collision_shapes(tree, "tree")


@pytest.fixture(scope="module")
def house_hulls(house: MeshData) -> list[CollisionShape]:
    return collision.collision_shapes(house, "house")


def _diag(mesh: MeshData) -> float:
    return float(np.linalg.norm(np.ptp(mesh.positions, axis=0)))


def _planes(hull: MeshData) -> tuple[np.ndarray, np.ndarray]:
    """Return outward unit normals and offsets of a hull's triangles, from their winding."""
    p = hull.positions.astype(np.float64)
    f = hull.indices.astype(np.int64)
    n = np.cross(p[f[:, 1]] - p[f[:, 0]], p[f[:, 2]] - p[f[:, 0]])
    n /= np.linalg.norm(n, axis=1, keepdims=True)
    return n, (n * p[f[:, 0]]).sum(axis=1)


def test_compact_object_gets_one_hull():
    sphere = trimesh.creation.icosphere(subdivisions=4, radius=0.5)
    shapes = collision.collision_shapes(MeshData(sphere.vertices, sphere.faces), "rock")
    assert len(shapes) == 1 and shapes[0].kind == "convex"
    # 32 vertices around a sphere: a snug hull, not a box.
    assert ConvexHull(shapes[0].mesh.positions).volume < 1.25 * sphere.volume


def test_tree_gets_trunk_and_canopy(tree: MeshData, tree_hulls: list[CollisionShape]):
    assert 2 <= len(tree_hulls) <= 4
    trunk = min(tree_hulls, key=lambda s: float(s.mesh.positions[:, 1].max()))
    # The trunk's hull is as thin as the trunk (radius 0.18 m) and stops below the canopy:
    # nothing blocks the walk under the branches.
    assert np.ptp(trunk.mesh.positions[:, [0, 2]], axis=0).max() < 0.5
    assert trunk.mesh.positions[:, 1].max() < 1.6
    total = sum(ConvexHull(s.mesh.positions).volume for s in tree_hulls)
    (single,) = collision.collision_shapes(tree, "tree", max_hulls=1)
    assert total < 0.9 * ConvexHull(single.mesh.positions).volume


def test_house_parts_fit_closely(house: MeshData, house_hulls: list[CollisionShape]):
    total = sum(ConvexHull(s.mesh.positions).volume for s in house_hulls)
    assert total < 1.15 * trimesh.Trimesh(house.positions, house.indices).volume


@pytest.mark.parametrize("which", ["tree_hulls", "house_hulls"])
def test_hulls_are_convex_with_outward_winding(which: str, request: pytest.FixtureRequest):
    for shape in request.getfixturevalue(which):
        hull = shape.mesh
        eps = 1e-5 * _diag(hull)
        n, d = _planes(hull)
        assert (hull.positions @ n.T - d).max() <= eps  # every vertex behind every face
        centre = hull.positions.mean(axis=0)
        assert ((n @ centre) - d < 0).all()  # normals point away from the inside
        welded = trimesh.Trimesh(hull.positions, hull.indices, process=False)
        assert welded.is_watertight and welded.is_winding_consistent and welded.volume > 0


@pytest.mark.parametrize("which, mesh", [("tree_hulls", "tree"), ("house_hulls", "house")])
def test_hulls_contain_the_visual_vertices(which: str, mesh: str, request: pytest.FixtureRequest):
    shapes, visual = request.getfixturevalue(which), request.getfixturevalue(mesh)
    tol = collision.CONTAINMENT_TOLERANCE * _diag(visual)
    inside = np.zeros(visual.vertex_count, dtype=bool)
    for shape in shapes:
        n, d = _planes(shape.mesh)
        inside |= (visual.positions @ n.T - d).max(axis=1) <= tol
    assert inside.all(), f"{(~inside).sum()} vertices outside every hull"


@pytest.mark.parametrize("max_vertices", [4, 8, 32, 64])
def test_hulls_keep_to_vertex_and_triangle_limits(tree: MeshData, max_vertices: int):
    shapes = collision.collision_shapes(tree, "tree", max_hulls=1, max_hull_vertices=max_vertices)
    for shape in shapes:
        assert shape.mesh.vertex_count <= max_vertices
        assert shape.mesh.triangle_count <= 255


def test_max_hulls_is_respected(tree: MeshData):
    assert len(collision.collision_shapes(tree, "tree", max_hulls=1)) == 1


def test_collision_is_deterministic(house: MeshData, house_hulls: list[CollisionShape]):
    again = collision.collision_shapes(house, "house")
    assert len(again) == len(house_hulls)
    for a, b in zip(again, house_hulls):
        assert np.array_equal(a.mesh.positions, b.mesh.positions)
        assert np.array_equal(a.mesh.indices, b.mesh.indices)


def test_flat_object_gets_a_thin_hull():
    quad = MeshData(np.array([[0, 0, 0], [1, 0, 0], [1, 0, 1], [0, 0, 1]], float), [[0, 2, 1], [0, 3, 2]])
    (shape,) = collision.collision_shapes(quad, "rug")
    assert np.ptp(shape.mesh.positions[:, 1]) == pytest.approx(0.01, abs=1e-6)
    assert trimesh.Trimesh(shape.mesh.positions, shape.mesh.indices).volume > 0


def _terrain(n: int = 150) -> MeshData:
    pos, faces, _ = heightfield(n, 30.0, 20.0, ripple=0.9)
    return MeshData(pos, faces)


def test_terrain_collider_is_a_coarse_trimesh_with_the_same_outline():
    terrain = _terrain()
    (shape,) = collision.collision_shapes(terrain, "terrain", terrain_resolution=32)
    col = shape.mesh
    assert shape.kind == "trimesh"
    assert 0.8 * 2 * 32**2 <= col.triangle_count <= 1.2 * 2 * 32**2
    assert col.triangle_count < terrain.triangle_count / 10
    lo, hi = terrain.bounds()
    c_lo, c_hi = col.bounds()
    assert np.allclose(c_lo[[0, 2]], lo[[0, 2]]) and np.allclose(c_hi[[0, 2]], hi[[0, 2]])
    p, f = col.positions, col.indices.astype(np.int64)
    normals = np.cross(p[f[:, 1]] - p[f[:, 0]], p[f[:, 2]] - p[f[:, 0]])
    assert (normals[:, 1] > 0).all()  # counter-clockwise seen from above
    # The collider's nodes lie on the visual surface.
    y_true = 2 * np.sin(p[:, 0] / 5) * np.cos(p[:, 2] / 7) + 0.3 * np.sin(p[:, 0] * 0.9)
    assert np.abs(p[:, 1] - y_true).max() < 0.02


def test_bad_options_are_input_errors(tree: MeshData):
    with pytest.raises(InputError):
        collision.collision_shapes(tree, "tree", max_hulls=0)
    with pytest.raises(InputError):
        collision.collision_shapes(tree, "tree", max_hull_vertices=300)


def test_room_gets_a_trimesh_instead_of_a_hull_that_fills_it():
    # Floor and four walls of a 10 x 8 m room, 3 m high, finely tessellated, open at the top.
    room = trimesh.creation.box(extents=(10.0, 3.0, 8.0))
    room = room.subdivide().subdivide().subdivide().subdivide()
    keep = room.triangles_center[:, 1] < 1.49  # drop the ceiling
    mesh = MeshData(room.vertices, room.faces[keep])
    (shape,) = collision.collision_shapes(mesh, "room", terrain_resolution=16)
    assert shape.kind == "trimesh"
    assert shape.mesh.triangle_count <= 2 * 16 * 16 < mesh.triangle_count
    for got, want in zip(shape.mesh.bounds(), mesh.bounds()):
        assert np.allclose(got, want)  # the floor's outline and the walls' height are kept
