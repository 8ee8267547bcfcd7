"""The run manifest: what was written (files, hashes), what is in it (nodes, LODs, colliders), how it was made.

Engine import scripts read it to find objects, LOD meshes, colliders, materials
and textures by the names the writers gave them (``object_name``, ``lods[].mesh``,
``collision[].mesh``, ``materials[].name``, ``textures[].name``); a pipeline reads
it to check hashes and budgets. Every name comes from the preset
(``Preset.scene_names``, ``material_names``, ``texture_names``), the one naming
source of the FBX and GLB writers too, so each name is the one in every written
file. The one place the formats differ: shapes that the preset merges into one
FBX collision mesh (Unreal, several LODs) share ``collision[].mesh`` and are
separate GLB nodes named ``collision[].gltf_node``. Its JSON Schema is
``exporters/schemas/manifest.schema.json`` (draft 2020-12); ``schema_version``
changes its major number when a field is removed or changes meaning.

Geometry figures are in the Asset's frame (meters, +Y up, right-handed, front
+Z), whatever axes or units a preset gives a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from exporters.asset import Asset, Node
from exporters.files import WrittenFile, atomic_write
from exporters.gltf import jsonable
from exporters.presets import PRESETS, NodeNames, Preset

SCHEMA_VERSION = "1.4"  # 1.1: collision[].gltf_node; 1.2: instancing, navigation, draw calls, memory;
# 1.3: stage_memory_mb (peak resident memory per stage); 1.4: instancing.variants[].triangle_budget
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "manifest.schema.json"
ROLE = "manifest"
MANIFEST_NAME = "manifest.json"  # in every asset folder, written last


@dataclass
class RunInfo:
    """How a run was made: the manifest's provenance fields."""

    tool_version: str
    model: str  # scene model name, e.g. "procedural"
    seed: int
    prompt_sha256: str  # hex digest of the prompt's UTF-8 bytes
    prompt_chars: int
    options: dict = field(default_factory=dict)  # the effective options, JSON-able
    device: str = "cpu"  # the torch device that ran, e.g. "cpu", "cuda:0"
    kernels: dict[str, str] = field(default_factory=dict)  # stage -> implementation that ran
    stage_seconds: dict[str, float] = field(default_factory=dict)  # stage -> wall time
    # stage -> {"process": peak MB of the generating process, "workers": sum of its workers' peaks}
    stage_memory_mb: dict[str, dict[str, float]] = field(default_factory=dict)
    target: str = "generic"  # preset name
    unknown_words: list[dict] = field(default_factory=list)  # prompt words the model ignored
    warnings: list[str] = field(default_factory=list)


