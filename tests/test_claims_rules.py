"""Rule tests: one sentence (or a short passage) in, the expected claim fields out.

Each family of phrases the extractor must read has its own table. Sentences are about many
commodities and country pairs on purpose: the rules are general, not tuned to one story.
"""
from __future__ import annotations

import datetime as dt

import pytest

from extractor.claims import extract_claims, extract_many, load_nlp

PUB = dt.date(2026, 1, 19)


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def claims_of(text, nlp, published=PUB):
    return [c.contract_dict() for c in extract_claims(text, article="t", published=published, nlp=nlp)]


def check(found, expected):
    assert found, "no claim extracted"
    for index, fields in expected.items():
        claim = found[index]
        for name, value in fields.items():
            assert claim[name] == value, f"claim {index} {name}: {claim[name]!r} != {value!r} in {claim}"


QUANTITIES = [
    ("China exported 5,933 tons of rare earth magnets in 2025.", 5933),
    ("Shipments to Japan totalled 280 metric tons in December.", 280),
    ("Australia shipped 1.2 million tonnes of coal to India in March.", 1_200_000),
    ("Imports of iron ore reached 816,000 t in May.", 816_000),
    ("Imports of iron ore reached 816 000 t in May.", 816_000),
    ("Chile exported 45 kt of refined copper to China in August.", 45_000),
    ("Exports of graphite rose to 3.5 thousand tonnes in October.", 3_500),
    ("The European Union imported 9,800 kg of gallium from China in the third quarter.", 9.8),
    ("U.S. imports of Canadian potash reached 1.02 million short tons in the third quarter.", 925_329),
    ("Indonesia shipped 41.2 million tonnes of coal in May.", 41_200_000),
]


@pytest.mark.parametrize("sentence,tonnes", QUANTITIES)
def test_quantities_are_read_in_tonnes(sentence, tonnes, nlp):
    found = claims_of(sentence, nlp)
    assert len(found) == 1
    assert found[0]["value"] == pytest.approx(tonnes, rel=1e-4)
    assert found[0]["unit"] == "t"


MT_AMBIGUITY = [
    ("China exported 9.98 mt of steel in November.", 9_980_000),  # bulk: million tonnes
    ("Brazil shipped 15.2 mt of soybeans to China in March.", 15_200_000),
    ("China exported 280 mt of rare earth magnets to Japan in December.", 280),  # minor metal: metric tons
    ("Australia shipped 2,300 mt of coal to Chile in March.", 2_300),  # a large count of metric tons
    ("China exported 104.6 Mt of steel in 2024.", 104_600_000),  # SI "Mt" is always million tonnes
]


@pytest.mark.parametrize("sentence,tonnes", MT_AMBIGUITY)
def test_mt_is_decided_from_number_and_commodity(sentence, tonnes, nlp):
    assert claims_of(sentence, nlp)[0]["value"] == pytest.approx(tonnes)


NOT_CLAIMS = [
    "Prices of gallium rose 12% to $1,200 per kg in October.",
    "Newcastle coal prices averaged $98 a tonne in March.",
    "China accounts for 70% of global rare earth production, and over 80% of magnet production.",
    "The Standard has a daily circulation of 200,450 in 2012.",
    "Lynas plans to lift annual capacity to 12,000 tonnes of NdPr by 2026.",
    "That is equivalent to about 3 million 60-kg bags.",
    "The company's shares rose 4.5% in Sydney trading.",
    "China's rare earth mining quota rose 5.9% to 270,000 tonnes in 2024.",
    "The ban came two months after the comments, and a meeting is set for 2026.",
    "Export sales for the 2025/26 marketing year are running 40% ahead of last season's pace.",
    "About 69% of the cargoes went to Europe.",
]


@pytest.mark.parametrize("sentence", NOT_CLAIMS)
def test_numbers_that_are_not_trade_figures(sentence, nlp):
    assert claims_of(sentence, nlp) == []


