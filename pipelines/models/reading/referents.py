"""Resolving phrases to what they name: mentions (new or earlier), features, settings, parts; reports.

``Referents`` holds the parse being built (``ParsedPrompt``) and turns one
noun phrase at a time into references; ``binder.Binder`` adds the sentence
loop that relates them. A noun the catalog lacks goes through ``nearest``
(WordNet, then the encoder); adjectives become attributes the kind honours or
are reported as unhonoured; "X with Y" and reversed relations ("A covered in
B") place Y relative to X.
"""

from __future__ import annotations

from pipelines.models.kinds import KINDS
from pipelines.models.materials import MATERIAL_WORDS
from pipelines.models.reading import words as W
from pipelines.models.reading.companions import Companions
from pipelines.models.reading.model import Mention, ParsedPrompt
from pipelines.models.reading.nouns import NounRules
from pipelines.models.reading.phrases import NP
from pipelines.models.reading.relations import Ref
from pipelines.models.reading.wordnet import kind_chain
from pipelines.models.reading.words import CONTENT_HOLDERS
from pipelines.models.vocabulary import MANY, MAX_PER_MENTION, SOME, SPECIES_MATERIAL, lexicon
from pipelines.plan import UnknownWord

MAX_WORD_CHARS = 48  # an unknown "word" of 5000 letters is reported by its start
COVER_COUNT = 14  # "covered in heather": a ground cover's clumps
STONES = {"stone", "rock", "granite", "sandstone", "marble"}


def _same_noun(head: list[str], words: str) -> bool:
    """True when a phrase's head noun is the noun of earlier words ("tables" / "four round tables")."""

    def stem(w: str) -> str:
        return w[:-2] if w.endswith("es") else (w[:-1] if w.endswith("s") else w)

    return bool(head) and stem(head[-1]) in {stem(w) for w in words.split()}


SETTING_FEATURES = {"harbour"}  # feature words that also name a setting the water's own (beach) would hide


