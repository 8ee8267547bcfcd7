"""Our deterministic PNG encoder, read back by Pillow."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from exporters.png import encode_png
from tests.pngs import read_png

_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def _pixels(h: int, w: int, channels: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(h, w, channels), dtype=np.uint8)


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_png_round_trips_every_channel_count(channels):
    pixels = _pixels(13, 7, channels)
    data = encode_png(pixels)
    assert np.array_equal(read_png(data), pixels)
    with Image.open(io.BytesIO(data)) as img:
        assert img.mode == _MODES[channels] and img.size == (7, 13)


def test_gray_2d_input_is_one_channel():
    pixels = _pixels(5, 6, 1)[:, :, 0]
    assert np.array_equal(read_png(encode_png(pixels))[:, :, 0], pixels)


def test_srgb_flag_writes_srgb_chunk_only_when_asked():
    pixels = _pixels(4, 4, 3)
    srgb, linear = encode_png(pixels, srgb=True), encode_png(pixels)
    assert b"sRGB" in srgb and b"sRGB" not in linear
    assert np.array_equal(read_png(srgb), read_png(linear))


def test_encoding_is_deterministic():
    pixels = _pixels(32, 32, 4, seed=3)
    assert encode_png(pixels) == encode_png(pixels.copy())


def test_encode_rejects_non_uint8():
    with pytest.raises(ValueError, match="uint8"):
        encode_png(np.zeros((2, 2, 3), dtype=np.float32))
    with pytest.raises(ValueError):
        encode_png(np.zeros((2, 2, 5), dtype=np.uint8))
