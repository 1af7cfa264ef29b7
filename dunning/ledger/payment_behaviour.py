"""How a customer paid: days late over the invoices closed in the 12 months up to a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dunning.db import Database, load_sql

ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class PaymentBehaviour:
    since: dt.date  # exclusive
    until: dt.date  # inclusive
    invoices: int  # invoices closed in the window
    paid_late: int
    avg_days_late: Decimal | None  # unweighted, one place; None without invoices
    avg_days_late_weighted: Decimal | None  # weighted by the invoices' amount in LCY

    @property
    def pct_paid_late(self) -> Decimal | None:
        if not self.invoices:
            return None
        return (Decimal(100 * self.paid_late) / Decimal(self.invoices)).quantize(ONE_PLACE, ROUND_HALF_UP)


def behaviour_text(b: PaymentBehaviour) -> str:
    """One line for the page: how this customer paid in the last 12 months."""
    if not b.invoices:
        return f"No invoices paid in the 12 months to {b.until:%d %b %Y}."
    return (
        f"{b.invoices:,} invoices paid in the 12 months to {b.until:%d %b %Y}; {b.paid_late:,} of them late "
        f"({b.pct_paid_late} %). Average {b.avg_days_late} days late, {b.avg_days_late_weighted} days weighted "
        "by amount (a payment before the due date counts as 0 days late)."
    )


def year_before(day: dt.date) -> dt.date:
    """The same date a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def payment_behaviour(db: Database, customer_no: str, as_of: dt.date) -> PaymentBehaviour:
    """Days late over the invoices closed in the 12 months up to the as-of date; early counts as 0."""
    since = year_before(as_of)
    row = db.one(
        load_sql(__package__, "payment_behaviour"),
        {"customer_no": customer_no, "since": since, "as_of": as_of},
    )
    assert row is not None
    invoices, paid_late, days_sum, weight_sum, weighted_sum = row
    plain = (Decimal(days_sum) / Decimal(invoices)).quantize(ONE_PLACE, ROUND_HALF_UP) if invoices else None
    weighted = (Decimal(weighted_sum) / weight_sum).quantize(ONE_PLACE, ROUND_HALF_UP) if weight_sum else None
    return PaymentBehaviour(since, as_of, int(invoices), int(paid_late), plain, weighted)
