"""A draft's fees and netting (groups.sql): fees in the currency they are charged in, the per-line fee once per
document and level, unapplied payments and credits in other currencies. Every figure is computed by hand in the
comment beside its case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from dunning.reminders.proposal import ProposalOptions, propose, run_json
from dunning.reminders.terms import Fee, Level, Terms, save_terms
from tests.ledger import add_entry, add_reachable_customer

AS_OF = dt.date(2026, 11, 28)


def ago(days: int) -> dt.date:
    return AS_OF - dt.timedelta(days=days)


customer = add_reachable_customer


def run(db, **opts: Any) -> dict[str, Any]:
    return run_json(db, propose(db, ProposalOptions(as_of=AS_OF, **opts)).run_id)


def drafts(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["currency"]: r for r in result["reminders"]}


def skips(result: dict[str, Any]) -> dict[str, str]:
    return {s["currency"]: s["reason"] for s in result["skipped"]}


# -- a run never reminds what is already paid -------------------------------------------------------------
UNAPPLIED = (
    "unapplied payment of {} to be applied; apply it to the invoices it pays, then create the reminder again"
)


@pytest.mark.parametrize(
    ("entries", "drafted", "skipped"),
    [
        # 1000.00 EUR overdue, 900.00 EUR received but not applied: no "reminder" for 100.00 plus interest on
        # 1000.00; the customer is skipped until the payment is applied
        ([("invoice", "1000.00", "EUR"), ("payment", "-900.00", "EUR")], {}, {"EUR": UNAPPLIED.format("900.00 EUR")}),
        # any unapplied payment, however small: 5.00 EUR of 1000.00 would still be charged interest
        ([("invoice", "1000.00", "EUR"), ("payment", "-5.00", "EUR")], {}, {"EUR": UNAPPLIED.format("5.00 EUR")}),
        # two payments: 300.00 + 200.50 = 500.50 EUR
        (
            [("invoice", "1000.00", "EUR"), ("payment", "-300.00", "EUR"), ("payment", "-200.50", "EUR")],
            {},
            {"EUR": UNAPPLIED.format("500.50 EUR")},
        ),
        # a credit memo is netted as before: 1000.00 - 100.00 = 900.00 reminded, no note
        ([("invoice", "1000.00", "EUR"), ("credit_memo", "-100.00", "EUR")], {"EUR": ("1000.00", None)}, {}),
        # a payment covering everything: the credits reason stays (nothing to remind at all)
        (
            [("invoice", "100.00", "EUR"), ("payment", "-150.00", "EUR")],
            {},
            {"EUR": "open credits -150.00 EUR cover the overdue amount 100.00 of all remindable entries; nothing"
                    " to remind"},
        ),
        # a credit in another currency is never netted, and the draft says so (the example)
        (
            [("invoice", "1000.00", "EUR"), ("credit_memo", "-120.00", "USD")],
            {"EUR": ("1000.00", "open credit of 120.00 USD not netted: other currency")},
            {},
        ),
        # a payment in USD skips only the USD reminder; the EUR draft names it (-50.00 - 20.00 = 70.00 USD)
        (
            [
                ("invoice", "1000.00", "EUR"),
                ("invoice", "400.00", "USD"),
                ("payment", "-50.00", "USD"),
                ("credit_memo", "-20.00", "USD"),
                ("credit_memo", "-30.00", "GBP"),
            ],
            {
                "EUR": (
                    "1000.00",
                    "open credit of 30.00 GBP not netted: other currency; open credit of 70.00 USD not netted:"
                    " other currency",
                )
            },
            {"USD": UNAPPLIED.format("50.00 USD")},
        ),
    ],
)  # fmt: skip
def test_unapplied_payments_and_credits_in_other_currencies(db, entries, drafted, skipped):
    customer(db)
    for n, (doc_type, amount, currency) in enumerate(entries):
        due = ago(20) if D(amount) > 0 else ago(3)
        add_entry(
            db, "C1", due=due, amount=amount, currency=currency, document_type=doc_type, document_no=f"N{n}"
        )
    result = run(db)
    got = {c: (sum(D(x["remaining_amount"]) for x in r["lines"] if x["kind"] == "overdue"), r["note"])
           for c, r in drafts(result).items()}  # fmt: skip
    assert got == {c: (D(amount), note) for c, (amount, note) in drafted.items()}
    assert skips(result) == skipped


def test_an_applied_payment_does_not_hold_the_customer(db):
    customer(db)
    add_entry(db, "C1", due=ago(20), amount="1000.00", remaining="100.00")  # 900.00 paid and applied
    add_entry(
        db, "C1", due=ago(25), amount="-900.00", remaining="0.00", document_type="payment", closed_at=ago(5)
    )
    (r,) = run(db)["reminders"]
    assert (r["lines"][0]["remaining_amount"], r["total"]) == ("100.00", "100.00")


# -- the per-line fee is charged once per document and level ----------------------------------------------
def issued(db, entry_no: int, level: int, on: dt.date, deadline: dt.date, status: str = "sent") -> None:
    """A reminder issued on `on` at `level` holding one entry, as issue() leaves it (the ledger's own level,
    the ERP's, is not touched)."""
    rid = 500 + entry_no
    db.execute(
        "insert into reminder_headers (reminder_id, customer_no, currency, level_no, terms_code, status,"
        " posting_date, document_date, payment_deadline, language, overdue_amount, total, template_code, sent_at)"
        " values ($id, 'C1', 'EUR', $lv, 'F', $st, $on, $on, $dl, 'en', 100, 100, 'reminder', $on)",
        {"id": rid, "lv": level, "st": status, "on": on, "dl": deadline},
    )
    db.execute(
        "insert into reminder_lines (reminder_id, line_no, kind, entry_no, document_type, document_no, due_date,"
        " days_overdue, original_amount, remaining_amount, level_no)"
        " select $id, 1, 'overdue', entry_no, document_type, document_no, due_date, 10, amount, remaining_amount,"
        " $lv from ledger_entries where entry_no = $e",
        {"id": rid, "lv": level, "e": entry_no},
    )


def per_line_terms(db) -> None:
    per_line = (Fee("EUR", fee_per_line=D("1.50")),)
    levels = (Level(1, 7, grace_days=3, fees=per_line), Level(2, 14, fees=per_line))
    save_terms(db, Terms("F", "per line", levels=levels))
    db.execute("update customers set reminder_terms_code = 'F'")


@pytest.mark.parametrize(
    ("issued_ago", "deadline_in", "status", "fee", "levels", "line_fees"),
    [
        # A was on level 1 ten days ago and is not due for level 2 (deadline in 20 days): it is listed again at
        # level 1 and pays nothing; B, new at level 1, pays 1.50. Fee 1 x 1.50 = 1.50 (not 2 x 1.50 = 3.00)
        (10, 20, "sent", "1.50", {"A": 1, "B": 1}, {"A": "0.00", "B": "1.50"}),
        # A's level-1 reminder went out 20 days ago, its deadline passed 13 days ago: A is at level 2 for the
        # first time and pays again, B at level 1. Fee 2 x 1.50 = 3.00
        (20, -13, "sent", "3.00", {"A": 2, "B": 1}, {"A": "1.50", "B": "1.50"}),
        # A's reminder was cancelled: nothing was charged, both pay. Fee 2 x 1.50 = 3.00
        (10, 20, "cancelled", "3.00", {"A": 1, "B": 1}, {"A": "1.50", "B": "1.50"}),
    ],
)
def test_the_per_line_fee_is_charged_once_per_document_and_level(
    db, issued_ago, deadline_in, status, fee, levels, line_fees
):
    customer(db)
    per_line_terms(db)
    a = add_entry(db, "C1", due=ago(40), amount="500.00", document_no="A")
    add_entry(db, "C1", due=ago(20), amount="300.00", document_no="B")
    issued(db, a, 1, ago(issued_ago), AS_OF + dt.timedelta(days=deadline_in), status)
    (r,) = run(db)["reminders"]
    assert r["fee"] == fee
    assert {x["document_no"]: x["level"] for x in r["lines"]} == levels
    assert D(r["total"]) == D("800.00") + D(fee) + D(r["interest"])  # 500.00 + 300.00 + fee (+ no interest)
    # each line records the fee charged on it: what the next run reads back as charged
    charged = db.rows(
        "select document_no, fee from reminder_lines where reminder_id = $r", {"r": r["reminder_id"]}
    )
    assert {doc: str(f) for doc, f in charged} == line_fees


def test_a_line_listed_at_the_level_the_erp_gave_it_pays_no_per_line_fee_again(db):
    customer(db)
    per_line_terms(db)
    # A was reminded at level 2 in the ERP ten days ago (imported level, no history here): it is listed at
    # level 2 again, not due for more; B, new, triggers level 1. Fee 1 x 1.50 = 1.50 (B), not 3.00
    a = add_entry(db, "C1", due=ago(60), amount="500.00", document_no="A")
    db.execute(
        "update ledger_entries set last_reminder_level = 2, last_reminder_date = $d where entry_no = $e",
        {"d": ago(10), "e": a},
    )
    add_entry(db, "C1", due=ago(20), amount="300.00", document_no="B")
    (r,) = run(db)["reminders"]
    assert {x["document_no"]: x["level"] for x in r["lines"]} == {"A": 2, "B": 1}
    assert r["fee"] == "1.50"


# -- fees in the currency they are charged in -------------------------------------------------------------
HUF_TERMS = Terms(
    "F",
    "fees per currency",
    levels=(
        Level(
            1,
            7,
            grace_days=3,
            pct_fee=D("2"),
            fees=(
                Fee("EUR", D("5.00"), fee_per_line=D("1.50"), pct_fee_min=D("10.00"), pct_fee_max=D("40.00")),
                Fee(
                    "HUF",
                    D("2000.00"),
                    fee_per_line=D("600.00"),
                    pct_fee_min=D("4000.00"),
                    pct_fee_max=D("16000.00"),
                ),
            ),
        ),
    ),
)


@pytest.mark.parametrize(
    ("currency", "amounts", "fee", "note"),
    [
        # EUR: 5.00 fixed + 2 lines x 1.50 + 2% of 1500.00 = 30.00 (within 10.00..40.00) -> 38.00
        ("EUR", ("1000.00", "500.00"), "38.00", None),
        # EUR: 2% of 200.00 = 4.00, raised to the minimum 10.00; 5.00 + 1 x 1.50 + 10.00 = 16.50
        ("EUR", ("200.00",), "16.50", None),
        # EUR: 2% of 5000.00 = 100.00, capped at 40.00; 5.00 + 1 x 1.50 + 40.00 = 46.50
        ("EUR", ("5000.00",), "46.50", None),
        # HUF: its own amounts, never the EUR ones: 2000.00 + 2 x 600.00 + 2% of 400000.00 = 8000.00 -> 11200.00
        ("HUF", ("300000.00", "100000.00"), "11200.00", None),
        # HUF: 2% of 50000.00 = 1000.00, raised to 4000.00; 2000.00 + 600.00 + 4000.00 = 6600.00 (not 16.50)
        ("HUF", ("50000.00",), "6600.00", None),
        # USD has no row: no fee at all, not even the percentage, and the note says so
        ("USD", ("1000.00",), "0.00", "no fees defined for level 1 in USD; none charged (add a fee row in USD on"
                                      " the Reminder terms page)"),
    ],
)  # fmt: skip
def test_fees_are_charged_in_the_currency_of_the_reminder(db, currency, amounts, fee, note):
    customer(db)
    save_terms(db, HUF_TERMS)
    db.execute("update customers set reminder_terms_code = 'F'")
    for amount in amounts:
        add_entry(db, "C1", due=ago(20), amount=amount, currency=currency)
    (r,) = run(db)["reminders"]
    assert (r["currency"], r["fee"], r["note"]) == (currency, fee, note)
    assert D(r["total"]) == sum(D(a) for a in amounts) + D(fee) + D(r["interest"])


def test_the_sample_terms_charge_fees_in_eur_gbp_usd_and_chf(sample_db):
    result = run_json(sample_db, propose(sample_db, ProposalOptions(as_of=AS_OF)).run_id)
    charged = {r["currency"] for r in result["reminders"] if D(r["fee"]) > 0}
    assert charged == {"EUR", "GBP", "USD", "CHF"}
    fees = {(r["level"], r["currency"], r["fee"]) for r in result["reminders"] if r["level"] >= 2}
    assert fees <= {(2, "EUR", "10.00"), (2, "GBP", "10.00"), (2, "USD", "12.00"), (2, "CHF", "10.00"),
                    (3, "EUR", "25.00"), (3, "GBP", "25.00"), (3, "USD", "25.00"), (3, "CHF", "25.00")}  # fmt: skip
    assert not any("no fees defined" in (r["note"] or "") for r in result["reminders"])
