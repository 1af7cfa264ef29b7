"""Contact made by hand and agreements with customers: both hold back automatic reminders.

A contact logged within the terms' minimum days between reminders, or an agreement valid on the as-of date,
keeps the proposal from drafting a reminder for the customer (it is skipped with the reason).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dunning.db import Database
from dunning.errors import BadInput

CHANNELS = ("phone", "email", "letter", "visit", "other")


def _check_customer(db: Database, customer_no: str) -> None:
    if not db.scalar("select count(*) from customers where customer_no = $c", {"c": customer_no}):
        raise BadInput(f"customer {customer_no!r} does not exist; check the customer number")


def log_contact(
    db: Database,
    customer_no: str,
    contacted_on: dt.date,
    channel: str = "phone",
    note: str | None = None,
    created_by: str | None = None,
) -> int:
    """Record a contact made by hand; returns its log id."""
    if channel not in CHANNELS:
        raise BadInput(f"contact channel {channel!r} is unknown; use one of {', '.join(CHANNELS)}")
    _check_customer(db, customer_no)
    with db.transaction() as tx:
        row = tx.execute(
            "insert into contact_log (customer_no, contacted_on, channel, note, created_by)"
            " values ($c, $d, $ch, $n, $u) returning log_id",
            {"c": customer_no, "d": contacted_on, "ch": channel, "n": note, "u": created_by},
        ).fetchone()
    assert row is not None
    return int(row[0])


def add_agreement(
    db: Database,
    customer_no: str,
    agreed_on: dt.date,
    valid_until: dt.date,
    note: str,
    entry_nos: Sequence[int] | None = None,
    created_by: str | None = None,
) -> int:
    """Record an agreement (payment plan, settlement); no reminder before valid_until for the customer, or
    only for the entries named."""
    if not note.strip():
        raise BadInput(f"agreement with {customer_no}: say what was agreed in the note")
    if valid_until < agreed_on:
        raise BadInput(f"agreement with {customer_no}: valid until {valid_until} is before {agreed_on}")
    _check_customer(db, customer_no)
    with db.transaction() as tx:
        row = tx.execute(
            "insert into agreements (customer_no, agreed_on, valid_until, note, entry_nos, created_by)"
            " values ($c, $a, $v, $n, $e, $u) returning agreement_id",
            {
                "c": customer_no,
                "a": agreed_on,
                "v": valid_until,
                "n": note.strip(),
                "e": list(entry_nos) if entry_nos is not None else None,
                "u": created_by,
            },
        ).fetchone()
    assert row is not None
    return int(row[0])
