"""Batch jobs: read from a folder of prompts, a list (one prompt per line) or JSONL, with unique names.

A job carries the ``GenOptions`` it runs with: the batch's own, overridden per JSONL job
by any generation option (the same names as `gen`'s flags, ``_`` or ``-``). A JSONL line
with ``"input"`` instead of ``"prompt"`` is a convert job (`hyworld convert` of that file or
folder, relative to the JSONL's folder), with the frame options of FRAME_KEYS.
"""

from __future__ import annotations

import json
import math
import typing
from dataclasses import dataclass, replace
from pathlib import Path

from exporters.errors import InputError
from exporters.files import load_json, safe_name
from hyworld_cli.inputs import prompt_text, read_prompt
from pipelines.options import GenOptions, option_fields, with_flat

JOB_KEYS = ("prompt", "input", "name", "seed", "target", "options")
# A convert job ({"input": "scan.glb"}) may also say how to read its input (`hyworld convert`'s flags).
FRAME_KEYS = ("up", "forward", "units", "scale", "height", "height_of", "split")


@dataclass(frozen=True)
class Job:
    """One asset to make; ``error`` says why its input could not become a job (it then fails)."""

    name: str
    source: str  # where it came from: "prompts/a.txt", "jobs.jsonl:3"
    prompt: str | None
    settings: GenOptions
    error: str | None = None
    force: bool = False  # replace an asset in OUT/<name>/ that this batch did not make
    input: str | None = None  # a convert job: the file or folder to convert (then ``prompt`` is None)
    frame: tuple[tuple[str, object], ...] = ()  # a convert job's frame options (FRAME_KEYS), sorted


def load_jobs(path: Path, base: GenOptions, force: bool = False) -> list[Job]:
    """Return the jobs in ``path`` (a folder of *.txt, a .jsonl file, or one prompt per line), names unique."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        jobs = _jobs_from_folder(path, base)
    elif path.suffix.lower() == ".jsonl":
        jobs = _jobs_from_jsonl(path, base)
    elif path.is_file():
        jobs = _jobs_from_lines(path, base)
    else:
        raise InputError(f"{path}: not a regular file or folder")
    jobs = [replace(job, force=force or job.force) for job in jobs]  # --force for all, or a JSONL job its own
    if not jobs:
        raise InputError(f"{path}: holds no prompts (a folder needs *.txt files; a list, one prompt per line)")
    return unique_names(jobs)


def _jobs_from_folder(folder: Path, base: GenOptions) -> list[Job]:
    jobs = []
    for p in sorted(q for q in folder.glob("*.txt") if q.is_file()):
        try:
            jobs.append(Job(p.stem, str(p), read_prompt(p).text, base))
        except InputError as exc:
            jobs.append(Job(p.stem, str(p), None, base, error=str(exc)))
    return jobs


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc


def _jobs_from_lines(path: Path, base: GenOptions) -> list[Job]:
    data = _read_bytes(path)
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file, not a list of prompts (one per line)")
    jobs = []
    for lineno, stripped in _content_lines(data):
        source = f"{path}:{lineno}"
        name = f"{path.stem}_{lineno:04d}"
        try:
            jobs.append(Job(name, source, prompt_text(stripped, source), base))
        except InputError as exc:
            jobs.append(Job(name, source, None, base, error=str(exc)))
    return jobs


def _content_lines(data: bytes):
    """Yield ``(line number, stripped bytes)`` of non-blank, non-``#`` lines (a UTF-8 BOM dropped)."""
    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        stripped = raw.strip()
        if lineno == 1:
            stripped = stripped.removeprefix(b"\xef\xbb\xbf")
        if stripped and not stripped.startswith(b"#"):
            yield lineno, stripped


def _jobs_from_jsonl(path: Path, base: GenOptions) -> list[Job]:
    jobs = []
    for lineno, stripped in _content_lines(_read_bytes(path)):
        source = f"{path}:{lineno}"
        name = f"{path.stem}_{lineno:04d}"
        try:
            job = _job_from_json(stripped, source, name, base)
            if job.input is not None and not Path(job.input).is_absolute():  # relative to the JSONL's folder
                job = replace(job, input=str(path.parent / job.input))
            jobs.append(job)
        except InputError as exc:
            jobs.append(Job(name, source, None, base, error=str(exc)))
    return jobs


