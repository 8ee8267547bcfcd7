"""The `gen`, `plan`, `preview` and `presets` commands."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from exporters.errors import InputError
from exporters.files import load_json, read_input
from hyworld_cli import options as opt
from hyworld_cli.inputs import check_name, read_prompt
from hyworld_cli.report import print_json, render_table, run_guarded, stderr
from pipelines.options import GenOptions, check_seed

DEFAULTS = GenOptions()


def _default_workers() -> int:
    import os

    return max(1, min(8, os.cpu_count() or 1))


@opt.with_gen_options
def gen(
    prompt_file: Annotated[Path, typer.Argument(help="A UTF-8 text file holding the prompt.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output root; the asset goes to OUT/<name>/.")] = Path("out"),
    options: GenOptions = DEFAULTS,  # one Typer option per field (see hyworld_cli/options.py)
    name: Annotated[Optional[str], typer.Option(help="Asset name (default: the prompt file's name).")] = None,
    plan: Annotated[
        Optional[Path], typer.Option("--plan", help="Build from an edited plan JSON (from `hyworld plan`).")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print what the model understood before building.")
    ] = False,
    variations: Annotated[int, typer.Option(help="Write N variations with seeds SEED..SEED+N-1.")] = 1,
    workers: Annotated[
        int, typer.Option(help="Worker processes for the per-object stages (one torch thread each).")
    ] = _default_workers(),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing asset.")] = False,
    json_out: opt.Json = False,
    debug: opt.Debug = False,
) -> None:
    """Generate an engine-ready asset from PROMPT_FILE: OUT/<name>/<name>.glb and manifest.json."""

    def run() -> None:
        from pipelines.generate import GenRequest, validate

        if not 1 <= variations <= 64:
            raise InputError(f"--variations {variations} is out of range: use 1..64")
        check_seed(options.seed)
        check_seed(options.seed + variations - 1)
        check_name(name)
        prompt = read_prompt(prompt_file)
        edited = read_plan(plan) if plan else None
        opts = replace(options, build=replace(options.build, workers=max(1, workers)))
        base = GenRequest(
            prompt=prompt.text, name=name or prompt.stem, out_root=out, options=opts, force=force, plan=edited
        )
        base = validate(base)
        if explain:
            _explain(base)
        manifests = []
        for k in range(variations):
            req = base
            if variations > 1:
                seed = opts.seed + k
                req = replace(base, options=replace(opts, seed=seed), name=f"{base.name}_seed{seed}")
            outcome = _generate_with_progress(req)
            manifests.append(outcome.manifest)
            if not json_out:
                _summary(outcome)
            _warnings(outcome.manifest)  # on stderr in both modes: unknown words are never silent
        if json_out:
            print_json(manifests[0] if variations == 1 else {"variations": manifests})

    run_guarded(debug, run)


def _generate_with_progress(req):
    from hyworld_cli.progress import RichProgress
    from pipelines.generate import generate

    with RichProgress(stderr) as progress:
        return generate(req, progress)


def _summary(outcome) -> None:
    from pipelines.run import STAGES

    m = outcome.manifest
    order = ("plan",) + STAGES + ("nav", "export")
    stages = {k: m["stage_seconds"][k] for k in order if k in m["stage_seconds"]}
    memory = m.get("stage_memory_mb", {})
    # One row per stage: fifteen stages as columns do not fit an 80-column terminal or a CI log.
    rows = [
        [
            name,
            f"{seconds:.2f}",
            f"{memory.get(name, {}).get('process', 0):.0f}",
            f"{memory.get(name, {}).get('workers', 0):.0f}",
        ]
        for name, seconds in stages.items()
    ]
    title = "per stage: wall time, peak memory of this process and of its worker processes (summed)"
    stderr.print(render_table(title, ["stage", "seconds", "peak MB", "workers MB"], rows))
    kernels = ", ".join(f"{k}={v}" for k, v in m["kernels"].items())
    stderr.print(f"device: {m['device']}  kernels: {kernels}")
    for f in outcome.files:
        typer.echo(str(f.path))


def _warnings(m: dict) -> None:
    for unknown in m["unknown_words"]:
        target = unknown.get("mapped_to") or "skipped"
        stderr.print(f"[yellow]warning:[/] unknown word {escape(repr(unknown['word']))} -> {target}")
    for warning in m["warnings"]:
        stderr.print(f"[yellow]warning:[/] {escape(warning)}")


def _check_output_file(path: Path) -> None:
    """Raise InputError when an output file's path names a folder or a link (we write files, and only there)."""
    if path.is_symlink():
        raise InputError(f"{path} is a symbolic link; pass a plain file path")
    if path.is_dir():
        raise InputError(f"{path} is a folder; pass the path of the file to write")


MAX_PLAN_BYTES = 8 * 1024 * 1024


