"""The preview's camera: a pinhole that frames every vertex from a given azimuth, 28 degrees above the horizon."""

from __future__ import annotations

import math

import numpy as np
import torch

ELEVATION_DEG = 28.0
FOV_Y_DEG = 35.0
FRAME_FILL = 0.9  # fraction of the half-field of view the farthest vertex may reach
SUB = 256  # sub-pixel steps per pixel of the fixed-point screen grid


class Camera:
    """A pinhole camera framing every vertex from (azimuth, ELEVATION_DEG), for a W x H raster."""

    def __init__(self, positions: np.ndarray, azimuth_deg: float, width: int, height: int) -> None:
        lo, hi = positions.min(0).astype(np.float64), positions.max(0).astype(np.float64)
        target = (lo + hi) / 2
        az, el = math.radians(azimuth_deg), math.radians(ELEVATION_DEG)
        back = np.array([math.sin(az) * math.cos(el), math.sin(el), math.cos(az) * math.cos(el)])
        self.forward = -back
        self.right = np.cross(self.forward, [0.0, 1.0, 0.0])
        self.right /= np.linalg.norm(self.right)
        self.up = np.cross(self.right, self.forward)
        tan_y = math.tan(math.radians(FOV_Y_DEG) / 2) * FRAME_FILL
        tan_x = tan_y * width / height
        rel = positions.astype(np.float64) - target
        x, y, z = (rel[:, 0] * a[0] + rel[:, 1] * a[1] + rel[:, 2] * a[2] for a in (self.right, self.up, self.forward))
        radius = max(float(np.linalg.norm(hi - lo)) / 2, 1e-6)
        # the camera backs off until |x| <= tan_x * (z + d) and |y| <= tan_y * (z + d) for every vertex
        distance = max(
            float(np.max(np.abs(x) / tan_x - z)),
            float(np.max(np.abs(y) / tan_y - z)),
            float(np.max(-z)) + 0.05 * radius,
        )
        self.eye = target - self.forward * distance
        self.width, self.height = width, height
        self.focal = height / 2 / math.tan(math.radians(FOV_Y_DEG) / 2)

    def project(self, points: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Return (pixel xy [N, 2] float64, view depth [N] float64) of world points [N, 3]."""
        rel = points.double() - torch.tensor(self.eye, dtype=torch.float64, device=points.device)
        # elementwise dot products, not a matmul: BLAS may sum in a thread-dependent order
        x, y, z = (dot(rel, axis) for axis in (self.right, self.up, self.forward))
        depth = z.clamp_min(1e-9)
        return torch.stack(
            [self.width / 2 + self.focal * x / depth, self.height / 2 - self.focal * y / depth], 1
        ), depth


def dot(rows: torch.Tensor, vector) -> torch.Tensor:
    """Return rows [N, 3] . vector (3 numbers), as three multiply-adds."""
    return rows[:, 0] * float(vector[0]) + rows[:, 1] * float(vector[1]) + rows[:, 2] * float(vector[2])


def floor_div(a: torch.Tensor, b: torch.Tensor | int) -> torch.Tensor:
    """Return ``a // b`` rounded toward minus infinity (integer tensors)."""
    return torch.div(a, b, rounding_mode="floor")
