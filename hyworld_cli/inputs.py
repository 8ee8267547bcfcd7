"""Checks on what the user hands us, done before anything is written."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from exporters.errors import InputError
from exporters.files import read_input, safe_name

MAX_PROMPT_BYTES = 64 * 1024


@dataclass(frozen=True)
class Prompt:
    """A prompt read from a file: its text, the file's stem and the text's sha256."""

    text: str
    stem: str
    sha256: str


def read_prompt(path: Path) -> Prompt:
    """Return the prompt in ``path``; raise InputError if it is missing, binary or empty."""
    path = Path(path)
    data = read_input(path, MAX_PROMPT_BYTES)  # a larger file is refused before it is read
    if len(data) > MAX_PROMPT_BYTES:
        raise InputError(f"{path}: prompt is {len(data)} bytes; the limit is {MAX_PROMPT_BYTES}")
    return Prompt(text=prompt_text(data, str(path)), stem=path.stem, sha256=hashlib.sha256(data).hexdigest())


def prompt_text(data: bytes, source: str) -> str:
    """Return ``data`` decoded as a UTF-8 prompt; raise InputError for binary or empty input."""
    if b"\x00" in data:
        raise InputError(f"{source}: looks like a binary file, not a text prompt")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text (byte {exc.start}); save the prompt as UTF-8") from exc
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r")
    if controls:
        raise InputError(f"{source}: contains {controls} control characters; a prompt is plain text")
    text = " ".join(text.split())
    if not text:
        raise InputError(f"{source}: the prompt is empty")
    return text


def check_name(name: str | None) -> None:
    """Raise InputError for a ``--name`` that is empty or keeps no character a file name may hold.

    Any other name is sanitised (`safe_name`): separators and ``..`` become ``_``, accents are
    dropped, a Windows device name (CON, NUL, COM1...) gets a trailing ``_``, at most 64 characters.
    """
    if name is not None and not safe_name(name, fallback=""):
        raise InputError(
            f"--name {name!r} keeps no character a file name may hold (A-Z, a-z, 0-9, '.', '_', '-'); pick another"
        )
