"""Benchmark: render and deliver 1,000 reminders with their PDFs to a local SMTP server; targets 60 s or less,
and at least 3x faster than the straightforward way.

usage: .venv/bin/python benchmarks/bench_send.py [--n 1000] [--invoices 40000] [--workers N] [--check]

Builds the sample database (benchmarks/common.py, dated AS_OF, 40,000 open invoices make about 1,100
drafts), copies it to a temporary file and proposes reminders as of AS_OF; the first `n` drafts are sent
twice in one run to an aiosmtpd server on 127.0.0.1 that counts what it accepts, side by side:
- baseline, the straightforward way, one reminder at a time: compose the reminder, draw its letter with
  dunning.documents.pdf.straightforward_pdf (a new WeasyPrint document with default settings), build its
  message (dunning.dispatch.send.build_message), then connect, send and quit (a new SmtpTransport each);
  it records nothing;
- batch: dunning.dispatch.send.send_reminders with the SMTP transport, exactly as the app and `dunning send`
  send (checked before anything leaves, claimed, letters drawn by worker processes on every core
  while the batch composes and sends (drawing.RenderPool; this process draws too when it would wait), one
  connection for the batch, each hand-over archived and each acceptance recorded with the history the next
  proposal reads).
Both run inside one database session, as a page run of the app and a command do (outside one, each
statement opens the file anew: about 15 ms a time). The baseline runs first (it changes nothing); both
deliver the same reminders to the same recipients. Prints both totals, per-reminder milliseconds and the
ratio against the targets; with --check it exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from aiosmtpd.controller import Controller  # noqa: E402
from common import AS_OF, database  # noqa: E402

from dunning.db import Database  # noqa: E402
from dunning.dispatch import batch  # noqa: E402
from dunning.dispatch.send import build_message, send_reminders  # noqa: E402
from dunning.documents.letter import compose  # noqa: E402
from dunning.documents.pdf import straightforward_pdf  # noqa: E402
from dunning.mail.smtp import SmtpSettings, SmtpTransport  # noqa: E402
from dunning.reminders.proposal import ProposalOptions, propose  # noqa: E402

TARGET_SECONDS = 60.0
TARGET_RATIO = 3.0
HOST = "127.0.0.1"


class Counter:
    """aiosmtpd handler: accepts every message and counts messages, recipients and bytes (keeps nothing)."""

    def __init__(self) -> None:
        self.messages = self.recipients = self.size = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.messages += 1
            self.recipients += len(envelope.rcpt_tos)
            self.size += len(envelope.content)
        return "250 2.0.0 Ok: queued"


@contextmanager
def smtp_server() -> Iterator[tuple[Counter, int]]:
    """An aiosmtpd server on a free port of 127.0.0.1 for the length of the block."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port = int(probe.getsockname()[1])
    counter = Counter()
    controller = Controller(counter, hostname=HOST, port=port)
    controller.start()
    try:
        yield counter, port
    finally:
        controller.stop()


def baseline(db: Database, ids: list[int], settings: SmtpSettings) -> None:
    """The straightforward way: each reminder composed, drawn, built, then connect, send, quit."""
    for reminder_id in ids:
        docs = compose(db, reminder_id)
        letter_pdf = straightforward_pdf(docs.letter_html)
        msg = build_message(db, docs, letter_pdf)
        recipients = [*docs.reminder.to_emails, *docs.reminder.cc_emails]
        with SmtpTransport(settings) as transport:
            transport.send(msg, recipients)


def report(label: str, seconds: float, n: int, counter: Counter, before: tuple[int, int]) -> None:
    messages, size = counter.messages - before[0], counter.size - before[1]
    print(
        f"  {label:<52} {seconds:7.1f} s  {seconds / n * 1000:6.1f} ms/reminder"
        f"  ({messages} messages received, {size / max(1, messages) / 1024:.0f} KB each)"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--n", type=int, default=1000, help="reminders sent each way (default 1000; 200 is quick)"
    )
    ap.add_argument(
        "--invoices", type=int, default=40_000, help="open invoices of the sample (default 40000)"
    )
    ap.add_argument(
        "--workers", type=int, default=None, help="processes drawing letters (default: the cores)"
    )
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args()

    source = database(args.invoices)
    with tempfile.TemporaryDirectory(prefix="bench-send-") as tmp:
        path = Path(tmp) / "send.duckdb"
        shutil.copy(source, path)
        # one unit of work holds the file throughout, as a page run of the app and a `dunning send` command do
        with Database(path) as db, db.session():
            run = propose(db, ProposalOptions(as_of=AS_OF))
            pending = batch.sendable(db)
            if len(pending) < args.n:
                print(f"the proposal made {len(pending)} drafts, fewer than {args.n}; give --invoices more",
                      file=sys.stderr)  # fmt: skip
                return 2
            ids = [p.reminder_id for p in pending[: args.n]]
            summary = batch.summary(pending[: args.n])
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
            print(
                f"{args.n} reminders of {run.drafts} drafts ({args.invoices:,} open invoices) to {summary.recipients}"
                f" addresses, {cores} cores, load average {os.getloadavg()[0]:.1f}"
            )
            with smtp_server() as (counter, port):
                settings = SmtpSettings(host=HOST, port=port, security="none")
                start = time.perf_counter()
                baseline(db, ids, settings)
                base = time.perf_counter() - start
                report("baseline: compose, draw, build, connect, send, quit", base, args.n, counter, (0, 0))
                before = (counter.messages, counter.size)
                start = time.perf_counter()
                results = send_reminders(
                    db, ids, SmtpTransport(settings), on=AS_OF, by="bench", workers=args.workers
                )
                fast = time.perf_counter() - start
                report("batch: send_reminders (overlapped, one connection)", fast, args.n, counter, before)
            bad = [r for r in results if r.status != "sent"]
            if bad or counter.messages != 2 * args.n:
                print(
                    f"not every reminder was delivered: {len(bad)} not sent, e.g. {bad[:1]}", file=sys.stderr
                )
                return 1
    ratio = base / fast
    time_ok, ratio_ok = fast <= TARGET_SECONDS * args.n / 1000, ratio >= TARGET_RATIO
    print(
        f"batch {fast:.1f} s for {args.n} (target <= {TARGET_SECONDS * args.n / 1000:.0f} s: "
        f"{'met' if time_ok else 'NOT met'}); {ratio:.2f}x faster than the baseline (target >= "
        f"{TARGET_RATIO:.0f}x: {'met' if ratio_ok else 'NOT met'})"
    )
    if args.check and not (time_ok and ratio_ok):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
