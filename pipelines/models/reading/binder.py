"""Turning chunks into mentions: referents, coordination, "with", relations and pronouns.

Per sentence, noun phrases joined by "and" or commas form a subject group; a
relation applies to the group ("barrels, crates and sacks against the wall")
against its object, which is a mention (new, or an earlier one for "the
tables"/"them"), a terrain feature (road, river, lake, water, pass, a room's
walls) or a setting. A relation before any subject waits for the first group
after it ("Around the fountain stand three stalls"). "X with Y" gives Y to X:
parts ("red roofs"), or companions placed by what they are (chairs ring a
table, candles stand on it).
"""

from __future__ import annotations

from pipelines.models.kinds import KINDS
from pipelines.models.materials import MATERIAL_WORDS
from pipelines.models.vocabulary import SPECIES_MATERIAL
from pipelines.models.reading import words as W
from pipelines.models.reading.chunker import NP, Unit
from pipelines.models.reading.model import Mention, ParsedPrompt
from pipelines.models.reading.relations import Ref, apply_relation
from pipelines.models.reading.wordnet import kind_chain
from pipelines.models.vocabulary import MANY, MAX_PER_MENTION, SOME
from pipelines.plan import UnknownWord

MAX_WORD_CHARS = 48  # an unknown "word" of 5000 letters is reported by its start
SEATS_PER_TABLE = 4


