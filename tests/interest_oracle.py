"""The reference oracle of the interest rules: the proposal's SQL (dunning/reminders/sql/lines.sql) computes the
same figures set-based, and the tests compare the two line by line, to the cent. Not shipped: production
imports only dunning.reminders.interest (the half-year, the SQL's parameters) and dunning.reminders.law.

The figures of the law (statutory points, half-years, the fixed sums, the day count) come from
dunning.reminders.law, as they do for the SQL; the notes' texts from dunning.reminders.reasons.

All arithmetic is exact: amounts in cents, rates in units of 1/10,000 percent point, integer division with
half-up rounding to the cent once per line (after summing the periods).

Rules as implemented (documented choices where the law leaves room):
- Simple interest per day on a 365-day year (law.DAYS_PER_YEAR): amount x annual rate x days / 365, from the
  day after the due date to the reminder's document date (days overdue).
- EU: the minimum that Directive 2011/7/EU sets (art. 2(6), 3(2), 6(1)): the reference rate (ECB main
  refinancing rate) in force on 1 January applies to the first half-year and the one in force on 1 July to the
  second, so a debt overdue across half-years accrues each half-year's days at that half-year's rate + 8
  points; plus 40 EUR fixed compensation per invoice. Member states may ask for more, and this is not their
  law: Germany charges the base rate + 9 points between businesses (§ 288(2) BGB), the Netherlands add the
  interest to the debt yearly (art. 6:119a BW). For an invoice in another currency the 40 EUR are converted
  at the invoice's own exchange rate (amount / amount in LCY) when the local currency is EUR; when neither the
  invoice nor the local currency is EUR no compensation is claimed (there is no rate to use).
- UK Late Payment of Commercial Debts (Interest) Act 1998: the reference rate is the Bank of England base rate
  in force on 31 December / 30 June before the half-year in which the debt became overdue, and it stays fixed
  for the whole debt (s. 6 and the 2002 Order), so all days take that one rate + 8 points. The table's
  row valid on 1 January / 1 July of that half-year is that rate. Fixed sum 40 / 70 / 100 GBP for debts
  under 1,000 / 1,000-9,999.99 / 10,000 and more (the debt in GBP; s. 5A). Other currencies: as for the EU,
  with GBP.
- A half-year with no rate row: before the table's first row no interest is claimed for its days; after the
  table's last row the last known rate is used. Either way rate_notes() says so (the draft shows it).
- Fixed compensation applies to invoices only (not to finance charges or earlier reminder fees).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from dunning.money import round_money
from dunning.reminders import law
from dunning.reminders.interest import half_year_start
from dunning.reminders.reasons import TEXTS


def simple_interest(amount: Decimal, annual_rate_pct: Decimal, days: int) -> Decimal:
    """amount x rate% x days / 365, rounded half up to the cent (zero for no days or no positive amount)."""
    if days <= 0 or amount <= 0 or annual_rate_pct <= 0:
        return Decimal("0.00")
    cents = int(round_money(amount) * 100)
    rate = int((annual_rate_pct * 10000).to_integral_value())
    den = law.DAYS_PER_YEAR * 100 * 10000
    return Decimal((cents * rate * days * 2 + den) // (2 * den)) / 100


def reference_rate(rates: Iterable[tuple[dt.date, Decimal]], due_date: dt.date) -> Decimal | None:
    """The rate of the latest row valid on the first day of the half-year in which the debt fell overdue."""
    return rate_on(rates, half_year_start(due_date + dt.timedelta(days=1)))


def rate_on(rates: Iterable[tuple[dt.date, Decimal]], day: dt.date) -> Decimal | None:
    valid = [(d, r) for d, r in rates if d <= day]
    return max(valid)[1] if valid else None


def statutory_rate(rates: Iterable[tuple[dt.date, Decimal]], due_date: dt.date) -> Decimal | None:
    base = reference_rate(rates, due_date)
    return None if base is None else base + law.STATUTORY_POINTS


def half_years(due_date: dt.date, as_of: dt.date) -> list[tuple[dt.date, int]]:
    """(first day of the half-year, days overdue in it) for the days after due_date up to as_of."""
    periods = []
    day = due_date + dt.timedelta(days=1)
    while day <= as_of:
        start = half_year_start(day)
        months = start.month - 1 + law.RATE_PERIOD_MONTHS
        nxt = dt.date(start.year + months // 12, months % 12 + 1, 1)
        end = min(nxt, as_of + dt.timedelta(days=1))
        periods.append((start, (end - day).days))
        day = end
    return periods


def statutory_periods(scheme: str, due_date: dt.date, as_of: dt.date) -> list[tuple[dt.date, int]]:
    """EU: each half-year with its days; UK: the half-year the debt fell overdue in, with all the days."""
    periods = half_years(due_date, as_of)
    if scheme == "uk" and periods:
        return [(periods[0][0], (as_of - due_date).days)]
    return periods


def statutory_interest(
    scheme: str, amount: Decimal, due_date: dt.date, as_of: dt.date, rates: Iterable[tuple[dt.date, Decimal]]
) -> Decimal:
    """Sum over the periods of amount x (rate + 8)% x days / 365, rounded half up once (no rate: no days)."""
    if amount <= 0:
        return Decimal("0.00")
    rates = list(rates)
    cents = int(round_money(amount) * 100)
    num = 0
    for start, days in statutory_periods(scheme, due_date, as_of):
        base = rate_on(rates, start)
        if base is not None:
            num += cents * int(((base + law.STATUTORY_POINTS) * 10000).to_integral_value()) * days
    den = law.DAYS_PER_YEAR * 100 * 10000
    return Decimal((num * 2 + den) // (2 * den)) / 100


def rate_notes(
    scheme: str, due_date: dt.date, as_of: dt.date, rates: Iterable[tuple[dt.date, Decimal]]
) -> list[str]:
    """What the draft must say about half-years without a reference rate row (as the SQL writes it)."""
    rates = sorted(rates)
    notes = []
    for start, _ in statutory_periods(scheme, due_date, as_of):
        where = {"scheme": scheme.upper(), "start": start.isoformat()}
        known = [(d, r) for d, r in rates if d <= start]
        if not known:
            notes.append(TEXTS["rate_missing"](**where))
        elif start > rates[-1][0]:
            d, r = known[-1]
            notes.append(TEXTS["rate_assumed"](**where, valid_from=d.isoformat(), rate=f"{r:.4f}"))
    return notes


def compensation_in_scheme_currency(scheme: str, debt: Decimal) -> Decimal:
    """Fixed compensation in EUR (eu) or GBP (uk); debt in the scheme's currency for the UK tiers."""
    if scheme == "eu":
        return law.EU_COMPENSATION
    for limit, fee in law.UK_COMPENSATION_BANDS:
        if debt < limit:
            return fee
    return law.UK_COMPENSATION_TOP


def compensation(
    scheme: str, document_type: str, currency: str, lcy: str, amount: Decimal, amount_lcy: Decimal
) -> Decimal:
    """Fixed compensation for one line in the line's currency (see the module's rules)."""
    if document_type != "invoice" or amount <= 0:
        return Decimal("0.00")
    home = law.SCHEME_CURRENCY[scheme]
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
    interest = statutory_interest(scheme, amount, due_date, due_date + dt.timedelta(days=days), rates)
    comp = compensation(
        scheme, document_type, currency, lcy, amount, amount if amount_lcy is None else amount_lcy
    )
    return interest, comp
