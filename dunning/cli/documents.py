"""The commands that make documents: a customer's statement, the company documents speak for, and the
reminders rendered exactly as they would be sent."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dunning.cli.common import Handler, parse_date, print_json
from dunning.db import Database
from dunning.documents.company import (
    FIELDS,
    LOGO_SUFFIXES,
    company_json,
    load_company,
    logo_type,
    missing_fields,
    set_bank_account,
    set_company,
)
from dunning.errors import BadInput
from dunning.ledger.customer import CustomerNotFound


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
            media_type = logo_type(path.name)
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
            print_json({**company_json(company), "missing": missing})
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
    elif args.company_command == "invoices":
        from dunning.documents.message import set_invoice_files  # loads the documents (and WeasyPrint)

        files = set_invoice_files(db, args.folder, args.attach)
        print(f"invoice PDFs: attach {files.attach}" + (f" from {files.folder}" if files.folder else ""))
    else:
        account = set_bank_account(db, args.currency, args.iban, args.bic or "", args.bank or "")
        print(
            f"set bank account {account.currency}: {account.iban_grouped}"
            + (f", BIC {account.bic}" if account.bic else "")
            + (f", {account.bank_name}" if account.bank_name else "")
        )
    return 0


def cmd_render(args: argparse.Namespace, db: Database) -> int:
    # WeasyPrint takes seconds to import: only the commands that make a PDF pay for it
    from dunning.documents.reminder import open_reminder_ids
    from dunning.documents.render import render_reminders

    ids = open_reminder_ids(db, tuple(args.customer or ()))
    results = render_reminders(db, ids, args.out, workers=args.workers)
    if args.json:
        print_json([r.to_json() for r in results])
    else:
        for r in results:
            shown = f"{r.reminder_no} {r.customer_no} {r.currency} {r.total:,.2f}"
            if r.status == "written":
                print(f"{shown}: {r.eml} (to {', '.join(r.to)})")
            elif r.status == "incomplete":
                print(f"{shown}: not rendered, the company lacks {', '.join(r.missing)}")
            else:
                print(f"{shown}: not rendered: {'; '.join(r.problems)}")
            for note in r.problems if r.status == "written" else ():
                print(f"  note: {note}")
        if not results:
            print("no open draft reminders to render; create them with `dunning propose`")
    missing = sorted({name for r in results for name in r.missing})
    if missing:
        print(
            f"dunning render: the company lacks {', '.join(missing)}; set them with `dunning company set "
            "FIELD=VALUE` and `dunning company bank CURRENCY --iban IBAN`, or on the Company page",
            file=sys.stderr,
        )
        return 2
    failed = [r for r in results if r.status == "failed"]
    if failed:
        print(f"dunning render: {len(failed)} reminder(s) not rendered, see above", file=sys.stderr)
        return 2
    return 0


def add_commands(
    add: Callable[[str, Handler, str], argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """The document commands, on the main parser's subcommands (add) with its common options."""
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
    q = company_sub.add_parser(
        "invoices",
        parents=[common],
        help="attach the original invoice PDFs (DOCUMENT_NO.pdf) to reminder emails",
    )
    q.add_argument("--folder", default=None, metavar="DIR", help="the folder holding the invoice PDFs")
    q.add_argument(
        "--attach", choices=("none", "overdue", "all"), required=True,
        help="which lines' invoices: none, the overdue ones, or every line listed",
    )  # fmt: skip

    p = add(
        "render", cmd_render, "write each open draft reminder as the email it would send (.eml, PDF attached)"
    )
    p.add_argument(
        "--customer", nargs="+", action="extend", metavar="NO", help="only these customers' drafts"
    )
    p.add_argument(
        "--out", default="reminders", metavar="DIR", help="folder to write into (default: reminders)"
    )
    p.add_argument("--json", action="store_true", help="print one JSON list, one object per draft")
    p.add_argument(
        "--workers", type=int, default=None, metavar="N", help="processes drawing PDFs (default: the cores)"
    )
