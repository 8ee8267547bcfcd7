"""The headless preview renders a GLB's LOD0 with its textures, from known views, deterministically."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
import torch

from exporters.errors import InputError
from exporters.png import encode_png
from pipelines.inspect.glb_reader import read_scene
from pipelines.inspect.preview import render_preview, write_preview
from pipelines.texture.raster import nearest_face
from tests.pngs import read_png

SIZE = 96


# -- a tiny GLB writer (json + struct), so the tests depend on no exporter under development ----


class _Glb:
    def __init__(self) -> None:
        lists = ("nodes", "meshes", "accessors", "bufferViews", "buffers", "materials", "textures", "images")
        self.doc: dict = {"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": []}], **{k: [] for k in lists}}
        self.blob = bytearray()

    def _view(self, data: bytes) -> int:
        self.blob += b"\0" * (-len(self.blob) % 4)
        self.doc["bufferViews"].append({"buffer": 0, "byteOffset": len(self.blob), "byteLength": len(data)})
        self.blob += data
        return len(self.doc["bufferViews"]) - 1

    def _accessor(self, array: np.ndarray, kind: str) -> int:
        ctype = 5125 if array.dtype.kind == "u" else 5126
        flat = array.astype(np.uint32 if ctype == 5125 else np.float32)
        acc = {"bufferView": self._view(flat.tobytes()), "componentType": ctype, "count": len(flat), "type": kind}
        if kind == "VEC3" and ctype == 5126:
            acc["min"], acc["max"] = flat.min(0).tolist(), flat.max(0).tolist()
        self.doc["accessors"].append(acc)
        return len(self.doc["accessors"]) - 1

    def texture(self, pixels: np.ndarray, srgb: bool = True) -> int:
        self.doc["images"].append({"bufferView": self._view(encode_png(pixels, srgb=srgb)), "mimeType": "image/png"})
        self.doc["textures"].append({"source": len(self.doc["images"]) - 1})
        return len(self.doc["textures"]) - 1

    def material(self, rgb=None, factor=(1.0, 1.0, 1.0, 1.0), base_info: dict | None = None, **extra) -> int:
        """Add a material; ``rgb`` (a color, or an image) becomes its base color texture."""
        pbr = {"baseColorFactor": list(factor), "metallicFactor": 0.0, "roughnessFactor": 0.8}
        if rgb is not None:
            image = rgb if isinstance(rgb, np.ndarray) else np.tile(np.array(rgb, np.uint8), (8, 8, 1))
            pbr["baseColorTexture"] = {"index": self.texture(image), **(base_info or {})}
        self.doc["materials"].append({"pbrMetallicRoughness": pbr, **extra})
        return len(self.doc["materials"]) - 1

    def mesh(self, positions, normals, uvs, faces, material: int | None, tangents=None) -> int:
        attrs = {"POSITION": self._accessor(np.asarray(positions), "VEC3"),
                 "NORMAL": self._accessor(np.asarray(normals), "VEC3"),
                 "TEXCOORD_0": self._accessor(np.asarray(uvs), "VEC2")}  # fmt: skip
        if tangents is not None:
            attrs["TANGENT"] = self._accessor(np.asarray(tangents), "VEC4")
        prim = {"attributes": attrs, "indices": self._accessor(np.asarray(faces, np.uint32).reshape(-1, 1), "SCALAR")}
        if material is not None:
            prim["material"] = material
        self.doc["meshes"].append({"primitives": [prim]})
        return len(self.doc["meshes"]) - 1

    def node(self, in_scene: bool = True, **fields) -> int:
        self.doc["nodes"].append(fields)
        if in_scene:
            self.doc["scenes"][0]["nodes"].append(len(self.doc["nodes"]) - 1)
        return len(self.doc["nodes"]) - 1

    def write(self, path: Path) -> Path:
        self.blob += b"\0" * (-len(self.blob) % 4)
        self.doc["buffers"] = [{"byteLength": len(self.blob)}]
        text = json.dumps({k: v for k, v in self.doc.items() if v != []}).encode()
        text += b" " * (-len(text) % 4)
        body = struct.pack("<I4s", len(text), b"JSON") + text
        body += struct.pack("<I4s", len(self.blob), b"BIN\0") + bytes(self.blob)
        path.write_bytes(struct.pack("<4sII", b"glTF", 2, 12 + len(body)) + body)
        return path


def _box(size: float = 1.0):
    """Return flat-shaded box arrays (24 vertices, CCW outward faces) with its base at y = 0."""
    positions, normals, uvs, faces = [], [], [], []
    for axis in range(3):
        for sign in (1.0, -1.0):
            n = np.zeros(3)
            n[axis] = sign
            u, v = np.roll(np.eye(3), -1, 0)[axis], np.roll(np.eye(3), -2, 0)[axis]  # u x v = n
            if sign < 0:
                u = -u
            base = len(positions)
            for du, dv in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
                positions.append((n + du * u + dv * v) * size / 2 + [0, size / 2, 0])
                normals.append(n)
                uvs.append(((du + 1) / 2, (1 - dv) / 2))
            faces += [base, base + 1, base + 2, base, base + 2, base + 3]
    return np.array(positions), np.array(normals), np.array(uvs), faces


def _quad(half: float, y: float = 0.0, up: bool = True):
    p = [(-half, y, half), (half, y, half), (half, y, -half), (-half, y, -half)]
    faces = [0, 1, 2, 0, 2, 3] if up else [0, 2, 1, 0, 3, 2]
    return (
        np.array(p),
        np.tile([0.0, 1.0 if up else -1.0, 0.0], (4, 1)),
        np.array([(0, 1), (1, 1), (1, 0), (0, 0)]),
        faces,
    )


def _scene(tmp_path: Path, name: str = "scene.glb", extra=None, ground=None) -> Path:
    """A red textured unit box on a green 4 m plane, with a small blue box at the front-left corner."""
    glb = _Glb()
    if ground is None:
        glb.node(name="terrain", mesh=glb.mesh(*_quad(2.0), glb.material((40, 160, 40))))
    else:
        ground(glb)
    glb.node(name="house_01", mesh=glb.mesh(*_box(), glb.material((200, 30, 30))))
    crate = glb.mesh(*_box(0.5), glb.material(None, (0.05, 0.1, 0.9, 1.0)))
    glb.node(name="crate_01", mesh=crate, translation=[1.4, 0, 1.4])
    if extra:
        extra(glb)
    return glb.write(tmp_path / name)


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> tuple[Path, np.ndarray]:
    """The standard scene's file and its single view, rendered once for the tests that compare with it."""
    path = _scene(tmp_path_factory.mktemp("plain"))
    return path, render_preview(path, size=SIZE)


