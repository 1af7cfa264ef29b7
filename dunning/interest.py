"""Interest on overdue amounts: contractual simple interest and the statutory late-payment claims.

All arithmetic is exact: amounts in cents, rates in units of 1/10,000 percent point, integer division with
half-up rounding to the cent per line. The proposal computes the same figures set-based in SQL
(dunning/sql/proposal_lines.sql); tests check that both agree.

Rules as implemented (documented choices where the law leaves room):
- Simple interest per day on a 365-day year: amount x annual rate x days / 365, from the due date to the
  reminder's document date (days overdue).
- EU Directive 2011/7/EU (scheme "eu"): reference rate (ECB main refinancing rate) in force on the first day of
  the half-year in which the debt fell overdue (the day after the due date), plus 8 points, fixed for the whole
  period; plus 40 EUR fixed compensation per invoice. For an invoice in another currency the 40 EUR are
  converted at the invoice's own exchange rate (amount / amount in LCY) when the local currency is EUR; when
  neither the invoice nor the local currency is EUR no compensation is claimed (there is no rate to use).
- UK Late Payment of Commercial Debts Act (scheme "uk"): Bank of England base rate in force on the reference day
  of the half-year plus 8 points, same period rule; fixed sum 40 / 70 / 100 GBP for debts under 1,000 /
  1,000-9,999.99 / 10,000 and more (the debt in GBP). Other currencies: as for the EU scheme, with GBP.
- Fixed compensation applies to invoices only (not to finance charges or earlier reminder fees).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from dunning.money import round_money

STATUTORY_POINTS = Decimal("8")
SCHEME_CURRENCY = {"eu": "EUR", "uk": "GBP"}
UK_TIERS = ((Decimal("1000.00"), Decimal("40.00")), (Decimal("10000.00"), Decimal("70.00")))
UK_TOP = Decimal("100.00")
EU_COMPENSATION = Decimal("40.00")


def simple_interest(amount: Decimal, annual_rate_pct: Decimal, days: int) -> Decimal:
    """amount x rate% x days / 365, rounded half up to the cent (zero for no days or no positive amount)."""
    if days <= 0 or amount <= 0 or annual_rate_pct <= 0:
        return Decimal("0.00")
    cents = int(round_money(amount) * 100)
    rate = int((annual_rate_pct * 10000).to_integral_value())
    den = 365 * 100 * 10000
    return Decimal((cents * rate * days * 2 + den) // (2 * den)) / 100


def half_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 1 if day.month <= 6 else 7, 1)


def reference_rate(rates: Iterable[tuple[dt.date, Decimal]], due_date: dt.date) -> Decimal | None:
    """The rate of the latest row valid on the first day of the half-year in which the debt fell overdue."""
    ref = half_year_start(due_date + dt.timedelta(days=1))
    valid = [(d, r) for d, r in rates if d <= ref]
    return max(valid)[1] if valid else None


def statutory_rate(rates: Iterable[tuple[dt.date, Decimal]], due_date: dt.date) -> Decimal | None:
    base = reference_rate(rates, due_date)
    return None if base is None else base + STATUTORY_POINTS


def compensation_in_scheme_currency(scheme: str, debt: Decimal) -> Decimal:
    """Fixed compensation in EUR (eu) or GBP (uk); debt in the scheme's currency for the UK tiers."""
    if scheme == "eu":
        return EU_COMPENSATION
    for limit, fee in UK_TIERS:
        if debt < limit:
            return fee
    return UK_TOP


def compensation(
    scheme: str, document_type: str, currency: str, lcy: str, amount: Decimal, amount_lcy: Decimal
) -> Decimal:
    """Fixed compensation for one line in the line's currency (see the module's rules)."""
    if document_type != "invoice" or amount <= 0:
        return Decimal("0.00")
    home = SCHEME_CURRENCY[scheme]
    if currency == home:
        return compensation_in_scheme_currency(scheme, amount)
    if lcy == home and amount_lcy > 0:
        fee = compensation_in_scheme_currency(scheme, amount_lcy)
        return round_money(fee * amount / amount_lcy)
    return Decimal("0.00")


def line_interest(
    method: str,
    *,
    amount: Decimal,
    days: int,
    due_date: dt.date,
    contractual_rate: Decimal | None = None,
    rates: Iterable[tuple[dt.date, Decimal]] = (),
    document_type: str = "invoice",
    currency: str = "EUR",
    lcy: str = "EUR",
    amount_lcy: Decimal | None = None,
) -> tuple[Decimal, Decimal]:
    """(interest, fixed compensation) of one overdue line under a level's interest method."""
    zero = Decimal("0.00")
    if method == "none" or days <= 0 or amount <= 0:
        return zero, zero
    if method == "contractual":
        return simple_interest(amount, contractual_rate or zero, days), zero
    scheme = {"eu_statutory": "eu", "uk_statutory": "uk"}[method]
    rate = statutory_rate(rates, due_date)
    interest = zero if rate is None else simple_interest(amount, rate, days)
    comp = compensation(
        scheme, document_type, currency, lcy, amount, amount if amount_lcy is None else amount_lcy
    )
    return interest, comp