def _quat_rotate(q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Rotate rows of ``v`` by the unit quaternion ``q`` (x, y, z, w)."""
    u, w = q[:3], q[3]
    return v + 2.0 * np.cross(u, np.cross(u, v) + w * v)


def _bounds(node: Node) -> dict:
    lo, hi = (b.astype(np.float64) for b in node.mesh.bounds())
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])
    q = np.asarray(node.rotation, dtype=np.float64)
    q = q / np.linalg.norm(q) if np.linalg.norm(q) > 0 else np.array([0.0, 0.0, 0.0, 1.0])
    world = _quat_rotate(q, corners * np.asarray(node.scale, dtype=np.float64)) + np.asarray(node.translation)
    return {
        "local_min": [float(x) for x in lo],
        "local_max": [float(x) for x in hi],
        "world_min": [float(x) for x in world.min(axis=0)],
        "world_max": [float(x) for x in world.max(axis=0)],
    }


def _node_entry(node: Node, names: NodeNames, material_names: list[str], own: NodeNames | None = None) -> dict:
    """Return one node's entry; ``own``: the names of the node whose meshes it draws (a copy: its variant's)."""
    own = own or names
    usable = len(names.lod_meshes)  # the written levels: those before the first empty one
    sizes = node.lod_screen_sizes if len(node.lod_screen_sizes) == len(node.lods) else [None] * len(node.lods)
    material = None if node.material is None else material_names[node.material]
    mesh0 = node.mesh
    return {
        "name": node.name,
        "object_name": names.node,
        "kind": node.kind,
        "material": material,
        "translation": [float(x) for x in node.translation],
        "rotation": [float(x) for x in node.rotation],
        "scale": [float(x) for x in node.scale],
        "bounds": _bounds(node),
        "lods": [
            {
                "level": i,
                "mesh": own.lod_meshes[i] if i < usable else None,
                "triangles": lod.triangle_count,
                "vertices": lod.vertex_count,
                "screen_size": None if sizes[i] is None else float(sizes[i]),
            }
            for i, lod in enumerate(node.lods)
        ],
        "lod_screen_sizes": [float(x) for x in node.lod_screen_sizes],
        "collision": [
            {
                "kind": shape.kind,
                "mesh": fbx_name,
                "gltf_node": gltf_name,
                "triangles": shape.mesh.triangle_count,
                "vertices": shape.mesh.vertex_count,
            }
            for shape, fbx_name, gltf_name in zip(node.collision, names.collision, names.gltf_collision)
        ],
        "uv_sets": [s for s in ("uv0", "uv1") if getattr(mesh0, s) is not None],
        "has_tangents": mesh0.tangents is not None,
        "has_vertex_colors": mesh0.colors is not None,
        "extras": jsonable(node.extras, f"node {node.name} extras"),
    }


def _material_entry(asset: Asset, index: int, material_names: list[str], texture_names: list[str]) -> dict:
    mat = asset.materials[index]

    def tex(i: int | None) -> str | None:
        return None if i is None else texture_names[i]

    return {
        "name": material_names[index],
        "base_color_factor": [float(x) for x in mat.base_color_factor],
        "metallic_factor": float(mat.metallic_factor),
        "roughness_factor": float(mat.roughness_factor),
        "base_color_texture": tex(mat.base_color_texture),
        "orm_texture": tex(mat.orm_texture),
        "occlusion_from_orm": bool(mat.occlusion_from_orm),
        "normal_texture": tex(mat.normal_texture),
        "normal_scale": float(mat.normal_scale),
        "double_sided": bool(mat.double_sided),
    }


def _file_entry(f: WrittenFile, root: Path) -> dict:
    try:
        rel = Path(f.path).resolve().relative_to(root.resolve())
    except ValueError:
        raise ValueError(f"{f.path} is not inside the manifest's folder {root}") from None
    return {"path": rel.as_posix(), "role": f.role, "bytes": f.bytes, "sha256": f.sha256}


def build_manifest(
    asset: Asset, files: list[WrittenFile], run: RunInfo, root: Path, preset: Preset | None = None
) -> dict:
    """Return the manifest of ``asset`` written as ``files`` (paths relative to ``root``) by ``run``.

    Names are the writers': ``preset.scene_names``, ``material_names`` and
    ``texture_names`` under ``preset``, by default the preset called ``run.target``
    (no name prefixes if there is none).
    """
    preset = preset or PRESETS.get(run.target) or Preset(run.target, "", ())
    names = preset.scene_names(asset)
    material_names = preset.material_names(asset)
    texture_names = preset.texture_names(asset)
    owners = preset.mesh_owners(asset)
    nodes = [_node_entry(node, nn, material_names, names[o]) for node, nn, o in zip(asset.nodes, names, owners)]
    levels = max((len(n.lods) for n in asset.nodes), default=0)
    file_entries = [_file_entry(f, Path(root)) for f in files]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool_version": run.tool_version,
        "generator": asset.generator,
        "asset_name": asset.name,
        "target": run.target,
        "coordinates": {"units": "meters", "up": "+Y", "front": "+Z", "handedness": "right"},
        "model": run.model,
        "seed": int(run.seed),
        "prompt": {"sha256": run.prompt_sha256, "chars": int(run.prompt_chars)},
        "options": jsonable(run.options, "options"),
        "device": run.device,
        "kernels": {str(k): str(v) for k, v in sorted(run.kernels.items())},
        "stage_seconds": jsonable({str(k): float(v) for k, v in run.stage_seconds.items()}, "stage_seconds"),
        "stage_memory_mb": {
            str(k): {str(p): round(float(mb), 1) for p, mb in v.items()} for k, v in run.stage_memory_mb.items()
        },
        "unknown_words": jsonable(run.unknown_words, "unknown_words"),
        "warnings": [str(w) for w in run.warnings],
        "files": file_entries,
        "materials": [_material_entry(asset, i, material_names, texture_names) for i in range(len(asset.materials))],
        "textures": [
            {
                "name": name,
                "role": t.role,
                "width": t.width,
                "height": t.height,
                "srgb": t.srgb,
            }
            for t, name in zip(asset.textures, texture_names)
        ],
        "nodes": nodes,
        "totals": {
            "nodes": len(asset.nodes),
            "lod_levels": levels,
            # per level, what the scene draws when every node shows that level (or its last one)
            "triangles_per_lod": [asset.triangle_count(i) for i in range(levels)],
            "vertices_lod0": sum(n.mesh.vertex_count for n in asset.nodes),
            "collision_shapes": sum(len(n.collision) for n in asset.nodes),
            "collision_triangles": sum(c.mesh.triangle_count for n in asset.nodes for c in n.collision),
            "materials": len(asset.materials),
            "textures": len(asset.textures),
            "files": len(file_entries),
            "file_bytes": sum(f["bytes"] for f in file_entries),
            **scale_figures(asset, names, owners),
        },
        "instancing": instancing_entry(asset, names, owners, preset),
        "navigation": navigation_entry(asset, preset),
        "extras": jsonable(asset.extras, "asset extras"),
    }


def scale_figures(asset: Asset, names: list[NodeNames], owners: list[int]) -> dict:
    """Return the figures that decide what an engine pays: unique meshes, draw calls, texture and GPU bytes.

    ``draw_calls``: distinct (LOD0 mesh, material) pairs drawn, what an engine that
    instances (or batches) copies issues; ``draw_calls_uninstanced``: one per drawn
    node. ``gpu_memory_bytes`` estimates uncompressed RGBA8 textures with mips
    (4/3 of the base level) plus every unique mesh's vertex (56 bytes: position,
    normal, tangent, two UV sets) and index (4 bytes) data, all levels.
    """
    drawn = [i for i, nn in enumerate(names) if nn.lod_meshes]
    pairs = {(owners[i], asset.nodes[i].material) for i in drawn}
    unique = {id(m): m for i in drawn for m in asset.nodes[i].lods[: len(names[i].lod_meshes)]}
    texture_gpu = sum(t.width * t.height * 4 * 4 // 3 for t in asset.textures)
    mesh_gpu = sum(m.vertex_count * 56 + m.triangle_count * 12 for m in unique.values())
    return {
        "unique_meshes": len({owners[i] for i in drawn}),
        "unique_meshes_all_lods": len(unique),
        "draw_calls": len(pairs),
        "draw_calls_uninstanced": len(drawn),
        "texture_bytes": sum(len(t.png) for t in asset.textures),
        "gpu_memory_bytes": texture_gpu + mesh_gpu,
        "gpu_texture_bytes": texture_gpu,
        "gpu_mesh_bytes": mesh_gpu,
    }


def instancing_entry(asset: Asset, names: list[NodeNames], owners: list[int], preset: Preset) -> dict:
    """Return how copies are written and, per variant, the objects that are instances of it."""
    variants: dict[int, list[str]] = {}
    budgets: dict[int, int] = {}  # the variant's decimation budget: on the variant's node, which need not own the mesh
    for i, o in enumerate(owners):
        if asset.nodes[i].extras.get("variant") is not None or o != i:
            variants.setdefault(o, []).append(names[i].node)
            if "triangle_budget" in asset.nodes[i].extras:
                budgets[o] = asset.nodes[i].extras["triangle_budget"]
    mode = "EXT_mesh_gpu_instancing" if preset.gpu_instancing else "nodes sharing a mesh"
    return {
        "glb": mode,
        "fbx": "models sharing one Geometry",
        "variants": [
            {
                "kind": asset.nodes[o].kind,
                "variant": names[o].node,
                "mesh": names[o].lod_meshes[0] if names[o].lod_meshes else None,
                "instances": [n for n in members if n != names[o].node],
                "triangle_budget": budgets.get(o),
                "gltf_instancing_node": f"{names[o].node}_instances"
                if preset.gpu_instancing and len(members) > 1
                else None,
            }
            for o, members in sorted(variants.items())
        ],
    }


def navigation_entry(asset: Asset, preset: Preset) -> dict | None:
    """Return the navmesh's node name, figures and agent, and the spawn points; None without a navmesh."""
    if asset.navmesh is None:
        return None
    mesh = asset.navmesh.mesh
    return {
        "gltf_node": preset.navmesh_name(asset.name),
        "in_scene": bool(preset.navmesh_suffix),
        "triangles": mesh.triangle_count,
        "vertices": mesh.vertex_count,
        **jsonable(asset.navmesh.info, "navmesh"),
        "spawn_points": [
            {"name": p.name, "position": [float(x) for x in p.position], "clearance_m": float(p.clearance_m)}
            for p in asset.spawn_points
        ],
    }


def dumps(manifest: dict) -> str:
    """Return the manifest as pretty JSON with sorted keys and a trailing newline."""
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def write(manifest: dict, path: Path) -> WrittenFile:
    """Return the manifest file written atomically at ``path``."""
    return atomic_write(Path(path), dumps(manifest).encode("utf-8"), ROLE)


def load_schema() -> dict:
    """Return the manifest's JSON Schema (draft 2020-12)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_manifest(data: dict) -> None:
    """Return None if ``data`` matches the schema; raise ValueError listing every violation.

    Uses jsonschema (a test dependency) when it is importable; without it, checks
    only that the top-level required fields are present.
    """
    schema = load_schema()
    try:
        import jsonschema
    except ImportError:
        missing = [k for k in schema["required"] if k not in data]
        if missing:
            raise ValueError(f"manifest lacks required fields: {', '.join(missing)}") from None
        return
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        lines = "\n  ".join(f"/{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in errors)
        raise ValueError(f"manifest does not match {SCHEMA_PATH.name}:\n  {lines}")
