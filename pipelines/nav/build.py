"""The walkable grid: ground heights from the ground field, minus water, steep slopes and what the objects occupy.

A cell of the scene's grid is walkable when its four corners are above the
water, its slope is at most the agent's, and its centre is outside every
obstacle footprint. A footprint is the part of a collider (or, without
colliders, of the LOD0 mesh) between the agent's step height and its height
above the ground at the object's pivot, projected on the ground, as a convex
polygon per shape, grown by the agent's radius. A tree's crown above the
agent's head blocks nothing; its trunk does.

Neighbouring cells share their corners, so a step between them is never
higher than the slope allows across one cell; a cliff is a run of steep
cells. The walkable cells are written as rectangles where the ground is flat
enough (``rects``): a few thousand triangles for a 160 x 160 grid, not 2 per cell.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from exporters.asset import MeshData, Node
from pipelines.nav import rects

MAX_CELLS_PER_SIDE = 160
FLAT_TOLERANCE_M = 0.08  # a merged rectangle's ground is this close to the plane through its corners
MAX_RECT_CELLS = 16  # cells on a merged rectangle's side


@dataclass(frozen=True)
class Agent:
    """Who walks: radius, height, steepest slope (degrees) and highest step, in meters."""

    radius: float = 0.4
    height: float = 1.8
    max_slope: float = 40.0
    step: float = 0.35


@dataclass
class Grid:
    """The walkable cells of the scene: corner heights, the mask and the grid's placement."""

    x0: float
    z0: float
    cell: float
    heights: np.ndarray  # [nz+1, nx+1] corner heights
    walkable: np.ndarray  # [nz, nx] bool
    clearance: np.ndarray  # [nz, nx] cells to the nearest unwalkable cell (0 where unwalkable)
    regions: np.ndarray  # [nz, nx] int: connected region id, -1 where unwalkable
    gentle: np.ndarray | None = None  # [nz, nx] bool: slope at most MERGE_SLOPE of the agent's (None: every cell)
    max_slope: float = 90.0  # the agent's, degrees: no written triangle is steeper

    def centre(self, i: int, j: int) -> tuple[float, float, float]:
        """Return the world point at the middle of cell (row i, column j)."""
        h = float(self.heights[i : i + 2, j : j + 2].mean())
        return (self.x0 + (j + 0.5) * self.cell, h, self.z0 + (i + 0.5) * self.cell)


def ground_heights(ground, xs: np.ndarray, zs: np.ndarray) -> np.ndarray:
    """Return the ground's height (under any water) at world points (xs, zs) of the same shape."""
    heightmap = getattr(ground, "heightmap", None)
    if heightmap is not None:
        return np.asarray(heightmap.height_at(xs, zs, "ground"), dtype=np.float64)
    return np.asarray(ground.height_at(xs, zs), dtype=np.float64)


def walkable_grid(ground, nodes: list[Node], agent: Agent, water_level: float | None) -> Grid:
    """Return the walkable grid over ``ground``'s extent with ``nodes``' footprints taken out."""
    (x0, _, z0), (x1, _, z1) = ground.bounds_min, ground.bounds_max
    cell = max(agent.radius, max(x1 - x0, z1 - z0) / MAX_CELLS_PER_SIDE, 0.2)
    nx, nz = max(1, int((x1 - x0) // cell)), max(1, int((z1 - z0) // cell))
    ox, oz = x0 + (x1 - x0 - nx * cell) / 2, z0 + (z1 - z0 - nz * cell) / 2
    cx, cz = np.meshgrid(ox + cell * np.arange(nx + 1), oz + cell * np.arange(nz + 1))
    h = ground_heights(ground, cx, cz)
    ok = np.ones((nz, nx), dtype=bool)
    if water_level is not None:
        dry = h > water_level + 0.05
        ok &= dry[:-1, :-1] & dry[1:, :-1] & dry[:-1, 1:] & dry[1:, 1:]
    h00, h01, h11, h10 = h[:-1, :-1], h[1:, :-1], h[1:, 1:], h[:-1, 1:]  # (z, x) corners of each cell
    limit = math.tan(math.radians(agent.max_slope))
    gentle = np.ones_like(ok)
    for gx, gz in (((h11 - h01) / cell, (h01 - h00) / cell), ((h10 - h00) / cell, (h11 - h10) / cell)):
        ok &= np.hypot(gx, gz) <= limit  # both triangles of the cell
        gentle &= np.hypot(gx, gz) <= rects.MERGE_SLOPE * limit
    centres_x, centres_z = ox + cell * (np.arange(nx) + 0.5), oz + cell * (np.arange(nz) + 0.5)
    for polygon in footprints(nodes, agent, ground):
        _clear_polygon(ok, polygon, centres_x, centres_z)
    # the grid's own border: an agent's centre stays a radius inside the ground's edge
    border = max(1, math.ceil(agent.radius / cell))
    ok[:border], ok[-border:], ok[:, :border], ok[:, -border:] = False, False, False, False
    clearance = _clearance(ok)
    return Grid(ox, oz, cell, h, ok, clearance, _regions(ok), gentle, agent.max_slope)


def footprints(nodes: list[Node], agent: Agent, ground) -> list[np.ndarray]:
    """Return the convex XZ polygons (CCW, [K, 2]) that the objects occupy within the agent's height, grown by its radius."""
    out = []
    circle = np.array([[math.cos(a), math.sin(a)] for a in np.linspace(0, 2 * math.pi, 8, endpoint=False)])
    for node in nodes:
        shapes = [s.mesh for s in node.collision if s.kind in ("convex", "box") and s.mesh.triangle_count]
        if not shapes and node.lods and node.lods[0].triangle_count:
            shapes = [node.lods[0]]
        if not shapes:
            continue
        t = np.asarray(node.translation, dtype=np.float64)
        base = float(ground_heights(ground, np.array([t[0]]), np.array([t[2]]))[0])
        lo, hi = base + agent.step, base + agent.height
        for mesh in shapes:
            world = _to_world(mesh, node)
            pts = _slab_points(world, mesh.indices, lo, hi)
            if len(pts) < 1:
                continue
            grown = (pts[:, None, :] + agent.radius * circle[None]).reshape(-1, 2)
            hull = _hull(grown)
            if len(hull) >= 3:
                out.append(hull)
    return out


def to_mesh(grid: Grid) -> MeshData:
    """Return the walkable cells as a mesh over the corner heights: merged rectangles, CCW (seen from +Y) triangles."""
    gentle = grid.gentle if grid.gentle is not None else np.ones_like(grid.walkable)
    origin = (grid.x0, grid.z0, grid.cell)
    pos, tris = rects.mesh(
        grid.walkable, grid.heights, gentle, origin, grid.max_slope, FLAT_TOLERANCE_M, MAX_RECT_CELLS
    )
    normals = np.tile(np.array([[0.0, 1.0, 0.0]], dtype=np.float32), (len(pos), 1))
    return MeshData(pos.astype(np.float32), tris.astype(np.uint32), normals=normals)


def _to_world(mesh: MeshData, node: Node) -> np.ndarray:
    p = mesh.positions.astype(np.float64) * np.asarray(node.scale, dtype=np.float64)
    q = np.asarray(node.rotation, dtype=np.float64)
    u, w = q[:3], q[3]
    p = p + 2.0 * np.cross(u, np.cross(u, p) + w * p)
    return p + np.asarray(node.translation, dtype=np.float64)


def _slab_points(world: np.ndarray, faces: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Return the XZ points of a convex shape's cross-section between heights ``lo`` and ``hi``."""
    y = world[:, 1]
    inside = world[(y >= lo) & (y <= hi)][:, [0, 2]]
    f = faces.astype(np.int64)
    edges = np.unique(np.sort(np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]]), axis=1), axis=0)
    a, b = world[edges[:, 0]], world[edges[:, 1]]
    cuts = [inside]
    for level in (lo, hi):
        crosses = (a[:, 1] - level) * (b[:, 1] - level) < 0
        if crosses.any():
            t = (level - a[crosses, 1]) / (b[crosses, 1] - a[crosses, 1])
            cuts.append((a[crosses] + t[:, None] * (b[crosses] - a[crosses]))[:, [0, 2]])
    return np.concatenate(cuts)


