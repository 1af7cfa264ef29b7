"""The commands of a reminder's life after the draft: send the open drafts through the configured transport,
list what was issued, decide a reminder of unknown fate, cancel an issued reminder."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

from dunning.cli.common import Handler, confirm, print_json
from dunning.db import Database
from dunning.dispatch import batch
from dunning.dispatch.claims import recover, resolve_unknown
from dunning.dispatch.history import issued_reminders
from dunning.mail.settings import describe, transport_from_env
from dunning.reminders.issued import cancel


def _user() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _db_path(db: Database) -> Path | None:
    return None if db.path == ":memory:" else Path(db.path)


def cmd_send(args: argparse.Namespace, db: Database) -> int:

    customers = tuple(args.customer or ())
    recover(db)  # a sender that died: its reminders come back or are shown as unknown below
    pending = batch.sendable(db, customers)
    waiting = batch.unknown(db, customers)
    where = describe(os.environ, _db_path(db))
    s = batch.summary(pending)
    line = f"{s.count} reminder(s) to {s.recipients} recipient(s), totals {s.totals_text()}; {where}"
    if args.dry_run:
        if args.json:
            print_json(
                [{"reminder_id": p.reminder_id, "reminder_no": p.reminder_no, "customer_no": p.customer_no,
                  "status": "would send", "recipients": list(p.recipients), "currency": p.currency,
                  "total": f"{p.total:.2f}"} for p in pending]
            )  # fmt: skip
        else:
            for p in pending:
                print(f"{p.reminder_no} {p.customer_no} {p.currency} {p.total:,.2f}: would send to "
                      f"{', '.join(p.recipients)}")  # fmt: skip
            print(f"dry run, nothing was sent: {line}")
        return 0
    if not pending and not waiting:
        print("no open reminders to send; create them with `dunning propose`", file=sys.stderr)
        if args.json:
            print_json([])
        return 0
    if pending and not args.yes:
        if not confirm(f"Send {line}? [y/N]"):
            print("dunning send: nothing was sent", file=sys.stderr)
            return 1
    from dunning.dispatch.send import send_reminders  # loads the documents (and WeasyPrint)

    transport = transport_from_env(os.environ, _db_path(db))
    results = send_reminders(
        db, [p.reminder_id for p in pending], transport, on=dt.date.today(), by=_user(), workers=args.workers
    )
    shown = [r.to_json() for r in results]
    shown += [
        {"reminder_id": u.reminder_id, "reminder_no": u.reminder_no, "customer_no": u.customer_no,
         "status": "unknown", "recipients": list(u.recipients), "detail": u.detail, "message_id": ""}
        for u in batch.unknown(db, customers)
    ]  # fmt: skip
    if args.json:
        print_json(shown)
    else:
        for r in shown:
            to = f" to {', '.join(r['recipients'])}" if r["recipients"] else ""
            print(
                f"{r['reminder_no']} {r['customer_no']}: {r['status']}{to}"
                + (f" ({r['detail']})" if r["detail"] else "")
            )
    bad = [r for r in shown if r["status"] in ("failed", "unknown")]
    if bad:
        print(
            f"dunning send: {len(bad)} reminder(s) failed or of unknown fate, see above; a failed one is sent"
            " again by the next `dunning send`, an unknown one waits for you to find out whether it arrived",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_history(args: argparse.Namespace, db: Database) -> int:
    rows = issued_reminders(db, customer_no=args.customer, status=args.status)
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    for r in rows:
        print(
            f"{r.date} {r.reminder_no} {r.customer_no} {r.name} level {r.level} {r.currency} {r.total:,.2f}"
            f" {r.status} by {r.sent_by or '-'} via {r.transport or '-'} to {', '.join(r.recipients)}"
            + (f" ({r.detail})" if r.detail else "")
        )
    if not rows:
        print("no reminders issued yet")
    return 0


def cmd_cancel(args: argparse.Namespace, db: Database) -> int:
    reminder_id = batch.reminder_id_of(db, args.reminder)
    cancel(db, reminder_id, by=_user())
    row = db.one(
        "select reminder_no, customer_no from reminder_headers where reminder_id = $r", {"r": reminder_id}
    )
    assert row is not None
    print(
        f"cancelled {row[0]} of {row[1]}: its entries' levels, charged interest and compensation fall back;"
        " who cancelled it and when is recorded on the reminder"
    )
    return 0


def cmd_resolve(args: argparse.Namespace, db: Database) -> int:
    reminder_id = batch.reminder_id_of(db, args.reminder)
    resolve_unknown(db, reminder_id, delivered=args.delivered, by=_user())
    outcome = "recorded as sent" if args.delivered else "back to draft, to be sent again"
    print(f"reminder {args.reminder}: {outcome}")
    return 0


def add_commands(
    add: Callable[[str, Handler, str], argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """The dispatch commands, on the main parser's subcommands (add)."""
    p = add("send", cmd_send, "send the open draft reminders through the configured transport, each once")
    p.add_argument("--dry-run", action="store_true", help="print what would be sent and send nothing")
    p.add_argument("--yes", action="store_true", help="send without asking for confirmation")
    p.add_argument("--customer", nargs="+", action="extend", metavar="NO", help="only these customers")
    p.add_argument("--json", action="store_true", help="print one JSON list, one object per reminder")
    p.add_argument(
        "--workers", type=int, default=None, metavar="N", help="processes drawing PDFs (default: the cores)"
    )

    p = add("history", cmd_history, "list the reminders issued (sent, failed, unknown, cancelled)")
    p.add_argument("--customer", default=None, metavar="NO", help="only this customer's")
    p.add_argument(
        "--status", choices=("sending", "sent", "failed", "unknown", "cancelled"), default=None,
        help="only reminders in this status",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON list")

    p = add(
        "resolve", cmd_resolve, "decide a reminder of unknown fate (handed over, then the sender was lost)"
    )
    p.add_argument("reminder", metavar="REMINDER_NO", help="the reminder's number, e.g. R0000114")
    fate = p.add_mutually_exclusive_group(required=True)
    fate.add_argument("--delivered", action="store_true", help="it reached the customer: record it as sent")
    fate.add_argument(
        "--not-delivered",
        dest="delivered",
        action="store_false",
        help="it did not: back to draft, sent again",
    )

    p = add("cancel", cmd_cancel, "cancel an issued reminder: its entries' levels and charges fall back")
    p.add_argument("reminder", metavar="REMINDER_NO", help="the reminder's number, e.g. R0000114")
