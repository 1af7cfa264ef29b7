"""Reading import files as text: delimiters, encodings, row numbers as a spreadsheet shows them, headers."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from dunning.ledger.imports.readers import Unreadable, float_text, read_bytes, sniff_delimiter, unique_names


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("a,b,c", ","),
        ("a;b;c", ";"),
        ("a\tb\tc", "\t"),
        ("a|b|c", "|"),
        ("Amount (LCY);Name, first", ";"),
        ("a", ","),
    ],
)
def test_sniff_delimiter(header: str, delimiter: str) -> None:
    assert sniff_delimiter(header + "\n1,2;3\n") == delimiter


def test_rows_are_numbered_as_a_spreadsheet_shows_them() -> None:
    table = read_bytes(b"no,amount\r\n0001,1\r\n\r\n0003,3\r\n,\r\n0005,5\r\n", "x.csv")
    assert list(table.frame.index) == [2, 4, 6]  # the empty row 3 and the row of empty cells 5 are dropped
    assert list(table.frame["no"]) == ["0001", "0003", "0005"]  # text: leading zeros stay


def test_text_that_looks_like_missing_values_stays_text() -> None:
    table = read_bytes(b"no,name\r\nNA,NULL\r\n", "x.csv")
    assert table.frame.loc[2].tolist() == ["NA", "NULL"]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("name\nSociété Générale\n".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "name\nSociété Générale\n".encode(), "utf-8-sig"),
        ("name\nSociété Générale\n".encode("cp1252"), "cp1252"),
    ],
)
def test_encodings(data: bytes, encoding: str) -> None:
    table = read_bytes(data, "x.csv")
    assert table.encoding == encoding and table.columns == ("name",)
    assert table.frame.loc[2, "name"] == "Société Générale"


def test_row_with_more_fields_than_the_header_is_refused() -> None:
    with pytest.raises(Unreadable) as caught:
        read_bytes(b"a;b\r\n1;2\r\n1;2;3\r\n", "x.csv")
    assert caught.value.problem.row == 3 and "semicolon" in caught.value.problem.message


def test_duplicate_and_empty_header_names_are_made_distinct() -> None:
    assert unique_names(["Amount", " Amount ", "", "Amount"]) == [
        "Amount",
        "Amount (2)",
        "Column 3",
        "Amount (3)",
    ]
    table = read_bytes(b"Amount,Amount\r\n1,2\r\n", "x.csv")
    assert table.columns == ("Amount", "Amount (2)")


def test_xlsx_header_below_title_rows_keeps_sheet_row_numbers() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([])
    sheet.append(["Document No.", "Due Date", "Amount", "Open"])
    sheet.append([1001, dt.datetime(2026, 10, 1), 12.5, True])
    sheet.append(["0002", dt.datetime(2026, 10, 1, 13, 30), -3, False])
    buf = io.BytesIO()
    book.save(buf)
    table = read_bytes(buf.getvalue(), "cle.xlsx")
    assert table.columns == ("Document No.", "Due Date", "Amount", "Open")
    assert table.frame.loc[3].tolist() == ["1001", "2026-10-01", "12.5", "TRUE"]
    assert table.frame.loc[4].tolist() == ["0002", "2026-10-01 13:30:00", "-3", "FALSE"]


def test_sha256_of_the_bytes_is_kept() -> None:
    assert read_bytes(b"a\n1\n", "x.csv").sha256 == read_bytes(b"a\n1\n", "y.csv").sha256
    assert read_bytes(b"a\n1\n", "x.csv").sha256 != read_bytes(b"a\n2\n", "x.csv").sha256


NUMBERS = [
    (1234567.89, "1234567.89"),
    (10000000.01, "10000000.01"),
    (987654321.12, "987654321.12"),
    (-1234567.89, "-1234567.89"),
    (0.1 + 0.2, "0.3"),
    (121.00000000000001, "121"),
    (1e20, "100000000000000000000"),
    (1.5e-7, "0.00000015"),
    (-0.0, "0"),
]


@pytest.mark.parametrize(("value", "text"), NUMBERS)
def test_spreadsheet_numbers_read_as_the_decimal_they_display(value: float, text: str) -> None:
    assert float_text(value) == text


def test_xlsx_and_parquet_float_cells_read_without_binary_noise() -> None:
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    book = openpyxl.Workbook()
    book.active.append(["amount"])
    for value, _ in NUMBERS:
        book.active.append([value])
    buf = io.BytesIO()
    book.save(buf)
    expected = [text for _, text in NUMBERS]
    assert read_bytes(buf.getvalue(), "x.xlsx").frame["amount"].tolist() == expected
    buf = io.BytesIO()
    pq.write_table(pa.table({"amount": pa.array([v for v, _ in NUMBERS], pa.float64())}), buf)
    assert read_bytes(buf.getvalue(), "x.parquet").frame["amount"].tolist() == expected


def test_parquet_columns_of_one_name_are_made_distinct() -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(pa.table({"a": ["1"], "b": ["2"]}).rename_columns(["Amount", "Amount"]), buf)
    table = read_bytes(buf.getvalue(), "x.parquet")
    assert table.columns == ("Amount", "Amount (2)") and table.frame.loc[2].tolist() == ["1", "2"]
