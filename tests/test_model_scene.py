"""The layout honours what the reader understood: relations, collectives, stacks, attributes, props, settings.

Each test hands the model a ``ParsedPrompt`` built by the contract (tests/scene_parse.py) and checks the
plan's geometry: where things stand, on what, facing which way, and that nothing interpenetrates.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections import Counter
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from pipelines.models.kinds import KINDS
from pipelines.models.kinds.room import walkway
from pipelines.models.layout import Item, overlap
from pipelines.models.placement import door_apron
from pipelines.models.procedural import ProceduralModel
from pipelines.models.settings import SETTINGS
from pipelines.models.terrain import road_line
from pipelines.plan import ScenePlan
from tests.scene_parse import mention, parsed

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "pipelines" / "schemas" / "plan.schema.json").read_text())
WALL_TOUCH_M = 0.1

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def model() -> ProceduralModel:
    return ProceduralModel(embeddings=False)


def item_of(e) -> Item:  # noqa: ANN001
    kind = KINDS[e.kind]
    return Item(
        kind=kind,
        shape=kind.shape(e.params),
        scale=e.scale,
        x=e.position[0],
        z=e.position[2],
        yaw_deg=e.yaw_deg,
        placement=e.placement,  # a building lining the road keeps the shallower street apron (footprints.door_apron)
        feature=e.anchor if e.anchor in ("road", "river", "lake", "water", "pass", "walls") else None,
    )


def heading_error_deg(yaw: float, x: float, z: float, tx: float, tz: float) -> float:
    """Return how far (degrees) a front turned by ``yaw`` is from pointing at (tx, tz)."""
    want = math.degrees(math.atan2(tx - x, tz - z))
    return abs((yaw - want + 180) % 360 - 180)


def interpenetrating(plan: ScenePlan) -> list[tuple[str, str]]:
    """Return pairs of objects whose boxes (footprint and height span) intersect, parents and their loads aside."""
    flat = plan.environment.kind == "terrain"
    boxes = []
    for e in plan.entities:
        it = item_of(e)
        y0 = 0.0 if flat and e.parent is None else e.position[1]
        boxes.append((e, it.obb(), y0, y0 + it.height))
    bad = []
    for i, (a, fa, a0, a1) in enumerate(boxes):
        for b, fb, b0, b1 in boxes[i + 1 :]:
            if a.parent == b.id or b.parent == a.id or a1 - a0 < 0.06 or b1 - b0 < 0.06:
                continue
            if min(a1, b1) - max(a0, b0) > 1e-3 and overlap(fa, fb, -0.01):
                bad.append((a.id, b.id))
    return bad


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
        assert (
            float(ground.heightmap.height_at(e.position[0], e.position[2], which="ground"))
            > plan.environment.water_level
        )


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
        assert (
            float(ground.heightmap.height_at(e.position[0], e.position[2], which="ground"))
            > plan.environment.water_level
        )


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
