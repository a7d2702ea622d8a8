"""Typed records passed between pipeline stages.

Library objects (feedparser dicts, trafilatura documents, spaCy docs) are converted to these at
the edge of the stage that produced them, so no later stage depends on a library's shape.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, fields
from typing import Any, Optional


# json.dumps with these options builds a new encoder on every call; one built once encodes the same
_ID_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)
# ... and JSONEncoder.encode itself builds its C encoder on every call: this is that C encoder, built
# once with the same options (no circular check: the parts are scalars and flat lists).
try:
    from json.encoder import c_make_encoder as _c_make_encoder, encode_basestring as _encode_basestring
except ImportError:  # pragma: no cover (CPython always has the C encoder)
    _c_make_encoder = None
_ID_ITERENCODE = None if _c_make_encoder is None else _c_make_encoder(
    None, _ID_ENCODER.default, _encode_basestring, None, _ID_ENCODER.key_separator, _ID_ENCODER.item_separator,
    _ID_ENCODER.sort_keys, _ID_ENCODER.skipkeys, _ID_ENCODER.allow_nan)


def stable_id(*parts: Any, length: int = 16) -> str:
    """A short hash of the parts, the same on every run: the key of idempotent upserts."""
    raw = _ID_ENCODER.encode(parts) if _ID_ITERENCODE is None else "".join(_ID_ITERENCODE(parts, 0))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:length]


_FINGERPRINT_CHUNK = 1 << 20
_SPACE = re.compile(r"\s")


def text_fingerprint(text: str) -> str:
    """stable_id("text", the text with its whitespace collapsed, lower-cased), computed a chunk
    at a time: for a 20 MB text the list of its words alone would take 200 MB."""
    if len(text) <= _FINGERPRINT_CHUNK:
        return stable_id("text", " ".join(text.split()).lower())
    digest = hashlib.sha1(b'["text", "')
    first, start = True, 0
    while start < len(text):
        boundary = _SPACE.search(text, min(start + _FINGERPRINT_CHUNK, len(text)))  # never inside a word
        end = boundary.start() if boundary else len(text)
        normalised = " ".join(text[start:end].split()).lower()
        if normalised:
            if not first:
                digest.update(b" ")
            digest.update(json.dumps(normalised, ensure_ascii=False)[1:-1].encode("utf-8"))
            first = False
        start = end + 1 if boundary else end
    digest.update(b'"]')
    return digest.hexdigest()[:16]


@dataclass
class Failure:
    """One thing that went wrong, recorded on the item and in `fetch_log`, never swallowed."""

    url: str
    stage: str  # feeds | fetch | text | claims | store | ingest
    reason: str


@dataclass
class FeedEntry:
    """An item of a feed, as far as the later stages care."""

    feed: str  # the feed's name in feeds.yaml
    url: str  # the entry's link, absolute (or a local path for a local feed)
    title: Optional[str] = None
    published: Optional[str] = None  # ISO date, when the feed gives one
    summary: Optional[str] = None


@dataclass
class Article:
    """An article's extracted text and metadata; `id` is a hash of its canonical URL."""

    url: str
    text: str
    title: Optional[str] = None
    published: Optional[str] = None  # ISO date YYYY-MM-DD
    feed: Optional[str] = None
    sitename: Optional[str] = None
    fingerprint: Optional[str] = None  # hash of the normalised text, for dedupe
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = stable_id("article", self.url)
        if self.fingerprint is None:
            self.fingerprint = text_fingerprint(self.text)


# The fields of claims.md, in its order; `extractor extract` prints exactly these plus extras.
CLAIM_FIELDS = (
    "article", "exporter", "importer", "flow", "commodity", "value", "unit", "period",
    "change_pct", "change_basis", "qualifier", "modality", "per", "sentence", "start", "end",
    "source", "inferred",
)


