"""Frame and scale: the input's axes and units to meters, +Y up, +Z front; the ground at y = 0.

``--up`` and ``--forward`` name the input axes (``+y``, ``-z``, ...) that become
+Y and +Z (an OpenCV/COLMAP frame, Y down and Z forward, is ``--up -y
--forward -z``, and is assumed when cameras are found and no axis is given);
``--units`` (m, cm, mm, in, ft) and ``--scale`` multiply; ``--height`` then
scales the whole input (or, with ``--height-of tallest``, its tallest part) to
that many meters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from exporters.errors import InputError

UNITS = {"m": 1.0, "cm": 0.01, "mm": 0.001, "in": 0.0254, "ft": 0.3048}
AXES = {"+x": (1, 0, 0), "-x": (-1, 0, 0), "+y": (0, 1, 0), "-y": (0, -1, 0), "+z": (0, 0, 1), "-z": (0, 0, -1)}


@dataclass(frozen=True)
class FrameOptions:
    """How the input's frame and units map to the engine's (see the module doc)."""

    up: str | None = None  # None: +y, or -y when OpenCV cameras were found
    forward: str | None = None  # None: +z, or -z when OpenCV cameras were found
    units: str = "m"
    scale: float = 1.0
    height: float | None = None
    height_of: str = "whole"  # whole | tallest
    split: str = "none"  # none | nodes | parts

    def check(self) -> None:
        for flag, value in (("--up", self.up), ("--forward", self.forward)):
            if value is not None and value.lower() not in AXES:
                raise InputError(f"{flag} {value!r}: use one of {', '.join(AXES)}")
        if self.units not in UNITS:
            raise InputError(f"--units {self.units!r}: use one of {', '.join(UNITS)}")
        if not (np.isfinite(self.scale) and self.scale > 0):
            raise InputError(f"--scale {self.scale}: must be a positive number")
        if self.height is not None and not (np.isfinite(self.height) and self.height > 0):
            raise InputError(f"--height {self.height}: must be a positive number of meters")
        if self.height_of not in ("whole", "tallest"):
            raise InputError(f"--height-of {self.height_of!r}: use whole or tallest")
        if self.split not in ("none", "nodes", "parts"):
            raise InputError(f"--split {self.split!r}: use none, nodes or parts")


def rotation(opts: FrameOptions, opencv: bool) -> tuple[np.ndarray, str, str]:
    """Return (the 3x3 matrix taking input axes to engine axes, the up axis used, the forward axis used)."""
    up = (opts.up or ("-y" if opencv else "+y")).lower()
    fwd = (opts.forward or ("-z" if opencv else "+z")).lower()
    u, f = np.asarray(AXES[up], float), np.asarray(AXES[fwd], float)
    if abs(float(u @ f)) > 0.5:
        raise InputError(f"--up {up} and --forward {fwd} are the same axis; pick two different axes")
    r = np.stack([np.cross(u, f), u, f])  # rows: engine x = up x forward (right-handed), y = up, z = forward
    return r, up, fwd


def unit_scale(opts: FrameOptions) -> float:
    return UNITS[opts.units] * float(opts.scale)


def height_scale(opts: FrameOptions, heights: list[float]) -> float:
    """Return the extra factor that makes the whole (``heights[0]``) or the tallest part measure ``--height``."""
    if opts.height is None:
        return 1.0
    ref = max(heights[1:] or heights[:1]) if opts.height_of == "tallest" else heights[0]
    if ref <= 0:
        raise InputError("--height: the input is flat (zero height), so it cannot be scaled to a height")
    return float(opts.height) / ref
