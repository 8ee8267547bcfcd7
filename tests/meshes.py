"""Small real meshes that several test modules build the same way."""

from __future__ import annotations

import mcubes
import numpy as np
import trimesh
import xatlas

from exporters.asset import MeshData


def tree_lod0(cells: int = 28) -> MeshData:
    """Return a tree-like LOD0 (trunk + canopy), as the chain makes it: welded, normals, xatlas uv0."""
    lo, hi = np.array([-1.2, -0.1, -1.2]), np.array([1.2, 3.6, 1.2])
    x, y, z = np.meshgrid(*[np.linspace(lo[i], hi[i], cells) for i in range(3)], indexing="ij")
    trunk = np.maximum(np.hypot(x, z) - 0.18, np.maximum(-y, y - 2.0))
    canopy = np.sqrt(x**2 + (y - 2.5) ** 2 + z**2) - 1.0
    v, f = mcubes.marching_cubes(-np.minimum(trunk, canopy), 0.0)
    m = trimesh.Trimesh(lo + v * (hi - lo) / (cells - 1), f, process=True)
    vmap, idx, uv = xatlas.parametrize(np.asarray(m.vertices, np.float32), np.asarray(m.faces, np.uint32))
    return MeshData(m.vertices[vmap], idx, normals=m.vertex_normals[vmap], uv0=uv)


def heightfield(n: int, half_x: float, half_z: float, ripple: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(positions, faces, xz)`` of a rolling (n+1)² heightfield grid, CCW seen from above."""
    x, z = np.meshgrid(np.linspace(-half_x, half_x, n + 1), np.linspace(-half_z, half_z, n + 1), indexing="xy")
    y = 2 * np.sin(x / 5) * np.cos(z / 7) + 0.3 * np.sin(x * ripple)
    node = np.arange((n + 1) ** 2).reshape(n + 1, n + 1)
    a, b, c, d = node[:-1, :-1].ravel(), node[:-1, 1:].ravel(), node[1:, :-1].ravel(), node[1:, 1:].ravel()
    faces = np.concatenate([np.stack([a, c, b], 1), np.stack([b, c, d], 1)])
    return np.stack([x.ravel(), y.ravel(), z.ravel()], 1), faces, np.stack([x.ravel(), z.ravel()], 1)
