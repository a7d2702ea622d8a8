"""Period phrases: finding them in a sentence and resolving them to `YYYY-MM`, `YYYY-Qn`, `YYYY`
or `YYYY-MM..YYYY-MM` against the publication date or the period of a nearby figure.

The words (month names, relative phrases, quarter words) come from models/periods.jsonl; the
grammar that combines them ("January-November 2025", "the first 11 months", "Q3 2025") is here.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from extractor.claims.vocab import GatedPattern, first_word

YEAR = r"(?:19|20)\d{2}"
SEASON = r"(?i:season|marketing\s+year|crop\s+year|crop|fiscal\s+year|financial\s+year)"
# Marketing, crop and fiscal years ("2025/26", "2025-26 season", "FY2025", "fiscal 2025", "this
# season") start in varying months: the contract has no form for them, so they are recognised
# only to keep a figure from taking a wrong period.
MARKETING_YEAR = (
    rf"(?:(?i:MY|FY|fiscal|fiscal\s+year|financial\s+year|marketing\s+year|crop\s+year)\s*'?)?{YEAR}\s*[/–-]\s*(?:{YEAR}|\d{{2}})(?![\d/]|-\d)(?:\s+{SEASON})?"
    rf"|(?:(?i:MY|FY)\s*'?)?\d{{2}}/\d{{2}}\s+{SEASON}"
    rf"|(?i:MY|FY)\s*'?(?:{YEAR}|\d{{2}})(?:/\d{{2}})?(?![\d/])"
    rf"|(?i:fiscal|fiscal\s+year|financial\s+year|marketing\s+year|crop\s+year)\s+{YEAR}"
    rf"|(?i:this|last|next|the\s+current|the\s+previous|the\s+coming|the\s+new|the\s+last)\s+{SEASON}")
SMALL_NUMBER = r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"


@dataclass
class PeriodRef:
    """A period as written, before resolution. kind: M, Q, Y, R (month range), REL, TD (to date)."""

    kind: str  # also FY (the year as a whole, year implied) and MY (a marketing year: no contract form)
    year: Optional[int] = None
    a: Optional[int] = None  # month, quarter or first month of a range
    b: Optional[int] = None  # last month of a range
    rel: Optional[dict] = None
    end_year: Optional[int] = None


@dataclass
class PeriodMention:
    start: int
    end: int
    ref: PeriodRef
    comparison: bool = False  # "from November", "than in 2024": what a change is measured against


def compile_patterns(lex) -> dict[str, re.Pattern]:
    m = lex.month_alt
    qw = "|".join(sorted(lex.quarter_words, key=len, reverse=True))
    hw = "|".join(sorted(lex.half_words, key=len, reverse=True))
    rel = "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(lex.relative, key=len, reverse=True))
    to_date = lex.cue_res["to_date"].pattern
    alternatives = [
        rf"between\s+(?P<bm1>{m})(?:\s+(?P<by1>{YEAR}))?\s+and\s+(?P<bm2>{m})(?:,?\s+(?P<by2>{YEAR}))?",
        rf"(?P<rm1>{m})(?:\s+(?P<ry1>{YEAR}))?\s*(?:-|–|—|\bto\b|\bthrough\b|\bthru\b)\s*(?P<rm2>{m})(?:,?\s+(?P<ry2>{YEAR}))?",
        rf"(?i:(?:the\s+)?first\s+(?P<fn>{SMALL_NUMBER})\s+months)(?:\s+of(?:\s+the\s+year)?)?(?:\s+(?P<fny>{YEAR}))?",
        rf"(?i:(?:the\s+)?(?P<nm>{SMALL_NUMBER})\s+months\s+(?:to|through|ended|ending|until))\s+(?P<nmm>{m})(?:\s+(?P<nmy>{YEAR}))?",
        rf"(?i:(?:the\s+)?(?P<qw>{qw})[\s-]+quarter)(?:\s+of)?(?:\s+(?P<qwy>{YEAR}))?",
        rf"Q(?P<qn>[1-4])(?:\s*|[-/'’])(?P<qny>{YEAR}|\d{{2}}(?!\d))?",
        rf"(?P<qpy>{YEAR})[-\s]?Q(?P<qp>[1-4])",
        rf"(?i:(?:the\s+)?(?P<hw>{hw})\s+half)(?:\s+of)?(?:\s+(?P<hwy>{YEAR}))?",
        rf"H(?P<hn>[12])(?:\s*(?P<hny>{YEAR}))?",
        rf"(?P<td>{to_date})",
        rf"(?P<my>{MARKETING_YEAR})",
        rf"(?P<fy>{lex.cue_res['whole_year'].pattern})(?!\s+{YEAR})",
        rf"(?P<date1>\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{m}))(?:,?\s+{YEAR})?",
        rf"(?P<date2>(?:{m})\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d)(?:\s*[-–]\s*\d{{1,2}})?)(?:,?\s+{YEAR})?",
        rf"(?P<mym>{m})(?:,\s*|\s+of\s+|\s+)(?P<myy>{YEAR})(?![\d/-])",
        rf"(?P<mo>{m})",
        rf"(?P<rel>(?i:{rel}))",
        rf"(?P<yr>{YEAR})(?![\d/])(?!-\d)",
    ]
    master = "|".join(f"(?:{alt})" for alt in alternatives)
    # Words a period phrase can begin with (numbers are let through separately).
    starts = {k for k in lex.months} | set(lex.quarter_words) | set(lex.half_words) | set(lex.number_words)
    starts |= {p.split()[0] for p in lex.relative} | {"between", "the", "first", "q1", "q2", "q3", "q4", "h1", "h2"}
    starts |= {"my", "fy", "fiscal", "financial", "marketing", "crop", "this", "last", "next"}
    starts |= {first_word(p) for p in lex.phrases.get("to_date", []) + lex.phrases.get("whole_year", [])}
    # Words that make a bare year a reporting period: "in 2024", "for all of 2025", "2025 exports".
    year_lead = re.compile(
        r"(?i:\b(?:in|for|of|during|throughout|over|across|by|through)\s+(?:(?:all|the whole|the full|"
        r"the calendar|full|calendar)\s+(?:year\s+)?(?:of\s+)?)?|\b(?:full-year|full year|calendar|whole-year)\s+)$")
    year_tail = re.compile(r"(?i:\s*(?:,|as a whole|exports|imports|shipments|total|volumes?|figures|data|sales|purchases)\b)")
    master_re = re.compile(rf"(?<![\w]){master}(?![\w])")
    return {
        "master": master_re,
        "scan": GatedPattern(master_re, starts, digits=DIGIT_WORD, guards={"the": _after_the(lex)}),
        "year_lead": year_lead,
        "year_tail": year_tail,
        "comparison": re.compile(rf"(?<![\w])(?:{lex.comparison_alt})\s+(?:(?i:in|that of|the level of|levels of|the|those of|that in)\s+)?$"
                                 r"|(?i:\bthe\s+same\s+(?:period|month|quarter|time|point|months)\s+(?:of|in|last)\s+)$"),
    }


# Words with digits that can begin a period: a year, a day or a count of months, "FY25", "1st".
DIGIT_WORD = re.compile(r"(?:19|20)\d\d|\d{1,2}(?:st|nd|rd|th)?|(?:fy|my)\d{2,4}")


def _after_the(lex) -> re.Pattern:
    """What may follow 'the' in a period phrase ('the first half', 'the same month', ...)."""
    phrases = list(lex.relative) + lex.phrases.get("to_date", []) + lex.phrases.get("whole_year", [])
    words = {p.lower().split()[1] for p in phrases if p.lower().startswith("the ") and len(p.split()) > 1}
    words |= set(lex.quarter_words) | set(lex.half_words) | set(lex.number_words)
    words |= {"first", "current", "coming", "new", "last", "previous", "season", "marketing", "crop", "fiscal",
              "financial", "calendar"}
    return re.compile(r"\s+(?:\d|(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")(?![\w]))")


def _word_number(text: str, lex) -> int:
    return int(text) if text.isdigit() else lex.number_words[text.lower()]


def _year(text: Optional[str]) -> Optional[int]:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def _ref_from_match(match: re.Match, sentence: str, lex, pats) -> Optional[PeriodRef]:
    g = match.groupdict()
    month = lambda key: lex.months[g[key].lower().rstrip(".")]  # noqa: E731
    if g["bm1"] or g["rm1"]:
        p = "b" if g["bm1"] else "r"
        y1, y2 = _year(g[p + "y1"]), _year(g[p + "y2"])
        return PeriodRef("R", year=y1 or y2, a=month(p + "m1"), b=month(p + "m2"), end_year=y2 or y1)
    if g["fn"]:
        return PeriodRef("R", year=_year(g["fny"]), a=1, b=_word_number(g["fn"], lex))
    if g["nm"]:
        end = month("nmm")
        start = (end - _word_number(g["nm"], lex)) % 12 + 1
        return PeriodRef("R", year=_year(g["nmy"]), a=start, b=end)
    if g["qw"]:
        return PeriodRef("Q", year=_year(g["qwy"]), a=lex.quarter_words[g["qw"].lower()])
    if g["qn"]:
        return PeriodRef("Q", year=_year(g["qny"]), a=int(g["qn"]))
    if g["qp"]:
        return PeriodRef("Q", year=_year(g["qpy"]), a=int(g["qp"]))
    if g["hw"] or g["hn"]:
        first, last = lex.half_words[g["hw"].lower()] if g["hw"] else ((1, 6) if g["hn"] == "1" else (7, 12))
        return PeriodRef("R", year=_year(g["hwy"] or g["hny"]), a=first, b=last)
    if g["td"]:
        return PeriodRef("TD")
    if g["my"]:
        return PeriodRef("MY")
    if g["fy"]:
        return PeriodRef("FY")
    if g["date1"] or g["date2"]:
        return None  # a day: when something happened, not what period a figure covers
    if g["mym"]:
        return PeriodRef("M", year=int(g["myy"]), a=month("mym"))
    if g["mo"]:
        if g["mo"] == "May" and not _may_is_month(sentence, match):
            return None
        return PeriodRef("M", a=month("mo"))
    if g["rel"]:
        return PeriodRef("REL", rel=lex.relative[" ".join(g["rel"].lower().split())])
    if g["yr"]:
        before, after = sentence[max(0, match.start() - 40):match.start()], sentence[match.end():match.end() + 20]
        if pats["year_lead"].search(before) or pats["year_tail"].match(after) or pats["comparison"].search(before):
            return PeriodRef("Y", year=int(g["yr"]))
    return None


def _may_is_month(sentence: str, match: re.Match) -> bool:
    """'May' opening a sentence can be the modal verb; elsewhere it is capitalised only as a month."""
    before = sentence[:match.start()].rstrip()
    return bool(before) and not before.endswith((".", "!", "?", "\"", "“"))


def find_periods(sentence: str, lex, masked: list[tuple[int, int]], matches=None) -> list[PeriodMention]:
    """Period mentions in a sentence, skipping moments ("mid-December", "since April") and
    spans already read as a basis ("from a month earlier")."""
    pats = lex.period_patterns
    found = []
    for match in (pats["scan"].finditer(sentence) if matches is None else matches):
        if any(s <= match.start() < e for s, e in masked):
            continue
        ref = _ref_from_match(match, sentence, lex, pats)
        if ref is None:
            continue
        before = sentence[max(0, match.start() - 30):match.start()]
        if lex.date_prefix_re.search(before) and ref.kind != "R":
            continue
        comparison = ref.kind != "R" and bool(pats["comparison"].search(before))
        found.append(PeriodMention(match.start(), match.end(), ref, comparison))
    return found


# ---------------------------------------------------------------- resolution

def _latest_year_for(month: int, published: Optional[dt.date]) -> Optional[int]:
    """A month named without a year is the latest such month not after publication."""
    if published is None:
        return None
    return published.year if month <= published.month else published.year - 1


def parse_period(text: Optional[str]) -> Optional[PeriodRef]:
    """The inverse of `format_period`, for anchoring relative phrases on a resolved period."""
    if not text:
        return None
    if ".." in text:
        first, last = text.split("..")
        return PeriodRef("R", year=int(first[:4]), a=int(first[5:7]), b=int(last[5:7]), end_year=int(last[:4]))
    if "-Q" in text:
        return PeriodRef("Q", year=int(text[:4]), a=int(text[6]))
    if len(text) == 7:
        return PeriodRef("M", year=int(text[:4]), a=int(text[5:7]))
    return PeriodRef("Y", year=int(text[:4]))


def format_period(ref: PeriodRef) -> Optional[str]:
    if ref.year is None:
        return None
    if ref.kind == "M":
        return f"{ref.year:04d}-{ref.a:02d}"
    if ref.kind == "Q":
        return f"{ref.year:04d}-Q{ref.a}"
    if ref.kind == "Y":
        return f"{ref.year:04d}"
    if ref.kind == "R":
        end_year = ref.end_year or ref.year
        if ref.a > ref.b and end_year == ref.year:
            return f"{ref.year - 1:04d}-{ref.a:02d}..{end_year:04d}-{ref.b:02d}"
        if (ref.a, ref.b) == (1, 12) and end_year == ref.year:
            return f"{ref.year:04d}"
        if ref.a == ref.b and end_year == ref.year:
            return f"{ref.year:04d}-{ref.a:02d}"
        if end_year == ref.year and ref.b - ref.a == 2 and ref.a % 3 == 1:
            return f"{ref.year:04d}-Q{(ref.a + 2) // 3}"  # "the April-June quarter" is Q2
        return f"{ref.year:04d}-{ref.a:02d}..{end_year:04d}-{ref.b:02d}"
    return None


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _relative(rel: dict, published: Optional[dt.date], anchor: Optional[PeriodRef]) -> Optional[PeriodRef]:
    unit, offset = rel["unit"], rel["offset"]
    if rel["anchor"] == "published":
        if published is None:
            return None
        if unit == "month":
            y, m = _shift_month(published.year, published.month, offset)
            return PeriodRef("M", year=y, a=m)
        if unit == "quarter":
            index = published.year * 4 + (published.month - 1) // 3 + offset
            return PeriodRef("Q", year=index // 4, a=index % 4 + 1)
        return PeriodRef("Y", year=published.year + offset)
    if anchor is None or anchor.year is None:
        return None
    if unit == "same":  # "in the same month", "in the period": the period just spoken of
        return anchor
    if unit == "year":  # "a year earlier": the anchor's period, one year back
        return PeriodRef(anchor.kind, year=anchor.year + offset, a=anchor.a, b=anchor.b,
                         end_year=(anchor.end_year + offset) if anchor.end_year else None)
    if unit == "month" and anchor.kind == "M":
        y, m = _shift_month(anchor.year, anchor.a, offset)
        return PeriodRef("M", year=y, a=m)
    if unit == "quarter" and anchor.kind == "Q":
        index = anchor.year * 4 + anchor.a - 1 + offset
        return PeriodRef("Q", year=index // 4, a=index % 4 + 1)
    return None


def resolve(ref: PeriodRef, published: Optional[dt.date], anchor: Optional[str] = None) -> Optional[str]:
    """The period string of a written period; `anchor` is the period of the figure it refers back to."""
    anchor_ref = parse_period(anchor)
    if ref.kind == "REL":
        resolved = _relative(ref.rel, published, anchor_ref)
        return format_period(resolved) if resolved else None
    if ref.kind == "TD":
        return _to_date(published, anchor_ref)
    if ref.kind == "FY":
        return _whole_year(published, anchor_ref)
    if ref.kind == "MY":
        return None
    if ref.year is not None:
        return format_period(ref)
    year = _default_year(ref, published, anchor_ref)
    if year is None:
        return None
    return format_period(PeriodRef(ref.kind, year=year, a=ref.a, b=ref.b))


def _default_year(ref: PeriodRef, published: Optional[dt.date], anchor: Optional[PeriodRef]) -> Optional[int]:
    last_month = {"M": ref.a, "Q": (ref.a or 1) * 3, "R": ref.b}.get(ref.kind)
    if last_month is None:
        return None
    if published is not None:
        return _latest_year_for(min(last_month, 12), published)
    return anchor.year if anchor else None


def _whole_year(published: Optional[dt.date], anchor: Optional[PeriodRef]) -> Optional[str]:
    """'full-year shipments': the year of the figures around it, else of publication (in
    January or February, the year just ended)."""
    if anchor is not None and anchor.year is not None:
        return f"{anchor.end_year or anchor.year:04d}"
    if published is None:
        return None
    return f"{published.year - 1 if published.month <= 2 else published.year:04d}"


def _to_date(published: Optional[dt.date], anchor: Optional[PeriodRef]) -> Optional[str]:
    if anchor is not None and anchor.kind == "M":
        year, last = anchor.year, anchor.a
    elif published is not None:
        year, last = _shift_month(published.year, published.month, -1)
    else:
        return None
    return format_period(PeriodRef("R", year=year, a=1, b=last))


def basis_between(period: Optional[str], reference: Optional[str]) -> Optional[str]:
    """mom / yoy / other for a change of `period` measured against `reference`."""
    cur, ref = parse_period(period), parse_period(reference)
    if cur is None or ref is None:
        return None
    if cur.kind == ref.kind == "M":
        gap = (cur.year * 12 + cur.a) - (ref.year * 12 + ref.a)
        return "mom" if gap == 1 else "yoy" if gap == 12 else "other"
    if cur.kind == ref.kind and cur.a == ref.a and cur.b == ref.b and cur.year - ref.year == 1:
        return "yoy"
    return "other"
