"""Vectorised parsers: exact thousandths from every common amount notation, dates, document types, yes/no."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dunning.ledger.imports import parsing as P


def series(*values: str) -> pd.Series:
    return pd.Series(list(values), dtype=str)


@pytest.mark.parametrize(
    ("text", "decimal", "milli"),
    [
        ("1234.56", ".", 1234560),
        ("1,234.56", ".", 1234560),
        ("1.234,56", ",", 1234560),
        ("1 234,56", ",", 1234560),
        ("1'234.56", ".", 1234560),
        ("-12", ".", -12000),
        ("+7.5", ".", 7500),
        ("(3.00)", ".", -3000),
        ("5,00-", ",", -5000),
        ("€ 1.000,00", ",", 1000000),
        ("0", ".", 0),
        (",5", ",", 500),
        ("1.234.567,89", ",", 1234567890),
        ("0.001", ".", 1),
        ("64982.589", ".", 64982589),
        ("999999999999999.999", ".", 999999999999999999),
    ],
)
def test_amounts_parse_to_exact_thousandths(text: str, decimal: str, milli: int) -> None:
    parsed = P.parse_amounts(series(text), decimal)
    assert not parsed.bad[0]
    assert parsed.milli[0] == milli


@pytest.mark.parametrize(
    ("text", "places", "exact"), [("64982.589", 3, "64982.589"), ("1.23456", 5, "1.23456"), ("-0.10", 1, "-0.1"),
                                  ("12", 0, "12"), ("1.234,5678", 4, "1234.5678")],
)  # fmt: skip
def test_amounts_say_how_many_decimals_they_have(text: str, places: int, exact: str) -> None:
    parsed = P.parse_amounts(series(text), "," if text.endswith("5678") else ".")
    assert parsed.places[0] == places and parsed.text[0] == exact
    assert pd.isna(parsed.milli[0]) == (
        places > 3
    )  # more than the ledger's three: only rounding can store it


@pytest.mark.parametrize(
    ("text", "decimal"),
    [("abc", "."), ("1.2.3", ","), ("--5", "."), ("-(5)", "."),
     ("12,34.5", "."), ("1234567890123456.00", ".")],
)  # fmt: skip
def test_amounts_refused(text: str, decimal: str) -> None:
    parsed = P.parse_amounts(series(text), decimal)
    assert parsed.bad[0] and pd.isna(parsed.milli[0])


def test_empty_amount_is_missing_not_a_problem() -> None:
    parsed = P.parse_amounts(series(""), ".")
    assert pd.isna(parsed.milli[0]) and not parsed.bad[0]


@pytest.mark.parametrize(
    ("values", "delimiter", "decimal"),
    [
        (["1.234,56", "12"], ",", ","),
        (["1,234.56", "12"], ";", "."),
        (["12,5", "3"], ",", ","),
        (["12", "3"], ";", ","),
        (["12", "3"], ",", "."),
        (["1,234"], ",", "."),
    ],
)
def test_decimal_separator_inferred_from_the_values(values: list[str], delimiter: str, decimal: str) -> None:
    assert P.infer_decimal([series(*values)], delimiter) == decimal


@given(st.integers(min_value=-(10**17), max_value=10**17))
def test_units_text_round_trips(milli: int) -> None:
    text = P.units_text(pd.Series([milli], dtype="Int64"))[0]
    parsed = P.parse_amounts(series(text), ".")
    assert not parsed.bad[0] and parsed.milli[0] == milli


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("2026-11-28", None, dt.date(2026, 11, 28)),
        ("2026-11-28 00:00:00", None, dt.date(2026, 11, 28)),
        ("1/2/2013", "%m/%d/%Y", dt.date(2013, 1, 2)),
        ("28.11.2026", "%d.%m.%Y", dt.date(2026, 11, 28)),
        ("2026-11-28", "%d.%m.%Y", dt.date(2026, 11, 28)),  # an XLSX date cell reads as ISO
    ],
)
def test_dates(text: str, fmt: str | None, expected: dt.date) -> None:
    parsed, bad = P.parse_dates(series(text), fmt)
    assert not bad[0] and parsed[0].date() == expected


@pytest.mark.parametrize(
    ("text", "fmt"), [("not-a-date", None), ("31.02.2026", "%d.%m.%Y"), ("13/1/2013", "%m/%d/%Y")]
)
def test_bad_dates(text: str, fmt: str | None) -> None:
    _, bad = P.parse_dates(series(text), fmt)
    assert bad[0]


@pytest.mark.parametrize(
    ("values", "fmt"),
    [
        (["28.11.2026", "1.2.2026"], "%d.%m.%Y"),
        (["12/31/2026"], "%m/%d/%Y"),
        (["2026-11-28"], None),
        (["x"], None),
    ],
)
def test_guess_date_format(values: list[str], fmt: str | None) -> None:
    assert P.guess_date_format([series(*values)]) == fmt


@pytest.mark.parametrize(
    ("values", "readings", "example"),
    [
        (["01/02/2026", "03/04/2026", "12/12/2026"], ("%d/%m/%Y", "%m/%d/%Y"), "01/02/2026"),
        (["1-2-2026"], ("%d-%m-%Y", "%m-%d-%Y"), "1-2-2026"),
        (["5/6/26", ""], ("%d/%m/%y", "%m/%d/%y"), "5/6/26"),
    ],
)
def test_ambiguous_day_month_order_is_not_guessed(
    values: list[str], readings: tuple[str, str], example: str
) -> None:
    due = pd.Series(values, name="Due Date")
    posting = pd.Series([""] * len(values), name="Posting Date")  # empty: not named
    guess = P.guess_dates([due, posting, due])
    assert (guess.format, guess.ambiguous, guess.columns, guess.example) == (
        None,
        readings,
        ("Due Date",),
        example,
    )
    assert P.guess_date_format([due]) is None
    warning = guess.warning() or ""
    assert "'Due Date'" in warning and P.date_format_label(readings[0]) in warning
    assert P.date_format_label(readings[1]) in warning and "none is chosen" in warning


@pytest.mark.parametrize(
    ("values", "fmt"),
    [
        (["13/01/2026", "01/02/2026"], "%d/%m/%Y"),  # only day-first reads 13/01
        (["01/13/2026", "01/02/2026"], "%m/%d/%Y"),  # only month-first reads 01/13
        (["01/01/2026", "02/02/2026"], "%d/%m/%Y"),  # the same date either way
        (["01.02.2026"], "%d.%m.%Y"),  # dots: day first by convention
        (["2026-02-01"], None),  # ISO
    ],
)
def test_unambiguous_dates_are_guessed_without_warning(values: list[str], fmt: str | None) -> None:
    guess = P.guess_dates([pd.Series(values, name="Due Date")])
    assert (guess.format, guess.ambiguous, guess.warning()) == (fmt, None, None)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("Invoice", "invoice"), ("", "invoice"), ("Credit Memo", "credit_memo"), ("credit_memo", "credit_memo"),
     ("Payment", "payment"), ("Refund", "refund"), ("Finance Charge Memo", "finance_charge"),
     ("Reminder", "reminder"), ("GUTSCHRIFT", "credit_memo")],
)  # fmt: skip
def test_document_types(text: str, kind: str) -> None:
    kinds, bad = P.parse_document_types(series(text))
    assert kinds[0] == kind and not bad[0]


def test_flags_treat_no_false_zero_and_empty_as_none() -> None:
    out = P.flag_text(series("No", "FALSE", "0", "", "Yes", "true", "DIS"))
    assert list(out) == [None, None, None, None, "Yes", "Yes", "DIS"]


def test_yes_no() -> None:
    value, bad = P.parse_yes_no(series("Yes", "No", "TRUE", "false", "", "maybe"))
    assert list(value[:4]) == [True, False, True, False]
    assert pd.isna(value[4]) and list(bad) == [False] * 5 + [True]


def test_dates_that_read_both_ways_offer_two_real_readings_and_choose_none() -> None:
    readings = P.date_readings([series("01/02/2026", "03/04/2026")])
    assert [r.label for r in readings] == ["01/02/2026 = 1 February 2026", "01/02/2026 = 2 January 2026"]
    assert {r.format for r in readings} == {"%d/%m/%Y", "%m/%d/%Y"} and not any(
        r.unreadable for r in readings
    )


def test_the_reading_that_reads_every_date_comes_first_and_the_other_says_what_it_cannot_read() -> None:
    readings = P.date_readings([series("1/2/2013", "11/25/2012"), series("2/1/2013", "")])
    assert [r.format for r in readings] == ["%m/%d/%Y", "%d/%m/%Y"]
    assert readings[0].label == "1/2/2013 = 2 January 2013"
    assert readings[1].label == "1/2/2013 = 1 February 2013 (cannot read 1 date such as 11/25/2012)"


def test_dates_no_reading_fits_offer_the_closest_readings_with_what_they_cannot_read() -> None:
    readings = P.date_readings([series("01/02/2026", "03/04/2026", "31/02/2026", "2026-11-28")])
    assert [r.format for r in readings] == ["%d/%m/%Y", "%m/%d/%Y"]  # ISO dates read under either
    assert [r.unreadable for r in readings] == [1, 1]  # 31/02 reads neither way
    assert readings[0].label == "01/02/2026 = 1 February 2026 (cannot read 1 date such as 31/02/2026)"


@pytest.mark.parametrize("values", [("2026-11-28",), ("", ""), ("nonsense",)])
def test_iso_or_unknown_dates_offer_no_reading(values: tuple[str, ...]) -> None:
    assert P.date_readings([series(*values)]) == ()


def test_a_column_without_rows_parses_to_nothing() -> None:
    parsed = P.parse_amounts(pd.Series([], dtype=str), ".")
    assert len(parsed.milli) == len(parsed.places) == len(parsed.bad) == 0
