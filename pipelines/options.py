"""The options of a generation, declared once: ``BuildOptions`` (the chain's) inside ``GenOptions`` (the request's).

Every option is a dataclass field with its default and, in its metadata, the help
text a command line shows (``help(...)``); the CLI builds `gen`'s and `batch`'s
options from these fields, batch jobs carry a ``GenOptions``, and the manifest
records ``recorded_options``, so adding a field here adds it everywhere. Fields
without help (``BuildOptions.workers``) are not options of their own: they say
how, not what, and change no byte of the output.

No torch here: the batch driver and the CLI's option parsing import this module.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from typing import Any

from exporters.errors import InputError


def help(text: str) -> dict[str, str]:  # noqa: A001 - the word the metadata key and a CLI both use
    """Return field metadata that makes the field an option with ``text`` as its help."""
    return {"help": text}


@dataclass(frozen=True)
class BuildOptions:
    """Everything that shapes the output geometry and textures (all of it goes in the manifest)."""

    resolution: int = field(
        default=160, metadata=help("Extraction grid cells along each object's longest side (8..2048).")
    )
    texture_size: int = field(default=1024, metadata=help("Largest texture edge in texels (power of two)."))
    lods: int = field(
        default=3, metadata=help("LOD levels beyond LOD0, each at most half the triangles of the one before.")
    )
    budget: int | None = field(default=None, metadata=help("LOD0 triangles per object (default: per kind)."))
    max_triangles: int | None = field(default=None, metadata=help("LOD0 triangles for the whole scene."))
    workers: int = 2  # worker processes for per-object stages: how, not what (not part of a job's identity)
    collision: bool = field(default=True, metadata=help("Build collision shapes."))
    lightmap_resolution: int = field(
        default=256,
        metadata=help(
            "Lightmap (uv1) edge in texels the charts are packed for (16..8192; doubled while they don't fit)."
        ),
    )
    variants: str = field(
        default="auto",
        metadata=help(
            "Distinct variants per kind: a number, all (every copy unique) or auto (up to 6, by count); "
            "the other copies are instances."
        ),
    )
    navmesh: bool = field(default=True, metadata=help("Build a navigation mesh and spawn points (outdoor scenes)."))
    agent_radius: float | None = field(default=None, metadata=help("Navmesh agent radius in m (default: preset's)."))
    agent_height: float | None = field(default=None, metadata=help("Navmesh agent height in m (default: preset's)."))
    agent_max_slope: float | None = field(
        default=None, metadata=help("Steepest walkable slope in degrees (default: preset's).")
    )
    agent_step: float | None = field(
        default=None, metadata=help("Highest step an agent climbs in m (default: preset's).")
    )


@dataclass(frozen=True)
class GenOptions:
    """Every option of one generation besides its prompt, name and folder: the same request gives the same bytes."""

    seed: int = field(default=0, metadata=help("Random seed; the same seed and options give the same bytes."))
    device: str = field(
        default="auto", metadata=help("auto, cpu or cuda (batch: with CUDA each local worker owns one GPU).")
    )
    target: str = field(
        default="generic", metadata=help("Engine preset: generic, unity, unreal, godot (see `hyworld presets`).")
    )
    model: str = field(default="procedural", metadata=help("Scene model."))
    fbx_ascii: bool = field(
        default=False, metadata=help("Write the FBX as ASCII (for reading it; engines prefer binary).")
    )
    build: BuildOptions = field(default_factory=BuildOptions)


# Recorded in the manifest but not part of what a job makes: parallelism changes no byte.
NOT_CONTENT = ("workers",)


@dataclass(frozen=True)
class OptionField:
    """One option as a command line and a JSONL job see it: flat name, type, default and help."""

    name: str
    type: Any  # the resolved annotation: int, str, bool, int | None
    default: Any
    help: str
    owner: type  # GenOptions or BuildOptions


def option_fields() -> list[OptionField]:
    """Return every option of ``GenOptions`` and its ``BuildOptions``, flat, in declaration order."""
    out = []
    for owner in (GenOptions, BuildOptions):
        hints = typing.get_type_hints(owner)
        for f in dataclasses.fields(owner):
            if "help" in f.metadata:
                out.append(OptionField(f.name, hints[f.name], f.default, f.metadata["help"], owner))
    return out


def flat_options(options: GenOptions) -> dict[str, Any]:
    """Return ``options`` as one flat dict: the build's fields, then the request's."""
    flat = dataclasses.asdict(options.build)
    flat.update({f.name: getattr(options, f.name) for f in dataclasses.fields(GenOptions) if f.name != "build"})
    return flat


def with_flat(options: GenOptions, **changes: Any) -> GenOptions:
    """Return ``options`` with flat ``changes`` (request or build field names) applied."""
    build_names = {f.name for f in dataclasses.fields(BuildOptions)}
    build = {k: v for k, v in changes.items() if k in build_names}
    request = {k: v for k, v in changes.items() if k not in build_names}
    return dataclasses.replace(options, build=dataclasses.replace(options.build, **build), **request)


def recorded_options(options: GenOptions, plan_file: bool) -> dict[str, Any]:
    """Return the options as the manifest records them (``plan_file``: built from an edited plan)."""
    return {**flat_options(options), "plan_file": plan_file}


def content_options(recorded: dict[str, Any]) -> dict[str, Any]:
    """Return recorded options without those that change no byte (``NOT_CONTENT``)."""
    return {k: v for k, v in recorded.items() if k not in NOT_CONTENT}


MAX_SEED = 2**63 - 1  # a signed 64-bit integer: every JSON reader of the manifest keeps it exact


def check_seed(seed: int) -> None:
    """Raise InputError for a seed outside 0..MAX_SEED."""
    if not 0 <= seed <= MAX_SEED:
        raise InputError(f"--seed {seed} is out of range: use 0..{MAX_SEED}")


def check_resolution(resolution: int) -> None:
    """Raise InputError for a resolution outside what extraction supports."""
    if not 8 <= resolution <= 2048:
        raise InputError(f"--resolution {resolution} is out of range: use 8..2048 cells along an object's longest side")


def check_texture_size(size: int) -> None:
    """Raise InputError unless ``size`` is a power of two in 64..8192."""
    if size < 64 or size > 8192 or size & (size - 1):
        raise InputError(f"--texture-size {size} must be a power of two between 64 and 8192")


def parse_variants(value: str) -> int | None:
    """Return K from ``--variants`` (``None`` for ``auto``, 0 for ``all``); raise InputError otherwise."""
    text = str(value).strip().lower()
    if text == "auto":
        return None
    if text == "all":
        return 0
    if text.isdigit() and int(text) >= 1:
        return int(text)
    raise InputError(f"--variants {value!r}: use a number of variants per kind (1 or more), all, or auto")


def check_options(opts: BuildOptions) -> None:
    """Raise InputError for any build option outside what the chain supports."""
    check_resolution(opts.resolution)
    check_texture_size(opts.texture_size)
    if not 0 <= opts.lods <= 6:
        raise InputError(f"--lods {opts.lods} is out of range: use 0..6")
    for flag, value in (("--budget", opts.budget), ("--max-triangles", opts.max_triangles)):
        if value is not None and value < 12:
            raise InputError(f"{flag} {value} is too small: use at least 12 triangles")
    parse_variants(opts.variants)
    for flag, value, lo, hi in (
        ("--agent-radius", opts.agent_radius, 0.05, 5.0),
        ("--agent-height", opts.agent_height, 0.2, 10.0),
        ("--agent-max-slope", opts.agent_max_slope, 1.0, 89.0),
        ("--agent-step", opts.agent_step, 0.0, 2.0),
    ):
        if value is not None and not lo <= value <= hi:
            raise InputError(f"{flag} {value} is out of range: use {lo:g}..{hi:g}")
    if not 16 <= opts.lightmap_resolution <= 8192:
        raise InputError(f"--lightmap-resolution {opts.lightmap_resolution} is out of range: use 16..8192 texels")
