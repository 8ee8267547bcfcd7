"""The glTF container: GLB chunks or .gltf JSON, buffers, views, accessors and images, each malformed field an InputError.

Parsed with ``json`` and numpy: a reader needs no glTF library.
"""

from __future__ import annotations

import base64
import io
import os
import stat
import struct
import urllib.parse
from pathlib import Path

import numpy as np
from PIL import Image

from exporters.errors import InputError
from exporters.files import load_json

_COMPONENT = {5120: np.int8, 5121: np.uint8, 5122: np.int16, 5123: np.uint16, 5125: np.uint32, 5126: np.float32}
_NORM_SCALE = {5120: 127.0, 5121: 255.0, 5122: 32767.0, 5123: 65535.0}
_WIDTH = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT4": 16}
_SUPPORTED_REQUIRED = {
    "KHR_materials_unlit",
    "KHR_texture_transform",
    "KHR_mesh_quantization",
    "EXT_mesh_gpu_instancing",
    "MSFT_lod",
    "KHR_materials_emissive_strength",
    "KHR_materials_pbrSpecularGlossiness",
}
REPEAT, CLAMP_TO_EDGE, MIRRORED_REPEAT = 10497, 33071, 33648
_MAX_COUNT = 1 << 28  # elements in one accessor: more is a corrupt file, not a mesh
MAX_URI_BYTES = 1 << 31  # an external buffer or image: more is not an asset the preview should load


