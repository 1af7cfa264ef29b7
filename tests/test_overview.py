from __future__ import annotations

import calendar
import datetime as dt
import itertools
from decimal import Decimal

import pandas as pd
import pytest

from dunning.aging import overview as ov
from dunning.aging.overview import SalesPeriod, countback_dso
from dunning.aging.report import AgingFilter, aging
from dunning.db import Database
from dunning.ledger.customer import customer_view
from tests.ledger import add_customer, add_entry
from tests.test_aging import AS_OF, days_ago

ALL = AgingFilter()
D = Decimal


def bucket(db: Database, label: str, flt: AgingFilter = ALL):
    return next(b for b in aging(db, AS_OF, flt).buckets if b.label == label)


@pytest.fixture
def ledger(db: Database) -> Database:
    """Two customers: C1 (NL, EUR) with three invoices 8-14 days late and a credit; C2 (GB, GBP) one."""
    add_customer(db, "C1", name="Alpha BV", country="NL")
    add_customer(db, "C2", name="Beta Ltd", country="GB")
    db.execute(
        "insert into contacts (customer_no, name, email, role) values"
        " ('C1', 'Ann', 'ann@alpha.example', 'accounts_payable'),"
        " ('C1', 'Bob', 'bob@alpha.example', 'finance_manager'),"
        " ('C1', 'Old', 'old@alpha.example', 'sales_owner')"
    )
    db.execute("update contacts set active = false where name = 'Old'")
    add_entry(
        db, "C1", due=days_ago(8), amount="100.00", last_reminder_level=1, last_reminder_date=days_ago(2)
    )
    add_entry(db, "C1", due=days_ago(12), amount="250.50", remaining="50.25", on_hold="LEGAL")
    add_entry(db, "C1", due=days_ago(14), amount="10.00", promised_pay_date=AS_OF + dt.timedelta(days=3))
    add_entry(db, "C1", due=days_ago(9), amount="-40.00", document_type="credit_memo")
    add_entry(db, "C1", due=days_ago(3), amount="70.00")  # 1-7
    add_entry(db, "C2", due=days_ago(10), amount="200.00", currency="GBP", lcy_rate=D("1.15"),
              dispute_status="price")  # fmt: skip
    add_entry(db, "C2", due=days_ago(200), amount="30.00", currency="GBP", lcy_rate=D("1.15"))
    add_entry(
        db, "C2", due=AS_OF + dt.timedelta(days=10), amount="500.00", currency="GBP", lcy_rate=D("1.15")
    )
    return db


def test_bucket_customers_groups_the_bucket_by_customer(ledger: Database) -> None:
    got = ov.bucket_customers(ledger, AS_OF, ALL, bucket(ledger, "8-14"))
    c1 = got.set_index("customer_no").loc["C1"]
    assert c1["invoices"] == 3
    assert c1["amount_lcy"] == D("160.25")
    assert c1["oldest_days_overdue"] == 14
    assert c1["last_reminder_level"] == 1 and c1["last_reminder_date"] == days_ago(2)
    assert bool(c1["on_hold"]) and not bool(c1["disputed"])
    assert c1["promised_pay_date"] == AS_OF + dt.timedelta(days=3)
    assert c1["contacts"] == "Ann (AP) ann@alpha.example; Bob (Finance) bob@alpha.example"
    c2 = got.set_index("customer_no").loc["C2"]
    assert (c2["invoices"], c2["amount_lcy"], bool(c2["disputed"])) == (1, D("230.00"), True)
    assert c2["currencies"] == "GBP" and c2["contacts"] == ""


def test_contacts_in_the_list_give_the_phone_before_the_email(ledger: Database) -> None:
    ledger.execute("update contacts set phone = '+31 20 555 0101' where name = 'Ann'")
    c1 = ov.bucket_customers(ledger, AS_OF, ALL, bucket(ledger, "8-14")).set_index("customer_no").loc["C1"]
    assert c1["contacts"] == "Ann (AP) +31 20 555 0101 ann@alpha.example; Bob (Finance) bob@alpha.example"


