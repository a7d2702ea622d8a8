"""Quality gate: extraction compared with gold sets, failing below pinned floors.

The floors only rise: raise them when the extractor improves, never lower them to pass.
Scoring reuses shared/tools/score_claims.py when it is beside the repository, else a copy of
its fact-matching rules below (so fixtures/dev is gated even without ../shared).
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
from pathlib import Path

import pytest

from extractor.claims import extract_claims, load_nlp

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
REALNEWS = SHARED / "realnews"  # 84 published articles, read by hand (third-party text: read in place)
DEV = REPO / "fixtures" / "dev"
HELDOUT = REPO / "fixtures" / "heldout"  # scored untuned first (F1 0.700), see its README
HELDOUT2 = REPO / "fixtures" / "heldout2"  # written apart from the rules, scored untuned (F1 0.528), see its README
DEV2 = REPO / "fixtures" / "dev2"  # goods beyond rare earths; d2_01-15 tuned on, d2_16-25 held out (see its README)
DEV3 = REPO / "fixtures" / "dev3"  # fuels, foods, ores; d3_01-12 tuned on, d3_13-25 held out (see its README)

# Pinned at what the extractor achieves, rounded down slightly.
FLOORS = {
    "seeds": {"f1": 1.0, "commodity_agreement": 1.0},
    "dev": {"f1": 0.99, "commodity_agreement": 0.98},
    # Some held-out goods (soybean oil, sunflower oil, ammonium nitrate) are not in the vocabulary.
    "heldout": {"f1": 0.99, "commodity_agreement": 0.98},
    # Real news: F1 0.581 (strict 0.456) before the reader was rebuilt on it; 0.975 (strict 0.958) now.
    "realnews": {"f1": 0.965, "commodity_agreement": 0.98},
    "realnews_strict": {"f1": 0.95},
    # Written by another hand and kept out of rule-writing: an honest estimate for unseen text
    # (0.528 untuned at first, 0.828 now).
    "heldout2": {"f1": 0.82},
    # 0.491 untuned (0.502 on the part later tuned on, 0.471 on the part held out); 0.899 now.
    "dev2": {"f1": 0.89},
    # 0.738 untuned (0.680 on the part later tuned on, 0.802 on the part held out); 0.923 now.
    "dev3": {"f1": 0.91},
}


def _load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _scorer():
    """score(gold, pred) from the shared scorer, or the same rules written out here."""
    tool = SHARED / "tools" / "score_claims.py"
    if tool.exists():
        spec = importlib.util.spec_from_file_location("score_claims", tool)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.score
    return _own_score


def _facts(claims):
    out = {}
    for c in claims:
        key = (c["article"], c.get("exporter"), c.get("importer"), c.get("period"))
        if c.get("value") is not None:
            out.setdefault(("value",) + key + (float(c["value"]),), c)
        if c.get("change_pct") is not None:
            fact = ("change",) + key + (float(c["change_pct"]),)
            known = next((f for f in out if f[:6] == fact), None)
            if known is None:
                out[fact + (c.get("change_basis"),)] = c
            elif known[6] is None and c.get("change_basis") is not None:
                out[fact + (c.get("change_basis"),)] = out.pop(known)
    return out


def _same(g, p):
    if g[:5] != p[:5]:
        return False
    if g[0] == "value":
        return abs(g[5] - p[5]) <= 0.005 * max(abs(g[5]), 1.0)
    return abs(g[5] - p[5]) <= 0.051 and (g[6] is None or p[6] is None or g[6] == p[6])


def _norm(name):
    words = "".join(ch if ch.isalpha() or ch == " " else " " for ch in (name or "").lower()).split()
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)


def _own_score(gold_claims, pred_claims, verbose=False):
    gold, pred = _facts(gold_claims), _facts(pred_claims)
    unmatched, tp, commodity_ok = list(pred), 0, 0
    for g in gold:
        hit = next((p for p in unmatched if _same(g, p)), None)
        if hit is not None:
            unmatched.remove(hit)
            tp += 1
            commodity_ok += _norm(gold[g].get("commodity")) == _norm(pred[hit].get("commodity"))
    precision = tp / len(pred) if pred else 0.0
    recall = tp / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": round(f1, 3), "precision": round(precision, 3), "recall": round(recall, 3),
            "commodity_agreement": round(commodity_ok / tp, 3) if tp else 0.0}


def _extract_set(folder: Path) -> tuple[list[dict], list[dict]]:
    nlp = load_nlp()
    predicted = []
    for meta in _load_jsonl(folder / "articles.jsonl"):
        path = folder / f"{meta['article']}.txt"
        if not path.exists():
            path = folder / "articles" / f"{meta['article']}.txt"
        published = dt.date.fromisoformat(meta["published"]) if meta.get("published") else None
        for claim in extract_claims(path.read_text(encoding="utf-8"), article=meta["article"],
                                    published=published, nlp=nlp):
            predicted.append(claim.contract_dict())
    return _load_jsonl(folder / "gold.jsonl"), predicted


def _check(name: str, folder: Path, strict: bool = False) -> None:
    gold, predicted = _extract_set(folder)
    result = _scorer()(gold, predicted, strict=True) if strict else _scorer()(gold, predicted)
    for metric, floor in FLOORS[name].items():
        assert result[metric] >= floor, f"{name}: {metric} {result[metric]} fell below its floor {floor}: {result}"


def test_seed_articles_meet_the_floor():
    if not SEEDS.exists():
        pytest.skip(f"seed gold set not found at {SEEDS} (../shared beside the repository)")
    _check("seeds", SEEDS)


def _require_shared(folder: Path) -> None:
    if not folder.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{folder} is missing: CI runs with ../shared beside the repository")
        pytest.skip(f"{folder} not found (../shared beside the repository)")


def test_real_news_meets_the_floor():
    _require_shared(REALNEWS)
    _check("realnews", REALNEWS)


def test_real_news_complete_claims_meet_the_floor():
    """--strict: the commodity, modality and monthly rate must be right too."""
    _require_shared(REALNEWS)
    if not (SHARED / "tools" / "score_claims.py").exists():
        pytest.skip("the strict score needs the shared scorer")
    _check("realnews_strict", REALNEWS, strict=True)


def test_second_heldout_set_meets_the_floor():
    _check("heldout2", HELDOUT2)


def test_second_development_set_meets_the_floor():
    _check("dev2", DEV2)


def test_third_development_set_meets_the_floor():
    _check("dev3", DEV3)


def test_development_set_meets_the_floor():
    _check("dev", DEV)


def test_heldout_set_meets_the_floor():
    _check("heldout", HELDOUT)


def test_development_set_is_substantial():
    """The gate means little on a handful of sentences: at least 30 articles, imports and exports."""
    articles = _load_jsonl(DEV / "articles.jsonl")
    gold = _load_jsonl(DEV / "gold.jsonl")
    assert len(articles) >= 30
    assert all(meta.get("published") for meta in articles)
    assert {c["flow"] for c in gold} == {"export", "import"}
    assert len({c["commodity"] for c in gold}) >= 15


def test_own_scorer_agrees_with_shared_scorer():
    if not (SHARED / "tools" / "score_claims.py").exists():
        pytest.skip("shared scorer not found beside the repository")
    gold, predicted = _extract_set(DEV)
    shared = _scorer()(gold, predicted)
    own = _own_score(gold, predicted)
    assert (own["f1"], own["commodity_agreement"]) == (shared["f1"], shared["commodity_agreement"])
    # and it does detect errors: a wrong period on every claim scores zero
    broken = [dict(c, period="1999") for c in predicted]
    assert _own_score(gold, broken)["f1"] == 0.0
