"""Shared fixtures: a small hand-built Asset (3 nodes, textures, LODs, colliders) and the glTF validator."""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest

from exporters.asset import Asset, CollisionShape, Material, MeshData, Node, Texture
from exporters.png import encode_png
from exporters.presets import Preset, get_preset
from tests.validator import ValidatorUnavailable, check_available, validate_gltf

# (normal, u axis, v axis) per box face; u x v = normal, so grid quads come out counter-clockwise
_FACES = [
    ((1, 0, 0), (0, 0, -1), (0, 1, 0)),
    ((-1, 0, 0), (0, 0, 1), (0, 1, 0)),
    ((0, 1, 0), (1, 0, 0), (0, 0, -1)),
    ((0, -1, 0), (1, 0, 0), (0, 0, 1)),
    ((0, 0, 1), (1, 0, 0), (0, 1, 0)),
    ((0, 0, -1), (-1, 0, 0), (0, 1, 0)),
]


def box_mesh(size_m=(1.0, 1.0, 1.0), subdiv: int = 1, tangents: bool = True, uv1: bool = True) -> MeshData:
    """Return a box with its pivot at the centre of its base: per-face normals, uv0 atlas, uv1, tangents."""
    size = np.asarray(size_m, dtype=np.float64)
    centre = np.array([0.0, size[1] / 2, 0.0])
    g = np.linspace(0.0, 1.0, subdiv + 1)
    s, t = (a.ravel() for a in np.meshgrid(g, g, indexing="xy"))
    pos, nrm, tan, uv0, uv1s, idx = [], [], [], [], [], []
    for k, (n, u, v) in enumerate(_FACES):
        n, u, v = (np.asarray(a, dtype=np.float64) for a in (n, u, v))
        base = sum(len(p) for p in pos)
        pos.append(centre + size * (n / 2 + (s[:, None] - 0.5) * u + (t[:, None] - 0.5) * v))
        nrm.append(np.tile(n, (len(s), 1)))
        tan.append(np.tile(np.append(u, 1.0), (len(s), 1)))
        cell = np.array([k % 3, k // 3], dtype=np.float64)
        local = np.stack([s, 1.0 - t], axis=1)  # glTF uv: v grows downwards
        uv0.append((cell + 0.05 + 0.9 * local) / [3.0, 2.0])
        uv1s.append((cell + 0.1 + 0.8 * local) / [3.0, 2.0])
        for j in range(subdiv):
            for i in range(subdiv):
                a = base + j * (subdiv + 1) + i
                b, c, d = a + 1, a + subdiv + 2, a + subdiv + 1
                idx += [(a, b, c), (a, c, d)]
    return MeshData(
        positions=np.concatenate(pos),
        indices=np.array(idx),
        normals=np.concatenate(nrm),
        uv0=np.concatenate(uv0),
        uv1=np.concatenate(uv1s) if uv1 else None,
        tangents=np.concatenate(tan) if tangents else None,
    )


def hull_box(size_m=(1.0, 1.0, 1.0)) -> MeshData:
    """Return an 8-vertex, 12-triangle box (positions only), pivot at the centre of its base."""
    x, y, z = (float(a) for a in size_m)
    corners = np.array([[sx * x / 2, sy * y, sz * z / 2] for sx in (-1, 1) for sy in (0, 1) for sz in (-1, 1)])
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    tris = [(a, b, c) for a, b, c, d in quads] + [(a, c, d) for a, b, c, d in quads]
    return MeshData(positions=corners, indices=np.array(tris))


def pyramid_mesh(size_m: float = 1.0, height_m: float = 1.0) -> MeshData:
    """Return a 6-triangle square pyramid with flat normals and uv0, no tangents."""
    h, r = height_m, size_m / 2
    base = [(-r, 0, r), (r, 0, r), (r, 0, -r), (-r, 0, -r)]
    apex = (0.0, h, 0.0)
    pos, nrm, uv, idx = [], [], [], []
    tris = [(base[i], base[(i + 1) % 4], apex) for i in range(4)] + [
        (base[0], base[3], base[2]),
        (base[0], base[2], base[1]),
    ]
    for tri in tris:
        p = np.array(tri, dtype=np.float64)
        n = np.cross(p[1] - p[0], p[2] - p[0])
        idx.append((len(pos), len(pos) + 1, len(pos) + 2))
        pos += list(p)
        nrm += [n / np.linalg.norm(n)] * 3
        uv += [(0.1, 0.9), (0.9, 0.9), (0.5, 0.1)]
    return MeshData(positions=np.array(pos), indices=np.array(idx), normals=np.array(nrm), uv0=np.array(uv))


def octahedron_mesh(radius_m: float = 0.5) -> MeshData:
    """Return an 8-triangle octahedron resting on its lowest vertex: smooth normals, uv0, vertex colors."""
    dirs = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]], dtype=np.float64)
    tris = [(0, 2, 4), (4, 2, 1), (1, 2, 5), (5, 2, 0), (4, 3, 0), (1, 3, 4), (5, 3, 1), (0, 3, 5)]
    uv = np.stack([0.5 + 0.45 * dirs[:, 0], 0.5 - 0.45 * dirs[:, 1]], axis=1)
    colors = np.concatenate([np.abs(dirs) * 0.8 + 0.1, np.ones((6, 1))], axis=1)
    return MeshData(
        positions=dirs * radius_m + [0.0, radius_m, 0.0], indices=np.array(tris), normals=dirs, uv0=uv, colors=colors
    )