def test_last_reminder_is_the_latest_with_its_own_level(ledger: Database) -> None:
    """An older level-3 mark and a newer level-1 reminder: the list shows level 1 on the newer date (the
    customer page's last reminder), not level 3 beside the newer date; a mark after the as-of date is unknown."""
    add_entry(
        ledger, "C1", due=days_ago(60), amount="5.00", last_reminder_level=3, last_reminder_date=days_ago(20)
    )
    add_entry(ledger, "C1", due=days_ago(11), amount="5.00", last_reminder_level=2, last_reminder_date=AS_OF + dt.timedelta(days=1))  # fmt: skip
    c1 = ov.bucket_customers(ledger, AS_OF, ALL, bucket(ledger, "8-14")).set_index("customer_no").loc["C1"]
    assert (c1["last_reminder_level"], c1["last_reminder_date"]) == (1, days_ago(2))
    rows = ov.bucket_invoices(ledger, AS_OF, ALL, bucket(ledger, "8-14"), "C1")
    future = rows[rows["days_overdue"] == 11].iloc[0]
    assert pd.isna(future["last_reminder_level"]) and pd.isna(future["last_reminder_date"])


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2026, 6, 30), dt.date(2026, 11, 16)])
def test_list_and_customer_page_agree_on_the_last_reminder(sample_db: Database, as_of: dt.date) -> None:
    """The sample's reminders sent from this tool and its ledger marks: every customer of the overdue list
    shows the level and date of the customer page's last reminder."""
    listed = ov.bucket_customers(sample_db, as_of, ALL, ov.all_overdue(aging(sample_db, as_of)))
    assert len(listed) > 10
    for row in listed.itertuples():
        last = customer_view(sample_db, row.customer_no, as_of).last_reminder
        shown = (
            None if pd.isna(row.last_reminder_level) else (row.last_reminder_level, row.last_reminder_date)
        )
        assert shown == (None if last is None else (last.level_no, last.sent_on)), row.customer_no


def test_bucket_list_orders_by_amount(ledger: Database) -> None:
    got = ov.bucket_customers(ledger, AS_OF, ALL, bucket(ledger, "8-14"))
    assert list(got["amount_lcy"]) == sorted(got["amount_lcy"], reverse=True)
    assert list(got["customer_no"]) == ["C2", "C1"]


def test_bucket_list_follows_filters_and_customer(ledger: Database) -> None:
    b = bucket(ledger, "8-14")
    assert list(ov.bucket_customers(ledger, AS_OF, AgingFilter(currencies=("GBP",)), b)["customer_no"]) == [
        "C2"
    ]
    assert list(ov.bucket_customers(ledger, AS_OF, AgingFilter(countries=("NL",)), b)["customer_no"]) == [
        "C1"
    ]
    assert list(ov.bucket_customers(ledger, AS_OF, AgingFilter(customer_search="alp"), b)["customer_no"]) == [
        "C1"
    ]
    no_held = ov.bucket_customers(ledger, AS_OF, AgingFilter(include_held=False), b)
    assert list(no_held["customer_no"]) == ["C1"] and list(no_held["invoices"]) == [2]
    assert list(ov.bucket_customers(ledger, AS_OF, ALL, b, "C1")["customer_no"]) == ["C1"]


def test_bucket_invoices_are_the_rows_behind_the_list(ledger: Database) -> None:
    b = bucket(ledger, "8-14")
    rows = ov.bucket_invoices(ledger, AS_OF, ALL, b)
    assert len(rows) == 4 and set(rows["document_type"]) == {"invoice"}
    c1 = ov.bucket_invoices(ledger, AS_OF, ALL, b, "C1")
    assert list(c1["days_overdue"]) == [14, 12, 8]  # oldest due date first
    assert sum(c1["open_amount_lcy"], D(0)) == D("160.25")
    assert list(c1["hold_code"].fillna("")) == ["", "LEGAL", ""]  # the code as text, not a tick box


