"""Catalog B (farms, animals, streets, vehicles, town buildings): closed surfaces at real sizes, 1-Lipschitz
distances, seeded variety, attributes that change the shape, one kind per word, and a GLB that validates."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
from pygltflib import GLTF2

from pipelines.extract.dense import marching_cubes
from pipelines.generate import GenRequest, generate
from pipelines.mesh.topology import is_closed
from pipelines.models.kinds import KINDS, Shape
from pipelines.models.procedural import ProceduralModel
from pipelines.options import BuildOptions, GenOptions
from tests.validator import assert_valid_gltf

pytestmark = [pytest.mark.usefixtures("one_torch_thread"), pytest.mark.sampled]

# Believable real extents (x across, y up, z front to back, meters, parts below ground included) over many seeds.
SIZES: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float]]] = {
    "barn": ((8.5, 13.5), (8.0, 13.0), (11.0, 16.5)),
    "silo": ((4.0, 7.0), (9.0, 19.5), (4.0, 7.0)),
    "chicken coop": ((1.9, 3.1), (1.5, 2.4), (1.7, 2.7)),
    "haystack": ((2.8, 5.0), (2.8, 4.5), (2.8, 5.0)),
    "hay bale": ((0.8, 1.4), (0.35, 1.6), (0.4, 1.6)),
    "water trough": ((1.5, 3.1), (0.5, 0.9), (0.5, 1.0)),
    "plough": ((0.5, 0.9), (0.8, 1.2), (2.1, 3.0)),
    "scarecrow": ((1.2, 1.8), (2.1, 2.9), (0.35, 0.7)),
    "wheelbarrow": ((0.5, 0.85), (0.55, 0.85), (1.5, 1.95)),
    "handcart": ((1.1, 1.6), (0.8, 1.3), (1.9, 2.8)),
    "cow": ((0.6, 1.0), (1.2, 1.8), (2.2, 3.0)),
    "horse": ((0.5, 0.9), (1.4, 2.5), (2.2, 3.0)),
    "sheep": ((0.55, 0.95), (0.8, 1.2), (1.1, 1.7)),
    "pig": ((0.5, 0.85), (0.6, 1.0), (1.2, 1.8)),
    "goat": ((0.35, 0.6), (1.2, 1.7), (1.1, 1.7)),
    "dog": ((0.18, 0.45), (0.55, 1.2), (0.8, 1.7)),
    "chicken": ((0.15, 0.35), (0.4, 0.75), (0.35, 0.7)),
    "duck": ((0.18, 0.45), (0.35, 0.9), (0.4, 0.95)),
    "car": ((1.65, 2.0), (1.35, 1.65), (3.8, 5.0)),
    "truck": ((1.9, 2.5), (1.8, 3.5), (4.8, 8.0)),
    "bus": ((2.4, 2.7), (3.0, 4.5), (9.5, 12.5)),
    "tractor": ((2.0, 2.7), (2.2, 2.8), (3.2, 4.1)),
    "bicycle": ((0.45, 0.65), (0.9, 1.15), (1.6, 1.9)),
    "motorcycle": ((0.6, 0.85), (0.95, 1.3), (1.7, 2.2)),
    "traffic light": ((0.25, 2.3), (2.9, 4.4), (0.4, 0.6)),
    "signpost": ((0.1, 2.0), (2.0, 2.9), (0.05, 1.5)),
    "mailbox": ((0.3, 0.7), (1.4, 1.9), (0.4, 0.7)),
    "fire hydrant": ((0.35, 0.55), (0.75, 1.1), (0.35, 0.5)),
    "trash bin": ((0.4, 0.7), (0.85, 1.3), (0.4, 0.95)),
    "phone booth": ((0.95, 1.25), (2.5, 3.0), (0.95, 1.25)),
    "bus stop": ((3.3, 5.0), (2.6, 3.1), (1.5, 2.0)),
    "bollard": ((0.15, 0.35), (1.1, 1.6), (0.15, 0.35)),
    "shop": ((6.5, 9.5), (4.5, 14.0), (8.5, 12.0)),
    "church": ((8.5, 12.5), (22.0, 32.0), (20.0, 31.0)),
    "apartment building": ((13.0, 21.5), (14.0, 26.0), (11.0, 15.0)),
    "office tower": ((18.0, 27.0), (38.0, 85.0), (18.0, 27.5)),
}
B_KINDS = sorted(SIZES)
SEEDS = (0, 1, 2, 3, 4, 5)
CELLS = 64  # coarse: the surface must be there and closed even at this grid


def _shape(kind: str, seed: int = 0, attributes: tuple[str, ...] = ()) -> Shape:
    k = KINDS[kind]
    return k.shape(k.sample(np.random.default_rng(seed), attributes))


def _mesh(shape: Shape, cells: int = CELLS) -> tuple[np.ndarray, np.ndarray, float, list[float]]:
    """Return (vertices in meters, faces, cell size, per box face the least distance sampled within a cell of it)."""
    lo, hi = np.array(shape.lo), np.array(shape.hi)
    step = float((hi - lo).max()) / cells
    origin = lo - 2 * step
    n = np.ceil((hi + 2 * step - origin) / step).astype(int) + 1
    axes = [torch.arange(int(n[i]), dtype=torch.float32) * step + float(origin[i]) for i in range(3)]
    pts = torch.stack(torch.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 3)
    d = torch.cat([shape.sdf(c) for c in pts.split(200_000)]).reshape(*(int(v) for v in n))
    near_faces = []
    for i in range(3):
        for face in (lo[i], hi[i]):
            k = int(round((face - origin[i]) / step))
            near_faces.append(float(d.narrow(i, k - 1, 3).min()))
    v, f = marching_cubes(d)
    return v.numpy().astype(np.float64) * step + origin, f.numpy(), step, near_faces


def _box_points(shape: Shape, n: int, gen: torch.Generator, grow: float = 0.1) -> torch.Tensor:
    lo, hi = torch.tensor(shape.lo), torch.tensor(shape.hi)
    ext = hi - lo
    return torch.rand(n, 3, generator=gen) * ext * (1 + 2 * grow) + lo - ext * grow


def test_the_section_b_kinds_are_all_in_the_catalog() -> None:
    assert set(B_KINDS) <= set(KINDS), sorted(set(B_KINDS) - set(KINDS))
    assert len(B_KINDS) == 36
    for name in B_KINDS:
        k = KINDS[name]
        assert k.words[0] == name and k.group and k.where in ("indoor", "outdoor", "any")
        assert k.ground in ("pad", "embed", "floor", "on", "water", "wall") and k.plural_count >= 1
        assert set(k.body) <= set(k.parts)
        for choices in k.parts.values():
            assert choices, name


@pytest.mark.parametrize("kind", B_KINDS)
def test_surface_is_closed_and_the_size_is_real(kind: str) -> None:
    lo_x, lo_y, lo_z = SIZES[kind]
    spans = []
    for seed in SEEDS:
        shape = _shape(kind, seed)
        assert {name for name, _ in shape.parts} <= set(KINDS[kind].parts), "every part has materials"
        v, f, step, near_faces = _mesh(shape)
        assert len(f) > 0 and is_closed(f), (kind, seed)
        mlo, mhi = v.min(0), v.max(0)
        # the program's box encloses the surface, and the surface comes within a cell of each of its faces
        assert np.all(mlo >= np.array(shape.lo) - step) and np.all(mhi <= np.array(shape.hi) + step), (kind, seed)
        assert max(near_faces) < 2 * step, (kind, seed, near_faces, step)
        assert shape.lo[1] < 0.0 < mhi[1], "the base reaches a little below y = 0"
        # the pivot is at the centre of what touches the ground (legs, wheels, a pole, a foundation)
        foot = v[v[:, 1] < mlo[1] + 0.15]
        flo, fhi = foot.min(0), foot.max(0)
        for i in (0, 2):
            assert abs((flo[i] + fhi[i]) / 2) <= 0.25 * (fhi[i] - flo[i]) + 0.1, (kind, seed, "xyz"[i], flo[i], fhi[i])
        spans.append(np.array(shape.hi) - np.array(shape.lo))
    for span in spans:
        for (a, b), got, axis in zip((lo_x, lo_y, lo_z), span, "xyz"):
            assert a <= got <= b, (kind, axis, round(float(got), 2), (a, b))


@pytest.mark.parametrize("kind", B_KINDS)
def test_distance_is_one_lipschitz(kind: str) -> None:
    gen = torch.Generator().manual_seed(11)
    variants = [(0, ())] + [(1, ())] + [(2, (a,)) for a in KINDS[kind].attributes]
    for seed, attrs in variants:
        shape = _shape(kind, seed, attrs)
        ext = max(h - l for l, h in zip(shape.lo, shape.hi))
        a = _box_points(shape, 3000, gen)
        for step in (0.01 * ext, 0.1 * ext):
            b = a + torch.randn(a.shape, generator=gen) * step
            ratio = (shape.sdf(a) - shape.sdf(b)).abs() / (a - b).norm(dim=1)
            assert float(ratio.max()) <= 1 + 1e-4, (kind, seed, attrs, float(ratio.max()))


@pytest.mark.parametrize("kind", B_KINDS)
def test_sampling_is_seeded_and_varied(kind: str) -> None:
    k = KINDS[kind]
    a, b = k.sample(np.random.default_rng(7)), k.sample(np.random.default_rng(7))
    assert a == b
    others = [k.sample(np.random.default_rng(s)) for s in range(8, 12)]
    assert all(o != a for o in others)
    p = _box_points(k.shape(a), 4000, torch.Generator().manual_seed(3), grow=0.0)
    assert torch.equal(k.shape(a).sdf(p), k.shape(b).sdf(p))
    assert any(not torch.allclose(k.shape(a).sdf(p), k.shape(o).sdf(p), atol=1e-3) for o in others)
    for name, (lo, hi) in k.ranges.items():  # 2+ materials for the main part; ranges are ranges
        assert lo <= hi, name
    assert max(len(k.parts[p]) for p in k.body) >= 2


def _inside_share(shape: Shape, pts: torch.Tensor) -> float:
    return float((shape.sdf(pts) < 0).float().mean())


def test_a_round_bale_is_a_disc_in_profile_and_a_square_one_a_block() -> None:
    for seed in range(4):
        for attr, lo, hi in (("round", 0.72, 0.84), ("square", 0.9, 1.01)):
            shape = _shape("hay bale", seed, (attr,))
            # the profile across the bale (the y-z plane through its middle), against its bounding rectangle
            y = torch.linspace(max(shape.lo[1], 0.0), shape.hi[1], 120)
            z = torch.linspace(shape.lo[2], shape.hi[2], 120)
            yy, zz = torch.meshgrid(y, z, indexing="ij")
            pts = torch.stack([torch.zeros_like(yy), yy, zz], -1).reshape(-1, 3)
            assert lo < _inside_share(shape, pts) < hi, (seed, attr)
    assert KINDS["hay bale"].flags.get("stackable")


def test_a_hut_on_stilts_stands_on_posts_above_open_ground_with_a_ladder() -> None:
    for seed in range(4):
        plain, raised = _shape("hut", seed), _shape("hut", seed, ("stilts",))
        centre = torch.tensor([[0.0, 0.8, 0.0]])
        assert float(plain.sdf(centre)) < 0 < float(raised.sdf(centre)), "open space under the raised floor"
        names = [n for n, _ in raised.parts]
        assert {"deck", "posts"} <= set(names) and {"deck", "posts"}.isdisjoint(n for n, _ in plain.parts)
        walls = dict(raised.parts)["walls"]
        assert walls.lo[1] > 1.0 and raised.hi[1] > plain.hi[1] + 1.3
        posts = dict(raised.parts)["posts"]
        assert posts.lo[1] < 0.0 and posts.hi[2] > dict(raised.parts)["deck"].hi[2] + 0.4, "a ladder reaches out front"


def test_a_timber_house_shows_dark_beams_on_its_walls() -> None:
    kind = KINDS["house"]
    assert kind.attributes["timber"]["parts"]["walls"].startswith("plaster")
    for seed in range(3):
        shape = _shape("house", seed, ("timber",))
        names = [n for n, _ in shape.parts]
        assert "beams" in names and "beams" not in [n for n, _ in _shape("house", seed).parts]
        beams = names.index("beams")
        gen = torch.Generator().manual_seed(seed)
        wall = dict(shape.parts)["walls"]
        pts = torch.rand(4000, 3, generator=gen)
        pts[:, 0] = pts[:, 0] * (wall.hi[0] - wall.lo[0]) * 0.9 + wall.lo[0] * 0.9
        pts[:, 1] = pts[:, 1] * 4.5 + 0.6
        pts[:, 2] = wall.hi[2] + 0.03  # just in front of the front wall
        near = shape.part_distances(pts).argmin(0)
        share = float((near == beams).float().mean())
        assert 0.1 < share < 0.7, share


@pytest.mark.parametrize("kind", ["house", "cabin"])
def test_a_broken_building_is_open_and_its_roof_is_holed(kind: str) -> None:
    for seed in range(3):
        whole, broken = _shape(kind, seed), _shape(kind, seed, ("broken",))
        assert {"windows", "door"}.isdisjoint(n for n, _ in broken.parts)
        inside = torch.tensor([[0.0, 1.5, 0.0]])
        assert float(whole.sdf(inside)) < 0 < float(broken.sdf(inside)), "a ruin is hollow"
        roof_w, roof_b = dict(whole.parts)["roof"], dict(broken.parts)["roof"]
        gen = torch.Generator().manual_seed(seed)
        lo, hi = torch.tensor(roof_w.lo), torch.tensor(roof_w.hi)
        pts = torch.rand(20_000, 3, generator=gen) * (hi - lo) + lo
        kept = float((roof_b.fn(*pts.t().contiguous().unbind(0)) < 0).float().sum())
        full = float((roof_w.fn(*pts.t().contiguous().unbind(0)) < 0).float().sum())
        assert kept < 0.9 * full, (kept, full)


def test_attributes_change_only_their_own_parameters() -> None:
    for name in B_KINDS + ["hut", "house", "cabin"]:
        k = KINDS[name]
        for attr, spec in k.attributes.items():
            for seed in range(4):
                plain, with_attr = k.sample(np.random.default_rng(seed)), k.sample(np.random.default_rng(seed), (attr,))
                changed = {p for p in with_attr if plain.get(p) != with_attr[p]}
                assert changed <= set(spec["params"]), (name, attr, changed)
                assert all(with_attr[p] == v for p, v in spec["params"].items())
    assert {"stilts"} <= set(KINDS["hut"].attributes) and {"timber", "broken"} <= set(KINDS["house"].attributes)
    assert {"round", "square"} <= set(KINDS["hay bale"].attributes) and "broken" in KINDS["cabin"].attributes


def test_moved_words_left_the_old_kinds() -> None:
    assert "shop" in KINDS["shop"].words and "shop" not in KINDS["house"].words
    assert {"castle", "keep", "fort", "fortress", "citadel"}.isdisjoint(KINDS["tower"].words)


@pytest.fixture(scope="module")
def farm_street_glb(tmp_path_factory) -> dict:
    model = ProceduralModel(embeddings=False)
    plan = model.generate("a cow, a tractor, a hay bale, a hut, a bicycle and a fire hydrant", 5)
    for e in plan.entities:
        if e.kind == "hut":  # the attribute's parameters, as the reader will set them
            e.params.update(KINDS["hut"].attributes["stilts"]["params"])
    out = tmp_path_factory.mktemp("catb")
    opts = BuildOptions(resolution=32, texture_size=64, lods=0, collision=False, workers=1)
    outcome = generate(
        GenRequest(
            prompt=plan.prompt,
            name="farmyard",
            out_root=out,
            options=GenOptions(seed=5, build=opts, device="cpu"),
            plan=plan,
        )
    )
    path = outcome.out_dir / "farmyard.glb"
    return {
        "path": path,
        "gltf": GLTF2().load(str(path)),
        "plan": plan,
        "manifest": json.loads((outcome.out_dir / "manifest.json").read_text()),
    }


@pytest.mark.slow
def test_a_glb_of_section_b_kinds_passes_the_validator(farm_street_glb) -> None:  # noqa: ANN001
    assert_valid_gltf(farm_street_glb["path"])
    kinds = {e.kind for e in farm_street_glb["plan"].entities}
    assert {"cow", "tractor", "hay bale", "hut", "bicycle", "fire hydrant"} <= kinds
    names = {n.name for n in farm_street_glb["gltf"].nodes}
    assert all(e.id in names for e in farm_street_glb["plan"].entities)
    hut = next(e for e in farm_street_glb["plan"].entities if e.kind == "hut")
    assert hut.params["stilts"] == 1.0 and math.isfinite(hut.position[1])