def grid_mesh(cells: int, size_m: float = 20.0, uv1: bool = True) -> MeshData:
    """Return a gently sloped terrain grid of ``cells`` x ``cells`` quads centred on the origin."""
    g = np.linspace(-size_m / 2, size_m / 2, cells + 1)
    x, z = (a.ravel() for a in np.meshgrid(g, g, indexing="xy"))
    y = 0.05 * x + 0.02 * z
    normal = np.array([-0.05, 1.0, -0.02]) / math.sqrt(0.05**2 + 1 + 0.02**2)
    uv = np.stack([(x + size_m / 2) / size_m, (z + size_m / 2) / size_m], axis=1)
    a = (np.arange(cells)[:, None] * (cells + 1) + np.arange(cells)[None, :]).ravel()
    below, right = a + cells + 1, a + 1
    idx = np.stack([np.stack([a, below, right], 1), np.stack([right, below, below + 1], 1)], axis=1)
    return MeshData(
        positions=np.stack([x, y, z], axis=1),
        indices=idx.reshape(-1, 3),
        normals=np.tile(normal, (len(x), 1)),
        uv0=uv,
        uv1=uv * 0.98 + 0.01 if uv1 else None,
    )


def _noise_png(h: int, w: int, channels: int, srgb: bool, seed: int) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, size=(h, w, channels), dtype=np.uint8)
    return encode_png(pixels, srgb=srgb)


