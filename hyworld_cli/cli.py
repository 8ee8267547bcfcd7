"""The Typer app, built in one place from the command modules (which never import it)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from hyworld_cli import __version__, batch_cmd, commands, convert_cmd
from hyworld_cli.report import EXIT_CODES_HELP

app = typer.Typer(
    name="hyworld",
    help="Turn a text prompt into engine-ready 3D assets (GLB, FBX, manifest). " + EXIT_CODES_HELP,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hyworld {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = None,
) -> None:
    """hyworld: text prompt to engine-ready 3D assets."""


app.command("gen")(commands.gen)
app.command("plan")(commands.plan_cmd)
app.command("preview")(commands.preview)
app.command("presets")(commands.presets)
app.command("batch")(batch_cmd.batch)
app.command("convert")(convert_cmd.convert)


def main() -> None:
    """Run the `hyworld` command line."""
    app()
