"""Binary FBX 7.4 encoder: the node tree to bytes, deterministic for a given tree and zlib."""

from __future__ import annotations

import struct
import zlib

import numpy as np

from exporters.fbx.document import FbxNode, ObjName

VERSION = 7400
_MAGIC = b"Kaydara FBX Binary  \x00\x1a\x00"
_NULL_RECORD = b"\x00" * 13  # 7.4: three u32 + one u8, all zero
# FileId, CreationTime and the footer id belong together: the FBX SDK checks the
# footer against the creation time. These are the fixed triple that Blender's
# exporter writes, so every file we write has the same (valid) ones and no clock.
FILE_ID = b"\x28\xb3\x2a\xeb\xb6\x24\xcc\xc2\xbf\xc8\xb0\x2a\xa9\x2b\xfc\xf1"
CREATION_TIME = "1970-01-01 10:00:00:000"
_FOOT_ID = b"\xfa\xbc\xab\x09\xd0\xc8\xd4\x66\xb1\x76\xfb\x83\x1c\xf7\x26\x7e"
_FOOT_MAGIC = b"\xf8\x5a\x8c\x6a\xde\xf5\xd9\x7e\xec\xe9\x0c\xe3\x75\x8f\x29\x0b"
# Arrays above this many bytes are zlib-compressed at a fixed level, as the FBX SDK does.
_COMPRESS_OVER = 128
_ZLIB_LEVEL = 1  # fast; what Blender writes; deterministic for a given zlib
_ARRAY_CODES = {
    np.dtype(np.float32): b"f",
    np.dtype(np.float64): b"d",
    np.dtype(np.int32): b"i",
    np.dtype(np.int64): b"l",
    np.dtype(np.bool_): b"b",
}


def encode_binary(top: list[FbxNode]) -> bytes:
    """Return the bytes of a binary FBX 7.4 file holding the top-level records ``top``."""
    out = bytearray(_MAGIC)
    out += struct.pack("<I", VERSION)
    for i, node in enumerate(top):
        _write_node(out, node, is_last=i == len(top) - 1)
    out += _NULL_RECORD  # ends the top-level list
    out += _FOOT_ID + b"\x00" * 4
    pad = (16 - len(out) % 16) or 16  # align to 16; a full 16 when already aligned
    out += b"\x00" * pad
    out += struct.pack("<I", VERSION) + b"\x00" * 120 + _FOOT_MAGIC
    return bytes(out)


def _write_node(out: bytearray, node: FbxNode, is_last: bool) -> None:
    name = node.name.encode("ascii")
    if len(name) > 255:
        raise ValueError(f"FBX record name too long: {node.name!r}")
    props = b"".join(_encode_prop(p) for p in node.props)
    start = len(out)
    out += struct.pack("<3I", 0, len(node.props), len(props))
    out += bytes((len(name),)) + name + props
    if node.children:
        for i, child in enumerate(node.children):
            _write_node(out, child, is_last=i == len(node.children) - 1)
        out += _NULL_RECORD
    elif not node.props and not is_last:
        # A record with neither values nor children still gets a null record
        # (as the FBX SDK writes "References: { }"), except as the last of its list.
        out += _NULL_RECORD
    end = len(out)
    if end >= 2**32:
        raise ValueError("FBX 7.4 files must stay under 4 GiB")
    struct.pack_into("<I", out, start, end)


def _encode_prop(value) -> bytes:
    # order matters: bool is an int, np.bool_ is not
    if isinstance(value, (bool, np.bool_)):
        return b"C" + (b"\x01" if value else b"\x00")
    if isinstance(value, np.int16):
        return b"Y" + struct.pack("<h", int(value))
    if isinstance(value, np.int64):
        return b"L" + struct.pack("<q", int(value))
    if isinstance(value, (int, np.int32)):
        return b"I" + struct.pack("<i", int(value))
    if isinstance(value, np.float32):
        return b"F" + struct.pack("<f", float(value))
    if isinstance(value, (float, np.float64)):
        return b"D" + struct.pack("<d", float(value))
    if isinstance(value, ObjName):
        raw = value.name.encode("utf-8") + b"\x00\x01" + value.cls.encode("utf-8")
        return b"S" + struct.pack("<I", len(raw)) + raw
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return b"S" + struct.pack("<I", len(raw)) + raw
    if isinstance(value, (bytes, bytearray)):
        return b"R" + struct.pack("<I", len(value)) + bytes(value)
    if isinstance(value, np.ndarray):
        code = _ARRAY_CODES.get(value.dtype)
        if code is None or value.ndim != 1:
            raise TypeError(f"unsupported FBX array {value.dtype} {value.shape}")
        data = np.ascontiguousarray(value).astype(value.dtype.newbyteorder("<"), copy=False).tobytes()
        encoding = 0
        if len(data) > _COMPRESS_OVER:
            data, encoding = zlib.compress(data, _ZLIB_LEVEL), 1
        return code + struct.pack("<3I", value.size, encoding, len(data)) + data
    raise TypeError(f"unsupported FBX property value {type(value).__name__}")
