"""Seeded value noise in torch: a periodic lattice of random values, smoothly interpolated.

The lattice (``PERIOD``^3 values) is drawn once from a ``numpy.random.Generator``
seeded explicitly, so the same seed gives the same noise on every device; a
lookup is a handful of gathers, cheap enough for millions of texels.
"""

from __future__ import annotations

import numpy as np
import torch

PERIOD = 64

# Rotating each octave by an irrational-looking matrix hides the lattice axes.
_ROT = np.array([[0.00, 0.80, 0.60], [-0.80, 0.36, -0.48], [-0.60, -0.48, 0.64]])


class ValueNoise:
    """3-D value noise in [-1, 1] with fractal sums; ``seed`` fixes the lattice."""

    def __init__(self, seed: int) -> None:
        rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, 0x5EED])
        self._table = rng.uniform(-1.0, 1.0, PERIOD**3).astype(np.float32)
        self._cache: dict[tuple[str, torch.dtype], torch.Tensor] = {}

    def _lattice(self, device: torch.device, dtype: torch.dtype) -> torch.Tensor:
        key = (str(device), dtype)
        if key not in self._cache:
            self._cache[key] = torch.from_numpy(self._table).to(device=device, dtype=dtype)
        return self._cache[key]

    def __call__(self, p: torch.Tensor) -> torch.Tensor:
        """Return noise [N] at points [N, 3] (one lattice cell per unit)."""
        table = self._lattice(p.device, p.dtype)
        f = torch.floor(p)
        t = p - f
        t = t * t * (3.0 - 2.0 * t)
        i = f.to(torch.int64) % PERIOD
        j = (i + 1) % PERIOD
        ix, iy, iz = i[:, 0], i[:, 1] * PERIOD, i[:, 2] * PERIOD * PERIOD
        jx, jy, jz = j[:, 0], j[:, 1] * PERIOD, j[:, 2] * PERIOD * PERIOD
        tx, ty, tz = t[:, 0], t[:, 1], t[:, 2]

        def g(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
            return table[a + b + c]

        x00 = torch.lerp(g(ix, iy, iz), g(jx, iy, iz), tx)
        x10 = torch.lerp(g(ix, jy, iz), g(jx, jy, iz), tx)
        x01 = torch.lerp(g(ix, iy, jz), g(jx, iy, jz), tx)
        x11 = torch.lerp(g(ix, jy, jz), g(jx, jy, jz), tx)
        return torch.lerp(torch.lerp(x00, x10, ty), torch.lerp(x01, x11, ty), tz)

    def fbm(self, p: torch.Tensor, octaves: int = 3, lacunarity: float = 2.03, gain: float = 0.5) -> torch.Tensor:
        """Return a fractal sum of ``octaves`` noise layers, normalised to about [-1, 1]."""
        rot = p.new_tensor(_ROT)
        total = torch.zeros_like(p[:, 0])
        amp, norm, q = 1.0, 0.0, p
        for k in range(octaves):
            total = total + amp * self(q + 17.3 * k)
            norm += amp
            amp *= gain
            q = (q @ rot) * lacunarity
        return total / norm

    def fbm2(self, x: torch.Tensor, z: torch.Tensor, octaves: int = 4, gain: float = 0.5) -> torch.Tensor:
        """Return fractal noise on the plane (x, z), for heightmaps."""
        p = torch.stack([x, torch.full_like(x, 0.5), z], dim=1)
        return self.fbm(p, octaves=octaves, gain=gain)


def hash01(index: torch.Tensor, seed: int) -> torch.Tensor:
    """Return a deterministic pseudo-random value in [0, 1) per integer index (any device)."""
    x = (index.to(torch.int64) * 0x9E3779B1 + (int(seed) & 0xFFFF) * 0x85EBCA77) & 0xFFFFFFFF
    x = ((x >> 16) ^ x) * 0x45D9F3B & 0xFFFFFFFF
    x = ((x >> 16) ^ x) * 0x45D9F3B & 0xFFFFFFFF
    x = (x >> 16) ^ x
    return (x & 0xFFFFFF).to(torch.float32) / float(1 << 24)


def smoothstep(e0: float, e1: float, x: torch.Tensor) -> torch.Tensor:
    t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def seed_of(*parts: object) -> int:
    """Return a stable 32-bit seed from values (the built-in ``hash`` is salted per process)."""
    import zlib

    return zlib.crc32("|".join(str(p) for p in parts).encode("utf-8")) & 0xFFFFFFFF
