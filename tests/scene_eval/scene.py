"""Read a written scene back: the GLB (pygltflib + numpy) and manifest.json, nothing of hyworld's code.

Every render node in the GLB's scene becomes an `Obj` with its world transform and
its LOD0 mesh in world meters; the node named by kind ``terrain`` or ``room`` is
the scene's ground. The scene's extras (``asset.extras.scene``) give its kind,
size, water level and features when the writer put them there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pygltflib

from tests.scene_eval.geometry import hull2d
from tests.scene_eval.kinds import GROUND_KINDS

_COMPONENTS = {5120: np.int8, 5121: np.uint8, 5122: np.int16, 5123: np.uint16, 5125: np.uint32, 5126: np.float32}
_WIDTH = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT4": 16}


@dataclass
class Obj:
    """One object of the scene: its kind, extras, world transform and LOD0 mesh in world meters."""

    name: str
    kind: str
    extras: dict
    matrix: np.ndarray
    vertices: np.ndarray
    faces: np.ndarray

    @cached_property
    def lo(self) -> np.ndarray:
        return self.vertices.min(axis=0) if len(self.vertices) else self.matrix[:3, 3].copy()

    @cached_property
    def hi(self) -> np.ndarray:
        return self.vertices.max(axis=0) if len(self.vertices) else self.matrix[:3, 3].copy()

    @cached_property
    def footprint(self) -> np.ndarray:
        """Return the convex hull of the mesh seen from above, (K, 2) in world x, z."""
        if not len(self.vertices):
            return self.matrix[[0, 2], 3][None, :]
        return hull2d(self.vertices[:, [0, 2]])

    @property
    def center(self) -> np.ndarray:
        """Return the footprint's centre (x, z): the middle of the world AABB."""
        return (self.lo[[0, 2]] + self.hi[[0, 2]]) / 2

    @property
    def height(self) -> float:
        return float(self.hi[1] - self.lo[1])

    @property
    def front(self) -> np.ndarray:
        """Return the node's front (+Z local) in world x, z, unit length (+Z when it points straight up)."""
        f = self.matrix[:3, 2][[0, 2]]
        n = np.linalg.norm(f)
        return f / n if n > 1e-9 else np.array([0.0, 1.0])

    @property
    def attributes(self) -> list[str]:
        return [str(a) for a in self.extras.get("attributes") or []]

    @property
    def triangles(self) -> np.ndarray:
        return self.vertices[self.faces] if len(self.faces) else np.zeros((0, 3, 3))


@dataclass
class Scene:
    """A written scene: its objects, its ground node, its extras and its manifest."""

    objects: list[Obj]
    ground: Obj | None
    extras: dict
    manifest: dict
    unknown_words: list[dict] = field(default_factory=list)

    def of(self, kinds) -> list[Obj]:
        """Return the objects whose kind is in ``kinds``."""
        kinds = set(kinds or ())
        return [o for o in self.objects if o.kind in kinds]

    @property
    def kind(self) -> str:
        """Return ``terrain``, ``interior`` or ``prop``: from the extras, else from the ground node."""
        if self.extras.get("kind"):
            return str(self.extras["kind"])
        if self.ground is None:
            return "prop"
        return "interior" if self.ground.kind == "room" else "terrain"

    @property
    def features(self) -> dict:
        return dict(self.extras.get("features") or {})

    @property
    def water_level(self) -> float | None:
        w = self.extras.get("water_level")
        return None if w is None else float(w)

    @property
    def resolution(self) -> int:
        return int((self.manifest.get("options") or {}).get("resolution") or 160)

    @property
    def size(self) -> np.ndarray:
        """Return the scene's size (x, z) in meters: the extras' ``size_m``, else the ground's or the objects' extent."""
        if self.extras.get("size_m"):
            return np.asarray(self.extras["size_m"], dtype=float)
        if self.ground is not None:
            return (self.ground.hi - self.ground.lo)[[0, 2]]
        if not self.objects:
            return np.zeros(2)
        lo = np.min([o.lo for o in self.objects], axis=0)
        hi = np.max([o.hi for o in self.objects], axis=0)
        return (hi - lo)[[0, 2]]

    def cell(self, obj: Obj) -> float:
        """Return the extraction grid's cell size for ``obj`` (its longest side / resolution)."""
        return float(np.max(obj.hi - obj.lo)) / max(self.resolution, 1)


