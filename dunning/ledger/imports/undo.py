"""Undo an import as a whole: the batches, what each changed, and the checks that keep an undo from breaking what
came after it.

A ledger import records, in its own transaction, what it is about to change (record_changes.sql,
record_closing.sql, record_contacts()): the entries it inserts, each entry it changes or closes as it was, the
customers it creates, the languages it changes and the contacts it makes from email columns. undo_import()
puts all of that back in one transaction (undo.sql), and refuses, naming the record and what to do first, when
something later was built on the batch:
- a later ledger import is still in place (undo the newest first: a later import records only what it
  changed, so undoing an earlier one under it could reopen an invoice the later file says is paid);
- a reminder other than an open draft was made since the import on one of its entries (cancel it first: the
  reminder's figures came from the import). Open drafts on its entries are removed with it, and said so.
An import of customers or contacts is recorded as a batch too, but is not undone here: its changes are edited
on the customer page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dunning.access import Action, require
from dunning.db import Database, load_sql
from dunning.db.database import Session
from dunning.errors import BadInput

LIST_LIMIT = 5  # reminders or batches named in a refusal


@dataclass(frozen=True)
class Batch:
    """One import, as the Import page and `dunning import --batches` list it."""

    batch_id: int
    kind: str
    file_name: str
    imported_at: dt.datetime
    imported_by: str | None
    rows_read: int
    inserted: int
    updated: int
    closed: int
    undone_at: dt.datetime | None
    undone_by: str | None

    @property
    def undoable(self) -> bool:
        return self.kind == "ledger" and self.undone_at is None

    def describe(self) -> str:
        what = f"{self.inserted:,} new, {self.updated:,} changed" + (
            f", {self.closed:,} closed" if self.closed else ""
        )
        state = f"; undone {self.undone_at:%Y-%m-%d %H:%M}" if self.undone_at else ""
        return f"import {self.batch_id} of {self.file_name} ({self.kind}, {self.imported_at:%Y-%m-%d %H:%M}): {what}{state}"


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    file_name: str
    removed: int  # entries the import had inserted
    restored: int  # entries it had changed or closed, back as they were
    drafts_removed: int
    customers_removed: int
    contacts_removed: int

    def summary(self) -> str:
        parts = [
            f"import {self.batch_id} of {self.file_name} undone: {self.removed:,} entries it added removed, "
            f"{self.restored:,} entries it changed or closed restored"
        ]
        if self.customers_removed:
            parts.append(f"{self.customers_removed:,} customers it created removed")
        if self.contacts_removed:
            parts.append(f"{self.contacts_removed:,} contacts it made removed")
        if self.drafts_removed:
            parts.append(
                f"{self.drafts_removed:,} draft reminders on its entries removed (create reminders again)"
            )
        return "; ".join(parts)


BATCH_COLUMNS = (
    "batch_id, coalesce(kind, 'earlier'), file_name, imported_at, imported_by, rows_read, rows_inserted,"
    " rows_updated, coalesce(closed, 0), undone_at, undone_by"
)


def batches(db: Database, limit: int = 50) -> list[Batch]:
    """The latest imports, newest first."""
    rows = db.rows(
        f"select {BATCH_COLUMNS} from import_batches order by batch_id desc limit $n",  # noqa: S608
        {"n": limit},
    )
    return [Batch(*r) for r in rows]


def batch(db: Database, batch_id: int) -> Batch:
    row = db.one(f"select {BATCH_COLUMNS} from import_batches where batch_id = $b", {"b": batch_id})  # noqa: S608
    if row is None:
        raise BadInput(f"import {batch_id} does not exist; `dunning import --batches` lists the imports")
    return Batch(*row)


# -- recording, inside the import's transaction ----------------------------------------------------------
def record_changes(tx: Session, batch_id: int) -> None:
    """Before a staged ledger import writes: what it will insert and change (record_changes.sql)."""
    tx.script(load_sql(__package__, "record_changes"), {"batch_id": batch_id})


def record_closing(tx: Session, params: dict[str, Any]) -> None:
    """Before the entries a file of every open entry does not list are closed: each of them as it is."""
    tx.script(load_sql(__package__, "record_closing"), {"batch_id": params["batch_id"]})


def record_contacts(tx: Session, batch_id: int, contact_ids: list[int]) -> None:
    """The contacts an import made from a customer email column."""
    if contact_ids:
        tx.execute(
            "insert into import_contacts_created select $b, unnest($ids::bigint[])",
            {"b": batch_id, "ids": contact_ids},
        )


def finish_batch(tx: Session, batch_id: int, kind: str, by: str, closed: int = 0) -> None:
    """What the batch row records beside its counts: the kind of file, who imported it, entries closed."""
    tx.execute(
        "update import_batches set kind = $k, imported_by = $by, closed = $c where batch_id = $b",
        {"k": kind, "by": by, "c": closed, "b": batch_id},
    )


# -- undoing ---------------------------------------------------------------------------------------------
def _names(rows: list[tuple[Any, ...]]) -> str:
    shown = ", ".join(str(r[0]) for r in rows[:LIST_LIMIT])
    return shown + (f" and {len(rows) - LIST_LIMIT:,} more" if len(rows) > LIST_LIMIT else "")


def _blockers(tx: Session, b: Batch) -> str | None:
    # newest first: a later import records only what it changed, so one that found an entry as this import
    # left it (an invoice it closed, still missing from the next file) would be contradicted by the undo
    later = tx.rows(
        "select batch_id from import_batches where batch_id > $b and kind = 'ledger' and undone_at is null"
        " order by batch_id desc",
        {"b": b.batch_id},
    )
    if later:
        return (
            f"ledger imports made after import {b.batch_id} are still in place: undo import {_names(later)} "
            "first (newest first)"
        )
    reminders = tx.rows(
        "select distinct coalesce(h.reminder_no, h.reminder_id::varchar) || ' (' || h.status || ')'"
        " from reminder_headers h join reminder_lines l using (reminder_id)"
        " where h.status not in ('draft', 'failed', 'cancelled') and h.created_at >= $at and l.entry_no in ("
        "  select entry_no from import_entry_inserted where batch_id = $b"
        "  union all select entry_no from import_entry_before where batch_id = $b)"
        " order by 1",
        {"b": b.batch_id, "at": b.imported_at},
    )
    if reminders:
        return (
            f"reminders made since import {b.batch_id} list its entries: {_names(reminders)}; cancel them "
            "first (History page), as their figures came from this import"
        )
    return None


def undo_import(db: Database, batch_id: int) -> UndoResult:
    """Undo a ledger import batch as a whole, in one transaction; BadInput, with nothing changed, when it cannot
    be undone (undone already, an import of customers or contacts, or something later depends on it)."""
    require(db.actor, Action.IMPORT)
    b = batch(db, batch_id)
    if b.undone_at is not None:
        raise BadInput(
            f"import {batch_id} of {b.file_name} was undone already on {b.undone_at:%Y-%m-%d %H:%M}"
        )
    if b.kind == "earlier":
        raise BadInput(
            f"import {batch_id} of {b.file_name} was made before imports recorded what they change, so it "
            "cannot be undone; import a corrected file instead"
        )
    if b.kind != "ledger":
        raise BadInput(
            f"import {batch_id} of {b.file_name} imported {b.kind}, which cannot be undone as a batch; change "
            "or remove them on the customer page"
        )
    with db.transaction(audit=(Action.IMPORT, f"undo import {batch_id} of {b.file_name}")) as tx:
        why = _blockers(tx, b)
        if why is not None:
            raise BadInput(why)
        counts = tx.one(
            "select (select count(*) from import_entry_inserted where batch_id = $b),"
            " (select count(*) from import_entry_before where batch_id = $b),"
            " (select count(*) from contacts where contact_id in"
            "   (select contact_id from import_contacts_created where batch_id = $b)),"
            " (select count(*) from customers)",
            {"b": batch_id},
        )
        assert counts is not None
        tx.script(load_sql(__package__, "undo"), {"batch_id": batch_id, "by": db.actor.name})
        drafts = int(tx.scalar("select count(*) from undo_drafts"))
        customers_left = int(tx.scalar("select count(*) from customers"))
        tx.execute("drop table undo_drafts")
        tx.execute("drop table undo_entries")
    return UndoResult(
        batch_id=batch_id, file_name=b.file_name, removed=int(counts[0]), restored=int(counts[1]),
        drafts_removed=drafts, customers_removed=int(counts[3]) - customers_left, contacts_removed=int(counts[2]),
    )  # fmt: skip