CHANGES = [
    ("Overall, rare earth magnet exports fell 3.2% in December from a month earlier to 5,952 tons.", -3.2, "mom"),
    ("For all of 2025, 5,933 tons were shipped to the U.S., an annual fall of 20.3%.", -20.3, "yoy"),
    ("China exported 656 tons of magnets to the US in October, a year-on-year increase of 4.5%.", 4.5, "yoy"),
    ("Still, the December volume to Japan was 31.4% higher than in the same month in 2024.", 31.4, "yoy"),
    ("Total November Exports: 6,150 metric tons (up 12% from October).", 12, "mom"),
    ("Shipments to the U.S. dipped 11% to 582 tons in November.", -11, None),
    ("Exports to Japan in October decreased by 18.3% year-on-year to 538 tons.", -18.3, "yoy"),
    ("Brazil's soybean exports jumped 18% from a year earlier in November.", 18, "yoy"),
    ("Chile's copper exports slid 9% in August from July.", -9, "mom"),
    ("Coal exports surged 14% month-on-month in March.", 14, "mom"),
    ("Graphite exports plunged 97% y/y in December.", -97, "yoy"),
    ("Antimony exports rebounded by 12% in November.", 12, None),
    ("Chile exported 145 kt of copper to China in August, 9% less than in July.", -9, "mom"),
    ("Taiwan cut its imports of coal from Australia by 3% to 2.4 million tonnes in February.", -3, None),
    ("China imported 4.8 million tonnes of nickel ore in June, a 23% increase on the previous month.", 23, "mom"),
    ("Steel exports fell 8% quarter-on-quarter in the third quarter.", -8, "other"),
    ("EU imports of Russian LNG rose 4% in 2024 from 2023.", 4, "yoy"),
]


@pytest.mark.parametrize("sentence,pct,basis", CHANGES)
def test_changes_are_signed_with_their_basis(sentence, pct, basis, nlp):
    found = [c for c in claims_of(sentence, nlp) if c["change_pct"] is not None]
    assert len(found) == 1
    assert found[0]["change_pct"] == pytest.approx(pct)
    assert found[0]["change_basis"] == basis


PERIODS = [
    ("Exports of magnets to Japan rose 5% in December.", PUB, "2025-12"),
    ("Exports of magnets to Japan totalled 280 tons last month.", PUB, "2025-12"),
    ("In November 2025, China's magnet exports reached 6,150 metric tons.", PUB, "2025-11"),
    ("For all of 2025, China exported 57,392 tons of magnets.", PUB, "2025"),
    ("Exports to the US are projected to fall to 46 tons by May 2025.", PUB, "2025-05"),
    ("India's rice exports jumped 35% in the first quarter of 2025.", PUB, "2025-Q1"),
    ("Thailand exported 7.4 million tonnes of sugar in January-November.", dt.date(2025, 12, 15), "2025-01..2025-11"),
    ("China's steel exports for the first 11 months reached 107.7 million tonnes.", dt.date(2025, 12, 8), "2025-01..2025-11"),
    ("Sugar exports so far this year reached 7.4 million tonnes.", dt.date(2025, 12, 15), "2025-01..2025-11"),
    ("Japan's rare earth imports rose 9% in the April-June quarter.", dt.date(2025, 7, 30), "2025-Q2"),
    ("Kazakh wheat exports fell 64% in the first half of the year.", dt.date(2025, 7, 28), "2025-01..2025-06"),
    ("Korean steel exports fell 11% to 812,000 tonnes in January to September 2025.", PUB, "2025-01..2025-09"),
    ("Cobalt exports in Q3 2025: 21,300 t.", PUB, "2025-Q3"),
    ("China's soybean imports rose 3% last year.", PUB, "2025"),
    ("Copper exports in the 11 months to November rose 4%.", PUB, "2025-01..2025-11"),
]


@pytest.mark.parametrize("sentence,published,period", PERIODS)
def test_periods_are_resolved_against_publication(sentence, published, period, nlp):
    assert claims_of(sentence, nlp, published)[0]["period"] == period


def test_relative_period_follows_the_figure_before_it(nlp):
    found = claims_of("Shipments to Japan totalled 280 metric tons last month versus the 2025 peak "
                      "of 305 tons a month before.", nlp)
    assert [(c["value"], c["period"]) for c in found] == [(280, "2025-12"), (305, "2025-11")]


