"""The fields: 1-Lipschitz distances, bounds that enclose, materials in range, determinism, the Field protocol."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pipelines.fields import Field
from pipelines.models.environment import spec_from
from pipelines.models.kinds import KINDS
from pipelines.models.nodes import ObjectField
from pipelines.models.procedural import ProceduralModel

LIPSCHITZ_SLACK = 1e-4

pytestmark = [pytest.mark.usefixtures("one_torch_thread"), pytest.mark.sampled]


def _object_field(kind: str, seed: int = 0) -> ObjectField:
    k = KINDS[kind]
    params = k.sample(np.random.default_rng(seed))
    materials = {part: spec_from(choices[0], None) for part, choices in k.parts.items()}
    return ObjectField(kind, kind, k.shape(params), materials, (0.0, 0.0, 0.0), 0.0, 1.0, seed, snow=0.5)


def _box_points(f, n: int, grow: float, gen: torch.Generator) -> torch.Tensor:  # noqa: ANN001
    lo, hi = torch.tensor(f.bounds_min), torch.tensor(f.bounds_max)
    ext = hi - lo
    return torch.rand(n, 3, generator=gen) * ext * (1 + 2 * grow) + lo - ext * grow


def assert_lipschitz(f, gen: torch.Generator, n: int = 8_000) -> None:  # noqa: ANN001
    a = _box_points(f, n, 0.1, gen)
    ext = float((torch.tensor(f.bounds_max) - torch.tensor(f.bounds_min)).max())
    for step in (0.01 * ext, 0.1 * ext):  # near pairs find kinks, far pairs find wrong offsets
        b = a + torch.randn(n, 3, generator=gen) * step
        ratio = (f.sdf(a) - f.sdf(b)).abs() / (a - b).norm(dim=1)
        assert float(ratio.max()) <= 1 + LIPSCHITZ_SLACK, (f.name, float(ratio.max()))


def face_points(f, n: int, gen: torch.Generator) -> torch.Tensor:  # noqa: ANN001
    lo, hi = torch.tensor(f.bounds_min), torch.tensor(f.bounds_max)
    out = []
    for axis in range(3):
        for side in (lo, hi):
            q = torch.rand(n, 3, generator=gen) * (hi - lo) + lo
            q[:, axis] = side[axis]
            out.append(q)
    return torch.cat(out)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_is_lipschitz_bounded_and_solid(kind: str) -> None:
    gen = torch.Generator().manual_seed(1)
    f = _object_field(kind)
    assert isinstance(f, Field) and f.closed
    assert_lipschitz(f, gen)
    assert float(f.sdf(face_points(f, 1500, gen)).min()) > 0, "bounds must enclose the surface"
    inside = (f.sdf(_box_points(f, 8_000, 0.0, gen)) < 0).float().mean()
    assert 0.003 < float(inside) < 0.95
    assert f.bounds_min[1] < 0.0 < f.bounds_max[1], "the base reaches y = 0 and a little below"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_materials_are_in_range(kind: str) -> None:
    gen = torch.Generator().manual_seed(2)
    f = _object_field(kind)
    m = f.material(_box_points(f, 2000, 0.0, gen))
    assert m.base_color.shape == (2000, 3) and m.roughness.shape == (2000,) and m.metallic.shape == (2000,)
    for t in (m.base_color, m.roughness, m.metallic):
        assert t.dtype == torch.float32 and bool(torch.isfinite(t).all())
        assert float(t.min()) >= 0.0 and float(t.max()) <= 1.0


@pytest.fixture(scope="module")
def village_fields():  # noqa: ANN201
    model = ProceduralModel(embeddings=False)
    plan = model.generate(
        "five houses with red roofs around a stone well, a wooden fence along the road, a few oak trees and some rocks",
        5,
    )
    return plan, model.fields(plan, torch.device("cpu"))


def test_fields_follow_the_plan(village_fields) -> None:  # noqa: ANN001
    plan, fields = village_fields
    assert fields[0].name == "terrain" and not fields[0].closed
    assert [f.name for f in fields[1:]] == [e.id for e in plan.entities]
    for f, e in zip(fields[1:], plan.entities):
        assert isinstance(f, Field) and f.kind == e.kind and f.closed
        assert f.translation == pytest.approx(e.position) and f.yaw_deg == pytest.approx(e.yaw_deg)


def test_terrain_is_lipschitz_and_its_bounds_hold_the_surface(village_fields) -> None:  # noqa: ANN001
    _, fields = village_fields
    terrain = fields[0]
    gen = torch.Generator().manual_seed(3)
    assert_lipschitz(terrain, gen)
    lo, hi = terrain.bounds_min, terrain.bounds_max
    xz = torch.rand(20_000, 2, generator=gen) * torch.tensor([hi[0] - lo[0], hi[2] - lo[2]]) + torch.tensor(
        [lo[0], lo[2]]
    )
    h = terrain.height_at(xz[:, 0], xz[:, 1])
    assert float(h.min()) > lo[1] and float(h.max()) < hi[1]
    below = torch.stack([xz[:, 0], torch.full_like(h, lo[1]), xz[:, 1]], 1)
    above = torch.stack([xz[:, 0], torch.full_like(h, hi[1]), xz[:, 1]], 1)
    assert bool((terrain.sdf(below) < 0).all()) and bool((terrain.sdf(above) > 0).all())
    hn = terrain.height_at(xz[:, 0].double().numpy(), xz[:, 1].double().numpy())
    assert np.allclose(hn, h.numpy(), atol=1e-4), "numpy and torch heights agree"
    m = terrain.material(torch.stack([xz[:, 0], h, xz[:, 1]], 1))
    assert float(m.base_color.min()) >= 0 and float(m.base_color.max()) <= 1


def test_room_shell_is_a_closed_lipschitz_solid() -> None:
    model = ProceduralModel(embeddings=False)
    plan = model.generate("a tavern", 1)
    room = model.fields(plan, "cpu")[0]
    gen = torch.Generator().manual_seed(4)
    assert room.name == "terrain" and room.kind == "room" and room.closed
    assert_lipschitz(room, gen)
    assert float(room.sdf(face_points(room, 2000, gen)).min()) > 0
    assert float(room.height_at(np.zeros(3), np.zeros(3)).max()) == 0.0


def test_field_values_are_deterministic() -> None:
    model = ProceduralModel(embeddings=False)
    prompt = "a house, a pine and a rock on a snowy hill"
    a = model.fields(model.generate(prompt, 9), "cpu")
    b = model.fields(model.generate(prompt, 9), "cpu")
    gen = torch.Generator().manual_seed(5)
    for fa, fb in zip(a, b):
        p = _box_points(fa, 4000, 0.0, gen)
        assert torch.equal(fa.sdf(p), fb.sdf(p))
        ma, mb = fa.material(p), fb.material(p)
        assert torch.equal(ma.base_color, mb.base_color) and torch.equal(ma.roughness, mb.roughness)


def test_fields_keep_the_points_dtype_and_batch(village_fields) -> None:  # noqa: ANN001
    _, fields = village_fields
    p = torch.zeros(7, 3)
    for f in fields:
        d = f.sdf(p)
        assert d.shape == (7,) and d.dtype == torch.float32
    assert fields[1].sdf(torch.zeros(0, 3)).shape == (0,)
