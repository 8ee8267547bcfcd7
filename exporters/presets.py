"""Engine presets: which formats to write and how to name and orient things for an engine.

The Asset is always +Y up, meters, right-handed, front +Z. A preset says what a
file should be instead (``axes``, ``unit_scale_cm``) and how engines want
objects named (``scene_names``); writers convert from the Asset's frame.

Naming, as engines match it (see shared/ENGINE-CONVENTIONS.md):

* a node ``tree_01`` is the object ``<mesh_prefix>tree_01`` (``SM_tree_01`` for
  Unreal); names keep only ``[A-Za-z0-9_]`` (Unreal's Interchange splits node
  paths at dots) and are unique ignoring case (Unreal's legacy FBX importer
  compares names in upper case);
* one LOD: the object is the mesh. Several LODs: the object is an FBX LODGroup
  whose children are ``<object>_LOD0``, ``<object>_LOD1``, ... (Unreal reads the
  LODGroup, Unity's importer reads the ``_LODn`` suffixes under one parent);
* colliders are ``UCX_<object>_NN`` (convex), ``UBX_<object>_NN`` (box) and
  ``COL_<object>_NN`` (triangle mesh; Unreal has no convention for it), NN the
  shape's index in ``node.collision``. With several LODs and ``merge_lod_hulls``
  (Unreal), every convex and box shape of the node goes into one mesh
  ``UCX_<object>_LOD0``: Unreal's legacy FBX importer matches UCX names against
  the LOD0 mesh's name, Interchange (UE 5.5+) against the LOD group's, and that
  one name satisfies both; the import script sets ``one_convex_hull_per_ucx``
  off so each piece stays its own hull. A GLB keeps every shape its own node,
  so there the pieces are ``UCX_<object>_LOD0_NN`` (``NodeNames.gltf_collision``;
  one piece alone keeps the merged name), which reads as ``UCX_<LOD0 mesh>_NN``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from exporters.asset import Asset, Texture
from exporters.errors import InputError

_AXIS_NAMES = "XYZ"
_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")
_ROLE_TOKENS = ("basecolor", "base_color", "albedo", "orm", "normal", "emissive")
_DEFAULT_COLLISION = (
    ("convex", "UCX_{name}_{index:02d}"),
    ("box", "UBX_{name}_{index:02d}"),
    ("trimesh", "COL_{name}_{index:02d}"),
)


@dataclass(frozen=True)
class AxisSystem:
    """Where the Asset's axes land in a file, as FBX says it: (axis 0/1/2 = X/Y/Z, sign ±1).

    ``coord`` receives the Asset's +X, ``up`` its +Y and ``front`` its +Z (the
    direction an object faces). FBX GlobalSettings store exactly these three.
    """

    up: tuple[int, int]
    front: tuple[int, int]
    coord: tuple[int, int]

    def matrix(self) -> np.ndarray:
        """Return the 3x3 matrix taking Asset-frame vectors to file-frame vectors."""
        m = np.zeros((3, 3), dtype=np.float64)
        for column, (axis, sign) in enumerate((self.coord, self.up, self.front)):
            m[axis, column] = sign
        if round(float(np.linalg.det(m))) != 1:
            raise ValueError(f"{self} is not a rotation of the Asset frame (mirrored or degenerate)")
        return m

    def describe(self) -> str:
        def axis(a: tuple[int, int]) -> str:
            return ("+" if a[1] > 0 else "-") + _AXIS_NAMES[a[0]]

        return f"{axis(self.up)} up, {axis(self.front)} front, right-handed"


Y_UP = AxisSystem(up=(1, 1), front=(2, 1), coord=(0, 1))  # glTF, Maya, the Asset itself
Z_UP = AxisSystem(up=(2, 1), front=(1, -1), coord=(0, 1))  # 3ds Max; Unreal's FBX import frame


@dataclass(frozen=True)
class NodeNames:
    """The names one Asset node gets in written files."""

    node: str  # the object: the mesh (one LOD) or the LOD group (several)
    lod_meshes: tuple[str, ...]  # one per written level; (node,) for one level; () for an empty LOD0
    collision: tuple[str | None, ...]  # one per CollisionShape; None = not written; shared = merged
    # One per CollisionShape: its node and mesh name in a GLB, where every shape is its own node.
    # ``collision[i]``, except where several shapes share a merged name: ``<merged>_NN`` (NN = i).
    gltf_collision: tuple[str | None, ...] = ()

    @property
    def lod_group(self) -> bool:
        return len(self.lod_meshes) > 1


@dataclass(frozen=True)
class Preset:
    """What ``--target`` sets. The Asset is always +Y up meters; writers convert from it."""

    name: str
    description: str
    formats: tuple[str, ...]  # writer names, in the order they run: "glb", "fbx"
    mesh_prefix: str = ""  # Unreal: "SM_"
    material_prefix: str = ""  # Unreal: "M_"
    texture_prefix: str = ""  # Unreal: "T_"
    # --- FBX frame: file axes and FBX UnitScaleFactor (centimeters per file unit: 100 = meters)
    axes: AxisSystem = Y_UP
    unit_scale_cm: float = 100.0
    # --- naming
    texture_suffixes: tuple[tuple[str, str], ...] = ()  # role -> suffix; empty keeps texture names
    collision_formats: tuple[tuple[str, str], ...] = _DEFAULT_COLLISION  # kind -> format(name, index)
    merge_lod_hulls: bool = False  # several LODs: convex+box shapes as one UCX_<object>_LOD0
    # --- FBX writer options (the CLI may replace() them: --fbx-ascii)
    fbx_ascii: bool = False
    fbx_textures_beside: bool = False  # also write each texture as <texture name>.png next to the FBX
    import_script: str = ""  # samples/engine/... that imports the output into the engine
    # --- instancing, LODs, colliders and navigation in the GLB (see exporters.gltf)
    gpu_instancing: bool = False  # copies of one mesh as one EXT_mesh_gpu_instancing node (the engine reads it)
    max_lod_levels: int = 8  # Godot: 1 (it makes its own LODs and would import LOD1+ as visible meshes)
    colliders_in_scene: bool = False  # Godot: collider nodes are children of their object (import hints)
    navmesh_suffix: str = ""  # Godot: "-navmesh" puts the NAV_ node in the scene as a navigation mesh
    agent: tuple[float, float, float, float] = (0.4, 1.8, 40.0, 0.35)  # navmesh radius, height, slope, step

    def navmesh_name(self, asset_name: str) -> str:
        """Return the navmesh node's name: ``NAV_<asset>``, plus Godot's ``-navmesh`` hint."""
        return f"NAV_{_clean(asset_name)}{self.navmesh_suffix}"

    def mesh_owners(self, asset: Asset) -> list[int]:
        """Return, per node, the index of the first node drawing the same LOD0 mesh (itself when unshared)."""
        first: dict[int, int] = {}
        return [first.setdefault(id(n.lods[0]), i) if n.lods else i for i, n in enumerate(asset.nodes)]

    @property
    def meters_per_unit(self) -> float:
        """Return how many meters one file unit is (FBX UnitScaleFactor is in centimeters)."""
        return self.unit_scale_cm / 100.0

    def object_name(self, name: str) -> str:
        """Return ``name`` as an engine object name: prefixed once, only ``[A-Za-z0-9_]``."""
        return _prefixed(self.mesh_prefix, _clean(name))

    def material_name(self, name: str) -> str:
        return _prefixed(self.material_prefix, _clean(name))

    def texture_name(self, texture: Texture) -> str:
        """Return the texture's file/object name, e.g. Unreal's ``T_house_01_BC``."""
        suffixes = dict(self.texture_suffixes)
        if texture.role not in suffixes:
            return _prefixed(self.texture_prefix, _clean(texture.name))
        base = _clean(texture.name)
        for token in _ROLE_TOKENS:
            if base.lower().endswith("_" + token) and len(base) > len(token) + 1:
                base = base[: -len(token) - 1]
                break
        return _prefixed(self.texture_prefix, f"{base}_{suffixes[texture.role]}")

    def material_names(self, asset: Asset) -> list[str]:
        """Return each material's name in files, in Asset order, unique ignoring case."""
        return _unique([self.material_name(m.name) for m in asset.materials])

    def texture_names(self, asset: Asset) -> list[str]:
        """Return each texture's name in files (and ``<name>.png`` beside an FBX), unique ignoring case."""
        return _unique([self.texture_name(t) for t in asset.textures])

    def scene_names(self, asset: Asset) -> list[NodeNames]:
        """Return the names of each Asset node, its LOD meshes and its colliders, in Asset order.

        Names are unique ignoring case, and no object name is another object's
        name plus ``_NN``, so ``UCX_<object>_NN`` matches exactly one object in
        both of Unreal's importers.
        """
        formats = dict(self.collision_formats)
        taken: set[str] = set()
        objects: list[str] = []
        out = []
        for node in asset.nodes:
            levels = min(_written_levels(node), self.max_lod_levels)
            base = self.object_name(node.name)
            k = 1
            while True:
                name = base if k == 1 else f"{base}_{k}"
                names = _node_names(name, node, levels, formats, self.merge_lod_hulls)
                # one LOD: the mesh is the object; merged colliders share one name
                every = [name, *names.lod_meshes, *(c for c in names.collision + names.gltf_collision if c)]
                every = list(dict.fromkeys(every))
                if not _clashes(every, name, taken, objects):
                    break
                k += 1
                if k > 10_000:  # our invariant: a free name always exists
                    raise AssertionError(f"no free object name for {node.name!r}")
            taken.update(n.lower() for n in every)
            objects.append(name)
            out.append(names)
        return out


