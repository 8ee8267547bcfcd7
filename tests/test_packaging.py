"""Packaging: the library imports what it declares and declares what it imports; the wheel works on its own.

The fast test reads every import in the library's source (AST) and checks it against
pyproject.toml. The slow one builds the wheel, installs it into a fresh virtual
environment with its base dependencies only (torch from `pip install torch==...`, as the
README says) and runs a tiny `hyworld gen` there, outside this checkout.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LIBRARY = ("pipelines", "exporters", "hyworld_cli")
FIRST_PARTY = {*LIBRARY, "tests"}
# Developer tools shipped beside the code but never run by hyworld (their docstrings say how to install what they need).
DEV_TOOLS = {"pipelines/models/reading/make_tables.py"}  # regenerates the WordNet tables with nltk
TORCH_SPEC = "torch==2.13.0"  # the Makefile's TORCH_SPEC: a CPU wheel on disk


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    return _norm(re.split(r"[\s<>=!~;\[]", spec.strip(), maxsplit=1)[0])


def _pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _guarded(node: ast.AST, parents: dict) -> bool:
    """True when the import runs only on demand (inside a function) or may fail (inside try)."""
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Try)):
            return True
    return False


def library_imports() -> dict[str, set[str]]:
    """Return third-party top-level modules the library imports: {module: {"eager" and/or "lazy"}}."""
    found: dict[str, set[str]] = {}
    for package in LIBRARY:
        for path in (REPO / package).rglob("*.py"):
            if path.relative_to(REPO).as_posix() in DEV_TOOLS:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in FIRST_PARTY or top == "__future__":
                        continue
                    found.setdefault(top, set()).add("lazy" if _guarded(node, parents) else "eager")
    return found


@pytest.mark.slow
def test_the_library_imports_what_it_declares_and_declares_what_it_imports():
    project = _pyproject()["project"]
    base = {_requirement_name(s) for s in project["dependencies"]}
    extras = {_requirement_name(s) for specs in project["optional-dependencies"].values() for s in specs}
    dists = packages_distributions()
    imported: dict[str, set[str]] = {}
    for module, how in library_imports().items():
        for dist in dists.get(module, [module]):
            imported.setdefault(_norm(dist), set()).update(how)
    eager_undeclared = sorted(d for d, how in imported.items() if "eager" in how and d not in base)
    assert not eager_undeclared, f"imported at module level but not a base dependency: {eager_undeclared}"
    undeclared = sorted(d for d in imported if d not in base | extras)
    assert not undeclared, f"imported but declared nowhere: {undeclared}"
    unused = sorted(base - set(imported))
    assert not unused, f"base dependencies the library never imports: {unused}"


def _copy_source(dest: Path) -> Path:
    """Copy what the wheel is built from (pyproject, README, the packages) without build leftovers."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, dest / name)
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for package in LIBRARY:
        shutil.copytree(REPO / package, dest / package, ignore=skip)
    return dest


@pytest.mark.slow
def test_the_wheel_installed_with_base_dependencies_only_runs_gen(tmp_path):
    from hyworld_cli.batch import verify_asset
    from tests.validator import assert_valid_gltf

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_NO_INPUT"] = "1"

    def run(*args, cwd=tmp_path, timeout=1200):
        r = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)
        assert r.returncode == 0, f"{args}: {r.stdout[-2000:]}\n{r.stderr[-4000:]}"
        return r

    src = _copy_source(tmp_path / "src")
    # No build isolation: setuptools comes from this environment, so no index is needed to build.
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", "dist", src)
    (wheel,) = (tmp_path / "dist").glob("hyworld-*.whl")
    run(sys.executable, "-m", "venv", "venv")
    py = tmp_path / "venv" / "bin" / "python"
    run(py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", TORCH_SPEC, wheel)

    probe = "import importlib.util as u, json; print(json.dumps([m for m in ('trimesh', 'pytest', 'skimage', 'ray') if u.find_spec(m)]))"
    assert json.loads(run(py, "-c", probe).stdout) == []  # base dependencies only: nothing the tests bring
    (tmp_path / "p.txt").write_text("a rock beside a pine tree\n")
    out = tmp_path / "o"
    tiny = ["--resolution", "24", "--texture-size", "64", "--lods", "0"]
    r = run(tmp_path / "venv" / "bin" / "hyworld", "gen", "p.txt", "--out", out, "--device", "cpu", *tiny)
    assert "Traceback" not in r.stderr
    assert verify_asset(out / "p", None, out) is None
    assert_valid_gltf(out / "p" / "p.glb")
