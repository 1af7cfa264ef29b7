"""A database for the scheduled-run tests: the sample's company (Rotterdam, NL), a sending window of 08:00-18:00
in Europe/Amsterdam, terms AUTO (the default terms, sent without review) and five customers with one invoice
each, overdue since 1 March 2026:

    A  terms AUTO                       sent automatically
    B  the default terms                left for review
    C  the default terms, own switch on sent automatically
    D  terms AUTO, own switch off       left for review
    E  terms AUTO, in Germany           sent automatically, except on a German public holiday
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

from dunning.db import Database
from dunning.jobs.schedule import set_customer_auto_send, set_schedule, set_terms_auto_send
from dunning.reminders.terms import load_terms, save_terms
from dunning.sample.company import write_company
from tests.ledger import add_entry, add_reachable_customer

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONDAY = dt.date(2026, 11, 30)  # a business day in the Netherlands
DUE = dt.date(2026, 3, 1)
CUSTOMERS = ("A", "B", "C", "D", "E")
AUTO = {"A", "C", "E"}


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """DAY at HOUR:MINUTE in Amsterdam, as an aware datetime (the clock a test passes as now=)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


def setup_runs(db: Database, due: dt.date = DUE) -> None:
    write_company(db)
    set_schedule(db, time_zone="Europe/Amsterdam", window_start="08:00", window_end="18:00")
    save_terms(db, replace(load_terms(db, "DEFAULT"), code="AUTO", is_default=False))
    set_terms_auto_send(db, "AUTO", True)
    add_reachable_customer(db, "A", terms="AUTO")
    add_reachable_customer(db, "B")
    add_reachable_customer(db, "C")
    set_customer_auto_send(db, "C", True)
    add_reachable_customer(db, "D", terms="AUTO")
    set_customer_auto_send(db, "D", False)
    add_reachable_customer(db, "E", terms="AUTO", country="DE")
    for no in CUSTOMERS:
        add_entry(db, no, due=due, amount="500.00", document_no=f"INV-{no}")
