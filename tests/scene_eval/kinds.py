"""The kind names a checklist may use: today's catalog plus the planned ones (issue 16 §5).

A copy of the contract's planned list (the coordinator's CATALOG.md), kept here so
that the suite does not read the catalog code it scores. A checklist that names a
kind outside this set is a typo or a kind nobody agreed to build.
"""

from __future__ import annotations

EXISTING = frozenset(
    {
        "house",
        "cabin",
        "hut",
        "tower",
        "wall",
        "fence",
        "gate",
        "well",
        "bridge",
        "pier",
        "table",
        "chair",
        "stool",
        "bench",
        "bar counter",
        "shelf",
        "barrel",
        "crate",
        "candle",
        "wagon",
        "fireplace",
        "windmill",
        "lighthouse",
        "dome",
        "tent",
        "market stall",
        "fountain",
        "lamp post",
        "statue",
        "boat",
        "antenna",
        "tree",
        "pine",
        "palm",
        "bush",
        "rock",
        "boulder",
        "rock pillar",
        "cliff",
        "cactus",
        "crystal",
    }
)

# Owner A: homes, rooms, household, workshop.
HOME = frozenset(
    {
        "bed",
        "bunk bed",
        "sofa",
        "armchair",
        "wardrobe",
        "dresser",
        "nightstand",
        "desk",
        "bookshelf",
        "cabinet",
        "floor lamp",
        "table lamp",
        "rug",
        "potted plant",
        "bathtub",
        "toilet",
        "sink",
        "kitchen counter",
        "kitchen stove",
        "fridge",
        "piano",
        "grandfather clock",
        "mirror",
        "television",
        "coffee table",
        "chest",
        "vase",
        "painting",
        "lantern",
        "tankard",
        "bottle",
        "basket",
        "sack",
        "books",
        "anvil",
        "workbench",
        "grindstone",
        "sawhorse",
        "tool rack",
        "forge",
        "ladder",  # added with issue 16's weak spots ("a barn with a wooden ladder")
    }
)

# Owner B: farm, animals, street, vehicles, town.
TOWN = frozenset(
    {
        "barn",
        "silo",
        "chicken coop",
        "haystack",
        "hay bale",
        "water trough",
        "tractor",
        "plough",
        "scarecrow",
        "cow",
        "horse",
        "sheep",
        "pig",
        "chicken",
        "dog",
        "duck",
        "goat",
        "car",
        "truck",
        "bus",
        "bicycle",
        "motorcycle",
        "traffic light",
        "signpost",
        "mailbox",
        "fire hydrant",
        "trash bin",
        "phone booth",
        "bus stop",
        "bollard",
        "shop",
        "church",
        "apartment building",
        "office tower",
        "wheelbarrow",
        "handcart",
    }
)

# Owner C: castle, harbour, camp, graveyard, monuments (the last three are optional).
LANDMARKS = frozenset(
    {
        "castle keep",
        "gatehouse",
        "catapult",
        "flag",
        "throne",
        "weapon rack",
        "training dummy",
        "dock crane",
        "anchor",
        "buoy",
        "net rack",
        "ship",
        "canoe",
        "mooring post",
        "campfire",
        "log seat",
        "bedroll",
        "cauldron",
        "firewood pile",
        "lean-to",
        "gravestone",
        "grave cross",
        "mausoleum",
        "tomb",
        "obelisk",
        "shrine",
        "bell",
        "fish crate",
        "pillory",
        "stocks",
    }
)

# Owner D: gardens, parks, plants, nature.
GARDEN = frozenset(
    {
        "gazebo",
        "pergola",
        "flower bed",
        "flowers",
        "flowering shrub",
        "hedge",
        "topiary",
        "stone lantern",
        "torii gate",
        "pagoda",
        "garden pond",
        "bird bath",
        "planter",
        "swing set",
        "slide",
        "picnic table",
        "sundial",
        "garden arch",
        "stepping stones",
        "tree stump",
        "fallen log",
        "mushroom",
        "grass tuft",
        "reeds",
        "willow",
        "bamboo",
        "fern",
        "fish",
        "lily pads",
        "cherry blossom",
    }
)

PLANNED = EXISTING | HOME | TOWN | LANDMARKS | GARDEN

# The scene's own nodes, which are not objects: the ground of an outdoor scene and a room's shell.
GROUND_KINDS = frozenset({"terrain", "room"})

# Kinds that hang on a wall rather than stand on something (their support is a wall).
WALL_HUNG = frozenset({"painting", "mirror", "tool rack", "flag", "lantern", "weapon rack"})
