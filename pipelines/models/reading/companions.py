"""What "X with Y" does: Y's parts go to X ("a barn with a red roof"), and objects are placed by what they are
(seats ring tables, small things stand on them, fish swim in ponds). A mixin of ``referents.Referents``, which holds
the parse."""

from __future__ import annotations

from pipelines.models.kinds import KINDS
from pipelines.models.reading.model import ParsedPrompt
from pipelines.models.reading.relations import Ref
from pipelines.models.vocabulary import MAX_PER_MENTION, SEATS_PER_TABLE, resolve_part


class Companions:
    """Placing what "with" brings; ``out`` and ``part_mods`` come from ``Referents``."""

    out: ParsedPrompt
    part_mods: dict[str, tuple]
    each: set[int]

    def companions(self, owner: list[Ref], refs: list[Ref]) -> None:
        """ "X with Y": parts go to X; objects are placed by what they are (seats ring tables, small things on them)."""
        owners = [r for r in owner if r[0] == "M"]
        for r in refs:
            if r[0] == "P":
                self.part(owner, r)
                continue
            if r[0] != "M" or not owners:
                continue
            m = self.out.mentions[int(r[1])]
            kind = KINDS[m.kind]
            if all(int(o[1]) in self.each for o in owners):  # "five houses, each with a mailbox": one for every house
                m.count = min(MAX_PER_MENTION, m.count * sum(self.out.mentions[int(o[1])].count for o in owners))
            tables = [o for o in owners if KINDS[self.out.mentions[int(o[1])].kind].flags.get("surface")]
            ponds = [o for o in owners if KINDS[self.out.mentions[int(o[1])].kind].group in ("pond", "fountain")]
            # "a bar counter, stools, three tables with chairs": "with" takes the nearest conjunct it fits
            if kind.group == "seat" and tables:
                anchor = self.out.mentions[int(tables[-1][1])]
                m.placement, m.anchor = "ring", int(tables[-1][1])
                m.relation_words = f"with {m.words}"
                if not m.explicit:
                    m.count = min(MAX_PER_MENTION, SEATS_PER_TABLE * anchor.count)
            elif kind.ground == "on" and tables:
                m.placement, m.anchor, m.relation_words = "on", int(tables[-1][1]), f"with {m.words}"
            elif ponds and (kind.ground == "water" or kind.group in ("fish", "waterfowl", "water plant")):
                m.placement, m.anchor, m.relation_words = "on", int(ponds[-1][1]), f"with {m.words}"
            elif kind.flags.get("leans") and m.placement == "scatter":  # "a barn with a ladder": against it
                m.placement, m.anchor, m.relation_words = "against", int(owners[-1][1]), f"with {m.words}"
            elif m.placement == "scatter":  # "a barn, a tractor and a paddock with horses": the nearest owner
                m.placement, m.anchor, m.relation_words = "near", int(owners[-1][1]), f"with {m.words}"

    def part(self, owner: list[Ref], ref: Ref) -> None:
        np_words = ref[2]
        mat_col = self.part_mods.get(np_words)
        if mat_col is None or mat_col == (None, None):
            return
        part = str(ref[1])
        things = [o for o in owner if o[0] == "M"]
        if len(things) > 1 and np_words.split()[0] in ("a", "an", "one"):
            owner = things[-1:]  # "a farmhouse and a barn with a red roof": the barn's roof, not both
        for o in owner:
            if o[0] == "S" and part in ("walls", "floor"):
                self.out.global_parts[f"room.{part}"] = mat_col
            elif o[0] == "M":
                m = self.out.mentions[int(o[1])]
                if resolve_part(list(KINDS[m.kind].parts), part):
                    m.parts[part] = mat_col
                    m.words += f" with {np_words}"
