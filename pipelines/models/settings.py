"""Settings a prompt can name (forest, island, tavern, dusk, ...): terrain, palette and default content.

Several settings combine ("a snowy mountain pass at dusk"): their terrain
parameters merge, palettes and tints layer, and each adds its default objects
only for the groups the prompt did not mention itself.
"""

from __future__ import annotations

from pipelines.models.setting import RGB, WALL, Default, Setting
from pipelines.models.settings_places import PLACES
from pipelines.models.settings_rooms import ROOMS

__all__ = ["BASE_PALETTE", "RGB", "SETTINGS", "WALL", "Default", "Setting", "setting_words"]

# Other worlds, seasons and times of day; they layer over a place or a room.
MOODS: list[Setting] = [
    Setting(
        "planet",
        (
            "planet",
            "alien",
            "mars",
            "martian",
            "moon",
            "lunar",
            "extraterrestrial",
            "exoplanet",
            "asteroid",
            "crater",
            "craters",
        ),
        env={"amplitude": 1.6, "frequency": 0.04, "ridged": 1.2},
        palette={"grass": "sand:rose", "dirt": "dirt:maroon", "rock": "rock:purple", "sand": "sand:ochre"},
        defaults=(("crystal", 8), ("rock", 6), ("dome", 2), ("antenna", 1)),
        rank=7,
    ),
    Setting(
        "scifi",
        (
            "scifi",
            "sci fi",
            "science fiction",
            "futuristic",
            "outpost",
            "colony",
            "space",
            "cyberpunk",
            "spaceport",
            "research station",
        ),
        env={"road_w": 4.0},
        palette={"path": "concrete"},
        defaults=(("dome", 3), ("antenna", 2), ("crate", 6), ("lamp post", 4)),
        style={
            "dome.walls": "panels",
            "dome.roof": "panels",
            "house.walls": "panels",
            "house.roof": "metal",
            "crate.body": "metal",
            "crate.frame": "iron",
            "tower.walls": "panels",
            "tower.roof": "metal",
            "tent.cloth": "panels",
            "lamp post.pole": "metal",
        },
        rank=3,
    ),
    Setting(
        "autumn", ("autumn", "autumnal", "fall"), foliage="autumn", tint="autumn", palette={"grass": "grass:olive"}
    ),
    Setting("dusk", ("dusk", "sunset", "evening", "twilight", "dawn", "sunrise", "golden hour"), tint="dusk"),
    Setting("night", ("night", "nighttime", "midnight", "moonlit", "moonlight", "dark night"), tint="night"),
]

# In this order: a word two settings share names the first.
SETTINGS: dict[str, Setting] = {s.name: s for s in [*PLACES, *ROOMS, *MOODS]}

# Terrain and room palettes, before a setting changes them.
BASE_PALETTE = {
    "grass": "grass",
    "dirt": "dirt",
    "rock": "rock",
    "sand": "sand",
    "snow": "snow",
    "water": "water",
    "path": "dirt:tan",
}


def setting_words() -> dict[str, str]:
    """Return every word or phrase that names a setting, mapped to the setting."""
    out: dict[str, str] = {}
    for s in SETTINGS.values():
        for w in s.words:
            out.setdefault(w, s.name)
    return out