def _job_from_json(raw: bytes, source: str, default_name: str, base: GenOptions) -> Job:
    entry = load_json(raw, source, "not a JSON object")
    if not isinstance(entry, dict):
        raise InputError(f'{source}: a job is a JSON object like {{"prompt": "a village"}}')
    unknown = sorted(set(entry) - set(JOB_KEYS) - set(FRAME_KEYS if "input" in entry else ()))
    if unknown:
        raise InputError(f"{source}: unknown key(s) {', '.join(unknown)}; a job has {', '.join(JOB_KEYS)}")
    prompt = entry.get("prompt")
    if "input" in entry:
        if not isinstance(entry["input"], str) or not entry["input"].strip() or prompt is not None:
            raise InputError(f'{source}: "input" must be a path (and a job has either "prompt" or "input")')
        text = None
    elif not isinstance(prompt, str):
        raise InputError(f'{source}: "prompt" must be a string')
    else:
        text = prompt_text(prompt.encode("utf-8"), source)
    name = entry.get("name", Path(entry["input"]).stem if isinstance(entry.get("input"), str) else default_name)
    if not isinstance(name, str) or not name.strip():
        raise InputError(f'{source}: "name" must be a non-empty string')
    options = entry.get("options", {})
    if not isinstance(options, dict):
        raise InputError(f'{source}: "options" must be an object')
    overrides = {k.replace("-", "_"): v for k, v in options.items()}
    for key in ("seed", "target"):
        if key in entry:
            overrides[key] = entry[key]
    force = overrides.pop("force", None)
    if force is not None and not isinstance(force, bool):
        raise InputError(f"{source}: option 'force' must be a bool, not {json.dumps(force)}")
    job = Job(name, source, text, apply_overrides(base, overrides, source))
    if "input" in entry:
        job = replace(job, input=entry["input"], frame=convert_frame(entry, source))
    return job if force is None else replace(job, force=force)


def convert_frame(entry: dict, source: str) -> tuple[tuple[str, object], ...]:
    """Return a convert job's frame options (checked), sorted, numbers as floats (as the manifest records them)."""
    from pipelines.convert.frame import FrameOptions

    frame = {k: entry[k] for k in FRAME_KEYS if k in entry}
    for key in ("scale", "height"):
        if key in frame and frame[key] is not None:
            if isinstance(frame[key], bool) or not isinstance(frame[key], (int, float)):
                raise InputError(f"{source}: {key!r} must be a number, not {json.dumps(frame[key])}")
            frame[key] = float(frame[key])
    try:
        FrameOptions(**frame).check()
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None
    return tuple(sorted(frame.items()))


def apply_overrides(base: GenOptions, overrides: dict, source: str) -> GenOptions:
    """Return ``base`` with a JSONL job's options applied; raise InputError naming a bad key or type."""
    kinds = {f.name: f.type for f in option_fields()}
    unknown = sorted(set(overrides) - set(kinds))
    if unknown:
        names = ", ".join([*kinds, "force"])
        raise InputError(f"{source}: unknown option(s) {', '.join(unknown)}; options are {names}")
    for key, value in overrides.items():
        kind = kinds[key]
        nullable = kind not in (int, str, bool)  # int | None
        if value is None and nullable:
            continue
        if kind is bool or kind is str:
            if not isinstance(value, kind):
                raise InputError(f"{source}: option {key!r} must be a {kind.__name__}, not {json.dumps(value)}")
        elif float in typing.get_args(kind) or kind is float:  # float | None: any finite number
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise InputError(f"{source}: option {key!r} must be a finite number, not {json.dumps(value)}")
            overrides[key] = float(value)
        elif isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{source}: option {key!r} must be an integer, not {json.dumps(value)}")
    return with_flat(base, **overrides)


def unique_names(jobs: list[Job]) -> list[Job]:
    """Return ``jobs`` with sanitised names, later duplicates suffixed _2, _3... (case-insensitive)."""
    taken: set[str] = set()
    out = []
    for job in jobs:
        base = safe_name(job.name, fallback="job")
        name, k = base, 1
        while name.casefold() in taken:
            k += 1
            suffix = f"_{k}"
            name = base[: 64 - len(suffix)] + suffix
        taken.add(name.casefold())
        out.append(replace(job, name=name))
    return out
