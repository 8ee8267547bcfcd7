"""Chunking one sentence into phrases: noun phrases, relations, "with", conjunctions and commas.

A noun phrase is ``[negation] [determiner] [count] [modifiers] head [of NP]``
with post-modifiers after it ("a hut on stilts", "barrels stacked", "the lake
is frozen"). Heads are, longest phrase first: catalog kinds, terrain features,
settings, collective nouns ("pine forest", "a stack of crates"), part words,
pronouns, and nouns the catalog does not know (WordNet's noun index, or a word
in no table at all, which is reported). Two nouns in a row form a compound
whose last noun is the head ("koi pond", "dragon lair"); the first one
becomes a modifier (a material, a setting, a species, or a reported word).
"""

from __future__ import annotations

from pipelines.models.materials import COLOR_WORDS, MATERIAL_WORDS
from pipelines.models.reading import words as W
from pipelines.models.reading.phrases import (
    NP,
    PRENOMINAL,
    TREE_SPECIES,
    Unit,
    collective_of,
    is_room,
    join_of,
    longest_phrase,
)
from pipelines.models.reading.wordnet import parts_of_speech
from pipelines.models.vocabulary import (
    COLOR_MODS,
    DENSITY,
    FEATURE_PHRASES,
    NUMBERS,
    PART_ADJECTIVES,
    PART_WORDS,
    QUANTITIES,
    SIZES,
    SPECIES_MATERIAL,
    lexicon,
)


