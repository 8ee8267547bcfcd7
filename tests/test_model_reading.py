"""The prompt reader parses structure: phrases, coordination, relations, collectives, attributes, references.

Each test reads a prompt in a shape artists write and checks what the layout
receives. Where the answer depends on what the catalog can show (a table that
can or cannot be round), the test asks the catalog, so it holds whichever
kinds and attributes are registered.
"""

from __future__ import annotations

import json

import pytest

from pipelines.models.encoder import nearest_kind as _nearest_kind
from pipelines.models.kinds import KINDS
from pipelines.models.prompt import Mention, ParsedPrompt, read_prompt
from pipelines.models.reading.trace import explain_rows


def nearest(word: str) -> tuple[str | None, float, str]:
    return _nearest_kind(word, embeddings=False)  # word lists and WordNet: the same with or without the encoder


def read(prompt: str) -> ParsedPrompt:
    return read_prompt(prompt, nearest=nearest)


def only(parsed: ParsedPrompt, kind: str) -> Mention:
    found = [m for m in parsed.mentions if m.kind == kind]
    assert len(found) == 1, f"{kind}: {[(m.kind, m.words) for m in parsed.mentions]}"
    return found[0]


def expect_attribute(m: Mention, name: str, word: str) -> None:
    """The attribute is applied when the kind honours it, and reported otherwise; never dropped."""
    if name in KINDS[m.kind].attributes:
        assert name in m.attributes and word not in m.unhonoured
    else:
        assert word in m.unhonoured and name not in m.attributes


# ------------------------------------------------------------ the cases


def test_tavern_barrels_stack_against_the_rooms_walls_not_a_castle_wall() -> None:
    parsed = read("A cozy tavern with barrels stacked against the wall.")
    barrels = only(parsed, "barrel")
    assert (barrels.placement, barrels.feature, barrels.anchor) == ("against", "walls", None)
    assert "wall" not in {m.kind for m in parsed.mentions}  # the wall only anchors the relation
    assert barrels.relation_words == "against the wall"
    if KINDS["barrel"].flags.get("stackable"):
        assert barrels.stacked
    else:
        assert "stacked" in barrels.unhonoured


def test_pine_forest_on_both_sides_of_a_pass_is_many_pines_along_the_pass() -> None:
    parsed = read("A mountain pass with pine forest on both sides.")
    pines = only(parsed, "pine")
    assert pines.count >= 20 and not pines.explicit and pines.collective == "forest"
    assert (pines.placement, pines.feature) == ("both_sides", "pass")
    assert "mountain" in parsed.settings and "pass" in parsed.features


def test_four_round_tables_with_chairs_ring_each_table() -> None:
    parsed = read("Inside a tavern: four round tables with chairs, candles on the tables and a fireplace.")
    tables, chairs, candles = only(parsed, "table"), only(parsed, "chair"), only(parsed, "candle")
    t = parsed.mentions.index(tables)
    assert tables.count == 4 and tables.explicit
    expect_attribute(tables, "round", "round")
    assert (chairs.placement, chairs.anchor) == ("ring", t) and chairs.count == 16 and not chairs.explicit
    assert (candles.placement, candles.anchor) == ("on", t)


def test_gazebo_surrounded_by_hydrangeas_is_no_island() -> None:
    parsed = read("A gazebo surrounded by hydrangeas next to a koi pond.")
    assert "island" not in parsed.settings
    gazebo = parsed.mentions[0]
    assert gazebo.words == "a gazebo"
    ring = [m for m in parsed.mentions if m.placement == "ring" and m.anchor == 0]
    assert len(ring) == 1 and ring[0].kind in ("flowering shrub", "bush")  # hydrangea -> shrub -> bush
    assert ring[0].relation_words == "surrounded by hydrangeas"
    assert gazebo.placement == "near" or (gazebo.placement == "shore" and gazebo.feature == "lake")


def test_surrounded_by_water_still_makes_an_island() -> None:
    parsed = read("A tropical island surrounded by water: palm trees and a hut.")
    assert "island" in parsed.settings


def test_a_named_object_alone_is_a_prop() -> None:
    for prompt in ("a rock", "A treasure chest.", "make a wooden barrel", "a broken wagon"):
        parsed = read(prompt)
        assert parsed.prop and len(parsed.mentions) == 1, prompt
    for prompt in ("three barrels", "a barrel in a tavern", "a table with four chairs", "a village"):
        assert not read(prompt).prop, prompt


