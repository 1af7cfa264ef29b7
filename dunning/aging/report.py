"""Aging of open receivables by days past due, in configurable buckets.

Debit entries (invoices, finance charges) are placed in buckets by days past their due date on the as-of
date; open credits (credit memos, unapplied payments) are reported beside them, so that the buckets plus the
credits reconcile to the net open amount to the cent.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dunning.db import Database, bound, load_sql
from dunning.money import fmt_plain

# Fixed SQL fragments of the filter, joined as needed: a restriction that is not asked for costs nothing
# (DuckDB would otherwise evaluate, for example, the customer semi-join even when no filter names customers).
_FRAGMENTS = {
    "currencies": "list_contains($currencies, o.currency)",
    "held": "coalesce(o.on_hold, '') = '' and coalesce(o.dispute_status, '') = ''",
    "customers": (
        "o.customer_no in (select c.customer_no from customers c"
        " where ($countries is null or list_contains($countries, c.country))"
        " and customer_matches(c.customer_no, c.name, $customer_search))"
    ),
}


@dataclass(frozen=True)
class AgingFilter:
    """What every element of the overview follows. None means no restriction."""

    currencies: tuple[str, ...] | None = None
    countries: tuple[str, ...] | None = None
    customer_search: str | None = None
    include_held: bool = True  # include entries on hold or in dispute

    def params(self) -> dict[str, Any]:
        return {
            "currencies": list(self.currencies) if self.currencies else None,
            "countries": list(self.countries) if self.countries else None,
            "customer_search": (self.customer_search or "").strip() or None,
            "include_held": self.include_held,
        }

    def where(self) -> tuple[str, dict[str, Any]]:
        """SQL condition on open entries aliased `o`, built from fixed fragments, and its bound parameters."""
        p = self.params()
        parts, values = ["true"], {}
        if p["currencies"]:
            parts.append(_FRAGMENTS["currencies"])
            values["currencies"] = p["currencies"]
        if not self.include_held:
            parts.append(_FRAGMENTS["held"])
        if p["countries"] or p["customer_search"]:
            parts.append(_FRAGMENTS["customers"])
            values |= {"countries": p["countries"], "customer_search": p["customer_search"]}
        return " and ".join(parts), values


_SOURCES = {
    "open": "open_entries($as_of::date)",  # entries open on the as-of date, with open_amount(_lcy), days_overdue
    "ledger": "ledger_entries",  # every entry, open or closed (for history: sales, trends)
}


def with_filtered(
    sql: str, as_of: dt.date, flt: AgingFilter, *, source: str = "open", **params: Any
) -> tuple[str, dict[str, Any]]:
    """Prefix a query with the CTE `filtered`: the open entries as of a date (or, with source="ledger", all
    ledger entries) that pass the filter. Every query of the overview reads its rows through this one place.

    The query reads `filtered` (columns of open_entries); a leading WITH of its own is merged. Returns the
    SQL and the parameters it names (DuckDB refuses parameters that a query does not use).
    """
    condition, filter_params = flt.where()
    cte = f"with filtered as (select o.* from {_SOURCES[source]} o where {condition})"  # noqa: S608
    body = re.sub(r"\A(\s*--[^\n]*\n)*\s*", "", sql)  # leading comments
    body = ",\n" + body[4:] if body[:5].lower() == "with " else "\n" + body
    text = cte + body
    return text, bound(text, {"as_of": as_of, **filter_params, **params})


@dataclass(frozen=True)
class Bucket:
    position: int
    label: str
    min_days: int | None  # None: no lower bound
    max_days: int | None  # None: no upper bound
    severity: str
    alert_amount_lcy: Decimal | None
    count: int
    amount_lcy: Decimal

    def describe(self) -> str:
        """The bucket's range in words, e.g. '8 to 14 days past due'."""
        if not self.is_overdue:
            return "within terms (not yet due)"
        if self.max_days is None:
            return f"{self.min_days} or more days past due"
        return f"{self.min_days} to {self.max_days} days past due"

    @property
    def is_overdue(self) -> bool:
        return self.min_days is not None and self.min_days >= 1


@dataclass(frozen=True)
class AgingReport:
    as_of: dt.date
    lcy: str
    buckets: tuple[Bucket, ...]
    credits_count: int
    credits_amount_lcy: Decimal
    filter: AgingFilter = field(default_factory=AgingFilter)

    @property
    def open_count(self) -> int:
        return sum(b.count for b in self.buckets) + self.credits_count

    @property
    def open_amount_lcy(self) -> Decimal:
        return sum((b.amount_lcy for b in self.buckets), Decimal("0.00")) + self.credits_amount_lcy

    @property
    def overdue_amount_lcy(self) -> Decimal:
        return sum((b.amount_lcy for b in self.buckets if b.is_overdue), Decimal("0.00"))

    @property
    def overdue_count(self) -> int:
        return sum(b.count for b in self.buckets if b.is_overdue)

    def to_json(self) -> dict[str, Any]:
        """The command line's stable contract (`dunning aging --json`)."""
        return {
            "as_of": self.as_of.isoformat(),
            "lcy": self.lcy,
            "open_count": self.open_count,
            "open_amount_lcy": fmt_plain(self.open_amount_lcy),
            "overdue_count": self.overdue_count,
            "overdue_amount_lcy": fmt_plain(self.overdue_amount_lcy),
            "buckets": [
                {
                    "label": b.label,
                    "min_days": b.min_days,
                    "max_days": b.max_days,
                    "count": b.count,
                    "amount_lcy": fmt_plain(b.amount_lcy),
                }
                for b in self.buckets
            ],
            "credits": {"count": self.credits_count, "amount_lcy": fmt_plain(self.credits_amount_lcy)},
        }


def aging(db: Database, as_of: dt.date, flt: AgingFilter | None = None) -> AgingReport:
    """Age the open entries as of a date; buckets come from the aging_buckets table."""
    flt = flt or AgingFilter()
    rows = db.rows(*with_filtered(load_sql(__package__, "report"), as_of, flt))
    buckets = tuple(
        Bucket(
            position=r[0],
            label=r[1],
            min_days=r[2],
            max_days=r[3],
            severity=r[4],
            alert_amount_lcy=r[5],
            count=int(r[6]),
            amount_lcy=r[7],
        )
        for r in rows
        if r[0] >= 0
    )
    credits = next(r for r in rows if r[0] == -1)
    return AgingReport(
        as_of=as_of,
        lcy=db.lcy(),
        buckets=buckets,
        credits_count=int(credits[6]),
        credits_amount_lcy=credits[7],
        filter=flt,
    )
