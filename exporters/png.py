"""Deterministic PNG encoding and decoding (8-bit, gray/gray-alpha/RGB/RGBA), zlib only."""

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


def decode_png(data: bytes) -> np.ndarray:
    """Return [H, W, C] uint8 pixels of an 8-bit, non-interlaced PNG (as written above)."""
    if data[:8] != _SIGNATURE:
        raise ValueError("not a PNG file")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        tag = data[pos + 4 : pos + 8]
        payload = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if tag == b"IHDR":
            header = struct.unpack(">IIBBBBB", payload)
        elif tag == b"IDAT":
            idat.append(payload)
        elif tag == b"IEND":
            break
    if header is None:
        raise ValueError("PNG has no IHDR")
    w, h, depth, color_type, _, _, interlace = header
    channels = {v: k for k, v in _COLOR_TYPE.items()}.get(color_type)
    if depth != 8 or interlace or channels is None:
        raise ValueError("only 8-bit non-interlaced gray/RGB(A) PNGs are supported")
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8).reshape(h, w * channels + 1)
    out = np.zeros((h, w * channels), dtype=np.int32)
    prev = np.zeros(w * channels, dtype=np.int32)
    for y in range(h):
        ftype, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        if ftype == 0:
            cur = line
        elif ftype == 2:
            cur = (line + prev) & 0xFF
        else:  # sub / average / paeth need a per-pixel loop
            cur = np.zeros_like(line)
            for x in range(line.size):
                a = cur[x - channels] if x >= channels else 0
                b = prev[x]
                c = prev[x - channels] if x >= channels else 0
                if ftype == 1:
                    pred = a
                elif ftype == 3:
                    pred = (a + b) // 2
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[x] = (line[x] + pred) & 0xFF
        out[y] = cur
        prev = cur
    return out.astype(np.uint8).reshape(h, w, channels)