def test_every_bucket_list_sums_to_its_tile(sample_db: Database) -> None:
    report = aging(sample_db, AS_OF)
    assert [b.count for b in report.buckets][:3] == [519, 25, 41]
    for b in report.buckets:
        got = ov.bucket_customers(sample_db, AS_OF, ALL, b)
        assert int(got["invoices"].sum()) == b.count, b.label
        assert sum(got["amount_lcy"], D("0.00")) == b.amount_lcy, b.label


def test_top_customers_by_overdue_exposure(ledger: Database) -> None:
    top = ov.top_customers(ledger, AS_OF, ALL)
    # C2: 230.00 + 34.50 overdue (the not-yet-due 575.00 does not count); C1: 160.25 + 70.00
    assert list(zip(top["customer_no"], top["overdue_lcy"], strict=True)) == [
        ("C2", D("264.50")),
        ("C1", D("230.25")),
    ]
    assert list(ov.top_customers(ledger, AS_OF, ALL, limit=1)["customer_no"]) == ["C2"]
    assert list(ov.top_customers(ledger, AS_OF, AgingFilter(include_held=False))["overdue_lcy"]) == [
        D("180.00"), D("34.50"),
    ]  # fmt: skip


def test_distribution_reconciles_with_the_tiles(sample_db: Database) -> None:
    dist = ov.distribution(sample_db, AS_OF, ALL)
    report = aging(sample_db, AS_OF)
    for b in report.buckets:
        part = dist[dist["label"] == b.label]
        assert int(part["invoices"].sum()) == b.count
        assert sum(part["amount_lcy"], D("0.00")) == b.amount_lcy
    assert set(dist["currency"]) == {"EUR", "GBP", "USD", "CHF"}


def test_distribution_per_currency(ledger: Database) -> None:
    dist = ov.distribution(ledger, AS_OF, ALL)
    rows = {(r.label, r.currency): (r.invoices, r.amount, r.amount_lcy) for r in dist.itertuples()}
    assert rows[("8-14", "GBP")] == (1, D("200.00"), D("230.00"))
    assert rows[("8-14", "EUR")] == (3, D("160.25"), D("160.25"))
    assert rows[("Within terms", "GBP")] == (1, D("500.00"), D("575.00"))
    assert rows[("Over 90", "GBP")] == (1, D("30.00"), D("34.50"))


def period(days: int, sales: str) -> SalesPeriod:
    return SalesPeriod(AS_OF, AS_OF, days, D(sales))


@pytest.mark.parametrize(
    ("balance", "periods", "days", "complete"),
    [
        ("0.00", [period(30, "100.00")], "0.0", True),
        ("-5.00", [period(30, "100.00")], "0.0", True),
        ("50.00", [period(30, "100.00")], "15.0", True),  # half of the first month
        ("100.00", [period(30, "100.00")], "30.0", True),
        ("150.00", [period(30, "100.00"), period(31, "200.00")], "37.8", True),  # 30 + 31 * 50/200
        ("100.00", [period(30, "0.00"), period(31, "100.00")], "61.0", True),  # a month without sales
        ("100.00", [period(30, "-20.00"), period(31, "100.00")], "61.0", True),  # credits over sales: none
        ("500.00", [period(30, "100.00"), period(31, "100.00")], "61.0", False),  # not covered
        ("50.00", [period(30, "0.00"), period(31, "-10.00")], None, True),  # no sales: no DSO
        ("0.00", [period(30, "0.00")], None, True),
        ("50.00", [], None, True),
    ],
)
def test_countback_dso(balance: str, periods: list[SalesPeriod], days: str | None, complete: bool) -> None:
    assert countback_dso(D(balance), periods) == ov.Dso(None if days is None else D(days), complete)


@pytest.mark.parametrize(
    ("dso", "text"),
    [
        (ov.Dso(D("45.5"), True), "45.5 days"),
        (ov.Dso(D("1096.0"), False), "> 1,096 days"),
        (ov.Dso(None, True), "—"),
    ],
)
def test_dso_text(dso: ov.Dso, text: str) -> None:
    assert dso.text() == text


