"""The parse as data (``ParsedPrompt.trace``) and as rows for ``--explain`` / ``hyworld plan``.

One trace entry per object mention (the words that made it, the kind, count,
attributes applied and not, the relation its placement came from, how the
noun found its kind), one per setting and feature, and one per reported word
(unknown nouns and where they landed, attributes nothing could show).
"""

from __future__ import annotations

from pipelines.models.reading.model import ParsedPrompt


def _relation(p: ParsedPrompt, k: int) -> str:
    m = p.mentions[k]
    target = ""
    if m.anchor is not None and 0 <= m.anchor < len(p.mentions):
        target = f"{p.mentions[m.anchor].kind} (#{m.anchor})"
    elif m.feature:
        target = m.feature
    how = m.placement if not m.direction else f"{m.placement} {m.direction}"
    return f"{how} {target}".strip()


def build_trace(p: ParsedPrompt) -> list[dict]:
    """Return the trace entries for a parsed prompt (JSON-ready: str, int, list, None)."""
    out: list[dict] = []
    for k, m in enumerate(p.mentions):
        out.append(
            {
                "type": "object",
                "index": k,
                "words": m.words,
                "kind": m.kind,
                "count": m.count,
                "explicit": m.explicit,
                "attributes": list(m.attributes),
                "unhonoured": list(m.unhonoured),
                "collective": m.collective,
                "stacked": m.stacked,
                "relation": _relation(p, k),
                "relation_words": m.relation_words,
                "how": m.how,
                "chain": list(m.chain),
            }
        )
    for s in p.settings:
        out.append({"type": "setting", "words": s, "kind": s, "how": "setting"})
    for f in p.features:
        out.append(
            {
                "type": "feature",
                "words": f,
                "kind": f,
                "attributes": list(p.feature_attributes.get(f, [])),
                "how": "feature",
            }
        )
    for k in sorted(p.negated):
        out.append({"type": "negated", "words": k, "kind": k, "how": "negated"})
    for u in p.unknown:
        if u.how == "unhonoured":
            out.append({"type": "unhonoured", "words": u.word, "kind": u.said_of, "how": "unhonoured"})
        elif u.mapped_to is None:
            out.append({"type": "unknown", "words": u.word, "kind": None, "how": u.how})
    return out


def explain_rows(trace: list[dict], entities: list | None = None) -> list[dict]:
    """Return one printable row per trace entry: words, became, relation, attributes, how (all strings).

    With the plan's ``entities`` (``ScenePlan.entities``), an object row also says how many were placed when
    that differs from the count asked for (a forest thinned to fit, a cap).
    """
    rows = []
    for t in trace:
        kind = t.get("kind")
        if t["type"] == "object":
            became = f"{t['count']} × {kind}"
            if entities is not None:
                made = sum(1 for e in entities if e.kind == kind and e.words == t["words"])
                if made != t["count"]:
                    became += f" ({made} placed)"
            if t.get("collective"):
                became += f" ({t['collective']})"
            if t.get("stacked"):
                became += ", stacked"
            how = t["how"] + (": " + " → ".join(t["chain"]) if t.get("chain") else "")
            attrs = ", ".join(t["attributes"])
            if t["unhonoured"]:
                attrs = (attrs + "; " if attrs else "") + "not shown: " + ", ".join(t["unhonoured"])
            rel = t["relation"] + (f' ← "{t["relation_words"]}"' if t.get("relation_words") else "")
        elif t["type"] == "unknown":
            became, rel, attrs, how = "(nothing)", "", "", t["how"]
        elif t["type"] == "unhonoured":
            became, rel, attrs, how = f"not shown on {kind}", "", "", "unhonoured"
        else:
            became, rel, how = f"{t['type']} {kind}", "", t["how"]
            attrs = ", ".join(t.get("attributes", []))
        rows.append({"words": str(t["words"]), "became": became, "relation": rel, "attributes": attrs, "how": how})
    return rows
