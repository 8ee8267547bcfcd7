"""Wavefront OBJ input with its MTL materials and their textures.

Reads ``v`` (with optional ``r g b`` vertex colours, taken as sRGB), ``vt``,
``vn``, ``f`` (polygons fanned into triangles; negative indices count back),
``o``/``g`` (groups, for ``--split nodes``), ``usemtl`` and ``mtllib``. From the
MTL: ``Kd``, ``map_Kd``, ``d``, and roughness from ``Pr`` (PBR extension) or
else from ``Ns`` (``sqrt(2 / (Ns + 2))``), metallic from ``Pm``. A texture or
MTL file outside the OBJ's folder, or missing, is an InputError.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
from PIL import Image

from exporters.errors import InputError
from pipelines.sources.types import SourceMaterial, SourceMesh, SourceTexture


def read_obj(path: Path, data: bytes) -> SourceMesh:
    """Return the mesh of OBJ ``data`` (read from ``path``; its MTL and textures beside it)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    v, vt, vn, colors = [], [], [], []
    corners: list[list[str]] = []  # per face: its corner tokens
    face_mat, face_grp = [], []
    mat_names: dict[str, int] = {}
    groups: dict[str, int] = {}
    mtl_files: list[str] = []
    current_mat, current_grp = -1, _index(groups, "default")
    for number, line in enumerate(io.StringIO(text), 1):
        head, _, rest = line.strip().partition(" ")
        if head == "v":
            nums = rest.split()
            v.append(nums[:3])
            if len(nums) >= 6:
                colors.append(nums[3:6])
        elif head == "f":
            tokens = rest.split()
            if len(tokens) < 3:
                raise InputError(f"{path}: line {number}: a face needs at least 3 corners")
            corners.append(tokens)
            face_mat.append(current_mat)
            face_grp.append(current_grp)
        elif head == "vt":
            vt.append(rest.split()[:2])
        elif head == "vn":
            vn.append(rest.split()[:3])
        elif head in ("o", "g"):
            current_grp = _index(groups, rest.strip() or "default")
        elif head == "usemtl":
            current_mat = _index(mat_names, rest.strip())
        elif head == "mtllib":
            mtl_files.append(rest.strip())
    try:
        pos = np.array(v, dtype=np.float64).reshape(-1, 3)
        uvs = np.array(vt, dtype=np.float64).reshape(-1, 2)
        nrm = np.array(vn, dtype=np.float64).reshape(-1, 3)
        col = np.array(colors, dtype=np.float64).reshape(-1, 3) if len(colors) == len(v) and colors else None
    except ValueError as exc:
        raise InputError(f"{path}: a vertex line is not numbers ({exc})") from exc
    if not corners:
        raise InputError(f"{path}: the file has no faces")
    tri_corners, tri_face = _fan(corners)
    keys = _corner_indices(path, tri_corners, (len(pos), len(uvs), len(nrm)))
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    materials = _materials(path, mtl_files, mat_names)
    out = SourceMesh(
        positions=pos[unique[:, 0]],
        faces=inverse.reshape(-1, 3),
        normals=nrm[unique[:, 2]] if len(nrm) and (unique[:, 2] >= 0).all() else None,
        uv=_obj_uv(uvs[unique[:, 1]])[None] if len(uvs) and (unique[:, 1] >= 0).all() else None,
        colors=_srgb_to_linear_rgba(col[unique[:, 0]]) if col is not None else None,
        face_material=np.where(np.array(face_mat)[tri_face] >= 0, np.array(face_mat)[tri_face], len(materials) - 1),
        materials=materials,
        face_group=np.array(face_grp, np.int64)[tri_face],
        group_names=list(groups),
    )
    return out


def _index(table: dict[str, int], name: str) -> int:
    return table.setdefault(name, len(table))


def _fan(corners: list[list[str]]) -> tuple[list[str], np.ndarray]:
    """Return the corner tokens of the triangles (polygons fanned from their first corner) and each one's face."""
    out: list[str] = []
    face: list[int] = []
    for i, c in enumerate(corners):
        if len(c) == 3:
            out += c
            face.append(i)
        else:
            for k in range(1, len(c) - 1):
                out += (c[0], c[k], c[k + 1])
                face.append(i)
    return out, np.array(face, np.int64)


