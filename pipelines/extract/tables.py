"""Marching-cubes tables built from one face rule, so neighbouring cells always agree.

The classic 256-case tables were extended from 15 base cases by symmetry and
complement, which resolves some ambiguous faces one way in a cell and the
other way in its neighbour: holes. These tables are derived instead: on every
cube face, crossed edges are joined by segments with one fixed rule (on an
ambiguous face the two *inside* corners are cut off separately), the segments
are chained into loops, and each loop is fan-triangulated. Two cells that share
a face see the same four corner signs, so they draw the same segments, and the
mesh is watertight by construction. Fans never use a diagonal between two points
of one cube face (the neighbour across that face could draw the same diagonal,
and the edge would then bound four triangles), so every mesh edge is shared by
exactly two triangles.

Conventions (shared with ``dense.py`` and ``triton_mc.py``):

* corner ``c = 4*dx + 2*dy + dz``; bit ``c`` of a cell's code is set when that
  corner is inside (value < level);
* edge ``e = 4*axis + 2*o1 + o2``, where ``(o1, o2)`` are the corner's offsets
  along the two other axes in increasing axis order; the edge runs from the
  corner with 0 along ``axis`` to the one with 1;
* triangles are counter-clockwise seen from outside (value > level), i.e.
  their normals point along the field's gradient.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np

MAX_TRIANGLES = 5  # checked when the tables are built


def corner_offset(c: int) -> tuple[int, int, int]:
    return (c >> 2) & 1, (c >> 1) & 1, c & 1


def _other_axes(axis: int) -> tuple[int, int]:
    return tuple(a for a in range(3) if a != axis)  # type: ignore[return-value]


@cache
def edge_corners(e: int) -> tuple[int, int]:
    """Return the two corners (low, high along the edge's axis) of local edge ``e``."""
    axis, o1, o2 = e // 4, (e >> 1) & 1, e & 1
    a1, a2 = _other_axes(axis)
    off = [0, 0, 0]
    off[a1], off[a2] = o1, o2
    lo = 4 * off[0] + 2 * off[1] + off[2]
    off[axis] = 1
    hi = 4 * off[0] + 2 * off[1] + off[2]
    return lo, hi


def edge_origin(e: int) -> tuple[int, int, int]:
    """Return the offset (dx, dy, dz) of the low corner of edge ``e`` from the cell's min corner."""
    return corner_offset(edge_corners(e)[0])


@lru_cache(maxsize=1)
def _faces() -> list[tuple[int, int, list[int], list[int]]]:
    """Return the cube faces as (axis, side, corners, edges)."""
    faces = []
    for axis in range(3):
        for side in (0, 1):
            corners = [c for c in range(8) if corner_offset(c)[axis] == side]
            edges = [e for e in range(12) if e // 4 != axis and corner_offset(edge_corners(e)[0])[axis] == side]
            faces.append((axis, side, corners, edges))
    return faces


@cache
def _midpoint(e: int) -> tuple[float, float, float]:
    lo, hi = (corner_offset(c) for c in edge_corners(e))
    return tuple((a + b) / 2 for a, b in zip(lo, hi))  # type: ignore[return-value]


def _cross_dot(u, v, n) -> float:
    """Return (u x v) . n for 3-tuples."""
    return (u[1] * v[2] - u[2] * v[1]) * n[0] + (u[2] * v[0] - u[0] * v[2]) * n[1] + (u[0] * v[1] - u[1] * v[0]) * n[2]


def _face_segments(code: int) -> list[tuple[int, int]]:
    """Return the directed segments (edge_from, edge_to) that the surface draws on the cube's faces."""
    inside = [(code >> c) & 1 for c in range(8)]
    segments = []
    for axis, side, corners, edges in _faces():
        normal = [0.0, 0.0, 0.0]
        normal[axis] = 1.0 if side else -1.0
        crossed = [e for e in edges if inside[edge_corners(e)[0]] != inside[edge_corners(e)[1]]]
        ins = [c for c in corners if inside[c]]
        if not crossed:
            continue
        if len(crossed) == 2:
            pairs = [(crossed[0], crossed[1], ins[0])]
        else:  # ambiguous face: cut each inside corner off on its own
            assert len(crossed) == 4 and len(ins) == 2
            pairs = [tuple(e for e in crossed if c in edge_corners(e)) + (c,) for c in ins]
        for a, b, corner in pairs:
            p, q = _midpoint(a), _midpoint(b)
            to_in = [c - pc for c, pc in zip(corner_offset(corner), p)]
            if _cross_dot([qc - pc for qc, pc in zip(q, p)], to_in, normal) > 0:
                a, b = b, a
            segments.append((a, b))
    return segments


def _loops(code: int) -> list[list[int]]:
    nxt: dict[int, int] = {}
    for a, b in _face_segments(code):
        assert a not in nxt, (code, a)
        nxt[a] = b
    loops, seen = [], set()
    for start in sorted(nxt):
        if start in seen:
            continue
        loop, e = [], start
        while e not in seen:
            seen.add(e)
            loop.append(e)
            e = nxt[e]
        assert e == start, code
        loops.append(loop)
    return loops


@cache
def _share_face(a: int, b: int) -> bool:
    return any(a in edges and b in edges for _, _, _, edges in _faces())


def _triangulate(loop: list[int]) -> list[tuple[int, int, int]]:
    """Fan-triangulate a loop from the first vertex whose diagonals all cross the cell's interior."""
    n = len(loop)
    for s in range(n):
        ring = loop[s:] + loop[:s]
        if all(not _share_face(ring[0], ring[i]) for i in range(2, n - 1)):
            return [(ring[0], ring[i], ring[i + 1]) for i in range(1, n - 1)]
    raise AssertionError(f"no safe fan for loop {loop}")


@lru_cache(maxsize=1)
def tables() -> dict[str, np.ndarray]:
    """Return the lookup tables as numpy arrays (built once, in a few milliseconds).

    ``tri_count[256]`` int64; ``tri_edges[256, 5, 3]`` int64 local edges (-1 past
    the count); ``edge_axis[12]``; ``edge_origin[12, 3]`` offsets of each edge's
    low corner.
    """
    tri_count = np.zeros(256, np.int64)
    tri_edges = np.full((256, MAX_TRIANGLES, 3), -1, np.int64)
    for code in range(256):
        tris = [t for loop in _loops(code) for t in _triangulate(loop)]
        assert len(tris) <= MAX_TRIANGLES, (code, len(tris))
        tri_count[code] = len(tris)
        if tris:
            tri_edges[code, : len(tris)] = tris
    return {
        "tri_count": tri_count,
        "tri_edges": tri_edges,
        "edge_axis": np.array([e // 4 for e in range(12)], np.int64),
        "edge_origin": np.array([edge_origin(e) for e in range(12)], np.int64),
    }
