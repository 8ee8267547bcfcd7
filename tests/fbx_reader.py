"""Read FBX files with two independent, well-known readers, into plain Python data for tests.

* ufbx (PyPI ``ufbx``, bindings of the ufbx C library that game engines and
  Blender's FBX importer rewrite build on): hierarchy, global settings as the
  reader understands them (axes, unit), LOD groups, UV set names and values,
  materials and their texture links, embedded content, and geometry after the
  reader converts the file to a frame we ask for.
* assimp (Debian ``assimp-utils``, ``assimp dump``): a second, unrelated FBX
  parser; its XML dump gives the node tree, per-mesh positions, triangles, UV
  channels with names, materials with texture files and embedded images.

Neither is our code. Both must be installed: a test that needs one fails with
the install command rather than skipping (``require_readers``).

The ufbx 0.0.5 bindings hand out element wrappers without taking a reference,
so a dropped temporary can free a cached wrapper (wrong names, then a
segfault). Every wrapper touched here is appended to ``keep`` for the life of
the scene, and everything is copied into dataclasses before the scene is freed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

INSTALL = (
    "install the independent FBX readers the tests use: "
    "`apt-get install -y assimp-utils` (assimp 5.x CLI) and "
    "`.venv/bin/python -m pip install ufbx==0.0.5` (or run `make install`)"
)


def require_readers() -> None:
    """Fail the calling test (never skip) when an independent FBX reader is missing."""
    try:
        import ufbx  # noqa: F401
    except ImportError:
        pytest.fail(f"ufbx is not importable; {INSTALL}", pytrace=False)
    if shutil.which("assimp") is None:
        pytest.fail(f"the `assimp` command is not on PATH; {INSTALL}", pytrace=False)


# ---------------------------------------------------------------------------------------- ufbx


@dataclass
class UMesh:
    name: str
    num_vertices: int
    num_triangles: int
    num_faces: int
    max_face_triangles: int
    corner_positions: np.ndarray  # [corners, 3] in the mesh's (geometry) space
    corner_normals: np.ndarray | None
    corner_tangents: np.ndarray | None
    corner_bitangents: np.ndarray | None
    uv_sets: dict[str, np.ndarray]  # name -> [corners, 2], in set order
    materials: list[str]


@dataclass
class UNode:
    name: str
    parent: str | None
    children: list[str]
    attrib: str  # "MESH", "LOD_GROUP", "EMPTY", ...
    node_to_world: np.ndarray  # 4x4
    geometry_to_world: np.ndarray  # 4x4
    mesh: UMesh | None
    user_props: dict[str, object]

    def world_positions(self) -> np.ndarray:
        """Return the mesh's corner positions in the (converted) world frame."""
        p = self.mesh.corner_positions
        return p @ self.geometry_to_world[:3, :3].T + self.geometry_to_world[:3, 3]

    def world_normals(self) -> np.ndarray:
        """Return the mesh's corner normals in the world frame (inverse-transpose), unit length."""
        n = self.mesh.corner_normals @ np.linalg.inv(self.geometry_to_world[:3, :3])
        return n / np.linalg.norm(n, axis=1, keepdims=True)


@dataclass
class UTexture:
    name: str
    filename: str
    relative_filename: str
    content: bytes
    uv_set: str


@dataclass
class UMaterial:
    name: str
    shading_model: str
    links: dict[str, str]  # material property -> texture name (every OP connection)
    diffuse_texture: str | None  # what ufbx's own FBX material mapping finds
    normal_texture: str | None


@dataclass
class UScene:
    version: int
    ascii: bool
    creator: str
    axes: tuple[str, str, str]  # right, up, front, e.g. ("+X", "+Z", "-Y")
    unit_meters: float
    global_props: dict[str, float]
    nodes: dict[str, UNode]
    materials: dict[str, UMaterial]
    textures: dict[str, UTexture]
    lod_groups: dict[str, dict]  # node name -> {"levels", "percentage", "thresholds"}
    warnings: list[str] = field(default_factory=list)


def _axis(value) -> str:
    name = value.name  # POSITIVE_X ...
    return ("+" if name.startswith("POSITIVE") else "-") + name[-1]


def _matrix(m) -> np.ndarray:
    out = np.eye(4)
    for i, col in enumerate((m.c0, m.c1, m.c2, m.c3)):
        out[:3, i] = (col.x, col.y, col.z)
    return out


_POOL = None
CRASH_RETRIES = 3