@dataclass
class Claim:
    """One reported figure about a flow of goods (see shared/contract/claims.md)."""

    article: str
    sentence: str
    start: int  # offsets of the sentence in the article's extracted text
    end: int
    period: Optional[str] = None
    exporter: Optional[str] = None
    importer: Optional[str] = None
    flow: str = "export"
    commodity: Optional[str] = None
    value: Optional[float] = None
    unit: Optional[str] = None
    change_pct: Optional[float] = None
    change_basis: Optional[str] = None
    qualifier: Optional[str] = None
    modality: str = "reported"
    per: Optional[str] = None
    source: Optional[str] = None
    # Fields the claim's own sentence does not state, carried from context (claims.md `inferred`).
    inferred: tuple[str, ...] = ()
    # Offsets in the article text of the figure itself (value or change), for highlighting.
    figure_start: Optional[int] = None
    figure_end: Optional[int] = None
    article_id: Optional[str] = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = stable_id(
                "claim", self.article_id or self.article, self.start, self.figure_start,
                self.exporter, self.importer, self.commodity, self.period, self.value,
                self.change_pct, self.change_basis, self.per,
            )

    def contract_dict(self) -> dict:
        """The claim in the shape of claims.md (plus the figure's offsets)."""
        data = {name: getattr(self, name) for name in CLAIM_FIELDS}
        data["inferred"] = list(self.inferred)
        data["figure_start"], data["figure_end"] = self.figure_start, self.figure_end
        return data

    def row(self) -> dict:
        # Every field is a scalar, so a shallow copy is asdict's result; asdict's recursive deep
        # copy cost more than the database insert of the row.
        row = {f.name: getattr(self, f.name) for f in _CLAIM_FIELDS_ALL}
        row["inferred"] = json.dumps(list(self.inferred))
        return row

    @classmethod
    def from_row(cls, row: dict) -> "Claim":
        names = {f.name for f in fields(cls)}
        data = {k: v for k, v in row.items() if k in names}
        data["inferred"] = decode_inferred(data.get("inferred"))
        return cls(**data)


_CLAIM_FIELDS_ALL = fields(Claim)


def decode_inferred(value) -> tuple[str, ...]:
    """The `inferred` column (JSON text, or absent in databases written before it) as a tuple."""
    if not value:
        return ()
    if isinstance(value, str):
        return tuple(json.loads(value))
    return tuple(value)


@dataclass
class Check:
    """A cross-check over stored claims, with the arithmetic written out."""

    kind: str  # same_figure | implied_value | stated_change | aggregate | unverifiable ...
    verdict: str  # consistent | conflict | unverifiable
    series: str  # readable key, e.g. "CN>US rare earth magnets 2025-11"
    claim_ids: list[str]
    explanation: str  # one or two sentences a fact-checker could paste
    arithmetic: dict = field(default_factory=dict)  # the numbers behind the verdict
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = stable_id("check", self.kind, self.series, sorted(self.claim_ids))

    def row(self) -> dict:
        data = _shallow(self)  # the lists and dict are encoded below: no deep copy needed
        data["claim_ids"] = json.dumps(self.claim_ids)
        data["arithmetic"] = encode_arithmetic(self.arithmetic)
        return data


@dataclass
class Finding:
    """What a person should look at: one wrong figure (or a tie between sources), its likely
    cause, the claims held wrong and the checks that show it (shared/contract/cli.md)."""

    kind: str  # conflict | check_reading
    series: str  # the series of the suspect figure, e.g. "CN>WLD rare earth magnets 2025-06"
    claim_ids: list[str]  # the claims held to be wrong (every candidate when sources tie)
    check_ids: list[str]  # the conflicting checks the finding explains
    cause: str  # wrong_period | wrong_commodity | wrong_partner | separator | multiplier | ...
    explanation: str  # two or three sentences a fact-checker could paste
    support_claim_ids: list[str] = field(default_factory=list)  # the figures the others agree on
    arithmetic: dict = field(default_factory=dict)  # suspect, supported interval, sources, ...
    importance: float = 0.0  # orders the findings for review (higher first)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = stable_id("finding", self.series, sorted(self.claim_ids))

    def row(self) -> dict:
        data = _shallow(self)  # the lists and dict are encoded below: no deep copy needed
        for name in ("claim_ids", "check_ids", "support_claim_ids"):
            data[name] = json.dumps(getattr(self, name))
        data["arithmetic"] = encode_arithmetic(self.arithmetic)
        return data


# json.dumps(value, ensure_ascii=False), the encoder made once: the arithmetic of thousands of
# checks and findings is tens of megabytes; it is a tree (shared parts, no cycles), so the
# circular-reference bookkeeping is left out
encode_arithmetic = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def _shallow(record) -> dict:
    """A dataclass's fields as a dict, values not copied (asdict's deep copy of a finding's
    arithmetic cost more than encoding it)."""
    names = _FIELD_NAMES.get(record.__class__)
    if names is None:  # `fields` costs more than the copy: asked once per class
        names = _FIELD_NAMES[record.__class__] = tuple(f.name for f in fields(record))
    return {name: getattr(record, name) for name in names}


_FIELD_NAMES: dict = {}
