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
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from dunning.access import Action, require
from dunning.db import Database, load_sql
from dunning.errors import ImportRejected, Problem
from dunning.ledger.imports import parsing, undo
from dunning.ledger.imports.mapping import DATE_FIELDS, FIELDS, Mapping, detect_preset
from dunning.ledger.imports.problems import frame as group_frame
from dunning.ledger.imports.problems import group
from dunning.ledger.imports.problems import summary as grouped_summary
from dunning.ledger.imports.readers import FORMATS as FORMATS  # the file types read, for the page's uploader
from dunning.ledger.imports.readers import RawTable, Unreadable, read_bytes, read_path
from dunning.ledger.imports.rows import Prepared, Rounded, prepare
from dunning.ledger.imports.totals import total_problems
from dunning.money import minor_units

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
    rounded: tuple[Rounded, ...] = ()  # amounts rounded to their currency's minor unit
    contacts_created: int = 0  # customers' email addresses on the rows that became contacts
    currency: str | None = None  # the currency the amounts were read in, when the file has no currency column

    def summary(self) -> str:
        languages = (
            f", {self.languages_changed:,} customer languages changed" if self.languages_changed else ""
        )
        contacts = f", {self.contacts_created:,} contacts created" if self.contacts_created else ""
        closed = "" if self.closed is None else f", {self.closed:,} closed"
        currency = (
            f"; amounts read in {self.currency} (the file has no currency column)" if self.currency else ""
        )
        return (
            f"{self.file}: {self.rows_read:,} rows read, {self.inserted:,} inserted, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged, {self.customers_created:,} customers created{languages}{contacts}"
            f"{closed} (import batch {self.batch_id}){currency}{rounding_note(self.rounded)}"
        )


def rounding_note(rounded: tuple[Rounded, ...]) -> str:
    """'; 12 amounts rounded to their currency's minor unit (difference +0.004 USD)' or ''."""
    if not rounded:
        return ""
    n = sum(r.count for r in rounded)
    diffs = ", ".join(f"{r.difference:+} {r.currency}" for r in rounded)
    return (
        f"; {n:,} amount{'s' if n != 1 else ''} rounded to their currency's minor unit (difference {diffs})"
    )


class Rejected(ImportRejected):
    """An import with problems, told grouped: one line per kind of problem (problems.py)."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.file = file

    def __str__(self) -> str:
        return grouped_summary(self.file, self.problems)


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
    rounded: tuple[Rounded, ...] = ()
    currency_missing: bool = False  # no currency column mapped: the page asks for the file's currency

    def problem_frame(self) -> pd.DataFrame:
        """The problems grouped by kind and column (problems.py): rows, first rows, column, problem."""
        return group_frame(group(self.problems))

    def shown(self) -> pd.DataFrame:
        """The rows as the page shows them: text, an empty cell empty (never 'None')."""
        return self.rows.apply(lambda c: c.map(lambda v: "" if v is None else str(v)))

    def problem_count(self) -> int:
        return len(self.problems)

    def problems_in(self, column: str) -> int:
        return sum(1 for p in self.problems if p.column == column)


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
    prepared = prepare(table, _with_date_format(table, mapping), db.lcy())
    clashes = _clashes(db, prepared) + total_problems(db, prepared)
    if not clashes:
        return prepared
    return Prepared(
        file=prepared.file, rows_read=prepared.rows_read, frame=prepared.frame,
        problems=tuple(sorted(prepared.problems + clashes, key=_order)), resolved=prepared.resolved,
        rounded=prepared.rounded,
    )  # fmt: skip


def _with_date_format(table: RawTable, mapping: Mapping) -> Mapping:
    """The mapping with the date format its dates can only be read in, when it names none: M/D/YYYY for a
    file with 11/25/2012. Dates that read two ways (01/02/2026) stay unread until a person chooses."""
    if mapping.date_format or mapping.resolve(table.columns, table.file).date_format:
        return mapping
    resolved = mapping.resolve(table.columns, table.file)
    dates = [parsing.stripped(table.frame[resolved.columns[f]]) for f in DATE_FIELDS if f in resolved.columns]
    guess = parsing.guess_dates(dates)
    return replace(mapping, date_format=guess.format) if guess.format else mapping


def date_readings(table: RawTable, mapping: Mapping) -> tuple[parsing.DateReading, ...]:
    """The readings of the file's mapped date columns a person chooses from (parsing.date_readings)."""
    resolved = mapping.resolve(table.columns, table.file)
    dates = [parsing.stripped(table.frame[resolved.columns[f]]) for f in DATE_FIELDS if f in resolved.columns]
    return parsing.date_readings(dates)


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
    places = {"": rows["currency"].map(minor_units), "_lcy": minor_units(db.lcy())}
    for name in ("amount", "remaining_amount", "amount_lcy", "remaining_amount_lcy"):
        exp = places["_lcy" if name.endswith("_lcy") else ""]
        exps = exp if isinstance(exp, pd.Series) else pd.Series(exp, index=rows.index)
        rows[name] = [_shown(v, int(e)) for v, e in zip(rows[name], exps, strict=True)]
    for name in DATE_FIELDS:
        if name in rows:
            rows[name] = [None if pd.isna(v) else v.date() for v in rows[name]]
    for name in ("entry_no", "email"):
        if rows[name].isna().all():
            rows = rows.drop(columns=name)  # entry_no: numbered on import; email: none on the rows
    rows = rows.astype(object).where(rows.notna(), None)
    rows.index.name = "row"
    return Preview(
        rows_read=prepared.rows_read, rows=rows, problems=prepared.problems, to_close=to_close,
        rounded=prepared.rounded, currency_missing="currency" not in prepared.resolved.columns,
    )  # fmt: skip