def test_moments_are_not_periods(nlp):
    found = claims_of("Exports rose 12% to 6,150 tons in November, data released in mid-December showed.", nlp)
    assert found[0]["period"] == "2025-11"


PARTIES = [
    ("Japan's imports of Chinese rare-earths fell 8% in December.", "CN", "JP", "import"),
    ("China exported 656 tons of magnets to the US in October.", "CN", "US", "export"),
    ("Shipments to the U.S. dipped 11% to 582 tons in November.", "CN", "US", "export"),
    ("Exports to South Korea were third, at 569 tons, a year-on-year increase of 31.3%.", "CN", "KR", "export"),
    ("By country, exports to Germany were the highest, rising 55.9% to 1,118 tons, followed by the US.", "CN", "DE", "export"),
    ("China's soybean imports rose 5% to 9 million tonnes in May.", "WLD", "CN", "import"),
    ("The European Union imported 9,800 kg of gallium from China in the third quarter.", "CN", "EU", "import"),
    ("Shipments from the bloc to Egypt doubled to 180,000 tonnes in the first quarter.", "EU", "EG", "export"),
    ("Chinese imports of American soybeans slumped 41% to 16.8 million tons in 2025.", "US", "CN", "import"),
    ("Exports of Malaysian palm oil rose 12.4% in January to 1.41 mln tonnes.", "MY", "WLD", "export"),
    ("Britain imported 71,000 tonnes of steel from Turkey in March.", "TR", "GB", "import"),
    ("Exports of rare earths to the UK rose 5% to 120 tons in October.", "CN", "GB", "export"),
    ("Exports to the USA rose 5% to 120 tons in October.", "CN", "US", "export"),
    ("Rare earth exports rose 5% in October despite US-China tensions.", "CN", "WLD", "export"),
    ("Indonesia, the world's biggest exporter of thermal coal, shipped 41.2 million tonnes in May.", "ID", "WLD", "export"),
    ("Egypt, the largest wheat importer, is forecast to buy 1.2 million tonnes of Russian wheat in August.", "RU", "EG", "import"),
]


@pytest.mark.parametrize("sentence,exporter,importer,flow", PARTIES)
def test_countries_demonyms_and_descriptions(sentence, exporter, importer, flow, nlp):
    # The article context: a headline about China's exports gives the default exporter.
    text = "China rare earth exports data\n" + sentence
    found = claims_of(text, nlp)
    assert (found[0]["exporter"], found[0]["importer"], found[0]["flow"]) == (exporter, importer, flow)


@pytest.mark.parametrize("sentence", [
    "Exports to Asia fell to 1.2 million tons in December.",
    # two origins together are no one party either
    "Sunflower oil imports from Russia and Ukraine into India rose to 257,000 tonnes.",
    "Crude arrivals from the Middle East slid 12.3% to 9.1 million tonnes in May.",
])
def test_a_region_is_no_party_and_gives_no_claim(sentence, nlp):
    assert claims_of("China rare earth exports data\n" + sentence, nlp) == []


def test_description_is_resolved_within_the_article(nlp):
    text = ("Chinese exports of rare earth magnets to Japan in December fell 8% from November.\n"
            "Outbound shipments from the world's largest producer of rare earth magnets to its Asian "
            "neighbour totalled 280 metric tons last month.")
    found = claims_of(text, nlp)
    assert [(c["exporter"], c["importer"]) for c in found] == [("CN", "JP"), ("CN", "JP")]


def test_elliptical_second_destination(nlp):
    found = claims_of("Indonesia's coal exports\nChina took 16.5 million tonnes in May and India 9.8 million tonnes.", nlp)
    assert [(c["importer"], c["value"]) for c in found] == [("CN", 16_500_000), ("IN", 9_800_000)]


