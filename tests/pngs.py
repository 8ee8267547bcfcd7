"""Reading PNGs in tests with Pillow, an independent decoder (the project only encodes PNGs)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


def read_png(data: bytes) -> np.ndarray:
    """Return the pixels of PNG ``data`` as uint8 [H, W, C] (C = 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA)."""
    with Image.open(io.BytesIO(data)) as img:
        pixels = np.asarray(img, dtype=np.uint8).copy()
    return pixels[:, :, None] if pixels.ndim == 2 else pixels
