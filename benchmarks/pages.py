"""Generate N varied, realistic news pages from the demo fixtures' newsroom templates.

Each page keeps a fixture's chrome (navigation, subscribe boxes, related links, comments, footer)
and gets a new headline, date and body: a random number of paragraphs mixing trade sentences with
figures in varied wordings and plenty of filler without claims, some filler carrying numbers that
are not trade figures. Sizes vary as real pages do: some pages carry a mega-menu and an inline
JSON state blob of tens of kilobytes. Generation is deterministic for a given seed.

    python -m benchmarks.pages OUT_DIR N [--seed S]
"""
from __future__ import annotations

import argparse
import json
import random
import re
from copy import deepcopy
from datetime import date, timedelta
from pathlib import Path

import lxml.html

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "demo" / "articles"

# Per template: the element holding the article body, and how a body paragraph is wrapped.
BODY = {
    "000_aad5f7c6210493b1": ('//div[@class="entry-content"]', "p"),
    "001_ab0990ca4befeb81": ('//div[@class="p-article__body"]', "p"),
    "002_6c3cf06ab794cd16": ('//div[@class="entry-content"]', "p"),
    "003_d627c6a13736f656": ('//div[@class="c1c"]', "c2"),
    "site-news": ('//div[@class="entry-content"]', "p"),
}
TEMPLATE_DATES = {
    "000_aad5f7c6210493b1": "2026-01-19", "001_ab0990ca4befeb81": "2025-11-21",
    "002_6c3cf06ab794cd16": "2025-12-22", "003_d627c6a13736f656": "2026-01-18",
    "site-news": "2026-01-20",
}
BODY_TAGS = {"p", "h2", "h3", "ul", "ol", "blockquote"}

