"""Period phrases read from a sentence's tokens, and their resolution to one `Period`.

A phrase is first read as written (`Written`: "December", "the first seven months of this
year", "the 12 months to March 31", "fiscal 2019-20", "a year earlier") and then resolved
against what anchors it (`Anchors`): the publication date for "last month", the claim's own
period for "the prior month" and "the same month last year", the sentence's or paragraph's year
for a bare month, the article country's fiscal year for "2018-19". The words (month names,
relative phrases, seasons, prefixes) are in models/periods.jsonl; the grammar is here.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import Optional

from extractor.claims.lexicon import Lexicon
from extractor.claims.view import Hits, TokenView
from extractor.period import Period

YEAR_RE = re.compile(r"(?:19|20)\d\d")
SHORT_YEAR_RE = re.compile(r"\d\d")
# Token shapes the grammar tests often, compiled once ('Q3', 'q25', 'FY25', 'CY24', a day '18th').
QUARTER_TOKEN = re.compile(r"[QqHh][1-4]")
QUARTER_YEAR_TOKEN = re.compile(r"[qQhH]\d\d")
FISCAL_TOKEN = re.compile(r"(?i:fy|my)\d{2,4}")
CALENDAR_TOKEN = re.compile(r"(?i:cy)(?:\d{2}|\d{4})")
DAY_TOKEN = re.compile(r"\d{1,2}(?:st|nd|rd|th)?")
DAY_NUMBER = re.compile(r"\d{1,2}")
SEASON_MIDYEAR = 7  # months from July on, in an undated split-year season, lie in its first year
UNREPRESENTABLE = "unrepresentable"  # a marketing year with no stated months: the contract has no form for it


@dataclass(slots=True)
class Written:
    """A period as the text writes it, before resolution."""

    kind: str  # month range quarter year split_year season first_n n_to ytd since rel whole_year
    year: Optional[int] = None
    month: Optional[int] = None  # the month; a range's first month; a quarter; a count of months
    last: Optional[int] = None  # a range's last month; the month an n_to ends with
    end_year: Optional[int] = None
    rel: Optional[dict] = None  # the relative phrase's record
    season: Optional[dict] = None  # the season's record (first month), when one is named
    offset: Optional[int] = None  # "this year" 0, "last year" -1: the year of first_n / ytd / season
    relative_to_claim: bool = False  # rel anchored on the claim's own period
    back: bool = False  # "in the eight months": the months just spoken of, if they number so


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    written: Written
    comparison: bool = False  # after "from", "than", "compared with", "against", "over"


@dataclass(slots=True)
class Anchors:
    published: Optional[dt.date] = None
    claim: Optional[Period] = None  # the period a relative phrase is measured from
    year: Optional[int] = None  # the year the sentence or paragraph states
    fiscal_start: Optional[int] = None  # the article country's fiscal year, first month
    fiscal_named_by: Optional[str] = None  # "FY25" is the fiscal year starting ("start") or ending ("end") in 2025
    later: Optional[Period] = None  # a later period the sentence compares this one with
    data_month: Optional[Period] = None  # the latest month the data covers, when the sentence says
    ahead: bool = False  # a forecast: a bare month is the coming one
    season_start: Optional[int] = None  # the customary first month of the goods' season there (crop_seasons.jsonl)


def v_lower(view: TokenView, i: int) -> str:
    return view.lower[i] if 0 <= i < view.n else ""


def _year(text: str) -> Optional[int]:
    if YEAR_RE.fullmatch(text):
        return int(text)
    if SHORT_YEAR_RE.fullmatch(text):
        return 2000 + int(text)
    return None


# Words that can begin a period phrase besides the lexicon's ('2025', 'Q3', 'H1', '1q20', 'FY25', ...).
STARTER = re.compile(r"(?:19|20)\d\d|\d{1,2}|[qh][1-4]|[qh]\d\d|(?:fy|my)\d{0,4}|cy\d{2,4}|between|first|opening|initial|last|quarter|year")
# (and a number glued to a shorthand: '10M 2025', '9M25', '1H25', '3Q25'). The lookahead names the
# first characters of all these (a digit, or b c f h i l m o q y): it only spares the regex engine the
# other positions, so it must grow with STARTER.
STARTER_IN_TEXT = re.compile(rf"(?=[\dbcfhilmoqy])(?<![^\W\d_])(?:(?:{STARTER.pattern})(?![^\W_])|\d{{1,2}}(?=[mhq](?:\d\d){{0,2}}(?![^\W_])))",
                             re.IGNORECASE)
STARTER_REACH = 16  # more than the characters a match of STARTER_IN_TEXT and its lookarounds look at
STARTER_LABELS = ("MONTH", "REL_PERIOD", "TO_DATE", "WHOLE_YEAR", "SEASON", "QUARTER_WORD", "HALF_WORD", "NUMWORD")


class PeriodReader:
    def __init__(self, view: TokenView, hits: Hits, lex: Lexicon):
        self.view, self.hits, self.lex = view, hits, lex
        self._label_starts: Optional[list[int]] = None

    def starts(self, start: int, end: int) -> list[int]:
        """Tokens in [start, end) where a period phrase may begin. The pattern is searched in
        the sentence's own text only: most of a page is never read for periods."""
        v = self.view
        idx, text = v.idx, v.text
        # a match at character p begins token bisect_left(idx, p): tokens start..end-1 take the
        # matches at first..last
        first, last = (idx[start - 1] + 1 if start > 0 else 0), idx[end - 1]
        # A match is a run of word characters, so from just after a space the search finds what
        # a search of the whole text finds there; a match and its lookarounds span fewer than
        # STARTER_REACH characters, so it may stop that far after the last start.
        k = first
        while k > 0 and not text[k - 1].isspace():
            k -= 1
        found = set()
        for match in STARTER_IN_TEXT.finditer(text, k, last + STARTER_REACH):
            p = match.start()
            if p > last:
                break
            if p >= first:
                found.add(bisect_left(idx, p))
        labels = self._labelled_starts()
        found.update(labels[bisect_left(labels, start):bisect_left(labels, end)])
        return sorted(found)

    def _labelled_starts(self) -> list[int]:
        """Where the lexicon's period words begin, for the doc (merged once)."""
        if self._label_starts is None:
            found = set()
            for label in STARTER_LABELS:
                found.update(self.hits.by_label.get(label, ()))
            self._label_starts = sorted(found)
        return self._label_starts

    def read(self, start: int, end: int, figure_tokens: set[int] = frozenset()) -> list[Mention]:
        out: list[Mention] = []
        reach = start
        for i in self.starts(start, end):
            if i < reach:
                continue
            found = self._at(i, start, end, figure_tokens)
            if found is None:
                continue
            stop, written = found
            if written is not None:
                comparison = self._comparison(i, start) and not self._from_to_range(i, written, stop) \
                    and not (written.kind in ("range", "first_n", "ytd", "stated_months")
                             and "over" in (v_lower(self.view, i - 1), v_lower(self.view, i - 2)))
                out.append(Mention(i, stop, written, comparison))
            reach = max(stop, i + 1)
        if any(m.written.kind in ("season", "split_year") for m in out):
            out = SeasonGrammar(self.view, self.hits, self.lex).merge(out, start, end)
        return out

    # ------------------------------------------------------------------ the grammar
    def _at(self, i: int, start: int, end: int, figure_tokens) -> Optional[tuple[int, Optional[Written]]]:
        v, hits = self.view, self.hits
        word, low = v.words[i], v.lower[i]
        if i in figure_tokens:
            return None
        if low == "between":
            return self._between(i, end)
        if hits.at("MONTH", i):
            return self._month(i, start, end)
        if hits.at("REL_PERIOD", i):
            stop, rec = hits.at("REL_PERIOD", i)
            noun = v.lower[stop - 1]
            if rec["unit"] == "same" and noun in ("quarter", "year") and stop < end \
                    and v.lower[stop] in ("ended", "ending", "to", "through") \
                    and (self.hits.at("MONTH", stop + 1) or v.lower[stop + 1:stop + 3] == ["end", "-"]
                         or v.lower[stop + 1:stop + 4] == ["the", "end", "of"]):
                return self._ending_month(stop + 1, end, 3 if noun == "quarter" else 12)  # "the quarter ended March"
            if rec.get("season"):
                season = {"undated": True} if rec.get("undated") else {"fiscal": True}
                return stop, Written("season", offset=rec.get("offset", 0), season=season)
            if rec["unit"] == "year" and rec["anchor"] == "published" and stop + 1 < end and v.lower[stop] in ("'s", "’s") \
                    and (hits.at("QUARTER_WORD", stop + 1) or hits.at("HALF_WORD", stop + 1)):
                part = self._ordinal(stop + 1, end)
                if part is not None and part[1].year is None and part[1].offset is None:
                    return part[0], replace(part[1], offset=rec["offset"])  # "last year's first half"
            w = Written("rel", rel=rec, relative_to_claim=rec["anchor"] != "published")
            if rec["unit"] == "same" and stop + 1 < end and v.lower[stop] in ("in", "of", "last") \
                    and YEAR_RE.fullmatch(v.words[stop + 1]):
                w.year, stop = int(v.words[stop + 1]), stop + 2  # "the same month in 2024"
            elif rec["unit"] == "same" and stop + 1 < end and v.lower[stop] in ("in", "of"):
                k = stop + 2 if v.lower[stop + 1] == "the" else stop + 1
                season = self._season(k, end) if k < end and hits.at("SEASON", k) else None
                if season is not None and season[1] is not None and season[1].year is not None \
                        and (season[1].season or {}).get("start_month"):
                    # "the corresponding period of the oil year 2022-23": the same months, that season
                    stop, w.year, w.season = season[0], season[1].year, season[1].season
            return stop, w
        if hits.at("TO_DATE", i):
            stop = hits.at("TO_DATE", i)[0]
            until = self._until_month(stop, end)
            if until is not None:
                return until  # "from the beginning of the year to May 20": January to May
            return stop, Written("ytd", offset=0)
        if hits.at("WHOLE_YEAR", i):
            stop = hits.at("WHOLE_YEAR", i)[0]
            at = stop + 1 if stop + 1 < end and v.lower[stop] == "of" else stop  # "the entire year of 2023"
            year = _year(v.words[at]) if at < end and YEAR_RE.fullmatch(v.words[at]) else None
            if year:
                return at + 1, Written("year", year=year)
            return stop, Written("whole_year")
        if hits.at("SEASON", i):
            return self._season(i, end)
        if hits.at("QUARTER_WORD", i) or hits.at("HALF_WORD", i) or low == "last" or low in self.lex.word_class("first_words"):
            found = self._ordinal(i, end)
            if found:
                return found
        if YEAR_RE.fullmatch(word):
            return self._year_token(i, start, end)
        if v.is_number(i) or hits.at("NUMWORD", i):
            return self._count_of_months(i, end)
        if low in ("quarter", "year") and i + 1 < end and v.lower[i + 1] in ("ended", "ending", "to", "through") \
                and i > start and v.lower[i - 1] in ("the", "a"):
            return self._ending_month(i + 2, end, 3 if low == "quarter" else 12)  # "the quarter ended March"
        if low in ("quarter", "year") and i + 2 < end and v.lower[i + 1:i + 3] == ["up", "to"] \
                and i > start and v.lower[i - 1] in ("the", "a") and hits.at("MONTH", i + 3):
            return self._ending_month(i + 3, end, 3 if low == "quarter" else 12)  # "the year up to August"
        if QUARTER_TOKEN.fullmatch(word):
            return self._q_token(i, end)
        if QUARTER_YEAR_TOKEN.fullmatch(word) and i > 0 and v.glued(i) and re.fullmatch(r"[1-4]", v.words[i - 1]):
            n, y = int(v.words[i - 1]), 2000 + int(word[1:])
            return i + 1, (Written("quarter", year=y, month=n) if word[0] in "qQ" else Written("range", year=y, month=6 * n - 5, last=6 * n))
        if low in ("fy", "my") or FISCAL_TOKEN.fullmatch(word):
            return self._season(i, end)
        if CALENDAR_TOKEN.fullmatch(word):
            return i + 1, Written("year", year=_year(word[2:]))  # "CY24": the calendar year
        return None

    def _from_to_range(self, i: int, w: Written, stop: int) -> bool:
        """'from January to May', 'from Sept. 1 to 20': the 'from' opens the range, it does not compare."""
        if i == 0 or self.view.lower[i - 1] != "from":
            return False
        return w.kind == "range" or (w.kind == "month" and any(t in ("to", "-", "–", "through", "until")
                                                              for t in self.view.lower[i:stop]))

    def _comparison(self, i: int, start: int) -> bool:
        """After 'from', 'than (in)', 'compared with (the level of)', 'against', 'over'."""
        v, hits = self.view, self.hits
        rel = hits.at("REL_PERIOD", i)
        if rel and rel[1]["unit"] == "same" and i > start and v.lower[i - 1] in ("on", "over", "versus", "against"):
            # "up 2.1% on the same period of 2024"; but "fell 22% over the period": during it
            return not (v.lower[i - 1] == "over" and rel[1].get("during"))
        if i - 1 > start and v.lower[i - 1] == "on" and hits.ending_at("PERCENT", i - 1, within=3) \
                and (hits.at("MONTH", i) or YEAR_RE.fullmatch(v.words[i])):
            return True  # "fell by 36% on May 2019", "up 5pc on 2016": what the change is against
        if i - 2 > start and v.lower[i - 2:i] == ["on", "the"] and hits.ending_at("PERCENT", i - 2, within=3):
            return True  # "up 5% on the December quarter", "up 5% on the previous quarter"
        comparisons = hits.by_label.get("COMPARISON")
        if comparisons and any(j in comparisons and comparisons[j][0] > i for j in range(max(start, i - 4), i)):
            return True  # "than the same period last year": the match "than the" runs into the period
        k = i
        gap = self.lex.word_class("comparison_gap")
        for _ in range(5):
            found = hits.ending_at("COMPARISON", k, within=4)
            if found and v.lower[found[0]] == "over" and not self._change_before(found[0], start):
                return False  # "received 4.51 million tonnes of LNG over May": during May
            if found:
                return True  # (a qualifier cannot qualify a period: "over 2016" compares)
            if k > start and v.lower[k - 1] in gap:  # "than that recorded in", "from the volume seen in"
                k -= 1
            else:
                break
        verbs = self.lex.word_class("comparison_verbs")
        multiples = self.lex.word_class("multiple_words")
        for j in range(i - 1, max(start, i - 9) - 1, -1):
            if v.words[j] in (",", ";", ":") or v.is_number(j):
                break
            if v.lower[j] in verbs:
                return True  # "surpassing the total rice imports for the entire year of 2023"
            if v.lower[j] in multiples and v.lower[j] != "half":
                return True  # "roughly double its purchases of October 2024"
        return False

    def _change_before(self, k: int, start: int) -> bool:
        """A percentage or a change word shortly before token k ('up 5% over May')."""
        return any(self.hits.at("PERCENT", j) or self.hits.at("CHANGE", j) for j in range(max(start, k - 8), k))

    def _year_after(self, k: int, end: int) -> tuple[Optional[int], int]:
        """An optional year after token k: 'July 2024', 'July, 2024', 'July of 2024'."""
        v = self.view
        j = k
        if j < end and v.words[j] in (",", "of"):
            j += 1
        if j < end and YEAR_RE.fullmatch(v.words[j]) and not (j + 1 < end and v.words[j + 1] in ("-", "/") and v.glued(j + 1)
                                                             and j + 2 < end and re.fullmatch(r"\d\d", v.words[j + 2])):
            return int(v.words[j]), j + 1
        if j < end and v.words[j] in ("'", "’") and j + 1 < end and re.fullmatch(r"\d\d", v.words[j + 1]):
            return 2000 + int(v.words[j + 1]), j + 2
        return None, k

    def _month(self, i: int, start: int, end: int):
        v, hits = self.view, self.hits
        stop, month = hits.at("MONTH", i)
        if v.words[i] == "May" and self._modal_may(i, start):
            return stop, None
        prefix = self._date_prefix(i, start)
        year, after = self._year_after(stop, end)
        if stop < end and v.lower[stop] in ("quarter", "half") and i > start and v.lower[i - 1] in ("the", "a", "this", "last"):
            # "the September quarter", "the June half": the three or six months ending that month
            return stop + 1, Written("n_to", last=month, month=3 if v.lower[stop] == "quarter" else 6)
        # a day: "July 18", "18 July", "19 Aug 20": a moment, not a period
        if after == stop and stop < end and DAY_TOKEN.fullmatch(v.words[stop]) \
                and not (stop + 1 < end and (hits.at("UNIT", stop + 1) or hits.at("MULT", stop + 1) or hits.at("PERCENT", stop + 1))):
            day_end = stop + 1
            if day_end < end and v.lower[day_end] in ("st", "nd", "rd", "th"):
                day_end += 1
            if day_end + 1 < end and (v.words[day_end] in ("-", "–") or v.lower[day_end] in ("to", "through", "until")) \
                    and DAY_NUMBER.fullmatch(v.words[day_end + 1]) and int(v.words[day_end + 1]) <= 31 \
                    and not (day_end + 2 < end and (hits.at("UNIT", day_end + 2) or hits.at("MULT", day_end + 2))):
                # "from Sept. 1 to 20", "November 1-25": days of one month, read as that month
                y, after_days = self._year_after(day_end + 2, end)
                rel = hits.at("REL_PERIOD", after_days) if y is None and after_days < end else None
                if rel and rel[1]["unit"] == "year" and rel[1].get("offset") == -1 and prefix is None:
                    # "from March 1-20 a year ago", "March 1-20 last year": that month a year back
                    return rel[0], Written("month", month=month, offset=-1)
                return after_days, Written("month", year=y, month=month)
            if day_end + 1 < end and (v.words[day_end] in ("-", "–") or v.lower[day_end] in ("to", "through", "until", "and")) \
                    and hits.at("MONTH", day_end + 1):
                # "from January 1 to October 15", "between Jan. 1 and Oct. 15": the months they span
                other_stop, last = hits.at("MONTH", day_end + 1)
                k = other_stop + 1 if other_stop < end and v.words[other_stop] == "." else other_stop
                if k < end and DAY_TOKEN.fullmatch(v.words[k]) and last >= month:
                    y, after_days = self._year_after(k + 1, end)
                    return after_days, Written("range", year=y, month=month, last=last, end_year=y)
            y, after_day = self._year_after(day_end, end)
            if prefix is not None and prefix[1] in ("until", "to_end"):
                return after_day, Written("n_to", year=y, last=month, month=None)
            if prefix is not None and prefix[1] == "since" and re.match(r"1(?:st)?$", v.words[stop]):
                return after_day, Written("since", year=y, month=month)  # "since July 1": since July
            return after_day, None
        if i > start and DAY_NUMBER.fullmatch(v.words[i - 1]) and not hits.at("UNIT", i - 1):
            return after, None  # "18 July"
        # a range: "January-February", "April to July 2018", "January 2025 to March 2025"
        link = after
        if link < end and (v.words[link] in ("-", "–", "—", "/") or v.lower[link] in ("to", "through", "thru", "till", "until")):
            other = hits.at("MONTH", link + 1)
            if other and not (link + 2 < end and re.fullmatch(r"\d{1,2}", v.words[other[0]]) and not self._year_after(other[0], end)[0]):
                end_year, stop2 = self._year_after(other[0], end)
                start_year = year if year is not None else end_year
                if year is None and end_year is not None and other[1] < month:
                    start_year = end_year - 1
                w = Written("range", year=start_year, month=month, last=other[1], end_year=end_year)
                if end_year is None:
                    stop2 = self._range_year(w, stop2, end)
                return stop2, w
        if year is None and link + 1 < end and v.lower[link] == "and" and prefix is None:
            other = hits.at("MONTH", link + 1)
            if other and other[1] == month + 1 and "respectively" not in v.lower[other[0]:min(end, other[0] + 12)] \
                    and not (i > start and v.lower[i - 1] in ("between", ",")):
                # "in November and December", "in January and February of 2026": the two months together
                end_year, stop2 = self._year_after(other[0], end)
                return stop2, Written("range", year=end_year, month=month, last=other[1], end_year=end_year)
        if year is None:
            rel = hits.at("REL_PERIOD", after) or (after < end and v.lower[after] == "of" and hits.at("REL_PERIOD", after + 1))
            if rel and rel[1]["unit"] == "year" and rel[1]["anchor"] == "published":
                # "October last year", "in May of this year"
                w = Written("month", month=month, offset=rel[1]["offset"])
                return rel[0], w
            if rel and rel[1]["unit"] == "year" and rel[1]["anchor"] == "previous" and after < end and v.lower[after] == "of":
                # "9% less than July of the previous year": the year before the claim's
                return rel[0], Written("month", month=month, offset=rel[1]["offset"], relative_to_claim=True)
        if prefix is not None:
            kind = prefix[1]
            if kind == "since":
                return after, Written("since", year=year, month=month)
            if kind == "to_end":
                return after, Written("n_to", year=year, last=month)
            return after, None  # "mid-December", "late October": a moment
        ytd = hits.at("TO_DATE", after) if after < end else None
        if ytd is not None and prefix is None:
            return ytd[0], Written("range", year=year, month=1, last=month, end_year=year)  # "May YTD": January to May
        return after, Written("month", year=year, month=month)

    def _until_month(self, k: int, end: int) -> Optional[tuple[int, Written]]:
        """'... to May 20', '... through March': the month a run from the year's start ends with."""
        v, hits = self.view, self.hits
        if k + 1 >= end or v.lower[k] not in ("to", "through", "till", "until") or not hits.at("MONTH", k + 1):
            return None
        stop, month = hits.at("MONTH", k + 1)
        if stop < end and DAY_TOKEN.fullmatch(v.words[stop]):
            stop += 1  # the day the data run to
        year, stop = self._year_after(stop, end)
        return stop, Written("range", year=year, month=1, last=month, end_year=year)

    def _modal_may(self, i: int, start: int) -> bool:
        """'May' opening a sentence can be the modal verb: 'May exports rose' reads the month."""
        v = self.view
        if i != start and v.words[i - 1] not in ("\"", "“", "(", ":"):
            return False
        nxt = i + 1
        return nxt < v.n and v.words[nxt][:1].islower() and not self.hits.at("FLOW", nxt) \
            and not self.hits.at("COMMODITY", nxt) and v.lower[nxt] not in ("shipments", "volume", "volumes")

    def _date_prefix(self, i: int, start: int) -> Optional[tuple[int, str]]:
        """'mid-December', 'since October', 'by the end of October': (start, kind) of the prefix."""
        hits, v = self.hits, self.view
        found = hits.ending_at("DATE_PREFIX", i, within=5, longest=True)  # "mid-December" (the hyphen in the phrase)
        if found is None and i > start and v.words[i - 1] == "-" and v.glued(i):
            found = hits.ending_at("DATE_PREFIX", i - 1, within=5, longest=True)  # "mid -December"
        if found and hits.covering("REL_PERIOD", found[0]):
            return None  # "jumped 18% from a year earlier in November": the 'earlier' is the basis's
        if found and v.lower[found[0]] == "on" and found[0] > start and hits.ending_at("PERCENT", found[0], within=3):
            return None  # "fell by 36% on May 2019": the month compared, not a moment
        if found:
            return found[0], found[1] if isinstance(found[1], str) else "moment"
        return None

    def _between(self, i: int, end: int):
        hits = self.hits
        first = hits.at("MONTH", i + 1)
        if not first:
            return None
        y1, k = self._year_after(first[0], end)
        if k < end and self.view.lower[k] == "and" and hits.at("MONTH", k + 1):
            stop, m2 = hits.at("MONTH", k + 1)
            y2, stop = self._year_after(stop, end)
            start_year = y1 if y1 is not None else (y2 - 1 if y2 is not None and m2 < first[1] else y2)
            w = Written("range", year=start_year, month=first[1], last=m2, end_year=y2)
            if y2 is None:
                stop = self._range_year(w, stop, end)
            return stop, w
        return None

    def _range_year(self, w: Written, k: int, end: int) -> int:
        """'the January-July period this year', 'January-May last year', 'between January and
        August of this year': the year a range without one is dated by (set on w)."""
        v, hits = self.view, self.hits
        if k < end and v.lower[k] == "period":
            k += 1
        j = k + 1 if k < end and v.lower[k] in ("of", ",") else k  # "July-October, 2024-25"
        split = self._split_years_at(j, end)
        if split is not None:
            first, second, stop = split
            if w.month > w.last:
                w.year, w.end_year = first, second  # "July-March 2025-26"
            elif w.month >= 7 or w.last <= 3:
                w.year = w.end_year = first if w.month >= 7 else second  # "January-March 2025-26": 2026
            return stop
        rel = hits.at("REL_PERIOD", j)
        if rel and rel[1]["unit"] == "year" and rel[1]["anchor"] == "published":
            w.offset = rel[1]["offset"]
            return rel[0]
        if j < end and j > k and v.lower[j - 1] in ("of", ",") and YEAR_RE.fullmatch(v.words[j]) \
                and not (j + 1 < end and v.words[j + 1] in ("-", "/")):
            w.year = w.end_year = int(v.words[j])  # "the January-October period of 2025"
            return j + 1
        return k

    def _split_years_at(self, j: int, end: int) -> Optional[tuple[int, int, int]]:
        """'2025-26', '2025/2026' at token j: the two years and the token after them."""
        v = self.view
        if j + 2 >= end or not YEAR_RE.fullmatch(v.words[j]) or v.words[j + 1] not in ("-", "/", "–"):
            return None
        tail = v.words[j + 2]
        if not re.fullmatch(r"\d{2}|\d{4}", tail):
            return None
        first = int(v.words[j])
        second = int(tail) if len(tail) == 4 else first // 100 * 100 + int(tail)
        return (first, second, j + 3) if second == first + 1 else None

    def _of_year(self, k: int, end: int) -> tuple[int, dict]:
        """What follows 'the first half', 'the first seven months': 'of 2025', 'of this year',
        'of the year', 'this year', 'of the current fiscal', 'of the oil year 2023-24'."""
        v, hits = self.view, self.hits
        out: dict = {}
        j = k
        if j < end and v.lower[j] in ("of", "in"):
            j += 1
        if j < end and v.lower[j] == "the" and j + 1 < end and (v.lower[j + 1] in ("year", "current", "last", "previous", "this")
                                                               or hits.at("SEASON", j + 1)):
            j += 1  # "of the year", "of the current fiscal", "of the oil year 2023-24"
        if j < end and v.lower[j] == "year":
            return j + 1, {"offset": None}
        if j < end and YEAR_RE.fullmatch(v.words[j]):
            nxt = j + 1
            if nxt + 1 < end and v.words[nxt] in ("-", "/") and re.fullmatch(r"\d{2}|\d{4}", v.words[nxt + 1]):
                return nxt + 2, {"split": (int(v.words[j]), v.words[nxt + 1])}
            return nxt, {"year": int(v.words[j])}
        rel = hits.at("REL_PERIOD", j)
        if rel and rel[1]["unit"] == "year" and rel[1]["anchor"] == "published":
            return rel[0], {"offset": rel[1]["offset"]}
        if rel and rel[1].get("season"):
            return rel[0], {"season_offset": rel[1].get("offset", 0)}
        season = hits.at("SEASON", j)
        if season or (j < end and re.fullmatch(r"(?i:fy)\d{2,4}", v.words[j])):
            stop, written = self._season(j, end)  # "of the oil year 2023-24", "of FY26"
            return stop, {"season": written}
        if j < end and v.lower[j] in ("current", "last", "previous", "this") and j + 1 < end and hits.at("SEASON", j + 1):
            stop, written = self._season(j + 1, end)
            written.offset = 0 if v.lower[j] in ("current", "this") else -1
            return stop, {"season": written}
        return k, out

    def _ordinal(self, i: int, end: int):
        """'the first quarter', 'third-quarter', 'the second half of 2025', 'the first three quarters'."""
        v, hits = self.view, self.hits
        k = hits.at("QUARTER_WORD", i)[0] if hits.at("QUARTER_WORD", i) else (hits.at("HALF_WORD", i) or (i + 1,))[0]
        if k < end and v.words[k] == "-":
            k += 1
        if k >= end:
            return None
        noun = v.lower[k]
        if noun in ("quarter", "half") and (hits.at("QUARTER_WORD", i) if noun == "quarter" else hits.at("HALF_WORD", i)):
            stop, of = self._of_year(k + 1, end)
            months = self._bracketed_months(stop, end)
            if noun == "quarter":
                q = hits.at("QUARTER_WORD", i)[1]
                w = Written("quarter", month=q)
            else:
                a, b = hits.at("HALF_WORD", i)[1]
                w = Written("range", month=a, last=b)
            stop, w = self._apply_of(w, of, stop, months)
            if w.kind == "range" and ((w.season or {}).get("fiscal") or (w.season or {}).get("start_month")) and not months:
                w = replace(w, season=dict(w.season, part=True))  # "the first half of fiscal 2025"
            return stop, w
        # "the first three quarters", "the first seven months", "the first 4 months (April-July) of 2018-19"
        if v.lower[i] in self.lex.word_class("first_words") and k < end:
            count = self._count(k)
            if count is not None:
                n, j = count
                if j < end and v.lower[j] in ("months", "quarters"):
                    months_n = n * (3 if v.lower[j] == "quarters" else 1)
                    months = self._bracketed_months(j + 1, end)
                    stop, of = self._of_year(months[0] if months else j + 1, end)
                    return self._apply_of(Written("first_n", month=months_n), of, stop, months)
        return None

    def _bracketed_months(self, k: int, end: int):
        """'(April-July)', '(May-July)', '(November-October)' after a period: its months stated."""
        v, hits = self.view, self.hits
        if k < end and v.words[k] == "(":
            first = hits.at("MONTH", k + 1)
            if first and first[0] + 1 < end and v.words[first[0]] in ("-", "–", "to") and hits.at("MONTH", first[0] + 1):
                stop, last = hits.at("MONTH", first[0] + 1)
                if stop < end and v.words[stop] == ")":
                    return stop + 1, first[1], last
        return None

    def _apply_of(self, w: Written, of: dict, stop: int, months) -> tuple[int, Written]:
        if "year" in of:
            w.year = of["year"]
        if "offset" in of and of["offset"] is not None:
            w.offset = of["offset"]
        if "season" in of:
            w.season = of["season"].season or {"start_month": None}
            w.year, w.end_year = of["season"].year, of["season"].end_year
            w.offset = of["season"].offset
            if w.season.get("start_month") is None and of["season"].kind == "split_year":
                w.season = {"fiscal": True}
        if "season_offset" in of:
            w.season, w.offset = {"fiscal": True}, of["season_offset"]
        if "split" in of:
            y, tail = of["split"]
            w.season, w.year = {"fiscal": True}, y
            w.end_year = int(tail) if len(tail) == 4 else (y // 100) * 100 + int(tail)
        if months:
            stop = max(stop, months[0])
            w = Written("range", year=w.year, month=months[1], last=months[2], season=w.season,
                        offset=w.offset, end_year=w.end_year)
            w.kind = "stated_months"
        return stop, w

    def _count(self, k: int) -> Optional[tuple[int, int]]:
        v, hits = self.view, self.hits
        if re.fullmatch(r"\d{1,2}", v.words[k]):
            return int(v.words[k]), k + 1
        word = hits.at("NUMWORD", k)
        if word and isinstance(word[1], (int, float)) and float(word[1]).is_integer():
            return int(word[1]), word[0]
        return None

    def _shorthand(self, i: int, end: int):
        """Trade-press shorthand glued to a number: '10M 2025' / '9M25' (the first months), '1H25' /
        '2H 2024' (a half), '3Q25' / '1Q2024' (a quarter)."""
        v = self.view
        j = i + 1
        if not (v.is_number(i) and j < end and v.glued(j)):
            return None
        m = re.fullmatch(r"([mMhHqQ])(\d\d(?:\d\d)?)?", v.words[j])  # '3Q25', '1Q2024'
        if m is None:
            return None
        n, letter, year, stop = int(v.words[i]), m.group(1).lower(), m.group(2), j + 1
        if year is not None:
            year = int(year) if len(year) == 4 else 2000 + int(year)
        elif stop < end and YEAR_RE.fullmatch(v.words[stop]):
            year, stop = int(v.words[stop]), stop + 1
        if letter == "m" and 1 <= n <= 12 and (year is not None or (stop < end and not self.hits.at("UNIT", stop))):
            if year is None and (stop < end and (self.hits.at("UNIT", stop) or self.hits.at("MULT", stop))):
                return None  # "10M tonnes" is a number
            return stop, Written("first_n", month=n, year=year)
        if letter == "h" and n in (1, 2):
            return stop, Written("range", year=year, month=6 * n - 5, last=6 * n)
        if letter == "q" and 1 <= n <= 4:
            return stop, Written("quarter", year=year, month=n)
        return None

    def _count_of_months(self, i: int, end: int):
        """'the 12 months to March 31', 'the 11 months to November', 'ten-month volume'."""
        v = self.view
        shorthand = self._shorthand(i, end)
        if shorthand is not None:
            return shorthand
        count = self._count(i)
        if count is None:
            return None
        n, j = count
        if j + 1 < end and v.words[j] == "-" and v.lower[j + 1] == "month":
            if j + 2 < end and v.lower[j + 2] in self.lex.word_class("extremes"):
                return None  # "a five-month high": how far back the figure is the highest
            return j + 2, Written("first_n", month=n)
        if j < end and v.lower[j] == "months" and j + 1 < end and v.lower[j + 1] in ("to", "through", "ended", "ending", "until", "till") \
                and self.hits.at("MONTH", j + 2 if v.lower[j + 2:j + 3] != ["in"] else j + 3):
            return self._ending_month(j + 2, end, n)
        if j < end and v.lower[j] == "months" and i > 0 and 2 <= n <= 11 and (
                v.lower[i - 1] == "the" or (v.lower[i - 1] in ("in", "for", "over") and self._stated_after(j + 1, end))):
            # "in the 11 months to nearly 8.5 million tons", "in nine months was 6,9 million tonnes"
            return j + 1, Written("first_n", month=n, back=True)
        return None

    def _stated_after(self, k: int, end: int) -> bool:
        """'in nine months was 6,9 million tonnes', 'in nine months made 74,6 million tonnes': the
        months the figure then stated covers (not 'the highest in four months')."""
        return k < end and self.view.lower[k] in self.lex.word_class("months_verbs")

    def _ending_month(self, k: int, end: int, n: int):
        v, hits = self.view, self.hits
        if k < end and v.lower[k] == "in":
            k += 1
        if k + 2 < end and v.lower[k] == "end" and v.words[k + 1] == "-":
            k += 2  # "the year to end-June"
        elif k + 3 < end and v.lower[k:k + 3] == ["the", "end", "of"]:
            k += 3  # "the year to the end of June"
        elif k + 1 < end and re.fullmatch(r"\d{1,2}", v.words[k]) and hits.at("MONTH", k + 1):
            k += 1  # "the year to 31 March 2024": the day before the month
        month = hits.at("MONTH", k)
        if not month:
            return None
        stop = month[0]
        if stop < end and re.fullmatch(r"\d{1,2}", v.words[stop]):
            stop += 1
        year, stop = self._year_after(stop, end)
        return stop, Written("n_to", year=year, last=month[1], month=n)

    def _year_token(self, i: int, start: int, end: int):
        v, hits = self.view, self.hits
        year = int(v.words[i])
        nxt = i + 1
        # "2018-19", "2025/26", "2019-2020": a fiscal, oil or marketing year
        if nxt + 1 < end + 1 and nxt < v.n and v.words[nxt] in ("-", "/", "–") and v.glued(nxt) and nxt + 1 < v.n \
                and re.fullmatch(r"\d{2}|\d{4}", v.words[nxt + 1]) and v.glued(nxt + 1):
            tail = v.words[nxt + 1]
            end_year = int(tail) if len(tail) == 4 else (year // 100) * 100 + int(tail)
            if end_year == year + 1:
                stop = nxt + 2
                season = hits.at("SEASON", stop)
                if season:
                    return season[0], Written("season", year=year, end_year=end_year, season=season[1])
                return stop, Written("split_year", year=year, end_year=end_year)
            if len(tail) == 2 and re.fullmatch(r"\d\d", tail) and nxt + 2 < v.n and v.words[nxt + 2] in ("-", "/"):
                return nxt + 4, None  # an ISO date 2026-01-08
            return nxt + 2, None
        if nxt < v.n and v.words[nxt] == "-" and v.glued(nxt) and nxt + 1 < v.n and re.fullmatch(r"[Qq][1-4]", v.words[nxt + 1]):
            return nxt + 2, Written("quarter", year=year, month=int(v.words[nxt + 1][1]))
        if nxt < v.n and re.fullmatch(r"[Qq][1-4]", v.words[nxt]):
            return nxt + 1, Written("quarter", year=year, month=int(v.words[nxt][1]))
        season = hits.at("SEASON", nxt) if nxt < end else None
        if season and season[1].get("fiscal"):
            return season[0], Written("season", year=year, season=dict(season[1], single=True))  # "the 2023 fiscal year"
        if i - 3 >= start and " ".join(v.lower[i - 3:i]) in self.lex.word_class("year_to_date_leads"):
            return nxt, Written("ytd", year=year, offset=0)  # "has exported 310,000 tonnes so far in 2024"
        if self._year_is_period(i, start, end):
            return nxt, Written("year", year=year)
        return nxt, None

    def _year_is_period(self, i: int, start: int, end: int) -> bool:
        """A bare year is a reporting period after 'in', 'for', 'of', 'during', 'over', 'than',
        'from', before 'exports', 'imports', ... or heading a line ('2024 iron ore imports')."""
        v, hits = self.view, self.hits
        if i > start and hits.ending_at("DATE_PREFIX", i, within=4):
            return False
        if i == start:
            return True
        before = v.lower[i - 1]
        if hits.ending_at("YEAR_LEAD", i, within=6):
            return True
        if before == "to" and i > start + 1 and hits.at("FLOW", i - 2):
            return True  # "China's rare earth exports to 2025" (reworded copy)
        if hits.ending_at("COMPARISON", i, within=3):
            return True
        j = i + 1
        if j < end and (v.lower[j] in self.lex.word_class("year_tail") or hits.at("FLOW", j) or hits.at("COMMODITY", j)):
            return True
        return False

    def _q_token(self, i: int, end: int):
        v = self.view
        word = v.words[i]
        n = int(word[1])
        year, stop = None, i + 1
        if stop < end and YEAR_RE.fullmatch(v.words[stop]):
            year, stop = int(v.words[stop]), stop + 1
        elif stop + 1 < end and v.words[stop] in ("'", "’", "-", "/") and re.fullmatch(r"\d\d", v.words[stop + 1]):
            year, stop = 2000 + int(v.words[stop + 1]), stop + 2
        if word[0] in "Qq":
            w = Written("quarter", year=year, month=n)
        elif n > 2:
            return None
        else:
            w = Written("range", year=year, month=6 * n - 5, last=6 * n)
        if year is None and stop < end and (self.hits.at("SEASON", stop) or re.fullmatch(r"(?i:fy)\d{2,4}", v.words[stop])):
            after, season = self._season(stop, end)  # "Q2 FY26", "H1 fiscal 2025": a part of the fiscal year
            if (season.season or {}).get("fiscal") or (season.season or {}).get("start_month"):
                return after, self._part_of_season(w, season)
        return stop, w

    @staticmethod
    def _part_of_season(w: Written, season: Written) -> Written:
        """A quarter or half counted from the first month of a season ('the first half of fiscal
        2025' is April to September in Japan)."""
        return replace(w, year=season.year, end_year=season.end_year, offset=season.offset,
                       season=dict(season.season or {}, part=True))

    def _season(self, i: int, end: int):
        """'fiscal 2019-2020', 'FY2025', 'the oil year 2023-24', 'marketing year beginning November'."""
        v, hits = self.view, self.hits
        found = hits.at("SEASON", i)
        rec: dict = found[1] if found else {"fiscal": True}
        k = found[0] if found else i + 1
        word = v.words[i]
        if not found and re.fullmatch(r"(?i:fy|my)\d{2,4}", word):
            # "FY2025": dated by the country's convention; "MY25": a season the text does not date
            digits = word[2:]
            year = _year(digits) if len(digits) in (2, 4) else None
            if word[:2].lower() == "fy" and year is not None:
                if i + 2 < end and v.words[i + 1] in ("-", "/", "–") and re.fullmatch(r"\d{2}|\d{4}", v.words[i + 2]):
                    tail = v.words[i + 2]  # "FY2024-25": the years it spans
                    end_year = int(tail) if len(tail) == 4 else (year // 100) * 100 + int(tail)
                    if end_year == year + 1:
                        return i + 3, Written("season", year=year, end_year=end_year, season={"fiscal": True})
                return i + 1, Written("season", year=year, season={"fiscal": True, "single": True})
            return i + 1, Written("season", season={"undated": True})
        # "beginning November", "starting in October": the text states the first month
        j = k
        if j < end and v.lower[j] in ("beginning", "starting", "begins", "starts", "which", "that"):
            j2 = j + 1
            while j2 < min(end, j + 4) and not hits.at("MONTH", j2):
                j2 += 1
            month = hits.at("MONTH", j2)
            if month:
                rec = dict(rec, start_month=month[1])
                j = month[0]
        year, stop = None, j
        if j + 1 < end and v.lower[j] == "of" and YEAR_RE.fullmatch(v.words[j + 1]):
            j += 1  # "the agricultural year of 2022-2023"
        if j < end and YEAR_RE.fullmatch(v.words[j]):
            year = int(v.words[j])
            stop = j + 1
            if stop + 1 < end and v.words[stop] in ("-", "/", "–") and re.fullmatch(r"\d{2}|\d{4}", v.words[stop + 1]):
                tail = v.words[stop + 1]
                end_year = int(tail) if len(tail) == 4 else (year // 100) * 100 + int(tail)
                return stop + 2, Written("season", year=year, end_year=end_year, season=rec)
            # "fiscal 2025": Japan names its fiscal years by the first, India by the last
            if rec.get("fiscal"):
                return stop, Written("season", year=year, season=dict(rec, single=True))
            return stop, Written("season", season=dict(rec, undated=True))
        return stop, Written("season", offset=None, season=rec)


class SeasonGrammar:
    """What the text says of a season around its mention: its first month ('the 2025/26
    season, which began on July 1', 'the 2024/25 crop year, which ends in September', 'the
    2025/26 July-June season'), the months counted ('the first five months of the 2025/26 crop
    year') and how far the figure runs ('since the 2025-26 season began', 'so far this season',
    'by Nov. 7', 'as of Oct. 6'). The month phrases it reads are folded into the season."""

    def __init__(self, view: TokenView, hits: Hits, lex: Lexicon):
        self.view, self.hits, self.lex = view, hits, lex

    def merge(self, mentions: list[Mention], start: int, end: int) -> list[Mention]:
        out = list(mentions)
        for m in list(out):
            if m not in out:
                continue
            w = m.written
            if w.kind == "split_year":
                self._split_year_season(m, out, end)
            if m.written.kind != "season":
                continue
            self._range_before(m, out)
            self._first_month(m, out, end)
            if self._months_of(m, out) or self._counted_months(m, out):
                continue
            self._to_date(m, out, start, end)
        self._split_years_of_season(out)
        return out

    @staticmethod
    def _split_years_of_season(out: list[Mention]) -> None:
        """'for the full 2024-25 oil year ..., compared with 159.6 lakh tonnes in 2023-24': a bare
        split year beside a season whose first month is known is a year of that season."""
        dated = [m.written.season for m in out if m.written.kind == "season" and (m.written.season or {}).get("start_month")]
        if not dated or len({season["start_month"] for season in dated}) != 1:
            return
        season = {k: v for k, v in dated[0].items() if k != "to_date"}
        for m in out:
            if m.written.kind == "split_year" and m.written.year is not None and m.written.end_year is not None:
                m.written = Written("season", year=m.written.year, end_year=m.written.end_year, season=dict(season))

    def _absorb(self, out: list[Mention], first: int, last: int, keep: Mention) -> None:
        out[:] = [o for o in out if o is keep or not (first <= o.start < last)]

    def _split_year_season(self, m: Mention, out: list[Mention], end: int) -> None:
        """'the 2025/26 July-June season': a split year, its months, then the season word."""
        v, hits = self.view, self.hits
        first = hits.at("MONTH", m.end)
        if not first:
            return
        k = first[0]
        if k < end and (v.words[k] in ("-", "–", "/") or v.lower[k] in ("to", "through")) and hits.at("MONTH", k + 1):
            k = hits.at("MONTH", k + 1)[0]
        season = hits.at("SEASON", k)
        if not season or season[1].get("fiscal"):
            return
        m.written = Written("season", year=m.written.year, end_year=m.written.end_year,
                            season=dict(season[1], start_month=first[1]))
        self._absorb(out, m.end, season[0], m)
        m.end = season[0]

    def _range_before(self, m: Mention, out: list[Mention]) -> None:
        """'the July-June 2025/26 season': the months stated just before the season."""
        n = out.index(m)
        prev = out[n - 1] if n > 0 else None
        if prev is None or prev.written.kind != "range" or prev.written.year is not None or m.start - prev.end > 1:
            return
        if (m.written.season or {}).get("fiscal") or (m.written.season or {}).get("start_month"):
            return
        m.written.season = dict(m.written.season or {}, start_month=prev.written.month)
        m.written.season.pop("undated", None)
        out.remove(prev)
        m.start = prev.start

    def _first_month(self, m: Mention, out: list[Mention], end: int) -> None:
        """', which began on July 1', 'that started in July', ', which runs from July to June',
        ', which ends in September', '(November-May)', a fiscal year 'ending March': the season's
        months as the text states them."""
        v, hits = self.view, self.hits
        season = m.written.season or {}
        gap, ending = self.lex.word_class("season_gap"), self.lex.word_class("season_end_words")
        if season.get("fiscal") and not (m.end < end and v.lower[m.end] in ending):
            return  # a fiscal year's months are the country's, unless the text says where it ends
        k, ends, saw_verb = m.end, False, False
        while k < min(end, m.end + 7) and not hits.at("MONTH", k):
            low = v.lower[k]
            if low not in gap and low not in ending:
                return
            ends = ends or low in ending
            saw_verb = saw_verb or low not in (",", "(", "which", "that", "on", "in", "from", "is", "was")
            k += 1
        month = hits.at("MONTH", k)
        opening = any(w in self.lex.word_class("season_opening") for w in v.lower[max(0, m.start - 3):m.start])
        if not month or (not saw_verb and v.words[m.end] != "(" and not opening):
            return
        stop = month[0]
        if stop < end and re.fullmatch(r"\d{1,2}", v.words[stop]):
            stop += 1  # "July 1"
        if stop + 1 < end and v.words[stop] in (",", "of") and YEAR_RE.fullmatch(v.words[stop + 1]) \
                and m.written.year is None and not ends:
            # "the previous crop season (July 1, 2023 - June 30, 2024)": the season's first year
            m.written.year = int(v.words[stop + 1])
            m.written.end_year = m.written.year + (1 if month[1] > 1 else 0)
            m.written.offset = None
            stop += 2
        elif stop < end and YEAR_RE.fullmatch(v.words[stop]) and m.written.year is None and not ends:
            m.written.year = int(v.words[stop])  # "which stretches from October 2024 to ..."
            m.written.end_year = m.written.year + (1 if month[1] > 1 else 0)
            m.written.offset = None
            stop += 1
        if stop < end and (v.words[stop] in ("-", "–") or v.lower[stop] in ("to", "through")) and hits.at("MONTH", stop + 1):
            stop = hits.at("MONTH", stop + 1)[0]  # "from July to June", "(November-May)"
        if stop < end and v.words[stop] == ")":
            stop += 1
        if ends and stop < end and YEAR_RE.fullmatch(v.words[stop]) and m.written.year is None:
            m.written.end_year = int(v.words[stop])  # "the fiscal year ended June 2024"
            m.written.season = dict(season, single=False)
            stop += 1
        first = month[1] % 12 + 1 if ends else month[1]
        if not season.get("start_month"):
            m.written.season = dict(season, start_month=first)
        m.written.season.pop("undated", None)
        self._absorb(out, m.end, stop, m)

    def _months_of(self, m: Mention, out: list[Mention]) -> bool:
        """'September-December of the 2025/26 marketing year', 'April-October of the current
        fiscal year': months placed in the season named after them."""
        n = out.index(m)
        prev = out[n - 1] if n > 0 else None
        if prev is None or prev.written.kind != "range" or prev.written.year is not None:
            return False
        between = self.view.lower[prev.end:m.start]
        if not set(between) <= {"of", "the", "in", "during", "period"} or len(between) > 3 or "of" not in between + ["in"]:
            return False
        prev.written.season = {"written": m.written}
        out.remove(m)
        prev.end = m.end
        return True

    def _counted_months(self, m: Mention, out: list[Mention]) -> bool:
        """'the first five months of the 2025/26 crop year': the count runs from the season's start."""
        n = out.index(m)
        prev = out[n - 1] if n > 0 else None
        if prev is None or prev.written.kind != "first_n" or prev.written.season is not None:
            return False
        between = self.view.lower[prev.end:m.start]
        if not set(between) <= {"of", "the", "in", "this", "current"} or len(between) > 3:
            return False
        prev.written.season, prev.written.year = m.written.season, m.written.year
        prev.written.end_year, prev.written.offset = m.written.end_year, m.written.offset
        out.remove(m)
        prev.end = m.end
        return True

    def _cut_off_at(self, j: int) -> bool:
        """A month after a cut-off word ('by', 'till', 'as of'): the month a season-to-date figure runs to."""
        v = self.view
        words = self.lex.word_class("season_cutoff")
        return bool(self.hits.at("MONTH", j)) and j > 0 and (
            v.lower[j - 1] in words or (j > 1 and " ".join(v.lower[j - 2:j]) in words))

    def _to_date(self, m: Mention, out: list[Mention], start: int, end: int) -> None:
        """'since the 2025-26 season began', 'so far this season', 'by Nov. 7', 'as of Oct. 6',
        'through November 13': the season up to a month."""
        v, hits = self.view, self.hits
        season = m.written.season or {}
        if not season.get("start_month") and not season.get("fiscal"):
            return
        since = self.lex.word_class("season_since")
        opened = any(v.lower[j] in since for j in range(max(start, m.start - 5), m.start)) \
            or " ".join(v.lower[m.end:min(end, m.end + 2)]) in since  # "this fiscal so far"
        # "till March 9 of the ongoing 2022-23 marketing year", else "... by Nov. 7" after it
        before = (j for j in range(max(start + 1, m.start - 7), m.start)
                  if "of" in v.lower[j:m.start] or (hits.at("MONTH", j) or (None,))[0] == m.start)  # "till February FY25"
        after = (j for j in range(m.end, next((k for k in range(m.end, end) if v.words[k] == ";"), end)))
        cutoff = next(((j, hits.at("MONTH", j)) for j in (*before, *after) if self._cut_off_at(j)), None)
        if cutoff is None and not opened:
            return
        if cutoff is not None:
            j, (stop, month) = cutoff
            day = stop + 1 if stop < end and v.words[stop] == "." else stop
            if day < end and v.lower[day] in ("1", "1st"):
                month = 12 if month == 1 else month - 1  # "as of December 1": the months before it
            m.written.last = month
            self._absorb(out, j, stop + 1, m)
        m.written.season = dict(season, to_date=True)


# ---------------------------------------------------------------------------- resolution

def _latest(month: int, published: dt.date) -> int:
    """The year of the latest such month not after publication."""
    return published.year if month <= published.month else published.year - 1


def _data_month(published: dt.date) -> Period:
    """The latest month a release published on this date can report: the month before."""
    index = published.year * 12 + published.month - 1 - 1
    return Period(index, index)


def resolve(w: Written, a: Anchors) -> Optional[Period | str]:
    """The Period a written phrase stands for, UNREPRESENTABLE, or None when nothing anchors it."""
    kind = w.kind
    if kind == "month":
        if w.relative_to_claim and a.claim is None:
            return None
        year = w.year if w.year is not None else (
            a.claim.last_year + w.offset if w.relative_to_claim else _offset_year(w.offset, a))
        year = year if year is not None else _bare_year(w.month, w.month, a)
        return Period.of_months(year, w.month) if year is not None else None
    if kind in ("range", "stated_months"):
        return _range(w, a)
    if kind == "quarter" and w.season is not None:
        whole = _season(w, a)  # "the first quarter of the oil year 2023-24": November to January
        if isinstance(whole, Period):
            first = whole.first + 3 * (w.month - 1)
            return Period(first, first + 2)
        return whole
    if kind == "quarter":
        year = w.year if w.year is not None else _offset_year(w.offset, a) or _bare_year(w.month * 3 - 2, w.month * 3, a)
        return Period.of_months(year, w.month * 3 - 2, year, w.month * 3) if year is not None else None
    if kind == "year":
        return Period.of_months(w.year, 1, w.year, 12)
    if kind == "whole_year":
        if a.claim is not None:
            y = a.claim.last_year
        elif a.published is not None:
            y = a.published.year - 1 if a.published.month <= 2 else a.published.year
        else:
            return None
        return Period.of_months(y, 1, y, 12)
    if kind == "split_year":
        if a.fiscal_start is None:
            return UNREPRESENTABLE
        return Period.of_months(w.year, a.fiscal_start, w.year + 1, a.fiscal_start - 1) if a.fiscal_start > 1 \
            else Period.of_months(w.year, 1, w.year, 12)
    if kind == "season":
        return _season(w, a)
    if kind == "first_n":
        return _first_n(w, a)
    if kind == "n_to":
        return _n_to(w, a)
    if kind == "ytd":
        if a.published is None:
            return None
        last = a.claim if a.claim is not None and a.claim.months == 1 else (a.data_month or _data_month(a.published))
        if w.year is not None and w.year != last.last // 12:
            return Period(w.year * 12, w.year * 12 + 11) if w.year < last.last // 12 else None  # "so far in 2023", told later
        return Period(last.last - (last.last % 12), last.last)
    if kind == "since":
        if a.published is None:
            return None
        last = (a.data_month or _data_month(a.published)).last
        year = w.year if w.year is not None else (last // 12 if w.month - 1 <= last % 12 else last // 12 - 1)
        first = year * 12 + w.month - 1
        return Period(first, max(first, last))
    if kind == "rel":
        if w.year is not None and a.claim is not None and w.season:
            start = w.season["start_month"] - 1  # the season the claim's first month lies in
            first_season = a.claim.first // 12 - (1 if a.claim.first % 12 < start else 0)
            return a.claim.shift(12 * (w.year - first_season))
        if w.year is not None and a.claim is not None:
            return a.claim.shift(12 * (w.year - a.claim.last_year))  # "the same month in 2024"
        return _relative(w.rel, a)
    return None


def _bare_year(first_month: int, last_month: int, a: Anchors) -> Optional[int]:
    """A month or quarter named without a year: the year the sentence or paragraph states; else
    the latest such period before publication; and before a later period it is compared with."""
    if a.year is not None:
        return a.year
    if a.ahead and a.published is not None and a.later is None:
        # a forecast: the coming such month (or the one just ended)
        return a.published.year if last_month >= a.published.month - 1 else a.published.year + 1
    if a.later is not None:
        # "5.5 Mt in January, down from 6.1 Mt in December": the latest such period before it
        later_year, later_month = a.later.last_year, a.later.last_month
        return later_year if last_month <= later_month else later_year - 1
    if a.published is not None:
        return _latest(last_month, a.published)
    if a.claim is not None:
        return a.claim.year
    return None


def _offset_year(offset: Optional[int], a: Anchors) -> Optional[int]:
    if offset is None or a.published is None:
        return None
    return a.published.year + offset


def _range(w: Written, a: Anchors) -> Optional[Period | str]:
    first, last = w.month, w.last
    if (w.season or {}).get("part"):
        # "the first half of fiscal 2025", "H1 FY26": months counted from the season's first
        whole = _season(replace(w, kind="season", month=None, last=None,
                                season={k: v for k, v in w.season.items() if k != "part"}), a)
        if not isinstance(whole, Period):
            return whole
        return Period(whole.first + first - 1, whole.first + last - 1)
    if w.season is not None and "written" in w.season:
        whole = _season(w.season["written"], a)  # the months of the season named after them
        named = w.season["written"]
        if not isinstance(whole, Period) and named.year is not None and named.end_year is not None:
            # a split year whose first month the text does not give: most seasons start mid-year
            y1 = named.year if first >= SEASON_MIDYEAR else named.end_year
            return Period.of_months(y1, first, y1 if last >= first else y1 + 1, last)
        if not isinstance(whole, Period):
            return whole
        begin = whole.first + (first - 1 - whole.first % 12) % 12
        return Period(begin, begin + (last - first) % 12)
    if w.season is not None and w.year is not None and w.end_year is not None:
        # "(November-July) of the oil year 2023-24": months of a season that starts in one year
        y1 = w.year if first >= (w.season.get("start_month") or a.fiscal_start or 1) else w.end_year
        y2 = y1 if last >= first else y1 + 1
        return Period.of_months(y1, first, y2, last)
    end_year = w.end_year if w.end_year is not None else w.year
    if end_year is None:
        end_year = _offset_year(w.offset, a) or _bare_year(first, last, a)
        if end_year is None:
            return None
    start_year = w.year if w.year is not None and w.end_year is not None else (end_year if first <= last else end_year - 1)
    if first > last and w.year is not None and w.end_year is None:
        start_year, end_year = w.year - 1, w.year
    return Period.of_months(start_year, first, end_year, last)


def _season_start(w: Written, a: Anchors) -> Optional[int]:
    season = w.season or {}
    if season.get("start_month"):
        return season["start_month"]
    if season.get("fiscal"):
        return a.fiscal_start
    return a.season_start


def customary_season(w: Written) -> bool:
    """A season the text names without its months ('the 2024/25 season'), which only the goods'
    customary season can date."""
    season = w.season or {}
    return w.kind in ("season", "first_n") and bool(season) and not season.get("start_month") and not season.get("fiscal")


def _season(w: Written, a: Anchors) -> Optional[Period | str]:
    if (w.season or {}).get("undated") and a.season_start is None:
        return UNREPRESENTABLE
    start_month = _season_start(w, a)
    if (w.season or {}).get("single"):
        # "FY25", "fiscal 2025": one year names the fiscal year by the country's convention
        if start_month is None or a.fiscal_named_by is None or w.year is None:
            return UNREPRESENTABLE
        first_year = w.year - 1 if a.fiscal_named_by == "end" and start_month > 1 else w.year
        first = first_year * 12 + start_month - 1
        whole = Period(first, first + 11)
    elif start_month is None:
        return UNREPRESENTABLE
    else:
        whole = _season_months(w, a, start_month)
    if whole is None or not (w.season or {}).get("to_date"):
        return whole
    if w.last is not None:  # "by Nov. 7": to that month of the season
        return Period(whole.first, whole.first + (w.last - start_month) % 12)
    if a.data_month is not None and whole.first <= a.data_month.last <= whole.last:
        return Period(whole.first, a.data_month.last)
    if a.published is not None:  # "so far this season": to the month of publication
        now = a.published.year * 12 + a.published.month - 1
        if whole.first <= now <= whole.last:
            return Period(whole.first, now)
    return whole


def _season_months(w: Written, a: Anchors, start_month: int) -> Optional[Period]:
    if w.year is not None and w.end_year is not None:
        first_year = w.year
    elif w.end_year is not None:
        first_year = w.end_year - 1 if start_month > 1 else w.end_year
    elif a.published is not None:
        current = a.published.year if a.published.month >= start_month else a.published.year - 1
        first_year = current + (w.offset or 0)
    else:
        return None
    first = first_year * 12 + start_month - 1
    return Period(first, first + 11)


def _first_n(w: Written, a: Anchors) -> Optional[Period]:
    n = w.month
    if not 1 <= n <= 24:
        return None
    if w.season is not None:
        whole = _season(w, a)
        if not isinstance(whole, Period):
            return None
        return Period(whole.first, whole.first + n - 1)
    if w.year is not None:
        year = w.year
    elif w.offset is not None and a.published is not None:
        year = a.published.year + w.offset
    elif a.year is not None:
        year = a.year
    elif a.published is not None:
        year = _latest(min(n, 12), a.published)
    else:
        return None
    return Period.of_months(year, 1, year + (n - 1) // 12, (n - 1) % 12 + 1)


def _n_to(w: Written, a: Anchors) -> Optional[Period]:
    year = w.year if w.year is not None else _bare_year(w.last, w.last, a)
    if year is None:
        return None
    last = year * 12 + w.last - 1
    n = w.month if w.month is not None else (last % 12) + 1
    return Period(last - n + 1, last)


def _relative(rec: dict, a: Anchors) -> Optional[Period]:
    unit, offset = rec["unit"], rec["offset"]
    if rec["anchor"] == "published":
        if a.published is None:
            return None
        p = a.published
        if unit == "month":
            index = p.year * 12 + p.month - 1 + offset
            return Period(index, index)
        if unit == "quarter":
            q = (p.year * 12 + p.month - 1) // 3 + offset
            return Period(q * 3, q * 3 + 2)
        if unit == "year":
            y = p.year + offset
            return Period.of_months(y, 1, y, 12)
        return None
    anchor = a.claim
    if anchor is None:
        return None
    if unit == "same":
        return anchor
    if unit == "year":
        return anchor.shift(12 * offset)
    if unit == "month":
        return anchor.shift(offset * max(1, anchor.months)) if anchor.months == 1 else None
    if unit == "quarter":
        return anchor.shift(3 * offset) if anchor.months == 3 else None
    return None
