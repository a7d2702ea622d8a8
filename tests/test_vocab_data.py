"""The vocabularies in models/ are data: these tests hold them to their own rules (unique names,
known parents, well-formed codes, no surface form claimed twice) and check a few forms through
the loader the claims stage uses."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractor.claims.lexicon import load_lexicon
from extractor.resources import models_dir

MODELS = models_dir()
ISO_CODES_FILE = Path("/usr/share/iso-codes/json/iso_3166-1.json")  # Debian's iso-codes, when installed
SPECIAL_CODES = {"EU", "WLD", "REGION"}  # parties that are not ISO countries
REGIONS_OF_THE_WORLD = {"Asia", "Americas", "Europe", "Middle East", "Africa", "Oceania", ""}


def read(name: str) -> list[dict]:
    with open(MODELS / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def norm(phrase: str) -> str:
    return " ".join(phrase.lower().split())


@pytest.fixture(scope="module")
def countries():
    return read("countries.jsonl")


@pytest.fixture(scope="module")
def regions():
    return read("regions.jsonl")


def country_surfaces(countries, kinds=("names", "demonyms", "metonyms")) -> dict[str, str]:
    """Every surface form of a real party (not the REGION pseudo-entry) -> its code."""
    out = {}
    for rec in countries:
        if rec["code"] == "REGION":
            continue
        for kind in kinds:
            for surface in rec.get(kind, []):
                out[surface] = rec["code"]
    return out


# -- countries

def test_every_iso_country_and_territory_is_a_party(countries):
    codes = [rec["code"] for rec in countries]
    assert len(codes) == len(set(codes)), "a code is listed twice"
    iso = [c for c in codes if c not in SPECIAL_CODES]
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in iso)
    assert len(iso) == 249
    assert SPECIAL_CODES <= set(codes)


@pytest.mark.skipif(not ISO_CODES_FILE.exists(), reason=f"{ISO_CODES_FILE} not installed (Debian package iso-codes)")
def test_codes_are_exactly_those_of_iso_3166_1(countries):
    official = {r["alpha_2"] for r in json.loads(ISO_CODES_FILE.read_text(encoding="utf-8"))["3166-1"]}
    assert {rec["code"] for rec in countries} - SPECIAL_CODES == official


def test_country_records_are_well_formed(countries):
    for rec in countries:
        assert set(rec) >= {"code", "names", "demonyms", "metonyms", "region"}, rec["code"]
        assert rec["region"] in REGIONS_OF_THE_WORLD, rec["code"]
        if rec["code"] not in SPECIAL_CODES:
            assert rec["names"], f"{rec['code']} has no name"
        for kind in ("names", "demonyms", "metonyms"):
            assert all(isinstance(s, str) and s == s.strip() and s for s in rec[kind]), rec["code"]
            assert len(rec[kind]) == len(set(rec[kind])), f"{rec['code']}: a {kind[:-1]} listed twice"
    eu = next(rec for rec in countries if rec["code"] == "EU")
    assert eu["group"] is True and "European Union" in eu["names"]


def test_no_surface_form_belongs_to_two_parties(countries):
    owner: dict[str, str] = {}
    for rec in countries:
        for kind in ("names", "demonyms", "metonyms"):
            for surface in rec[kind]:
                assert owner.setdefault(surface, rec["code"]) == rec["code"], \
                    f"{surface!r} is a form of {owner[surface]} and of {rec['code']}"


@pytest.mark.parametrize("surface,code", [
    ("Türkiye", "TR"), ("Turkey", "TR"), ("Côte d'Ivoire", "CI"), ("Côte d’Ivoire", "CI"), ("Ivory Coast", "CI"),
    ("Czechia", "CZ"), ("Czech Republic", "CZ"), ("DRC", "CD"), ("DR Congo", "CD"), ("Congo-Kinshasa", "CD"),
    ("Congo-Brazzaville", "CG"), ("Republic of the Congo", "CG"), ("UAE", "AE"), ("UK", "GB"), ("Britain", "GB"),
    ("Great Britain", "GB"), ("Viet Nam", "VN"), ("Việt Nam", "VN"), ("nipponese", "JP"), ("Nipponese", "JP"),
    ("Eswatini", "SZ"), ("Swaziland", "SZ"), ("Cape Verde", "CV"), ("Cabo Verde", "CV"), ("Timor-Leste", "TL"),
    ("East Timor", "TL"), ("North Macedonia", "MK"), ("Burma", "MM"), ("Syria", "SY"), ("Moldova", "MD"),
    ("Macau", "MO"), ("Guinea-Bissau", "GW"), ("Equatorial Guinea", "GQ"), ("Papua New Guinea", "PG"),
    ("Bosnia and Herzegovina", "BA"), ("Trinidad and Tobago", "TT"), ("DPRK", "KP"), ("Chinese Taipei", "TW"),
    ("Azeri", "AZ"), ("Kyrgyz", "KG"), ("Nigerien", "NE"), ("Dominican", "DO"), ("Dominica", "DM"),
])
def test_common_names_and_spellings_resolve_through_the_loader(surface, code):
    found = load_lexicon(str(MODELS)).value("COUNTRY", surface, exact=True)
    assert found is not None and found[0] == code


def test_trade_news_capitals_stay_and_prefixes_are_not_demonyms(countries):
    metonyms = country_surfaces(countries, ("metonyms",))
    for capital, code in [("Beijing", "CN"), ("Tokyo", "JP"), ("Washington", "US"), ("Moscow", "RU"),
                          ("New Delhi", "IN"), ("Canberra", "AU"), ("Brasilia", "BR")]:
        assert metonyms[capital] == code
    demonyms = country_surfaces(countries, ("demonyms",))
    assert "Sino" not in demonyms
    # Capitals that are everyday words or name other places are not metonyms.
    for ambiguous in ("Male", "Victoria", "Kingston", "San Jose", "Georgetown", "Jersey", "Nassau", "Cayenne", "Panama City"):
        assert ambiguous not in metonyms


def test_groups_of_countries_are_not_parties(countries):
    names = country_surfaces(countries, ("names",))
    for group in ("ASEAN", "OPEC", "OPEC+", "the CIS", "GCC", "BRICS", "Mercosur", "the G7"):
        assert group not in names


# -- regions and groups

def test_region_records_are_well_formed(regions):
    names = [rec["name"] for rec in regions]
    assert len(names) == len(set(names))
    for rec in regions:
        assert set(rec) == {"name", "aliases", "kind"}, rec["name"]
        assert rec["kind"] in {"region", "group"}
        assert rec["aliases"] and all(a == a.strip() and a for a in rec["aliases"]), rec["name"]
    owner: dict[str, str] = {}
    for rec in regions:
        for alias in rec["aliases"]:
            assert owner.setdefault(alias, rec["name"]) == rec["name"], f"{alias!r} in {owner[alias]} and {rec['name']}"
    kinds = {rec["name"]: rec["kind"] for rec in regions}
    assert kinds["ASEAN"] == kinds["OPEC"] == kinds["the CIS"] == "group"
    assert kinds["Asia"] == kinds["the Middle East"] == kinds["Europe"] == "region"


def test_no_region_alias_is_a_country_form(countries, regions):
    surfaces = {s.lower(): code for s, code in country_surfaces(countries).items()}
    for rec in regions:
        for alias in rec["aliases"]:
            assert alias.lower() not in surfaces, f"region alias {alias!r} is a form of {surfaces[alias.lower()]}"


@pytest.mark.parametrize("phrase", ["Asia", "the Asia region", "Asia-Pacific", "Southeast Asia", "the Middle East",
                                    "Europe", "Africa", "Latin America", "South America", "North America",
                                    "the Gulf", "ASEAN", "OPEC", "the CIS", "Oceania", "the Americas",
                                    "Eastern Europe"])
def test_regions_the_reader_must_know(phrase, regions):
    assert any(phrase in rec["aliases"] for rec in regions)


def test_regions_cover_the_region_pseudo_party(countries, regions):
    """The claims stage still reads regions from the REGION entry of countries.jsonl; every form
    it knows there is in regions.jsonl too, so nothing is lost when the reader moves to it."""
    region_entry = next(rec for rec in countries if rec["code"] == "REGION")
    aliases = {a for rec in regions for a in rec["aliases"]}
    assert set(region_entry["names"]) <= aliases


# -- commodities

HS_CODE = re.compile(r"\d{2}(?:\d{2}(?:\d{2})?)?")
# Names that are, on purpose, not one of their own strong aliases (see models/README.md).
NAME_READ_AS_OTHER = {"rare earth products": "rare earths"}
# Words that must never name a good by themselves (everyday words): weak at most.
EVERYDAY = {"oil", "lead", "tin", "iron", "gas", "soy", "scrap", "magnets", "magnet", "grain", "power", "pulp",
            "meal", "fuel", "wood", "paper", "glass", "salt", "stone", "plastic", "rubber", "yarn", "fabric",
            "fruit", "nuts", "beans", "seeds", "feed", "cake", "chips", "coke", "pitch", "tar", "arms", "ships",
            "vessels", "vehicles", "products", "goods", "materials", "items", "board", "lime", "dates", "cork",
            "trailers", "coins", "pipes", "tubes", "semis", "anodes", "cathodes", "map", "mop", "apt", "fame",
            "api", "pet", "can", "cod", "spirits", "shells", "equipment", "tools", "engines", "motors", "caps"}


@pytest.fixture(scope="module")
def commodities():
    return read("commodities.jsonl")


def test_commodity_names_are_unique_lowercase_and_described(commodities):
    names = [rec["name"] for rec in commodities]
    assert len(names) == len(set(names))
    assert len(names) >= 500
    for rec in commodities:
        name = rec["name"]
        assert name == name.lower() == " ".join(name.split()), name
        assert HS_CODE.fullmatch(rec["hs"]), f"{name}: hs {rec['hs']!r}"
        assert 1 <= int(rec["hs"][:2]) <= 97 and rec["hs"][:2] != "77", f"{name}: no HS chapter {rec['hs'][:2]}"
        assert isinstance(rec["scope"], str) and rec["scope"].strip() and "\n" not in rec["scope"], name
        assert isinstance(rec["aliases"], list) and isinstance(rec.get("weak_aliases", []), list), name
        assert not rec.get("parent") or rec["parent"] != name


def test_every_hs_chapter_has_goods(commodities):
    chapters = {int(rec["hs"][:2]) for rec in commodities}
    assert chapters == set(range(1, 98)) - {77}  # 77 is reserved by the HS


def test_every_parent_exists_and_no_parent_chain_loops(commodities):
    parent = {rec["name"]: rec.get("parent") for rec in commodities}
    for name in parent:
        seen = {name}
        while parent[name]:
            assert parent[name] in parent, f"unknown parent {parent[name]!r}"
            name = parent[name]
            assert name not in seen, f"parent loop through {name!r}"
            seen.add(name)


def test_no_alias_maps_to_two_names(commodities):
    owner: dict[str, str] = {}
    for rec in commodities:
        for alias in rec["aliases"] + rec.get("weak_aliases", []):
            key = norm(alias)
            assert owner.setdefault(key, rec["name"]) == rec["name"], f"{alias!r}: {owner[key]} and {rec['name']}"
    for rec in commodities:
        reads_as = owner.get(rec["name"])
        assert reads_as in (None, rec["name"], NAME_READ_AS_OTHER.get(rec["name"])), \
            f"the name {rec['name']!r} is an alias of {reads_as!r}"


def test_everyday_words_are_weak_aliases_only(commodities):
    strong = {norm(a) for rec in commodities for a in rec["aliases"]}
    assert not strong & EVERYDAY, sorted(strong & EVERYDAY)
    weak = {norm(a) for rec in commodities for a in rec.get("weak_aliases", [])}
    for word in ("oil", "lead", "tin", "iron", "gas", "soy", "scrap", "magnets", "grain", "power", "pulp", "meal"):
        assert word in weak, word


def test_no_commodity_alias_is_a_country_form(commodities, countries):
    surfaces = {s.lower(): code for s, code in country_surfaces(countries).items()}
    for rec in commodities:
        for alias in rec["aliases"] + rec.get("weak_aliases", []):
            assert alias.lower() not in surfaces, f"{alias!r} ({rec['name']}) is a form of {surfaces[alias.lower()]}"


@pytest.mark.parametrize("name,parent", [
    ("copper concentrate", "copper"), ("unwrought copper", "copper"), ("refined copper", "unwrought copper"),
    ("copper anodes", "unwrought copper"), ("copper scrap", "copper"), ("iron ore pellets", "iron ore"),
    ("soybean oil", "edible oils"), ("edible oils", "vegetable oils"), ("crude palm oil", "palm oil"),
    ("rbd palmolein", "palm oil"), ("urea", "nitrogen fertilizers"), ("diammonium phosphate", "phosphate fertilizers"),
    ("hot-rolled coils", "flat steel"), ("rebar", "long steel"), ("steel billets", "semi-finished steel"),
    ("ferrochrome", "ferroalloys"), ("non-coking coal", "coal"), ("lng", "natural gas"),
    ("lithium carbonate", "lithium"), ("rare earth magnets", "rare earths"),
])
def test_scopes_apart_and_their_wider_groups(name, parent, commodities):
    by_name = {rec["name"]: rec for rec in commodities}
    assert by_name[name].get("parent") == parent


def test_names_of_the_real_news_gold_are_canonical(commodities):
    """Every commodity the real-news gold set uses is a canonical name here (skips without it)."""
    gold = Path(__file__).resolve().parents[2] / "shared" / "realnews" / "gold.jsonl"
    if not gold.exists():
        pytest.skip(f"real-news gold not found at {gold}")
    used = {json.loads(line)["commodity"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert used <= {rec["name"] for rec in commodities}, sorted(used - {rec["name"] for rec in commodities})


@pytest.mark.parametrize("surface,name", [
    ("copper ores and concentrates", "copper concentrate"), ("copper cathodes", "refined copper"),
    ("blister copper", "copper anodes"), ("unwrought copper and copper products", "unwrought copper"),
    ("chromite", "chrome ore"), ("cashews", "cashew nuts"), ("methanol", "methanol"), ("silicon metal", "silicon metal"),
    ("cotton yarn", "cotton yarn"), ("lithium hydroxide", "lithium hydroxide"), ("HRC", "hot-rolled coils"),
    ("DRI", "direct reduced iron"), ("pig iron", "pig iron"), ("caustic soda", "caustic soda"),
    ("MOP", "potassium chloride"), ("muriate of potash", "potassium chloride"), ("DAP", "diammonium phosphate"),
    ("soyoil", "soybean oil"), ("CPO", "crude palm oil"), ("liquefied natural gas", "lng"), ("LPG", "lpg"),
    ("refined petroleum products", "refined oil products"), ("finished steel", "steel products"),
    ("galvanised coils", "galvanised sheets and coils"), ("galvanized coils", "galvanised sheets and coils"),
    ("NdFeB magnets", "rare earth magnets"), ("rare-earth products", "rare earths"), ("maize", "corn"),
])
def test_surface_forms_reach_their_names(surface, name, commodities):
    forms = {norm(a): rec["name"] for rec in commodities for a in rec["aliases"] + rec.get("weak_aliases", [])}
    assert forms[norm(surface)] == name


def test_the_loader_reads_the_taxonomy():
    lex = load_lexicon(str(MODELS))
    assert len(lex.commodities) >= 500
    assert lex.value("COMMODITY", "copper concentrates") == "copper concentrate"
    assert lex.value("COMMODITY", "Unwrought copper and copper products") == "unwrought copper"
    assert lex.value("COMMODITY", "oil") is None and lex.value("COMMODITY_WEAK", "oil") == "crude oil"
    assert lex.value("COMMODITY_WEAK", "scrap") == "ferrous scrap"
    assert lex.commodities["refined copper"].parent == "unwrought copper"


# -- commodity forms

def test_commodity_forms_one_record_per_kind():
    records = read("commodity_forms.jsonl")
    kinds = [rec["kind"] for rec in records]
    assert len(kinds) == len(set(kinds))
    assert {"count", "mass", "generic", "irregular_plural"} <= set(kinds)
    by_kind = {rec["kind"]: rec["words"] for rec in records}
    count, mass = set(by_kind["count"]), set(by_kind["mass"])
    assert not count & mass, sorted(count & mass)
    assert {"bean", "nut", "seed", "cashew", "log", "tyre", "vehicle"} <= count  # singular: the plural is made
    assert {"oil", "ore", "yarn", "coal", "steel", "pulp", "meal"} <= mass
    assert {"products", "items", "goods", "materials", "volumes", "shipments", "cargoes", "supplies"} <= set(by_kind["generic"])
    plurals = by_kind["irregular_plural"]
    assert plurals["leaf"] == "leaves" and plurals["potato"] == "potatoes" and plurals["sheep"] == "sheep"
    for words in by_kind.values():
        assert all(w == w.lower() for w in words)


@pytest.mark.parametrize("pattern, first", [
    ("the island", {"t"}), ("(?:its|their|the) rival", {"i", "t"}), ("[ab]c", {"a", "b"}),
    ("(?:x)+y", {"x"}), ("a*b", None), ("(?:the|)x", None), (r"\d+", None), (".x", None)])
def test_first_characters_a_pattern_can_begin_with(pattern, first):
    from extractor.claims.lexicon import first_characters

    assert first_characters(pattern) == (frozenset(first) if first else None)


def test_the_descriptions_lookahead_finds_exactly_what_the_plain_pattern_finds():
    lex = load_lexicon(str(MODELS))
    assert lex.description_re.pattern.startswith("(?i)(?=[")
    combined = "|".join(f"(?P<d{i}>{rec['pattern']})" for i, rec in enumerate(read("descriptions.jsonl")))
    plain = re.compile(rf"(?i)(?<![\w])(?:{combined})")
    text = ("Its Asian neighbour bought more. Exports to THE ISLAND NATION fell, said the world's largest "
            "producer; that country and their European partner (the neighbouring country) agreed, "
            "but atheir rival and bathe island did not. The world's No. 1 buyer, the top importer.")
    found = [(m.span(), m.lastgroup) for m in lex.description_re.finditer(text)]
    assert found == [(m.span(), m.lastgroup) for m in plain.finditer(text)]
    assert len(found) >= 7


def test_crop_seasons_name_known_goods_and_countries():
    """Each customary season names goods of the taxonomy, countries of countries.jsonl (or "*")
    and a first month; one (country, goods) pair has one season."""
    goods = {rec["name"] for rec in read("commodities.jsonl")}
    codes = {rec["code"] for rec in read("countries.jsonl")}
    seen = set()
    for rec in read("crop_seasons.jsonl"):
        assert 1 <= rec["start_month"] <= 12, rec
        for name in rec["goods"]:
            assert name in goods, f"{name} is not in commodities.jsonl"
            for country in rec["countries"]:
                assert country == "*" or country in codes, f"{country} is not in countries.jsonl"
                assert (country, name) not in seen, f"{country} {name} has two seasons"
                seen.add((country, name))