def _accessor(gltf: pygltflib.GLTF2, blob: bytes, index: int) -> np.ndarray:
    acc = gltf.accessors[index]
    view = gltf.bufferViews[acc.bufferView]
    dtype = np.dtype(_COMPONENTS[acc.componentType])
    width = _WIDTH[acc.type]
    start = (view.byteOffset or 0) + (acc.byteOffset or 0)
    stride = view.byteStride or dtype.itemsize * width
    if stride == dtype.itemsize * width:
        arr = np.frombuffer(blob, dtype=dtype, count=acc.count * width, offset=start)
    else:
        rows = [np.frombuffer(blob, dtype=dtype, count=width, offset=start + i * stride) for i in range(acc.count)]
        arr = np.concatenate(rows) if rows else np.zeros(0, dtype)
    return arr.reshape(acc.count, width) if width > 1 else arr


def _local_matrix(node: pygltflib.Node) -> np.ndarray:
    if node.matrix:
        return np.asarray(node.matrix, dtype=float).reshape(4, 4).T  # glTF stores column-major
    m = np.eye(4)
    x, y, z, w = node.rotation or (0.0, 0.0, 0.0, 1.0)
    rot = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )
    m[:3, :3] = rot * np.asarray(node.scale or (1.0, 1.0, 1.0), dtype=float)[None, :]
    m[:3, 3] = node.translation or (0.0, 0.0, 0.0)
    return m


def _mesh(gltf: pygltflib.GLTF2, blob: bytes, index: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Return the (vertices, faces) of mesh ``index``, all triangle primitives joined, in node space."""
    verts, faces, base = [], [], 0
    if index is None:
        return np.zeros((0, 3)), np.zeros((0, 3), dtype=np.int64)
    for prim in gltf.meshes[index].primitives:
        if prim.mode not in (None, 4):
            continue
        v = _accessor(gltf, blob, prim.attributes.POSITION).astype(float)
        f = (
            _accessor(gltf, blob, prim.indices).astype(np.int64).reshape(-1, 3)
            if prim.indices is not None
            else np.arange(len(v)).reshape(-1, 3)
        )
        verts.append(v)
        faces.append(f + base)
        base += len(v)
    if not verts:
        return np.zeros((0, 3)), np.zeros((0, 3), dtype=np.int64)
    return np.concatenate(verts), np.concatenate(faces)


def load_scene(glb: Path, manifest: Path | None = None) -> Scene:
    """Return the scene written in ``glb`` (and its ``manifest.json`` beside it, when there)."""
    gltf = pygltflib.GLTF2().load(str(glb))
    blob = gltf.binary_blob() or b""
    man = {}
    manifest = manifest or Path(glb).with_name("manifest.json")
    if manifest.exists():
        man = json.loads(manifest.read_text())
    man_extras = {n.get("name"): n.get("extras") or {} for n in man.get("nodes", [])}
    objects, ground = [], None
    roots = gltf.scenes[gltf.scene or 0].nodes if gltf.scenes else []
    stack = [(i, np.eye(4)) for i in roots]
    while stack:
        index, parent = stack.pop(0)
        node = gltf.nodes[index]
        world = parent @ _local_matrix(node)
        stack.extend((c, world) for c in node.children or [])
        extras = dict(man_extras.get(node.name) or {})
        extras.update(node.extras or {})
        if "collision" in extras or "lod" in extras or not extras.get("kind"):
            continue
        v, f = _mesh(gltf, blob, node.mesh)
        v = v @ world[:3, :3].T + world[:3, 3] if len(v) else v
        obj = Obj(node.name or f"node{index}", str(extras["kind"]), extras, world, v, f)
        if obj.kind in GROUND_KINDS and ground is None:
            ground = obj
        else:
            objects.append(obj)
    extras = (
        ((gltf.asset.extras or {}).get("scene") if gltf.asset else None) or (man.get("extras") or {}).get("scene") or {}
    )
    return Scene(objects, ground, dict(extras), man, list(man.get("unknown_words") or []))
