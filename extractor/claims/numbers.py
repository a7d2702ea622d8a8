"""Figures in a sentence: quantities normalised to tonnes, and percentages with their sign.

A number counts as a quantity only with a unit of mass after it ("5,933 tons", "1.2 million
tonnes", "45 kt"), and not in money ("$1,200 per tonne" has no unit after the number). A
percentage counts as a change only when a change word governs it ("fell 3.2%", "31.4% higher",
"an annual fall of 20.3%"); "70% of global production" is a share, not a claim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

SEPARATORS = re.compile(r"[,\u00a0\u202f ]")
# Words that may stand between a change word and its percentage: "increase of", "fell by",
# "an annual fall of", "rose a further", "declined year-on-year by".
GAP_WORD = re.compile(
    r"(?i:by|of|a|an|some|about|around|roughly|nearly|almost|just|over|another|further|sharply|"
    r"steeply|slightly|modestly|more|than|year-on-year|month-on-month|on-year|on-month|annual|"
    r"annually|monthly|respective|respectively|an?\s+annual|quarterly|y/y|m/m|was|were|of\s+about)")
# A change word right before the figure with "to" in between reads a level, not a change:
# "the share rose to 35%".
LEVEL_LINK = re.compile(r"(?i:\bto\b|\bat\b)")
AFTER_ONLY = {"more", "less", "fewer", "higher", "lower"}
SHARE_AFTER = re.compile(r"\s*(?i:of\b|share|stake|tariff|duty|duties|levy|tax|interest|stake|rate|margin|discount|premium|owned)")
PER_MONTH_AFTER = re.compile(
    r"\s*(?:of\s+(?:[\w-]+\s+){0,4}?)?(?:(?i:per|a|each|every)\s+month|/\s*month|monthly)"
    r"(?!\s+(?i:before|earlier|ago|prior|later|after|previously))(?![\w])")
WRITTEN_SIGN = re.compile(r"(?:^|[\s(\[:,])([+\-\u2212\u2013])$")
PER_MONTH_BEFORE = re.compile(r"(?i:monthly\s+average\s+of|average\s+monthly\s+\w*\s*of|average\s+of)\s*$")


@dataclass
class Figure:
    """One number the claim may be read from. Offsets are within the sentence."""

    kind: str  # "qty" or "pct"
    start: int
    end: int
    value: float  # tonnes (qty) or the unsigned percentage (pct)
    number: float  # the number as written, before the unit's factor
    ambiguous_unit: bool = False  # "mt": metric tons or million tonnes, decided with the commodity
    qualifier: Optional[str] = None
    per: Optional[str] = None
    sign: int = 0  # pct: +1 / -1 from the governing change word


def parse_number(text: str) -> float:
    return float(SEPARATORS.sub("", text))


def _qualifier(sentence: str, start: int, lex) -> Optional[str]:
    before = sentence[max(0, start - 30):start]
    match = lex.cue_res["qualifier"].search(before)
    if match and not before[match.end():].strip():
        return lex.cue_values["qualifier"][" ".join(match.group().lower().split())]
    return None


def find_quantities(sentence: str, lex) -> list[Figure]:
    figures = []
    for match in lex.quantity_re.finditer(sentence):
        before = sentence[max(0, match.start() - 8):match.start()]
        if lex.currency_re.search(before):
            continue  # "$5.2 million t..." would be money
        number = parse_number(match["num"])
        unit = match["unit"]
        factor = lex.unit_factor_cs.get(unit, lex.unit_factor.get(" ".join(unit.lower().split())))
        scale = lex.multiplier.get((match["mult"] or match["mult_m"] or "").lower(), 1.0)
        ambiguous = factor == "ambiguous"
        value = number * scale * (1.0 if ambiguous else float(factor))
        per = None
        if PER_MONTH_AFTER.match(sentence, match.end()) or PER_MONTH_BEFORE.search(sentence[:match.start()][-40:]):
            per = "month"
        figures.append(Figure("qty", match.start(), match.end(), value, number * scale,
                              ambiguous_unit=ambiguous, qualifier=_qualifier(sentence, match.start(), lex), per=per))
    return figures


def _sign_before(sentence: str, start: int, lex) -> int:
    """Sign of the last change word before the figure, if only gap words stand between."""
    window_start = max(0, start - 70)
    window = sentence[window_start:start]
    best = 0
    for match in lex.scan["change"].finditer(window):
        word = " ".join(match.group().lower().split())
        gap = window[match.end():].strip()
        if word in AFTER_ONLY:
            continue
        if not gap:
            best = lex.change_sign[word]
            continue
        words = gap.split()
        if re.search(r"[\d,;:()]", gap):
            continue
        if words[-1].lower() == "by" and len(words) <= 8:
            best = lex.change_sign[word]  # "cut its imports from the country by 3%"
            continue
        if len(words) > 5 or LEVEL_LINK.search(gap):
            continue
        if all(GAP_WORD.fullmatch(w.strip(",")) or w.lower() in lex.change_sign for w in words):
            best = lex.change_sign[word]
    return best


def _sign_after(sentence: str, end: int, lex) -> int:
    """Sign of a change word just after the figure: "31.4% higher", "a 12% year-on-year rise"."""
    after = sentence[end:end + 45]
    for match in lex.scan["change"].finditer(after):
        gap = after[:match.start()].split()
        if len(gap) <= 2 and all(GAP_WORD.fullmatch(w) or lex.basis_re.fullmatch(w) for w in gap):
            return lex.change_sign[" ".join(match.group().lower().split())]
        break
    return 0


def _written_sign(sentence: str, start: int) -> int:
    """'(+5.2%)', '(-38.5%)', ': -7%': a sign written on the percentage is a change (not '2-3%')."""
    match = WRITTEN_SIGN.search(sentence, max(0, start - 3), start)
    if match is None:
        return 0
    return 1 if match.group(1) == "+" else -1


def find_percents(sentence: str, lex) -> list[Figure]:
    figures = []
    for match in lex.percent_re.finditer(sentence):
        if SHARE_AFTER.match(sentence, match.end()):
            continue
        if lex.money_after_re.match(sentence, match.end()):
            continue  # "rose 1.2% to $10.68 a bushel": a price moved
        sign = (_written_sign(sentence, match.start()) or _sign_before(sentence, match.start(), lex)
                or _sign_after(sentence, match.end(), lex))
        if not sign:
            continue  # a percentage no change word governs is a share or a rate, not a change
        number = float(match["num"])
        figures.append(Figure("pct", match.start(), match.end(), number, number, sign=sign,
                              qualifier=_qualifier(sentence, match.start(), lex)))
    return figures


def find_figures(sentence: str, lex) -> list[Figure]:
    figures = find_quantities(sentence, lex) + find_percents(sentence, lex)
    figures.sort(key=lambda f: f.start)
    return figures
