"""Read any input ``hyworld convert`` takes, told apart by content (magic bytes), never by extension.

``read_source(path)`` returns a :class:`Source`: a ``SourceMesh`` (GLB/glTF,
OBJ+MTL, PLY mesh, STL) or ``SourcePoints`` (PLY point cloud or 3DGS splats);
a folder (such as HY-World 2.0's output) gives its richest file: a mesh, else
splats, else points, and the choice is noted. Every problem with the input is
an ``InputError`` naming the file (exit 2); an input whose working set would
not fit in memory is a ``ResourceError`` (exit 3) raised before any parsing.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from exporters.errors import InputError, ResourceError
from exporters.files import read_input
from pipelines.sources import ply
from pipelines.sources.stl import is_ascii_stl, is_binary_stl
from pipelines.sources.types import Source, SourceMaterial, SourceMesh, SourcePoints, SourceTexture

log = logging.getLogger("hyworld.convert")

# Working bytes per input byte (arrays in float64, the surface index, the grids): measured
# peaks stayed under 25x for meshes; points and splats grow grids, not arrays.
BYTES_PER_INPUT_BYTE = 30
_RANK = {"glb": 3, "gltf": 3, "obj": 3, "ply-mesh": 3, "stl": 3, "ply-splats": 2, "ply-points": 1}


def sniff(data: bytes) -> str | None:
    """Return the format of ``data`` from its first bytes: glb, gltf, ply, stl, obj, or None."""
    if data[:4] == b"glTF":
        return "glb"
    if data[:3] == b"ply":
        return "ply"
    if is_binary_stl(data) or is_ascii_stl(data):
        return "stl"
    head = data[:4096].lstrip()
    if head[:1] == b"{" and b'"asset"' in data[: 1 << 20]:
        return "gltf"
    lines = {ln.split(maxsplit=1)[0] for ln in head.splitlines() if ln.strip() and not ln.startswith(b"#")}
    if lines & {b"v", b"f", b"vt", b"vn", b"o", b"g", b"mtllib", b"usemtl"} and b"v" in lines:
        return "obj"
    return None


def available_bytes() -> int:
    """Memory a conversion may use: $HYWORLD_MEMORY_BYTES if set, else MemAvailable (else a large number)."""
    if os.environ.get("HYWORLD_MEMORY_BYTES"):
        return int(os.environ["HYWORLD_MEMORY_BYTES"])
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 1 << 40


def check_memory(path: Path, input_bytes: int) -> None:
    """Raise ResourceError (exit 3) when converting ``input_bytes`` of input would not fit in memory."""
    need, have = input_bytes * BYTES_PER_INPUT_BYTE, available_bytes()
    if need > have:
        raise ResourceError(
            f"{path}: too large for memory (about {need / 2**30:.1f} GiB needed, {have / 2**30:.1f} GiB available); "
            "decimate or crop it first (e.g. split a scene into tiles), or run on a machine with more memory"
        )


def read_source(path: Path) -> Source:
    """Return what ``path`` (a file or a folder of generator output) holds."""
    path = Path(path)
    if path.is_dir():
        return _read_folder(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    check_memory(path, path.stat().st_size)
    return _read_file(path, read_input(path))


def _read_file(path: Path, data: bytes) -> Source:
    kind = sniff(data)
    if kind is None:
        raise InputError(
            f"{path}: not a format hyworld convert reads (GLB, glTF, OBJ, PLY, STL; bad magic {data[:4]!r})"
        )
    if kind in ("glb", "gltf"):
        from pipelines.sources.gltf import read_gltf

        mesh = read_gltf(path)
        mesh.check(path)
        return Source(str(path), kind, mesh=mesh)
    if kind == "obj":
        from pipelines.sources.obj import read_obj

        mesh = read_obj(path, data)
        mesh.check(path)
        return Source(str(path), kind, mesh=mesh)
    if kind == "stl":
        from pipelines.sources.stl import read_stl

        mesh = read_stl(path, data)
        mesh.check(path)
        return Source(str(path), kind, mesh=mesh)
    fmt, got = ply.read_ply(path, data)
    got.check(path)
    if isinstance(got, SourceMesh):
        return Source(str(path), fmt, mesh=got)
    return Source(str(path), fmt, points=got)


def _read_folder(folder: Path) -> Source:
    """Return the richest representation in ``folder``: a mesh, else splats, else points (the choice noted)."""
    best, kind, candidates = pick_from_folder(folder)
    source = read_source(best)
    others = ", ".join(f"{c[2].relative_to(folder)} ({c[3]})" for c in candidates if c[2] != best)
    note = f"picked {best.relative_to(folder)} ({kind}) from the folder" + (f" over {others}" if others else "")
    log.warning("%s", note)
    source.notes.append(note)
    source.cameras_opencv = has_colmap_cameras(folder)
    if source.cameras_opencv:
        source.notes.append("COLMAP/OpenCV cameras found: the input frame is Y down, Z forward")
    return source


def pick_from_folder(folder: Path) -> tuple[Path, str, list]:
    """Return (the richest file in ``folder``, its kind, every candidate (rank, bytes, path, kind))."""
    candidates = []
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or p.stat().st_size < 4:
            continue
        with p.open("rb") as fh:
            head = fh.read(4096)
        kind = sniff(head) if not head.startswith(b"solid") else "stl"
        if kind == "ply":
            try:
                header = ply.read_header(p, head + fh_tail(p))
            except InputError:
                continue
            names = {n for e in header.elements for n, _, _ in e.props}
            kind = "ply-mesh" if header.face_count() else ("ply-splats" if "f_dc_0" in names else "ply-points")
        if kind in _RANK:
            candidates.append((_RANK[kind], p.stat().st_size, p, kind))
    if not candidates:
        raise InputError(f"{folder}: the folder holds no GLB, glTF, OBJ, PLY or STL file")
    _, _, best, kind = max(candidates, key=lambda c: (c[0], c[1], str(c[2])))
    return best, kind, candidates


def fh_tail(p: Path) -> bytes:
    """Return bytes 4096..64k of ``p`` (a long PLY header)."""
    with p.open("rb") as fh:
        fh.seek(4096)
        return fh.read(60000)


def has_colmap_cameras(folder: Path) -> bool:
    """True when ``folder`` holds COLMAP cameras (cameras.bin/.txt with images) or a camera JSON."""
    names = {p.name.lower() for p in folder.rglob("*") if p.is_file()}
    return bool({"cameras.bin", "cameras.txt"} & names) or "cameras.json" in names


__all__ = [
    "Source",
    "SourceMaterial",
    "SourceMesh",
    "SourcePoints",
    "SourceTexture",
    "available_bytes",
    "check_memory",
    "read_source",
    "sniff",
]