def test_sales_periods_are_calendar_months_net_of_credit_memos(db: Database) -> None:
    add_customer(db)
    add_entry(db, due=AS_OF, posting=AS_OF, amount="10.00")  # November, up to the as-of date
    add_entry(db, due=AS_OF, posting=dt.date(2026, 11, 1), amount="20.00")  # November
    add_entry(db, due=AS_OF, posting=dt.date(2026, 11, 29), amount="99.00")  # after the as-of date: not yet
    add_entry(db, due=AS_OF, posting=dt.date(2026, 10, 31), amount="40.00", closed_at=AS_OF)  # October, paid
    add_entry(db, due=AS_OF, posting=dt.date(2026, 10, 20), amount="-5.00", document_type="credit_memo")
    add_entry(
        db, due=AS_OF, posting=dt.date(2026, 10, 21), amount="-7.00", document_type="payment"
    )  # no sale
    add_entry(db, due=AS_OF, posting=dt.date(2026, 8, 31), amount="8.00")  # before the third period
    got = ov.sales_periods(db, AS_OF, ALL, months=3)
    assert [(p.starts_after, p.ends_on, p.days, p.sales_lcy) for p in got] == [
        (dt.date(2026, 10, 31), AS_OF, 28, D("30.00")),
        (dt.date(2026, 9, 30), dt.date(2026, 10, 31), 31, D("35.00")),  # 40.00 - 5.00
        (dt.date(2026, 8, 31), dt.date(2026, 9, 30), 30, D("0.00")),
    ]


@pytest.mark.parametrize(
    ("as_of", "first_days"),
    [
        (dt.date(2026, 11, 28), 28),
        (dt.date(2026, 3, 1), 1),  # the first of a month: one day of it
        (dt.date(2026, 3, 31), 31),
        (dt.date(2024, 3, 15), 15),  # walks back over a leap February
    ],
)
def test_sales_periods_tile_the_calendar(db: Database, as_of: dt.date, first_days: int) -> None:
    got = ov.sales_periods(db, as_of, ALL, months=14)
    assert got[0].ends_on == as_of and got[0].days == first_days
    for newer, older in itertools.pairwise(got):
        assert older.ends_on == newer.starts_after  # contiguous, newest first
        assert older.ends_on.day == calendar.monthrange(older.ends_on.year, older.ends_on.month)[1]
        assert older.days == older.ends_on.day  # a whole calendar month
    assert sum(p.days for p in got) == (as_of - got[-1].starts_after).days


