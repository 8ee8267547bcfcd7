"""Blender (bpy 4.5) imports copies as linked duplicates: one mesh datablock with a user per copy.

bpy is a 1 GB wheel for Python 3.11 and is not a test dependency: the test runs with
the Python named by $HYWORLD_BPY_PYTHON (a venv with `pip install bpy==4.5.4`), or with
this interpreter when it can import bpy, and is skipped, saying so, when neither can.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exporters import write_formats
from exporters.presets import get_preset
from tests.test_instancing import instanced_asset

SCRIPT = Path(__file__).resolve().parent / "tools" / "blender_objects.py"


def _bpy_python() -> str | None:
    named = os.environ.get("HYWORLD_BPY_PYTHON")
    if named:
        return named
    return sys.executable if importlib.util.find_spec("bpy") is not None else None


def blender_objects(path: Path) -> dict:
    python = _bpy_python()
    if python is None:
        pytest.skip("bpy is not installed: set HYWORLD_BPY_PYTHON to a Python 3.11 with `pip install bpy==4.5.4`")
    proc = subprocess.run([python, str(SCRIPT), str(path)], capture_output=True, text=True, timeout=300)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("HYWORLD_JSON ")]
    assert proc.returncode == 0 and lines, proc.stderr[-2000:]
    return json.loads(lines[-1].split(" ", 1)[1])


@pytest.mark.parametrize(
    ("target", "name"), [("generic", "village.glb"), ("unity", "village.glb"), ("unity", "village.fbx")]
)
def test_blender_imports_copies_as_linked_duplicates(tmp_path, target, name):
    write_formats(instanced_asset(), tmp_path, "village", get_preset(target))
    objects = blender_objects(tmp_path / name)
    houses = [o for o in objects.values() if o["type"] == "MESH" and o["mesh"] == "house_01_LOD0"]
    assert len(houses) == 4, objects  # four objects drawing one mesh
    assert all(o["users"] == 4 for o in houses)
    drawn = [o for o in houses if "Orphan Nodes" not in o["collections"]]
    assert len(drawn) == 4
