"""Binary glTF 2.0 (GLB) writer: one self-contained file per Asset, byte-identical for equal Assets.

What goes where (the file passes the Khronos validator with 0 errors, 0 warnings):

Names come from the preset, the one naming source of every writer and of the
manifest (``Preset.scene_names``, ``material_names``, ``texture_names``; see
``exporters.presets``), so a name in the GLB is the name in the FBX and in the manifest:

* **Scene.** One root node per Asset node, in Asset order, named like the FBX
  object (``NodeNames.node``: ``mesh_prefix + node.name`` cleaned and made
  unique), with the node's translation/rotation/scale and its LOD0 mesh in
  node-local meters, +Y up. The LOD0 mesh is named ``NodeNames.lod_meshes[0]``:
  the object's name for one level, ``<name>_LOD0`` for several (the FBX's LOD0
  mesh). Nodes ``0..n-1`` of the file are the Asset's nodes ``0..n-1``.
  ``node.extras`` become the node's extras; ``asset.extras`` and
  ``asset.generator`` go to the glTF ``asset`` object.
* **LODs: MSFT_lod.** LOD1..n are extra nodes ``<name>_LOD<i>`` (same transform,
  mesh ``<name>_LOD<i>``) that are *not* in the scene; the render node lists them
  in ``extensions.MSFT_lod.ids`` and carries ``extras.MSFT_screencoverage`` (the
  node's ``lod_screen_sizes``: one entry per level, the last being the cull size).
  ``MSFT_lod`` is in ``extensionsUsed`` only, never ``extensionsRequired``, so
  a reader that does not know it (glTFast, Unreal Interchange, Blender, trimesh)
  loads LOD0 alone and shows nothing twice; Babylon.js switches levels. Engines
  get real LOD groups from the FBX or from an import script that reads the
  manifest, which names every LOD mesh. A lower level with 0 triangles ends the
  chain: the level before it is culled at its screen size.
* **Collision: named nodes outside the scene.** Each shape becomes a node and a
  mesh (POSITION and indices only, no material) named as the preset names it
  (``UCX_<name>_NN`` convex, ``UBX_<name>_NN`` box, ``COL_<name>_NN`` trimesh
  by default; Unreal has no prefix for trimesh, import scripts use the manifest),
  with the render node's transform and extras ``{"collision": kind, "collision_of":
  name}``. glTF has no "hidden" flag that viewers honour, so a collider inside
  the scene would be drawn over the object by every viewer; outside it, no
  viewer draws it, and importers that import all meshes (glTFast in the editor)
  still expose the named mesh for the import script. ``NN`` is the shape's index
  in ``node.collision``. Where the preset merges several shapes into one FBX mesh
  (Unreal, several LODs: ``UCX_<name>_LOD0``), the GLB still writes one node per
  shape and **suffixes** the shared name with the shape's index,
  ``UCX_<name>_LOD0_NN`` (``NodeNames.gltf_collision``), rather than repeating it:
  glTF allows duplicate names but engines rename duplicates on import, so the
  manifest could not name each piece. A merged name held by one shape alone is
  kept as is. The manifest gives both: ``collision[].mesh`` (the FBX name) and
  ``collision[].gltf_node`` (this file's node and mesh name).
* **Materials.** metallic-roughness PBR; base color texture sRGB, the ORM
  texture as ``metallicRoughnessTexture`` (G roughness, B metallic) and, when
  ``occlusion_from_orm``, as ``occlusionTexture`` too (R); the normal map as
  ``normalTexture``. A primitive that cannot carry a texture binding gets a
  copy of its material without it rather than an invalid or non-portable file:
  no uv0 -> ``<mat>_untextured``; no NORMAL+TANGENT -> ``<mat>_noNormalMap``
  (the writer does not invent tangents that would disagree with the baker's).
* **Sampler.** One: LINEAR mag, LINEAR_MIPMAP_LINEAR min, CLAMP_TO_EDGE on both
  axes. Our textures are baked atlases (xatlas charts inside [0, 1] with
  gutters), not tiling materials: REPEAT would blend texels from the opposite
  edge of the atlas into charts that touch the border.
* **Copies (instances).** Nodes whose LOD0 is the very same ``MeshData`` draw one
  glTF mesh (written once, named after the first node drawing it); the manifest's
  ``lods[].mesh`` of a copy names that mesh. With ``preset.gpu_instancing`` (Unity's
  glTFast) every mesh drawn by two nodes or more is drawn by one scene node
  ``<variant>_instances`` carrying ``EXT_mesh_gpu_instancing`` (TRANSLATION, ROTATION,
  SCALE, ``_HUE_SHIFT``; in ``extensionsUsed`` only), its LOD levels instanced the
  same way; the objects' own nodes stay, empty, with ``extras.instanced_by``.
* **Godot** (``max_lod_levels`` 1, ``colliders_in_scene``): LOD0 only, and collider
  nodes are children of their object named with Godot's ``-convcolonly``/``-colonly``
  hints, since Godot 3 imports every parentless node as a visible mesh.
* **Navigation.** ``asset.navmesh`` is the node ``NAV_<asset>`` (POSITION only, no
  material, ``extras.navmesh``): outside the scene, or in it with the preset's
  ``navmesh_suffix`` (Godot's ``-navmesh``). Spawn points are empty scene nodes.
* **Empty meshes.** A node whose LOD0 has 0 triangles stays a node (name,
  transform, extras) without a mesh; empty collision shapes are skipped. No
  accessor is ever written with count 0.

Writer-side clean-ups, all no-ops for a well-formed Asset: normals and tangent
xyz are renormalised in float64 (a zero vector becomes +Y, resp. a vector
perpendicular to the normal), tangent w is snapped to +-1, colors are clamped to
[0, 1], the rotation quaternion is normalised; node translation, rotation and scale
are written as the shortest decimals of their float32 values (what readers hold). A uv1 without uv0 is written as
TEXCOORD_1 with a zero TEXCOORD_0, so the lightmap set stays the second set.

The JSON is pygltflib's; the GLB container is assembled here (see ``_glb_container``).
Known pygltflib behaviour: its JSON writer drops ``None`` and empty strings,
lists and dicts from extras.
"""