# A small ledger of one customer, as of Saturday 28 November 2026 (EUR, the LCY):
#
#   entry  type         posted      amount    open today  closed      in period
#   1      invoice      2026-09-15  2000.00   0.00        2026-10-15  September
#   2      invoice      2026-10-05  1800.00   900.00      -           October (part-paid)
#   3      invoice      2026-10-20  1100.00   1100.00     -           October
#   4      credit memo  2026-10-25  -200.00   0.00        2026-10-25  October (applied)
#   5      invoice      2026-10-30  400.00    0.00        2026-11-20  October
#   6      invoice      2026-11-03  1200.00   1200.00     -           November
#   7      invoice      2026-11-18  1000.00   1000.00     -           November
#   8      credit memo  2026-11-20  -200.00   -200.00     -           November (open credit)
#   9      payment      2026-11-25  -250.00   -250.00     -           (unapplied; a payment is not a sale)
#
# Net sales (invoices less credit memos posted in the calendar month):
#   November 1-28 (28 days): 1200 + 1000 - 200          = 2000.00
#   October (31 days):       1800 + 1100 - 200 + 400    = 3100.00
#   September (30 days):     2000                       = 2000.00
#
# As of 28 Nov the balance is the "Open receivables" KPI, open debits less open credits:
#   900 + 1100 + 1200 + 1000 - 200 - 250 = 3750.00
#   November: 3750 > 2000, so add its 28 days; 1750 remains
#   October:  1750 <= 3100, so add 31 * 1750 / 3100 = 17.5 days
#   DSO = 28 + 17.5 = 45.5 days
# (Before: months of the as-of date's day, (28 Oct, 28 Nov] of 31 days and (28 Sep, 28 Oct] of 30, and gross
#  invoices, 2600 and 2900: 31 + 30 * 1150 / 2900 = 42.9 days.)
#
# As of 31 Oct (a past date) entries 2, 3 and 5 were open; 5 (paid in full on 20 Nov) counts in full, 2 at
# what remains of it today (the ledger does not say when it was part-paid): 900 + 1100 + 400 = 2400.00
#   October (1-31, 31 days): 2400 <= 3100, so 31 * 2400 / 3100 = 24.0 days
#
# As of 30 Sep entry 1 was open in full: 2000.00; September's 30 days * 2000 / 2000 = 30.0 days.
HAND_LEDGER = [
    ("invoice", dt.date(2026, 9, 15), "2000.00", "0.00", dt.date(2026, 10, 15)),
    ("invoice", dt.date(2026, 10, 5), "1800.00", "900.00", None),
    ("invoice", dt.date(2026, 10, 20), "1100.00", "1100.00", None),
    ("credit_memo", dt.date(2026, 10, 25), "-200.00", "0.00", dt.date(2026, 10, 25)),
    ("invoice", dt.date(2026, 10, 30), "400.00", "0.00", dt.date(2026, 11, 20)),
    ("invoice", dt.date(2026, 11, 3), "1200.00", "1200.00", None),
    ("invoice", dt.date(2026, 11, 18), "1000.00", "1000.00", None),
    ("credit_memo", dt.date(2026, 11, 20), "-200.00", "-200.00", None),
    ("payment", dt.date(2026, 11, 25), "-250.00", "-250.00", None),
]


@pytest.fixture
def hand_ledger(db: Database) -> Database:
    add_customer(db)
    for document_type, posted, amount, remaining, closed_at in HAND_LEDGER:
        add_entry(db, document_type=document_type, posting=posted, due=posted + dt.timedelta(days=30),
                  amount=amount, remaining=remaining, closed_at=closed_at)  # fmt: skip
    return db


@pytest.mark.parametrize(
    ("as_of", "balance", "dso", "part_paid"),
    [
        (AS_OF, "3750.00", "45.5", 1),
        (dt.date(2026, 10, 31), "2400.00", "24.0", 1),
        (dt.date(2026, 9, 30), "2000.00", "30.0", 0),
    ],
)
def test_dso_by_hand(hand_ledger: Database, as_of: dt.date, balance: str, dso: str, part_paid: int) -> None:
    k = ov.kpis(hand_ledger, as_of, ALL, aging(hand_ledger, as_of))
    assert k.open_amount_lcy == D(balance)
    assert k.dso == ov.Dso(D(dso), True)
    assert k.part_paid == part_paid


def test_dso_follows_the_filter_on_both_sides(hand_ledger: Database) -> None:
    add_customer(hand_ledger, "C2", country="GB")
    add_entry(hand_ledger, "C2", posting=dt.date(2026, 11, 10), due=dt.date(2026, 12, 10), amount="5000.00",
              remaining="1750.00")  # fmt: skip
    # both customers: balance 3750 + 1750 = 5500, November's sales 2000 + 5000 = 7000: 28 * 5500 / 7000 = 22.0
    assert ov.kpis(hand_ledger, AS_OF, ALL, aging(hand_ledger, AS_OF)).dso == ov.Dso(D("22.0"), True)
    only_nl = AgingFilter(countries=("NL",))  # C2's open invoice and its sales both leave: 45.5 again
    assert ov.kpis(hand_ledger, AS_OF, only_nl, aging(hand_ledger, AS_OF, only_nl)).dso.days == D("45.5")


def test_no_dso_without_sales(db: Database) -> None:
    add_customer(db)
    # open for four years: a balance, but no sale in the 36 months the countback walks
    add_entry(db, posting=dt.date(2022, 10, 1), due=dt.date(2022, 10, 31), amount="100.00")
    k = ov.kpis(db, AS_OF, ALL, aging(db, AS_OF))
    assert k.open_amount_lcy == D("100.00") and k.dso == ov.Dso(None, True) and k.dso.text() == "—"


