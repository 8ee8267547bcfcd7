"""The CLI as users meet it: bad input, exit codes, --json, determinism, written files."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
QUICK = ["--resolution", "32", "--texture-size", "128", "--lods", "1", "--device", "cpu"]


def hyworld(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "hyworld_cli", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600
    )


def files_under(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []


@pytest.fixture
def prompt(tmp_path: Path) -> Path:
    p = tmp_path / "hamlet.txt"
    p.write_text("two houses next to a stone well, a wooden fence and three trees", encoding="utf-8")
    return p


def test_version_prints_version():
    r = hyworld("--version")
    assert r.returncode == 0
    assert r.stdout.startswith("hyworld ")


@pytest.mark.sampled
@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"   \n\t  \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 houses", "not UTF-8"),
    ],
    ids=["missing", "empty", "whitespace", "binary", "latin1"],
)
def test_bad_prompt_exits_2_with_one_line_and_writes_nothing(tmp_path: Path, content, message):
    prompt = tmp_path / "p.txt"
    if content is not None:
        prompt.write_bytes(content)
    out = tmp_path / "out"
    r = hyworld("gen", str(prompt), "--out", str(out), *QUICK)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert r.stdout == ""
    assert files_under(out) == []


@pytest.mark.sampled
@pytest.mark.parametrize(
    "args",
    [
        ["--resolution", "0"],
        ["--resolution", "100000"],
        ["--texture-size", "1000"],
        ["--device", "tpu"],
        ["--target", "cryengine"],
        ["--lods", "-1"],
    ],
    ids=["res-0", "res-huge", "tex-not-pow2", "bad-device", "bad-target", "neg-lods"],
)
def test_bad_option_exits_2_and_writes_nothing(tmp_path: Path, prompt: Path, args):
    out = tmp_path / "out"
    r = hyworld("gen", str(prompt), "--out", str(out), *QUICK, *args)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert files_under(out) == []


@pytest.mark.slow
def test_cuda_request_without_cuda_exits_2(tmp_path: Path, prompt: Path):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    r = hyworld("gen", str(prompt), "--out", str(tmp_path / "out"), "--device", "cuda")
    assert r.returncode == 2
    assert "CUDA" in r.stderr


@pytest.mark.slow
def test_unwritable_output_folder_exits_2(tmp_path: Path, prompt: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    r = hyworld("gen", str(prompt), "--out", str(blocker / "sub"), *QUICK)
    assert r.returncode == 2, r.stderr
    assert "not a folder" in r.stderr
    # procfs refuses new folders even to root
    r = hyworld("gen", str(prompt), "--out", "/proc/hyworld-test", *QUICK)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.slow
def test_gen_writes_valid_asset_json_on_stdout_and_same_bytes_twice(tmp_path: Path, prompt: Path):
    from exporters.manifest import validate_manifest
    from tests.validator import assert_valid_gltf

    out = tmp_path / "out"
    r = hyworld("gen", str(prompt), "--out", str(out), "--seed", "7", "--json", *QUICK)
    assert r.returncode == 0, r.stderr
    manifest = json.loads(r.stdout)  # stdout holds only the JSON
    validate_manifest(manifest)
    asset_dir = out / "hamlet"
    glb = asset_dir / "hamlet.glb"
    assert glb.is_file() and (asset_dir / "manifest.json").is_file()
    assert json.loads((asset_dir / "manifest.json").read_text()) == manifest
    for f in manifest["files"]:
        data = (asset_dir / f["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f["sha256"]
    assert_valid_gltf(glb)
    names = {n["name"] for n in manifest["nodes"]}
    assert "terrain" in names and {"house_01", "house_02", "well_01"} <= names
    assert not [p for p in files_under(out) if p.name.endswith(".part")]

    # An existing asset is not overwritten without --force ...
    first = glb.read_bytes()
    r = hyworld("gen", str(prompt), "--out", str(out), "--seed", "7", *QUICK)
    assert r.returncode == 2 and "--force" in r.stderr
    # ... and with --force the same seed and options give the same bytes.
    r = hyworld("gen", str(prompt), "--out", str(out), "--seed", "7", "--force", *QUICK)
    assert r.returncode == 0, r.stderr
    assert glb.read_bytes() == first


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.sampled
@pytest.mark.parametrize(
    "args, words",
    [
        (["gen", "{prompt}", "--out", "{tmp}/out", "--seed", "-1"], "--seed -1 is out of range"),
        (["gen", "{prompt}", "--out", "{tmp}/out", "--seed", str(2**63)], "out of range"),
        (["plan", "{prompt}", "-o", "{tmp}/out/plan.json", "--seed", "-1"], "--seed -1 is out of range"),
        (["batch", "{prompt}", "--out", "{tmp}/out", "--seed", "-1"], "--seed -1 is out of range"),
        (["gen", "{prompt}", "--out", "{tmp}/out", "--seed", "abc"], "'--seed'"),
        (["gen", "{prompt}", "--out", "{tmp}/out", "--resolution", "1e3"], "'--resolution'"),
        (["gen", "{prompt}", "--out", "{tmp}/out", "--bogus"], "--bogus"),
        (["gen", "--out", "{tmp}/out"], "Missing argument"),
        (["batch", "{prompt}", "--out", "{tmp}/out", "--jobs", "x"], "'--jobs'"),
        (["plan", "{prompt}", "-o", "{tmp}/outdir"], "is a folder"),
        (["preview", "{prompt}", "-o", "{tmp}/outdir"], "is a folder"),
    ],
    ids=[
        "gen-seed-neg",
        "gen-seed-huge",
        "plan-seed-neg",
        "batch-seed-neg",
        "seed-not-int",
        "res-float",
        "unknown-option",
        "missing-prompt",
        "jobs-not-int",
        "plan-out-dir",
        "preview-out-dir",
    ],
)
def test_bad_values_exit_2_with_one_line_and_write_nothing(tmp_path: Path, prompt: Path, args, words):
    (tmp_path / "outdir").mkdir()
    r = hyworld(*[a.format(prompt=prompt, tmp=tmp_path) for a in args])
    assert r.returncode == 2, r.stderr
    assert words in _one_line(r.stderr) and "Traceback" not in r.stderr
    assert files_under(tmp_path / "out") == [] and files_under(tmp_path / "outdir") == []


@pytest.mark.slow
def test_an_asset_folder_that_is_a_link_or_a_file_is_refused(tmp_path: Path, prompt: Path):
    out, outside = tmp_path / "o", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "hamlet").symlink_to(outside)
    r = hyworld("gen", str(prompt), "--out", str(out), *QUICK)
    assert r.returncode == 2 and "symbolic link" in _one_line(r.stderr)
    assert files_under(outside) == []
    (out / "hamlet").unlink()
    (out / "hamlet").write_text("a file of the user's")
    r = hyworld("gen", str(prompt), "--out", str(out), "--force", *QUICK)
    assert r.returncode == 2 and "not a folder" in _one_line(r.stderr)
    assert (out / "hamlet").read_text() == "a file of the user's"


@pytest.mark.sampled
@pytest.mark.parametrize(
    "text, words",
    [
        ('{"prompt": "a rock", "seed": 0, "entities": [{"size_m": NaN}]}', "NaN"),
        ('{"prompt": "a rock", "seed": Infinity}', "Infinity"),
        ("[" * 10 + "]" * 10, "a plan is a JSON object"),
    ],
    ids=["nan", "infinity", "not-an-object"],
)
def test_a_plan_with_non_numbers_exits_2(tmp_path: Path, prompt: Path, text, words):
    plan = tmp_path / "plan.json"
    plan.write_text(text)
    r = hyworld("gen", str(prompt), "--plan", str(plan), "--out", str(tmp_path / "out"), *QUICK)
    assert r.returncode == 2, r.stderr
    assert words in _one_line(r.stderr)
    assert files_under(tmp_path / "out") == []


@pytest.mark.slow
def test_a_plan_past_the_size_limit_is_refused_before_parsing(tmp_path: Path, prompt: Path):
    from hyworld_cli.commands import MAX_PLAN_BYTES

    plan = tmp_path / "plan.json"
    with open(plan, "wb") as fh:
        fh.truncate(MAX_PLAN_BYTES + 1)
    r = hyworld("gen", str(prompt), "--plan", str(plan), "--out", str(tmp_path / "out"), *QUICK)
    assert r.returncode == 2 and "the limit is" in _one_line(r.stderr)


def _edited_plan(change) -> dict:
    from pipelines.models import get_model

    data = get_model("procedural").generate("a house beside a tree", 0).to_dict()
    change(data)
    return data


def _tree(data: dict) -> dict:
    return next(e for e in data["entities"] if e["kind"] == "tree")


def _house(data: dict) -> dict:
    return next(e for e in data["entities"] if e["kind"] == "house")


@pytest.mark.sampled
@pytest.mark.parametrize(
    "change, words",
    [
        (lambda d: _house(d).update(scale="big"), "scale must be a number"),
        (
            lambda d: _house(d)["materials"][next(iter(_house(d)["materials"]))].update(base_color=[0.5, 0.5]),
            "list of 3",
        ),
        (lambda d: d["environment"].update(size_m=[-40, -40]), "size_m[0] = -40 is out of range"),
        (lambda d: _house(d).update(position=[1e30, 0, 0]), "position[0]"),
        (lambda d: _house(d)["params"].update(floors=1e9), "params.floors"),
        (lambda d: _tree(d)["params"].update(blobs=1e9), "params.blobs"),
        (lambda d: _house(d).update(kind="spaceship"), "unknown kind 'spaceship'"),
        (lambda d: d["entities"].extend(dict(_tree(d), id=f"t{i}") for i in range(400)), "at most 300"),
        (lambda d: d.update(seed=-1), "seed"),
    ],
    ids=[
        "scale-str",
        "color-2",
        "ground-neg",
        "pos-1e30",
        "floors-1e9",
        "blobs-1e9",
        "unknown-kind",
        "400-entities",
        "seed-neg",
    ],
)
def test_a_plan_with_values_the_chain_cannot_build_exits_2_before_any_work(tmp_path: Path, prompt: Path, change, words):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_edited_plan(change)))
    r = hyworld("gen", str(prompt), "--plan", str(plan), "--out", str(tmp_path / "out"), *QUICK)
    assert r.returncode == 2, r.stderr
    assert words in _one_line(r.stderr) and "Traceback" not in r.stderr
    assert files_under(tmp_path / "out") == []


@pytest.mark.slow
def test_the_plans_the_model_writes_pass_the_plan_checks():
    from pipelines.models import get_model
    from pipelines.plan import ScenePlan
    from pipelines.plan_checks import check_plan

    model = get_model("procedural")
    for path in sorted((REPO / "samples" / "prompts").glob("*.txt")):
        for seed in (0, 1):
            data = json.loads(json.dumps(model.generate(path.read_text(encoding="utf-8"), seed).to_dict()))
            check_plan(ScenePlan.from_dict(data), path.name)


@pytest.mark.sampled
@pytest.mark.parametrize("uri", ["/etc/passwd", "../../../../etc/hostname", "file:///etc/passwd", "fifo.bin", "sub"])
def test_preview_reads_no_buffer_outside_the_gltf_folder_nor_a_fifo(tmp_path: Path, uri):
    os.mkfifo(tmp_path / "fifo.bin")
    (tmp_path / "sub").mkdir()
    doc = {"asset": {"version": "2.0"}, "buffers": [{"uri": uri, "byteLength": 12}], "meshes": [], "nodes": []}
    doc["bufferViews"] = [{"buffer": 0, "byteLength": 12}]
    doc["accessors"] = [{"bufferView": 0, "componentType": 5126, "count": 1, "type": "VEC3"}]
    doc["meshes"] = [{"primitives": [{"attributes": {"POSITION": 0}}]}]
    doc["nodes"] = [{"mesh": 0}]
    doc["scenes"], doc["scene"] = [{"nodes": [0]}], 0
    (tmp_path / "a.gltf").write_text(json.dumps(doc))
    r = hyworld("preview", str(tmp_path / "a.gltf"), "-o", str(tmp_path / "p.png"), "--size", "64")
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and _one_line(r.stderr)
    assert not (tmp_path / "p.png").exists()
