"""The Typer app: commands parse options, call the library and render results."""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.table import Table

from exporters.errors import HyworldError, InputError
from hyworld_cli import __version__

EXIT_CODES_HELP = "Exit codes: 0 ok, 1 internal error, 2 bad input or usage, 3 resource limit, 4 some batch jobs failed."

app = typer.Typer(
    name="hyworld",
    help="Turn a text prompt into engine-ready 3D assets (GLB, FBX, manifest). " + EXIT_CODES_HELP,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

stderr = Console(stderr=True)


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


def run_guarded(debug: bool, fn: Callable[[], int | None]) -> None:
    """Run ``fn`` and turn errors into one clear line and a documented exit code."""
    logging.basicConfig(
        level=logging.INFO if debug else logging.WARNING,
        handlers=[RichHandler(console=stderr, show_path=False)],
        format="%(name)s: %(message)s",
        force=True,
    )
    try:
        code = fn() or 0
    except HyworldError as exc:
        if debug:
            traceback.print_exc(file=sys.stderr)
        stderr.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None
    except BrokenPipeError:  # stdout closed early (`hyworld presets | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        stderr.print("[bold red]interrupted[/]")
        raise typer.Exit(130) from None
    except MemoryError:
        stderr.print("[bold red]error:[/] out of memory; lower --resolution or --texture-size")
        raise typer.Exit(3) from None
    except Exception as exc:  # a bug of ours: say so, keep the traceback for --debug
        if debug:
            traceback.print_exc(file=sys.stderr)
        stderr.print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {escape(str(exc))} (rerun with --debug for the traceback)",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    raise typer.Exit(code)


def print_json(data) -> None:
    """Write ``data`` as JSON on stdout (the machine-readable channel)."""
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=True) + "\n")
    sys.stdout.flush()


def render_table(title: str, columns: list[str], rows: list[list]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*[str(x) for x in row])
    return table


def main() -> None:
    # Register subcommands (kept in their own modules) before running.
    from hyworld_cli import batch_cmd, commands  # noqa: F401

    app()


def require(condition: bool, message: str) -> None:
    if not condition:
        raise InputError(message)