def test_attributes_are_applied_or_reported() -> None:
    parsed = read("a wooden hut on stilts, dry bushes and a broken wagon")
    hut, bushes, wagon = only(parsed, "hut"), only(parsed, "bush"), only(parsed, "wagon")
    assert hut.material == "wood"
    expect_attribute(hut, "stilts", "on stilts")
    expect_attribute(bushes, "dry", "dry")
    expect_attribute(wagon, "broken", "broken")
    reported = {(u.word, u.said_of) for u in parsed.unknown if u.how == "unhonoured"}
    for m in (hut, bushes, wagon):
        assert {(w, m.kind) for w in m.unhonoured} <= reported


def test_feature_attributes_frozen_lake_and_winding_road() -> None:
    parsed = read("A frozen lake surrounded by snowy pines, and a winding road.")
    assert parsed.feature_attributes == {"lake": ["frozen"], "road": ["winding"]}
    pines = only(parsed, "pine")
    assert (pines.placement, pines.feature) == ("shore", "lake")  # around a lake is along its shore


# ------------------------------------------------------------ phrases and counts


@pytest.mark.parametrize(
    "prompt, kind, count, collective, placement",
    [
        ("a stack of crates", "crate", 6, "stack", "cluster"),
        ("three stacks of crates", "crate", 18, "stack", "cluster"),
        ("a row of six lamp posts", "lamp post", 6, "row", "row"),
        ("a grove of birches", "tree", 9, "grove", "cluster"),
        ("an oak grove", "tree", 9, "grove", "cluster"),
        ("a herd of cows", None, 8, "herd", "cluster"),
    ],
)
def test_collective_nouns_set_counts(
    prompt: str, kind: str | None, count: int, collective: str, placement: str
) -> None:
    parsed = read(prompt)
    if kind is None:  # a kind the catalog may or may not have yet
        if not parsed.mentions:
            return
        kind = parsed.mentions[0].kind
    m = only(parsed, kind)
    assert (m.count, m.collective, m.placement) == (count, collective, placement)


def test_compound_nouns_and_material_modifiers() -> None:
    parsed = read("a stone well, an oak table, a stone chapel and stone walls")
    assert [m.material for m in parsed.mentions[:2]] == ["stone", "wood"]
    assert not any(m.kind == "rock" for m in parsed.mentions)  # "stone" qualifies, it is not a rock


def test_lists_fragments_and_imperatives() -> None:
    parsed = read("Make a tavern. A table, a bench, two candles on the table; barrels!")
    table, bench, candles = only(parsed, "table"), only(parsed, "bench"), only(parsed, "candle")
    t = parsed.mentions.index(table)
    assert (candles.placement, candles.anchor, candles.count) == ("on", t, 2)
    assert bench.placement != "on"  # "a bench, two candles on the table": only the last item
    assert only(parsed, "barrel").count == KINDS["barrel"].plural_count


def test_coordination_shares_a_relation() -> None:
    parsed = read("a tavern with barrels and crates against the wall")
    for kind in ("barrel", "crate"):
        assert (only(parsed, kind).placement, only(parsed, kind).feature) == ("against", "walls")


def test_a_list_shares_a_relation_only_with_like_things_at_its_end() -> None:
    parsed = read("A harbour town: a lighthouse, two piers, barrels and crates by the water.")
    assert only(parsed, "barrel").placement == "shore" and only(parsed, "crate").placement == "shore"
    assert only(parsed, "lighthouse").placement == "scatter"


# ------------------------------------------------------------ relations


@pytest.mark.parametrize(
    "prompt, kind, placement, feature, direction",
    [
        ("a pier reaching into the lake", "pier", "into_water", "lake", None),
        ("a fence along the road", "fence", "line", "road", None),
        ("a bridge across the river", "bridge", "across", "river", None),
        ("boats on the water", "boat", "water", "water", None),
        ("a tower on a hill", "tower", "hill", "hill", None),
        ("a tower to the north of the lake", "tower", "direction", "lake", "north"),
        ("a hut at the edge of the forest", "hut", "edge", None, None),
        ("lamp posts on both sides of the road", "lamp post", "both_sides", "road", None),
        ("tents scattered here and there", "tent", "scatter", None, None),
        ("five houses in a row", "house", "row", None, None),
    ],
)
def test_relations_become_placements(
    prompt: str, kind: str, placement: str, feature: str | None, direction: str | None
) -> None:
    m = only(read(prompt), kind)
    assert (m.placement, m.feature, m.direction) == (placement, feature, direction)
    assert m.anchor is None


