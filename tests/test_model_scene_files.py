"""What the written files say about the scene: node extras (support, attributes, ...) and the asset's scene extras.

Read back from the GLB (pygltflib) and the manifest, as a scene checker would; every GLB passes the
Khronos validator.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from pygltflib import GLTF2

from pipelines.generate import GenRequest, generate
from pipelines.models.procedural import ProceduralModel
from pipelines.options import BuildOptions, GenOptions
from tests.scene_parse import mention, parsed
from tests.validator import assert_valid_gltf

OPTS = BuildOptions(resolution=24, texture_size=64, lods=0, collision=False, workers=1)

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _write(tmp_path, name: str, prompt: str, plan=None):  # noqa: ANN001, ANN202
    options = GenOptions(seed=3, build=OPTS, device="cpu", target="unreal")
    outcome = generate(GenRequest(prompt=prompt, name=name, out_root=tmp_path, options=options, plan=plan))
    glb = outcome.out_dir / f"{name}.glb"
    assert_valid_gltf(glb)
    return GLTF2().load(str(glb)), json.loads((outcome.out_dir / "manifest.json").read_text())


def _positions(gltf: GLTF2, mesh_index: int) -> np.ndarray:
    prim = gltf.meshes[mesh_index].primitives[0]
    acc = gltf.accessors[prim.attributes.POSITION]
    view = gltf.bufferViews[acc.bufferView]
    data = gltf.binary_blob()[view.byteOffset + (acc.byteOffset or 0) : view.byteOffset + view.byteLength]
    return np.frombuffer(data, dtype=np.float32, count=acc.count * 3).reshape(-1, 3)


def test_a_prop_file_holds_the_object_alone_standing_on_its_pivot(tmp_path) -> None:  # noqa: ANN001
    gltf, manifest = _write(tmp_path, "rock", "a rock")
    scene = gltf.asset.extras["scene"]
    # pygltflib leaves out null and empty values when it writes: a reader takes a missing key as null/empty
    assert scene["kind"] == "prop" and scene.get("features", {}) == {} and scene.get("water_level") is None
    nodes = [n for n in gltf.nodes if n.mesh is not None]
    assert len(nodes) == 1 and nodes[0].extras["kind"] == "rock" and nodes[0].extras["support"] == "ground"
    assert list(nodes[0].translation or [0, 0, 0]) == [0.0, 0.0, 0.0]
    pts = _positions(gltf, nodes[0].mesh)
    assert abs(float(pts[:, 1].min())) < 0.05  # its lowest point is its pivot's height
    centre = (pts[:, [0, 2]].max(axis=0) + pts[:, [0, 2]].min(axis=0)) / 2
    assert np.abs(centre).max() < 0.1
    assert manifest["nodes"][0]["extras"]["words"] == "a rock"


def test_an_interior_file_says_what_stands_on_what(tmp_path) -> None:  # noqa: ANN001
    p = parsed(
        [
            mention("table", 1, "a table"),
            mention("candle", 1, "a candle", placement="on", anchor=0),
            mention("barrel", 3, "stacked barrels", stacked=True, placement="against", feature="walls"),
        ],
        ("interior",),
        trace=[{"words": "a table", "kind": "table", "count": 1}],
    )
    plan = ProceduralModel(embeddings=False).plan_from(p, "a table, a candle on it, stacked barrels", 3)
    plan.entities = [e for e in plan.entities if e.words in ("a table", "a candle", "stacked barrels")]
    gltf, manifest = _write(tmp_path, "room", plan.prompt, plan)
    scene = gltf.asset.extras["scene"]
    assert scene["kind"] == "interior" and len(scene["features"]["walls"]) == 2
    # support and anchor name plan ids, the manifest's nodes[].name; the file's node is nodes[].object_name
    name_of = {n["object_name"]: n["name"] for n in manifest["nodes"]}
    extras = {name_of[n.name]: n.extras for n in gltf.nodes if n.extras and "support" in n.extras}
    assert extras["candle_01"]["support"] == "table_01" and extras["candle_01"]["placement"] == "on"
    assert extras["table_01"]["support"] == "floor"
    stacked = [e for name, e in extras.items() if name.startswith("barrel") and e["support"].startswith("barrel")]
    assert len(stacked) >= 1 and all(e["anchor"] for e in stacked)
    by_name = {n["name"]: n for n in manifest["nodes"]}
    assert by_name["candle_01"]["extras"]["support"] == "table_01"


def test_the_plans_warnings_reach_the_manifest(tmp_path) -> None:  # noqa: ANN001
    """What the model could not honour (a capped count, things with no room) is in the written manifest too."""
    plan = ProceduralModel().generate("a wooden chest", 3)
    plan.warnings.append("'100000 houses': 100000 house wanted, 300 made (at most 300 per group)")
    _, manifest = _write(tmp_path, "chest", "a wooden chest", plan)
    assert "'100000 houses': 100000 house wanted, 300 made (at most 300 per group)" in manifest["warnings"]
