"""Prompts in French, German, Spanish and Italian: a word-for-word English gloss before parsing.

The language is the one whose function words (articles, prepositions,
conjunctions) the prompt uses most, and only when it uses more of them than
of English ones; then each word or short phrase found in that language's
table is replaced by its English gloss ("tonneaux empilés contre le mur" ->
"barrels stacked against the wall"), and the English reader does the rest.
Words not in the table stay as they are and go to the unknown-word path
(its related-words table knows a few more nouns). Other scripts are left to
that path too.
"""

from __future__ import annotations

ENGLISH = {"the", "a", "an", "and", "with", "of", "in", "on", "at", "around", "next", "to", "by", "some", "is", "are"}

# "source=gloss" pairs; "_" joins words on either side ("au_milieu=in_the_middle").
_TABLES = {
    "fr": """
des_deux_côtés=on_both_sides de_chaque_côté=on_each_side de_part_et_d_autre=on_both_sides amarrés_au=moored_to_the amarrées_au=moored_to_the
le_long_des=along_the près_des=near_the près_du=near_the autour_des=around_the au_milieu_des=in_the_middle_of_the
allée=path allées=paths sentier=path le_long_de_l=along_the lit_double=bed table_de_chevet=nightstand tables_de_chevet=nightstands commode=dresser miroir=mirror
tableau=painting tableaux=paintings plante=potted_plant plantes=potted_plants plante_verte=potted_plant coffre=chest
malle=chest lampe_de_chevet=table_lamp horloge=clock tabouret=stool tabourets=stools comptoir=bar_counter coin=corner
dans_le_coin=in_the_corner sac_de_couchage=bedroll sacs_de_couchage=bedrolls canoë=canoe canot=canoe marmite=cauldron
chaudron=cauldron au_bord_d=at_the_edge_of bateau_de_pêche=fishing_boat bateaux_de_pêche=fishing_boats ancre=anchor
entrepôt=warehouse caisses_de_poisson=fish_crates carrefour=crossroads feu_rouge=traffic_light feux_rouges=traffic_lights
arrêt_de_bus=bus_stop boîte_aux_lettres=mailbox magasin=shop magasins=shops boutique=shop boutiques=shops vélo=bicycle
vélos=bicycles camion=truck autobus=bus banlieue=suburb quartier=neighbourhood pierre_tombale=gravestone
pierres_tombales=gravestones cyprès=cypress ange=angel serre=greenhouse pot=pot pots=pots arrosoir=watering_can
amarré=moored amarrés=moored amarrées=moored rangée=row rangées=rows
un=a une=a des= les=the le=the la=the l=the du=of_the de=of d=of et=and ou=or avec=with sans=without au=at_the
aux=at_the en=in dans=in sur=on sous=under autour=around autour_de=around autour_du=around_the près=near près_de=near
à_côté_de=next_to à_côté_du=next_to_the au_milieu=in_the_middle au_milieu_de=in_the_middle_of au_centre=in_the_centre
contre=against le_long_de=along le_long_du=along_the derrière=behind devant=in_front_of entre=between vers=toward
deux=two trois=three quatre=four cinq=five six=six sept=seven huit=eight neuf=nine dix=ten douze=twelve
quelques=a_few plusieurs=several beaucoup_de=many petit=small petite=small petits=small petites=small grand=big
grande=big grands=big grandes=big vieux=old vieille=old ancien=old ancienne=old rouge=red rouges=red bleu=blue
bleue=blue vert=green verte=green blanc=white blanche=white noir=black noire=black jaune=yellow bois=wood
en_bois=wooden pierre=stone en_pierre=stone empilés=stacked empilées=stacked empilé=stacked entouré_de=surrounded_by
entourée_de=surrounded_by maison=house maisons=houses arbre=tree arbres=trees puits=well église=church
grange=barn granges=barns vache=cow vaches=cows cheval=horse chevaux=horses mouton=sheep moutons=sheep
cochon=pig cochons=pigs poule=chicken poules=chickens chien=dog tour=tower tours=towers pont=bridge rivière=river
fleuve=river lac=lake étang=pond route=road chemin=path rue=street mur=wall murs=walls clôture=fence barrière=fence
portail=gate cheminée=fireplace tonneau=barrel tonneaux=barrels caisse=crate caisses=crates table=table tables=tables
chaise=chair chaises=chairs banc=bench bancs=benches fontaine=fountain jardin=garden village=village ville=town
ferme=farm forêt=forest bois_de=forest_of taverne=tavern auberge=tavern château=castle bateau=boat bateaux=boats
navire=ship lampe=lamp lanterne=lantern bougie=candle bougies=candles lit=bed fenêtre=window porte=door toit=roof
toits=roofs rocher=rock rochers=rocks pierres=stones fleurs=flowers buisson=bush buissons=bushes moulin=windmill
tracteur=tractor tente=tent tentes=tents feu=campfire feu_de_camp=campfire tombe=gravestone tombes=gravestones
croix=cross chapelle=chapel marché=market étal=stall étals=stalls place=square parc=park montagne=mountain
île=island plage=beach mer=sea désert=desert neige=snow enneigé=snowy hiver=winter nuit=night statue=statue
cimetière=graveyard en_rangées=in_rows en_rang=in_a_row en_ligne=in_a_row alignés=lined_up alignées=lined_up
éparpillés=scattered éparpillées=scattered dispersés=scattered des_deux_côtés_de=on_both_sides_of
de_chaque_côté_de=on_both_sides_of de_part_et_d_autre_de=on_both_sides_of au_bord_de=at_the_edge_of
au_bord_du=at_the_edge_of_the en_face_de=opposite sur_la_colline=on_the_hill colline=hill port=harbour
quai=quay jetée=pier ponton=pier barque=boat barques=boats voilier=sailing_boat filets=nets filet=net
phare=lighthouse grue=crane bouée=buoy bouées=buoys camp=camp campement=camp bûches=logs bois_de_chauffage=firewood
cuisine=kitchen chambre=bedroom salon=living_room pièce=room atelier=workshop forge=forge enclume=anvil
étagère=shelf étagères=shelves bibliothèque=bookshelf armoire=wardrobe tapis=rug lustre=chandelier
fauteuil=armchair canapé=sofa bureau=desk torche=torch torches=torches drapeau=flag drapeaux=flags
bannière=banner bannières=banners charrette=cart chariot=wagon brouette=wheelbarrow foin=hay botte_de_foin=hay_bale
bottes_de_foin=hay_bales tombeau=tomb tombeaux=tombs mausolée=mausoleum sapin=pine sapins=pines pin=pine
pins=pines chêne=oak chênes=oaks palmier=palm palmiers=palms saule=willow saules=willows herbe=grass
haie=hedge haies=hedges rosier=rose_bush roses=roses étang_aux_nénuphars=lily_pond sac=sack sacs=sacks
panier=basket paniers=baskets fruits=fruit légumes=vegetables épée=sword épées=swords bouclier=shield
boucliers=shields lampadaire=street_lamp lampadaires=street_lamps voiture=car voitures=cars ruelle=alley
boulangerie=bakery auberge_de=tavern_of moulin_à_vent=windmill clocher=steeple cour=courtyard donjon=keep
remparts=walls muraille=wall créneaux=battlements canon=cannon canons=cannons catapulte=catapult
""",
    "de": """
am=at_the zum=to_the zur=to_the auf_der_weide=in_the_pasture zu_beiden_seiten=on_both_sides zu_beiden_seiten_der=on_both_sides_of_the zu_beiden_seiten_des=on_both_sides_of_the
pfad=path allee=avenue am_ufer=on_the_shore ufer=shore doppelbett=bed nachttisch=nightstand nachttische=nightstands kommode=dresser spiegel=mirror bild=painting
bilder=paintings gemälde=painting pflanze=potted_plant pflanzen=potted_plants zimmerpflanze=potted_plant
topfpflanze=potted_plant topfpflanzen=potted_plants nachttischlampe=table_lamp stehlampe=floor_lamp uhr=clock
standuhr=grandfather_clock fernseher=television bücher=books truhe=chest couch=sofa ecke=corner in_der_ecke=in_the_corner
gemütlich=cozy gemütliches=cozy gemütliche=cozy kanu=canoe kanus=canoes schlafsack=bedroll schlafsäcke=bedrolls
feuerstelle=campfire feuer=fire kessel=cauldron baumstamm=log baumstämme=logs fischerboot=fishing_boat
fischerboote=fishing_boats anker=anchor poller=mooring_post lagerhaus=warehouse fischkisten=fish_crates ampel=traffic_light
ampeln=traffic_lights bushaltestelle=bus_stop briefkasten=mailbox briefkästen=mailboxes geschäft=shop geschäfte=shops
laden=shop läden=shops fahrrad=bicycle fahrräder=bicycles lastwagen=truck bus=bus kreuzung=crossroads vorort=suburb
marktplatz=market_square zypresse=cypress zypressen=cypresses engel=angel grabkreuz=grave_cross gewächshaus=greenhouse
vertäut=moored reihe=row reihen=rows
ein=a eine=a einen=a einem=a einer=a eines=a der=the die=the das=the den=the dem=the des=of_the und=and oder=or
mit=with ohne=without im=in_the in=in auf=on unter=under um=around rund_um=around neben=next_to nahe=near bei=near
in_der_mitte=in_the_middle gegen=against an_der_wand=against_the_wall entlang=along hinter=behind vor=in_front_of
zwischen=between zwei=two drei=three vier=four fünf=five sechs=six sieben=seven acht=eight neun=nine zehn=ten
zwölf=twelve einige=a_few mehrere=several viele=many klein=small kleine=small kleines=small kleinen=small
groß=big große=big großes=big großen=big alt=old alte=old altes=old alten=old rot=red rote=red rotes=red roten=red
blau=blue blaue=blue grün=green grüne=green weiß=white weiße=white schwarz=black gelb=yellow aus_holz=wooden
holz=wood hölzern=wooden hölzerne=wooden stein=stone steinerne=stone gestapelt=stacked gestapelte=stacked
umgeben_von=surrounded_by haus=house häuser=houses häusern=houses baum=tree bäume=trees bäumen=trees brunnen=well
kirche=church scheune=barn kuh=cow kühe=cows pferd=horse pferde=horses schaf=sheep schafe=sheep schwein=pig
schweine=pigs huhn=chicken hühner=chickens hund=dog turm=tower türme=towers brücke=bridge fluss=river see=lake
teich=pond straße=road weg=path gasse=street mauer=wall wand=wall zaun=fence tor=gate kamin=fireplace fass=barrel
fässer=barrels kiste=crate kisten=crates tisch=table tische=tables stuhl=chair stühle=chairs bank=bench
bänke=benches springbrunnen=fountain garten=garden dorf=village stadt=town bauernhof=farm hof=farm wald=forest
taverne=tavern gasthaus=tavern wirtshaus=tavern burg=castle schloss=castle boot=boat boote=boats schiff=ship
lampe=lamp laterne=lantern kerze=candle kerzen=candles bett=bed fenster=window tür=door dach=roof dächer=roofs
dächern=roofs fels=rock felsen=rocks steine=stones blumen=flowers busch=bush büsche=bushes mühle=windmill
windmühle=windmill traktor=tractor zelt=tent zelte=tents lagerfeuer=campfire grab=gravestone gräber=gravestones
grabstein=gravestone grabsteine=gravestones kreuz=cross kapelle=chapel markt=market marktstand=stall platz=square
park=park berg=mountain berge=mountains insel=island strand=beach meer=sea wüste=desert schnee=snow winter=winter
nacht=night statue=statue
friedhof=graveyard kirchhof=churchyard in_reihen=in_rows in_einer_reihe=in_a_row verstreut=scattered
auf_beiden_seiten=on_both_sides auf_beiden_seiten_des=on_both_sides_of_the auf_beiden_seiten_der=on_both_sides_of_the
am_rand=at_the_edge am_rande=at_the_edge gegenüber=opposite hügel=hill auf_dem_hügel=on_the_hill hafen=harbour
kai=quay steg=pier anlegesteg=pier ruderboot=boat segelboot=sailing_boat netze=nets netz=net leuchtturm=lighthouse
kran=crane boje=buoy bojen=buoys lager=camp zeltlager=camp holzscheite=logs brennholz=firewood küche=kitchen
schlafzimmer=bedroom wohnzimmer=living_room zimmer=room raum=room werkstatt=workshop schmiede=smithy amboss=anvil
esse=forge regal=shelf regale=shelves bücherregal=bookshelf schrank=wardrobe kleiderschrank=wardrobe teppich=rug
kronleuchter=chandelier sessel=armchair sofa=sofa schreibtisch=desk fackel=torch fackeln=torches fahne=flag
fahnen=flags flagge=flag flaggen=flags banner=banner karren=cart wagen=wagon schubkarre=wheelbarrow heu=hay
heuballen=hay_bales grabmal=tomb gruft=crypt mausoleum=mausoleum tanne=pine tannen=pines kiefer=pine
kiefern=pines eiche=oak eichen=oaks palme=palm palmen=palms weide=willow weiden=willows gras=grass hecke=hedge
hecken=hedges rosen=roses sack=sack säcke=sacks korb=basket körbe=baskets obst=fruit gemüse=vegetables
schwert=sword schwerter=swords schild=shield schilde=shields straßenlaterne=street_lamp straßenlaternen=street_lamps
auto=car autos=cars bäckerei=bakery kirchturm=steeple hof_der_burg=castle_courtyard burghof=castle_courtyard
bergfried=keep kanone=cannon kanonen=cannons katapult=catapult marktstände=stalls stände=stalls stand=stall
fässern=barrels tischen=tables stühlen=chairs grabsteinen=gravestones gräbern=graves kreuzen=crosses zelten=tents
booten=boats kühen=cows pferden=horses schafen=sheep bänken=benches kisten=crates steinen=stones blumen=flowers
büschen=bushes tannen=pines kiefern=pines eichen=oaks palmen=palms fackeln=torches fahnen=flags kerzen=candles
türmen=towers mauern=walls regalen=shelves netzen=nets
""",
    "es": """
al=to_the a_ambos_lados=on_both_sides a_cada_lado=on_each_side
sendero=path senderos=paths mesita_de_noche=nightstand mesitas_de_noche=nightstands cómoda=dresser espejo=mirror cuadro=painting
cuadros=paintings planta=potted_plant plantas=potted_plants baúl=chest cofre=chest taburete=stool taburetes=stools
barra=bar_counter esquina=corner en_la_esquina=in_the_corner reloj=clock canoa=canoe saco_de_dormir=bedroll
sacos_de_dormir=bedrolls caldero=cauldron a_orillas_de=on_the_shore_of a_orillas_del=on_the_shore_of_the orilla=shore
junto_al=next_to_the tronco=log barco_de_pesca=fishing_boat barcos_de_pesca=fishing_boats ancla=anchor
almacén=warehouse amarrado=moored amarrados=moored amarradas=moored cruce=crossroads semáforo=traffic_light
semáforos=traffic_lights parada_de_autobús=bus_stop buzón=mailbox buzones=mailboxes comercio=shop comercios=shops
bicicleta=bicycle bicicletas=bicycles camión=truck autobús=bus afueras=suburb barrio=neighbourhood ciprés=cypress
cipreses=cypresses ángel=angel invernadero=greenhouse maceta=pot macetas=pots regadera=watering_can fila=row
filas=rows
un=a una=a unos=some unas=some el=the la=the los=the las=the del=of_the de=of y=and e=and o=or con=with sin=without
en=in sobre=on bajo=under alrededor=around alrededor_de=around alrededor_del=around_the cerca=near cerca_de=near
junto_a=next_to al_lado_de=next_to en_el_medio=in_the_middle en_el_centro=in_the_centre en_medio_de=in_the_middle_of
contra=against a_lo_largo_de=along detrás_de=behind delante_de=in_front_of entre=between dos=two tres=three
cuatro=four cinco=five seis=six siete=seven ocho=eight nueve=nine diez=ten doce=twelve algunos=a_few algunas=a_few
varios=several varias=several muchos=many muchas=many pequeño=small pequeña=small pequeños=small pequeñas=small
grande=big grandes=big viejo=old vieja=old antiguo=old antigua=old rojo=red roja=red rojos=red rojas=red azul=blue
verde=green blanco=white blanca=white negro=black amarillo=yellow madera=wood de_madera=wooden piedra=stone
de_piedra=stone apilados=stacked apiladas=stacked rodeado_de=surrounded_by rodeada_de=surrounded_by
rodeado_por=surrounded_by casa=house casas=houses árbol=tree árboles=trees pozo=well iglesia=church granja=farm
granero=barn graneros=barns vaca=cow vacas=cows caballo=horse caballos=horses oveja=sheep ovejas=sheep cerdo=pig
cerdos=pigs gallina=chicken gallinas=chickens perro=dog torre=tower torres=towers puente=bridge río=river lago=lake
estanque=pond camino=road carretera=road calle=street muro=wall pared=wall valla=fence cerca_de_madera=wooden_fence
puerta=gate chimenea=fireplace barril=barrel barriles=barrels caja=crate cajas=crates mesa=table mesas=tables
silla=chair sillas=chairs banco=bench bancos=benches fuente=fountain jardín=garden pueblo=village aldea=village
ciudad=town bosque=forest taberna=tavern castillo=castle barco=boat barcos=boats barca=boat nave=ship lámpara=lamp
farol=lantern vela=candle velas=candles cama=bed ventana=window techo=roof tejado=roof roca=rock rocas=rocks
piedras=stones flores=flowers arbusto=bush arbustos=bushes molino=windmill tractor=tractor tienda=tent
tiendas=tents hoguera=campfire fogata=campfire tumba=gravestone tumbas=gravestones lápida=gravestone cruz=cross
capilla=chapel mercado=market puesto=stall puestos=stalls plaza=square parque=park montaña=mountain isla=island
playa=beach mar=sea desierto=desert nieve=snow invierno=winter noche=night estatua=statue
cementerio=graveyard camposanto=graveyard en_filas=in_rows en_fila=in_a_row en_hilera=in_a_row en_hileras=in_rows
alineados=lined_up alineadas=lined_up esparcidos=scattered esparcidas=scattered dispersos=scattered
a_ambos_lados_de=on_both_sides_of a_ambos_lados_del=on_both_sides_of_the a_cada_lado_de=on_both_sides_of
al_borde_de=at_the_edge_of al_borde_del=at_the_edge_of_the frente_a=opposite colina=hill en_la_colina=on_the_hill
puerto=harbour muelle=pier embarcadero=pier bote=boat botes=boats velero=sailing_boat redes=nets red=net
faro=lighthouse grúa=crane boya=buoy boyas=buoys campamento=camp troncos=logs leña=firewood cocina=kitchen
dormitorio=bedroom habitación=room sala=room salón=living_room taller=workshop herrería=smithy fragua=forge
yunque=anvil estante=shelf estantes=shelves estantería=bookshelf librería=bookshelf armario=wardrobe
alfombra=rug candelabro=candelabra sillón=armchair sofá=sofa escritorio=desk antorcha=torch antorchas=torches
bandera=flag banderas=flags estandarte=banner estandartes=banners carro=cart carreta=wagon carretilla=wheelbarrow
heno=hay fardos_de_heno=hay_bales paca=hay_bale pacas=hay_bales sepulcro=tomb mausoleo=mausoleum cripta=crypt
pino=pine pinos=pines roble=oak robles=oaks palmera=palm palmeras=palms sauce=willow sauces=willows hierba=grass
seto=hedge setos=hedges rosas=roses saco=sack sacos=sacks cesta=basket cestas=baskets fruta=fruit frutas=fruit
verduras=vegetables espada=sword espadas=swords escudo=shield escudos=shields farola=street_lamp farolas=street_lamps
coche=car coches=cars panadería=bakery campanario=steeple patio=courtyard torreón=keep cañón=cannon
cañones=cannons catapulta=catapult cruces=crosses lápidas=gravestones tumbas_de=graves_of vacas_y=cows_and
""",
    "it": """
un=a uno=a una=a un'=a il=the lo=the la=the i=the gli=the le=the dei= degli= delle= del=of_the della=of_the di=of e=and o=or con=with
senza=without in=in nel=in_the nella=in_the su=on sul=on_the sulla=on_the sotto=under intorno=around
intorno_a=around intorno_al=around_the vicino=near vicino_a=near accanto_a=next_to al_centro=in_the_centre
in_mezzo=in_the_middle contro=against lungo=along dietro=behind davanti_a=in_front_of tra=between fra=between
due=two tre=three quattro=four cinque=five sei=six sette=seven otto=eight nove=nine dieci=ten dodici=twelve
alcuni=a_few alcune=a_few molti=many molte=many piccolo=small piccola=small piccoli=small piccole=small
grande=big grandi=big vecchio=old vecchia=old antico=old rosso=red rossa=red rossi=red rosse=red blu=blue
verde=green bianco=white bianca=white nero=black giallo=yellow legno=wood di_legno=wooden pietra=stone
di_pietra=stone impilati=stacked impilate=stacked circondato_da=surrounded_by circondata_da=surrounded_by casa=house
case=houses albero=tree alberi=trees pozzo=well chiesa=church fattoria=farm fienile=barn mucca=cow mucche=cows
cavallo=horse cavalli=horses pecora=sheep pecore=sheep maiale=pig maiali=pigs gallina=chicken galline=chickens
cane=dog torre=tower torri=towers ponte=bridge fiume=river lago=lake stagno=pond strada=road sentiero=path via=street
muro=wall parete=wall recinto=fence staccionata=fence cancello=gate camino=fireplace botte=barrel botti=barrels
barile=barrel barili=barrels cassa=crate casse=crates tavolo=table tavoli=tables sedia=chair sedie=chairs
panchina=bench panchine=benches fontana=fountain giardino=garden villaggio=village paese=village città=town
bosco=forest foresta=forest taverna=tavern osteria=tavern castello=castle barca=boat barche=boats nave=ship
lampada=lamp lanterna=lantern candela=candle candele=candles letto=bed finestra=window porta=door tetto=roof
tetti=roofs roccia=rock rocce=rocks pietre=stones fiori=flowers cespuglio=bush cespugli=bushes mulino=windmill
trattore=tractor tenda=tent tende=tents falò=campfire tomba=gravestone tombe=gravestones lapide=gravestone
croce=cross cappella=chapel mercato=market bancarella=stall bancarelle=stalls piazza=square parco=park
montagna=mountain isola=island spiaggia=beach mare=sea deserto=desert neve=snow inverno=winter notte=night
statua=statue
cimitero=graveyard in_fila=in_a_row in_file=in_rows allineati=lined_up allineate=lined_up sparsi=scattered
sparse=scattered su_entrambi_i_lati_di=on_both_sides_of ai_lati_di=on_both_sides_of ai_margini_di=at_the_edge_of
di_fronte_a=opposite collina=hill sulla_collina=on_the_hill porto=harbour molo=pier pontile=pier barchetta=boat
veliero=sailing_ship reti=nets rete=net faro=lighthouse gru=crane boa=buoy boe=buoys accampamento=camp
campeggio=camp tronchi=logs legna=firewood cucina=kitchen camera_da_letto=bedroom stanza=room sala=room
salotto=living_room officina=workshop bottega=workshop fucina=forge incudine=anvil scaffale=shelf scaffali=shelves
libreria=bookshelf armadio=wardrobe tappeto=rug lampadario=chandelier poltrona=armchair divano=sofa
scrivania=desk torcia=torch torce=torches fiaccola=torch fiaccole=torches bandiera=flag bandiere=flags
stendardo=banner stendardi=banners carretto=cart carro=wagon carriola=wheelbarrow fieno=hay balle_di_fieno=hay_bales
sepolcro=tomb mausoleo=mausoleum cripta=crypt pino=pine pini=pines quercia=oak querce=oaks palma=palm palme=palms
salice=willow salici=willows erba=grass siepe=hedge siepi=hedges rose=roses sacco=sack sacchi=sacks
cesto=basket cesti=baskets cestino=basket frutta=fruit verdure=vegetables spada=sword spade=swords scudo=shield
scudi=shields lampione=street_lamp lampioni=street_lamps auto=car macchina=car macchine=cars panetteria=bakery
campanile=steeple cortile=courtyard mastio=keep cannone=cannon cannoni=cannons catapulta=catapult croci=crosses
""",
}
# The words that tell a language (function words found in few other languages' tables).
_MARKERS = {
    "fr": {"un", "une", "des", "les", "le", "la", "du", "et", "avec", "au", "aux", "dans", "sur", "autour", "contre"},
    "de": {"ein", "eine", "einem", "einer", "einen", "der", "die", "das", "den", "dem", "und", "mit", "im", "auf"},
    "es": {"un", "una", "unos", "unas", "el", "la", "los", "las", "del", "y", "con", "en", "sobre", "junto"},
    "it": {"un", "una", "il", "lo", "gli", "della", "del", "e", "con", "nel", "nella", "sul", "intorno", "accanto"},
}


