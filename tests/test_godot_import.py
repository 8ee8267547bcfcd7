"""Godot 3.2 (Debian's godot3-server) imports a --target godot GLB headless and shows what a game would get.

The editor imports the file into a throwaway project (``--editor --quit``; the
server build of 3.2.3 finishes the import but does not always exit, so the test
waits for the imported scene, then stops the process it started), and
``tools/godot/inspect.gd`` instantiates the imported scene and prints its tree:
one visible, textured MeshInstance per object (copies share one Mesh), one
StaticBody with a CollisionShape per collider, a NavigationMeshInstance for the
``NAV_`` node, spawn points as plain Spatials, and no LOD level or collider
drawn. Skipped, saying so, only when godot3-server is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.world_scene import small_world  # noqa: F401 - a session fixture

GODOT = shutil.which("godot3-server") or shutil.which("godot3")
SCRIPT = Path(__file__).resolve().parent / "tools" / "godot" / "inspect.gd"

pytestmark = pytest.mark.skipif(GODOT is None, reason="godot3-server is not installed (apt-get install godot3-server)")


def godot_tree(glb: Path, project: Path) -> list[dict]:
    """Return the imported scene's nodes (class, name; meshes: visible, textured, mesh id; shapes: class)."""
    project.mkdir()
    (project / "project.godot").write_text('config_version=4\n[application]\nconfig/name="hyworld_check"\n')
    shutil.copy(glb, project / glb.name)
    shutil.copy(SCRIPT, project / "inspect.gd")
    env = {**os.environ, "HYWORLD_SCENE": f"res://{glb.name}", "LANG": "C.UTF-8"}
    cmd = [GODOT, "--path", str(project), "--editor", "--quit"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            if list((project / ".import").glob(f"{glb.name}-*.md5")):
                time.sleep(2.0)  # the .md5 is written after the imported scene
                break
            time.sleep(0.5)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)
    assert list((project / ".import").glob(f"{glb.name}-*.scn")), "Godot did not import the GLB"
    run = subprocess.run(
        [GODOT, "--path", str(project), "-s", "inspect.gd"], capture_output=True, text=True, timeout=240, env=env
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("HYWORLD_JSON ")]
    assert lines, run.stdout[-2000:] + run.stderr[-2000:]
    return json.loads(lines[-1].split(" ", 1)[1])


@pytest.mark.slow
def test_godot_imports_one_textured_mesh_per_object_and_hinted_colliders(small_world, tmp_path):  # noqa: F811
    tree = godot_tree(small_world["glb"], tmp_path / "project")
    manifest = small_world["manifest"]
    objects = [n["object_name"] for n in manifest["nodes"]]
    meshes = [n for n in tree if n["class"] == "MeshInstance"]
    assert sorted(m["name"] for m in meshes) == sorted(objects)  # nothing else is drawn: no LOD1+, no collider
    assert all(m["visible"] and m["textured"] for m in meshes)
    # copies draw their variant's Mesh resource
    by_name = {m["name"]: m for m in meshes}
    for entry in manifest["nodes"]:
        variant = entry["extras"].get("instance_of")
        if variant:
            assert by_name[entry["object_name"]]["mesh_id"] == by_name[variant]["mesh_id"]
    assert any(n["extras"].get("instance_of") for n in manifest["nodes"])
    # one static body with its collision shape per collider the manifest lists
    bodies = Counter(n["class"] for n in tree)
    colliders = sum(1 for n in manifest["nodes"] for c in n["collision"] if c["gltf_node"])
    assert bodies["StaticBody"] == colliders and bodies["CollisionShape"] == colliders
    assert all(
        n.get("shape") in ("ConvexPolygonShape", "ConcavePolygonShape") for n in tree if n["class"] == "CollisionShape"
    )
    assert bodies["NavigationMeshInstance"] == 1
    spawns = [n for n in tree if n["name"].startswith("SPAWN_")]
    assert len(spawns) == 4 and all(n["class"] == "Spatial" for n in spawns)
