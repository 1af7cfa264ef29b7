"""Import open items from an ERP export into the ledger: all or nothing, idempotent, every problem at once.

`import_file` (command line) and `import_table` (the import page, after `read_upload`) read the file, map and
check every row (rows.py), check the rows against the stored entries, then write in one transaction: missing
customers are created, entries are upserted by (document type, document no.) and an import_batches row
records the file, its SHA-256, the mapping and the counts. A file with any problem raises ImportRejected
and writes nothing. Importing the same file again changes no entry: unchanged rows are not written.

Customers: a new customer takes its name from its first row, its currency when all its entries share one
other than the local currency, and its language from the first of its rows that gives one (English when the
file has none). A stored customer keeps the name and currency it has, but takes the language its rows give
(the first one, like a new customer), so a language changed in the ERP reaches the next statement or
reminder; a file without a language column, or with the cells empty, changes no language.

By default an import only adds and updates: an entry missing from the file is left as it is. When the file
lists every open entry (`all_open=True`, the command line's --all-open), entries open in the database whose
document is not in the file were settled in the ERP: in the same transaction nothing remains of them and they
are closed on `closed_on` (default today), so a paid invoice is not reminded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from dunning.db import Database, load_sql
from dunning.errors import ImportRejected, Problem
from dunning.ledger.imports import parsing
from dunning.ledger.imports.mapping import DATE_FIELDS, FIELDS, Mapping, detect_preset
from dunning.ledger.imports.readers import FORMATS as FORMATS  # the file types read, for the page's uploader
from dunning.ledger.imports.readers import RawTable, Unreadable, read_bytes, read_path
from dunning.ledger.imports.rows import Prepared, prepare

PREVIEW_ROWS = 20


@dataclass(frozen=True)
class ImportResult:
    file: str
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    customers_created: int
    batch_id: int
    closed: int | None = None  # entries closed because the file lists every open entry; None: not that mode
    languages_changed: int = 0  # stored customers whose language the file changed

    def summary(self) -> str:
        languages = f", {self.languages_changed} customer languages changed" if self.languages_changed else ""
        closed = "" if self.closed is None else f", {self.closed} closed"
        return (
            f"{self.file}: {self.rows_read} rows read, {self.inserted} inserted, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.customers_created} customers created{languages}{closed} "
            f"(import batch {self.batch_id})"
        )


@dataclass(frozen=True)
class FormDefaults:
    """What the import page proposes for a file: the preset it matches, each field's column, a date format."""

    preset: str | None
    columns: dict[str, str | None]
    date_format: str | None
    date_warning: str | None = None  # the dates read both day-first and month-first: the user must choose


@dataclass(frozen=True)
class Preview:
    rows_read: int
    rows: pd.DataFrame  # the first rows as they would be stored, index = spreadsheet row
    problems: tuple[Problem, ...]
    to_close: int | None = (
        None  # open entries not in the file that an all-open import closes; None: not asked
    )

    def problem_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [{"row": p.row, "column": p.column, "problem": p.message} for p in self.problems],
            columns=["row", "column", "problem"],
        )


# -- reading ---------------------------------------------------------------------------------------
def read_file(path: str | Path) -> RawTable:
    try:
        return read_path(path)
    except Unreadable as exc:
        raise ImportRejected([exc.problem]) from exc


def read_upload(data: bytes, file_name: str) -> RawTable:
    """An uploaded file's rows as text; ImportRejected when it cannot be read."""
    try:
        return read_bytes(data, file_name)
    except Unreadable as exc:
        raise ImportRejected([exc.problem]) from exc


def form_defaults(table: RawTable, mapping: Mapping | None = None) -> FormDefaults:
    """The mapping the page pre-fills: the detected preset's columns (native names otherwise) and a date format
    guessed from the date columns (None: ISO, or a day/month order the user must choose, see date_warning)."""
    mapping = mapping or Mapping()
    resolved = mapping.resolve(table.columns, table.file)
    dates = [parsing.stripped(table.frame[resolved.columns[f]]) for f in DATE_FIELDS if f in resolved.columns]
    guess = parsing.guess_dates(dates) if not mapping.date_format else parsing.DateGuess(mapping.date_format)
    return FormDefaults(
        preset=detect_preset(table.columns),
        columns={f: resolved.columns.get(f) for f in FIELDS},
        date_format=guess.format,
        date_warning=guess.warning(),
    )


# -- checking --------------------------------------------------------------------------------------
def check(db: Database, table: RawTable, mapping: Mapping) -> Prepared:
    """Every problem of the file, including clashes with the stored entries; nothing is written."""
    prepared = prepare(table, mapping, db.lcy())
    clashes = _clashes(db, prepared)
    if not clashes:
        return prepared
    return Prepared(
        file=prepared.file, rows_read=prepared.rows_read, frame=prepared.frame,
        problems=tuple(sorted(prepared.problems + clashes, key=_order)), resolved=prepared.resolved,
    )  # fmt: skip


def _order(p: Problem) -> int:
    return p.row or 0


