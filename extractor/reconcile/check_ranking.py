"""aggregate (ranking): a stated order of destinations agrees with the figures.

Cue phrases come from models/ranking_cues.json: frames such as "were the {r}" filled with rank
words give an absolute rank to the country named just before them; "followed by" gives the
countries named after it the next ranks. Sentences ranking over time ("the second-highest
monthly level") are skipped. A ranking is a conflict only when a figure lower-ranked country's
interval lies wholly above a higher-ranked one's.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Optional

from extractor.reconcile.check_aggregate import country_name, figure_of
from extractor.reconcile.context import Context, iv, make_check
from extractor.reconcile.series import AGGREGATES, Item
from extractor.reconcile.vocab import Vocab

_CACHE: dict[int, tuple] = {}


def _compiled(vocab: Vocab) -> tuple:
    got = _CACHE.get(id(vocab))
    if got is None:
        cues = vocab.ranking or {}
        ranks = []
        for word, rank in cues.get("rank_words", {}).items():
            for frame in cues.get("frames", []):
                ranks.append((frame.replace("{r}", word).lower(), rank))
        ranks.sort(key=lambda x: -len(x[0]))
        rank_re = re.compile("|".join(r"\b" + re.escape(p) + r"\b" for p, _ in ranks)) if ranks else None
        rank_of = dict(ranks)
        nxt = cues.get("next", [])
        next_re = re.compile("|".join(r"\b" + re.escape(p) + r"\b" for p in nxt)) if nxt else None
        excl_words = cues.get("exclude", [])
        excl = re.compile("|".join(r"\b" + re.escape(e.lower()) + r"\b" for e in excl_words)) if excl_words else None
        alias = {}
        for code, names in vocab.country_names.items():
            for name in names:
                alias.setdefault(name, code)
        names = sorted(alias, key=len, reverse=True)
        country_re = re.compile("|".join(r"(?<![\w.])" + re.escape(n) + r"(?![\w])" for n in names)) if names else None
        got = (rank_re, rank_of, next_re, excl, country_re, alias)
        _CACHE[id(vocab)] = got
    return got


_CUES: dict[int, tuple] = {}


def _cue_words(vocab: Vocab) -> tuple:
    got = _CUES.get(id(vocab))
    if got is None:
        cues = vocab.ranking or {}
        words = {w.split("-")[0].lower() for w in cues.get("rank_words", {})}
        words.update(p.lower() for p in cues.get("next", []))
        got = _CUES[id(vocab)] = tuple(sorted(words))
    return got


def _has_cue(sentence: str, vocab: Vocab) -> bool:
    low = sentence.lower()
    return any(word in low for word in _cue_words(vocab))


def ranking_statement(sentence: str, subject: str, vocab: Vocab) -> tuple[dict, list]:
    """({country: rank}, [(higher, lower)]) stated in the sentence about `subject`'s rank."""
    rank_re, rank_of, next_re, excl, country_re, alias = _compiled(vocab)
    low = sentence.lower()
    if rank_re is None or country_re is None:
        return {}, []
    # cheap cue test first: the patterns are long and most sentences rank nothing
    if not _has_cue(sentence, vocab):
        return {}, []
    if not rank_re.search(low) and not (next_re is not None and next_re.search(low)):
        return {}, []
    if excl is not None and excl.search(low):
        return {}, []
    mentions = [(m.start(), alias[m.group(0)]) for m in country_re.finditer(sentence)]
    ranks: dict = {}
    pairs: list = []
    for m in rank_re.finditer(low):
        before = [code for pos, code in mentions if pos < m.start()]
        who = before[-1] if before else subject
        ranks.setdefault(who, rank_of[m.group(0)])
    if next_re is not None:
        for m in next_re.finditer(low):
            before = [code for pos, code in mentions if pos < m.start()]
            head = before[-1] if before else subject
            tail = sentence[m.end():]
            stop = re.search(r"[.;:()]|\bwhile\b|\bbut\b", tail)
            tail_end = m.end() + (stop.start() if stop else len(tail))
            after = [code for pos, code in mentions if m.end() <= pos < tail_end]
            prev = head
            for code in after:
                pairs.append((prev, code))
                if prev in ranks and code not in ranks:
                    ranks[code] = ranks[prev] + 1
                prev = code
    return ranks, pairs


