"""The Asset as an FBX 7.4 object graph: header, settings, definitions, objects, connections.

Hierarchy per Asset node (names from ``Preset.scene_names``):

* one LOD: a ``Mesh`` model ``<object>``;
* several: a ``LodGroup`` model ``<object>`` (with its LodGroup node attribute,
  thresholds = ``lod_screen_sizes`` in percent) whose children are the ``Mesh``
  models ``<object>_LOD0..n`` with identity transforms;
* colliders: ``Mesh`` models without material at the root beside their object,
  with the object's transform (the same world placement as the render mesh).
  Not under it: every child of an FBX LODGroup is a LOD level to Unreal and to
  ufbx, so a collider there would become an extra level. Unity's import script
  reparents them under their object (user property ``hyworld_collision_of``);
* an empty LOD0: a ``Null`` model, so the name and transform survive.

Object ids are the first 8 bytes of sha256("<class>:<name>"), so the same Asset
gives the same ids (and bytes) in every process.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np

from exporters.asset import Asset, CollisionShape, MeshData, Node
from exporters.fbx.binary import CREATION_TIME, FILE_ID, VERSION
from exporters.fbx.document import (
    FbxNode,
    ObjName,
    p_bool,
    p_color,
    p_color_rgb,
    p_compound,
    p_double,
    p_enum,
    p_int,
    p_lcl,
    p_number,
    p_object,
    p_string,
    p_time,
    p_user,
    p_vector,
    properties70,
)
from exporters.fbx.geometry import UV_SET_NAMES, Frame, geometry_record
from exporters.fbx.templates import TEMPLATES as _TEMPLATES
from exporters.presets import NodeNames, Preset

ORM_PROPERTY = "OcclusionRoughnessMetallic"  # no FBX slot agrees on PBR; import scripts wire this one
_TEXTURE_SLOTS = {"baseColor": "DiffuseColor", "normal": "NormalMap", "emissive": "EmissiveColor", "orm": ORM_PROPERTY}
_KTIME_SECOND = 46186158000


class SceneBuilder:
    """Collects FBX objects and connections for one Asset; ``build()`` returns the top-level records."""

    def __init__(self, asset: Asset, preset: Preset, binary: bool = True) -> None:
        self.asset, self.preset, self.binary = asset, preset, binary
        self.frame = Frame(preset.axes.matrix(), 100.0 / preset.unit_scale_cm)
        self.objects = FbxNode("Objects")
        self.connections = FbxNode("Connections")
        self.counts: dict[str, int] = {}
        self.ids: set[int] = set()
        self.geometries: dict[tuple[int, bool, bool], int] = {}
        self.merged: dict[tuple[int, ...], MeshData] = {}

    # ---- ids, objects, connections -------------------------------------------------------
    def _id(self, cls: str, name: str) -> int:
        digest = hashlib.sha256(f"{cls}:{name}".encode()).digest()
        oid = int.from_bytes(digest[:8], "little") & (2**62 - 1) | 2**40  # positive, never 0
        if oid in self.ids:
            raise ValueError(f"FBX object {cls} {name!r} is not unique")
        self.ids.add(oid)
        return oid

    def _object(self, record: str, name: str, cls: str, subclass: str) -> tuple[int, FbxNode]:
        oid = self._id(record, name)
        node = FbxNode(record, [np.int64(oid), ObjName(name, cls), subclass])
        self.objects.children.append(node)
        self.counts[record] = self.counts.get(record, 0) + 1
        return oid, node

    def _connect(self, child: int, parent: int, prop: str | None = None) -> None:
        if prop is None:
            self.connections.add("C", "OO", np.int64(child), np.int64(parent))
        else:
            self.connections.add("C", "OP", np.int64(child), np.int64(parent), prop)

    # ---- the document ----------------------------------------------------------------------
    def build(self) -> list[FbxNode]:
        """Return the file's top-level records, in the order FBX files list them."""
        materials = self._materials()
        for node, names in zip(self.asset.nodes, self.preset.scene_names(self.asset)):
            self._node(node, names, materials)
        for point in self.asset.spawn_points:  # empty nodes; the navmesh itself is in the GLB and manifest
            fake = Node(point.name, "spawn_point", [], translation=point.position)
            oid = self._model(point.name, "Null", 0, self.frame.transform(fake), {"spawn_point": True})
            self._attribute(oid, point.name, "Null")
        top = [self._header()]
        if self.binary:  # the SDK writes these only in binary files
            top += [FbxNode("FileId", [FILE_ID]), FbxNode("CreationTime", [CREATION_TIME])]
        top.append(FbxNode("Creator", [self._creator()]))
        top += [self._global_settings(), self._documents(), FbxNode("References"), self._definitions()]
        takes = FbxNode("Takes")
        takes.add("Current", "")
        return top + [self.objects, self.connections, takes]

    def _creator(self) -> str:
        return f"{self.asset.generator} FBX writer (preset {self.preset.name})"

    def _header(self) -> FbxNode:
        h = FbxNode("FBXHeaderExtension")
        h.add("FBXHeaderVersion", 1003)
        h.add("FBXVersion", VERSION)
        h.add("EncryptionType", 0)
        stamp = h.add("CreationTimeStamp")
        for key, value in (
            ("Version", 1000),
            ("Year", 1970),
            ("Month", 1),
            ("Day", 1),
            ("Hour", 10),
            ("Minute", 0),
            ("Second", 0),
            ("Millisecond", 0),
        ):
            stamp.add(key, value)
        h.add("Creator", self._creator())
        info = h.add("SceneInfo", ObjName("GlobalInfo", "SceneInfo"), "UserData")
        info.add("Type", "UserData")
        info.add("Version", 100)
        meta = info.add("MetaData")
        meta.add("Version", 100)
        for key in ("Title", "Subject", "Author", "Keywords", "Revision"):
            meta.add(key, self.asset.name if key == "Title" else "")
        meta.add("Comment", json.dumps(_jsonable(self.asset.extras), sort_keys=True))
        app = self.asset.generator
        properties70(
            info,
            [
                p_compound("Original"),
                p_string("Original|ApplicationVendor", app),
                p_string("Original|ApplicationName", app),
                p_string("Original|ApplicationVersion", ""),
                ("Original|DateTime_GMT", "DateTime", "", "", "01/01/1970 00:00:00.000"),
                p_compound("LastSaved"),
                p_string("LastSaved|ApplicationVendor", app),
                p_string("LastSaved|ApplicationName", app),
                p_string("LastSaved|ApplicationVersion", ""),
                ("LastSaved|DateTime_GMT", "DateTime", "", "", "01/01/1970 00:00:00.000"),
            ],
        )
        return h

    def _global_settings(self) -> FbxNode:
        axes = self.preset.axes
        g = FbxNode("GlobalSettings")
        g.add("Version", 1000)
        properties70(
            g,
            [
                p_int("UpAxis", axes.up[0]),
                p_int("UpAxisSign", axes.up[1]),
                p_int("FrontAxis", axes.front[0]),
                p_int("FrontAxisSign", axes.front[1]),
                p_int("CoordAxis", axes.coord[0]),
                p_int("CoordAxisSign", axes.coord[1]),
                p_int("OriginalUpAxis", axes.up[0]),
                p_int("OriginalUpAxisSign", axes.up[1]),
                p_double("UnitScaleFactor", self.preset.unit_scale_cm),
                p_double("OriginalUnitScaleFactor", self.preset.unit_scale_cm),
                p_color_rgb("AmbientColor", (0.0, 0.0, 0.0)),
                p_string("DefaultCamera", "Producer Perspective"),
                p_enum("TimeMode", 11),
                p_enum("TimeProtocol", 2),
                p_enum("SnapOnFrameMode", 0),
                p_time("TimeSpanStart", 0),
                p_time("TimeSpanStop", _KTIME_SECOND),
                p_double("CustomFrameRate", -1.0),
                p_compound("TimeMarker"),
                p_int("CurrentTimeMarker", -1),
            ],
        )
        return g

    def _documents(self) -> FbxNode:
        docs = FbxNode("Documents")
        docs.add("Count", 1)
        doc = docs.add("Document", np.int64(self._id("Document", "Scene")), "", "Scene")
        properties70(doc, [p_object("SourceObject"), p_string("ActiveAnimStackName", "")])
        doc.add("RootNode", np.int64(0))
        return docs

    def _definitions(self) -> FbxNode:
        d = FbxNode("Definitions")
        d.add("Version", 100)
        kinds = ["GlobalSettings"] + [k for k in _TEMPLATES if self.counts.get(k)]
        d.add("Count", 1 + sum(self.counts.get(k, 0) for k in kinds[1:]))
        gs = d.add("ObjectType", "GlobalSettings")
        gs.add("Count", 1)
        for kind in kinds[1:]:
            t = d.add("ObjectType", kind)
            t.add("Count", self.counts[kind])
            template_name, entries = _TEMPLATES[kind]
            properties70(t.add("PropertyTemplate", template_name), entries)
        return d

    # ---- materials and textures ------------------------------------------------------------
    def _materials(self) -> list[int]:
        texture_ids: dict[int, int] = {}
        out = []
        for mat, name in zip(self.asset.materials, self.preset.material_names(self.asset)):
            mid, node = self._object("Material", name, "Material", "")
            node.add("Version", 102)
            node.add("ShadingModel", "lambert")
            node.add("MultiLayer", 0)
            r, g, b, a = (float(x) for x in mat.base_color_factor)
            properties70(
                node,
                [
                    p_string("ShadingModel", "Lambert"),
                    p_color("DiffuseColor", (r, g, b)),
                    p_number("DiffuseFactor", 1.0),
                    p_color("EmissiveColor", (0.0, 0.0, 0.0)),
                    p_color("TransparentColor", (1.0, 1.0, 1.0)),
                    p_number("TransparencyFactor", 1.0 - a),
                    ("NormalMap", "Vector3D", "Vector", "", 0.0, 0.0, 0.0),
                    p_number("BumpFactor", float(mat.normal_scale)),
                    p_color(ORM_PROPERTY, (1.0, 1.0, 1.0)),
                    p_user("hyworld_metallic_factor", float(mat.metallic_factor)),
                    p_user("hyworld_roughness_factor", float(mat.roughness_factor)),
                    p_user("hyworld_occlusion_from_orm", bool(mat.occlusion_from_orm)),
                    p_user("hyworld_double_sided", bool(mat.double_sided)),
                    p_vector("Diffuse", (r, g, b)),
                    p_double("Opacity", a),
                ],
            )
            for index, role in (
                (mat.base_color_texture, "baseColor"),
                (mat.normal_texture, "normal"),
                (mat.orm_texture, "orm"),
            ):
                if index is None:
                    continue
                if index not in texture_ids:
                    texture_ids[index] = self._texture(index)
                self._connect(texture_ids[index], mid, _TEXTURE_SLOTS[role])
            out.append(mid)
        return out

    def _texture(self, index: int) -> int:
        tex = self.asset.textures[index]
        name = self.preset.texture_names(self.asset)[index]
        filename = f"{name}.png"
        tid, t = self._object("Texture", name, "Texture", "")
        t.add("Type", "TextureVideoClip")
        t.add("Version", 202)
        t.add("TextureName", ObjName(name, "Texture"))
        # baked atlases: clamp, as the GLB sampler does (FBX wrap mode 1 = clamp)
        properties70(
            t,
            [
                p_bool("UseMaterial", True),
                p_string("UVSet", UV_SET_NAMES[0]),
                p_enum("WrapModeU", 1),
                p_enum("WrapModeV", 1),
            ],
        )
        t.add("Media", ObjName(name, "Video"))
        t.add("FileName", filename)
        t.add("RelativeFilename", filename)
        t.add("ModelUVTranslation", 0.0, 0.0)
        t.add("ModelUVScaling", 1.0, 1.0)
        t.add("Texture_Alpha_Source", "None")
        t.add("Cropping", 0, 0, 0, 0)
        vid, v = self._object("Video", name, "Video", "Clip")
        v.add("Type", "Clip")
        properties70(v, [p_string("Path", filename, "XRefUrl"), p_string("RelPath", filename, "XRefUrl")])
        v.add("UseMipMap", 0)
        v.add("Filename", filename)
        v.add("RelativeFilename", filename)
        v.add("Content", bytes(tex.png))
        self._connect(vid, tid)
        return tid

    # ---- nodes -----------------------------------------------------------------------------
    def _model(self, name: str, kind: str, parent: int, trs=None, extras: dict | None = None) -> int:
        oid, m = self._object("Model", name, "Model", kind)
        m.add("Version", 232)
        t, r, s = trs if trs is not None else ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0), (1.0, 1.0, 1.0))
        entries = [
            p_bool("RotationActive", True),
            p_enum("InheritType", 1),
            p_int("DefaultAttributeIndex", 0),
            p_lcl("Lcl Translation", t),
            p_lcl("Lcl Rotation", r),
            p_lcl("Lcl Scaling", s),
        ]
        entries += [p_user(f"hyworld_{k}", v) for k, v in sorted((extras or {}).items())]
        properties70(m, entries)
        m.add("Shading", True)
        m.add("Culling", "CullingOff")
        self._connect(oid, parent)
        return oid

    def _mesh_model(
        self,
        name: str,
        mesh: MeshData,
        parent: int,
        trs,
        material: int | None,
        render: bool,
        extras: dict | None = None,
    ) -> int:
        oid = self._model(name, "Mesh", parent, trs, extras)
        key = (id(mesh), render, material is not None)
        gid = self.geometries.get(key)
        if gid is None:  # a copy (instance) connects its variant's Geometry: one Geometry, many Models
            gid = self.geometries[key] = self._id("Geometry", name)
            geo = geometry_record(gid, name, mesh, self.frame, render=render, material=material is not None)
            self.objects.children.append(geo)
            self.counts["Geometry"] = self.counts.get("Geometry", 0) + 1
        self._connect(gid, oid)
        if material is not None:
            self._connect(material, oid)
        return oid

    def _node(self, node: Node, names: NodeNames, materials: list[int]) -> None:
        trs = self.frame.transform(node)
        material = materials[node.material] if node.material is not None else None
        extras = {"kind": node.kind, **{k: v for k, v in node.extras.items() if _is_scalar(v)}}
        levels = len(names.lod_meshes)
        if levels == 0:
            oid = self._model(names.node, "Null", 0, trs, extras)
            self._attribute(oid, names.node, "Null")
        elif levels == 1:
            oid = self._mesh_model(names.node, node.lods[0], 0, trs, material, True, extras)
        else:
            oid = self._model(names.node, "LodGroup", 0, trs, extras)
            self._lod_attribute(oid, names.node, node, levels)
            for i, lod_name in enumerate(names.lod_meshes):
                self._mesh_model(lod_name, node.lods[i], oid, None, material, True)
        self._colliders(node, names, trs)

    def _colliders(self, node: Node, names: NodeNames, trs) -> None:
        merged: dict[str, list[CollisionShape]] = {}
        for shape, name in zip(node.collision, names.collision):
            if name is not None:
                merged.setdefault(name, []).append(shape)
        for name, shapes in merged.items():
            key = tuple(id(s.mesh) for s in shapes)  # copies share the merged mesh too
            if key not in self.merged:
                self.merged[key] = shapes[0].mesh if len(shapes) == 1 else _concatenate([s.mesh for s in shapes])
            mesh = self.merged[key]
            kinds = sorted({s.kind for s in shapes})
            self._mesh_model(
                name, mesh, 0, trs, None, False, {"collision": "+".join(kinds), "collision_of": names.node}
            )

    def _attribute(self, model: int, name: str, kind: str) -> FbxNode:
        aid, attr = self._object("NodeAttribute", name, "NodeAttribute", kind)
        self._connect(aid, model)
        return attr

    def _lod_attribute(self, model: int, name: str, node: Node, levels: int) -> None:
        attr = self._attribute(model, name, "LodGroup")
        entries = [
            p_bool("MinMaxDistance", False),
            p_bool("WorldSpace", False),
            p_bool("ThresholdsUsedAsPercentage", True),
            p_compound("Thresholds"),
        ]
        sizes = node.lod_screen_sizes if len(node.lod_screen_sizes) == len(node.lods) else []
        for i in range(min(levels - 1, len(sizes))):  # threshold i: switch from level i to i+1
            entries.append((f"Thresholds|Level{i}", "Distance", "", "", float(sizes[i]) * 100.0, "cm"))
        entries.append(p_compound("DisplayLevels"))
        entries += [p_enum(f"DisplayLevels|Level{i}", 0) for i in range(levels)]
        properties70(attr, entries)
        attr.add("TypeFlags", "LodGroup")


def _concatenate(meshes: list[MeshData]) -> MeshData:
    offsets = np.cumsum([0] + [m.vertex_count for m in meshes[:-1]])
    return MeshData(
        positions=np.concatenate([m.positions for m in meshes]),
        indices=np.concatenate([m.indices + np.uint32(o) for m, o in zip(meshes, offsets)]),
    )


def _is_scalar(value) -> bool:
    return isinstance(value, (bool, int, float, str))


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value if value is None or isinstance(value, (bool, int, float, str)) else str(value)
