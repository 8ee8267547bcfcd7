"""Catalog A (homes, rooms, furniture, household objects, workshop): every kind is a closed solid of a
believable real size, its distance is 1-Lipschitz, its draws are seeded, its attributes show, its
words are its own, and a scene of them writes a GLB the Khronos validator accepts."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from exporters import write_formats
from exporters.presets import get_preset
from pipelines.extract.dense import marching_cubes
from pipelines.models import get_model
from pipelines.models.environment import spec_from
from pipelines.models.kinds import KINDS
from pipelines.models.materials import COLOR_WORDS, PRESETS
from pipelines.options import BuildOptions
from pipelines.plan import EntityPlan
from pipelines.run import build, resolve_device
from tests.scene_eval.kinds import HOME
from tests.validator import assert_valid_gltf

pytestmark = [pytest.mark.usefixtures("one_torch_thread"), pytest.mark.sampled]

MODULES = {
    f"pipelines.models.kinds.{m}"
    for m in (
        "furniture",
        "furniture_large",
        "home",
        "home_storage",
        "decor",
        "decor_pieces",
        "household",
        "kitchen",
        "workshop",
    )
}
OURS = sorted(k for k, v in KINDS.items() if v.build.__module__ in MODULES)

# Believable real sizes, meters: (height lo, hi), (longest horizontal side lo, hi), over seeds and attributes.
REAL = {
    "table": ((0.7, 0.85), (0.9, 3.5)),
    "chair": ((0.8, 1.1), (0.4, 0.55)),
    "stool": ((0.45, 0.8), (0.3, 0.45)),
    "bench": ((0.45, 1.0), (1.3, 2.3)),
    "bar counter": ((1.0, 1.15), (3.5, 5.7)),
    "shelf": ((1.7, 2.2), (1.0, 1.7)),
    "barrel": ((0.8, 1.05), (0.55, 0.8)),
    "crate": ((0.55, 1.05), (0.55, 1.05)),
    "candle": ((0.12, 0.32), (0.1, 0.16)),
    "wagon": ((1.0, 2.2), (3.0, 6.0)),
    "fireplace": ((2.5, 3.3), (1.6, 2.4)),
    "bed": ((0.85, 2.3), (2.0, 2.3)),
    "bunk bed": ((1.5, 1.85), (1.9, 2.2)),
    "sofa": ((0.75, 1.0), (1.6, 2.45)),
    "armchair": ((0.8, 1.1), (0.75, 1.0)),
    "wardrobe": ((1.8, 2.25), (1.0, 1.7)),
    "dresser": ((0.8, 1.15), (0.8, 1.5)),
    "nightstand": ((0.45, 0.7), (0.35, 0.6)),
    "desk": ((0.72, 0.8), (1.1, 1.7)),
    "bookshelf": ((1.8, 2.15), (0.8, 1.25)),
    "cabinet": ((0.8, 1.05), (0.9, 1.9)),
    "coffee table": ((0.38, 0.5), (0.7, 1.35)),
    "floor lamp": ((1.45, 1.85), (0.3, 0.6)),
    "table lamp": ((0.38, 0.62), (0.2, 0.4)),
    "rug": ((0.015, 0.04), (1.2, 3.05)),
    "potted plant": ((0.45, 1.45), (0.2, 0.9)),
    "mirror": ((1.4, 1.85), (0.55, 0.9)),
    "grandfather clock": ((1.9, 2.45), (0.4, 0.6)),
    "piano": ((1.0, 2.0), (1.4, 2.5)),
    "television": ((0.35, 1.0), (0.5, 1.5)),
    "painting": ((0.3, 1.05), (0.35, 1.25)),
    "vase": ((0.24, 0.62), (0.1, 0.45)),
    "chest": ((0.4, 1.0), (0.65, 1.05)),
    "lantern": ((0.25, 0.5), (0.12, 0.25)),
    "tankard": ((0.09, 0.18), (0.08, 0.17)),
    "bottle": ((0.2, 0.34), (0.06, 0.13)),
    "basket": ((0.18, 0.6), (0.3, 0.6)),
    "sack": ((0.55, 0.95), (0.4, 0.7)),
    "books": ((0.05, 0.45), (0.15, 0.4)),
    "bathtub": ((0.55, 0.8), (1.45, 1.85)),
    "toilet": ((0.7, 0.9), (0.6, 0.75)),
    "sink": ((0.8, 1.1), (0.45, 0.85)),
    "kitchen counter": ((0.85, 1.45), (1.55, 3.05)),
    "kitchen stove": ((0.85, 2.15), (0.55, 0.95)),
    "fridge": ((1.65, 1.95), (0.6, 0.8)),
    "anvil": ((0.25, 0.85), (0.5, 0.8)),
    "workbench": ((0.85, 0.95), (1.45, 2.25)),
    "grindstone": ((0.8, 1.3), (0.5, 0.9)),
    "sawhorse": ((0.55, 0.85), (0.85, 1.85)),
    "tool rack": ((1.75, 2.05), (1.05, 1.75)),
    "forge": ((2.7, 3.5), (1.1, 2.1)),
    "ladder": ((2.3, 3.6), (0.4, 1.05)),
}
# Kinds that stand on another object's top, hang on a wall, or lie on the floor.
GROUND = {
    "on": {"candle", "table lamp", "television", "vase", "lantern", "tankard", "bottle", "books"},
    "wall": {"painting"},
}
# Grid cells along the longest side for kinds whose parts are thin for their size (a ladder's 7 cm rails).
CELLS = {"ladder": 128}
# How far below y = 0 a kind reaches (6 cm unless said): a park bench's feet sink into uneven ground.
DEEP = {"bench": 0.16}
# The settings the scene-layout owner adds (CATALOG.md) and the collective nouns: never kind words.


def _draws(kind: str, seeds=(0, 1, 2)) -> list[dict[str, float]]:
    """Return parameters for a few seeds, then once more per attribute."""
    k = KINDS[kind]
    out = [k.sample(np.random.default_rng([5, s])) for s in seeds]
    out += [k.sample(np.random.default_rng([6, i]), (a,)) for i, a in enumerate(sorted(k.attributes))]
    return out


def _mesh(shape, cells: int = 48) -> tuple[np.ndarray, np.ndarray, float]:
    """Return (vertices in meters, faces, cell size) of the shape's surface on a coarse grid around its bounds."""
    lo, hi = np.array(shape.lo), np.array(shape.hi)
    ext = hi - lo
    cell = min(ext.max() / cells, ext.min() / 4)
    lo = lo - 2 * cell
    n = np.ceil((hi + 2 * cell - lo) / cell).astype(int) + 1
    axes = [torch.linspace(float(lo[i]), float(lo[i] + cell * (n[i] - 1)), int(n[i])) for i in range(3)]
    grid = torch.stack(torch.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 3)
    d = torch.cat([shape.sdf(c) for c in grid.split(500_000)]).reshape(*n.tolist())
    v, f = marching_cubes(d)
    return v.double().numpy() * cell + lo, f.numpy(), cell


