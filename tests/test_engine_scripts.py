"""The engine import scripts (samples/engine/) keep their contract with the CLI and the manifest schema.

They cannot run here (they need the Unreal and Unity editors), so this checks
what they rely on: every manifest field they read exists in
exporters/schemas/manifest.schema.json, every ``hyworld gen`` option they pass
exists, and the file roles and targets they look for are the ones we write.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from exporters import fbx
from exporters.presets import PRESETS

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "samples" / "engine"
UNREAL = ENGINE / "hyworld_import_unreal.py"
UNITY = ENGINE / "unity" / "Editor"
SCHEMA = ROOT / "exporters" / "schemas" / "manifest.schema.json"
# C# class -> the schema object it mirrors ($defs name; "" = the manifest itself)
CS_CLASSES = {
    "Manifest": "",
    "ManifestFile": "file",
    "ManifestMaterial": "material",
    "ManifestTexture": "texture",
    "ManifestLod": "lod",
    "ManifestCollision": "collision",
    "ManifestNode": "node",
}


def _schema() -> dict:
    if not SCHEMA.exists():
        pytest.fail(f"{SCHEMA} is missing: the engine scripts' contract cannot be checked", pytrace=False)
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def _all_property_names(schema) -> set[str]:
    names: set[str] = set()
    if isinstance(schema, dict):
        names.update(schema.get("properties", {}))
        for value in schema.values():
            names |= _all_property_names(value)
    elif isinstance(schema, list):
        for value in schema:
            names |= _all_property_names(value)
    return names


def _gen_options() -> set[str]:
    from typer.main import get_command

    from hyworld_cli.cli import app

    gen = get_command(app).commands["gen"]
    return {opt for param in gen.params for opt in (*param.opts, *param.secondary_opts)}


def _unreal_tree() -> ast.Module:
    return ast.parse(UNREAL.read_text(encoding="utf-8"))


def test_unreal_script_reads_only_manifest_fields_in_the_schema():
    known = _all_property_names(_schema())
    used = {
        node.slice.value
        for node in ast.walk(_unreal_tree())
        if isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, str)
    }
    assert used, "found no manifest field reads in the Unreal script"
    assert sorted(used - known) == []


def test_unreal_script_passes_only_existing_gen_options():
    cmd = next(
        n
        for n in ast.walk(_unreal_tree())
        if isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "cmd" for t in n.targets)
    )
    literals = [n.value for n in ast.walk(cmd) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert literals[:1] == ["gen"]
    options = [s for s in literals if s.startswith("--")]
    assert {"--target", "--json", "--out"} <= set(options)
    assert sorted(set(options) - _gen_options()) == []
    target = literals[literals.index("--target") + 1]
    assert target == "unreal" and "fbx" in PRESETS[target].formats


def test_unity_manifest_classes_mirror_the_schema():
    schema = _schema()
    source = (UNITY / "HyworldManifest.cs").read_text(encoding="utf-8")
    classes = dict(re.findall(r"public class (\w+)\s*\{(.*?)\n    \}", source, flags=re.S))
    assert set(classes) == set(CS_CLASSES)
    for cls, body in classes.items():
        fields = re.findall(r"^\s*public\s+(?!const|static)[\w\[\]]+\s+(\w+);", body, flags=re.M)
        target = schema if CS_CLASSES[cls] == "" else schema["$defs"][CS_CLASSES[cls]]
        assert fields, cls
        assert sorted(set(fields) - set(target["properties"])) == [], cls


def test_unity_scripts_pass_only_existing_gen_options_and_look_for_our_roles():
    source = (UNITY / "HyworldImporter.cs").read_text(encoding="utf-8")
    (args,) = re.findall(r"RunCli\(cli, new\[\]\s*\{(.*?)\}\);", source, flags=re.S)
    literals = re.findall(r'"([^"]*)"', args)
    assert literals[0] == "gen"
    options = [s for s in literals if s.startswith("--")]
    assert {"--target", "--json", "--out"} <= set(options)
    assert sorted(set(options) - _gen_options()) == []
    target = literals[literals.index("--target") + 1]
    assert target == "unity" and "fbx" in PRESETS[target].formats
    roles = set(re.findall(r'\.role == "(\w+)"', source))
    assert roles == {fbx.ROLE, fbx.TEXTURE_ROLE}


def test_unity_passes_each_argument_through_argument_list_never_a_command_string():
    """Every argument reaches `hyworld` whole (ArgumentList): no Arguments string, no quoting of ours, no shell."""
    source = (UNITY / "HyworldImporter.cs").read_text(encoding="utf-8")
    (body,) = re.findall(
        r"static string RunCli\(string cli, string\[\] args\)\s*\{(.*?)\n        \}\n", source, flags=re.S
    )
    assert "new ProcessStartInfo(cli)" in body
    assert re.search(r"foreach \(var a in args\) info\.ArgumentList\.Add\(a\);", body)
    assert "UseShellExecute = false" in body
    assert not re.search(r"\bArguments\s*=|ProcessStartInfo\(cli,|Quote\(", source)


def test_unreal_script_looks_for_our_roles():
    roles = {
        n.args[2].value
        for n in ast.walk(_unreal_tree())
        if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "_files"
    }
    assert roles == {fbx.ROLE}
    assert PRESETS["unreal"].import_script == UNREAL.relative_to(ROOT).as_posix()
    assert PRESETS["unity"].import_script == (UNITY / "HyworldImporter.cs").relative_to(ROOT).as_posix()
