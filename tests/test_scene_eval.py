"""The scene evaluation suite (issue 16 §8): prompt files, the split, and the scorer on hand-built scenes.

Each scorer check is shown to pass on a scene that does what the words say and to
fail on one that does not, with scenes built here (trimesh meshes written with
pygltflib) and read back through the scorer's own GLB reader.
"""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from tests.scene_eval import checklist
from tests.scene_eval.checks_scene import ALL_CHECKS, run_check
from tests.scene_eval.handmade import (
    Item,
    box,
    chair,
    cylinder,
    ground,
    room,
    table,
    write_glb,
)
from tests.scene_eval.kinds import EXISTING, PLANNED
from tests.scene_eval.scene import load_scene
from tests.validator import validate_gltf

PROMPTS = checklist.load_prompts("all")


def score(tmp_path: Path, spec: dict, items: list[Item], **kw) -> float:
    glb = write_glb(tmp_path / "s" / "s.glb", items, **kw)
    return run_check(load_scene(glb), spec)[0]


# --- the prompt files -------------------------------------------------------------------------


def test_at_least_80_prompts_every_one_with_checks():
    assert len(PROMPTS) >= 80
    assert all(len(p.checks) >= 2 for p in PROMPTS), [p.name for p in PROMPTS if len(p.checks) < 2]
    assert len({p.name for p in PROMPTS}) == len(PROMPTS), "prompt names repeat across the splits"


def test_every_check_names_planned_kinds_and_known_types():
    bad = []
    for p in PROMPTS:
        for c in p.all_checks():
            if c["type"] not in ALL_CHECKS:
                bad.append((p.name, "type", c["type"]))
            for key in ("kinds", "of"):
                bad += [(p.name, key, k) for k in c.get(key) or () if k not in PLANNED]
            if c.get("feature") and c["feature"] not in checklist.FEATURES:
                bad.append((p.name, "feature", c["feature"]))
    assert not bad


def test_split_is_balanced_across_categories():
    per = collections.Counter((p.split, p.category) for p in PROMPTS)
    for cat in checklist.CATEGORIES:
        # Half held out: each batch of dev prompts written later gets as many new held-out ones, by category
        assert per["dev", cat] == per["heldout", cat] >= 2, cat
    langs = {p.lang for p in PROMPTS if p.category == "foreign"}
    assert {"fr", "es", "de"} <= langs
    styles = collections.Counter(p.style for p in PROMPTS)
    assert min(styles["short"], styles["long"], styles["list"]) >= 8


def test_today_catalog_is_inside_the_planned_names():
    from pipelines.models.kinds import KINDS

    assert EXISTING <= set(KINDS) | PLANNED
    assert set(KINDS) <= PLANNED, sorted(set(KINDS) - PLANNED)


def test_handmade_glb_passes_the_khronos_validator(tmp_path):
    glb = write_glb(tmp_path / "v" / "v.glb", [Item("chair_01", "chair", chair(), (1, 0, 1), 30)], ground())
    issues = validate_gltf(glb)["issues"]
    assert (issues["numErrors"], issues["numWarnings"]) == (0, 0)


# --- the scorer: each check passes on the right scene and fails on the wrong one -----------------


def test_stacked_barrel_passes_floating_one_fails(tmp_path):
    lower = Item("barrel_01", "barrel", cylinder(0.3, 0.9), (0, 0, 0))
    stacked = Item("barrel_02", "barrel", cylinder(0.3, 0.9), (0, 0.9, 0))
    floating = Item("barrel_02", "barrel", cylinder(0.3, 0.9), (0, 1.4, 0))
    spec = {"type": "stacked", "kinds": ["barrel"]}
    assert score(tmp_path, spec, [lower, stacked], ground_mesh=ground()) == 1.0
    assert score(tmp_path, spec, [lower, floating], ground_mesh=ground()) == 0.0
    support = {"type": "support"}
    assert score(tmp_path, support, [lower, stacked], ground_mesh=ground()) == 1.0
    assert score(tmp_path, support, [lower, floating], ground_mesh=ground()) == 0.5