def _shown(value: object, places: int) -> Decimal | None:
    if value is None or value != value:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))


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
    require(db.actor, Action.IMPORT)
    closed: int | None = None
    with db.transaction(audit=(Action.IMPORT, f"import ledger entries from {table.file}")) as tx:
        prepared = check(db, table, mapping)
        if prepared.problems:
            raise Rejected(table.file, list(prepared.problems))
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
        undo.record_changes(tx, batch[0])
        tx.script(load_sql(__package__, "customers"), {"lcy": db.lcy()})
        languages = len(tx.rows(load_sql(__package__, "languages")))
        contact_ids = [int(r[0]) for r in tx.rows(load_sql(__package__, "ledger_contacts"))]
        undo.record_contacts(tx, batch[0], contact_ids)
        contacts = len(contact_ids)
        tx.script(load_sql(__package__, "upsert"), {"batch_id": batch[0]})
        if all_open:
            params = {"closed_on": closed_on or dt.date.today(), "batch_id": batch[0]}
            undo.record_closing(tx, params)
            closed = len(tx.rows(load_sql(__package__, "close_missing"), params))
        undo.finish_batch(tx, batch[0], "ledger", db.actor.name, closed or 0)
        tx.execute("drop table import_stage")
    return ImportResult(
        file=table.file, rows_read=prepared.rows_read, inserted=int(counts.get("new", 0)),
        updated=int(counts.get("changed", 0)), unchanged=int(counts.get("same", 0)),
        customers_created=int(created[0]), batch_id=int(batch[0]), closed=closed, languages_changed=languages,
        rounded=prepared.rounded, contacts_created=contacts,
        currency=None if "currency" in prepared.resolved.columns else (prepared.resolved.currency or db.lcy()),
    )  # fmt: skip


# -- after the import ------------------------------------------------------------------------------
@dataclass(frozen=True)
class OverviewNote:
    """What an import changed on the overview, and the as-of date that shows its entries (None: today's)."""

    text: str
    as_of: dt.date | None


def overview_note(db: Database, result: ImportResult, today: dt.date) -> OverviewNote:
    """'2,466 entries imported; none is open on 2026-11-30: the latest open entry is from 2014-01-08' and the
    date to open the overview on: the last month end on which the entries were open (a day with more than the
    last straggler open), else the latest day; or how many of them the overview shows today."""
    written = result.inserted + result.updated
    head = f"{written:,} entries imported" if written else "No entry changed"
    if not written:
        return OverviewNote(f"{head}: the file holds what the ledger holds already.", None)
    open_now, last_open = _open_on(db, result.batch_id, today)
    if open_now:
        return OverviewNote(f"{head}; {open_now:,} of them are open on {today} and on the overview.", None)
    if last_open is None:
        return OverviewNote(f"{head}; none of them is open on any date (all are settled when posted).", None)
    text = f"{head}; none is open on {today}: the latest open entry is from {last_open}."
    month_end = (
        last_open
        if (last_open + dt.timedelta(days=1)).day == 1
        else last_open.replace(day=1) - dt.timedelta(days=1)
    )
    at_month_end, _ = _open_on(db, result.batch_id, month_end)
    if at_month_end and month_end != last_open:
        return OverviewNote(
            f"{text} On {month_end}, the month end before, {at_month_end:,} were open.", month_end
        )
    return OverviewNote(text, last_open)


def _open_on(db: Database, batch_id: int, day: dt.date) -> tuple[int, dt.date | None]:
    found = db.one(load_sql(__package__, "overview_note"), {"batch": batch_id, "day": day})
    return (int(found[0]), found[1]) if found else (0, None)
