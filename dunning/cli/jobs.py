"""The commands of scheduled runs: `dunning run` (import, propose, send what may go without review) and
`dunning schedule` (the sending window, time zone and the "send automatically" switches).

`dunning run` takes the run lock (dunning.jobs.lock) before it opens the database: a second run exits with
code 3 and says which run holds it, or waits for it with --wait SECONDS. The clock is the machine's, or
DUNNING_NOW (an ISO date and time with its offset) for rehearsing a schedule and for tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dunning.cli.common import Handler, parse_date, print_json
from dunning.cli.dispatch import _db_path, _user
from dunning.db import Database
from dunning.errors import BadInput
from dunning.jobs import lock, schedule
from dunning.jobs.run import RunOptions, execute
from dunning.ledger.imports.mapping import build_mapping
from dunning.mail.settings import transport_from_env


def now_from_env() -> dt.datetime:
    """The machine's clock, or DUNNING_NOW (e.g. 2026-12-01T09:30:00+01:00)."""
    text = os.environ.get("DUNNING_NOW", "").strip()
    if not text:
        return dt.datetime.now(dt.UTC)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise BadInput(
            f"DUNNING_NOW={text!r} is not a date and time with its offset, e.g. 2026-12-01T09:30+01:00"
        )
    return value


@contextmanager
def exclusive(path: str, wait: float | None) -> Iterator[None]:
    """The run lock around the whole command, taken before the database is opened."""

    def waiting(message: str) -> None:
        print(f"dunning run: {message}", file=sys.stderr, flush=True)

    with lock.run_lock(path, wait, waiting):
        yield


def cmd_run(args: argparse.Namespace, db: Database) -> int:
    mapping = None
    if args.import_path is not None:
        mapping = build_mapping(preset=args.mapping, pairs=args.map or [], date_format=args.date_format)
    transport = transport_from_env(os.environ, _db_path(db)) if args.send else None
    options = RunOptions(
        as_of=args.as_of,
        imports=None if args.import_path is None else Path(args.import_path),
        mapping=mapping,
        all_open=args.all_open,
        send=args.send,
        by=_user(),
    )
    report = execute(db, options, now=now_from_env(), transport=transport)
    if args.json:
        print_json(report.to_json())
    else:
        for line in report.imported:
            print(f"imported {line}")
        for h in report.handled:
            print(f"{h.reminder_no} {h.customer_no}: {h.status}" + (f" ({h.detail})" if h.detail else ""))
        if report.left_out:
            print(f"left out, a person reviews their drafts: {', '.join(report.left_out)}")
        print(report.summary())
    if report.problems:
        print(
            f"dunning run: {report.problems} reminder(s) failed or of unknown fate, see above; a failed one is"
            " proposed and sent again by the next run, an unknown one waits for a person (`dunning resolve`)",
            file=sys.stderr,
        )
        return 1
    return 0


def _on_off(text: str) -> bool | None:
    return {"on": True, "off": False, "default": None}[text]


def cmd_schedule(args: argparse.Namespace, db: Database) -> int:
    if args.schedule_command == "set":
        changes = {}
        for pair in args.pairs:
            name, sep, value = pair.partition("=")
            if not sep:
                raise BadInput(f"{pair!r} is not SETTING=VALUE, e.g. time_zone=Europe/Amsterdam")
            changes[name.strip()] = value
        schedule.set_schedule(db, **changes)
    elif args.schedule_command == "auto-send":
        on = _on_off(args.switch)
        if bool(args.terms) == bool(args.customer):
            raise BadInput("name either --terms CODE or --customer NO")
        if args.terms:
            if on is None:
                raise BadInput("terms are on or off; 'default' is for a customer (back to its terms' switch)")
            schedule.set_terms_auto_send(db, args.terms, on)
        else:
            schedule.set_customer_auto_send(db, args.customer, on)
    s = schedule.load_schedule(db)
    now = now_from_env()
    why = s.why_not(now)
    auto = schedule.auto_send_overview(db)
    held_by = lock.holder(db.path)
    if getattr(args, "json", False):
        print_json({
            "time_zone": s.time_zone, "window": s.window_text, "country": s.country,
            "may_send_now": why is None, "why_not": why, "run_in_progress": held_by,
            "terms_auto_send": dict(auto["terms"]), "customers_auto_send": dict(auto["customers"]),
        })  # fmt: skip
        return 0
    print(f"sending window {s.window_text}, business days of {s.country or '(no company country set)'}")
    print(f"now: {'a run may send' if why is None else why}")
    if held_by:
        print(f"a run is in progress: {held_by}")
    for code, on in auto["terms"]:
        print(f"terms {code}: {'sent automatically' if on else 'left for review'}")
    for customer_no, on in auto["customers"]:
        print(f"customer {customer_no}: {'sent automatically' if on else 'left for review'} (its own choice)")
    return 0


def add_commands(
    add: Callable[[str, Handler, str], argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """The scheduled-run commands, on the main parser's subcommands (add) with its common options."""
    p = add(
        "run",
        cmd_run,
        "one scheduled run: import (optional), propose, and with --send send what the terms allow without "
        "review; safe to repeat. Exit codes: 0 ok, 1 a reminder failed or is of unknown fate (or another "
        f"error), 2 bad input, {lock.EXIT_CODE} another run is in progress (nothing done; --wait SECONDS "
        "waits for it)",
    )
    p.add_argument(
        "--as-of", type=parse_date, metavar="DATE",
        help="the reminders' date (default: today in the company's time zone; $DUNNING_NOW sets the clock)",
    )  # fmt: skip
    p.add_argument(
        "--import", dest="import_path", metavar="FILE_OR_FOLDER", default=None,
        help="import this file, or every CSV/XLSX/Parquet file of this folder in name order, first",
    )  # fmt: skip
    p.add_argument("--mapping", default=None, help="import preset (bc, native; default: from the header)")
    p.add_argument("--map", action="append", metavar="FIELD=COLUMN", help="import column of a field")
    p.add_argument("--date-format", default=None, metavar="FMT", help="import date format, e.g. %%d.%%m.%%Y")
    p.add_argument(
        "--all-open", action="store_true",
        help="the one file imported lists every open entry: those it omits were paid and are closed today",
    )  # fmt: skip
    p.add_argument(
        "--send", action="store_true",
        help="send the reminders whose terms (or customer) send automatically, on business days inside the "
        "sending window (`dunning schedule`); the others stay drafts for review",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(_exclusive=exclusive)

    p = add("schedule", cmd_schedule, "show or change when runs send and what they send without review")
    sub = p.add_subparsers(dest="schedule_command", metavar="ACTION")
    q = sub.add_parser("show", parents=[common], help="the window, time zone, country and switches")
    q.add_argument("--json", action="store_true", help="print one JSON object")
    q = sub.add_parser("set", parents=[common], help="time_zone=ZONE window_start=HH:MM window_end=HH:MM")
    q.add_argument("pairs", nargs="+", metavar="SETTING=VALUE")
    q = sub.add_parser(
        "auto-send", parents=[common], help="send a terms' or a customer's reminders unreviewed"
    )
    q.add_argument("switch", choices=("on", "off", "default"), help="default: a customer follows its terms")
    q.add_argument("--terms", metavar="CODE", help="these reminder terms")
    q.add_argument("--customer", metavar="NO", help="this customer (over its terms)")
