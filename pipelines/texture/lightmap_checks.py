"""Lightmap checks: uv1 inside [0, 1], no overlapping triangles, charts at least the padding apart.

Rasterised by ``texture/raster.py`` at texel resolution: coverage of sample points by
triangles (overlaps) and conservative per-texel chart footprints (padding, diagonals
included).
"""

from __future__ import annotations

import numpy as np
import torch

from pipelines.texture import raster

_STRICT = 1e-6  # texels: a sample on a shared edge is inside neither triangle


def lightmap_problems(
    uv: np.ndarray, indices: np.ndarray, resolution: int, padding_texels: int, *, charts: np.ndarray
) -> list[str]:
    """Return what breaks the lightmap rules (empty when uv is a valid lightmap)."""
    problems = []
    if not (np.all(uv >= 0.0) and np.all(uv <= 1.0)):
        problems.append("uv1 leaves [0, 1]")
    faces = torch.from_numpy(indices.astype(np.int64))
    size = 2 * resolution
    covered = raster.sample_coverage(_texels(uv, size), faces, size, size, margin=_STRICT)
    if covered.numel() and int(covered.max()) > 1:
        problems.append(f"{int((covered > 1).sum())} texel samples covered by more than one triangle")
    near = _too_close(chart_footprints(uv, indices, charts, resolution), padding_texels)
    if near:
        problems.append(f"{near} texels where different charts are closer than {padding_texels} texels")
    return problems


def chart_footprints(uv: np.ndarray, faces: np.ndarray, charts: np.ndarray, size: int) -> np.ndarray:
    """Return per texel of a ``size``² grid the chart whose triangles reach into it (-1 none, -2 two or more)."""
    faces_t = torch.from_numpy(np.asarray(faces, dtype=np.int64))
    owner = raster.chart_footprints(_texels(uv, size), faces_t, torch.from_numpy(np.asarray(charts, np.int64)), size)
    return owner.numpy()


def _texels(uv: np.ndarray, size: int) -> torch.Tensor:
    """Return ``uv`` in texel units of a ``size``² grid, as float32 (the rasterizer's precision)."""
    return torch.from_numpy(np.ascontiguousarray(uv, dtype=np.float64) * size).to(torch.float32)


def _too_close(owner: np.ndarray, padding: int) -> int:
    """Return how many texels have a texel of another chart within ``padding`` texels (Chebyshev).

    Two charts pass when at least ``padding`` empty texels separate their
    footprints in every direction, diagonals included (bilinear taps reach the
    8 neighbours).
    """
    size = owner.shape[0]
    count = int((owner == -2).sum())
    padded = np.pad(owner, padding, constant_values=-1)
    mine = owner >= 0
    for dy in range(-padding, padding + 1):
        for dx in range(-padding, padding + 1):
            if dx == 0 and dy == 0:
                continue
            other = padded[padding + dy : padding + dy + size, padding + dx : padding + dx + size]
            count += int((mine & (other >= 0) & (other != owner)).sum())
    return count
