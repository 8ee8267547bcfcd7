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
from pipelines.models.reading import words as W
from pipelines.models.reading.phrases import NP, Unit
from pipelines.models.reading.referents import Referents
from pipelines.models.reading.relations import Ref, apply_relation
from pipelines.models.vocabulary import MAX_PER_MENTION


def fold_state_nouns(units: list[Unit]) -> list[Unit]:
    """ "the ruins of a castle", "the wreck of a ship": one thing in that state, not a thing and its ruins."""
    out: list[Unit] = []
    i = 0
    while i < len(units):
        u = units[i]
        nxt = units[i + 2].np if i + 2 < len(units) and units[i + 1].type == "of" else None
        if (
            u.type == "np"
            and u.np is not None
            and u.np.head_words
            and u.np.head_words[-1] in W.STATE_NOUNS
            and nxt is not None
            and nxt.head in ("kind", "unknown")
            and u.np.head not in ("kind", "collective")
        ):
            word = u.np.head_words[-1]
            nxt.attrs.append((word, (W.STATE_NOUNS[word],)))
            nxt.words = [*u.np.words, "of", *nxt.words]
            nxt.count = nxt.count if nxt.count is not None else (u.np.count if u.np.count not in (None, 1) else None)
            out.append(units[i + 2])
            i += 3
            continue
        out.append(u)
        i += 1
    return out