def _table(lang: str) -> dict[tuple[str, ...], list[str]]:
    out: dict[tuple[str, ...], list[str]] = {}
    for pair in _TABLES[lang].split():
        src, dst = pair.split("=")
        out[tuple(src.replace("'", " ").split("_"))] = [w for w in dst.split("_") if w]
    return out


def language(tokens: list[str]) -> str:
    """Return the prompt's language code ("en", "fr", "de", "es", "it") from its function words."""
    counts = {lang: sum(t in marks for t in tokens) for lang, marks in _MARKERS.items()}
    english = sum(t in ENGLISH for t in tokens)
    lang, best = max(sorted(counts.items()), key=lambda kv: kv[1])
    return lang if best >= 2 and best > english else "en"


# Glosses of adjectives that follow their noun in French, Spanish and Italian ("un granero rojo"): put before it.
_POSTNOMINAL = {
    "red",
    "blue",
    "green",
    "white",
    "black",
    "yellow",
    "small",
    "big",
    "old",
    "wooden",
    "stone",
    "stacked",
    "snowy",
}
_ELIDED = {"l", "d", "qu", "j", "n", "s", "c", "dell", "all", "nell", "sull", "dall", "un"}


def _split_elisions(toks: list[str]) -> list[str]:
    out = []
    for t in toks:
        head, _, rest = t.partition("'")
        out += [head, rest] if rest and head in _ELIDED else [t]
    return out