@pytest.mark.parametrize(
    ("as_of", "today", "part_paid", "shown"),
    [
        (dt.date(2026, 10, 31), AS_OF, 1, True),
        (dt.date(2026, 10, 31), AS_OF, 0, False),  # nothing part-paid: the past figures are what was open
        (AS_OF, AS_OF, 3, False),  # today: today's remaining amounts are the figures
        (AS_OF + dt.timedelta(days=1), AS_OF, 3, False),
    ],
)
def test_past_figures_note(as_of: dt.date, today: dt.date, part_paid: int, shown: bool) -> None:
    k = ov.Kpis("EUR", D(0), D(0), 0, ov.Dso(None, True), D(0), D(0), part_paid)
    note = ov.past_figures_note(as_of, today, k)
    assert (note is not None) == shown
    if note:
        assert note.startswith(
            "1 entry open on 2026-10-31 is part-paid today and counts at today's remaining"
        )


def test_kpis(ledger: Database) -> None:
    report = aging(ledger, AS_OF)
    k = ov.kpis(ledger, AS_OF, ALL, report)
    assert k.open_amount_lcy == report.open_amount_lcy == D("1029.75")
    assert k.overdue_amount_lcy == D("494.75")
    assert k.over_90_lcy == D("34.50") and k.debits_lcy == D("1069.75")
    assert k.share_over_90_pct == D("3.2")
    # all invoices were posted 30 days before their due date, most within the last month
    assert k.dso.complete and D(0) < k.dso.days < D(400)


def test_share_over_90_without_open_items(db: Database) -> None:
    k = ov.kpis(db, AS_OF, ALL, aging(db, AS_OF))
    assert k.share_over_90_pct is None and k.dso == ov.Dso(None, True)  # no sales: no DSO


def test_overdue_trend_at_month_ends(db: Database) -> None:
    add_customer(db)
    # due 15 Aug, paid 10 Oct: overdue at the end of Aug and Sep, not at the end of Oct
    add_entry(db, due=dt.date(2026, 8, 15), posting=dt.date(2026, 7, 16), amount="100.00",
              remaining="0.00", closed_at=dt.date(2026, 10, 10))  # fmt: skip
    # due 20 Oct, half paid and still open: overdue at the end of Oct and on the as-of date
    add_entry(db, due=dt.date(2026, 10, 20), posting=dt.date(2026, 9, 20), amount="80.00", remaining="30.00")
    trend = ov.overdue_trend(db, AS_OF, ALL)
    points = dict(zip(trend["month_end"], trend["overdue_lcy"], strict=True))
    # from the first month end on or after the ledger's first posting (16 Jul) to the as-of date
    assert len(points) == 5 and min(points) == dt.date(2026, 7, 31) and max(points) == AS_OF
    assert points[dt.date(2026, 7, 31)] == D("0.00")
    assert points[dt.date(2026, 8, 31)] == D("100.00")
    assert points[dt.date(2026, 9, 30)] == D("100.00")
    assert points[dt.date(2026, 10, 31)] == D("30.00")
    assert points[AS_OF] == D("30.00")


def test_trend_ends_at_the_tiles_overdue(sample_db: Database) -> None:
    trend = ov.overdue_trend(sample_db, AS_OF, ALL)
    report = aging(sample_db, AS_OF)
    assert trend["overdue_lcy"].iloc[-1] == report.overdue_amount_lcy
    assert int(trend["invoices"].iloc[-1]) == report.overdue_count


@pytest.mark.parametrize(
    ("severity", "min_days", "amount", "alert", "colour"),
    [
        ("ok", None, "10.00", None, "green"),
        ("info", 1, "10.00", None, "amber"),
        ("warn", 8, "10.00", None, "amber"),
        ("alert", 31, "10.00", None, "red"),
        ("critical", 91, "10.00", None, "red"),
        ("warn", 8, "10.00", "10.00", "amber"),  # at the alert amount: not above it
        ("warn", 8, "10.01", "10.00", "red"),
        ("ok", None, "10.01", "10.00", "red"),
    ],
)
def test_tile_colour(
    severity: str, min_days: int | None, amount: str, alert: str | None, colour: str
) -> None:
    b = ov.Bucket(1, "x", min_days, None, severity, None if alert is None else D(alert), 1, D(amount))
    assert ov.tile_colour(b) == colour


