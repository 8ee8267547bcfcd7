"""Generate an asset with hyworld and import it into Unreal Engine 5 (Editor Python).

Run inside the editor (Edit > Editor Preferences > Python, or the Output Log's
"Python" console; "Python Editor Script Plugin" enabled):

    py "C:/path/to/hyworld_import_unreal.py" --prompt "a small village with three houses" --seed 3

or import it and call ``generate_and_import(prompt, seed=3)``. The ``hyworld``
command must be on PATH (or set HYWORLD_CLI to its full path).

What it does:

1. runs ``hyworld gen <prompt file> --target unreal --json ...`` and reads the
   manifest the CLI prints on stdout (schema: exporters/schemas/manifest.schema.json);
2. imports the FBX (``files[]`` entry with role ``fbx``) into
   ``/Game/Hyworld/<asset_name>`` with the legacy FBX importer (an explicit
   FbxFactory: its options are stable from UE 4.27 to 5.x): one static mesh per
   object (combine meshes off), LODs from the FBX LODGroups, collision from the
   ``UCX_``/``UBX_`` meshes, normals and tangents from the file, "Generate
   Lightmap UVs" off when the asset carries a second UV set, pivots kept;
3. fixes what FBX cannot say: ORM/normal textures linear (normal maps flipped
   to Unreal's DirectX green), ORM wired into each material (R occlusion,
   G roughness, B metallic), LOD screen sizes from ``lod_screen_sizes``, the
   lightmap coordinate index, and ``COL_`` triangle meshes as complex collision.

Only manifest fields in the published schema are read, and only ``gen``
options that exist (tests/test_engine_scripts.py checks both).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import unreal

CONTENT_ROOT = "/Game/Hyworld"
CLI = os.environ.get("HYWORLD_CLI", "hyworld")


def run_cli(prompt: str, out_root: Path, name: str, seed: int, extra: list[str] | None = None) -> dict:
    """Return the manifest that ``hyworld gen --target unreal --json`` prints for ``prompt``."""
    out_root.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
        fh.write(prompt)
        prompt_file = fh.name
    cmd = [
        CLI,
        "gen",
        prompt_file,
        "--target",
        "unreal",
        "--json",
        "--out",
        str(out_root),
        "--name",
        name,
        "--seed",
        str(seed),
        "--force",
    ] + list(extra or [])
    unreal.log("hyworld: " + " ".join(cmd))
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")
    finally:
        os.unlink(prompt_file)
    if proc.returncode != 0:  # exit codes: 2 bad input, 3 resource limit, 1 bug (see `hyworld --help`)
        raise RuntimeError(f"hyworld failed (exit {proc.returncode}):\n{proc.stderr.strip()}")
    manifest = json.loads(proc.stdout)
    if manifest["target"] != "unreal":
        raise RuntimeError(f"expected an Unreal build, got target {manifest['target']!r}")
    return manifest


def _files(manifest: dict, folder: Path, role: str) -> list[Path]:
    return [folder / f["path"] for f in manifest["files"] if f["role"] == role]


def import_fbx(manifest: dict, folder: Path, destination: str) -> None:
    """Import the manifest's FBX into ``destination`` with the options the asset needs."""
    (fbx,) = _files(manifest, folder, "fbx")
    nodes = manifest["nodes"]
    has_lightmap_uv = any("uv1" in n["uv_sets"] for n in nodes)
    has_tangents = all(n["has_tangents"] for n in nodes if n["lods"])
    has_collision = any(c["mesh"] for n in nodes for c in n["collision"])

    ui = unreal.FbxImportUI()
    ui.set_editor_property("automated_import_should_detect_type", False)
    ui.set_editor_property("mesh_type_to_import", unreal.FBXImportType.FBXIT_STATIC_MESH)
    ui.set_editor_property("import_mesh", True)
    ui.set_editor_property("import_as_skeletal", False)
    ui.set_editor_property("import_animations", False)
    ui.set_editor_property("import_materials", True)
    ui.set_editor_property("import_textures", True)
    data = ui.get_editor_property("static_mesh_import_data")
    data.set_editor_property("combine_meshes", False)  # one static mesh per object
    data.set_editor_property("import_mesh_lods", True)  # FBX LODGroup children become LODs
    data.set_editor_property("generate_lightmap_u_vs", not has_lightmap_uv)  # keep our uv1
    data.set_editor_property("auto_generate_collision", not has_collision)
    data.set_editor_property("one_convex_hull_per_ucx", False)  # merged UCX pieces stay separate hulls
    data.set_editor_property("convert_scene", True)  # no-op: the file is already Unreal's frame
    data.set_editor_property("convert_scene_unit", True)  # no-op: centimeters
    data.set_editor_property("force_front_x_axis", False)
    data.set_editor_property("transform_vertex_to_absolute", False)  # keep each object's pivot
    data.set_editor_property("bake_pivot_in_vertex", False)
    data.set_editor_property("remove_degenerates", True)
    method = unreal.FBXNormalImportMethod
    data.set_editor_property(
        "normal_import_method",
        method.FBXNIM_IMPORT_NORMALS_AND_TANGENTS if has_tangents else method.FBXNIM_IMPORT_NORMALS,
    )
    # Our normal maps are OpenGL style (+Y up); Unreal wants DirectX (green flipped).
    ui.get_editor_property("texture_import_data").set_editor_property("invert_normal_maps", True)

    task = unreal.AssetImportTask()
    task.set_editor_property("filename", str(fbx))
    task.set_editor_property("destination_path", destination)
    task.set_editor_property("automated", True)
    task.set_editor_property("replace_existing", True)
    task.set_editor_property("save", True)
    task.set_editor_property("factory", unreal.FbxFactory())  # the legacy importer, whatever Interchange says
    task.set_editor_property("options", ui)
    unreal.AssetToolsHelpers.get_asset_tools().import_asset_tasks([task])


