"""The GLB writer's world nodes: copies drawn with EXT_mesh_gpu_instancing, the navmesh and spawn points.

A mixin of ``exporters.gltf._GlbBuilder`` (which holds the document, the binary
chunk and the mesh cache these methods use); see that module's docstring for
what is written where.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np
import pygltflib as gl

from exporters.asset import Asset, MeshData
from exporters.presets import NodeNames, Preset

_FLOAT = 5126


class WorldNodes:
    """Instancing and navigation nodes; mixed into the GLB builder."""

    asset: Asset
    preset: Preset
    doc: gl.GLTF2
    _names: list[NodeNames]

    if TYPE_CHECKING:  # provided by the GLB builder

        def _mesh(self, mesh: MeshData, name: str, material: int | None, render: bool) -> int: ...

        def _node(self, name: str, trs: dict, mesh: int | None, extras: dict | None) -> int: ...

        def _view(self, payload: bytes, target: int | None = None, stride: int | None = None) -> int: ...

    def _instanced(self, owner: int, members: list[int], names: NodeNames, trs: list[dict], used: set) -> int:
        """Return the scene node drawing ``members`` (copies of one mesh) with EXT_mesh_gpu_instancing."""
        node = self.asset.nodes[owner]
        nodes = [self.asset.nodes[i] for i in members]
        attributes = {
            "TRANSLATION": self._plain(np.array([n.translation for n in nodes], np.float32), "VEC3"),
            "ROTATION": self._plain(_unit_quaternions([n.rotation for n in nodes]), "VEC4"),
            "SCALE": self._plain(np.array([n.scale for n in nodes], np.float32), "VEC3"),
            "_HUE_SHIFT": self._plain(
                np.array([[float(n.extras.get("hue_shift", 0.0))] for n in nodes], np.float32), "SCALAR"
            ),
        }
        ext = {"EXT_mesh_gpu_instancing": {"attributes": attributes}}
        used.add("EXT_mesh_gpu_instancing")
        extras = {"instances": [names_i.node for names_i in (self._names[i] for i in members)], "kind": node.kind}
        mesh = self._mesh(node.lods[0], names.lod_meshes[0], node.material, True)
        index = self._node(f"{names.node}_instances", {}, mesh, extras)
        self.doc.nodes[index].extensions = dict(ext)
        ids = []
        for i in range(1, len(names.lod_meshes)):
            lod_mesh = self._mesh(node.lods[i], names.lod_meshes[i], node.material, True)
            ids.append(self._node(f"{names.node}_instances_LOD{i}", {}, lod_mesh, {"lod": i}))
            self.doc.nodes[ids[-1]].extensions = dict(ext)
        if ids:
            self.doc.nodes[index].extensions["MSFT_lod"] = {"ids": ids}
            self.doc.nodes[index].extras["MSFT_screencoverage"] = [
                float(s) for s in node.lod_screen_sizes[: len(names.lod_meshes)]
            ]
            used.add("MSFT_lod")
        return index

    def _plain(self, array: np.ndarray, kind: str) -> int:
        """Return an accessor for per-instance data (no bufferView target: it is not vertex data)."""
        view = self._view(np.ascontiguousarray(array, dtype=np.float32).tobytes())
        self.doc.accessors.append(gl.Accessor(bufferView=view, componentType=_FLOAT, count=len(array), type=kind))
        return len(self.doc.accessors) - 1

    def _navigation(self) -> list[int]:
        """Return the scene nodes of the navmesh (Godot: with its hint) and the spawn points."""
        asset, preset = self.asset, self.preset
        scene = []
        if asset.navmesh is not None and asset.navmesh.mesh.triangle_count:
            name = preset.navmesh_name(asset.name)
            mesh = self._mesh(asset.navmesh.mesh, name, None, False)
            node = self._node(name, {}, mesh, {"navmesh": json.loads(json.dumps(asset.navmesh.info, sort_keys=True))})
            if preset.navmesh_suffix:  # a navigation mesh to the engine, not drawn
                scene.append(node)
        for p in asset.spawn_points:
            extras = {"spawn_point": True, "clearance_m": float(p.clearance_m)}
            scene.append(self._node(p.name, {"translation": [float(x) for x in p.position]}, None, extras))
        return scene


def instance_batches(asset: Asset, names: list[NodeNames], owners: list[int]) -> dict[int, list[int]]:
    """Return owner node -> the nodes drawing its mesh, for meshes drawn by two nodes or more."""
    out: dict[int, list[int]] = {}
    for i, o in enumerate(owners):
        if names[i].lod_meshes:
            out.setdefault(o, []).append(i)
    return {o: m for o, m in out.items() if len(m) > 1}


def _unit_quaternions(rows: list) -> np.ndarray:
    q = np.asarray(rows, dtype=np.float64)
    n = np.linalg.norm(q, axis=1, keepdims=True)
    q = np.where(n > 0, q / np.where(n > 0, n, 1.0), [0.0, 0.0, 0.0, 1.0])
    return q.astype(np.float32)
