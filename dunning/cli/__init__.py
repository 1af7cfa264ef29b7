"""The `dunning` command line: a thin, stable face over the core for scripts and schedulers.

Exit codes: 0 success, 2 bad input (message on stderr), 1 anything else.
The database comes from --db PATH, else $DUNNING_DB, else dunning.duckdb in the working folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from dunning.aging.report import aging
from dunning.db import Database, resolve_path
from dunning.documents.company import (
    FIELDS,
    company_json,
    load_company,
    missing_fields,
    set_bank_account,
    set_company,
)
from dunning.errors import BadInput, DunningError
from dunning.ledger.contacts import CHANNELS, add_agreement, log_contact
from dunning.ledger.customer import CustomerNotFound
from dunning.ledger.imports.importer import import_file
from dunning.ledger.imports.mapping import build_mapping
from dunning.reminders.proposal import ProposalOptions, propose, run_json
from dunning.sample import SampleSpec, generate

Handler = Callable[[argparse.Namespace, Database], int]


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds; give e.g. 30 or 0")
    return value


def _print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


# -- commands ------------------------------------------------------------------------------------------
def cmd_sample(args: argparse.Namespace, db: Database) -> int:

    stats = generate(db, SampleSpec(as_of=args.as_of or dt.date.today(), open_invoices=args.invoices))
    print(
        f"sample data as of {stats.as_of}: {stats.customers} customers, {stats.contacts} contacts, "
        f"{stats.entries} ledger entries ({stats.open_invoices} open invoices) in {db.path}"
    )
    return 0


def cmd_import(args: argparse.Namespace, db: Database) -> int:
    if args.closed_on and not args.all_open:
        raise BadInput(
            "--closed-on only applies with --all-open (close the open entries the file does not list)"
        )
    mapping = build_mapping(preset=args.mapping, pairs=args.map or [], date_format=args.date_format)
    result = import_file(db, args.file, mapping, all_open=args.all_open, closed_on=args.closed_on)
    print(result.summary())
    return 0


def cmd_aging(args: argparse.Namespace, db: Database) -> int:
    report = aging(db, args.as_of or dt.date.today())
    if args.json:
        _print_json(report.to_json())
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
        _print_json(run_json(db, run.run_id))
        return 0
    print(
        f"proposal run {run.run_id} as of {run.as_of}: {run.drafts} draft reminders ({run.lines} lines), "
        f"{run.skipped} customer/currency pairs skipped"
    )
    return 0


def cmd_contact(args: argparse.Namespace, db: Database) -> int:
    on = args.on or dt.date.today()
    log_id = log_contact(db, args.customer_no, on, args.channel, args.note, created_by="cli")
    print(f"logged {args.channel} contact with {args.customer_no} on {on} (log {log_id})")
    return 0


def cmd_agreement(args: argparse.Namespace, db: Database) -> int:
    on = args.on or dt.date.today()
    agreement_id = add_agreement(db, args.customer_no, on, args.until, args.note, created_by="cli")
    print(
        f"recorded agreement {agreement_id} with {args.customer_no} of {on}: no reminder until {args.until}"
    )
    return 0


def cmd_statement(args: argparse.Namespace, db: Database) -> int:
    # WeasyPrint takes seconds to import: only the commands that make a PDF pay for it
    from dunning.documents.statement import file_name, statement_missing, statement_pdf

    as_of = args.as_of or dt.date.today()
    try:
        pdf = statement_pdf(db, args.customer_no, as_of)
        missing = statement_missing(db, args.customer_no, as_of)
    except CustomerNotFound:
        raise BadInput(
            f"customer {args.customer_no!r} does not exist; check the customer number or import the customer"
        ) from None
    path = Path(args.output or file_name(args.customer_no, as_of))
    try:
        path.write_bytes(pdf)
    except OSError as exc:
        raise BadInput(
            f"cannot write {path} ({exc.strerror}); choose a file in a folder that exists and may be written"
        ) from None
    if missing:  # on stderr: stdout stays the path alone
        print(
            f"dunning statement: the company lacks {', '.join(missing)} (a missing bank account reads 'use the "
            "account on our invoices'); set them with `dunning company set FIELD=VALUE` and "
            "`dunning company bank CURRENCY --iban IBAN`",
            file=sys.stderr,
        )
    print(path)
    return 0


LOGO_SUFFIXES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


def _company_changes(pairs: list[str]) -> dict[str, Any]:
    """FIELD=VALUE pairs as set_company's arguments; logo=@FILE reads an image file (its type by suffix)."""
    changes: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise BadInput(f"{pair!r} is not FIELD=VALUE; the fields are {', '.join(FIELDS)}")
        name = name.strip()
        if name == "logo" and value:
            path = Path(value.removeprefix("@"))
            media_type = LOGO_SUFFIXES.get(path.suffix.lower())
            if media_type is None:
                raise BadInput(f"company field 'logo': give a file ending in {', '.join(LOGO_SUFFIXES)}")
            try:
                changes["logo"] = path.read_bytes()
            except OSError as exc:
                raise BadInput(f"company field 'logo': cannot read {path} ({exc.strerror})") from None
            changes.setdefault("logo_media_type", media_type)
        elif name in ("logo", "logo_media_type") and not value:
            changes["logo"] = None
        else:
            changes[name] = value
    return changes


