"""Mesh topology shared by the mesh stages: the one weld by position and the closed-surface tests."""

from __future__ import annotations

import numpy as np

from exporters.asset import MeshData


def weld(positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (the distinct positions in sorted order, each vertex's index into them [V] int64).

    Vertices weld when their positions are exactly equal: LOD0 is split at UV seams
    and hard edges, and welding it back by position gives the surface's own topology.
    """
    distinct, inverse = np.unique(positions, axis=0, return_inverse=True)
    return distinct, inverse.reshape(-1)


def is_closed(faces: np.ndarray) -> bool:
    """Return True when every edge is shared by exactly two faces with opposite directions.

    That is "watertight and consistently oriented": no holes, no
    non-manifold edges, no flipped neighbours.
    """
    f = np.asarray(faces, dtype=np.int64).reshape(-1, 3)
    if len(f) == 0:
        return False
    n = int(f.max()) + 1
    a = f.reshape(-1)
    b = f[:, [1, 2, 0]].reshape(-1)
    directed = np.sort(a * n + b)
    if (directed[1:] == directed[:-1]).any():
        return False  # an edge used twice in the same direction: non-manifold or flipped
    return bool(contains(directed, b * n + a).all())


def is_closed_mesh(mesh: MeshData) -> bool:
    """Return True when ``mesh``, welded by position, is a closed, consistently oriented surface."""
    if mesh.triangle_count == 0:
        return False
    _, wid = weld(mesh.positions)
    f = wid[mesh.indices.astype(np.int64)]
    if np.any(f == f[:, [1, 2, 0]]):  # an edge collapsed by the weld
        return False
    return is_closed(f)


# numpy 2.x's plain np.unique / np.isin on int64 hash and run ~20x slower than a sort here.
def unique_first(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (index of the first occurrence of each distinct key, in key order; inverse)."""
    order = np.argsort(keys, kind="stable")
    s = keys[order]
    new = np.empty(len(s), dtype=bool)
    new[:1] = True
    new[1:] = s[1:] != s[:-1]
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return order[new], inverse


def contains(sorted_keys: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Return a bool mask: which ``queries`` occur in the ascending ``sorted_keys``."""
    if len(sorted_keys) == 0:
        return np.zeros(len(queries), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, queries), len(sorted_keys) - 1)
    return sorted_keys[pos] == queries
