"""Read a GLB (or .gltf) into the world-space LOD0 triangles and PBR materials the preview draws.

Only what is reachable from the default scene is read, with every node's
transform (matrix or TRS, through the hierarchy, EXT_mesh_gpu_instancing too).
Levels of detail below LOD0 and collision meshes are skipped even when a file
puts them in the scene: nodes listed by another node's ``MSFT_lod``, with
``extras.lod`` > 0 or a ``_LOD<n>`` (n > 0) name suffix, and nodes named
``UCX_``/``UBX_``/``USP_``/``UCP_`` or with ``extras.collision`` (and their
subtrees). The container is parsed here with ``json`` and numpy: a reader needs
no glTF library, and every malformed field gets an InputError that names it.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from exporters.errors import InputError
from exporters.files import read_input
from pipelines.inspect.gltf_container import REPEAT, GltfContainer

_COLLISION_PREFIXES = ("UCX_", "UBX_", "USP_", "UCP_")
_LOD_SUFFIX = re.compile(r"_LOD([1-9][0-9]*)$", re.IGNORECASE)


@dataclass(frozen=True)
class TextureRef:
    """One texture binding: which image, which UV set, wrap modes, and a KHR_texture_transform."""

    image: int
    texcoord: int = 0  # 0 or 1
    wrap_s: int = REPEAT
    wrap_t: int = REPEAT
    uv_transform: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)  # rows of a 2x3 affine on uv


@dataclass
class PreviewMaterial:
    """glTF metallic-roughness material, factors and texture bindings (defaults are glTF's)."""

    base_color_factor: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)
    base_color_texture: TextureRef | None = None
    metallic_factor: float = 1.0
    roughness_factor: float = 1.0
    metallic_roughness_texture: TextureRef | None = None
    occlusion_texture: TextureRef | None = None
    occlusion_strength: float = 1.0
    normal_texture: TextureRef | None = None
    normal_scale: float = 1.0
    emissive_factor: tuple[float, float, float] = (0.0, 0.0, 0.0)
    emissive_texture: TextureRef | None = None
    double_sided: bool = False
    unlit: bool = False


@dataclass
class SceneGeometry:
    """Every drawn triangle of a scene in world meters, merged into one vertex/face set.

    ``tangents[:, 3] == 0`` marks vertices without a tangent (no normal mapping there).
    ``materials[-1]`` is glTF's default material, used by primitives without one.
    """

    positions: np.ndarray  # [V, 3] float32 world
    normals: np.ndarray  # [V, 3] float32 unit
    tangents: np.ndarray  # [V, 4] float32
    uv: np.ndarray  # [2, V, 2] float32: TEXCOORD_0, TEXCOORD_1 (zeros where absent)
    colors: np.ndarray  # [V, 4] float32 linear, COLOR_0 or ones
    faces: np.ndarray  # [F, 3] int64, counter-clockwise front faces
    face_material: np.ndarray  # [F] int64 into materials
    materials: list[PreviewMaterial]
    images: list[np.ndarray | None] = field(default_factory=list)  # uint8 [H, W, 4]; None = unused
    face_node: np.ndarray | None = None  # [F] int64: the glTF node each face was drawn by
    node_names: dict[int, str] = field(default_factory=dict)  # node index -> its name (or node_<i>)


def read_scene(path: Path) -> SceneGeometry:
    """Return the LOD0, non-collision triangles of ``path``'s default scene; InputError if unreadable."""
    path = Path(path)
    data = read_input(path)
    try:
        return _Reader(path, data).scene()
    except InputError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, OverflowError, struct.error) as exc:
        raise InputError(f"{path}: not a valid glTF/GLB file ({type(exc).__name__}: {exc})") from exc