def test_the_planned_kinds_are_all_there() -> None:
    # The tavern's kinds that these modules own, and the eval suite's plan for homes and workshops.
    planned = {"table", "chair", "stool", "bench", "bar counter", "shelf", "barrel", "crate", "candle", "wagon"}
    planned |= {"fireplace"} | HOME
    assert set(OURS) == planned == set(REAL)


@pytest.mark.parametrize("kind", OURS)
def test_surface_is_closed_and_of_real_size(kind: str) -> None:
    k = KINDS[kind]
    for params in _draws(kind):
        shape = k.shape(params)
        v, f, cell = _mesh(shape, CELLS.get(kind, 48))
        assert len(f) > 100, (kind, params)
        edges = np.sort(np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]]), axis=1)
        _, counts = np.unique(edges, axis=0, return_counts=True)
        assert (counts == 2).all(), f"{kind}: the surface has open or shared edges"
        vlo, vhi = v.min(0), v.max(0)
        assert (vlo >= np.array(shape.lo) - cell).all() and (vhi <= np.array(shape.hi) + cell).all(), (
            "bounds enclose it"
        )
        (h_lo, h_hi), (l_lo, l_hi) = REAL[kind]
        assert h_lo <= vhi[1] <= h_hi + cell, (kind, params, "height", vhi[1])
        longest = max(vhi[0] - vlo[0], vhi[2] - vlo[2])
        assert l_lo - cell <= longest <= l_hi + cell, (kind, params, "length", longest)
        assert -DEEP.get(kind, 0.06) <= vlo[1] < 0.0 + cell / 2, (
            kind,
            "the base sits at y = 0, reaching a little below",
        )
        for axis in (0, 2):  # the pivot is near the footprint's centre
            assert abs(vlo[axis] + vhi[axis]) / 2 <= 0.25 * (vhi[axis] - vlo[axis]) + cell, (kind, axis, vlo, vhi)


