"""Path queries on a written navmesh (positions and triangles, as read back from a file): for tests and tools.

The graph's nodes are the triangles; two are linked when they share an edge
(welded by position, so a mesh read back from a GLB works as well as the
Asset's). ``find_path`` runs A* between the triangles under two XZ points and
returns a path through the triangles' centroids and the middles of the
edges between them (so it never leaves the navmesh), or None when the points
are on regions that no walk joins.
"""

from __future__ import annotations

import heapq

import numpy as np


class NavGraph:
    """Triangle adjacency of a navmesh, with point location in XZ."""

    def __init__(self, positions: np.ndarray, indices: np.ndarray) -> None:
        self.positions = np.asarray(positions, dtype=np.float64)
        self.faces = np.asarray(indices, dtype=np.int64).reshape(-1, 3)
        keys = np.round(self.positions, 4)
        _, weld = np.unique(keys, axis=0, return_inverse=True)
        f = weld.reshape(-1)[self.faces]
        self.centroids = self.positions[self.faces].mean(axis=1)
        edges: dict[tuple[int, int], list[int]] = {}
        for t, (a, b, c) in enumerate(f.tolist()):
            for u, v in ((a, b), (b, c), (c, a)):
                edges.setdefault((min(u, v), max(u, v)), []).append(t)
        self.neighbours: list[list[int]] = [[] for _ in range(len(f))]
        for tris in edges.values():
            for t in tris:
                self.neighbours[t].extend(o for o in tris if o != t)

    def locate(self, x: float, z: float, tolerance: float = 0.0) -> int | None:
        """Return the triangle under (x, z), else the nearest one within ``tolerance`` meters, else None."""
        tri = self.positions[self.faces][:, :, [0, 2]]
        a, b, c = tri[:, 0], tri[:, 1], tri[:, 2]
        p = np.array([x, z])

        def cross(u, v, w):  # noqa: ANN001, ANN202
            return (v[:, 0] - u[:, 0]) * (w[1] - u[:, 1]) - (v[:, 1] - u[:, 1]) * (w[0] - u[:, 0])

        d1, d2, d3 = cross(a, b, p), cross(b, c, p), cross(c, a, p)
        inside = ((d1 >= 0) & (d2 >= 0) & (d3 >= 0)) | ((d1 <= 0) & (d2 <= 0) & (d3 <= 0))
        hits = np.flatnonzero(inside)
        if len(hits):
            return int(hits[0])
        dist = np.hypot(self.centroids[:, 0] - x, self.centroids[:, 2] - z)
        best = int(np.argmin(dist)) if len(dist) else -1
        return best if best >= 0 and dist[best] <= tolerance else None

    def find_path(self, start: tuple[float, float], goal: tuple[float, float], tolerance: float = 0.0):
        """Return the path [K, 3] from XZ ``start`` to ``goal``, or None when no walk joins them.

        The path runs from triangle centroid to the middle of the edge it shares with the next
        triangle and on to that one's centroid: each segment lies in one triangle, so the whole
        path stays on the navmesh (it crosses nothing the navmesh leaves out).
        """
        s, g = self.locate(*start, tolerance), self.locate(*goal, tolerance)
        if s is None or g is None:
            return None
        c = self.centroids
        best = {s: 0.0}
        came: dict[int, int] = {}
        heap = [(float(np.linalg.norm(c[s] - c[g])), s)]
        while heap:
            _, t = heapq.heappop(heap)
            if t == g:
                path = [t]
                while path[-1] in came:
                    path.append(came[path[-1]])
                return self._through_portals(path[::-1])
            for o in self.neighbours[t]:
                cost = best[t] + float(np.linalg.norm(c[o] - c[t]))
                if cost < best.get(o, np.inf):
                    best[o], came[o] = cost, t
                    heapq.heappush(heap, (cost + float(np.linalg.norm(c[o] - c[g])), o))
        return None

    def _through_portals(self, tris: list[int]) -> np.ndarray:
        points = [self.centroids[tris[0]]]
        for a, b in zip(tris, tris[1:]):
            shared = [
                p
                for p in self.positions[self.faces[a]]
                if np.abs(self.positions[self.faces[b]] - p).max(axis=1).min() < 1e-4
            ]
            points.append(np.mean(shared, axis=0) if len(shared) == 2 else (self.centroids[a] + self.centroids[b]) / 2)
            points.append(self.centroids[b])
        return np.array(points)
