"""Command-line options: `gen`'s and `batch`'s come from the one declaration in ``pipelines.options``.

``with_gen_options`` gives a command one Typer option per ``GenOptions`` and
``BuildOptions`` field that has help (flag ``--texture-size`` for field
``texture_size``; a bool that defaults to True gets ``--collision/--no-collision``),
with the field's default, and hands the command one ``GenOptions`` built from them.
A field added there is an option of both commands and of batch jobs at once.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, Optional, Union, get_args, get_origin

import typer

from pipelines.options import GenOptions, option_fields, with_flat

Json = Annotated[bool, typer.Option("--json", help="Print machine-readable results on stdout; logs stay on stderr.")]
Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks and INFO logs on stderr.")]


def flag(name: str) -> str:
    """Return the command-line flag of option ``name`` (``texture_size`` -> ``--texture-size``)."""
    return "--" + name.replace("_", "-")


def _annotation(kind: Any, name: str, default: Any, text: str) -> Any:
    """Return the Typer annotation of one option: its type, flag(s) and help."""
    if get_origin(kind) is Union or type(kind).__name__ == "UnionType":  # int | None
        kind = Optional[next(a for a in get_args(kind) if a is not type(None))]
    decls = [f"{flag(name)}/--no-{name.replace('_', '-')}"] if kind is bool and default is True else [flag(name)]
    return Annotated[kind, typer.Option(*decls, help=text)]


def with_gen_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Return ``command`` with every generation option as a Typer option, passed to it as ``options: GenOptions``.

    The options take the place of the ``options`` parameter in the command's signature.
    """
    fields = option_fields()
    names = {f.name for f in fields}
    signature = inspect.signature(command, eval_str=True)  # the command's annotations may be strings
    params: list[inspect.Parameter] = []
    for p in signature.parameters.values():
        if p.name != "options":
            params.append(p)
            continue
        for f in fields:
            annotation = _annotation(f.type, f.name, f.default, f.help)
            params.append(
                inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default, annotation=annotation)
            )
    if not names.isdisjoint(signature.parameters):
        raise TypeError(f"{command.__name__} declares a parameter that is also a generation option")

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in names}
        return command(options=with_flat(GenOptions(), **values), **kwargs)

    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.default is not p.empty else p for p in params]
    )
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    return wrapper