# (name, demonym) pairs; commodities; newsroom sources. Benchmark data only.
COUNTRIES = [
    ("China", "Chinese"), ("Japan", "Japanese"), ("the United States", "U.S."), ("Germany", "German"),
    ("South Korea", "South Korean"), ("India", "Indian"), ("Australia", "Australian"),
    ("Brazil", "Brazilian"), ("Vietnam", "Vietnamese"), ("Indonesia", "Indonesian"),
    ("Chile", "Chilean"), ("Canada", "Canadian"), ("Mexico", "Mexican"), ("Malaysia", "Malaysian"),
    ("the Netherlands", "Dutch"), ("Thailand", "Thai"), ("Peru", "Peruvian"), ("Russia", "Russian"),
]
COMMODITIES = [
    "rare earth magnets", "soybeans", "iron ore", "copper concentrate", "refined copper",
    "lithium carbonate", "graphite", "coal", "crude oil", "liquefied natural gas", "wheat", "corn",
    "nickel ore", "aluminium", "steel products", "palm oil", "cobalt", "gallium",
]
UNITS = ["tonnes", "tons", "metric tons", "million tonnes", "thousand tonnes", "kilograms"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
SOURCES = [
    "the General Administration of Customs", "customs data", "official figures",
    "the statistics bureau", "trade ministry data", "industry estimates",
]

TRADE_WORDINGS = [
    "{E} exported {V} {U} of {C} to {I} in {P}, {dir_past} {X}% from a year earlier, {S} showed.",
    "Shipments of {C} from {E} to {I} totalled {V} {U} in {P}, according to {S}.",
    "{Idem} imports of {Edem} {C} {dir_past} {X}% year-on-year to {V} {U} in {P}.",
    "Outbound shipments of {C} to {I} reached {V} {U} last month, {S} showed on Tuesday.",
    "{E}'s {C} exports to {I} {dir_past} {X}% on the month to {V} {U}, the lowest since {Y}.",
    "In {P}, {I} bought {V} {U} of {C} from {E}, versus {V2} {U} a month before.",
    "For all of {Y}, {E} shipped {V} {U} of {C} to {I}, an annual {dir_noun} of {X}%.",
    "Sales of {Edem} {C} abroad {dir_past} to {V} {U} in {P}, with {I} taking the largest share.",
    "{E} sent {V} {U} of {C} to {I} during {P}, {S} indicated, a {X} per cent {dir_noun}.",
    "Data from {S} showed {C} exports from {E} to {I} at {V} {U} in {P}, {dir_past} {X}%.",
]
FILLER = [
    "Analysts said the outlook for the coming months remained uncertain.",
    "The ministry did not respond to a request for comment.",
    "Traders in Singapore said buyers were waiting for clearer signals before placing new orders.",
    "The company, founded in {Y0}, employs about {N} people at its two plants.",
    "Officials met for {n} hours on Monday but failed to agree on a joint statement.",
    "Shares of the largest producer rose {X}% in afternoon trading after the announcement.",
    "The port authority said congestion eased over the weekend as the weather improved.",
    "Environmental groups have criticised the project, citing risks to local water supplies.",
    "A spokesperson declined to comment on the negotiations, citing their confidential nature.",
    "The central bank kept its benchmark rate at {X}% at its meeting last week.",
    "Industry executives expect demand from electric vehicle makers to keep growing.",
    "The minister, who is {n2} years old, has held the post since {Y0}.",
    "Freight rates on the route have roughly doubled since the spring, brokers said.",
    "The government plans to publish a detailed breakdown of the figures on Friday.",
    "More than {N} workers joined the strike, according to the union.",
    "The dispute dates back to a policy change announced in {M} {Y0}.",
    "Reporting by the Beijing newsroom; editing by the business desk.",
    "Critics argue that the new licensing rules give regulators too much discretion.",
    "The stadium, which seats {N} fans, will host the final in {M}.",
    "Local media reported that the plant had been shut for maintenance for {n} days.",
]
HEADLINES = [
    "{E} {C} exports to {I} {dir_past} in {P}", "{I} imports of {Edem} {C} {dir_past} sharply",
    "{C}: what the latest customs data show", "Trade in {C} shifts as {I} looks for new suppliers",
    "{Edem} {C} shipments {dir_past} for a second month",
]


def _fill(template: str, rng: random.Random, period: str, year: int) -> str:
    exporter, edem = rng.choice(COUNTRIES)
    importer, idem = rng.choice([c for c in COUNTRIES if c[0] != exporter])
    up = rng.random() < 0.5
    unit = rng.choice(UNITS)
    value = rng.choice([
        f"{rng.randint(100, 99999):,}", f"{rng.randint(1, 999)}", f"{rng.uniform(1, 99):.1f}",
        f"{rng.uniform(1, 9):.2f}",
    ]) if "million" not in unit and "thousand" not in unit else f"{rng.uniform(1, 120):.1f}"
    values = {
        "E": exporter[0].upper() + exporter[1:], "I": importer, "Edem": edem,
        "Idem": (importer[0].upper() + importer[1:] + "'s").replace("'s's", "'s"),
        "C": rng.choice(COMMODITIES), "U": unit, "V": value, "V2": f"{rng.randint(100, 99999):,}",
        "X": f"{rng.uniform(0.1, 60):.1f}".rstrip("0").rstrip("."), "P": period, "Y": str(year - 1),
        "S": rng.choice(SOURCES), "dir_past": "rose" if up else "fell",
        "dir_noun": "increase" if up else "decline", "Y0": str(rng.randint(1950, 2020)),
        "N": f"{rng.randint(200, 90000):,}", "n": str(rng.randint(2, 30)), "n2": str(rng.randint(40, 80)),
        "M": rng.choice(MONTHS),
    }
    return template.format(**values)


def _paragraphs(rng: random.Random, period: str, year: int) -> list[str]:
    """Body paragraphs: 3 to ~45 of 1–5 sentences, about a fifth of sentences trade claims."""
    count = min(45, max(3, int(rng.lognormvariate(2.3, 0.6))))
    out = []
    for _ in range(count):
        sentences = []
        for _ in range(rng.randint(1, 5)):
            pool = TRADE_WORDINGS if rng.random() < 0.2 else FILLER
            sentences.append(_fill(rng.choice(pool), rng, period, year))
        out.append(" ".join(sentences))
    return out


def _body_element(tag_kind: str, text: str):
    if tag_kind == "c2":
        return lxml.html.fromstring(f'<div class="c2"><div class="pw"><p></p></div></div>'), text
    return lxml.html.fromstring("<p></p>"), text


def _set_body(tree, stem: str, paragraphs: list[str], rng: random.Random) -> None:
    xpath, kind = BODY[stem]
    container = tree.xpath(xpath)[0]
    old = [el for el in container if el.tag in BODY_TAGS or "c2" in (el.get("class") or "").split()]
    position = container.index(old[0]) if old else len(container)
    for el in old:
        container.remove(el)
    for offset, text in enumerate(paragraphs):
        if kind == "c2":
            el = lxml.html.fromstring('<div class="c2"><div class="pw"><p>x</p></div></div>')
            el.find(".//p").text = text
        elif rng.random() < 0.08 and offset:
            el = lxml.html.fromstring("<h2>x</h2>")
            el.text = text.split(".")[0][:60]
        else:
            el = lxml.html.fromstring("<p>x</p>")
            el.text = text
        container.insert(position + offset, el)
    for li, text in zip(tree.xpath('//div[contains(@class, "highlights-box")]//li'), paragraphs):
        li.text = text


def _set_title(tree, headline: str) -> None:
    for el in tree.xpath("//h1"):
        el.text = headline
    for el in tree.xpath("//title"):
        el.text = f"{headline} | {el.text.rsplit('|', 1)[-1].rsplit(' - ', 1)[-1].strip()}"
    for el in tree.xpath('//meta[@property="og:title"]'):
        el.set("content", headline)


def _padding(rng: random.Random) -> str:
    """Chrome that real pages carry in quantity: a mega-menu and an inline JSON state blob."""
    links = rng.choice([0, 0, 40, 120, 300])
    menu = "".join(
        f'<li class="menu-item"><a href="/section/{i}/">Section {i}: {rng.choice(COMMODITIES)}</a></li>'
        for i in range(links)
    )
    state_items = rng.choice([0, 50, 200, 600])
    state = json.dumps({"articles": [
        {"id": i, "headline": f"Story {i} about {rng.choice(COMMODITIES)}", "views": rng.randint(0, 10**6)}
        for i in range(state_items)
    ]})
    return (f'<nav class="mega-menu"><ul>{menu}</ul></nav>' if links else "") + (
        f"<script>window.__STATE__ = {state};</script>" if state_items else "")


def load_templates() -> dict[str, str]:
    return {stem: (TEMPLATES_DIR / f"{stem}.html").read_text(encoding="utf-8") for stem in BODY}


def make_page(rng: random.Random, templates: dict[str, str]) -> str:
    stem = rng.choice(sorted(templates))
    day = date(2024, 1, 1) + timedelta(days=rng.randint(0, 720))
    month_before = (day.replace(day=1) - timedelta(days=1))
    period = rng.choice([f"{MONTHS[month_before.month - 1]}", f"{MONTHS[month_before.month - 1]} {month_before.year}",
                         "the first half", f"the third quarter of {day.year - 1}"])
    html = templates[stem].replace(TEMPLATE_DATES[stem], day.isoformat())
    tree = lxml.html.fromstring(html)
    paragraphs = _paragraphs(rng, period, day.year)
    _set_body(tree, stem, paragraphs, rng)
    _set_title(tree, _fill(rng.choice(HEADLINES), rng, period, day.year))
    body = tree.find("body")
    if body is not None:
        body.append(lxml.html.fromstring(f"<div class='page-extras'>{_padding(rng)}</div>"))
    return "<!DOCTYPE html>\n" + lxml.html.tostring(tree, encoding="unicode")


def generate(out_dir: Path, n: int, seed: int = 0) -> list[Path]:
    """Write n pages page_00000.html … into out_dir and return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    templates = load_templates()
    paths = []
    for i in range(n):
        path = out_dir / f"page_{i:05d}.html"
        path.write_text(make_page(rng, templates), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    paths = generate(args.out_dir, args.n, args.seed)
    sizes = sorted(p.stat().st_size for p in paths)
    print(f"{len(paths)} pages in {args.out_dir}; size min {sizes[0]:,} median {sizes[len(sizes) // 2]:,} "
          f"max {sizes[-1]:,} bytes")


if __name__ == "__main__":
    main()
