"""Property-based fuzzing of `hyworld convert`'s readers (pipelines/sources): random, truncated and damaged bytes.

Seed files of every format convert reads (GLB, OBJ, PLY mesh/points/splats in ASCII and
binary, STL ASCII and binary), written by independent libraries, are cut short, overwritten
in places or replaced by random bytes. Each must be read, or refused with exactly one
``InputError`` (exit 2) or ``ResourceError`` (exit 3): never another exception (exit 1),
and never a hang (each example has a deadline). tests/fuzzing.py holds the shared settings.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import trimesh
from hypothesis import given
from hypothesis import strategies as st

from exporters.errors import InputError, ResourceError
from pipelines.sources import read_source, sniff
from tests.convert_inputs import coloured_sphere, write_point_cloud, write_splats
from tests.fuzzing import fuzz


@functools.cache
def seeds() -> dict[str, bytes]:
    """One small, valid file per format and encoding convert reads."""
    mesh = coloured_sphere(1)
    out = {
        "glb": mesh.export(file_type="glb"),
        "obj": mesh.export(file_type="obj").encode(),
        "ply-mesh": mesh.export(file_type="ply", encoding="binary"),
        "ply-mesh-ascii": mesh.export(file_type="ply", encoding="ascii"),
        "stl": mesh.export(file_type="stl"),
        "stl-ascii": trimesh.exchange.stl.export_stl_ascii(mesh).encode(),
    }
    with tempfile.TemporaryDirectory(prefix="hyworld-fuzz-") as tmp:
        for name, write in (
            ("ply-points", lambda p: write_point_cloud(p, 40, binary=False)),
            ("ply-points-bin", lambda p: write_point_cloud(p, 40)),
            ("ply-splats", lambda p: write_splats(p, 40)),
        ):
            path = Path(tmp) / f"{name}.ply"
            write(path)
            out[name] = path.read_bytes()
    return {k: bytes(v) for k, v in out.items()}


def _damage(data: bytes, cut: float, patches: list[tuple[float, bytes]]) -> bytes:
    """``data`` with bytes overwritten at relative positions, then cut to a fraction of its length."""
    buf = bytearray(data)
    for where, junk in patches:
        at = int(where * len(buf))
        buf[at : at + len(junk)] = junk
    return bytes(buf[: max(1, int(cut * len(buf)))])


def _read_or_refuse(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory(prefix="hyworld-fuzz-") as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        try:
            read_source(path)
        except (InputError, ResourceError) as exc:
            assert "\n" not in str(exc), exc


PATCH = st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=16))
FORMAT = st.sampled_from(sorted(["glb", "obj", "ply-mesh", "ply-mesh-ascii", "stl", "stl-ascii", "ply-points",
                                 "ply-points-bin", "ply-splats"]))  # fmt: skip


@fuzz(250, deadline_s=20)
@given(FORMAT, st.floats(0, 1), st.lists(PATCH, max_size=4), st.sampled_from(["", ".glb", ".ply", ".obj"]))
def test_damaged_inputs_are_read_or_refused_with_one_line(fmt, cut, patches, suffix):
    _read_or_refuse(_damage(seeds()[fmt], cut, patches), suffix)


# Random bytes that start like each format, so the sniffer hands them to that format's reader.
MAGIC = st.sampled_from([b"", b"glTF", b"glTF\x02\x00\x00\x00", b"ply\n", b"ply\nformat ascii 1.0\n", b"solid x\nfacet",
                         b'{"asset": {"version": "2.0"}', b"v 1 2 3\nf 1 2 3\n", b"v ", b"\xef\xbb\xbf"])  # fmt: skip


@fuzz(250, deadline_s=20)
@given(MAGIC, st.binary(max_size=400))
def test_random_bytes_are_sniffed_and_read_or_refused_with_one_line(magic, tail):
    data = magic + tail
    assert sniff(data) in (None, "glb", "gltf", "ply", "stl", "obj")
    _read_or_refuse(data, ".bin")


def test_the_seed_files_themselves_are_read():
    """The fuzzing starts from files convert reads (else the damage tests would only test refusals)."""
    for fmt, data in seeds().items():
        with tempfile.TemporaryDirectory(prefix="hyworld-fuzz-") as tmp:
            path = Path(tmp) / "input"
            path.write_bytes(data)
            source = read_source(path)
            assert source.mesh is not None or source.points is not None, fmt