class Referents(NounRules, Companions):
    """The parse so far, and the resolution of phrases into references (see the module docstring)."""

    def __init__(self, nearest, interior: bool) -> None:  # noqa: ANN001 - encoder.nearest_kind's shape
        self.nearest = nearest
        self.interior = interior
        self.out = ParsedPrompt()
        self.reported: set[str] = set()
        self.last_group: list[Ref] = []
        self.part_mods: dict[str, tuple] = {}  # a part phrase's words -> (material, color) it gives
        self.owner: list[Ref] = []  # what "with" gives companions to, while a sentence reads them
        self.recent: list[Ref] = []  # mentions and features in the order they were last named, for pronouns
        self.after_of = False  # the companions being read follow "of" ("baskets of fruit"), not "with"
        self.each: set[int] = set()  # mentions said one by one ("five houses, each with a mailbox")

    # ------------------------------------------------------------ reports

    def report(
        self,
        word: str,
        kind: str | None = None,
        score: float = 0.0,
        how: str = "skipped",
        chain: list[str] | None = None,
        said_of: str | None = None,
    ) -> None:
        key = f"{word}|{said_of}"
        if key in self.reported:
            return
        self.reported.add(key)
        shown = word if len(word) <= MAX_WORD_CHARS else word[: MAX_WORD_CHARS - 1] + "…"
        self.out.unknown.append(
            UnknownWord(
                word=shown,
                mapped_to=kind,
                score=round(float(score), 3),
                how=how,
                chain=list(chain or []),
                said_of=said_of,
            )
        )

    def setting(self, name: str, np: NP | None = None) -> None:
        if name not in self.out.settings:
            self.out.settings.append(name)
        if np is not None:
            self.out.scale *= np.size
            self.out.density *= np.density

    def feature(self, name: str, np: NP | None = None) -> Ref:
        if name not in self.out.features:
            self.out.features.append(name)
        for _words, names in np.attrs if np else []:
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
        self.rename(np, role)
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
            for k in range(len(self.out.mentions) - 1, -1, -1):  # "a koi pond ... over the pond": that pond
                if np.definite and _same_noun(np.head_words, self.out.mentions[k].words):
                    return [("M", k, np.text)]
            if lexicon().settings.get(tuple(np.head_words)) in SETTING_FEATURES:  # "a harbour": water and a setting
                self.setting(lexicon().settings[tuple(np.head_words)])
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
        if role == "object" and np.head_words and np.head_words[-1] in W.GROUND_WORDS:
            return [("S", "ground", np.text)]  # "across the grass", "on the floor": the ground itself
        if role == "companion" and np.head == "unknown" and np.count in (None, 1):
            part = self.own_part(np)
            if part is not None:  # "a well with a bucket": the well's own
                return [("P", part, np.text)]
        if (
            role == "companion"
            and self.after_of
            and any(r[0] == "M" and self.out.mentions[int(r[1])].kind in CONTENT_HOLDERS for r in self.owner)
        ):
            holder = [r for r in self.owner if r[0] == "M" and self.out.mentions[int(r[1])].kind in CONTENT_HOLDERS]
            self.out.mentions[int(holder[-1][1])].words += f" of {np.text}"  # "baskets of fruit": what they hold
            return [("P", "contents", np.text)]
        kind, how = None, "catalog"
        chain: list[str] = []
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
                if kind is None and np.material in STONES:
                    kind = "boulder"  # "a stone circle", "a ring of stones": standing stones
            if kind is None or kind not in KINDS:
                return []
        elif np.head == "unknown" and np.value in ("circle", "ring", "circles") and np.material in STONES:
            kind, how = "boulder", "collective"  # "a stone circle": standing stones in a ring
            np.count, np.placement = 7 if np.count in (None, 1) else np.count, "ring"
        elif np.head == "unknown":
            kind, how, chain = self.unknown_noun(str(np.value))
            if kind is None:
                return []
        kind = self.counterpart(str(kind), np)
        if role == "object" and group:
            own = self.own_name(kind, np, group)
            if own is not None:  # "nets drying on racks" said of net racks: the racks are the nets' own
                return [own]
        if (
            role == "companion"
            and np.count in (None, 1)
            and any(r[0] == "M" and self.out.mentions[int(r[1])].kind == kind for r in self.owner)
        ):
            return [("P", "self", np.text)]  # "a church with a steeple": the church's own, not a second one
        if kind == "wall" and self.interior:
            if role == "companion":  # "a tavern with stone walls": the room's own walls
                self.part_mods[np.text] = (np.material, np.color)
                return [("P", "walls", np.text)]
            if role == "object":
                return [self.feature("walls", np)]
        # "the tables", "on tables" after "four tables": the ones already named (an object named by another
        # noun of the same kind, "jars" after "a cauldron", is a new one)
        if (np.definite and (np.count is None or role == "object")) or (role == "object" and np.count is None):
            for k in range(len(self.out.mentions) - 1, -1, -1):
                m = self.out.mentions[k]
                if m.kind == kind and (np.definite or _same_noun(np.head_words, m.words)):
                    self.qualify(m, np)
                    return [("M", k, np.text)]
            if np.definite:  # "the gate" of a gatehouse named before, "the table" of a picnic table
                for k in range(len(self.out.mentions) - 1, -1, -1):
                    if kind in self.out.mentions[k].kind and kind != self.out.mentions[k].kind:
                        return [("M", k, np.text)]
        ref = self.mention(str(kind), np, how, chain)
        self.contained(np, int(ref[1]))
        return [ref]

    def unknown_noun(self, word: str) -> tuple[str | None, str, list[str]]:
        kind, score, how = self.nearest(word)
        chain: list[str] = []
        if how == "wordnet":
            chain = kind_chain(word, set(KINDS))[2]
        self.report(word, kind, score, how, chain)
        return kind, how, chain

    def pronoun(self, np: NP, role: str, group: list[Ref]) -> list[Ref]:
        """ "them", "it": the latest thing named that is not the subject itself, agreeing in number."""
        if np.value == "scene" or "all" in np.words[1:]:
            return [("S", "scene", np.text)]  # "around it all": around everything
        if role == "subject":
            return list(self.last_group)
        taken = {(r[0], r[1]) for r in group}
        options = [r for r in reversed(self.recent) if (r[0], r[1]) not in taken]
        if not options and group:  # "a barn, a silo next to it": the list's last item is the subject
            options = [r for r in reversed(self.recent) if (r[0], r[1]) != (group[-1][0], group[-1][1])]
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
            if np.plural and np.head_words and np.head_words[-1] != kind_name.split()[-1]:
                count = max(2, count)  # "mailboxes", "barns": more than one, even of kinds that mostly come alone
        elif np.count == MANY:
            count = max(8, 2 * kind.plural_count)
        elif np.count == SOME:
            count = max(3, round(kind.plural_count * 0.75))
        else:
            count = np.count
        m = Mention(
            kind=kind_name,
            count=1,
            words=np.text,
            explicit=explicit,
            material=np.material,
            color=np.color,
            size=np.size,
            species=np.species,
            how=how,
            chain=chain,
        )
        if np.collective is not None and np.collective in kind_name.split():
            count = count if explicit else np.collectives  # "a pile of firewood": one firewood pile
        elif np.collective is not None and np.collective in W.COLLECTIVES:
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
        m.asked = max(1, count)
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
        for w in np.words:  # "a shipwreck" is a broken ship, "a tipi" a round tent
            state = W.NOUN_ATTRIBUTES.get(w)
            if state in kind.attributes and state not in m.attributes:
                m.attributes.append(state)
        # a word of the phrase that names one of the kind's own variants: "hydrangeas", "a grand piano", "tulips"
        for w in np.words + m.chain[:1]:
            for form in (w, w[:-1] if w.endswith("s") else w, w[:-2] if w.endswith("es") else w):
                if form in kind.attributes and form not in m.attributes:
                    m.attributes.append(form)
        for adj in np.adjectives:
            if adj in kind.attributes:
                continue
            if adj not in m.unhonoured:
                m.unhonoured.append(adj)
        for word in m.unhonoured:
            self.report(word, None, 0.0, "unhonoured", said_of=m.kind)

    # ------------------------------------------------------------ sentences

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

    def reverse(self, rel: str, group: list[Ref], k: int, words: str) -> None:
        """ "A surrounded by B", "A flanked by B", "A covered in B": B is placed around, beside or on A."""
        m = self.out.mentions[k]
        m.relation_words = words
        host = group[-1]  # "a table and shelves full of jars": the nearest one
        lined = words.split()[0] == "lined"  # "a road lined with trees", "a street lined with houses": both sides
        if lined and (host[0] == "F" or (host[0] == "S" and host[1] in ("street", "suburb"))):
            feature = "road" if host[0] == "S" else str(host[1])
            m.placement, m.feature, m.anchor = "both_sides", feature, None
            self.feature(feature)
            return
        if host[0] == "F":  # "a pond ringed by palms", "a frozen lake surrounded by pines": along its shore
            feature = str(host[1])
            placement = {"surrounded": "shore", "flanked": "both_sides", "covered": "scatter", "lit": "near"}[rel]
            if feature not in ("lake", "river", "water") and placement == "shore":
                placement = "ring"
            m.placement, m.feature, m.anchor = placement, feature, None
            return
        if rel == "lit":  # "a crypt lit by torches": on its walls; "a tomb lit by candles": beside it
            if host[0] == "M":
                m.placement, m.anchor, m.feature = "near", int(host[1]), None
            elif self.interior:
                m.placement, m.anchor, m.feature = "against", None, "walls"
            return
        if host[0] == "S":  # "a moor covered in heather": a ground cover, spread all over
            m.placement, m.feature, m.anchor = "scatter", None, None
            if not m.explicit:
                m.count = max(m.count, COVER_COUNT)
            return
        if host[0] != "M":
            return
        anchor = int(host[1])
        if rel == "flanked":
            m.placement, m.anchor, m.feature = "both_sides", anchor, None
        elif rel == "covered":
            m.placement, m.anchor, m.feature = "on", anchor, None
            self.stack(m) if KINDS[m.kind].flags.get("stackable") and KINDS[m.kind].ground != "on" else None