class _Reader(GltfContainer):
    """Reads the materials and the drawn scene of a glTF document."""

    # -- materials --------------------------------------------------------------------------
    def _texture_ref(self, info: dict | None) -> TextureRef | None:
        if not info:
            return None
        tex = self.doc["textures"][info["index"]]
        if tex.get("source") is None:
            return None  # only an extension image (KTX2, WebP): drawn untextured
        sampler = self.doc["samplers"][tex["sampler"]] if "sampler" in tex else {}
        texcoord = info.get("texCoord", 0)
        affine = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
        transform = info.get("extensions", {}).get("KHR_texture_transform")
        if transform:
            texcoord = transform.get("texCoord", texcoord)
            (ox, oy), (sx, sy) = transform.get("offset", (0, 0)), transform.get("scale", (1, 1))
            c, s = np.cos(transform.get("rotation", 0.0)), np.sin(transform.get("rotation", 0.0))
            affine = (c * sx, -s * sy, ox, s * sx, c * sy, oy)  # T * R * S, the extension's GLSL as rows
        return TextureRef(
            image=tex["source"],
            texcoord=min(int(texcoord), 1),
            wrap_s=sampler.get("wrapS", REPEAT),
            wrap_t=sampler.get("wrapT", REPEAT),
            uv_transform=tuple(float(v) for v in affine),
        )

    def material(self, index: int) -> PreviewMaterial:
        spec = self.doc["materials"][index]
        pbr = spec.get("pbrMetallicRoughness", {})
        ext = spec.get("extensions", {})
        gloss = ext.get("KHR_materials_pbrSpecularGlossiness")
        if gloss is not None:  # read as metallic-roughness: diffuse is the base colour, roughness = 1 - glossiness
            pbr = {
                "baseColorFactor": gloss.get("diffuseFactor", (1, 1, 1, 1)),
                "baseColorTexture": gloss.get("diffuseTexture"),
                "metallicFactor": 0.0,
                "roughnessFactor": 1.0 - float(gloss.get("glossinessFactor", 1.0)),
            }
        occlusion, normal = spec.get("occlusionTexture"), spec.get("normalTexture")
        strength = ext.get("KHR_materials_emissive_strength", {}).get("emissiveStrength", 1.0)
        return PreviewMaterial(
            base_color_factor=tuple(float(v) for v in pbr.get("baseColorFactor", (1, 1, 1, 1))),
            base_color_texture=self._texture_ref(pbr.get("baseColorTexture")),
            metallic_factor=float(pbr.get("metallicFactor", 1.0)),
            roughness_factor=float(pbr.get("roughnessFactor", 1.0)),
            metallic_roughness_texture=self._texture_ref(pbr.get("metallicRoughnessTexture")),
            occlusion_texture=self._texture_ref(occlusion),
            occlusion_strength=float((occlusion or {}).get("strength", 1.0)),
            normal_texture=self._texture_ref(normal),
            normal_scale=float((normal or {}).get("scale", 1.0)),
            emissive_factor=tuple(float(v) * strength for v in spec.get("emissiveFactor", (0, 0, 0))),
            emissive_texture=self._texture_ref(spec.get("emissiveTexture")),
            double_sided=bool(spec.get("doubleSided", False)),
            unlit="KHR_materials_unlit" in ext,
        )

    # -- scene ------------------------------------------------------------------------------
    def _drawn_nodes(self) -> list[tuple[int, np.ndarray]]:
        """Return (node index, world matrix float64 [4, 4]) of every drawn node with a mesh."""
        doc, nodes = self.doc, self.doc.get("nodes", [])
        scenes = doc.get("scenes", [])
        if scenes:
            roots = scenes[doc.get("scene", 0)].get("nodes", [])
        else:  # no scene: every node that is nobody's child is a root
            children = {c for n in nodes for c in n.get("children", [])}
            roots = [i for i in range(len(nodes)) if i not in children]
        lower_lods = {i for n in nodes for i in n.get("extensions", {}).get("MSFT_lod", {}).get("ids", [])}
        out, seen = [], set()
        stack = [(r, np.eye(4)) for r in reversed(roots)]
        while stack:
            index, parent = stack.pop()
            if index in seen:
                raise InputError(
                    f"{self.path}: node {index} appears twice in the scene graph (a cycle or shared child)"
                )
            seen.add(index)
            node = nodes[index]
            if index in lower_lods or _is_collision(node) or _is_lower_lod(node):
                continue
            world = parent @ _local_matrix(node)
            if "mesh" in node:
                out.append((index, world))
            stack.extend((c, world) for c in reversed(node.get("children", [])))
        return out

    def _instances(self, node: dict, world: np.ndarray) -> np.ndarray:
        ext = node.get("extensions", {}).get("EXT_mesh_gpu_instancing")
        if not ext:
            return world[None]
        attrs = ext.get("attributes", {})
        arrays = {k: self.accessor(v) for k, v in attrs.items() if k in ("TRANSLATION", "ROTATION", "SCALE")}
        if not arrays:
            return world[None]
        count = len(next(iter(arrays.values())))
        t = arrays.get("TRANSLATION", np.zeros((count, 3)))
        r = arrays.get("ROTATION", np.tile([0.0, 0.0, 0.0, 1.0], (count, 1)))
        s = arrays.get("SCALE", np.ones((count, 3)))
        local = np.stack([_trs_matrix(t[i], r[i], s[i]) for i in range(count)])
        return world[None] @ local

    def scene(self) -> SceneGeometry:
        materials = [self.material(i) for i in range(len(self.doc.get("materials", [])))]
        default_material = len(materials)
        materials.append(PreviewMaterial())
        parts: list[dict[str, np.ndarray]] = []
        for node_index, world in self._drawn_nodes():
            node = self.doc["nodes"][node_index]
            mats = self._instances(node, world)
            for prim in self.doc["meshes"][node["mesh"]]["primitives"]:
                local = self._primitive(prim)
                if local is None:
                    continue
                local["material"] = np.full(len(local["faces"]), prim.get("material", default_material), np.int64)
                local["node"] = np.full(len(local["faces"]), node_index, np.int64)
                parts.extend(_transform(local, m) for m in mats)
        bad = sorted({int(m) for p in parts for m in np.unique(p["material"]) if not 0 <= m < len(materials)})
        if bad:
            raise InputError(f"{self.path}: primitives use material(s) {bad} but the file defines {default_material}")
        if not parts:
            raise InputError(f"{self.path}: the default scene has no triangles to draw (LOD0, non-collision)")
        if not all(np.isfinite(p["positions"]).all() for p in parts):
            raise InputError(f"{self.path}: vertex positions (after node transforms) are not all finite numbers")
        offsets = np.cumsum([0] + [len(p["positions"]) for p in parts[:-1]])
        used = {r.image for m in materials for r in _refs(m)}
        images = [self.image(i) if i in used else None for i in range(len(self.doc.get("images", [])))]
        return SceneGeometry(
            positions=np.concatenate([p["positions"] for p in parts]).astype(np.float32),
            normals=np.concatenate([p["normals"] for p in parts]).astype(np.float32),
            tangents=np.concatenate([p["tangents"] for p in parts]).astype(np.float32),
            uv=np.concatenate([p["uv"] for p in parts], axis=1).astype(np.float32),
            colors=np.concatenate([p["colors"] for p in parts]).astype(np.float32),
            faces=np.concatenate([p["faces"] + o for p, o in zip(parts, offsets)]),
            face_material=np.concatenate([p["material"] for p in parts]),
            materials=materials,
            images=images,
            face_node=np.concatenate([p["node"] for p in parts]),
            node_names={i: str(self.doc["nodes"][i].get("name") or f"node_{i}") for i, _ in self._drawn_nodes()},
        )

    def _primitive(self, prim: dict) -> dict[str, np.ndarray] | None:
        attrs, mode = prim["attributes"], prim.get("mode", 4)
        if mode not in (4, 5, 6) or "POSITION" not in attrs:
            return None  # points and lines are not drawn
        positions = self.accessor(attrs["POSITION"])[:, :3].astype(np.float64)
        v = len(positions)
        idx = self.accessor(prim["indices"])[:, 0].astype(np.int64) if "indices" in prim else np.arange(v)
        if mode == 4:
            faces = idx[: len(idx) // 3 * 3].reshape(-1, 3)
        elif mode == 5:  # strip: every other triangle swaps to keep the winding
            k = np.arange(max(len(idx) - 2, 0))
            faces = np.stack([idx[k + (k % 2)], idx[k + 1 - (k % 2)], idx[k + 2]], axis=1)
        else:  # fan around the first index
            k = np.arange(1, max(len(idx) - 1, 1))
            faces = (
                np.stack([np.full(len(k), idx[0]), idx[k], idx[k + 1]], axis=1)
                if len(idx) >= 3
                else np.zeros((0, 3), np.int64)
            )
        if faces.size and (faces.min() < 0 or faces.max() >= v):
            raise InputError(f"{self.path}: a primitive's indices point past its {v} vertices")
        out = {"positions": positions, "faces": faces}
        sets = [attrs.get(f"TEXCOORD_{i}") for i in (0, 1)]
        out["uv"] = np.stack([self.accessor(a)[:, :2] if a is not None else np.zeros((v, 2)) for a in sets])
        colors = np.ones((v, 4))
        if "COLOR_0" in attrs:
            c = self.accessor(attrs["COLOR_0"])
            colors[:, : c.shape[1]] = c
        out["colors"] = colors
        out["tangents"] = self.accessor(attrs["TANGENT"]).astype(np.float64) if "TANGENT" in attrs else np.zeros((v, 4))
        if "NORMAL" in attrs:
            out["normals"] = self.accessor(attrs["NORMAL"]).astype(np.float64)
        else:  # glTF: no normals means flat shading, so every face gets its own three vertices
            corners = faces.reshape(-1)
            out = {k: (a[:, corners] if k == "uv" else a[corners]) for k, a in out.items() if k != "faces"}
            p = out["positions"].reshape(-1, 3, 3)
            n = np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0])
            out["normals"] = np.repeat(n, 3, axis=0)
            out["tangents"] = np.zeros((len(out["positions"]), 4))
            out["faces"] = np.arange(len(out["positions"])).reshape(-1, 3)
        return out