def _print_company(db: Database) -> None:
    data = company_json(load_company(db))
    width = max(len(name) for name in data)
    for name, value in data.items():
        if name == "bank_accounts":
            continue
        if name == "logo":
            value = f"{value['media_type']}, {value['bytes']:,} bytes" if value else ""
        lines = str(value).splitlines() or [""]
        print(f"{name:<{width}}  {lines[0]}")
        for line in lines[1:]:
            print(f"{'':<{width}}  {line}")
    for a in data["bank_accounts"]:
        print(f"{'bank ' + a['currency']:<{width}}  {a['iban']}  {a['bic']}  {a['bank_name']}".rstrip())


def cmd_company(args: argparse.Namespace, db: Database) -> int:
    if args.company_command == "show":
        company = load_company(db)
        currencies = sorted({db.lcy(), *(a.currency for a in company.bank_accounts)})
        missing = {cur: list(missing_fields(company, cur)) for cur in currencies}
        if args.json:
            _print_json({**company_json(company), "missing": missing})
            return 0
        _print_company(db)
        for cur, names in missing.items():
            if names:
                print(f"missing for documents in {cur}: {', '.join(names)}")
    elif args.company_command == "set":
        changes = _company_changes(args.pairs)
        company = set_company(db, **changes)
        for name in changes:
            value = getattr(company, name)
            shown = f"{len(value):,} bytes" if isinstance(value, bytes) else str(value).replace("\n", " / ")
            print(f"set {name}: {shown}")
    else:
        account = set_bank_account(db, args.currency, args.iban, args.bic or "", args.bank or "")
        print(
            f"set bank account {account.currency}: {account.iban_grouped}"
            + (f", BIC {account.bic}" if account.bic else "")
            + (f", {account.bank_name}" if account.bank_name else "")
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
        type=_seconds,
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

    p = add(
        "sample", cmd_sample, "fill the database with deterministic sample data dated around an as-of date"
    )
    p.add_argument("--as-of", type=parse_date, help="date the sample is built around (default: today)")
    p.add_argument(
        "--invoices",
        type=int,
        default=None,
        metavar="N",
        help="number of open invoices (default: the 519/25/41 example, about 700)",
    )

    p = add("import", cmd_import, "import open items from CSV, XLSX or Parquet (upsert by document no.)")
    p.add_argument("file", help="the file to import")
    p.add_argument(
        "--mapping",
        default=None,
        metavar="PRESET",
        help="column preset: bc (Business Central 'Customer Ledger Entries'), or native field names",
    )
    p.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN",
        help="map a ledger field to a file column; repeat for each field",
    )
    p.add_argument(
        "--date-format",
        default=None,
        metavar="FMT",
        help="strptime format of the file's dates, e.g. %%m/%%d/%%Y (default: ISO dates)",
    )
    p.add_argument(
        "--all-open",
        action="store_true",
        help="the file lists every open entry: close the open entries it does not list (they were paid)",
    )
    p.add_argument(
        "--closed-on",
        type=parse_date,
        default=None,
        metavar="DATE",
        help="with --all-open: the date the missing entries are closed on (default: today)",
    )

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

    p = add("contact", cmd_contact, "log a contact made by hand (holds automatic reminders back for a while)")
    p.add_argument("customer_no", metavar="CUSTOMER_NO", help="the customer contacted")
    p.add_argument("--note", required=True, help="what was said or agreed")
    p.add_argument("--on", type=parse_date, help="date of the contact (default: today; not in the future)")
    p.add_argument("--channel", choices=CHANNELS, default="phone", help="how (default: phone)")

    p = add("agreement", cmd_agreement, "record an agreement: no reminder for the customer until a date")
    p.add_argument("customer_no", metavar="CUSTOMER_NO", help="the customer it was agreed with")
    p.add_argument("--until", type=parse_date, required=True, help="no reminder until this date")
    p.add_argument("--note", required=True, help="what was agreed, e.g. a payment plan")
    p.add_argument("--on", type=parse_date, help="date it was agreed (default: today)")

    p = add("statement", cmd_statement, "write a customer's statement of account as PDF and print its path")
    p.add_argument("customer_no", metavar="CUSTOMER_NO", help="the customer the statement is for")
    p.add_argument("--as-of", type=parse_date, help="the statement's date (default: today)")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write the PDF (default: statement-CUSTOMER_NO-DATE.pdf in the working folder)",
    )

    p = add("company", cmd_company, "show or change the company every document speaks for")
    company_sub = p.add_subparsers(dest="company_command", required=True, metavar="ACTION")
    q = company_sub.add_parser("show", parents=[common], help="print the company and its bank accounts")
    q.add_argument("--json", action="store_true", help="print one JSON object")
    q = company_sub.add_parser("set", parents=[common], help="change fields: FIELD=VALUE ...")
    q.add_argument("pairs", nargs="+", metavar="FIELD=VALUE", help=f"fields: {', '.join(FIELDS)}; logo=@FILE")
    q = company_sub.add_parser("bank", parents=[common], help="set the bank account of a currency")
    q.add_argument("currency", metavar="CURRENCY", help="the currency documents paid to it are in, e.g. EUR")
    q.add_argument("--iban", required=True, help="the account's IBAN (checked with its check digits)")
    q.add_argument("--bic", default=None, help="the bank's BIC")
    q.add_argument("--bank", default=None, help="the bank's name")

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
        db = Database(path, migrate=False, wait=wait, on_wait=waiting)
        with db.session():
            db.migrate()
            return handler(args, db)
    except BadInput as exc:
        print(f"dunning {args.command}: {exc}", file=sys.stderr)
        return 2
    except DunningError as exc:
        print(f"dunning {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
