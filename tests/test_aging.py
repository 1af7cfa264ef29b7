from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dunning.aging.report import AgingFilter, aging
from dunning.db import Database
from tests.ledger import add_customer, add_entry

AS_OF = dt.date(2026, 11, 28)


def days_ago(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


def counts(report) -> dict[str, int]:
    return {b.label: b.count for b in report.buckets}


@pytest.mark.parametrize(
    ("days_past_due", "label"),
    [
        (-30, "Within terms"),
        (0, "Within terms"),
        (1, "1-7"),
        (7, "1-7"),
        (8, "8-14"),
        (14, "8-14"),
        (15, "15-30"),
        (30, "15-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "Over 90"),
        (2000, "Over 90"),
    ],
)
def test_entry_lands_in_bucket_by_days_past_due(db, days_past_due, label):
    add_customer(db)
    add_entry(db, due=days_ago(days_past_due), posting=days_ago(max(days_past_due, 0) + 40))
    report = aging(db, AS_OF)
    assert {k: v for k, v in counts(report).items() if v} == {label: 1}
    assert report.open_amount_lcy == Decimal("100.00")


def test_paid_entry_is_not_open(db):
    add_customer(db)
    add_entry(db, due=days_ago(10), remaining="0.00", closed_at=days_ago(2))
    assert aging(db, AS_OF).open_count == 0


def test_entry_closed_after_as_of_counts_in_full_on_that_date(db):
    add_customer(db)
    add_entry(db, due=days_ago(10), amount="250.00", remaining="0.00", closed_at=days_ago(-5))
    report = aging(db, AS_OF)
    assert counts(report)["8-14"] == 1
    assert report.open_amount_lcy == Decimal("250.00")


def test_entry_posted_after_as_of_is_not_open_yet(db):
    add_customer(db)
    add_entry(db, due=days_ago(-40), posting=days_ago(-1))
    assert aging(db, AS_OF).open_count == 0


def test_partial_payment_ages_the_remaining_amount(db):
    add_customer(db)
    add_entry(db, due=days_ago(3), amount="100.00", remaining="40.10")
    report = aging(db, AS_OF)
    assert report.buckets[1].amount_lcy == Decimal("40.10")


def test_credits_are_beside_the_buckets_and_reconcile(db):
    add_customer(db)
    add_entry(db, due=days_ago(3), amount="100.00")
    add_entry(db, due=days_ago(20), amount="-30.05", document_type="credit_memo")
    add_entry(db, due=days_ago(1), amount="-10.00", document_type="payment")
    report = aging(db, AS_OF)
    assert report.credits_count == 2
    assert report.credits_amount_lcy == Decimal("-40.05")
    assert report.overdue_amount_lcy == Decimal("100.00")
    assert report.open_amount_lcy == Decimal("59.95")
    assert report.open_count == 3


def test_amounts_are_in_local_currency(db):
    add_customer(db, currency="GBP", country="GB")
    add_entry(db, due=days_ago(3), amount="100.00", currency="GBP", lcy_rate=Decimal("1.15"))
    report = aging(db, AS_OF)
    assert report.buckets[1].amount_lcy == Decimal("115.00")


def test_filters_restrict_every_bucket(db):
    add_customer(db, "NL1", name="Van Dijk", country="NL")
    add_customer(db, "GB1", name="Harbour Freight", country="GB", currency="GBP")
    add_entry(db, "NL1", due=days_ago(3))
    add_entry(db, "NL1", due=days_ago(9), on_hold="HLD")
    add_entry(db, "GB1", due=days_ago(3), currency="GBP")
    add_entry(db, "GB1", due=days_ago(9), dispute_status="Price difference", currency="GBP")
    assert aging(db, AS_OF).open_count == 4
    assert aging(db, AS_OF, AgingFilter(currencies=("GBP",))).open_count == 2
    assert aging(db, AS_OF, AgingFilter(countries=("NL",))).open_count == 2
    assert aging(db, AS_OF, AgingFilter(customer_search="harbour")).open_count == 2
    assert aging(db, AS_OF, AgingFilter(customer_search="nl1")).open_count == 2
    assert aging(db, AS_OF, AgingFilter(include_held=False)).open_count == 2
    assert counts(aging(db, AS_OF, AgingFilter(include_held=False)))["8-14"] == 0


def test_search_text_is_bound_not_spliced(db):
    add_customer(db, "C1", name="O'Brien & Sons")
    add_entry(db, due=days_ago(3))
    assert aging(db, AS_OF, AgingFilter(customer_search="o'brien")).open_count == 1
    assert aging(db, AS_OF, AgingFilter(customer_search="' or 1=1 --")).open_count == 0


def test_json_contract_shape(db):
    add_customer(db)
    add_entry(db, due=days_ago(9), amount="1234.56")
    out = aging(db, AS_OF).to_json()
    assert out["as_of"] == "2026-11-28"
    assert out["open_count"] == 1 and out["open_amount_lcy"] == "1234.56"
    b = next(b for b in out["buckets"] if b["label"] == "8-14")
    assert b == {"label": "8-14", "min_days": 8, "max_days": 14, "count": 1, "amount_lcy": "1234.56"}
    first = out["buckets"][0]
    assert first["min_days"] is None and first["max_days"] == 0


entries = st.lists(
    st.tuples(
        st.integers(-60, 400),  # days past due
        st.decimals(min_value=Decimal("-5000"), max_value=Decimal("50000"), places=2).filter(
            lambda d: d != 0
        ),
        st.sampled_from([None, -5, 0, 3]),  # closed: None open, else days before (+) / after (-) as of
    ),
    max_size=40,
)


@pytest.fixture(scope="module")
def shared_db():
    with Database() as d:
        yield d


@settings(max_examples=80, deadline=None)
@given(rows=entries)
def test_aging_agrees_with_a_plain_python_count(shared_db, rows):
    db = shared_db
    db.execute("delete from ledger_entries")
    db.execute("delete from customers")
    add_customer(db)
    expected: dict[int, list[Decimal]] = {}
    credits = Decimal("0")
    for days, amount, closed in rows:
        closed_at = None if closed is None else days_ago(closed)
        remaining = amount if closed is None else Decimal("0.00")
        add_entry(
            db,
            due=days_ago(days),
            posting=days_ago(days + 30),
            amount=amount,
            remaining=remaining,
            closed_at=closed_at,
        )
        if days + 30 < 0 or (closed is not None and closed >= 0):
            continue  # posted after the as-of date, or closed on or before it
        if amount < 0:
            credits += amount
            continue
        pos = next(
            i
            for i, (lo, hi) in enumerate(
                [(-(10**6), 0), (1, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, 10**6)]
            )
            if lo <= days <= hi
        )
        expected.setdefault(pos, []).append(amount)
    report = aging(db, AS_OF)
    for b in report.buckets:
        assert b.count == len(expected.get(b.position, []))
        assert b.amount_lcy == sum(expected.get(b.position, []), Decimal("0"))
    assert report.credits_amount_lcy == credits
    assert report.open_amount_lcy == sum((b.amount_lcy for b in report.buckets), credits)


def test_customer_search_takes_wildcards_literally(db):
    add_customer(db, "C1", name="100% Cotton Ltd")
    add_customer(db, "C2", name="Cottonwood")
    add_entry(db, "C1", due=days_ago(3))
    add_entry(db, "C2", due=days_ago(3))
    assert aging(db, AS_OF, AgingFilter(customer_search="100%")).open_count == 1
    assert aging(db, AS_OF, AgingFilter(customer_search="%cotton")).open_count == 0
    assert aging(db, AS_OF, AgingFilter(customer_search="COTTON")).open_count == 2


@pytest.mark.parametrize(
    ("position", "text"),
    [(0, "within terms (not yet due)"), (2, "8 to 14 days past due"), (6, "91 or more days past due")],
)
def test_bucket_describes_its_range(db, position, text):
    assert aging(db, AS_OF).buckets[position].describe() == text


def test_a_bucket_total_beyond_what_a_single_amount_can_hold_is_summed_exactly(db):
    # issue 12 item 4: twenty entries of 900 trillion each make a bucket of 18 quadrillion, past DECIMAL(18,2)
    add_customer(db, "C1")
    big = "900000000000000.00"
    for n in range(20):
        add_entry(db, "C1", due=AS_OF - dt.timedelta(days=3), amount=big, document_no=f"BIG-{n}")
    report = aging(db, AS_OF)
    (bucket,) = [b for b in report.buckets if b.label == "1-7"]
    assert (bucket.count, bucket.amount_lcy) == (20, Decimal(big) * 20)
    assert report.open_amount_lcy == Decimal(big) * 20