def test_default_buckets_shade_three_ambers_and_three_reds(db: Database) -> None:
    buckets = aging(db, AS_OF).buckets
    shades = ov.tile_shades(buckets)
    assert [shades[b.position] for b in buckets] == [
        ("green", 1), ("amber", 0), ("amber", 1), ("amber", 2), ("red", 0), ("red", 1), ("red", 2),
    ]  # fmt: skip


def test_a_tile_above_its_alert_amount_takes_a_red_shade_in_order() -> None:
    def b(position: int, severity: str, alert: str | None = None) -> ov.Bucket:
        return ov.Bucket(
            position, "x", position, position, severity, None if alert is None else D(alert), 1, D("5.00")
        )

    shades = ov.tile_shades([b(0, "ok"), b(1, "warn", "1.00"), b(2, "warn"), b(3, "alert"), b(4, "critical")])
    assert [shades[i] for i in range(5)] == [("green", 1), ("red", 0), ("amber", 1), ("red", 1), ("red", 2)]


def test_filter_options(ledger: Database) -> None:
    assert ov.filter_options(ledger) == (["EUR", "GBP"], ["GB", "NL"])


def test_money_text_and_slug() -> None:
    assert ov.money_text(D("1234567.5"), "EUR") == "1,234,567.50 EUR"
    assert ov.money_text(D("-0.005"), "GBP") == "-0.01 GBP"
    assert ov.slug("Over 90") == "over-90"


MACRO_AT = """
select count(*)::bigint, coalesce(sum(o.open_amount_lcy), 0)::decimal(18, 2)
from open_entries($d::date) o join customers c using (customer_no)
where o.open_amount_lcy > 0 and o.days_overdue >= 1
  and ($currencies is null or list_contains($currencies, o.currency))
  and ($countries is null or list_contains($countries, c.country))
  and ($customer_search is null or o.customer_no ilike '%' || $customer_search || '%'
       or c.name ilike '%' || $customer_search || '%')
  and ($include_held or (coalesce(o.on_hold, '') = '' and coalesce(o.dispute_status, '') = ''))
"""


@pytest.mark.parametrize(
    "flt",
    [
        ALL,
        AgingFilter(currencies=("GBP", "CHF")),
        AgingFilter(countries=("NL", "BE"), include_held=False),
        AgingFilter(customer_search="bv"),
    ],  # fmt: skip
)
def test_trend_matches_open_entries_at_each_month_end(sample_db: Database, flt: AgingFilter) -> None:
    trend = ov.overdue_trend(sample_db, AS_OF, flt)
    assert len(trend) == 12
    for month_end, n, amount in zip(trend["month_end"], trend["invoices"], trend["overdue_lcy"], strict=True):
        expected = sample_db.rows(MACRO_AT, {"d": month_end, **flt.params()})[0]
        assert (int(n), amount) == expected, month_end


@pytest.mark.parametrize(
    ("flt", "scope", "text"),
    [
        (ALL, "", "No open invoices on 2026-11-28."),
        (AgingFilter(customer_search=" zzzz "), "", "No open invoices match 'zzzz' on 2026-11-28."),
        (AgingFilter(currencies=("CHF", "GBP"), customer_search="zz"), "in 8-14",
         "No open invoices in 8-14 in CHF, GBP match 'zz' on 2026-11-28."),
        (AgingFilter(countries=("BE",), include_held=False), "",
         "No open invoices of customers in BE outside hold and dispute on 2026-11-28."),
    ],
)  # fmt: skip
def test_no_invoices_text_names_every_filter_set(flt: AgingFilter, scope: str, text: str) -> None:
    assert ov.no_invoices_text(flt, AS_OF, scope) == text
