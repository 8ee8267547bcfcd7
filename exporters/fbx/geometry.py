"""Asset meshes and transforms in a preset's FBX frame, and the FBX ``Geometry`` record of a mesh.

The Asset is right-handed, +Y up, front +Z, meters. A preset's frame is a
rotation of it (``AxisSystem.matrix``, determinant +1) and a unit: positions
become ``scale * C @ p``, directions ``C @ n``. A rotation keeps handedness and
winding, so counter-clockwise triangles stay front faces and no index is
reordered. Unity is left-handed, but its FBX importer converts from the file's
right-handed frame itself (it negates X and flips the winding), so the Unity
file is simply the Asset's own frame, in meters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from exporters.asset import MeshData, Node
from exporters.fbx.document import FbxNode, ObjName

UV_SET_NAMES = ("UVMap", "Lightmap")  # uv0 (textures), uv1 (lightmap): Unity uv/uv2, Unreal UV0/UV1


@dataclass(frozen=True)
class Frame:
    """The file frame: ``rotation`` (3x3, Asset -> file) and ``scale`` (file units per meter)."""

    rotation: np.ndarray
    scale: float

    def points(self, p: np.ndarray) -> np.ndarray:
        return (np.asarray(p, dtype=np.float64) @ self.rotation.T) * self.scale

    def directions(self, d: np.ndarray) -> np.ndarray:
        return np.asarray(d, dtype=np.float64) @ self.rotation.T

    def transform(self, node: Node) -> tuple[tuple, tuple, tuple]:
        """Return the node's (Lcl Translation, Lcl Rotation in XYZ Euler degrees, Lcl Scaling) in the file."""
        c = self.rotation
        t = self.points(np.asarray(node.translation, dtype=np.float64)[None])[0]
        r = c @ quaternion_matrix(node.rotation) @ c.T
        s = np.abs(c @ np.asarray(node.scale, dtype=np.float64))  # C diag(s) C^T is diag(|C| s)
        return tuple(t), euler_xyz_degrees(r), tuple(s)


def quaternion_matrix(q) -> np.ndarray:
    """Return the rotation matrix of quaternion (x, y, z, w); identity for a zero quaternion."""
    x, y, z, w = (float(v) for v in q)
    n = math.sqrt(x * x + y * y + z * z + w * w)
    if n == 0.0:
        return np.eye(3)
    x, y, z, w = x / n, y / n, z / n, w / n
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


def euler_xyz_degrees(r: np.ndarray) -> tuple[float, float, float]:
    """Return FBX's default Euler angles (eEulerXYZ: R = Rz @ Ry @ Rx) of rotation matrix ``r``, in degrees."""
    sy = -float(np.clip(r[2, 0], -1.0, 1.0))
    b = math.asin(sy)
    if abs(sy) < 1.0 - 1e-9:
        a = math.atan2(r[2, 1], r[2, 2])
        c = math.atan2(r[1, 0], r[0, 0])
    else:  # gimbal lock: put the whole remaining rotation into Z
        a = 0.0
        c = math.atan2(-r[0, 1], r[1, 1])
    angles = tuple(math.degrees(v) + 0.0 for v in (a, b, c))  # + 0.0 turns -0.0 into 0.0
    return tuple(0.0 if abs(v) < 1e-12 else v for v in angles)


