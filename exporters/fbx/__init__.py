"""FBX 7.4 writer (binary, or ASCII for debugging) of the Asset, in a preset's axes, units and names.

``write(asset, path, preset)`` is the registry entry point (format ``"fbx"``).
The file embeds every texture (``Video`` ``Content``); with
``preset.fbx_textures_beside`` each texture is also written as
``<texture name>.png`` next to the FBX, the file the FBX's
``RelativeFilename`` names, so engines and import scripts can use either.

What engines get (see ``exporters.fbx.scene`` for the hierarchy and
``exporters.presets`` for the names): GlobalSettings that state the file's
real axes and unit (Unreal: +Z up, front -Y, centimeters, UnitScaleFactor 1;
Unity: +Y up, front +Z, meters, UnitScaleFactor 100), so both import with no
rotation and at true size; two UV sets "UVMap" (uv0) and "Lightmap" (uv1),
v flipped to FBX's bottom-up convention; explicit normals, smoothing, tangents
and binormals; a Lambert material per Asset material with the base color
texture on ``DiffuseColor``, the normal map on ``NormalMap`` and the ORM
texture on the custom property ``OcclusionRoughnessMetallic``.

The bytes depend only on the Asset and the preset: ids are hashes of names,
the creation time is fixed, and arrays are compressed at a fixed zlib level.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from exporters.asset import Asset
from exporters.fbx.ascii import encode_ascii
from exporters.fbx.binary import encode_binary
from exporters.fbx.scene import ORM_PROPERTY, SceneBuilder
from exporters.files import WrittenFile, atomic_write
from exporters.presets import Preset

ROLE = "fbx"
TEXTURE_ROLE = "texture"

__all__ = ["ORM_PROPERTY", "ROLE", "TEXTURE_ROLE", "encode_fbx", "write", "write_ascii"]


def encode_fbx(asset: Asset, preset: Preset, ascii: bool = False) -> bytes:
    """Return the bytes of ``asset`` as a binary (or ASCII) FBX 7.4 file for ``preset``."""
    top = SceneBuilder(asset, preset, binary=not ascii).build()
    return encode_ascii(top) if ascii else encode_binary(top)


def write(asset: Asset, path: Path, preset: Preset) -> list[WrittenFile]:
    """Return the FBX file (and textures beside it, if the preset says so) written atomically at ``path``.

    ASCII when ``preset.fbx_ascii`` (the CLI's ``--fbx-ascii``). The FBX is
    written last, so a reader never finds an FBX whose side textures are missing.
    """
    path = Path(path)
    written = []
    if preset.fbx_textures_beside:
        for tex, name in zip(asset.textures, preset.texture_names(asset)):
            written.append(atomic_write(path.parent / f"{name}.png", bytes(tex.png), TEXTURE_ROLE))
    written.insert(0, atomic_write(path, encode_fbx(asset, preset, ascii=preset.fbx_ascii), ROLE))
    return written


def write_ascii(asset: Asset, path: Path, preset: Preset) -> list[WrittenFile]:
    """Return the files ``write`` makes, with the FBX in ASCII form (for reading and diffing)."""
    return write(asset, path, replace(preset, fbx_ascii=True))
