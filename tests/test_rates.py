"""Reference rates: parsed from the editor's rows, checked with messages per row, saved as a whole."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from dunning.errors import BadInput
from dunning.reminders.rates import (
    Rate,
    from_records,
    load_rates,
    missing_rates,
    rate_text,
    save_rates,
)
from dunning.ui.frames import rates_frame


def test_the_seeded_rates_load_and_show_as_text(db):
    rates = load_rates(db)
    assert Rate("eu", dt.date(2026, 7, 1), D("2.1500")) in rates
    frame = rates_frame(rates)
    assert list(frame.columns) == ["scheme", "valid_from", "rate"]
    row = frame[(frame.scheme == "uk") & (frame.valid_from == dt.date(2025, 1, 1))].iloc[0]
    assert row["rate"] == "4.75"


@pytest.mark.parametrize(
    ("rate", "text"), [(D("2.1500"), "2.15"), (D("4"), "4.00"), (D("3.125"), "3.125"), (D("-0.5"), "-0.50")]
)
def test_rate_text(rate, text):
    assert rate_text(rate) == text


def test_good_rows_parse_to_exact_decimals():
    rates, problems = from_records(
        [
            {"scheme": "EU ", "valid_from": "2027-01-01", "rate": "2,4"},
            {"scheme": "uk", "valid_from": dt.date(2027, 7, 1), "rate": "-0.25"},
        ]
    )
    assert problems == []
    assert rates == [Rate("eu", dt.date(2027, 1, 1), D("2.4")), Rate("uk", dt.date(2027, 7, 1), D("-0.25"))]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"scheme": "us", "valid_from": "2027-01-01", "rate": "1"}, "row 1: scheme must be eu, de or uk"),
        ({"scheme": "eu", "valid_from": "2027-03-01", "rate": "1"}, "2027-03-01 must be 1 January or 1 July"),
        ({"scheme": "eu", "valid_from": None, "rate": "1"}, "give the date the rate is valid from"),
        ({"scheme": "eu", "valid_from": "2027-01-01", "rate": ""}, "give the rate in percent"),
        ({"scheme": "eu", "valid_from": "2027-01-01", "rate": "abc"}, "not 'abc'"),
        ({"scheme": "eu", "valid_from": "2027-01-01", "rate": "30.01"}, "not between -5 and 30"),
        ({"scheme": "eu", "valid_from": "2027-01-01", "rate": "-5.5"}, "not between -5 and 30"),
        ({"scheme": "eu", "valid_from": "2027-01-01", "rate": "NaN"}, "not between -5 and 30"),
    ],
)
def test_each_bad_row_is_explained(row, message):
    rates, problems = from_records([row])
    assert len(problems) == 1 and message in problems[0], problems
    assert rates == []


def test_every_problem_is_reported_at_once_including_duplicates():
    _, problems = from_records(
        [
            {"scheme": "eu", "valid_from": "2027-01-01", "rate": "1"},
            {"scheme": "eu", "valid_from": "2027-01-01", "rate": "2"},
            {"scheme": "xx", "valid_from": "2027-02-01", "rate": "99"},
        ]
    )
    assert len(problems) == 4
    assert problems[-1] == "EU rate from 2027-01-01 is listed twice; keep one"


def test_saving_replaces_the_whole_table(db):
    new = [Rate("eu", dt.date(2027, 1, 1), D("1.75")), Rate("uk", dt.date(2027, 1, 1), D("3.5"))]
    save_rates(db, new)
    assert load_rates(db) == [
        Rate("eu", dt.date(2027, 1, 1), D("1.7500")),
        Rate("uk", dt.date(2027, 1, 1), D("3.5000")),
    ]


def test_a_wrong_rate_saves_nothing(db):
    before = load_rates(db)
    dup = Rate("uk", dt.date(2027, 1, 1), D("3.5"))
    with pytest.raises(BadInput, match="listed twice"):
        save_rates(db, [Rate("eu", dt.date(2027, 1, 1), D("1")), dup, dup])
    with pytest.raises(BadInput, match="1 January or 1 July"):
        save_rates(db, [Rate("eu", dt.date(2027, 2, 1), D("1"))])
    assert load_rates(db) == before


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 28), []),
        (
            dt.date(2027, 1, 1),
            [
                "EU reference rate for 2027-01-01 missing",
                "DE reference rate for 2027-01-01 missing",
                "UK reference rate for 2027-01-01 missing",
            ],
        ),
    ],
)
def test_a_missing_current_half_year_is_warned(db, today, expected):
    warnings = missing_rates(load_rates(db), today)
    assert [w.split(":")[0] for w in warnings] == expected
    if warnings:
        assert "statutory interest uses the last known rate (from 2026-07-01)" in warnings[0]


def test_only_the_scheme_that_is_behind_is_warned_and_an_empty_scheme_too():
    rates = [Rate("eu", dt.date(2027, 7, 1), D("2")), Rate("uk", dt.date(2027, 1, 1), D("3"))]
    assert missing_rates(rates, dt.date(2027, 8, 1)) == [
        "UK reference rate for 2027-07-01 missing: statutory interest uses the last known rate (from 2027-01-01)"
    ]
    assert missing_rates(rates[:1], dt.date(2027, 8, 1)) == [
        "No UK reference rate at all: statutory interest cannot be computed"
    ]