def geometry_record(gid: int, name: str, mesh: MeshData, frame: Frame, render: bool, material: bool) -> FbxNode:
    """Return the ``Geometry`` record of ``mesh`` in ``frame``.

    Render meshes carry normals (by vertex), tangents and binormals when the
    mesh has tangents, smoothing (by polygon, one group: hard edges are split
    vertices already), the UV sets and the material layer. Collision meshes
    (``render=False``) carry positions, triangles and smoothing only.
    """
    geo = FbxNode("Geometry", [np.int64(gid), ObjName(name, "Geometry"), "Mesh"])
    geo.add("Properties70")
    geo.add("GeometryVersion", 124)
    geo.add("Vertices", frame.points(mesh.positions).reshape(-1))
    corners = mesh.indices.astype(np.int64).reshape(-1, 3).copy()
    corners[:, 2] = -corners[:, 2] - 1  # the last corner of each polygon is stored as -(i+1)
    geo.add("PolygonVertexIndex", corners.reshape(-1).astype(np.int32))
    layers: list[tuple[str, int]] = []
    if render and mesh.normals is not None:
        _direct(geo, "LayerElementNormal", "Normals", frame.directions(mesh.normals), 101)
        layers.append(("LayerElementNormal", 0))
    if render and mesh.tangents is not None and mesh.normals is not None:
        t = mesh.tangents[:, :3].astype(np.float64)
        w = np.where(mesh.tangents[:, 3] < 0, -1.0, 1.0)[:, None]
        # glTF's bitangent cross(N, T) * w points to increasing FBX v (image up)
        binormals = np.cross(mesh.normals.astype(np.float64), t) * w
        _direct(geo, "LayerElementBinormal", "Binormals", frame.directions(binormals), 101)
        _direct(geo, "LayerElementTangent", "Tangents", frame.directions(t), 101)
        layers += [("LayerElementBinormal", 0), ("LayerElementTangent", 0)]
    # Smoothing on every mesh, colliders too: Unreal warns about a mesh without it (a COL_ mesh
    # arrives as its own static mesh).
    smoothing = geo.add("LayerElementSmoothing", 0)
    smoothing.add("Version", 102)
    smoothing.add("Name", "")
    smoothing.add("MappingInformationType", "ByPolygon")
    smoothing.add("ReferenceInformationType", "Direct")
    smoothing.add("Smoothing", np.ones(mesh.triangle_count, dtype=np.int32))
    layers.append(("LayerElementSmoothing", 0))
    if material:
        mat = geo.add("LayerElementMaterial", 0)
        mat.add("Version", 101)
        mat.add("Name", "")
        mat.add("MappingInformationType", "AllSame")
        mat.add("ReferenceInformationType", "IndexToDirect")
        mat.add("Materials", np.zeros(1, dtype=np.int32))
        layers.append(("LayerElementMaterial", 0))
    uvs = [mesh.uv0, mesh.uv1] if render else [None, None]
    if uvs[1] is not None and uvs[0] is None:  # keep the lightmap the second set
        uvs[0] = np.zeros_like(uvs[1])
    uv_count = 0
    for index, uv in enumerate(uvs):
        if uv is None:
            continue
        flipped = np.empty((uv.shape[0], 2), dtype=np.float64)
        flipped[:, 0] = uv[:, 0]
        flipped[:, 1] = 1.0 - uv[:, 1].astype(np.float64)  # Asset: v down from the top; FBX: v up
        el = geo.add("LayerElementUV", index)
        el.add("Version", 101)
        el.add("Name", UV_SET_NAMES[index])
        el.add("MappingInformationType", "ByPolygonVertex")
        el.add("ReferenceInformationType", "IndexToDirect")
        el.add("UV", flipped.reshape(-1))
        el.add("UVIndex", mesh.indices.reshape(-1).astype(np.int32))
        uv_count += 1
    # One Layer per UV set: engines number UV channels by layer (Unity uv2 = layer 1).
    for index in range(max(uv_count, 1)):
        layer = geo.add("Layer", index)
        layer.add("Version", 100)
        members = layers if index == 0 else []
        if index < uv_count:
            members = members + [("LayerElementUV", index)]
        for kind, typed_index in members:
            entry = layer.add("LayerElement")
            entry.add("Type", kind)
            entry.add("TypedIndex", typed_index)
    return geo


def _direct(geo: FbxNode, element: str, field: str, values: np.ndarray, version: int) -> None:
    el = geo.add(element, 0)
    el.add("Version", version)
    el.add("Name", "")
    el.add("MappingInformationType", "ByVertice")  # FBX's spelling of "by control point"
    el.add("ReferenceInformationType", "Direct")
    el.add(field, np.ascontiguousarray(values, dtype=np.float64).reshape(-1))
