"""The `convert` command: what other generators write (GLB, glTF, OBJ, PLY, splats, STL) -> an engine-ready asset."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from hyworld_cli import options as opt
from hyworld_cli.inputs import check_name
from hyworld_cli.report import print_json, run_guarded, stderr
from pipelines.options import GenOptions

DEFAULTS = GenOptions()


@opt.with_gen_options
def convert(
    input: Annotated[
        Path,
        typer.Argument(
            help="A GLB/glTF, OBJ, PLY (mesh, points or 3DGS splats) or STL file, or a folder of generator output.",
            show_default=False,
        ),
    ],  # noqa: A002
    out: Annotated[Path, typer.Option("--out", "-o", help="Output root; the asset goes to OUT/<name>/.")] = Path("out"),
    options: GenOptions = DEFAULTS,  # one Typer option per field (see hyworld_cli/options.py)
    name: Annotated[Optional[str], typer.Option(help="Asset name (default: the input's file or folder name).")] = None,
    up: Annotated[
        Optional[str],
        typer.Option(
            "--up", help="Input axis that is up: +x -x +y -y +z -z (default +y; -y with OpenCV/COLMAP cameras)."
        ),
    ] = None,
    forward: Annotated[
        Optional[str],
        typer.Option(
            "--forward", help="Input axis that becomes the front, +Z (default +z; -z with OpenCV/COLMAP cameras)."
        ),
    ] = None,
    units: Annotated[str, typer.Option("--units", help="Input units: m, cm, mm, in, ft.")] = "m",
    scale: Annotated[float, typer.Option("--scale", help="Extra factor on the input's size (after --units).")] = 1.0,
    height: Annotated[
        Optional[float],
        typer.Option(
            "--height", help="Scale so the input (or its tallest part, --height-of tallest) is this many meters tall."
        ),
    ] = None,
    height_of: Annotated[str, typer.Option("--height-of", help="What --height measures: whole or tallest.")] = "whole",
    split: Annotated[
        str,
        typer.Option("--split", help="Objects: none, nodes (the file's nodes/groups) or parts (connected components)."),
    ] = "none",
    workers: Annotated[int, typer.Option(help="Parallel workers for UV unwrapping.")] = 2,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing asset.")] = False,
    json_out: opt.Json = False,
    debug: opt.Debug = False,
) -> None:
    """Convert INPUT into what `hyworld gen` writes: OUT/<name>/<name>.glb (LODs, collision, uv1, baked textures) and manifest.json."""

    def run() -> None:
        from dataclasses import replace

        from hyworld_cli.progress import RichProgress
        from pipelines.convert.frame import FrameOptions
        from pipelines.convert.run import ConvertRequest, convert
        from pipelines.sources import read_source

        frame = FrameOptions(
            up=up, forward=forward, units=units, scale=scale, height=height, height_of=height_of, split=split
        )
        frame.check()
        check_name(name)
        opts = replace(options, build=replace(options.build, workers=max(1, workers)))
        req = ConvertRequest(
            input=input, name=name or input.stem or "asset", out_root=out, options=opts, frame=frame, force=force
        )
        source = read_source(input)  # a bad input is one line, before any progress is drawn
        with RichProgress(stderr) as progress:
            outcome = convert(req, progress, source)
        for warning in outcome.manifest["warnings"]:
            stderr.print(f"[yellow]warning:[/] {warning}", highlight=False)
        if json_out:
            print_json(outcome.manifest)
        else:
            for f in outcome.files:
                typer.echo(str(f.path))

    run_guarded(debug, run)