def _hull(points: np.ndarray) -> np.ndarray:
    """Return the 2D convex hull (CCW in x, z) of ``points`` (Andrew's monotone chain)."""
    pts = np.unique(np.round(points, 6), axis=0)
    if len(pts) < 3:
        return pts

    def half(seq: np.ndarray) -> list:
        out: list = []
        for p in seq:
            while len(out) >= 2 and _cross(out[-2], out[-1], p) <= 0:
                out.pop()
            out.append(p)
        return out

    lower, upper = half(pts), half(pts[::-1])
    return np.array(lower[:-1] + upper[:-1])


def _cross(o: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))


def _clear_polygon(ok: np.ndarray, poly: np.ndarray, xs: np.ndarray, zs: np.ndarray) -> None:
    """Mark the cells whose centre lies inside convex ``poly`` as not walkable."""
    (mx, mz), (Mx, Mz) = poly.min(axis=0), poly.max(axis=0)
    cols = np.flatnonzero((xs >= mx) & (xs <= Mx))
    rows = np.flatnonzero((zs >= mz) & (zs <= Mz))
    if not len(cols) or not len(rows):
        return
    px, pz = np.meshgrid(xs[cols], zs[rows])
    inside = np.ones(px.shape, dtype=bool)
    for k in range(len(poly)):
        a, b = poly[k], poly[(k + 1) % len(poly)]
        inside &= (b[0] - a[0]) * (pz - a[1]) - (b[1] - a[1]) * (px - a[0]) >= 0
    ok[np.ix_(rows, cols)] &= ~inside


def _clearance(ok: np.ndarray) -> np.ndarray:
    """Return each cell's 4-neighbour distance (in cells) to the nearest unwalkable cell or the edge."""
    dist = np.zeros(ok.shape, dtype=np.int32)
    cur = ok.copy()
    step = 0
    while cur.any():
        step += 1
        dist[cur] = step
        nxt = cur.copy()
        nxt[1:] &= cur[:-1]
        nxt[:-1] &= cur[1:]
        nxt[:, 1:] &= cur[:, :-1]
        nxt[:, :-1] &= cur[:, 1:]
        nxt[0], nxt[-1], nxt[:, 0], nxt[:, -1] = False, False, False, False
        cur = nxt
    return dist


def _regions(ok: np.ndarray) -> np.ndarray:
    """Return the 4-connected region id of each walkable cell (ids by first cell in row order), -1 elsewhere."""
    labels = np.full(ok.shape, -1, dtype=np.int32)
    nz, nx = ok.shape
    region = 0
    for start in zip(*np.nonzero(ok)):
        if labels[start] >= 0:
            continue
        labels[start] = region
        queue = deque([start])
        while queue:
            i, j = queue.popleft()
            for a, b in ((i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1)):
                if 0 <= a < nz and 0 <= b < nx and ok[a, b] and labels[a, b] < 0:
                    labels[a, b] = region
                    queue.append((a, b))
        region += 1
    return labels