def _load(destination: str, name: str | None):
    return unreal.EditorAssetLibrary.load_asset(f"{destination}/{name}") if name else None


def fix_textures(manifest: dict, destination: str) -> None:
    """Return nothing; set each texture's color space and compression from the manifest."""
    for tex in manifest["textures"]:
        asset = _load(destination, tex["name"])
        if asset is None:
            unreal.log_warning(f"hyworld: texture {tex['name']} was not imported")
            continue
        asset.set_editor_property("srgb", bool(tex["srgb"]))
        if tex["role"] == "normal":
            asset.set_editor_property("compression_settings", unreal.TextureCompressionSettings.TC_NORMALMAP)
        elif tex["role"] == "orm":
            asset.set_editor_property("compression_settings", unreal.TextureCompressionSettings.TC_MASKS)
        unreal.EditorAssetLibrary.save_loaded_asset(asset)


def wire_materials(manifest: dict, destination: str) -> None:
    """Return nothing; connect each material's ORM texture (or its factors) to AO, roughness, metallic."""
    mel = unreal.MaterialEditingLibrary
    for entry in manifest["materials"]:
        material = _load(destination, entry["name"])
        if material is None:
            unreal.log_warning(f"hyworld: material {entry['name']} was not imported")
            continue
        orm = _load(destination, entry["orm_texture"])
        if orm is not None:
            sample = mel.create_material_expression(material, unreal.MaterialExpressionTextureSample, -700, 300)
            sample.set_editor_property("texture", orm)
            sample.set_editor_property("sampler_type", unreal.MaterialSamplerType.SAMPLERTYPE_MASKS)
            mel.connect_material_property(sample, "G", unreal.MaterialProperty.MP_ROUGHNESS)
            mel.connect_material_property(sample, "B", unreal.MaterialProperty.MP_METALLIC)
            if entry["occlusion_from_orm"]:
                mel.connect_material_property(sample, "R", unreal.MaterialProperty.MP_AMBIENT_OCCLUSION)
        else:
            for value, prop, y in (
                (entry["roughness_factor"], unreal.MaterialProperty.MP_ROUGHNESS, 300),
                (entry["metallic_factor"], unreal.MaterialProperty.MP_METALLIC, 400),
            ):
                const = mel.create_material_expression(material, unreal.MaterialExpressionConstant, -400, y)
                const.set_editor_property("r", float(value))
                mel.connect_material_property(const, "", prop)
        material.set_editor_property("two_sided", bool(entry["double_sided"]))
        mel.recompile_material(material)
        unreal.EditorAssetLibrary.save_loaded_asset(material)


