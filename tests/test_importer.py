"""Import of ERP exports: every format, the presets, each bad-input case, idempotence and the IBM sample."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from dunning.aging.report import aging
from dunning.db import Database
from dunning.errors import ImportRejected
from dunning.ledger.imports.importer import form_defaults, import_file, preview, read_file, read_upload
from dunning.ledger.imports.mapping import build_mapping
from tests.cli import dunning

ROOT = Path(__file__).resolve().parent.parent
IBM = Path(__file__).resolve().parent / "data" / "ibm-accounts-receivable.csv"
EXAMPLE = ROOT / "sample_data" / "bc-customer-ledger-entries-example.csv"
IBM_MAP = [
    "document_no=invoiceNumber", "customer_no=customerID", "posting_date=InvoiceDate",
    "document_date=InvoiceDate", "due_date=DueDate", "amount=InvoiceAmount", "closed_at=SettledDate",
]  # fmt: skip
NATIVE = build_mapping(None, [], None)
GOOD = {"document_no": "INV-1", "customer_no": "C1", "due_date": "2026-10-01", "amount": "100.00"}


def write_csv(path: Path, rows: list[dict[str, str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    columns = list(dict.fromkeys(k for r in rows for k in r))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, delimiter=delimiter, lineterminator="\r\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def rows_of(*changes: dict[str, str]) -> list[dict[str, str]]:
    """One row per change: GOOD with document no. INV-<n> updated by the change."""
    return [{**GOOD, "document_no": f"INV-{i}", **c} for i, c in enumerate(changes, start=1)]


def entries(db: Database) -> list[dict[str, Any]]:
    return db.records("select * exclude (import_batch_id) from ledger_entries order by entry_no")


def entry(db: Database, document_no: str) -> dict[str, Any]:
    (found,) = db.records("select * from ledger_entries where document_no = $d", {"d": document_no})
    return found


def rejected(db: Database, path: Path, mapping: Any = NATIVE) -> list[Any]:
    with pytest.raises(ImportRejected) as caught:
        import_file(db, path, mapping)
    return caught.value.problems


# -- formats -------------------------------------------------------------------------------------------
FORMAT_ROWS = [
    {"document_no": "0001001", "customer_no": "C1", "customer_name": "Société Générale", "due_date": "2026-10-01",
     "amount": "1234.56", "description": "Fret; \"express\""},
    {"document_no": "0001002", "customer_no": "C2", "customer_name": "Müller GmbH", "due_date": "2026-10-15",
     "amount": "-20.5", "document_type": "Credit Memo"},
]  # fmt: skip


def _csv(tmp_path: Path, delimiter: str, encoding: str, decimal: str) -> Path:
    rows = [dict(r) for r in FORMAT_ROWS]
    for r in rows:
        r.setdefault("document_type", "Invoice")
        whole, _, frac = r["amount"].partition(".")
        thousands = "." if decimal == "," else ","
        if len(whole.lstrip("-")) > 3:
            whole = whole[:-3] + thousands + whole[-3:]
        r["amount"] = whole + decimal + frac
    return write_csv(tmp_path / "entries.csv", rows, delimiter, encoding)


def _xlsx(tmp_path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["document_no", "customer_no", "customer_name", "due_date", "amount", "description", "document_type"]
    )
    sheet.append(
        ["0001001", "C1", "Société Générale", dt.datetime(2026, 10, 1), 1234.56, 'Fret; "express"', "Invoice"]
    )
    sheet.append([None] * 7)  # an empty row in between is skipped
    sheet.append(["0001002", "C2", "Müller GmbH", dt.date(2026, 10, 15), -20.5, None, "Credit Memo"])
    path = tmp_path / "entries.xlsx"
    book.save(path)
    return path


def _parquet(tmp_path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "document_no": ["0001001", "0001002"],
        "customer_no": ["C1", "C2"],
        "customer_name": ["Société Générale", "Müller GmbH"],
        "due_date": pa.array([dt.date(2026, 10, 1), dt.date(2026, 10, 15)], pa.date32()),
        "amount": pa.array([Decimal("1234.56"), Decimal("-20.50")], pa.decimal128(18, 2)),
        "description": ['Fret; "express"', None],
        "document_type": ["Invoice", "Credit Memo"],
    })  # fmt: skip
    path = tmp_path / "entries.parquet"
    pq.write_table(table, path)
    return path


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: _csv(p, ",", "utf-8", "."), id="csv-comma-utf8"),
        pytest.param(lambda p: _csv(p, ";", "utf-8", ","), id="csv-semicolon-decimal-comma"),
        pytest.param(lambda p: _csv(p, ",", "utf-8", ","), id="csv-comma-decimal-comma-quoted"),
        pytest.param(lambda p: _csv(p, ";", "utf-8-sig", ","), id="csv-utf8-bom"),
        pytest.param(lambda p: _csv(p, ";", "cp1252", ","), id="csv-cp1252"),
        pytest.param(lambda p: _csv(p, "\t", "utf-8", "."), id="csv-tab"),
        pytest.param(_xlsx, id="xlsx"),
        pytest.param(_parquet, id="parquet"),
    ],
)
def test_each_format_imports_the_same_entries(db: Database, tmp_path: Path, make: Any) -> None:
    result = import_file(db, make(tmp_path), NATIVE)
    assert (result.rows_read, result.inserted, result.customers_created) == (2, 2, 2)
    first, second = entry(db, "0001001"), entry(db, "0001002")
    assert first["amount"] == Decimal("1234.56") and first["remaining_amount_lcy"] == Decimal("1234.56")
    assert first["due_date"] == dt.date(2026, 10, 1) and first["description"] == 'Fret; "express"'
    assert second["document_type"] == "credit_memo" and second["amount"] == Decimal("-20.50")
    assert db.scalar("select name from customers where customer_no = 'C1'") == "Société Générale"


def test_cp1252_is_read_when_the_file_is_not_utf8(tmp_path: Path) -> None:
    table = read_file(_csv(tmp_path, ";", "cp1252", ","))
    assert table.encoding == "cp1252" and table.delimiter == ";"
    assert "Société Générale" in set(table.frame["customer_name"])


def test_xlsx_float_noise_is_read_as_the_displayed_decimal(db: Database, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["document_no", "customer_no", "due_date", "amount"])
    book.active.append([1001, "C1", "2026-10-01", 0.1 + 0.2])
    book.active.append([1002, "C1", "2026-10-01", 121.00000000000001])
    book.save(tmp_path / "noise.xlsx")
    import_file(db, tmp_path / "noise.xlsx", NATIVE)
    assert entry(db, "1001")["amount"] == Decimal("0.30")
    assert entry(db, "1002")["amount"] == Decimal("121.00")


LARGE = [(1234567.89, "1234567.89"), (10000000.01, "10000000.01"), (987654321.12, "987654321.12"),
         (0.1 + 0.2, "0.30"), (121.00000000000001, "121.00"), (-1234567.89, "-1234567.89")]  # fmt: skip


@pytest.mark.parametrize("kind", ["xlsx", "parquet"])
def test_large_float_amounts_import_exactly(db: Database, tmp_path: Path, kind: str) -> None:
    numbers = [str(1000 + i) for i in range(len(LARGE))]
    values = [v for v, _ in LARGE]
    path = tmp_path / f"large.{kind}"
    if kind == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        book.active.append(["document_no", "customer_no", "due_date", "amount"])
        for no, value in zip(numbers, values, strict=True):
            book.active.append([no, "C1", "2026-10-01", value])
        book.save(path)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({
            "document_no": numbers, "customer_no": ["C1"] * len(numbers), "due_date": ["2026-10-01"] * len(numbers),
            "amount": pa.array(values, pa.float64()),
        }), path)  # fmt: skip
    assert import_file(db, path, NATIVE).inserted == len(LARGE)
    for no, (_, text) in zip(numbers, LARGE, strict=True):
        assert entry(db, no)["amount"] == Decimal(text), no


# -- presets and mappings ----------------------------------------------------------------------------
def test_bc_example_export_imports_with_detected_preset(db: Database) -> None:
    table = read_file(EXAMPLE)
    defaults = form_defaults(table)
    assert defaults.preset == "bc" and defaults.date_format == "%d.%m.%Y"
    result = import_file(db, EXAMPLE, build_mapping("bc", [], "%d.%m.%Y"))
    assert (result.rows_read, result.inserted, result.customers_created) == (14, 14, 5)
    partial = entry(db, "103002")
    assert (partial["amount"], partial["remaining_amount"]) == (Decimal("3480.50"), Decimal("1480.50"))
    assert partial["posting_date"] == dt.date(2026, 9, 15) and partial["due_date"] == dt.date(2026, 10, 30)
    usd = entry(db, "103007")
    assert (usd["currency"], usd["amount"], usd["amount_lcy"]) == (
        "USD",
        Decimal("5000.00"),
        Decimal("4310.34"),
    )
    paid = entry(db, "103004")
    assert paid["closed_at"] == dt.date(2026, 9, 25) and paid["remaining_amount"] == Decimal("0.00")
    assert entry(db, "103003")["dispute_status"] == "Price" and entry(db, "106001")["on_hold"] == "DIS"
    assert entry(db, "105001")["document_type"] == "finance_charge"
    assert entry(db, "G00102")["amount_lcy"] == Decimal("-1724.14")
    assert (entry(db, "103002")["last_reminder_level"], entry(db, "103001")["last_reminder_level"]) == (2, 0)
    assert db.scalar("select currency from customers where customer_no = 'K50030'") == "USD"


def test_bc_original_amount_wins_over_amount(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cle.csv", [{
        "Document No.": "103001", "Customer No.": "K1", "Due Date": "2026-10-01", "Original Amount": "500.00",
        "Amount": "499.00", "Remaining Amount": "200.00", "Open": "Yes",
    }])  # fmt: skip
    import_file(db, path, build_mapping("bc", [], None))
    found = entry(db, "103001")
    assert (found["amount"], found["remaining_amount"]) == (Decimal("500.00"), Decimal("200.00"))


def test_bc_reads_day_month_year_and_iso_dates_without_a_date_format(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cle.csv", [
        {"Document No.": "1", "Customer No.": "K1", "Posting Date": "31.08.2026", "Due Date": "30.09.2026",
         "Amount": "10,00"},
        {"Document No.": "2", "Customer No.": "K1", "Posting Date": "2026-08-31", "Due Date": "2026-10-15",
         "Amount": "20,00"},
    ], delimiter=";")  # fmt: skip
    assert import_file(db, path, build_mapping("bc", [], None)).inserted == 2
    assert (entry(db, "1")["due_date"], entry(db, "2")["due_date"]) == (
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 15),
    )


def test_bc_dates_in_another_locale_need_the_date_format(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cle.csv", [{
        "Document No.": "1", "Customer No.": "K1", "Posting Date": "8/31/2026", "Due Date": "9/30/2026",
        "Amount": "10.00",
    }])  # fmt: skip
    problems = rejected(db, path, build_mapping("bc", [], None))
    assert {p.column for p in problems} == {"Posting Date", "Due Date"}
    assert (
        "does not read as DD.MM.YYYY (or YYYY-MM-DD)" in problems[0].message
        and "e.g. %m/%d/%Y" in problems[0].message
    )
    import_file(db, path, build_mapping("bc", [], "%m/%d/%Y"))
    assert entry(db, "1")["due_date"] == dt.date(2026, 9, 30)


def test_the_date_format_suggested_is_one_that_reads_the_dates(db: Database) -> None:
    problems = rejected(db, IBM, build_mapping(None, [], "%d/%m/%Y"))
    assert all(
        "--date-format (e.g. %m/%d/%Y)" in p.message for p in problems if "does not read as" in p.message
    )


def test_shipped_bc_example_through_the_command_line_without_a_date_format(tmp_path: Path) -> None:
    done = dunning("import", str(EXAMPLE), "--mapping", "bc", db=tmp_path / "bc.duckdb", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "14 rows read, 14 inserted" in done.stdout


def test_explicit_mapping_with_other_column_names(db: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "x.csv", [{"Inv": "A-1", "Debtor": "D9", "Payable by": "03/15/2026", "Sum": "75"}]
    )
    mapping = build_mapping(None, ["document_no=Inv", "customer_no=Debtor", "due_date=Payable by", "amount=Sum"],
                            "%m/%d/%Y")  # fmt: skip
    import_file(db, path, mapping)
    found = entry(db, "A-1")
    assert found["due_date"] == found["posting_date"] == found["document_date"] == dt.date(2026, 3, 15)
    assert (found["customer_no"], found["amount"], found["document_type"]) == (
        "D9",
        Decimal("75.00"),
        "invoice",
    )


# -- defaults ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        ({}, "remaining_amount", Decimal("100.00")),
        ({"closed_at": "2026-11-01", "posting_date": "2026-09-01"}, "remaining_amount", Decimal("0.00")),
        ({"open": "No"}, "remaining_amount", Decimal("0.00")),
        ({"open": "Yes"}, "remaining_amount", Decimal("100.00")),
        ({"remaining_amount": "40"}, "remaining_amount_lcy", Decimal("40.00")),
        ({}, "currency", "EUR"),
        ({"currency": "eur"}, "amount_lcy", Decimal("100.00")),
        ({"document_date": "2026-09-02"}, "posting_date", dt.date(2026, 9, 2)),
        ({"posting_date": "2026-09-03"}, "document_date", dt.date(2026, 9, 3)),
        ({}, "posting_date", dt.date(2026, 10, 1)),
        ({"dispute_status": "No"}, "dispute_status", None),
        ({"dispute_status": "Yes"}, "dispute_status", "Yes"),
        ({"on_hold": ""}, "on_hold", None),
        ({"currency": "USD", "amount_lcy": "90", "remaining_amount": "50"}, "remaining_amount_lcy", Decimal("45.00")),
        ({"currency": "USD", "amount_lcy": "90"}, "remaining_amount_lcy", Decimal("90.00")),
        ({"document_type": "Credit Memo", "amount": "30"}, "amount", Decimal("-30.00")),
        ({"document_type": "Credit Memo", "amount": "30"}, "remaining_amount", Decimal("-30.00")),
        ({"document_type": "Payment", "amount": "30", "remaining_amount": "10"}, "remaining_amount", Decimal("-10.00")),
        ({"document_type": "Payment", "amount": "-30"}, "amount_lcy", Decimal("-30.00")),
        ({"document_type": "Refund", "amount": "30"}, "amount", Decimal("30.00")),
    ],
)  # fmt: skip
def test_defaults_and_signs(
    db: Database, tmp_path: Path, change: dict[str, str], field: str, expected: Any
) -> None:
    import_file(db, write_csv(tmp_path / "e.csv", rows_of(change)), NATIVE)
    assert entry(db, "INV-1")[field] == expected


def test_missing_customers_are_created_from_the_rows(db: Database, tmp_path: Path) -> None:
    db.execute("insert into customers (customer_no, name) values ('C1', 'Kept As Is')")
    path = write_csv(tmp_path / "e.csv", rows_of(
        {"customer_name": "Renamed?"}, {"customer_no": "C2", "customer_name": "Beta SA"},
        {"customer_no": "C2", "customer_name": "Beta (2)"}, {"customer_no": "C3"},
    ))  # fmt: skip
    assert import_file(db, path, NATIVE).customers_created == 2
    assert db.rows("select customer_no, name from customers order by 1") == [
        ("C1", "Kept As Is"), ("C2", "Beta SA"), ("C3", "C3"),
    ]  # fmt: skip


# -- customers' languages ------------------------------------------------------------------------------
def _bc_export(tmp_path: Path, name: str, language: str | None, customer: str = "K9") -> Path:
    """A Business Central export of one invoice of the customer; language None: no Language Code column."""
    row = {"Customer No.": customer, "Customer Name": "Dupont SA", "Document No.": "SI-9",
           "Due Date": "01.11.2026", "Original Amount": "100,00"}  # fmt: skip
    if language is not None:
        row["Language Code"] = language
    return write_csv(tmp_path / name, [row], delimiter=";")


def language(db: Database, customer_no: str) -> str:
    return str(db.scalar("select language from customers where customer_no = $c", {"c": customer_no}))


def test_bc_language_code_is_stored_then_updated_and_kept_when_the_file_has_none(
    db: Database, tmp_path: Path
) -> None:
    bc = build_mapping("bc", [], None)
    first = import_file(db, _bc_export(tmp_path, "1.csv", "FRA"), bc)
    assert first.customers_created == 1 and language(db, "K9") == "FRA"
    assert first.languages_changed == 0  # a new customer's language is not a change
    later = import_file(db, _bc_export(tmp_path, "2.csv", "DEU"), bc)
    assert (later.inserted, later.updated, later.unchanged, later.languages_changed) == (0, 0, 1, 1)
    assert language(db, "K9") == "DEU"
    assert "1 unchanged, 0 customers created, 1 customer languages changed" in later.summary()
    for name, without in (("3.csv", None), ("4.csv", ""), ("5.csv", "  ")):  # no column, empty, blank cell
        result = import_file(db, _bc_export(tmp_path, name, without), bc)
        assert result.languages_changed == 0 and "languages" not in result.summary(), name
        assert language(db, "K9") == "DEU", name
    again = import_file(db, _bc_export(tmp_path, "2.csv", "DEU"), bc)
    assert again.languages_changed == 0 and language(db, "K9") == "DEU"  # importing twice changes nothing


def test_a_new_customer_takes_the_first_language_its_rows_give_else_english(
    db: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "e.csv", rows_of(
        {"customer_language": ""}, {"customer_language": " fr-BE "}, {"customer_language": "nl"},
        {"customer_no": "C2"}, {"customer_no": "C3", "customer_language": "fra"},
    ))  # fmt: skip
    assert import_file(db, path, NATIVE).customers_created == 3
    assert db.rows("select customer_no, language from customers order by 1") == [
        ("C1", "fr-BE"), ("C2", "en"), ("C3", "fra"),
    ]  # fmt: skip
    import_file(db, write_csv(tmp_path / "no-column.csv", rows_of({"customer_no": "C4"})), NATIVE)
    assert language(db, "C4") == "en"


def test_a_stored_customer_keeps_its_name_and_currency_but_takes_the_files_language(
    db: Database, tmp_path: Path
) -> None:
    db.execute(
        "insert into customers (customer_no, name, language, currency) values ('C1', 'Kept', 'nl', 'USD')"
    )
    path = write_csv(tmp_path / "e.csv", rows_of(
        {"customer_name": "Renamed?", "customer_language": "FRB"}, {"customer_language": "DEU"},
    ))  # fmt: skip
    assert import_file(db, path, NATIVE).languages_changed == 1
    assert db.rows("select name, language, currency from customers") == [("Kept", "FRB", "USD")]


@pytest.mark.parametrize("value", ["fr BE", "fr.BE", "Français", "ABCDEFGHIJK", "1", "-fr", "de-CH-1901"])
def test_a_value_that_is_no_language_code_is_refused_naming_the_row(
    db: Database, tmp_path: Path, value: str
) -> None:
    db.execute("insert into customers (customer_no, name, language) values ('C1', 'Stored', 'nl')")
    path = write_csv(tmp_path / "e.csv", rows_of({"customer_language": "FRA"}, {"customer_language": value}))
    (problem,) = rejected(db, path)
    assert (problem.file, problem.row, problem.column) == ("e.csv", 3, "customer_language")
    assert f"{value!r} is not a language code" in problem.message
    assert "correct it or leave it empty" in problem.message
    assert language(db, "C1") == "nl" and db.scalar("select count(*) from ledger_entries") == 0


@pytest.mark.parametrize("value", ["FRA", "fr", "fra", "fr-BE", "fr_BE", "ABCDEFGHIJ"])
def test_language_codes_are_stored_as_written(db: Database, tmp_path: Path, value: str) -> None:
    import_file(db, write_csv(tmp_path / "e.csv", rows_of({"customer_language": value})), NATIVE)
    assert language(db, "C1") == value


def test_preview_shows_the_customer_language(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", rows_of({"customer_language": "NLB"}, {}))
    shown = preview(db, read_file(path), NATIVE)
    assert list(shown.rows["customer_language"]) == ["NLB", None] and shown.problems == ()
    assert list(shown.shown()["customer_language"]) == ["NLB", ""]  # the page shows an empty cell, never None


# -- bad input -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({"due_date": "not-a-date"}, "due_date", "'not-a-date' does not read as YYYY-MM-DD"),
        ({"posting_date": "2026-13-01"}, "posting_date", "does not read as"),
        ({"amount": "12,34.5"}, "amount", "'12,34.5' is not an amount"),
        ({"amount": "1.005"}, "amount", "1.005 EUR has more decimals than its currency has"),
        ({"amount": "1.0051"}, "amount", "1.0051 EUR has more decimals than its currency has; correct it, or import with --round"),
        ({"document_no": "INV-1"}, "document_no", "invoice INV-1 is also on row 2"),
        ({"closed_at": "2026-01-01", "posting_date": "2026-02-01"}, "closed_at", "closed at 2026-01-01 before"),
        ({"customer_no": ""}, "customer_no", "customer_no is empty"),
        ({"amount": ""}, "amount", "amount is empty"),
        ({"due_date": " "}, "due_date", "due_date is empty"),
        ({"currency": "EURO"}, "currency", "'EURO' is not three letters"),
        ({"customer_language": "fr BE"}, "customer_language", "'fr BE' is not a language code"),
        ({"document_type": "Invoyce"}, "document_type", "unknown document type 'Invoyce'"),
        ({"remaining_amount": "100.01"}, "remaining_amount", "is more than the amount"),
        ({"remaining_amount": "-5"}, "remaining_amount", "another sign"),
        ({"currency": "USD"}, "currency", "map amount_lcy"),
        ({"currency": "USD", "amount_lcy": "-9"}, "amount_lcy", "opposite sign"),
        ({"entry_no": "x7"}, "entry_no", "'x7' is not a positive whole number"),
        ({"open": "maybe"}, "open", "neither Yes nor No"),
        ({"closed_at": "2026-11-01", "remaining_amount": "5"}, "remaining_amount", "a closed entry has 0 remaining"),
        ({"open": "No", "remaining_amount": "5"}, "remaining_amount", "a closed entry has 0 remaining"),
    ],
)  # fmt: skip
def test_bad_row_is_named_by_file_row_and_column(
    db: Database, tmp_path: Path, change: dict[str, str], column: str, fragment: str
) -> None:
    path = write_csv(
        tmp_path / "bad.csv", [{**GOOD, "document_no": "INV-1"}, {**GOOD, "document_no": "INV-2", **change}]
    )
    problems = rejected(db, path)
    assert [(p.file, p.row, p.column) for p in problems] == [("bad.csv", 3, column)], problems
    assert fragment in problems[0].message
    assert db.scalar("select count(*) from ledger_entries") == 0


def test_due_date_before_document_date_is_allowed(db: Database, tmp_path: Path) -> None:
    import_file(db, write_csv(tmp_path / "e.csv", rows_of({"document_date": "2026-10-05"})), NATIVE)
    assert entry(db, "INV-1")["due_date"] == dt.date(2026, 10, 1)


def test_every_problem_is_reported_at_once(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", rows_of(
        {"due_date": "soon"}, {}, {"amount": "lots", "currency": "E"}, {"customer_no": ""},
    ))  # fmt: skip
    problems = rejected(db, path)
    assert [(p.row, p.column) for p in problems] == [
        (2, "due_date"), (4, "currency"), (4, "amount"), (5, "customer_no"),
    ]  # fmt: skip
    assert "4 problem(s)" in str(ImportRejected(problems)) and "bad.csv, row 4, column 'amount'" in str(
        ImportRejected(problems)
    )


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("entries.pdf", b"%PDF-1.4", "unknown file type .pdf"),
        ("entries", b"a,b", "unknown file type (no extension)"),
        ("entries.csv", b"", "the file is empty"),
        ("entries.csv", b"document_no,customer_no\r\n1,2,3,4\r\n", "cannot split the row"),
        ("entries.xlsx", b"not a zip file", "the file is not an XLSX workbook"),
        ("entries.parquet", b"PAR1garbage", "cannot read the file as PARQUET"),
        (
            "entries.csv",
            b"document_no,amount\r\n1,2\r\n",
            "for the required field customer_no is not in the file",
        ),
    ],
)
def test_unreadable_files(db: Database, tmp_path: Path, name: str, content: bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    problems = rejected(db, path)
    assert problems[0].file == name
    assert fragment in problems[0].message


def test_missing_file_is_reported(db: Database, tmp_path: Path) -> None:
    (problem,) = rejected(db, tmp_path / "nowhere.csv")
    assert "cannot read the file" in problem.message


# -- writing -------------------------------------------------------------------------------------------
def test_reimport_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", rows_of({}, {"customer_no": "C2"}, {"document_type": "Payment"}))
    first = import_file(db, path, NATIVE)
    before = entries(db)
    second = import_file(db, path, NATIVE)
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    assert (second.inserted, second.updated, second.unchanged, second.customers_created) == (0, 0, 3, 0)
    assert entries(db) == before
    assert "3 rows read, 0 inserted, 0 updated, 3 unchanged, 0 customers created" in second.summary()
    batches = db.records(
        "select file_name, file_sha256, mapping, rows_read, rows_inserted from import_batches"
    )
    assert [(b["file_name"], b["rows_inserted"]) for b in batches] == [("e.csv", 3), ("e.csv", 0)]
    assert (
        len(batches[0]["file_sha256"]) == 64
        and json.loads(batches[0]["mapping"])["columns"]["amount"] == "amount"
    )


def test_update_keeps_entry_no_and_reminder_history(db: Database, tmp_path: Path) -> None:
    import_file(db, write_csv(tmp_path / "e.csv", rows_of({}, {})), NATIVE)
    db.execute("update ledger_entries set last_reminder_level = 2, last_reminder_date = date '2026-11-01'")
    old = entry(db, "INV-2")
    result = import_file(
        db, write_csv(tmp_path / "e2.csv", rows_of({}, {"remaining_amount": "60"}, {})), NATIVE
    )
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
    new = entry(db, "INV-2")
    assert new["entry_no"] == old["entry_no"] and new["remaining_amount"] == Decimal("60.00")
    assert (new["last_reminder_level"], new["last_reminder_date"]) == (2, dt.date(2026, 11, 1))
    assert entry(db, "INV-3")["entry_no"] == max(old["entry_no"], entry(db, "INV-1")["entry_no"]) + 1


def test_bc_last_issued_reminder_level_is_stored_and_the_next_reminder_continues(
    db: Database, tmp_path: Path
) -> None:
    from dunning.reminders.proposal import ProposalOptions, propose, run_json

    path = write_csv(tmp_path / "cle.csv", [{
        "Document No.": "103001", "Customer No.": "K1", "Due Date": "01.09.2026", "Original Amount": "500,00",
        "Remaining Amount": "500,00", "Open": "Yes", "Last Issued Reminder Level": "2", "Reminded": "01.11.2026",
    }], delimiter=";")  # fmt: skip
    import_file(db, path, build_mapping("bc", ["last_reminder_date=Reminded"], None))
    found = entry(db, "103001")
    assert (found["last_reminder_level"], found["last_reminder_date"]) == (2, dt.date(2026, 11, 1))
    db.execute("insert into contacts (customer_no, name, email, role) values ('K1', 'AP', 'ap@k1.example',"
               " 'finance_manager')")  # fmt: skip
    # exported at level 2 on 1 Nov: level 3 is due 14 days later (15 Nov), so on 28 Nov the reminder is level 3
    run = run_json(db, propose(db, ProposalOptions(as_of=dt.date(2026, 11, 28))).run_id)
    assert [r["level"] for r in run["reminders"]] == [3]
    # a later export where Business Central cancelled that reminder: level 1 again; no level column: kept
    import_file(db, write_csv(tmp_path / "cle2.csv", [{
        "Document No.": "103001", "Customer No.": "K1", "Due Date": "01.09.2026", "Original Amount": "500,00",
        "Remaining Amount": "500,00", "Last Issued Reminder Level": "1",
    }], delimiter=";"), build_mapping("bc", [], None))  # fmt: skip
    assert entry(db, "103001")["last_reminder_level"] == 1
    import_file(db, write_csv(tmp_path / "cle3.csv", [{
        "Document No.": "103001", "Customer No.": "K1", "Due Date": "01.09.2026", "Original Amount": "500,00",
        "Remaining Amount": "400,00",
    }], delimiter=";"), build_mapping("bc", [], None))  # fmt: skip
    assert entry(db, "103001")["last_reminder_level"] == 1


@pytest.mark.parametrize("value", ["2.5", "100", "-1", "two"])
def test_a_reminder_level_that_is_no_whole_number_to_99_is_refused(
    db: Database, tmp_path: Path, value: str
) -> None:
    path = write_csv(tmp_path / "e.csv", rows_of({"last_reminder_level": value}))
    (problem,) = rejected(db, path)
    assert problem.column == "last_reminder_level" and "from 0 to 99" in problem.message


def test_same_document_no_with_another_type_is_another_entry(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [GOOD, {**GOOD, "document_type": "Payment", "amount": "-100"}])
    assert import_file(db, path, NATIVE).inserted == 2


def test_file_entry_numbers_are_kept_and_clashes_refused(db: Database, tmp_path: Path) -> None:
    import_file(db, write_csv(tmp_path / "e.csv", rows_of({"entry_no": "500"}, {})), NATIVE)
    assert entry(db, "INV-1")["entry_no"] == 500 and entry(db, "INV-2")["entry_no"] == 501
    path = write_csv(tmp_path / "clash.csv", rows_of({"entry_no": "501"}, {"entry_no": "502"}))
    problems = rejected(db, path)
    assert [(p.row, p.column) for p in problems] == [(2, "entry_no"), (2, "entry_no"), (3, "entry_no")]
    assert "invoice INV-1 is stored as entry no. 500" in problems[0].message
    assert "entry no. 501 is stored for invoice INV-2" in problems[1].message


def test_rejected_import_changes_nothing(db: Database, tmp_path: Path) -> None:
    import_file(db, write_csv(tmp_path / "e.csv", rows_of({}, {})), NATIVE)
    before = (
        entries(db),
        db.rows("select * from customers order by 1"),
        db.scalar("select count(*) from import_batches"),
    )
    path = write_csv(
        tmp_path / "bad.csv",
        rows_of({"remaining_amount": "1"}, {}, {"customer_no": "NEW"}, {"due_date": "x"}),
    )
    rejected(db, path)
    after = (
        entries(db),
        db.rows("select * from customers order by 1"),
        db.scalar("select count(*) from import_batches"),
    )
    assert after == before


# -- files that list every open entry ------------------------------------------------------------------
MONDAY, TUESDAY = dt.date(2026, 11, 23), dt.date(2026, 11, 24)


def _open_items(tmp_path: Path, name: str, *numbers: int, extra: dict[str, str] | None = None) -> Path:
    """An open-items export holding INV-<n> for each number (INV-n of n * 100.00); extra is added to the last."""
    rows = [{**GOOD, "document_no": f"INV-{n}", "amount": f"{n * 100}.00"} for n in numbers]
    rows.append({**GOOD, "document_no": "CM-1", "document_type": "Credit Memo", "amount": "-30.00"})
    if extra:
        rows[-1] = {**rows[-1], **extra}
    return write_csv(tmp_path / name, rows)


def test_paid_invoice_missing_from_an_all_open_file_is_closed(db: Database, tmp_path: Path) -> None:
    import_file(db, _open_items(tmp_path, "monday.csv", 1, 2, 3), NATIVE, all_open=True, closed_on=MONDAY)
    before = aging(db, TUESDAY)
    assert (before.overdue_count, before.credits_count, before.open_count) == (3, 1, 4)
    tuesday = _open_items(tmp_path, "tuesday.csv", 2, 3)  # INV-1 was paid on Monday evening

    plain = import_file(db, tuesday, NATIVE)  # default: missing entries are left alone
    assert plain.closed is None and "closed" not in plain.summary()
    assert entry(db, "INV-1")["closed_at"] is None and aging(db, TUESDAY).overdue_count == 3

    assert preview(db, read_file(tuesday), NATIVE, all_open=True).to_close == 1
    assert preview(db, read_file(tuesday), NATIVE).to_close is None
    result = import_file(db, tuesday, NATIVE, all_open=True, closed_on=TUESDAY)
    assert result.closed == 1 and "3 unchanged, 0 customers created, 1 closed" in result.summary()
    paid = entry(db, "INV-1")
    assert (paid["remaining_amount"], paid["remaining_amount_lcy"], paid["closed_at"]) == (
        Decimal("0.00"), Decimal("0.00"), TUESDAY,
    )  # fmt: skip
    assert paid["import_batch_id"] == result.batch_id
    after = aging(db, TUESDAY)
    assert (after.overdue_count, after.credits_count, after.open_count) == (2, 1, 3)
    assert after.open_amount_lcy == before.open_amount_lcy - Decimal("100.00")
    assert aging(db, MONDAY).overdue_count == 3  # on Monday it was still open

    again = import_file(db, tuesday, NATIVE, all_open=True, closed_on=dt.date(2026, 11, 25))
    assert again.closed == 0 and (again.inserted, again.updated) == (0, 0)
    assert entry(db, "INV-1")["closed_at"] == TUESDAY  # idempotent: the second import closes nothing
    assert preview(db, read_file(tuesday), NATIVE, all_open=True).to_close == 0


def test_all_open_closes_credits_and_leaves_closed_entries_alone(db: Database, tmp_path: Path) -> None:
    import_file(db, _open_items(tmp_path, "monday.csv", 1, 2), NATIVE)
    db.execute("update ledger_entries set remaining_amount = 0, closed_at = $d where document_no = 'INV-2'",
               {"d": dt.date(2026, 11, 1)})  # fmt: skip
    file = write_csv(tmp_path / "only-1.csv", [{**GOOD, "document_no": "INV-1", "amount": "100.00"}])
    assert import_file(db, file, NATIVE, all_open=True, closed_on=TUESDAY).closed == 1  # the credit memo
    assert entry(db, "CM-1")["closed_at"] == TUESDAY and entry(db, "CM-1")["remaining_amount"] == 0
    assert entry(db, "INV-2")["closed_at"] == dt.date(2026, 11, 1)


def test_rejected_all_open_import_closes_nothing(db: Database, tmp_path: Path) -> None:
    import_file(db, _open_items(tmp_path, "monday.csv", 1, 2, 3), NATIVE)
    before = entries(db)
    bad = _open_items(tmp_path, "bad.csv", 2, extra={"due_date": "soon"})
    with pytest.raises(ImportRejected):
        import_file(db, bad, NATIVE, all_open=True, closed_on=TUESDAY)
    assert entries(db) == before
    assert preview(db, read_file(bad), NATIVE, all_open=True).to_close is None  # not while it has problems


def test_preview_shows_rows_as_stored_and_every_problem(db: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "e.csv", rows_of({"amount": "1234.5", "document_type": "Credit Memo"}, {"due_date": "?"})
    )
    table = read_upload(path.read_bytes(), "upload.csv")
    shown = preview(db, table, NATIVE, limit=1)
    assert shown.rows_read == 2 and list(shown.rows.index) == [2]
    assert shown.rows.loc[2, "amount"] == Decimal("-1234.50") and shown.rows.loc[2, "due_date"] == dt.date(
        2026, 10, 1
    )
    assert shown.problem_frame().to_dict("records") == [
        {"rows": "1", "first rows": "3", "column": "due_date", "problem": shown.problems[0].message}
    ]
    assert db.scalar("select count(*) from ledger_entries") == 0


# -- real data: the IBM accounts-receivable sample -------------------------------------------------------
def test_ibm_sample_ages_as_the_published_figures(db: Database) -> None:
    mapping = build_mapping(None, IBM_MAP, "%m/%d/%Y")
    first = import_file(db, IBM, mapping)
    second = import_file(db, IBM, mapping)
    assert (first.rows_read, first.inserted, first.customers_created) == (2466, 2466, 100)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 2466)
    report = aging(db, dt.date(2013, 6, 30))
    assert (report.open_count, report.open_amount_lcy) == (84, Decimal("5119.85"))
    assert (report.overdue_count, report.overdue_amount_lcy) == (12, Decimal("835.56"))
    assert db.scalar("select count(*) from ledger_entries where document_no = '0000611365'") == 1


def test_ibm_disputed_column_maps_to_dispute_status(db: Database) -> None:
    import_file(db, IBM, build_mapping(None, [*IBM_MAP, "dispute_status=Disputed"], "%m/%d/%Y"))
    assert db.rows("select dispute_status, count(*) from ledger_entries group by 1 order by 1 nulls first") == [
        (None, 1905), ("Yes", 561),
    ]  # fmt: skip


def test_ibm_sample_through_the_command_line(tmp_path: Path) -> None:
    db_path = tmp_path / "ibm.duckdb"
    maps = [a for m in IBM_MAP for a in ("--map", m)]
    for _ in range(2):
        done = dunning("import", str(IBM), *maps, "--date-format", "%m/%d/%Y", db=db_path, cwd=ROOT)
        assert done.returncode == 0, done.stderr
    assert "0 inserted, 0 updated, 2,466 unchanged" in done.stdout
    done = dunning("aging", "--as-of", "2013-06-30", "--json", db=db_path, cwd=ROOT)
    report = json.loads(done.stdout)
    assert (report["open_count"], report["open_amount_lcy"]) == (84, "5119.85")
    assert (report["overdue_count"], report["overdue_amount_lcy"]) == (12, "835.56")


def test_bad_file_exits_2_naming_the_column_and_changes_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "cli.duckdb"
    path = write_csv(tmp_path / "bad.csv", [
        {"invoiceNumber": "0001", "customerID": "A", "DueDate": "1/31/2013", "InvoiceAmount": "10.00"},
        {"invoiceNumber": "0002", "customerID": "A", "DueDate": "not-a-date", "InvoiceAmount": "20.00"},
    ])  # fmt: skip
    maps = ["--map", "document_no=invoiceNumber", "--map", "customer_no=customerID", "--map", "due_date=DueDate",
            "--map", "amount=InvoiceAmount"]  # fmt: skip
    done = dunning("import", str(path), *maps, "--date-format", "%m/%d/%Y", db=db_path, cwd=ROOT)
    assert done.returncode == 2
    assert "bad.csv, row 3, column 'DueDate'" in done.stderr and "'not-a-date'" in done.stderr
    with Database(db_path) as db:
        assert db.scalar("select count(*) from ledger_entries") == 0
        assert db.scalar("select count(*) from customers") == 0


def test_all_open_through_the_command_line(tmp_path: Path) -> None:
    db_path = tmp_path / "cli.duckdb"
    done = dunning("import", str(_open_items(tmp_path, "monday.csv", 1, 2)), db=db_path, cwd=ROOT)
    assert done.returncode == 0 and "closed" not in done.stdout, done.stderr
    tuesday = str(_open_items(tmp_path, "tuesday.csv", 2))
    done = dunning("import", tuesday, "--closed-on", "2026-11-24", db=db_path, cwd=ROOT)
    assert done.returncode == 2 and "--all-open" in done.stderr
    done = dunning(
        "import", tuesday, "--all-open", "--yes", "--closed-on", "2026-11-24", db=db_path, cwd=ROOT
    )
    assert done.returncode == 0 and "2 unchanged, 0 customers created, 1 closed" in done.stdout, done.stderr
    report = json.loads(dunning("aging", "--as-of", "2026-11-24", "--json", db=db_path, cwd=ROOT).stdout)
    assert (report["overdue_count"], report["overdue_amount_lcy"]) == (1, "200.00")
