"""Claims extraction speed: words per second on generated news text, beside spaCy's tokenizer.

    .venv/bin/python benchmarks/bench_extract.py [--words 250000] [--repeat 3]

The text is built from varied article templates (exports and imports, many commodities and
countries, changes, periods, qualifiers) mixed with realistic non-claim filler (politics,
prices, company news), about one claim sentence in four, as in trade news. Deterministic.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import time

import spacy

from extractor.claims import extract_many, load_nlp

COUNTRIES = ["China", "Japan", "the U.S.", "South Korea", "Germany", "India", "Brazil", "Australia", "Indonesia",
             "Vietnam", "the European Union", "Canada", "Mexico", "Chile", "Russia", "Turkey", "Malaysia"]
DEMONYMS = ["Chinese", "Japanese", "American", "Indian", "Brazilian", "Australian", "Russian", "Canadian"]
COMMODITIES = ["rare earth magnets", "soybeans", "iron ore", "coal", "copper", "LNG", "wheat", "gallium",
               "antimony", "graphite", "steel", "crude oil", "palm oil", "lithium carbonate", "corn", "nickel ore"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
UP, DOWN = ["rose", "climbed", "jumped", "surged", "rebounded", "increased"], ["fell", "dropped", "slid", "dipped", "plunged", "declined"]
BASIS = ["year-on-year", "from a year earlier", "month-on-month", "from a month earlier", "on-year", ""]
CLAIMS = [
    "{c1}'s exports of {com} to {c2} {up} {p}% {basis} to {n} tonnes in {m}, customs data showed.",
    "{c1} shipped {n} metric tons of {com} to {c2} in {m}, {down} {p}% from {m0}.",
    "Imports of {dem} {com} into {c2} {down} {p}% in the first quarter to {n} tonnes.",
    "Shipments to {c2} totalled roughly {n} tons last month versus {n2} tons a month before.",
    "{c2}'s {com} imports {up} {p}% year-on-year to {x} million tonnes in {m}, according to the ministry.",
    "For all of 2025, {c1} exported {n} tons of {com}, an annual fall of {p}%.",
    "Total {m} exports: {n} t (up {p}% from {m0}).",
    "{c1}'s {com} exports in January-{m} reached {x} million tonnes, {p}% more than in the same period of 2024.",
    "Exports are expected to reach about {n} tonnes a month in 2026, analysts said.",
]
FILLER = [
    "The ministry did not comment on the figures, which are subject to revision.",
    "Prices of {com} rose {p}% on the Shanghai exchange to $1,{p}50 a tonne.",
    "The company said its quarterly profit climbed {p}% on stronger demand from carmakers.",
    "Officials from both countries met in {cap} on Tuesday to discuss tariffs and export licences.",
    "Analysts said the policy could reshape supply chains over the next decade.",
    "{c1} accounts for about {p}% of global {com} production and most of its processing capacity.",
    "The newspaper, founded in 1998, has a daily circulation of {n}.",
    "Shares of the miner gained {p}% in early trading after the announcement.",
    "Traders expect the market to remain volatile until the end of the year.",
    "The government has promised to publish a detailed breakdown next week.",
    "Environmental groups criticised the plan, citing water use and emissions from the smelters.",
    "Talks between Washington and Beijing are due to resume after the holiday.",
]
CAPITALS = ["Beijing", "Tokyo", "Washington", "Brussels", "New Delhi", "Canberra"]


def fill(template: str, rng: random.Random) -> str:
    m = rng.randrange(1, 12)
    return template.format(
        c1=rng.choice(COUNTRIES).replace("the ", "", 1).capitalize() if template.startswith("{c1}") else rng.choice(COUNTRIES),
        c2=rng.choice(COUNTRIES), dem=rng.choice(DEMONYMS), com=rng.choice(COMMODITIES), up=rng.choice(UP),
        down=rng.choice(DOWN), basis=rng.choice(BASIS), p=f"{rng.uniform(0.5, 60):.1f}", n=f"{rng.randrange(40, 90000):,}",
        n2=f"{rng.randrange(40, 9000):,}", x=f"{rng.uniform(0.5, 120):.1f}", m=MONTHS[m], m0=MONTHS[m - 1],
        cap=rng.choice(CAPITALS))


def make_articles(words: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    articles, total = [], 0
    while total < words:
        title = fill(rng.choice(["{c1} {com} exports {up} in {m}", "{c2} cuts {com} purchases", "Trade tensions weigh on {com}"]), rng).title()
        paragraphs = []
        for _ in range(rng.randrange(4, 9)):
            sentences = [fill(rng.choice(CLAIMS) if rng.random() < 0.25 else rng.choice(FILLER), rng)
                         for _ in range(rng.randrange(1, 4))]
            paragraphs.append(" ".join(sentences))
        text = title + "\n" + "\n".join(paragraphs) + "\n"
        articles.append(text)
        total += len(text.split())
    return articles


def best_of(repeat: int, run) -> tuple[float, float]:
    """The best wall-clock and the best CPU time of `repeat` runs (CPU time is the steadier
    figure when other programs share the machine)."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def one_page_ms(nlp, published, repeat: int) -> float:
    """Milliseconds of `extract_claims` on one typical news page's text (about 470 words, the
    median of the ingest benchmark's pages), best of many calls: the per-document cost."""
    from extractor.claims import extract_claims

    rng = random.Random(3)
    paragraphs = [" ".join(fill(rng.choice(CLAIMS) if rng.random() < 0.25 else rng.choice(FILLER), rng)
                           for _ in range(3)) for _ in range(12)]
    text = "Trade figures\n" + "\n".join(paragraphs)
    while len(text.split()) > 470:
        text = text.rsplit("\n", 1)[0]
    extract_claims(text, article="page", published=published, nlp=nlp)
    calls = 50
    best = min(best_of(1, lambda: [extract_claims(text, article="page", published=published, nlp=nlp)
                                   for _ in range(calls)])[1] for _ in range(repeat))
    return 1000 * best / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    articles = make_articles(args.words)
    words = sum(len(a.split()) for a in articles)
    published = dt.date(2026, 1, 20)

    nlp = load_nlp()
    claims = 0

    def extract() -> None:
        nonlocal claims
        items = ((text, f"a{i}", published, None) for i, text in enumerate(articles))
        claims = sum(len(found) for found in extract_many(items, nlp=nlp))

    tokenizer = spacy.blank("en").tokenizer

    def tokenize() -> None:
        for text in articles:
            tokenizer(text)

    extract()  # warm caches (regex compilation, vocab strings) before timing
    tokenize()
    t_extract, cpu_extract = best_of(args.repeat, extract)
    t_tokenize, cpu_tokenize = best_of(args.repeat, tokenize)
    print(f"text: {len(articles)} articles, {words:,} words, {claims:,} claims extracted")
    print(f"extraction (full claims pipeline): {words / t_extract:,.0f} words/s wall ({t_extract:.2f} s), "
          f"{words / cpu_extract:,.0f} words per CPU second")
    print(f"spaCy blank('en') tokenizer alone: {words / t_tokenize:,.0f} words/s wall ({t_tokenize:.2f} s), "
          f"{words / cpu_tokenize:,.0f} words per CPU second")
    print(f"ratio extraction / tokenizer: {t_tokenize / t_extract:.2f} wall, {cpu_tokenize / cpu_extract:.2f} CPU")
    print(f"one news page (~470 words) through extract_claims: {one_page_ms(nlp, published, args.repeat):.2f} ms CPU")


if __name__ == "__main__":
    main()
