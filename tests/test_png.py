"""PNG codec: lossless round trips, checked against Pillow when it is installed."""

from __future__ import annotations

import io
import zlib

import numpy as np
import pytest

from exporters.png import decode_png, encode_png

try:
    from PIL import Image
except ImportError:  # Pillow is optional; decode_png is then the only reader
    Image = None

_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def _pixels(h: int, w: int, channels: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(h, w, channels), dtype=np.uint8)


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_png_round_trips_every_channel_count(channels):
    pixels = _pixels(13, 7, channels, seed=channels)
    data = encode_png(pixels)
    assert np.array_equal(decode_png(data), pixels)
    if Image is not None:
        with Image.open(io.BytesIO(data)) as img:
            assert img.mode == _MODES[channels] and img.size == (7, 13)
            assert np.array_equal(np.asarray(img).reshape(pixels.shape), pixels)


def test_gray_2d_input_is_one_channel():
    pixels = _pixels(5, 6, 1)[:, :, 0]
    assert np.array_equal(decode_png(encode_png(pixels))[:, :, 0], pixels)


def test_srgb_flag_writes_srgb_chunk_only_when_asked():
    pixels = _pixels(4, 4, 3)
    srgb, linear = encode_png(pixels, srgb=True), encode_png(pixels, srgb=False)
    assert b"sRGB" in srgb and b"sRGB" not in linear
    assert np.array_equal(decode_png(srgb), decode_png(linear))
    if Image is not None:
        with Image.open(io.BytesIO(srgb)) as img:
            assert "srgb" in img.info


def test_encoding_is_deterministic():
    pixels = _pixels(16, 16, 4)
    assert encode_png(pixels) == encode_png(pixels.copy())


@pytest.mark.skipif(Image is None, reason="needs Pillow to make PNGs with sub/average/paeth filters")
@pytest.mark.parametrize("channels", [1, 3, 4])
def test_decode_reads_pngs_written_by_pillow(channels):
    # Pillow's adaptive filtering uses every filter type; a smooth gradient plus noise triggers them
    y, x = np.mgrid[0:24, 0:24]
    base = ((x * 9 + y * 5) % 256).astype(np.uint8)
    pixels = np.stack([base] * channels, axis=2) ^ _pixels(24, 24, channels, seed=9) // 16
    buf = io.BytesIO()
    Image.fromarray(pixels[:, :, 0] if channels == 1 else pixels, _MODES[channels]).save(buf, "PNG", optimize=True)
    assert np.array_equal(decode_png(buf.getvalue()).reshape(pixels.shape), pixels)


def test_decode_uses_all_filter_types():
    # Build a PNG by hand with one row per filter type, so decode_png's every branch runs.
    pixels = _pixels(5, 4, 3, seed=3).astype(np.int32)
    h, w, c = pixels.shape
    rows = pixels.reshape(h, w * c)
    raw = bytearray()
    prev = np.zeros(w * c, np.int32)
    for ftype, row in enumerate(rows):
        left = np.concatenate([np.zeros(c, np.int32), row[:-c]])
        upleft = np.concatenate([np.zeros(c, np.int32), prev[:-c]])
        if ftype == 0:
            pred = np.zeros_like(row)
        elif ftype == 1:
            pred = left
        elif ftype == 2:
            pred = prev
        elif ftype == 3:
            pred = (left + prev) // 2
        else:
            p = left + prev - upleft
            pa, pb, pc = np.abs(p - left), np.abs(p - prev), np.abs(p - upleft)
            pred = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, prev, upleft))
        raw += bytes([ftype]) + ((row - pred) & 0xFF).astype(np.uint8).tobytes()
        prev = row
    reference = encode_png(pixels.astype(np.uint8))
    idat_start = reference.index(b"IDAT") - 4
    payload = zlib.compress(bytes(raw))
    chunk = len(payload).to_bytes(4, "big") + b"IDAT" + payload + zlib.crc32(b"IDAT" + payload).to_bytes(4, "big")
    data = reference[:idat_start] + chunk + reference[reference.index(b"IEND") - 4 :]
    assert np.array_equal(decode_png(data), pixels.astype(np.uint8))
    if Image is not None:
        with Image.open(io.BytesIO(data)) as img:
            assert np.array_equal(np.asarray(img), pixels.astype(np.uint8))


def test_encode_rejects_non_uint8():
    with pytest.raises(ValueError, match="uint8"):
        encode_png(np.zeros((2, 2, 3), dtype=np.float32))
    with pytest.raises(ValueError):
        encode_png(np.zeros((2, 2, 5), dtype=np.uint8))


def test_decode_rejects_non_png():
    with pytest.raises(ValueError, match="not a PNG"):
        decode_png(b"GIF89a....")
