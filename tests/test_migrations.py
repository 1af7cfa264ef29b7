"""A schema upgrade keeps every row: a database built at each earlier schema version, with rows in every
table, is migrated to the newest version, and every row of every table is still there with its values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dunning.db import Database
from dunning.db.database import migration_scripts
from dunning.dispatch.history import archived

NEWEST = max(v for v, _, _ in migration_scripts())
ROWS = 3
# The one table an upgrade may empty: laid out by 002 for whole templates and never written by any version,
# it was replaced by 010's per-level texts (see 010_documents.sql).
NEVER_WRITTEN = {"template_versions": range(2, 10)}


def _value(data_type: str, column: str, k: int) -> Any:
    """A value of the column's type for row k: distinct per row and from the rows a migration seeds, so
    keys stay unique."""
    t = data_type.upper()
    if column == "id" and k == 1:  # the company's single row: check (id = 1)
        return 1
    if t.endswith("[]"):
        return [_value(t[:-2], column, k)]
    if t.startswith("DECIMAL"):
        return Decimal(f"{k}.25")
    if t in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER"):
        return 100 + k
    if t in ("DOUBLE", "FLOAT", "REAL"):
        return k + 0.5
    if t == "BOOLEAN":
        return k % 2 == 0
    if t == "DATE":
        return dt.date(2001, 1, k)
    if t.startswith("TIMESTAMP"):
        return dt.datetime(2001, 1, k, 9, 30)
    if t == "BLOB":
        return f"{column}-{k}".encode()
    if t == "JSON":
        return f'{{"k": {k}}}'
    return f"{column}-test-{k}"


def _fill(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Rows in every table of the database, as stored: {table: the rows inserted here}. Not filled: the
    migrations' own record and the data version (one counter row that every write raises)."""
    filled: dict[str, list[dict[str, Any]]] = {}
    columns = db.records(
        "select table_name, column_name, data_type, column_default from duckdb_columns()"
        " where database_name = current_database()"
        "   and table_name not in ('schema_migrations', 'data_version')"
        "   and table_name in (select table_name from duckdb_tables() where database_name = current_database())"
        " order by table_name, column_index"
    )
    for table in dict.fromkeys(c["table_name"] for c in columns):
        mine = [c for c in columns if c["table_name"] == table and c["column_default"] is None]
        names = ", ".join(c["column_name"] for c in mine)
        holes = ", ".join(f"${c['column_name']}" for c in mine)
        seeded = len(db.records(f"select * from {table}"))  # noqa: S608
        for k in range(1, ROWS + 1):
            row = {c["column_name"]: _value(c["data_type"], c["column_name"], k) for c in mine}
            try:
                db.execute(f"insert into {table} ({names}) values ({holes})", row)  # noqa: S608
            except Exception:  # a table of one row (the company: check (id = 1)), perhaps seeded already
                assert k > 1 or seeded, f"cannot fill {table} at this schema version"
                break
        # as stored (defaults filled in), in insertion order after the rows the migrations seeded
        filled[table] = db.records(f"select * from {table} offset {seeded}")  # noqa: S608
    return filled


@pytest.mark.parametrize("version", range(1, NEWEST))
def test_an_upgrade_from_every_earlier_schema_keeps_every_row(version: int) -> None:
    with Database(":memory:", migrate=False) as new:
        assert new.migrate(target=version) == version
        before = _fill(new)
        assert new.migrate() == NEWEST
        for table, rows in before.items():
            if version in NEVER_WRITTEN.get(table, ()):
                continue
            after = new.records(f"select * from {table}")  # noqa: S608
            assert len(after) >= len(rows), f"schema {version} -> {NEWEST}: {table} lost rows"
            for row in rows:
                kept = {k: v for k, v in row.items() if k in after[0]}
                assert any(all(a[k] == v for k, v in kept.items()) for a in after), (
                    f"schema {version} -> {NEWEST}: {table} lost or changed {kept}"
                )


def test_the_archived_email_and_letter_move_to_their_own_table_and_read_back_the_same() -> None:
    # 018 moved the archive out of reminder_headers (an update of its blobs grew slower with every batch)
    with Database(":memory:", migrate=False) as db:
        db.migrate(target=17)
        db.execute(
            "insert into reminder_headers (reminder_id, customer_no, currency, level_no, terms_code, status,"
            " posting_date, document_date, payment_deadline, language, overdue_amount, total, template_code,"
            " attempts, message_id, send_started_at, email_eml, letter_pdf)"
            " values (7, 'C1', 'EUR', 1, 'T', 'sent', $d, $d, $d, 'en', 10, 10, 'T', 2, '<m@x>', $at, $eml, $pdf)",
            {
                "d": dt.date(2026, 11, 2),
                "at": dt.datetime(2026, 11, 2, 9, 0),
                "eml": b"From: a\r\n\r\nbody",
                "pdf": b"%PDF-1.7 letter",
            },
        )
        db.migrate()
        assert archived(db, 7) == (b"From: a\r\n\r\nbody", b"%PDF-1.7 letter")
        assert db.one(
            "select attempt, message_id, handed_at from reminder_archive where reminder_id = 7"
        ) == (2, "<m@x>", dt.datetime(2026, 11, 2, 9, 0))
        columns = {
            r[0]
            for r in db.rows("select column_name from duckdb_columns() where table_name = 'reminder_headers'")
        }
        assert not columns & {"email_eml", "letter_pdf"}
