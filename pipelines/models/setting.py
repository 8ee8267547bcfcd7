"""What a setting is: a ``Setting`` (terrain, palette, default content) and how defaults are written."""

from __future__ import annotations

from dataclasses import dataclass, field

RGB = tuple[float, float, float]


# A default: (kind, count) or (kind, count, placement) or (kind, count, placement, anchor kind). The kind may
# name fallbacks, "bookshelf|shelf": the first the catalog has is used, and a default whose kinds the
# catalog lacks is skipped (so settings work before and after the catalog grows).
Default = tuple


@dataclass(frozen=True)
class Setting:
    name: str
    words: tuple[str, ...]
    env: dict[str, float] = field(default_factory=dict)  # terrain parameters (see terrain.base_heights)
    palette: dict[str, str] = field(default_factory=dict)  # terrain layer -> "preset" or "preset:color"
    defaults: tuple[Default, ...] = ()  # added when the kind's group is not mentioned
    # Default kinds that dress a bare prompt only ("a lake at dawn" gets a pier and a boat); a
    # prompt that names objects of its own gets no structures it did not ask for.
    bare_only: tuple[str, ...] = ()
    interior: bool = False
    water: bool = False  # the setting has open water (sea, lake, river)
    size_m: float | None = None  # preferred scene extent
    tint: str | None = None  # key of materials.TINTS
    foliage: str | None = None  # "autumn" recolours leaves
    snow: float = 0.0  # snow cover on objects and flat ground
    style: dict[str, str] = field(default_factory=dict)  # "kind.part" -> preset, a setting's look
    rank: int = 0  # which setting names the biome when several are given (highest wins)


WALL = "against"  # placement: backs to the room's walls
