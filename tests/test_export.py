from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from dunning.documents import export

D = Decimal


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer": ['=HYPERLINK("http://x")', "+1 555", "-cmd", "@SUM(A1)", "\tTab", "\rCR", "Plain"],
            "amount": [D("-12.50"), D("1234.56"), D("0.00"), D("-0.01"), D("5.00"), D("6.00"), D("7.00")],
            "count": [1, 2, 3, 4, 5, 6, 7],
            "due": [dt.date(2026, 11, 1)] * 6 + [None],
            "held": [True, False, True, False, True, False, True],
        }
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 20 123", "'+31 20 123"),
        ("-5", "'-5"),  # text that looks like a negative number is text: neutralised
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Alpha = Beta", "Alpha = Beta"),
        ("", ""),
        (D("-5.00"), D("-5.00")),  # a genuine negative amount stays a number
        (-5, -5),
        (None, None),
    ],
)
def test_neutralise_only_text(value: object, expected: object) -> None:
    assert export.neutralise(value) == expected


def test_csv_has_header_every_row_and_neutralised_text() -> None:
    data = export.to_csv(frame())
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["customer", "amount", "count", "due", "held"]
    assert len(rows) == 8
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'+1 555", "'-cmd", "'@SUM(A1)", "'\tTab",
                                        "'\rCR", "Plain"]  # fmt: skip
    assert rows[1][1:] == ["-12.50", "1", "2026-11-01", "yes"]
    assert rows[7][3] == ""  # missing date: empty


def test_xlsx_readable_with_exactly_the_rows() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(frame(), sheet="8-14")))
    ws = wb["8-14"]
    values = list(ws.iter_rows(values_only=True))
    assert values[0] == ("customer", "amount", "count", "due", "held")
    assert len(values) == 8
    # (XML turns a carriage return in cell text into a line feed on reading)
    assert [v[0] for v in values[1:]] == ["'=HYPERLINK(\"http://x\")", "'+1 555", "'-cmd", "'@SUM(A1)", "'\tTab",
                                          "'\nCR", "Plain"]  # fmt: skip
    # amounts are numbers (negative ones too), shown with two places; no cell holds a formula
    assert (
        ws["B2"].data_type == "n" and str(ws["B2"].value) == "-12.5" and ws["B2"].number_format == "#,##0.00"
    )
    assert str(ws["B3"].value) == "1234.56"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws["D2"].value == dt.datetime(2026, 11, 1) and ws["D8"].value is None
    assert ws["E2"].value is True and ws["C4"].value == 3


def test_exports_of_an_empty_list_have_the_header_only() -> None:
    empty = frame().iloc[0:0]
    assert export.to_csv(empty).decode("utf-8-sig").strip() == "customer,amount,count,due,held"
    ws = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(empty))).active
    assert ws.max_row == 1


def test_nullable_integers_stay_integers() -> None:
    df = pd.DataFrame({"no": ["C1", "C2"], "level": pd.array([1, None], dtype="Int64")})
    assert export.to_csv(df).decode("utf-8-sig").split("\r\n")[1:3] == ["C1,1", "C2,"]
