"""The vocabularies of the claims stage, read from the JSONL files of models/.

Every phrase a component looks for is a `Phrase` (label, text, value, case-sensitive or not);
`Lexicon.matchers` turns them into spaCy PhraseMatchers over the pipeline's own tokenizer, so a
phrase matches whatever spacing or hyphenation the tokenizer gives it. The rest of the data
(commodity taxonomy, countries' regions, fiscal years, ...) is kept as plain tables.

The files read are listed in `FILES`; a saved pipeline carries copies of them (see
components.py), so `spacy.load()` of a saved pipeline reads exactly the same vocabulary.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

FILES = (
    "countries.jsonl", "fiscal_years.jsonl", "regions.jsonl", "descriptions.jsonl", "commodities.jsonl", "commodity_forms.jsonl",
    "units.jsonl", "periods.jsonl", "crop_seasons.jsonl", "changes.jsonl", "cues.jsonl", "roles.jsonl", "sources.jsonl",
)
NO_WORDS: frozenset = frozenset()  # the word class of a name models/ does not define


def first_characters(pattern: str) -> Optional[frozenset]:
    """The characters every match of `pattern` begins with one of, when its alternatives each
    open with literal text (as descriptions do); None when that cannot be told."""
    from re import _constants as C, _parser

    def first(items) -> Optional[set]:
        if not len(items):
            return None
        op, av = items[0]
        if op is C.LITERAL:
            return {chr(av)}
        if op is C.IN and all(o is C.LITERAL for o, _ in av):
            return {chr(a) for _, a in av}
        if op is C.SUBPATTERN:
            return first(av[3])
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            return first(av[2])
        if op is C.BRANCH:
            out: set = set()
            for alternative in av[1]:
                chars = first(alternative)
                if chars is None:
                    return None
                out |= chars
            return out
        return None

    found = first(_parser.parse(pattern))
    return frozenset(found) if found else None


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip() and not line.lstrip().startswith("//")]


def norm(phrase: str) -> str:
    """The key a phrase is looked up by: lower case, single spaces, no space around hyphens."""
    return re.sub(r"\s*([-–/])\s*", r"\1", " ".join(phrase.lower().split()))


@dataclass(frozen=True)
class Phrase:
    label: str
    text: str
    value: object = True
    exact: bool = False  # matched case-sensitively ("US", "May", "Mt")


@dataclass
class Commodity:
    name: str
    parent: Optional[str] = None
    bulk: bool = False
    inclusive_name: Optional[str] = None
    hs: Optional[str] = None


@dataclass
class Country:
    code: str
    region: str = ""
    group: bool = False
    fiscal_start: Optional[int] = None  # first month of the country's fiscal year, when it has one
    fiscal_named_by: Optional[str] = None  # "FY25" names the year the fiscal year starts or ends in


@dataclass
class Lexicon:
    phrases: list[Phrase] = field(default_factory=list)
    values: dict[tuple[str, str], object] = field(default_factory=dict)  # (label, key) -> value
    commodities: dict[str, Commodity] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    descriptions: list[dict] = field(default_factory=list)
    description_re: Optional[re.Pattern] = None
    source_pattern_re: Optional[re.Pattern] = None
    source_countries: dict[str, str] = field(default_factory=dict)  # a statistics agency's country (sources.jsonl)
    # (pattern, normalised aliases, commodity): a series the article itself defines
    category_definitions: list[tuple[re.Pattern, frozenset, str]] = field(default_factory=list)
    forms: dict[str, set] = field(default_factory=dict)  # commodity_forms: kind -> words
    irregular_plurals: dict[str, str] = field(default_factory=dict)
    relative: dict[str, dict] = field(default_factory=dict)
    seasons: dict[str, dict] = field(default_factory=dict)  # "oil year" -> {"start_month", "country"}
    crop_seasons: dict[tuple[str, str], int] = field(default_factory=dict)  # (country or "*", goods) -> first month
    settings: dict[str, object] = field(default_factory=dict)
    words: dict[str, frozenset] = field(default_factory=dict)  # small closed word classes (roles.jsonl)
    _norms: dict[str, str] = field(default_factory=dict, repr=False)  # text -> norm(text), remembered

    # -- building
    def add(self, label: str, phrases: Iterable[str], value: object = True, exact: bool = False) -> None:
        for text in phrases:
            if not text:
                continue
            key = text if exact else norm(text)
            if (label, key) in self.values:
                continue
            self.values[(label, key)] = value
            self.phrases.append(Phrase(label, text, value, exact))

    def value(self, label: str, text: str, exact: bool = False):
        if exact:
            found = self.values.get((label, text))
            if found is not None:
                return found
        return self.values.get((label, self.normed(text)))

    def normed(self, text: str) -> str:
        """norm(text), remembered: phrases repeat across articles."""
        key = self._norms.get(text)
        if key is None:
            key = norm(text)
            if len(self._norms) < 200_000:  # (the memo stays small)
                self._norms[text] = key
        return key

    def word_class(self, name: str) -> frozenset:
        return self.words.get(name, NO_WORDS)

    def crop_season_start(self, country: Optional[str], goods: Optional[str]) -> Optional[int]:
        """The first month of the season customary for these goods in this country
        (models/crop_seasons.jsonl: 'the 2024/25 season' of Ukraine's wheat starts in July)."""
        for name in self.lineage(goods):
            for key in ((country, name), ("*", name)):
                if key in self.crop_seasons:
                    return self.crop_seasons[key]
        return None

    def lineage(self, name: Optional[str]) -> list[str]:
        """The goods and the groups that hold them, nearest first ('coking coal', 'coal', ...)."""
        chain: list[str] = []
        while name and name not in chain:
            chain.append(name)
            entry = self.commodities.get(name)
            name = entry.parent if entry else None
        return chain

    # -- spaCy
    def matchers(self, nlp):
        """Two PhraseMatchers (lower case, exact) whose match ids are the labels."""
        from spacy.matcher import PhraseMatcher

        lower, exact = PhraseMatcher(nlp.vocab, attr="LOWER"), PhraseMatcher(nlp.vocab, attr="ORTH")
        grouped: dict[tuple[str, bool], list] = {}
        for phrase in self.phrases:
            grouped.setdefault((phrase.label, phrase.exact), []).append(phrase.text)
        for (label, is_exact), texts in grouped.items():
            docs = list(nlp.tokenizer.pipe(texts))
            (exact if is_exact else lower).add(label, docs)
        return lower, exact


# ---------------------------------------------------------------- readers, one per file

def _exact_alias(alias: str) -> bool:
    """Short all-capital aliases (LNG, CPO, APT) are matched as written, not as everyday words."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(alias) <= 6


def _load_countries(lex: Lexicon, root: Path) -> None:
    for rec in read_jsonl(root / "countries.jsonl"):
        code = rec["code"]
        if code in ("WLD", "REGION"):
            if code == "REGION":  # regions listed with the countries in older vocabularies
                lex.add("REGION", rec.get("names", []), "region", exact=True)
            continue
        lex.countries[code] = Country(code, rec.get("region", ""), rec.get("group", False), rec.get("fiscal_start"))
        for form in ("names", "demonyms", "metonyms"):
            surfaces = rec.get(form, [])
            lex.add("COUNTRY", surfaces, (code, form[:-1]), exact=True)
            # Machine-reworded copy and headlines write names in other cases ("CHINA", "china").
            lex.add("COUNTRY", [s.upper() for s in surfaces if len(s) > 3], (code, form[:-1]), exact=True)
        lex.add("COUNTRY", rec.get("lower_aliases", []), (code, "demonym"))
    for rec in read_jsonl(root / "fiscal_years.jsonl"):
        if rec["country"] in lex.countries:
            lex.countries[rec["country"]].fiscal_start = rec["start_month"]
            lex.countries[rec["country"]].fiscal_named_by = rec.get("named_by")
    for rec in read_jsonl(root / "regions.jsonl"):
        lex.add("REGION", [rec["name"]] + rec.get("aliases", []), rec.get("kind", "region"), exact=True)
    lex.descriptions = read_jsonl(root / "descriptions.jsonl")
    if lex.descriptions:
        combined = "|".join(f"(?P<d{i}>{rec['pattern']})" for i, rec in enumerate(lex.descriptions))
        first = first_characters(combined)
        # a lookahead for the characters a description can begin with spares the regex engine
        # the other positions (it matches nothing the pattern would not)
        lead = f"(?=[{''.join(map(re.escape, sorted(first)))}])" if first else ""
        lex.description_re = re.compile(rf"(?i){lead}(?<![\w])(?:{combined})")


def _load_commodities(lex: Lexicon, root: Path) -> None:
    for rec in read_jsonl(root / "commodities.jsonl"):
        name = rec["name"]
        lex.commodities[name] = Commodity(name, rec.get("parent"), rec.get("bulk", False),
                                          rec.get("inclusive_name"), rec.get("hs"))
        aliases = rec.get("aliases", []) or [name]
        lex.add("COMMODITY", [a for a in aliases if not _exact_alias(a)], name)
        lex.add("COMMODITY", [a for a in aliases if _exact_alias(a)], name, exact=True)
        lex.add("COMMODITY_WEAK", rec.get("weak_aliases", []), name)
        defined = rec.get("defined_by")
        if defined:
            lex.category_definitions.append((re.compile(defined["pattern"], re.I),
                                             frozenset(norm(a) for a in defined["aliases"]), name))
    for rec in read_jsonl(root / "commodity_forms.jsonl"):
        kind = rec["kind"]
        if kind == "irregular_plural":
            lex.irregular_plurals.update({norm(k): v for k, v in rec["words"].items()})
        else:
            lex.forms.setdefault(kind, set()).update(norm(w) for w in rec["words"])
    lex.add("GENERIC_GOODS", lex.forms.get("generic", ()), True)


def _load_units(lex: Lexicon, root: Path) -> None:
    for rec in read_jsonl(root / "units.jsonl"):
        kind = rec["kind"]
        if kind == "unit":
            exact = set(rec.get("case_sensitive_aliases", []))
            if rec["factor"] == "ambiguous":
                exact |= set(rec["aliases"])
            lex.add("UNIT", [a for a in rec["aliases"] if a in exact], rec["factor"], exact=True)
            lex.add("UNIT", [a for a in rec["aliases"] if a not in exact], rec["factor"])
            lex.add("UNIT_GLOSS", rec.get("glosses", []), rec["factor"], exact=True)
        elif kind == "multiplier":
            factors = {k: float(v) for k, v in rec["factors"].items()}
            exact = set(rec.get("case_sensitive", []))
            for word, factor in factors.items():
                lex.add("MULT", [word], factor, exact=word in exact)
        elif kind == "number_word":
            for word, number in rec["words"].items():
                lex.add("NUMWORD", [word], number)
        elif kind == "currency":
            lex.add("CURRENCY", rec["aliases"], True, exact=True)
            lex.add("CURRENCY", rec.get("lower_aliases", []), True)
        elif kind in ("negation", "zero"):
            lex.add(kind.upper(), rec["phrases"], rec.get("value", True), exact=True)  # "No.1" is not "no"
        elif kind in ("percent", "points", "ratio", "range_link", "range_verb", "bag"):
            lex.add(kind.upper(), rec["phrases"], rec.get("value", True))
        else:
            lex.settings[kind] = rec.get("value")


def _load_periods(lex: Lexicon, root: Path) -> None:
    for rec in read_jsonl(root / "periods.jsonl"):
        kind = rec["kind"]
        if kind == "month":
            lex.add("MONTH", rec["names"], rec["month"], exact=True)
            lex.add("MONTH", [n.upper() for n in rec["names"] if len(n) > 3], rec["month"], exact=True)
        elif kind == "relative":
            lex.relative[norm(rec["phrase"])] = rec
            lex.add("REL_PERIOD", [rec["phrase"]], rec)
        elif kind == "quarter":
            lex.add("QUARTER_WORD", rec["words"], rec["quarter"])
        elif kind == "half":
            lex.add("HALF_WORD", rec["words"], tuple(rec["months"]))
        elif kind == "season":
            for phrase in rec["phrases"]:
                lex.seasons[norm(phrase)] = rec
            lex.add("SEASON", rec["phrases"], rec)
        else:  # to_date, whole_year, date_prefix, comparison, cumulative, since, ...
            lex.add(kind.upper(), rec.get("phrases") or rec.get("words"), rec.get("value", True))
    for rec in read_jsonl(root / "crop_seasons.jsonl"):
        for country in rec["countries"]:
            for goods in rec["goods"]:
                lex.crop_seasons.setdefault((country, goods), rec["start_month"])


def _load_changes(lex: Lexicon, root: Path) -> None:
    for rec in read_jsonl(root / "changes.jsonl"):
        if rec["kind"] == "change":
            lex.add("CHANGE", [rec["phrase"]], rec["sign"])
        elif rec["kind"] == "basis":
            lex.add("BASIS", [rec["phrase"]], rec["basis"])
        else:
            lex.add(rec["kind"].upper(), rec["phrases"], rec.get("value", True))


def _load_cues(lex: Lexicon, root: Path) -> None:
    for rec in read_jsonl(root / "cues.jsonl"):
        kind = rec["kind"]
        value = rec.get("qualifier") or rec.get("per") or rec.get("scope") or True
        if kind == "trade":
            value = rec.get("flow") or "neutral"
            kind = "flow"
        if kind == "modality":
            # "may", "will" ... are modal in lower case only: "May" is a month.
            phrases = rec["phrases"]
            lex.add("MODALITY", phrases, True, exact=True)
            lex.add("MODALITY", [p[0].upper() + p[1:] for p in phrases if p not in ("may",)], True, exact=True)
            continue
        lex.add(kind.upper(), rec["phrases"], value)


def _load_roles(lex: Lexicon, root: Path) -> None:
    for rec in read_jsonl(root / "roles.jsonl"):
        kind = rec["kind"]
        if kind == "word_class":
            lex.words[rec["name"]] = frozenset(norm(w) for w in rec["words"])
        else:
            lex.add(kind.upper(), rec["phrases"], rec.get("value", True))


def _load_sources(lex: Lexicon, root: Path) -> None:
    for rec in read_jsonl(root / "sources.jsonl"):
        if rec.get("kind") == "pattern":
            lex.source_pattern_re = re.compile(rec["pattern"])
            continue
        lex.add("SOURCE", rec["aliases"], rec["name"], exact=True)
        if rec.get("country"):
            lex.source_countries[rec["name"]] = rec["country"]  # whose trade the agency reports


@functools.lru_cache(maxsize=8)
def load_lexicon(models_dir: str) -> Lexicon:
    """All vocabularies of one models directory; cached because they never change in a run."""
    root = Path(models_dir)
    lex = Lexicon()
    for loader in (_load_countries, _load_commodities, _load_units, _load_periods, _load_changes,
                   _load_cues, _load_roles, _load_sources):
        loader(lex, root)
    return lex
