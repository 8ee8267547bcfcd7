"""Field: the torch program of one entity, evaluated by extraction and baking.

A field lives in its entity's local frame (meters, +Y up, origin at the centre
of the object's base). Extraction samples ``sdf`` on a grid over
``bounds_min..bounds_max``; baking samples ``material`` at surface points. All
evaluation is batched tensors on one device; fields hold no global state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import torch


@dataclass
class MaterialSample:
    """PBR attributes at N points: base color in sRGB 0..1, roughness and metallic 0..1."""

    base_color: torch.Tensor  # [N, 3]
    roughness: torch.Tensor  # [N]
    metallic: torch.Tensor  # [N]


@runtime_checkable
class Field(Protocol):
    """A signed-distance program with materials, for one entity.

    ``sdf`` is negative inside, positive outside, and 1-Lipschitz (|sdf(p)| never
    exceeds the true distance to the surface), so a value of d at a point proves
    there is no surface within d of it: sparse extraction relies on this.
    """

    name: str  # node name: "house_01", "terrain"
    kind: str  # catalog kind
    bounds_min: tuple[float, float, float]  # local meters, encloses the surface
    bounds_max: tuple[float, float, float]
    translation: tuple[float, float, float]  # world position of the local origin
    yaw_deg: float  # rotation about +Y, applied before translation
    closed: bool  # True when the surface is closed (objects); False for open terrain
    # Optional (not part of the protocol check): ``extras``, a JSON-able dict the chain
    # copies into the node's extras (attributes, what it stands on, the words it came from).

    def sdf(self, points: torch.Tensor) -> torch.Tensor:
        """Return the signed distance [N] at local points [N, 3] (same device and dtype)."""
        ...

    def material(self, points: torch.Tensor) -> MaterialSample:
        """Return the material at local points [N, 3] on or near the surface."""
        ...
