"""Layout: objects stand on the ground (not floating, not buried), apart from each other, inside the scene."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from pipelines.models.kinds import KINDS
from pipelines.models.layout import Item, overlap
from pipelines.models.procedural import ProceduralModel
from pipelines.plan import ScenePlan

PROMPTS = {
    "village": "A small village on a meadow: five houses with red roofs around a stone well, a wooden fence along "
    "the road, a few oak trees and some rocks.",
    "island": "a tropical island surrounded by water: palm trees, a thatched hut, a wooden pier and two boats",
    "snowy": "a snowy mountain pass: a stone watchtower on a hill, pine trees on both sides of the road, boulders",
    "canyon": "a desert canyon with rock pillars, boulders, cacti and a tent",
    "tavern": "a tavern with a bar counter, stools, three tables with chairs around them and candles on the tables",
}
FLOAT_TOL_M = 0.05  # how far above the ground a lowest point may be
BURY_TOL_M = 0.8  # how far below the ground a pivot may sink (on a slope, under a foundation)

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module", params=sorted(PROMPTS))
def scene(request):  # noqa: ANN001, ANN201
    model = ProceduralModel(embeddings=False)
    plan = model.generate(PROMPTS[request.param], 11)
    return plan, model.fields(plan, "cpu")


def _footprint(e) -> Item:  # noqa: ANN001
    kind = KINDS[e.kind]
    return Item(
        kind=kind, shape=kind.shape(e.params), scale=e.scale, x=e.position[0], z=e.position[2], yaw_deg=e.yaw_deg
    )


def _lowest_surface_point(f, res: int = 28) -> tuple[np.ndarray, float]:  # noqa: ANN001
    """Return the lowest point of the field's surface in world coordinates, and the grid step."""
    lo, hi = np.array(f.bounds_min), np.array(f.bounds_max)
    step = (hi - lo).max() / res
    axes = [torch.arange(lo[i], hi[i] + step, step, dtype=torch.float32) for i in range(3)]
    p = torch.stack(torch.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 3)
    d = f.sdf(p)
    near = p[d.abs() < 0.9 * step]
    q = near[int(torch.argmin(near[:, 1]))].double().numpy()
    c, s = math.cos(math.radians(f.yaw_deg)), math.sin(math.radians(f.yaw_deg))
    t = f.translation
    return np.array([c * q[0] + s * q[2] + t[0], q[1] + t[1], -s * q[0] + c * q[2] + t[2]]), float(step)


def test_every_object_stands_on_the_ground(scene) -> None:  # noqa: ANN001
    plan, fields = scene
    ground = fields[0]
    for e, f in zip(plan.entities, fields[1:]):
        if e.parent is not None:
            continue
        low, step = _lowest_surface_point(f)
        h_low = float(ground.height_at(np.array([low[0]]), np.array([low[2]]))[0])
        assert low[1] <= h_low + FLOAT_TOL_M + step, f"{e.id} floats {low[1] - h_low:.2f} m above the ground"
        h_pivot = float(ground.height_at(np.array([e.position[0]]), np.array([e.position[2]]))[0])
        assert e.position[1] <= h_pivot + FLOAT_TOL_M, f"{e.id}: pivot {e.position[1] - h_pivot:.2f} m up"
        assert e.position[1] >= h_pivot - BURY_TOL_M, f"{e.id}: pivot buried {h_pivot - e.position[1]:.2f} m"


def test_objects_on_a_parent_stand_on_its_top(scene) -> None:  # noqa: ANN001
    plan, _ = scene
    by_id = {e.id: e for e in plan.entities}
    for e in plan.entities:
        if e.parent is not None:
            parent = by_id[e.parent]
            top = parent.position[1] + KINDS[parent.kind].shape(parent.params).hi[1] * parent.scale
            assert e.position[1] == pytest.approx(top, abs=1e-3)
            assert overlap(_footprint(e).obb(), _footprint(parent).obb()), f"{e.id} is not over {parent.id}"


def test_footprints_do_not_overlap(scene) -> None:  # noqa: ANN001
    plan, _ = scene
    free = [(e, _footprint(e).obb()) for e in plan.entities if e.parent is None]
    for i, (a, fa) in enumerate(free):
        for b, fb in free[i + 1 :]:
            assert not overlap(fa, fb), f"{a.id} and {b.id} overlap"


def test_objects_stay_inside_the_scene(scene) -> None:  # noqa: ANN001
    plan, _ = scene
    hx, hz = plan.environment.size_m[0] / 2, plan.environment.size_m[1] / 2
    for e in plan.entities:
        for x, z in _footprint(e).obb().corners():
            assert abs(x) <= hx + 1e-6 and abs(z) <= hz + 1e-6, e.id


def test_ring_faces_its_centre() -> None:
    plan: ScenePlan = ProceduralModel(embeddings=False).generate("six huts around a fountain", 4)
    fountain = next(e for e in plan.entities if e.kind == "fountain")
    for e in plan.entities:
        if e.kind == "hut":
            want = math.degrees(math.atan2(fountain.position[0] - e.position[0], fountain.position[2] - e.position[2]))
            assert abs((e.yaw_deg - want + 180) % 360 - 180) < 30


@pytest.mark.parametrize(
    "prompt",
    [
        "Ein Zeltlager am See mit drei Zelten um ein Lagerfeuer und einem Kanu am Ufer.",
        "A camp by a lake with three tents around a campfire.",
    ],
)
def test_a_ring_by_a_lake_stays_whole(prompt: str) -> None:
    """The fire stands back from the shore, so the tents ring it evenly and close rather than where the lake leaves room."""
    plan: ScenePlan = ProceduralModel(embeddings=False).generate(prompt, 0)
    fire = next(e for e in plan.entities if e.kind == "campfire")
    tents = [e for e in plan.entities if e.kind == "tent"]
    dx = [(t.position[0] - fire.position[0], t.position[2] - fire.position[2]) for t in tents]
    assert len(tents) == 3 and max(math.hypot(*d) for d in dx) < 8.0
    ang = np.sort([math.atan2(z, x) for x, z in dx])
    gaps = np.diff(np.concatenate([ang, ang[:1] + 2 * math.pi]))
    assert math.degrees(gaps.max()) < 150.0
