"""How the proposal applies the law's figures (dunning.reminders.law): the half-year a day falls in, and the
bound parameters with which sql/lines.sql computes interest and fixed compensation.

The SQL counts exactly, in integers: amounts in cents, rates in 1/10,000 of a percentage point, and one half-up
rounding to the cent per line after summing its periods; the parameters are given in those units.
tests/interest_oracle.py states the same rules line by line in Python, and the tests compare the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from dunning.reminders import law


def half_year_start(day: dt.date) -> dt.date:
    """The first day of the rate period (half-year) that DAY falls in: 1 January or 1 July."""
    months = law.RATE_PERIOD_MONTHS
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def is_reference_day(day: dt.date) -> bool:
    """Whether a reference rate can take effect on DAY (1 January or 1 July)."""
    return (day.month, day.day) in law.REFERENCE_DAYS


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


# interest method of a level -> statutory scheme (the reference_rates scheme and the law's figures)
SCHEMES = {"eu_statutory": "eu", "de_statutory": "de", "uk_statutory": "uk"}


def scheme_points(scheme: str) -> Decimal:
    """The points the law adds to the scheme's reference rate."""
    return law.DE_STATUTORY_POINTS if scheme == "de" else law.STATUTORY_POINTS


def sql_params() -> dict[str, Any]:
    """The law's figures as sql/lines.sql reads them; read at call time, so a test can change a figure."""
    (below_1, sum_1), (below_2, sum_2) = law.UK_COMPENSATION_BANDS
    return {
        "statutory_points": law.STATUTORY_POINTS,
        "de_points": law.DE_STATUTORY_POINTS,
        "de_compensation_cents": _cents(law.DE_COMPENSATION),
        "days_per_year": law.DAYS_PER_YEAR,
        "period_months": law.RATE_PERIOD_MONTHS,
        "eu_currency": law.SCHEME_CURRENCY["eu"],
        "uk_currency": law.SCHEME_CURRENCY["uk"],
        "eu_compensation_cents": _cents(law.EU_COMPENSATION),
        "uk_band_1_below_cents": _cents(below_1),
        "uk_band_1_cents": _cents(sum_1),
        "uk_band_2_below_cents": _cents(below_2),
        "uk_band_2_cents": _cents(sum_2),
        "uk_top_cents": _cents(law.UK_COMPENSATION_TOP),
    }


def annual_rates(
    reference: Sequence[Any], method: str, contractual: Decimal | None, start: dt.date, end: dt.date
) -> tuple[Decimal, ...]:
    """The annual rates (percent) charged on the days START..END under a level's interest METHOD, in order
    and each once: the contractual rate, or per half-year the scheme's reference rate in force on its first
    day plus the law's points. REFERENCE holds rows with scheme, valid_from and rate (rates.load_rates).
    Empty for 'none' or when no reference rate is known (the draft's note says so)."""
    if method == "contractual":
        return (contractual,) if contractual is not None else ()
    scheme = SCHEMES.get(method)
    if scheme is None or end < start:
        return ()
    found: list[Decimal] = []
    period = half_year_start(start)
    while period <= end:
        known = [r for r in reference if r.scheme == scheme and r.valid_from <= period]
        if known:
            rate = max(known, key=lambda r: r.valid_from).rate + scheme_points(scheme)
            if rate not in found:
                found.append(rate)
        month = period.month + law.RATE_PERIOD_MONTHS
        period = dt.date(period.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return tuple(found)
