"""Reminder terms as the settings page edits them: records round-trip, and every problem is collected."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from dunning.reminders.terms import AFTER_LAST, INTEREST_METHODS, load_terms
from dunning.ui.terms_form import (
    AFTER_LAST_LABELS,
    INTEREST_LABELS,
    fee_currencies,
    fee_records,
    from_records,
    level_columns,
    level_records,
)


def header(**kw):
    return {"code": "DEFAULT", "description": "Default: friendly, firm, final", "is_default": True, "max_reminders": 3,
            "after_last_level": "stop", "min_amount_lcy": "10.00", "min_days_between": 7, **kw}  # fmt: skip


def test_records_round_trip(db):
    t = load_terms(db, "DEFAULT")
    currencies = fee_currencies(db, t)
    assert currencies == ["CHF", "EUR", "GBP", "USD"]
    again, problems = from_records(header(), level_records(t), fee_records(t))
    assert problems == [] and again == t
    assert fee_records(t)[:2] == [
        {
            "level_no": 2,
            "currency": "CHF",
            "fixed_fee": "10",
            "fee_per_line": "0",
            "pct_fee_min": "",
            "pct_fee_max": "",
        },
        {
            "level_no": 2,
            "currency": "EUR",
            "fixed_fee": "10",
            "fee_per_line": "0",
            "pct_fee_min": "",
            "pct_fee_max": "",
        },
    ]


def test_roles_read_as_labels_and_are_saved_as_codes(db):
    t = load_terms(db, "DEFAULT")
    records = level_records(t)
    assert records[1]["to_roles"] == "Accounts payable" and records[1]["cc_roles"] == "Finance manager"
    records[1].update(cc_roles="Finance manager, sales_owner", fallback_roles="Sales-Owner")
    terms, problems = from_records(header(), records, fee_records(t))
    assert problems == [] and terms is not None
    assert terms.levels[1].cc_roles == ("finance_manager", "sales_owner")
    assert terms.levels[1].fallback_roles == ("sales_owner",)


def test_records_are_in_the_order_the_table_shows_its_columns(db):
    assert list(level_records(load_terms(db, "DEFAULT"))[0]) == list(level_columns())


def test_interest_methods_and_after_last_have_a_label_each():
    assert set(INTEREST_LABELS) == set(INTEREST_METHODS) and set(AFTER_LAST_LABELS) == set(AFTER_LAST)
    assert INTEREST_LABELS["eu_statutory"] == "EU statutory interest (2011/7/EU)"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"due_days": None}, "due days is empty"),
        ({"due_days": "7.5"}, "due days must be a whole number"),
        ({"pct_fee": "2%"}, "percentage fee '2%' is not a number"),
        ({"to_roles": "Accounts payable!"}, "are not role names"),
        ({"to_roles": ""}, "at least one 'to' role"),
        ({"level_no": 5}, "without gaps"),
    ],
)
def test_problems_are_collected(db, change, message):
    t = load_terms(db, "DEFAULT")
    records = level_records(t)
    records[1].update(change)
    terms, problems = from_records(header(), records, fee_records(t))
    assert terms is None and any(message in p for p in problems), problems


def test_amounts_accept_a_decimal_comma_and_are_rounded(db):
    t = load_terms(db, "DEFAULT")
    fees = [*fee_records(t), {"level_no": 1, "currency": "eur", "fixed_fee": "2,505", "fee_per_line": "1,5"}]
    terms, problems = from_records(header(min_amount_lcy="12,5"), level_records(t), fees)
    assert problems == [] and terms is not None
    assert terms.levels[0].fees[0].currency == "EUR"  # written in capitals
    assert (terms.levels[0].fixed_fee("EUR"), terms.levels[0].fees[0].fee_per_line) == (D("2.51"), D("1.50"))
    assert terms.min_amount_lcy == D("12.50")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"fixed_fee": "ten"}, "fee row 2: fixed fee 'ten' is not a number"),
        ({"fee_per_line": "1.5x"}, "fee row 2: fee per line '1.5x' is not a number"),
        ({"currency": " "}, "fee row 2: give the currency"),
        ({"level_no": 9}, "fees of level 9: there is no level 9"),
        ({"currency": "CHF"}, "level 2: one fee row per currency"),
        ({"pct_fee_min": "5", "pct_fee_max": "1"}, "percentage fee minimum in EUR is above its maximum"),
    ],
)
def test_fee_problems_are_collected(db, change, message):
    t = load_terms(db, "DEFAULT")
    fees = fee_records(t)
    fees[1].update(change)  # level 2, EUR
    terms, problems = from_records(header(), level_records(t), fees)
    assert terms is None and any(message in p for p in problems), problems


def test_rows_are_sorted_by_level(db):
    t = load_terms(db, "DEFAULT")
    records = list(reversed(level_records(t)))
    terms, problems = from_records(header(), records, fee_records(t))
    assert problems == [] and [lv.level_no for lv in terms.levels] == [1, 2, 3]


def test_new_terms_never_overwrite_existing_ones(db):
    t = load_terms(db, "DEFAULT")
    records, fees = level_records(t), fee_records(t)
    terms, problems = from_records(header(), records, fees, taken=frozenset({"DEFAULT"}))
    assert terms is None
    assert problems == [
        "terms DEFAULT exist already; choose another code, or select DEFAULT above to change them"
    ]
    fresh, problems = from_records(header(code="STRICT"), records, fees, taken=frozenset({"DEFAULT"}))
    assert problems == [] and fresh is not None and fresh.code == "STRICT"