def read_ufbx(path: Path, target: str | None = None) -> UScene:
    """Return what ufbx reads from ``path``; ``target="y_up_meters"`` converts to +Y up, meters.

    The conversion is ufbx's own, from the file's GlobalSettings (axes and
    UnitScaleFactor), applied to the geometry (``modify_geometry``).

    The reading runs in a worker process: the 0.0.5 bindings' wrapper-lifetime
    bug (module docstring) can still segfault on a temporary we cannot hold, and
    a crash must fail one read, not kill the test session. A crashed worker is
    replaced and the same bytes are read again, a few times at most; the result
    does not depend on which try succeeded, since ufbx parses deterministically.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _POOL
    for _attempt in range(CRASH_RETRIES):
        if _POOL is None:
            _POOL = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        try:
            return _POOL.submit(_read_ufbx_here, str(path), target).result()
        except BrokenProcessPool:
            _POOL = None
    pytest.fail(f"ufbx crashed {CRASH_RETRIES} times reading {path}", pytrace=False)


def _read_ufbx_here(path: str, target: str | None) -> UScene:
    import ufbx

    opts = {}
    if target == "y_up_meters":
        opts = dict(
            target_axes=ufbx.axes_right_handed_y_up,
            target_unit_meters=1.0,
            space_conversion=ufbx.SpaceConversion.MODIFY_GEOMETRY,
        )
    keep: list = []  # see the module docstring: hold every wrapper until the scene is freed
    scene = ufbx.load_file(str(path), **opts)
    keep.append(scene)
    try:
        return _convert_scene(scene, keep)
    finally:
        scene.free()
        keep.clear()


def _convert_scene(scene, keep: list) -> UScene:
    meta = scene.metadata
    settings = scene.settings
    axes = settings.axes
    keep += [meta, settings, axes]
    props = settings.props
    keep.append(props)
    names = (
        "UpAxis",
        "UpAxisSign",
        "FrontAxis",
        "FrontAxisSign",
        "CoordAxis",
        "CoordAxisSign",
        "UnitScaleFactor",
        "OriginalUnitScaleFactor",
    )
    global_props = {n: props.find_real(n, float("nan")) for n in names}
    warnings = []
    for w in meta.warnings:
        keep.append(w)
        warnings.append(str(w.description))
    nodes = {}
    for node in scene.nodes:
        keep.append(node)
        if node.is_root:
            continue
        parent = node.parent
        keep.append(parent)
        children = []
        for child in node.children:
            keep.append(child)
            children.append(child.name)
        mesh = node.mesh
        keep.append(mesh)
        user = {}
        node_props = node.props
        keep.append(node_props)
        for prop in node_props.props:
            keep.append(prop)
            if prop.name.startswith("hyworld_"):
                user[prop.name] = prop.value_str or prop.value_vec4.x
        nodes[node.name] = UNode(
            name=node.name,
            parent=None if parent is None or parent.is_root else parent.name,
            children=children,
            attrib=node.attrib_type.name,
            node_to_world=_matrix(node.node_to_world),
            geometry_to_world=_matrix(node.geometry_to_world),
            mesh=_convert_mesh(mesh, node, keep) if mesh is not None else None,
            user_props=user,
        )
    textures = {}
    for tex in scene.textures:
        keep.append(tex)
        textures[tex.name] = UTexture(tex.name, tex.filename, tex.relative_filename, bytes(tex.content), tex.uv_set)
    materials = {}
    for mat in scene.materials:
        keep.append(mat)
        links = {}
        for mt in mat.textures:
            keep.append(mt)
            t = mt.texture
            keep.append(t)
            links[mt.material_prop] = t.name
        fbx = mat.fbx
        keep.append(fbx)
        found = []
        for slot in (fbx.diffuse_color, fbx.normal_map):
            keep.append(slot)
            t = slot.texture
            keep.append(t)
            found.append(t.name if t is not None else None)
        materials[mat.name] = UMaterial(mat.name, mat.shading_model_name, links, found[0], found[1])
    lods = {}
    for group in scene.lod_groups:
        keep.append(group)
        instances = group.instances
        keep.append(instances)
        owner = instances[0]
        keep.append(owner)
        group_props = group.props
        keep.append(group_props)
        levels = group.lod_levels
        keep.append(levels)
        count = len(levels)
        lods[owner.name] = {
            "levels": count,
            "percentage": bool(group.relative_distances),
            "thresholds": [group_props.find_real(f"Thresholds|Level{i}", float("nan")) for i in range(count - 1)],
        }
    return UScene(
        version=int(meta.version),
        ascii=bool(meta.ascii),
        creator=meta.creator,
        axes=(_axis(axes.right), _axis(axes.up), _axis(axes.front)),
        unit_meters=float(settings.unit_meters),
        global_props=global_props,
        nodes=nodes,
        materials=materials,
        textures=textures,
        lod_groups=lods,
        warnings=warnings,
    )


def _convert_mesh(mesh, node, keep: list) -> UMesh:
    pos = mesh.vertex_position
    keep.append(pos)
    positions = np.array([tuple(v) for v in pos.values], dtype=np.float64)
    corners = np.array(list(pos.indices), dtype=np.int64)
    normals = None
    nrm = mesh.vertex_normal
    keep.append(nrm)
    if nrm.exists and not mesh.generated_normals:
        nv = np.array([tuple(v) for v in nrm.values], dtype=np.float64)
        normals = nv[np.array(list(nrm.indices), dtype=np.int64)]
    frames = []
    for element in (mesh.vertex_tangent, mesh.vertex_bitangent):
        keep.append(element)
        if not element.exists:
            frames.append(None)
            continue
        values = np.array([tuple(v) for v in element.values], dtype=np.float64)
        frames.append(values[np.array(list(element.indices), dtype=np.int64)])
    uv_sets = {}
    for uv_set in mesh.uv_sets:
        keep.append(uv_set)
        vu = uv_set.vertex_uv
        keep.append(vu)
        values = np.array([tuple(v) for v in vu.values], dtype=np.float64)
        uv_sets[uv_set.name] = values[np.array(list(vu.indices), dtype=np.int64)]
    materials = []
    for mat in node.materials:
        keep.append(mat)
        materials.append(mat.name)
    return UMesh(
        name=mesh.name,
        num_vertices=int(mesh.num_vertices),
        num_triangles=int(mesh.num_triangles),
        num_faces=int(mesh.num_faces),
        max_face_triangles=int(mesh.max_face_triangles),
        corner_positions=positions[corners],
        corner_normals=normals,
        corner_tangents=frames[0],
        corner_bitangents=frames[1],
        uv_sets=uv_sets,
        materials=materials,
    )


# -------------------------------------------------------------------------------------- assimp


@dataclass
class AMesh:
    positions: np.ndarray  # [n, 3] (assimp splits every corner into its own vertex)
    faces: int
    face_sizes: set[int]
    uv_sets: dict[str, np.ndarray]  # channel name -> [n, 2]
    material: str


@dataclass
class ANode:
    name: str
    matrix: np.ndarray  # local 4x4
    children: list[str]
    meshes: list[AMesh]


@dataclass
class AScene:
    nodes: dict[str, ANode]
    root: str
    materials: list[dict]  # {"name": str, "textures": {usage: file}}
    embedded: list[bytes]

    def world(self, name: str) -> np.ndarray:
        """Return the node's world matrix (assimp keeps the file's axes and units)."""
        parents = {c: n.name for n in self.nodes.values() for c in n.children}
        m = self.nodes[name].matrix
        while name in parents:
            name = parents[name]
            m = self.nodes[name].matrix @ m
        return m


def read_assimp(path: Path) -> AScene:
    """Return what ``assimp dump`` (no post-processing) reads from ``path``."""
    require_assimp = shutil.which("assimp")
    if require_assimp is None:
        pytest.fail(f"the `assimp` command is not on PATH; {INSTALL}", pytrace=False)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dump.assxml"
        proc = subprocess.run(["assimp", "dump", str(path), str(out)], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0 or not out.exists():
            raise AssertionError(f"assimp could not read {path}:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        root = ET.parse(out).getroot()
    scene = root.find("Scene")
    materials = []
    for mat in scene.iter("Material"):
        entry = {"name": None, "textures": {}}
        for prop in mat.iter("MatProperty"):
            text = (prop.text or "").strip().strip('"')
            if prop.get("key") == "?mat.name":
                entry["name"] = text
            elif prop.get("key") == "$tex.file":
                entry["textures"][prop.get("tex_usage")] = text
        materials.append(entry)
    meshes = []
    mesh_list = scene.find("MeshList")
    for mesh in mesh_list if mesh_list is not None else []:
        faces = mesh.find("FaceList")
        uv_sets = {}
        for tc in mesh.findall("TextureCoords"):
            uv_sets[tc.get("name", tc.get("set"))] = _numbers(tc.text).reshape(-1, int(tc.get("num_components")))
        meshes.append(
            AMesh(
                positions=_numbers(mesh.find("Positions").text).reshape(-1, 3),
                faces=int(faces.get("num")),
                face_sizes={int(f.get("num")) for f in faces.findall("Face")},
                uv_sets=uv_sets,
                material=materials[int(mesh.get("material_index"))]["name"],
            )
        )
    nodes: dict[str, ANode] = {}

    def visit(el) -> str:
        children = []
        node_list = el.find("NodeList")
        for child in node_list if node_list is not None else []:
            children.append(visit(child))
        refs = el.find("MeshRefs")
        mesh_ids = [int(x) for x in refs.text.split()] if refs is not None else []
        name = el.get("name")
        nodes[name] = ANode(
            name, _numbers(el.find("Matrix4").text).reshape(4, 4), children, [meshes[i] for i in mesh_ids]
        )
        return name

    root_name = visit(scene.find("Node"))
    embedded = []
    tex_list = scene.find("TextureList")
    for tex in tex_list if tex_list is not None else []:
        data = tex.find("Data")
        embedded.append(bytes(int(h, 16) for h in data.text.split()))
    return AScene(nodes=nodes, root=root_name, materials=materials, embedded=embedded)


def _numbers(text: str) -> np.ndarray:
    return np.array([float(x) for x in text.split()], dtype=np.float64)
