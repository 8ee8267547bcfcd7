"""`hyworld batch` with convert jobs ({"input": ...} JSONL lines): parsed and checked, sharded, resumed from the
manifests (the input's sha256 and frame options are the job's identity)."""

from __future__ import annotations

import json

import pytest

from exporters.errors import InputError
from hyworld_cli.batch.jobs import _job_from_json, load_jobs
from pipelines.options import GenOptions
from tests.convert_inputs import write_point_cloud
from tests.test_cli import hyworld

TINY = {"resolution": 32, "texture_size": 64, "lods": 1, "device": "cpu"}


def test_convert_jobs_are_parsed_with_their_frame_options(tmp_path):
    lines = [
        {"input": "scans/a.ply", "up": "-y", "forward": "-z", "scale": 2, "options": TINY},
        {"input": "b.glb", "name": "bee", "split": "parts", "height": 3},
        {"prompt": "a village"},
    ]
    src = tmp_path / "jobs.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    jobs = load_jobs(src, GenOptions())
    assert [j.name for j in jobs] == ["a", "bee", "jobs_0003"]
    assert jobs[0].input == str(tmp_path / "scans" / "a.ply") and jobs[0].prompt is None
    assert dict(jobs[0].frame) == {"up": "-y", "forward": "-z", "scale": 2.0}
    assert dict(jobs[1].frame) == {"split": "parts", "height": 3.0}
    assert jobs[2].input is None and jobs[2].prompt == "a village"


@pytest.mark.parametrize(
    "entry",
    [
        {"input": 3},
        {"input": "a.ply", "prompt": "x"},
        {"input": "a.ply", "up": "sideways"},
        {"prompt": "x", "up": "-y"},
    ],
)
def test_bad_convert_jobs_are_input_errors(entry):
    with pytest.raises(InputError):
        _job_from_json(json.dumps(entry).encode(), "jobs.jsonl:1", "j", GenOptions())


@pytest.mark.slow
def test_convert_jobs_shard_and_resume(tmp_path):
    for name in ("a", "b"):
        write_point_cloud(tmp_path / f"{name}.ply", 1500, seed=ord(name))
    src = tmp_path / "jobs.jsonl"
    src.write_text("".join(json.dumps({"input": f"{n}.ply", "options": TINY}) + "\n" for n in ("a", "b")))
    out = tmp_path / "out"
    done = []
    for shard in ("1/2", "2/2"):
        r = hyworld("batch", str(src), "--out", str(out), "--shard", shard, "--json")
        assert r.returncode == 0, r.stderr[-2000:]
        summary = json.loads(r.stdout)
        done += [j["name"] for j in summary["jobs"] if j["status"] == "ok"]
    assert sorted(done) == ["a", "b"]  # each job in exactly one shard
    for name in ("a", "b"):
        manifest = json.loads((out / name / "manifest.json").read_text())
        assert manifest["model"] == "convert" and manifest["extras"]["source"]["format"] == "ply-points"
    r = hyworld("batch", str(src), "--out", str(out), "--json")  # the whole batch finds both done
    summary = json.loads(r.stdout)
    assert (summary["ok"], summary["skipped"]) == (0, 2), r.stdout
    write_point_cloud(tmp_path / "b.ply", 1600, seed=9)  # a changed input is converted again
    summary = json.loads(hyworld("batch", str(src), "--out", str(out), "--json").stdout)
    assert [j["name"] for j in summary["jobs"] if j["status"] == "ok"] == ["b"]
