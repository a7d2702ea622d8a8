"""The text of `extractor explain CLAIM_ID`: a claim, its sentence, and every check it took part in."""
from __future__ import annotations

import json
from typing import Iterable, Optional

from extractor.reconcile.context import iv, pct
from extractor.reconcile.periods import basis_label, parse_period
from extractor.reconcile.precision import change_interval, value_half_unit, value_interval
from extractor.types import Article, Check, Claim, Finding

ORDER = {"conflict": 0, "unverifiable": 1, "consistent": 2}


def _review_line(review: dict) -> str:
    action = review.get("action")
    when = f" on {review['at']}" if review.get("at") else ""
    if action == "reject":
        return f"Review: rejected{when}: {review.get('note') or 'no reason given'} (it takes part in no check)"
    if action == "correct":
        return f"Review: corrected{when}: {review.get('fields')} (checks use the corrected fields)"
    return f"Review: confirmed{when} (never held wrong by a finding)"


def _figure(claim: Claim) -> str:
    parts = []
    if claim.value is not None:
        q = {"approx": "about ", "over": "over ", "under": "under "}.get(claim.qualifier or "", "")
        parts.append(f"{q}{claim.value:,g} {claim.unit or 't'}" + (" a month" if claim.per == "month" else ""))
    if claim.change_pct is not None:
        parts.append(f"{claim.change_pct:+g}% ({basis_label(claim.change_basis)})")
    return ", ".join(parts) or "no figure"


def _precision(claim: Claim) -> list[str]:
    lines = []
    if claim.value is not None:
        half, how = value_half_unit(claim)
        x = value_interval(claim)
        line = f"value stands for {iv(x)} (rounding ±{half:g}, {how}"
        line += f"; qualifier {claim.qualifier})" if claim.qualifier else ")"
        period = parse_period(claim.period)
        if claim.per == "month" and period is not None:
            line += f", i.e. {iv(x.scale(period.months))} over {period.label()}"
        lines.append(line)
    if claim.change_pct is not None:
        lines.append(f"change stands for {pct(change_interval(claim))}")
    return lines


def explain(claim: Claim, checks: list[Check], article: Optional[Article],
            findings: Iterable[Finding] = (), review: Optional[dict] = None) -> str:
    head = (f"Claim {claim.id}: {claim.exporter or '?'}>{claim.importer or '?'} "
            f"{claim.commodity or '?'} {claim.period or '?'} — {_figure(claim)}"
            + (f" [{claim.modality}]" if claim.modality != "reported" else ""))
    out = [head]
    if article is not None:
        meta = ", ".join(x for x in (article.sitename, article.published) if x)
        out.append(f"Article: \"{article.title or article.url}\" ({article.url}{', ' + meta if meta else ''})")
    else:
        out.append(f"Article: {claim.article}")
    out.append(f"Sentence (chars {claim.start}–{claim.end}): \"{claim.sentence}\"")
    if claim.source:
        out.append(f"Attributed to: {claim.source}")
    for line in _precision(claim):
        out.append(f"Read as: {line}")
    if claim.inferred:
        out.append(f"Inferred (carried from context, not stated in the sentence): {', '.join(claim.inferred)}")
    if review:
        out.append(_review_line(review))
    for finding in findings:
        role = "held wrong" if claim.id in finding.claim_ids else "supports the other figure"
        tie = " (sources tied)" if finding.arithmetic.get("tied") else ""
        out.append(f"Finding {finding.id} [{finding.kind}, {finding.cause}{tie}] — this claim {role}:")
        out.append(f"  {finding.explanation}")
    mine = [c for c in checks if claim.id in c.claim_ids]
    if not mine:
        out.append("Checks: none recorded (run `extractor reconcile`).")
        return "\n".join(out)
    mine.sort(key=lambda c: (ORDER.get(c.verdict, 3), c.kind, c.series))
    out.append(f"Checks ({len(mine)}):")
    for check in mine:
        out.append(f"- [{check.verdict.upper()}] {check.kind} on {check.series}")
        out.append(f"  {check.explanation}")
        if check.arithmetic:
            text = json.dumps(check.arithmetic, ensure_ascii=False, sort_keys=True)
            out.append(f"  arithmetic: {text}")
        others = [i for i in check.claim_ids if i != claim.id]
        if others:
            out.append(f"  other claims: {', '.join(dict.fromkeys(others))}")
    return "\n".join(out)
