"""GLB / glTF 2.0 input: the preview's reader (``pipelines.inspect.glb_reader``) gives the drawn scene; here it becomes a SourceMesh.

That reader handles embedded and external buffers and images (refusing URIs
that leave the file's folder), node transforms and instancing, vertex colours,
KHR_texture_transform and KHR_materials_pbrSpecularGlossiness (read as
metallic-roughness), and names every malformed field in an InputError.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipelines.inspect.glb_reader import REPEAT, TextureRef, read_scene
from pipelines.sources.types import SourceMaterial, SourceMesh, SourceTexture


def read_gltf(path: Path) -> SourceMesh:
    """Return the LOD0, non-collision triangles of ``path``'s default scene with their materials."""
    scene = read_scene(path)

    def texture(ref: TextureRef | None) -> SourceTexture | None:
        if ref is None or ref.image >= len(scene.images) or scene.images[ref.image] is None:
            return None
        return SourceTexture(
            pixels=scene.images[ref.image],
            repeat=ref.wrap_s == REPEAT,
            uv_transform=ref.uv_transform,
            texcoord=ref.texcoord,
        )

    materials = [
        SourceMaterial(
            name=f"material_{i}",
            base_color_factor=m.base_color_factor,
            base_color_texture=texture(m.base_color_texture),
            roughness=m.roughness_factor,
            metallic=m.metallic_factor,
            metallic_roughness_texture=texture(m.metallic_roughness_texture),
        )
        for i, m in enumerate(scene.materials)
    ]
    nodes = sorted(scene.node_names)
    face_node = scene.face_node if scene.face_node is not None else np.zeros(len(scene.faces), np.int64)
    face_group = np.searchsorted(np.array(nodes or [0], np.int64), face_node)
    return SourceMesh(
        positions=scene.positions.astype(np.float64),
        faces=scene.faces.astype(np.int64),
        normals=scene.normals.astype(np.float64),
        uv=scene.uv.astype(np.float64),
        colors=scene.colors.astype(np.float64),
        face_material=scene.face_material.astype(np.int64),
        materials=materials,
        face_group=face_group,
        group_names=[scene.node_names[n] for n in nodes],
    )
