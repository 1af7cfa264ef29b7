"""The commands that fill and correct the ledger: sample data, imports, contacts made by hand, agreements."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable

from dunning.cli.common import Handler, confirm, parse_date
from dunning.db import Database
from dunning.errors import BadInput
from dunning.ledger.contacts import CHANNELS, add_agreement, log_contact
from dunning.ledger.imports.importer import import_table, preview, read_file
from dunning.ledger.imports.mapping import build_mapping
from dunning.ledger.imports.parties import KINDS, detect_kind, import_parties, read_table
from dunning.ledger.imports.party_fields import build_party_mapping
from dunning.ledger.imports.undo import batches, undo_import
from dunning.sample import SampleSpec, generate
from dunning.sample.remove import holds_sample, remove_sample


def cmd_sample(args: argparse.Namespace, db: Database) -> int:
    if args.remove:
        if args.as_of or args.invoices is not None:
            raise BadInput("--remove takes no --as-of or --invoices: it removes the sample, it makes none")
        print(
            remove_sample(db).summary()
            if holds_sample(db)
            else f"no sample data in {db.path}; nothing removed"
        )
        return 0
    stats = generate(db, SampleSpec(as_of=args.as_of or dt.date.today(), open_invoices=args.invoices))
    print(
        f"sample data as of {stats.as_of}: {stats.customers} customers, {stats.contacts} contacts, "
        f"{stats.entries} ledger entries ({stats.open_invoices} open invoices) in {db.path}"
    )
    return 0


def cmd_import(args: argparse.Namespace, db: Database) -> int:
    if args.batches or args.undo is not None:
        return _batches(args, db)
    if args.file is None:
        raise BadInput("name the file to import (or --batches to list the imports, --undo BATCH to undo one)")
    kind = args.kind or detect_kind(read_table(args.file).columns) or "ledger"
    if kind != "ledger":
        return _import_parties(args, db, kind)
    if args.closed_on and not args.all_open:
        raise BadInput(
            "--closed-on only applies with --all-open (close the open entries the file does not list)"
        )
    mapping = build_mapping(
        preset=args.mapping, pairs=args.map or [], date_format=args.date_format, currency=args.currency,
        round_amounts=args.round,
    )  # fmt: skip
    table = read_file(args.file)
    if args.all_open and not args.yes:
        to_close = preview(db, table, mapping, all_open=True).to_close
        if to_close and not confirm(
            f"The file lists every open entry: close the {to_close:,} open entries it does not list? [y/N]"
        ):
            print("dunning import: nothing was imported or closed", file=sys.stderr)
            return 1
    result = import_table(db, table, mapping, all_open=args.all_open, closed_on=args.closed_on)
    print(result.summary())
    return 0


def _batches(args: argparse.Namespace, db: Database) -> int:
    """--batches: the latest imports; --undo BATCH: undo one as a whole."""
    if args.file is not None:
        raise BadInput("--batches and --undo take no file; leave the file out")
    if args.undo is not None:
        print(undo_import(db, args.undo).summary())
        return 0
    listed = batches(db)
    for b in listed:
        print(b.describe())
    if not listed:
        print("no imports yet")
    return 0


def _import_parties(args: argparse.Namespace, db: Database, kind: str) -> int:
    """Customers or contacts: the ledger's options about dates and open entries do not apply."""
    ledger_only = [f for f, v in (("--date-format", args.date_format), ("--all-open", args.all_open),
                                  ("--closed-on", args.closed_on), ("--round", args.round),
                                  ("--currency", args.currency)) if v]  # fmt: skip
    if ledger_only:
        raise BadInput(
            f"{', '.join(ledger_only)} only apply to ledger entries, not to {kind}; leave them out"
        )
    mapping = build_party_mapping(kind, args.mapping, args.map or [])
    print(import_parties(db, args.file, kind, mapping).summary())
    return 0


def cmd_contact(args: argparse.Namespace, db: Database) -> int:
    on = args.on or dt.date.today()
    log_id = log_contact(db, args.customer_no, on, args.channel, args.note)
    print(f"logged {args.channel} contact with {args.customer_no} on {on} (log {log_id})")
    return 0


def cmd_agreement(args: argparse.Namespace, db: Database) -> int:
    on = args.on or dt.date.today()
    agreement_id = add_agreement(db, args.customer_no, on, args.until, args.note)
    print(
        f"recorded agreement {agreement_id} with {args.customer_no} of {on}: no reminder until {args.until}"
    )
    return 0


def add_commands(
    add: Callable[[str, Handler, str], argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """The ledger commands, on the main parser's subcommands (add) with its common options."""
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
    p.add_argument(
        "--remove", action="store_true", help="remove the sample data (your imports, terms and company stay)"
    )

    p = add(
        "import", cmd_import, "import open items, customers or contacts from CSV, XLSX or Parquet (upsert)"
    )
    p.add_argument("file", nargs="?", help="the file to import")
    p.add_argument(
        "--kind",
        choices=KINDS,
        default=None,
        help="what the file holds (default: detected from its columns where they tell, else ledger)",
    )
    p.add_argument(
        "--mapping",
        default=None,
        metavar="PRESET",
        help="column preset: bc (Business Central's 'Customer Ledger Entries', 'Customers' or 'Contacts'), "
        "bc_relations ('Contact Business Relations'), or native field names",
    )
    p.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN",
        help="map a field (of the --kind) to a file column; repeat for each field",
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
    p.add_argument("--yes", action="store_true", help="with --all-open: close without asking first")
    p.add_argument("--batches", action="store_true", help="list the latest imports, newest first")
    p.add_argument(
        "--undo",
        type=int,
        default=None,
        metavar="BATCH",
        help="undo an import as a whole: the entries it added go, those it changed or closed return",
    )
    p.add_argument(
        "--currency",
        default=None,
        metavar="CODE",
        help="the currency of a file without a currency column (default: the local currency)",
    )
    p.add_argument(
        "--round",
        action="store_true",
        help="round amounts with more decimals than their currency has to its minor unit (half away from zero)",
    )

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
