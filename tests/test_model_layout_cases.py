"""Layout on the development prompts it got wrong (issue 16), checked on the plan without meshing: a prop stands on
its solid's lowest point, what stands on a tower or a pond rests on one level of it, a row by the water is straight,
a ring is even, and trees ring a small pond by their trunks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from pipelines.models.kinds import KINDS
from pipelines.models.procedural import ProceduralModel
from pipelines.models.sizing import base_pivot
from pipelines.plan import EntityPlan

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def model() -> ProceduralModel:
    return ProceduralModel(embeddings=False)


def _local(e: EntityPlan, parent: EntityPlan, dy: float) -> torch.Tensor:
    """Return the point ``dy`` under ``e``'s pivot in ``parent``'s own frame (unscaled)."""
    dx, dz = e.position[0] - parent.position[0], e.position[2] - parent.position[2]
    c, s = math.cos(math.radians(parent.yaw_deg)), math.sin(math.radians(parent.yaw_deg))
    lx, lz = c * dx - s * dz, s * dx + c * dz
    y = e.position[1] - dy - parent.position[1]
    return torch.tensor([[lx, y, lz]], dtype=torch.float32) / parent.scale


def test_a_tilted_prop_stands_on_its_lowest_point() -> None:
    kind = KINDS["wagon"]
    shape = kind.shape(kind.sample(np.random.default_rng(0), attributes=("broken",)))
    lo, hi = np.array(shape.lo), np.array(shape.hi)
    grid = np.stack(np.meshgrid(*[np.linspace(lo[i], hi[i], 64) for i in range(3)], indexing="ij"), -1).reshape(-1, 3)
    solid = grid[shape.sdf(torch.from_numpy(grid).float()).numpy() <= 0]
    pivot = base_pivot(shape)
    assert lo[1] < solid[:, 1].min() - 0.3  # the box reaches far below the tilted solid
    assert abs(pivot[1] - solid[:, 1].min()) <= 0.05


def test_banners_stand_on_the_towers_roofs(model: ProceduralModel) -> None:
    plan = model.generate("A castle gatehouse flanked by two towers, with banners on the towers.", 0)
    by_id = {e.id: e for e in plan.entities}
    flags = [e for e in plan.entities if e.kind == "flag"]
    assert flags and all(by_id[f.parent].kind == "tower" for f in flags)
    for f in flags:
        tower = by_id[f.parent]
        sdf = KINDS["tower"].shape(tower.params).sdf
        assert float(sdf(_local(f, tower, 0.05))) <= 0.02, f.id  # solid just under the flag's foot
        assert float(sdf(_local(f, tower, -0.05))) > 0.0, f.id  # and air just above it


def test_a_row_of_stalls_by_the_water_is_straight_and_faces_it(model: ProceduralModel) -> None:
    plan = model.generate("Fish market on the quay: a row of stalls facing the water and a moored ship.", 0)
    stalls = [e for e in plan.entities if e.kind == "market stall"]
    z = [e.position[2] for e in stalls]
    assert len(stalls) >= 3 and max(z) - min(z) <= 0.6
    assert all(abs((e.yaw_deg + 180) % 360 - 180) < 30 for e in stalls)  # the beach's water lies to +z


def test_seats_ring_a_campfire_evenly_before_the_tents_come(model: ProceduralModel) -> None:
    plan = model.generate("A campfire with four log seats around it and two tents nearby.", 0)
    fire = next(e for e in plan.entities if e.kind == "campfire")
    seats = [e for e in plan.entities if e.kind == "log seat"]
    r = [math.hypot(s.position[0] - fire.position[0], s.position[2] - fire.position[2]) for s in seats]
    assert len(seats) == 4 and max(r) - min(r) <= 0.5 and max(r) <= 4.0


def test_palms_ring_a_small_pond_by_their_trunks(model: ProceduralModel) -> None:
    plan = model.generate("A desert oasis with a pond ringed by palm trees.", 0)
    pond = next(e for e in plan.entities if e.kind == "garden pond")
    palms = [e for e in plan.entities if e.kind == "palm"]
    ang = sorted(math.atan2(p.position[0] - pond.position[0], p.position[2] - pond.position[2]) for p in palms)
    gaps = np.diff(ang + [ang[0] + 2 * math.pi])
    r = [math.hypot(p.position[0] - pond.position[0], p.position[2] - pond.position[2]) for p in palms]
    assert len(palms) >= 3 and max(r) <= 6.0 and math.degrees(gaps.max()) <= 150
