"""The packaged WordNet tables: parts of speech, base forms, is-a chains to kinds, and their regeneration."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

from pipelines.models.kinds import KINDS
from pipelines.models.reading import wordnet
from pipelines.models.reading.anchors import ANCHORS
from pipelines.models.reading.make_tables import main as make_tables

WORDNET_DIR = Path("/usr/share/wordnet")


def test_parts_of_speech_come_commonest_first_and_cover_inflections() -> None:
    assert wordnet.parts_of_speech("table").startswith("n")
    assert "v" in wordnet.parts_of_speech("stacked") and "v" in wordnet.parts_of_speech("reaching")
    assert wordnet.parts_of_speech("frozen").startswith("a")
    assert wordnet.parts_of_speech("hosues") == "" and not wordnet.known("brunnen")


def test_base_forms_follow_morphy() -> None:
    assert wordnet.base_forms("wolves", "n") == ["wolf"]  # noun.exc
    assert "stack" in wordnet.base_forms("stacked", "v")
    assert wordnet.base_forms("hydrangeas", "n") == ["hydrangea"]
    assert wordnet.base_forms("ran", "v") == ["run"]


def test_is_a_chains_land_on_the_nearest_kind_the_catalog_has() -> None:
    assert wordnet.kind_chain("hydrangeas", {"bush"}) == ("bush", 1, ["hydrangea", "shrub"])
    assert wordnet.kind_chain("hydrangea", {"flowering shrub", "bush"})[0] == "flowering shrub"
    kind, hops, chain = wordnet.kind_chain("spruce", {"tree"})  # no pine kind: the next anchor up
    assert kind == "tree" and chain[0] == "spruce" and chain[-1] == "tree" and hops == len(chain) - 1
    assert wordnet.kind_chain("democracy", set(KINDS)) == (None, 0, [])


def test_the_table_only_names_anchored_kinds() -> None:
    with gzip.open(wordnet.DATA / "wordnet_kinds.json.gz", "rt", encoding="utf-8") as fh:
        table = json.load(fh)
    named = {k for _, _, kinds in table["nodes"] for k in kinds}
    assert named <= set(ANCHORS)
    assert len(table["lemmas"]) > 10_000 and table["source"] == "WordNet 3.0"
    assert (wordnet.DATA / "WORDNET_LICENSE").read_text().count("Princeton University") >= 2


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("nltk") is None or not (WORDNET_DIR / "data.noun").exists(),
    reason="regenerating needs NLTK and Debian's wordnet-base (generation-time tools only)",
)
def test_tables_regenerate_byte_for_byte(tmp_path: Path) -> None:
    assert make_tables([str(WORDNET_DIR), str(tmp_path)]) == 0
    for name in ("words.json.gz", "wordnet_kinds.json.gz"):
        assert (tmp_path / name).read_bytes() == (wordnet.DATA / name).read_bytes(), name