def test_interpenetrating_boxes_fail_touching_ones_pass(tmp_path):
    a = Item("crate_01", "crate", box(1, 1, 1), (0, 0, 0))
    touching = Item("crate_02", "crate", box(1, 1, 1), (1.0, 0, 0))
    inside = Item("crate_02", "crate", box(1, 1, 1), (0.5, 0, 0.2))
    spec = {"type": "no_overlap"}
    assert score(tmp_path, spec, [a, touching], ground_mesh=ground()) == 1.0
    assert score(tmp_path, spec, [a, inside], ground_mesh=ground()) == 0.0


def test_chair_facing_the_table_passes_facing_away_fails(tmp_path):
    t = Item("table_01", "table", table(), (0, 0, 0))
    toward = Item("chair_01", "chair", chair(), (0, 0, -1.1), 0)  # front +Z points at the table
    away = Item("chair_01", "chair", chair(), (0, 0, -1.1), 180)
    spec = {"type": "faces", "kinds": ["chair"], "of": ["table"]}
    assert score(tmp_path, spec, [t, toward]) == 1.0
    assert score(tmp_path, spec, [t, away]) == 0.0
    near = {"type": "near", "kinds": ["chair"], "of": ["table"], "dist": 1.0}
    assert score(tmp_path, near, [t, toward]) == 1.0
    assert score(tmp_path, near, [t, Item("chair_01", "chair", chair(), (0, 0, -3.5))]) == 0.0


@pytest.mark.parametrize("walls_in_extras", [True, False])
def test_barrel_against_the_wall_and_one_in_the_room(tmp_path, walls_in_extras):
    extras = {
        "kind": "interior",
        "size_m": [8, 6],
        "features": {
            "walls": [
                {"from": [-4, -3], "to": [4, -3], "normal": [0, 1]},
                {"from": [-4, -3], "to": [-4, 3], "normal": [1, 0]},
            ]
        },
    }
    kw = {"ground_mesh": room(), "ground_kind": "room", "scene": extras if walls_in_extras else None}
    spec = {"type": "against", "kinds": ["barrel"], "feature": "walls"}
    at_wall = Item("barrel_01", "barrel", cylinder(0.3, 0.9), (1.0, 0, -2.65))
    mid_room = Item("barrel_01", "barrel", cylinder(0.3, 0.9), (1.0, 0, -1.3))
    assert score(tmp_path, spec, [at_wall], **kw) == 1.0
    assert score(tmp_path, spec, [mid_room], **kw) == 0.0


def test_round_table_attribute_needs_the_word_and_the_shape(tmp_path):
    spec = {"type": "attribute", "kinds": ["table"], "attribute": "round"}
    named_round = Item("table_01", "table", table("round"), extras={"attributes": ["round"]})
    named_square = Item("table_01", "table", table("square"), extras={"attributes": ["round"]})
    unnamed_round = Item("table_01", "table", table("round"))
    assert score(tmp_path, spec, [named_round]) == 1.0
    assert score(tmp_path, spec, [named_square]) == 0.0
    assert score(tmp_path, spec, [unnamed_round]) == 0.0


def test_counts_absence_and_variety(tmp_path):
    items = [Item(f"table_0{i}", "table", table(), (3 * i, 0, 0)) for i in range(4)]
    items.append(Item("wall_01", "wall", box(6, 3, 0.5), (0, 0, 8)))
    assert score(tmp_path, {"type": "count", "kinds": ["table"], "min": 4, "max": 4}, items) == 1.0
    assert score(tmp_path, {"type": "count", "kinds": ["table"], "min": 5}, items) == 0.0
    assert score(tmp_path, {"type": "absent", "kinds": ["wall", "tower"]}, items) == 0.0
    assert score(tmp_path, {"type": "absent", "kinds": ["tower"]}, items) == 1.0
    assert score(tmp_path, {"type": "variety", "kinds": ["table", "wall", "bed"], "min": 2}, items) == 1.0
    assert score(tmp_path, {"type": "variety", "kinds": ["table", "bed"], "min": 2}, items) == 0.0


def test_candle_on_the_table_not_on_the_floor(tmp_path):
    t = Item("table_01", "table", table(), (0, 0, 0))
    spec = {"type": "on", "kinds": ["candle"], "of": ["table"]}
    assert score(tmp_path, spec, [t, Item("candle_01", "candle", cylinder(0.03, 0.2), (0.3, 0.75, 0.2))]) == 1.0
    assert score(tmp_path, spec, [t, Item("candle_01", "candle", cylinder(0.03, 0.2), (1.5, 0, 0))]) == 0.0


