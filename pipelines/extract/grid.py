"""What both marching-cubes kernels share: the ``GridMesh`` they return, volume checks, tables on a device."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch

from exporters.errors import InputError
from pipelines.extract.tables import MAX_TRIANGLES, tables

Kernel = Literal["auto", "torch", "triton"]


@dataclass
class GridMesh:
    """A marching-cubes mesh in index coordinates, with the grid edge each vertex lies on."""

    vertices: torch.Tensor  # [V, 3] float32, index coordinates (x, y, z = volume axes 0, 1, 2)
    faces: torch.Tensor  # [F, 3] int64, counter-clockwise seen from outside
    edge_point: torch.Tensor  # [V] int64, flat index (into the volume) of the edge's low end
    edge_axis: torch.Tensor  # [V] int64, 0 x, 1 y, 2 z
    face_cell: torch.Tensor  # [F] int64, flat index (into the volume) of each face's cell min corner
    kernel: str  # "torch" or "triton"


def validate_volume(volume: object) -> None:
    """Raise ``InputError`` unless ``volume`` is a floating torch tensor [X, Y, Z] with X, Y, Z >= 2."""
    if not isinstance(volume, torch.Tensor):
        raise InputError(f"marching cubes needs a torch.Tensor volume, got {type(volume).__name__}")
    if volume.dim() != 3:
        raise InputError(f"marching cubes needs a 3-D volume [X, Y, Z], got shape {tuple(volume.shape)}")
    if min(volume.shape) < 2:
        raise InputError(f"marching cubes needs at least 2 samples per axis, got shape {tuple(volume.shape)}")
    if not volume.is_floating_point():
        raise InputError(f"marching cubes needs a floating-point volume, got {volume.dtype}")


_TABLE_CACHE: dict[torch.device, dict[str, torch.Tensor]] = {}


def device_tables(device: torch.device) -> dict[str, torch.Tensor]:
    """Return the marching-cubes tables as int64 tensors on ``device`` (cached per device; constants)."""
    found = _TABLE_CACHE.get(device)
    if found is None:
        t = tables()
        found = {
            "tri_count": torch.from_numpy(t["tri_count"]).to(device),
            "tri_edges": torch.from_numpy(t["tri_edges"].reshape(256 * MAX_TRIANGLES, 3)).to(device),
            "edge_axis": torch.from_numpy(t["edge_axis"]).to(device),
            "edge_origin": torch.from_numpy(t["edge_origin"]).to(device),
        }
        # int32 copies for the Triton kernels, so a call launches no conversion kernels.
        for name in ("tri_count", "tri_edges", "edge_axis", "edge_origin"):
            found[name + "32"] = found[name].to(torch.int32).reshape(-1).contiguous()
        _TABLE_CACHE[device] = found
    return found


def empty_mesh(device: torch.device, kernel: str) -> GridMesh:
    """Return a ``GridMesh`` with no vertices and no faces."""
    long = dict(dtype=torch.int64, device=device)
    return GridMesh(
        torch.zeros((0, 3), dtype=torch.float32, device=device),
        torch.zeros((0, 3), **long),
        torch.zeros((0,), **long),
        torch.zeros((0,), **long),
        torch.zeros((0,), **long),
        kernel,
    )
