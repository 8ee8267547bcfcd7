"""Atomic file writing: a crash or kill never leaves a truncated file that looks whole."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
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


# Names Windows keeps for devices, with or without an extension ("CON", "nul.txt"): no file or folder may have them.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{p}{i}" for p in ("COM", "LPT") for i in "123456789")}


def safe_name(text: str, fallback: str = "asset", max_len: int = 64) -> str:
    """Return ``text`` as a file-name stem: ASCII letters, digits, ``._-`` (accents dropped: café -> cafe), no
    separators, no ``..``, no Windows device name, bounded length."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = _UNSAFE.sub("_", text.strip()).strip("._-")
    name = re.sub(r"\.{2,}", "_", name)  # no ".." anywhere, even between other characters
    name = re.sub(r"_+", "_", name)[:max_len].strip("._-")
    if name.split(".")[0].upper() in _RESERVED:
        name = f"{name[: max_len - 1]}_"  # CON -> CON_: a folder every system can make
    return name or fallback


def load_json(data: bytes | str, source: str, what: str):
    """Return ``data`` parsed as JSON; raise InputError (``source: what (why)``) when it is not, holds
    NaN/Infinity, or nests too deeply for the parser."""
    try:
        return json.loads(data.decode("utf-8") if isinstance(data, bytes) else data, parse_constant=_reject_constant)
    except RecursionError:
        raise InputError(f"{source}: {what} (nested too deeply)") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise InputError(f"{source}: {what} ({exc})") from None


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a finite number")


def read_input(path: Path, max_bytes: int | None = None) -> bytes:
    """Return the bytes of the user-given file ``path``; raise InputError saying why it can't be read.

    With ``max_bytes``, a larger file is refused before it is read (and at most that many bytes
    plus one are ever read, should it grow meanwhile).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(f"{path}: is {size} bytes; the limit is {max_bytes}")
        with open(path, "rb") as fh:
            return fh.read() if max_bytes is None else fh.read(max_bytes + 1)
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


STAGING_SUFFIX = ".staging"


def check_asset_dir(path: Path) -> None:
    """Raise InputError unless ``path`` (an asset's folder under --out) is absent or a real folder, not a link."""
    path = Path(path)
    if path.is_symlink():
        raise InputError(
            f"{path} is a symbolic link; hyworld writes only inside --out (remove it or pass another --name)"
        )
    if path.exists() and not path.is_dir():
        raise InputError(f"{path} exists and is not a folder (remove it or pass another --name)")


def clean_stale(parent: Path, name: str) -> int:
    """Remove what killed runs left for asset ``name``: staging folders no live run holds, ``.*.part`` files.

    A live run holds an exclusive lock on its staging folder (`StagedDir`), so two runs never
    remove each other's work. Return how many entries were removed.
    """
    parent, n = Path(parent), 0
    for p in parent.glob(f".{glob.escape(name)}.*{STAGING_SUFFIX}"):
        if p.is_symlink() or not p.is_dir():
            continue
        try:
            fd = os.open(p, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a live run's
        finally:
            os.close(fd)
        shutil.rmtree(p, ignore_errors=True)
        n += 1
    folder = parent / name
    if folder.is_dir() and not folder.is_symlink():
        for p in folder.glob(".*.part"):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
                n += 1
    return n


class StagedDir:
    """A fresh folder beside ``final`` to write an asset into, swapped in whole by `commit`.

    Until the swap, ``final`` keeps what it held (the earlier asset, or nothing); after it,
    ``final`` holds the new asset whole. A kill at any moment therefore never leaves an old
    manifest beside new files; what it leaves is a ``.<name>.*.staging`` folder that
    `clean_stale` removes. Used as a context manager: an exception (Ctrl-C included)
    removes the staging folder.
    """

    def __init__(self, final: Path) -> None:
        self.final = Path(final)
        try:
            self.path = Path(
                tempfile.mkdtemp(prefix=f".{self.final.name}.", suffix=STAGING_SUFFIX, dir=self.final.parent)
            )
        except OSError as exc:
            raise InputError(f"cannot write into {self.final.parent}: {exc.strerror}") from exc
        self._fd = os.open(self.path, os.O_RDONLY)
        fcntl.flock(self._fd, fcntl.LOCK_EX)  # ours while we live: clean_stale leaves it alone

    def commit(self, keep: Callable[[str], bool] = lambda name: False) -> None:
        """Swap the staging folder in as ``final``; entries of the old folder for which ``keep(name)`` holds are
        copied over first (files of the user's, such as an engine's .meta files), unless the new asset has them."""
        _fsync_dir(self.path)
        if not os.path.lexists(self.final):
            os.rename(self.path, self.final)
        else:
            for entry in self.final.iterdir():
                if keep(entry.name) and not os.path.lexists(self.path / entry.name):
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.copytree(entry, self.path / entry.name, symlinks=True)
                    else:
                        shutil.copy2(entry, self.path / entry.name, follow_symlinks=False)
            if not _exchange(self.path, self.final):
                old = Path(tempfile.mkdtemp(prefix=f".{self.final.name}.", suffix=".old", dir=self.final.parent))
                os.rename(self.final, old / "old")
                os.rename(self.path, self.final)
                shutil.rmtree(old, ignore_errors=True)
            else:
                _remove(self.path)  # the old folder, now under the staging name
        _fsync_dir(self.final.parent)
        self.close()

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def discard(self) -> None:
        if self.path.is_dir() and not self.path.is_symlink():
            shutil.rmtree(self.path, ignore_errors=True)
        self.close()

    def __enter__(self) -> StagedDir:
        return self

    def __exit__(self, *exc) -> None:
        if self._fd >= 0:  # not committed: an error, an interrupt, or the caller never committed
            self.discard()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap the paths ``a`` and ``b`` (Linux renameat2); False where the system cannot."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
