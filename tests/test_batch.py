"""`hyworld batch`: jobs and their names, options, hashing and sharding (with the fake job of `batch_fakes`)."""

from __future__ import annotations

import json

import pytest

from exporters.errors import InputError
from hyworld_cli.batch import (
    BatchConfig,
    job_hash,
    job_identity,
    load_jobs,
    local_executor_factory,
    parse_shard,
    run_batch,
    select_shard,
    shard_index,
)
from pipelines.options import GenOptions, with_flat
from tests.batch_fakes import calls, fake_job, final_status, run_fake, write_prompts

# --------------------------------------------------------------------------------------- jobs, names


def test_folder_jobs_are_sorted_txt_files_named_by_stem(tmp_path):
    src = write_prompts(tmp_path / "p", {"b": "a rock", "a": "a tree", "c d": "a house"})
    (tmp_path / "p" / "notes.md").write_text("not a prompt")
    jobs = load_jobs(src, GenOptions())
    assert [j.name for j in jobs] == ["a", "b", "c_d"]
    assert [j.prompt for j in jobs] == ["a tree", "a rock", "a house"]


def test_line_list_skips_blanks_and_comments_and_names_by_line(tmp_path):
    src = tmp_path / "list.txt"
    src.write_text("# village set\na tree\n\n   \na  rock\n# done\n")
    jobs = load_jobs(src, GenOptions())
    assert [(j.name, j.prompt) for j in jobs] == [("list_0002", "a tree"), ("list_0005", "a rock")]


def test_colliding_names_get_deterministic_suffixes(tmp_path):
    src = tmp_path / "jobs.jsonl"
    lines = [
        {"prompt": "a", "name": "Rock"},
        {"prompt": "b", "name": "rock"},
        {"prompt": "c", "name": "../rock"},
        {"prompt": "d", "name": "rock_2"},
    ]
    src.write_text("\n".join(json.dumps(x) for x in lines))
    names = [j.name for j in load_jobs(src, GenOptions())]
    assert names == ["Rock", "rock_2", "rock_3", "rock_2_2"]
    assert names == [j.name for j in load_jobs(src, GenOptions())]


def test_jsonl_options_override_the_batch_options(tmp_path):
    src = tmp_path / "jobs.jsonl"
    src.write_text(
        json.dumps({"prompt": "a tree", "seed": 7, "target": "unity", "options": {"texture-size": 128, "lods": 0}})
        + "\n"
        + json.dumps({"prompt": "a rock"})
        + "\n"
    )
    base = with_flat(GenOptions(), seed=1, resolution=24, texture_size=64)
    first, second = load_jobs(src, base)
    assert (
        first.settings.seed,
        first.settings.target,
        first.settings.build.texture_size,
        first.settings.build.lods,
    ) == (7, "unity", 128, 0)
    assert first.settings.build.resolution == 24
    assert second.settings == base


def test_a_jsonl_job_may_set_a_float_option(tmp_path):
    src = tmp_path / "jobs.jsonl"
    src.write_text(json.dumps({"prompt": "a rock", "options": {"agent_radius": 0.3, "agent_step": 1}}) + "\n")
    (job,) = load_jobs(src, GenOptions())
    assert (job.error, job.settings.build.agent_radius, job.settings.build.agent_step) == (None, 0.3, 1.0)


def test_a_jsonl_job_may_set_every_gen_option(tmp_path):
    src = tmp_path / "jobs.jsonl"
    options = {"collision": False, "fbx-ascii": True, "lightmap_resolution": 512, "force": True}
    src.write_text(
        json.dumps({"prompt": "a rock", "options": options}) + "\n" + json.dumps({"prompt": "a tree"}) + "\n"
    )
    first, second = load_jobs(src, GenOptions())
    assert (first.settings.build.collision, first.settings.fbx_ascii, first.settings.build.lightmap_resolution) == (
        False,
        True,
        512,
    )
    assert first.force and not second.force and second.settings == GenOptions()


@pytest.mark.parametrize(
    "line, words",
    [
        ("{not json", "not a JSON object"),
        ('["a tree"]', "JSON object"),
        ('{"prompt": "   "}', "empty"),
        ('{"prompt": 3}', "must be a string"),
        ('{"prompt": "a tree", "sed": 3}', "unknown key"),
        ('{"prompt": "a tree", "options": {"resolutoin": 3}}', "unknown option"),
        ('{"prompt": "a tree", "options": {"lods": "2"}}', "must be an integer"),
        ('{"prompt": "a tree", "seed": true}', "must be an integer"),
        ('{"prompt": "a tree", "options": {"agent_radius": NaN}}', "finite number"),
        ('{"prompt": "a tree", "options": {"agent_radius": "wide"}}', "finite number"),
    ],
)
def test_a_bad_jsonl_line_is_a_failed_job_not_a_crash(tmp_path, line, words):
    src = tmp_path / "jobs.jsonl"
    src.write_text(json.dumps({"prompt": "a rock"}) + "\n" + line + "\n")
    good, bad = load_jobs(src, GenOptions())
    assert good.error is None and bad.prompt is None
    assert words in bad.error and "jobs.jsonl:2" in bad.error


