"""Kind atlases: the baked texture sets of one kind's variants packed into one atlas, so they share one material.

Each variant was baked into its own square, power-of-two texture set (base
color, ORM, normal) with its charts inside [0, 1] and gutters around them. Here
the sets of one kind are packed side by side (shelves, biggest first) into one
power-of-two atlas per role, at most ``--texture-size`` texels on a side (the
largest texture edge the user allows; a kind with more variants than fit gets a
second atlas, and a second material), and each variant's uv0 (every LOD level:
they all read the variant's set) is mapped into its tile. Draw calls then grow
with kinds, not with variants or copies.

The tiles are baked at their size in the atlas: the chain gives each variant a
texture edge that lets all of its kind's variants fit one atlas
(``stages.texture_size_for``'s ``share``: 2-4 variants half the edge, 5-16 a
quarter), so a kind's texture bytes and GPU memory stay those of about one
object, whatever its number of variants; mip levels below a tile's gutter width
blend neighbouring tiles at a tile's border, as any atlas does.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from exporters.asset import MeshData, Texture
from exporters.png import encode_png

MAX_ATLAS = 4096
ROLES = ("baseColor", "orm", "normal")


@dataclass
class Tile:
    """Where one variant's texture set lies in an atlas (texels, top-left origin)."""

    atlas: int  # which atlas of the kind
    x: int
    y: int
    size: int


@dataclass
class KindAtlas:
    """One packed atlas: its size, its textures by role, and the variants it holds."""

    width: int
    height: int
    textures: dict[str, Texture]
    members: list[str]


def pack(sizes: list[int], max_side: int = MAX_ATLAS) -> tuple[list[Tile], list[tuple[int, int]]]:
    """Return each tile's place and each atlas's (width, height) for square power-of-two ``sizes``.

    Biggest first, in shelves as wide as the atlas; the width is the smallest
    power of two whose square holds every tile (at least the biggest tile), so
    the atlas is about square. Ties keep input order: the same sizes give the same places.
    """
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i], i))
    tiles: list[Tile | None] = [None] * len(sizes)
    atlases: list[tuple[int, int]] = []
    pending = list(order)
    while pending:
        area = sum(sizes[i] ** 2 for i in pending)
        width = max(sizes[pending[0]], 1 << max(0, int(np.ceil(np.log2(max(area, 1)) / 2))))
        width = min(width, max_side)
        x = y = shelf = 0
        placed = []
        for i in pending:
            s = sizes[i]
            if x + s > width:
                x, y, shelf = 0, y + shelf, 0
            if y + s > max_side:
                break
            tiles[i] = Tile(len(atlases), x, y, s)
            placed.append(i)
            x, shelf = x + s, max(shelf, s)
        height = 1 << int(np.ceil(np.log2(max(y + shelf, 1))))
        atlases.append((width, height))
        pending = [i for i in pending if i not in placed]
    return [t for t in tiles if t is not None], atlases


def decode(texture: Texture) -> np.ndarray:
    """Return the texture's pixels [H, W, 3] uint8 (our own PNGs are 8-bit RGB)."""
    with Image.open(io.BytesIO(texture.png)) as image:
        return np.asarray(image.convert("RGB"), dtype=np.uint8)


def build(
    kind: str, sets: dict[str, dict[str, Texture]], max_side: int = MAX_ATLAS
) -> tuple[list[KindAtlas], dict[str, Tile]]:
    """Return the atlases of ``kind`` packing each variant's texture set (variant name -> role -> Texture).

    Variant names keep the order of ``sets``; each atlas names its textures
    ``<kind>_atlas[_N]_<role>``.
    """
    names = list(sets)
    sizes = [sets[n]["baseColor"].width for n in names]
    tiles, shapes = pack(sizes, min(max_side, MAX_ATLAS))
    out: list[KindAtlas] = []
    for a, (w, h) in enumerate(shapes):
        stem = f"{kind}_atlas" if a == 0 else f"{kind}_atlas_{a + 1}"
        members = [n for n, t in zip(names, tiles) if t.atlas == a]
        textures = {}
        for role in ROLES:
            canvas = np.zeros((h, w, 3), dtype=np.uint8)
            if role == "normal":
                canvas[:] = (128, 128, 255)  # flat normal where no tile lies
            elif role == "orm":
                canvas[:] = (255, 255, 0)
            for n, t in zip(names, tiles):
                if t.atlas == a:
                    canvas[t.y : t.y + t.size, t.x : t.x + t.size] = decode(sets[n][role])
            png = encode_png(canvas, srgb=role == "baseColor")
            textures[role] = Texture(f"{stem}_{role}", role, png, w, h)  # type: ignore[arg-type]
        out.append(KindAtlas(w, h, textures, members))
    return out, dict(zip(names, tiles))


def remap_uv0(mesh: MeshData, tile: Tile, width: int, height: int) -> MeshData:
    """Return ``mesh`` with uv0 moved into ``tile`` of a ``width`` x ``height`` atlas (other arrays shared)."""
    if mesh.uv0 is None:
        return mesh
    uv = mesh.uv0.astype(np.float64)
    u = (tile.x + uv[:, 0] * tile.size) / width
    v = (tile.y + uv[:, 1] * tile.size) / height
    return MeshData(
        mesh.positions,
        mesh.indices,
        normals=mesh.normals,
        uv0=np.stack([u, v], axis=1),
        uv1=mesh.uv1,
        tangents=mesh.tangents,
        colors=mesh.colors,
    )