class GltfContainer:
    """A glTF document (``doc``) and the bytes its buffers and images point to."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.bin_chunk: bytes | None = None
        if data[:4] == b"glTF":
            _, version, length = struct.unpack_from("<4sII", data, 0)
            if version != 2:
                raise InputError(f"{path}: GLB version {version}; only glTF 2.0 is supported")
            if length > len(data):
                raise InputError(f"{path}: truncated GLB ({len(data)} of {length} bytes)")
            chunks, pos = [], 12
            while pos + 8 <= length:
                size, kind = struct.unpack_from("<I4s", data, pos)
                if pos + 8 + size > length:
                    raise InputError(f"{path}: truncated GLB chunk {kind!r}")
                chunks.append((kind, data[pos + 8 : pos + 8 + size]))
                pos += 8 + size + (-size % 4)
            if not chunks or chunks[0][0] != b"JSON":
                raise InputError(f"{path}: GLB has no JSON chunk")
            text = chunks[0][1]
            self.bin_chunk = next((c for k, c in chunks[1:] if k == b"BIN\x00"), None)
        elif data.lstrip()[:1] == b"{":
            text = data
        else:
            raise InputError(f"{path}: not a GLB or glTF file (bad magic {data[:4]!r})")
        self.doc = load_json(text.rstrip(b" \x00"), str(path), "corrupt glTF JSON")
        if not isinstance(self.doc, dict) or not str(self.doc.get("asset", {}).get("version", "")).startswith("2"):
            raise InputError(f"{path}: not a glTF 2.0 document (asset.version missing or not 2.x)")
        unsupported = sorted(set(self.doc.get("extensionsRequired", [])) - _SUPPORTED_REQUIRED)
        if unsupported:
            raise InputError(f"{path}: requires extension(s) the preview cannot read: {', '.join(unsupported)}")
        self._buffers: dict[int, bytes] = {}

    def uri_bytes(self, uri: str, what: str) -> bytes:
        """Return what ``uri`` holds: a data: URI, or a regular file inside the glTF's own folder, bounded in size."""
        if not isinstance(uri, str):
            raise InputError(f"{self.path}: {what} uri is not a string")
        if uri.startswith("data:"):
            return base64.b64decode(uri.split(",", 1)[1])
        if "://" in uri or uri.startswith("/"):
            raise InputError(f"{self.path}: {what} uri {uri!r} is not a relative file path; the preview reads no other")
        folder = self.path.parent.resolve()
        target = (folder / urllib.parse.unquote(uri)).resolve()  # glTF URIs are percent-encoded
        if folder not in target.parents:
            raise InputError(f"{self.path}: {what} file {uri!r} lies outside the glTF's folder; the preview reads none")
        try:
            fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not hang the preview
            with os.fdopen(fd, "rb") as fh:
                st = os.fstat(fh.fileno())
                if not stat.S_ISREG(st.st_mode):
                    raise InputError(f"{self.path}: {what} file {uri!r} is not a regular file")
                if st.st_size > MAX_URI_BYTES:
                    raise InputError(
                        f"{self.path}: {what} file {uri!r} is {st.st_size} bytes; the preview reads at most {MAX_URI_BYTES}"
                    )
                return fh.read(MAX_URI_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{self.path}: {what} file {uri!r} cannot be read ({exc.strerror})") from exc

    def buffer(self, index: int) -> bytes:
        if index not in self._buffers:
            spec = self.doc["buffers"][index]
            if "uri" in spec:
                blob = self.uri_bytes(spec["uri"], f"buffer {index}")
            elif index == 0 and self.bin_chunk is not None:
                blob = self.bin_chunk
            else:
                raise InputError(f"{self.path}: buffer {index} has no data (missing BIN chunk)")
            if len(blob) < spec["byteLength"]:
                raise InputError(f"{self.path}: buffer {index} is truncated")
            self._buffers[index] = blob
        return self._buffers[index]

    def view(self, index: int) -> tuple[bytes, int, int, int | None]:
        view = self.doc["bufferViews"][index]
        start = view.get("byteOffset", 0)
        blob = self.buffer(view["buffer"])
        if start + view["byteLength"] > len(blob):
            raise InputError(f"{self.path}: bufferView {index} runs past the end of its buffer")
        return blob, start, view["byteLength"], view.get("byteStride")

    def accessor(self, index: int) -> np.ndarray:
        """Return accessor ``index`` as [count, width] (float32 when normalized or float)."""
        acc = self.doc["accessors"][index]
        ctype, width, count = acc["componentType"], _WIDTH[acc["type"]], acc["count"]
        if not 0 <= count <= _MAX_COUNT:
            raise InputError(f"{self.path}: accessor {index} claims {count} elements")
        dtype = np.dtype(_COMPONENT[ctype]).newbyteorder("<")
        if "bufferView" in acc:
            blob, start, length, stride = self.view(acc["bufferView"])
            elem = dtype.itemsize * width
            stride = stride or elem
            offset = start + acc.get("byteOffset", 0)
            if count and offset + stride * (count - 1) + elem > start + length:
                raise InputError(f"{self.path}: accessor {index} runs past the end of its bufferView")
            out = np.ndarray((count, width), dtype, buffer=blob, offset=offset, strides=(stride, dtype.itemsize)).copy()
        else:
            out = np.zeros((count, width), dtype)
        sparse = acc.get("sparse")
        if sparse:
            n, idx_spec, val_spec = sparse["count"], sparse["indices"], sparse["values"]
            blob, start, _, _ = self.view(idx_spec["bufferView"])
            idx = np.frombuffer(blob, _COMPONENT[idx_spec["componentType"]], n, start + idx_spec.get("byteOffset", 0))
            blob, start, _, _ = self.view(val_spec["bufferView"])
            values = np.frombuffer(blob, dtype, n * width, start + val_spec.get("byteOffset", 0))
            out[idx.astype(np.int64)] = values.reshape(n, width)
        if ctype == 5126:
            return out.astype(np.float32)
        if acc.get("normalized"):
            return np.maximum(out.astype(np.float32) / _NORM_SCALE[ctype], -1.0)
        return out

    def image(self, index: int) -> np.ndarray:
        spec = self.doc["images"][index]
        if "bufferView" in spec:
            blob, start, length, _ = self.view(spec["bufferView"])
            data = blob[start : start + length]
        else:
            data = self.uri_bytes(spec["uri"], f"image {index}")
        try:
            return _decode_image(data)
        except Exception as exc:  # decoders raise many types (zlib, PIL, struct); all mean a bad image
            raise InputError(f"{self.path}: image {index} cannot be decoded ({exc})") from exc


def _decode_image(data: bytes) -> np.ndarray:
    """Return RGBA uint8 [H, W, 4] pixels of a PNG or JPEG (Pillow, a required dependency)."""
    with Image.open(io.BytesIO(data)) as img:
        return np.asarray(img.convert("RGBA"), dtype=np.uint8).copy()
