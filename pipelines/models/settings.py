"""Settings a prompt can name (forest, island, tavern, dusk, ...): terrain, palette and default content.

Several settings combine ("a snowy mountain pass at dusk"): their terrain
parameters merge, palettes and tints layer, and each adds its default objects
only for the groups the prompt did not mention itself.
"""

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
    interior: bool = False
    water: bool = False  # the setting has open water (sea, lake, river)
    size_m: float | None = None  # preferred scene extent
    tint: str | None = None  # key of materials.TINTS
    foliage: str | None = None  # "autumn" recolours leaves
    snow: float = 0.0  # snow cover on objects and flat ground
    style: dict[str, str] = field(default_factory=dict)  # "kind.part" -> preset, a setting's look
    rank: int = 0  # which setting names the biome when several are given (highest wins)


WALL = "against"  # placement: backs to the room's walls

SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("meadow", ("meadow", "meadows", "field", "fields", "grassland", "pasture", "plain", "plains", "prairie",
                           "countryside", "valley", "hillside", "clearing", "moor", "moors", "moorland", "heath",
                           "heathland", "downs", "steppe"),
                env={"amplitude": 0.8, "frequency": 0.025, "road_bend": 2.5},
                defaults=(("tree", 5), ("rock", 4), ("bush", 4)), rank=1),
        Setting("village", ("village", "hamlet", "town", "settlement", "city", "square", "plaza",
                            "town square", "village square"),
                env={"amplitude": 0.6, "road_w": 3.2},
                defaults=(("house", 5), ("well", 1), ("tree", 6), ("fence", 2), ("rock", 3), ("bush", 3)), rank=2),
        Setting("farm", ("farm", "farmyard", "barnyard", "farmstead", "ranch", "homestead", "farmland"),
                env={"amplitude": 0.5, "frequency": 0.02, "road_w": 3.0, "road_bend": 3.0}, size_m=70.0,
                palette={"path": "dirt:tan"},
                defaults=(("barn", 1), ("house|cabin", 1), ("silo", 1), ("chicken coop", 1), ("haystack", 2),
                          ("hay bale", 4), ("water trough", 1), ("tractor", 1), ("plough", 1), ("scarecrow", 1),
                          ("fence", 4, "edge"), ("cow", 4, "cluster"), ("horse", 2, "cluster"), ("sheep", 5, "cluster"),
                          ("pig", 3, "cluster"), ("chicken", 5, "near", "chicken coop"), ("dog", 1),
                          ("wagon|wheelbarrow", 1), ("tree", 4), ("bush", 3)), rank=3),
        Setting("forest", ("forest", "forests", "woods", "jungle", "rainforest", "taiga", "wilderness"),
                env={"amplitude": 1.2, "frequency": 0.03, "road_bend": 4.0},
                palette={"grass": "grass:olive", "dirt": "dirt"},
                defaults=(("tree", 18), ("pine", 10), ("bush", 8), ("rock", 5)), rank=3),
        Setting("camp", ("camp", "campsite", "campground", "encampment", "camping", "bivouac"),
                env={"amplitude": 0.7, "frequency": 0.03}, size_m=40.0,
                palette={"grass": "grass:olive"},
                defaults=(("campfire", 1, "center"), ("tent", 3, "ring", "campfire"), ("log seat", 3, "ring", "campfire"),
                          ("bedroll", 2, "near", "tent"), ("firewood pile", 1, "near", "campfire"),
                          ("cauldron", 1, "near", "campfire"), ("lean-to", 1), ("lantern", 1, "near", "tent"),
                          ("pine", 6), ("tree", 5), ("rock", 4), ("bush", 4)), rank=4),
        Setting("graveyard", ("graveyard", "cemetery", "churchyard", "burial ground", "necropolis"),
                env={"amplitude": 0.5, "frequency": 0.03}, size_m=40.0,
                palette={"grass": "grass:olive"},
                defaults=(("gravestone", 14, "row"), ("grave cross", 6, "row"), ("tomb", 2), ("mausoleum", 1, "edge"),
                          ("church", 1, "edge"), ("fence", 4, "edge"), ("gate", 1, "edge"), ("statue", 1),
                          ("tree", 4), ("bush", 3)), rank=4),
        Setting("garden", ("garden", "gardens", "backyard", "courtyard garden", "zen garden", "japanese garden",
                           "flower garden", "rose garden"),
                env={"amplitude": 0.3, "frequency": 0.03, "road_bend": 2.0}, size_m=30.0,
                defaults=(("flower bed", 3), ("flowers", 6, "cluster"), ("flowering shrub", 4), ("hedge", 3, "edge"),
                          ("bench", 1), ("garden arch", 1), ("bird bath", 1), ("garden pond", 1), ("planter", 2),
                          ("topiary", 2), ("sundial", 1), ("tree", 2), ("bush", 3)), rank=3),
        Setting("park", ("park", "parkland", "public park", "city park", "playground"),
                env={"amplitude": 0.4, "frequency": 0.025, "road_w": 2.6, "road_bend": 4.0}, size_m=50.0,
                palette={"path": "sand:tan"},
                defaults=(("tree", 10), ("bench", 4, "line"), ("lamp post", 3, "line"), ("fountain", 1, "center"),
                          ("flower bed", 2), ("trash bin", 2, "line"), ("picnic table", 2), ("swing set", 1),
                          ("slide", 1), ("statue", 1), ("bush", 5)), rank=3),
        Setting("market", ("market", "marketplace", "market square", "bazaar", "souk", "market place"),
                env={"amplitude": 0.3, "road_w": 3.5, "road_x": 0.0, "road_fixed": 1.0}, size_m=40.0,
                palette={"path": "cobble"},
                defaults=(("market stall", 8, "both_sides"), ("well|fountain", 1, "center"), ("barrel", 4), ("crate", 6),
                          ("handcart|wagon", 1), ("sack", 4), ("basket", 3), ("lamp post", 2), ("flag", 2),
                          ("house", 4, "edge")), rank=5),
        Setting("street", ("street", "town street", "main street", "high street", "city street", "downtown",
                           "boulevard"),
                env={"amplitude": 0.15, "road_w": 7.0, "road_x": 0.0, "road_fixed": 1.0}, size_m=64.0,
                palette={"path": "concrete:gray", "grass": "grass"},
                defaults=(("shop", 3, "both_sides"), ("apartment building", 1, "both_sides"), ("house", 2, "both_sides"),
                          ("car", 3, "line"), ("lamp post", 4, "both_sides"), ("traffic light", 1, "line"),
                          ("bench", 2, "line"), ("trash bin", 2, "line"), ("mailbox", 1, "line"),
                          ("fire hydrant", 1, "line"), ("bus stop", 1, "line"), ("signpost", 1, "line"),
                          ("bicycle", 1, "line"), ("tree", 3, "line")), rank=5),
        Setting("castle", ("castle courtyard", "courtyard", "bailey", "castle yard"),
                env={"amplitude": 0.2, "frequency": 0.02}, size_m=50.0,
                palette={"grass": "dirt:tan", "path": "cobble"},
                defaults=(("castle keep|tower", 1, "edge"), ("wall", 4, "edge"), ("gatehouse|gate", 1, "edge"),
                          ("tower", 2, "edge"), ("well", 1, "center"), ("training dummy", 2), ("weapon rack", 2),
                          ("catapult", 1), ("flag", 2), ("barrel", 3), ("crate", 3), ("wagon", 1), ("hay bale", 2)),
                rank=6),
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
                          ("lamp post", 3), ("mooring post", 3, "shore"), ("net rack", 1, "shore"),
                          ("dock crane", 1, "shore")), rank=7),
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
        Setting("mountain", ("mountain", "mountains", "mountainous", "alpine", "pass", "mountain pass", "peaks", "peak",
                             "highlands", "hills", "summit", "foothills"),
                env={"valley_depth": 13.0, "valley_w": 7.0, "amplitude": 1.8, "ridged": 2.5, "frequency": 0.03,
                     "snow_line": 9.0, "road_bend": 1.5},
                palette={"dirt": "dirt:brown"},
                defaults=(("pine", 10), ("boulder", 4), ("rock", 6)), rank=6),
        Setting("lake", ("lake", "lakeside", "lagoon", "loch", "swamp", "marsh", "bog", "wetland"),
                env={"lake_r": 11.0, "lake_x": 0.0, "lake_z": 4.0, "lake_depth": 2.0}, water=True,
                defaults=(("tree", 8), ("rock", 4), ("pier", 1), ("boat", 1), ("bush", 4), ("reeds", 4, "shore")),
                rank=4),
        Setting("river", ("river", "stream", "creek", "brook", "canal"),
                env={"river_w": 5.0, "river_depth": 1.8, "river_x": 0.0}, water=True, rank=1),
        Setting("interior", ("interior", "indoor", "indoors", "inside", "room", "chamber", "library", "cellar",
                             "dining room", "hall", "study", "office", "lab", "laboratory", "crypt", "vault",
                             "dungeon", "throne room", "great hall", "attic", "basement", "storeroom", "armoury",
                             "armory", "arsenal", "chapel interior", "classroom", "shop interior"),
                interior=True, size_m=10.0,
                palette={"floor": "boards", "walls": "plaster"},
                defaults=(("table", 1), ("chair", 4), ("bookshelf|shelf", 2, WALL), ("crate", 2)), rank=10),
        Setting("bedroom", ("bedroom", "bed room", "bedchamber", "guest room", "dormitory", "kids room"),
                interior=True, size_m=7.0,
                palette={"floor": "boards", "walls": "plaster"},
                defaults=(("bed", 1, WALL), ("nightstand", 2, "near", "bed"), ("wardrobe", 1, WALL), ("dresser", 1, WALL),
                          ("rug", 1, "center"), ("table lamp", 1, "on", "nightstand"), ("desk", 1, WALL),
                          ("chair", 1), ("bookshelf|shelf", 1, WALL), ("potted plant", 1)), rank=10),
        Setting("kitchen", ("kitchen", "scullery", "galley", "kitchenette"),
                interior=True, size_m=8.0,
                palette={"floor": "stone", "walls": "plaster"},
                defaults=(("kitchen counter", 2, WALL), ("kitchen stove", 1, WALL), ("fridge", 1, WALL),
                          ("cabinet|shelf", 1, WALL), ("table", 1, "center"), ("chair", 4), ("bottle", 2, "on", "table"),
                          ("basket", 1), ("barrel", 1), ("sack", 2)), rank=10),
        Setting("living room", ("living room", "livingroom", "lounge", "sitting room", "parlor", "parlour",
                                "family room"),
                interior=True, size_m=8.5,
                palette={"floor": "boards", "walls": "plaster"},
                defaults=(("sofa", 1, WALL), ("armchair", 2), ("coffee table", 1, "center"), ("rug", 1, "center"),
                          ("television", 1, WALL), ("bookshelf|shelf", 1, WALL), ("floor lamp", 1),
                          ("potted plant", 1), ("fireplace", 1, WALL)), rank=10),
        Setting("bathroom", ("bathroom", "bath room", "washroom", "restroom", "lavatory", "powder room"),
                interior=True, size_m=5.5,
                palette={"floor": "marble", "walls": "plaster"},
                defaults=(("bathtub", 1, WALL), ("toilet", 1, WALL), ("sink", 1, WALL), ("mirror", 1, WALL),
                          ("cabinet|shelf", 1, WALL), ("rug", 1), ("potted plant", 1)), rank=10),
        Setting("workshop", ("workshop", "smithy", "carpentry", "atelier", "work shop", "garage",
                               "carpenter shop", "carpenters shop", "carpentry shop", "woodshop", "wood shop",
                               "woodworking shop", "blacksmith shop", "smith shop", "joinery", "cooper shop",
                               "workroom", "machine shop", "potter shop", "forge room", "blacksmith workshop",
                               "blacksmiths workshop"),
                interior=True, size_m=10.0,
                palette={"floor": "boards", "walls": "stone"},
                defaults=(("workbench|table", 2, WALL), ("anvil", 1), ("forge|fireplace", 1, WALL), ("grindstone", 1),
                          ("sawhorse", 1), ("tool rack|shelf", 1, WALL), ("barrel", 2), ("crate", 3),
                          ("stool", 1)), rank=10),
        Setting("tavern", ("tavern", "pub", "saloon", "alehouse", "taproom", "brewery", "bar room", "barroom"),
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
