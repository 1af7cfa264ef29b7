"""The overview's as-of range: the ledger's first posting date to a year after today, and dates read from text."""

from __future__ import annotations

import datetime as dt

import pytest

from dunning.aging.as_of import AsOfRange, as_of_range, year_after
from dunning.db import Database
from tests.ledger import add_customer, add_entry

TODAY = dt.date(2026, 11, 30)
RANGE = AsOfRange(dt.date(2013, 1, 5), dt.date(2027, 11, 30))


def test_range_runs_from_the_first_posting_to_a_year_ahead(db: Database) -> None:
    add_customer(db)
    add_entry(db, posting=dt.date(2013, 1, 5), due=dt.date(2013, 2, 4), amount="10.00")
    add_entry(db, posting=dt.date(2020, 6, 1), due=dt.date(2020, 7, 1), amount="10.00")
    assert as_of_range(db, TODAY) == RANGE


def test_an_empty_ledger_or_one_starting_later_offers_today_on(db: Database) -> None:
    assert as_of_range(db, TODAY) == AsOfRange(TODAY, dt.date(2027, 11, 30))
    add_customer(db)
    add_entry(db, posting=TODAY + dt.timedelta(days=3), due=TODAY + dt.timedelta(days=33), amount="10.00")
    assert as_of_range(db, TODAY).first == TODAY


def test_a_year_after_a_leap_day_is_the_28th() -> None:
    assert year_after(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert year_after(dt.date(2026, 11, 30)) == dt.date(2027, 11, 30)


@pytest.mark.parametrize(
    ("text", "day", "problem"),
    [
        ("2013-06-30", dt.date(2013, 6, 30), None),
        (" 2013-01-05 ", dt.date(2013, 1, 5), None),  # the first day itself
        ("2027-11-30", dt.date(2027, 11, 30), None),  # the last day itself
        ("2013-01-04", None, "2013-01-04 is before the ledger's first posting date, 2013-01-05: pick a date "
                             "from 2013-01-05 to 2027-11-30"),
        ("2027-12-01", None, "2027-12-01 is more than a year ahead: pick a date from 2013-01-05 to 2027-11-30"),
        ("30/06/2013", None, "'30/06/2013' is not a date: write it as YYYY-MM-DD, e.g. 2026-06-30"),
        ("", None, "'' is not a date: write it as YYYY-MM-DD, e.g. 2026-06-30"),
    ],
)  # fmt: skip
def test_parse_takes_iso_dates_inside_the_range(text: str, day: dt.date | None, problem: str | None) -> None:
    assert RANGE.parse(text) == (day, problem)
