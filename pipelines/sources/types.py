"""What an input file holds once read: a triangle mesh with its materials, or points / Gaussian splats.

Everything is in the file's own frame and units (the frame step in
``pipelines.convert.frame`` turns it into meters, +Y up). Colours: textures and
``SourceMaterial.base_color_factor`` follow glTF (factor linear, texture sRGB);
``SourceMesh.colors`` are linear RGBA; point and splat colours are sRGB 0..1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from exporters.errors import InputError


@dataclass
class SourceTexture:
    """An RGBA uint8 image and how a material reads it: wrap (repeat or clamp) and a 2x3 uv transform."""

    pixels: np.ndarray  # [H, W, 4] uint8, rows top to bottom (glTF uv (0, 0) = top-left)
    repeat: bool = True
    uv_transform: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    texcoord: int = 0  # which of the mesh's uv sets


@dataclass
class SourceMaterial:
    """A metallic-roughness material (specular-glossiness inputs are converted on reading)."""

    name: str = "default"
    base_color_factor: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)  # linear
    base_color_texture: SourceTexture | None = None
    roughness: float = 1.0
    metallic: float = 0.0
    metallic_roughness_texture: SourceTexture | None = None  # G roughness, B metallic (linear)
    stated: bool = True  # False: the file said nothing about roughness/metallic (a default was used)


@dataclass
class SourceMesh:
    """Triangles of one input, merged; ``face_group`` says which node/object each face came from."""

    positions: np.ndarray  # [V, 3] float64
    faces: np.ndarray  # [F, 3] int64, counter-clockwise
    normals: np.ndarray | None = None  # [V, 3]
    uv: np.ndarray | None = None  # [S, V, 2] uv sets, glTF convention
    colors: np.ndarray | None = None  # [V, 4] linear RGBA
    face_material: np.ndarray | None = None  # [F] into materials
    materials: list[SourceMaterial] = field(default_factory=lambda: [SourceMaterial(stated=False, roughness=0.8)])
    face_group: np.ndarray | None = None  # [F] into group_names
    group_names: list[str] = field(default_factory=list)

    def check(self, path) -> None:
        """Raise InputError for what no later stage can use: no faces, bad indices, non-finite numbers."""
        if len(self.faces) == 0:
            raise InputError(f"{path}: the file has no faces")
        if not np.isfinite(self.positions).all():
            raise InputError(f"{path}: vertex coordinates include NaN or inf")
        if self.faces.min() < 0 or self.faces.max() >= len(self.positions):
            raise InputError(f"{path}: face indices out of range (the file has {len(self.positions)} vertices)")


@dataclass
class SourcePoints:
    """A point cloud, or 3D Gaussian splats when ``scales`` is set (the standard 3DGS PLY layout, decoded)."""

    positions: np.ndarray  # [N, 3] float64
    colors: np.ndarray  # [N, 3] sRGB 0..1
    normals: np.ndarray | None = None  # [N, 3]
    scales: np.ndarray | None = None  # [N, 3] standard deviations (exp of the file's log scales)
    rotations: np.ndarray | None = None  # [N, 4] unit quaternions w, x, y, z
    opacity: np.ndarray | None = None  # [N] 0..1 (sigmoid of the file's logit)

    @property
    def is_splats(self) -> bool:
        return self.scales is not None

    def check(self, path) -> None:
        if len(self.positions) == 0:
            raise InputError(f"{path}: the file has no points")
        arrays = [self.positions, self.colors] + [
            a for a in (self.scales, self.rotations, self.opacity) if a is not None
        ]
        if not all(np.isfinite(a).all() for a in arrays):
            raise InputError(f"{path}: coordinates or attributes include NaN or inf")


@dataclass
class Source:
    """One input as read: a mesh or points, where it came from, and what the reader noticed."""

    path: str
    format: str  # "glb", "gltf", "obj", "ply-mesh", "ply-points", "ply-splats", "stl"
    mesh: SourceMesh | None = None
    points: SourcePoints | None = None
    cameras_opencv: bool = False  # the folder has OpenCV/COLMAP cameras: Y down, Z forward
    notes: list[str] = field(default_factory=list)