# Endings an inflected word may carry beyond its table form ("Grabsteinen", "Zelten", "Bettes"; "tentes").
_ENDINGS = {"de": ("en", "em", "er", "es", "n", "e", "s"), "fr": ("s", "x"), "es": ("es", "s"), "it": ()}


_PLURAL_ENDINGS = {"en", "n", "e", "s", "x", "es"}  # what these endings mostly mark on a noun: more than one
_ADJECTIVES = _POSTNOMINAL | {"cozy", "moored", "scattered", "lined", "wooden", "few"}


# Plural determiners: partitive ones ("des cyprès", "dei pini") read as a bare plural, or "the" after a preposition
# ("le long des routes"); after any of these a noun that looks the same in both numbers ("cyprès", "puits",
# "croix") is more than one.
_PARTITIVE = {"fr": {"des"}, "it": {"dei", "degli", "delle"}}
_PLURAL_DETS = {"fr": {"des", "les", "aux", "ces", "mes", "quelques", "plusieurs"}, "it": {"dei", "degli", "delle"}}
_PREPOSITIONS = {"of", "along", "around", "near", "to", "at", "from", "behind", "between", "middle", "centre"}
_PREPOSITIONS |= {"edge", "toward", "against", "under", "opposite", "on", "in"}


def _plural(word: str) -> str:
    return word + ("es" if word.endswith(("ch", "sh", "x", "s", "z")) else "s")