class Chunker:
    """Turns a sentence's tokens into ``Unit``s (see the module docstring)."""

    def __init__(self, nearest=None) -> None:  # noqa: ANN001 - encoder.nearest_kind's shape, or None
        self.lex = lexicon()
        self.nearest = nearest
        self.closed = (
            W.DETERMINERS
            | W.CONJUNCTIONS
            | W.WITH
            | W.NEGATIONS
            | set(W.PRONOUNS)
            | W.FUNCTION_WORDS
            | W.FILLER
            | {k[0] for k in W.RELATIONS if len(k) == 1}
            | {k[0] for k in QUANTITIES}
            | {","}
        )

    def maps(self, t: str) -> bool:
        """True when a word no word list knows still lands on a kind ("maisons", "puits", "hosues")."""
        return self.nearest is not None and self.nearest(t)[0] is not None

    # ------------------------------------------------------------ what a position holds

    def noun_at(self, toks: list[str], i: int) -> tuple[int, str, object]:
        """Return (length, head type, value) of a noun head starting at ``i``, or (0, "", None)."""
        if i >= len(toks):
            return 0, "", None
        t = toks[i]
        if i + 1 < len(toks) and toks[i + 1] == "of" and collective_of(t, True):
            return 1, "collective", collective_of(t, True)  # "a stack of crates": not the rock stack
        kn, kind = longest_phrase(toks, i, self.lex.kinds, self.lex.longest)
        fn, feat = longest_phrase(toks, i, FEATURE_PHRASES, 3)
        sn, sett = longest_phrase(toks, i, self.lex.settings, self.lex.longest)
        best = max(kn, fn, sn)
        if best:
            if kn == best:
                return kn, "kind", kind
            if fn == best:
                return fn, "feature", feat
            return sn, "setting", sett
        base = collective_of(t, i + 1 < len(toks) and toks[i + 1] == "of")
        if base:
            return 1, "collective", base
        if t in PART_WORDS:
            return 1, "part", PART_WORDS[t]
        if t in W.SCENE_NOUNS:
            return 1, "scene", t
        if t in ("pass", "passes") or (t == "mountain" and i + 1 < len(toks) and toks[i + 1] == "pass"):
            return (2 if t == "mountain" else 1), "feature", "pass"
        return 0, "", None

    def _is_modifier_word(self, t: str) -> bool:
        return (
            t in COLOR_WORDS
            or t in MATERIAL_WORDS
            or t in SPECIES_MATERIAL
            or t in SIZES
            or t in DENSITY
            or t in COLOR_MODS
            or t in PART_ADJECTIVES
            or t in W.STYLE_WORDS
            or (t,) in W.ATTRIBUTE_WORDS
        )

    def _open_word(self, t: str) -> str:
        """Return how an open-class word reads: "n" noun, "a" adjective, "v" verb, "r" adverb, "?" unknown."""
        if t.isdecimal():  # not isdigit: int() refuses superscripts ('²')
            return "num"
        if t in self.closed:
            return "x"
        pos = parts_of_speech(t)
        return pos[0] if pos else "?"

    def starts_np(self, toks: list[str], i: int) -> bool:
        """True when a noun phrase's head can be reached from ``i`` through modifiers only."""
        while i < len(toks):
            if self.noun_at(toks, i)[0]:
                return True
            t = toks[i]
            if self._is_modifier_word(t) or t.isdecimal() or t in NUMBERS:
                i += 1
                continue
            kind = self._open_word(t)
            return kind in ("n", "?") and t not in W.FILLER and t not in W.DETERMINERS
        return False

    # ------------------------------------------------------------ chunking

    def chunk(self, toks: list[str]) -> list[Unit]:
        units: list[Unit] = []
        np: NP | None = None  # the phrase being read (open until its head is read)
        last: NP | None = None  # the last closed phrase, for post-modifiers
        i, n = 0, len(toks)

        def close() -> None:
            nonlocal np, last
            if np is not None and np.head is not None:
                units.append(Unit("np", np=np))
                last = np
            elif np is not None and np.noun_mods and np.noun_mods[-1][1] == "unknown":
                word = np.noun_mods.pop()[0]  # "a dragon lair" cut short: its last noun heads it
                np.head, np.value, np.head_words = "unknown", word, [word]
                np.plural = word.endswith("s") and not word.endswith("ss")
                units.append(Unit("np", np=np))
                last = np
            elif np is not None and (np.attrs or np.adjectives) and last is not None:
                last.attrs += np.attrs  # "the lake is frozen": a phrase with no head qualifies the last one
                last.adjectives += np.adjectives
            np = None

        def open_np() -> NP:
            nonlocal np
            if np is None or np.head is not None:
                close()
                np = NP()
            return np

        while i < n:
            t = toks[i]
            if t == ",":
                close()
                units.append(Unit("comma", words=[t]))
                i += 1
                continue
            an, names = longest_phrase(toks, i, W.ATTRIBUTE_WORDS, W.LONGEST_ATTRIBUTE)
            rn, rel = longest_phrase(toks, i, W.RELATIONS, W.LONGEST_RELATION)
            qn, qty = longest_phrase(toks, i, QUANTITIES, 4)
            hn, htype, hval = self.noun_at(toks, i)
            inside = np is not None and np.head is None and bool(np.words)
            # "a round table" / "round the well"; "a row of" / "in a row": inside a phrase the word is its own
            if rn and (an > rn or (inside and rn == 1 and (an or hn))):
                rn = 0
            if rn and hn > rn:
                rn = 0
            if rn and qn > rn:
                rn = 0
            if rn == 1 and t in PRENOMINAL and self.starts_np(toks, i + 1) and toks[i + 1] not in W.DETERMINERS:
                p = open_np()  # "scattered boulders", "floating lanterns": how the next phrase's things stand
                p.placement = PRENOMINAL[t]
                p.words.append(t)
                i += 1
                continue
            if rn and not (htype == "kind" and hn >= rn and t in ("on", "in", "by", "at")):
                close()
                units.append(Unit("rel", rel=str(rel), words=toks[i : i + rn]))
                i += rn
                continue
            if t == "of":
                close()
                units.append(Unit("of", words=[t]))
                i += 1
                continue
            if t in W.NEGATIONS:
                close()
                if t == "without":
                    units.append(Unit("with", words=[t]))
                units.append(Unit("neg", words=[t]))
                i += 1
                continue
            if t in W.WITH and not (t == "w" and i + 1 < n and toks[i + 1] == "/"):
                close()
                units.append(Unit("with", words=[t]))
                i += 1
                continue
            if t in W.CONJUNCTIONS:
                close()
                units.append(Unit("conj", words=[t]))
                i += 1
                continue
            if an and hn >= an and not self.starts_np(toks, i + an):
                an = 0  # "line the square", "the long one": a noun here, not its adjective
            if an and an >= max(hn, qn):
                p = open_np() if (np is not None and np.head is None) or self.starts_np(toks, i + an) else None
                if p is None:
                    if last is not None:
                        last.attrs.append((" ".join(toks[i : i + an]), names))  # type: ignore[arg-type]
                        last.words += toks[i : i + an]
                else:
                    p.attrs.append((" ".join(toks[i : i + an]), names))  # type: ignore[arg-type]
                    p.words += toks[i : i + an]
                i += an
                continue
            if qn and qn >= hn:
                count: int | None
                placement: str | None
                count, placement = qty  # type: ignore[misc]
                p = open_np()
                p.words += toks[i : i + qn]
                if count and not (count == 1 and p.count is not None):
                    p.count = count
                if placement and p.collective is None:
                    p.collective = {"row": "row", "ring": "ring", "cluster": "group"}[placement]
                i += qn
                continue
            if t.isdecimal() or (t in NUMBERS and not (t == "one" and not self.starts_np(toks, i + 1))):
                p = open_np()
                i = self._number(toks, i, p)
                continue
            if t in W.DETERMINERS and not (t in W.PRONOUNS and not self.starts_np(toks, i + 1)):
                p = open_np()
                p.definite = p.definite or t in W.DEFINITE
                p.words.append(t)
                i += 1
                continue
            if t in W.PRONOUNS and (np is None or np.head is None) and not self.starts_np(toks, i + 1):
                p = open_np()
                p.head, p.value, p.words = "pronoun", W.PRONOUNS[t], p.words + [t]
                p.head_words = [t]
                if i + 1 < n and toks[i + 1] == "all":  # "around it all"
                    p.words.append("all")
                    i += 1
                close()
                i += 1
                continue
            if hn:
                if np is not None and np.head is None and np.noun_mods and collective_of(t):
                    hn, htype, hval = 1, "collective", collective_of(t)  # "hydrangea thicket"
                i = self._head(toks, i, hn, htype, hval, open_np())
                if np is not None and np.head is not None:
                    close()
                continue
            if self._modifier(toks, i, open_np()):
                i += 2 if (t in COLOR_MODS and i + 1 < n and toks[i + 1] in COLOR_WORDS) else 1
                continue
            kind = self._open_word(t)
            if (
                kind == "v"
                and np is not None
                and np.head is None
                and np.words
                and "n" in parts_of_speech(t)
                and not self.starts_np(toks, i + 1)
            ):
                kind = "n"  # "over the fire", "down the slope": after a determiner, a noun
            if kind in ("n", "?") and t not in W.FILLER:
                p = open_np()
                maps = kind == "?" and self.maps(t)
                if not maps and self.starts_np(toks, i + 1) and (toks[i + 1] if i + 1 < n else "") not in PART_WORDS:
                    p.noun_mods.append((t, "unknown", t))  # "dragon lair": a noun qualifying the next one
                    p.words.append(t)
                    i += 1
                    continue
                p.head, p.value, p.head_words = "unknown", t, [t]
                p.words.append(t)
                p.plural = t.endswith("s") and not t.endswith("ss")
                close()
                i += 1
                continue
            if kind == "a" or (kind == "v" and t.endswith(("ed", "en")) and self.starts_np(toks, i + 1)):
                p = open_np()
                p.adjectives.append(t)
                p.words.append(t)
                i += 1
                continue
            close()  # a verb, an adverb or a filler word ends the phrase
            i += 1
        close()
        return join_of(units, self.lex.kinds)

    def _number(self, toks: list[str], i: int, p: NP) -> int:
        t = toks[i]
        value = (int(t) if len(t) <= 12 else 10**12) if t.isdecimal() else NUMBERS[t]  # int() stops at 4300 digits
        j = i + 1
        if j < len(toks) and toks[j] in NUMBERS:
            nxt = NUMBERS[toks[j]]
            if toks[j] in ("dozen", "hundred"):
                value, j = value * nxt, j + 1
            elif value >= 20 and value % 10 == 0 and nxt < 10:
                value, j = value + nxt, j + 1
        p.count = value
        p.words += toks[i:j]
        return j

    def _modifier(self, toks: list[str], i: int, p: NP) -> bool:
        """Read a color, material, size or density word into ``p``; False if ``toks[i]`` is none of them."""
        t = toks[i]
        if t in COLOR_MODS and i + 1 < len(toks) and toks[i + 1] in COLOR_WORDS:
            c = COLOR_WORDS[toks[i + 1]]
            p.color = tuple(min(1.0, v * COLOR_MODS[t]) for v in c)  # type: ignore[assignment]
            p.words += toks[i : i + 2]
            return True
        if t in COLOR_WORDS:
            p.color = COLOR_WORDS[t]
            if t in ("golden", "silver"):
                p.material = p.material or {"golden": "gold", "silver": "metal"}[t]
        elif t in MATERIAL_WORDS or t in SPECIES_MATERIAL:
            p.material = MATERIAL_WORDS.get(t) or SPECIES_MATERIAL[t]
        elif t in PART_ADJECTIVES:
            p.part = PART_ADJECTIVES[t]
        elif t in SIZES:
            p.size *= SIZES[t]
        elif t in DENSITY:
            p.density *= DENSITY[t]
        elif t in W.STYLE_WORDS:
            pass
        else:
            return False
        p.words.append(t)
        return True

    def _head(self, toks: list[str], i: int, length: int, htype: str, hval: object, p: NP) -> int:
        """Read the head at ``i`` (and any compound that continues it) into ``p``; return the next index."""
        while True:
            words = toks[i : i + length]
            j = i + length
            nn, ntype, nval = self.noun_at(toks, j)
            plural = bool(hval[1]) if htype == "kind" else words[-1].endswith("s")  # type: ignore[index]
            coll = collective_of(toks[j]) if j < len(toks) else None
            if coll and htype in ("kind", "unknown") and not plural:  # "pine forest", "hay bale stacks"
                nn, ntype, nval = 1, "collective", coll
            # "pine forest", "stone well", "koi pond": a singular noun before another noun qualifies it
            # "a fish market", "a cottage garden": a kind before a setting says what kind of place it is; a feature
            # before one ("lake village") is a place of its own
            compound = (
                nn
                and not plural
                and ntype in ("kind", "feature", "setting", "collective")
                and not (ntype == "setting" and htype == "feature" and not is_room(nval))
            )
            w = words[0]
            if (
                not compound
                and len(words) == 1
                and j < len(toks)
                and self.starts_np(toks, j)
                and (w in MATERIAL_WORDS or w in SPECIES_MATERIAL or w in COLOR_WORDS)
            ):
                p.words.append(w)  # "a stone chapel", "gold coins": a material word before any noun qualifies it
                if w in COLOR_WORDS:
                    p.color = COLOR_WORDS[w]
                else:
                    p.material = p.material or MATERIAL_WORDS.get(w) or SPECIES_MATERIAL[w]
                return j
            if not compound and j < len(toks) and not nn and htype in ("kind", "setting") and not plural:
                compound = False
            if not compound:
                p.head, p.value, p.head_words, p.plural = htype, (hval[0] if htype == "kind" else hval), words, plural
                p.words += words
                if htype == "kind" and j < len(toks) and toks[j] in W.STATE_NOUNS:  # "castle ruins": a ruined castle
                    p.attrs.append((toks[j], (W.STATE_NOUNS[toks[j]],)))
                    p.words.append(toks[j])
                    j += 1
                if htype == "collective" and p.collective is None:
                    p.collective = str(hval)
                return j
            self._demote(words, htype, hval, p, ntype)
            i, length, htype, hval = j, nn, ntype, nval

    def _demote(self, words: list[str], htype: str, hval: object, p: NP, before: str) -> None:
        """A noun that turned out to qualify the next one (of type ``before``): record what it says."""
        w = " ".join(words)
        p.words += words
        if before == "collective" and htype == "kind":
            p.noun_mods.append((w, "kind", str(hval[0])))  # type: ignore[index]  # "pine forest": pines
            if w in TREE_SPECIES:
                p.species = w
        elif len(words) == 1 and (w in MATERIAL_WORDS or w in SPECIES_MATERIAL) and p.material is None:
            p.material = MATERIAL_WORDS.get(w) or SPECIES_MATERIAL[w]
            if w in TREE_SPECIES:
                p.species = w
        elif w in TREE_SPECIES:
            p.species = w
        elif htype == "setting":
            if not parts_of_speech(w).startswith("a"):  # "a forest cabin" is in a forest; "a medieval throne" is a prop
                p.settings.append(str(hval))
        elif htype == "kind":
            p.noun_mods.append((w, "kind", str(hval[0])))  # type: ignore[index]
        elif htype == "collective":
            p.collective = str(hval)
        else:
            p.noun_mods.append((w, htype, str(hval)))
