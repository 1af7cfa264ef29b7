"""Import customers and contacts from an ERP export: all or nothing, idempotent, every problem at once.

The same rules as the ledger import (importer.py): the file is read as text (readers.py), each row checked
(party_rows.py) and every problem raised at once in ImportRejected, with nothing written; otherwise one
transaction upserts the rows and records an import_batches row. Importing the same file again changes nothing.

- customers, upserted by customer number (the file's name wins, an empty cell keeps what is stored); a
  customer's own email address becomes a contact with the default role, unless it has one with that address;
- contacts, upserted per customer by the ERP's contact number, else by email address, else by name; a contact
  without a role gets the one level 1 of the customer's terms writes to;
- Business Central's Contact Business Relations (a contacts file with "Link to Table"): which company contact
  stands for which customer, so that its Contacts export, which names companies, finds the customers.

The kind of a file is detected from its header (party_fields.detect_kind) when the caller does not say it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dunning.access import Action, require
from dunning.db import Database, load_sql
from dunning.db.database import Session
from dunning.errors import BadInput, ImportRejected, Problem
from dunning.ledger import people
from dunning.ledger.imports import undo
from dunning.ledger.imports.party_fields import KINDS, PartyMapping, Resolved, detect_kind
from dunning.ledger.imports.party_rows import (
    Links,
    PartyRows,
    prepare_contacts,
    prepare_customers,
    prepare_links,
)
from dunning.ledger.imports.readers import RawTable, Unreadable, read_path

__all__ = [
    "KINDS",
    "PartiesResult",
    "PartyCheck",
    "check_parties",
    "detect_kind",
    "import_parties",
    "read_table",
]

PREVIEW_ROWS = 20
WHAT = {"customers": "customers", "contacts": "contacts", "links": "links to customers"}


@dataclass(frozen=True)
class PartiesResult:
    file: str
    kind: str  # customers, contacts, or links (Business Central's Contact Business Relations)
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    batch_id: int
    left_out: int = 0  # rows of no customer's (vendors', prospects' contacts and links)
    contacts_created: int = 0  # from the customers' own email addresses
    unknown_terms: tuple[str, ...] = ()  # reminder terms codes the customers name that are not set up here

    def summary(self) -> str:
        what = WHAT[self.kind]
        parts = [f"{self.rows_read:,} row{'s' if self.rows_read != 1 else ''} read", f"{self.inserted:,} {what} inserted", f"{self.updated:,} updated",
                 f"{self.unchanged:,} unchanged"]  # fmt: skip
        if self.contacts_created:
            n = self.contacts_created
            parts.append(f"{n:,} contact{'s' if n != 1 else ''} created from the customers' email addresses")
        if self.left_out:
            parts.append(
                f"{self.left_out:,} row{'s' if self.left_out != 1 else ''} left out (not a customer's)"
            )
        text = f"{self.file}: {', '.join(parts)} (import batch {self.batch_id})"
        if self.unknown_terms:
            text += (
                f"; reminder terms {', '.join(self.unknown_terms)} are not set up here: create them on the "
                "Reminder terms page, or those customers are not reminded"
            )
        return text


@dataclass(frozen=True)
class PartyCheck:
    """What an import would do: its kind, the first rows as they would be stored, every problem."""

    kind: str
    rows_read: int
    rows: pd.DataFrame
    problems: tuple[Problem, ...]
    preset: str

    def problem_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [{"row": p.row, "column": p.column, "problem": p.message} for p in self.problems],
            columns=["row", "column", "problem"],
        )


def read_table(path_or_table: str | Path | RawTable) -> RawTable:
    if isinstance(path_or_table, RawTable):
        return path_or_table
    try:
        return read_path(path_or_table)
    except Unreadable as exc:
        raise ImportRejected([exc.problem]) from exc


def _kind(table: RawTable, kind: str | None) -> str:
    if kind is None:
        kind = detect_kind(table.columns)
        if kind is None:
            raise BadInput(
                f"{table.file}: cannot tell from its columns whether it holds ledger entries, customers or "
                "contacts; say which with --kind ledger|customers|contacts"
            )
    if kind not in ("customers", "contacts"):
        raise BadInput(f"{table.file}: import_parties imports customers or contacts, not {kind!r}")
    return kind


def _links(db: Database) -> Links:
    by_contact: dict[str, str] = {}
    by_name: dict[str, set[str]] = {}
    for contact_no, name, customer_no in db.rows(
        "select contact_no, contact_name, customer_no from contact_links"
    ):
        by_contact[contact_no] = customer_no
        if name:
            by_name.setdefault(str(name).casefold(), set()).add(customer_no)
    customers = {r[0] for r in db.rows("select customer_no from customers")}
    return Links(by_contact, by_name, customers)


def _prepare(db: Database, table: RawTable, kind: str, mapping: PartyMapping) -> tuple[str, PartyRows]:
    resolved: Resolved = mapping.resolve(kind, table.columns, table.file)
    if kind == "customers":
        return "customers", prepare_customers(table, resolved, db.lcy())
    if resolved.preset.links:
        return "links", prepare_links(table, resolved)
    return "contacts", prepare_contacts(table, resolved, _links(db))


def check_parties(
    db: Database, path_or_table: str | Path | RawTable, kind: str | None = None, mapping: PartyMapping | None = None,
    limit: int = PREVIEW_ROWS,
) -> PartyCheck:  # fmt: skip
    """The first rows as they would be stored and every problem of the file; nothing is written."""
    table = read_table(path_or_table)
    what, rows = _prepare(db, table, _kind(table, kind), mapping or PartyMapping())
    shown = rows.frame.head(limit).astype(object)
    if what == "contacts":  # the role a contact without one gets
        shown["role"] = [
            people.default_role(db, str(c)) if pd.isna(r) and not pd.isna(c) else r
            for r, c in zip(shown["role"], shown["customer_no"], strict=True)
        ]
    shown = shown.where(shown.notna(), "")
    shown.index.name = "row"
    return PartyCheck(what, rows.rows_read, shown, rows.problems, rows.resolved.preset.name)


def _one_row_per_contact(tx: Session, file: str) -> None:
    """ImportRejected when two rows of a contacts file match the same stored contact (one by its number,
    another by its address): only one of them could be stored, and the other would be reported updated."""
    twice = tx.rows(
        "select list(row order by row) from party_contacts where contact_id is not null"
        " group by contact_id having count(*) > 1 order by 1"
    )
    if twice:
        raise ImportRejected([
            Problem(file, int(rows[-1]), None, f"rows {', '.join(str(r) for r in rows)} match the same stored "
                    "contact (by its contact number or its email address); keep one row for each contact")
            for (rows,) in twice
        ])  # fmt: skip


def import_parties(
    db: Database,
    path_or_table: str | Path | RawTable,
    kind: str | None = None,
    mapping: PartyMapping | None = None,
) -> PartiesResult:
    """Import customers or contacts (kind None: detected from the header); ImportRejected, with every problem
    and nothing written, when the file has any."""
    require(db.actor, Action.IMPORT)
    table = read_table(path_or_table)
    kind = _kind(table, kind)
    mapping = mapping or PartyMapping()
    with db.transaction(audit=(Action.IMPORT, f"import {kind} from {table.file}")) as tx:
        what, rows = _prepare(db, table, kind, mapping)
        if rows.problems:
            raise ImportRejected(list(rows.problems))
        stage = rows.frame.astype("string").rename_axis("row").reset_index()
        with tx.registered("party_frame", stage):
            tx.execute("create or replace temp table party_stage as select * from party_frame")
        given = rows.resolved.columns
        params = {"currency_given": "currency" in given, "blocked_given": "blocked" in given}
        tx.script(load_sql(__package__, f"parties_{what}"), params if what == "customers" else None)
        if what == "contacts":  # two rows that are one stored contact: one would be lost (rolled back here)
            _one_row_per_contact(tx, table.file)
        counts: dict[str, Any] = dict(tx.rows(f"select status, count(*) from party_{what} group by all"))  # noqa: S608
        created = (
            len(tx.rows(load_sql(__package__, "parties_customer_contacts"))) if what == "customers" else 0
        )
        unknown: tuple[str, ...] = ()
        if what == "customers":
            unknown = tuple(r[0] for r in tx.rows(
                "select distinct terms_code from party_stage s where terms_code is not null"
                " and not exists (select 1 from reminder_terms t where t.code = s.terms_code) order by 1"
            ))  # fmt: skip
        batch = tx.one(
            "insert into import_batches (file_name, file_sha256, mapping, rows_read, rows_inserted, rows_updated)"
            " values ($file, $sha, $mapping, $read, $inserted, $updated) returning batch_id",
            {
                "file": table.file, "sha": table.sha256, "read": rows.rows_read,
                "mapping": pd.Series({"kind": what, "preset": rows.resolved.preset.name, "columns": given}).to_json(),
                "inserted": counts.get("new", 0), "updated": counts.get("changed", 0),
            },
        )  # fmt: skip
        assert batch is not None
        undo.finish_batch(tx, int(batch[0]), what, db.actor.name)
        for name in ("party_stage", f"party_{what}"):
            tx.execute(f"drop table {name}")  # noqa: S608
    return PartiesResult(
        file=table.file, kind=what, rows_read=rows.rows_read, inserted=int(counts.get("new", 0)),
        updated=int(counts.get("changed", 0)), unchanged=int(counts.get("same", 0)), batch_id=int(batch[0]),
        left_out=rows.left_out, contacts_created=created, unknown_terms=unknown,
    )  # fmt: skip
