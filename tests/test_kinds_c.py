"""Catalog C (castles, harbours, camps, graveyards, monuments): shapes, real sizes, variety, attributes, words."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import trimesh

from pipelines.extract.sparse import extract_sdf
from pipelines.models.environment import spec_from
from pipelines.models.kinds import KINDS

pytestmark = [pytest.mark.usefixtures("one_torch_thread"), pytest.mark.sampled]

MODULES = {
    f"pipelines.models.kinds.{m}"
    for m in (
        "castle",
        "castle_yard",
        "harbour",
        "harbour_boats",
        "camp",
        "graveyard",
        "graveyard_monuments",
        "landmarks",
        "landmarks_props",
    )
}
OURS = sorted(n for n, k in KINDS.items() if k.build.__module__ in MODULES)
SEEDS = (0, 1, 2, 3)  # together they reach every integer variant (catapult/trebuchet, kayak, lying anchor, ...)

# Believable real heights (m) of the top of each new kind, whatever its seed.
HEIGHT_M = {
    "castle keep": (12.0, 26.0),
    "gatehouse": (7.0, 14.0),
    "catapult": (1.5, 7.0),
    "flag": (4.0, 8.0),
    "throne": (1.4, 2.8),
    "weapon rack": (1.6, 2.5),
    "training dummy": (1.5, 2.1),
    "pillory": (2.0, 2.7),
    "stocks": (0.5, 0.8),
    "dock crane": (5.5, 9.0),
    "anchor": (0.05, 2.4),
    "buoy": (1.7, 3.2),
    "net rack": (1.8, 2.5),
    "ship": (10.0, 22.0),
    "canoe": (0.3, 0.7),
    "mooring post": (0.5, 1.8),
    "fish crate": (0.2, 0.4),
    "campfire": (0.6, 1.3),
    "log seat": (0.25, 0.6),
    "bedroll": (0.15, 0.35),
    "cauldron": (0.6, 2.2),
    "firewood pile": (0.3, 1.1),
    "lean-to": (1.4, 2.2),
    "gravestone": (0.5, 1.2),
    "grave cross": (0.9, 1.7),
    "mausoleum": (3.5, 6.0),
    "tomb": (0.8, 1.4),
    "obelisk": (4.5, 9.5),
    "shrine": (1.5, 2.7),
    "bell": (2.5, 3.7),
}
# Settings the scene-layout owner adds (CATALOG.md), and collective nouns: never kind words.


def _shape(kind: str, seed: int, attributes: tuple[str, ...] = ()):
    k = KINDS[kind]
    return k.shape(k.sample(np.random.default_rng(seed), attributes))


def _mesh(sdf, lo, hi, cells: int) -> trimesh.Trimesh:
    r = extract_sdf(sdf, lo, hi, cells, "cpu")
    return trimesh.Trimesh(r.vertices_local.numpy(), r.faces.numpy(), process=False)


def _grown(shape, by: float = 0.05) -> tuple[list[float], list[float]]:
    return [v - by for v in shape.lo], [v + by for v in shape.hi]


def test_the_section_is_all_there() -> None:
    assert set(HEIGHT_M) <= set(OURS), set(HEIGHT_M) - set(OURS)
    assert len(OURS) >= 38  # 30 new kinds and the 9 landmarks this section keeps


@pytest.mark.parametrize("kind", sorted(HEIGHT_M))
def test_surface_is_closed_real_sized_and_inside_its_bounds(kind: str) -> None:
    lo_h, hi_h = HEIGHT_M[kind]
    for seed in SEEDS:
        shape = _shape(kind, seed)
        lo, hi = _grown(shape)
        cell = max(h - l for l, h in zip(lo, hi)) / 48
        mesh = _mesh(shape.sdf, lo, hi, 48)
        assert len(mesh.faces) > 0 and mesh.is_watertight, (kind, seed)
        mlo, mhi = mesh.bounds
        assert np.all(mlo >= np.array(shape.lo) - cell) and np.all(mhi <= np.array(shape.hi) + cell), (kind, seed)
        # the declared box is tight: the surface reaches most of it along every axis
        assert np.all(mhi - mlo >= 0.6 * (np.array(shape.hi) - np.array(shape.lo))), (kind, seed, mlo, mhi)
        assert lo_h <= mhi[1] <= hi_h, (kind, seed, mhi[1])
        deepest = -2.0 if KINDS[kind].ground == "water" else -0.5  # hulls and buoys sit below the waterline
        assert deepest <= mlo[1] <= 0.02, (kind, seed, "the base meets the ground")


@pytest.mark.parametrize("kind", OURS)
def test_every_part_shows_at_160_cells(kind: str) -> None:
    """Each part is thick enough for the default extraction grid to catch it (no vanishing flags or bars)."""
    k = KINDS[kind]
    seen: set[str] = set()
    for seed in SEEDS:
        shape = k.shape(k.sample(np.random.default_rng(seed), tuple(k.attributes)[:1]))
        lo, hi = _grown(shape)
        for name, node in shape.parts:
            mesh = _mesh(node, lo, hi, 160)
            assert len(mesh.faces) > 0, (kind, seed, name)
            seen.add(name)
    assert seen <= set(k.parts), seen - set(k.parts)


@pytest.mark.parametrize("kind", OURS)
def test_distances_are_1_lipschitz_for_every_variant(kind: str) -> None:
    gen = torch.Generator().manual_seed(7)
    variants = [(s, ()) for s in SEEDS] + [(0, (a,)) for a in KINDS[kind].attributes]
    for seed, attrs in variants:
        shape = _shape(kind, seed, attrs)
        lo, hi = torch.tensor(shape.lo), torch.tensor(shape.hi)
        ext = hi - lo
        a = torch.rand(3000, 3, generator=gen) * ext * 1.2 + lo - ext * 0.1
        for step in (0.01, 0.1):
            b = a + torch.randn(3000, 3, generator=gen) * step * float(ext.max())
            ratio = (shape.sdf(a) - shape.sdf(b)).abs() / (a - b).norm(dim=1)
            assert float(ratio.max()) <= 1 + 1e-4, (kind, seed, attrs, float(ratio.max()))


@pytest.mark.parametrize("kind", OURS)
def test_sample_is_deterministic_and_varies(kind: str) -> None:
    k = KINDS[kind]
    a, b = (k.sample(np.random.default_rng(11)) for _ in range(2))
    assert a == b
    draws = [k.sample(np.random.default_rng(s)) for s in range(6)]
    assert len({tuple(sorted(d.items())) for d in draws}) == 6
    pts = torch.rand(4000, 3, generator=torch.Generator().manual_seed(3))
    shapes = [k.shape(d) for d in draws[:2]]
    lo = torch.tensor([min(s.lo[i] for s in shapes) for i in range(3)])
    hi = torch.tensor([max(s.hi[i] for s in shapes) for i in range(3)])
    p = pts * (hi - lo) + lo
    assert not torch.equal(shapes[0].sdf(p), shapes[1].sdf(p)), "two seeds give two shapes"


@pytest.mark.parametrize("kind", OURS)
def test_materials_and_attributes_are_well_formed(kind: str) -> None:
    k = KINDS[kind]
    assert set(k.body) <= set(k.parts)
    for choices in k.parts.values():
        for choice in choices:
            spec_from(choice, None)  # a preset and colour that exist
    assert any(len(k.parts[p]) >= 2 for p in k.body), "two or more looks for the main part"
    for name, attr in k.attributes.items():
        assert set(attr.get("params", {})) <= set(k.ranges), (name, attr)
        assert set(attr.get("parts", {})) <= set(k.parts), (name, attr)
        for choice in attr.get("parts", {}).values():
            spec_from(choice, None)


def _inside(shape, *points) -> list[bool]:
    return [bool(v < 0) for v in shape.sdf(torch.tensor(points, dtype=torch.float32))]


def test_a_ruined_keep_is_hollow_and_broken_at_the_top() -> None:
    whole, ruin = _shape("castle keep", 4), _shape("castle keep", 4, ("broken",))
    k = KINDS["castle keep"].sample(np.random.default_rng(4))
    mid = (0.0, k["height"] / 2 + 1.0, 0.0)
    assert _inside(whole, mid) == [True] and _inside(ruin, mid) == [False]
    assert "rubble" in [n for n, _ in ruin.parts] and "roof" not in [n for n, _ in ruin.parts]
    w = KINDS["castle keep"].sample(np.random.default_rng(4))["width"] / 2
    wall_top = (w - 0.3, k["height"] - 0.5, w - 0.3)  # inside the front-right wall, under the parapet
    assert _inside(whole, wall_top) == [True] and _inside(ruin, wall_top) == [False]


def test_a_wrecked_ship_has_stumps_for_masts_and_lists() -> None:
    whole, wreck = _shape("ship", 2), _shape("ship", 2, ("broken",))
    assert wreck.hi[1] < 0.7 * whole.hi[1], "the masts are snapped"
    assert "sails" in [n for n, _ in whole.parts] and "sails" not in [n for n, _ in wreck.parts]
    assert abs(wreck.lo[0] + wreck.hi[0]) > 0.2, "the hull lists to one side"


def test_a_broken_boat_gravestone_and_obelisk_are_lower_than_whole_ones() -> None:
    for kind in ("boat", "gravestone", "obelisk"):
        for seed in SEEDS:
            whole, broken = _shape(kind, seed), _shape(kind, seed, ("broken",))
            w = _mesh(whole.sdf, *_grown(whole), 48).bounds[1][1]
            lo, hi = _mesh(broken.sdf, *_grown(broken), 48).bounds
            if kind == "boat" and KINDS["boat"].sample(np.random.default_rng(seed))["mast"] < 0.5:
                assert abs(lo[0] + hi[0]) > 0.05, (seed, "no mast to snap: it lists to one side")
            else:
                assert hi[1] < w - 0.1, (kind, seed, w, hi[1])


def test_a_broken_tomb_has_its_lid_pushed_aside() -> None:
    for seed in SEEDS:
        lids = [dict(_shape("tomb", seed, attrs).parts)["lid"] for attrs in ((), ("broken",))]
        centres = [(n.lo[0] + n.hi[0]) / 2 for n in lids]
        assert abs(centres[0]) < 0.01 and centres[1] > 0.2, centres


def test_a_round_tent_stands_on_a_disc_and_a_square_one_on_a_rectangle() -> None:
    for seed in SEEDS:
        p = KINDS["tent"].sample(np.random.default_rng(seed), ("round",))
        r = (p["width"] + p["length"]) / 4
        round_tent = KINDS["tent"].shape(p)
        ring = [(0.9 * r * np.cos(a), 0.05, 0.9 * r * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 12, endpoint=False)]
        corners = [(sx * 0.85 * r, 0.05, sz * 0.85 * r) for sx in (-1, 1) for sz in (-1, 1)]
        assert all(_inside(round_tent, *ring)) and not any(_inside(round_tent, *corners))
        q = KINDS["tent"].sample(np.random.default_rng(seed), ("square",))
        square_tent = KINDS["tent"].shape(q)
        hs, hl = q["width"] / 2, q["length"] / 2
        assert all(_inside(square_tent, *[(sx * 0.9 * hs, 0.05, sz * 0.9 * hl) for sx in (-1, 1) for sz in (-1, 1)]))


def test_a_kayak_is_a_canoe_with_a_deck() -> None:
    p = KINDS["canoe"].sample(np.random.default_rng(0), ("kayak",))
    q = dict(p, kayak=0.0)
    on_deck = (0.0, p["depth"] - 0.02, p["length"] * 0.3)
    assert _inside(KINDS["canoe"].shape(p), on_deck) == [True]
    assert _inside(KINDS["canoe"].shape(q), on_deck) == [False]


def test_mossy_gravestones_change_colour_not_shape() -> None:
    k = KINDS["gravestone"]
    assert k.sample(np.random.default_rng(5), ("mossy",)) == k.sample(np.random.default_rng(5))
    moss = spec_from(k.attributes["mossy"]["parts"]["stone"], None)
    assert all(moss.base_color != spec_from(c, None).base_color for c in k.parts["stone"])


def test_moved_words_landed() -> None:
    landed = {
        "shrine": "shrine",
        "obelisk": "obelisk",
        "ship": "ship",
        "canoe": "canoe",
        "vessel": "ship",
        "castle": "castle keep",
        "throne": "throne",
        "campfire": "campfire",
        "crane": "dock crane",
        "gravestone": "gravestone",
        "grave": "gravestone",
        "tombstone": "gravestone",
        "sarcophagus": "tomb",
    }
    for word, kind in landed.items():
        assert [k for k in KINDS if word in KINDS[k].words] == [kind], word
    for gone, kind in (
        ("camp", "tent"),
        ("market", "market stall"),
        ("birdbath", "fountain"),
        ("lantern", "lamp post"),
    ):
        assert gone not in KINDS[kind].words


@pytest.mark.slow
def test_a_glb_of_our_kinds_passes_the_khronos_validator(tmp_path, gltf_validator) -> None:
    from pygltflib import GLTF2

    from exporters import write_formats
    from exporters.presets import get_preset
    from pipelines import run as chain
    from pipelines.models import get_model
    from pipelines.plan import EntityPlan
    from tests.validator import assert_valid_gltf

    model = get_model("procedural")
    plan = model.generate("a meadow", 3)
    picks = ["campfire", "gravestone", "anchor", "flag"]
    plan.entities = []
    for i, kind in enumerate(picks):
        k = KINDS[kind]
        rng = np.random.default_rng(i)
        mats = {part: spec_from(choices[-1], None) for part, choices in k.parts.items()}
        plan.entities.append(
            EntityPlan(
                id=f"{kind}_{i:02d}",
                kind=kind,
                position=(4.0 * i - 6.0, 0.0, 0.0),
                params=k.sample(rng),
                materials=mats,
            )
        )
    opts = chain.BuildOptions(resolution=40, texture_size=128, lods=0, collision=False)
    result = chain.build(plan, model, opts, chain.resolve_device("cpu"))
    files = write_formats(result.asset, tmp_path, "catalog_c", get_preset("generic"))
    glb = next(f.path for f in files if str(f.path).endswith(".glb"))
    assert_valid_gltf(glb)
    names = {n.name for n in GLTF2().load(str(glb)).nodes}
    assert all(any(e.id in n for n in names) for e in plan.entities), names