def _registered(prepared: Prepared) -> pd.DataFrame:
    return prepared.frame.rename_axis("row").reset_index()


def _clashes(db: Database, prepared: Prepared) -> tuple[Problem, ...]:
    frame = _registered(prepared)[["row", "entry_no", "document_type", "document_no"]]
    with db.registered("import_frame", frame) as s:
        rows = s.rows(load_sql(__package__, "conflicts"))
    column = prepared.resolved.columns
    found = []
    for row, clash, stored_no, kind, no in rows:
        if clash == "document":
            found.append(Problem(prepared.file, int(row), column.get("entry_no"), (
                f"{kind} {no} is stored as entry no. {stored_no}; correct the entry no. or leave it unmapped"
            )))  # fmt: skip
        else:
            found.append(Problem(prepared.file, int(row), column.get("entry_no"), (
                f"entry no. {stored_no} is stored for {kind} {no}; correct the entry no. or leave it unmapped"
            )))  # fmt: skip
    return tuple(found)


def preview(
    db: Database, table: RawTable, mapping: Mapping, limit: int = PREVIEW_ROWS, *, all_open: bool = False
) -> Preview:
    """The first rows as they would be imported (exact Decimal amounts, dates) and every problem of the file;
    with all_open, how many open entries the import would close because the file does not list them."""
    prepared = check(db, table, mapping)
    to_close = _missing(db, prepared) if all_open and not prepared.problems else None
    rows = prepared.frame.head(limit).copy()
    for name in ("amount", "remaining_amount", "amount_lcy", "remaining_amount_lcy"):
        rows[name] = [None if v is None or v != v else Decimal(v) for v in rows[name]]
    for name in DATE_FIELDS:
        if name in rows:
            rows[name] = [None if pd.isna(v) else v.date() for v in rows[name]]
    rows = rows.astype(object).where(rows.notna(), None)
    if rows["entry_no"].isna().all():
        rows = rows.drop(columns="entry_no")  # numbered on import
    rows.index.name = "row"
    return Preview(rows_read=prepared.rows_read, rows=rows, problems=prepared.problems, to_close=to_close)


def _missing(db: Database, prepared: Prepared) -> int:
    with db.registered("import_frame", _registered(prepared)[["document_type", "document_no"]]) as s:
        return int(s.scalar(load_sql(__package__, "missing")))


# -- importing -------------------------------------------------------------------------------------
def import_file(
    db: Database,
    path: str | Path,
    mapping: Mapping,
    *,
    all_open: bool = False,
    closed_on: dt.date | None = None,
) -> ImportResult:
    """Import a CSV, XLSX or Parquet file; ImportRejected (nothing written) when it has any problem."""
    return import_table(db, read_file(path), mapping, all_open=all_open, closed_on=closed_on)


def import_table(
    db: Database,
    table: RawTable,
    mapping: Mapping,
    *,
    all_open: bool = False,
    closed_on: dt.date | None = None,
) -> ImportResult:
    """Write the file's entries; with all_open, also close the open entries it does not list (on closed_on,
    default today). All in one transaction: a rejected import writes and closes nothing."""
    closed: int | None = None
    with db.transaction() as tx:
        prepared = check(db, table, mapping)
        if prepared.problems:
            raise ImportRejected(list(prepared.problems))
        with tx.registered("import_frame", _registered(prepared)):
            tx.script(load_sql(__package__, "stage"))
        counts: dict[str, Any] = dict(tx.rows("select status, count(*) from import_stage group by all"))
        created = tx.one(
            "select count(distinct customer_no) from import_stage s"
            " where not exists (select 1 from customers c where c.customer_no = s.customer_no)"
        )
        batch = tx.one(
            "insert into import_batches (file_name, file_sha256, mapping, rows_read, rows_inserted, rows_updated)"
            " values ($file, $sha, $mapping, $read, $inserted, $updated) returning batch_id",
            {
                "file": table.file, "sha": table.sha256, "mapping": prepared.resolved.to_json(),
                "read": prepared.rows_read, "inserted": counts.get("new", 0), "updated": counts.get("changed", 0),
            },
        )  # fmt: skip
        assert batch is not None and created is not None
        tx.script(load_sql(__package__, "customers"), {"lcy": db.lcy()})
        languages = len(tx.rows(load_sql(__package__, "languages")))
        tx.script(load_sql(__package__, "upsert"), {"batch_id": batch[0]})
        if all_open:
            params = {"closed_on": closed_on or dt.date.today(), "batch_id": batch[0]}
            closed = len(tx.rows(load_sql(__package__, "close_missing"), params))
        tx.execute("drop table import_stage")
    return ImportResult(
        file=table.file, rows_read=prepared.rows_read, inserted=int(counts.get("new", 0)),
        updated=int(counts.get("changed", 0)), unchanged=int(counts.get("same", 0)),
        customers_created=int(created[0]), batch_id=int(batch[0]), closed=closed, languages_changed=languages,
    )  # fmt: skip
