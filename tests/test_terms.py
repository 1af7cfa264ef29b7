"""Reminder terms and levels: the seeded default, validation with clear messages, save and load."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from dunning.errors import BadInput
from dunning.reminders.terms import (
    Fee,
    Level,
    Terms,
    default_code,
    load_terms,
    save_terms,
    terms_codes,
    validate,
)


def test_default_terms_are_seeded(db):
    assert default_code(db) == "DEFAULT"
    t = load_terms(db, "DEFAULT")
    assert (t.max_reminders, t.after_last_level, t.min_amount_lcy, t.min_days_between) == (
        3,
        "stop",
        D("10.00"),
        7,
    )
    assert [(lv.level_no, lv.due_days, lv.grace_days, lv.tone) for lv in t.levels] == [
        (1, 7, 3, "friendly"),
        (2, 14, 0, "firm"),
        (3, 14, 0, "final"),
    ]
    one, two, three = t.levels
    assert one.fixed_fee("EUR") == D("0.00") and one.to_roles == ("accounts_payable",)
    assert [two.fixed_fee(c) for c in ("EUR", "GBP", "USD", "CHF")] == [
        D("10.00"),
        D("10.00"),
        D("12.00"),
        D("10.00"),
    ]
    assert two.cc_roles == ("finance_manager",)
    assert three.fixed_fee("EUR") == D("25.00") and three.interest_method == "eu_statutory"
    assert three.to_roles == ("finance_manager",) and set(three.cc_roles) == {
        "accounts_payable",
        "sales_owner",
    }


def test_reference_rates_are_seeded_for_eu_and_uk(db):
    rows = dict(db.rows("select scheme, count(*) from reference_rates group by all"))
    assert rows["eu"] >= 2 and rows["uk"] >= 2
    assert db.scalar(
        "select rate from reference_rates where scheme = 'eu' and valid_from = '2026-01-01'"
    ) == D("2.15")


def _terms(*levels: Level, **kw) -> Terms:
    return Terms(
        code=kw.pop("code", "T1"), description=kw.pop("description", "Test terms"), levels=levels, **kw
    )


GOOD = (Level(1, 5), Level(2, 10), Level(3, 10))


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        (_terms(*GOOD), None),
        (_terms(), "add at least level 1"),
        (_terms(Level(1, 5), Level(3, 10)), "without gaps"),
        (_terms(Level(2, 5), Level(3, 10)), "without gaps"),
        (_terms(Level(1, 5), Level(1, 10)), "without gaps"),
        (_terms(Level(1, 5), Level(2, 0)), "level 2: days after the previous level"),
        (_terms(Level(1, -1)), "days cannot be negative"),
        (_terms(Level(1, 5, grace_days=-2)), "days cannot be negative"),
        (_terms(Level(1, 5, interest_method="contractual")), "contractual interest needs an annual rate"),
        (_terms(Level(1, 5, interest_method="usury")), "interest method must be one of"),
        (_terms(Level(1, 5, pct_fee=D("150"))), "at most 100"),
        (
            _terms(Level(1, 5, pct_fee=D("2"), fees=(Fee("EUR", pct_fee_min=D("20"), pct_fee_max=D("10")),))),
            "minimum in EUR is above",
        ),
        (_terms(Level(1, 5, fees=(Fee("EUR", D("-1")),))), "fees cannot be negative"),
        (_terms(Level(1, 5, fees=(Fee("EUR", fee_per_line=D("-1.50")),))), "fees cannot be negative"),
        (_terms(Level(1, 5, fees=(Fee("EUR", D("1")), Fee("EUR", D("2"))))), "one fee row per currency"),
        (_terms(Level(1, 5, fees=(Fee("eur", D("1")),))), "'eur' is not a currency code"),
        (_terms(Level(1, 5, to_roles=())), "at least one 'to' role"),
        (_terms(Level(1, 5, tone="rude")), "tone must be one of"),
        (_terms(*GOOD, max_reminders=0), "maximum reminders must be at least 1"),
        (_terms(*GOOD, after_last_level="loop"), "after the last level"),
        (_terms(*GOOD, min_amount_lcy=D("-5")), "minimum amount cannot be negative"),
        (_terms(*GOOD, description=" "), "description"),
    ],
)
def test_validation_messages(terms, message):
    problems = validate(terms)
    if message is None:
        assert problems == []
    else:
        assert any(message in p for p in problems), problems


def test_save_and_load_round_trip(db):
    t = _terms(
        Level(
            1,
            5,
            grace_days=2,
            pct_fee=D("1.5"),
            fees=(
                Fee("EUR", D("5.00"), D("1.50"), D("2.00")),
                Fee("HUF", D("500.00"), D("600.00"), D("700.00")),
            ),
        ),
        Level(2, 10, interest_method="contractual", interest_rate=D("9.5"), cc_roles=("sales_owner",)),
        max_reminders=4,
        after_last_level="repeat",
        min_amount_lcy=D("25.00"),
    )
    save_terms(db, t)
    assert load_terms(db, "T1") == t
    assert terms_codes(db) == ["DEFAULT", "T1"]


def test_saving_as_default_moves_the_default(db):
    save_terms(db, _terms(*GOOD, is_default=True))
    assert default_code(db) == "T1"
    assert load_terms(db, "DEFAULT").is_default is False


def test_invalid_terms_are_not_saved_and_nothing_changes(db):
    before = load_terms(db, "DEFAULT")
    broken = dataclasses.replace(before, levels=(before.levels[0], before.levels[2]))
    with pytest.raises(BadInput, match="without gaps"):
        save_terms(db, broken)
    assert load_terms(db, "DEFAULT") == before


def test_saving_fewer_levels_removes_the_others_and_their_fees(db):
    t = load_terms(db, "DEFAULT")
    save_terms(db, dataclasses.replace(t, levels=t.levels[:1]))
    assert [lv.level_no for lv in load_terms(db, "DEFAULT").levels] == [1]
    assert db.scalar("select count(*) from reminder_level_fees where terms_code = 'DEFAULT'") == 0


def test_loading_unknown_terms_says_what_to_do(db):
    with pytest.raises(BadInput, match="'NOPE' do not exist"):
        load_terms(db, "NOPE")


def test_a_customer_gets_its_own_terms_and_back_the_default(db):
    from dunning.reminders.terms import set_customer_terms
    from tests.ledger import add_customer

    add_customer(db, "C1")
    add_customer(db, "C2")
    save_terms(db, dataclasses.replace(load_terms(db, "DEFAULT"), code="STRICT", is_default=False))

    def codes():
        return db.rows("select customer_no, reminder_terms_code from customers order by 1")

    set_customer_terms(db, "C1", "STRICT")
    assert codes() == [("C1", "STRICT"), ("C2", None)]
    set_customer_terms(db, "C1", None)
    assert codes() == [("C1", None), ("C2", None)]


def test_unknown_terms_or_customer_change_nothing(db):
    from dunning.reminders.terms import set_customer_terms
    from tests.ledger import add_customer

    add_customer(db, "C1")
    with pytest.raises(BadInput, match="reminder terms 'NOPE' do not exist"):
        set_customer_terms(db, "C1", "NOPE")
    with pytest.raises(BadInput, match="customer 'C9' does not exist"):
        set_customer_terms(db, "C9", "DEFAULT")
    assert db.rows("select reminder_terms_code from customers") == [(None,)]


# -- the interval between levels against the payment period they give (warned, not refused) --------------
@pytest.mark.parametrize(
    ("levels", "after", "expected"),
    [
        # level 1 gives 7 days to pay; level 2 comes 14 + 0 = 14 days later: after the deadline
        ((Level(1, 5, payment_days=7), Level(2, 14)), "stop", []),
        # 7 days to pay, level 2 after 5 + 3 grace = 8 days: the day after the deadline
        ((Level(1, 5, payment_days=7), Level(2, 5, grace_days=3)), "stop", []),
        # 30 days to pay ("pay by 10 Dec" on 10 Nov), level 2 after 14 days (24 Nov): before the deadline
        (
            (Level(1, 5, payment_days=30), Level(2, 14)),
            "stop",
            [
                "terms T1: level 2 comes 14 days (14 + 0 grace) after level 1, which gives 30 days to pay: the"
                " next reminder would be sent on or before that deadline; give level 2 at least 31 days"
                " (days + grace), or level 1 fewer days to pay"
            ],
        ),
        # 7 days to pay, level 2 after 5 + 2 = 7 days: on the deadline day itself, still warned
        (
            (Level(1, 5, payment_days=7), Level(2, 5, grace_days=2)),
            "stop",
            ["level 2 comes 7 days (5 + 2 grace)"],
        ),
        # the last level repeated every 10 days but giving 10 days to pay
        (
            (Level(1, 5), Level(2, 10, payment_days=10)),
            "repeat",
            ["level 2 is repeated 10 days (10 + 0 grace)"],
        ),
        ((Level(1, 5), Level(2, 10, payment_days=10)), "stop", []),  # not repeated: nothing follows level 2
        # both gaps too short: each named
        (
            (Level(1, 5, payment_days=10), Level(2, 7, payment_days=10), Level(3, 10)),
            "stop",
            ["level 2 comes 7 days", "level 3 comes 10 days"],
        ),
    ],
)
def test_levels_closer_than_the_payment_period_are_warned(levels, after, expected):
    from dunning.reminders.terms import warnings

    terms = _terms(*levels, after_last_level=after)
    assert validate(terms) == []  # allowed, as Business Central allows it
    found = warnings(terms)
    assert len(found) == len(expected), found
    for message, part in zip(found, expected, strict=True):
        assert part in message


def test_the_default_terms_give_no_warning(db):
    from dunning.reminders.terms import warnings

    assert warnings(load_terms(db, "DEFAULT")) == []


@pytest.mark.parametrize(
    ("level", "currencies", "expected"),
    [
        (Level(1, 5, fees=(Fee("EUR", D("5.00")),)), ("EUR", "HUF"), "level 1 charges no fee in HUF"),
        (Level(1, 5, pct_fee=D("2")), ("EUR",), "level 1 charges no fee in EUR"),  # a percentage needs a row
        (Level(1, 5, fees=(Fee("EUR", D("5.00")),)), ("EUR",), None),
        (Level(1, 5), ("EUR", "HUF"), None),  # charges no fee anywhere: nothing missing
    ],
)
def test_a_level_without_a_fee_row_in_a_customers_currency_is_warned(level, currencies, expected):
    from dunning.reminders.terms import warnings

    found = warnings(_terms(level, Level(2, 10), after_last_level="stop"), currencies)
    assert (found[0] if found else None) == (
        None
        if expected is None
        else f"terms T1: {expected}: add a fee row for each currency it should charge in"
        " (a percentage fee alone needs a row too)"
    )


@pytest.mark.parametrize("method", ["eu_statutory", "uk_statutory", "de_statutory"])
def test_every_statutory_scheme_can_be_chosen_for_a_level(db, method):
    terms = Terms("STAT", "Statutory", levels=(Level(1, 5, interest_method=method),))
    assert validate(terms) == []
    save_terms(db, terms)
    assert load_terms(db, "STAT").levels[0].interest_method == method