def test_anchor_nouns_are_features_not_objects() -> None:
    parsed = read("a fence along the road, boats on the water and a tower on a hill")
    assert {m.kind for m in parsed.mentions} == {"fence", "boat", "tower"}
    assert {"road", "water", "hill"} <= set(parsed.features)


def test_relations_to_objects_set_anchors() -> None:
    parsed = read("five houses around a stone well, a cart next to the well and a bench behind the houses")
    houses, _, cart, bench = parsed.mentions
    assert (houses.placement, houses.anchor) == ("ring", 1)
    assert (cart.placement, cart.anchor) == ("near", 1)  # "the well": the one already named
    assert (bench.placement, bench.anchor, bench.direction) == ("direction", 0, "behind")


def test_clause_initial_relations_wait_for_their_subject() -> None:
    parsed = read("A stone fountain stands in the middle, and around the fountain stand four market stalls.")
    fountain, stalls = only(parsed, "fountain"), only(parsed, "market stall")
    assert fountain.placement == "center"
    assert (stalls.placement, stalls.anchor) == ("ring", parsed.mentions.index(fountain))


def test_pronouns_and_definites_point_back_across_sentences() -> None:
    parsed = read("There is a long table. Candles stand on it. Four stools are around the table.")
    table = only(parsed, "table")
    t = parsed.mentions.index(table)
    assert (only(parsed, "candle").placement, only(parsed, "candle").anchor) == ("on", t)
    assert (only(parsed, "stool").placement, only(parsed, "stool").anchor) == ("ring", t)
    parsed = read("four tables with chairs around them")
    assert (only(parsed, "chair").placement, only(parsed, "chair").anchor) == ("ring", 0)


def test_parts_go_to_their_owner_and_the_owner_keeps_its_relation() -> None:
    parsed = read("five houses with red roofs around a stone well")
    houses = only(parsed, "house")
    assert houses.parts["roof"][1] is not None and (houses.placement, houses.anchor) == ("ring", 1)


def test_a_skipped_subject_takes_its_relation_with_it() -> None:
    parsed = read("a long table, a flibbertigibbet in the corner and shelves")
    assert only(parsed, "shelf").placement == "scatter"
    assert any(u.word == "flibbertigibbet" and u.how == "skipped" for u in parsed.unknown)


# ------------------------------------------------------------ unknown nouns, languages, trace


def test_unknown_nouns_land_by_wordnet_is_a_chains() -> None:
    parsed = read("a hornbeam and three hydrangeas")
    got = {u.word: u for u in parsed.unknown}
    assert got["hornbeam"].mapped_to == "tree" and got["hornbeam"].how == "wordnet"
    assert got["hornbeam"].chain == ["hornbeam", "tree"]
    tree = only(parsed, "tree")
    assert tree.how == "wordnet" and tree.chain == ["hornbeam", "tree"]
    if "hydrangeas" in got:  # not a catalog word: WordNet finds it a shrub
        assert got["hydrangeas"].how == "wordnet" and got["hydrangeas"].chain[0] == "hydrangea"


@pytest.mark.parametrize(
    "prompt, kinds",
    [
        ("Ein kleines Dorf mit fünf Häusern, einem Brunnen und vielen Bäumen.", {"house": 5, "well": 1}),
        ("Un petit village: trois maisons, un puits et des arbres.", {"house": 3, "well": 1}),
        ("Una aldea con tres casas alrededor de un pozo.", {"house": 3, "well": 1}),
        ("Un villaggio con tre case intorno al pozzo.", {"house": 3, "well": 1}),
    ],
)
def test_other_languages_are_read_by_their_structure(prompt: str, kinds: dict[str, int]) -> None:
    parsed = read(prompt)
    assert "village" in parsed.settings
    for kind, count in kinds.items():
        assert only(parsed, kind).count == count


