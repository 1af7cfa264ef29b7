"""Removing the sample data: everything the generator made goes, what a user imported stays; the command line's
`dunning sample --remove`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dunning.db import Database
from dunning.ledger.imports.importer import import_file
from dunning.ledger.imports.mapping import build_mapping
from dunning.sample import refresh_if_stale
from dunning.sample.remove import holds_sample, holds_untouched_sample, remove_sample
from tests.cli import dunning
from tests.test_importer import write_csv

ROOT = Path(__file__).resolve().parent.parent
COUNTS = (
    "select (select count(*) from customers), (select count(*) from contacts), (select count(*) from ledger_entries),"
    " (select count(*) from reminder_headers), (select count(*) from reminder_lines),"
    " (select count(*) from contact_log), (select count(*) from agreements)"
)


def test_an_untouched_sample_is_removed_whole(sample_db: Database) -> None:
    assert holds_untouched_sample(sample_db)
    removed = remove_sample(sample_db)
    assert removed.customers == 60 and removed.entries > 2000 and removed.reminders > 0
    assert sample_db.rows(COUNTS) == [(0, 0, 0, 0, 0, 0, 0)]
    assert not holds_sample(sample_db)
    assert not refresh_if_stale(sample_db, dt.date(2030, 1, 1))  # the app does not bring it back
    assert remove_sample(sample_db).summary().startswith("sample data removed: 0 customers")  # nothing left


def test_removing_the_sample_keeps_what_was_imported(sample_db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "own.csv", [
        {"document_no": "OWN-1", "customer_no": "OWN", "due_date": "2026-10-01", "amount": "10.00",
         "Customer E-Mail": "ap@own.example"},
    ])  # fmt: skip
    import_file(sample_db, path, build_mapping(None, [], None))
    assert holds_sample(sample_db) and not holds_untouched_sample(sample_db)
    remove_sample(sample_db)
    assert sample_db.rows("select customer_no, document_no from ledger_entries") == [("OWN", "OWN-1")]
    assert sample_db.rows("select customer_no from customers") == [("OWN",)]
    assert sample_db.rows("select email from contacts") == [("ap@own.example",)]


def test_sample_remove_on_the_command_line(sample_file: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "s.duckdb"
    db_path.write_bytes(sample_file.read_bytes())
    done = dunning("sample", "--remove", db=db_path, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("sample data removed: 60 customers")
    again = dunning("sample", "--remove", db=db_path, cwd=ROOT)
    assert again.returncode == 0 and "no sample data" in again.stdout
    refused = dunning("sample", "--remove", "--invoices", "5", db=db_path, cwd=ROOT)
    assert refused.returncode == 2 and "--remove takes no" in refused.stderr
