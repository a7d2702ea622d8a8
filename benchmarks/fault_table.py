"""The fault table: each hostile input among good ones, what became of the run and of the data.

    .venv/bin/python -m benchmarks.fault_table [--big]

For every fault of tests/test_faults.py (a local server on 127.0.0.1 that misbehaves on
purpose; two good pages around the hostile one) and a few archive inputs, one row:
  survived  — the run ended normally (its summary, its reconcile), no exception;
  recorded  — the fetch_log row (stage: reason), or "-" when nothing failed;
  retried   — once the site behaves, the next run stores the item and resolves its failure;
  data lost — good items not stored, plus items not stored after the retry.
`--big` adds a 200 MB body without Content-Length and a 1 GB gzip bomb with the default caps.
Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from extractor import pipeline, store  # noqa: E402
from httpserver import LocalServer, tonnes_claims  # noqa: E402
import test_faults as matrix  # noqa: E402


def gzip_bomb_streamed(size: int) -> bytes:
    """gzip of `size` zero bytes, compressed a megabyte at a time (never `size` bytes in memory)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block, out = b"\0" * (1 << 20), []
    for _ in range(size >> 20):
        out.append(packer.compress(block))
    out.append(packer.flush())
    return b"".join(out)


def http_row(name: str, fault: matrix.Fault, policy) -> tuple:
    server = LocalServer().start()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            scratch = Path(scratch)
            feeds_yaml, db_path = matrix.make_site(server, scratch), scratch / "c.db"
            fault.serve(server)
            hostile, good = server.url(matrix.HOSTILE), {server.url(p) for p in matrix.GOOD}
            try:
                pipeline.run(feeds_yaml, db_path, group="test", policy=policy, workers=2)
                survived = "yes" if not store.needs_reconcile(store.open_db(db_path)) else "no reconcile"
            except Exception as err:  # what the table is for: it must not happen
                return name, f"NO: {type(err).__name__}", "-", "-", "run aborted"
            row = matrix.log_row(db_path, hostile)
            recorded = f"{row['stage']}: {row['reason'][:70]}" if row else "-"
            lost_good = len(good - matrix.stored_urls(db_path))
            server.pages.pop("/robots.txt", None)
            server.add(matrix.HOSTILE, matrix.page(9))
            pipeline.run(feeds_yaml, db_path, group="test", policy=policy, workers=2)
            stored = matrix.stored_urls(db_path)
            after = matrix.log_row(db_path, hostile)
            retried = "yes" if hostile in stored and (after is None or after["resolved"] == 1) else "no"
            lost = lost_good + (hostile not in stored)
            return name, survived, recorded, retried if row else "(nothing to retry)", str(lost)
    finally:
        server.stop()


def archive_rows() -> list[tuple]:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        warc = matrix.write_warc(scratch / "a.warc.gz", matrix.warc_records(5, without_uri=(2,)), True)
        summary = pipeline.ingest([warc], scratch / "a.db", policy=matrix.policy())
        rows.append(("WARC record without WARC-Target-URI (1 of 5)", "yes",
                     f"ingest: {summary.failures[0].reason.split(': ', 1)[1]}", "re-read each run",
                     f"{5 - 1 - summary.articles_stored} (the record itself cannot be attributed)"))
        whole = matrix.write_warc(scratch / "w.warc.gz", matrix.warc_records(50), True).read_bytes()
        cut = scratch / "cut.warc.gz"
        cut.write_bytes(whole[:int(len(whole) * 0.6)])
        summary = pipeline.ingest([cut], scratch / "b.db", policy=matrix.policy())
        rows.append(("truncated .warc.gz (50 records, 60% of the bytes)", "yes, exit 1",
                     f"ingest: {summary.failures[0].reason[:80]}", "re-read each run",
                     f"{50 - summary.articles_stored} records beyond the cut (not in the file)"))
        urls = scratch / "l.urls"
        urls.write_text("http://127.0.0.1:9/" + "a" * 70_000 + "\n")
        summary = pipeline.ingest([urls], scratch / "c.db", policy=matrix.policy())
        rows.append((".urls line of 70,000 characters", "yes, exit 1", f"ingest: {summary.failures[0].reason[-60:]}",
                     "re-read each run", "0"))
        big = scratch / "big"
        big.mkdir()
        with (big / "big.txt").open("wb") as out:
            out.truncate(50_000_000)
        (big / "ok.txt").write_text("Exporters shipped 5,000 tonnes of tin in May 2025.")
        summary = pipeline.ingest([big], scratch / "d.db")
        rows.append(("50 MB text file (beside a good one)", "yes, exit 1", f"text: {summary.failures[0].reason}",
                     "re-read each run", f"{1 - summary.articles_stored}"))
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--big", action="store_true")
    args = parser.parse_args(argv)
    pipeline.claims_for = tonnes_claims
    pipeline_reconcile = pipeline.reconcile_db  # the real reconcile: it must run
    rows = [http_row(name, fault, matrix.policy(**fault.policy)) for name, fault in matrix.FAULTS.items()]
    if args.big:
        from extractor.fetch import FetchPolicy
        from httpserver import fast_policy

        defaults = FetchPolicy()
        policy = fast_policy(max_bytes=defaults.max_bytes, max_decoded_bytes=defaults.max_decoded_bytes)
        rows.append(http_row("200 MB body, no Content-Length (default caps)",
                             matrix.Fault(matrix.serve(body=b"x" * 200_000_000, send_length=False), "fetch"), policy))
        rows.append(http_row("1 GB gzip bomb (default caps)",
                             matrix.Fault(matrix.serve(body=gzip_bomb_streamed(1 << 30), encoded=True), "fetch"), policy))
    rows += archive_rows()
    assert pipeline.reconcile_db is pipeline_reconcile
    print("| fault or input | survived | recorded (stage: reason) | retried next run | data lost |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")


if __name__ == "__main__":
    main()