def _refs(m: PreviewMaterial) -> list[TextureRef]:
    slots = (
        m.base_color_texture,
        m.metallic_roughness_texture,
        m.occlusion_texture,
        m.normal_texture,
        m.emissive_texture,
    )
    return [r for r in slots if r is not None]


def _is_collision(node: dict) -> bool:
    extras = node.get("extras")
    flagged = isinstance(extras, dict) and "collision" in extras
    return flagged or str(node.get("name", "")).startswith(_COLLISION_PREFIXES)


def _is_lower_lod(node: dict) -> bool:
    extras = node.get("extras")
    if isinstance(extras, dict) and isinstance(extras.get("lod"), (int, float)) and extras["lod"] > 0:
        return True
    return bool(_LOD_SUFFIX.search(str(node.get("name", ""))))


def _trs_matrix(t, r, s) -> np.ndarray:
    x, y, z, w = (float(v) for v in r)
    norm = np.sqrt(x * x + y * y + z * z + w * w) or 1.0
    x, y, z, w = x / norm, y / norm, z / norm, w / norm
    rot = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )
    m = np.eye(4)
    m[:3, :3] = rot * np.asarray(s, dtype=np.float64)[None, :]
    m[:3, 3] = t
    return m


def _local_matrix(node: dict) -> np.ndarray:
    if "matrix" in node:
        return np.asarray(node["matrix"], dtype=np.float64).reshape(4, 4).T  # glTF is column-major
    return _trs_matrix(
        node.get("translation", (0, 0, 0)), node.get("rotation", (0, 0, 0, 1)), node.get("scale", (1, 1, 1))
    )


def _transform(local: dict[str, np.ndarray], m: np.ndarray) -> dict[str, np.ndarray]:
    """Return ``local`` moved to world by ``m``; a mirroring matrix flips winding and tangent sign."""
    lin = m[:3, :3]
    det = np.linalg.det(lin)
    normal_matrix = np.linalg.inv(lin).T if abs(det) > 1e-20 else lin
    n = local["normals"] @ normal_matrix.T
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    t = local["tangents"].copy()
    t[:, :3] = t[:, :3] @ lin.T
    t[:, :3] /= np.maximum(np.linalg.norm(t[:, :3], axis=1, keepdims=True), 1e-12)
    faces = local["faces"]
    if det < 0:
        faces = faces[:, [0, 2, 1]]
        t[:, 3] = -t[:, 3]
    return {
        "positions": local["positions"] @ lin.T + m[:3, 3],
        "normals": n,
        "tangents": t,
        "uv": local["uv"],
        "colors": local["colors"],
        "faces": faces,
        "material": local["material"],
        "node": local["node"],
    }
