"""The Field implementations of the procedural model: terrain, room shell, catalog object.

Each satisfies ``pipelines.fields.Field``: a 1-Lipschitz signed distance in the
node's local frame, bounds that enclose its surface, and a material evaluated
per point (the part under the point chooses the material, patterns vary it).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from pipelines.fields import MaterialSample
from pipelines.models.kinds.base import Shape
from pipelines.models.materials import preset, shade
from pipelines.models.noise import ValueNoise, smoothstep
from pipelines.models.terrain import Heightmap, road_distance
from pipelines.plan import Environment, MaterialSpec

# Parts that never carry snow (glass, fire, water, lamps are not where snow settles).
NO_SNOW = {"windows", "water", "flame", "fire", "lantern", "light", "glass", "wax", "door", "items", "goods"}
SNOW = preset("snow")


def _margin(lo: tuple[float, ...], hi: tuple[float, ...]) -> float:
    """Return the bounds margin: a few percent of the object, at least 3 cm."""
    return 0.03 + 0.02 * max(h - l for l, h in zip(lo, hi))


class ObjectField:
    """A catalog object: the union of its parts, scaled uniformly, in its local frame."""

    closed = True

    def __init__(
        self,
        name: str,
        kind: str,
        shape: Shape,
        materials: dict[str, MaterialSpec],
        translation: tuple[float, float, float],
        yaw_deg: float,
        scale: float,
        seed: int,
        snow: float = 0.0,
        noise: ValueNoise | None = None,
        extras: dict | None = None,
        pivot: tuple[float, float, float] = (0.0, 0.0, 0.0),
    ) -> None:
        """``pivot``: the point of the shape (its own frame, unscaled) that becomes the node's origin; a prop
        puts it at the centre of its lowest face so the asset's origin is where it stands."""
        self.name = name
        self.extras = dict(extras or {})  # what the node says about itself (kind, attributes, support, ...)
        self.kind = kind
        self.shape = shape
        self.scale = float(scale)
        self.translation = tuple(float(v) for v in translation)
        self.yaw_deg = float(yaw_deg)
        self.pivot = tuple(float(v) for v in pivot)
        lo = tuple((v - c) * self.scale for v, c in zip(shape.lo, self.pivot))
        hi = tuple((v - c) * self.scale for v, c in zip(shape.hi, self.pivot))
        m = _margin(lo, hi)
        self.bounds_min = tuple(v - m for v in lo)
        self.bounds_max = tuple(v + m for v in hi)
        fallback = preset("paint", color=(0.6, 0.6, 0.6))
        self.part_names = [part for part, _ in shape.parts]
        self.specs = [materials.get(part, fallback) for part in self.part_names]
        self.seed = int(seed)
        # One lattice serves a whole scene; each object reads it at its own offset.
        self.noise = noise if noise is not None else ValueNoise(self.seed)
        self.offset = tuple(float(v) for v in np.random.default_rng(self.seed).uniform(0.0, 64.0, 3))
        self.snow = float(snow)

    def _local(self, points: torch.Tensor) -> torch.Tensor:
        """Return node-frame points in the shape's own frame (unscaled, pivot undone)."""
        local = points / self.scale if self.scale != 1.0 else points
        return local + local.new_tensor(self.pivot) if any(self.pivot) else local

    def sdf(self, points: torch.Tensor) -> torch.Tensor:
        if self.scale == 1.0:
            return self.shape.sdf(self._local(points))
        return self.shape.sdf(self._local(points)) * self.scale

    def material(self, points: torch.Tensor) -> MaterialSample:
        local = self._local(points)
        part = self.shape.part_distances(local).argmin(dim=0)
        n = points.shape[0]
        color = points.new_empty((n, 3))
        rough = points.new_empty(n)
        metal = points.new_empty(n)
        shifted = local + local.new_tensor(self.offset)
        for k, spec in enumerate(self.specs):
            idx = (part == k).nonzero().squeeze(1)
            if idx.numel() == 0:
                continue
            c, r, m = shade(spec, shifted[idx], self.noise, self.seed + 7 * k)
            color[idx], rough[idx], metal[idx] = c, r, m
        if self.snow > 0:
            self._snow(points, part, color, rough)
        return MaterialSample(base_color=color, roughness=rough, metallic=metal)

    def _snow(self, points: torch.Tensor, part: torch.Tensor, color: torch.Tensor, rough: torch.Tensor) -> None:
        """Whiten upward-facing surfaces in place (snow settles where the normal points up)."""
        e = 0.02 * max(1.0, self.scale)
        dy = self.sdf(points + points.new_tensor((0.0, e, 0.0))) - self.sdf(points - points.new_tensor((0.0, e, 0.0)))
        dx = self.sdf(points + points.new_tensor((e, 0.0, 0.0))) - self.sdf(points - points.new_tensor((e, 0.0, 0.0)))
        dz = self.sdf(points + points.new_tensor((0.0, 0.0, e))) - self.sdf(points - points.new_tensor((0.0, 0.0, e)))
        up = dy / torch.sqrt(dx * dx + dy * dy + dz * dz).clamp(min=1e-9)
        w = smoothstep(0.45, 0.8, up + 0.15 * self.noise(points * 3.0)) * self.snow
        for k, name in enumerate(self.part_names):
            if name in NO_SNOW:
                w = torch.where(part == k, torch.zeros_like(w), w)
        snow = points.new_tensor(SNOW.base_color)
        color.copy_(torch.lerp(color, snow.expand_as(color), w[:, None]))
        rough.copy_(torch.lerp(rough, torch.full_like(rough, SNOW.roughness), w))


