"""Reading a prompt: kinds and their counts, materials and colors, settings, spatial words.

The reader scans lower-cased word tokens clause by clause (clauses end at
punctuation), longest phrase first: counts ("three", "a few", "a row of six",
digits), catalog kinds with synonyms and plurals, colors and materials (for
the next object, or for a part after "with": "houses with red roofs"),
settings ("snowy", "tavern"), terrain features ("the road") and spatial
relations ("around", "along", "next to", "on a hill"), which bind the
mention before them to the one after. Words it does not know are reported,
never silently dropped; a noun among them is mapped to the nearest kind
when ``nearest`` finds one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from pipelines.models.kinds import KINDS
from pipelines.models.materials import COLOR_WORDS, MATERIAL_WORDS
from pipelines.models.vocabulary import (
    COLOR_MODS,
    DENSITY,
    FEATURE_PHRASES,
    FEATURE_SETTINGS,
    FEATURES,
    KNOWN_ADJECTIVES,
    MANY,
    MAX_PER_MENTION,
    NEGATIONS,
    NUMBERS,
    PART_ADJECTIVES,
    PART_ALIASES,
    PART_WORDS,
    QUANTITIES,
    RELATIONS,
    SIZES,
    SOME,
    SPECIES_MATERIAL,
    STOPWORDS,
    lexicon,
    tokenize,
)
from pipelines.plan import UnknownWord

RGB = tuple[float, float, float]
# word -> (kind or None, score, how); see encoder.nearest_kind
Nearest = Callable[[str], tuple[str | None, float, str]]

MAX_WORD_CHARS = 48  # an unknown "word" of 5000 letters is reported by its start
TREE_SPECIES = {"oak", "birch", "maple", "willow", "elm", "beech", "chestnut", "apple", "linden", "poplar"}


@dataclass
class Mention:
    """One noun phrase that names a catalog kind, with everything said about it."""

    kind: str
    count: int
    words: str
    explicit: bool = False
    material: str | None = None
    color: RGB | None = None
    parts: dict[str, tuple[str | None, RGB | None]] = field(default_factory=dict)
    placement: str = "scatter"
    anchor: int | None = None  # index of the mention it is placed relative to
    feature: str | None = None  # or the terrain feature: road, river, lake, water, hill
    size: float = 1.0
    species: str | None = None


@dataclass
class ParsedPrompt:
    """What the reader understood: mentions, settings, features, unknown words."""

    mentions: list[Mention] = field(default_factory=list)
    settings: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    unknown: list[UnknownWord] = field(default_factory=list)
    negated: set[str] = field(default_factory=set)  # kinds the prompt excludes ("no trees")
    scale: float = 1.0  # "a small village"
    density: float = 1.0  # "a dense forest"
    global_parts: dict[str, tuple[str | None, RGB | None]] = field(default_factory=dict)


@dataclass
class _Pending:
    """Words read since the last noun, waiting for the noun they qualify."""

    count: int | None = None
    placement: str | None = None
    color: RGB | None = None
    material: str | None = None
    size: float = 1.0
    density: float = 1.0
    negate: bool = False
    definite: bool = False
    part: str | None = None  # "red-roofed": the color goes to this part of the next noun
    words: list[str] = field(default_factory=list)

    def reset(self) -> None:
        self.__dict__.update(_Pending().__dict__)


def _skip_none(word: str) -> tuple[str | None, float, str]:
    return None, 0.0, "skipped"


class _Reader:
    def __init__(self, nearest: Nearest) -> None:
        self.lex = lexicon()
        self.nearest = nearest
        self.out = ParsedPrompt()
        self.unknown_seen: set[str] = set()

    # ------------------------------------------------------------ matching

    def _phrase(self, toks: list[str], i: int, table: dict) -> tuple[int, object]:
        for length in range(min(self.lex.longest, len(toks) - i), 0, -1):
            key = tuple(toks[i : i + length])
            if key in table:
                return length, table[key]
        return 0, None

    def _kind_at(self, toks: list[str], i: int) -> tuple[int, tuple[str, bool] | None]:
        return self._phrase(toks, i, self.lex.kinds)  # type: ignore[return-value]

    def _starts_noun(self, toks: list[str], i: int) -> bool:
        """True when a kind phrase starts at ``i`` (after any color or material words)."""
        while i < len(toks) and (toks[i] in COLOR_WORDS or toks[i] in MATERIAL_WORDS or toks[i] in COLOR_MODS):
            if self._kind_at(toks, i)[0] and not self._is_modifier(toks, i, self._kind_at(toks, i)[0]):
                return True
            i += 1
        return i < len(toks) and self._kind_at(toks, i)[0] > 0

    def _is_modifier(self, toks: list[str], i: int, length: int) -> bool:
        """True when a kind word here qualifies a following noun ("stone well", "oak table")."""
        word = toks[i]
        if length != 1 or not (word in MATERIAL_WORDS or word in SPECIES_MATERIAL or word in COLOR_WORDS):
            return False
        return self._starts_noun(toks, i + 1)

    # ------------------------------------------------------------ reading

    def read_clause(self, toks: list[str]) -> None:
        items: list[tuple[str, object, int]] = []  # ("M", mention index) ("R", rule) ("F", feature) ("S", setting)
        st = _Pending()
        with_ctx = False
        i, n = 0, len(toks)
        while i < n:
            t = toks[i]
            rel_len, rel = self._phrase(toks, i, RELATIONS)
            qty_len, qty = self._phrase(toks, i, QUANTITIES)
            kind_len, kind_hit = self._kind_at(toks, i)
            set_len, setting = self._phrase(toks, i, self.lex.settings)
            feat_len, feat = self._phrase(toks, i, FEATURE_PHRASES)
            best = max(rel_len, qty_len, kind_len, set_len, feat_len)
            if best and rel_len == best and not (t in ("on", "by", "in") and kind_len == best):
                items.append(("R", rel, i))
                i += rel_len
                continue
            if best and qty_len == best and qty_len > kind_len:
                count, placement = qty  # type: ignore[misc]
                if count:
                    st.count = count if st.count is None or count != 1 else st.count
                st.placement = placement or st.placement
                st.words += toks[i : i + qty_len]
                i += qty_len
                continue
            if t.isdigit() or t in NUMBERS:
                i = self._number(toks, i, st)
                continue
            if t in PART_WORDS and items and (with_ctx or ((st.color or st.material) and items[-1][0] == "M")):
                if self._part_mod(items, PART_WORDS[t], st):
                    i += 1
                    continue
            if kind_len and kind_len >= max(set_len, feat_len) and not self._is_modifier(toks, i, kind_len):
                self._mention(toks, i, kind_len, kind_hit, st, items)  # type: ignore[arg-type]
                st, with_ctx = _Pending(), False
                i += kind_len
                continue
            if set_len and set_len >= feat_len:
                name = str(setting)
                if name not in self.out.settings:
                    self.out.settings.append(name)
                self.out.scale *= st.size
                self.out.density *= st.density
                # "next to a lake": the word is a setting and also a place to stand by
                items.append(("F", str(feat), i) if feat_len == set_len else ("S", name, i))
                st = _Pending()
                i += set_len
                continue
            if feat_len:
                f = str(feat)
                if f not in self.out.features:
                    self.out.features.append(f)
                items.append(("F", f, i))
                st = _Pending()
                i += feat_len
                continue
            i = self._adjective(toks, i, st, items)
            if t == "with":
                with_ctx = True
        self._bind(items)

    def _adjective(self, toks: list[str], i: int, st: _Pending, items: list) -> int:
        """Read one modifier or filler word at ``i``; return the next index."""
        t = toks[i]
        if t in COLOR_WORDS:
            st.color = COLOR_WORDS[t]
            if t in ("golden", "silver"):
                st.material = st.material or {"golden": "gold", "silver": "metal"}[t]
        elif t in COLOR_MODS and i + 1 < len(toks) and toks[i + 1] in COLOR_WORDS:
            c = COLOR_WORDS[toks[i + 1]]
            k = COLOR_MODS[t]
            st.color = tuple(min(1.0, v * k) for v in c)  # type: ignore[assignment]
            st.words.append(t)
            return i + 2
        elif t in MATERIAL_WORDS or t in SPECIES_MATERIAL:
            st.material = MATERIAL_WORDS.get(t) or SPECIES_MATERIAL[t]
        elif t in PART_ADJECTIVES:
            st.part = PART_ADJECTIVES[t]
        elif t in SIZES:
            st.size *= SIZES[t]
        elif t in DENSITY:
            st.density *= DENSITY[t]
        elif t in NEGATIONS:
            st.negate = True
        elif t == "the":
            st.definite = True
        elif t in PART_WORDS:
            if st.color or st.material:  # "red roofs" with no object before it: every roof
                self.out.global_parts[PART_WORDS[t]] = (st.material, st.color)
                st.color = st.material = None
        elif t in STOPWORDS or t in KNOWN_ADJECTIVES or t in KINDS:
            pass
        else:
            return self._unknown(toks, i, st, items)
        if t not in STOPWORDS:
            st.words.append(t)
        return i + 1

    def _number(self, toks: list[str], i: int, st: _Pending) -> int:
        t = toks[i]
        value = int(t) if t.isdigit() else NUMBERS[t]
        j = i + 1
        if j < len(toks) and toks[j] in NUMBERS:
            nxt = NUMBERS[toks[j]]
            if toks[j] in ("dozen", "hundred"):
                value, j = value * nxt, j + 1
            elif value >= 20 and value % 10 == 0 and nxt < 10:
                value, j = value + nxt, j + 1
        st.count = value
        st.words += toks[i:j]
        return j

    def _mention(self, toks: list[str], i: int, length: int, hit: tuple[str, bool], st: _Pending, items: list) -> None:
        kind_name, plural = hit
        kind = KINDS[kind_name]
        words = " ".join(st.words + toks[i : i + length])
        if st.negate:
            self.out.negated.add(kind_name)
            return
        if st.definite and st.count is None:  # "the well", "the tables": the ones already named
            for k, m in enumerate(self.out.mentions):
                if m.kind == kind_name:
                    items.append(("M", k, i))
                    return
        if st.count is None:
            count, explicit = (kind.plural_count if plural else 1), False
        elif st.count == MANY:
            count, explicit = max(8, 2 * kind.plural_count), True
        elif st.count == SOME:
            count, explicit = max(3, round(kind.plural_count * 0.75)), True
        else:
            count, explicit = st.count, True
        if st.density != 1.0 and not explicit:
            count = max(1, round(count * st.density))
        m = Mention(kind=kind_name, count=max(1, min(MAX_PER_MENTION, count)), words=words, explicit=explicit,
                    material=st.material, color=st.color, size=st.size)
        if st.placement:
            m.placement = st.placement
        species = [w for w in toks[i : i + length] if w in TREE_SPECIES]
        if species:
            m.species = species[0]
        if st.part and (st.color or st.material):
            m.parts[st.part] = (st.material, st.color)
            m.color = m.material = None
        self.out.mentions.append(m)
        items.append(("M", len(self.out.mentions) - 1, i))

    def _last_mention(self, items: list) -> int | None:
        for typ, val, _ in reversed(items):
            if typ == "M":
                return int(val)
        return None

    def _part_mod(self, items: list, part: str, st: _Pending) -> bool:
        """Give the color or material read so far to ``part`` of the last object; False if none fits."""
        last = items[-1] if items else None
        if last and last[0] == "S" and part in ("walls", "floor"):  # "a tavern with stone walls"
            self.out.global_parts[f"room.{part}"] = (st.material, st.color)
        else:
            k = self._last_mention(items)
            if k is None:
                return False
            m = self.out.mentions[k]
            if not resolve_part([p for p in KINDS[m.kind].parts], part):
                return False
            if st.color or st.material:
                m.parts[part] = (st.material, st.color)
                m.words += " " + " ".join(st.words + [part])
        st.color = st.material = None
        st.words = []
        return True

    def _unknown(self, toks: list[str], i: int, st: _Pending, items: list) -> int:
        word = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        is_noun = nxt is None or not (
            self._starts_noun(toks, i + 1) or nxt in PART_WORDS or self._is_unknown(nxt)
        )
        kind, score, how = self.nearest(word) if is_noun else (None, 0.0, "skipped")
        if word not in self.unknown_seen:
            self.unknown_seen.add(word)
            shown = word if len(word) <= MAX_WORD_CHARS else word[: MAX_WORD_CHARS - 1] + "…"
            self.out.unknown.append(UnknownWord(word=shown, mapped_to=kind, score=round(float(score), 3), how=how))
        if kind is not None:
            plural = word.endswith("s") and not word.endswith("ss")
            self._mention([word], 0, 1, (kind, plural), st, items)
            st.reset()
        return i + 1

    def _is_unknown(self, t: str) -> bool:
        return not (
            t in STOPWORDS or t in KNOWN_ADJECTIVES or t in COLOR_WORDS or t in MATERIAL_WORDS or t in NUMBERS
            or t in SIZES or t in DENSITY or t in NEGATIONS or t in PART_WORDS or t in FEATURES or t.isdigit()
            or (t,) in self.lex.kinds or (t,) in self.lex.settings or (t,) in RELATIONS or (t,) in QUANTITIES
        )

    # ------------------------------------------------------------ relations

    def _bind(self, items: list[tuple[str, object, int]]) -> None:
        """Apply each relation to the mention before it, against the thing after it."""
        for pos, (typ, rule, _) in enumerate(items):
            if typ != "R":
                continue
            before = [it for it in items[:pos] if it[0] == "M"]
            after = [it for it in items[pos + 1 :] if it[0] in ("M", "F", "S")]
            target = after[0] if after else None
            if target is None and len(before) > 1 and rule in ("ring", "near", "on"):
                target = before[-2]  # "tables with chairs around them"
            if before:
                subject: int | None = int(before[-1][1])
            else:  # "Around the well stand five houses": the subject follows the anchor
                rest = [it for it in after[1:] if it[0] == "M"] if target and target[0] == "M" else []
                rest = rest or [it for it in after if it[0] == "M" and it is not target]
                subject = int(rest[0][1]) if rest else None
                if subject is None and target and target[0] == "M" and rule in ("center", "hill", "edge", "row"):
                    subject = int(target[1])
            if subject is None:
                continue
            self._apply(str(rule), subject, target)

    def _apply(self, rule: str, subject: int, target: tuple[str, object, int] | None) -> None:
        m = self.out.mentions[subject]
        ttype = target[0] if target else None
        tval = target[1] if target else None
        if ttype == "M" and int(tval) == subject:  # type: ignore[arg-type]
            ttype = tval = None
        if rule == "surrounded":
            if ttype == "M":
                other = self.out.mentions[int(tval)]  # type: ignore[arg-type]
                other.placement, other.anchor = "ring", subject
                if m.placement == "scatter":
                    m.placement = "center"
            elif ttype == "F" and tval in ("water", "lake", "river"):
                if "island" not in self.out.settings:
                    self.out.settings.append("island")
                m.placement = "center"
            return
        if rule == "on":
            if ttype == "M" and KINDS[self.out.mentions[int(tval)].kind].flags.get("surface"):  # type: ignore[arg-type]
                m.placement, m.anchor = "on", int(tval)  # type: ignore[arg-type]
            elif ttype == "F":
                rule = {"water": "water", "lake": "water", "river": "water", "road": "line", "hill": "hill"}[str(tval)]
                m.placement, m.feature = rule, str(tval)
            return
        if rule == "ring" and ttype == "S":
            m.placement = "edge"
            return
        if rule in ("ring", "near") and ttype == "F" and tval in ("water", "lake"):
            m.placement, m.feature = "shore", str(tval)
            return
        if rule == "across" and not (ttype == "F" and tval == "river"):
            rule = "near"
        m.placement = rule
        if ttype == "M":
            m.anchor = int(tval)  # type: ignore[arg-type]
        elif ttype == "F":
            m.feature = str(tval)
        if rule == "hill":
            m.feature = "hill"
        if rule in ("line", "both_sides") and m.feature is None and m.anchor is None:
            m.feature = "road"


def read_prompt(prompt: str, nearest: Nearest | None = None) -> ParsedPrompt:
    """Return what ``prompt`` asks for; ``nearest`` maps an unknown noun to a kind (or None)."""
    reader = _Reader(nearest or _skip_none)
    for clause in tokenize(prompt):
        reader.read_clause(clause)
    out = reader.out
    for f in out.features:
        s = FEATURE_SETTINGS.get(f)
        if s == "beach" and any(x in out.settings for x in ("island", "beach", "harbour", "lake")):
            continue
        if s and s not in out.settings:
            out.settings.append(s)
    if any(m.feature == "hill" for m in out.mentions) and "hill" not in out.features:
        out.features.append("hill")
    return out


def resolve_part(kind_parts: list[str], part_word: str) -> list[str]:
    """Return the parts of a kind that a part word ("roof") names."""
    names = PART_ALIASES.get(part_word, (part_word,))
    return [p for p in kind_parts if p in names]