def fix_meshes(manifest: dict, destination: str) -> list[str]:
    """Return the static meshes set up: LOD screen sizes, lightmap UV index, complex collision."""
    subsystem = unreal.get_editor_subsystem(unreal.StaticMeshEditorSubsystem)
    done = []
    for node in manifest["nodes"]:
        mesh = _load(destination, node["object_name"])
        if mesh is None:
            unreal.log_warning(f"hyworld: static mesh {node['object_name']} was not imported")
            continue
        sizes = node["lod_screen_sizes"]
        levels = [lod for lod in node["lods"] if lod["mesh"]]
        if len(levels) > 1 and len(sizes) >= len(levels):
            # ours: size below which level i switches to i+1; Unreal's: size at which level i starts
            subsystem.set_lod_screen_sizes(mesh, [1.0] + [float(s) for s in sizes[: len(levels) - 1]])
        if "uv1" in node["uv_sets"]:
            mesh.set_editor_property("light_map_coordinate_index", 1)
        for shape in node["collision"]:
            if shape["kind"] == "trimesh" and shape["mesh"]:
                complex_mesh = _load(destination, shape["mesh"])  # COL_<object>_NN came in as its own mesh
                try:
                    if complex_mesh is not None:  # UStaticMesh.ComplexCollisionMesh: UE 5.0+
                        mesh.set_editor_property("complex_collision_mesh", complex_mesh)
                    body = mesh.get_editor_property("body_setup")
                    body.set_editor_property(
                        "collision_trace_flag", unreal.CollisionTraceFlag.CTF_USE_COMPLEX_AS_SIMPLE
                    )
                except Exception as exc:  # an engine without the property: keep the render mesh's collision
                    unreal.log_warning(f"hyworld: complex collision for {node['object_name']}: {exc}")
        unreal.EditorAssetLibrary.save_loaded_asset(mesh)
        done.append(f"{destination}/{node['object_name']}")
    return done


def generate_and_import(
    prompt: str, seed: int = 0, name: str = "hyworld_asset", out_root: str | None = None, extra: list[str] | None = None
) -> list[str]:
    """Return the static mesh paths imported from a fresh ``hyworld gen`` of ``prompt``."""
    root = Path(out_root) if out_root else Path(unreal.Paths.project_saved_dir()) / "Hyworld"
    manifest = run_cli(prompt, root, name, seed, extra)
    folder = root / manifest["asset_name"]
    destination = f"{CONTENT_ROOT}/{manifest['asset_name']}"
    import_fbx(manifest, folder, destination)
    fix_textures(manifest, destination)
    wire_materials(manifest, destination)
    meshes = fix_meshes(manifest, destination)
    unreal.log(f"hyworld: imported {len(meshes)} static meshes into {destination}")
    return meshes


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="Generate with hyworld and import into this project.")
    parser.add_argument("--prompt", required=True, help="the text prompt")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--name", default="hyworld_asset", help="asset name (content folder name)")
    parser.add_argument("--out", default=None, help="where hyworld writes (default: Saved/Hyworld)")
    args = parser.parse_args(argv)
    generate_and_import(args.prompt, seed=args.seed, name=args.name, out_root=args.out)


if __name__ == "__main__":
    main(sys.argv[1:])
