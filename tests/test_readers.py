"""Reading import files as text: delimiters, encodings, row numbers as a spreadsheet shows them, headers."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from dunning.readers import Unreadable, read_bytes, sniff_delimiter, unique_names


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
