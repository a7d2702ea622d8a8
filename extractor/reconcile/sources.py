"""Which claims are independent: source groups of articles.

Mentions in one article are one source. Articles join one group when
- their texts are (near-)duplicates: same fingerprint, or rapidfuzz similarity above
  NEAR_DUP_RATIO among candidates that share a band of two min-hashes of their sentences
  (locality-sensitive blocking, so no all-pairs comparison), or
- they share a primary wire origin: the agency in the byline ("By Reuters", "(Reuters) -",
  a "(Reporting by" sign-off) or, failing that, the first agency the text cites or a claim
  names as its source. Other agencies cited are recorded but do not merge groups, so one
  article citing both Reuters and Bloomberg does not make all of their stories one source.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import Iterable, Optional

from rapidfuzz import fuzz

from extractor.reconcile.names import SourceNames
from extractor.reconcile.vocab import Vocab
from extractor.types import Article, Claim

NEAR_DUP_RATIO = 85  # fuzz.ratio of normalised texts
CONTAINED_RATIO = 92  # token_set_ratio when one text is a trimmed copy of the other
MAX_BUCKET = 50  # a shingle shared by more articles is boilerplate, not a copy
COMPARE_CHARS = 4000

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")  # what the min-hash sketch splits texts at
_SENTENCE_END = re.compile(r"(?<=[.!?]) ")  # the same within one whitespace-normalised line


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


@dataclass
class SourceGroups:
    group_of: dict[str, str]  # article id -> group id
    label_of_group: dict[str, str]  # group id -> readable label
    origin_of: dict[str, Optional[str]] = field(default_factory=dict)  # article id -> agency
    cited_by: dict[str, list[str]] = field(default_factory=dict)  # article id -> agencies cited
    duplicates: list[tuple[str, str, float]] = field(default_factory=list)  # near-dup pairs

    def group(self, article_id: str) -> str:
        return self.group_of.get(article_id, article_id)

    def label(self, group_id: str) -> str:
        return self.label_of_group.get(group_id, group_id)

    def labels(self, group_ids) -> list[str]:
        """`label` of each, in order (a consensus of a million claims names many groups)."""
        group_ids = list(group_ids)
        return list(map(self.label_of_group.get, group_ids, group_ids))


def article_label(article: Optional[Article], fallback: str = "") -> str:
    """A short readable name: the title (shortened), else the site, else the URL."""
    if article is None:
        return fallback
    title = (article.title or "").strip()
    if title:
        return title if len(title) <= 70 else title[:67].rstrip() + "..."
    return article.sitename or article.url or fallback


_AGENCY_RE_CACHE: dict[int, tuple] = {}


def _agency_regex(vocab: Vocab) -> tuple:
    """One alternation over every agency alias, and alias -> agency."""
    cached = _AGENCY_RE_CACHE.get(id(vocab))
    if cached is None:
        alias_of = {}
        parts = []
        for name, aliases in vocab.agencies.items():
            for alias in aliases:
                alias_of[alias] = name
        for alias in sorted(alias_of, key=len, reverse=True):
            pattern = re.escape(alias)
            if alias[0].isalnum():
                pattern = r"\b" + pattern
            if alias[-1].isalnum():
                pattern += r"\b"
            parts.append(pattern)
        pieces = _shortest_pieces(alias.strip("()") for alias in alias_of)
        # a text holds one of the names exactly when this finds one (a faster pre-test than
        # looking for each name in turn)
        cached = (re.compile("|".join(parts)) if parts else None, alias_of,
                  re.compile("|".join(map(re.escape, pieces))))
        _AGENCY_RE_CACHE[id(vocab)] = cached
    return cached


def _shortest_pieces(names) -> tuple:
    """The names none of the others is part of: a text holds one of all the names exactly
    when it holds one of these ("Reuters" stands for "Thomson Reuters" too)."""
    names = list(dict.fromkeys(names))
    return tuple(n for n in names if not any(o != n and o in n for o in names))


def _agency_mentions(text: str, vocab: Vocab) -> list[tuple[int, str, bool]]:
    """(position, agency, in byline) for every agency named in the text."""
    regex, alias_of, pretest = _agency_regex(vocab)
    out = []
    if regex is not None and pretest.search(text):
        for m in regex.finditer(text):
            name = alias_of[m.group(0)]
            before = text[max(0, m.start() - 4):m.start()]
            after = text[m.end():m.end() + 4]
            byline = m.start() < 400 and (
                before.rstrip().endswith("By") or re.match(r"\)?\s*[-–—]", after) is not None)
            out.append((m.start(), name, byline))
    for name, signs in vocab.agency_signatures.items():
        for sign in signs:
            pos = text.find(sign)
            if pos >= 0:
                out.append((pos, name, True))
    out.sort()
    return out


def primary_origin(article: Article, claims: Iterable[Claim], vocab: Vocab,
                   sources: SourceNames) -> tuple[Optional[str], list[str]]:
    """The article's wire origin (or None) and every agency it cites."""
    mentions = _agency_mentions(article.text or "", vocab)
    cited = list(dict.fromkeys(name for _, name, _ in mentions))
    if article.sitename:
        site = sources.canonical(article.sitename)
        if sources.is_agency(site):
            return site, cited
    bylines = [name for _, name, byline in mentions if byline]
    if bylines:
        return bylines[0], cited
    for claim in claims:
        if claim.source:  # most claims name no source
            named = sources.canonical(claim.source)
            if sources.is_agency(named):
                return named, cited
    return (cited[0] if cited else None), cited


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())[:COMPARE_CHARS]


