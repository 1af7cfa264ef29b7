"""How a customer paid: days late over the invoices closed in the 12 months up to the as-of date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dunning.ledger.payment_behaviour import PaymentBehaviour, behaviour_text, payment_behaviour, year_before
from tests.conftest import AS_OF
from tests.ledger import add_customer, add_entry


def paid(db, due: dt.date, late: int, amount: str = "100.00", **kw) -> int:
    return add_entry(
        db, due=due, amount=amount, remaining="0.00", closed_at=due + dt.timedelta(days=late), **kw
    )


def test_average_days_late_by_hand(db):
    add_customer(db)
    add_customer(db, "C2")
    paid(db, dt.date(2026, 10, 1), 10, "100.00")  # 10 days late
    paid(db, dt.date(2026, 9, 1), 20, "300.00")  # 20 days late
    paid(db, dt.date(2026, 8, 10), -5, "600.00")  # early: 0 days late
    paid(db, dt.date(2025, 11, 18), 10)  # closed 2025-11-28: a year before, outside the window
    paid(db, dt.date(2026, 11, 20), 9)  # closed after the as-of date
    paid(db, dt.date(2026, 10, 1), 30, "-100.00", document_type="credit_memo")  # not an invoice
    paid(db, dt.date(2026, 10, 1), 90, customer_no="C2")  # another customer
    b = payment_behaviour(db, "C1", AS_OF)
    assert (b.since, b.until) == (dt.date(2025, 11, 28), AS_OF)
    assert (b.invoices, b.paid_late) == (3, 2)
    assert b.avg_days_late == Decimal("10.0")  # (10 + 20 + 0) / 3
    assert b.avg_days_late_weighted == Decimal("7.0")  # (10*100 + 20*300 + 0*600) / 1000
    assert b.pct_paid_late == Decimal("66.7")


def test_average_days_late_weighs_by_local_currency_amount(db):
    add_customer(db)
    paid(db, dt.date(2026, 10, 1), 30, "100.00", currency="GBP", lcy_rate=Decimal("3"))  # 300.00 EUR
    paid(db, dt.date(2026, 10, 1), 0, "100.00")
    b = payment_behaviour(db, "C1", AS_OF)
    assert b.avg_days_late == Decimal("15.0")
    assert b.avg_days_late_weighted == Decimal("22.5")  # 30 * 300 / 400


def test_year_before_a_leap_day():
    assert year_before(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)


def test_behaviour_text_says_how_many_paid_late_and_how_late():
    since = year_before(AS_OF)
    none = PaymentBehaviour(since, AS_OF, 0, 0, None, None)
    assert behaviour_text(none) == "No invoices paid in the 12 months to 28 Nov 2026."
    some = PaymentBehaviour(since, AS_OF, 3, 2, Decimal("10.0"), Decimal("7.0"))
    text = behaviour_text(some)
    assert text.startswith("3 invoices paid in the 12 months to 28 Nov 2026; 2 of them late (66.7 %).")
    assert "Average 10.0 days late, 7.0 days weighted by amount" in text