from __future__ import annotations

import math
import struct
from pathlib import Path

import numpy as np
import pygltflib as gl

from exporters.asset import Asset, CollisionShape, MeshData, Node
from exporters.files import WrittenFile, atomic_write
from exporters.gltf_world import WorldNodes, instance_batches
from exporters.presets import Preset

ROLE = "glb"
_FLOAT, _USHORT, _UINT = 5126, 5123, 5125
_ARRAY_BUFFER, _ELEMENT_ARRAY_BUFFER = 34962, 34963
_LINEAR, _LINEAR_MIPMAP_LINEAR, _CLAMP_TO_EDGE = 9729, 9987, 33071


def jsonable(value, where: str = "extras"):
    """Return ``value`` as plain JSON data (dict keys sorted); raise ValueError if it has none."""
    if isinstance(value, dict):
        return {str(k): jsonable(v, f"{where}.{k}") for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist(), where)
    if isinstance(value, np.generic):
        return jsonable(value.item(), where)
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where} is {value}, which JSON cannot hold")
        return value
    if value is None or isinstance(value, (bool, int, str)):
        return value
    raise ValueError(f"{where} is a {type(value).__name__}, which JSON cannot hold")


def write(asset: Asset, path: Path, preset: Preset) -> list[WrittenFile]:
    """Return the one GLB file written atomically at ``path`` for ``asset``."""
    return [atomic_write(Path(path), encode_glb(asset, preset), ROLE)]


def encode_glb(asset: Asset, preset: Preset) -> bytes:
    """Return the GLB bytes of ``asset``: the same Asset always gives the same bytes."""
    return _GlbBuilder(asset, preset).build()


