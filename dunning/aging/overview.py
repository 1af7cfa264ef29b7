"""The overview's figures beyond the aging tiles: drill-down lists, top customers, distribution, KPIs, trend.

Every function takes the as-of date and a dunning.aging.AgingFilter, so every element of the page follows
the same filters. Money stays Decimal; DataFrames come from Database.frame (Decimal objects, never float).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from dunning.aging.report import AgingFilter, AgingReport, Bucket, aging, with_filtered
from dunning.db import Database, load_sql
from dunning.money import ZERO, round_money

DSO_MONTHS = 36  # how far the countback walks before it gives up (the DSO is then "more than")


def _frame(
    name: str, as_of: dt.date, flt: AgingFilter, *, source: str = "open", **extra: Any
) -> tuple[str, dict[str, Any]]:
    """dunning/sql/NAME.sql reading the filtered entries, and the parameters it names."""
    return with_filtered(load_sql(__package__, name), as_of, flt, source=source, **extra)


def bucket_customers(
    db: Database, as_of: dt.date, flt: AgingFilter, bucket: Bucket, customer_no: str | None = None
) -> pd.DataFrame:
    """A bucket's open invoices grouped by customer, largest amount first. The last reminder is the
    customer's latest up to the as-of date, as the customer page shows it (its level and date together).

    Columns: customer_no, name, contacts, country, currencies, invoices, amount_lcy, oldest_days_overdue,
    last_reminder_level, last_reminder_date, on_hold, disputed, promised_pay_date.
    """
    sql, params = _frame(
        "bucket_customers", as_of, flt,
        min_days=bucket.min_days, max_days=bucket.max_days, customer_no=customer_no,
    )  # fmt: skip
    df = db.frame(sql, params)
    # a level column with missing values would come back as float: keep it a (nullable) integer
    df["last_reminder_level"] = df["last_reminder_level"].astype("Int64")
    return df


def bucket_invoices(
    db: Database, as_of: dt.date, flt: AgingFilter, bucket: Bucket, customer_no: str | None = None
) -> pd.DataFrame:
    """The open invoices behind bucket_customers (one customer's when customer_no is given)."""
    sql, params = _frame(
        "bucket_invoices", as_of, flt,
        min_days=bucket.min_days, max_days=bucket.max_days, customer_no=customer_no,
    )  # fmt: skip
    df = db.frame(sql, params)
    df["last_reminder_level"] = df["last_reminder_level"].astype("Int64")  # blank when never reminded
    return df


def top_customers(db: Database, as_of: dt.date, flt: AgingFilter, limit: int = 10) -> pd.DataFrame:
    """The customers with the largest overdue amount (LCY): customer_no, name, invoices, overdue_lcy, ..."""
    sql, params = _frame("top_customers", as_of, flt, limit=limit)
    return db.frame(sql, params)


def distribution(db: Database, as_of: dt.date, flt: AgingFilter) -> pd.DataFrame:
    """Count and amount (entry currency and LCY) of open invoices per bucket and currency."""
    sql, params = _frame("distribution", as_of, flt)
    return db.frame(sql, params)


def overdue_trend(db: Database, as_of: dt.date, flt: AgingFilter) -> pd.DataFrame:
    """Overdue amount (LCY) and count at the last 12 month ends, the as-of date standing in for this one."""
    sql, params = _frame("overdue_trend", as_of, flt, source="ledger")
    return db.frame(sql, params)


@dataclass(frozen=True)
class SalesPeriod:
    """One calendar month of net sales for the countback: the dates in (starts_after, ends_on]."""

    starts_after: dt.date
    ends_on: dt.date
    days: int
    sales_lcy: Decimal  # invoices less credit memos posted in the period, LCY


def sales_periods(
    db: Database, as_of: dt.date, flt: AgingFilter, months: int = DSO_MONTHS
) -> list[SalesPeriod]:
    """Net sales (LCY) per calendar month walking back from the as-of date, newest first: the as-of date's
    month up to the as-of date, then the whole months before it, `months` periods in all. Net sales are
    invoices less credit memos posted in the month, open or paid since, through the same filter as the
    balance."""
    sql, params = _frame("sales_periods", as_of, flt, source="ledger", months=months)
    return [SalesPeriod(r[1], r[2], int(r[3]), r[4]) for r in db.rows(sql, params)]


@dataclass(frozen=True)
class Dso:
    days: Decimal | None  # one decimal place; None: no net sales in any period walked (no DSO)
    complete: bool  # False: the sales of every period walked did not cover the balance (DSO is "more than")

    def text(self) -> str:
        """'45.5 days', '> 1,096 days' when the walk ran out of months, '—' without sales."""
        if self.days is None:
            return "—"
        return f"{self.days:,.1f} days" if self.complete else f"> {self.days:,.0f} days"


def countback_dso(balance_lcy: Decimal, periods: list[SalesPeriod]) -> Dso:
    """Days sales outstanding by the countback method.

    Walk back month by month from the as-of date (newest period first: the as-of date's calendar month up to
    the as-of date, then whole calendar months). While the receivables balance is larger than the month's
    net sales, subtract the sales from the balance and add the month's days (a month whose net sales are
    zero or less adds its days and subtracts nothing). In the month where the remaining balance is no more
    than the sales, add the fraction of its days that the remaining balance is of its sales, and stop. A
    balance of zero or less gives 0 days. Without net sales in any period there is no DSO (days None). If
    the periods run out first, the DSO is the sum of all their days and `complete` is False (the true
    figure is larger).
    """
    if not any(p.sales_lcy > 0 for p in periods):
        return Dso(None, True)
    remaining = balance_lcy
    days = Decimal(0)
    if remaining <= 0:
        return Dso(Decimal("0.0"), True)
    for p in periods:
        if p.sales_lcy > 0 and remaining <= p.sales_lcy:
            days += Decimal(p.days) * remaining / p.sales_lcy
            return Dso(days.quantize(Decimal("0.1"), ROUND_HALF_UP), True)
        remaining -= max(p.sales_lcy, ZERO)
        days += p.days
    return Dso(days.quantize(Decimal("0.1"), ROUND_HALF_UP), False)


@dataclass(frozen=True)
class Kpis:
    lcy: str
    open_amount_lcy: Decimal  # net: open invoices less open credits (the DSO's balance)
    overdue_amount_lcy: Decimal
    overdue_count: int
    dso: Dso
    debits_lcy: Decimal
    over_90_lcy: Decimal
    part_paid: int = 0  # entries open on the as-of date and part-paid today (counted at today's remaining)

    @property
    def share_over_90_pct(self) -> Decimal | None:
        """Percent of the open invoice amount more than 90 days past due (None when nothing is open)."""
        if self.debits_lcy <= 0:
            return None
        return (self.over_90_lcy * 100 / self.debits_lcy).quantize(Decimal("0.1"), ROUND_HALF_UP)


def kpis(db: Database, as_of: dt.date, flt: AgingFilter, report: AgingReport) -> Kpis:
    """The KPI row: open and overdue amount (from the aging report), DSO (countback), share > 90 days.

    The DSO's balance is the "Open receivables" figure: open debits less open credits (credit memos and
    unapplied payments) on the as-of date; its sales are net of credit memos (sales_periods)."""
    sql, params = _frame("over_90", as_of, flt)
    debits, over_90, part_paid = db.rows(sql, params)[0]  # an aggregate: always one row
    return Kpis(
        lcy=report.lcy,
        open_amount_lcy=report.open_amount_lcy,
        overdue_amount_lcy=report.overdue_amount_lcy,
        overdue_count=report.overdue_count,
        dso=countback_dso(report.open_amount_lcy, sales_periods(db, as_of, flt)),
        debits_lcy=debits,
        over_90_lcy=over_90,
        part_paid=int(part_paid),
    )


def past_figures_note(as_of: dt.date, today: dt.date, k: Kpis) -> str | None:
    """What the page says beside figures as of a past date that count part-paid entries at today's remaining
    amount (the ledger keeps when an entry was closed, not when it was part-paid); None when nothing does."""
    if as_of >= today or k.part_paid == 0:
        return None
    n = k.part_paid
    return (
        f"{n:,} entr{'ies' if n != 1 else 'y'} open on {as_of.isoformat()} {'are' if n != 1 else 'is'} "
        f"part-paid today and count{'s' * (n == 1)} at today's remaining amount: the ledger does not record "
        "when part payments were made. Entries paid in full since count in full."
    )


@dataclass(frozen=True)
class Overview:
    """Everything the overview page shows before a tile is clicked."""

    report: AgingReport
    kpis: Kpis
    distribution: pd.DataFrame
    top_customers: pd.DataFrame
    trend: pd.DataFrame


def overview(db: Database, as_of: dt.date, flt: AgingFilter | None = None, top: int = 10) -> Overview:
    flt = flt or AgingFilter()
    report = aging(db, as_of, flt)
    return Overview(
        report=report,
        kpis=kpis(db, as_of, flt, report),
        distribution=distribution(db, as_of, flt),
        top_customers=top_customers(db, as_of, flt, top),
        trend=overdue_trend(db, as_of, flt),
    )


def tile_colour(bucket: Bucket) -> str:
    """green within terms, amber for the early overdue, red for the late ones or above the alert amount."""
    if bucket.alert_amount_lcy is not None and bucket.amount_lcy > bucket.alert_amount_lcy:
        return "red"
    if bucket.severity == "ok" or not bucket.is_overdue:
        return "green"
    if bucket.severity in ("info", "warn"):
        return "amber"
    return "red"


def tile_shades(buckets: Sequence[Bucket]) -> dict[int, tuple[str, int]]:
    """Each bucket's colour (tile_colour) and its shade within that colour by position, 0 (light) to 2 (dark),
    spread over the buckets of that colour: the default buckets give three ambers and three reds."""
    colours = {b.position: tile_colour(b) for b in buckets}
    shades = {}
    for colour in set(colours.values()):
        same = [b.position for b in buckets if colours[b.position] == colour]
        for i, position in enumerate(same):
            shades[position] = (colour, 1 if len(same) == 1 else int(i * 2 / (len(same) - 1) + 0.5))
    return shades


def filter_options(db: Database) -> tuple[list[str], list[str]]:
    """(currencies, countries) that occur in the data, for the filter widgets."""
    currencies = [r[0] for r in db.rows("select distinct currency from ledger_entries order by 1")]
    countries = [
        r[0] for r in db.rows("select distinct country from customers where country is not null order by 1")
    ]
    return currencies, countries


def all_overdue(report: AgingReport) -> Bucket:
    """A pseudo-bucket of every overdue day (1 or more), for a list opened from the top-customers chart."""
    return Bucket(
        position=-2, label="All overdue", min_days=1, max_days=None, severity="alert", alert_amount_lcy=None,
        count=report.overdue_count, amount_lcy=report.overdue_amount_lcy,
    )  # fmt: skip


def no_invoices_text(flt: AgingFilter, as_of: dt.date, scope: str = "") -> str:
    """What an empty result says instead of an empty table or chart: 'No open invoices in CHF match 'zzzz'
    on 2026-11-30.' Every filter that is set is named; scope narrows the subject (e.g. 'in 8-14')."""
    words = ["No open invoices", scope] if scope else ["No open invoices"]
    if flt.currencies:
        words.append("in " + ", ".join(flt.currencies))
    if flt.countries:
        words.append("of customers in " + ", ".join(flt.countries))
    if not flt.include_held:
        words.append("outside hold and dispute")
    if search := (flt.customer_search or "").strip():
        words.append(f"match '{search}'")
    return f"{' '.join(words)} on {as_of.isoformat()}."


def slug(text: str) -> str:
    """'Over 90' -> 'over-90': a file-name-safe form of a label."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "list"


def money_text(amount: Decimal, code: str) -> str:
    """'12,345.67 EUR': thousands separators, two decimals, the currency code."""
    return f"{round_money(amount):,.2f} {code}"
