"""Catalog D (gardens, parks, plants, nature): closed real-sized shapes, 1-Lipschitz distances, variety,
attributes that change the shape, words that name one kind, and a garden GLB the Khronos validator passes."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
import trimesh
from pygltflib import GLTF2

from pipelines.extract.sparse import extract_sdf
from pipelines.generate import GenRequest, generate
from pipelines.models.environment import spec_from
from pipelines.models.kinds import KINDS
from pipelines.models.materials import COLOR_WORDS, PRESETS
from pipelines.models.nodes import ObjectField
from pipelines.models.procedural import ProceduralModel
from pipelines.options import BuildOptions, GenOptions
from pipelines.plan import EntityPlan
from tests.validator import assert_valid_gltf

pytestmark = [pytest.mark.usefixtures("one_torch_thread"), pytest.mark.sampled]

# The kinds this catalog section builds, with believable real extents (x, y, z) in meters over their
# parameter ranges, roots and footings below the base included.
SIZES: dict[str, tuple[tuple[float, float], ...]] = {
    "willow": ((5.0, 9.0), (5.0, 9.0), (5.0, 9.0)),
    "cherry blossom": ((4.0, 8.0), (4.0, 6.5), (4.0, 8.0)),
    "tree stump": ((0.7, 1.8), (0.5, 1.0), (0.7, 1.8)),
    "fallen log": ((2.5, 5.0), (0.3, 2.0), (0.3, 2.2)),
    "gazebo": ((3.5, 5.5), (3.5, 5.5), (3.5, 5.5)),
    "pergola": ((3.0, 5.5), (2.6, 4.0), (2.6, 4.0)),
    "garden arch": ((1.2, 2.2), (2.6, 3.6), (0.4, 1.1)),
    "flower bed": ((1.6, 3.6), (0.3, 0.6), (0.8, 1.7)),
    "stone lantern": ((0.6, 1.3), (1.0, 2.0), (0.6, 1.3)),
    "torii gate": ((4.0, 6.5), (3.6, 5.6), (0.3, 0.7)),
    "pagoda": ((7.0, 10.0), (8.0, 15.0), (7.0, 10.0)),
    "fish": ((0.12, 0.35), (0.1, 0.3), (0.35, 0.8)),
    "garden pond": ((2.8, 5.0), (0.5, 1.0), (2.0, 4.2)),
    "bird bath": ((0.55, 1.0), (0.7, 1.1), (0.55, 1.0)),
    "sundial": ((0.45, 0.8), (0.9, 1.3), (0.45, 0.8)),
    "picnic table": ((1.7, 2.5), (0.7, 0.9), (1.4, 1.9)),
    "swing set": ((2.4, 3.8), (2.2, 2.9), (1.4, 2.1)),
    "slide": ((0.4, 0.9), (1.3, 2.6), (3.0, 5.0)),
    "planter": ((0.8, 2.5), (0.4, 1.0), (0.4, 1.2)),
    "stepping stones": ((1.8, 4.5), (0.1, 0.3), (0.35, 1.0)),
    "flowers": ((0.4, 1.0), (0.4, 0.9), (0.4, 1.0)),
    "flowering shrub": ((1.2, 2.2), (1.0, 2.0), (1.2, 2.2)),
    "hedge": ((3.0, 6.5), (1.0, 2.0), (0.6, 1.2)),
    "topiary": ((0.6, 1.1), (1.2, 2.2), (0.6, 1.1)),
    "grass tuft": ((0.3, 0.8), (0.45, 1.0), (0.3, 0.8)),
    "reeds": ((0.4, 1.0), (1.2, 2.3), (0.4, 1.0)),
    "fern": ((0.9, 1.7), (0.6, 1.1), (0.9, 1.7)),
    "bamboo": ((0.8, 2.0), (3.3, 6.2), (0.7, 2.0)),
    "mushroom": ((0.12, 0.4), (0.15, 0.4), (0.12, 0.4)),
    "lily pads": ((0.5, 1.6), (0.02, 0.25), (0.5, 1.6)),
}
# Attributes that change a kind's size as well as its shape.
ATTRIBUTE_SIZES = {("flowers", "sunflower"): ((0.4, 1.0), (1.0, 2.4), (0.4, 1.0))}
MINE = sorted(SIZES)
# Kinds of the old nature file that gained attributes here.
ATTRIBUTED = sorted(set(MINE) | {"tree", "pine", "bush", "rock", "boulder"})


def _field(kind: str, seed: int = 0, attributes: tuple[str, ...] = ()) -> ObjectField:
    k = KINDS[kind]
    shape = k.shape(k.sample(np.random.default_rng(seed), attributes=attributes))
    return ObjectField(kind, kind, shape, {}, (0.0, 0.0, 0.0), 0.0, 1.0, seed)


def _mesh(f: ObjectField, resolution: int) -> trimesh.Trimesh:
    r = extract_sdf(f.sdf, f.bounds_min, f.bounds_max, resolution, "cpu")
    # unprocessed: merging would drop the zero-area triangles a flat face on a grid plane makes, and with them
    # the mesh's closedness
    return trimesh.Trimesh(r.vertices_local.numpy(), r.faces.numpy(), process=False)


def _assert_lipschitz(f: ObjectField, seed: int, n: int = 6000) -> None:
    gen = torch.Generator().manual_seed(seed)
    lo, hi = torch.tensor(f.bounds_min), torch.tensor(f.bounds_max)
    a = torch.rand(n, 3, generator=gen) * (hi - lo) * 1.2 + lo - (hi - lo) * 0.1
    for step in (0.01, 0.1):
        b = a + torch.randn(n, 3, generator=gen) * step * float((hi - lo).max())
        ratio = (f.sdf(a) - f.sdf(b)).abs() / (a - b).norm(dim=1)
        assert float(ratio.max()) <= 1 + 1e-4, (f.name, float(ratio.max()))


@pytest.mark.parametrize("kind", MINE)
def test_every_kind_is_closed_real_sized_and_keeps_its_thin_parts(kind: str) -> None:
    """At the default 160 cells every part shows in the surface (nothing thinner than a cell vanishes)."""
    for seed in (0, 1):
        f = _field(kind, seed)
        m = _mesh(f, 160 if seed == 0 else 48)
        assert len(m.faces) > 0 and m.is_watertight, kind
        ext = m.bounds[1] - m.bounds[0]
        for axis, (lo, hi) in enumerate(SIZES[kind]):
            assert lo <= ext[axis] <= hi, (kind, seed, "xyz"[axis], float(ext[axis]))
        assert m.bounds[0][1] < 0.0 < m.bounds[1][1], "the base reaches y = 0 and a little below"
        assert (
            abs(m.bounds[0][0] + m.bounds[1][0]) < 0.35 * ext[0]
            and abs(m.bounds[0][2] + m.bounds[1][2]) < 0.35 * ext[2]
        ), "the pivot is near the centre of the footprint"
        if seed == 0:
            owner = f.shape.part_distances(torch.as_tensor(m.vertices, dtype=torch.float32)).argmin(dim=0)
            shown = set(owner.unique().tolist())
            missing = [name for i, (name, _) in enumerate(f.shape.parts) if i not in shown]
            assert not missing, (kind, missing)


@pytest.mark.parametrize("kind", ATTRIBUTED)
def test_attribute_variants_are_lipschitz_and_closed(kind: str) -> None:
    k = KINDS[kind]
    assert k.attributes or kind in MINE
    for seed, attr in enumerate([()] + [(a,) for a in k.attributes]):
        f = _field(kind, seed, attr)
        _assert_lipschitz(f, seed)
        m = _mesh(f, 64)
        assert len(m.faces) > 0 and m.is_watertight, (kind, attr)


@pytest.mark.parametrize("kind", MINE)
def test_sample_is_deterministic_per_seed_and_differs_across_seeds(kind: str) -> None:
    k = KINDS[kind]
    a, b = k.sample(np.random.default_rng(7)), k.sample(np.random.default_rng(7))
    assert a == b
    others = [k.sample(np.random.default_rng(s)) for s in (8, 9)]
    assert all(o != a for o in others)
    pts = torch.rand(3000, 3, generator=torch.Generator().manual_seed(0)) * 4 - torch.tensor([2.0, 0.5, 2.0])
    assert torch.equal(k.shape(a).sdf(pts), k.shape(b).sdf(pts))
    assert not torch.equal(k.shape(a).sdf(pts), k.shape(others[0]).sdf(pts)), "a new seed gives a new shape"


def test_materials_and_attributes_name_real_presets_parts_and_colours() -> None:
    for name in ATTRIBUTED:
        k = KINDS[name]
        choices = [c for cs in k.parts.values() for c in cs]
        assert all(len(cs) >= 1 for cs in k.parts.values()) and any(len(cs) >= 2 for cs in k.parts.values()), name
        for attr, spec in k.attributes.items():
            assert set(spec) <= {"params", "parts"}, (name, attr)
            for part, choice in spec.get("parts", {}).items():
                assert part in k.parts, (name, attr, part)
                choices.append(choice)
        for c in choices:
            preset, _, colour = c.partition(":")
            assert preset in PRESETS and (not colour or colour in COLOR_WORDS), (name, c)
            spec_from(c, None)


@pytest.mark.slow
def test_every_attribute_with_params_changes_the_shape() -> None:
    pts = torch.rand(20_000, 3, generator=torch.Generator().manual_seed(3))
    for name in ATTRIBUTED:
        k = KINDS[name]
        for attr, spec in k.attributes.items():
            if not spec.get("params"):
                continue
            differs = []
            for seed in range(3):  # a seed may draw the attribute's own values (a wildflower is a flower)
                plain = k.shape(k.sample(np.random.default_rng(seed)))
                changed = k.shape(k.sample(np.random.default_rng(seed), attributes=(attr,)))
                lo, hi = torch.tensor(plain.lo), torch.tensor(plain.hi)
                p = pts * (hi - lo) + lo
                differs.append(not torch.equal(plain.sdf(p), changed.sdf(p)))
            assert any(differs), (name, attr)


def _footprint(kind: str, attributes: tuple[str, ...]) -> tuple[np.ndarray, float]:
    """Return (the shape's footprint seen from above on a 61 x 61 grid over its x-z box, the box's fill share)."""
    k = KINDS[kind]
    s = k.shape(k.sample(np.random.default_rng(0), attributes=attributes))
    xs, zs = np.linspace(s.lo[0], s.hi[0], 61), np.linspace(s.lo[2], s.hi[2], 61)
    x, z = np.meshgrid(xs, zs, indexing="ij")
    inside = np.zeros(x.shape, bool)
    for y in np.linspace(s.lo[1], s.hi[1], 24):
        p = torch.tensor(np.stack([x.ravel(), np.full(x.size, y), z.ravel()], 1), dtype=torch.float32)
        inside |= (s.sdf(p) < 0).numpy().reshape(61, 61)
    return inside, float(inside.mean())


@pytest.mark.parametrize("kind", ["flower bed", "planter"])
def test_a_round_bed_or_planter_has_a_disc_footprint(kind: str) -> None:
    square, fill_sq = _footprint(kind, ())
    disc, fill_disc = _footprint(kind, ("round",))
    assert fill_sq > 0.9 and square[2, 2] and square[-3, -3], "the plain one fills its box, corners too"
    assert abs(fill_disc - np.pi / 4) < 0.08, fill_disc
    assert not disc[2, 2] and not disc[-3, -3] and disc[30, 30], "the round one leaves its box's corners empty"


def _parts(kind: str, attributes: tuple[str, ...] = (), seed: int = 0) -> dict:
    k = KINDS[kind]
    return dict(k.shape(k.sample(np.random.default_rng(seed), attributes=attributes)).parts)


def _volume(node, lo, hi, n: int = 40_000) -> float:
    """Return the share of the box lo..hi inside ``node``."""
    p = torch.rand(n, 3, generator=torch.Generator().manual_seed(5)) * (
        torch.tensor(hi) - torch.tensor(lo)
    ) + torch.tensor(lo)
    return float((node(p) < 0).float().mean())


def test_dead_and_dry_plants_lose_their_leaves() -> None:
    tree = KINDS["tree"].shape(KINDS["tree"].sample(np.random.default_rng(0)))
    live, dead = _parts("tree")["canopy"], _parts("tree", ("dead",))["canopy"]
    assert _volume(dead, tree.lo, tree.hi) < 0.1 * _volume(live, tree.lo, tree.hi), "bare limbs, not a crown"
    bush = KINDS["bush"].shape(KINDS["bush"].sample(np.random.default_rng(0)))
    green = _volume(_parts("bush")["leaves"], bush.lo, bush.hi)
    assert _volume(_parts("bush", ("dry",))["leaves"], bush.lo, bush.hi) < 0.3 * green, "a dry bush is sparse"
    dead_bush = _parts("bush", ("dead",))
    assert "leaves" not in dead_bush and "twigs" in dead_bush, "a dead bush is twigs alone"
    assert KINDS["bush"].attributes["dead"]["parts"]["twigs"].startswith("bark")


def test_snow_moss_flowers_and_vines_appear_where_they_belong() -> None:
    snowy = _parts("pine", ("snowy",))
    assert "snow" not in _parts("pine") and snowy["snow"].lo[1] > 0.5, "snow lies on the tiers, not the ground"
    rock = _parts("rock", ("mossy",))
    assert "moss" not in _parts("rock") and rock["moss"].hi[1] >= rock["rock"].hi[1], "moss tops the rock"
    assert (rock["moss"].lo[1] + rock["moss"].hi[1]) / 2 > (rock["rock"].lo[1] + rock["rock"].hi[1]) / 2
    assert "flower" in _parts("lily pads", ("flowering",), seed=0)
    for kind in ("pergola", "garden arch"):
        assert "vines" in _parts(kind, ("flowering",)) and "blossoms" in _parts(kind, ("flowering",))


def test_flower_species_have_their_own_shapes() -> None:
    sunflower = KINDS["flowers"].shape(KINDS["flowers"].sample(np.random.default_rng(0), attributes=("sunflower",)))
    tulip = KINDS["flowers"].shape(KINDS["flowers"].sample(np.random.default_rng(0), attributes=("tulip",)))
    assert sunflower.hi[1] > 2.0 * tulip.hi[1], "sunflowers stand tall"
    assert "centres" in _parts("flowers", ("daisy",)) and "centres" not in _parts("flowers", ("tulip",))
    k = KINDS["flowering shrub"]

    def per_head(species: str) -> float:
        params = k.sample(np.random.default_rng(0), attributes=(species,))
        shape = k.shape(params)
        return _volume(dict(shape.parts)["blossoms"], shape.lo, shape.hi) / params["blooms"]

    assert per_head("hydrangea") > 4 * per_head("azalea"), "hydrangea heads are big balls, azalea flowers small"
    assert k.attributes["hydrangea"]["parts"]["blossoms"] == "petals:blue"


def test_a_broken_swing_hangs_by_one_chain() -> None:
    whole, broken = _parts("swing set"), _parts("swing set", ("broken",))
    lo, hi = (-2.0, 0.0, -1.0), (2.0, 3.0, 1.0)
    assert _volume(broken["chains"], lo, hi) < _volume(whole["chains"], lo, hi)
    assert broken["seats"].hi[1] - broken["seats"].lo[1] > 0.2, "the loose seat swings down"


def test_words_moved_out_of_the_old_nature_kinds() -> None:
    moved = {
        "tree": {"orchard", "woodland", "willow", "willow tree"},
        "bush": {"hedge", "fern", "flowers", "flower", "thicket", "grass tuft"},
        "rock pillar": {"stack", "sea stack"},
    }
    for kind, words in moved.items():
        assert not words & set(KINDS[kind].words), kind
    for word, kind in {
        "willow": "willow",
        "hedge": "hedge",
        "fern": "fern",
        "flower": "flowers",
        "grass tuft": "grass tuft",
        "hydrangea": "flowering shrub",
        "koi": "fish",
        "koi pond": "garden pond",
        "gazebo": "gazebo",
        "torii": "torii gate",
        "stone lantern": "stone lantern",
        "bird bath": "bird bath",
    }.items():
        assert word in KINDS[kind].words, word


@pytest.fixture(scope="module")
def garden_glb(tmp_path_factory) -> dict:
    """A meadow holding one each of several garden kinds (attributes applied), written by the real chain.

    Pad kinds (gazebo, garden pond) are left out: a hand-placed pad can leave a terrain the lightmap
    packer cannot fit (see the report); the layout places them in the prompt-driven tests.
    """
    model = ProceduralModel(embeddings=False)
    plan = model.generate("a meadow", 4)
    terrain = model.fields(plan, "cpu")[0]
    kinds = [
        ("pergola", ("flowering",)),
        ("bird bath", ("frozen",)),
        ("flowers", ("sunflower",)),
        ("swing set", ("broken",)),
        ("lily pads", ("flowering",)),
        ("stone lantern", ()),
        ("torii gate", ()),
    ]
    spots = [(-5.0, -4.0), (3.0, -4.0), (-5.0, 3.0), (1.0, 3.0), (6.0, 4.0), (-1.0, 7.0), (7.0, -6.0)]
    rng = np.random.default_rng(4)
    plan.entities = []
    for (name, attrs), (x, z) in zip(kinds, spots):
        k = KINDS[name]
        mats = {part: choices[0] for part, choices in k.parts.items()}
        for a in attrs:
            mats.update(k.attributes[a].get("parts", {}))
        y = float(terrain.height_at(np.array([x]), np.array([z]))[0])
        plan.entities.append(
            EntityPlan(
                id=f"{name.replace(' ', '_')}_01",
                kind=name,
                position=(x, y, z),
                params=k.sample(rng, attributes=attrs),
                materials={p: spec_from(c, None) for p, c in mats.items()},
            )
        )
    out = tmp_path_factory.mktemp("garden")
    opts = BuildOptions(resolution=40, texture_size=64, lods=0, workers=1, collision=False)
    outcome = generate(
        GenRequest(
            prompt="a garden",
            name="garden",
            out_root=out,
            options=GenOptions(seed=4, build=opts, device="cpu"),
            plan=plan,
        )
    )
    glb = outcome.out_dir / "garden.glb"
    return {"glb": glb, "manifest": json.loads((outcome.out_dir / "manifest.json").read_text()), "kinds": kinds}


@pytest.mark.slow
def test_a_garden_glb_passes_the_khronos_validator(garden_glb: dict) -> None:
    assert_valid_gltf(garden_glb["glb"])


@pytest.mark.slow
def test_the_garden_glb_holds_each_kind_at_its_size(garden_glb: dict) -> None:
    gltf = GLTF2().load(str(garden_glb["glb"]))
    names = {n.name for n in gltf.nodes}
    for name, attrs in garden_glb["kinds"]:
        size = ATTRIBUTE_SIZES.get((name, *attrs), SIZES[name])
        node_name = f"{name.replace(' ', '_')}_01"
        assert node_name in names, node_name
        node = next(n for n in gltf.nodes if n.name == node_name)
        acc = gltf.accessors[gltf.meshes[node.mesh].primitives[0].attributes.POSITION]
        ext = np.array(acc.max) - np.array(acc.min)
        assert all(size[a][0] * 0.8 <= ext[a] <= size[a][1] * 1.2 for a in range(3)), (name, ext)
