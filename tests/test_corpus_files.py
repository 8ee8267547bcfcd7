"""The hostile-file corpus (tests/corpus/): damaged GLBs for `hyworld preview`, hostile `--name`s, a scene too large.

Each damaged GLB (tests/corpus/glb/, written by tests/corpus/make_glbs.py) gives exit 2, one
line naming what is wrong, no traceback and no PNG. Each `--name` in expected.json's "names"
is either refused with one line (exit 2) before any work, or sanitised to the folder name
given there, which stays inside --out. A resolution the machine's memory cannot hold is
exit 3 with one line, before any work or file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hyworld_cli.cli import app
from pipelines.generate import GenRequest, validate
from tests.corpus.make_glbs import cases

CORPUS = Path(__file__).resolve().parent / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
runner = CliRunner()


def _one_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


def test_the_stored_glbs_are_the_ones_the_script_writes():
    """The corpus is reproducible: tests/corpus/make_glbs.py writes exactly these bytes, and each has its case."""
    stored = {p.name: p.read_bytes() for p in (CORPUS / "glb").glob("*.glb")}
    assert stored == cases()
    assert set(stored) == set(EXPECTED["preview"])


@pytest.mark.parametrize("name", sorted(EXPECTED["preview"]))
def test_every_damaged_glb_gets_its_exit_code_one_line_and_no_png(tmp_path, name):
    code, words = EXPECTED["preview"][name]
    out = tmp_path / "out" / "preview.png"
    result = runner.invoke(app, ["preview", str(CORPUS / "glb" / name), "-o", str(out), "--size", "64"])
    assert result.exit_code == code, result.output
    line = _one_line(result.output)
    assert line.startswith("error:") and words in line.replace("\n", ""), line
    assert not out.exists()


NAMES = EXPECTED["names"]


@pytest.mark.parametrize("name", sorted(NAMES), ids=[repr(n)[:24] for n in sorted(NAMES)])
def test_every_hostile_name_is_refused_with_one_line_or_sanitised_inside_out(tmp_path, name):
    code, expected = NAMES[name]
    if code:  # refused by gen before the prompt is even read, so a missing prompt file does not matter
        out = tmp_path / "out"
        result = runner.invoke(app, ["gen", str(tmp_path / "none.txt"), "--out", str(out), "--name", name])
        assert result.exit_code == code, result.output
        assert expected in _one_line(result.output)
        assert not out.exists()
    else:
        req = validate(GenRequest(prompt="a rock", name=name, out_root=tmp_path / "out"))
        assert req.name == expected
        assert (tmp_path / "out" / req.name).resolve().parent == (tmp_path / "out").resolve()


@pytest.mark.slow
def test_a_name_that_tries_to_leave_out_writes_inside_it(tmp_path):
    prompt = tmp_path / "p.txt"
    prompt.write_text("a rock", encoding="utf-8")
    out = tmp_path / "out"
    args = ["gen", str(prompt), "--out", str(out), "--name", "../../escaped", "--resolution", "24"]
    result = runner.invoke(app, [*args, "--texture-size", "64", "--lods", "0"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "p.txt"]
    assert (out / "escaped" / "escaped.glb").is_file()


def test_a_resolution_past_the_machines_memory_exits_3_before_any_work_or_file(tmp_path, monkeypatch):
    monkeypatch.setenv("HYWORLD_MEMORY_BYTES", str(2**30))
    prompt = tmp_path / "p.txt"
    prompt.write_text("a rock", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["gen", str(prompt), "--out", str(out), "--resolution", "2048"])
    assert result.exit_code == 3, result.output
    line = _one_line(result.output)
    assert "needs at least 3.0 GiB" in line and "1.0 GiB is available" in line and "lower --resolution" in line
    assert not out.exists()


def test_the_memory_floor_lets_the_defaults_and_readme_figures_through():
    """The floor refuses only what cannot fit: the defaults need well under 1 GB, --resolution 1024 under 1 GB
    of mesh (README), the largest options ~4.0 GiB."""
    from pipelines.options import BuildOptions
    from pipelines.resources import least_bytes

    assert least_bytes(BuildOptions()) < 0.4 * 2**30
    assert least_bytes(BuildOptions(resolution=1024)) < 1.1 * 2**30
    assert 3.5 * 2**30 < least_bytes(BuildOptions(resolution=2048, texture_size=8192)) < 5 * 2**30