def test_job_hash_covers_content_not_parallelism(tmp_path):
    src = tmp_path / "l.txt"
    src.write_text("a tree\n")
    (job,) = load_jobs(src, GenOptions())
    h = job_hash(job)
    assert h == job_hash(load_jobs(src, GenOptions())[0])
    from dataclasses import replace

    changes = (
        {"seed": 1},
        {"resolution": 24},
        {"target": "unity"},
        {"lods": 1},
        {"model": "other"},
        {"fbx_ascii": True},
        {"collision": False},
        {"lightmap_resolution": 512},
    )
    for change in changes:
        assert job_hash(replace(job, settings=with_flat(job.settings, **change))) != h, change
    assert job_hash(replace(job, prompt="a rock")) != h
    assert job_hash(replace(job, force=True)) == h
    assert job_hash(replace(job, settings=with_flat(job.settings, workers=7))) == h


# Every option away from its default, at settings cheap enough to build.
EVERY_OPTION = {
    "seed": 3,
    "device": "cpu",
    "target": "unreal",
    "fbx_ascii": True,
    "resolution": 12,
    "texture_size": 64,
    "lods": 0,
    "budget": 400,
    "max_triangles": 4000,
    "collision": False,
    "lightmap_resolution": 32,
    "variants": "1",
    "navmesh": False,
    "agent_radius": 0.3,
    "agent_height": 1.5,
    "agent_max_slope": 40.0,
    "agent_step": 0.25,
}


def test_a_generated_manifest_hashes_to_its_jobs_identity(tmp_path):
    """generate() records exactly the options a job's identity covers: a finished asset is known as the job's.

    Every option is set away from its default, so an option the manifest records and the job
    hash leaves out (or the reverse: `fbx_ascii` once) cannot hide.
    """
    from dataclasses import replace

    from hyworld_cli.batch import Job, manifest_hash
    from pipelines.generate import GenRequest, generate
    from pipelines.options import option_fields

    assert {f.name for f in option_fields()} - {"model"} == set(EVERY_OPTION)  # a new option joins this test
    settings = with_flat(GenOptions(), **EVERY_OPTION)
    job = Job("rock", "-", "a rock", settings)
    req = GenRequest(prompt="a rock", name="rock", out_root=tmp_path, options=with_flat(settings, workers=1))
    manifest = generate(req).manifest
    assert set(job_identity(job)["options"]) == set(manifest["options"]) - {"workers"}
    assert manifest_hash(manifest) == job_hash(job)
    for change in ({"fbx_ascii": False}, {"collision": True}, {"lightmap_resolution": 512}, {"agent_step": 0.3}):
        assert manifest_hash(manifest) != job_hash(replace(job, settings=with_flat(settings, **change))), change


# ------------------------------------------------------------------------------------------- sharding


def test_shards_split_jobs_disjointly_and_stably():
    from hyworld_cli.batch import Job

    jobs = [Job(f"asset_{i:03d}", "-", "x", GenOptions()) for i in range(300)]
    parts = [select_shard(jobs, (i, 3)) for i in (1, 2, 3)]
    names = [j.name for part in parts for j in part]
    assert sorted(names) == sorted(j.name for j in jobs)
    assert all(60 < len(p) < 140 for p in parts)
    more = jobs + [Job(f"new_{i}", "-", "x", GenOptions()) for i in range(50)]
    for i in (1, 2, 3):  # adding jobs moves none of the old ones
        old = {j.name for j in parts[i - 1]}
        assert old == {j.name for j in select_shard(more, (i, 3)) if j.name in {x.name for x in jobs}}
    assert shard_index("asset_001", 3) == shard_index("asset_001", 3)


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "a/b", "1", "1/2/3", "-1/3"])
def test_bad_shard_is_a_usage_error(text):
    with pytest.raises(InputError, match="--shard"):
        parse_shard(text)


@pytest.mark.slow
def test_shards_1_2_3_of_3_cover_every_job_once(tmp_path):
    src = write_prompts(tmp_path / "p", {f"p{i:02d}": f"prompt {i}" for i in range(12)})
    for i in (1, 2, 3):
        summary, out = run_fake(tmp_path, src, jobs=2, shard=(i, 3))
        assert summary.failed == 0
    assert sorted(calls(tmp_path)) == [f"p{i:02d}" for i in range(12)]
    assert sorted(p.name for p in out.glob("batch*.jsonl")) == [f"batch.shard-{i}-of-3.jsonl" for i in (1, 2, 3)]
    assert final_status(out) == {f"p{i:02d}": "ok" for i in range(12)}
    # the whole batch afterwards finds every shard's work done
    summary, _ = run_fake(tmp_path, src)
    assert (summary.skipped, summary.ok) == (12, 0)


def test_a_jsonl_job_with_a_bad_seed_fails_as_bad_input_not_retried(tmp_path):
    from hyworld_cli.batch import check_settings

    src = tmp_path / "jobs.jsonl"
    src.write_text(json.dumps({"prompt": "a rock", "seed": -1}) + "\n" + json.dumps({"prompt": "a tree"}) + "\n")
    out = tmp_path / "out"
    summary = run_batch(
        BatchConfig(input=src, out_root=out, retries=3),
        local_executor_factory(1, "cpu", fake_job),
        check=lambda s: check_settings(with_flat(s, device="cpu")),
    )
    bad, good = summary.jobs
    assert (bad.status, bad.error["type"], bad.error["exit_code"], bad.error["retryable"]) == (
        "failed",
        "InputError",
        2,
        False,
    )
    assert "--seed -1 is out of range" in bad.error["message"] and good.status == "ok"
    assert calls(tmp_path) == ["jobs_0002"]