@pytest.mark.parametrize("kind", OURS)
def test_distance_is_one_lipschitz_for_every_variant(kind: str) -> None:
    gen = torch.Generator().manual_seed(11)
    for params in _draws(kind):
        shape = KINDS[kind].shape(params)
        lo, hi = torch.tensor(shape.lo), torch.tensor(shape.hi)
        ext = hi - lo
        a = torch.rand(3000, 3, generator=gen) * ext * 1.2 + lo - ext * 0.1
        for step in (0.01, 0.1):
            b = a + torch.randn(3000, 3, generator=gen) * step * float(ext.max())
            ratio = (shape.sdf(a) - shape.sdf(b)).abs() / (a - b).norm(dim=1)
            assert float(ratio.max()) <= 1 + 1e-4, (kind, params, float(ratio.max()))


@pytest.mark.parametrize("kind", OURS)
def test_draws_are_seeded_and_vary(kind: str) -> None:
    k = KINDS[kind]
    a, b, c = (k.sample(np.random.default_rng(s)) for s in (3, 3, 4))
    assert a == b and a != c
    pts = torch.rand(4000, 3, generator=torch.Generator().manual_seed(2))
    sa, sc = k.shape(a), k.shape(c)
    lo = torch.tensor([min(sa.lo[i], sc.lo[i]) for i in range(3)])
    hi = torch.tensor([max(sa.hi[i], sc.hi[i]) for i in range(3)])
    p = lo + pts * (hi - lo)
    assert torch.equal(sa.sdf(p), k.shape(b).sdf(p))
    assert not torch.allclose(sa.sdf(p), sc.sdf(p)), "two seeds give two different shapes"


@pytest.mark.parametrize("kind", OURS)
def test_parts_have_two_materials_each_and_the_flags_fit(kind: str) -> None:
    k = KINDS[kind]
    main = [p for p in k.body if p in k.parts]
    assert main and all(len(k.parts[p]) >= 2 for p in main), (kind, "2+ material choices per main part")
    for choices in k.parts.values():
        for c in choices:
            name, _, color = c.partition(":")
            assert name in PRESETS and (not color or color in COLOR_WORDS), (kind, c)
    want = next((g for g, names in GROUND.items() if kind in names), "pad" if kind == "wagon" else "floor")
    assert k.ground == want, (kind, k.ground)
    assert k.plural_count >= 1 and k.spacing_m >= 0.0 and k.where in ("indoor", "outdoor", "any")
    assert set(k.flags) <= {
        "surface",
        "against_wall",
        "stackable",
        "linear",
        "edge",
        "base",
        "uneven",
        "shore",
        "leans",
    }


def _inside(shape, x: np.ndarray, y: float, z: np.ndarray) -> np.ndarray:
    p = torch.tensor(np.stack([x, np.full_like(x, y), z], 1), dtype=torch.float32)
    return shape.sdf(p).numpy() < 0


def test_round_square_and_long_tables() -> None:
    table = KINDS["table"]
    g = np.linspace(-1.8, 1.8, 181)
    x, z = (a.ravel() for a in np.meshgrid(g, g))
    for seed in range(4):
        rng = np.random.default_rng(seed)
        plain = table.sample(rng)
        shape = table.shape(table.sample(np.random.default_rng(seed), ("round",)))
        top_y = shape.hi[1] - 0.03
        inside = _inside(shape, x, top_y, z)
        r = np.sqrt(x * x + z * z)
        radius = r[inside].max()
        assert 0.5 < radius < 0.7, "a round dining table is 1 to 1.4 m across"
        assert inside[r < radius - 0.02].all(), "the top is a disc: everything inside the radius is table"
        square = table.shape(table.sample(np.random.default_rng(seed), ("square",)))
        ext = np.array(square.hi) - np.array(square.lo)
        assert ext[0] == pytest.approx(ext[2], abs=1e-6), "a square table is as wide as deep"
        rect = table.shape(plain)
        corner = _inside(rect, np.array([plain["width"] / 2 - 0.02]), top_y, np.array([plain["depth"] / 2 - 0.02]))
        assert corner.all(), "a plain table has square corners"
        long = table.shape(table.sample(np.random.default_rng(seed), ("long",)))
        assert long.hi[0] - long.lo[0] > 1.6 * (rect.hi[0] - rect.lo[0]) - 1e-6
        if long.hi[0] - long.lo[0] > 2.3:
            assert _inside(long, np.array([0.0]), 0.3, np.array([long.hi[2] - 0.09])).all(), "a middle pair of legs"


def _lowest(node, x: float, z: float) -> float:
    ys = np.linspace(-0.1, 2.0, 2101)
    p = torch.tensor(np.stack([np.full_like(ys, x), ys, np.full_like(ys, z)], 1), dtype=torch.float32)
    hit = node(p).numpy() < 0
    return float(ys[hit].min()) if hit.any() else np.inf


