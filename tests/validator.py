"""Run the Khronos glTF-Validator (npm ``gltf-validator``, through node) on a file.

The validator is part of the quality bar: when node or the package is missing,
``validate_gltf`` raises ``ValidatorUnavailable`` (an AssertionError), so the
tests that need it fail with a message saying how to install it, never skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SCRIPT = REPO_ROOT / "tests" / "tools" / "gltf_validate.mjs"
DEFAULT_PACKAGE = REPO_ROOT / ".venv" / "node" / "node_modules" / "gltf-validator"
SEVERITY = {0: "error", 1: "warning", 2: "info", 3: "hint"}


class ValidatorUnavailable(AssertionError):
    """node or the gltf-validator package is missing: run `make test`, which installs them."""


def validator_package() -> Path:
    """Return the gltf-validator package folder: $HYWORLD_GLTF_VALIDATOR or .venv/node/... in the repo."""
    return Path(os.environ.get("HYWORLD_GLTF_VALIDATOR") or DEFAULT_PACKAGE)


def _node_executable() -> str:
    local = REPO_ROOT / ".venv" / "node" / "bin" / "node"
    found = shutil.which("node") or (str(local) if local.is_file() else None)
    if not found:
        raise ValidatorUnavailable(
            "node is not installed (not on PATH nor in .venv/node/bin); run `make test`, "
            "which installs node and the Khronos glTF validator"
        )
    return found


def check_available() -> None:
    """Raise ValidatorUnavailable unless node and the validator package are there."""
    _node_executable()
    package = validator_package()
    if not (package / "package.json").is_file():
        raise ValidatorUnavailable(
            f"the Khronos glTF validator is not installed at {package}; run `make test` "
            "(it installs the npm package gltf-validator into .venv/node), or point "
            "$HYWORLD_GLTF_VALIDATOR at an installed gltf-validator package"
        )


def validate_gltf(path: Path) -> dict:
    """Return the validator's report (its JSON, as a dict) for the glTF or GLB file at ``path``."""
    check_available()
    proc = subprocess.run(
        [_node_executable(), str(SCRIPT), str(validator_package()), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0:
        raise AssertionError(f"gltf-validator failed on {path} (exit {proc.returncode}): {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def format_messages(report: dict, severities: tuple[int, ...] = (0, 1, 2, 3)) -> list[str]:
    """Return one line per issue in ``report``: severity, code, JSON pointer, message."""
    return [
        f"{SEVERITY.get(m['severity'], m['severity'])} {m['code']} at {m.get('pointer', '-')}: {m['message']}"
        for m in report["issues"]["messages"]
        if m["severity"] in severities
    ]


def assert_valid_gltf(path: Path, allow_infos: bool = True) -> dict:
    """Return the report for ``path``; fail listing the messages if it has errors or warnings.

    Hints never fail; infos fail only when ``allow_infos`` is False.
    """
    report = validate_gltf(path)
    issues = report["issues"]
    failing = (0, 1) if allow_infos else (0, 1, 2)
    bad = issues["numErrors"] + issues["numWarnings"] + (0 if allow_infos else issues["numInfos"])
    if bad:
        lines = "\n  ".join(format_messages(report, failing))
        raise AssertionError(
            f"{path}: {issues['numErrors']} errors, {issues['numWarnings']} warnings, "
            f"{issues['numInfos']} infos from the Khronos glTF validator:\n  {lines}"
        )
    return report


def issue_codes(report: dict, severity: int) -> set[str]:
    """Return the set of issue codes of one severity (0 error, 1 warning, 2 info, 3 hint)."""
    return {m["code"] for m in report["issues"]["messages"] if m["severity"] == severity}
