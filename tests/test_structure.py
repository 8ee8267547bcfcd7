"""The tree keeps its shape: no import cycles, every module imports on its own, modules stay small."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("exporters", "pipelines", "hyworld_cli")
MAX_LINES = 420  # STYLE.md: "past ~400 lines it is probably two things"


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            out[name] = path
    return out


def _imports(path: Path, known: set[str]) -> set[str]:
    """Return the project modules ``path`` imports anywhere (functions too), ignoring TYPE_CHECKING blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for n in ast.walk(node)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:  # `from pkg import module` names a module too
                full = f"{node.module}.{a.name}"
                found.add(full if full in known else node.module)
    return found & known


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one import cycle of ``graph`` as a list of modules, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_imports_itself_through_others():
    modules = _modules()
    graph = {name: _imports(path, set(modules)) - {name} for name, path in modules.items()}
    # A package's __init__ that re-exports its own modules is not a cycle of its modules.
    for name in graph:
        graph[name] = {m for m in graph[name] if not name.startswith(m + ".")}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_dependencies_point_down_only():
    modules = _modules()
    for name, path in modules.items():
        top = name.split(".")[0]
        tops = {m.split(".")[0] for m in _imports(path, set(modules))}
        allowed = {"exporters": {"exporters"}, "pipelines": {"pipelines", "exporters"}}.get(top, set(PACKAGES))
        assert tops <= allowed, f"{name} imports {sorted(tops - allowed)}"


def test_modules_stay_small():
    big = {name: n for name, path in _modules().items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert not big, f"modules over {MAX_LINES} lines: {big}"


@pytest.mark.slow
def test_every_module_imports_first_without_a_cycle():
    """Each of our modules imported first, with none of our modules loaded, imports cleanly.

    One child interpreter keeps third-party packages (torch, scipy) loaded and forgets all of
    ours before each import, so an import cycle that only bites when a given module comes first
    shows up, at the cost of one torch import instead of one per module.
    """
    names = [n for n in _modules() if not n.endswith("__main__")]
    code = (
        "import importlib, sys, traceback\n"
        "ours = ('pipelines', 'exporters', 'hyworld_cli', 'tests')\n"
        "bad = []\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] in ours]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception:\n"
        "        bad.append(name)\n"
        "        traceback.print_exc()\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *names], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
