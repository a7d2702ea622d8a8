"""Sentence boundaries for extracted news text.

Extracted text has one paragraph per line, and headlines, bylines and list items end without a
full stop, so every line ends a sentence; inside a line a sentence ends at . ! or ? followed by
a capital, unless the word before is an abbreviation ("U.S.", "Mr.", "Dec.").
"""
from __future__ import annotations

import re

LINE = re.compile(r"[^\n]+")
# A line broken inside a sentence (hard-wrapped copy): no end punctuation, next line lower case.
WRAPPED = re.compile(r"(?<=[a-z0-9%,])[ \t]*\n(?=[ \t]*[a-z])")
# Whether WRAPPED occurs, found from the line breaks before a lower-case letter (a pattern that
# starts with a line break is searched for fast; WRAPPED, starting with a lookbehind, is tried
# at every character).
BREAK_BEFORE_LOWER = re.compile(r"\n(?=[ \t]*[a-z])")
WRAPPED_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789%,")
END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9]|(?<=[a-z%)]\.\s)[a-z]{3})")
# Before a lower-case word a full stop ends a sentence only after a plain word ("... 456 tons.
# nipponese imports rose"), never after an abbreviation or a single letter.
PLAIN_WORD_END = re.compile(r"(?:[a-z]{3,}|%|\))[.!?]$")
ABBREVIATION = re.compile(
    r"(?:^|\s|\()(?:(?:[A-Z]\.){1,3}|(?:Mr|Mrs|Ms|Dr|St|Inc|Ltd|Co|Corp|No|vs|approx|Jan|Feb|Mar|Apr|Jun|Jul|"
    r"Aug|Sep|Sept|Oct|Nov|Dec|Gov|Sen|Rep|Gen|Prof|Jr|Sr|e\.g|i\.e|etc)\.)$")
CLOSING = re.compile(r"[\"”’')\]]*")  # quotes and brackets that close a sentence
LIST_MARK = re.compile(r"[-–•*·▪]\s+|\d{1,2}[.)]\s+(?=[A-Z])")


def split_sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) of each sentence, stripped of surrounding space and list marks."""
    out = []
    if wrapped(text):
        text = WRAPPED.sub(lambda m: " " * len(m.group()), text)  # same offsets, one line
    for para, line in enumerate(LINE.finditer(text)):
        start = line.start()
        for boundary in END.finditer(line.group()):
            cut = line.start() + boundary.start() + 1
            cut = CLOSING.match(text, cut).end()
            if ABBREVIATION.search(text[max(start, cut - 12):cut]):
                continue
            after = boundary.end() + line.start()
            if text[after:after + 1].islower() and not PLAIN_WORD_END.search(text[max(start, cut - 12):cut]):
                continue
            _append(text, start, cut, para, out)
            start = line.start() + boundary.end()
        _append(text, start, line.end(), para, out)
    return out


def wrapped(text: str) -> bool:
    """WRAPPED.search(text) is not None."""
    for found in BREAK_BEFORE_LOWER.finditer(text):
        k = found.start()
        while k > 0 and text[k - 1] in " \t":
            k -= 1
        if k > 0 and text[k - 1] in WRAPPED_BEFORE:
            return True
    return False


def _append(text: str, start: int, end: int, para: int, out: list) -> None:
    while start < end and text[start].isspace():
        start += 1
    mark = LIST_MARK.match(text, start, end)
    if mark:
        start = mark.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end, para))
