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
