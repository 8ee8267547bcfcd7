"""Atomic file writing: a crash or kill never leaves a truncated file that looks whole."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from exporters.errors import InputError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class WrittenFile:
    """A file an exporter wrote: where, what role it plays, its size and sha256."""

    path: Path
    role: str
    bytes: int
    sha256: str


def safe_name(text: str, fallback: str = "asset", max_len: int = 64) -> str:
    """Return ``text`` as a file-name stem: no separators, no ``..``, bounded length."""
    name = _UNSAFE.sub("_", text.strip()).strip("._-")
    name = re.sub(r"\.{2,}", "_", name)  # no ".." anywhere, even between other characters
    name = re.sub(r"_+", "_", name)[:max_len].strip("._-")
    return name or fallback


def read_input(path: Path) -> bytes:
    """Return the bytes of the user-given file ``path``; raise InputError saying why it can't be read."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc


def atomic_write(path: Path, data: bytes, role: str) -> WrittenFile:
    """Write ``data`` to a temporary file beside ``path``, fsync, then rename into place."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot write into {path.parent}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return WrittenFile(path=path, role=role, bytes=len(data), sha256=hashlib.sha256(data).hexdigest())


def ensure_writable_dir(path: Path) -> Path:
    """Create ``path`` if needed and prove we can write there; raise InputError otherwise."""
    path = Path(path)
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"{existing}: exists and is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"{existing}: folder is not writable")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise InputError(f"{path}: cannot write there ({exc.strerror})") from exc
    return path