def _inflected(table: dict[tuple[str, ...], list[str]], word: str, lang: str) -> list[str]:
    for end in _ENDINGS[lang]:
        if len(word) > len(end) + 2 and word.endswith(end) and (word[: -len(end)],) in table:
            gloss = list(table[(word[: -len(end)],)])
            last = gloss[-1] if gloss else ""
            if end in _PLURAL_ENDINGS and last.isalpha() and last not in _ADJECTIVES and not last.endswith("s"):
                gloss[-1] = _plural(last)  # "Lampen": lamps
            return gloss
    return [word]


def _numbered(hit: list[str], tok: str, res: list[str], lang: str, plural: bool) -> list[str]:
    """Return a one-word table gloss with the number its determiner gives it."""
    if tok in _PARTITIVE.get(lang, ()):
        return ["the"] if res and res[-1] in _PREPOSITIONS else []  # the plural noun after it says the number
    if plural and len(hit) == 1 and tok.endswith(("s", "x", "z")) and hit[0].isalpha() and hit[0] not in _ADJECTIVES:
        return [_plural(hit[0])] if not hit[0].endswith("s") or hit[0].endswith(("ss", "z")) else hit
    return hit


def gloss(sentences: list[list[str]]) -> list[list[str]]:
    """Return the sentences word-for-word in English when the prompt is in a language with a table."""
    lang = language([t for s in sentences for t in s])
    if lang == "en":
        return sentences
    table = _table(lang)
    longest = max(len(k) for k in table)
    out = []
    for toks in sentences:
        toks = _split_elisions(toks) if lang in ("fr", "it") else toks
        res: list[str] = []
        i, plural = 0, False
        while i < len(toks):
            for n in range(min(longest, len(toks) - i), 0, -1):
                hit = table.get(tuple(toks[i : i + n]))
                if hit is not None:
                    res += _numbered(hit, toks[i], res, lang, plural) if n == 1 else hit
                    break
            else:
                n = 1
                res += _inflected(table, toks[i], lang)
            if toks[i + n - 1] in _PLURAL_DETS.get(lang, ()):  # "des", "le long des"
                plural = True
            else:
                plural = plural and n == 1 and (res[-1] in _ADJECTIVES or res[-1].isdecimal())  # "des grands cyprès"
            i += n
        if lang != "de":
            for k in range(1, len(res)):
                if (
                    res[k] in _POSTNOMINAL
                    and res[k - 1] not in ENGLISH
                    and res[k - 1] not in _POSTNOMINAL
                    and res[k - 1] != ","
                ):
                    res[k - 1], res[k] = res[k], res[k - 1]
        out.append(res)
    return out