def test_pines_on_both_sides_of_the_pass(tmp_path):
    scene = {"kind": "terrain", "size_m": [40, 40], "features": {"pass": {"axis": "z", "x": 0.0, "width": 8.0}}}
    both = [Item(f"pine_{i}", "pine", cylinder(1, 6), (s * 10, 0, 6 * i - 6)) for i in range(3) for s in (-1, 1)]
    one = [Item(f"pine_{i}", "pine", cylinder(1, 6), (10, 0, 3 * i - 9)) for i in range(6)]
    spec = {"type": "both_sides", "kinds": ["pine"], "feature": "pass", "min_each": 3}
    assert score(tmp_path, spec, both, ground_mesh=ground(), scene=scene) == 1.0
    assert score(tmp_path, spec, one, ground_mesh=ground(), scene=scene) == 0.5
    clear = {"type": "clear_path", "feature": "pass"}
    assert score(tmp_path, clear, both, ground_mesh=ground(), scene=scene) == 1.0
    in_pass = both + [Item("pine_9", "pine", cylinder(1, 6), (0.5, 0, 0))]
    assert score(tmp_path, clear, in_pass, ground_mesh=ground(), scene=scene) == 0.0


def test_ring_around_versus_all_on_one_side(tmp_path):
    well = Item("well_01", "well", cylinder(1, 1), (0, 0, 0))
    ring = [
        Item(
            f"bench_{i}",
            "bench",
            box(1.5, 0.5, 0.5),
            (3 * __import__("math").cos(i * 1.57), 0, 3 * __import__("math").sin(i * 1.57)),
        )
        for i in range(4)
    ]
    side = [Item(f"bench_{i}", "bench", box(1.5, 0.5, 0.5), (3, 0, 2 * i - 3)) for i in range(4)]
    spec = {"type": "around", "kinds": ["bench"], "of": ["well"]}
    assert score(tmp_path, spec, [well, *ring]) == 1.0
    assert score(tmp_path, spec, [well, *side]) == 0.0


def test_row_and_scatter(tmp_path):
    in_row = [Item(f"tent_{i}", "tent", box(2, 2, 2), (4 * i, 0, 0)) for i in range(5)]
    zigzag = [Item(f"tent_{i}", "tent", box(2, 2, 2), (4 * i, 0, 3 * (i % 2))) for i in range(5)]
    assert score(tmp_path, {"type": "row", "kinds": ["tent"]}, in_row) == 1.0
    assert score(tmp_path, {"type": "row", "kinds": ["tent"]}, zigzag) == 0.0
    spread = [
        Item(f"sheep_{i}", "sheep", box(1, 1, 1), xz)
        for i, xz in enumerate([(-15, 0, -12), (14, 0, -10), (0, 0, 13), (-12, 0, 9), (11, 0, 12)])
    ]
    huddle = [Item(f"sheep_{i}", "sheep", box(1, 1, 1), (1.2 * i, 0, 0)) for i in range(5)]
    kw = {"ground_mesh": ground(40.0)}
    assert score(tmp_path, {"type": "scattered", "kinds": ["sheep"]}, spread, **kw) == 1.0
    assert score(tmp_path, {"type": "scattered", "kinds": ["sheep"]}, huddle, **kw) == 0.0


def test_pier_into_the_water_and_boat_on_it(tmp_path):
    shore = ground(40.0, lambda x, z: (x > 0) * 0.0 + (x <= 0) * 1.0)  # land at y 1 west of x 0, water at 0 east
    scene = {"kind": "terrain", "size_m": [40, 40], "water_level": 0.0}
    pier = Item("pier_01", "pier", box(10, 0.3, 2), (0, 1.0, 0))
    inland = Item("pier_01", "pier", box(6, 0.3, 2), (-10, 1.0, 0))
    spec = {"type": "into_water", "kinds": ["pier"]}
    assert score(tmp_path, spec, [pier], ground_mesh=shore, scene=scene) == 1.0
    assert score(tmp_path, spec, [inland], ground_mesh=shore, scene=scene) == 0.0
    boat = {"type": "on_water", "kinds": ["boat"]}
    afloat = Item("boat_01", "boat", box(1.5, 0.8, 4), (10, -0.3, 5))
    beached = Item("boat_01", "boat", box(1.5, 0.8, 4), (-10, 1.0, 5))
    assert score(tmp_path, boat, [afloat], ground_mesh=shore, scene=scene) == 1.0
    assert score(tmp_path, boat, [beached], ground_mesh=shore, scene=scene) == 0.0


