"""Deterministic PNG encoding (8-bit, gray/gray-alpha/RGB/RGBA), zlib only; Pillow reads PNGs."""

from __future__ import annotations

import struct
import zlib

import numpy as np

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOR_TYPE = {1: 0, 2: 4, 3: 2, 4: 6}  # channels -> PNG color type


def _chunk(tag: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + tag + payload + struct.pack(">I", zlib.crc32(tag + payload) & 0xFFFFFFFF)


def encode_png(pixels: np.ndarray, srgb: bool = False, level: int = 6) -> bytes:
    """Return PNG bytes for ``pixels`` [H, W] or [H, W, C] uint8 (C = 1..4).

    Rows use the "up" filter, which compresses smooth baked textures well and
    costs one vectorised subtraction. ``srgb`` adds an sRGB chunk so viewers
    know the encoding; linear data (normal, ORM maps) gets none.
    """
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] not in _COLOR_TYPE:
        raise ValueError(f"encode_png needs uint8 [H, W, 1..4], got {pixels.dtype} {pixels.shape}")
    h, w, c = pixels.shape
    rows = pixels.reshape(h, w * c)
    up = rows.copy()
    up[1:] = rows[1:] - rows[:-1]  # uint8 arithmetic wraps, as PNG's filter expects
    raw = np.empty((h, w * c + 1), dtype=np.uint8)
    raw[:, 0] = 2  # filter type "up" (row 0 sees an all-zero previous row)
    raw[:, 1:] = up
    header = struct.pack(">IIBBBBB", w, h, 8, _COLOR_TYPE[c], 0, 0, 0)
    out = [_SIGNATURE, _chunk(b"IHDR", header)]
    if srgb:
        out.append(_chunk(b"sRGB", b"\x00"))
    out.append(_chunk(b"IDAT", zlib.compress(raw.tobytes(), level)))
    out.append(_chunk(b"IEND", b""))
    return b"".join(out)
