"""Inputs for the convert tests, written by independent libraries (trimesh, plyfile, pygltflib), and the checks
every converted asset must pass: Khronos validator, LODs, collision, uv1 without overlap, surface within 1% of
the source's bounding diagonal (Chamfer), colours matching the source at sampled surface points."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import torch
import trimesh
from PIL import Image
from plyfile import PlyData, PlyElement
from pygltflib import GLTF2
from scipy.spatial import cKDTree

from pipelines.texture.raster import uv_overlap_count
from pipelines.texture.uv_overlap import overlapping_pairs
from tests.validator import assert_valid_gltf

SH_C0 = 0.28209479177387814


def sphere_uv(v: np.ndarray) -> np.ndarray:
    """Spherical uv of points on a sphere centred on the origin (glTF convention, v down)."""
    r = np.linalg.norm(v, axis=1)
    return np.stack(
        [0.5 + np.arctan2(v[:, 2], v[:, 0]) / (2 * np.pi), np.arccos(np.clip(v[:, 1] / r, -1, 1)) / np.pi], 1
    )


def gradient_image(size: int = 256) -> np.ndarray:
    """An sRGB image whose colour varies smoothly: R with u, G with v, B constant."""
    g = (np.arange(size) + 0.5) / size
    u, v = np.meshgrid(g, g, indexing="xy")
    return (np.stack([0.15 + 0.7 * u, 0.15 + 0.7 * v, np.full_like(u, 0.4)], -1) * 255).astype(np.uint8)


def textured_sphere(subdivisions: int, radius: float = 0.5) -> trimesh.Trimesh:
    """An icosphere with a spherical uv map and the gradient texture (uv seam split, as exporters write it)."""
    m = trimesh.creation.icosphere(subdivisions, radius=radius)
    uv = sphere_uv(m.vertices)
    uv[:, 1] = 1.0 - uv[:, 1]  # trimesh takes OpenGL-style uv (v up) and flips on export
    material = trimesh.visual.material.PBRMaterial(
        baseColorTexture=Image.fromarray(gradient_image()), baseColorFactor=[255, 255, 255, 255], metallicFactor=0.0
    )
    m.visual = trimesh.visual.TextureVisuals(uv=uv, material=material)
    return m


def coloured_sphere(subdivisions: int, radius: float = 0.5) -> trimesh.Trimesh:
    m = trimesh.creation.icosphere(subdivisions, radius=radius)
    rgb = np.clip(0.5 + 0.8 * m.vertices / radius * 0.5, 0, 1)
    m.visual.vertex_colors = np.c_[(rgb * 255).astype(np.uint8), np.full(len(rgb), 255, np.uint8)]
    return m


def write_point_cloud(path: Path, n: int, seed: int = 0, binary: bool = True) -> None:
    rng = np.random.default_rng(seed)
    p = rng.normal(size=(n, 3))
    p = 0.5 * p / np.linalg.norm(p, axis=1, keepdims=True)
    c = (np.clip(0.5 + 0.8 * p, 0, 1) * 255).astype(np.uint8)
    v = np.zeros(n, dtype=[("x", "f4"), ("y", "f4"), ("z", "f4"), ("red", "u1"), ("green", "u1"), ("blue", "u1")])
    v["x"], v["y"], v["z"] = p.T
    v["red"], v["green"], v["blue"] = c.T
    PlyData([PlyElement.describe(v, "vertex")], text=not binary).write(str(path))


SPLAT_FIELDS = ["x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2"] + [f"f_rest_{i}" for i in range(45)] + [
    "opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"]  # fmt: skip


def write_splats(path: Path, n: int, seed: int = 1) -> None:
    """3DGS splats in the standard layout: flat discs tangent to a 0.5 m sphere, coloured by direction."""
    rng = np.random.default_rng(seed)
    nrm = rng.normal(size=(n, 3))
    nrm /= np.linalg.norm(nrm, axis=1, keepdims=True)
    p = 0.5 * nrm
    v = np.zeros(n, dtype=[(k, "f4") for k in SPLAT_FIELDS])
    v["x"], v["y"], v["z"] = p.T
    col = np.clip(0.5 + 0.8 * p, 0, 1)
    for i in range(3):
        v[f"f_dc_{i}"] = (col[:, i] - 0.5) / SH_C0
    v["opacity"] = 2.0  # logit: sigmoid(2) = 0.88
    spacing = np.sqrt(np.pi / n)  # mean distance between neighbours on the sphere
    v["scale_0"] = v["scale_1"] = np.log(1.5 * spacing)
    v["scale_2"] = np.log(0.1 * spacing)
    z = np.array([0.0, 0.0, 1.0])
    axis = np.cross(z, nrm)
    s = np.linalg.norm(axis, axis=1)
    ang = np.arctan2(s, nrm[:, 2])
    axis = axis / np.maximum(s, 1e-12)[:, None]
    v["rot_0"] = np.cos(ang / 2)
    v["rot_1"], v["rot_2"], v["rot_3"] = (axis * np.sin(ang / 2)[:, None]).T
    PlyData([PlyElement.describe(v, "vertex")]).write(str(path))


def splat_colour(p: np.ndarray) -> np.ndarray:
    return np.clip(0.5 + 0.8 * (p - [0, 0.5, 0]), 0, 1)


# -- reading the output back --------------------------------------------------------------------


def accessor(gltf: GLTF2, index: int) -> np.ndarray:
    acc = gltf.accessors[index]
    view = gltf.bufferViews[acc.bufferView]
    comps = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}[acc.type]
    dtype = {5126: np.float32, 5125: np.uint32, 5123: np.uint16}[acc.componentType]
    start = (view.byteOffset or 0) + (acc.byteOffset or 0)
    data = np.frombuffer(gltf.binary_blob(), dtype=dtype, count=acc.count * comps, offset=start)
    return data.reshape(acc.count, comps) if comps > 1 else data


def read_lod0(out_dir: Path, name: str) -> list[dict]:
    """Return, per object node of the manifest, its LOD0 arrays (world positions), its LOD count and base colour image."""
    manifest = json.loads((out_dir / "manifest.json").read_text())
    gltf = GLTF2().load(str(out_dir / f"{name}.glb"))
    meshes = {m.name: m for m in gltf.meshes}
    nodes = {n.name: n for n in gltf.nodes}
    out = []
    for entry in manifest["nodes"]:
        mesh = meshes[entry["lods"][0]["mesh"]]
        prim = mesh.primitives[0]
        node = nodes[entry["name"]]
        arrays = {
            "positions": accessor(gltf, prim.attributes.POSITION).astype(np.float64) + (node.translation or [0, 0, 0]),
            "indices": accessor(gltf, prim.indices).reshape(-1, 3).astype(np.int64),
            "uv0": accessor(gltf, prim.attributes.TEXCOORD_0),
            "uv1": accessor(gltf, prim.attributes.TEXCOORD_1),
        }
        material = gltf.materials[prim.material]
        image = gltf.images[gltf.textures[material.pbrMetallicRoughness.baseColorTexture.index].source]
        view = gltf.bufferViews[image.bufferView]
        png = gltf.binary_blob()[view.byteOffset or 0 : (view.byteOffset or 0) + view.byteLength]
        arrays["base_color"] = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
        arrays["lods"] = len(entry["lods"])
        arrays["collision"] = len(entry.get("collision", []))
        out.append(arrays)
    return out


def surface_samples(positions: np.ndarray, faces: np.ndarray, n: int, seed: int = 0):
    """Return (points [n, 3], face [n], barycentrics [n, 3]) spread over the surface by area."""
    m = trimesh.Trimesh(positions, faces, process=False)
    pts, face = trimesh.sample.sample_surface(m, n, seed=seed)
    bary = trimesh.triangles.points_to_barycentric(m.triangles[face], pts)
    return pts, face, bary


def chamfer(a: np.ndarray, b: np.ndarray) -> float:
    """Symmetric mean nearest-neighbour distance between point sets ``a`` and ``b``."""
    return 0.5 * (cKDTree(b).query(a)[0].mean() + cKDTree(a).query(b)[0].mean())


def texture_at(image: np.ndarray, uv: np.ndarray) -> np.ndarray:
    """Nearest-texel sRGB 0..1 colour of ``image`` at glTF uv."""
    h, w = image.shape[:2]
    x = np.clip((uv[:, 0] * w).astype(int), 0, w - 1)
    y = np.clip((uv[:, 1] * h).astype(int), 0, h - 1)
    return image[y, x].astype(np.float64) / 255.0


# Overlap that counts: deeper than a quarter texel of the default 256² lightmap. xatlas's own charts overlap by up
# to ~0.1 texel there (measured on the 40k-point sphere: 19 pairs, none deeper than 0.12 texel), which no bake at
# that resolution can see; the old fallback's and projected LODs' overlaps were far deeper.
UV1_OVERLAP_TOL = 0.25 / 256


def assert_lightmaps_never_overlap(glb: Path, tol: float = UV1_OVERLAP_TOL) -> int:
    """Check every mesh's TEXCOORD_1 in ``glb`` (every LOD): inside [0, 1], no two triangles overlap deeper than
    ``tol`` (exactly, not on a raster); return how many meshes carry one."""
    gltf = GLTF2().load(str(glb))
    checked = 0
    for mesh in gltf.meshes:
        for prim in mesh.primitives:
            if prim.attributes.TEXCOORD_1 is None:
                continue  # colliders and the navmesh carry no lightmap
            uv1 = accessor(gltf, prim.attributes.TEXCOORD_1)
            faces = accessor(gltf, prim.indices).reshape(-1, 3)
            assert uv1.min() >= 0.0 and uv1.max() <= 1.0, mesh.name
            assert overlapping_pairs(uv1, faces, tol) == 0, f"{mesh.name}: lightmap UVs overlap"
            checked += 1
    return checked


def check_asset(
    out_dir: Path, name: str, source_points: np.ndarray, expected_colour, *, colour_tol: float, samples: int = 4000
) -> dict:
    """Run every check on a converted asset; return the measured figures (chamfer share, colour error)."""
    assert_valid_gltf(out_dir / f"{name}.glb", allow_infos=True)
    assert_lightmaps_never_overlap(out_dir / f"{name}.glb")
    nodes = read_lod0(out_dir, name)
    diag = float(np.linalg.norm(np.ptp(source_points, axis=0)))
    pts_all, col_err = [], []
    for node in nodes:
        assert node["lods"] >= 2, "no LODs"
        assert node["collision"] >= 1, "no collision"
        uv1 = node["uv1"]
        count = uv_overlap_count(torch.from_numpy(uv1.copy()), torch.from_numpy(node["indices"]), 256)
        assert int(count.max()) <= 1, "lightmap charts overlap"
        pts, face, bary = surface_samples(node["positions"], node["indices"], samples)
        uv = (node["uv0"][node["indices"][face]] * bary[:, :, None]).sum(1)
        pts_all.append(pts)
        if expected_colour is None:  # the source has no colour (STL)
            continue
        got = texture_at(node["base_color"], uv)
        want = expected_colour(pts)
        ok = np.isfinite(want).all(1)
        col_err.append(np.abs(got[ok] - want[ok]).mean())
    share = chamfer(np.concatenate(pts_all), source_points) / diag
    assert share < 0.01, f"surface is {share:.4f} of the diagonal from the source"
    err = float(np.mean(col_err)) if col_err else 0.0
    assert not col_err or err < colour_tol, f"mean colour error {err:.3f} over {colour_tol}"
    return {"chamfer_share": share, "colour_error": err}
