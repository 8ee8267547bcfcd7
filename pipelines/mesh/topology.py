"""Mesh topology shared by the mesh stages: the one weld by position and the closed-surface tests."""

from __future__ import annotations

import numpy as np

from exporters.asset import MeshData


def weld(positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (the distinct positions in sorted order, each vertex's index into them [V] int64).

    Vertices weld when their positions are exactly equal: LOD0 is split at UV seams
    and hard edges, and welding it back by position gives the surface's own topology.
    """
    p = np.asarray(positions)
    if p.ndim != 2 or p.shape[1] != 3 or len(p) == 0:
        distinct, inverse = np.unique(p, axis=0, return_inverse=True)
        return distinct, inverse.reshape(-1)
    # As np.unique(axis=0) (rows in lexicographic order), by a stable lexsort: ~4x faster on floats.
    order = np.lexsort((p[:, 2], p[:, 1], p[:, 0]))
    s = p[order]
    new = np.empty(len(s), dtype=bool)
    new[0] = True
    new[1:] = (s[1:] != s[:-1]).any(axis=1)
    inverse = np.empty(len(p), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return s[new], inverse


def unique_pairs(pairs: np.ndarray, return_counts: bool = False):
    """Return np.unique(pairs, axis=0) (and counts) for non-negative int pairs [E, 2], as one 1-D key."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    n = int(pairs.max()) + 1 if len(pairs) else 1
    first, inverse = unique_first(pairs[:, 0] * n + pairs[:, 1])
    rows = pairs[first]
    if return_counts:
        return rows, np.bincount(inverse, minlength=len(first))
    return rows


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