def check_rankings(ctx: Context) -> None:
    stated: dict = defaultdict(lambda: ([], {}, []))  # key -> (claim ids, ranks, pairs)
    cued: dict = {}  # sentence -> has a ranking cue (mentions repeat sentences)
    statements: dict = {}  # (sentence, subject) -> what it ranks
    stating: dict = {}  # key -> the readings of the claims whose sentences state the ranking
    vocab = ctx.vocab
    for cell in ctx.cells.values():
        exporter, importer, commodity = cell.line
        if exporter in AGGREGATES or importer in AGGREGATES:
            continue
        if not _any_cued(cell.sentences, cued, vocab):  # most cells: no claim's sentence ranks
            continue
        for it in cell.items:
            c = it.claim
            sentence = c.sentence or ""
            has = cued.get(sentence)
            if has is None:
                has = cued[sentence] = _has_cue(sentence, vocab)
            if not has:
                continue
            side = "importer" if c.flow != "import" else "exporter"
            subject = importer if side == "importer" else exporter
            fixed = exporter if side == "importer" else importer
            got = statements.get((sentence, subject))
            if got is None:
                got = statements[(sentence, subject)] = ranking_statement(sentence, subject, vocab)
            ranks, pairs = got
            if not ranks and not pairs:
                continue
            key = (side, fixed, commodity, cell.period, it.group)
            ids, all_ranks, all_pairs = stated[key]
            ids.append(c.id)
            if it.reading is not None:
                stating.setdefault(key, {})[id(it.reading)] = (it.reading, it.group)
            for k, v in ranks.items():
                all_ranks.setdefault(k, v)
            all_pairs.extend(p for p in pairs if p not in all_pairs)
    for key, (ids, ranks, pairs) in stated.items():
        _check(ctx, key, ids, ranks, pairs, list(stating.get(key, {}).values()))


def _any_cued(sentences: list, cued: dict, vocab: Vocab) -> bool:
    """Whether any of the sentences has a ranking cue, each tested once (`cued` remembers)."""
    for sentence in sentences:
        sentence = sentence or ""
        has = cued.get(sentence)
        if has is None:
            has = cued[sentence] = _has_cue(sentence, vocab)
        if has:
            return True
    return False


def _check(ctx: Context, key, ids, ranks, pairs, stating=()) -> None:
    side, fixed, commodity, period, _group = key

    def cell_of(code):
        line = (fixed, code, commodity) if side == "importer" else (code, fixed, commodity)
        return ctx.cells.get((line, period))

    partners = {}
    for cell in ctx.cells_of_period(period, commodity):
        line = cell.line
        if figure_of(cell) is None:
            continue
        code = line[1] if side == "importer" else line[0]
        if (line[0] if side == "importer" else line[1]) == fixed and code not in AGGREGATES:
            partners[code] = cell
    order = sorted(ranks, key=lambda c: ranks[c])
    all_pairs = list(pairs) + [(a, b) for a in order for b in order if ranks[a] < ranks[b]]
    problems, compared = [], 0
    against: dict = {}  # the partners whose figures contradict the stated order
    for a, b in dict.fromkeys(all_pairs):
        fa, fb = figure_of(partners.get(a)), figure_of(partners.get(b))
        if fa is None or fb is None:
            continue
        compared += 1
        if fa.hi < fb.lo:
            against[a], against[b] = partners[a], partners[b]
            problems.append(f"{country_name(ctx, b)} ({iv(fb)}) is larger than "
                            f"{country_name(ctx, a)} ({iv(fa)})")
    for code, rank in ranks.items():
        f = figure_of(partners.get(code))
        if f is None:
            continue
        above = [o for o, cell in partners.items() if o != code and figure_of(cell).lo > f.hi]
        compared += 1
        if len(above) > rank - 1:
            against[code] = partners[code]
            problems.append(f"{len(above)} destination(s) ({', '.join(country_name(ctx, o) for o in above)}) "
                            f"are larger than {country_name(ctx, code)}, stated to rank {_ordinal(rank)}")
    claim_ids = list(dict.fromkeys(ids + [i for c in partners.values() for r in c.consensus.members
                                         for i in r.claim_ids]))
    stated_text = _describe(ctx, ranks, pairs)
    figures = ", ".join(f"{country_name(ctx, c)} {cell.consensus.best().text()}" for c, cell in
                        sorted(partners.items(), key=lambda kv: -kv[1].consensus.best().value))
    series = f"{fixed}>* {commodity} {period.key()}" if side == "importer" else f"*>{fixed} {commodity} {period.key()}"
    if problems:
        verdict = "conflict"
        explanation = (f"The stated ranking ({stated_text}) contradicts the figures for {period.label()}: "
                       + "; ".join(dict.fromkeys(problems)) + ".")
    elif compared:
        verdict = "consistent"
        explanation = f"The stated ranking ({stated_text}) agrees with the figures ({figures})."
    else:
        verdict = "unverifiable"
        explanation = f"The stated ranking ({stated_text}) cannot be checked: no figures for the countries it names."
    sides = None
    if problems and stating:  # the statement itself (its source's readings), or a figure it ranks
        sides = [list(stating)] + [c.consensus.members if not c.consensus.tied else c.reported_levels()
                                   for c in against.values()]
    ctx.add(make_check("aggregate", verdict, series, claim_ids, explanation, {
        "what": "ranking", "ranks": ranks, "order_pairs": pairs,
        "figures": {c: figure_of(cell).as_list() for c, cell in partners.items()},
        "problems": problems,
    }), sides)


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")


def _describe(ctx: Context, ranks: dict, pairs: list) -> str:
    parts = [f"{country_name(ctx, c)} {_ordinal(r)}" for c, r in sorted(ranks.items(), key=lambda kv: kv[1])]
    for a, b in pairs:
        if a not in ranks or b not in ranks:
            parts.append(f"{country_name(ctx, a)} ahead of {country_name(ctx, b)}")
    return ", ".join(parts)