def read_plan(path: Path):
    """Return the checked ScenePlan in the JSON file ``path`` (`gen --plan`); any flaw is one InputError."""
    from pipelines.plan import ScenePlan

    if not path.is_file():
        raise InputError(f"{path}: no such plan file")
    size = path.stat().st_size
    if size > MAX_PLAN_BYTES:
        raise InputError(f"{path}: the plan is {size} bytes; the limit is {MAX_PLAN_BYTES}")
    data = load_json(read_input(path), str(path), "not a JSON plan")
    if not isinstance(data, dict):
        raise InputError(f"{path}: a plan is a JSON object")
    from pipelines.plan_checks import check_plan

    plan = ScenePlan.from_dict(data, source=str(path))
    check_plan(plan, str(path))
    return plan


def _explain(req) -> None:
    from pipelines.models import get_model

    model = get_model(req.options.model)
    plan = req.plan or model.generate(req.prompt, req.options.seed)
    describe = getattr(model, "describe", None)
    rows = describe(plan) if describe else []
    if rows:
        columns = list(rows[0])
        stderr.print(render_table("what the model understood", columns, [[r[c] for c in columns] for r in rows]))
    print_parse(plan)
    if plan.unknown_words:
        stderr.print(
            render_table(
                "unknown words",
                ["word", "mapped to", "how", "score"],
                [[u.word, u.mapped_to or "-", u.how, f"{u.score:.2f}"] for u in plan.unknown_words],
            )
        )


def print_parse(plan) -> None:
    """Print, on stderr, which words made which objects, the relation each placement came from and the attributes."""
    from pipelines.models.reading import explain_rows

    rows = explain_rows(plan.trace, plan.entities) if plan.trace else []
    if rows:
        columns = list(rows[0])
        stderr.print(render_table("how the prompt was read", columns, [[r[c] for c in columns] for r in rows]))


def plan_cmd(
    prompt_file: Annotated[Path, typer.Argument(help="A UTF-8 text file holding the prompt.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the plan JSON.")] = Path("plan.json"),
    seed: Annotated[int, typer.Option(help="Random seed.")] = DEFAULTS.seed,
    model: Annotated[str, typer.Option(help="Scene model.")] = DEFAULTS.model,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing plan file.")] = False,
    json_out: opt.Json = False,
    debug: opt.Debug = False,
) -> None:
    """Write the ScenePlan the model reads from PROMPT_FILE, to edit and pass to `gen --plan`."""

    def run() -> None:
        from exporters.errors import OutputExistsError
        from exporters.files import atomic_write, ensure_writable_dir
        from pipelines.models import get_model

        check_seed(seed)
        prompt = read_prompt(prompt_file)
        _check_output_file(output)
        if output.exists() and not force:
            raise OutputExistsError(f"{output} already exists; pass --force to overwrite it")
        plan = get_model(model).generate(prompt.text, seed)
        data = plan.to_dict()
        ensure_writable_dir(output.parent if str(output.parent) else Path("."))
        atomic_write(output, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode(), "plan")
        if json_out:
            print_json(data)
        else:
            print_parse(plan)
            typer.echo(str(output))

    run_guarded(debug, run)


def preview(
    asset: Annotated[Path, typer.Argument(help="A .glb file to render.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PNG.")] = Path("preview.png"),
    views: Annotated[int, typer.Option(help="1 for a three-quarter view, 4 for a contact sheet.")] = 1,
    size: Annotated[int, typer.Option(help="Edge of one view in pixels.")] = 768,
    device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "cpu",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing PNG.")] = False,
    debug: opt.Debug = False,
) -> None:
    """Render ASSET headless (no display, no GPU needed) to a PNG."""

    def run() -> None:
        from exporters.errors import OutputExistsError
        from exporters.files import ensure_writable_dir
        from pipelines.inspect.preview import write_preview
        from pipelines.run import resolve_device

        if views not in (1, 4):
            raise InputError("--views must be 1 or 4")
        if not 64 <= size <= 4096:
            raise InputError(f"--size {size} is out of range: use 64..4096")
        _check_output_file(output)
        if output.exists() and not force:
            raise OutputExistsError(f"{output} already exists; pass --force to overwrite it")
        ensure_writable_dir(output.parent if str(output.parent) else Path("."))
        write_preview(asset, output, views=views, size=size, device=resolve_device(device))
        typer.echo(str(output))

    run_guarded(debug, run)


def presets(json_out: opt.Json = False, debug: opt.Debug = False) -> None:
    """List the engine presets and what each one sets."""

    def run() -> None:
        from exporters.presets import describe_presets

        rows = describe_presets()
        if json_out:
            print_json(rows)
            return
        # One block per preset: the values are sentences, too long for table cells.
        for row in rows:
            typer.echo(row["name"])
            for key, value in row.items():
                if key != "name":
                    typer.echo(f"  {key + ':':<13}{value}")
            typer.echo("")

    run_guarded(debug, run)
