"""The hostile-input corpus (tests/corpus/): each case gets its documented exit code, one line, no file.

Prompts run through `hyworld plan` (the prompt reader `gen` and `batch` share, without a
build); the batch file runs through the batch driver with a fake job (tests/batch_fakes.py)
and the real option checks, so each bad line is a failed job saying why and every good
one stays inside --out.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.batch_fakes import calls, fake_job
from tests.test_cli import _one_line, hyworld

CORPUS = Path(__file__).resolve().parent / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def _generated(name: str, tmp_path: Path) -> Path:
    if name.startswith("/"):
        return Path(name)
    path = tmp_path / name
    if name == "ten_megabytes.txt":
        path.write_bytes(b"a house " * (10 * 1024 * 1024 // 8))
    elif name == "one_100kB_word.txt":
        path.write_bytes(b"a" * 100_000)
    elif name == "a_folder":
        path.mkdir()
    elif name == "a_fifo":
        os.mkfifo(path)
    return path  # missing.txt: not made


CASES = [(CORPUS / "prompts" / n, *v) for n, v in EXPECTED["prompts"].items()]
CASES += [(n, *v) for n, v in EXPECTED["generated"].items()]


# "100000 houses" lays out 300 of them: minutes of CPU, for make test only.
SLOW = {"hundred_thousand_houses.txt"}
PARAMS = [pytest.param(*c, marks=[pytest.mark.slow] if Path(str(c[0])).name in SLOW else []) for c in CASES]


@pytest.mark.sampled
@pytest.mark.parametrize("case, code, words", PARAMS, ids=[Path(str(c[0])).name for c in CASES])
def test_every_hostile_prompt_gets_its_exit_code_one_line_and_no_file(tmp_path, case, code, words):
    prompt = case if isinstance(case, Path) else _generated(case, tmp_path)
    out = tmp_path / "out" / "plan.json"
    r = hyworld("plan", str(prompt), "-o", str(out))
    assert r.returncode == code, r.stderr
    assert "Traceback" not in r.stderr
    if code:
        assert words in _one_line(r.stderr)
        assert not (tmp_path / "out").exists()
    else:
        assert out.is_file()


def test_a_hostile_batch_file_fails_each_bad_line_and_keeps_every_name_inside_out(tmp_path):
    from hyworld_cli.batch import BatchConfig, check_settings, local_executor_factory, run_batch
    from pipelines.options import with_flat

    out = tmp_path / "out"
    summary = run_batch(
        BatchConfig(input=CORPUS / "batch" / "hostile.jsonl", out_root=out),
        local_executor_factory(1, "cpu", fake_job),
        check=lambda s: check_settings(with_flat(s, device="cpu")),
    )
    expected = EXPECTED["batch"]["hostile.jsonl"]
    assert {j.name: j.status for j in summary.jobs} == {n: v[0] for n, v in expected.items()}
    for job in summary.jobs:
        if job.status == "failed":
            assert job.error["type"] == "InputError" and job.error["exit_code"] == 2, job
            assert expected[job.name][1] in job.error["message"], job.error
            assert not job.error["retryable"]
    assert sorted(calls(tmp_path)) == sorted(n for n, v in expected.items() if v[0] == "ok")
    # nothing outside --out: only what the fake job logs beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calls.log", "out"]
    made = {p.parent.name for p in out.glob("*/manifest.json")}
    assert made == {n for n, v in expected.items() if v[0] == "ok"}