def _unit_rows(v: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    v = v.astype(np.float64)
    length = np.linalg.norm(v, axis=1, keepdims=True)
    ok = length[:, 0] > 1e-12
    out = np.where(ok[:, None], v / np.where(ok[:, None], length, 1.0), fallback)
    return out.astype(np.float32)


def _clean_normals(normals: np.ndarray) -> np.ndarray:
    return _unit_rows(normals, np.broadcast_to(np.array([0.0, 1.0, 0.0]), normals.shape))


def _clean_tangents(tangents: np.ndarray, normals: np.ndarray) -> np.ndarray:
    n = normals.astype(np.float64)
    # any vector perpendicular to n, for tangents that degenerated to zero
    axis = np.where(np.abs(n[:, :1]) < 0.9, [[1.0, 0.0, 0.0]], [[0.0, 0.0, 1.0]])
    perp = _unit_rows(np.cross(n, axis), np.broadcast_to(np.array([1.0, 0.0, 0.0]), n.shape))
    xyz = _unit_rows(tangents[:, :3], perp.astype(np.float64))
    w = np.where(tangents[:, 3:4] < 0, -1.0, 1.0).astype(np.float32)
    return np.ascontiguousarray(np.concatenate([xyz, w], axis=1), dtype=np.float32)


def _short(x: float) -> float:
    """Return ``x`` as the shortest decimal that reads back as the same float32.

    Readers hold node transforms in float32, so the float64's further digits
    (``0.9545529600236397``) are JSON bytes no engine sees: ``0.95455295``.
    """
    return float(str(np.float32(x)))


def _trs(node: Node) -> dict:
    out = {}
    t = [_short(x) for x in node.translation]
    if any(t):
        out["translation"] = t
    q = np.asarray(node.rotation, dtype=np.float64)
    length = float(np.linalg.norm(q))
    q = q / length if length > 0 else np.array([0.0, 0.0, 0.0, 1.0])
    r = [_short(x) for x in q]
    if r != [0.0, 0.0, 0.0, 1.0]:
        out["rotation"] = r
    s = [_short(x) for x in node.scale]
    if s != [1.0, 1.0, 1.0]:
        out["scale"] = s
    return out


class _GlbBuilder(WorldNodes):
    """Fills one pygltflib document and its binary chunk from an Asset, in a fixed order."""

    def __init__(self, asset: Asset, preset: Preset) -> None:
        self.asset, self.preset = asset, preset
        self.doc = gl.GLTF2()
        self.blob = bytearray()
        self._materials: dict[tuple[int, bool, bool], int] = {}
        self._meshes: dict[tuple[int, int | None, bool], int] = {}
        self._names = preset.scene_names(asset)
        self._textures: dict[int, int] = {}
        self._material_names = preset.material_names(asset)
        self._texture_names = preset.texture_names(asset)

    # -- binary chunk -------------------------------------------------------------------------

    def _view(self, payload: bytes, target: int | None = None, stride: int | None = None) -> int:
        self.blob += b"\0" * (-len(self.blob) % 4)
        self.doc.bufferViews.append(
            gl.BufferView(
                buffer=0, byteOffset=len(self.blob), byteLength=len(payload), target=target, byteStride=stride
            )
        )
        self.blob += payload
        return len(self.doc.bufferViews) - 1

    def _accessor(self, array: np.ndarray, kind: str, component: int, target: int, bounds: bool = False) -> int:
        stride = array.dtype.itemsize * array.shape[1] if target == _ARRAY_BUFFER else None
        view = self._view(np.ascontiguousarray(array).tobytes(), target, stride)
        acc = gl.Accessor(
            bufferView=view, componentType=component, count=int(array.shape[0]), type=kind, normalized=None
        )
        if bounds:  # from the float32 values actually written, so the validator's check is exact
            acc.min = [float(x) for x in array.min(axis=0)]
            acc.max = [float(x) for x in array.max(axis=0)]
        self.doc.accessors.append(acc)
        return len(self.doc.accessors) - 1

    def _vertex(self, array: np.ndarray, bounds: bool = False) -> int:
        kind = {2: "VEC2", 3: "VEC3", 4: "VEC4"}[array.shape[1]]
        return self._accessor(array.astype(np.float32), kind, _FLOAT, _ARRAY_BUFFER, bounds)

    def _indices(self, mesh: MeshData) -> int:
        flat = mesh.indices.reshape(-1, 1)
        if mesh.vertex_count <= 0xFFFF:  # max index 65534: 65535 is the primitive-restart value
            return self._accessor(flat.astype(np.uint16), "SCALAR", _USHORT, _ELEMENT_ARRAY_BUFFER)
        return self._accessor(flat.astype(np.uint32), "SCALAR", _UINT, _ELEMENT_ARRAY_BUFFER)

    # -- materials and textures ---------------------------------------------------------------

    def _texture(self, index: int) -> int:
        if index not in self._textures:
            tex = self.asset.textures[index]
            if not self.doc.samplers:
                self.doc.samplers.append(
                    gl.Sampler(
                        magFilter=_LINEAR, minFilter=_LINEAR_MIPMAP_LINEAR, wrapS=_CLAMP_TO_EDGE, wrapT=_CLAMP_TO_EDGE
                    )
                )
            name = self._texture_names[index]
            self.doc.images.append(gl.Image(bufferView=self._view(tex.png), mimeType="image/png", name=name))
            self.doc.textures.append(gl.Texture(sampler=0, source=len(self.doc.images) - 1, name=name))
            self._textures[index] = len(self.doc.textures) - 1
        return self._textures[index]

    def _material(self, index: int | None, mesh: MeshData) -> int | None:
        if index is None:
            return None
        mat = self.asset.materials[index]
        textures = (mat.base_color_texture, mat.orm_texture, mat.normal_texture)
        drop_all = mesh.uv0 is None and any(t is not None for t in textures)
        drop_normal = not drop_all and mat.normal_texture is not None and not _has_tangent_space(mesh)
        key = (index, drop_all, drop_normal)
        if key not in self._materials:
            self.doc.materials.append(self._gltf_material(index, drop_all, drop_normal))
            self._materials[key] = len(self.doc.materials) - 1
        return self._materials[key]

    def _gltf_material(self, index: int, drop_all: bool, drop_normal: bool) -> gl.Material:
        mat = self.asset.materials[index]
        name = self._material_names[index]
        name += "_untextured" if drop_all else "_noNormalMap" if drop_normal else ""
        textured = not drop_all
        pbr = gl.PbrMetallicRoughness(
            baseColorFactor=[float(x) for x in mat.base_color_factor],
            metallicFactor=float(mat.metallic_factor),
            roughnessFactor=float(mat.roughness_factor),
        )
        out = gl.Material(name=name, pbrMetallicRoughness=pbr, doubleSided=bool(mat.double_sided), emissiveFactor=None)
        if textured and mat.base_color_texture is not None:
            pbr.baseColorTexture = gl.TextureInfo(index=self._texture(mat.base_color_texture))
        if textured and mat.orm_texture is not None:
            pbr.metallicRoughnessTexture = gl.TextureInfo(index=self._texture(mat.orm_texture))
            if mat.occlusion_from_orm:
                out.occlusionTexture = gl.OcclusionTextureInfo(index=self._texture(mat.orm_texture), strength=None)
        if textured and not drop_normal and mat.normal_texture is not None:
            scale = None if mat.normal_scale == 1.0 else float(mat.normal_scale)
            out.normalTexture = gl.NormalMaterialTexture(index=self._texture(mat.normal_texture), scale=scale)
        return out

    # -- meshes and nodes ---------------------------------------------------------------------

    def _mesh(self, mesh: MeshData, name: str, material: int | None, render: bool) -> int:
        key = (id(mesh), material, render)
        if key in self._meshes:  # a copy (instance) draws its variant's mesh: written once
            return self._meshes[key]
        if not np.isfinite(mesh.positions).all():
            raise ValueError(f"mesh {name} has non-finite vertex positions")
        attrs = gl.Attributes(POSITION=self._vertex(mesh.positions, bounds=True))
        if render:
            if mesh.normals is not None:
                normals = _clean_normals(mesh.normals)
                attrs.NORMAL = self._vertex(normals)
                if mesh.tangents is not None:  # TANGENT without NORMAL is a validator warning
                    attrs.TANGENT = self._vertex(_clean_tangents(mesh.tangents, normals))
            if mesh.uv0 is not None or mesh.uv1 is not None:
                uv0 = mesh.uv0 if mesh.uv0 is not None else np.zeros((mesh.vertex_count, 2), np.float32)
                attrs.TEXCOORD_0 = self._vertex(uv0)
            if mesh.uv1 is not None:
                attrs.TEXCOORD_1 = self._vertex(mesh.uv1)
            if mesh.colors is not None:
                attrs.COLOR_0 = self._vertex(np.clip(mesh.colors, 0.0, 1.0))
        prim = gl.Primitive(
            attributes=attrs,
            indices=self._indices(mesh),
            mode=gl.TRIANGLES,
            material=self._material(material, mesh) if render else None,
        )
        self.doc.meshes.append(gl.Mesh(name=name, primitives=[prim]))
        self._meshes[key] = len(self.doc.meshes) - 1
        return self._meshes[key]

    def _node(self, name: str, trs: dict, mesh: int | None, extras: dict | None) -> int:
        self.doc.nodes.append(gl.Node(name=name, mesh=mesh, extras=extras, **trs))
        return len(self.doc.nodes) - 1

    def build(self) -> bytes:
        asset, doc, preset = self.asset, self.doc, self.preset
        names = preset.scene_names(asset)
        owners = preset.mesh_owners(asset)
        trs = [_trs(node) for node in asset.nodes]
        batches = instance_batches(asset, names, owners) if preset.gpu_instancing else {}
        batched = {i: o for o, members in batches.items() for i in members}
        scene = list(range(len(asset.nodes)))
        # Nodes 0..n-1 are the render nodes, so they are appended before any LOD or collider node.
        for i, (node, nn, t) in enumerate(zip(asset.nodes, names, trs)):
            levels = len(nn.lod_meshes)  # the written levels: those before the first empty one
            own = names[owners[i]]
            drawn = levels and i not in batched
            mesh = self._mesh(node.lods[0], own.lod_meshes[0], node.material, True) if drawn else None
            extras = jsonable(node.extras, f"node {node.name} extras")
            if i in batched:
                extras["instanced_by"] = f"{names[batched[i]].node}_instances"
            elif levels > 1 and len(node.lod_screen_sizes) == len(node.lods):
                extras["MSFT_screencoverage"] = [float(s) for s in node.lod_screen_sizes[:levels]]
            self._node(nn.node, t, mesh, extras)
        used: set[str] = set()
        for owner, members in batches.items():
            scene.append(self._instanced(owner, members, names[owner], trs, used))
        for index, (node, nn, t) in enumerate(zip(asset.nodes, names, trs)):
            own = names[owners[index]]
            ids = []
            for i in range(1, len(nn.lod_meshes)) if index not in batched else ():
                mesh = self._mesh(node.lods[i], own.lod_meshes[i], node.material, True)
                ids.append(self._node(nn.lod_meshes[i], t, mesh, {"lod": i, "lod_of": nn.node}))
            if ids:
                doc.nodes[index].extensions = {"MSFT_lod": {"ids": ids}}
                used.add("MSFT_lod")
            colliders = []
            for shape, col_name, own_name in zip(node.collision, nn.gltf_collision, own.gltf_collision):
                if col_name is not None:  # None: an empty shape, not written
                    colliders.append(self._collider(shape, col_name, own_name or col_name, t, nn.node))
            if preset.colliders_in_scene and colliders:  # children: the object's frame, import hints apply
                for c in colliders:
                    for key in ("translation", "rotation", "scale"):
                        setattr(doc.nodes[c], key, None)
                doc.nodes[index].children = colliders
        scene += self._navigation()
        doc.scene = 0
        doc.scenes = [gl.Scene(name=asset.name, nodes=scene)]
        doc.extensionsUsed = sorted(used)
        doc.asset = gl.Asset(version="2.0", generator=asset.generator, extras=jsonable(asset.extras, "asset extras"))
        self.blob += b"\0" * (-len(self.blob) % 4)
        if self.blob:
            doc.buffers = [gl.Buffer(byteLength=len(self.blob))]
        return _glb_container(doc.gltf_to_json(separators=(",", ":"), indent=None).encode("utf-8"), bytes(self.blob))

    def _collider(self, shape: CollisionShape, name: str, mesh_name: str, trs: dict, of: str) -> int:
        mesh = self._mesh(shape.mesh, mesh_name, None, False)
        return self._node(name, trs, mesh, {"collision": shape.kind, "collision_of": of})


def _glb_container(json_chunk: bytes, bin_chunk: bytes) -> bytes:
    """Return a GLB: 12-byte header, JSON chunk padded with spaces, BIN chunk (if any) padded with zeros.

    Assembled here rather than by ``GLTF2.save_to_bytes``, which always writes a BIN
    chunk and a buffer, and an empty one is a validator error (an Asset with no triangles).
    """
    json_chunk += b" " * (-len(json_chunk) % 4)
    chunks = struct.pack("<I4s", len(json_chunk), b"JSON") + json_chunk
    if bin_chunk:
        bin_chunk += b"\0" * (-len(bin_chunk) % 4)
        chunks += struct.pack("<I4s", len(bin_chunk), b"BIN\0") + bin_chunk
    return struct.pack("<4sII", b"glTF", 2, 12 + len(chunks)) + chunks


def _has_tangent_space(mesh: MeshData) -> bool:
    return mesh.normals is not None and mesh.tangents is not None
