"""A scene model plugged in by name (entry-point group ``hyworld.scene_models``): the example in
samples/plugin_model returns a Field, a mesh and Gaussian splats, and `hyworld gen --model example` makes one
engine-ready node of each (checked by the Khronos validator)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exporters.errors import InputError
from pipelines.models import get_model
from tests.validator import assert_valid_gltf

REPO = Path(__file__).resolve().parents[1]


def plugin_env(tmp_path: Path) -> dict:
    """An environment where the example model is installed: a dist-info with its entry point on PYTHONPATH."""
    site = tmp_path / "site"
    info = site / "hyworld_example_model-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: hyworld-example-model\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[hyworld.scene_models]\nexample = hyworld_example_model:ExampleModel\n")
    paths = [str(REPO), str(REPO / "samples" / "plugin_model"), str(site)]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "COLUMNS": "120"}


def test_unknown_model_lists_the_available_ones():
    with pytest.raises(InputError, match="available: procedural"):
        get_model("no-such-model")


@pytest.mark.slow
def test_plugged_model_returning_field_mesh_and_splats(tmp_path):
    prompt = tmp_path / "scene.txt"
    prompt.write_text("a ball, a crate and a bush")
    args = ["--model", "example", "--out", str(tmp_path / "out"), "--resolution", "48", "--texture-size", "64"]
    proc = subprocess.run(
        [sys.executable, "-m", "hyworld_cli", "gen", str(prompt), *args, "--lods", "1", "--device", "cpu", "--json"],
        capture_output=True,
        text=True,
        env=plugin_env(tmp_path),
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    manifest = json.loads(proc.stdout)
    assert manifest["model"] == "example"
    nodes = {n["name"]: n for n in manifest["nodes"]}
    assert set(nodes) == {"ball", "crate", "object_03"}
    assert nodes["crate"]["translation"][0] == pytest.approx(0.0, abs=1e-3)
    assert nodes["object_03"]["translation"][0] == pytest.approx(2.0, abs=0.05)  # the splats kept their place
    assert all(n["collision"] for n in nodes.values())
    assert_valid_gltf(tmp_path / "out" / "scene" / "scene.glb")