CARRIED = [
    # the period, parties and commodity stated once and implied after
    ("China exported 656 tons of rare earth magnets to the US in October. This is a month-on-month increase of 56.1%.",
     {1: {"exporter": "CN", "importer": "US", "period": "2025-10", "change_pct": 56.1, "commodity": "rare earth magnets"}}),
    ("- In November 2025, China's rare-earth magnet exports reached 6,150 metric tons.\n- Exports rebounded by 12% "
     "following a US-China agreement that eased restrictions imposed in April.",
     {1: {"importer": "WLD", "period": "2025-11", "change_pct": 12}}),
    ("Key Details:\n- Total November Exports: 6,150 metric tons (up 12% from October).\n- U.S. Specifics: 582 tons (down 11% from October).",
     {1: {"importer": "US", "period": "2025-11", "value": 582, "change_basis": "mom"}}),
    ("Exports to Japan in October increased by 30.2% year-on-year, reaching 226 tons. However, if semi-finished rare "
     "earth magnets are included, exports decreased by 18.3% year-on-year to 538 tons.",
     {1: {"importer": "JP", "period": "2025-10", "value": 538, "commodity": "rare earth magnets and semi-finished magnets"}}),
    ("Britain imported 71,000 tonnes of steel from Turkey in March 2025.\nImports from India fell 14% in the same month to 38,500 tonnes.",
     {1: {"exporter": "IN", "importer": "GB", "period": "2025-03"}}),
    ("Shipments to the United States fell to 61 tonnes in November, compared with 1,090 tonnes in November 2024. "
     "Exports to India climbed 18% to 1,430 tonnes.",
     {1: {"period": "2024-11"}, 2: {"importer": "IN", "period": "2025-11"}}),
    ("China exported 1.8 tonnes of germanium in October.\nJapan received 300 kg.\n"
     "Analysts expect exports to recover to around 5 tonnes a month in 2026.",
     {1: {"importer": "JP", "period": "2025-10"}, 2: {"exporter": "CN", "importer": "WLD", "period": "2026", "per": "month", "modality": "projected", "qualifier": "approx"}}),
]


@pytest.mark.parametrize("text,expected", CARRIED)
def test_context_is_carried_across_sentences(text, expected, nlp):
    check(claims_of(text, nlp, dt.date(2025, 12, 22)), expected)


COMMODITIES = [
    ("Japan's imports of Chinese rare-earths fell 8% in December.", "rare earths"),
    ("China exported 6,745 tons of rare-earth products in December.", "rare earths"),
    ("Exports of rare earth magnets to the U.S. fell 3% to 564 tons.", "rare earth magnets"),
    ("Including semi-finished magnets, magnetic powder and alloys, exports fell 18% to 538 tons.",
     "rare earth magnets and semi-finished magnets"),
    ("Chile's lithium carbonate exports to China fell 5.5% to 14,200 tonnes.", "lithium carbonate"),
    ("China imported 4.8 million tonnes of nickel ore from the Philippines in June.", "nickel ore"),
    ("US exports of liquefied natural gas hit 10.1 million tonnes in December.", "lng"),
    ("India imported 6.6 million tonnes of crude in September.", "crude oil"),
    ("Chinese imports of American soybeans slumped 41% in 2025.", "soybeans"),
    ("Brazil exported 1.9 million tonnes of maize to Iran in July.", "corn"),
    ("Exports of antimony products plunged 97% in December.", "antimony"),
    ("The EU's ferrous scrap exports dropped 9.6% in the first quarter.", "ferrous scrap"),
]


@pytest.mark.parametrize("sentence,commodity", COMMODITIES)
def test_commodities_and_scopes(sentence, commodity, nlp):
    assert claims_of(sentence, nlp)[0]["commodity"] == commodity


QUALIFIERS = [
    ("Exports clocked in at roughly 6,150 metric tons in November.", "approx"),
    ("Exports to Japan reached nearly 6,000 tons in October.", "approx"),
    ("Exports to the US averaged over 400 tons per month in 2024.", "over"),
    ("Japan received less than 300 kg of germanium in October.", "under"),
    ("China exported just under 1.8 tonnes of germanium in October.", "under"),
    ("Shipments to India were more than 2,000 tonnes in May.", "over"),
    ("Shipments to India were 2,000 tonnes in May.", None),
]


