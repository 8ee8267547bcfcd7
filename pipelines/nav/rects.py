"""The walkable grid as few triangles: cells merged into rectangles where the ground is flat enough, no T-junctions.

Greedy rectangles, row by row: a walkable cell grows along its row, then the
row segment grows down the rows, while every corner height inside stays within
``tolerance`` of the bilinear surface through the rectangle's four corners
(plane-like ground merges, bumpy ground stays fine) and every cell is at most
``MERGE_SLOPE`` of the agent's steepest slope. A rectangle is at most
``max_side`` cells a side, so triangles stay well shaped. A rectangle any of
whose triangles is still steeper than the agent climbs (a thin fan triangle
can be) goes back to its cells, until none is (``mesh``).

Neighbours must share whole edges (a path query, Godot's and Recast's
navigation link polygons by shared vertices), so each rectangle's outline
includes every grid vertex on it that is a corner of another rectangle. A
rectangle with nothing on its sides is two triangles; otherwise a fan from a
corner whose two sides carry no extra vertex, else from its centre: never a
degenerate triangle.
"""

from __future__ import annotations

import math

import numpy as np

MERGE_SLOPE = 0.9


def rectangles(
    walkable: np.ndarray, heights: np.ndarray, mergeable: np.ndarray, tolerance: float, max_side: int
) -> list[tuple[int, int, int, int]]:
    """Return rectangles (i0, j0, i1, j1), cells [i0, i1) x [j0, j1), covering exactly the walkable cells."""
    nz, nx = walkable.shape
    free = walkable.copy()

    def flat(i0: int, j0: int, i1: int, j1: int) -> bool:
        h = heights[i0 : i1 + 1, j0 : j1 + 1]
        v = np.linspace(0.0, 1.0, i1 - i0 + 1)[:, None]
        u = np.linspace(0.0, 1.0, j1 - j0 + 1)[None, :]
        plane = (1 - v) * ((1 - u) * h[0, 0] + u * h[0, -1]) + v * ((1 - u) * h[-1, 0] + u * h[-1, -1])
        return bool(np.abs(h - plane).max() <= tolerance)

    out = []
    for i, j in zip(*np.nonzero(walkable)):
        i, j = int(i), int(j)
        if not free[i, j]:
            continue
        w = h = 1
        if mergeable[i, j]:
            while (
                j + w < nx and w < max_side and free[i, j + w] and mergeable[i, j + w] and flat(i, j, i + 1, j + w + 1)
            ):
                w += 1
            while (
                i + h < nz
                and h < max_side
                and free[i + h, j : j + w].all()
                and mergeable[i + h, j : j + w].all()
                and flat(i, j, i + h + 1, j + w)
            ):
                h += 1
        free[i : i + h, j : j + w] = False
        out.append((i, j, i + h, j + w))
    return out


def triangulate(
    rects: list[tuple[int, int, int, int]], heights: np.ndarray, x0: float, z0: float, cell: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return positions [V, 3], CCW (seen from +Y) triangles [T, 3] sharing whole edges, and each one's rectangle."""
    nz1, nx1 = heights.shape
    corner = np.zeros((nz1, nx1), dtype=bool)
    for i0, j0, i1, j1 in rects:
        corner[[i0, i0, i1, i1], [j0, j1, j0, j1]] = True
    grid_ids: dict[tuple[int, int], int] = {}
    points: list[tuple[float, float, float]] = []

    def vertex(i: int, j: int) -> int:
        key = (i, j)
        if key not in grid_ids:
            grid_ids[key] = len(points)
            points.append((x0 + j * cell, float(heights[i, j]), z0 + i * cell))
        return grid_ids[key]

    tris: list[tuple[int, int, int]] = []
    owner: list[int] = []  # the rectangle of each triangle
    for r, (i0, j0, i1, j1) in enumerate(rects):
        # the outline, CCW from above: down the j0 side, along the i1 side, up the j1 side, back along i0
        sides = [
            [(i, j0) for i in range(i0, i1) if corner[i, j0]],
            [(i1, j) for j in range(j0, j1) if corner[i1, j]],
            [(i, j1) for i in range(i1, i0, -1) if corner[i, j1]],
            [(i0, j) for j in range(j1, j0, -1) if corner[i0, j]],
        ]
        loop = [vertex(i, j) for side in sides for i, j in side]
        starts = np.cumsum([0] + [len(s) for s in sides[:-1]])  # where each rectangle corner sits in the loop
        plain = [len(sides[k]) == 1 and len(sides[k - 1]) == 1 for k in range(4)]  # both sides at corner k bare
        if any(plain):
            k = plain.index(True)
            rot = loop[starts[k] :] + loop[: starts[k]]
            tris.extend((rot[0], rot[t], rot[t + 1]) for t in range(1, len(rot) - 1))
            owner.extend([r] * (len(rot) - 2))
            continue
        hc = float(heights[[i0, i0, i1, i1], [j0, j1, j0, j1]].mean())
        centre = len(points)
        points.append((x0 + (j0 + j1) / 2 * cell, hc, z0 + (i0 + i1) / 2 * cell))
        tris.extend((centre, loop[t], loop[(t + 1) % len(loop)]) for t in range(len(loop)))
        owner.extend([r] * len(loop))
    positions = np.array(points, dtype=np.float64).reshape(-1, 3)
    return positions, np.array(tris, dtype=np.int64).reshape(-1, 3), np.array(owner, dtype=np.int64)


def mesh(
    walkable: np.ndarray,
    heights: np.ndarray,
    gentle: np.ndarray,
    origin: tuple[float, float, float],
    max_slope_deg: float,
    tolerance: float,
    max_side: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Return positions and CCW triangles of the walkable cells (``origin``: x0, z0, cell), none steeper than allowed."""
    x0, z0, cell = origin
    rects = rectangles(walkable, heights, gentle, tolerance, max_side)
    limit = math.cos(math.radians(max_slope_deg))
    while True:
        pos, tris, owner = triangulate(rects, heights, x0, z0, cell)
        n = np.cross(pos[tris[:, 1]] - pos[tris[:, 0]], pos[tris[:, 2]] - pos[tris[:, 0]])
        steep = set(owner[n[:, 1] < limit * np.linalg.norm(n, axis=1) - 1e-9].tolist())
        steep = {r for r in steep if rects[r][2] - rects[r][0] > 1 or rects[r][3] - rects[r][1] > 1}
        if not steep:
            return pos, tris
        cells = [
            (i, j, i + 1, j + 1)
            for r in steep
            for i in range(rects[r][0], rects[r][2])
            for j in range(rects[r][1], rects[r][3])
        ]
        rects = [q for r, q in enumerate(rects) if r not in steep] + cells
