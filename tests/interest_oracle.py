"""The reference oracle of the interest rules: the proposal's SQL (dunning/reminders/sql/lines.sql) computes the
same figures set-based, and the tests compare the two line by line, to the cent. Not shipped: production
imports only dunning.reminders.interest (the half-year, the SQL's parameters) and dunning.reminders.law.

The figures of the law (statutory points, half-years, the fixed sums, the day count) come from
dunning.reminders.law, as they do for the SQL; the notes' texts from dunning.reminders.reasons.

All arithmetic is exact: amounts in cents, rates in units of 1/10,000 percent point, integer division with
half-up rounding to the cent once per line (after summing the periods).

Rules as implemented (documented choices where the law leaves room):
- Simple interest per day on a 365-day year (law.DAYS_PER_YEAR): amount x annual rate x days / 365, from the
  day after the due date to the reminder's document date (days overdue) the first time; once a reminder was
  issued, from the day after the last day it charged (the period from .. to, both inclusive), so that no day
  is charged twice.
- EU: the minimum that Directive 2011/7/EU sets (art. 2(6), 3(2), 6(1)): the reference rate (ECB main
  refinancing rate) in force on 1 January applies to the first half-year and the one in force on 1 July to the
  second, so a debt overdue across half-years accrues each half-year's days at that half-year's rate + 8
  points; plus 40 EUR fixed compensation per invoice. Member states may ask for more, and this is not their
  law (the Netherlands add the interest to the debt yearly, art. 6:119a BW). For an invoice in another
  currency the 40 EUR are converted at the invoice's own exchange rate (amount / amount in LCY) when the local
  currency is EUR; when neither the invoice nor the local currency is EUR no compensation is claimed.
- DE (§ 288(2) and (5) BGB, between businesses): as EU, with the base rate (Basiszinssatz, § 247 BGB; scheme
  'de' in the rate table) + 9 points, and 40 EUR.
- UK Late Payment of Commercial Debts (Interest) Act 1998: the reference rate is the Bank of England base rate
  in force on 31 December / 30 June before the half-year in which the debt became overdue, and it stays fixed
  for the whole debt (s. 6 and the 2002 Order), so all days take that one rate + 8 points. The table's
  row valid on 1 January / 1 July of that half-year is that rate. Fixed sum 40 / 70 / 100 GBP for debts
  under 1,000 / 1,000-9,999.99 / 10,000 and more (the debt in GBP when it fell overdue: the invoice's amount,
  not what remains after a part payment; s. 5A). Other currencies: as for the EU, with GBP.
- The fixed compensation is claimed once per invoice: not again when an issued reminder claimed it.
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
from dunning.reminders.interest import SCHEMES, half_year_start, scheme_points
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


def statutory_rate(
    rates: Iterable[tuple[dt.date, Decimal]], due_date: dt.date, scheme: str = "eu"
) -> Decimal | None:
    base = reference_rate(rates, due_date)
    return None if base is None else base + scheme_points(scheme)


def half_years(due_date: dt.date, as_of: dt.date, first: dt.date | None = None) -> list[tuple[dt.date, int]]:
    """(first day of the half-year, days in it) for the days from FIRST (default: the day after due_date) up to
    as_of, both inclusive."""
    periods = []
    day = first or due_date + dt.timedelta(days=1)
    while day <= as_of:
        start = half_year_start(day)
        months = start.month - 1 + law.RATE_PERIOD_MONTHS
        nxt = dt.date(start.year + months // 12, months % 12 + 1, 1)
        end = min(nxt, as_of + dt.timedelta(days=1))
        periods.append((start, (end - day).days))
        day = end
    return periods


def statutory_periods(
    scheme: str, due_date: dt.date, as_of: dt.date, first: dt.date | None = None
) -> list[tuple[dt.date, int]]:
    """EU, DE: each half-year with its days from FIRST (default: the day after the due date) to as_of; UK: the
    half-year the debt fell overdue in, with all those days."""
    first = first or due_date + dt.timedelta(days=1)
    periods = half_years(due_date, as_of, first)
    if scheme == "uk" and periods:
        return [(half_year_start(due_date + dt.timedelta(days=1)), (as_of - first).days + 1)]
    return periods


def statutory_interest(
    scheme: str,
    amount: Decimal,
    due_date: dt.date,
    as_of: dt.date,
    rates: Iterable[tuple[dt.date, Decimal]],
    first: dt.date | None = None,
) -> Decimal:
    """Sum over the periods of amount x (rate + points)% x days / 365, rounded half up once (no rate: no days)."""
    if amount <= 0:
        return Decimal("0.00")
    rates = list(rates)
    cents = int(round_money(amount) * 100)
    num = 0
    for start, days in statutory_periods(scheme, due_date, as_of, first):
        base = rate_on(rates, start)
        if base is not None:
            num += cents * int(((base + scheme_points(scheme)) * 10000).to_integral_value()) * days
    den = law.DAYS_PER_YEAR * 100 * 10000
    return Decimal((num * 2 + den) // (2 * den)) / 100


def rate_notes(
    scheme: str,
    due_date: dt.date,
    as_of: dt.date,
    rates: Iterable[tuple[dt.date, Decimal]],
    first: dt.date | None = None,
) -> list[str]:
    """What the draft must say about half-years without a reference rate row (as the SQL writes it)."""
    rates = sorted(rates)
    notes = []
    for start, _ in statutory_periods(scheme, due_date, as_of, first):
        where = {"scheme": scheme.upper(), "start": start.isoformat()}
        known = [(d, r) for d, r in rates if d <= start]
        if not known:
            notes.append(TEXTS["rate_missing"](**where))
        elif start > rates[-1][0]:
            d, r = known[-1]
            notes.append(TEXTS["rate_assumed"](**where, valid_from=d.isoformat(), rate=f"{r:.4f}"))
    return notes


def compensation_in_scheme_currency(scheme: str, debt: Decimal) -> Decimal:
    """Fixed compensation in EUR (eu, de) or GBP (uk); debt in the scheme's currency for the UK tiers."""
    if scheme == "eu":
        return law.EU_COMPENSATION
    if scheme == "de":
        return law.DE_COMPENSATION
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
    original: Decimal | None = None,
    original_lcy: Decimal | None = None,
    first: dt.date | None = None,
    comp_claimed: bool = False,
) -> tuple[Decimal, Decimal]:
    """(interest, fixed compensation) of one overdue line under a level's interest method.

    amount: the open principal (the interest base); days: days overdue on the document date; first: the first
    day not yet charged (default: the day after the due date); original(_lcy): the invoice's amount when it
    fell overdue (default: amount), for the UK band and the exchange rate; comp_claimed: an issued reminder
    already claimed the fixed sum for this invoice.
    """
    zero = Decimal("0.00")
    as_of = due_date + dt.timedelta(days=days)
    first = first or due_date + dt.timedelta(days=1)
    charged_days = (as_of - first).days + 1
    if method == "none" or days <= 0 or amount <= 0:
        return zero, zero
    if document_type in ("reminder", "finance_charge"):
        interest = zero
    elif method == "contractual":
        return simple_interest(amount, contractual_rate or zero, charged_days), zero
    else:
        interest = statutory_interest(SCHEMES[method], amount, due_date, as_of, rates, first)
    if method == "contractual" or comp_claimed:
        return interest, zero
    orig = amount if original is None else original
    orig_lcy = (orig if amount_lcy is None else amount_lcy) if original_lcy is None else original_lcy
    return interest, compensation(SCHEMES[method], document_type, currency, lcy, orig, orig_lcy)