class Binder(Referents):
    """Reads sentences of chunks into ``self.out`` (see the module docstring)."""

    def sentence(self, units: list[Unit]) -> None:
        units = fold_state_nouns(units)
        self.after_of = False
        first = next((u for u in units if u.type == "np" and u.np is not None), None)
        self.place_first = first is not None and first.np is not None and first.np.head == "setting"
        group: list[Ref] = []
        joins: list[str] = []  # how each group member joined the one before: "and", ",", ""
        closed = False  # a relation has been applied to the group: the next phrase starts a new one
        waiting: tuple[str, list[str]] | None = None  # a relation read, its object not yet
        pending: list[tuple[str, Ref | None, str]] = []  # clause-initial relations waiting for a subject
        owner: list[Ref] | None = None  # "X with ...": X
        pending_used = False
        dropped = False  # the subject was skipped: what is said of it is dropped with it
        applied: tuple | None = None  # the last relation to a feature (rel, group, joins, words, its words)
        last_rel: tuple[str, list[str]] | None = None
        joiner = ""
        neg = False
        object_ref: tuple | None = None  # the mention a relation's object named last ("beside a pond")
        placed: tuple | None = None  # the object of "a place full of X", while nothing else follows it
        with_refs: list[Ref] = []  # what "with" brought so far
        for pos, u in enumerate(units):
            carried, placed = placed, None
            if u.type == "neg":
                neg = True
                continue
            if u.type in ("conj", "comma"):
                if u.type == "comma" and owner and not any(o[0] in ("S", "F") for o in owner):
                    owner = None  # "a bar with stools, four tables ...": a list goes on without the bar
                    closed = closed or bool(group and all(r in with_refs for r in group))  # and without the stools
                if waiting is not None and waiting[0] != "dropped":
                    self.relate(waiting[0], group or (owner or []), None, " ".join(waiting[1]), joins)
                    closed = True
                waiting = None
                joiner = "and" if u.type == "conj" else ("," if joiner != "and" else "and")
                continue
            if u.type == "of":  # "a village of ten houses": what follows belongs to it, like "with"
                nxt = units[pos + 1] if pos + 1 < len(units) else None
                if (
                    applied is not None
                    and nxt is not None
                    and nxt.type == "np"
                    and nxt.np is not None
                    and nxt.np.head == "feature"
                ):
                    # "on the shore of the lake", "on the banks of the river": the place is the lake's shore
                    rel, subjects, sub_joins, words, place = applied
                    target = self.referent(nxt.np, "object", subjects)[0]
                    target = (target[0], target[1], f"{place} of {nxt.np.text}")  # keeps "shore", "banks"
                    self.relate(rel, subjects, target, f"{words} of {nxt.np.text}", sub_joins)
                    units[pos + 1] = Unit("of", words=[])  # read; skip it
                    continue
                owner = [r for r in group if r[0] in ("M", "S", "F")] or owner or []
                closed, joiner, self.after_of = True, "", True
                continue
            if u.type == "with":
                self.after_of = False
                owner = [r for r in group if r[0] in ("M", "S", "F")] or owner or []
                if pos > 0 and units[pos - 1].type == "np" and object_ref is not None:
                    owner = owner + [object_ref]  # "a pagoda beside a pond with koi": the pond may hold them
                closed, joiner = True, ""
                continue
            if u.type == "rel" and dropped and not group:
                waiting = ("dropped", u.words)  # its object is still read (and may be an object of its own)
                continue
            if u.type == "rel" and carried is not None:
                group, joins, closed = [carried], [""], False  # "a greenhouse full of plants on long tables"
            if u.type == "rel":
                if waiting is not None and waiting[0] != "dropped":
                    self.relate(waiting[0], group, None, " ".join(waiting[1]), joins)
                if closed and joiner:  # ", and around the fountain ...": a new clause, its subject still to come
                    group, joins, closed, owner = [], [], False, None
                has_object = u.words[-1] in W.PREPOSITIONS and pos + 1 < len(units) and units[pos + 1].type == "np"
                if not has_object:
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
                object_ref = targets[0] if targets and targets[0][0] == "M" else None
                if rel in W.REVERSED and object_ref is not None and group and group[-1][0] == "S":
                    placed = object_ref  # what a place is full of: a relation right after it is said of it
                words = " ".join(rwords + np.words)
                if group:
                    for t in targets[:1]:
                        self.relate(rel, group, t, words, joins)
                        applied = (rel, list(group), list(joins), words, str(t[2])) if t[0] == "F" else None
                    closed, last_rel, owner = True, (rel, rwords), None
                else:
                    pending += [(rel, t, words) for t in targets[:1]] or [(rel, None, words)]
                joiner = ""
                continue
            if joiner == "and" and last_rel is not None and last_rel[0] in W.REVERSED and closed:
                # "covered in bottles and books": both go on it
                for t in self.referent(np, "object", group)[:1]:
                    self.relate(last_rel[0], group, t, " ".join(last_rel[1] + np.words), joins)
                joiner = ""
                continue
            nxt_with = pos + 1 < len(units) and units[pos + 1].type == "with"
            said = [r for r in (group or self.last_group) if r[0] == "M"]
            if np.head == "pronoun" and np.words[:1] in (["each"], ["every"]) and nxt_with and said:
                self.each |= {int(r[1]) for r in said}  # "five houses, each with a mailbox": the houses, one by one
                group, joins, owner, closed, joiner, object_ref = said, [""] * len(said), None, False, "", None
                continue
            self.owner = owner or []
            refs = self.referent(np, "subject" if owner is None else "companion", group)
            if refs and all(r[:2] == ("P", "contents") for r in refs):
                # "a barrel of nails and a rack": the contents close the barrel's phrase; the list goes on
                group, joins = list(owner or group), [""] * len(owner or group)
                owner, closed, joiner, self.after_of = None, False, "", False
                continue
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
            listed = bool(joiner and group and all(r in with_refs for r in group))  # "with a fence and a bench"
            if owner is not None and (closed or not group or group == owner or listed):
                with_refs += refs
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

    def post_attrs(self, np: NP, group: list[Ref], joins: list[str]) -> None:
        """ "barrels, crates and sacks stacked ...": a stacking word after the last conjunct covers the group."""
        if not any(names[0] == "stacked" for _, names in np.attrs) or len(group) < 2 or joins[-1] != "and":
            return
        for r in group[:-1]:
            if r[0] == "M" and KINDS[self.out.mentions[int(r[1])].kind].flags.get("stackable"):
                self.stack(self.out.mentions[int(r[1])])  # "chairs and barrels stacked": the barrels

    def with_companion(self, r: Ref) -> bool:
        m = self.out.mentions[int(r[1])]
        return m.relation_words.startswith("with ") and m.anchor is not None

    def relate(self, rel: str, group: list[Ref], target: Ref | None, words: str, joins: list[str]) -> None:
        if (
            rel == "ring"
            and target is not None
            and target[0] == "M"
            and words.split()[-1] in ("it", "them")
            and getattr(self, "place_first", False)
            and group
            and all(r[0] == "M" and KINDS[self.out.mentions[int(r[1])].kind].flags.get("linear") for r in group)
        ):
            target = ("S", "scene", words)  # "a churchyard with graves, a gate and a wall around it": the churchyard
        if rel in W.REVERSED and target is not None and target[0] == "M" and group:
            self.reverse(rel, group, int(target[1]), words)
            if rel != "surrounded":
                return
        subjects: list[Ref] = []
        owned: list[Ref] = []  # companions that go with their owner: "tables with chairs by the lake"
        for r in group:
            if r[0] != "M":
                continue
            m = self.out.mentions[int(r[1])]
            if (
                m.relation_words.startswith("with ")
                and m.placement in ("ring", "on")
                and m.anchor is not None
                and not (target is not None and target[0] == "M" and target[1] == m.anchor)
            ):
                owned.append(("M", m.anchor, ""))
            elif all(x[1] != r[1] for x in subjects):
                subjects.append(r)
        lead = next((r for r in group if r[0] == "M"), None)
        if (
            rel in ("both_sides", "line")
            and target is not None
            and target[0] == "F"
            and lead
            and self.with_companion(lead)
        ):
            # "houses with gardens and fences on both sides of the street": the houses line it, their own by them
            owner = self.out.mentions[int(lead[1])].anchor
            for r in group:
                m = self.out.mentions[int(r[1])] if r[0] == "M" else None
                if m is not None and m.placement == "scatter" and int(r[1]) != owner:
                    m.placement, m.anchor, m.relation_words = "near", owner, f"with {m.words}"
            subjects, owned = [], [("M", owner, "")]
        if not subjects:  # only the companions were said: the relation moves their owner
            for r in owned:
                if all(x[1] != r[1] for x in subjects):
                    subjects.append(r)
        # else "tables with chairs and barrels against the wall": the barrels, not the tables, are against it
        if not subjects:
            return
        if target is None and rel in ("dir_front", "dir_behind") and words.endswith(("front", "behind")):
            if len(subjects) > 1:  # "a house, a well in front": in front of the house
                target, subjects = subjects[-2], subjects[-1:]
            elif self.with_companion(subjects[-1]):  # "houses with gardens in front": in front of the houses
                target = ("M", self.out.mentions[int(subjects[-1][1])].anchor, "")
        if target is None and rel in ("near", "line", "ring") and " " not in words:
            # "two tents nearby", "boats moored alongside": by the last thing named before them
            taken = {r[1] for r in subjects}
            before = [r for r in reversed(self.recent) if not (r[0] == "M" and r[1] in taken)]
            before = [r for r in before if r[0] == "M"] or before
            target = before[0] if before else None
        if target is None and rel in ("both_sides", "line") and self.interior and len(subjects) > 1:
            subjects = subjects[-1:]  # "a bed and a nightstand on each side": the nightstand flanks the bed
        if len(subjects) > 1 and joins and joins[-1] == ",":
            subjects = subjects[-1:]  # "a bed, a desk, two lamps on the desk": the last one only
        elif len(subjects) > 1 and words.split()[0].endswith("ing"):
            subjects = subjects[-1:]  # "a scarecrow, and a wall running along the field": the wall runs
        elif len(subjects) > 2:
            # "a lighthouse, two piers, barrels and crates by the water": the run of like things at the end
            ground = KINDS[self.out.mentions[int(subjects[-1][1])].kind].ground
            run: list[Ref] = []
            for s in reversed(subjects):
                if KINDS[self.out.mentions[int(s[1])].kind].ground != ground:
                    break
                run.insert(0, s)
            subjects = run
        if rel == "on" and target is not None and target[0] == "M" and len(subjects) > 1:
            small = [s for s in subjects if KINDS[self.out.mentions[int(s[1])].kind].ground == "on"]
            subjects = small or subjects[-1:]
        said = [int(s[1]) for s in subjects if not (target and target[0] == "M" and target[1] == s[1])]
        if target is not None and target[0] == "M" and {"each", "every"} & set(words.split()):
            per = self.out.mentions[int(target[1])].count  # "a mailbox in front of each house": one for every house
            for m in [self.out.mentions[k] for k in said]:  # "hedges by each house": at least one each
                m.count = min(MAX_PER_MENTION, m.count * per if m.explicit or m.count == 1 else max(m.count, per))
        apply_relation(self.out, rel, said, target, words, self.interior)
