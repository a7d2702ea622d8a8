"""Periods for the reconciler: the shared `extractor.period` type and its labels."""
from extractor.period import (  # noqa: F401
    BASIS_WORDS, MONTH_NAMES, Period, basis_between, basis_label, format_period, parse_period, previous_period,
)
