"""Reminder terms as the settings page edits them: records round-trip, and every problem is collected."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from dunning.reminders.terms import load_terms
from dunning.ui.terms_form import fee_currencies, from_records, level_records


def header(**kw):
    return {"code": "DEFAULT", "description": "Default: friendly, firm, final", "is_default": True, "max_reminders": 3,
            "after_last_level": "stop", "min_amount_lcy": "10.00", "min_days_between": 7, **kw}  # fmt: skip


def test_records_round_trip(db):
    t = load_terms(db, "DEFAULT")
    currencies = fee_currencies(db, t)
    assert currencies == ["CHF", "EUR", "GBP", "USD"]
    again, problems = from_records(header(), level_records(t, currencies), currencies)
    assert problems == [] and again == t


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"due_days": None}, "due days is empty"),
        ({"due_days": "7.5"}, "due days must be a whole number"),
        ({"fee_EUR": "ten"}, "fixed fee EUR 'ten' is not a number"),
        ({"pct_fee": "2%"}, "percentage fee '2%' is not a number"),
        ({"to_roles": "Accounts Payable"}, "are not role names"),
        ({"to_roles": ""}, "at least one 'to' role"),
        ({"level_no": 5}, "without gaps"),
    ],
)
def test_problems_are_collected(db, change, message):
    t = load_terms(db, "DEFAULT")
    currencies = fee_currencies(db, t)
    records = level_records(t, currencies)
    records[1].update(change)
    terms, problems = from_records(header(), records, currencies)
    assert terms is None and any(message in p for p in problems), problems


def test_amounts_accept_a_decimal_comma_and_are_rounded(db):
    t = load_terms(db, "DEFAULT")
    currencies = fee_currencies(db, t)
    records = level_records(t, currencies)
    records[0]["fee_EUR"] = "2,505"
    terms, problems = from_records(header(min_amount_lcy="12,5"), records, currencies)
    assert problems == [] and terms is not None
    assert terms.levels[0].fixed_fee("EUR") == D("2.51") and terms.min_amount_lcy == D("12.50")


def test_rows_are_sorted_by_level(db):
    t = load_terms(db, "DEFAULT")
    currencies = fee_currencies(db, t)
    records = list(reversed(level_records(t, currencies)))
    terms, problems = from_records(header(), records, currencies)
    assert problems == [] and [lv.level_no for lv in terms.levels] == [1, 2, 3]


def test_new_terms_never_overwrite_existing_ones(db):
    t = load_terms(db, "DEFAULT")
    currencies = fee_currencies(db, t)
    records = level_records(t, currencies)
    terms, problems = from_records(header(), records, currencies, taken=frozenset({"DEFAULT"}))
    assert terms is None
    assert problems == [
        "terms DEFAULT exist already; choose another code, or select DEFAULT above to change them"
    ]
    fresh, problems = from_records(header(code="STRICT"), records, currencies, taken=frozenset({"DEFAULT"}))
    assert problems == [] and fresh is not None and fresh.code == "STRICT"
