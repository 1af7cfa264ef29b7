"""Benchmark: render a batch of 500 documents to PDF; target 4x faster than the straightforward way.

usage: .venv/bin/python benchmarks/bench_documents.py [--n 500] [--workers N] [--check]

Builds the sample database (benchmarks/common.py, dated AS_OF), makes `n` documents with documents() and
renders the same HTML twice in one run, side by side:
- baseline: the straightforward way, one HTML(string=...).write_pdf() per document in this process with
  default settings (through the same templates-only fetcher): dunning.documents.pdf.straightforward_pdf;
- batch: dunning.documents.drawing.render_many, this process and a spawned worker per further core (each with one
  renderer that shares fonts and parsed stylesheets between its documents).
It also times the shared renderer alone in this process on the first 100 documents, which shows what the
documents gain apart from the cores. It prints per-document milliseconds and the ratios; with --check it exits 1 when the batch is
less than TARGET times faster than the baseline.

documents() is the one place that says what is rendered: the reminder letters of the drafts a proposal makes
on a sample of 20,000 open invoices (each letter composed from its draft, in its customer's language, with
its EPC QR code or Swiss QR-bill), as many distinct letters as there are drafts, repeated up to `n`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import AS_OF, database  # noqa: E402

from dunning.db import Database  # noqa: E402
from dunning.documents.drawing import render_many  # noqa: E402
from dunning.documents.letter import compose  # noqa: E402
from dunning.documents.pdf import PdfRenderer, straightforward_pdf  # noqa: E402
from dunning.documents.reminder import open_reminder_ids  # noqa: E402
from dunning.reminders.proposal import ProposalOptions, propose  # noqa: E402

TARGET = 4.0
SHARED_SAMPLE = 100


def documents(db: Database, n: int) -> list[str]:
    """`n` reminder letters as HTML, composed from the drafts of a proposal as of AS_OF."""
    ids = open_reminder_ids(db)
    if not ids:
        propose(db, ProposalOptions(as_of=AS_OF))
        ids = open_reminder_ids(db)
    letters = [compose(db, i).letter_html for i in ids[:n]]
    return [letters[i % len(letters)] for i in range(n)]


def timed(label: str, render: Callable[[], Sequence[bytes]], n: int) -> tuple[float, list[bytes]]:
    start = time.perf_counter()
    pdfs = list(render())
    seconds = time.perf_counter() - start
    size = sum(len(p) for p in pdfs) / max(1, len(pdfs)) / 1024
    print(f"  {label:<44} {seconds:7.1f} s  {seconds / n * 1000:6.1f} ms/document  ({size:.0f} KB each)")
    return seconds, pdfs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500, help="documents in the batch (default 500; 100 is quick)")
    ap.add_argument(
        "--workers", type=int, default=None, help="processes for the batch (default: one per core)"
    )
    ap.add_argument("--check", action="store_true", help=f"exit 1 when the batch is not {TARGET:.0f}x faster")
    args = ap.parse_args()

    with Database(database(20_000)) as db:
        htmls = documents(db, args.n)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"{args.n} documents ({len({*htmls})} distinct), {cores} cores, load average {os.getloadavg()[0]:.1f}"
    )

    batch, fast = timed(
        "batch: render_many, one process per core", lambda: render_many(htmls, workers=args.workers), args.n
    )
    base, plain = timed(
        "baseline: HTML(string=...).write_pdf() each", lambda: [straightforward_pdf(h) for h in htmls], args.n
    )
    sample = htmls[:SHARED_SAMPLE]  # enough to tell the shared renderer's speed, and the run stays short
    renderer = PdfRenderer()
    shared, _ = timed(
        f"shared renderer alone, this process ({len(sample)})",
        lambda: [renderer.render(h) for h in sample],
        len(sample),
    )
    shared *= args.n / len(sample)

    if len(fast) != len(plain) or any(not p.startswith(b"%PDF") for p in fast):
        print("the batch did not return one PDF per document", file=sys.stderr)
        return 1
    ratio = base / batch
    print(
        f"batch is {ratio:.2f}x faster than the baseline (target {TARGET:.1f}x): {base / shared:.2f}x from "
        f"shared fonts and stylesheets, {shared / batch:.2f}x more from the cores"
    )
    if args.check and ratio < TARGET:
        print(f"below the target of {TARGET:.1f}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
