"""PLY input, ASCII and binary (either byte order): meshes with vertex colours, point clouds, 3D Gaussian splats.

What the file holds is read from its header: faces make a mesh; no faces and
the standard 3DGS properties (``f_dc_0..2``, ``opacity`` as a logit,
``scale_0..2`` as logs, ``rot_0..3`` w-first) make splats, whose colour is SH
band 0 (``0.5 + C0 * f_dc``); otherwise the vertices are a point cloud (colours
and normals when present).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from exporters.errors import InputError
from pipelines.sources.types import SourceMesh, SourcePoints

SH_C0 = 0.28209479177387814
_TYPES = {
    "char": "i1", "int8": "i1", "uchar": "u1", "uint8": "u1", "short": "i2", "int16": "i2",
    "ushort": "u2", "uint16": "u2", "int": "i4", "int32": "i4", "uint": "u4", "uint32": "u4",
    "float": "f4", "float32": "f4", "double": "f8", "float64": "f8",
}  # fmt: skip


@dataclass
class Element:
    name: str
    count: int
    props: list[tuple[str, str, str | None]]  # (name, value type, list count type or None)


@dataclass
class Header:
    fmt: str  # "ascii", "binary_little_endian", "binary_big_endian"
    elements: list[Element]
    body: int  # byte offset of the data

    def element(self, name: str) -> Element | None:
        return next((e for e in self.elements if e.name == name), None)

    def vertex_count(self) -> int:
        e = self.element("vertex")
        return e.count if e else 0

    def face_count(self) -> int:
        e = self.element("face")
        return e.count if e else 0


def read_header(path: Path, data: bytes) -> Header:
    """Return the parsed header of PLY ``data``; InputError if it is not one."""
    if not data.startswith(b"ply"):
        raise InputError(f"{path}: not a PLY file (bad magic {data[:4]!r})")
    end = data.find(b"end_header")
    if end < 0:
        raise InputError(f"{path}: truncated PLY header (no end_header)")
    body = data.find(b"\n", end) + 1
    fmt, elements = "", []
    for line in data[:end].decode("ascii", errors="replace").splitlines()[1:]:
        words = line.split()
        if not words or words[0] in ("comment", "obj_info"):
            continue
        try:
            if words[0] == "format":
                fmt = words[1]
            elif words[0] == "element":
                elements.append(Element(words[1], int(words[2]), []))
            elif words[0] == "property" and words[1] == "list":
                elements[-1].props.append((words[4], _TYPES[words[3]], _TYPES[words[2]]))
            elif words[0] == "property":
                elements[-1].props.append((words[2], _TYPES[words[1]], None))
        except (IndexError, KeyError, ValueError) as exc:
            raise InputError(f"{path}: bad PLY header line {line.strip()!r}") from exc
    if fmt not in ("ascii", "binary_little_endian", "binary_big_endian"):
        raise InputError(f"{path}: unknown PLY format {fmt!r}")
    if any(e.count < 0 for e in elements):
        raise InputError(f"{path}: negative element count in the PLY header")
    return Header(fmt, elements, body)


def read_ply(path: Path, data: bytes) -> tuple[str, SourceMesh | SourcePoints]:
    """Return ("ply-mesh" | "ply-points" | "ply-splats", what the file holds)."""
    header = read_header(path, data)
    tables = _read_elements(path, data, header)
    vertex = tables.get("vertex")
    if vertex is None or not {"x", "y", "z"} <= set(vertex):
        raise InputError(f"{path}: the PLY has no vertex element with x, y, z")
    pos = np.stack([vertex[k] for k in "xyz"], axis=1).astype(np.float64)
    faces = tables.get("face", {}).get("__faces__")
    names = set(vertex)
    if faces is not None and len(faces):
        if faces.min() < 0 or faces.max() >= len(pos):
            raise InputError(f"{path}: face indices out of range (the file has {len(pos)} vertices)")
        colors = _colors(vertex)
        nrm = np.stack([vertex[k] for k in ("nx", "ny", "nz")], 1) if {"nx", "ny", "nz"} <= names else None
        lin = None
        if colors is not None:
            lin = np.where(colors <= 0.04045, colors / 12.92, ((colors + 0.055) / 1.055) ** 2.4)
            lin = np.concatenate([lin, np.ones((len(lin), 1))], axis=1)
        return "ply-mesh", SourceMesh(positions=pos, faces=faces, normals=nrm, colors=lin)
    if "face" in tables and tables["face"] and faces is not None and not len(faces) and not len(pos):
        raise InputError(f"{path}: the file has no faces and no points")
    splat_keys = {
        "f_dc_0",
        "f_dc_1",
        "f_dc_2",
        "opacity",
        "scale_0",
        "scale_1",
        "scale_2",
        "rot_0",
        "rot_1",
        "rot_2",
        "rot_3",
    }
    if splat_keys <= names:
        dc = np.stack([vertex[f"f_dc_{i}"] for i in range(3)], 1).astype(np.float64)
        rot = np.stack([vertex[f"rot_{i}"] for i in range(4)], 1).astype(np.float64)
        norm = np.linalg.norm(rot, axis=1, keepdims=True)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            points = SourcePoints(
                positions=pos,
                colors=np.clip(0.5 + SH_C0 * dc, 0.0, 1.0),
                scales=np.exp(np.stack([vertex[f"scale_{i}"] for i in range(3)], 1).astype(np.float64)),
                rotations=np.where(norm > 0, rot / np.where(norm > 0, norm, 1.0), [1.0, 0.0, 0.0, 0.0]),
                opacity=1.0 / (1.0 + np.exp(-vertex["opacity"].astype(np.float64))),
            )
        return "ply-splats", points
    colors = _colors(vertex)
    nrm = np.stack([vertex[k] for k in ("nx", "ny", "nz")], 1) if {"nx", "ny", "nz"} <= names else None
    if colors is None:
        colors = np.full((len(pos), 3), 0.8)
    return "ply-points", SourcePoints(positions=pos, colors=colors, normals=nrm)


def _colors(vertex: dict[str, np.ndarray]) -> np.ndarray | None:
    """Return sRGB 0..1 colours from red/green/blue (uchar 0..255, or floats 0..1), or None."""
    keys = next(
        (
            k
            for k in (("red", "green", "blue"), ("r", "g", "b"), ("diffuse_red", "diffuse_green", "diffuse_blue"))
            if set(k) <= set(vertex)
        ),
        None,
    )
    if keys is None:
        return None
    c = np.stack([vertex[k] for k in keys], 1)
    scale = 255.0 if c.dtype.kind in "ui" else 1.0
    return np.clip(c.astype(np.float64) / scale, 0.0, 1.0)


def _read_elements(path: Path, data: bytes, header: Header) -> dict[str, dict[str, np.ndarray]]:
    if header.fmt == "ascii":
        return _read_ascii(path, data, header)
    order = "<" if header.fmt == "binary_little_endian" else ">"
    pos, out = header.body, {}
    for e in header.elements:
        if all(p[2] is None for p in e.props):
            dtype = np.dtype([(n, order + t) for n, t, _ in e.props])
            need = dtype.itemsize * e.count
            if pos + need > len(data):
                raise InputError(
                    f"{path}: truncated PLY: element {e.name!r} needs {need} bytes, {len(data) - pos} left"
                )
            table = np.frombuffer(data, dtype, e.count, pos)
            out[e.name] = {n: table[n] for n, _, _ in e.props}
            pos += need
        elif e.name == "face" and len(e.props) >= 1:
            out[e.name], pos = _binary_faces(path, data, pos, e, order)
        else:
            raise InputError(f"{path}: PLY element {e.name!r} has list properties hyworld cannot read")
    return out


def _binary_faces(path: Path, data: bytes, pos: int, e: Element, order: str) -> tuple[dict[str, np.ndarray], int]:
    """Return the triangles (fans of the polygons) of a binary face element and the offset after it."""
    if len(e.props) != 1 or e.props[0][2] is None:
        raise InputError(f"{path}: PLY face element must hold one list property (vertex_indices)")
    _, value, count_t = e.props[0]
    ct, vt = np.dtype(order + count_t), np.dtype(order + value)
    tri = np.dtype([("n", ct), ("i", vt, (3,))])  # the common case: every face a triangle
    if e.count and pos + tri.itemsize * e.count <= len(data):
        table = np.frombuffer(data, tri, e.count, pos)
        if (table["n"] == 3).all():
            return {"__faces__": table["i"].astype(np.int64)}, pos + tri.itemsize * e.count
    faces: list[tuple[int, int, int]] = []
    for _ in range(e.count):
        if pos + ct.itemsize > len(data):
            raise InputError(f"{path}: truncated PLY in the face element")
        n = int(np.frombuffer(data, ct, 1, pos)[0])
        pos += ct.itemsize
        if pos + n * vt.itemsize > len(data):
            raise InputError(f"{path}: truncated PLY in the face element")
        idx = np.frombuffer(data, vt, n, pos).astype(np.int64)
        pos += n * vt.itemsize
        faces.extend((idx[0], idx[k], idx[k + 1]) for k in range(1, n - 1))
    return {"__faces__": np.array(faces, np.int64).reshape(-1, 3)}, pos


def _read_ascii(path: Path, data: bytes, header: Header) -> dict[str, dict[str, np.ndarray]]:
    lines = data[header.body :].decode("ascii", errors="replace").splitlines()
    lines = [ln for ln in lines if ln.strip()]
    out, row = {}, 0
    for e in header.elements:
        chunk = lines[row : row + e.count]
        if len(chunk) < e.count:
            raise InputError(f"{path}: truncated PLY: element {e.name!r} has {len(chunk)} of {e.count} lines")
        row += e.count
        try:
            if all(p[2] is None for p in e.props):
                table = np.array([ln.split()[: len(e.props)] for ln in chunk], dtype=np.float64).reshape(
                    -1, len(e.props)
                )
                out[e.name] = {n: table[:, k].astype(t) for k, (n, t, _) in enumerate(e.props)}
            elif e.name == "face":
                faces: list[tuple[int, int, int]] = []
                for ln in chunk:
                    nums = [int(x) for x in ln.split()]
                    idx = nums[1 : 1 + nums[0]]
                    faces.extend((idx[0], idx[k], idx[k + 1]) for k in range(1, len(idx) - 1))
                out[e.name] = {"__faces__": np.array(faces, np.int64).reshape(-1, 3)}
        except (ValueError, IndexError) as exc:
            raise InputError(f"{path}: bad number in PLY element {e.name!r} ({exc})") from exc
    return out
