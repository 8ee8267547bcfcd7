"""The layout honours what the reader understood: relations, collectives, stacks, attributes, props, settings.

Each test hands the model a ``ParsedPrompt`` built by the contract (tests/scene_parse.py) and checks the
plan's geometry: where things stand, on what, facing which way, and that nothing interpenetrates.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter

import numpy as np
import pytest

from pipelines.models.kinds import KINDS
from pipelines.models.procedural import ProceduralModel
from pipelines.models.terrain import road_line
from pipelines.plan import ScenePlan
from tests.plan_geometry import heading_error_deg, interpenetrating, item_of, on_dry_ground
from tests.scene_parse import mention, parsed

WALL_TOUCH_M = 0.1

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def model() -> ProceduralModel:
    return ProceduralModel(embeddings=False)


# ---------------------------------------------------------------- the cases


@pytest.fixture(scope="module")
def tavern(model: ProceduralModel) -> ScenePlan:
    p = parsed(
        [
            mention(
                "barrel",
                6,
                "barrels stacked against the wall",
                placement="against",
                feature="walls",
                stacked=True,
                relation_words="stacked against the wall",
            )
        ],
        ("tavern",),
    )
    return model.plan_from(p, "a tavern with barrels stacked against the wall", 5)


def test_barrels_stacked_against_the_wall_touch_the_room_walls(tavern: ScenePlan) -> None:
    hw, hd = tavern.environment.size_m[0] / 2, tavern.environment.size_m[1] / 2
    barrels = [e for e in tavern.entities if e.words.startswith("barrels stacked")]
    assert len(barrels) == 6 and not any(e.kind == "wall" for e in tavern.entities)
    for e in barrels:
        box = item_of(e).obb()
        xs, zs = zip(*box.corners())
        assert min(min(zs) + hd, min(xs) + hw) < WALL_TOUCH_M, (
            f"{e.id} stands {min(min(zs) + hd, min(xs) + hw):.2f} m off"
        )


def test_stacked_barrels_stand_on_each_other_two_or_three_high(tavern: ScenePlan) -> None:
    by_id = {e.id: e for e in tavern.entities}
    barrels = [e for e in tavern.entities if e.words.startswith("barrels stacked")]
    height = {}
    for e in barrels:
        n, below = 1, e
        while below.support in by_id:
            below = by_id[below.support]
            assert below.kind == "barrel"
            n += 1
        height[e.id] = n
        if e.support in by_id:
            under = by_id[e.support]
            top = under.position[1] + KINDS["barrel"].shape(under.params).hi[1] * under.scale
            assert e.position[1] == pytest.approx(top, abs=1e-3)
            assert math.hypot(e.position[0] - under.position[0], e.position[2] - under.position[2]) < 0.1
        else:
            assert e.support == "floor" and e.position[1] == 0.0
    assert 2 <= max(height.values()) <= 3
    assert sum(e.support != "floor" for e in barrels) >= 3


def test_nothing_interpenetrates_in_the_tavern(tavern: ScenePlan) -> None:
    assert interpenetrating(tavern) == []


@pytest.fixture(scope="module")
def mountain_pass(model: ProceduralModel) -> ScenePlan:
    p = parsed(
        [mention("pine", 4, "pine forest", placement="both_sides", feature="pass", collective="forest")],
        ("mountain",),
        ("pass",),
    )
    return model.plan_from(p, "a mountain pass with pine forest on both sides", 3)


def test_a_pine_forest_on_both_sides_of_the_pass_has_many_pines_on_each_side(mountain_pass: ScenePlan) -> None:
    pines = [e for e in mountain_pass.entities if e.words == "pine forest"]
    width = mountain_pass.environment.params["valley_w"]
    west = [e for e in pines if e.position[0] < 0]
    east = [e for e in pines if e.position[0] > 0]
    assert len(west) >= 8 and len(east) >= 8, (len(west), len(east))
    assert all(abs(e.position[0]) < width / 2 + 16.0 for e in pines)  # in the bands, not anywhere in the scene
    assert all(e.placement == "both_sides" and e.anchor == "pass" and e.support == "ground" for e in pines)
    extras = ProceduralModel(embeddings=False).scene_extras(mountain_pass)
    assert extras["features"]["pass"] == {"axis": "z", "x": 0.0, "width": width}
    for e in mountain_pass.entities:  # the way through the pass stays clear
        xs = [x for x, _ in item_of(e).obb().corners()]
        assert min(xs) > width / 2 or max(xs) < -width / 2, e.id


def test_four_tables_with_chairs_get_chairs_at_every_table_facing_it(model: ProceduralModel) -> None:
    p = parsed(
        [mention("table", 4, "four tables", explicit=True), mention("chair", 4, "chairs", placement="ring", anchor=0)],
        ("tavern",),
    )
    plan = model.plan_from(p, "a tavern with four tables with chairs", 2)
    by_id = {e.id: e for e in plan.entities}
    tables = [e for e in plan.entities if e.words == "four tables"]
    chairs = [e for e in plan.entities if e.words == "chairs"]
    assert len(tables) == 4 and len(chairs) == 16
    assert Counter(c.anchor for c in chairs) == {t.id: 4 for t in tables}
    for c in chairs:
        t = by_id[c.anchor]
        assert math.hypot(c.position[0] - t.position[0], c.position[2] - t.position[2]) < 1.6
        assert heading_error_deg(c.yaw_deg, c.position[0], c.position[2], t.position[0], t.position[2]) < 50
    assert interpenetrating(plan) == []


def test_round_tables_seat_their_chairs_evenly_around(model: ProceduralModel, monkeypatch) -> None:  # noqa: ANN001
    table = KINDS["table"]
    if "round" not in table.attributes:  # the catalog may not have it yet: give the table one for this test
        monkeypatch.setitem(KINDS, "table", dataclasses.replace(table, attributes={"round": {"params": {}}}))
    p = parsed(
        [
            mention("table", 2, "two round tables", explicit=True, attributes=["round"]),
            mention("chair", 4, "chairs", placement="ring", anchor=0),
        ],
        ("tavern",),
    )
    plan = model.plan_from(p, "two round tables with chairs", 4)
    tables = [e for e in plan.entities if e.kind == "table" and e.attributes == ["round"]]
    assert len(tables) == 2
    for t in tables:
        chairs = [e for e in plan.entities if e.kind == "chair" and e.anchor == t.id]
        assert len(chairs) == 4
        angles = sorted(
            math.degrees(math.atan2(c.position[0] - t.position[0], c.position[2] - t.position[2])) % 360 for c in chairs
        )
        gaps = [(b - a) % 360 for a, b in zip(angles, angles[1:] + angles[:1])]
        assert min(gaps) > 30, gaps  # spread around it, not bunched on one side


def test_a_single_named_object_is_a_prop_standing_at_the_origin(model: ProceduralModel) -> None:
    plan = model.plan_from(parsed([mention("rock", 1, "a rock")], prop=True), "a rock", 1)
    assert plan.environment.kind == "prop" and [e.kind for e in plan.entities] == ["rock"]
    fields = model.fields(plan, "cpu")
    assert len(fields) == 1 and fields[0].translation == (0.0, 0.0, 0.0)
    f = fields[0]
    assert -0.1 < f.bounds_min[1] < 0.0  # its lowest point is at y = 0 (bounds keep a small margin)
    assert abs(f.bounds_min[0] + f.bounds_max[0]) < 0.05 and abs(f.bounds_min[2] + f.bounds_max[2]) < 0.05
    rock = KINDS["rock"]
    lo, hi = rock.ranges.get("size", (0.5, 3.0)) if "size" in rock.ranges else (0.5, 3.0)
    assert lo * 0.5 < f.bounds_max[0] - f.bounds_min[0] < hi * 2  # a real rock's size, from the kind's ranges
    assert model.scene_extras(plan)["kind"] == "prop"


# ---------------------------------------------------------------- attributes and features


def test_attributes_change_params_and_part_materials(model: ProceduralModel, monkeypatch) -> None:  # noqa: ANN001
    bush = KINDS["bush"]
    dry = {"params": {}, "parts": {"leaves": "leaves:brown"}}
    monkeypatch.setitem(KINDS, "bush", dataclasses.replace(bush, attributes={**bush.attributes, "dry": dry}))
    p = parsed([mention("bush", 3, "dry bushes", attributes=["dry"]), mention("bush", 2, "bushes")], ("meadow",))
    plan = model.plan_from(p, "dry bushes and bushes", 6)
    dry_ones = [e for e in plan.entities if e.words == "dry bushes"]
    assert len(dry_ones) == 3 and all(e.attributes == ["dry"] for e in dry_ones)
    assert all(e.materials["leaves"].base_color == pytest.approx((0.45, 0.29, 0.16), abs=0.06) for e in dry_ones)
    assert all(model.fields(plan)[plan.entities.index(e) + 1].extras["attributes"] == ["dry"] for e in dry_ones)


def test_a_frozen_lake_is_ice_and_carries_no_boats(model: ProceduralModel) -> None:
    p = parsed(
        [mention("boat", 2, "two boats", explicit=True, placement="water", feature="lake")],
        ("lake",),
        ("lake",),
        feature_attributes={"lake": ["frozen"]},
    )
    plan = model.plan_from(p, "two boats on a frozen lake", 4)
    assert plan.environment.materials["water"].name == "ice"
    assert model.scene_extras(plan)["frozen"] is True
    boats = [e for e in plan.entities if e.kind == "boat"]
    assert len(boats) == 2 and all(e.support == "ground" for e in boats)
    ground = model.ground(plan)
    for e in boats:  # drawn up on the bank, not on the ice
        assert on_dry_ground(ground, plan, e), e.id


def test_a_winding_road_bends_and_what_lines_it_stays_off_it(model: ProceduralModel) -> None:
    p = parsed(
        [mention("house", 4, "houses", placement="line", feature="road")],
        ("meadow",),
        ("road",),
        feature_attributes={"road": ["winding"]},
    )
    plan = model.plan_from(p, "houses along a winding road", 8)
    road = model.scene_extras(plan)["features"]["road"]
    xs = [x for x, _ in road["points"]]
    assert max(xs) - min(xs) > 6.0  # it bends
    line = road_line(plan.environment.params)
    for e in plan.entities:
        box = item_of(e).obb()
        pts = box.samples(3)
        assert float(line.distance(pts[:, 0], pts[:, 1]).min()) > road["width"] / 2, e.id
    dense = np.array(line.polyline(-100.0, 100.0, 0.2))
    for e in (e for e in plan.entities if e.kind == "house"):
        cx, cz = dense[int(np.argmin(np.hypot(dense[:, 0] - e.position[0], dense[:, 1] - e.position[2])))]
        assert heading_error_deg(e.yaw_deg, e.position[0], e.position[2], cx, cz) < 25, e.id  # facing the street


def test_to_the_north_of_puts_it_on_the_minus_z_side(model: ProceduralModel) -> None:
    p = parsed(
        [
            mention("house", 1, "a house"),
            mention("well", 1, "a well", placement="direction", anchor=0, direction="north"),
        ],
        ("meadow",),
    )
    plan = model.plan_from(p, "a house and a well to the north of it", 3)
    house = next(e for e in plan.entities if e.kind == "house")
    well = next(e for e in plan.entities if e.kind == "well")
    assert well.position[2] < house.position[2] - 2.0 and well.anchor == house.id