def _corner_indices(path: Path, tokens: list[str], counts: tuple[int, int, int]) -> np.ndarray:
    """Return [N, 3] zero-based (v, vt, vn) per corner token (-1 where absent); InputError when out of range."""
    parts = [t.split("/") for t in tokens]
    cols = np.full((len(parts), 3), "0", dtype=object)
    for j in range(3):
        cols[:, j] = [p[j] if len(p) > j and p[j] else "0" for p in parts]
    try:
        raw = cols.astype(np.int64)
    except ValueError as exc:
        raise InputError(f"{path}: a face index is not an integer ({exc})") from exc
    out = np.where(raw > 0, raw - 1, np.where(raw < 0, raw + np.array(counts), -1))
    for j, (name, n) in enumerate(zip(("vertex", "texture", "normal"), counts)):
        bad = (raw[:, j] != 0) & ((out[:, j] < 0) | (out[:, j] >= n))
        if bad.any():
            raise InputError(f"{path}: face {name} index {int(raw[bad, j][0])} out of range (the file has {n})")
    if (out[:, 0] < 0).any():
        raise InputError(f"{path}: a face corner has no vertex index")
    return out


def _obj_uv(uv: np.ndarray) -> np.ndarray:
    return np.stack([uv[:, 0], 1.0 - uv[:, 1]], axis=1)  # OBJ v grows upwards, glTF's downwards


def _srgb_to_linear_rgba(rgb: np.ndarray) -> np.ndarray:
    rgb = np.clip(rgb, 0.0, 1.0)
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return np.concatenate([lin, np.ones((len(lin), 1))], axis=1)


def _inside(path: Path, name: str, what: str) -> Path:
    folder = path.parent.resolve()
    target = (folder / name.replace("\\", "/")).resolve()
    if not target.is_relative_to(folder):
        raise InputError(f"{path}: {what} {name!r} leaves the file's folder; refusing to read it")
    if not target.is_file():
        raise InputError(f"{path}: {what} {name!r} is missing")
    return target


def _materials(path: Path, mtl_files: list[str], used: dict[str, int]) -> list[SourceMaterial]:
    """Return one material per ``usemtl`` name (in first-use order) and a default last."""
    specs: dict[str, dict[str, list[str]]] = {}
    for name in mtl_files:
        mtl = _inside(path, name, "material library")
        current: dict[str, list[str]] | None = None
        for line in mtl.read_text(encoding="utf-8", errors="replace").splitlines():
            head, _, rest = line.strip().partition(" ")
            if head == "newmtl":
                current = specs.setdefault(rest.strip(), {})
            elif current is not None and head:
                current[head] = rest.split()
    out = []
    for name in used:
        spec = specs.get(name, {})
        kd = [float(x) for x in spec.get("Kd", ["1", "1", "1"])[:3]]
        alpha = float(spec.get("d", ["1"])[0])
        texture = None
        if "map_Kd" in spec and spec["map_Kd"]:
            image = _inside(path, spec["map_Kd"][-1], "texture")
            try:
                with Image.open(image) as img:
                    pixels = np.asarray(img.convert("RGBA"), dtype=np.uint8).copy()
            except Exception as exc:  # decoders raise many types; all mean a bad image
                raise InputError(f"{path}: texture {image.name!r} cannot be decoded ({exc})") from exc
            texture = SourceTexture(pixels, uv_transform=(1.0, 0.0, 0.0, 0.0, 1.0, 0.0))
            kd = [1.0, 1.0, 1.0] if "Kd" not in spec else kd
        stated = "Pr" in spec or "Ns" in spec
        rough = float(spec["Pr"][0]) if "Pr" in spec else math.sqrt(2.0 / (float(spec.get("Ns", ["0"])[0]) + 2.0))
        out.append(
            SourceMaterial(
                name=name,
                base_color_factor=(kd[0], kd[1], kd[2], alpha),  # MTL Kd is linear reflectance
                base_color_texture=texture,
                roughness=min(max(rough, 0.0), 1.0) if stated else 0.8,
                metallic=float(spec.get("Pm", ["0"])[0]),
                stated=stated,
            )
        )
    out.append(SourceMaterial(stated=False, roughness=0.8))
    return out
