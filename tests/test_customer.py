from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dunning.aging.report import aging
from dunning.ledger import customer
from dunning.ledger.customer import CustomerNotFound
from tests.ledger import add_customer, add_entry

AS_OF = dt.date(2026, 11, 28)


def days_ago(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


def item(db, no: int):
    return next(i for i in customer.open_items(db, "C1", AS_OF) if i.entry_no == no)


@pytest.mark.parametrize(
    ("due_days_ago", "document_type", "amount", "days_overdue", "days_late", "overdue"),
    [
        (-5, "invoice", "100.00", -5, 0, False),
        (0, "invoice", "100.00", 0, 0, False),
        (1, "invoice", "100.00", 1, 1, True),
        (45, "invoice", "100.00", 45, 45, True),
        (45, "credit_memo", "-100.00", 45, None, False),
        (10, "payment", "-50.00", 10, None, False),
    ],
)
def test_days_overdue(db, due_days_ago, document_type, amount, days_overdue, days_late, overdue):
    add_customer(db)
    no = add_entry(db, due=days_ago(due_days_ago), amount=amount, document_type=document_type)
    i = item(db, no)
    assert (i.days_overdue, i.days_late, i.is_overdue) == (days_overdue, days_late, overdue)


def test_open_items_as_of_a_past_date(db):
    add_customer(db)
    paid_later = add_entry(db, due=days_ago(40), amount="300.00", remaining="0.00", closed_at=days_ago(5))
    part_paid = add_entry(db, due=days_ago(20), amount="200.00", remaining="80.00")
    add_entry(db, due=days_ago(90), amount="50.00", remaining="0.00", closed_at=days_ago(30))  # paid before
    add_entry(db, due=days_ago(-20), amount="70.00", posting=days_ago(2))  # posted after the as-of date
    past = days_ago(10)
    items = {i.entry_no: i for i in customer.open_items(db, "C1", past)}
    assert set(items) == {paid_later, part_paid}
    assert items[paid_later].open_amount == Decimal("300.00")  # open in full on that date
    assert items[paid_later].days_overdue == 30
    assert items[part_paid].open_amount == Decimal("80.00")


def test_flags_and_reminder_marks_of_open_items(db):
    add_customer(db)
    no = add_entry(
        db, due=days_ago(30), on_hold="HLD", dispute_status="Price difference", promised_pay_date=days_ago(-3),
        last_reminder_level=2, last_reminder_date=days_ago(4),
    )  # fmt: skip
    later = add_entry(db, due=days_ago(30), last_reminder_level=1, last_reminder_date=days_ago(-1))
    i = item(db, no)
    assert (i.on_hold, i.dispute_status, i.promised_pay_date) == ("HLD", "Price difference", days_ago(-3))
    assert (i.last_reminder_level, i.last_reminder_date) == (2, days_ago(4))
    # a reminder dated after the as-of date had not been sent on it
    assert (item(db, later).last_reminder_level, item(db, later).last_reminder_date) == (0, None)


def test_balances_per_currency(db):
    add_customer(db)
    add_entry(db, due=days_ago(10), amount="100.00")
    add_entry(db, due=days_ago(3), amount="-30.00", document_type="credit_memo")
    add_entry(db, due=days_ago(-10), amount="50.00", currency="GBP", lcy_rate=Decimal("1.2"))
    add_entry(db, due=days_ago(5), amount="20.00", remaining="12.50", currency="GBP", lcy_rate=Decimal("1.2"))
    view = customer.customer_view(db, "C1", AS_OF)
    eur, gbp = view.balances
    assert (eur.currency, eur.items, eur.open_amount, eur.overdue_amount) == ("EUR", 2, Decimal("70.00"),
                                                                              Decimal("100.00"))  # fmt: skip
    assert (gbp.currency, gbp.items, gbp.open_amount, gbp.overdue_amount) == ("GBP", 2, Decimal("62.50"),
                                                                              Decimal("12.50"))  # fmt: skip
    assert (gbp.open_amount_lcy, gbp.overdue_amount_lcy) == (Decimal("75.00"), Decimal("15.00"))
    # two currencies: the headline figures are in the local currency
    assert view.mixed_currencies and view.headline_currency == "EUR"
    assert view.open_balance == Decimal("145.00")
    assert view.overdue == Decimal("115.00")
    assert view.oldest_days_overdue == 10


def test_single_foreign_currency_headline_is_in_that_currency(db):
    add_customer(db, currency="GBP")
    add_entry(db, due=days_ago(5), amount="20.00", currency="GBP", lcy_rate=Decimal("1.2"))
    view = customer.customer_view(db, "C1", AS_OF)
    assert (view.headline_currency, view.open_balance, view.overdue) == (
        "GBP",
        Decimal("20.00"),
        Decimal("20.00"),
    )


def test_customer_without_open_items(db):
    add_customer(db, currency="CHF")
    view = customer.customer_view(db, "C1", AS_OF)
    assert view.items == () and view.balances == []
    assert (view.headline_currency, view.open_balance, view.overdue) == (
        "CHF",
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert view.last_reminder is None
    assert view.behaviour.invoices == 0 and view.behaviour.avg_days_late is None


def add_reminder(db, *, status: str, level: int, sent: dt.date | None, lines: list[tuple[int, str]], no: str):
    rid = db.scalar(
        "insert into reminder_headers (reminder_no, customer_no, currency, level_no, terms_code, status,"
        " posting_date, document_date, payment_deadline, language, overdue_amount, total, template_code, sent_at)"
        " values ($no, 'C1', 'EUR', $level, 'DEFAULT', $status, $d, $d, $d, 'en', 100, 105.00, 'reminder', $sent)"
        " returning reminder_id",
        {"no": no, "level": level, "status": status, "d": sent or AS_OF, "sent": sent},
    )
    for n, (entry_no, doc) in enumerate(lines, 1):
        db.execute(
            "insert into reminder_lines (reminder_id, line_no, kind, entry_no, document_type, document_no, due_date,"
            " days_overdue, original_amount, remaining_amount, level_no)"
            " values ($r, $n, 'overdue', $e, 'invoice', $doc, $d, 10, 100, 100, $level)",
            {"r": rid, "n": n, "e": entry_no, "doc": doc, "d": days_ago(20), "level": level},
        )


def test_reminders_sent_from_the_app_and_the_ledger(db):
    add_customer(db)
    a = add_entry(
        db, due=days_ago(40), document_no="SI-A", last_reminder_level=2, last_reminder_date=days_ago(3)
    )
    add_entry(
        db, due=days_ago(30), document_no="SI-B", last_reminder_level=1, last_reminder_date=days_ago(12)
    )
    add_entry(
        db, due=days_ago(31), document_no="SI-C", last_reminder_level=1, last_reminder_date=days_ago(12)
    )
    add_entry(
        db, due=days_ago(30), document_no="SI-D", last_reminder_level=3, last_reminder_date=days_ago(-2)
    )
    add_reminder(db, status="sent", level=2, sent=days_ago(3), lines=[(a, "SI-A")], no="R-0002")
    add_reminder(db, status="approved", level=3, sent=None, lines=[(a, "SI-A")], no="R-0003")
    add_reminder(db, status="sent", level=1, sent=days_ago(-1), lines=[(a, "SI-A")], no="R-LATER")
    sent = customer.reminders_sent(db, "C1", AS_OF)
    assert [(r.source, r.reminder_no, r.level_no, r.sent_on, r.documents) for r in sent] == [
        ("app", "R-0002", 2, days_ago(3), ("SI-A",)),  # SI-A's ledger mark is this reminder: not listed twice
        ("ledger", "", 1, days_ago(12), ("SI-B", "SI-C")),
    ]
    assert sent[0].total == Decimal("105.00") and sent[1].total is None
    assert customer.customer_view(db, "C1", AS_OF).last_reminder == sent[0]


def test_contacts_by_role_active_first(db):
    add_customer(db)
    for name, role, active in [("Zed", "sales_owner", True), ("Old", "accounts_payable", False),
                               ("Amy", "finance_manager", True), ("Bob", "accounts_payable", True),
                               ("Cy", "legal", True)]:  # fmt: skip
        db.execute(
            "insert into contacts (customer_no, name, email, role, active) values ('C1', $n, $n || '@x.example', $r, $a)",
            {"n": name, "r": role, "a": active},
        )
    assert [c.name for c in customer.contacts(db, "C1")] == ["Bob", "Amy", "Zed", "Cy", "Old"]


def test_choices_and_unknown_customer(db):
    add_customer(db, "C2", name="Beta GmbH", country="DE")
    add_customer(db, "C1", name="Alpha Ltd", country="GB")
    assert [c.customer_no for c in customer.customer_choices(db)] == ["C1", "C2"]
    assert [c.customer_no for c in customer.customer_choices(db, "beta")] == ["C2"]
    assert [c.customer_no for c in customer.customer_choices(db, "c1")] == ["C1"]
    assert customer.customer_choices(db)[0].label == "Alpha Ltd · C1 · GB"
    with pytest.raises(CustomerNotFound, match="'C9' does not exist"):
        customer.load_customer(db, "C9")


# -- on the sample data -----------------------------------------------------------------------------------
def test_every_customer_reconciles_to_the_aging(sample_db):
    report = aging(sample_db, AS_OF)
    views = [
        customer.customer_view(sample_db, c.customer_no, AS_OF) for c in customer.customer_choices(sample_db)
    ]
    items = [i for v in views for i in v.items]
    assert sum((i.open_amount_lcy for i in items), Decimal("0")) == report.open_amount_lcy
    assert sum(1 for i in items if not i.is_credit) == sum(b.count for b in report.buckets)
    assert sum(1 for i in items if i.is_overdue) == report.overdue_count
    assert sum(1 for i in items if i.document_type == "invoice" and i.days_overdue <= 0) == 519


def test_sample_customer_has_contacts_reminders_and_payment_history(sample_db):
    views = [
        customer.customer_view(sample_db, c.customer_no, AS_OF) for c in customer.customer_choices(sample_db)
    ]
    assert len(views) == 60
    assert all(v.contacts for v in views)
    with_reminders = [v for v in views if v.reminders]
    assert with_reminders
    for v in with_reminders:  # every reminder mark of an open item is a line of a reminder sent that day
        marks = {(i.document_no, i.last_reminder_date) for i in v.items if i.last_reminder_level}
        sent = {(doc, r.sent_on) for r in v.reminders for doc in r.documents}
        assert marks <= sent
        # the sample's marks all come from reminders this tool sent: none is listed a second time
        assert all(r.source == "app" for r in v.reminders), v.reminders
    assert sum(v.behaviour.invoices for v in views) > 100
    assert all(v.behaviour.avg_days_late is not None for v in views if v.behaviour.invoices)


def test_choices_keep_the_current_customer_beyond_the_limit(db):
    for n, name in enumerate(["Delta", "Alpha", "Charlie", "Bravo"]):
        add_customer(db, f"C{n}", name=name)
    assert [c.name for c in customer.customer_choices(db, limit=2)] == ["Alpha", "Bravo"]
    kept = customer.customer_choices(db, limit=2, keep=("C0", None, "C1"))
    assert [c.name for c in kept] == ["Alpha", "Bravo", "Delta"]
    assert [c.name for c in customer.customer_choices(db, "char", keep=("C0",))] == ["Charlie", "Delta"]
    assert customer.customer_count(db) == 4
