"""One small outdoor scene built once per test session, for Godot and navmesh tests: a real generation
at low resolution with --target godot (colliders and navmesh with Godot's hints), read back from its files."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pygltflib import GLTF2

from pipelines.generate import GenRequest, generate
from pipelines.options import BuildOptions, GenOptions

PROMPT = "two houses and a stone well by a small lake, a stone wall and four pine trees on a hill"
OPTS = BuildOptions(resolution=24, texture_size=64, lods=1, workers=1, variants="2")


@pytest.fixture(scope="session")
def small_world(tmp_path_factory) -> dict:
    """Return the written scene: its folder, manifest, GLB path and pygltflib document."""
    out = tmp_path_factory.mktemp("world")
    options = GenOptions(seed=0, build=OPTS, device="cpu", target="godot")
    outcome = generate(GenRequest(prompt=PROMPT, name="small", out_root=out, options=options))
    glb = outcome.out_dir / "small.glb"
    return {
        "dir": outcome.out_dir,
        "manifest": json.loads((outcome.out_dir / "manifest.json").read_text()),
        "glb": glb,
        "gltf": GLTF2().load(str(glb)),
    }


def accessor(gltf: GLTF2, index: int) -> np.ndarray:
    """Return an accessor's data as numpy (float32, uint16 or uint32; rows for vectors)."""
    acc = gltf.accessors[index]
    view = gltf.bufferViews[acc.bufferView]
    comps = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}[acc.type]
    dtype = {5126: np.float32, 5125: np.uint32, 5123: np.uint16}[acc.componentType]
    start = (view.byteOffset or 0) + (acc.byteOffset or 0)
    data = np.frombuffer(gltf.binary_blob(), dtype=dtype, count=acc.count * comps, offset=start)
    return data.reshape(acc.count, comps) if comps > 1 else data


def mesh_of(gltf: GLTF2, node) -> tuple[np.ndarray, np.ndarray]:
    """Return a node's mesh positions [V, 3] and triangles [F, 3] (mesh-local)."""
    prim = gltf.meshes[node.mesh].primitives[0]
    return accessor(gltf, prim.attributes.POSITION).astype(np.float64), accessor(gltf, prim.indices).reshape(-1, 3)


def world_matrix(gltf: GLTF2, index: int) -> np.ndarray:
    """Return node ``index``'s world 4x4 (through its parents)."""
    parents = {c: i for i, n in enumerate(gltf.nodes) for c in (n.children or [])}
    m = np.eye(4)
    while index is not None:
        m = local_matrix(gltf.nodes[index]) @ m
        index = parents.get(index)
    return m


def local_matrix(node) -> np.ndarray:
    x, y, z, w = node.rotation or (0.0, 0.0, 0.0, 1.0)
    r = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )
    m = np.eye(4)
    m[:3, :3] = r * np.asarray(node.scale or (1.0, 1.0, 1.0))
    m[:3, 3] = node.translation or (0.0, 0.0, 0.0)
    return m
