"""Generate the reader's packaged word tables from WordNet 3.0 (a developer tool, not run by hyworld).

    apt-get install -y wordnet-base && pip install nltk
    python -m pipelines.models.reading.make_tables [/usr/share/wordnet [OUT_DIR]]

Writes, deterministically (sorted keys, gzip without a timestamp), into ``data/``:

- ``words.json.gz``: every single-word WordNet lemma -> its parts of speech, most
  frequent first ("nv": mostly a noun, also a verb), from the index files' sense
  tag counts; and WordNet's irregular inflections (noun.exc, verb.exc, adj.exc).
- ``wordnet_kinds.json.gz``: every noun lemma whose is-a chain reaches a catalog
  anchor (``anchors.py``) within ``MAX_HOPS`` hypernym steps: a node table
  ``[label, parent node or -1, [kinds anchored here]]`` along the path to the
  nearest anchor, and ``lemma -> node``.

NLTK's WordNet reader reads Debian's dictionary files; NLTK is needed only here.
Rerun it whenever ``anchors.py`` changes (e.g. when catalog kinds are added).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

from pipelines.models.reading.anchors import ANCHORS

DATA = Path(__file__).with_name("data")
MAX_HOPS = 8  # koi -> carp/cyprinid/... -> fish is 6 steps; deeper chains were mostly accidents
MAX_SENSE = 4  # a lemma maps through one of its four commonest senses, or not at all
PHYSICAL = {"noun.artifact", "noun.plant", "noun.animal", "noun.object", "noun.location", "noun.food"}
WORD = re.compile(r"^[a-z]+$")
LEMMA = re.compile(r"^[a-z][a-z' -]*[a-z]$")
# NLTK's reader wants a lexnames file; Debian's wordnet-base does not ship it (the 45 lexicographer files).
LEXNAMES = """adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body
noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location noun.motive noun.object
noun.person noun.phenomenon noun.plant noun.possession noun.process noun.quantity noun.relation noun.shape
noun.state noun.substance noun.time verb.body verb.change verb.cognition verb.communication verb.competition
verb.consumption verb.contact verb.creation verb.emotion verb.motion verb.perception verb.possession verb.social
verb.stative verb.weather adj.ppl""".split()
FILES = [f"{k}.{p}" for k in ("index", "data") for p in ("noun", "verb", "adj", "adv")] + [
    f"{p}.exc" for p in ("noun", "verb", "adj", "adv")
]


def _reader(src: Path, work: Path):  # noqa: ANN202 - an nltk WordNetCorpusReader
    """Return NLTK's WordNet reader over a private copy of the dictionary files (NLTK refuses symlinks)."""
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    for name in FILES:
        shutil.copyfile(src / name, work / name)
    pos_id = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}
    (work / "lexnames").write_text(
        "".join(f"{i:02d}\t{n}\t{pos_id[n.split('.')[0]]}\n" for i, n in enumerate(LEXNAMES))
    )
    nltk.data.path.append(str(work))

    class Reader(WordNetCorpusReader):
        def map_wn(self, version="wordnet"):  # noqa: ANN001, ANN202 - no OMW mapping: plain 3.0
            return None

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Reader(str(work), None)


