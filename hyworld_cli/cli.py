"""The Typer app, built in one place from the command modules (which never import it), and `main`.

`main` (the `hyworld` script) imports the app inside its guard, so a Ctrl-C while Python is
still loading ends like one later: the line "interrupted" and exit 130. A usage error (an
unknown option, a value that is not a number) is one line and exit 2, like every other bad input.
"""

# No `from __future__ import annotations` here: Typer reads the root callback's annotations,
# which name what build_app imports locally, so they must be evaluated where they are defined.
import sys
from typing import Any, Optional

_app: Any = None


def build_app():
    """Return the Typer app with every command registered."""
    from typing import Annotated

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
            Optional[bool],
            typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
        ] = None,
    ) -> None:
        """hyworld: text prompt to engine-ready 3D assets."""

    app.command("gen")(commands.gen)
    app.command("plan")(commands.plan_cmd)
    app.command("preview")(commands.preview)
    app.command("presets")(commands.presets)
    app.command("batch")(batch_cmd.batch)
    app.command("convert")(convert_cmd.convert)
    return app


def __getattr__(name: str) -> Any:
    if name == "app":  # built on first use: importing this module loads nothing heavy
        global _app
        if _app is None:
            _app = build_app()
        return _app
    raise AttributeError(name)


def _line(text: str, code: int) -> int:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
    return code


def _run(args: Optional[list[str]]) -> int:
    app = __getattr__("app")
    try:
        result = app(args=args, prog_name="hyworld", standalone_mode=False)
    except Exception as exc:
        # Click's usage errors (Typer carries its own Click in newer releases): known by what they offer.
        if not (hasattr(exc, "format_message") and isinstance(getattr(exc, "exit_code", None), int)):
            raise
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `hyworld`: the help, as before
            sys.stdout.write(exc.format_message() + "\n")
            return 2
        ctx = getattr(exc, "ctx", None)
        where = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        message = " ".join(exc.format_message().split())  # one line, whatever click wrapped
        return _line(f"error: {message}{where}", int(getattr(exc, "exit_code", 2)))
    code = result if isinstance(result, int) else 0
    # 130: a Ctrl-C, caught by a command (run_guarded) or by Typer while parsing; said once, here
    return _line("interrupted", 130) if code == 130 else code


def main(args: Optional[list[str]] = None) -> None:
    """Run the `hyworld` command line; exit with its code (see README, "Exit codes")."""
    try:
        code = _run(args)
    except KeyboardInterrupt:
        code = _line("interrupted", 130)
    sys.exit(code)