@pytest.mark.parametrize("sentence,qualifier", QUALIFIERS)
def test_qualifiers(sentence, qualifier, nlp):
    assert claims_of(sentence, nlp)[0]["qualifier"] == qualifier


def test_per_month_rate(nlp):
    found = claims_of("Exports to the US averaged over 400 tons per month in 2024.", nlp)
    assert (found[0]["per"], found[0]["period"], found[0]["value"]) == ("month", "2024", 400)


MODALITY = [
    ("China's magnet exports to the US are projected to decrease to 46 tons by May 2025.", "projected"),
    ("Russia's wheat exports are expected to reach 4.5 million tonnes in August.", "projected"),
    ("Indonesian coal exports\nFull-year shipments are likely to top 117 million tonnes.", "projected"),
    ("Egypt is forecast to buy around 1.2 million tonnes of Russian wheat in August.", "projected"),
    ("Russia shipped 850,000 tonnes of wheat to Turkey in July.", "reported"),
]


@pytest.mark.parametrize("sentence,modality", MODALITY)
def test_modality(sentence, modality, nlp):
    assert claims_of(sentence, nlp)[0]["modality"] == modality


SOURCES = [
    ("Shipments totalled 280 metric tons last month, data from the General Administration of Customs showed.",
     "General Administration of Customs"),
    ("Brazil exported 4.2 million tonnes of soybeans in November, according to data from Secex.", "Secex"),
    ("The EU imported 9,800 kg of gallium in the third quarter, Eurostat figures show.", "Eurostat"),
    ("Exports rose 5% to 300 tonnes in May, according to the Thai Sugar Millers Corporation.",
     "Thai Sugar Millers Corporation"),
    ("Exports rose 5% to 300 tonnes in May.", None),
]


@pytest.mark.parametrize("sentence,source", SOURCES)
def test_source_attribution(sentence, source, nlp):
    assert claims_of(sentence, nlp)[0]["source"] == source


MULTIPLE = [
    ("Outbound shipments to Japan totalled 280 metric tons last month versus the 2025 peak of 305 tons a month before.",
     [(280, None, "2025-12"), (305, None, "2025-11")]),
    ("Japan's imports of Chinese rare-earths fell 8% in December while US imports fell 3%.",
     [(None, -8, "2025-12"), (None, -3, "2025-12")]),
    ("China exported 6,745 tons of rare-earth products in December, a drop from 6,958 tons in November.",
     [(6745, None, "2025-12"), (6958, None, "2025-11")]),
    ("China exported 9.98 mt of steel in November, a year-on-year rise of 1.9%, bringing the total for the first "
     "11 months to 107.7 mt, up 6.7% from the same period last year.",
     [(9_980_000, 1.9, "2025-11"), (107_700_000, 6.7, "2025-01..2025-11")]),
    ("Exports to the US are projected to decrease to 46 tons by May 2025 (compared to over 400 tons per month in 2024).",
     [(46, None, "2025-05"), (400, None, "2024")]),
]


@pytest.mark.parametrize("sentence,expected", MULTIPLE)
def test_several_claims_in_one_sentence(sentence, expected, nlp):
    found = claims_of(sentence, nlp)
    assert [(c["value"], c["change_pct"], c["period"]) for c in found] == expected


def test_offsets_point_at_sentence_and_figure(nlp):
    text = "China Rare-Earth Exports Fell\n\nOverall, rare earth magnet exports fell 3.2% in December to 5,952 tons."
    claim = extract_claims(text, article="t", published=PUB, nlp=nlp)[0]
    assert text[claim.start:claim.end] == claim.sentence
    assert claim.sentence.startswith("Overall") and claim.sentence.endswith("tons.")
    assert text[claim.figure_start:claim.figure_end] == "5,952 tons"


