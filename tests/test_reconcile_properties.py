"""Property tests: figures drawn from one true series and rounded correctly never conflict;
a figure moved beyond its rounding always does."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from extractor.reconcile import reconcile
from extractor.reconcile.intervals import Interval, change_between, implied_previous
from extractor.reconcile.precision import change_interval, value_interval
from extractor.types import Article, Claim

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MONTHS = ["2024-%02d" % m for m in range(1, 13)]


def shown(x: float, decimals: int) -> tuple[float, str]:
    """The value rounded as a newsroom would print it, and the literal."""
    text = f"{x:,.{decimals}f}"
    return float(text.replace(",", "")), text


def claim(cid, article, period, importer="WLD", value=None, literal=None, change=None,
          change_literal=None, basis=None, per=None):
    parts = []
    if value is not None:
        parts.append(f"exports reached {literal} tonnes" + (" a month" if per else ""))
    if change is not None:
        parts.append(f"{'up' if change >= 0 else 'down'} {change_literal}%")
    sentence = "China's widget " + ", ".join(parts) + f" in {period}."
    return Claim(article=article, article_id=article, sentence=sentence, start=0, end=len(sentence),
                 exporter="CN", importer=importer, commodity="widgets", value=value,
                 unit="t" if value is not None else None, period=period, change_pct=change,
                 change_basis=basis, per=per, id=cid)


def article(aid: str) -> Article:
    # distinct text per article so no two are taken for copies of one report
    return Article(url=f"https://news{aid}.example/a", text=f"Report {aid} " + aid * 40,
                   title=f"Report {aid}", id=aid)


true_months = st.lists(st.floats(min_value=50, max_value=90_000, allow_nan=False), min_size=12, max_size=12)
decimals = st.integers(min_value=0, max_value=2)


@st.composite
def honest_reports(draw):
    truth = draw(true_months)
    shares = {m: (draw(st.floats(min_value=0.05, max_value=0.6)), draw(st.floats(0.1, 1.0)))
              for m in range(12)}
    claims = []
    n_articles = draw(st.integers(min_value=2, max_value=4))
    for a in range(n_articles):
        aid = f"a{a}"
        for m in sorted(draw(st.sets(st.integers(min_value=1, max_value=11), min_size=1, max_size=6))):
            v, lit = shown(truth[m], draw(decimals))
            change = None
            basis = draw(st.sampled_from(["mom", None]))
            if draw(st.booleans()):
                true_change = (truth[m] / truth[m - 1] - 1) * 100
                change, clit = shown(true_change, draw(decimals))
                change_literal = clit.lstrip("-")
            claims.append(claim(f"{aid}-{m}", aid, MONTHS[m], value=v, literal=lit, change=change,
                                change_literal=change_literal if change is not None else None,
                                basis=basis if change is not None else None))
        if draw(st.booleans()):  # the year, as a total or as a monthly rate
            if draw(st.booleans()):
                v, lit = shown(sum(truth), draw(decimals))
                claims.append(claim(f"{aid}-y", aid, "2024", value=v, literal=lit))
            else:
                v, lit = shown(sum(truth) / 12, draw(decimals))
                claims.append(claim(f"{aid}-y", aid, "2024", value=v, literal=lit, per="month"))
        if draw(st.booleans()):  # a destination's share of one month
            m = draw(st.integers(min_value=1, max_value=11))
            share, rest = shares[m]
            v, lit = shown(truth[m] * share, draw(decimals))
            claims.append(claim(f"{aid}-d{m}", aid, MONTHS[m], importer="DE", value=v, literal=lit))
            v2, lit2 = shown(truth[m] * (1 - share) * rest, draw(decimals))
            claims.append(claim(f"{aid}-e{m}", aid, MONTHS[m], importer="FR", value=v2, literal=lit2))
    return truth, claims, [article(f"a{a}") for a in range(n_articles)]


@SETTINGS
@given(honest_reports())
def test_correctly_rounded_reports_never_conflict(case):
    truth, claims, articles = case
    result = reconcile(claims, articles)
    conflicts = [c.explanation for c in result.checks if c.verdict == "conflict"]
    assert conflicts == []


@SETTINGS
@given(true_months, decimals, decimals, st.integers(min_value=1, max_value=11),
       st.floats(min_value=0.01, max_value=5), st.sampled_from([1, -1]))
def test_value_moved_beyond_rounding_conflicts(truth, da, db, m, extra, sign):
    va, la = shown(truth[m], da)
    vb0, _ = shown(truth[m], db)
    ha, hb = 0.5 * 10 ** -da, 0.5 * 10 ** -db
    moved = vb0 + sign * (2 * (ha + hb) + extra * 10 ** -db + 10 ** -db)
    if moved <= 0:
        moved = vb0 + 2 * (ha + hb) + 10 ** -db
    vb, lb = shown(moved, db)
    assert abs(vb - va) > ha + hb  # the intervals cannot overlap
    claims = [claim("a", "a0", MONTHS[m], value=va, literal=la),
              claim("b", "a1", MONTHS[m], value=vb, literal=lb)]
    result = reconcile(claims, [article("a0"), article("a1")])
    assert [c.kind for c in result.checks if c.verdict == "conflict"] == ["same_figure"]


@SETTINGS
@given(true_months, decimals, decimals, st.integers(min_value=1, max_value=11),
       st.floats(min_value=0.05, max_value=20), st.sampled_from([1, -1]))
def test_change_moved_beyond_rounding_conflicts(truth, dv, dc, m, extra, sign):
    a, la = shown(truth[m], dv)
    b, lb = shown(truth[m - 1], dv)
    h = 0.5 * 10 ** -dv
    computed = change_between(Interval(a - h, a + h), Interval(b - h, b + h))
    hc = 0.5 * 10 ** -dc
    true_change = (a / b - 1) * 100
    stated = true_change + sign * ((computed.hi - computed.lo) + 2 * hc + extra)
    c, lc = shown(stated, dc)
    claims = [claim("prev", "a0", MONTHS[m - 1], value=b, literal=lb),
              claim("now", "a1", MONTHS[m], value=a, literal=la, change=c,
                    change_literal=lc.lstrip("-"), basis="mom")]
    # beyond the rounding the reconciler reads into the stated figure (a round hundred of
    # several hundred percent stands for +/-50 points: precision.py)
    read = change_interval(claims[1])
    assume(abs(c - true_change) > (computed.hi - computed.lo) + (read.hi - read.lo) / 2 + hc)
    result = reconcile(claims, [article("a0"), article("a1")])
    kinds = {c.kind for c in result.checks if c.verdict == "conflict"}
    # a stated fall of 100 % or more implies no earlier value, but the change is still checked
    assert kinds == ({"stated_change"} if c + hc <= -100 else {"implied_value", "stated_change"})


@SETTINGS
@given(st.floats(min_value=1, max_value=1e7), decimals)
def test_value_interval_contains_the_truth(x, d):
    v, lit = shown(x, d)
    iv = value_interval(claim("c", "a", "2024-01", value=v, literal=lit))
    assert iv.lo - 1e-9 * x <= x <= iv.hi + 1e-9 * x
    assert iv.hi - iv.lo <= 10 ** -d + 1e-9 * x


def test_million_literal_precision():
    c = Claim(article="a", sentence="exports reached 1.2 million tonnes", start=0, end=10,
              value=1_200_000, unit="t", period="2024")
    assert value_interval(c) == Interval(1_150_000, 1_250_000)
    bare = Claim(article="a", sentence="", start=0, end=0, value=1_200_000, unit="t", period="2024")
    assert value_interval(bare) == Interval(1_150_000, 1_250_000)
    assert value_interval(Claim(article="a", sentence="", start=0, end=0, value=6150, period="2024")) == Interval(6149.5, 6150.5)


def test_qualifiers():
    base = dict(article="a", sentence="over 400 tons", start=0, end=1, value=400, period="2024")
    assert value_interval(Claim(**base, qualifier="over")).lo == 399.5
    assert value_interval(Claim(**base, qualifier="under")) == Interval(0.0, 400.5)
    approx = value_interval(Claim(**base, qualifier="approx"))
    assert approx == Interval(390.0, 410.0)
    assert implied_previous(Interval(100, 100), Interval(-101, -100)) is None
    assert implied_previous(Interval(100, 100), Interval(-100.5, -99.5))[0] == pytest.approx(20000.0)
