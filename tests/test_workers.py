"""Per-object stages in worker processes: the same bytes as one process, and the workers really ran.

The scene is small (a few objects, low resolution and textures) but goes through
every stage; the GLB and FBX are compared byte for byte, and the manifest in
everything but its timings and memory figures (and the recorded worker count).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exporters.manifest import validate_manifest
from pipelines.generate import GenRequest, generate
from pipelines.options import BuildOptions, GenOptions

PROMPT = "a wooden crate, a barrel and a stone well on a meadow"
VARIES = ("stage_seconds", "stage_memory_mb", "files", "options")


def _run(tmp: Path, workers: int):
    opts = GenOptions(
        device="cpu", target="unity", build=BuildOptions(resolution=32, texture_size=64, lods=1, workers=workers)
    )
    return generate(GenRequest(prompt=PROMPT, name="w", out_root=tmp / str(workers), options=opts, force=True))


@pytest.mark.slow
def test_two_workers_write_the_same_bytes_as_one(tmp_path: Path) -> None:
    one, two = _run(tmp_path, 1), _run(tmp_path, 2)
    files_one = {f.path.name: f.path.read_bytes() for f in one.files if f.path.name != "manifest.json"}
    files_two = {f.path.name: f.path.read_bytes() for f in two.files if f.path.name != "manifest.json"}
    assert set(files_one) == set(files_two) and {"w.glb", "w.fbx"} <= set(files_one)
    for name, data in files_one.items():
        assert data == files_two[name], f"{name} differs between 1 and 2 workers"
    m1, m2 = one.manifest, two.manifest
    assert {k: v for k, v in m1.items() if k not in VARIES} == {k: v for k, v in m2.items() if k not in VARIES}
    assert [f["sha256"] for f in m1["files"]] == [f["sha256"] for f in m2["files"]]
    # The per-object stages ran in two worker processes (each reports its own peak), and not without them.
    for stage in ("extract", "bake", "lod", "collision"):
        assert m1["stage_memory_mb"][stage]["workers"] == 0.0
        assert m2["stage_memory_mb"][stage]["workers"] > 2 * 50.0  # two processes holding torch
        assert m2["stage_memory_mb"][stage]["process"] > 50.0
    validate_manifest(m2)
