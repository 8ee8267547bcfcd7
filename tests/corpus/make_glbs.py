"""Write the damaged GLBs of tests/corpus/glb/ from one valid GLB (run: python -m tests.corpus.make_glbs).

Each is a way a GLB handed to `hyworld preview` can be broken: cut short at each part,
chunk or total lengths that lie, JSON that is not JSON, not an object or nests too deeply,
accessors past their buffer, buffer URIs that leave the folder, random bytes. The bytes
are fixed (random ones from a seeded generator), so the corpus is the same on every machine.
"""

from __future__ import annotations

import json
import random
import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent / "glb"


def _valid() -> bytes:
    """A one-triangle GLB: positions in the BIN chunk, one mesh, one node, one scene."""
    positions = struct.pack("<9f", 0, 0, 0, 1, 0, 0, 0, 1, 0)
    doc = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "name": "tri"}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}}]}],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]}
        ],  # fmt: skip
        "bufferViews": [{"buffer": 0, "byteLength": 36}],
        "buffers": [{"byteLength": 36}],
    }
    return glb(json.dumps(doc).encode(), positions)


def glb(doc: bytes, bin_chunk: bytes | None = None, json_length: int | None = None, total: int | None = None) -> bytes:
    doc += b" " * (-len(doc) % 4)
    body = struct.pack("<I4s", len(doc) if json_length is None else json_length, b"JSON") + doc
    if bin_chunk is not None:
        bin_chunk += b"\0" * (-len(bin_chunk) % 4)
        body += struct.pack("<I4s", len(bin_chunk), b"BIN\0") + bin_chunk
    return struct.pack("<4sII", b"glTF", 2, 12 + len(body) if total is None else total) + body


def cases() -> dict[str, bytes]:
    good = _valid()
    doc = json.loads(good[20 : 20 + struct.unpack_from("<I", good, 12)[0]])
    pos = good[-36:]

    def edited(**changes) -> bytes:
        d = json.loads(json.dumps(doc))
        for key, value in changes.items():
            d[key] = value
        return glb(json.dumps(d).encode(), pos)

    rng = random.Random(14)
    return {
        "empty.glb": b"",
        "magic_only.glb": b"glTF",
        "cut_in_header.glb": good[:10],
        "cut_in_json.glb": good[:40],
        "cut_in_bin.glb": good[:-20],
        "total_length_lies.glb": good[:8] + struct.pack("<I", len(good) + 4096) + good[12:],
        "json_length_lies.glb": glb(json.dumps(doc).encode(), pos, json_length=1 << 30),
        "glb_version_1.glb": b"glTF" + struct.pack("<I", 1) + good[8:],
        "json_not_json.glb": glb(b"{not json at all", pos),
        "json_not_utf8.glb": glb(b'{"asset": "\xff\xfe"}', pos),
        "json_not_object.glb": glb(b"[1, 2, 3]", pos),
        "json_nested_deep.glb": glb(b"[" * 5000 + b"]" * 5000, pos),
        "asset_not_object.glb": edited(asset=[1]),
        "gltf_version_1.glb": edited(asset={"version": "1.0"}),
        "accessor_past_buffer.glb": edited(accessors=[{**doc["accessors"][0], "count": 1 << 20}]),
        "accessor_bad_type.glb": edited(accessors=[{**doc["accessors"][0], "type": "VEC7", "componentType": 1}]),
        "meshes_not_a_list.glb": edited(meshes={"a": 1}),
        "node_mesh_out_of_range.glb": edited(nodes=[{"mesh": 99}]),
        "buffer_uri_escapes.glb": edited(buffers=[{"byteLength": 36, "uri": "../../../../etc/passwd"}]),
        "buffer_uri_absolute.glb": edited(buffers=[{"byteLength": 36, "uri": "/etc/hostname"}]),
        "random_bytes.glb": bytes(rng.randrange(256) for _ in range(4096)),
        "random_after_magic.glb": b"glTF" + bytes(rng.randrange(256) for _ in range(4096)),
    }


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    for name, data in cases().items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(cases())} files to {HERE}")
