"""The dates the overview can be drawn as of: from the ledger's first posting date to a year after today.

Before the first posting nothing was open; more than a year ahead is a typing mistake. A date given as text
(the overview's `?as_of=YYYY-MM-DD` link) is read here, and a date outside the range is refused with a
sentence that says which dates are possible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dunning.db import Database


def year_after(day: dt.date) -> dt.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@dataclass(frozen=True)
class AsOfRange:
    first: dt.date
    last: dt.date

    def problem(self, day: dt.date) -> str | None:
        """Why DAY cannot be the as-of date, or None when it can."""
        if day < self.first:
            return (
                f"{day.isoformat()} is before the ledger's first posting date, {self.first.isoformat()}: "
                f"pick a date from {self.first.isoformat()} to {self.last.isoformat()}"
            )
        if day > self.last:
            return (
                f"{day.isoformat()} is more than a year ahead: pick a date from {self.first.isoformat()} to "
                f"{self.last.isoformat()}"
            )
        return None

    def parse(self, text: str) -> tuple[dt.date | None, str | None]:
        """A date written YYYY-MM-DD inside the range, or None and what is wrong with it."""
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            return None, f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. {self.last.year - 1}-06-30"
        problem = self.problem(day)
        return (None, problem) if problem else (day, None)


def as_of_range(db: Database, today: dt.date) -> AsOfRange:
    """From the first posting date in the ledger (today when it is empty or starts later) to a year after
    today."""
    first = db.scalar("select min(posting_date) from ledger_entries")
    return AsOfRange(min(first, today) if first is not None else today, year_after(today))