def test_french_relations_survive_the_gloss() -> None:
    parsed = read("Une taverne avec des tonneaux empilés contre le mur et une cheminée.")
    barrels = only(parsed, "barrel")
    assert "tavern" in parsed.settings and (barrels.placement, barrels.feature) == ("against", "walls")
    parsed = read("Un jardin avec une fontaine au milieu et des bancs autour.")
    assert only(parsed, "fountain").placement == "center"
    assert (only(parsed, "bench").placement, only(parsed, "bench").anchor) == ("ring", 0)


def test_trace_and_explain_rows_show_the_parse() -> None:
    parsed = read("four round tables with chairs, a hornbeam, a flibbertigibbet, by a frozen lake")
    json.dumps(parsed.trace)  # JSON-ready, for the plan
    rows = explain_rows(parsed.trace)
    assert all(set(r) == {"words", "became", "relation", "attributes", "how"} for r in rows)
    by_words = {r["words"]: r for r in rows}
    assert by_words["four round tables"]["became"] == "4 × table"
    assert by_words["chairs"]["became"] == "16 × chair" and by_words["chairs"]["relation"].startswith("ring table")
    assert by_words["a hornbeam"]["how"] == "wordnet: hornbeam → tree"
    assert by_words["flibbertigibbet"]["became"] == "(nothing)"
    assert any(r["became"] == "feature lake" and r["attributes"] == "frozen" for r in rows)


def test_reading_is_deterministic() -> None:
    prompt = "A medieval village of half-timbered houses with slate roofs along a winding road, and a well."
    assert read(prompt).trace == read(prompt).trace


def test_plans_carry_where_unknown_words_landed_and_match_the_schema() -> None:
    from pathlib import Path

    import jsonschema

    from pipelines.models.procedural import ProceduralModel
    from pipelines.plan import ScenePlan

    schema = json.loads((Path(__file__).parents[1] / "pipelines" / "schemas" / "plan.schema.json").read_text())
    plan = ProceduralModel(embeddings=False).generate("a hornbeam next to a crooked wagon", 3)
    data = json.loads(json.dumps(plan.to_dict()))
    jsonschema.Draft202012Validator(schema).validate(data)
    words = {u["word"]: u for u in data["unknown_words"]}
    assert words["hornbeam"]["how"] == "wordnet" and words["hornbeam"]["chain"] == ["hornbeam", "tree"]
    assert words["crooked"]["how"] == "unhonoured" and words["crooked"]["said_of"] == "wagon"
    assert ScenePlan.from_dict(data).unknown_words == plan.unknown_words


def test_anchors_never_loop() -> None:
    parsed = read("a well next to the tower. The tower stands next to the well.")
    well, tower = only(parsed, "well"), only(parsed, "tower")
    assert (well.placement, well.anchor) == ("near", 1)
    assert tower.anchor is None


def test_the_shore_of_the_lake_is_the_lakes_shore() -> None:
    parsed = read("two tents, a canoe on the shore of the lake and willows on the banks of the river")
    canoe = only(parsed, "canoe")  # a kind of its own since the catalog grew
    assert (canoe.placement, canoe.feature) == ("shore", "lake")
    assert only(parsed, "tent").placement == "scatter"
    assert "beach" not in parsed.settings and "water" not in parsed.features


def test_a_relation_after_with_moves_the_owner_not_its_companions() -> None:
    parsed = read("four tables with chairs by the lake, and a table with candles next to the fireplace")
    chairs, candles = only(parsed, "chair"), only(parsed, "candle")
    tables = [m for m in parsed.mentions if m.kind == "table"]
    assert (tables[0].placement, tables[0].feature) == ("shore", "lake")
    assert (chairs.placement, chairs.anchor) == ("ring", 0)
    assert tables[1].placement == "near" and candles.placement == "on"


@pytest.mark.parametrize(
    "prompt, placement, feature, count",
    [
        ("a tower that overlooks the sea", "shore", "water", 1),
        ("barrels next to each other", "cluster", None, KINDS["barrel"].plural_count),
        ("a bridge that spans the river", "across", "river", 1),
        ("a tavern with a barrel in each corner", "against", "walls", 4),
    ],
)
def test_verbs_and_idioms_of_place(prompt: str, placement: str, feature: str | None, count: int) -> None:
    m = read(prompt).mentions[0]
    assert (m.placement, m.feature, m.count) == (placement, feature, count)
