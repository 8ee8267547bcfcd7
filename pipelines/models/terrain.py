"""The ground a scene stands on: a heightmap terrain (outdoor) or a room shell (interior).

The terrain is a grid of heights (float64, built once from the plan's
environment and the objects' pads) sampled bilinearly, so a height is cheap to
query in numpy (layout) and in torch (the field), and the steepest slope of the
surface is known exactly: the field is (y - h(x, z)) / sqrt(1 + slope^2), a
1-Lipschitz bound of the distance to the surface.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from pipelines.models.noise import ValueNoise
from pipelines.plan import Environment

GRID_SPACING_M = 0.25
MAX_GRID = 321
PAD_MARGIN_M = 0.3  # flat ground kept around an object's footprint
PAD_FALLOFF_M = 2.0  # distance over which a pad blends back into the terrain


@dataclass(frozen=True)
class Pad:
    """A footprint (oriented rectangle) to flatten at height ``y``."""

    x: float
    z: float
    half_x: float
    half_z: float
    yaw_deg: float
    y: float


class Heightmap:
    """Heights on a regular grid over the scene, sampled bilinearly.

    ``heights[i, j]`` is the surface at x = x0 + i * dx, z = z0 + j * dx;
    ``ground`` is the same without water (the lake or sea floor).
    """

    def __init__(self, ground: np.ndarray, x0: float, z0: float, dx: float, water_level: float | None) -> None:
        self.ground = ground
        self.heights = ground if water_level is None else np.maximum(ground, water_level)
        self.x0, self.z0, self.dx = x0, z0, dx
        self.water_level = water_level
        self.slope_max = _max_bilinear_slope(self.heights, dx)
        self._torch: dict[tuple[str, torch.dtype], torch.Tensor] = {}

    @property
    def n(self) -> tuple[int, int]:
        return self.heights.shape  # type: ignore[return-value]

    def height_at(self, x, z, which: str = "surface"):  # noqa: ANN001 - numpy or torch, returns the same kind
        """Return the height under (x, z): numpy arrays (float64) or torch tensors (their dtype, device)."""
        grid = self.heights if which == "surface" else self.ground
        if isinstance(x, torch.Tensor):
            return self._height_torch(x, z, grid, which)
        x = np.asarray(x, dtype=np.float64)
        z = np.asarray(z, dtype=np.float64)
        ni, nj = grid.shape
        fi = np.clip((x - self.x0) / self.dx, 0.0, ni - 1.000001)
        fj = np.clip((z - self.z0) / self.dx, 0.0, nj - 1.000001)
        i, j = np.floor(fi).astype(np.int64), np.floor(fj).astype(np.int64)
        ti, tj = fi - i, fj - j
        a = grid[i, j] * (1 - ti) + grid[i + 1, j] * ti
        b = grid[i, j + 1] * (1 - ti) + grid[i + 1, j + 1] * ti
        return a * (1 - tj) + b * tj

    def _height_torch(self, x: torch.Tensor, z: torch.Tensor, grid: np.ndarray, which: str) -> torch.Tensor:
        key = (f"{x.device}:{which}", x.dtype)
        if key not in self._torch:
            self._torch[key] = torch.from_numpy(np.ascontiguousarray(grid).reshape(-1)).to(
                device=x.device, dtype=x.dtype
            )
        flat = self._torch[key]
        ni, nj = grid.shape
        fi = ((x - self.x0) / self.dx).clamp_(0.0, ni - 1.0001)
        fj = ((z - self.z0) / self.dx).clamp_(0.0, nj - 1.0001)
        i, j = torch.floor(fi), torch.floor(fj)
        ti, tj = fi - i, fj - j
        k = i.to(torch.int64) * nj + j.to(torch.int64)
        a = torch.lerp(flat[k], flat[k + nj], ti)
        b = torch.lerp(flat[k + 1], flat[k + nj + 1], ti)
        return torch.lerp(a, b, tj)

    def slope_at(self, x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """Return |grad h| at (x, z) by central differences over one grid cell."""
        e = self.dx
        gx = (self.height_at(x + e, z) - self.height_at(x - e, z)) / (2 * e)
        gz = (self.height_at(x, z + e) - self.height_at(x, z - e)) / (2 * e)
        return torch.sqrt(gx * gx + gz * gz)


def _max_bilinear_slope(h: np.ndarray, dx: float) -> float:
    """Return an exact upper bound of |grad h| for the bilinear interpolation of ``h``.

    Within a cell dh/dx is a blend of the two x-edge slopes and dh/dz of the
    two z-edge slopes, so |grad h|^2 <= max|gx|^2 + max|gz|^2 over the cell.
    """
    gx = np.abs(np.diff(h, axis=0)) / dx  # [ni-1, nj]
    gz = np.abs(np.diff(h, axis=1)) / dx  # [ni, nj-1]
    gx_cell = np.maximum(gx[:, :-1], gx[:, 1:])
    gz_cell = np.maximum(gz[:-1, :], gz[1:, :])
    return float(np.sqrt((gx_cell**2 + gz_cell**2).max()))


def _smoothstep(e0: float, e1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3 - 2 * t)


def _blur(h: np.ndarray, radius: int) -> np.ndarray:
    """Box-blur twice along both axes (about a Gaussian), with edge padding."""
    out = h
    for _ in range(2):
        for axis in (0, 1):
            pad = [(0, 0), (0, 0)]
            pad[axis] = (radius + 1, radius)
            c = np.cumsum(np.pad(out, pad, mode="edge"), axis=axis)
            hi = np.take(c, np.arange(2 * radius + 1, c.shape[axis]), axis=axis)
            lo = np.take(c, np.arange(0, c.shape[axis] - 2 * radius - 1), axis=axis)
            out = (hi - lo) / (2 * radius + 1)
    return out


def base_heights(env: Environment, xs: np.ndarray, zs: np.ndarray) -> np.ndarray:
    """Return the natural ground height on the grid xs x zs (before roads and pads)."""
    p = env.params
    x, z = np.meshgrid(xs, zs, indexing="ij")
    noise = ValueNoise(int(p.get("noise_seed", 0)))
    freq = p.get("frequency", 0.03)
    tx = torch.from_numpy((x.reshape(-1) * freq).astype(np.float32))
    tz = torch.from_numpy((z.reshape(-1) * freq).astype(np.float32))
    f = noise.fbm2(tx, tz, octaves=4).double().numpy().reshape(x.shape)
    h = p.get("amplitude", 1.0) * f
    if p.get("ridged", 0.0) > 0:
        r = 1.0 - np.abs(noise.fbm2(tx * 0.7 + 9.1, tz * 0.7, octaves=3).double().numpy().reshape(x.shape))
        h = h + p["ridged"] * (r * r - 0.5)
    if p.get("hill_h", 0.0) > 0:
        d = np.hypot(x - p["hill_x"], z - p["hill_z"]) / p["hill_r"]
        h = h + p["hill_h"] * 0.5 * (1 + np.cos(np.pi * np.clip(d, 0.0, 1.0)))
    if p.get("valley_depth", 0.0) > 0:  # a pass: ground rises away from the x = 0 line
        h = h + p["valley_depth"] * _smoothstep(p.get("valley_w", 8.0), p.get("valley_w", 8.0) + 16.0, np.abs(x)) ** 1.3
    if p.get("canyon_depth", 0.0) > 0:  # a canyon along z: rims at +depth, floor at 0
        meander = 3.0 * np.sin(z * 0.08 + p.get("noise_seed", 0) % 7)
        w = p.get("canyon_w", 9.0)
        t = _smoothstep(w, w + p.get("canyon_wall", 6.0), np.abs(x - meander))
        steps = np.floor(t * 4) / 4
        t = 0.75 * t + 0.25 * (steps + _smoothstep(0.0, 1.0, (t * 4) % 1.0) / 4)
        h = h * 0.3 + p["canyon_depth"] * t
    if p.get("island_r", 0.0) > 0:
        ang = np.arctan2(z, x)
        wobble = 1.0 + 0.12 * np.sin(3 * ang + p.get("noise_seed", 0) % 5) + 0.06 * np.sin(7 * ang)
        d = np.hypot(x, z) / (p["island_r"] * wobble)
        land = _smoothstep(1.15, 0.75, d)
        h = land * (np.maximum(h, 0.0) + p.get("island_h", 2.0) * _smoothstep(1.0, 0.2, d)) + (1 - land) * -2.5
    if p.get("beach", 0.0) > 0:  # the sea lies towards +z
        edge = p.get("beach_z", 8.0)
        h = h - 4.0 * _smoothstep(edge - 6.0, edge + 10.0, z) + 0.8 * _smoothstep(edge + 4.0, edge - 8.0, z)
    if p.get("lake_r", 0.0) > 0:
        d = np.hypot(x - p["lake_x"], z - p["lake_z"]) / p["lake_r"]
        h = h - (p.get("lake_depth", 2.0) + np.maximum(h, 0.0)) * _smoothstep(1.1, 0.6, d)
    if p.get("river_w", 0.0) > 0:
        cx = river_center_x(p, z)
        d = np.abs(x - cx) / (p["river_w"] / 2)
        h = h - (p.get("river_depth", 1.6) + np.maximum(h, 0.0)) * _smoothstep(1.6, 0.6, d)
    return h


def _sin(v):  # noqa: ANN001, ANN202 - numpy, torch or float
    return torch.sin(v) if isinstance(v, torch.Tensor) else np.sin(v)


def _cos(v):  # noqa: ANN001, ANN202
    return torch.cos(v) if isinstance(v, torch.Tensor) else np.cos(v)


@dataclass(frozen=True)
class Line:
    """A road's or river's centre line: along z (x = base + amp sin(freq z + phase)), or along x likewise.

    ``s`` is the coordinate along the line's axis; ``amp`` 0 is a straight line.
    """

    along_z: bool
    base: float
    amp: float = 0.0
    freq: float = 0.0
    phase: float = 0.0
    width: float = 0.0

    def offset(self, s):  # noqa: ANN001, ANN201 - numpy, torch or float
        """Return the centre's cross-axis coordinate at ``s``."""
        return self.base + self.amp * _sin(self.freq * s + self.phase) if self.amp else self.base + 0.0 * s

    def slope(self, s):  # noqa: ANN001, ANN201
        return self.amp * self.freq * _cos(self.freq * s + self.phase) if self.amp else 0.0 * s

    def point(self, s: float) -> tuple[float, float]:
        """Return the world (x, z) of the centre at ``s``."""
        c = float(self.offset(s))
        return (c, s) if self.along_z else (s, c)

    def tangent(self, s: float) -> tuple[float, float]:
        """Return the unit direction of the line at ``s`` (towards growing ``s``)."""
        d = float(self.slope(s))
        n = math.hypot(1.0, d)
        return (d / n, 1.0 / n) if self.along_z else (1.0 / n, d / n)

    def normal(self, s: float) -> tuple[float, float]:
        """Return the unit normal at ``s``, on the side of growing cross-axis coordinate."""
        tx, tz = self.tangent(s)
        return (tz, -tx) if self.along_z else (-tz, tx)

    def distance(self, x, z):  # noqa: ANN001, ANN201 - numpy or torch
        """Return the distance from (x, z) to the centre line (first order in the bend: exact when straight)."""
        s, u = (z, x) if self.along_z else (x, z)
        d = u - self.offset(s)
        if not self.amp:
            return abs(d)
        k = self.slope(s)
        return abs(d) / (1.0 + k * k) ** 0.5

    def polyline(self, lo: float, hi: float, step_m: float = 2.0) -> list[list[float]]:
        """Return the centre line from ``s = lo`` to ``hi`` as world [x, z] points, rounded to millimetres."""
        n = max(2, int(math.ceil((hi - lo) / step_m)) + 1)
        return [[round(v, 3) for v in self.point(lo + (hi - lo) * i / (n - 1))] for i in range(n)]


