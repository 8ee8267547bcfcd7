"""The catalog's words, across every kind: each word (and each plural the lexicon makes of it) names one kind,
no kind word is a setting or a collective noun, and the reader's lexicon finds every word's own kind."""

from __future__ import annotations

from pipelines.models.kinds import KINDS
from pipelines.models.plurals import plurals
from pipelines.models.settings import setting_words
from pipelines.models.vocabulary import lexicon

# The contract's collective nouns (SCENE-CONTRACT.md §1): they set counts, so no kind may own them.
COLLECTIVES = {
    "forest",
    "grove",
    "orchard",
    "thicket",
    "woodland",
    "stack",
    "pile",
    "row",
    "crowd",
    "herd",
    "flock",
    "field",
}


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.replace("-", " ").split())


def test_every_word_and_its_plurals_name_one_kind() -> None:
    owner: dict[tuple[str, ...], str] = {}
    clashes = []
    for kind in KINDS.values():
        assert kind.words[0] == kind.name, f"{kind.name}: the name is the first word"
        for phrase in kind.words:
            assert phrase == phrase.lower().strip() and "  " not in phrase, phrase
            toks = _key(phrase)
            for key in {toks, *(toks[:-1] + (pl,) for pl in plurals(toks[-1]))}:
                if owner.setdefault(key, kind.name) != kind.name:
                    clashes.append((" ".join(key), owner[key], kind.name))
    assert not clashes, clashes


def test_no_kind_word_is_a_setting_or_a_collective_and_the_lexicon_finds_each() -> None:
    settings = set(setting_words())
    for kind in KINDS.values():
        for phrase in kind.words:
            words = " ".join(_key(phrase))
            assert words not in settings and words not in COLLECTIVES, (kind.name, phrase)
            assert lexicon().kinds[_key(phrase)][0] == kind.name, (kind.name, phrase)


def test_irregular_plurals_reach_their_kinds_inside_compounds() -> None:
    kinds = lexicon().kinds
    assert kinds[("bookshelves",)] == ("bookshelf", True)
    assert kinds[("reeds",)] == ("reeds", True)  # a kind named by a plural is a plural
    assert kinds[("geese",)][0] == "duck" and kinds[("oxen",)][0] == "cow" and kinds[("calves",)][0] == "cow"