def test_claims_in_text_order_and_batch_equals_single(nlp):
    texts = ["China exported 656 tons of magnets to the US in October. Exports to Japan reached 226 tons.",
             "Brazil exported 4.2 million tonnes of soybeans to China in November."]
    single = [[c.contract_dict() for c in extract_claims(t, article=f"a{i}", published=PUB, nlp=nlp)]
              for i, t in enumerate(texts)]
    batch = [[c.contract_dict() for c in found]
             for found in extract_many([(t, f"a{i}", PUB, None) for i, t in enumerate(texts)], nlp=nlp)]
    assert single == batch
    assert [c["value"] for c in single[0]] == [656, 226]


def test_without_publication_date_months_stay_unresolved(nlp):
    found = claims_of("China exported 656 tons of magnets to the US in October.", nlp, published=None)
    assert found[0]["period"] is None and found[0]["value"] == 656
    found = claims_of("China exported 656 tons of magnets to the US in October 2025.", nlp, published=None)
    assert found[0]["period"] == "2025-10"


def test_pipeline_is_built_from_the_config(nlp):
    assert nlp.pipe_names == ["trade_sentencizer", "trade_lexicon", "trade_reader", "claim_assembler"]
    doc = nlp("Headline without stop\nFirst sentence here. Second one.")
    assert [s.text for s in doc.sents] == ["Headline without stop\n", "First sentence here.", "Second one."]
    assert doc.text == "Headline without stop\nFirst sentence here. Second one."
    assert load_nlp() is nlp  # cached per models folder


def test_a_hard_wrapped_break_is_a_space_at_the_same_offset(nlp):
    text = "Arrivals reached 412,000 tonnes, up 17 percent compared\nwith September.\nNext line"
    doc = nlp.make_doc(text)
    assert [t.text for t in doc].count("\n") == 1  # the break inside the sentence is no token; the line end is
    assert len(doc.text) == len(text) and doc.text.endswith("September.\nNext line")
    assert [t.idx for t in doc if t.text == "with"] == [text.index("with")]
    found = claims_of(text, nlp)
    assert found[0]["change_basis"] == "mom" and found[0]["sentence"] == text[:text.index("\nNext")]


# ------------------------------------------------------------------ round 2: wordings beyond the dev set

ONE_CLAIM_VALUE_AND_CHANGE = [
    ("India imported 1.65 million tonnes of crude palm oil from Indonesia in March, down 12 percent from "
     "February, trade data showed.", 1_650_000, -12, "mom"),
    ("India imported 1.65 million tonnes of crude palm oil from Indonesia in March this "
     "year, the highest in eight months, down 12 percent from February.", 1_650_000, -12, "mom"),
    ("Total Indonesian seaborne exports reached 45.3mn t in October, up by 4pc from September.", 45_300_000, 4, "mom"),
    ("Exports to Russia amounted to 12.8 mln t (-5.9%), to China 2.1 mln t (+18%).", 12_800_000, -5.9, None),
    ("Cumulative hydroxide imports for January–November reached 285.6 kt, off 9.4% on the year.", 285_600, -9.4, "yoy"),
]


@pytest.mark.parametrize("sentence,tonnes,pct,basis", ONE_CLAIM_VALUE_AND_CHANGE)
def test_value_and_trailing_change_make_one_claim(sentence, tonnes, pct, basis, nlp):
    first = claims_of(sentence, nlp)[0]
    assert (first["value"], first["change_pct"], first["change_basis"]) == (pytest.approx(tonnes), pct, basis)


WRITTEN_SIGNS = [
    ("Canada's canola exports fell.\nLower shipments to China (-38.5%) were partly offset by higher shipments "
     "to Japan (+9.7%) and Mexico (+3.1%).", [("CN", -38.5), ("JP", 9.7), ("MX", 3.1)]),
    ("Vietnam rice exports\n- Shipments to the Philippines: 3.2 million tonnes (-15%)", [("PH", -15)]),
]


@pytest.mark.parametrize("text,expected", WRITTEN_SIGNS)
def test_signed_percentages_in_brackets_are_changes(text, expected, nlp):
    found = [c for c in claims_of(text, nlp) if c["change_pct"] is not None]
    assert [(c["importer"], c["change_pct"]) for c in found] == expected


