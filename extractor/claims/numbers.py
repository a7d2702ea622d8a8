"""Figures in a sentence, read from its tokens: quantities in tonnes, percentages with their
sign, and the figures that are not trade quantities (money, ranges, ratios, percentage points).

A quantity is a number (digits or number words) with a unit of mass after it, perhaps with a
multiplier between ("1.2 million tonnes", "76.5mn mt", "10.81 lakh tonne", "25.3-million
tonnes", "5,468,613,614kg"); "no soybeans", "zero" and "did not import any" are quantities of
zero. A percentage counts as a change only when a change word governs it ("fell 3.2%", "31.4%
higher", "an annual fall of 20.3%", "(+5.9%)"); "70% of global production" is a share. Money
("$5.2 million", "US$106.85 million", "500 crore rupees") is read so that its changes are not
taken for changes of a flow of goods. Every word list is in models/ (units.jsonl, changes.jsonl,
cues.jsonl); the grammar that combines them is here.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import partial
from typing import Optional

from extractor.claims.lexicon import Lexicon
from extractor.claims.view import Hits, TokenView

# the first digit of each number; the digit is matched first, as the regex engine finds it fast
DIGIT_RUN = re.compile(r"\d(?<![\d.,]\d)")
# Token shapes tested for every number, compiled once.
YEAR_TOKEN = re.compile(r"(?:19|20)\d\d")
DAY_NUMBER = re.compile(r"\d{1,2}")
THOUSANDS_GROUP = re.compile(r"\d{3}")
LEADING_GROUP = re.compile(r"\d{1,3}")
SIGN_CHARS = {"+": 1, "-": -1, "\u2212": -1, "\u2013": -1}
PUNCT_STOP = frozenset(",;:()[]—–\"“”")


@dataclass(slots=True)
class Figure:
    """One figure of a sentence. Token offsets are the doc's."""

    kind: str  # qty | pct | money | range | ratio | points | share
    start: int
    end: int
    value: Optional[float] = None  # tonnes (qty, before an ambiguous unit is settled) or unsigned percent
    number: Optional[float] = None  # the number as written times its multiplier
    text: str = ""  # the number as written ("5,933", "3.2"), for its rounding interval
    ambiguous: bool = False  # "mt"/"MT": metric tons or million tonnes, settled with the commodity
    qualifier: Optional[str] = None
    per: Optional[str] = None
    sign: int = 0  # pct: +1 / -1 from the governing change word or a written sign
    zero: bool = False  # a statement of none ("no exports", "did not import any")
    number_start: int = -1  # token of the number itself

    @property
    def is_change(self) -> bool:
        return self.kind == "pct" and self.sign != 0


def parse_number(text: str, scaled: bool, tonnes_unit: bool) -> Optional[float]:
    """The value of a number as written, its separators read from their shape: "5,933" and
    "62.585 t" are thousands, "135,25 million" and "2.117 million" decimals."""
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):  # 1.234,5
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        groups = text.split(",")
        if all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3:
            text = text.replace(",", "")
        elif len(groups) > 2 and len(groups[-1]) == 3 and all(len(g) == 2 for g in groups[1:-1]) and len(groups[0]) <= 2:
            text = text.replace(",", "")  # Indian grouping: 2,15,640 (lakh and crore)
        elif len(groups) == 2:
            text = text.replace(",", ".")  # a decimal comma: "135,25 million", "10,97"
        else:
            return None
    elif text.count(".") > 1:
        groups = text.split(".")
        if not all(len(g) == 3 for g in groups[1:]):
            return None
        text = text.replace(".", "")
    elif "." in text:
        whole, frac = text.split(".")
        # A dot before exactly three digits in a count of tonnes is a thousands separator
        # ("62.585 metric tons"); with a multiplier it is a decimal point ("2.117 million").
        if len(frac) == 3 and not scaled and tonnes_unit and whole not in ("", "0") and len(whole) <= 3:
            text = whole + frac
    try:
        return float(text)
    except ValueError:
        return None