def make_small_asset() -> Asset:
    """Return a 3-node Asset: a textured, normal-mapped house with 3 LODs and a box collider,
    a vertex-colored rock with a convex collider, and an untextured terrain with 2 LODs and a
    trimesh collider. Each call builds a fresh, equal Asset."""
    asset = Asset(name="village", extras={"seed": 7, "prompt_sha256": "0" * 64, "tags": ["test", "small"]})
    textures = {}
    for name, role, shape, srgb in [
        ("house_01_baseColor", "baseColor", (8, 8, 3), True),
        ("house_01_orm", "orm", (8, 8, 3), False),
        ("house_01_normal", "normal", (8, 8, 3), False),
        ("rock_01_baseColor", "baseColor", (4, 4, 4), True),
    ]:
        png = _noise_png(*shape, srgb=srgb, seed=len(textures))
        textures[name] = asset.add_texture(Texture(name, role, png, width=shape[1], height=shape[0]))
    house_mat = asset.add_material(
        Material(
            "house",
            base_color_texture=textures["house_01_baseColor"],
            orm_texture=textures["house_01_orm"],
            occlusion_from_orm=True,
            normal_texture=textures["house_01_normal"],
            normal_scale=0.8,
        )
    )
    rock_mat = asset.add_material(
        Material("rock", metallic_factor=0.0, roughness_factor=0.8, base_color_texture=textures["rock_01_baseColor"])
    )
    terrain_mat = asset.add_material(Material("terrain", base_color_factor=(0.3, 0.5, 0.2, 1.0), metallic_factor=0.0))
    half = math.sqrt(0.5)
    asset.nodes = [
        Node(
            name="house_01",
            kind="house",
            lods=[box_mesh((4, 3, 5), subdiv=2), box_mesh((4, 3, 5), subdiv=1), pyramid_mesh(4.5, 3.0)],
            material=house_mat,
            translation=(4.0, 0.0, -2.0),
            rotation=(0.0, half, 0.0, half),
            lod_screen_sizes=[0.4, 0.15, 0.02],
            collision=[CollisionShape("box", hull_box((4, 3, 5)))],
            extras={"style": "cottage", "floors": 2},
        ),
        Node(
            name="rock_01",
            kind="rock",
            lods=[octahedron_mesh(0.5)],
            material=rock_mat,
            translation=(-3.0, 0.2, 1.5),
            scale=(1.5, 1.5, 1.5),
            lod_screen_sizes=[0.01],
            collision=[
                CollisionShape("convex", MeshData(octahedron_mesh(0.5).positions, octahedron_mesh(0.5).indices))
            ],
        ),
        Node(
            name="terrain",
            kind="terrain",
            lods=[grid_mesh(4), grid_mesh(2)],
            material=terrain_mat,
            lod_screen_sizes=[0.3, 0.0],
            collision=[CollisionShape("trimesh", MeshData(grid_mesh(2).positions, grid_mesh(2).indices))],
        ),
    ]
    return asset


@pytest.fixture
def small_asset() -> Asset:
    """A fresh 3-node Asset with textures, LODs and colliders (see ``make_small_asset``)."""
    return make_small_asset()


@pytest.fixture
def generic_preset() -> Preset:
    return Preset("generic", "glTF conventions", formats=("glb",))


@pytest.fixture
def unreal_like_preset() -> Preset:
    """A preset with Unreal's name prefixes, whatever presets.py ships."""
    return Preset(
        "prefixed", "SM_/M_/T_ names", formats=("glb",), mesh_prefix="SM_", material_prefix="M_", texture_prefix="T_"
    )


@pytest.fixture
def unreal_preset() -> Preset:
    """The shipped Unreal preset: SM_/M_/T_ names, T_<name>_BC/_N/_ORM, merged LOD-group hulls."""
    return get_preset("unreal")


@pytest.fixture
def unity_preset() -> Preset:
    return get_preset("unity")


@pytest.fixture(scope="session")
def gltf_validator():
    """Return ``validate_gltf``; fail (never skip) when node or the validator package is missing."""
    try:
        check_available()
    except ValidatorUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    return validate_gltf


@pytest.fixture(scope="module")
def one_torch_thread():
    """Run a module's many small tensor ops on one thread: on a busy 2-core machine OpenMP's
    spinning threads make them several times slower, and one thread is as fast when it is idle."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


SAMPLE_EVERY = 8  # make test-fast runs one case in this many of a test marked `sampled`


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    """Mark all but one case in SAMPLE_EVERY of each `sampled` parametrized test slow (at least one case stays),
    so that make test-fast checks a spread of kinds, a different eighth per test, and make test checks every one."""
    cases: dict[str, list] = {}
    for item in items:
        if item.get_closest_marker("sampled") is not None and hasattr(item, "callspec"):
            cases.setdefault(item.nodeid.split("[", 1)[0], []).append(item)
    for test, group in cases.items():
        offset = zlib.crc32(test.encode()) % SAMPLE_EVERY
        keep = {i for i in range(len(group)) if (i + offset) % SAMPLE_EVERY == 0} or {offset % len(group)}
        for i, item in enumerate(group):
            if i not in keep:
                item.add_marker(pytest.mark.slow)
