"""Engine presets: which formats to write and how to name and orient things for an engine."""

from __future__ import annotations

from dataclasses import dataclass

from exporters.errors import InputError


@dataclass(frozen=True)
class Preset:
    """What ``--target`` sets. The Asset is always +Y up meters; writers convert from it."""

    name: str
    description: str
    formats: tuple[str, ...]  # writer names, in the order they run: "glb", "fbx"
    mesh_prefix: str = ""  # Unreal: "SM_"
    material_prefix: str = ""  # Unreal: "M_"
    texture_prefix: str = ""  # Unreal: "T_"


PRESETS: dict[str, Preset] = {
    "generic": Preset("generic", "glTF conventions: GLB, +Y up, meters", formats=("glb",)),
}


def get_preset(name: str) -> Preset:
    """Return the preset called ``name`` or raise ``InputError`` listing the valid ones."""
    try:
        return PRESETS[name]
    except KeyError:
        raise InputError(f"unknown target {name!r}; choose one of: {', '.join(PRESETS)}") from None
