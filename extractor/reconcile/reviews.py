"""A person's word on a claim, applied at every reconcile.

A review is keyed on the claim's identity as printed, which survives re-extraction: the
article's URL, its sentence (whitespace collapsed) and the figures as the sentence writes them
("62.585", "12.9%"), not the values or fields a reader made of them. So a newer extractor that
reads the same sentence differently still meets the review. When the sentence itself changed
(a new sentence splitter), a review is matched to the claim of the same article whose sentence
is nearly the same and whose printed figures are the same.

- `confirm`: the claim is right as read; findings never hold it wrong.
- `reject`: the claim is not a trade figure or is misread beyond repair; it takes part in no check.
- `correct`: the fields given replace what was read (`period=2025-07`, `importer=DE`) and are
  no longer counted as inferred.
"""
from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Iterable, Optional

from rapidfuzz import fuzz

from extractor.period import parse_period
from extractor.types import Claim, stable_id

ACTIONS = ("confirm", "reject", "correct")
EDITABLE = {
    "exporter": "code", "importer": "code", "flow": ("export", "import"), "commodity": "text",
    "value": "number", "unit": "text", "period": "period", "change_pct": "number",
    "change_basis": ("mom", "yoy", "other", "none"), "qualifier": ("approx", "over", "under", "none"),
    "modality": ("reported", "projected"), "per": ("month", "none"), "source": "text",
}
SENTENCE_MATCH = 90  # rapidfuzz ratio of two sentences taken for one, when the keys differ

_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
_PERCENT_AFTER = re.compile(r"\s*(?:%|percent\b|per cent\b|pct\b|pc\b)", re.IGNORECASE)
_POWERS = (1.0, 1e3, 1e6, 1e-3, 1e5, 1e9, 1e7)


class ReviewError(ValueError):
    """A decision that cannot be recorded as given (unknown field, unreadable value)."""


def _numbers(sentence: str) -> list[tuple[str, list[float], bool]]:
    """(text, the values it may stand for, followed by a percent sign) for each number."""
    out = []
    for m in _NUMBER.finditer(sentence):
        text = m.group(0).rstrip(",.")
        readings = []
        plain = text.replace(",", "")
        try:
            readings.append(float(plain))
        except ValueError:
            continue
        if "," in text and "." not in text and re.fullmatch(r"\d+,\d{1,2}", text):
            readings.append(float(text.replace(",", ".")))  # a decimal comma: "135,25"
        out.append((text, readings, bool(_PERCENT_AFTER.match(sentence, m.start() + len(text)))))
    return out


def _printed(sentence: str, number: Optional[float], percent: bool) -> str:
    """The number as the sentence prints it, or a plain rendering when it is not there."""
    if number is None:
        return ""
    target = abs(float(number))
    for text, values, is_percent in _numbers(sentence or ""):
        if percent and not is_percent:
            continue
        for v in values:
            for power in ((1.0,) if percent else _POWERS):
                if abs(v * power - target) <= 1e-9 * max(1.0, target):
                    return text + ("%" if percent else "")
    return f"{target:g}" + ("%" if percent else "")


def figure_text(claim: Claim) -> str:
    """The claim's figures as printed: "5,952", "-3.2%" joined, "5,952 | 3.2%"."""
    parts = [_printed(claim.sentence, claim.value, False), _printed(claim.sentence, claim.change_pct, True)]
    return " | ".join(p for p in parts if p)


def _sentence_key(sentence: str) -> str:
    return " ".join((sentence or "").split())


def claim_key(claim: Claim, article_url: str) -> str:
    """The claim's identity across re-extraction: article URL, sentence, figures as printed."""
    return stable_id("claim-key", article_url, _sentence_key(claim.sentence), figure_text(claim))


def parse_fields(pairs: Iterable[str]) -> dict:
    """`--set FIELD=VALUE` pairs as corrected fields, checked; raises ReviewError."""
    out: dict = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep or name not in EDITABLE:
            raise ReviewError(f"cannot set {pair!r}: give FIELD=VALUE with FIELD one of "
                              f"{', '.join(sorted(EDITABLE))}")
        out[name] = _value(name, raw)
    return out