class Binder:
    def __init__(self, nearest, interior: bool) -> None:  # noqa: ANN001 - encoder.nearest_kind's shape
        self.nearest = nearest
        self.interior = interior
        self.out = ParsedPrompt()
        self.reported: set[str] = set()
        self.last_group: list[Ref] = []
        self.part_mods: dict[str, tuple] = {}  # a part phrase's words -> (material, color) it gives
        self.recent: list[Ref] = []  # mentions and features in the order they were last named, for pronouns

    # ------------------------------------------------------------ reports

    def report(self, word: str, kind: str | None = None, score: float = 0.0, how: str = "skipped",
               chain: list[str] | None = None, said_of: str | None = None) -> None:
        key = f"{word}|{said_of}"
        if key in self.reported:
            return
        self.reported.add(key)
        shown = word if len(word) <= MAX_WORD_CHARS else word[: MAX_WORD_CHARS - 1] + "…"
        self.out.unknown.append(UnknownWord(word=shown, mapped_to=kind, score=round(float(score), 3), how=how,
                                            chain=list(chain or []), said_of=said_of))

    def setting(self, name: str, np: NP | None = None) -> None:
        if name not in self.out.settings:
            self.out.settings.append(name)
        if np is not None:
            self.out.scale *= np.size
            self.out.density *= np.density

    def feature(self, name: str, np: NP | None = None) -> Ref:
        if name not in self.out.features:
            self.out.features.append(name)
        for words, names in (np.attrs if np else []):
            a = next((a for a in names if name in W.FEATURE_ATTRIBUTES.get(a, ())), None)
            if a is not None:
                got = self.out.feature_attributes.setdefault(name, [])
                if a not in got:
                    got.append(a)
            elif names[0] in W.SETTING_ATTRIBUTES:  # "a snowy pass"
                self.setting(W.SETTING_ATTRIBUTES[names[0]])
        return ("F", name, " ".join(np.head_words) if np else name)

    # ------------------------------------------------------------ referents

    def referent(self, np: NP, role: str, group: list[Ref]) -> list[Ref]:
        """Return what a phrase refers to (new or earlier mentions, a feature, a setting, a part)."""
        refs = self._referent(np, role, group)
        for r in refs:
            if r[0] in ("M", "F"):
                self.recent = [x for x in self.recent if (x[0], x[1]) != (r[0], r[1])] + [r]
        return refs

    def _referent(self, np: NP, role: str, group: list[Ref]) -> list[Ref]:
        for s in np.settings:
            self.setting(s)
        for word, what, _ in np.noun_mods:
            if what == "unknown" and np.head != "collective":
                self.report(word)
        if np.negated:
            kind = np.value if np.head == "kind" else (self.nearest(np.value)[0] if np.head == "unknown" else None)
            if kind:
                self.out.negated.add(kind)
            return []
        if np.head == "setting":
            self.setting(str(np.value), np)
            for _, names in np.attrs:
                if names[0] in W.SETTING_ATTRIBUTES:  # "a snowy village", "a frozen tundra"
                    self.setting(W.SETTING_ATTRIBUTES[names[0]])
            return [("S", str(np.value), np.text)]
        if np.head == "feature":
            return [self.feature(str(np.value), np)]
        if np.head == "part":
            mods = (np.material, np.color)
            if role == "subject" and (np.material or np.color):  # "red roofs" said of nothing: every roof
                self.out.global_parts[str(np.value)] = mods
            self.part_mods[np.text] = mods
            return [("P", str(np.value), np.text)]
        if np.head == "pronoun":
            return self.pronoun(np, role, group)
        if np.head == "scene":
            return []
        kind, how, chain = None, "catalog", []
        if np.head == "kind":
            kind = str(np.value)
        elif np.head == "collective":
            # "pine forest", "two stacks": the count is of collectives; the member is the noun before it
            np.collectives, np.count = (np.count if np.count and np.count > 1 else (3 if np.plural else 1)), None
            members = [(w, what, v) for w, what, v in np.noun_mods if what in ("kind", "unknown")]
            if members and members[-1][1] == "kind":
                kind, how = members[-1][2], "catalog"
            elif members:
                kind, how, chain = self.unknown_noun(members[-1][0])
            elif np.value in ("forest", "woods", "field"):
                self.setting({"field": "meadow"}.get(str(np.value), "forest"), np)
                return [("S", str(np.value), np.text)]
            else:
                kind, how = W.COLLECTIVES[str(np.value)][2], "collective"
            if kind is None or kind not in KINDS:
                return []
        elif np.head == "unknown":
            kind, how, chain = self.unknown_noun(str(np.value))
            if kind is None:
                return []
        if kind == "wall" and self.interior:
            if role == "companion":  # "a tavern with stone walls": the room's own walls
                self.part_mods[np.text] = (np.material, np.color)
                return [("P", "walls", np.text)]
            if role == "object":
                return [self.feature("walls", np)]
        if (role == "object" and (np.count is None or np.definite)) or (np.definite and np.count is None):
            for k in range(len(self.out.mentions) - 1, -1, -1):
                if self.out.mentions[k].kind == kind and ("M", k, "") not in group:
                    self.qualify(self.out.mentions[k], np)
                    return [("M", k, np.text)]
        return [self.mention(str(kind), np, how, chain)]

    def unknown_noun(self, word: str) -> tuple[str | None, str, list[str]]:
        kind, score, how = self.nearest(word)
        chain: list[str] = []
        if how == "wordnet":
            chain = kind_chain(word, set(KINDS))[2]
        self.report(word, kind, score, how, chain)
        return kind, how, chain

    def pronoun(self, np: NP, role: str, group: list[Ref]) -> list[Ref]:
        """"them", "it": the latest thing named that is not the subject itself, agreeing in number."""
        if np.value == "scene" or "all" in np.words[1:]:
            return [("S", "scene", np.text)]  # "around it all": around everything
        if role == "subject":
            return list(self.last_group)
        taken = {(r[0], r[1]) for r in group}
        options = [r for r in reversed(self.recent) if (r[0], r[1]) not in taken]
        if np.value == "one":
            single = [r for r in options if r[0] == "F" or self.out.mentions[int(r[1])].count == 1]
            options = single or options
        elif np.value == "many":
            several = [r for r in options if r[0] == "M" and self.out.mentions[int(r[1])].count > 1]
            options = several or options
        return [(options[0][0], options[0][1], np.text)] if options else []

    def mention(self, kind_name: str, np: NP, how: str, chain: list[str]) -> Ref:
        kind = KINDS[kind_name]
        explicit = np.count is not None
        if np.count is None:
            count = kind.plural_count if np.plural else 1
        elif np.count == MANY:
            count = max(8, 2 * kind.plural_count)
        elif np.count == SOME:
            count = max(3, round(kind.plural_count * 0.75))
        else:
            count = np.count
        m = Mention(kind=kind_name, count=1, words=np.text, explicit=explicit, material=np.material, color=np.color,
                    size=np.size, species=np.species, how=how, chain=chain)
        if np.collective is not None and np.collective in W.COLLECTIVES:
            per, placement, _ = W.COLLECTIVES[np.collective]
            if not explicit:
                count, m.explicit = per * np.collectives, False
            if np.collective in W.NAMED_COLLECTIVES:
                m.collective = np.collective
                m.placement = placement
            if np.collective in W.STACKED_COLLECTIVES:
                self.stack(m)
        if np.placement is not None:
            m.placement = np.placement
        if np.density != 1.0 and not explicit:
            count = round(count * np.density)
        m.count = max(1, min(MAX_PER_MENTION, count))
        if np.part and (np.color or np.material):
            m.parts[np.part] = (np.material, np.color)
            m.color = m.material = None
        self.qualify(m, np)
        self.out.mentions.append(m)
        return ("M", len(self.out.mentions) - 1, np.text)

    def stack(self, m: Mention) -> None:
        if KINDS[m.kind].flags.get("stackable"):
            m.stacked = True
            if m.placement == "scatter":
                m.placement = "cluster"
        elif "stacked" not in m.unhonoured:
            m.unhonoured.append("stacked")

    def qualify(self, m: Mention, np: NP) -> None:
        """Apply the attribute words and adjectives of ``np`` to ``m``."""
        kind = KINDS[m.kind]
        for words, names in np.attrs:
            if names[0] == "stacked":
                self.stack(m)
                continue
            name = next((a for a in names if a in kind.attributes), None)
            if name is not None:
                if name not in m.attributes:
                    m.attributes.append(name)
            elif names[0] in W.SETTING_ATTRIBUTES:
                self.setting(W.SETTING_ATTRIBUTES[names[0]])
            elif names[0] == "long":
                m.size *= 1.15
            elif words in MATERIAL_WORDS:  # "timber houses" where houses have no timber framing: timber walls
                m.material = m.material or MATERIAL_WORDS[words]
            elif names[0] not in W.QUIET_ATTRIBUTES and words not in m.unhonoured:
                m.unhonoured.append(words)
        for adj in np.adjectives:
            if adj not in m.unhonoured:
                m.unhonoured.append(adj)
        for word in m.unhonoured:
            self.report(word, None, 0.0, "unhonoured", said_of=m.kind)

    # ------------------------------------------------------------ sentences

    def sentence(self, units: list[Unit]) -> None:
        group: list[Ref] = []
        joins: list[str] = []  # how each group member joined the one before: "and", ",", ""
        closed = False  # a relation has been applied to the group: the next phrase starts a new one
        waiting: tuple[str, list[str]] | None = None  # a relation read, its object not yet
        pending: list[tuple[str, Ref | None, str]] = []  # clause-initial relations waiting for a subject
        owner: list[Ref] | None = None  # "X with ...": X
        pending_used = False
        dropped = False  # the subject was skipped: what is said of it is dropped with it
        last_rel: tuple[str, list[str]] | None = None
        joiner = ""
        neg = False
        for pos, u in enumerate(units):
            if u.type == "neg":
                neg = True
                continue
            if u.type in ("conj", "comma"):
                if u.type == "comma" and owner and not any(o[0] in ("S", "F") for o in owner) :
                    owner = None  # "a bar with stools, four tables ...": a list goes on without the bar
                if waiting is not None and waiting[0] != "dropped":
                    self.relate(waiting[0], group or (owner or []), None, " ".join(waiting[1]), joins)
                    closed = True
                waiting = None
                joiner = "and" if u.type == "conj" else ("," if joiner != "and" else "and")
                continue
            if u.type == "of":  # "a village of ten houses": what follows belongs to it, like "with"
                owner = [r for r in group if r[0] in ("M", "S", "F")] or owner or []
                closed, joiner = True, ""
                continue
            if u.type == "with":
                owner = [r for r in group if r[0] in ("M", "S", "F")] or owner or []
                closed, joiner = True, ""
                continue
            if u.type == "rel" and dropped and not group:
                waiting = ("dropped", u.words)  # its object is still read (and may be an object of its own)
                continue
            if u.type == "rel":
                if waiting is not None and waiting[0] != "dropped":
                    self.relate(waiting[0], group, None, " ".join(waiting[1]), joins)
                if closed and joiner:  # ", and around the fountain ...": a new clause, its subject still to come
                    group, joins, closed, owner = [], [], False, None
                if u.rel in W.OBJECTLESS or (len(u.words) > 1 and u.words[-1] not in W.PREPOSITIONS):
                    if group:
                        self.relate(str(u.rel), group, None, " ".join(u.words), joins)
                        closed, waiting, owner = True, None, None
                    else:
                        pending.append((str(u.rel), None, " ".join(u.words)))
                    joiner = ""
                    continue
                waiting = (str(u.rel), u.words)
                continue
            np = u.np
            assert np is not None
            np.negated = np.negated or neg
            neg = False
            if waiting is not None and waiting[0] == "dropped":
                self.referent(np, "object", group)
                waiting, joiner = None, ""
                continue
            if waiting is not None and waiting[0] == "material":  # "carved from dark oak"
                self.material(np, group or (owner or []))
                waiting, joiner = None, ""
                continue
            if waiting is not None:
                rel, rwords = waiting
                waiting = None
                targets = self.referent(np, "object", group)
                words = " ".join(rwords + np.words)
                if group:
                    for t in targets[:1]:
                        self.relate(rel, group, t, words, joins)
                    closed, last_rel, owner = True, (rel, rwords), None
                else:
                    pending += [(rel, t, words) for t in targets[:1]] or [(rel, None, words)]
                joiner = ""
                continue
            if joiner == "and" and last_rel is not None and last_rel[0] == "surrounded" and closed:
                for t in self.referent(np, "object", group)[:1]:
                    self.relate("surrounded", group, t, " ".join(last_rel[1] + np.words), joins)
                joiner = ""
                continue
            refs = self.referent(np, "subject" if owner is None else "companion", group)
            if not refs:
                # a skipped phrase takes what is said of it with it ("a cauldron in the corner" with no
                # cauldron kind), except after "of" ("a cart full of hay ... next to the bridge")
                if not (pos > 0 and units[pos - 1].type == "of") and not np.negated:
                    if group:
                        self.last_group = group
                    group, joins, closed, dropped = [], [], False, True
                joiner = ""
                continue
            dropped = False
            if owner is not None and (closed or not group or group == owner):
                self.companions(owner, refs)
                if all(r[0] == "P" for r in refs):  # "houses with red roofs around ...": the houses stay the subject
                    group, joins, closed = list(owner), [""] * len(owner), False
                    joiner = ""
                    continue
                if closed or group == owner or not joiner:
                    group, joins = [], []
                closed = False  # "with barrels and crates": the companions form a group of their own
            elif closed or not joiner:
                if group:
                    self.last_group = group
                    if pending_used:
                        pending, pending_used = [], False
                group, joins, closed, last_rel = [], [], False, None
            for r in refs:
                group.append(r)
                joins.append(joiner)
            self.post_attrs(np, group, joins)
            for rel, target, words in pending:
                for r in refs:
                    self.relate(rel, [r], target, words, [""])
                pending_used = True
            joiner = ""
        if waiting is not None and waiting[0] != "dropped":
            self.relate(waiting[0], group or (owner or []), None, " ".join(waiting[1]), joins)
        if group:
            self.last_group = group

    def material(self, np: NP, group: list[Ref]) -> None:
        words = np.noun_mods and [w for w, _, _ in np.noun_mods] or []
        names = [MATERIAL_WORDS.get(w) or SPECIES_MATERIAL.get(w) for w in words + np.head_words]
        name = np.material or next((n for n in names if n), None)
        for r in group:
            if r[0] == "M":
                m = self.out.mentions[int(r[1])]
                m.material = name or m.material
                if np.color is not None:
                    m.color = np.color
                m.words += f" of {np.text}"

    def post_attrs(self, np: NP, group: list[Ref], joins: list[str]) -> None:
        """"barrels, crates and sacks stacked ...": a stacking word after the last conjunct covers the group."""
        if not any(names[0] == "stacked" for _, names in np.attrs) or len(group) < 2 or joins[-1] != "and":
            return
        for r in group[:-1]:
            if r[0] == "M":
                self.stack(self.out.mentions[int(r[1])])

    def reverse(self, rel: str, group: list[Ref], k: int, words: str) -> None:
        """"A surrounded by B", "A flanked by B", "A covered in B": B is placed around, beside or on A."""
        m = self.out.mentions[k]
        m.relation_words = words
        host = group[0]
        if host[0] == "F":  # "a pond ringed by palms", "a frozen lake surrounded by pines": along its shore
            feature = str(host[1])
            placement = {"surrounded": "shore", "flanked": "both_sides", "covered": "scatter"}[rel]
            if feature not in ("lake", "river", "water") and placement == "shore":
                placement = "ring"
            m.placement, m.feature, m.anchor = placement, feature, None
            return
        if host[0] != "M":
            return
        anchor = int(host[1])
        if rel == "flanked":
            m.placement, m.anchor, m.feature = "both_sides", anchor, None
        elif rel == "covered":
            m.placement, m.anchor, m.feature = "on", anchor, None
            self.stack(m) if KINDS[m.kind].flags.get("stackable") and KINDS[m.kind].ground != "on" else None

    def companions(self, owner: list[Ref], refs: list[Ref]) -> None:
        """"X with Y": parts go to X; objects are placed by what they are (seats ring tables, small things on them)."""
        owners = [r for r in owner if r[0] == "M"]
        for r in refs:
            if r[0] == "P":
                self.part(owner, r)
                continue
            if r[0] != "M" or not owners:
                continue
            m = self.out.mentions[int(r[1])]
            kind = KINDS[m.kind]
            tables = [o for o in owners if KINDS[self.out.mentions[int(o[1])].kind].flags.get("surface")]
            if kind.group == "seat" and tables:
                anchor = self.out.mentions[int(tables[0][1])]
                m.placement, m.anchor = "ring", int(tables[0][1])
                m.relation_words = f"with {m.words}"
                if not m.explicit:
                    m.count = min(MAX_PER_MENTION, SEATS_PER_TABLE * anchor.count)
            elif kind.ground == "on" and tables:
                m.placement, m.anchor, m.relation_words = "on", int(tables[0][1]), f"with {m.words}"
            elif m.placement == "scatter":
                m.placement, m.anchor, m.relation_words = "near", int(owners[0][1]), f"with {m.words}"

    def part(self, owner: list[Ref], ref: Ref) -> None:
        from pipelines.models.prompt import resolve_part  # the one part resolver, kept with the public API

        np_words = ref[2]
        mat_col = self.part_mods.get(np_words)
        if mat_col is None or mat_col == (None, None):
            return
        part = str(ref[1])
        for o in owner:
            if o[0] == "S" and part in ("walls", "floor"):
                self.out.global_parts[f"room.{part}"] = mat_col
            elif o[0] == "M":
                m = self.out.mentions[int(o[1])]
                if resolve_part(list(KINDS[m.kind].parts), part):
                    m.parts[part] = mat_col
                    m.words += f" with {np_words}"

    def relate(self, rel: str, group: list[Ref], target: Ref | None, words: str, joins: list[str]) -> None:
        if rel in W.REVERSED and target is not None and target[0] == "M" and group:
            self.reverse(rel, group, int(target[1]), words)
            if rel != "surrounded":
                return
        subjects = [r for r in group if r[0] == "M"]
        if not subjects:
            return
        if target is None and rel in ("near", "line", "ring") and " " not in words:
            # "two tents nearby", "boats moored alongside": by the last thing named before them
            taken = {r[1] for r in subjects}
            before = [r for r in reversed(self.recent) if not (r[0] == "M" and r[1] in taken)]
            before = [r for r in before if r[0] == "M"] or before
            target = before[0] if before else None
        if len(subjects) > 1 and joins and joins[-1] == ",":
            subjects = subjects[-1:]  # "a bed, a desk, two lamps on the desk": the last one only
        elif len(subjects) > 2:
            # "a lighthouse, two piers, barrels and crates by the water": the run of like things at the end
            ground = KINDS[self.out.mentions[int(subjects[-1][1])].kind].ground
            run = []
            for s in reversed(subjects):
                if KINDS[self.out.mentions[int(s[1])].kind].ground != ground:
                    break
                run.insert(0, s)
            subjects = run
        if rel == "on" and target is not None and target[0] == "M" and len(subjects) > 1:
            small = [s for s in subjects if KINDS[self.out.mentions[int(s[1])].kind].ground == "on"]
            subjects = small or subjects[-1:]
        apply_relation(self.out, rel, [int(s[1]) for s in subjects if not (target and target[0] == "M"
                                                                            and target[1] == s[1])],
                       target, words, self.interior)
