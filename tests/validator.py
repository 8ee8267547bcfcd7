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
    instancing_errors = check_gpu_instancing(path)
    if instancing_errors:
        raise AssertionError(f"{path}: EXT_mesh_gpu_instancing is not valid:\n  " + "\n  ".join(instancing_errors))
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


# EXT_mesh_gpu_instancing (Khronos-ratified vendor extension): the npm validator reports it
# only as UNSUPPORTED_EXTENSION (info) and its accessors as UNUSED_OBJECT (info), so its
# rules are checked here, from the extension's README.
_INSTANCE_TYPES = {
    "TRANSLATION": {("VEC3", 5126)},
    "ROTATION": {("VEC4", 5126), ("VEC4", 5122), ("VEC4", 5120)},
    "SCALE": {("VEC3", 5126)},
}


def check_gpu_instancing(path: Path) -> list[str]:
    """Return the EXT_mesh_gpu_instancing rule violations of the GLB at ``path`` (empty when valid or unused)."""
    import struct

    import numpy as np

    data = Path(path).read_bytes()
    length = struct.unpack_from("<I", data, 12)[0]
    doc = json.loads(data[20 : 20 + length])
    blob = data[20 + length + 8 :] if len(data) > 20 + length else b""
    out: list[str] = []
    name = "EXT_mesh_gpu_instancing"
    users = [(i, n) for i, n in enumerate(doc.get("nodes", [])) if name in n.get("extensions", {})]
    if users and name not in doc.get("extensionsUsed", []):
        out.append(f"{name} is used by nodes but not listed in extensionsUsed")
    for i, node in users:
        where = f"/nodes/{i}/extensions/{name}"
        if node.get("mesh") is None:
            out.append(f"{where}: the node has no mesh")
        attrs = node["extensions"][name].get("attributes", {})
        if not attrs:
            out.append(f"{where}: no attributes")
        counts = set()
        for key, index in attrs.items():
            acc = doc["accessors"][index]
            counts.add(acc["count"])
            if key in _INSTANCE_TYPES:
                if (acc["type"], acc["componentType"]) not in _INSTANCE_TYPES[key]:
                    out.append(f"{where}/attributes/{key}: {acc['type']} {acc['componentType']} is not allowed")
            elif not key.startswith("_"):
                out.append(f"{where}/attributes/{key}: custom attributes must start with an underscore")
            view = doc["bufferViews"][acc["bufferView"]]
            if view.get("target") is not None:
                out.append(f"{where}/attributes/{key}: its bufferView must have no target")
            if key == "ROTATION" and acc["componentType"] == 5126:
                start = view.get("byteOffset", 0) + acc.get("byteOffset", 0)
                q = np.frombuffer(blob, np.float32, acc["count"] * 4, start).reshape(-1, 4)
                if np.abs(np.linalg.norm(q, axis=1) - 1.0).max() > 1e-3:
                    out.append(f"{where}/attributes/ROTATION: quaternions are not unit length")
        if len(counts) > 1:
            out.append(f"{where}: attribute accessors have different counts {sorted(counts)}")
    return out
