"""Escaping for every medium that shows stored text to a person: terminal, HTML, CSV.

Article text, titles, URLs and failure reasons come from the outside world. In a terminal a
control character can move the cursor, recolour or retitle the window; a bidirectional
override (U+202E) makes "gpj.exe" read "exe.jpg"; in a spreadsheet a cell starting with "="
is a formula. So:
- `visible`: control and bidi-control characters shown as escapes (\\x1b, \\u202e) instead of
  acting, newlines and tabs kept; `one_line` shows newlines and tabs too (for a URL or a
  reason printed on one line, where a newline could forge the next line);
- `html`: `visible`, then HTML-escaped for content and attribute values;
- `csv_cell`: a text cell that a spreadsheet would evaluate becomes text (a leading ').
"""
from __future__ import annotations

import re
from html import escape as _html_escape
from typing import Any, Optional

# C0 and C1 controls (but tab and newline), DEL, and the bidirectional formatting characters:
# ALM, LRM, RLM, the embeddings and overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI),
# plus the line and paragraph separators that some terminals treat as newlines.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_HIDDEN_OR_BREAK = re.compile(_HIDDEN.pattern[:-1] + "\t\n]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _shown(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: Optional[str]) -> str:
    """`text` with control and bidi characters written out as escapes; None becomes ""."""
    return _HIDDEN.sub(_shown, text or "")


def one_line(text: Any) -> str:
    """`visible`, and newlines and tabs written out too: safe to print as part of one line."""
    return _HIDDEN_OR_BREAK.sub(_shown, "" if text is None else str(text))


def html(text: Any) -> str:
    """Text for HTML content or a quoted attribute value."""
    return _html_escape(visible(None if text is None else str(text)), quote=True)


def csv_cell(value: Any) -> Any:
    """A CSV value no spreadsheet evaluates: text starting with = + - @ (or a tab, a line
    break, or their full-width forms) gets a leading apostrophe, as spreadsheets expect for
    text that must stay text. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
