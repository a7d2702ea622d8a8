"""The reconciler's output records."""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Optional

from extractor.types import Check, Finding


@dataclass
class SeriesSummary:
    """One series (a line in one period): what the independent sources agree on."""

    series: str  # readable key, e.g. "CN>US rare earth magnets 2025-11"
    exporter: Optional[str]
    importer: Optional[str]
    commodity: str
    period: str
    consensus_value: Optional[float]  # tonnes over the period (monthly rates multiplied out)
    consensus_change_pct: Optional[float]
    sources: list  # independent source groups behind the consensus, readable
    claim_ids: list
    disagreeing_claim_ids: list
    verdict: str  # consistent | conflict | unverifiable: the worst check verdict on the series
    consensus_change_basis: Optional[str] = None
    corroborated: bool = False  # at least two independent sources agree on the value

    def row(self) -> dict:
        data = {name: getattr(self, name) for name in _SUMMARY_FIELDS}  # lists encoded below: no deep copy
        for name in ("sources", "claim_ids", "disagreeing_claim_ids"):
            data[name] = json.dumps(data[name], ensure_ascii=False)
        data["corroborated"] = int(self.corroborated)
        return data


_SUMMARY_FIELDS = tuple(f.name for f in fields(SeriesSummary))  # `fields` cost more than the copy, once a row

@dataclass
class Reconciliation:
    checks: list[Check] = field(default_factory=list)
    series: list[SeriesSummary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