def test_bridge_across_the_river_and_willows_along_it(tmp_path):
    scene = {
        "kind": "terrain",
        "size_m": [40, 40],
        "features": {"river": {"points": [[0, -20], [0, 0], [2, 20]], "width": 4.0}},
    }
    across = Item("bridge_01", "bridge", box(8, 1, 3), (0.2, 0, 0))
    beside = Item("bridge_01", "bridge", box(3, 1, 8), (6, 0, 0))
    spec = {"type": "across", "kinds": ["bridge"], "feature": "river"}
    assert score(tmp_path, spec, [across], ground_mesh=ground(), scene=scene) == 1.0
    assert score(tmp_path, spec, [beside], ground_mesh=ground(), scene=scene) == 0.0
    willows = [Item(f"willow_{i}", "willow", cylinder(1, 5), (4, 0, 8 * i - 12)) for i in range(4)]
    far = [Item(f"willow_{i}", "willow", cylinder(1, 5), (16, 0, 4 * i)) for i in range(4)]
    along = {"type": "along", "kinds": ["willow"], "feature": "river"}
    assert score(tmp_path, along, willows, ground_mesh=ground(), scene=scene) == 1.0
    assert score(tmp_path, along, far, ground_mesh=ground(), scene=scene) == 0.0


def test_prop_alone_at_the_origin_versus_a_rock_in_a_meadow(tmp_path):
    rock = Item("rock_01", "rock", box(1.2, 0.8, 1.0))
    for spec in ({"type": "alone"}, {"type": "base"}, {"type": "setting", "want": "prop"}):
        assert score(tmp_path, spec, [rock]) == 1.0, spec
    sunk = Item("rock_01", "rock", box(1.2, 0.8, 1.0), (6, -0.4, 2))
    for spec in ({"type": "alone"}, {"type": "base"}, {"type": "setting", "want": "prop"}):
        assert score(tmp_path, spec, [sunk], ground_mesh=ground()) == 0.0, spec


def test_object_sunk_in_a_slope_is_supported_one_above_it_is_not(tmp_path):
    slope = ground(40.0, lambda x, z: 0.2 * x)
    seated = Item("house_01", "house", box(4, 4, 4), (5, 0.6, 0))  # the slope is 0.6..1.4 m under it
    hovering = Item("house_01", "house", box(4, 4, 4), (5, 1.8, 0))
    assert score(tmp_path, {"type": "support"}, [seated], ground_mesh=slope) == 1.0
    assert score(tmp_path, {"type": "support"}, [hovering], ground_mesh=slope) == 0.0
    on_hill = {"type": "on_hill", "kinds": ["house"]}
    assert score(tmp_path, on_hill, [Item("house_01", "house", box(4, 4, 4), (16, 3.2, 0))], ground_mesh=slope) == 1.0
    assert score(tmp_path, on_hill, [Item("house_01", "house", box(4, 4, 4), (-16, -3.2, 0))], ground_mesh=slope) == 0.0


def test_word_mappings_from_node_words_or_the_manifest(tmp_path):
    shrub = Item("flowering_shrub_01", "flowering shrub", cylinder(0.6, 1.2), extras={"words": "hydrangeas"})
    spec = {"type": "maps", "word": "hydrangea", "kinds": ["flowering shrub", "bush"]}
    assert score(tmp_path, spec, [shrub]) == 1.0
    tent = Item("tent_01", "tent", box(3, 2, 3), extras={"words": "a gazebo"})
    assert score(tmp_path, {**spec, "word": "gazebo", "kinds": ["gazebo"]}, [tent]) == 0.0
    words = [{"word": "hydrangeas", "mapped_to": None, "how": "skipped"}]
    assert score(tmp_path, spec, [], unknown_words=words) == 0.0
    words = [{"word": "hydrangeas", "mapped_to": "bush", "how": "wordnet"}]
    assert score(tmp_path, spec, [], unknown_words=words) == 1.0