def _node_names(name: str, node, levels: int, formats: dict, merge: bool) -> NodeNames:
    lods = () if levels == 0 else (name,) if levels == 1 else tuple(f"{name}_LOD{i}" for i in range(levels))
    collision: list[str | None] = []
    hull_kinds = [s.kind for s in node.collision if s.kind in ("convex", "box") and s.mesh.triangle_count]
    for i, shape in enumerate(node.collision):
        if not shape.mesh.triangle_count:
            collision.append(None)
        elif merge and levels > 1 and shape.kind in ("convex", "box"):
            prefix = "UBX" if hull_kinds == ["box"] else "UCX"
            collision.append(f"{prefix}_{lods[0]}")
        else:
            collision.append(formats[shape.kind].format(name=name, index=i))
    shared = {c for c in collision if c is not None and collision.count(c) > 1}
    gltf = tuple(f"{c}_{i:02d}" if c in shared else c for i, c in enumerate(collision))
    return NodeNames(name, lods, tuple(collision), gltf)


def _clashes(every: list[str], name: str, taken: set[str], objects: list[str]) -> bool:
    if len({n.lower() for n in every}) != len(every) or any(n.lower() in taken for n in every):
        return True
    # "UCX_<A>_NN" must not also read as "UCX_<B>" where B = "<A>_NN" is another object
    suffixed = re.compile(r"^(.*)_\d\d$")
    for other in objects:
        for a, b in ((name, other), (other, name)):
            m = suffixed.match(b)
            if m and m.group(1).lower() == a.lower():
                return True
    return False


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for base in names:
        name, k = base, 2
        while name.lower() in seen:
            name, k = f"{base}_{k}", k + 1
        seen.add(name.lower())
        out.append(name)
    return out


