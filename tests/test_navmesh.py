"""The navigation mesh: path queries on the written navmesh (a real scene read back from its GLB) and on
grounds built to test one rule each (a wall, a gap, water, a cliff)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.spatial import Delaunay

from exporters.asset import CollisionShape, MeshData, Node
from pipelines.nav.build import Agent, to_mesh, walkable_grid
from pipelines.nav.query import NavGraph
from tests.conftest import hull_box
from tests.validator import assert_valid_gltf
from tests.world_scene import mesh_of, small_world, world_matrix  # noqa: F401 - small_world is a fixture

AGENT = Agent(radius=0.4, height=1.8, max_slope=40.0, step=0.35)


class Ground:
    """A 40 x 40 m ground whose height is a numpy function of (x, z)."""

    def __init__(self, height=lambda x, z: np.zeros_like(x)) -> None:  # noqa: ANN001
        self.height = height
        self.bounds_min, self.bounds_max = (-20.0, -5.0, -20.0), (20.0, 5.0, 20.0)

    def height_at(self, x, z):  # noqa: ANN001, ANN201
        return self.height(np.asarray(x, np.float64), np.asarray(z, np.float64))


def wall(x_from: float, x_to: float) -> Node:
    """A 3 m high, 0.5 m thick wall along x at z = 0, from ``x_from`` to ``x_to``."""
    length = x_to - x_from
    return Node(
        "wall",
        "wall",
        [hull_box((length, 3.0, 0.5))],
        translation=((x_from + x_to) / 2, 0.0, 0.0),
        collision=[CollisionShape("box", hull_box((length, 3.0, 0.5)))],
    )


def graph(ground: Ground, nodes: list[Node], water: float | None = None) -> tuple[NavGraph, MeshData]:
    mesh = to_mesh(walkable_grid(ground, nodes, AGENT, water))
    return NavGraph(mesh.positions, mesh.indices), mesh


def test_a_wall_across_the_ground_leaves_no_path_and_a_gap_lets_one_through():
    closed, _ = graph(Ground(), [wall(-20.0, 20.0)])
    assert closed.find_path((0.0, -10.0), (0.0, 10.0)) is None
    assert closed.find_path((-5.0, -10.0), (5.0, -10.0)) is not None  # same side
    gap, mesh = graph(Ground(), [wall(-20.0, 5.0)])
    path = gap.find_path((0.0, -10.0), (0.0, 10.0))
    assert path is not None
    crossing = path[np.argmin(np.abs(path[:, 2]))]
    assert crossing[0] > 5.0 + AGENT.radius - 0.5  # it goes round the wall's end, through the gap
    # no triangle of the navmesh lies on the wall (its footprint, not even grown)
    centres = mesh.positions[mesh.indices.astype(np.int64)].mean(axis=1)
    on_wall = (centres[:, 0] < 5.0) & (np.abs(centres[:, 2]) < 0.25)
    assert not on_wall.any()


def test_water_and_cliffs_are_not_walkable():
    lake = Ground(lambda x, z: np.where(np.hypot(x, z) < 6.0, -2.0, 0.0))
    nav, mesh = graph(lake, [], water=-0.5)
    assert (mesh.positions[:, 1] > -0.5).all()
    assert nav.locate(0.0, 0.0) is None and nav.locate(10.0, 10.0) is not None
    path = nav.find_path((-10.0, 0.0), (10.0, 0.0))
    assert path is not None and np.hypot(path[:, 0], path[:, 2]).min() >= 6.0 - 1.0  # round the lake
    # a 3 m cliff at x = 0 over 1 m: steeper than the agent climbs, so the two sides are apart
    cliff = Ground(lambda x, z: 3.0 * np.clip(x, 0.0, 1.0))
    nav, mesh = graph(cliff, [])
    assert nav.find_path((-10.0, 0.0), (10.0, 0.0)) is None
    tri = mesh.positions[mesh.indices.astype(np.int64)].astype(np.float64)
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    assert (n[:, 1] > 0).all()  # CCW seen from above
    slope = np.degrees(np.arccos(n[:, 1] / np.linalg.norm(n, axis=1)))
    assert slope.max() <= AGENT.max_slope + 1e-6


def test_flat_ground_merges_into_few_triangles_that_cover_exactly_the_walkable_cells():
    def height(x, z):  # noqa: ANN001, ANN202 - a tilted plane, a bump, a pond
        return 0.03 * x + 0.8 * np.exp(-((x + 8) ** 2 + (z - 8) ** 2) / 20) - 2.0 * (np.hypot(x - 8, z - 8) < 4)

    grid = walkable_grid(Ground(height), [wall(-20.0, 5.0)], AGENT, water_level=-0.5)
    mesh = to_mesh(grid)
    pos, tris = mesh.positions.astype(np.float64), mesh.indices.astype(np.int64)
    cells = int(grid.walkable.sum())
    assert len(tris) < 0.25 * 2 * cells  # the plain grid is 2 triangles a cell
    a, b, c = (pos[tris[:, k]][:, [0, 2]] for k in range(3))
    cross = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    assert (cross < 0).all() or (cross > 0).all()  # none degenerate, all one way round
    assert np.abs(cross).sum() / 2 == pytest.approx(cells * grid.cell**2, rel=1e-6)  # the walkable area, no more
    ground = height(pos[:, 0], pos[:, 2])
    assert np.abs(pos[:, 1] - ground).max() <= 0.08 + 1e-4
    # whole shared edges (no T-junction): the outline is as long as the walkable cells' outline
    e = np.sort(np.concatenate([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]]), axis=1)
    edges, uses = np.unique(e, axis=0, return_counts=True)
    assert uses.max() == 2
    once = edges[uses == 1]
    outline = np.linalg.norm(pos[once[:, 0]][:, [0, 2]] - pos[once[:, 1]][:, [0, 2]], axis=1).sum()
    w = np.pad(grid.walkable, 1)
    sides = (w[1:-1, 1:-1] & ~w[:-2, 1:-1]).sum() + (w[1:-1, 1:-1] & ~w[2:, 1:-1]).sum()
    sides += (w[1:-1, 1:-1] & ~w[1:-1, :-2]).sum() + (w[1:-1, 1:-1] & ~w[1:-1, 2:]).sum()
    assert outline == pytest.approx(sides * grid.cell, rel=1e-6)
    # the same places are reachable: one walk per region of the grid, and the wall still splits nothing it did not
    nav = NavGraph(pos, tris)
    seen, regions = set(), 0
    for start in range(len(tris)):
        if start not in seen:
            regions += 1
            stack = [start]
            seen.add(start)
            while stack:
                for o in nav.neighbours[stack.pop()]:
                    if o not in seen:
                        seen.add(o)
                        stack.append(o)
    assert regions == int(grid.regions.max()) + 1
    assert nav.find_path((0.0, -10.0), (0.0, 10.0)) is not None  # round the wall's end
    assert nav.locate(8.0, 8.0) is None  # the pond


# ---- the written navmesh of a real scene ------------------------------------------------------


def _navmesh(world) -> tuple[NavGraph, np.ndarray, np.ndarray, dict]:
    gltf = world["gltf"]
    (index,) = [i for i, n in enumerate(gltf.nodes) if (n.extras or {}).get("navmesh")]
    node = gltf.nodes[index]
    pos, tris = mesh_of(gltf, node)
    m = world_matrix(gltf, index)
    pos = pos @ m[:3, :3].T + m[:3, 3]
    return NavGraph(pos, tris), pos, tris.astype(np.int64), node.extras["navmesh"]


def _front_door(entry: dict) -> tuple[float, float]:
    """Return the XZ point 1 m in front of an object (its local +Z face)."""
    x, y, z, w = entry["rotation"]
    yaw = 2 * math.atan2(y, w)
    d = entry["bounds"]["local_max"][2] * entry["scale"][2] + 1.0
    t = entry["translation"]
    return t[0] + d * math.sin(yaw), t[2] + d * math.cos(yaw)


@pytest.mark.slow
def test_paths_join_objects_the_plan_places_apart(small_world):  # noqa: F811
    assert_valid_gltf(small_world["glb"])
    nav, _, _, info = _navmesh(small_world)
    assert info["agent"]["radius"] == pytest.approx(0.6)  # Godot's agent, from the preset
    nodes = {n["name"]: n for n in small_world["manifest"]["nodes"]}
    doors = {name: _front_door(nodes[name]) for name in ("house_01", "house_02", "well_01")}
    for a, b in (("house_01", "house_02"), ("house_01", "well_01"), ("house_02", "well_01")):
        path = nav.find_path(doors[a], doors[b], tolerance=3.0)
        assert path is not None, (a, b)
        assert len(path) >= 2
        # the walk stays on the navmesh all the way (so it crosses no wall, collider or water)
        t = np.linspace(0.0, 1.0, 6)[:, None, None]
        along = (path[:-1][None] * (1 - t) + path[1:][None] * t).reshape(-1, 3)
        assert all(nav.locate(x, z, tolerance=0.0) is not None for x, _, z in along[:: max(1, len(along) // 400)])


@pytest.mark.slow
def test_no_navmesh_triangle_stands_in_a_collider_or_the_water(small_world):  # noqa: F811
    gltf, manifest = small_world["gltf"], small_world["manifest"]
    _, pos, tris, info = _navmesh(small_world)
    agent = info["agent"]
    corners = pos[tris]  # merged triangles are big: test their corners (pulled 2% in) as well as their centres
    centres = corners.mean(axis=1)
    centres = np.concatenate([centres, (0.98 * corners + 0.02 * centres[:, None]).reshape(-1, 3)])
    water = manifest["extras"]["scene"]["water_level"]
    if water is not None:
        assert (pos[:, 1] > water).all()
    n = np.cross(pos[tris[:, 1]] - pos[tris[:, 0]], pos[tris[:, 2]] - pos[tris[:, 0]])
    assert np.degrees(np.arccos(n[:, 1] / np.linalg.norm(n, axis=1))).max() <= agent["max_slope_deg"] + 1e-3
    parents = {c: i for i, node in enumerate(gltf.nodes) for c in (node.children or [])}
    checked = 0
    for i, node in enumerate(gltf.nodes):
        if (node.extras or {}).get("collision") not in ("convex", "box") or i not in parents:
            continue
        owner = gltf.nodes[parents[i]]
        p, _ = mesh_of(gltf, node)
        m = world_matrix(gltf, i)
        world = p @ m[:3, :3].T + m[:3, 3]
        base = (owner.translation or (0, 0, 0))[1]
        band = world[(world[:, 1] > base + agent["step"] + 0.05) & (world[:, 1] < base + agent["height"] - 0.05)]
        if len(band) < 4 or np.ptp(band[:, 0]) < 1e-3 or np.ptp(band[:, 2]) < 1e-3:
            continue  # the shape is above the agent's head or below its step here (a crown, a low rock)
        inside = Delaunay(band[:, [0, 2]]).find_simplex(centres[:, [0, 2]]) >= 0
        assert not inside.any(), f"navmesh triangles inside {node.name}"
        checked += 1
    assert checked >= 5  # houses, well, wall, trunks


@pytest.mark.slow
def test_spawn_points_are_open_places_on_the_navmesh(small_world):  # noqa: F811
    nav, _, _, _ = _navmesh(small_world)
    gltf = small_world["gltf"]
    spawns = [n for n in gltf.nodes if (n.extras or {}).get("spawn_point")]
    assert len(spawns) == 4
    scene = {gltf.nodes[i].name for i in gltf.scenes[0].nodes}
    for s in spawns:
        assert s.mesh is None and s.name in scene
        x, _, z = s.translation
        assert nav.locate(x, z) is not None
        assert s.extras["clearance_m"] >= 1.0
    listed = small_world["manifest"]["navigation"]["spawn_points"]
    assert [p["name"] for p in listed] == [s.name for s in spawns]
    first = spawns[0].translation
    assert all(nav.find_path((first[0], first[2]), (s.translation[0], s.translation[2])) is not None for s in spawns)