def test_direction_center_and_room_floor(tmp_path):
    house = Item("house_01", "house", box(6, 5, 6), (0, 0, 0))
    north = Item("tree_01", "tree", cylinder(1, 5), (0, 0, -10))
    south = Item("tree_01", "tree", cylinder(1, 5), (0, 0, 10))
    spec = {"type": "direction", "kinds": ["tree"], "of": ["house"], "dir": "north"}
    assert score(tmp_path, spec, [house, north], ground_mesh=ground()) == 1.0
    assert score(tmp_path, spec, [house, south], ground_mesh=ground()) == 0.0
    behind = {**spec, "dir": "behind"}  # the house faces +Z, so behind it is -Z
    assert score(tmp_path, behind, [house, north], ground_mesh=ground()) == 1.0
    mid = {"type": "center", "kinds": ["house"]}
    assert score(tmp_path, mid, [house], ground_mesh=ground()) == 1.0
    assert score(tmp_path, mid, [Item("house_01", "house", box(6, 5, 6), (15, 0, 12))], ground_mesh=ground()) == 0.0
    kw = {"ground_mesh": room(), "ground_kind": "room"}
    inside = Item("bed_01", "bed", box(2, 0.6, 1.4), (0, 0, 0))
    outside = Item("bed_01", "bed", box(2, 0.6, 1.4), (0, 0, 5))
    assert score(tmp_path, {"type": "inside_room"}, [inside], **kw) == 1.0
    assert score(tmp_path, {"type": "inside_room"}, [outside], **kw) == 0.0
    clutter = [
        Item(f"crate_{i}_{j}", "crate", box(1.3, 1, 1.3), (-3.3 + 1.3 * i, 0, -2.5 + 1.3 * j))
        for i in range(6)
        for j in range(4)
    ]
    assert score(tmp_path, {"type": "walkable"}, [inside], **kw) == 1.0
    assert score(tmp_path, {"type": "walkable"}, clutter, **kw) == 0.0


def test_hut_on_stilts_is_seen_in_the_mesh(tmp_path):
    spec = {"type": "attribute", "kinds": ["hut"], "attribute": "stilts"}
    posts = [cylinder(0.1, 1.5) for _ in range(4)]
    for p, (x, z) in zip(posts, [(-1.4, -1.4), (1.4, -1.4), (-1.4, 1.4), (1.4, 1.4)]):
        p.apply_translation((x, 0, z))
    cabin = box(3.2, 2.5, 3.2)
    cabin.apply_translation((0, 1.5, 0))
    import trimesh

    raised = trimesh.util.concatenate([cabin, *posts])
    assert score(tmp_path, spec, [Item("hut_01", "hut", raised, extras={"attributes": ["stilts"]})]) == 1.0
    assert score(tmp_path, spec, [Item("hut_01", "hut", box(3.2, 2.5, 3.2), extras={"attributes": ["stilts"]})]) == 0.0


# --- the runner, end to end (slow: three CLI builds) ----------------------------------------------


@pytest.mark.slow
def test_runner_end_to_end_on_three_dev_prompts(tmp_path, capsys):
    from tests.scene_eval.__main__ import main

    out = tmp_path / "report.json"
    rc = main(
        [
            "--split",
            "dev",
            "--only",
            "a_rock",
            "treasure_chest",
            "dry_bushes",
            "--jobs",
            "1",
            "--resolution",
            "40",
            "--keep",
            str(tmp_path / "scenes"),
            "--json",
            str(out),
        ]
    )
    assert rc == 0
    report = json.loads(out.read_text())
    assert [p["name"] for p in report["prompts"]] == ["a_rock", "dry_bushes", "treasure_chest"]
    for p in report["prompts"]:
        assert not p["error"] and 0.0 <= p["score"] <= 1.0 and p["checks"]
        glb = tmp_path / "scenes" / p["name"] / f"{p['name']}.glb"
        issues = validate_gltf(glb)["issues"]
        assert (issues["numErrors"], issues["numWarnings"]) == (0, 0)
    assert set(report["summary"]) == {"dev", "all"}
    printed = capsys.readouterr().out
    assert "mean score per category" in printed and "overall" in printed