def _value(name: str, raw: str):
    kind = EDITABLE[name]
    if raw.lower() in ("", "null", "none") and kind != "period":
        return None
    if isinstance(kind, tuple):
        if raw.lower() not in kind:
            raise ReviewError(f"{name} must be one of {', '.join(kind)}, not {raw!r}")
        return None if raw.lower() == "none" else raw.lower()
    if kind == "code":
        code = raw.upper()
        if not re.fullmatch(r"[A-Z]{2,3}", code):
            raise ReviewError(f"{name} must be an ISO country code (CN, US), WLD or EU, not {raw!r}")
        return code
    if kind == "number":
        try:
            return float(raw.replace(",", ""))
        except ValueError:
            raise ReviewError(f"{name} must be a number, not {raw!r}") from None
    if kind == "period":
        if parse_period(raw) is None:
            raise ReviewError(f"period must be YYYY-MM, YYYY-Qn, YYYY or YYYY-MM..YYYY-MM, not {raw!r}")
        return raw
    return raw


def review_row(claim: Claim, article_url: str, action: str, fields: Optional[dict] = None,
               note: Optional[str] = None) -> dict:
    """The `reviews` row of a decision on `claim`."""
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}")
    if action == "correct" and not fields:
        raise ReviewError("a correction needs at least one FIELD=VALUE")
    return {
        "claim_key": claim_key(claim, article_url), "action": action,
        "fields": json.dumps(fields or {}, ensure_ascii=False, sort_keys=True), "note": note,
        "at": None, "claim_id": claim.id, "article_url": article_url,
        "sentence": _sentence_key(claim.sentence), "figure": figure_text(claim),
    }


@dataclass
class Applied:
    """Claims to reconcile once the reviews are applied, and what each review did."""

    claims: list[Claim]
    confirmed: frozenset
    by_claim: dict = field(default_factory=dict)  # claim id -> review row
    matched: dict = field(default_factory=dict)  # claim key -> claim id now
    unmatched: list = field(default_factory=list)  # reviews whose claim is no longer read


def apply_reviews(claims: list[Claim], reviews: list[dict], urls: dict) -> Applied:
    """Apply `reviews` (rows of the reviews table) to `claims`; `urls` maps article id -> URL.

    Only the claims of reviewed articles are keyed, so a million claims cost nothing extra.
    """
    if not reviews:
        return Applied(claims, frozenset())
    reviewed_urls = {r["article_url"] for r in reviews}
    candidates: dict = {}  # claim key -> claim
    by_url: dict = {}
    for claim in claims:
        url = urls.get(claim.article_id)
        if url in reviewed_urls:
            candidates.setdefault(claim_key(claim, url), claim)
            by_url.setdefault(url, []).append(claim)
    out = Applied(claims=[], confirmed=frozenset())
    decisions: dict = {}
    for review in reviews:
        claim = candidates.get(review["claim_key"]) or _near(review, by_url.get(review["article_url"], []))
        if claim is None:
            out.unmatched.append(review)
            continue
        decisions[claim.id] = review
        out.matched[review["claim_key"]] = claim.id
    confirmed = set()
    for claim in claims:
        review = decisions.get(claim.id)
        if review is None:
            out.claims.append(claim)
            continue
        out.by_claim[claim.id] = review
        if review["action"] == "reject":
            continue
        if review["action"] == "correct":
            fields = json.loads(review["fields"] or "{}")
            claim = dataclasses.replace(claim, **fields,
                                        inferred=tuple(f for f in claim.inferred if f not in fields))
        confirmed.add(claim.id)
        out.claims.append(claim)
    out.confirmed = frozenset(confirmed)
    return out


def _near(review: dict, claims: list[Claim]) -> Optional[Claim]:
    """The claim of the same article with nearly the same sentence and the same printed figures."""
    best, score = None, 0.0
    for claim in claims:
        if figure_text(claim) != review["figure"]:
            continue
        s = fuzz.ratio(_sentence_key(claim.sentence), review["sentence"] or "")
        if s >= SENTENCE_MATCH and s > score:
            best, score = claim, s
    return best
