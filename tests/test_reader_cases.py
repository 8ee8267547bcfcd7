"""The reader on the phrasings the evaluation suite's development prompts showed it missing (issue 16):
irregular plurals, generic nouns that mean one kind indoors and another outdoors, ponds and what lives in
them, containers and their contents, "X of Y" names, ground covers, slopes, things on towers, and the trace."""

from __future__ import annotations

from pipelines.models.encoder import nearest_kind
from pipelines.models.procedural import ProceduralModel
from pipelines.models.prompt import ParsedPrompt, read_prompt
from pipelines.models.reading import explain_rows


def read(prompt: str) -> ParsedPrompt:
    return read_prompt(prompt, nearest=lambda w: nearest_kind(w, embeddings=False))


def kinds(parsed: ParsedPrompt) -> dict[str, list]:
    out: dict[str, list] = {}
    for m in parsed.mentions:
        out.setdefault(m.kind, []).append(m)
    return out


def test_irregular_and_built_in_plurals_count_as_plurals() -> None:
    got = kinds(read("A study with bookshelves against the walls, and a hut with reeds around it"))
    assert got["bookshelf"][0].count >= 2 and got["reeds"][0].count >= 3
    assert kinds(read("geese and oxen in a meadow")).keys() >= {"duck", "cow"}


def test_the_fire_is_a_campfire_outdoors_and_a_fireplace_inside() -> None:
    camp = kinds(read("A camp: a cauldron over the fire and two bedrolls beside the fire."))
    assert "campfire" in camp and "fireplace" not in camp
    assert camp["cauldron"][0].placement == "near" and camp["cauldron"][0].anchor is not None
    assert "fireplace" in kinds(read("A tavern: chairs by the fire."))


def test_a_pond_is_a_garden_pond_and_what_lives_in_it_is_on_it() -> None:
    park = read("A park with a pond with ducks")
    pond = next(i for i, m in enumerate(park.mentions) if m.kind == "garden pond")
    ducks = kinds(park)["duck"][0]
    assert (ducks.placement, ducks.anchor) == ("on", pond) and "lake" not in park.settings
    lotus = kinds(read("A pagoda beside a lotus pond with koi."))
    assert lotus["lily pads"][0].placement == "on" and lotus["fish"][0].placement == "on"
    assert lotus["pagoda"][0].placement == "near"


def test_contents_are_not_objects_and_x_of_y_can_name_a_kind() -> None:
    got = kinds(read("a market with baskets of fruit, a barrel of nails and a rack of tools"))
    assert "tree" not in got and set(got) == {"basket", "barrel", "tool rack"}
    assert got["basket"][0].words == "baskets of fruit"
    assert kinds(read("a pile of firewood"))["firewood pile"][0].count == 1


def test_a_ground_cover_said_of_the_setting_spreads_over_it() -> None:
    moor = read("A windswept moor covered in heather, with a dolmen.")
    heather = kinds(moor)["bush"][0]
    assert "meadow" in moor.settings and heather.placement == "scatter" and heather.count >= 8
    assert "mooring post" not in kinds(moor)


def test_down_the_slope_scatters_on_the_hill() -> None:
    got = read("A mausoleum on a hill, with grave crosses scattered down the slope.")
    crosses = kinds(got)["grave cross"][0]
    assert (crosses.placement, crosses.feature) == ("scatter", "hill") and "church" not in kinds(got)


def test_banners_stand_on_towers_and_the_gate_is_the_gatehouses() -> None:
    got = read("A gatehouse flanked by two towers, with banners on the towers and a bridge leading to the gate.")
    k = kinds(got)
    assert k["flag"][0].placement == "on" and got.mentions[k["flag"][0].anchor].kind == "tower"
    assert "gate" not in k and got.mentions[k["bridge"][0].anchor].kind == "gatehouse"


def test_rooms_and_trades_are_interiors_and_the_far_end_is_a_wall() -> None:
    throne = kinds(read("A throne room: a throne at the far end."))["throne"][0]
    assert (throne.placement, throne.feature) == ("against", "walls")
    assert "workshop" in read("Carpenter's shop: two workbenches and a sawhorse.").settings
    assert "interior" in read("An alchemist's lab: a long table.").settings


def test_a_well_with_a_bucket_is_one_prop() -> None:
    got = read("an old stone well with a little roof and a bucket")
    assert got.prop and [m.kind for m in got.mentions] == ["well"]


