"""The `dunning` command line: a thin, stable face over the core for scripts and schedulers.

Exit codes: 0 success, 2 bad input (message on stderr), 1 anything else (also when the reader of the output
went away, as `| head` does); `dunning run` 3 when another run is in progress.
The database comes from --db PATH, else $DUNNING_DB, else dunning.duckdb in the working folder.

This module holds the parser, main() and the aging and proposal commands; ledger.py the commands that fill
the ledger (sample, import, contact, agreement); documents.py the commands that make documents (statement,
company, render); admin.py backup and restore; common.py what they share. A face of the project: it may
import every core package (sample, documents, reminders, aging, ledger, db and the base modules), and no
core package imports it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext

from dunning.access import system_actor
from dunning.aging.report import aging
from dunning.cli import admin, dispatch, documents, jobs, ledger
from dunning.cli.common import Handler, parse_date, print_json, seconds
from dunning.db import Database, resolve_path
from dunning.errors import BadInput, DunningError
from dunning.reminders.proposal import ProposalOptions, propose, run_json


# -- commands ------------------------------------------------------------------------------------------
def cmd_aging(args: argparse.Namespace, db: Database) -> int:
    report = aging(db, args.as_of or dt.date.today())
    if args.json:
        print_json(report.to_json())
        return 0
    width = max(len(b.label) for b in report.buckets)
    print(f"Aging as of {report.as_of} ({report.lcy})")
    for b in report.buckets:
        print(f"  {b.label:<{width}}  {b.count:>9,}  {b.amount_lcy:>18,.2f}")
    print(f"  {'credits':<{width}}  {report.credits_count:>9,}  {report.credits_amount_lcy:>18,.2f}")
    print(f"  {'net open':<{width}}  {report.open_count:>9,}  {report.open_amount_lcy:>18,.2f}")
    return 0


def cmd_propose(args: argparse.Namespace, db: Database) -> int:
    opts = ProposalOptions(
        as_of=args.as_of or dt.date.today(),
        posting_date=args.posting_date,
        grace_days=args.grace_days,
        customer_nos=tuple(args.customer or ()),
    )
    run = propose(db, opts)
    if run.scope_note:  # on stderr, so that --json stays one JSON object
        print(f"dunning propose: {run.scope_note}", file=sys.stderr)
    if args.json:
        print_json(run_json(db, run.run_id))
        return 0
    print(
        f"proposal run {run.run_id} as of {run.as_of}: {run.drafts} draft reminders ({run.lines} lines), "
        f"{run.skipped} customer/currency pairs skipped"
    )
    return 0


# -- parser --------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help="database file (default: $DUNNING_DB, else dunning.duckdb in the working folder)",
    )
    common.add_argument(
        "--wait",
        type=seconds,
        default=argparse.SUPPRESS,
        metavar="SECONDS",
        help="how long to wait while another process (the app, another command) uses the database "
        "(default: $DUNNING_DB_WAIT, else 30)",
    )
    parser = argparse.ArgumentParser(
        prog="dunning",
        parents=[common],
        description="Receivables aging and payment reminders. Exit codes: 0 ok, 2 bad input, 1 other errors.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands: dict[str, Handler] = {}

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        commands[name] = handler
        return sub.add_parser(name, parents=[common], help=help_text, description=help_text)

    p = add("aging", cmd_aging, "print the aging of open entries by days past due")
    p.add_argument("--as-of", type=parse_date, help="aging date (default: today)")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = add("propose", cmd_propose, "propose payment reminders (Create reminders) and save them as drafts")
    p.add_argument("--as-of", type=parse_date, help="the reminders' document date (default: today)")
    p.add_argument("--posting-date", type=parse_date, help="posting date (default: the document date)")
    p.add_argument(
        "--grace-days", type=int, default=None, metavar="N", help="override every level's grace days"
    )
    p.add_argument("--customer", nargs="+", action="extend", metavar="NO", help="only these customers")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    for module in (ledger, documents, dispatch, jobs, admin):
        module.add_commands(add, common)

    parser.set_defaults(_commands=commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = args._commands[args.command]

    def waiting(message: str) -> AbstractContextManager[None]:
        print(f"dunning {args.command}: {message}", file=sys.stderr, flush=True)
        return nullcontext()

    try:
        path, wait = resolve_path(getattr(args, "db", None)), getattr(args, "wait", None)
        # the whole command is one unit of work: it opens the file once, brings its schema up to date and
        # holds it from its first query to its last
        # it acts as the operating-system user (admin), recorded as cli:USER on what it changes
        db = Database(path, migrate=False, wait=wait, on_wait=waiting, actor=system_actor("cli:"))
        exclusive = getattr(args, "_exclusive", None)  # a command that must not overlap itself (run)
        with exclusive(path, wait) if exclusive else nullcontext(), db.session():
            db.migrate()
            code = handler(args, db)
            sys.stdout.flush()  # a reader that stopped reading is found here, not at interpreter exit
            return code
    except BrokenPipeError:
        # the reader went away (`dunning aging --json | head -1`): no traceback; what was to be printed is lost
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except BadInput as exc:
        print(f"dunning {args.command}: {exc}", file=sys.stderr)
        return 2
    except DunningError as exc:
        print(f"dunning {args.command}: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 1)
