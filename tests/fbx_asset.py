"""The FBX tests' asset: a 6 m tree (2 LODs, a convex hull, uv0+uv1, tangents) and a rotated, scaled crate,
with the helpers that put its meshes in world space corner by corner, as the readers return them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from exporters.asset import Asset, CollisionShape, Material, MeshData, Node, Texture
from exporters.fbx.geometry import quaternion_matrix
from exporters.png import encode_png

ROOT = Path(__file__).resolve().parents[1]
TREE_HEIGHT_M = 6.0
SQRT_HALF = float(np.sqrt(0.5))


# ------------------------------------------------------------------------------------ the asset


def box_arrays(lo, hi) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (positions, CCW outward triangles, normals) of a box with split corners (24 vertices)."""
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    positions, normals, tris = [], [], []
    for axis in range(3):
        for sign in (-1.0, 1.0):
            n = np.zeros(3)
            n[axis] = sign
            u, v = (axis + 1) % 3, (axis + 2) % 3
            quad = []
            for a, b in ((0, 0), (1, 0), (1, 1), (0, 1)):
                p = np.where(n > 0, hi, lo).astype(float)
                p[u] = (lo, hi)[a][u]
                p[v] = (lo, hi)[b][v]
                quad.append(p)
            base = len(positions)
            positions += quad
            normals += [n] * 4
            for t in ((0, 1, 2), (0, 2, 3)):
                i0, i1, i2 = (base + k for k in t)
                e = np.cross(positions[i1] - positions[i0], positions[i2] - positions[i0])
                tris.append((i0, i1, i2) if e @ n > 0 else (i0, i2, i1))
    return np.array(positions), np.array(tris), np.array(normals)


def _uv(positions: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.uniform(0.02, 0.98, size=(len(positions), 2))


def _tangents(normals: np.ndarray) -> np.ndarray:
    """Unit tangents perpendicular to the normals, with w alternating ±1 (a mirrored chart)."""
    helper = np.where(np.abs(normals[:, :1]) < 0.9, [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]])
    t = np.cross(helper, normals)
    t /= np.linalg.norm(t, axis=1, keepdims=True)
    w = np.where(np.arange(len(normals)) % 2 == 0, 1.0, -1.0)[:, None]
    return np.hstack([t, w])


def _png(rgb: tuple[int, int, int], srgb: bool = False) -> bytes:
    pixels = np.zeros((4, 4, 3), dtype=np.uint8)
    pixels[...] = rgb
    pixels[0, 0] = (255, 255, 255)  # not uniform, so a flipped or re-encoded image would differ
    return encode_png(pixels, srgb=srgb)


def make_asset() -> Asset:
    """A 6 m tree (2 LODs, a convex hull, uv0+uv1, tangents), a rotated and scaled crate, textures."""
    asset = Asset("fbx_test", extras={"seed": 7})
    bc = asset.add_texture(Texture("bark_baseColor", "baseColor", _png((120, 80, 40), srgb=True), 4, 4))
    nm = asset.add_texture(Texture("bark_normal", "normal", _png((128, 128, 255)), 4, 4))
    orm = asset.add_texture(Texture("bark_orm", "orm", _png((255, 200, 0)), 4, 4))
    bark = asset.add_material(
        Material(
            "bark",
            base_color_texture=bc,
            normal_texture=nm,
            orm_texture=orm,
            occlusion_from_orm=True,
            metallic_factor=0.0,
            roughness_factor=0.8,
        )
    )
    wood = asset.add_material(Material("wood", base_color_factor=(0.6, 0.4, 0.2, 1.0), base_color_texture=bc))

    p, f, n = box_arrays((-0.3, 0.0, -0.3), (0.3, TREE_HEIGHT_M, 0.3))
    lod0 = MeshData(p, f, n, uv0=_uv(p, 1), uv1=_uv(p, 2), tangents=_tangents(n))
    # LOD1: two crossed quads ("billboard cross"), 4 triangles, still 6 m tall
    q = np.array(
        [[-0.4, 0, 0], [0.4, 0, 0], [0.4, 6, 0], [-0.4, 6, 0], [0, 0, -0.4], [0, 0, 0.4], [0, 6, 0.4], [0, 6, -0.4]],
        dtype=float,
    )
    qn = np.array([[0, 0, 1]] * 4 + [[1, 0, 0]] * 4, dtype=float)
    lod1 = MeshData(q, np.array([[0, 1, 2], [0, 2, 3], [4, 6, 5], [4, 7, 6]]), qn, uv0=_uv(q, 3), uv1=_uv(q, 4))
    hp, hf, _ = box_arrays((-0.35, 0.0, -0.35), (0.35, 6.1, 0.35))
    asset.nodes.append(
        Node(
            "tree_01",
            "tree",
            [lod0, lod1],
            material=bark,
            translation=(2.0, 0.0, -3.0),
            lod_screen_sizes=[0.4, 0.05],
            collision=[CollisionShape("convex", MeshData(hp, hf))],
            extras={"species": "oak"},
        )
    )
    cp, cf, cn = box_arrays((-0.5, 0.0, -0.5), (0.5, 1.0, 0.5))
    asset.nodes.append(
        Node(
            "crate",
            "prop",
            [MeshData(cp, cf, cn, uv0=_uv(cp, 5))],
            material=wood,
            translation=(-4.0, 0.5, 1.0),
            rotation=(0.0, SQRT_HALF, 0.0, SQRT_HALF),
            scale=(1.0, 1.5, 2.0),
            collision=[CollisionShape("box", MeshData(cp, cf))],
        )
    )
    return asset


def world_points(node: Node, p: np.ndarray) -> np.ndarray:
    return (p * np.asarray(node.scale)) @ quaternion_matrix(node.rotation).T + np.asarray(node.translation)


def world_normals(node: Node, n: np.ndarray) -> np.ndarray:
    w = (n / np.asarray(node.scale)) @ quaternion_matrix(node.rotation).T
    return w / np.linalg.norm(w, axis=1, keepdims=True)


def face_corners(mesh: MeshData, values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)[mesh.indices.reshape(-1)]
