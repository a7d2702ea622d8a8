"""Report stage: what agrees, what conflicts and why, in the terminal, as HTML, as exports.

- `model`: the claims, series and checks arranged once for every renderer;
- `terminal`: rich tables (and the run summary); `html` + `svg`: the self-contained page;
- `export`: CSV and JSON lines; `datasette`: browsing the database with Datasette.
"""
from __future__ import annotations

from extractor.report.model import VERDICT_ORDER
from extractor.report.terminal import checks_report, failure_lines, print_report, run_summary

__all__ = ["VERDICT_ORDER", "checks_report", "failure_lines", "print_report", "run_summary"]
