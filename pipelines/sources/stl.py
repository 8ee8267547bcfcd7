"""STL input, binary and ASCII (told apart by content: the binary size rule, then ``solid`` ... ``facet``)."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import numpy as np

from exporters.errors import InputError
from pipelines.sources.types import SourceMesh

_BINARY = np.dtype([("n", "<f4", (3,)), ("v", "<f4", (3, 3)), ("attr", "<u2")])


def is_binary_stl(data: bytes) -> bool:
    """True when ``data`` is exactly the size its triangle count says (84 + 50 n bytes)."""
    return len(data) >= 84 and 84 + 50 * struct.unpack_from("<I", data, 80)[0] == len(data)


def is_ascii_stl(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith(b"solid") and (b"facet" in head or b"endsolid" in head)


def read_stl(path: Path, data: bytes) -> SourceMesh:
    """Return the triangles of an STL file, vertices welded where exactly equal."""
    if is_binary_stl(data):
        n = struct.unpack_from("<I", data, 80)[0]
        tri = np.frombuffer(data, _BINARY, n, 84)["v"].astype(np.float64)
    elif is_ascii_stl(data):
        text = data.decode("ascii", errors="replace")
        nums = re.findall(r"vertex\s+(\S+)\s+(\S+)\s+(\S+)", text)
        if len(nums) % 3 or text.count("endfacet") * 3 != len(nums):
            raise InputError(f"{path}: truncated or corrupt ASCII STL ({len(nums)} vertices)")
        try:
            tri = np.array(nums, dtype=np.float64).reshape(-1, 3, 3)
        except ValueError as exc:
            raise InputError(f"{path}: a vertex of the ASCII STL is not a number ({exc})") from exc
    elif len(data) >= 84:
        n = struct.unpack_from("<I", data, 80)[0]
        raise InputError(
            f"{path}: truncated or corrupt binary STL ({n} triangles need {84 + 50 * n} bytes, the file has {len(data)})"
        )
    else:
        raise InputError(f"{path}: not an STL file (too short)")
    if not len(tri):
        raise InputError(f"{path}: the file has no faces")
    flat = tri.reshape(-1, 3)
    if not np.isfinite(flat).all():
        raise InputError(f"{path}: vertex coordinates include NaN or inf")
    unique, inverse = np.unique(flat, axis=0, return_inverse=True)
    return SourceMesh(positions=unique, faces=inverse.reshape(-1, 3).astype(np.int64))
