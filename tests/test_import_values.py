"""Hostile values in the cells of an import (issue 12, "Hardening", items 1, 4, 5, 6 and 7): each is refused by
row and column with nothing written, or read as what it means; never a traceback, never a silent NULL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from dunning.aging.report import aging
from dunning.db import Database
from dunning.errors import BadInput, ImportRejected
from dunning.ledger.imports.importer import import_file
from dunning.ledger.imports.mapping import Mapping, build_mapping
from tests.cli import dunning
from tests.ledger_files import snapshot

NATIVE = Mapping(preset="native")
AS_OF = dt.date(2026, 11, 28)


def _csv(tmp_path: Path, text: str, name: str = "entries.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rejected(db: Database, path: Path, mapping: Mapping = NATIVE) -> set[tuple[int | None, str | None]]:
    """(row, column) of every problem; the ledger tables are as they were."""
    before = snapshot(db)
    with pytest.raises(ImportRejected) as caught:
        import_file(db, path, mapping)
    assert snapshot(db) == before
    return {(p.row, p.column) for p in caught.value.problems}


# -- item 1: digits of other scripts ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "remaining", "entry_no", "stored"),
    [
        ("٥٠.٠٠", "", "", (None, Decimal("50.00"), Decimal("50.00"))),  # Arabic-Indic
        ("50.00", "２０.00", "", (None, Decimal("50.00"), Decimal("20.00"))),  # fullwidth, remaining amount
        ("50.00", "", "１２", (12, Decimal("50.00"), Decimal("50.00"))),  # fullwidth entry no.
        (
            "۵۰.۰۰",
            "२०.००",
            "१२",
            (12, Decimal("50.00"), Decimal("20.00")),
        ),  # Extended Arabic-Indic, Devanagari
    ],
)
def test_digits_of_other_scripts_read_as_the_number_they_write(
    db: Database, tmp_path: Path, amount: str, remaining: str, entry_no: str, stored: tuple[object, ...]
) -> None:
    path = _csv(tmp_path, (
        "document_no,customer_no,due_date,amount,remaining_amount,entry_no\n"
        f"A1,C1,2026-10-15,{amount},{remaining},{entry_no}\n"
    ))  # fmt: skip
    import_file(db, path, NATIVE)
    found = db.one("select entry_no, amount, remaining_amount from ledger_entries where document_no = 'A1'")
    assert found is not None and found[1:] == stored[1:]
    if stored[0] is not None:
        assert found[0] == stored[0]


def test_digits_of_other_scripts_in_a_date_or_level(db: Database, tmp_path: Path) -> None:
    path = _csv(tmp_path, (
        "document_no,customer_no,due_date,amount,last_reminder_level\n"
        "A1,C1,٢٠٢٦-١٠-١٥,10.00,٢\n"
    ))  # fmt: skip
    import_file(db, path, NATIVE)
    assert db.one("select due_date, last_reminder_level from ledger_entries") == (dt.date(2026, 10, 15), 2)


def test_a_superscript_is_no_digit(db: Database, tmp_path: Path) -> None:
    path = _csv(tmp_path, "document_no,customer_no,due_date,amount\nA1,C1,2026-10-15,5²\n")
    assert (2, "amount") in _rejected(db, path)


# -- item 4: amounts the totals cannot hold --------------------------------------------------------
def test_amounts_whose_total_the_ledger_cannot_hold_are_refused(db: Database, tmp_path: Path) -> None:
    rows = "".join(f"A{i},C1,2026-10-15,999999999999999.99\n" for i in range(20))
    path = _csv(tmp_path, "document_no,customer_no,due_date,amount\n" + rows)
    named = _rejected(db, path)
    assert any(column == "amount" and row is not None for row, column in named)


def test_amounts_that_add_up_with_the_stored_ones_beyond_what_totals_hold(
    db: Database, tmp_path: Path
) -> None:
    first = _csv(
        tmp_path, "document_no,customer_no,due_date,amount\nA1,C1,2026-10-15,600000000000000.00\n", "a.csv"
    )
    import_file(db, first, NATIVE)
    second = _csv(
        tmp_path, "document_no,customer_no,due_date,amount\nA2,C1,2026-10-15,600000000000000.00\n", "b.csv"
    )
    assert (2, "amount") in _rejected(db, second)
    assert aging(db, AS_OF).buckets  # the ledger as it was still ages


def test_large_amounts_that_fit_age(db: Database, tmp_path: Path) -> None:
    rows = "".join(f"A{i},C1,2026-10-15,99999999999999.99\n" for i in range(9))
    import_file(db, _csv(tmp_path, "document_no,customer_no,due_date,amount\n" + rows), NATIVE)
    report = aging(db, AS_OF)
    assert sum((b.amount_lcy for b in report.buckets), Decimal(0)) == Decimal("899999999999999.91")


# -- item 5: a date format that is not one ---------------------------------------------------------
@pytest.mark.parametrize("fmt", ["%Q", "%s", "%", "%d.%m.%", "no format", "%H:%M", "%d %d %d"])
def test_a_bad_date_format_is_refused_as_bad_input(fmt: str) -> None:
    with pytest.raises(BadInput) as caught:
        build_mapping("native", [], fmt)
    assert "--date-format" in str(caught.value)


@pytest.mark.parametrize("fmt", ["%d.%m.%Y", "%m/%d/%y", "%Y%m%d", "%d %b %Y", "%d-%B-%Y"])
def test_date_formats_that_read_dates_are_accepted(fmt: str) -> None:
    assert build_mapping("native", [], fmt).date_format == fmt


def test_a_bad_date_format_on_the_command_line_exits_2(tmp_path: Path) -> None:
    path = _csv(tmp_path, "document_no,customer_no,due_date,amount\nA1,C1,15.10.2026,10.00\n")
    done = dunning("import", str(path), "--date-format", "%Q", db=tmp_path / "h.duckdb")
    assert done.returncode == 2 and "Traceback" not in done.stderr and "--date-format" in done.stderr


# -- item 6: words in a date column ----------------------------------------------------------------
@pytest.mark.parametrize(
    "word",
    ["today", "now", "Today", "NOW", "yesterday"],
)
@pytest.mark.parametrize("column", ["due_date", "closed_at", "posting_date"])
def test_words_in_a_date_column_are_no_dates(db: Database, tmp_path: Path, word: str, column: str) -> None:
    dates = {"due_date": "2026-10-15", "closed_at": "", "posting_date": "2026-10-01", column: word}
    path = _csv(tmp_path, (
        "document_no,customer_no,amount,due_date,closed_at,posting_date\n"
        f"A1,C1,10.00,{dates['due_date']},{dates['closed_at']},{dates['posting_date']}\n"
    ))  # fmt: skip
    assert (2, column) in _rejected(db, path)


# -- item 7: control characters in text ------------------------------------------------------------
@pytest.mark.parametrize("char", ["\x00", "\x0c", "\x1b", "\x07", "\x7f", "\x85"])
@pytest.mark.parametrize("column", ["customer_name", "description", "document_no", "customer_no"])
def test_control_characters_in_text_are_refused(db: Database, tmp_path: Path, char: str, column: str) -> None:
    values = {"customer_name": "Alpha", "description": "Freight", "document_no": "A1", "customer_no": "C1"}
    values[column] = f"Evil{char}[31mName"
    path = _csv(tmp_path, (
        "document_no,customer_no,customer_name,description,due_date,amount\n"
        f"{values['document_no']},{values['customer_no']},{values['customer_name']},{values['description']},"
        "2026-10-15,10.00\n"
    ))  # fmt: skip
    assert (2, column) in _rejected(db, path)


def test_letters_of_every_script_are_no_control_characters(db: Database, tmp_path: Path) -> None:
    name = "Société Générale — 株式会社 Ελλάς ﷺ"
    path = _csv(
        tmp_path, f"document_no,customer_no,customer_name,due_date,amount\nA1,C1,{name},2026-10-15,10.00\n"
    )
    import_file(db, path, NATIVE)
    assert db.scalar("select name from customers where customer_no = 'C1'") == name