def test_explain_rows_say_the_relation_and_how_many_were_placed() -> None:
    plan = ProceduralModel(embeddings=False).generate("A mountain pass with pine forest on both sides.", 0)
    rows = explain_rows(plan.trace, plan.entities)
    pines = next(r for r in rows if r["words"] == "pine forest")
    placed = sum(1 for e in plan.entities if e.kind == "pine")
    assert "both_sides pass" in pines["relation"] and '"on both sides"' in pines["relation"]
    assert pines["became"].startswith(f"{plan.trace[0]['count']} × pine") and f"{placed} placed" in pines["became"]


def test_foreign_prompts_name_their_settings_and_arrangements() -> None:
    es = read("Un cementerio con lápidas en filas y una capilla.")
    assert "graveyard" in es.settings and kinds(es)["gravestone"][0].placement == "row"
    de = read("Ein Friedhof mit Grabsteinen in Reihen und einer Kapelle.")
    assert "graveyard" in de.settings and {"gravestone", "church"} <= set(kinds(de))
    it = kinds(read("Un accampamento con tre tende intorno al falò."))
    assert it["tent"][0].placement == "ring" and "campfire" in it


def test_state_nouns_set_attributes_and_a_stone_circle_is_stones_in_a_ring() -> None:
    assert kinds(read("Castle ruins on a hilltop."))["castle keep"][0].attributes == ["broken"]
    assert kinds(read("A shipwreck on a sandy beach."))["ship"][0].attributes == ["broken"]
    assert kinds(read("A teepee by the river."))["tent"][0].attributes == ["round"]
    stones = kinds(read("A stone circle."))["boulder"][0]
    assert (stones.count, stones.placement) == (7, "ring")


def test_trades_on_a_street_are_shops_and_nightstands_flank_the_bed() -> None:
    street = read("A village street with a bakery and a blacksmith.")
    assert "workshop" not in street.settings and [m.kind for m in street.mentions] == ["shop", "shop"]
    room = read("A bedroom with a double bed and a nightstand on each side.")
    stands = kinds(room)["nightstand"][0]
    assert (stands.placement, stands.count, room.mentions[stands.anchor].kind) == ("both_sides", 2, "bed")


def test_the_ruins_of_a_thing_are_that_thing_broken_not_a_wall_beside_it() -> None:
    got = kinds(read("The ruins of a castle on a hill."))
    assert set(got) == {"castle keep"}
    keep = got["castle keep"][0]
    assert keep.attributes == ["broken"] and keep.placement == "hill" and keep.words == "the ruins of a castle"
    assert kinds(read("the wreck of a ship on the beach"))["ship"][0].attributes == ["broken"]


def test_a_singular_part_after_a_list_belongs_to_the_last_owner_and_a_plural_one_to_all() -> None:
    one = kinds(read("A farmhouse and a barn with a red roof."))
    assert one["barn"][0].parts["roof"][1] is not None and "roof" not in one["house"][0].parts
    both = kinds(read("A farmhouse and a barn with red roofs."))
    assert all("roof" in both[k][0].parts for k in ("house", "barn"))


def test_a_companion_goes_with_the_nearest_owner_of_a_list() -> None:
    got = read("Farmyard with a red barn, a tractor, and a fenced paddock with three horses.")
    pen = next(i for i, m in enumerate(got.mentions) if m.kind == "fence")
    horses = kinds(got)["horse"][0]
    assert (horses.placement, horses.anchor) == ("near", pen) and "paddock" in got.mentions[pen].attributes


def test_a_ladder_leans_against_its_owner_and_a_moat_is_no_gatehouse() -> None:
    got = read("A barn with a wooden ladder.")
    ladder = kinds(got)["ladder"][0]
    assert (ladder.placement, got.mentions[ladder.anchor].kind) == ("against", "barn")
    castle = read("A castle with a moat.")
    assert set(kinds(castle)) == {"castle keep"} and [u.word for u in castle.unknown] == ["moat"]
    assert nearest_kind("moat", embeddings=True)[0] is None  # not even by meaning: the terrain cannot dig one yet


def test_a_jetty_said_of_a_cabin_keeps_the_cabin_when_it_reaches_into_the_water() -> None:
    got = read("A cabin by the lake with a jetty reaching into the water.")
    pier = kinds(got)["pier"][0]
    assert pier.placement == "into_water" and got.mentions[pier.anchor].kind == "cabin"
