"""What a noun means in its place: a generic word indoors or outdoors ("the fire"), a companion that is its owner's
own part ("a well with a bucket"), an object that is the subject's own ("net racks ... on racks"), and a water plant or
fish that names a pond ("a lotus pond"). A mixin of ``referents.Referents``, which holds the parse."""

from __future__ import annotations

from collections.abc import Callable

from pipelines.models.kinds import KINDS
from pipelines.models.reading.model import Mention, ParsedPrompt
from pipelines.models.reading.phrases import NP
from pipelines.models.reading.relations import CONTAINERS, Ref
from pipelines.models.settings import SETTINGS
from pipelines.models.vocabulary import resolve_part

# A generic word ("fire", "lamp") means one kind indoors and another outdoors.
GENERIC_WORDS = {"fire", "fires", "lamp", "lamps", "light", "lights", "blaze", "plant", "plants"}
INDOORS = {"campfire": "fireplace", "lamp post": "floor lamp", "bush": "potted plant"}
OUTDOORS = {"fireplace": "campfire", "floor lamp": "lamp post"}
TOWNS = {"village", "street", "suburb", "harbour", "market", "farm"}  # where a named room is a building of its own


class NounRules:
    """Rules on single nouns; ``out``, ``owner`` and ``interior`` come from ``Referents``."""

    out: ParsedPrompt
    owner: list[Ref]
    interior: bool
    nearest: Callable[[str], tuple[str | None, float, str]]

    def report(self, word: str, kind: str | None = None, score: float = 0.0, how: str = "skipped") -> None: ...

    def rename(self, np: NP, role: str) -> None:
        """What a phrase names, read whole before its head: an unknown compound ("a totem pole": WordNet knows it,
        so "pole" is no lamp post qualified by a skipped "totem"), a garden said of houses (a flower bed by each),
        and a room named as a thing of an outdoor place ("a graveyard ... a crypt": a mausoleum; "a village with a
        tavern": a house)."""
        mods = np.noun_mods
        if np.head == "unknown" and mods and mods[-1][1] == "unknown":
            word = f"{mods[-1][0]} {np.value}"
            kind, _, how = self.nearest(word)
            if kind is not None and how in ("wordnet", "synonym"):
                np.value, np.noun_mods = word, mods[:-1]
        if np.head != "setting":
            return
        buildings = [r for r in self.owner if r[0] == "M" and KINDS[self.out.mentions[int(r[1])].kind].ground == "pad"]
        if role == "companion" and np.value == "garden" and buildings:
            np.head, np.value = "kind", "flower bed"
            return
        room = SETTINGS.get(str(np.value))
        named = [SETTINGS[n] for n in self.out.settings if n in SETTINGS]
        if role == "object" or room is None or not room.interior or all(s.interior or not s.defaults for s in named):
            return
        kind = self.nearest(" ".join(np.head_words))[0]
        if kind is None or KINDS[kind].ground != "pad":
            kind = "house" if set(self.out.settings) & TOWNS else None
        if kind is not None:
            self.report(" ".join(np.head_words), kind, 0.5, "synonym")  # shown in the parse: where it landed
            np.head, np.value = "kind", kind

    def own_part(self, np: NP) -> str | None:
        """Return the part of the "with" owner that a companion phrase names ("a well with a bucket"), or None."""
        head = np.head_words[-1] if np.head_words else ""
        for r in self.owner:
            if r[0] == "M":
                parts = resolve_part(list(KINDS[self.out.mentions[int(r[1])].kind].parts), head)
                if parts:
                    return parts[0]
        return None

    def counterpart(self, kind: str, np: NP) -> str:
        """Return the kind a generic word means here: "the fire" is a campfire outdoors and a fireplace inside."""
        head = np.head_words[-1] if np.head_words else ""
        if np.head != "kind" or head in GENERIC_WORDS:
            other = (INDOORS if self.interior else OUTDOORS).get(kind, kind)
            for u in self.out.unknown if other != kind else []:
                if u.word == head and u.mapped_to == kind:
                    u.mapped_to, u.chain = other, u.chain + [other] if u.chain else []
            return other
        return kind

    def own_name(self, kind: str, np: NP, group: list[Ref]) -> Ref | None:
        """Return the subject whose own name ends in the object's noun ("net racks" ... "on racks"), or None."""
        head = np.head_words[-1] if np.head_words else ""
        head = head[:-1] if head.endswith("s") else head
        for r in group:
            if r[0] == "M":
                mk = self.out.mentions[int(r[1])].kind
                if mk != kind and " " in mk and mk.split()[-1] == head:
                    return ("M", r[1], np.text)
        return None

    def contained(self, np: NP, host: int) -> None:
        """A water plant or fish naming a pond ("a lotus pond"): it grows in it, as a mention of its own."""
        m = self.out.mentions[host]
        if m.kind not in CONTAINERS:
            return
        for w, what, value in np.noun_mods:
            kind = KINDS.get(value) if what == "kind" else None
            if kind is not None and (kind.ground == "water" or kind.group in ("fish", "water plant", "flower")):
                self.out.mentions.append(
                    Mention(
                        kind=kind.name,
                        count=kind.plural_count,
                        words=w,
                        placement="on",
                        anchor=host,
                        relation_words=f"{w} {np.head_words[-1]}",
                    )
                )
