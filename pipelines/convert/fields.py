"""The Field each converted object hands the chain: a ready mesh, or a signed-distance grid, plus the source to bake from.

``ConvertField`` follows ``pipelines.fields.Field``: ``sdf`` (the remeshing
grid, trilinear; or, for a mesh kept as it is, the distance to the source
surface with the sign of the nearest face) and ``material`` (colour, roughness
and metallic read from the source: the closest source surface point, or the
nearest points / splats weighted by opacity and distance). A field with a
``ready_mesh`` skips extraction; one with a ``surface`` also offers
``closest_surface``, which the bake uses to read colour and the full-resolution
shading normal straight from the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from scipy.spatial import cKDTree

from exporters.asset import MeshData
from pipelines.convert.surface import SourceSurface
from pipelines.fields import MaterialSample

DEFAULT_ROUGHNESS = 0.8  # stated in the manifest when the source says nothing
DEFAULT_METALLIC = 0.0


@dataclass
class GridSdf:
    """Signed distances on a regular grid (``values[i, j, k]`` at ``origin + (i, j, k) * spacing``), read trilinearly."""

    origin: np.ndarray  # [3]
    spacing: float
    values: np.ndarray  # [X, Y, Z] float32, meters

    def __post_init__(self) -> None:
        self._tensor = torch.from_numpy(np.ascontiguousarray(self.values, np.float32))[None, None]
        self._size = torch.tensor(self.values.shape[::-1], dtype=torch.float32) - 1.0  # grid_sample's x, y, z = k, j, i

    def __call__(self, points: torch.Tensor) -> torch.Tensor:
        idx = (points.to(torch.float32).cpu() - torch.from_numpy(self.origin.astype(np.float32))) / self.spacing
        norm = idx.flip(1) / self._size.clamp_min(1.0) * 2.0 - 1.0
        out = F.grid_sample(
            self._tensor, norm.view(1, 1, 1, -1, 3), mode="bilinear", padding_mode="border", align_corners=True
        )
        d = out.view(-1)
        # outside the grid: at least the distance to it, so sparse extraction skips it
        lo = torch.from_numpy(self.origin.astype(np.float32))
        hi = lo + self._size.flip(0) * self.spacing
        p = points.to(torch.float32).cpu()
        beyond = (torch.clamp(lo - p, min=0) + torch.clamp(p - hi, min=0)).norm(dim=1)
        return (d + beyond).to(points.device, points.dtype)


@dataclass
class PointColors:
    """Colours of points or splats, read at query points by an opacity- and distance-weighted k-nearest average."""

    positions: np.ndarray
    colors: np.ndarray  # sRGB [N, 3]
    weights: np.ndarray  # [N] opacity (1 for plain points)
    radius: float  # distance fall-off (m)

    def __post_init__(self) -> None:
        self.tree = cKDTree(self.positions, balanced_tree=False, compact_nodes=False)

    def __call__(self, q: np.ndarray, k: int = 8) -> np.ndarray:
        k = min(k, len(self.positions))
        d, idx = self.tree.query(q, k=k, workers=2)
        d, idx = d.reshape(len(q), k), idx.reshape(len(q), k)
        w = self.weights[idx] * np.exp(-0.5 * (d / self.radius) ** 2) + 1e-12
        return (self.colors[idx] * w[:, :, None]).sum(1) / w.sum(1, keepdims=True)


@dataclass
class ConvertField:
    """One converted object (see the module doc)."""

    name: str
    kind: str
    bounds_min: tuple[float, float, float]
    bounds_max: tuple[float, float, float]
    translation: tuple[float, float, float]
    yaw_deg: float = 0.0
    closed: bool = True
    extras: dict = field(default_factory=dict)
    ready_mesh: MeshData | None = None
    grid: GridSdf | None = None
    surface: SourceSurface | None = None
    point_colors: PointColors | None = None
    roughness: float = DEFAULT_ROUGHNESS
    metallic: float = DEFAULT_METALLIC

    def sdf(self, points: torch.Tensor) -> torch.Tensor:
        if self.grid is not None:
            return self.grid(points)
        assert self.surface is not None
        q = points.detach().cpu().numpy().astype(np.float64)
        near, face, _, dist = self.surface.closest(q, k=1)
        side = np.sign(((q - near) * self.surface.face_normal[face]).sum(1))
        return torch.from_numpy(np.where(side < 0, -dist, dist)).to(points.device, points.dtype)

    def material(self, points: torch.Tensor) -> MaterialSample:
        q = points.detach().cpu().numpy().astype(np.float64)
        n = len(q)
        if self.surface is not None:
            _, face, bary, _ = self.surface.closest(q)
            color = self.surface.color_at(face, bary)
            rough, metal = self.surface.pbr_at(face, bary)
        else:
            color = self.point_colors(q) if self.point_colors is not None else np.full((n, 3), 0.8)
            rough, metal = np.full(n, self.roughness), np.full(n, self.metallic)
        return _sample(color, rough, metal, points)

    def closest_surface(self, points: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, MaterialSample]:
        """Return (closest source points, the source's shading normals there, the material there)."""
        assert self.surface is not None
        q = points.detach().cpu().numpy().astype(np.float64)
        near, face, bary, _ = self.surface.closest(q)
        normal = self.surface.normal_at(face, bary)
        rough, metal = self.surface.pbr_at(face, bary)
        mat = _sample(self.surface.color_at(face, bary), rough, metal, points)
        as_t = lambda a: torch.from_numpy(np.ascontiguousarray(a, np.float32)).to(points.device)
        return as_t(near), as_t(normal), mat

    def ambient_sdf(self, points: torch.Tensor) -> torch.Tensor:
        """Return a cheap unsigned distance to the source (nearest surface sample) for ambient occlusion."""
        if self.grid is not None or self.surface is None:
            return self.sdf(points)
        q = points.detach().cpu().numpy().astype(np.float64)
        return torch.from_numpy(self.surface.ambient_udf(q)).to(points.device, torch.float32)


def _sample(color: np.ndarray, rough: np.ndarray, metal: np.ndarray, like: torch.Tensor) -> MaterialSample:
    t = lambda a: torch.from_numpy(np.ascontiguousarray(a, np.float32)).to(like.device)
    return MaterialSample(base_color=t(color), roughness=t(rough), metallic=t(metal))
