"""Property-based fuzzing of what a user types or edits: prompts, plans (`gen --plan`) and batch job files.

Each input, however hostile (any unicode, control characters, numbers past any bound, broken
or deeply nested JSON, fields of the wrong type), either gives a usable result or exactly one
``InputError`` (exit 2, one line): never another exception, which the CLI would report as an
internal error (exit 1). tests/fuzzing.py holds the shared settings (derandomized, bounded).
"""

from __future__ import annotations

import copy
import functools
import json
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from exporters.errors import InputError
from exporters.files import safe_name
from hyworld_cli.batch import check_settings, load_jobs
from hyworld_cli.batch.jobs import FRAME_KEYS, JOB_KEYS
from hyworld_cli.commands import read_plan
from hyworld_cli.inputs import prompt_text
from pipelines.options import GenOptions
from pipelines.plan_checks import check_plan
from tests.fuzzing import fuzz, json_raw, json_value

# Words the reader knows (kinds, counts, relations, settings) mixed with ones it must survive.
KNOWN = "a the village house houses tree three dozen hundred with next to around between on of and , . red round"
KNOWN += " lake tavern tables chairs inside ruins forest room street castle boat pier wall stacked against"
ODD = ["٣", "²", "½", "1" * 13, "9" * 5000, "-5", "0", "🏠", "\u202e", "Haus", "ﬁ", "x" * 300, "\u0301", "İ"]
WORD = st.one_of(
    st.sampled_from(KNOWN.split()), st.sampled_from(ODD), st.text(max_size=8), st.integers(0, 10**30).map(str)
)
PROMPT = st.one_of(st.text(max_size=300), st.lists(WORD, max_size=30).map(" ".join))
# Plans are built whole only for prompts of small counts: 300 houses take minutes to lay out.
SMALL = st.lists(
    st.one_of(st.sampled_from(KNOWN.split()), st.sampled_from(["٣", "²", "2", "🏠", "x" * 40])), max_size=14
)


@functools.cache
def _model():
    from pipelines.models.procedural import ProceduralModel

    return ProceduralModel(embeddings=False)  # the embedding package is optional; WordNet is not


def _reads_or_refuses(raw: bytes) -> str | None:
    """Return the prompt text of ``raw``, or None when the reader refused it with an InputError."""
    try:
        return prompt_text(raw, "prompt.txt")
    except InputError as exc:
        assert "\n" not in str(exc)
        return None


@fuzz(300, deadline_s=10)
@given(st.one_of(PROMPT.map(lambda s: s.encode("utf-8", "surrogatepass")), st.binary(max_size=300)))
def test_any_prompt_is_read_or_refused_with_one_input_error(raw):
    from pipelines.models.prompt import read_prompt

    text = _reads_or_refuses(raw)
    if text is not None:
        assert text == text.strip() and text
        read_prompt(text)  # the reader: any exception here would be exit 1


@fuzz(12, deadline_s=120)
@given(SMALL.map(" ".join), st.integers(0, 2**31 - 1))
def test_any_prompt_becomes_a_plan_the_plan_checks_accept(words, seed):
    text = _reads_or_refuses(words.encode())
    if text is None:
        return
    try:
        plan = _model().generate(text, seed)
    except InputError:
        return
    check_plan(plan)  # what the model writes, `gen --plan` takes back
    assert len(plan.entities) <= 300


@functools.cache
def _base_plan() -> dict:
    return _model().generate("a hut next to a tree with a red barrel", 0).to_dict()


def _paths(node, prefix=()):
    yield prefix
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        yield from _paths(child, (*prefix, key))


_DELETE = object()


def _edit(plan: dict, path: tuple, value) -> None:
    *parents, last = path
    for key in parents:
        plan = plan[key]
    if value is _DELETE:
        del plan[last]
    else:
        plan[last] = value


# An edit: a field (picked by its index among the plan's fields) replaced by any JSON value, raw text or deleted.
EDIT = st.tuples(st.integers(1, 10**6), st.one_of(json_value, json_raw.map(lambda raw: ("RAW", raw)), st.just(_DELETE)))


@fuzz(250, deadline_s=10)
@given(st.lists(EDIT, min_size=1, max_size=3), st.sampled_from(["", "truncate", "nest"]))
def test_any_edited_plan_is_accepted_or_refused_with_one_input_error(edits, damage):
    plan, raws = copy.deepcopy(_base_plan()), {}
    for pick, value in edits:
        paths = list(_paths(plan))[1:]
        path = paths[pick % len(paths)]
        if isinstance(value, tuple):  # raw JSON text no json.dumps writes: a placeholder, swapped in below
            raws[f"@raw{len(raws)}@"], value = value[1], f"@raw{len(raws)}@"
        try:
            _edit(plan, path, value)
        except (KeyError, IndexError, TypeError):
            pass  # its parent was replaced by an earlier edit
    text = json.dumps(plan)
    for key, raw in raws.items():
        text = text.replace(json.dumps(key), raw)
    if damage == "truncate":
        text = text[: len(text) * 2 // 3]
    elif damage == "nest":
        text = '{"version": 1, "environment": ' + "[" * 50_000 + "]" * 50_000 + "}"
    with tempfile.TemporaryDirectory(prefix="hyworld-fuzz-") as tmp:
        path = Path(tmp) / "plan.json"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            plan_read = read_plan(path)
        except InputError as exc:
            assert "\n" not in str(exc)
            return
        check_plan(plan_read)


# A JSONL line: a job-like object (known and unknown keys, any values), raw JSON junk, or any text.
JOB = st.dictionaries(st.sampled_from([*JOB_KEYS, *FRAME_KEYS, "bogus"]), json_value, max_size=5)
OPTIONS = st.dictionaries(
    st.sampled_from(["seed", "resolution", "texture-size", "lod_levels", "force", "x"]), json_value
)
LINE = st.one_of(
    JOB.map(json.dumps),
    st.builds(lambda p, o: json.dumps({"prompt": p, "options": o}), st.text(max_size=20), OPTIONS),
    json_raw,
    st.text(max_size=40).filter(lambda s: "\n" not in s),
)


@fuzz(150, deadline_s=20)
@given(st.lists(LINE, min_size=1, max_size=8), st.sampled_from([".jsonl", ".txt"]))
def test_any_batch_file_gives_jobs_with_safe_unique_names_or_one_input_error(lines, suffix):
    with tempfile.TemporaryDirectory(prefix="hyworld-fuzz-") as tmp:
        path = Path(tmp) / f"jobs{suffix}"
        path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
        try:
            jobs = load_jobs(path, GenOptions())
        except InputError as exc:
            assert "\n" not in str(exc)
            return
    names = [j.name for j in jobs]
    assert len({n.casefold() for n in names}) == len(names)
    assert all(safe_name(n) == n and "/" not in n and n not in (".", "..") for n in names)
    for job in jobs:
        if job.error is not None:
            assert "\n" not in job.error and job.prompt is None
            continue
        try:
            check_settings(job.settings, check_device=False)  # the driver's check, before any job runs
        except InputError as exc:
            assert "\n" not in str(exc)
