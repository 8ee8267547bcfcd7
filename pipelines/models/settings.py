"""Settings a prompt can name (forest, island, tavern, dusk, ...): terrain, palette and default content.

Several settings combine ("a snowy mountain pass at dusk"): their terrain
parameters merge, palettes and tints layer, and each adds its default objects
only for the groups the prompt did not mention itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RGB = tuple[float, float, float]


@dataclass(frozen=True)
class Setting:
    name: str
    words: tuple[str, ...]
    env: dict[str, float] = field(default_factory=dict)  # terrain parameters (see terrain.base_heights)
    palette: dict[str, str] = field(default_factory=dict)  # terrain layer -> "preset" or "preset:color"
    defaults: tuple[tuple[str, int], ...] = ()  # (kind, count) added when the kind's group is not mentioned
    interior: bool = False
    water: bool = False  # the setting has open water (sea, lake, river)
    size_m: float | None = None  # preferred scene extent
    tint: str | None = None  # key of materials.TINTS
    foliage: str | None = None  # "autumn" recolours leaves
    snow: float = 0.0  # snow cover on objects and flat ground
    style: dict[str, str] = field(default_factory=dict)  # "kind.part" -> preset, a setting's look
    rank: int = 0  # which setting names the biome when several are given (highest wins)


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("meadow", ("meadow", "meadows", "field", "fields", "grassland", "pasture", "plain", "plains", "prairie",
                           "countryside", "garden", "park", "valley", "farmland", "hillside", "clearing"),
                env={"amplitude": 0.8, "frequency": 0.025},
                defaults=(("tree", 5), ("rock", 4), ("bush", 4)), rank=1),
        Setting("village", ("village", "hamlet", "town", "settlement", "farm", "city", "square", "plaza",
                            "medieval", "market square", "town square", "marketplace", "village square"),
                env={"amplitude": 0.6, "road_w": 3.2},
                defaults=(("house", 5), ("well", 1), ("tree", 6), ("fence", 2), ("rock", 3), ("bush", 3)), rank=2),
        Setting("forest", ("forest", "forests", "woods", "jungle", "rainforest", "taiga", "wilderness"),
                env={"amplitude": 1.2, "frequency": 0.03},
                palette={"grass": "grass:olive", "dirt": "dirt"},
                defaults=(("tree", 18), ("pine", 10), ("bush", 8), ("rock", 5)), rank=3),
        Setting("island", ("island", "isle", "islet", "atoll", "archipelago"),
                env={"island_r": 22.0, "island_h": 2.6, "amplitude": 0.7}, water=True, size_m=70.0,
                defaults=(("palm", 7), ("rock", 4), ("bush", 4), ("hut", 1), ("boat", 1)), rank=6),
        Setting("beach", ("beach", "coast", "coastal", "shore", "seaside", "seashore", "bay", "sea", "ocean",
                          "cove"),
                env={"beach": 1.0, "beach_z": 6.0, "amplitude": 0.5}, water=True,
                defaults=(("palm", 5), ("rock", 4), ("boat", 2)), rank=5),
        Setting("harbour", ("harbour", "harbor", "port", "marina", "fishing village", "docks", "seaport"),
                env={"beach": 1.0, "beach_z": 8.0, "amplitude": 0.5, "road_w": 3.0, "road_axis": 1.0, "road_z": -4.0},
                water=True,
                defaults=(("house", 6), ("pier", 2), ("boat", 4), ("barrel", 4), ("crate", 4), ("lighthouse", 1),
                          ("lamp post", 3)), rank=7),
        Setting("desert", ("desert", "dunes", "dune", "sahara", "arid", "wasteland", "badlands", "oasis"),
                env={"amplitude": 1.2, "ridged": 1.6, "frequency": 0.02, "sand": 1.0},
                palette={"grass": "sand", "dirt": "sand:tan", "rock": "sandstone", "path": "sand:ochre"},
                defaults=(("cactus", 8), ("rock", 6), ("boulder", 2), ("rock pillar", 2)), rank=5),
        Setting("canyon", ("canyon", "gorge", "ravine", "chasm", "gulch"),
                env={"canyon_depth": 10.0, "canyon_w": 8.0, "canyon_wall": 7.0, "amplitude": 0.5, "sand": 0.6},
                palette={"grass": "sand:tan", "dirt": "sand:ochre", "rock": "sandstone", "sand": "sand"},
                defaults=(("rock pillar", 3), ("boulder", 4), ("rock", 6), ("cactus", 3)), rank=8),
        Setting("snowy", ("snowy", "snow", "snowfall", "winter", "wintry", "frozen", "arctic", "tundra", "glacier",
                          "blizzard", "frosty", "snowbound", "snowcapped"),
                env={"snow": 0.9}, palette={"grass": "grass:olive"}, snow=0.85,
                defaults=(("pine", 14), ("rock", 5), ("boulder", 2)), rank=2),
        Setting("mountain", ("mountain", "mountains", "mountainous", "alpine", "pass", "peaks", "peak",
                             "highlands", "hills", "summit", "foothills"),
                env={"valley_depth": 13.0, "valley_w": 7.0, "amplitude": 1.8, "ridged": 2.5, "frequency": 0.03,
                     "snow_line": 9.0},
                palette={"dirt": "dirt:brown"},
                defaults=(("pine", 10), ("boulder", 4), ("rock", 6)), rank=6),
        Setting("lake", ("lake", "pond", "lakeside", "lagoon", "loch", "swamp", "marsh", "bog", "wetland"),
                env={"lake_r": 11.0, "lake_x": 0.0, "lake_z": 4.0, "lake_depth": 2.0}, water=True,
                defaults=(("tree", 8), ("rock", 4), ("pier", 1), ("boat", 1), ("bush", 4)), rank=4),
        Setting("river", ("river", "stream", "creek", "brook", "canal"),
                env={"river_w": 5.0, "river_depth": 1.8, "river_x": 0.0}, water=True, rank=1),
        Setting("interior", ("interior", "indoor", "indoors", "inside", "room", "chamber", "kitchen",
                             "library", "cellar", "bedroom", "living room", "dining room", "workshop"),
                interior=True, size_m=10.0,
                palette={"floor": "boards", "walls": "plaster"},
                defaults=(("table", 1), ("chair", 4), ("shelf", 2), ("crate", 2)), rank=10),
        Setting("tavern", ("tavern", "pub", "saloon", "alehouse", "taproom", "brewery"),
                interior=True, size_m=14.0,
                palette={"floor": "boards", "walls": "stone"},
                defaults=(("bar counter", 1), ("table", 4), ("chair", 12), ("stool", 4), ("barrel", 5),
                          ("shelf", 2), ("candle", 4), ("fireplace", 1)), rank=11),
        Setting("planet", ("planet", "alien", "mars", "martian", "moon", "lunar", "extraterrestrial", "exoplanet",
                           "asteroid", "crater", "craters"),
                env={"amplitude": 1.6, "frequency": 0.04, "ridged": 1.2},
                palette={"grass": "sand:rose", "dirt": "dirt:maroon", "rock": "rock:purple", "sand": "sand:ochre"},
                defaults=(("crystal", 8), ("rock", 6), ("dome", 2), ("antenna", 1)), rank=7),
        Setting("scifi", ("scifi", "sci fi", "science fiction", "futuristic", "outpost", "colony", "space",
                          "cyberpunk", "spaceport", "research station"),
                env={"road_w": 4.0},
                palette={"path": "concrete"},
                defaults=(("dome", 3), ("antenna", 2), ("crate", 6), ("lamp post", 4)),
                style={"dome.walls": "panels", "dome.roof": "panels", "house.walls": "panels", "house.roof": "metal",
                       "crate.body": "metal", "crate.frame": "iron", "tower.walls": "panels", "tower.roof": "metal",
                       "tent.cloth": "panels", "lamp post.pole": "metal"}, rank=3),
        Setting("autumn", ("autumn", "autumnal", "fall"), foliage="autumn", tint="autumn",
                palette={"grass": "grass:olive"}),
        Setting("dusk", ("dusk", "sunset", "evening", "twilight", "dawn", "sunrise", "golden hour"), tint="dusk"),
        Setting("night", ("night", "nighttime", "midnight", "moonlit", "moonlight", "dark night"), tint="night"),
    ]
}

# Terrain and room palettes, before a setting changes them.
BASE_PALETTE = {
    "grass": "grass", "dirt": "dirt", "rock": "rock", "sand": "sand", "snow": "snow", "water": "water",
    "path": "dirt:tan",
}


def setting_words() -> dict[str, str]:
    """Return every word or phrase that names a setting, mapped to the setting."""
    out: dict[str, str] = {}
    for s in SETTINGS.values():
        for w in s.words:
            out.setdefault(w, s.name)
    return out
