"""Business days and public holidays per country, from the `holidays` package (its one owner here).

A day is a business day in a country when it is neither a weekend day there (Saturday and Sunday in most
countries; the package knows the others) nor a public holiday. A country the package does not know has
weekends only; `known()` says whether it is known, so that a run can say so.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

WEEKEND = frozenset({5, 6})  # Saturday, Sunday: a country the package does not know


@lru_cache(maxsize=512)
def _country(code: str, year: int) -> holidays.HolidayBase | None:
    try:
        return holidays.country_holidays(code.upper(), years=year)
    except NotImplementedError:  # not a country the package knows
        return None


def known(country: str | None) -> bool:
    """Whether the package knows the public holidays of COUNTRY (ISO 3166 alpha-2)."""
    return bool(country and country.strip()) and _country(str(country).strip(), 2000) is not None


def holiday(country: str | None, day: dt.date) -> str | None:
    """The name of the public holiday on DAY in COUNTRY, or None (also for an unknown or empty country)."""
    if not country or not country.strip():
        return None
    found = _country(country.strip(), day.year)
    if found is None:
        return None
    name = found.get(day)
    return None if name is None else str(name)


def weekend(country: str | None, day: dt.date) -> bool:
    """Whether DAY is a weekend day in COUNTRY (Saturday and Sunday where the country is unknown)."""
    found = _country(country.strip(), day.year) if country and country.strip() else None
    days = WEEKEND if found is None else frozenset(found.weekend)
    return day.weekday() in days


def not_business_day(country: str | None, day: dt.date) -> str | None:
    """Why DAY is no business day in COUNTRY ('Saturday', 'Christmas Day (NL)'), or None when it is one."""
    if weekend(country, day):
        return day.strftime("%A")
    name = holiday(country, day)
    return None if name is None else f"{name} ({country.strip().upper()})" if country else name
