"""Small hand-built scenes for the scorer's tests: meshes from trimesh, written as GLB with pygltflib.

Each object is a closed mesh with its pivot at the centre of its base (as the
catalog builds them), placed by a node translation and a rotation about +Y, and
tagged with the node extras the scene contract names (kind, attributes, ...).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pygltflib
import trimesh


@dataclass
class Item:
    name: str
    kind: str
    mesh: trimesh.Trimesh
    at: tuple[float, float, float] = (0.0, 0.0, 0.0)
    yaw_deg: float = 0.0  # rotation about +Y; 0 keeps the front at +Z
    extras: dict = field(default_factory=dict)


def box(x: float, y: float, z: float) -> trimesh.Trimesh:
    """Return a closed box of size x, y, z with its base's centre at the origin."""
    m = trimesh.creation.box(extents=(x, y, z))
    m.apply_translation((0, y / 2, 0))
    return m


def cylinder(r: float, h: float, sections: int = 24) -> trimesh.Trimesh:
    """Return a closed upright cylinder of radius r and height h standing on the origin."""
    m = trimesh.creation.cylinder(radius=r, height=h, sections=sections)
    m.apply_transform(trimesh.transformations.rotation_matrix(-math.pi / 2, (1, 0, 0)))
    m.apply_translation((0, h / 2, 0))
    return m


def table(top: str = "square", size: float = 1.2, h: float = 0.75) -> trimesh.Trimesh:
    """Return a table: a round or square 5 cm top on a central post and a foot, as one closed mesh."""
    slab = cylinder(size / 2, 0.05, 32) if top == "round" else box(size, 0.05, size)
    slab.apply_translation((0, h - 0.05, 0))
    post = cylinder(0.06, h - 0.05)
    return trimesh.util.concatenate([slab, post])


def chair() -> trimesh.Trimesh:
    """Return a chair whose back is at -Z, so it faces +Z (its front)."""
    seat = box(0.45, 0.45, 0.45)
    back = box(0.45, 0.5, 0.06)
    back.apply_translation((0, 0.45, -0.2))
    return trimesh.util.concatenate([seat, back])


def ground(size: float = 40.0, heights=None, n: int = 21) -> trimesh.Trimesh:
    """Return a terrain sheet over size x size meters; ``heights(x, z)`` gives its height (flat at 0 without)."""
    xs = np.linspace(-size / 2, size / 2, n)
    gx, gz = np.meshgrid(xs, xs, indexing="xy")
    gy = np.zeros_like(gx) if heights is None else heights(gx, gz)
    v = np.stack([gx.ravel(), gy.ravel(), gz.ravel()], axis=1)
    faces = []
    for j in range(n - 1):
        for i in range(n - 1):
            a, b, c, d = j * n + i, j * n + i + 1, (j + 1) * n + i, (j + 1) * n + i + 1
            faces += [(a, c, b), (b, c, d)]  # counter-clockwise seen from above (+Y)
    return trimesh.Trimesh(v, np.asarray(faces), process=False)


def room(width: float = 8.0, depth: float = 6.0) -> trimesh.Trimesh:
    """Return an interior shell like the model's: a 30 cm floor and two walls (back at -Z, left at -X)."""
    t, hw, hd = 0.3, width / 2, depth / 2
    floor = box(width + t, t, depth + t)
    floor.apply_translation((-t / 2, -t, -t / 2))
    back = box(width + t, 3.4, t)
    back.apply_translation((-t / 2, -t, -hd - t / 2))
    left = box(t, 3.4, depth + t)
    left.apply_translation((-hw - t / 2, -t, -t / 2))
    return trimesh.util.concatenate([floor, back, left])


def _quat_y(deg: float) -> list[float]:
    a = math.radians(deg) / 2
    return [0.0, math.sin(a), 0.0, math.cos(a)]


def write_glb(
    path: Path,
    items: list[Item],
    ground_mesh: trimesh.Trimesh | None = None,
    ground_kind: str = "terrain",
    scene: dict | None = None,
    unknown_words: list[dict] | None = None,
    resolution: int = 160,
) -> Path:
    """Write ``items`` (and a ground node) as a GLB at ``path`` plus a manifest.json beside it; return the GLB."""
    gltf = pygltflib.GLTF2(asset=pygltflib.Asset(version="2.0", generator="scene_eval tests"))
    blob = bytearray()
    nodes = []
    todo = ([Item("terrain", ground_kind, ground_mesh)] if ground_mesh is not None else []) + list(items)
    for item in todo:
        v = np.asarray(item.mesh.vertices, dtype=np.float32)
        f = np.asarray(item.mesh.faces, dtype=np.uint32)
        views = []
        for data, target in ((v.tobytes(), pygltflib.ARRAY_BUFFER), (f.tobytes(), pygltflib.ELEMENT_ARRAY_BUFFER)):
            while len(blob) % 4:
                blob.append(0)
            gltf.bufferViews.append(
                pygltflib.BufferView(buffer=0, byteOffset=len(blob), byteLength=len(data), target=target)
            )
            views.append(len(gltf.bufferViews) - 1)
            blob.extend(data)
        gltf.accessors.append(
            pygltflib.Accessor(
                bufferView=views[0],
                componentType=pygltflib.FLOAT,
                count=len(v),
                type=pygltflib.VEC3,
                min=v.min(axis=0).tolist(),
                max=v.max(axis=0).tolist(),
            )
        )
        gltf.accessors.append(
            pygltflib.Accessor(
                bufferView=views[1], componentType=pygltflib.UNSIGNED_INT, count=f.size, type=pygltflib.SCALAR
            )
        )
        prim = pygltflib.Primitive(
            attributes=pygltflib.Attributes(POSITION=len(gltf.accessors) - 2), indices=len(gltf.accessors) - 1
        )
        gltf.meshes.append(pygltflib.Mesh(name=item.name, primitives=[prim]))
        node = pygltflib.Node(name=item.name, mesh=len(gltf.meshes) - 1, extras={"kind": item.kind, **item.extras})
        if any(item.at):
            node.translation = [float(c) for c in item.at]
        if item.yaw_deg:
            node.rotation = _quat_y(item.yaw_deg)
        gltf.nodes.append(node)
        nodes.append(len(gltf.nodes) - 1)
    gltf.scenes = [pygltflib.Scene(name="test", nodes=nodes)]
    gltf.scene = 0
    gltf.buffers = [pygltflib.Buffer(byteLength=len(blob))]
    if scene is not None:
        gltf.asset.extras = {"scene": scene}
    gltf.set_binary_blob(bytes(blob))
    path.parent.mkdir(parents=True, exist_ok=True)
    gltf.save_binary(str(path))
    manifest = {
        "options": {"resolution": resolution},
        "unknown_words": unknown_words or [],
        "nodes": [{"name": i.name, "extras": {"kind": i.kind, **i.extras}} for i in todo],
    }
    path.with_name("manifest.json").write_text(json.dumps(manifest))
    return path