def road_line(params: dict[str, float]) -> Line | None:
    """Return the road's centre line (along z at road_x, or along x at road_z when road_axis is 1), or None."""
    w = params.get("road_w", 0.0)
    if w <= 0:
        return None
    along_z = params.get("road_axis", 0.0) < 0.5
    base = params.get("road_x" if along_z else "road_z", 0.0)
    return Line(
        along_z, base, params.get("road_bend", 0.0), params.get("road_freq", 0.0), params.get("road_phase", 0.0), w
    )


def river_line(params: dict[str, float]) -> Line | None:
    """Return the river's centre line (along z; it meanders by river_bend), or None."""
    w = params.get("river_w", 0.0)
    if w <= 0:
        return None
    return Line(
        True,
        params.get("river_x", 0.0),
        params.get("river_bend", 2.5),
        params.get("river_freq", 0.07),
        params.get("river_phase", 0.0),
        w,
    )


def road_distance(params: dict[str, float], x, z):  # noqa: ANN001 - numpy or torch
    """Return the distance from (x, z) to the road's centre line."""
    line = road_line({**params, "road_w": max(params.get("road_w", 0.0), 1.0)})
    return line.distance(x, z)


def river_center_x(params: dict[str, float], z):  # noqa: ANN001 - numpy or float
    """Return the x of the river's centre line at ``z`` (it meanders along z)."""
    line = river_line({**params, "river_w": max(params.get("river_w", 0.0), 1.0)})
    return line.offset(z)