NOT_CLAIMS_2 = [
    "Soybean futures at the Chicago Board of Trade rose 1.2% to $10.68 a bushel.",
    "Analysts estimate that demand will grow 2-3% a year until 2030.",
    # a season with no stated months, of goods with no customary season there (models/crop_seasons.jsonl)
    "Malaysia's palm oil exports are expected to reach 15 million tonnes in the 2025/26 season.",
    "Thailand's sugar exports are expected to reach 8 million tonnes in the 2025-26 season.",
    "Russia's wheat exports are expected to reach 45 million tonnes in 2025/2026.",
    # one year names a fiscal year only by a country's convention (models/fiscal_years.jsonl)
    "Malaysia's sugar exports are expected to reach 1.5 million tonnes in FY2025.",
    "Malaysia's sugar exports are expected to reach 1.5 million tonnes in fiscal 2025.",
    "Malaysia's rubber exports will reach 0.9 million tonnes this season.",
]


@pytest.mark.parametrize("sentence", NOT_CLAIMS_2)
def test_prices_and_marketing_years_are_not_claims(sentence, nlp):
    assert claims_of(sentence, nlp) == []


# A season the text leaves undated takes the months customary for its goods in its country
# (models/crop_seasons.jsonl); the period is then marked inferred.
CUSTOMARY_SEASONS = [
    ("Russia's wheat exports are expected to reach 45 million tonnes in the 2025/26 season.", "2025-07..2026-06"),
    ("Australia's wheat exports will reach 25 million tonnes this season.", "2025-10..2026-09"),
    ("Ukraine has exported 12.1 million tonnes of grain so far in the 2025/26 season.", "2025-07..2026-01"),
    ("India's sugar exports reached 0.8 million tonnes in the 2024/25 season.", "2024-10..2025-09"),
    ("Ghana exported 510,000 tonnes of cocoa in the 2023/24 season.", "2023-10..2024-09"),
    ("US soybean exports fell 14% to 46 million tonnes in the 2024/25 marketing year.", "2024-09..2025-08"),
]


@pytest.mark.parametrize("sentence, period", CUSTOMARY_SEASONS)
def test_undated_seasons_take_the_goods_customary_months(sentence, period, nlp):
    found = claims_of(sentence, nlp)
    assert [c["period"] for c in found] == [period]
    assert "period" in found[0]["inferred"]


def test_an_iso_date_is_not_a_marketing_year(nlp):
    found = claims_of("Released: 2026-01-08. Canada exported 912 thousand tonnes of canola in November.", nlp)
    assert (found[0]["value"], found[0]["period"]) == (912_000, "2025-11")


PARTIES_2 = [
    # shipping verbs are exports whatever the article around them
    ("Palm oil imports by India\nBrazil shipped a record 15.2 million tons of soybeans in April, most of it bound "
     "for China.", 0, "BR", "WLD", "export"),
    ("India imported 1.65 million tonnes of palm oil from Indonesia in March.\nBrazil shipped a record 15.2 "
     "million tons of soybeans in April.", 1, "BR", "WLD", "export"),
    # a new subject in another role does not inherit the last statement's parties
    ("Chile exported 45,000 tonnes of lithium carbonate to China in October.\nGermany imported 3,400 tonnes "
     "of gallium.", 1, "WLD", "DE", "import"),
    ("Chile exported 45,000 tonnes of copper to China in October.\nGermany imported 3,400 tonnes of copper.",
     1, "WLD", "DE", "import"),
    # ... but a buyer of the last total still buys from its exporter
    ("Exports of Malaysian palm oil rose 12.4% in January to 1.41 mln tonnes.\nIndia bought 310,000 tonnes in "
     "the period.", 1, "MY", "IN", "import"),
    # origins making up a total are not the exporter; two origins together are none
    ("Imports of green coffee into Germany, mostly from Brazil and Vietnam, fell 3.2% to 560,000 tonnes.",
     0, "WLD", "DE", "import"),
    ("Germany re-exported 412,000 tonnes of green coffee in the first half of 2025.", 0, "DE", "WLD", "export"),
    ("Indian mills exported 262,000 tonnes of sugar between October and December 2025.", 0, "IN", "WLD", "export"),
    # a list in one sentence shares its other party
    ("India's palm oil imports rose to 632,341 tonnes.\nIndonesia supplied 318,000 tonnes, Malaysia 270,500 "
     "tonnes and Thailand 43,800 tonnes.", 3, "TH", "IN", "export"),
    # 'respectively' shares the figures out in order
    ("Indonesian coal exports\nShipments to South Korea and Japan edged up to 2.6mn t and 2.1mn t, "
     "respectively.", 1, "ID", "JP", "export"),
    # a labelled row under a country's imports names the origin
    ("Japan imported 6.12 million tonnes of LNG in November. By supplier:\nAustralia: 2.41 million t (+5.2%)\n"
     "Qatar: 0.37 million t (+61.0%)", 2, "QA", "JP", "import"),
    # an unqualified import figure in an article about a country's exports is that country's
    ("Canada's exports of canola fell 14.2% in November to 912 thousand tonnes.\nImports of canola were 15 "
     "thousand tonnes in November, mostly from the United States.", 1, "WLD", "CA", "import"),
    # after a breakdown by partner, an unnamed side is the total again
    ("Canada's canola exports fell.\nShipments to Japan rose (+9.7%) and to Mexico (+3.1%).\nOn a year-over-year "
     "basis, canola exports were down 21.0%.", 2, "CA", "WLD", "export"),
    # 'accounted for' rules out a share, not a quantity
    ("South Africa exported 7.9 Mt of manganese ore in Q3 2025. Shipments to China accounted for 5.6 Mt of the "
     "total.", 1, "ZA", "CN", "export"),
]