class RoomField(ObjectField):
    """The interior's shell (floor and walls), in the place of the terrain; its floor is y = 0."""

    def height_at(self, x, z):  # noqa: ANN001 - numpy or torch, returns the same kind
        """Return the floor height (0) under (x, z)."""
        if isinstance(x, torch.Tensor):
            return torch.zeros_like(x)
        return np.zeros_like(np.asarray(x, dtype=np.float64))


class TerrainField:
    """The outdoor ground: an open heightfield surface over the scene, in world = local frame."""

    closed = False
    kind = "terrain"

    def __init__(self, heightmap: Heightmap, env: Environment, seed: int, name: str = "terrain") -> None:
        self.name = name
        self.heightmap = heightmap
        self.env = env
        self.translation = (0.0, 0.0, 0.0)
        self.yaw_deg = 0.0
        self.lipschitz_scale = 1.0 / math.sqrt(1.0 + heightmap.slope_max**2)
        sx, sz = env.size_m
        hmin, hmax = float(heightmap.heights.min()), float(heightmap.heights.max())
        self.bounds_min = (-sx / 2, hmin - 0.25, -sz / 2)
        self.bounds_max = (sx / 2, hmax + 0.25, sz / 2)
        self.noise = ValueNoise(seed)
        self.seed = int(seed)
        fallback = {
            "grass": preset("grass"),
            "dirt": preset("dirt"),
            "rock": preset("rock"),
            "sand": preset("sand"),
            "snow": preset("snow"),
            "water": preset("water"),
            "path": preset("dirt"),
        }
        self.specs = {k: env.materials.get(k, v) for k, v in fallback.items()}

    def height_at(self, x, z):  # noqa: ANN001 - numpy or torch, returns the same kind
        """Return the terrain surface height (water included) under world (x, z)."""
        return self.heightmap.height_at(x, z)

    def sdf(self, points: torch.Tensor) -> torch.Tensor:
        x, y, z = points.t().contiguous().unbind(0)
        return (y - self.heightmap.height_at(x, z)) * self.lipschitz_scale

    def material(self, points: torch.Tensor) -> MaterialSample:
        p = self.env.params
        x, z = points[:, 0].contiguous(), points[:, 2].contiguous()
        ground = self.heightmap.height_at(x, z, which="ground")
        slope = self.heightmap.slope_at(x, z)
        n_big = self.noise.fbm(points * 0.12, octaves=2)
        n_small = self.noise(points * 1.3)
        layers = ["grass", "dirt", "rock", "sand", "path", "snow", "water"]
        weights = {k: torch.zeros_like(x) for k in layers}
        weights["dirt"] = smoothstep(0.3, 0.7, slope + 0.2 * n_big) + 0.35 * smoothstep(0.3, 0.8, n_big)
        weights["rock"] = smoothstep(0.65, 1.0, slope + 0.12 * n_small)
        wl = self.env.water_level
        if wl is not None:
            sea = p.get("beach", 0.0) + p.get("island_r", 0.0) > 0  # a sea beach is wide; a lake shore narrow
            band = 1.0 if sea else 0.45
            weights["sand"] = smoothstep(wl + band, wl + 0.1, ground + 0.15 * n_small)
            weights["water"] = (ground < wl - 0.01).to(x.dtype)
        if p.get("sand", 0.0) > 0:
            weights["sand"] = torch.maximum(weights["sand"], p["sand"] * smoothstep(-0.6, 0.2, n_big))
        if p.get("road_w", 0.0) > 0:
            d = road_distance(p, x, z) + 0.35 * n_small
            weights["path"] = smoothstep(p["road_w"] / 2 + 0.2, p["road_w"] / 2 - 0.4, d)
        if p.get("snow", 0.0) > 0:
            flat = smoothstep(0.9, 0.45, slope + 0.2 * n_small)
            weights["snow"] = p["snow"] * flat
        if p.get("snow_line", 0.0) > 0:
            weights["snow"] = torch.maximum(
                weights["snow"], smoothstep(p["snow_line"], p["snow_line"] + 2.0, ground) * smoothstep(1.2, 0.6, slope)
            )
        color, rough = self._layer(0, "grass", points)
        metal = torch.zeros_like(x)
        for k, name in enumerate(layers[1:], start=1):
            w = weights[name].clamp(0.0, 1.0)
            if not bool((w > 0).any()):
                continue
            c, r = self._layer(k, name, points)
            color = torch.lerp(color, c, w[:, None])
            rough = torch.lerp(rough, r, w)
        return MaterialSample(base_color=color.clamp(0, 1), roughness=rough.clamp(0.02, 1), metallic=metal)

    def _layer(self, k: int, name: str, points: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        c, r, _ = shade(self.specs[name], points, self.noise, self.seed + 101 * k)
        return c, r