def _pos_table(src: Path) -> dict[str, str]:
    """Return word -> parts of speech (n v a r), commonest first, from the index files' tag counts."""
    counts: dict[str, dict[str, int]] = {}
    for pos, letter in (("noun", "n"), ("verb", "v"), ("adj", "a"), ("adv", "r")):
        for line in (src / f"index.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue  # the license header
            f = line.split()
            word, p_cnt = f[0], int(f[3])
            if not WORD.match(word):
                continue
            tagged = int(f[5 + p_cnt])
            counts.setdefault(word, {})[letter] = tagged
    order = "nvar"
    return {w: "".join(sorted(c, key=lambda p: (-c[p], order.index(p)))) for w, c in sorted(counts.items())}


def _exceptions(src: Path) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for pos, letter in (("noun", "n"), ("verb", "v"), ("adj", "a")):
        table: dict[str, str] = {}
        for line in (src / f"{pos}.exc").read_text(encoding="latin-1").splitlines():
            f = line.split()
            if len(f) >= 2 and WORD.match(f[0]) and WORD.match(f[1]):
                table.setdefault(f[0], f[1])
        out[letter] = dict(sorted(table.items()))
    return out


def _kind_table(wn) -> dict:  # noqa: ANN001
    """Return the node table and lemma -> node map described in the module docstring."""
    anchor_kinds: dict[str, list[str]] = {}
    for kind, names in ANCHORS.items():
        for name in names:
            syn = wn.synset(name)
            if syn.name() != name:
                raise SystemExit(f"anchors.py: {kind}: {name} is an alias of {syn.name()}; name the synset itself")
            anchor_kinds.setdefault(name, []).append(kind)
    # synset -> (hops to the nearest anchor above it, the hypernym on that path); an anchor's own entry
    # leads on to the next anchor up, so a catalog without the nearest kind falls back along the chain
    above: dict[str, tuple[int, str | None]] = {}

    def up(s) -> int:  # noqa: ANN001
        name = s.name()
        if name not in above:
            above[name] = (99, None)  # a guard while the hypernyms are explored
            options = sorted(((0 if h.name() in anchor_kinds else up(h)) + 1, h.name()) for h in s.hypernyms())
            above[name] = options[0] if options else (99, None)
        return above[name][0]

    def nearest(s) -> int:  # noqa: ANN001
        return 0 if s.name() in anchor_kinds else up(s)

    def parent_of(name: str) -> str | None:
        up(wn.synset(name))
        hops, nxt = above[name]
        return nxt if hops <= MAX_HOPS else None

    lemmas: dict[str, str] = {}
    for lemma in sorted(wn.all_lemma_names("n")):
        text = lemma.replace("_", " ").replace("-", " ")
        if not LEMMA.match(text) or lemma != lemma.lower():
            continue
        # the sense nearest an anchor, half a hop per rarer sense: "lorry" is a truck (sense 2,
        # 0 hops) before a wagon (sense 1, 1 hop)
        options = sorted(
            (nearest(s) + 0.5 * i, i, s.name())
            for i, s in enumerate(wn.synsets(lemma, "n")[:MAX_SENSE])
            if s.lexname() in PHYSICAL and nearest(s) <= MAX_HOPS
        )
        if options:
            lemmas.setdefault(text, options[0][2])
    nodes: dict[str, int] = {}
    rows: list[list] = []

    def node(name: str) -> int:
        if name in nodes:
            return nodes[name]
        nxt = parent_of(name)
        parent = node(nxt) if nxt is not None else -1
        nodes[name] = len(rows)
        label = wn.synset(name).lemma_names()[0].replace("_", " ")
        rows.append([label, parent, anchor_kinds.get(name, [])])
        return nodes[name]

    return {"nodes": rows, "lemmas": {k: node(v) for k, v in sorted(lemmas.items())}}


def _write(path: Path, data: dict) -> None:
    raw = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    with open(path, "wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:
        gz.write(raw)


def main(argv: list[str]) -> int:
    """``make_tables [WORDNET_DIR [OUT_DIR]]``: read Debian's dictionary files, write the two tables."""
    src = Path(argv[0] if argv else "/usr/share/wordnet")
    out = Path(argv[1]) if len(argv) > 1 else DATA
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wn = _reader(src, Path(tmp))
        version = wn.get_version()
        kinds = _kind_table(wn)
    words = {"pos": _pos_table(src), "exc": _exceptions(src)}
    meta = {"source": f"WordNet {version}", "generator": "pipelines/models/reading/make_tables.py"}
    _write(out / "words.json.gz", {**meta, **words})
    _write(out / "wordnet_kinds.json.gz", {**meta, "max_hops": MAX_HOPS, **kinds})
    print(f"{len(words['pos'])} words, {len(kinds['lemmas'])} nouns over {len(kinds['nodes'])} nodes -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
