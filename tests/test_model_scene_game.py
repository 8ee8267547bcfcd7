"""The layout makes scenes a game can use: clear door aprons and walkways, every setting's default content, caps
reported, round-tripping plans, and things lined up along water, kerbs, banks and fences.

Like test_model_scene.py, each test hands the model a ``ParsedPrompt`` built by the contract (tests/scene_parse.py).
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from pipelines.models.kinds import KINDS
from pipelines.models.kinds.room import walkway
from pipelines.models.layout import overlap
from pipelines.models.placement import door_apron
from pipelines.models.procedural import ProceduralModel
from pipelines.models.settings import SETTINGS
from pipelines.models.terrain import road_line
from pipelines.plan import ScenePlan
from tests.plan_geometry import heading_error_deg, interpenetrating, item_of, on_dry_ground
from tests.scene_parse import mention, parsed

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "pipelines" / "schemas" / "plan.schema.json").read_text())

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def model() -> ProceduralModel:
    return ProceduralModel(embeddings=False)


# ---------------------------------------------------------------- a game can use it


@pytest.mark.parametrize("setting", ["village", "farm", "street", "market", "castle"])
def test_door_aprons_stay_clear(model: ProceduralModel, setting: str) -> None:
    plan = model.plan_from(parsed([mention("house", 4, "houses")], (setting,)), setting, 9)
    items = {e.id: item_of(e) for e in plan.entities}
    aprons = 0
    for e in plan.entities:
        apron = door_apron(items[e.id], *e.position[::2], e.yaw_deg)
        if apron is None or e.parent is not None:
            continue
        aprons += 1
        for o in plan.entities:
            if o.id != e.id and o.parent is None and items[o.id].height > 0.06:
                assert not overlap(apron, items[o.id].obb()), f"{o.id} blocks the door of {e.id}"
    assert aprons >= 4


@pytest.mark.parametrize("setting", ["tavern", "bedroom", "kitchen", "living room", "workshop", "bathroom"])
def test_interiors_keep_the_walkway_from_the_door_clear(model: ProceduralModel, setting: str) -> None:
    plan = model.plan_from(parsed([], (setting,)), setting, 2)
    assert plan.environment.kind == "interior"
    way = walkway(*plan.environment.size_m)
    for e in plan.entities:
        it = item_of(e)
        if e.parent is None and it.height > 0.06:
            assert not overlap(way, it.obb()), f"{e.id} stands in the walkway"
    assert interpenetrating(plan) == []
    extras = model.scene_extras(plan)["features"]
    assert len(extras["walls"]) == 2 and extras["walkway"]["width"] > 0.9


@pytest.mark.parametrize("setting", sorted(n for n, s in SETTINGS.items() if s.defaults))
def test_every_setting_builds_its_default_content(model: ProceduralModel, setting: str) -> None:
    plan = model.plan_from(parsed([], (setting,)), setting, 1)
    available = [e for e in SETTINGS[setting].defaults if any(n in KINDS for n in e[0].split("|"))]
    assert bool(plan.entities) == bool(available), setting  # defaults the catalog lacks are skipped
    wanted = {e[0].split("|")[0] for e in SETTINGS[setting].defaults}
    made = {e.kind for e in plan.entities}
    assert made <= {k for name in wanted for k in KINDS if k == name} | {
        k.name for e in SETTINGS[setting].defaults for k in [KINDS.get(n) for n in e[0].split("|")] if k
    }
    assert interpenetrating(plan) == []


def test_a_lake_gets_a_pier_and_a_boat_only_when_the_prompt_names_nothing_else(model: ProceduralModel) -> None:
    bare = {e.kind for e in model.plan_from(parsed([], ("lake",)), "a lake", 1).entities}
    assert {"pier", "boat"} <= bare
    named = parsed([mention("cabin", 1, "a log cabin", explicit=True)], ("lake",))
    kinds = {e.kind for e in model.plan_from(named, "a log cabin by a lake", 1).entities}
    assert "cabin" in kinds and not kinds & {"pier", "boat"}
    assert "reeds" in kinds  # nature still dresses the shore


def test_a_count_over_the_cap_is_cut_and_reported(model: ProceduralModel) -> None:
    p = parsed([mention("rock", 400, "four hundred rocks", explicit=True)], ("meadow",))
    plan = model.plan_from(p, "four hundred rocks", 1)
    assert len(plan.entities) <= 300
    assert any("four hundred rocks" in w for w in plan.warnings)


def test_scattered_things_spread_over_the_scene(model: ProceduralModel) -> None:
    plan = model.plan_from(parsed([mention("rock", 12, "scattered rocks", explicit=True)], ("desert",)), "rocks", 3)
    rocks = np.array([e.position[::2] for e in plan.entities if e.words == "scattered rocks"])
    size = plan.environment.size_m[0]
    assert (rocks.max(axis=0) - rocks.min(axis=0)).min() > 0.5 * size


def test_the_plan_keeps_the_trace_and_round_trips(model: ProceduralModel) -> None:
    trace = [{"words": "a rock", "kind": "rock", "count": 1, "attributes": [], "relation": "", "how": "catalog"}]
    plan = model.plan_from(parsed([mention("rock", 2, "rocks")], ("meadow",), trace=trace), "rocks", 1)
    data = json.loads(json.dumps(plan.to_dict()))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["trace"] == trace
    assert json.loads(json.dumps(ScenePlan.from_dict(data).to_dict())) == data


def test_the_same_parse_and_seed_give_the_same_plan(model: ProceduralModel) -> None:
    p = parsed(
        [mention("barrel", 5, "barrels", stacked=True), mention("pine", 3, "a grove of pines", collective="grove")],
        ("village",),
    )
    a = model.plan_from(p, "x", 12).to_dict()
    b = model.plan_from(p, "x", 12).to_dict()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_a_row_by_the_water_is_straight_and_faces_the_water(model: ProceduralModel) -> None:
    p = parsed(
        [mention("market stall", 4, "a row of stalls facing the water", placement="row", feature="water")], ("harbour",)
    )
    plan = model.plan_from(p, "a row of stalls facing the water", 2)
    stalls = [e for e in plan.entities if e.words.startswith("a row")]
    c = np.array([e.position[::2] for e in stalls])
    c0 = c - c.mean(axis=0)
    _, vecs = np.linalg.eigh(c0.T @ c0)
    assert np.abs(c0 @ vecs[:, 0]).max() < 0.6  # on one line
    for e in stalls:  # the sea lies towards +z
        assert heading_error_deg(e.yaw_deg, e.position[0], e.position[2], e.position[0], e.position[2] + 10) < 30


def test_parked_cars_line_the_kerb_and_street_furniture_the_road(model: ProceduralModel, monkeypatch) -> None:  # noqa: ANN001
    if "car" not in KINDS:  # the catalog may not have cars yet: a wagon stands in for one
        monkeypatch.setitem(KINDS, "car", dataclasses.replace(KINDS["wagon"], name="car"))
    p = parsed(
        [mention("car", 3, "parked cars", placement="line", feature="road"), mention("lamp post", 4, "street lamps")],
        ("street",),
        ("road",),
    )
    plan = model.plan_from(p, "parked cars along the road, street lamps", 3)
    line = road_line(plan.environment.params)
    width = plan.environment.params["road_w"]
    for e in plan.entities:
        pts = item_of(e).obb().samples(3)
        d = line.distance(pts[:, 0], pts[:, 1])
        if e.words == "parked cars":  # in the edge lane, along the road
            assert float(d.max()) <= width / 2 + 0.05 and float(d.min()) > 0.3, e.id
            tx, tz = line.tangent(e.position[2])
            assert abs(math.sin(math.radians(e.yaw_deg)) * tz - math.cos(math.radians(e.yaw_deg)) * tx) < 0.2
        elif e.words == "street lamps":
            assert width / 2 < float(d.min()) < width / 2 + 4.0, e.id
        else:
            assert float(d.min()) > width / 2, f"{e.id} stands on the road"


def test_trees_round_a_lake_stand_on_its_bank_all_round_it(model: ProceduralModel) -> None:
    p = parsed([mention("pine", 8, "pines round the lake", placement="shore", feature="lake")], ("lake",), ("lake",))
    plan = model.plan_from(p, "a lake surrounded by pines", 0)
    env = plan.environment.params
    pines = [e for e in plan.entities if e.words == "pines round the lake"]
    ang = sorted(math.atan2(e.position[0] - env["lake_x"], e.position[2] - env["lake_z"]) for e in pines)
    gaps = np.diff(ang + [ang[0] + 2 * math.pi])
    assert math.degrees(gaps.max()) < 150
    ground = model.ground(plan)
    for e in pines:
        assert math.hypot(e.position[0] - env["lake_x"], e.position[2] - env["lake_z"]) < env["lake_r"] * 1.7
        assert on_dry_ground(ground, plan, e), e.id


def test_willows_along_the_banks_line_both_sides_of_the_river(model: ProceduralModel) -> None:
    p = parsed(
        [mention("tree", 4, "willows along the banks", placement="shore", feature="river")],
        ("meadow", "river"),
        ("river",),
        feature_attributes={"river": ["winding"]},
    )
    plan = model.plan_from(p, "willows along the banks", 1)
    river = model.scene_extras(plan)["features"]["river"]
    pts = np.array(river["points"])
    trees = [e for e in plan.entities if e.words.startswith("willows")]
    for e in trees:
        d = float(np.hypot(pts[:, 0] - e.position[0], pts[:, 1] - e.position[2]).min())
        assert river["width"] / 2 < d < river["width"] / 2 + 8.0, e.id


def test_a_building_next_to_another_stands_close_on_shared_flat_ground(model: ProceduralModel) -> None:
    p = parsed(
        [mention("house", 1, "a house"), mention("tower", 1, "a tower next to it", placement="near", anchor=0)],
        ("meadow",),
    )
    plan = model.plan_from(p, "a house with a tower next to it", 4)
    house = next(e for e in plan.entities if e.kind == "house")
    tower = next(e for e in plan.entities if e.kind == "tower")
    assert tower.anchor == house.id
    a, b = item_of(house).obb(), item_of(tower).obb()
    assert not overlap(a, b, 0.5) and overlap(a, b, 2.5)  # close, not touching
    ground = model.ground(plan)
    for e in (house, tower):
        pts = item_of(e).obb().samples(5)
        h = ground.heightmap.height_at(pts[:, 0], pts[:, 1])
        assert np.abs(h - e.position[1]).max() < 0.05, e.id  # both stand on flat ground at their height


def test_animals_in_a_pen_stand_inside_its_closed_fence(model: ProceduralModel) -> None:
    p = parsed(
        [mention("goat", 4, "goats", placement="near", anchor=1), mention("fence", 1, "a pen", attributes=["pen"])],
        ("farm",),
    )
    for seed in (0, 1, 2):
        plan = model.plan_from(p, "a farm with goats in a pen", seed)
        pen = next(e for e in plan.entities if e.kind == "fence" and e.attributes == ["pen"])
        yard = item_of(pen)
        shape = yard.shape
        posts = dict(shape.parts)["posts"]
        # the pen is closed: posts on all four sides of its yard, and the yard's middle is open ground
        assert posts.lo[0] < -3.5 and posts.hi[0] > 3.5 and posts.lo[2] < -2.5 and posts.hi[2] > 2.5
        goats = [e for e in plan.entities if e.kind == "goat"]
        assert len(goats) == 4
        box = yard.obb()
        c, s = math.cos(math.radians(box.yaw_deg)), math.sin(math.radians(box.yaw_deg))
        for g in goats:
            for x, z in item_of(g).obb().corners():  # every corner inside the fence, clear of it
                u, v = c * (x - box.x) - s * (z - box.z), s * (x - box.x) + c * (z - box.z)
                assert abs(u) < box.hx - 0.2 and abs(v) < box.hz - 0.2, (seed, g.id)
        assert not [pair for pair in interpenetrating(plan) if "fence_01" not in pair], seed


def test_a_jetty_with_a_cabin_reaches_into_the_lake_beside_its_cabin(model: ProceduralModel) -> None:
    p = parsed(
        [
            mention("cabin", 1, "a cabin", placement="shore", feature="lake"),
            mention("pier", 1, "a jetty", placement="into_water", anchor=0, feature="water"),
        ],
        ("lake",),
        ("lake", "water"),
    )
    for seed in (0, 1, 2):
        plan = model.plan_from(p, "a cabin by the lake with a jetty reaching into the water", seed)
        cabin = next(e for e in plan.entities if e.kind == "cabin")
        pier = next(e for e in plan.entities if e.kind == "pier")
        gap = math.dist((cabin.position[0], cabin.position[2]), (pier.position[0], pier.position[2]))
        assert gap < item_of(cabin).radius + item_of(pier).radius + 4.0, (seed, gap)
        assert pier.anchor == cabin.id


def test_ducks_on_a_pond_are_as_many_as_said_not_one(model: ProceduralModel) -> None:
    p = parsed(
        [mention("garden pond", 1, "a pond"), mention("duck", 5, "ducks", placement="on", anchor=0)],
        ("park",),
    )
    plan = model.plan_from(p, "a park with a pond with ducks", 0)
    pond = next(e for e in plan.entities if e.kind == "garden pond")
    ducks = [e for e in plan.entities if e.kind == "duck"]
    assert len(ducks) == 5 and all(d.parent == pond.id for d in ducks)
    assert not interpenetrating(plan)


def test_a_ring_round_a_thing_placed_by_another_still_goes_all_round(model: ProceduralModel) -> None:
    p = parsed(
        [
            mention("gazebo", 1, "a gazebo", placement="near", anchor=2),
            mention("flowering shrub", 5, "hydrangeas", placement="ring", anchor=0),
            mention("garden pond", 1, "a koi pond", placement="center"),
        ],
    )
    for seed in (0, 1, 2):
        plan = model.plan_from(p, "a gazebo surrounded by hydrangeas next to a koi pond", seed)
        gazebo = next(e for e in plan.entities if e.kind == "gazebo")
        reach = item_of(gazebo).radius + 3.0
        angles = sorted(
            math.degrees(math.atan2(e.position[0] - gazebo.position[0], e.position[2] - gazebo.position[2])) % 360
            for e in plan.entities
            if e.kind == "flowering shrub"
            and math.dist((e.position[0], e.position[2]), (gazebo.position[0], gazebo.position[2])) <= reach
        )
        assert len(angles) == 5, (seed, angles)
        gaps = [(b - a) % 360 for a, b in zip(angles, angles[1:] + angles[:1])]
        assert max(gaps) <= 150, (seed, gaps)
