"""What every command shares: errors to one line and an exit code, JSON on stdout, tables on stderr."""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from collections.abc import Callable

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.table import Table

from exporters.errors import HyworldError

EXIT_CODES_HELP = (
    "Exit codes: 0 ok, 1 internal error, 2 bad input or usage, 3 resource limit, 4 some batch jobs failed, "
    "130 interrupted."
)

stderr = Console(stderr=True)


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
    except KeyboardInterrupt:  # `main` says "interrupted" for exit code 130
        raise typer.Exit(130) from None
    except MemoryError:
        stderr.print("[bold red]error:[/] out of memory; lower --resolution or --texture-size (preview: --size)")
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
    """Return a rich table titled ``title`` with ``columns`` and ``rows`` (cells shown with str)."""
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*[str(x) for x in row])
    return table