def test_a_broken_wagon_has_lost_a_wheel_and_tilts() -> None:
    wagon = KINDS["wagon"]
    for seed in range(3):
        whole = wagon.sample(np.random.default_rng(seed))
        broken = dict(whole, broken=1.0)
        assert wagon.sample(np.random.default_rng(seed), ("broken",)) == broken
        bed_whole = dict(wagon.shape(whole).parts)["bed"]
        bed_broken = dict(wagon.shape(broken).parts)["bed"]
        hl = whole["length"] / 2
        corners = [(0.6, hl - 0.15), (-0.6, hl - 0.15), (0.6, -hl + 0.15), (-0.6, -hl + 0.15)]
        level = [_lowest(bed_whole, x, z) for x, z in corners]
        tilted = [_lowest(bed_broken, x, z) for x, z in corners]
        assert max(level) - min(level) < 0.01, "an intact wagon's bed is level"
        assert tilted[0] < level[0] - 0.2 and tilted[3] > level[3] + 0.15, "the broken corner sinks, the far one lifts"
        wheels = dict(wagon.shape(broken).parts)["wheels"]
        wx, wz, wr = 0.87, hl * 0.62, whole["wheel"]
        assert _lowest(wheels, wx + wr * 0.9, wz + wr * 0.8) < 0.0, "the lost wheel lies on the ground beside it"
        assert _lowest(dict(wagon.shape(whole).parts)["wheels"], wx, wz) < 0.0 < _lowest(wheels, wx, wz) - 0.1


def test_other_attributes_change_the_shape() -> None:
    def ext(kind: str, attrs: tuple[str, ...], seed: int = 1) -> np.ndarray:
        s = KINDS[kind].shape(KINDS[kind].sample(np.random.default_rng(seed), attrs))
        return np.array(s.hi) - np.array(s.lo)

    assert ext("coffee table", ("round",))[0] == pytest.approx(ext("coffee table", ("round",))[2])
    assert ext("rug", ("round",))[0] == pytest.approx(ext("rug", ("round",))[2])
    assert ext("piano", ("grand",))[2] > 1.4, "a grand is long"
    assert ext("piano", ("upright",))[2] < 0.7, "an upright is shallow"
    assert ext("chest", ("open",))[1] > ext("chest", ())[1] + 0.2, "an open chest's lid stands up"
    assert ext("bed", ("double",))[0] > 1.6
    assert ext("bed", ("single",))[0] < 1.05
    assert ext("bed", ("canopied",))[1] > 1.9


def test_stackable_and_surface_flags() -> None:
    assert {k for k in OURS if KINDS[k].flags.get("stackable")} == {"barrel", "crate", "sack"}
    surfaces = {k for k in OURS if KINDS[k].flags.get("surface")}
    assert {"table", "desk", "nightstand", "coffee table", "kitchen counter", "workbench", "dresser"} <= surfaces
    assert not surfaces & {k for names in GROUND.values() for k in names}


@pytest.mark.slow
def test_a_scene_of_these_kinds_writes_a_valid_glb(tmp_path) -> None:
    model = get_model("procedural")
    plan = model.generate("a table", 3)
    kinds = ["bed", "piano", "chest", "lantern", "kitchen stove", "wagon", "rug"]
    entities = []
    x = -6.0
    for i, name in enumerate(kinds):
        k = KINDS[name]
        rng = np.random.default_rng([9, i])
        params = k.sample(rng, ("broken",) if name == "wagon" else ())
        materials = {
            part: spec_from(choices[int(rng.integers(len(choices)))], None) for part, choices in k.parts.items()
        }
        shape = k.shape(params)
        x += -shape.lo[0] + 0.3
        entities.append(
            EntityPlan(
                id=f"{name.replace(' ', '_')}_01", kind=name, position=(x, 0.0, 0.0), params=params, materials=materials
            )
        )
        x += shape.hi[0]
    plan = dataclasses.replace(plan, entities=entities)
    plan.environment.params["amplitude"] = 0.0
    asset = build(
        plan,
        model,
        BuildOptions(resolution=40, texture_size=64, lods=1, workers=1, collision=False),
        resolve_device("cpu"),
    ).asset
    assert sorted(n.kind for n in asset.nodes if n.kind != "terrain") == sorted(kinds)
    glb = next(f.path for f in write_formats(asset, tmp_path, "catalog_a", get_preset("generic")) if f.role == "glb")
    assert_valid_gltf(glb)
