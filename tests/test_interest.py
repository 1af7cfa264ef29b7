"""Interest rules: contractual simple interest, EU 2011/7/EU and UK late-payment claims, exact to the cent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from dunning.reminders.interest import half_year_start
from tests.interest_oracle import (
    compensation,
    half_years,
    line_interest,
    rate_notes,
    reference_rate,
    simple_interest,
    statutory_interest,
    statutory_rate,
)

EU_RATES = [
    (dt.date(2025, 1, 1), D("3.15")),
    (dt.date(2025, 7, 1), D("2.15")),
    (dt.date(2026, 1, 1), D("2.15")),
]
UK_RATES = [
    (dt.date(2025, 1, 1), D("4.75")),
    (dt.date(2025, 7, 1), D("4.25")),
    (dt.date(2026, 1, 1), D("3.75")),
]


@pytest.mark.parametrize(
    ("amount", "rate", "days", "expected"),
    [
        ("1000.00", "10", 365, "100.00"),  # a full year
        ("1000.00", "10", 73, "20.00"),  # 1/5 of a year
        ("100.00", "10.15", 58, "1.61"),  # 1.6129 -> 1.61
        ("200.00", "10.15", 58, "3.23"),  # 3.2257 -> 3.23
        ("365.00", "1", 5, "0.05"),  # exactly 0.05
        ("73.00", "2.5", 1, "0.01"),  # 0.005 exactly: half up
        ("72.99", "2.5", 1, "0.00"),  # 0.004999 -> 0.00
        ("1000.00", "10", 0, "0.00"),  # not overdue: nothing
        ("1000.00", "10", -5, "0.00"),
        ("-100.00", "10", 30, "0.00"),  # a credit earns no interest
        ("1000.00", "0", 30, "0.00"),
    ],
)
def test_simple_interest_per_day_on_365_days_rounded_half_up(amount, rate, days, expected):
    assert simple_interest(D(amount), D(rate), days) == D(expected)


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
        (dt.date(2026, 6, 30), dt.date(2026, 1, 1)),
        (dt.date(2026, 7, 1), dt.date(2026, 7, 1)),
        (dt.date(2026, 12, 31), dt.date(2026, 7, 1)),
    ],
)
def test_half_year_start(day, start):
    assert half_year_start(day) == start


@pytest.mark.parametrize(
    ("due", "base"),
    [
        (dt.date(2025, 6, 29), "3.15"),  # overdue from 30 June 2025: first half of 2025
        (dt.date(2025, 6, 30), "2.15"),  # overdue from 1 July 2025: second half
        (dt.date(2025, 12, 31), "2.15"),  # overdue from 1 January 2026
        (dt.date(2024, 12, 1), None),  # no rate that old: no statutory interest can be computed
    ],
)
def test_reference_rate_is_the_one_in_force_on_the_first_day_of_the_half_year(due, base):
    got = reference_rate(EU_RATES, due)
    assert got == (None if base is None else D(base))
    assert statutory_rate(EU_RATES, due) == (None if base is None else D(base) + 8)


@pytest.mark.parametrize(
    ("scheme", "doc_type", "currency", "lcy", "amount", "amount_lcy", "expected"),
    [
        ("eu", "invoice", "EUR", "EUR", "100.00", "100.00", "40.00"),
        ("eu", "invoice", "EUR", "EUR", "50000.00", "50000.00", "40.00"),  # per invoice, whatever the size
        ("eu", "invoice", "USD", "EUR", "920.00", "1000.00", "36.80"),  # 40 EUR at the invoice's own rate
        ("eu", "invoice", "USD", "GBP", "920.00", "1000.00", "0.00"),  # no EUR rate known: none claimed
        ("eu", "credit_memo", "EUR", "EUR", "100.00", "100.00", "0.00"),
        ("eu", "finance_charge", "EUR", "EUR", "100.00", "100.00", "0.00"),
        ("uk", "invoice", "GBP", "EUR", "999.99", "1149.99", "40.00"),
        ("uk", "invoice", "GBP", "EUR", "1000.00", "1150.00", "70.00"),
        ("uk", "invoice", "GBP", "EUR", "9999.99", "11499.99", "70.00"),
        ("uk", "invoice", "GBP", "EUR", "10000.00", "11500.00", "100.00"),
        ("uk", "invoice", "EUR", "GBP", "2300.00", "2000.00", "80.50"),  # 70 GBP (2000 GBP debt) in EUR
        ("uk", "invoice", "EUR", "EUR", "2300.00", "2300.00", "0.00"),
    ],
)
def test_fixed_compensation(scheme, doc_type, currency, lcy, amount, amount_lcy, expected):
    assert compensation(scheme, doc_type, currency, lcy, D(amount), D(amount_lcy)) == D(expected)


@pytest.mark.parametrize(
    ("method", "kwargs", "expected"),
    [
        ("none", {}, ("0.00", "0.00")),
        ("contractual", {"contractual_rate": D("12")}, ("9.86", "0.00")),  # 1000 x 12% x 30/365 = 9.863
        ("eu_statutory", {"rates": EU_RATES}, ("8.34", "40.00")),  # (2.15 + 8)% -> 8.342
        ("uk_statutory", {"rates": UK_RATES, "currency": "GBP"}, ("9.66", "70.00")),  # (3.75 + 8)% -> 9.658
        # no rate kept: compensation only; no longer silent: rate_notes() puts it on the draft (tested below)
        ("eu_statutory", {"rates": []}, ("0.00", "40.00")),
    ],
)
def test_line_interest_by_method(method, kwargs, expected):
    got = line_interest(method, amount=D("1000.00"), days=30, due_date=dt.date(2026, 10, 29), **kwargs)
    assert got == (D(expected[0]), D(expected[1]))


def test_line_interest_nothing_when_not_overdue():
    assert line_interest(
        "eu_statutory", amount=D("1000.00"), days=0, due_date=dt.date(2026, 11, 28), rates=EU_RATES
    ) == (D("0.00"), D("0.00"))


# seeded in migration 003 (ECB main refinancing rate on 1 January / 1 July)
SEEDED_EU = [
    (dt.date(2023, 1, 1), D("2.50")),
    (dt.date(2023, 7, 1), D("4.00")),
    (dt.date(2024, 1, 1), D("4.50")),
    (dt.date(2024, 7, 1), D("4.25")),
]


def test_half_years_split_the_days_after_the_due_date():
    assert half_years(dt.date(2023, 6, 15), dt.date(2024, 6, 15)) == [
        (dt.date(2023, 1, 1), 15),  # 16-30 June
        (dt.date(2023, 7, 1), 184),
        (dt.date(2024, 1, 1), 167),  # 1 January - 15 June (leap year)
    ]
    assert half_years(dt.date(2023, 6, 30), dt.date(2023, 7, 1)) == [(dt.date(2023, 7, 1), 1)]
    assert half_years(dt.date(2023, 6, 30), dt.date(2023, 6, 30)) == []


def test_eu_interest_takes_each_half_years_rate():
    # 10,000.00 due 2023-06-15, as of 2024-06-15: each half-year at its own reference rate + 8 points
    by_hand = D("10000.00") * (15 * D("10.50") + 184 * D("12.00") + 167 * D("12.50")) / 100 / 365
    expected = by_hand.quantize(D("0.01"), rounding="ROUND_HALF_UP")
    got = statutory_interest("eu", D("10000.00"), dt.date(2023, 6, 15), dt.date(2024, 6, 15), SEEDED_EU)
    assert got == expected == D("1220.00")
    fixed = simple_interest(D("10000.00"), D("10.50"), 366)  # the old rule: first half-year's rate throughout
    assert got != fixed


def test_uk_interest_keeps_the_rate_of_the_half_year_it_fell_overdue_in():
    uk = [(dt.date(2023, 1, 1), D("3.50")), (dt.date(2023, 7, 1), D("5.00"))]
    got = statutory_interest("uk", D("10000.00"), dt.date(2023, 6, 15), dt.date(2024, 6, 15), uk)
    assert got == simple_interest(D("10000.00"), D("11.50"), 366)


def test_half_years_without_a_rate_are_named():
    early = rate_notes("eu", dt.date(2022, 6, 15), dt.date(2023, 2, 1), SEEDED_EU)
    assert early == [
        "reference rate for EU 2022-01-01 missing; interest for those days not claimed - add it in Reminder terms",
        "reference rate for EU 2022-07-01 missing; interest for those days not claimed - add it in Reminder terms",
    ]
    # only the 32 days of 2023 earn interest
    assert statutory_interest("eu", D("10000.00"), dt.date(2022, 6, 15), dt.date(2023, 2, 1), SEEDED_EU) == (
        simple_interest(D("10000.00"), D("10.50"), 32)
    )
    late = rate_notes("eu", dt.date(2024, 12, 15), dt.date(2025, 2, 1), SEEDED_EU)
    assert late == [
        "reference rate for EU 2025-01-01 missing; the rate of 2024-07-01 (4.2500%) was used"
        " - add it in Reminder terms"
    ]
    assert rate_notes("eu", dt.date(2024, 6, 15), dt.date(2024, 12, 1), SEEDED_EU) == []
