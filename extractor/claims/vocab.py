"""The vocabularies of the claims stage, read from the JSONL files in models/ and compiled once.

Every phrase list becomes one compiled alternation (longest phrase first, so "rare earth magnets"
wins over "rare earth"), so a sentence is scanned by a handful of C-level regex searches.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def alternation(phrases, *, ignore_case: bool = True) -> str:
    """A regex alternation of literal phrases, longest first, whitespace-tolerant."""
    unique = sorted({p for p in phrases if p}, key=len, reverse=True)
    parts = [r"\s+".join(re.escape(word) for word in p.split()) for p in unique]
    body = "|".join(parts) or r"(?!x)x"
    return f"(?i:{body})" if ignore_case else f"(?:{body})"


def bounded(pattern: str) -> str:
    """Match only at word edges (phrases may end in '.' or '%', so \\b is not enough)."""
    return rf"(?<![\w]){pattern}(?![\w])"


FIRST_WORD = re.compile(r"[^\W_]+")
DIGITS = frozenset("0123456789")


def first_word(phrase: str) -> str:
    match = FIRST_WORD.search(phrase)
    return match.group().lower() if match else ""


class GatedPattern:
    """A large alternation tried only where a sentence word can begin one of its phrases.

    Python's regex engine tries every alternative at every word start; a set lookup per word
    first is several times faster on news sentences, with the same matches (phrases start at
    word edges, and matches are taken left to right without overlap, as `finditer` does).
    `digits` lets words with digits through (all of them, or those a regex fullmatches);
    `guards` hold, for a common first word ("the"), a regex the lowercased text right after
    it must match ("the" is tried only before "first", "same", "previous", ...).
    """

    def __init__(self, pattern: re.Pattern, first_words, digits=False, guards: dict | None = None):
        self.pattern = pattern
        self.first_words = frozenset(first_words)
        self.digits = digits
        self.guards = guards or {}

    @classmethod
    def of_phrases(cls, pattern: re.Pattern, phrases) -> "GatedPattern":
        return cls(pattern, {first_word(p) for p in phrases})

    def digit_word(self, key: str) -> bool:
        if not self.digits:
            return False
        return self.digits is True or self.digits.fullmatch(key) is not None

    def finditer(self, text: str):
        end = 0
        first_words, match_at, guards = self.first_words, self.pattern.match, self.guards
        low = lowered(text)
        for word in FIRST_WORD.finditer(low):
            start = word.start()
            if start < end:
                continue
            key = word.group()
            if key in first_words:
                guard = guards.get(key)
                if guard is not None and not guard.match(low, word.end()):
                    continue
            elif not ((key[0] in DIGITS or key[-1] in DIGITS) and self.digit_word(key)):
                continue
            found = match_at(text, start)
            if found:
                end = found.end()
                yield found

    def search(self, text: str):
        return next(self.finditer(text), None)


def lowered(text: str) -> str:
    """The text in lower case with the same offsets."""
    low = text.lower()
    if len(low) != len(text):  # a rare letter whose lower case is longer: offsets would shift
        low = "".join(ch.lower()[0] for ch in text)
    return low


class MultiScanner:
    """Runs many gated patterns over a sentence in one pass over its words."""

    def __init__(self, gated: dict[str, GatedPattern]):
        self.kinds = tuple(gated)
        self.index: dict[str, tuple] = {}
        for kind, pattern in gated.items():
            for word in pattern.first_words:
                entry = (kind, pattern.pattern.match, pattern.guards.get(word))
                self.index[word] = self.index.get(word, ()) + (entry,)
        self.digit_entries = tuple((k, g) for k, g in gated.items() if g.digits)
        self.memo: dict[str, tuple] = {}

    def scan(self, text: str) -> dict[str, list]:
        found = {kind: [] for kind in self.kinds}
        ends = dict.fromkeys(self.kinds, 0)
        entries_of, memo = self._entries, self.memo
        low = lowered(text)
        for word in FIRST_WORD.finditer(low):
            key = word.group()
            entries = memo.get(key)
            if entries is None:
                entries = entries_of(key)
            if not entries:
                continue
            start = word.start()
            for kind, match_at, guard in entries:
                if start >= ends[kind] and (guard is None or guard.match(low, word.end())):
                    match = match_at(text, start)
                    if match:
                        ends[kind] = match.end()
                        found[kind].append(match)
        return found

    def _entries(self, key: str) -> tuple:
        """The patterns a word can begin, remembered for the next time it is seen."""
        entries = self.index.get(key, ())
        if key[0] in DIGITS or key[-1] in DIGITS:  # "2025", "FY2025"
            entries += tuple((kind, g.pattern.match, NUMBER_PART) for kind, g in self.digit_entries if g.digit_word(key))
        if len(self.memo) < MEMO_LIMIT:
            self.memo[key] = entries
        return entries


# A word of digits inside a number ("12.4", "5,933") or before a percent sign begins no period.
NUMBER_PART = re.compile(r"(?<![.,]\d)(?<![.,]\d\d)(?![.,]\d)(?!\s*(?:%|per\s?cent|pct|pc)(?![a-z]))")
MEMO_LIMIT = 200_000  # distinct words remembered (a few MB); beyond, words are looked up afresh


@dataclass
class Country:
    code: str
    region: str = ""
    group: bool = False


@dataclass
class Commodity:
    name: str
    parent: str | None = None
    bulk: bool = False
    inclusive_name: str | None = None


@dataclass
class Lexicon:
    """Compiled vocabularies; built once per models directory (see `load_lexicon`)."""

    countries: dict[str, Country] = field(default_factory=dict)
    country_forms: dict[str, tuple[str, str]] = field(default_factory=dict)  # surface -> (code, form)
    country_re: re.Pattern = None
    descriptions: list[dict] = field(default_factory=list)
    description_re: re.Pattern = None
    commodities: dict[str, Commodity] = field(default_factory=dict)
    commodity_alias: dict[str, str] = field(default_factory=dict)  # lowercased alias -> name
    commodity_re: re.Pattern = None
    unit_factor: dict[str, object] = field(default_factory=dict)  # lowercased alias -> factor
    unit_factor_cs: dict[str, object] = field(default_factory=dict)  # case-sensitive aliases
    multiplier: dict[str, float] = field(default_factory=dict)
    number_words: dict[str, int] = field(default_factory=dict)
    currency_re: re.Pattern = None
    money_after_re: re.Pattern = None
    bulk_limit: float = 2000
    quantity_re: re.Pattern = None
    percent_re: re.Pattern = None
    months: dict[str, int] = field(default_factory=dict)
    month_alt: str = ""
    relative: dict[str, dict] = field(default_factory=dict)
    period_patterns: dict[str, re.Pattern] = field(default_factory=dict)
    quarter_words: dict[str, int] = field(default_factory=dict)
    half_words: dict[str, tuple[int, int]] = field(default_factory=dict)
    date_prefix_re: re.Pattern = None
    comparison_alt: str = ""
    change_sign: dict[str, int] = field(default_factory=dict)
    change_re: re.Pattern = None
    basis: dict[str, str] = field(default_factory=dict)
    basis_re: re.Pattern = None
    cue_res: dict[str, re.Pattern] = field(default_factory=dict)
    scan: dict[str, GatedPattern] = field(default_factory=dict)
    phrases: dict[str, list] = field(default_factory=dict)
    scanner: MultiScanner = None  # one pass over a sentence for all of `scan` (gated patterns)
    lead_scanner: MultiScanner = None  # the same for figure-free lead sentences (LEAD_SCANS)
    cue_values: dict[str, dict[str, object]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    source_re: re.Pattern = None
    source_pattern_re: re.Pattern = None
    boundary_re: re.Pattern = None


def _load_countries(lex: Lexicon, root: Path) -> None:
    forms: dict[str, tuple[str, str]] = {}
    for rec in read_jsonl(root / "countries.jsonl"):
        lex.countries[rec["code"]] = Country(rec["code"], rec.get("region", ""), rec.get("group", False))
        for form in ("names", "demonyms", "metonyms"):
            for surface in rec.get(form, []):
                forms.setdefault(surface, (rec["code"], form[:-1]))
    lex.country_forms = forms
    # Case-sensitive: "US" is a country, "us" a pronoun; the possessive is matched separately.
    lex.country_re = re.compile(bounded(alternation(forms, ignore_case=False)))
    lex.scan["country"] = GatedPattern.of_phrases(lex.country_re, forms)
    lex.descriptions = [rec for rec in read_jsonl(root / "descriptions.jsonl")]
    # One alternation, one group per description, so a sentence is scanned once for all of them.
    combined = "|".join(f"(?P<d{i}>{rec['pattern']})" for i, rec in enumerate(lex.descriptions))
    lex.description_re = re.compile(rf"(?i)(?<![\w])(?:{combined})")
    lex.scan["description"] = GatedPattern(lex.description_re, {"its", "their", "the", "that"})


def _load_commodities(lex: Lexicon, root: Path) -> None:
    for rec in read_jsonl(root / "commodities.jsonl"):
        lex.commodities[rec["name"]] = Commodity(rec["name"], rec.get("parent"), rec.get("bulk", False),
                                                 rec.get("inclusive_name"))
        for alias in rec.get("aliases", []):
            lex.commodity_alias.setdefault(_norm(alias), rec["name"])
    lex.commodity_re = re.compile(bounded(alternation(lex.commodity_alias)))
    lex.scan["commodity"] = GatedPattern.of_phrases(lex.commodity_re, lex.commodity_alias)


def _norm(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _load_units(lex: Lexicon, root: Path) -> None:
    case_sensitive: list[str] = []
    insensitive: list[str] = []
    for rec in read_jsonl(root / "units.jsonl"):
        kind = rec["kind"]
        if kind == "unit":
            exact = set(rec.get("case_sensitive_aliases", []))
            if rec["factor"] == "ambiguous":
                exact |= set(rec["aliases"])
            for alias in rec["aliases"]:
                if alias in exact:
                    lex.unit_factor_cs[alias] = rec["factor"]
                    case_sensitive.append(alias)
                else:
                    lex.unit_factor[_norm(alias)] = rec["factor"]
                    insensitive.append(alias)
        elif kind == "multiplier":
            lex.multiplier = {k.lower(): float(v) for k, v in rec["factors"].items()}
        elif kind == "number_word":
            lex.number_words = rec["words"]
        elif kind == "currency":
            money = alternation(rec["aliases"], ignore_case=False)
            lex.currency_re = re.compile(r"(?:" + money + r")\s*$")
            # "rose 1.2% to $10.68 a bushel": the change of a price, not of a flow of goods.
            lex.money_after_re = re.compile(
                r"\s*,?\s*(?i:to|at|from)\s+(?i:about\s+|around\s+|nearly\s+|some\s+)?(?:" + money + r")\s*\d")
        elif kind == "ambiguous_bulk_limit":
            lex.bulk_limit = float(rec["value"])
    units = f"(?:{alternation(case_sensitive, ignore_case=False)}|{alternation(insensitive)})"
    mult = alternation(lex.multiplier)
    # 5,933 | 816 000 | 1.2 | 45  -- then an optional scale word and a unit.
    number = r"\d{1,3}(?:(?:,|[ \u00a0\u202f])\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    # "(?=\d)" first: the engine skips non-digits in C before trying the lookbehind.
    lex.quantity_re = re.compile(
        rf"(?=\d)(?<![\w.,$€£¥/])(?P<num>{number})(?:\s*(?P<mult>{mult})(?![a-z])(?<!m)|(?P<mult_m>m)(?=\s))?\s*(?P<unit>{units})(?![\w-])")
    lex.percent_re = re.compile(
        r"(?=\d)(?<![\w.,])(?P<num>\d+(?:\.\d+)?)\s*(?:%|(?i:per\s?cent|pct|pc)(?![\w]))(?!\s*(?i:points?|pts?)\b)")


def _load_periods(lex: Lexicon, root: Path) -> None:
    recs = read_jsonl(root / "periods.jsonl")
    for rec in recs:
        kind = rec["kind"]
        if kind == "month":
            for name in rec["names"]:
                lex.months[name.lower().rstrip(".")] = rec["month"]
        elif kind == "relative":
            lex.relative[_norm(rec["phrase"])] = rec
        elif kind == "quarter":
            for word in rec["words"]:
                lex.quarter_words[word.lower()] = rec["quarter"]
        elif kind == "half":
            for word in rec["words"]:
                lex.half_words[word.lower()] = tuple(rec["months"])
        elif kind in ("to_date", "whole_year"):
            lex.cue_res[kind] = re.compile(bounded(alternation(rec["phrases"])))
            lex.phrases[kind] = rec["phrases"]
        elif kind == "date_prefix":
            lex.date_prefix_re = re.compile(r"(?:" + alternation(rec["words"]) + r")[\s-]*$")
        elif kind == "comparison":
            lex.comparison_alt = alternation(rec["words"])
    # Month names are proper nouns: matched case-sensitively, so "may" (the verb) is not May.
    names = [n for rec in recs if rec["kind"] == "month" for n in rec["names"]]
    lex.month_alt = alternation(names, ignore_case=False)
    from extractor.claims import periods  # the grammar of dates lives with its resolver

    lex.period_patterns = periods.compile_patterns(lex)


def _load_changes(lex: Lexicon, root: Path) -> None:
    for rec in read_jsonl(root / "changes.jsonl"):
        if rec["kind"] == "change":
            lex.change_sign[_norm(rec["phrase"])] = rec["sign"]
        elif rec["kind"] == "basis":
            lex.basis[_norm(rec["phrase"])] = rec["basis"]
    lex.change_re = re.compile(bounded(alternation(lex.change_sign)))
    lex.scan["change"] = GatedPattern.of_phrases(lex.change_re, lex.change_sign)
    # A stated basis may run on to the year it names: "than in the same month in 2024".
    tail = r"(?:\s+(?:in|of)\s+(?:19|20)\d{2}|\s+(?:last|the previous|the prior) year|\s+a year (?:earlier|ago|before))?"
    lex.basis_re = re.compile(bounded(alternation(lex.basis)) + tail)
    lex.scan["basis"] = GatedPattern.of_phrases(lex.basis_re, lex.basis)


def _load_cues(lex: Lexicon, root: Path) -> None:
    grouped: dict[str, dict[str, object]] = {}
    for rec in read_jsonl(root / "cues.jsonl"):
        kind = rec["kind"]
        value = rec.get("qualifier") or rec.get("flow") or rec.get("per") or rec.get("scope") or True
        if kind == "trade":
            value = rec.get("flow") or "neutral"
        table = grouped.setdefault(kind, {})
        for phrase in rec["phrases"]:
            table.setdefault(_norm(phrase), value)
    lex.cue_values = grouped
    for kind, table in grouped.items():
        if kind == "modality":
            # "may", "will" ... are modal only in lower case; "May" is a month.
            lex.cue_res[kind] = re.compile(bounded(alternation(table, ignore_case=False)))
        else:
            lex.cue_res[kind] = re.compile(bounded(alternation(table)))
        lex.scan[kind] = GatedPattern.of_phrases(lex.cue_res[kind], table)
    # "followed by the US", "ahead of Japan": the country after these is ranked, not a party.
    lex.cue_res["nonrole_tail"] = re.compile(rf"(?<![\w])(?:{alternation(grouped['nonrole'])})\s+(?:the\s+)?$")
    boundary = alternation(grouped.get("boundary", {}))
    # Clause edges: punctuation (not the comma or colon inside a number), dashes, contrast words.
    starts = "".join(sorted({ch for p in grouped.get("boundary", {}) for ch in (p[0].lower(), p[0].upper())}))
    lex.boundary_re = re.compile(  # the lookahead skips, in C, characters no alternative starts with
        rf"(?=[,:;()\[\]\s–—{re.escape(starts)}])"
        rf"(?:(?<!\d),|,(?!\d)|(?<!\d):|:(?!\d)|[;()\[\]]|\s[-–—]+\s|[–—]|(?<![\w]){boundary}(?![\w]))")


def _load_sources(lex: Lexicon, root: Path) -> None:
    for rec in read_jsonl(root / "sources.jsonl"):
        if rec.get("kind") == "pattern":
            lex.source_pattern_re = re.compile(rec["pattern"])
            continue
        for alias in rec["aliases"]:
            lex.sources.setdefault(alias, rec["name"])
    lex.source_re = re.compile(bounded(alternation(lex.sources, ignore_case=False)))


SENTENCE_SCANS = ("description", "country", "total", "commodity", "trade", "basis", "period", "nontrade", "modality",
                  "inclusion", "subordinate")


# A headline or lead sentence without figures is read only for parties, goods, flows and periods.
LEAD_SCANS = ("description", "country", "total", "commodity", "trade", "basis", "period")


@functools.lru_cache(maxsize=8)
def load_lexicon(models_dir: str) -> Lexicon:
    """All vocabularies of one models directory, compiled; cached because they never change."""
    root = Path(models_dir)
    lex = Lexicon()
    for loader in (_load_countries, _load_commodities, _load_units, _load_periods, _load_changes,
                   _load_cues, _load_sources):
        loader(lex, root)
    lex.scan["period"] = lex.period_patterns["scan"]
    lex.scanner = MultiScanner({k: lex.scan[k] for k in SENTENCE_SCANS})
    lex.lead_scanner = MultiScanner({k: lex.scan[k] for k in LEAD_SCANS})
    return lex
