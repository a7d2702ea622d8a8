"""Stage records: stable ids and the claim contract's shape."""
from extractor.types import CLAIM_FIELDS, Article, Check, Claim


def test_article_id_depends_on_url_only():
    a = Article(url="https://x.example/1", text="one")
    b = Article(url="https://x.example/1", text="two")
    c = Article(url="https://x.example/2", text="one")
    assert a.id == b.id != c.id
    assert a.fingerprint != b.fingerprint
    assert Article(url="u", text="Same  text").fingerprint == Article(url="v", text="same text").fingerprint


def test_claim_id_is_stable_and_distinguishes_figures():
    base = dict(article="a", sentence="s", start=0, end=1, period="2025-01", value=5.0)
    assert Claim(**base).id == Claim(**base).id
    assert Claim(**base).id != Claim(**{**base, "value": 6.0}).id
    assert Claim(**base).id != Claim(**{**base, "period": "2025-02"}).id


def test_contract_dict_has_every_contract_field():
    claim = Claim(article="a", sentence="s", start=0, end=1)
    data = claim.contract_dict()
    assert set(CLAIM_FIELDS) <= set(data)
    assert data["modality"] == "reported" and data["flow"] == "export"


def test_check_id_ignores_claim_order():
    one = Check("same_figure", "consistent", "k", ["a", "b"], "e")
    two = Check("same_figure", "consistent", "k", ["b", "a"], "e")
    assert one.id == two.id
    assert one.row()["claim_ids"] == '["a", "b"]'
