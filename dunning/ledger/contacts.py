"""Contact made by hand and agreements with customers: both hold back automatic reminders.

A contact logged within the terms' minimum days between reminders, or an agreement valid on the as-of date,
keeps the proposal from drafting a reminder for the customer (it is skipped with the reason). The customer page
and the command line record both here and list them back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dunning.access import Action, require
from dunning.db import Database
from dunning.errors import BadInput

CHANNELS = ("phone", "email", "letter", "visit", "meeting")


@dataclass(frozen=True)
class ContactNote:
    log_id: int
    contacted_on: dt.date
    channel: str
    note: str
    created_by: str


@dataclass(frozen=True)
class Agreement:
    agreement_id: int
    agreed_on: dt.date
    valid_until: dt.date | None
    note: str
    documents: str  # the documents it covers, empty when it covers the whole customer
    created_by: str

    def active(self, as_of: dt.date) -> bool:
        """Holds reminders back on as_of (the proposal's rule: agreed on or before, valid until or after)."""
        return self.agreed_on <= as_of and (self.valid_until is None or as_of <= self.valid_until)


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
    *,
    today: dt.date | None = None,
) -> int:
    """Record a contact made by hand; returns its log id. The note is required and the date cannot be after
    today (default: the machine's date)."""
    require(db.actor, Action.LOG)
    _check_customer(db, customer_no)
    if channel not in CHANNELS:
        raise BadInput(f"contact channel {channel!r} is unknown; use one of {', '.join(CHANNELS)}")
    text = (note or "").strip()
    if not text:
        raise BadInput(f"contact with {customer_no}: write a note saying what was said or agreed")
    today = today or dt.date.today()
    if contacted_on > today:
        raise BadInput(
            f"contact with {customer_no} on {contacted_on} is in the future; log a contact once it happened"
        )
    with db.transaction() as tx:
        row = tx.one(
            "insert into contact_log (customer_no, contacted_on, channel, note, created_by)"
            " values ($c, $d, $ch, $n, $u) returning log_id",
            {"c": customer_no, "d": contacted_on, "ch": channel, "n": text, "u": created_by or db.actor.name},
        )
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
    require(db.actor, Action.LOG)
    if not (note or "").strip():
        raise BadInput(f"agreement with {customer_no}: say what was agreed in the note")
    if valid_until is None:
        raise BadInput(f"agreement with {customer_no}: give the date it is valid until")
    if valid_until < agreed_on:
        raise BadInput(
            f"agreement with {customer_no}: valid until {valid_until} is before {agreed_on}; pick a later date"
        )
    _check_customer(db, customer_no)
    with db.transaction() as tx:
        row = tx.one(
            "insert into agreements (customer_no, agreed_on, valid_until, note, entry_nos, created_by)"
            " values ($c, $a, $v, $n, $e, $u) returning agreement_id",
            {
                "c": customer_no,
                "a": agreed_on,
                "v": valid_until,
                "n": note.strip(),
                "e": list(entry_nos) if entry_nos is not None else None,
                "u": created_by or db.actor.name,
            },
        )
    assert row is not None
    return int(row[0])


def contact_history(db: Database, customer_no: str) -> list[ContactNote]:
    """The customer's contact log, newest first."""
    rows = db.rows(
        "select log_id, contacted_on, channel, coalesce(note, ''), coalesce(created_by, '') from contact_log"
        " where customer_no = $c order by contacted_on desc, log_id desc",
        {"c": customer_no},
    )
    return [ContactNote(*r) for r in rows]


def agreements(db: Database, customer_no: str) -> list[Agreement]:
    """The customer's agreements, latest agreed first, with the documents of those that name entries."""
    rows = db.rows(
        "select a.agreement_id, a.agreed_on, a.valid_until, a.note,"
        " coalesce((select string_agg(e.document_no, ', ' order by e.document_no) from ledger_entries e"
        "           where list_contains(a.entry_nos, e.entry_no)), ''),"
        " coalesce(a.created_by, '')"
        " from agreements a where a.customer_no = $c order by a.agreed_on desc, a.agreement_id desc",
        {"c": customer_no},
    )
    return [Agreement(*r) for r in rows]