BANDS = 3  # band keys from the bottom-6 hashes: copies share one, unrelated texts rarely do
POOL = 24  # bottom hashes kept per text; those shared by too many texts are boilerplate


def _bottom(text: str) -> list[int]:
    """The smallest hashes of the text's sentences (a bottom-k min-hash sketch).

    Sentences, not word shingles: wire copies keep most sentences verbatim, and hashing a
    few dozen sentences is far cheaper than hashing every five-word window.
    """
    hashes = {zlib.crc32(p.encode()) for p in _sentences(text.lower()) if len(p) >= 20}
    return sorted(hashes)[:POOL]


def _sentences(text: str) -> list[str]:
    """The pieces of `_SENTENCE.split(text)`, each with its whitespace runs made single spaces.

    Split at newlines, each line's whitespace normalised, then split after ". ", "! " and "? "
    with str methods (twice as fast as the look-behind pattern over every text); a line
    holding the NUL used as the marker takes the pattern.
    """
    out = []
    for line in text.split("\n"):
        if not _single_spaced(line):
            line = " ".join(line.split())
        if "\x00" in line:
            out += _SENTENCE_END.split(line)
        else:
            out += line.replace(". ", ".\x00").replace("! ", "!\x00").replace("? ", "?\x00").split("\x00")
    return out


def _single_spaced(line: str) -> bool:
    """`" ".join(line.split()) == line`, told without splitting: every whitespace character but
    the ASCII space is unprintable, so a printable line with no double, leading or trailing
    space is already normalised (most texts are)."""
    return line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " "


def _bands(bottom: list[int], common: set) -> list[tuple]:
    kept = [h for h in bottom if h not in common][:2 * BANDS]
    if len(kept) == 1:  # a one-sentence text: its only sentence is the key
        return [(0, kept[0])]
    return [(b, *kept[2 * b:2 * b + 2]) for b in range(len(kept) // 2)]


def near_duplicate_pairs(articles: list[Article]) -> list[tuple[str, str, float]]:
    """Pairs of articles whose texts are copies of each other, found via blocking."""
    bottoms = [_bottom(art.text or "") for art in articles]
    frequency = Counter(chain.from_iterable(bottoms))
    common = {h for h, n in frequency.items() if n > MAX_BUCKET}
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for i, bottom in enumerate(bottoms):
        for key in _bands(bottom, common):
            buckets[key].append(i)
    seen: set[tuple[int, int]] = set()
    pairs = []
    norm_cache: dict[int, str] = {}

    def norm(i: int) -> str:
        if i not in norm_cache:
            norm_cache[i] = _normalised(articles[i].text or "")
        return norm_cache[i]

    for members in buckets.values():
        if len(members) < 2 or len(members) > MAX_BUCKET:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if (i, j) in seen or articles[i].id == articles[j].id:
                    continue
                seen.add((i, j))
                a, b = norm(i), norm(j)
                score = fuzz.ratio(a, b, score_cutoff=NEAR_DUP_RATIO)
                if not score and min(len(a), len(b)) >= 400:
                    score = fuzz.token_set_ratio(a, b, score_cutoff=CONTAINED_RATIO)
                if score:
                    pairs.append((articles[i].id, articles[j].id, round(score, 1)))
    return pairs


def source_groups(articles: list[Article], claims: list[Claim], vocab: Vocab,
                  sources: SourceNames) -> SourceGroups:
    uf = _UnionFind()
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_article[claim.article_id or claim.article].append(claim)
    known = {a.id: a for a in articles}
    for aid in by_article:
        uf.find(aid)
    by_fingerprint: dict[str, str] = {}
    origin_of, cited_by = {}, {}
    for art in articles:
        uf.find(art.id)
        if art.fingerprint and art.text:
            first = by_fingerprint.setdefault(art.fingerprint, art.id)
            uf.union(first, art.id)
        origin, cited = primary_origin(art, by_article.get(art.id, ()), vocab, sources)
        origin_of[art.id], cited_by[art.id] = origin, cited
        if origin:
            uf.union("~agency:" + origin, art.id)
    for aid, cl in by_article.items():  # claims whose article is not among `articles`
        if aid not in known:
            for claim in cl:
                named = sources.canonical(claim.source)
                if sources.is_agency(named):
                    uf.union("~agency:" + named, aid)
                    origin_of[aid] = named
                    break
    dups = near_duplicate_pairs([a for a in articles if a.text])
    for a, b, _ in dups:
        uf.union(a, b)

    members: dict[str, list[str]] = defaultdict(list)
    group_of = {}
    for aid in list(uf.parent):
        if aid.startswith("~agency:"):
            continue
        root = uf.find(aid)
        group_of[aid] = root
        members[root].append(aid)
    labels = {}
    for root, aids in members.items():
        aids.sort(key=lambda x: ((known[x].published or "") if x in known else "", x))
        origins = sorted({origin_of[a] for a in aids if origin_of.get(a)})
        first = article_label(known.get(aids[0]), aids[0])
        label = (origins[0] + ": " if origins else "") + first
        if len(aids) > 1:
            label += f" (+{len(aids) - 1} more article{'s' if len(aids) > 2 else ''})"
        labels[root] = label
    return SourceGroups(group_of, labels, origin_of, cited_by, dups)
