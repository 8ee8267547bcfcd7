"""Writers of the Asset document, found by format name.

Importing this package is cheap: each writer module (and numpy, pygltflib, ...) is
imported only when its format is written. Adding a format is one line in
``WRITERS``, e.g. ``"obj": _lazy("exporters.obj"),`` for a module with
``write(asset, path, preset) -> list[WrittenFile]``. Every writer names things
through the preset (``Preset.scene_names``, ``material_names``, ``texture_names``),
as the manifest does, so the names agree across formats.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from exporters.errors import InputError
from exporters.files import safe_name

if TYPE_CHECKING:
    from exporters.asset import Asset
    from exporters.files import WrittenFile
    from exporters.presets import Preset

Writer = Callable[["Asset", Path, "Preset"], "list[WrittenFile]"]


def _lazy(module: str) -> Writer:
    """Return a writer that imports ``module`` on first use and calls its ``write``."""

    def write(asset: Asset, path: Path, preset: Preset) -> list[WrittenFile]:
        return importlib.import_module(module).write(asset, path, preset)

    write.__qualname__ = write.__name__ = f"{module}.write"
    return write


WRITERS: dict[str, Writer] = {
    "glb": _lazy("exporters.gltf"),
    "fbx": _lazy("exporters.fbx"),
}


def write_formats(asset: Asset, out_dir: Path, stem: str, preset: Preset) -> list[WrittenFile]:
    """Return the files written for each of ``preset.formats``, in order, as ``out_dir/<stem>.<format>``.

    Every format is checked before anything is written. ``stem`` is sanitised with
    ``safe_name``; existing files are replaced (the caller enforces ``--force``).
    """
    unknown = [f for f in preset.formats if f not in WRITERS]
    if unknown:
        raise InputError(
            f"preset {preset.name!r} asks for format(s) {', '.join(unknown)} that no writer handles; "
            f"known formats: {', '.join(sorted(WRITERS))}"
        )
    stem = safe_name(stem)
    written: list[WrittenFile] = []
    for fmt in preset.formats:
        written.extend(WRITERS[fmt](asset, Path(out_dir) / f"{stem}.{fmt}", preset))
    return written