class FigureReader:
    """Reads the figures of sentences of one doc."""

    def __init__(self, view: TokenView, hits: Hits, lex: Lexicon):
        self.view, self.hits, self.lex = view, hits, lex
        self.glossed = self._glossed_units()
        self._starts: Optional[list[int]] = None  # of number words and words of none
        self._last_factor: Optional[float] = None  # the unit of the sentence's last quantity
        self._bag_tonnes: Optional[float] = None  # the weight of a bag the article stated ("60-kg bags")

    # ------------------------------------------------------------------ article-level facts
    def _glossed_units(self) -> dict[str, float]:
        """'metric tons (MT)' or 'million tonnes (MT)': how the article itself spells out an
        ambiguous abbreviation, which then decides it everywhere in the article."""
        out: dict[str, float] = {}
        v, hits = self.view, self.hits
        for start in list(hits.by_label.get("UNIT") or ()):
            end = hits.by_label["UNIT"][start][0]
            if end + 2 >= v.n or v.words[end] != "(":
                continue  # (looked up only where a bracket follows a unit)
            factor = hits.at("UNIT", start)[1]
            if factor == "ambiguous":
                continue
            inner = hits.at("UNIT", end + 1)
            if inner and inner[1] == "ambiguous" and v.words[inner[0]:inner[0] + 1] == [")"]:
                mult = hits.ending_at("MULT", start, within=2)
                scale = mult[1] if mult else 1.0
                out[v.words[end + 1]] = float(factor) * scale
        return out

    # ------------------------------------------------------------------ sentence
    def starts(self, start: int, end: int) -> list[int]:
        """Tokens in [start, end) where a figure may begin: numbers, number words, words of none.
        Numbers are searched in the sentence's own text (a match is one digit, whose lookbehind
        sees the text before the search's start): most of a page is never read for figures."""
        v = self.view
        idx = v.idx
        # a digit at character p begins token bisect_left(idx, p): tokens start..end-1 take the
        # digits at first..last
        first, last = (idx[start - 1] + 1 if start > 0 else 0), idx[end - 1]
        # few digits, many words; each match's token found without a Python call per match
        found = set(map(partial(bisect_left, idx), map(re.Match.start, DIGIT_RUN.finditer(v.text, first, last + 1))))
        words = self._word_starts()
        found.update(words[bisect_left(words, start):bisect_left(words, end)])
        return sorted(found)

    def _word_starts(self) -> list[int]:
        """Where number words and words of none begin, for the doc (merged once)."""
        if self._starts is None:
            found = set()
            for label in ("NUMWORD", "ZERO", "NEGATION"):
                found.update(self.hits.by_label.get(label, ()))
            self._starts = sorted(found)
        return self._starts

    def read(self, start: int, end: int) -> list[Figure]:
        v, hits = self.view, self.hits
        figures: list[Figure] = []
        self._last_factor = None
        reach = start
        for i in self.starts(start, end):
            if i < reach:
                continue
            fig = None
            if v.is_number(i) or hits.at("NUMWORD", i):
                fig = self._number_figure(i, end)
            elif hits.at("ZERO", i) or hits.at("NEGATION", i):
                fig = self._zero_figure(i, end)
            if fig is None:
                continue
            figures.append(fig)
            reach = max(fig.end, i + 1)
        for fig in figures:
            if fig.kind == "pct":
                self._sign(fig, start, end, figures)
        self._shared_signs(figures)
        self._gapped_signs(figures)
        self._delta_signs(figures, start)
        self._joined_to_change(figures, start)
        return figures

    def _delta_signs(self, figures: list[Figure], start: int) -> None:
        """'rose by 61,300 tonnes, or 38.42%': the percentage restates the absolute change."""
        v = self.view
        for prev, fig in zip(figures, figures[1:]):
            if fig.kind == "pct" and not fig.sign and prev.kind == "delta" and "or" in v.lower[prev.end:fig.start][:3]:
                change = self.hits.ending_at("CHANGE", max(start, prev.start - 1), within=3)
                if change is None and prev.start > start and v.lower[prev.start - 1] == "by":
                    change = self.hits.ending_at("CHANGE", prev.start - 1, within=3)
                change = change or self.hits.ending_at("CHANGE", prev.start, within=3)  # "climbed 410,000 tonnes, or 22.5%"
                if change:
                    fig.sign = int(change[1])

    def _joined_to_change(self, figures: list[Figure], start: int) -> None:
        """'rose sharply in March compared to the previous two months and nearly 5% compared to
        a year ago': a percentage joined by 'and' to a change word, and measured against a basis,
        is a change of that sign."""
        v, hits = self.view, self.hits
        for fig in figures:
            if fig.kind != "pct" or fig.sign or not hits.at("BASIS", fig.end):
                continue
            k = fig.start - 1
            while k > start and hits.covering("QUALIFIER", k):
                k -= 1
            if v.lower[k] != "and" or any(f.end <= k and f is not fig for f in figures):
                continue
            change = next((found for j in range(k - 1, max(start - 1, k - 16), -1)
                           for found in [hits.at("CHANGE", j)] if found), None)
            if change is not None:
                fig.sign = int(change[1])

    def _shared_signs(self, figures: list[Figure]) -> None:
        """'up 10.2% from July and 15.4% year-on-year': a second percentage joined by 'and'
        to a change shares its sign, as do the percentages of a comma list closed by 'and'
        ('fell 11.7%, 15.7% and 12.2%')."""
        v = self.view
        for n, (prev, fig) in enumerate(zip(figures, figures[1:])):
            if fig.kind != "pct" or fig.sign or prev.kind != "pct" or not prev.sign:
                continue
            gap = v.lower[prev.end:fig.start]
            if gap == [","] and self._list_closes(figures, n + 1):
                fig.sign = prev.sign  # "fell 11.7%, 15.7% and 12.2% in March, April and May"
                continue
            if "and" in gap and len(gap) <= 8 and not any(w in (";", ".", "(", ")") for w in gap) \
                    and not any(self.hits.at("CHANGE", k) for k in range(prev.end, fig.start)) \
                    and not any(self.hits.covering("NONTRADE", k) for k in range(prev.end, fig.start)):
                fig.sign = prev.sign  # (not "up 6 per cent and accounting for 35 per cent of": a share)

    def _delta_before(self, k: int) -> bool:
        """A change in tonnes ('down by 2.2 million tons from April') ends within a few tokens before k."""
        v, hits = self.view, self.hits
        for j in range(k - 1, max(0, k - 8), -1):
            if v.words[j] in (".", ";", ":"):
                return False
            if hits.at("UNIT", j) and any(v.lower[t] == "by" and hits.ending_at("CHANGE", t, within=3)
                                          for t in range(max(0, j - 5), j)):
                return True
        return False

    def _restated_as_percent(self, nxt: int, end: int) -> bool:
        """', or 22.5 percent', 'or nearly 30%' right after a figure: the same change as a percentage."""
        v, hits = self.view, self.hits
        j = nxt + 1 if nxt < end and v.words[nxt] == "," else nxt
        if j >= end or v.lower[j] != "or":
            return False
        qualifier = hits.at("QUALIFIER", j + 1)
        j = qualifier[0] if qualifier else j + 1
        return v.is_number(j) and any(hits.at("PERCENT", t) for t in range(j + 1, min(end, j + 3)))

    def _level_after_period(self, nxt: int, end: int) -> bool:
        """'during the month to reach 10.23 million tonnes': a period phrase, then the level reached."""
        v, hits = self.view, self.hits
        j = nxt
        while j < end and (v.lower[j] in ("in", "during", "over", "for") or hits.covering("MONTH", j, reach=3)
                           or hits.covering("REL_PERIOD", j, reach=6)):
            j += 1
        if j == nxt or j + 1 >= end or v.lower[j] != "to":
            return False
        return v.is_number(j + 1) or (v.lower[j + 1] in self.lex.word_class("reach_verbs") and v.is_number(j + 2))

    def _gapped_signs(self, figures: list[Figure]) -> None:
        """'purchases from Australia fell by 12% to 2.6 Mt and from Canada by 5% to 610,000 t',
        'rose by 12.4% to 1.02 Mt, shipments from Australia by 3.3% to ...': a 'by' percentage in a
        later conjunct that leaves its change word out shares the sign of the 'by' percentage of
        the one before."""
        v = self.view
        for n, fig in enumerate(figures):
            if fig.kind != "pct" or fig.sign or fig.start < 1 or v.lower[fig.start - 1] != "by" or n < 2:
                continue
            prev, first = figures[n - 1], figures[n - 2]
            if first.kind != "pct" or not first.sign or v.lower[first.start - 1] != "by" or prev.kind == "pct":
                continue
            gap = v.lower[prev.end:fig.start - 1]
            joined = gap[:1] == [","] or "and" in gap  # "..., shipments from Australia by 3.3% to"
            if joined and len(gap) <= 8 and not any(w in (";", ".", "(", ")", "or") for w in gap) \
                    and not any(self.hits.at("CHANGE", k) for k in range(prev.end, fig.start)):
                fig.sign = first.sign

    def _list_closes(self, figures: list[Figure], i: int) -> bool:
        """The percentages from figures[i] on run by commas to an 'and' before a last one."""
        v = self.view
        for fig, nxt in zip(figures[i:], figures[i + 1:]):
            if nxt.kind != "pct" or nxt.sign:
                return False
            gap = v.lower[fig.end:nxt.start]
            if gap in (["and"], [",", "and"]):
                return True
            if gap != [","]:
                return False
        return False

    # -- numbers
    def _number_at(self, i: int, end: int) -> tuple[Optional[str], Optional[float], int]:
        """(text, number, next token) of a number at token i: digits (with spaced thousands
        "816 000"), number words ("three", "half a"), or (None, None, i)."""
        v, hits = self.view, self.hits
        if v.is_number(i):
            j = i + 1
            text = v.words[i]
            # "816 000": thousands separated by a space (or a no-break space token)
            while j < end and len(text.replace(",", "")) <= 3 * (text.count(",") + 1):
                if v.space[j - 1] and j < end and THOUSANDS_GROUP.fullmatch(v.words[j]) and LEADING_GROUP.fullmatch(text.split(" ")[-1]):
                    text += " " + v.words[j]
                    j += 1
                elif j + 1 < end and v.words[j] in ("\u00a0", "\u202f") and THOUSANDS_GROUP.fullmatch(v.words[j + 1]):
                    text += " " + v.words[j + 1]
                    j += 2
                else:
                    break
            return text, None, j
        word = hits.at("NUMWORD", i)
        if word:
            j, value = word
            if j < end and v.lower[j] == "a":  # "half a million"
                j += 1
            return v.span_text(i, word[0]), float(value), j
        return None, None, i

    def _number_figure(self, i: int, end: int) -> Optional[Figure]:
        v, hits = self.view, self.hits
        text, number, j = self._number_at(i, end)
        if text is None:
            return None
        if v.is_number(i) and self._is_year_or_date(i, j, end):
            return None
        start = i
        money = self._currency_before(i)
        if money is not None:
            start = money
        # multiplier, then unit / percent / currency
        k = j
        if k < end and v.words[k] == "-" and v.glued(k) and (hits.at("MULT", k + 1) or hits.at("PERCENT", k + 1)):
            k += 1  # "25.3-million tonnes", "60-percent"
        scale, mult_word = 1.0, None
        mult = None if hits.at("UNIT", k) else hits.at("MULT", k)  # "million tonnes" may be one unit
        if mult and not (v.lower[k] == "m" and not hits.at("UNIT", mult[0])):
            scale, mult_word = float(mult[1]), v.lower[k]
            k = mult[0]
            if k < end and v.words[k] == "-" and hits.at("UNIT", k + 1):
                k += 1
        qualifier = self._qualifier_before(start)
        if hits.at("COUNTRY", k) and hits.at("CURRENCY", hits.at("COUNTRY", k)[0]):
            k = hits.at("COUNTRY", k)[0]  # "6.2 billion Norwegian crowns", "5 million Hong Kong dollars"
        if money is not None or hits.at("CURRENCY", k):
            stop = hits.at("CURRENCY", k)[0] if hits.at("CURRENCY", k) else k
            return Figure("money", start, stop, number_start=i, text=text, qualifier=qualifier)
        if hits.at("PERCENT", k):
            stop = hits.at("PERCENT", k)[0]
            if hits.at("POINTS", stop):
                return Figure("points", start, hits.at("POINTS", stop)[0], number_start=i, text=text)
            value = number if number is not None else parse_number(text.replace(" ", ""), True, False)
            if value is None:
                return None
            if self._is_range(i, start):
                return Figure("range", start, stop, number_start=i, text=text)
            return Figure("pct", start, stop, value=value * scale, number=value, text=text,
                          qualifier=qualifier, number_start=i)
        if hits.at("POINTS", k):
            return Figure("points", start, hits.at("POINTS", k)[0], number_start=i, text=text)
        if hits.at("RATIO", k) or (k < end and v.words[k] == "-" and hits.at("RATIO", k + 1)):
            stop = (hits.at("RATIO", k) or hits.at("RATIO", k + 1))[0]
            return Figure("ratio", start, stop, number_start=i, text=text)
        unit = hits.at("UNIT", k)
        if unit is None and k + 1 < end and v.lower[k] == "to" and start > 0 and v.lower[start - 1] == "from" \
                and not self._ranged(start - 1):
            # "rose from 48,727 to 52,306 tons": the first level takes the unit of the second
            ahead = self._number_at(k + 1, end)
            if ahead[0] is not None and ahead[2] < end and hits.at("UNIT", ahead[2]):
                unit = (k, hits.at("UNIT", ahead[2])[1])
        if unit is None and k + 1 < end and v.lower[k] in (",", "and"):
            unit = self._listed_unit(start, k, end, mult_word is not None)
        if unit is None and mult_word is None and start > 2 and v.lower[start - 1] == "to" and self._unit_elided(k, end):
            before = hits.ending_at("UNIT", start - 1, within=4)
            if before is not None and "from" in v.lower[max(0, before[0] - 6):before[0]] and before[1] != "ambiguous":
                unit = (k, before[1])  # "rose 40% from 21,500 tons to 30,100 in May": the second level takes the first's unit
        if unit is None and mult_word is not None and self._last_factor is not None \
                and hits.ending_at("COMPARISON", hits.before_qualifier(start), within=4) and self._unit_elided(k, end):
            unit = (k, self._last_factor)  # "6.1 million tonnes ..., down from 7.3 million a year ago"
        if unit is None and mult_word is not None and self._last_factor is not None and self._bracketed_alone(start, k, end):
            unit = (k, self._last_factor)  # "led by Iraq with 1.1 million tonnes, followed by South Africa (0.62 million)"
        if unit is None:
            return self._bags(i, start, k, end, text, number, scale, qualifier)
        stop, factor = unit
        if factor != "ambiguous":
            within = hits.at("MULT", k) if mult_word is None else None  # "million tonnes" read as one unit
            self._last_factor = float(factor) / float(within[1]) if within else float(factor)
        gloss = self._gloss_end(stop, end)
        ambiguous = factor == "ambiguous"
        raw = v.words[k]
        if ambiguous:
            glossed = self.glossed.get(raw)
            whole = "." not in text and "," not in text[-3:]
            if glossed is not None and ((glossed == 1.0) == (whole or "," in text)):
                # the article's own gloss, for numbers of its shape: "541,434 metric tons (MT)"
                # decides "228,253 MT", not "1.36 MT"
                factor, ambiguous = glossed, False
            elif mult_word is not None:
                factor, ambiguous = 1.0, False  # "2.63 million mt": the multiplier says million
        tonnes_unit = not ambiguous and float(factor) == 1.0
        value = number if number is not None else parse_number(text.replace(" ", ""), mult_word is not None, tonnes_unit or ambiguous)
        if value is None:
            return None
        fig = Figure("qty", start, gloss or stop, number_start=i, text=text, qualifier=qualifier)
        fig.number = value * scale
        if ambiguous:
            fig.ambiguous = True
            fig.value = fig.number
        else:
            fig.value = fig.number * float(factor)
        if self._is_range(i, start):
            fig.kind = "range"
        elif self._range_follows(j, k, end):
            fig.kind = "range"
        fig.per = self._per(start, fig.end, end)
        if self._is_delta(fig, end):
            fig.kind = "delta"
        return fig

    def _is_delta(self, fig: Figure, end: int) -> bool:
        """An absolute change, not a flow: 'rose by 2.0 Mt', '(-0.5 Mt year-on-year)', 'a 4.3 Mt
        annual fall', 'gained by 1.1 Mt on the year'."""
        v, hits = self.view, self.hits
        k = fig.start
        if k > 0 and v.words[k - 1] in ("+", "-", "\u2212") and v.glued(k) and (k < 2 or not v.is_number(k - 2)):
            return True
        if k > 0 and v.lower[k - 1] == "by" and hits.ending_at("CHANGE", k - 1, within=3):
            return True
        lead_by = hits.before_qualifier(k)
        if lead_by != k and lead_by > 0 and v.lower[lead_by - 1] == "by" and hits.ending_at("CHANGE", lead_by - 1, within=3):
            return True  # "down by about 0.8 million tonnes": the fall in tonnes
        if k > 0 and v.lower[k - 1] == "of" and hits.ending_at("CHANGE", k - 1, within=1) \
                and self._restated_as_percent(fig.end, end):
            return True  # "a volume increase of 1,500 tonnes or 25 per cent": the rise told twice
        if k > 1 and v.lower[k - 2:k] == ["and", "by"] and self._delta_before(k - 2):
            return True  # "down by 2.2 million tons from April and by 11.7 million tons from May last year"
        if k > 1 and v.lower[k - 1] == "by" and v.lower[k - 2] == "or" \
                and any(hits.at("RATIO", j) or hits.at("CHANGE", j) for j in range(max(0, k - 7), k - 2)):
            return True  # "more than double or by 409,000 tonnes": the same rise, told as tonnes
        nxt = fig.end
        after = nxt + 1 if nxt + 1 < end and v.words[nxt] == "," else nxt  # "..., or 712,000 tonnes, to"
        if k > 1 and v.lower[k - 1] == "or" and after < end and v.lower[after] in ("to", "from") \
                and any(hits.at("PERCENT", j) for j in range(max(0, k - 10), k - 1)) \
                and any(hits.at("CHANGE", j) for j in range(max(0, k - 12), k - 1)):
            return True  # "declined by 24.8 per cent or 93,257 tonnes to 282,000 tonnes": the fall in tonnes
        if hits.ending_at("CHANGE", k, within=3) and self._restated_as_percent(nxt, end):
            return True  # "climbed 410,000 tonnes, or 22.5 percent", "up 19.2 Mt or nearly 30%": the rise told twice
        lead = hits.before_qualifier(k)
        if nxt + 1 < end and v.lower[nxt] in ("from", "on", "over") and hits.ending_at("CHANGE", lead, within=3) \
                and (hits.at("MONTH", nxt + 1) or hits.at("REL_PERIOD", nxt + 1)):
            return True  # "up some 52,000 tonnes from October": the rise told in tonnes
        if nxt + 1 < end and v.lower[nxt] in ("from", "on") and hits.ending_at("CHANGE", lead, within=1) \
                and any(v.lower[j] in self.lex.word_class("plan_nouns") for j in range(nxt + 1, min(end, nxt + 5))):
            return True  # "down 300,000 tonnes from the original plan": the cut told in tonnes
        compared = hits.at("COMPARISON", nxt) if nxt < end else None
        if compared and compared[0] < end and hits.ending_at("CHANGE", lead, within=1) \
                and (hits.at("MONTH", compared[0]) or hits.at("REL_PERIOD", compared[0])):
            return True  # "down 40,000 tonnes compared with September": the fall told in tonnes
        if nxt + 1 < end and v.lower[nxt] in ("at", "to") and v.is_number(nxt + 1) \
                and hits.ending_at("CHANGE", lead, within=3) and v.lower[lead - 1:lead] != ["to"]:
            return True  # "Shipments to China were up 1.0 Mt at 9.8 Mt": the rise, then the level
        if hits.ending_at("CHANGE", lead, within=1) and self._level_after_period(nxt, end):
            return True  # "dropped 3.17 million tonnes during the month to reach 10.23 million tonnes"
        if nxt < end and v.lower[nxt] in self.lex.word_class("comparatives") and nxt + 1 < end \
                and (hits.at("COMPARISON", nxt + 1) or hits.at("BASIS", nxt + 1)
                     or v.lower[nxt + 1] in self.lex.word_class("comparison_openers")):
            return True  # "almost 9 lakh tonnes higher compared with the same period last season"
        if nxt < end and hits.covering("REL_PERIOD", nxt):
            return False  # "1.5 million tonnes a year ago"
        if hits.ending_at("COMPARISON", fig.start, within=3) or (fig.start > 1 and v.lower[fig.start - 1] in ("just", "the")
                                                                and hits.ending_at("COMPARISON", fig.start - 1, within=3)):
            return False  # "from 2.37 lakh tonne year-on-year": what the figure fell from
        if k > 0 and v.lower[k - 1] in self.lex.word_class("level_leads"):
            return False  # "rose 5% to 40 million tonnes year-on-year": the level a change reached
        if nxt < end and hits.at("BASIS", nxt) and hits.ending_at("FLOW_VERB", lead, within=2):
            return False  # "Poland imported 1.2 million tonnes over the month": what it took in the month
        if nxt < end and (hits.at("BASIS", nxt) or hits.at("CHANGE", nxt)):
            return v.lower[nxt] not in ("up", "down", "higher", "lower", "more", "less", "off")
        if nxt + 1 < end and hits.at("BASIS", nxt) is None and hits.at("CHANGE", nxt + 1) and v.lower[nxt] in ("annual", "monthly", "year-on-year"):
            return True
        return False

    def _bags(self, i: int, start: int, k: int, end: int, text: str, number, scale: float, qualifier):
        """'1.12 million 60-kg bags of green coffee': a count of bags of a stated weight."""
        v, hits = self.view, self.hits
        weighed = self._bags_of_weight(k, end)
        if weighed is not None:
            # "1.07 million bags of 60 kg": the weight after the bags
            stop, weight = weighed
            count = number if number is not None else parse_number(text.replace(" ", ""), True, False)
            if count is None:
                return None
            fig = Figure("qty", start, stop, number_start=i, text=text, qualifier=qualifier)
            fig.number = count * scale
            fig.value = fig.number * weight
            self._bag_tonnes = weight
            if self._is_range(i, start):
                fig.kind = "range"
            return fig
        if k < end and hits.at("BAG", k) and self._bag_tonnes is not None:
            # "3.11 million bags" after "3.62 million 60-kg bags": bags of the weight already stated
            count = number if number is not None else parse_number(text.replace(" ", ""), True, False)
            if count is None:
                return None
            fig = Figure("qty", start, hits.at("BAG", k)[0], number_start=i, text=text, qualifier=qualifier)
            fig.number = count * scale
            fig.value = fig.number * self._bag_tonnes
            if self._is_range(i, start):
                fig.kind = "range"  # "between 40 million and 42 million bags"
            return fig
        hyphen = 1 if k + 1 < end and v.words[k + 1] == "-" else 0  # "60-kg bags", "60 kg bags"
        if not (k + 2 + hyphen < end and v.is_number(k) and hits.at("UNIT", k + 1 + hyphen)):
            return None
        unit_end, factor = hits.at("UNIT", k + 1 + hyphen)
        bag = hits.at("BAG", unit_end)
        if bag is None or factor == "ambiguous":
            return None
        count = number if number is not None else parse_number(text.replace(" ", ""), True, False)
        weight = parse_number(v.words[k], False, False)
        if count is None or weight is None:
            return None
        fig = Figure("qty", start, bag[0], number_start=i, text=text, qualifier=qualifier)
        fig.number = count * scale
        fig.value = fig.number * weight * float(factor)
        self._bag_tonnes = weight * float(factor)
        if self._is_range(i, start):
            fig.kind = "range"
        return fig

    def _bags_of_weight(self, k: int, end: int) -> Optional[tuple[int, float]]:
        """'bags of 60 kg (each)' at token k: where the phrase ends and the tonnes a bag weighs."""
        v, hits = self.view, self.hits
        bag = hits.at("BAG", k) if k < end else None
        if bag is None:
            return None
        j = bag[0]
        bracketed = j + 3 < end and v.words[j] == "(" and v.is_number(j + 1) and hits.at("UNIT", j + 2)
        if not (bracketed or j + 2 < end and v.lower[j] == "of" and v.is_number(j + 1) and hits.at("UNIT", j + 2)):
            return None  # "bags of 60 kg", "bags (60 kilos)"
        unit_end, factor = hits.at("UNIT", j + 2)
        if bracketed:
            if unit_end >= end or v.words[unit_end] != ")":
                return None
            unit_end += 1
        weight = parse_number(v.words[j + 1], False, False)
        if factor == "ambiguous" or weight is None or weight * float(factor) > 0.2:
            return None  # (a bag weighs kilograms, not tonnes)
        if unit_end < end and v.lower[unit_end] == "each":
            unit_end += 1
        return unit_end, weight * float(factor)

    def _gloss_end(self, stop: int, end: int) -> Optional[int]:
        """'541,434 metric tons (MT)': the bracketed abbreviation belongs to the unit."""
        v, hits = self.view, self.hits
        if stop + 2 < end + 1 and stop < v.n and v.words[stop] == "(":
            inner = hits.at("UNIT", stop + 1) or hits.at("UNIT_GLOSS", stop + 1)
            if inner and inner[0] < v.n and v.words[inner[0]] == ")":
                return inner[0] + 1
        return None

    def _is_year_or_date(self, i: int, j: int, end: int) -> bool:
        """A year ("2025"), a day in a date ("July 18", "19 Aug"), a clock time: not a figure."""
        v, hits = self.view, self.hits
        word = v.words[i]
        if j < end and (hits.at("UNIT", j) or hits.at("PERCENT", j) or hits.at("MULT", j)):
            return False
        if YEAR_TOKEN.fullmatch(word):
            return True
        if i > 0 and hits.ending_at("MONTH", i, within=2) and DAY_NUMBER.fullmatch(word):
            return True
        return bool(hits.at("MONTH", j)) and DAY_NUMBER.fullmatch(word) is not None

    def _currency_before(self, i: int) -> Optional[int]:
        found = self.hits.ending_at("CURRENCY", i, within=3)
        if found:
            return found[0]
        return None

    def _qualifier_before(self, start: int) -> Optional[str]:
        """'about 6,150 tons', 'nearly a million', 'more than 2,000 tonnes' (but not '5.7% more
        than the 5,278 tonnes', where the words compare)."""
        found = self.hits.ending_at("QUALIFIER", start, within=4)
        if found is None and start > 0 and self.view.lower[start - 1] == "a":
            found = self.hits.ending_at("QUALIFIER", start - 1, within=4)  # "nearly a million" (not "below the 710,000")
        if found and found[0] > 0 and self.view.lower[found[0] - 1] in self.lex.word_class("up_to_verbs"):
            return None  # "added up to 27.4 million tonnes", "were revised up to 2.72 million mt"
        if found and found[0] > 0 and self.hits.ending_at("PERCENT", found[0], within=3):
            return None
        if found and found[0] > 1 and self.view.lower[found[0]] == "over" and self.view.words[found[0] - 1] in (",", ")") \
                and self._figure_before(found[0] - 1):
            return None  # "to 6.41 MT (provisional), over 4.89 MT (revised) in the same month": compared with
        if found and self.view.lower[found[0]:found[0] + 2] == ["up", "to"] and found[0] > 0:
            verb = self.hits.ending_at("CHANGE", found[0] + 1, within=4, longest=True)
            if verb is not None and verb[0] < found[0]:
                return None  # "edged up to 410,000 tonnes": the 'up' is the verb's
        return found[1] if found else None

    def _figure_before(self, k: int) -> bool:
        """A quantity or a percentage ends within a few tokens before k (its aside included)."""
        v = self.view
        for j in range(k, max(-1, k - 6), -1):
            if self.hits.at("UNIT", j) or self.hits.at("PERCENT", j):
                return True
            if v.words[j] in (".", ";"):
                return False
        return False

    def _is_range(self, i: int, start: int) -> bool:
        """The second number of '2-3 million tonnes' or '12 million to 12.5 million tonnes'."""
        v = self.view
        k = start - 1
        if k >= 0 and v.lower[k] == "and" and (self._respectively_after(start, len(v.words))
                                               or self._respectively_before(k) or self._comma_listed(k)):
            return False  # "820,000 and 140,000 tonnes respectively": two figures, no range
        if k >= 0 and (v.words[k] in ("-", "–") and v.glued(k) or self.hits.at("RANGE_LINK", k)):
            k -= 1
            if k >= 0 and self.hits.ending_at("MULT", k + 1, within=1):
                k -= 1
            if k >= 0 and v.is_number(k) and YEAR_TOKEN.fullmatch(v.words[k]):
                return False  # "from 2016 to 25.3 million tonnes"
            if k >= 2 and v.words[k - 1] in ("-", "/", "–") and v.glued(k) and YEAR_TOKEN.fullmatch(v.words[k - 2]):
                return False  # "from 217.7 million tonnes in 2014-15 to 190.9 MT": a split year ends there
            word = self.hits.ending_at("NUMWORD", k + 1, within=2)
            first = word[0] if word and not v.is_number(k) else k
            if v.lower[k + 1] == "to" and "from" in v.lower[max(0, first - 3):first]:
                at = max(j for j in range(max(0, first - 3), first) if v.lower[j] == "from")
                return self._ranged(at)  # "rose from 48,727 to 52,306 tons": a change, not a range
            if k >= 0 and (v.is_number(k) or (word and float(word[1]) >= 1)):
                return True  # ("more than half to 8,600 tonnes" is no range)
        if k >= 1 and v.lower[k] == "and" and (v.is_number(k - 1) or self.hits.ending_at("MULT", k, within=1)):
            window = v.lower[max(0, k - 5):k]
            return "between" in window
        return False

    def _listed_unit(self, start: int, k: int, end: int, multiplied: bool) -> Optional[tuple]:
        """'reached 820,000 and 140,000 tonnes respectively', '2.1 million, 1.9 million and 1.7
        million tonnes': the figures of a comma list, or of an 'and' list that 'respectively'
        goes with, share the unit of the last; (k, factor) or None."""
        v, hits = self.view, self.hits
        j = k
        commas = self._after_listed_figure(start)
        for _ in range(8):
            if j + 1 >= end or v.lower[j] not in (",", "and"):
                return None
            commas = commas or v.lower[j] == ","
            if v.lower[j] == "," and v.lower[j + 1] == "and":
                j += 1
            text, _, after = self._number_at(j + 1, end)
            if text is None or after >= end:
                return None
            mult = hits.at("MULT", after)  # also the "million" of a "million tonnes" unit
            if multiplied and mult is None:
                return None  # "2.1 million, 900,000 tonnes": no one multiplier for the list
            unit = hits.at("UNIT", after)
            if unit is None and mult is not None:
                after = mult[0]
                unit = hits.at("UNIT", after)
                if unit is not None and not multiplied and unit[1] != "ambiguous":
                    unit = (unit[0], float(unit[1]) * float(mult[1]))  # "1.1 and 0.9 million tonnes": both millions
            elif unit is not None and mult is not None and multiplied and unit[1] != "ambiguous":
                unit = (unit[0], float(unit[1]) / float(mult[1]))  # the tonnes of "million tonnes"
            if unit is None and mult is not None and not multiplied:
                return None  # "1.1, 0.9 million and ...": a multiplier inside the list
            if unit is not None:
                if unit[1] == "ambiguous":
                    return None
                if not (commas or self._respectively_after(unit[0], end) or self._respectively_before(k)):
                    return None  # "1.2 and 1.5 million tonnes" may be a range; a comma list is not
                return k, unit[1]
            j = after
        return None

    def _after_listed_figure(self, i: int) -> bool:
        """Token i follows a comma that follows a figure ('1.1 million, 0.5 million')."""
        v = self.view
        return i >= 2 and v.lower[i - 1] == "," and (v.is_number(i - 2) or bool(self.hits.ending_at("MULT", i - 1, within=1)))

    def _comma_listed(self, k: int) -> bool:
        """The 'and' at k closes a comma list of figures ('1.1 million, 0.5 million and'): a
        list, not a range."""
        j = k - 1
        if j >= 0 and self.hits.ending_at("MULT", j + 1, within=1):
            j -= 1
        return j >= 1 and self.view.is_number(j) and self._after_listed_figure(j)

    def _respectively_before(self, k: int) -> bool:
        """'rose 5%, 7% and 9%, respectively, to 1.1 million, 0.5 million and 0.3 million
        tonnes': a list after 'respectively' goes one by one too."""
        return self._respectively_within(range(k - 1, max(-1, k - 16), -1))

    def _respectively_after(self, k: int, end: int) -> bool:
        """'respectively' closes the list later in the sentence ('... tonnes respectively', '...
        tonnes in July, August and September, respectively'): the figures before it go one by one."""
        return self._respectively_within(range(k, min(end, k + 16)))

    def _respectively_within(self, tokens: range) -> bool:
        """'respectively' among these tokens, before the sentence or clause ends."""
        lower = self.view.lower
        for j in tokens:
            if lower[j] == "respectively":
                return True
            if lower[j] in (".", ";", "\n"):
                return False
        return False

    def _bracketed_alone(self, start: int, k: int, end: int) -> bool:
        """A number with its multiplier alone in brackets after a country: '(0.62 million)'."""
        v = self.view
        return start >= 2 and k < end and v.words[start - 1] == "(" and v.words[k] == ")" \
            and bool(self.hits.ending_at("COUNTRY", start - 1, within=4))

    def _unit_elided(self, k: int, end: int) -> bool:
        """No unit of its own after the number ('7.3 million a year ago', '5.6 million in
        August', '... million.'), unlike '11.04 million bpd' or '2 million barrels'."""
        v, hits = self.view, self.hits
        if k >= end or not v.words[k][:1].isalpha():
            return True
        return v.lower[k] in self.lex.word_class("period_gap") or bool(hits.at("REL_PERIOD", k) or hits.at("MONTH", k))

    def _ranged(self, from_at: int) -> bool:
        """'could range from 600,000 to 650,000 tonnes': a 'from' after a verb of range opens one."""
        return from_at > 0 and self.hits.ending_at("RANGE_VERB", from_at, within=2) is not None

    def _range_follows(self, j: int, k: int, end: int) -> bool:
        """'2 to 3 million tonnes': the first number of a range, its unit shared with the second."""
        return False

    def _per(self, start: int, stop: int, end: int) -> Optional[str]:
        """'400 tons per month', 'a monthly average of 3,219 loads', 'average monthly shipments'."""
        v, hits = self.view, self.hits
        k = stop
        if k < end and v.lower[k] == "of":
            # "400 tonnes of graphite a month": skip a short goods phrase
            k2 = k + 1
            while k2 < min(end, k + 6) and v.lower[k2].isalpha() and not hits.at("PER", k2):
                k2 += 1
            if hits.at("PER", k2):
                k = k2
        found = hits.at("PER", k)
        if found and not hits.covering("REL_PERIOD", k):
            return found[1] if found[1] in ("month", "day", "week") else None  # a yearly rate is the year's
        word_class = self.lex.word_class
        average, monthly = word_class("average_words"), word_class("monthly_words")
        before = v.lower[max(0, start - 6):start]
        if any(w in monthly for w in before) and any(w in average for w in before):
            return "month"
        if any(w in average for w in before) and any(w in monthly for w in v.lower[max(0, start - 8):start]):
            return "month"
        # "Brazil's daily average soybean exports in November stood at 410,000 tonnes": a day's rate
        lead = v.lower[max(0, start - 12):start]
        for a, b in zip(lead, lead[1:]):
            pair = (a, b) if a in average else (b, a)
            if pair[0] in average:
                if pair[1] in word_class("daily_words"):
                    return "day"
                if pair[1] in word_class("weekly_words"):
                    return "week"
        return None

    # -- zero
    def _zero_figure(self, i: int, end: int) -> Optional[Figure]:
        """'no soybeans', 'no exports', 'fell to zero', 'did not import any', 'has not shipped any'."""
        v, hits = self.view, self.hits
        zero = hits.at("ZERO", i)
        if zero:
            return Figure("qty", i, zero[0], value=0.0, number=0.0, text="0", zero=True, number_start=i)
        neg_end, kind = hits.at("NEGATION", i)
        if kind == "no":
            # "no soybeans", "no US soybeans", "no exports", "no arrivals"
            for k in range(neg_end, min(end, neg_end + 4)):
                if hits.at("COMMODITY", k) or hits.at("FLOW", k):
                    return Figure("qty", i, neg_end, value=0.0, number=0.0, text="0", zero=True, number_start=i)
                if v.words[k] in PUNCT_STOP:
                    break
            return None
        # "not ... any": a flow verb between them, the figure being "any"
        flow = False
        for k in range(neg_end, min(end, neg_end + 6)):
            if hits.at("FLOW", k):
                flow = True
            if v.lower[k] == "any" and flow:
                return Figure("qty", i, k + 1, value=0.0, number=0.0, text="0", zero=True, number_start=i)
            if v.words[k] in PUNCT_STOP:
                break
        return None

    # -- signs of percentages
    def _sign(self, fig: Figure, start: int, end: int, figures: list[Figure]) -> None:
        v, hits = self.view, self.hits
        k = fig.start - 1
        if k >= start and v.words[k] in SIGN_CHARS and not self._is_range(fig.number_start, fig.start):
            if k == start or v.words[k - 1] in "(:[,/" or v.space[k - 1]:
                fig.sign = SIGN_CHARS[v.words[k]]
                return
        fig.sign = self._sign_before(fig, start) or self._sign_after(fig, end) or self._bracketed_sign(fig, start, end)

    def _bracketed_sign(self, fig: Figure, start: int, end: int) -> int:
        """'there was also an increase when compared to the same period last year (4.6%)': a
        bracketed percentage closing a change word and what it is compared with."""
        v, hits = self.view, self.hits
        k = fig.start - 1
        if k <= start or v.words[k] != "(" or fig.end >= end or v.words[fig.end] != ")":
            return 0
        compared = False
        for j in range(k - 1, max(start, k - 14) - 1, -1):
            if v.words[j] in (";", ".", ",", "(", ")") or v.is_number(j):
                return 0
            if hits.at("COMPARISON", j):
                compared = True
            change = hits.at("CHANGE", j)
            if change and compared:
                return int(change[1])
        return 0

    def _sign_before(self, fig: Figure, start: int) -> int:
        """The sign of a change word before the percentage, with only gap words between:
        'fell 3%', 'an increase of 46%', 'rose a further 2.1%', 'cut ... by 3%'."""
        v, hits = self.view, self.hits
        k = fig.start
        gap = 0
        saw_by = False
        while k > start:
            basis = hits.ending_at("BASIS", k, within=8) or hits.ending_at("VOLUME_TERMS", k, within=4)
            if basis:
                k = basis[0]  # ("an increase in volume of 12 per cent")
                continue
            change = hits.ending_at("CHANGE", k, within=3)
            if change and (hits.covering("QUALIFIER", change[0]) or hits.covering("NONTRADE", change[0])):
                change = None  # "dropped by more than 19%": "more" qualifies; "make up 20%": a share
            if change:
                return int(change[1])
            word = v.lower[k - 1]
            if word == "by":
                saw_by = True
            elif word == "to" and self._rate_of_change(k - 1, start):
                return self._rate_of_change(k - 1, start)
            elif word == "," and saw_by and k - 2 >= start and (v.lower[k - 2].endswith("ly") or hits.ending_at("CHANGE", k - 1, within=3)):
                pass  # "rose significantly, by 38%": the change word before the comma
            elif (word in ("to", "at") and not saw_by) or word in PUNCT_STOP or v.is_number(k - 1):
                return 0  # "rose to 35%": a level, not a change
            elif word not in self.lex.word_class("gap_before_pct") and not word.endswith("ly") and not hits.covering("QUALIFIER", k - 1):
                if not saw_by:
                    return 0
            gap += 1
            if gap > (10 if saw_by else 5):
                return 0
            k -= 1
        return 0

    def _rate_of_change(self, to: int, start: int) -> int:
        """'the annual fall narrowing to 15%': a change noun whose rate moves to the percentage."""
        link = self.hits.ending_at("RATE_LINK", to, within=2)
        if link is None:
            return 0
        change = self.hits.ending_at("CHANGE", link[0], within=3)
        if change is None:
            # "The decline in Brazilian sugar exports slowed to 3%": the change noun heads the subject
            for k in range(link[0] - 1, max(start - 1, link[0] - 9), -1):
                found = self.hits.at("CHANGE", k)
                if found and found[0] < self.view.n and self.view.lower[found[0]] in ("in", "of"):
                    return int(found[1])
        return int(change[1]) if change else 0

    def _sign_after(self, fig: Figure, end: int) -> int:
        """'5.7% higher', 'a 12% year-on-year rise', '16% decline'."""
        v, hits = self.view, self.hits
        k = fig.end
        steps = 0
        while k < end and steps < 3:
            change = hits.at("CHANGE", k)
            if change:
                return int(change[1])
            basis = hits.at("BASIS", k)
            if basis:
                k = basis[0]
                steps += 1
                continue
            word = v.lower[k]
            if word in PUNCT_STOP or word in ("of", "to", "in", "from", "on", "share", "stake"):
                return 0
            if not (word.endswith("ly") or word in ("-", "year", "annual", "monthly", "quarterly")):
                return 0
            k += 1
            steps += 1
        return 0