@pytest.mark.parametrize("text,index,exporter,importer,flow", PARTIES_2)
def test_parties_in_new_wordings(text, index, exporter, importer, flow, nlp):
    found = claims_of(text, nlp, dt.date(2025, 12, 20))
    claim = found[index]
    assert (claim["exporter"], claim["importer"], claim["flow"]) == (exporter, importer, flow), found


PERIODS_2 = [
    ("In the first nine months of the year, concentrate exports totalled 14.1 million tonnes, up 2.1% on the "
     "same period of 2024.", dt.date(2025, 10, 28), "2025-01..2025-09"),
    ("In the 12 months to June, barley exports totalled 7.1 million tonnes.", dt.date(2025, 9, 4), "2024-07..2025-06"),
    ("Barley exports totalled 7.1 million tonnes in the 12 months to June, compared with 5.9 million tonnes in the "
     "previous 12 months.", dt.date(2025, 9, 4), "2023-07..2024-06"),
    ("Indian mills exported 262,000 tonnes of sugar between October and December 2025, down from 438,000 tonnes "
     "in the same period a year ago.", dt.date(2026, 1, 12), "2024-Q4"),
    ("Australia has shipped 4.6 million tonnes of barley so far this year.", dt.date(2025, 9, 4), "2025-01..2025-08"),
    ("In H1 2025, total steel imports reached 7.6 million tonnes.", dt.date(2025, 8, 25), "2025-01..2025-06"),
]


@pytest.mark.parametrize("text,published,period", PERIODS_2)
def test_periods_in_new_wordings(text, published, period, nlp):
    assert claims_of(text, nlp, published)[-1]["period"] == period


def test_a_bracketed_aside_does_not_move_the_period_on(nlp):
    text = ("Russian fertilizer exports\n- Urea shipments from Ust-Luga: 420kt in Q3 (Q2: 510kt)\n"
            "- Exports of ammonium nitrate rose to 690kt in the quarter")
    found = claims_of(text, nlp, dt.date(2025, 10, 10))
    assert [(c["value"], c["period"]) for c in found] == [(420_000, "2025-Q3"), (510_000, "2025-Q2"), (690_000, "2025-Q3")]


def test_each_figure_of_a_pair_takes_its_own_origin(nlp):
    found = claims_of("Egypt bought 480,000 tonnes of wheat from Russia and 120,000 tonnes from Romania in November.", nlp)
    assert [(c["exporter"], c["importer"], c["value"]) for c in found] == [("RU", "EG", 480_000), ("RO", "EG", 120_000)]