def _is(rgb, channel: int) -> bool:
    """True when ``channel`` clearly dominates the two others in pixel ``rgb``."""
    rgb = rgb.astype(int)
    return all(rgb[channel] > rgb[c] + 40 for c in range(3) if c != channel)


# -- what the picture shows ---------------------------------------------------------------------


def test_single_view_is_square_rgb_with_red_box_on_green_ground_under_sky(plain):
    image = plain[1]
    assert image.shape == (SIZE, SIZE, 3) and image.dtype == np.uint8
    assert _is(image[SIZE // 2, SIZE // 2], 0), image[SIZE // 2, SIZE // 2]  # the box at the centre
    for x in (0.2, 0.8):  # the ground on both sides of the box
        assert _is(image[int(SIZE * 0.57), int(SIZE * x)], 1), image[int(SIZE * 0.57), int(SIZE * x)]
    sky = image[2, 2].astype(int)
    assert sky[2] > sky[0] and not _is(sky, 0) and not _is(sky, 1)  # a bluish backdrop, neither box nor ground
    # front-left view: the blue crate at the asset's front-left (+X, +Z) corner is in front, lower half
    blue = np.array([_is(p, 2) for p in image[SIZE // 2 :].reshape(-1, 3)])
    assert blue.sum() > 10


def test_sides_facing_the_sun_are_brighter_than_those_away_from_it(plain):
    image = plain[1].astype(int)
    row = image[SIZE // 2, :, 0]
    red = np.nonzero([_is(p, 0) for p in image[SIZE // 2]])[0]
    left, right = row[red[: len(red) // 3]].mean(), row[red[-len(red) // 3 :]].mean()
    assert left > right + 10  # the sun comes from the camera's upper left


@pytest.mark.slow
def test_contact_sheet_has_four_labelled_panels_with_different_content(plain):
    sheet = render_preview(plain[0], views=4, size=SIZE)
    assert sheet.shape == (2 * SIZE, 2 * SIZE, 3)
    panels = [sheet[r : r + SIZE, c : c + SIZE].astype(int) for r in (0, SIZE) for c in (0, SIZE)]
    for i in range(4):
        assert _is(panels[i][SIZE // 2, SIZE // 2], 0)  # every view is centred on the box
        assert (panels[i][:16, :60] >= 245).all(-1).sum() > 20  # white label pixels in the corner
        for j in range(i):
            changed = (np.abs(panels[i][20:] - panels[j][20:]).max(-1) > 40).mean()
            assert changed > 0.01, (i, j, changed)  # the crate moves around the box


def test_write_preview_is_deterministic_and_matches_render(plain, tmp_path):
    first = write_preview(plain[0], tmp_path / "a.png", size=SIZE)
    second = write_preview(plain[0], tmp_path / "b.png", size=SIZE)
    assert first == tmp_path / "a.png"
    assert first.read_bytes() == second.read_bytes()
    assert np.array_equal(read_png(first.read_bytes()), plain[1])
    assert not list(tmp_path.glob("*.part"))


def test_texture_transform_and_repeat_wrap_move_the_texture(tmp_path):
    halves = np.zeros((8, 8, 3), np.uint8)
    halves[:, :4], halves[:, 4:] = (200, 30, 30), (30, 30, 200)  # u < 0.5 red, u > 0.5 blue

    def ground(shift: float):
        def add(glb: _Glb) -> None:
            info = {"extensions": {"KHR_texture_transform": {"offset": [shift, 0.0]}}}
            glb.node(name="terrain", mesh=glb.mesh(*_quad(2.0), glb.material(halves, base_info=info)))

        return add

    plain = render_preview(_scene(tmp_path, "a.glb", ground=ground(0.0)), size=SIZE)
    shifted = render_preview(_scene(tmp_path, "b.glb", ground=ground(0.5)), size=SIZE)
    left, right = (int(SIZE * 0.57), int(SIZE * 0.2)), (int(SIZE * 0.57), int(SIZE * 0.8))  # x = -2 and x = +2 sides
    assert _is(plain[left], 0) and _is(plain[right], 2)
    assert _is(shifted[left], 2) and _is(shifted[right], 0)  # u + 0.5 wraps around: the halves swap


def test_normal_map_tilts_the_shading_and_a_flat_one_changes_nothing(tmp_path):
    def ground(normal_rgb):
        def add(glb: _Glb) -> None:
            extra = {}
            if normal_rgb is not None:
                flat_map = np.tile(np.array(normal_rgb, np.uint8), (8, 8, 1))
                extra["normalTexture"] = {"index": glb.texture(flat_map, srgb=False)}
            mat = glb.material((40, 160, 40), **extra)
            glb.node(name="terrain", mesh=glb.mesh(*_quad(2.0), mat, tangents=np.tile([1.0, 0, 0, 1], (4, 1))))

        return add

    plain = render_preview(_scene(tmp_path, "a.glb", ground=ground(None)), size=SIZE).astype(int)
    flat = render_preview(_scene(tmp_path, "b.glb", ground=ground((128, 128, 255))), size=SIZE).astype(int)
    tilted = render_preview(_scene(tmp_path, "c.glb", ground=ground((250, 128, 140))), size=SIZE).astype(int)
    assert np.abs(plain - flat).max() <= 3
    spot = (int(SIZE * 0.57), int(SIZE * 0.2))
    assert abs(tilted[spot][1] - plain[spot][1]) > 25, (tilted[spot], plain[spot])  # the ground turns toward +X


# -- what is drawn --------------------------------------------------------------------------


def _add_lods_and_colliders(glb: _Glb) -> None:
    magenta = glb.material(None, (1.0, 0.0, 1.0, 1.0))
    big = glb.mesh(*_box(3.0), magenta)
    lod1 = glb.node(in_scene=False, name="house_01_LOD1", mesh=big, extras={"lod": 1})
    glb.doc["nodes"][1]["extensions"] = {"MSFT_lod": {"ids": [lod1]}}
    glb.node(name="UCX_house_01_00", mesh=big)  # a collider put in the scene by some other tool
    glb.node(name="hull", mesh=big, extras={"collision": "convex", "collision_of": "house_01"})
    glb.node(name="house_01_LOD2", mesh=big)
    glb.node(in_scene=False, name="stray", mesh=big)  # outside the default scene


def test_lower_lods_colliders_and_nodes_outside_the_scene_are_not_drawn(plain, tmp_path):
    busy = render_preview(_scene(tmp_path, "busy.glb", _add_lods_and_colliders), size=SIZE)
    assert np.array_equal(plain[1], busy)


def test_node_hierarchy_transforms_are_applied(tmp_path):
    def nested(glb: _Glb) -> None:  # a parent 90° about Y holding a child 1 m along its local +X
        child = glb.node(
            in_scene=False, name="lamp", mesh=glb.mesh(*_box(0.3), None), translation=[1.0, 0, 0], scale=[1, 2, 1]
        )
        glb.node(name="pivot", children=[child], translation=[0, 0, -0.5], rotation=[0, 0.7071068, 0, 0.7071068])

    scene = read_scene(_scene(tmp_path, "nested.glb", nested))
    lamp = scene.positions[-24:]
    assert np.allclose(lamp.min(0), [-0.15, 0.0, -1.65], atol=1e-5) and np.allclose(
        lamp.max(0), [0.15, 0.6, -1.35], atol=1e-5
    )
    assert np.allclose(np.abs(scene.normals[-24:]).max(1), 1.0, atol=1e-6)


def test_back_faces_are_culled_unless_the_material_is_double_sided(plain, tmp_path):
    def roof(double_sided: bool):
        def add(glb: _Glb) -> None:  # a yellow sheet around the box, facing down (away from the camera)
            mat = glb.material(None, (1.0, 0.9, 0.0, 1.0), doubleSided=double_sided)
            # inside the scene's convex hull, so the framing stays the same
            glb.node(name="roof", mesh=glb.mesh(*_quad(1.2, y=0.5, up=False), mat))

        return add

    culled = render_preview(_scene(tmp_path, "a.glb", roof(False)), size=SIZE)
    shown = render_preview(_scene(tmp_path, "b.glb", roof(True)), size=SIZE)
    assert np.array_equal(plain[1], culled)
    yellow = lambda image: ((image[..., 0] > 180) & (image[..., 1] > 160) & (image[..., 2] < 100)).sum()  # noqa: E731
    assert yellow(plain[1]) == 0 and yellow(shown) > 200


def test_rasterizer_leaves_no_crack_between_triangles_and_keeps_the_nearest():
    # a 7x7 grid of jittered quads, split into triangles, covers every pixel of its square and nothing else
    gen = np.random.default_rng(3)
    n, width = 8, 64
    grid = np.stack(np.meshgrid(np.linspace(4, 60, n), np.linspace(4, 60, n)), -1)
    grid[1:-1, 1:-1] += gen.uniform(-2.5, 2.5, (n - 2, n - 2, 2))
    xy = torch.tensor(np.round(grid.reshape(-1, 2) * 256) / 256)
    depth = torch.zeros(n * n, dtype=torch.float64)
    i = np.arange(n * n).reshape(n, n)
    hits, faces = torch.zeros(width * width, dtype=torch.int64), []
    for dy in (0, 1):  # triangles of one class never touch, so the z-buffer cannot hide a double hit
        for dx in (0, 1):
            r, c = (g.ravel() for g in np.meshgrid(np.arange(dy, n - 1, 2), np.arange(dx, n - 1, 2), indexing="ij"))
            a, b, c, d = i[r, c], i[r, c + 1], i[r + 1, c + 1], i[r + 1, c]
            for tri in (np.stack([a, b, c], 1), np.stack([a, c, d], 1)):
                faces.append(tri)
                hits += (nearest_face(xy, depth, torch.tensor(tri), width, width) >= 0).long()
    hits = hits.view(width, width)
    assert (hits[4:60, 4:60] >= 1).all()  # the square's pixels (centres 4.5..59.5): no crack
    assert hits.sum() - hits[4:60, 4:60].sum() == 0 and (hits[4:60, 4:60] == 1).float().mean() > 0.95
    together = nearest_face(xy, depth, torch.tensor(np.concatenate(faces)), width, width).view(width, width)
    assert ((together >= 0) == (hits >= 1)).all()
    # two overlapping squares: the nearer one (smaller depth key) wins wherever both cover
    quad = torch.tensor([[8.0, 8.0], [40.0, 8.0], [40.0, 40.0], [8.0, 40.0]])
    both = torch.cat([quad, quad + 16])
    two = torch.tensor([[0, 1, 2], [0, 2, 3], [4, 5, 6], [4, 6, 7]])
    got = nearest_face(both, torch.tensor([1.0] * 4 + [0.5] * 4), two, width, width).view(width, width)
    assert set(got[30, 30:34].tolist()) <= {2, 3} and set(got[10, 10:14].tolist()) <= {0, 1}


# -- errors -----------------------------------------------------------------------------------


def test_missing_or_corrupt_file_raises_input_error(plain, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        render_preview(tmp_path / "absent.glb")
    junk = tmp_path / "junk.glb"
    junk.write_bytes(b"\x00\x01not a model at all" * 10)
    with pytest.raises(InputError, match="not a GLB"):
        render_preview(junk)
    good = plain[0].read_bytes()
    truncated = tmp_path / "truncated.glb"
    truncated.write_bytes(good[: len(good) // 2])
    with pytest.raises(InputError, match="truncated"):
        render_preview(truncated)
    bad_json = tmp_path / "bad_json.glb"
    bad_json.write_bytes(good[:20] + b"{" * 8 + good[28:])
    with pytest.raises(InputError):
        render_preview(bad_json)
    with pytest.raises(InputError):
        render_preview(tmp_path)  # a directory


def test_bad_options_raise_input_error(plain):
    path = plain[0]
    with pytest.raises(InputError, match="views"):
        render_preview(path, views=2)
    with pytest.raises(InputError, match="size"):
        render_preview(path, size=4)
    with pytest.raises(InputError, match="device"):
        render_preview(path, device="tpu9")
    if not torch.cuda.is_available():
        with pytest.raises(InputError, match="CUDA"):
            render_preview(path, device="cuda")