def grid_axes(env: Environment) -> tuple[np.ndarray, np.ndarray]:
    """Return the x and z coordinates of the heightmap grid over the scene."""
    sx, sz = env.size_m
    ni = min(MAX_GRID, int(round(sx / GRID_SPACING_M)) + 1)
    dx = sx / (ni - 1)
    nj = int(round(sz / dx)) + 1
    return -sx / 2 + dx * np.arange(ni), -sz / 2 + dx * np.arange(nj)


def build_heightmap(env: Environment, pads: list[Pad], base: np.ndarray | None = None) -> Heightmap:
    """Return the scene's heightmap: natural ground, the road, then flat pads under objects.

    ``base`` is ``base_heights`` on ``grid_axes(env)`` when the caller has it already.
    """
    xs, zs = grid_axes(env)
    dx = float(xs[1] - xs[0])
    h = base_heights(env, xs, zs) if base is None else base
    p = env.params
    if p.get("road_w", 0.0) > 0:
        x, z = np.meshgrid(xs, zs, indexing="ij")
        smooth = _blur(h, max(1, int(4.0 / dx)))
        w = _smoothstep(p["road_w"] / 2 + 2.5, p["road_w"] / 2, road_distance(p, x, z))
        h = h * (1 - w) + smooth * w
    if pads:
        h = _apply_pads(h, xs, zs, pads, dx)
    return Heightmap(h, float(xs[0]), float(zs[0]), dx, env.water_level)


