"""The statutory reference rates the user keeps current: ECB main refinancing rate (EU Directive 2011/7/EU),
Deutsche Bundesbank base rate (Basiszinssatz, § 247 BGB, for German statutory interest) and Bank of England
base rate (UK late payment scheme), one row per half-year.

The proposal adds the statutory points to the rate valid on 1 January or 1 July of each half-year (EU, DE) or
of the half-year a debt fell overdue (UK); the figures and their sources are in dunning.reminders.law. Rows are
edited as a table on the Reminder terms page: parsed and checked here, every problem reported at once, and
saved only as a whole, replacing the table in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from dunning.access import Action, require
from dunning.db import Database
from dunning.errors import BadInput
from dunning.reminders.interest import half_year_start, is_reference_day

SCHEMES = {"eu": "EU", "de": "DE", "uk": "UK"}
OPTIONAL_SCHEMES = ("de",)  # only terms that choose German interest need it: no warning when it has no rows
_SCHEME_CHOICE = ", ".join(list(SCHEMES)[:-1]) + " or " + list(SCHEMES)[-1]
MIN_RATE, MAX_RATE = Decimal("-5"), Decimal("30")


@dataclass(frozen=True)
class Rate:
    scheme: str
    valid_from: dt.date
    rate: Decimal  # annual percent, before the statutory points added by law (law.STATUTORY_POINTS)


def load_rates(db: Database) -> list[Rate]:
    rows = db.rows("select scheme, valid_from, rate from reference_rates order by valid_from desc, scheme")
    return [Rate(*r) for r in rows]


def rate_text(rate: Decimal) -> str:
    """2.1500 -> '2.15', 4.0000 -> '4.00', 3.1250 -> '3.125'."""
    text = f"{rate.normalize():f}"
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def _date(value: Any) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def from_records(records: Iterable[Mapping[str, Any]]) -> tuple[list[Rate], list[str]]:
    """Rows of the editor -> rates, with every problem as a message naming the row (1-based)."""
    rates: list[Rate] = []
    problems: list[str] = []
    for n, rec in enumerate(records, start=1):
        scheme = str(rec.get("scheme") or "").strip().lower()
        raw_day, raw_rate = rec.get("valid_from"), rec.get("rate")
        day = _date(raw_day)
        text = (
            "" if raw_rate is None or (not isinstance(raw_rate, str) and pd.isna(raw_rate)) else str(raw_rate)
        )
        try:
            rate: Decimal | None = Decimal(text.strip().replace(",", ".")) if text.strip() else None
        except InvalidOperation:
            rate = None
        here, before = f"row {n}", len(problems)
        if scheme not in SCHEMES:
            problems.append(f"{here}: scheme must be {_SCHEME_CHOICE}")
        if day is None:
            problems.append(f"{here}: give the date the rate is valid from (YYYY-MM-DD)")
        elif not is_reference_day(day):
            problems.append(
                f"{here}: valid from {day} must be 1 January or 1 July (rates change per half-year)"
            )
        if rate is None:
            problems.append(
                f"{here}: give the rate in percent, e.g. 2.15" + (f" (not {text!r})" if text else "")
            )
        elif not rate.is_finite() or not (MIN_RATE <= rate <= MAX_RATE):
            problems.append(f"{here}: rate {text} % is not between {MIN_RATE} and {MAX_RATE}")
        if len(problems) == before and day is not None and rate is not None:
            rates.append(Rate(scheme, day, rate))
    problems.extend(_duplicates(rates))
    return rates, problems


def _duplicates(rates: Sequence[Rate]) -> list[str]:
    seen: set[tuple[str, dt.date]] = set()
    problems = []
    for r in rates:
        if (r.scheme, r.valid_from) in seen:
            problems.append(f"{SCHEMES[r.scheme]} rate from {r.valid_from} is listed twice; keep one")
        seen.add((r.scheme, r.valid_from))
    return problems


def validate(rates: Sequence[Rate]) -> list[str]:
    problems = []
    for r in rates:
        name = f"{SCHEMES.get(r.scheme, r.scheme)} rate from {r.valid_from}"
        if r.scheme not in SCHEMES:
            problems.append(f"{name}: scheme must be {_SCHEME_CHOICE}")
        if not is_reference_day(r.valid_from):
            problems.append(f"{name}: valid from must be 1 January or 1 July")
        if not r.rate.is_finite() or not (MIN_RATE <= r.rate <= MAX_RATE):
            problems.append(f"{name}: rate {r.rate} % is not between {MIN_RATE} and {MAX_RATE}")
    return problems + _duplicates(rates)


def save_rates(db: Database, rates: Sequence[Rate]) -> None:
    """Check, then replace the whole table in one transaction; nothing changes when a rate is wrong."""
    require(db.actor, Action.SETTINGS)
    problems = validate(rates)
    if problems:
        raise BadInput("the reference rates were not saved:\n" + "\n".join(f"  - {m}" for m in problems))
    with db.transaction(audit=(Action.SETTINGS, f"reference rates: {len(rates)}")) as tx:
        tx.execute("delete from reference_rates")
        for r in rates:
            tx.execute(
                "insert into reference_rates (scheme, valid_from, rate) values ($s, $d, $r)",
                {"s": r.scheme, "d": r.valid_from, "r": r.rate},
            )


def missing_rates(rates: Sequence[Rate], today: dt.date) -> list[str]:
    """A warning per scheme whose latest rate is older than the current half-year."""
    current = half_year_start(today)
    warnings = []
    for scheme, name in SCHEMES.items():
        days = [r.valid_from for r in rates if r.scheme == scheme]
        if not days and scheme in OPTIONAL_SCHEMES:
            continue
        if not days:
            warnings.append(f"No {name} reference rate at all: statutory interest cannot be computed")
        elif max(days) < current:
            warnings.append(
                f"{name} reference rate for {current} missing: statutory interest uses the last known rate"
                f" (from {max(days)})"
            )
    return warnings
