"""What a noun means in its place: a generic word indoors or outdoors ("the fire"), a companion that is its owner's
own part ("a well with a bucket"), an object that is the subject's own ("net racks ... on racks"), and a water plant or
fish that names a pond ("a lotus pond"). A mixin of ``referents.Referents``, which holds the parse."""

from __future__ import annotations

from pipelines.models.kinds import KINDS
from pipelines.models.reading.model import Mention, ParsedPrompt
from pipelines.models.reading.phrases import NP
from pipelines.models.reading.relations import CONTAINERS, Ref
from pipelines.models.vocabulary import resolve_part

# A generic word ("fire", "lamp") means one kind indoors and another outdoors.
GENERIC_WORDS = {"fire", "fires", "lamp", "lamps", "light", "lights", "blaze", "plant", "plants"}
INDOORS = {"campfire": "fireplace", "lamp post": "floor lamp", "bush": "potted plant"}
OUTDOORS = {"fireplace": "campfire", "floor lamp": "lamp post"}


class NounRules:
    """Rules on single nouns; ``out``, ``owner`` and ``interior`` come from ``Referents``."""

    out: ParsedPrompt
    owner: list[Ref]
    interior: bool

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
