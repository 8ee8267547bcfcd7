"""Per-vertex tangents for normal mapping, in the MikkTSpace convention glTF readers expect.

glTF decodes a tangent-space normal map with the basis (T, B, N) where
``B = cross(N, T.xyz) * T.w`` and the map's +Y (green) points *up* the image.
Our uv0 has v pointing *down* the image (uv (0, 0) = top-left), so "up the
image" is the direction of decreasing v: the bitangent we sign against is
``-dP/dv``. (MikkTSpace run in an OpenGL-style v-up frame, as Blender does
before its glTF export flips v, gives the same w.) An unmirrored chart whose
image-up matches the surface's "up" then gets w = +1.
"""

from __future__ import annotations

import numpy as np

from exporters.asset import MeshData


def mikktspace_tangents(mesh: MeshData) -> np.ndarray:
    """Return tangents [V, 4] float32 for ``mesh.uv0``: unit xyz orthogonal to the normal, w = ±1.

    Per triangle, T = dP/du and B = -dP/dv (image-up) from the uv derivatives;
    each corner adds the normalised T and B weighted by its corner angle (as
    MikkTSpace does); per vertex T is Gram-Schmidt orthogonalised against the
    vertex normal and w = sign(dot(cross(N, T), B)). Vertices with no usable
    uv gradient get any unit tangent orthogonal to the normal and w = +1.
    Unlike the reference MikkTSpace this never splits vertices: a vertex whose
    triangles disagree on handedness (mirroring inside a chart, which xatlas
    does not produce) gets the majority's sign.
    """
    if mesh.uv0 is None:
        raise ValueError("mikktspace_tangents needs uv0 (unwrap the mesh first)")
    p = mesh.positions.astype(np.float64)
    uv = mesh.uv0.astype(np.float64)
    f = mesh.indices.astype(np.int64)
    normals = mesh.normals.astype(np.float64) if mesh.normals is not None else _vertex_normals(p, f)
    n_vertices = len(p)
    if len(f) == 0:
        return _complete(np.zeros((n_vertices, 3)), np.zeros((n_vertices, 3)), normals)

    e1 = p[f[:, 1]] - p[f[:, 0]]
    e2 = p[f[:, 2]] - p[f[:, 0]]
    d1 = uv[f[:, 1]] - uv[f[:, 0]]
    d2 = uv[f[:, 2]] - uv[f[:, 0]]
    det = d1[:, 0] * d2[:, 1] - d2[:, 0] * d1[:, 1]
    ok = np.abs(det) > 1e-20
    inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)[:, None]
    t_face = (e1 * d2[:, 1:2] - e2 * d1[:, 1:2]) * inv  # dP/du
    b_face = -(e2 * d1[:, 0:1] - e1 * d2[:, 0:1]) * inv  # -dP/dv: image-up
    t_face = _normalize(t_face)
    b_face = _normalize(b_face)

    angles = _corner_angles(p, f)  # [F, 3]
    t_acc = np.zeros((n_vertices, 3))
    b_acc = np.zeros((n_vertices, 3))
    idx = f.reshape(-1)
    w = (angles * ok[:, None]).reshape(-1)
    for axis in range(3):
        t_acc[:, axis] = np.bincount(idx, weights=np.repeat(t_face[:, axis], 3) * w, minlength=n_vertices)
        b_acc[:, axis] = np.bincount(idx, weights=np.repeat(b_face[:, axis], 3) * w, minlength=n_vertices)
    return _complete(t_acc, b_acc, normals)


def _complete(t_acc: np.ndarray, b_acc: np.ndarray, normals: np.ndarray) -> np.ndarray:
    n = _normalize(normals, fallback=np.array([0.0, 1.0, 0.0]))
    t = t_acc - n * (t_acc * n).sum(axis=1, keepdims=True)
    length = np.linalg.norm(t, axis=1)
    bad = length < 1e-12
    if bad.any():
        # Any unit vector orthogonal to n: cross with the axis least aligned with n.
        axis = np.eye(3)[np.abs(n[bad]).argmin(axis=1)]
        t[bad] = np.cross(n[bad], axis)
    t = _normalize(t)
    w = np.where((np.cross(n, t) * b_acc).sum(axis=1) < 0.0, -1.0, 1.0)
    return np.concatenate([t, w[:, None]], axis=1).astype(np.float32)


def _corner_angles(p: np.ndarray, f: np.ndarray) -> np.ndarray:
    out = np.empty(f.shape)
    for k in range(3):
        a = _normalize(p[f[:, (k + 1) % 3]] - p[f[:, k]])
        b = _normalize(p[f[:, (k + 2) % 3]] - p[f[:, k]])
        out[:, k] = np.arccos(np.clip((a * b).sum(axis=1), -1.0, 1.0))
    return out


def _vertex_normals(p: np.ndarray, f: np.ndarray) -> np.ndarray:
    fn = np.cross(p[f[:, 1]] - p[f[:, 0]], p[f[:, 2]] - p[f[:, 0]])
    acc = np.zeros_like(p)
    for axis in range(3):
        acc[:, axis] = np.bincount(f.reshape(-1), weights=np.repeat(fn[:, axis], 3), minlength=len(p))
    return acc


def _normalize(v: np.ndarray, fallback: np.ndarray | None = None) -> np.ndarray:
    """Return unit rows of ``v``; zero rows become ``fallback`` (or stay zero)."""
    length = np.linalg.norm(v, axis=1, keepdims=True)
    return np.where(length > 1e-30, v / np.maximum(length, 1e-300), 0.0 if fallback is None else fallback)