def _written_levels(node) -> int:
    """Return how many LOD levels are written: those before the first one with 0 triangles."""
    for i, mesh in enumerate(node.lods):
        if mesh.triangle_count == 0:
            return i
    return len(node.lods)


def _clean(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("_") or "unnamed"


def _prefixed(prefix: str, name: str) -> str:
    return name if name.startswith(prefix) else prefix + name


PRESETS: dict[str, Preset] = {
    "generic": Preset(
        "generic",
        "glTF conventions: GLB, +Y up, meters",
        formats=("glb",),
    ),
    "unity": Preset(
        "unity",
        "Unity: FBX (+Y up, meters; Unity's importer flips X for its left-handed frame) and GLB for glTFast",
        formats=("fbx", "glb"),
        axes=Y_UP,
        unit_scale_cm=100.0,
        fbx_textures_beside=True,
        gpu_instancing=True,  # glTFast draws EXT_mesh_gpu_instancing with GPU instancing
        agent=(0.5, 2.0, 45.0, 0.4),  # Unity's NavMesh default agent
        import_script="samples/engine/unity/Editor/HyworldImporter.cs",
    ),
    "unreal": Preset(
        "unreal",
        "Unreal Engine 5: FBX (+Z up, centimeters, SM_/M_/T_ names, UCX_ collision) and GLB",
        formats=("fbx", "glb"),
        mesh_prefix="SM_",
        material_prefix="M_",
        texture_prefix="T_",
        axes=Z_UP,
        unit_scale_cm=1.0,
        texture_suffixes=(("baseColor", "BC"), ("normal", "N"), ("orm", "ORM"), ("emissive", "E")),
        merge_lod_hulls=True,
        fbx_textures_beside=True,
        import_script="samples/engine/hyworld_import_unreal.py",
        agent=(0.35, 1.45, 44.0, 0.45),  # Unreal's RecastNavMesh default agent (35 cm, 144 cm, 44 deg, 45 cm)
    ),
    "godot": Preset(
        "godot",
        "Godot: GLB only (Godot imports glTF natively); colliders, navmesh by Godot's import suffixes; LOD0 only",
        formats=("glb",),
        max_lod_levels=1,
        colliders_in_scene=True,
        navmesh_suffix="-navmesh",
        agent=(0.6, 2.0, 45.0, 0.9),  # Godot 3's NavigationMesh defaults (agent radius, height, slope, climb)
        collision_formats=(
            ("convex", "{name}_{index:02d}-convcolonly"),
            ("box", "{name}_{index:02d}-convcolonly"),
            ("trimesh", "{name}_{index:02d}-colonly"),
        ),
    ),
}


def get_preset(name: str) -> Preset:
    """Return the preset called ``name`` or raise ``InputError`` listing the valid ones."""
    try:
        return PRESETS[name]
    except KeyError:
        raise InputError(f"unknown target {name!r}; choose one of: {', '.join(PRESETS)}") from None


def describe_presets() -> list[dict]:
    """Return one row per preset (all values strings) for ``hyworld presets``."""
    rows = []
    for p in PRESETS.values():
        fbx = "fbx" in p.formats
        units = {100.0: "meters", 1.0: "centimeters"}.get(p.unit_scale_cm, f"{p.unit_scale_cm:g} cm per unit")
        naming = f"{p.mesh_prefix or '-'}{{name}} / {p.material_prefix or '-'}{{material}} / "
        naming += f"{p.texture_prefix or '-'}{{texture}}" + ("_BC|_N|_ORM" if p.texture_suffixes else "")
        formats = dict(p.collision_formats)
        shown = (formats[k].format(name="{name}", index=0).replace("00", "NN") for k in formats)
        collision = ", ".join(dict.fromkeys(shown))
        if p.merge_lod_hulls:
            collision += "; with LODs: UCX_{name}_LOD0"
        rows.append(
            {
                "name": p.name,
                "formats": ", ".join(p.formats),
                "axes": (p.axes.describe() if fbx else Y_UP.describe()) + ("" if fbx else " (glTF)"),
                "units": units if fbx else "meters",
                "naming": naming.replace("-{", "{"),
                "collision": collision,
                "lods": "FBX LODGroup {name} > {name}_LOD0..n"
                if fbx
                else (
                    "LOD0 only (the engine makes its own)"
                    if p.max_lod_levels == 1
                    else "MSFT_lod (+ names {name}_LOD1..n)"
                ),
                "instancing": "EXT_mesh_gpu_instancing" if p.gpu_instancing else "nodes sharing a mesh",
                "description": p.description,
            }
        )
    return rows