def _apply_pads(h: np.ndarray, xs: np.ndarray, zs: np.ndarray, pads: list[Pad], dx: float) -> np.ndarray:
    """Flatten each pad's footprint to its height, blending back over PAD_FALLOFF_M.

    Layout keeps pads further apart than the falloff, so no pad's core is
    touched by another's blend and each core is exactly at its height.
    """
    flat = np.zeros_like(h)
    wsum = np.zeros_like(h)
    wmax = np.zeros_like(h)
    reach = PAD_MARGIN_M + PAD_FALLOFF_M
    for pad in pads:
        r = math.hypot(pad.half_x, pad.half_z) + reach
        i0, i1 = np.searchsorted(xs, [pad.x - r, pad.x + r])
        j0, j1 = np.searchsorted(zs, [pad.z - r, pad.z + r])
        if i1 <= i0 or j1 <= j0:
            continue
        x, z = np.meshgrid(xs[i0:i1] - pad.x, zs[j0:j1] - pad.z, indexing="ij")
        c, s = math.cos(math.radians(pad.yaw_deg)), math.sin(math.radians(pad.yaw_deg))
        lx, lz = c * x - s * z, s * x + c * z  # world -> local (inverse yaw)
        ox = np.maximum(np.abs(lx) - pad.half_x - PAD_MARGIN_M, 0.0)
        oz = np.maximum(np.abs(lz) - pad.half_z - PAD_MARGIN_M, 0.0)
        w = _smoothstep(PAD_FALLOFF_M, 0.0, np.hypot(ox, oz))
        flat[i0:i1, j0:j1] += w * pad.y
        wsum[i0:i1, j0:j1] += w
        wmax[i0:i1, j0:j1] = np.maximum(wmax[i0:i1, j0:j1], w)
    target = np.where(wsum > 0, flat / np.maximum(wsum, 1e-12), h)
    return h * (1 - wmax) + target * wmax
