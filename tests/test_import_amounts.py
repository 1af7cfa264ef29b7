"""Amounts on import keep their currency's minor unit: more decimals are refused with one grouped problem or
rounded half away from zero when asked (--round), a file without a currency column is read in the currency
given, and grouped problems, customer emails and the note on the overview after an import."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from dunning.aging.report import aging
from dunning.db import Database
from dunning.errors import BadInput, ImportRejected
from dunning.ledger.imports.importer import import_file, overview_note, preview, read_file
from dunning.ledger.imports.mapping import build_mapping
from tests.cli import dunning
from tests.test_importer import IBM, write_csv

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 28)
# converted amounts as real exports carry them: three decimals in a two-decimal currency
THREE_DECIMALS = [
    ("INV-1", "C1", "2026-10-01", "64982.589"),
    ("INV-2", "C1", "2026-11-20", "0.005"),
    ("INV-3", "C2", "2026-06-01", "100.114"),
    ("INV-4", "C2", "2026-11-30", "10.10"),
    ("CM-1", "C2", "2026-11-01", "-0.125"),
]
ROUNDED = [Decimal("64982.59"), Decimal("0.01"), Decimal("100.11"), Decimal("10.10"), Decimal("-0.13")]


def three_decimals(tmp_path: Path) -> Path:
    rows = [
        {"Document No.": no, "Customer No.": c, "Posting Date": "2026-05-01", "Due Date": due, "Amount": amount,
         "Document Type": "Credit Memo" if no.startswith("CM") else "Invoice"}
        for no, c, due, amount in THREE_DECIMALS
    ]  # fmt: skip
    return write_csv(tmp_path / "converted.csv", rows)


def test_more_decimals_than_the_currency_has_are_refused_in_one_group(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        import_file(db, three_decimals(tmp_path), build_mapping(None, [], None))
    assert [p.row for p in caught.value.problems] == [2, 3, 4, 6]
    text = str(caught.value)
    assert (
        "4 rows (2, 3, 4, 6), column 'Amount': the amount 64982.589 EUR has more decimals than its currency"
        in text
    )
    assert "--round" in text and text.count("\n  - ") == 1  # one line for the four rows
    assert db.scalar("select count(*) from ledger_entries") == 0


def test_round_rounds_half_away_from_zero_and_reports_the_difference(db: Database, tmp_path: Path) -> None:
    result = import_file(db, three_decimals(tmp_path), build_mapping(None, [], None, round_amounts=True))
    amounts = db.rows("select amount, remaining_amount, amount_lcy from ledger_entries order by entry_no")
    assert [a for a, _, _ in amounts] == ROUNDED
    assert all(a == r == lcy for a, r, lcy in amounts)
    ((count, difference),) = [(r.count, r.difference) for r in result.rounded]
    exact = sum(Decimal(a) for *_, a in THREE_DECIMALS)
    assert count == 4 and difference == sum(ROUNDED) - exact == Decimal("-0.003")
    assert "4 amounts rounded to their currency's minor unit (difference -0.003 EUR)" in result.summary()


def test_rounded_import_ages_to_the_sum_of_the_rounded_amounts(tmp_path: Path) -> None:
    """Done when of issue 11: a file with 3-decimal amounts imports with --round; its buckets sum the rounded."""
    db_path, path = tmp_path / "r.duckdb", three_decimals(tmp_path)
    refused = dunning("import", str(path), db=db_path, cwd=ROOT)
    assert refused.returncode == 2 and "--round" in refused.stderr
    done = dunning("import", str(path), "--round", db=db_path, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "4 amounts rounded" in done.stdout
    with Database(db_path) as db:
        report = aging(db, AS_OF)
    debits = sum((b.amount_lcy for b in report.buckets), Decimal(0))
    assert debits == sum(a for a in ROUNDED if a > 0) == Decimal("65092.81")
    assert debits + report.credits_amount_lcy == sum(ROUNDED)
    shown = json.loads(dunning("aging", "--as-of", AS_OF.isoformat(), "--json", db=db_path, cwd=ROOT).stdout)
    assert shown["open_amount_lcy"] == str(sum(ROUNDED))


@pytest.mark.parametrize(
    ("currency", "amount", "stored"),
    [("KWD", "12.345", Decimal("12.345")), ("JPY", "1500", Decimal("1500")), ("BHD", "0.5", Decimal("0.5"))],
)
def test_a_currency_keeps_every_digit_of_its_minor_unit(
    db: Database, tmp_path: Path, currency: str, amount: str, stored: Decimal
) -> None:
    path = write_csv(tmp_path / "f.csv", [{"document_no": "I1", "customer_no": "C1", "due_date": "2026-10-01",
                                           "amount": amount, "currency": currency, "amount_lcy": "10.00"}])  # fmt: skip
    import_file(db, path, build_mapping(None, [], None))
    assert db.scalar("select amount from ledger_entries") == stored


@pytest.mark.parametrize(
    ("currency", "amount", "rounded"),
    [("JPY", "1500.5", Decimal("1501")), ("KWD", "1.2345", Decimal("1.235"))],
)
def test_rounding_follows_each_currency(
    db: Database, tmp_path: Path, currency: str, amount: str, rounded: Decimal
) -> None:
    path = write_csv(tmp_path / "f.csv", [{"document_no": "I1", "customer_no": "C1", "due_date": "2026-10-01",
                                           "amount": amount, "currency": currency, "amount_lcy": "10.00"}])  # fmt: skip
    with pytest.raises(ImportRejected, match="more decimals than its currency has"):
        import_file(db, path, build_mapping(None, [], None))
    import_file(db, path, build_mapping(None, [], None, round_amounts=True))
    assert db.scalar("select amount from ledger_entries") == rounded


def test_a_file_without_a_currency_column_is_read_in_the_currency_given(db: Database, tmp_path: Path) -> None:
    shown = preview(db, read_file(IBM), build_mapping(None, [], None, currency="usd"))
    assert (
        shown.currency_missing
        and "the amount is in USD but the file has no amount in local currency (EUR)"
        in (shown.problems[0].message)
    )
    path = write_csv(tmp_path / "f.csv", [{"document_no": "I1", "customer_no": "C1", "due_date": "2026-10-01",
                                           "amount": "12.50", "amount_lcy": "11.00"}])  # fmt: skip
    result = import_file(db, path, build_mapping(None, [], None, currency="usd"))
    assert db.rows("select currency, amount, amount_lcy from ledger_entries") == [
        ("USD", Decimal("12.50"), Decimal("11.00"))
    ]
    assert "amounts read in USD (the file has no currency column)" in result.summary()
    with pytest.raises(BadInput, match="--currency 'EURO' is not a three-letter currency code"):
        build_mapping(None, [], None, currency="EURO")


def test_ibm_file_imports_without_any_mapping_and_says_what_the_overview_shows(db: Database) -> None:
    result = import_file(db, IBM, build_mapping(None, [], None))
    assert (result.inserted, result.customers_created) == (2466, 100)
    assert "amounts read in EUR (the file has no currency column)" in result.summary()
    note = overview_note(db, result, AS_OF)
    assert note.text == (
        "2,466 entries imported; none is open on 2026-11-28: the latest open entry is from 2014-01-08. "
        "On 2013-12-31, the month end before, 13 were open."
    )
    assert (
        note.as_of == dt.date(2013, 12, 31) and aging(db, note.as_of).open_count == 13
    )  # what the link shows
    assert overview_note(db, import_file(db, IBM, build_mapping(None, [], None)), AS_OF).as_of is None


def test_repeated_problems_are_grouped_with_their_first_rows(db: Database) -> None:
    shown = preview(db, read_file(IBM), build_mapping(None, [], "%d/%m/%Y"))
    frame = shown.problem_frame()
    due = frame[frame["column"] == "DueDate"].iloc[0]
    assert len(shown.problems) > 4000 and len(frame) <= 4  # one line per column and kind of problem
    assert due["rows"] == f"{shown.problems_in('DueDate'):,}" and due["first rows"].endswith(" more")
    assert "the date '" in due["problem"] and "does not read as DD/MM/YYYY" in due["problem"]
    assert "None" not in frame.to_string()


def test_customer_email_on_the_ledger_rows_becomes_a_contact_once(db: Database, tmp_path: Path) -> None:
    rows = [
        {"Document No.": "I1", "Customer No.": "C1", "Customer Name": "Acme", "Due Date": "2026-10-01",
         "Amount": "10.00", "Customer E-Mail": "ap@acme.example"},
        {"Document No.": "I2", "Customer No.": "C1", "Customer Name": "Acme", "Due Date": "2026-10-02",
         "Amount": "11.00", "Customer E-Mail": "AP@acme.example"},
        {"Document No.": "I3", "Customer No.": "C2", "Customer Name": "Bolt", "Due Date": "2026-10-02",
         "Amount": "12.00", "Customer E-Mail": ""},
    ]  # fmt: skip
    path = write_csv(tmp_path / "cle.csv", rows)
    first = import_file(db, path, build_mapping(None, [], None))
    again = import_file(db, path, build_mapping(None, [], None))
    assert (first.contacts_created, again.contacts_created) == (1, 0)
    assert db.rows("select customer_no, name, email, role from contacts") == [
        ("C1", "Acme", "ap@acme.example", "accounts_payable")
    ]


def test_a_malformed_customer_email_is_a_problem_of_its_row(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cle.csv", [{"document_no": "I1", "customer_no": "C1", "due_date": "2026-10-01",
                                             "amount": "1.00", "Email": "not an address"}])  # fmt: skip
    with pytest.raises(ImportRejected) as caught:
        import_file(db, path, build_mapping(None, [], None))
    ((problem),) = caught.value.problems
    assert (problem.row, problem.column) == (2, "Email") and "correct the address" in problem.message
