"""Charsets, size caps and long texts: what text reaches the claims stage, and at what cost."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from extractor import claims as claims_stage
from extractor import fetch, pipeline, store, text
from extractor.cli import cli
from extractor.types import Article, stable_id, text_fingerprint
from httpserver import fast_policy, rss

JAPANESE = "日本の輸出は十月に増えた。銅の出荷は五千トンだった。港の関係者は需要が続くと話した。" * 8
ENGLISH = "Exporters shipped 5,000 tonnes of copper to Japan in May 2025, customs data showed.\n\nTraders said more would follow."


@pytest.mark.parametrize("body, content_type", [
    ((ENGLISH + " Café").encode("utf-16"), "text/plain"),  # BOM, no charset
    ((ENGLISH + " Café").encode("utf-16-le"), "text/plain; charset=utf-16le"),
    ((ENGLISH + " " + JAPANESE).encode("shift_jis"), "text/plain; charset=Shift_JIS"),
    ((ENGLISH + " " + JAPANESE).encode("shift_jis"), "text/plain"),  # told by the content alone
    ((ENGLISH + " Café").encode("utf-8"), "text/plain; charset=iso-8859-1"),  # a server's default label
    ((ENGLISH + " Café").encode("cp1252"), "text/plain; charset=windows-1252"),
])
def test_fetched_plain_text_is_decoded_by_its_charset(http_server, tmp_path, body, content_type):
    expected = body.decode(text._bom(body) or text.charset_of(content_type) or "shift_jis")
    if "iso-8859-1" in content_type:
        expected = body.decode("utf-8")
    http_server.add("/a.txt", body, content_type=content_type)
    http_server.add("/feed.xml", rss([("A", http_server.url("/a.txt"))]), content_type="application/rss+xml")
    feeds_yaml = tmp_path / "feeds.yaml"
    feeds_yaml.write_text(f"feeds:\n  - name: f\n    url: {http_server.url('/feed.xml')}\n")
    summary = pipeline.run(feeds_yaml, tmp_path / "c.db", policy=fast_policy())
    assert summary.failures == []
    (stored,) = store.load_articles(store.open_db(tmp_path / "c.db"))
    assert stored.text == expected.lstrip("\ufeff")
    assert "Café" in stored.text or "輸出" in stored.text


def test_an_html_page_in_the_charset_its_header_names(http_server, tmp_path):
    page = (f"<html><head><title>Copper</title></head><body><article><p>{ENGLISH}</p><p>{JAPANESE}</p>"
            "</article></body></html>").encode("shift_jis")
    http_server.add("/a.html", page, content_type="text/html; charset=shift_jis")
    http_server.add("/feed.xml", rss([("A", http_server.url("/a.html"))]), content_type="application/rss+xml")
    feeds_yaml = tmp_path / "feeds.yaml"
    feeds_yaml.write_text(f"feeds:\n  - name: f\n    url: {http_server.url('/feed.xml')}\n")
    pipeline.run(feeds_yaml, tmp_path / "c.db", policy=fast_policy())
    (stored,) = store.load_articles(store.open_db(tmp_path / "c.db"))
    assert "日本の輸出は十月に増えた" in stored.text


def test_a_local_text_file_in_utf16_is_read(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes((ENGLISH + " Café").encode("utf-16"))
    assert text.read_article_file(path).text == ENGLISH + " Café"


def test_a_local_file_over_the_cap_is_a_message_not_a_traceback(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        out.truncate(50_000_000)  # sparse: 50 MB on paper, nothing on disk
    (tmp_path / "ok.txt").write_text(ENGLISH)
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path), "--db", str(tmp_path / "c.db"), "--no-progress",
                                      "--workers", "1"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"error: {big}: file larger than {fetch.MAX_FILE_BYTES} bytes (50000000 bytes)" in result.output
    assert "E088" not in result.output and "Traceback" not in result.output
    assert "Articles: 1 processed this run, 1 stored" in result.output


def test_pieces_cut_at_paragraphs_then_lines_then_sentences_then_spaces():
    doc = "a" * 40 + "\n\n" + "b" * 30 + "\n" + "c" * 20 + ". " + "d" * 45 + " " + "e" * 70
    parts = text.pieces(doc, 60)
    assert "".join(p for _, p in parts) == doc
    assert all(len(p) <= 60 for _, p in parts) and all(doc[o:o + len(p)] == p for o, p in parts)
    assert [p for _, p in parts] == ["a" * 40 + "\n\n", "b" * 30 + "\n" + "c" * 20 + ". ", "d" * 45 + " ",
                                     "e" * 60, "e" * 10]
    assert text.pieces("x" * 130, 60) == [(0, "x" * 60), (60, "x" * 60), (120, "x" * 10)]


def test_a_long_text_read_in_pieces_gives_the_claims_of_the_whole(monkeypatch):
    paragraphs = [f"China exported {1000 + n:,} tonnes of rare earth magnets to Japan in October 2025, "
                  f"customs data showed in report {n}." for n in range(40)]
    article = Article(url="https://example.org/long", text="\n\n".join(paragraphs), published="2025-11-20")
    whole = claims_stage.claims_for(article, "long")
    monkeypatch.setattr(claims_stage, "CLAIMS_PIECE", 500)
    pieced = claims_stage.claims_for(article, "long")
    assert len(text.pieces(article.text, 500)) > 5
    assert [c.row() for c in pieced] == [c.row() for c in whole]
    assert all(article.text[c.start:c.end] == c.sentence for c in pieced)


def test_the_fingerprint_of_a_long_text_is_computed_in_chunks_with_the_same_value():
    long = ("Exporters \"shipped\"\t5,000 tonnes\\ of ΣΑΣ\n\n copper. " * 40_000)
    assert len(long) > 1 << 20
    assert text_fingerprint(long) == stable_id("text", " ".join(long.split()).lower())
