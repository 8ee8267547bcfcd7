"""The Asset document: the engine-neutral scene that every exporter writes.

Conventions (glTF's, so the glTF writer is a plain copy and every other writer
converts from one known frame):

* right-handed, +Y up, meters; an object's front faces +Z;
* counter-clockwise triangles are front faces;
* each node's meshes are in the node's local frame with the origin at the centre
  of the object's base (its pivot); the node's translation/rotation place it;
* ``uv0``/``uv1`` use glTF's convention: (0, 0) is the image's top-left corner;
* base-color textures are sRGB, every other texture is linear;
* the ORM texture packs occlusion in R, roughness in G, metallic in B.

Arrays are numpy at rest; an Asset holds no torch tensors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

TextureRole = Literal["baseColor", "orm", "normal", "emissive"]
CollisionKind = Literal["convex", "box", "trimesh"]


@dataclass
class MeshData:
    """One triangle mesh in a node's local frame (meters, +Y up, CCW front faces)."""

    positions: np.ndarray  # [V, 3] float32
    indices: np.ndarray  # [F, 3] uint32
    normals: np.ndarray | None = None  # [V, 3] float32, unit length
    uv0: np.ndarray | None = None  # [V, 2] float32, texture atlas
    uv1: np.ndarray | None = None  # [V, 2] float32, lightmap: inside [0,1], no overlaps
    tangents: np.ndarray | None = None  # [V, 4] float32, MikkTSpace, w = ±1
    colors: np.ndarray | None = None  # [V, 4] float32 linear RGBA

    def __post_init__(self) -> None:
        self.positions = np.ascontiguousarray(self.positions, dtype=np.float32)
        self.indices = np.ascontiguousarray(self.indices, dtype=np.uint32)
        for name in ("normals", "uv0", "uv1", "tangents", "colors"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, np.ascontiguousarray(value, dtype=np.float32))
        self.validate()

    @property
    def vertex_count(self) -> int:
        return int(self.positions.shape[0])

    @property
    def triangle_count(self) -> int:
        return int(self.indices.shape[0])

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(min[3], max[3])`` of the positions, in the node's local meters."""
        if self.vertex_count == 0:
            zero = np.zeros(3, dtype=np.float32)
            return zero, zero
        return self.positions.min(axis=0), self.positions.max(axis=0)

    def validate(self) -> None:
        """Check shapes and index ranges; these are our invariants, not user errors."""
        v = self.vertex_count
        assert self.positions.ndim == 2 and self.positions.shape[1] == 3, self.positions.shape
        assert self.indices.ndim == 2 and self.indices.shape[1] == 3, self.indices.shape
        if self.indices.size:
            assert int(self.indices.max()) < v, "index out of range"
        widths = {"normals": 3, "uv0": 2, "uv1": 2, "tangents": 4, "colors": 4}
        for name, width in widths.items():
            value = getattr(self, name)
            if value is not None:
                assert value.shape == (v, width), (name, value.shape, v)


@dataclass
class Texture:
    """An encoded image (PNG bytes) and what it is for."""

    name: str  # unique within the asset, e.g. "house_01_baseColor"
    role: TextureRole
    png: bytes
    width: int
    height: int

    @property
    def srgb(self) -> bool:
        return self.role in ("baseColor", "emissive")


@dataclass
class Material:
    """A metallic-roughness PBR material; texture fields index ``Asset.textures``."""

    name: str
    base_color_factor: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)
    metallic_factor: float = 1.0
    roughness_factor: float = 1.0
    base_color_texture: int | None = None
    orm_texture: int | None = None  # R occlusion (if occlusion_from_orm), G roughness, B metallic
    occlusion_from_orm: bool = False
    normal_texture: int | None = None
    normal_scale: float = 1.0
    double_sided: bool = False


@dataclass
class CollisionShape:
    """A collision mesh in the node's local frame: convex hull, box or (terrain) trimesh."""

    kind: CollisionKind
    mesh: MeshData


@dataclass
class Node:
    """One object of the scene (``house_01``, ``terrain``) with its LOD chain and colliders.

    ``lods[0]`` is the full-detail mesh; each later level has at most half the
    triangles of the one before. ``lod_screen_sizes[i]`` is the screen-height
    fraction (0..1) below which the engine switches from level i to i+1; it has
    ``len(lods)`` entries, the last being the cull size.
    """

    name: str
    kind: str
    lods: list[MeshData]
    material: int | None = None
    translation: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rotation: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)  # quaternion x, y, z, w
    scale: tuple[float, float, float] = (1.0, 1.0, 1.0)
    lod_screen_sizes: list[float] = field(default_factory=list)
    collision: list[CollisionShape] = field(default_factory=list)
    extras: dict = field(default_factory=dict)

    @property
    def mesh(self) -> MeshData:
        return self.lods[0]


@dataclass
class NavMesh:
    """The walkable surface in world meters (+Y up, CCW seen from above) and how it was made.

    Writers name it ``NAV_<asset>`` with ``extras.navmesh`` (``info``: the agent,
    cell size, area, regions) and never draw it: outside the scene in a GLB, or
    with the engine's navmesh hint where the preset has one (Godot ``-navmesh``).
    """

    mesh: MeshData
    info: dict = field(default_factory=dict)


@dataclass
class SpawnPoint:
    """A place to start on the navmesh, in the open: an empty node ``SPAWN_NN`` at world ``position``."""

    name: str
    position: tuple[float, float, float]
    clearance_m: float = 0.0


@dataclass
class Asset:
    """The whole scene: nodes at the root, the materials and textures they use, and metadata."""

    name: str
    nodes: list[Node] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    textures: list[Texture] = field(default_factory=list)
    generator: str = "hyworld"
    extras: dict = field(default_factory=dict)  # seed, prompt hash, ... copied into file metadata
    navmesh: NavMesh | None = None
    spawn_points: list[SpawnPoint] = field(default_factory=list)

    def add_texture(self, texture: Texture) -> int:
        self.textures.append(texture)
        return len(self.textures) - 1

    def add_material(self, material: Material) -> int:
        self.materials.append(material)
        return len(self.materials) - 1

    def triangle_count(self, lod: int = 0) -> int:
        return sum(n.lods[min(lod, len(n.lods) - 1)].triangle_count for n in self.nodes)
