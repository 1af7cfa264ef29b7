"""Issued reminders: the history the proposal reads back, and the two actions that change it.

An issued reminder's lines are the history (the view issued_lines, migration 006): per entry the level it was
reminded at, the reminder's date and payment deadline, the fee charged on the line, the interest period charged
(interest_from .. interest_to, both inclusive) and the fixed compensation claimed. The proposal derives from
it, per entry, the last level (the higher of the ERP's imported level and the highest issued here), when the
next level is due (after the last reminder's deadline), the first day not yet charged with interest, and
whether the compensation was claimed. Nothing is copied onto the ledger entries, so that:

- issue() marks reminders sent; issue_in() does the same inside a transaction the caller holds (sending
  records the server's acceptance, the archived message and the history in one transaction);
- cancel() is Business Central's "Cancel issued reminder": one row, the header's status, changes, and the
  entries' levels, charged days and compensation fall back to what the other issued reminders say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dunning.access import Action, require
from dunning.db import Database
from dunning.db.database import Session
from dunning.errors import BadInput

ISSUABLE = ("draft", "approved", "sending", "unknown")  # sending/unknown: the server accepted the message


def issue(db: Database, reminder_ids: Iterable[int], on: dt.date, by: str | None = None) -> int:
    """Mark the reminders issued (sent) on ON, in one transaction; returns how many.

    Each line keeps what it charged: its level, fee, interest with the period charged, compensation; a line
    that charged no interest records no period (those days can still be charged later). Refuses, naming them,
    reminders that do not exist, are not a draft or approved (or being sent, or sent with a fate a person
    found out), or are dated after ON.
    """
    require(db.actor, Action.SEND)
    ids = sorted({int(i) for i in reminder_ids})
    if not ids:
        return 0
    with db.transaction() as tx:
        return issue_in(tx, ids, on, by or db.actor.name)


def issue_in(tx: Session, reminder_ids: Iterable[int], on: dt.date, by: str | None = None) -> int:
    """issue() inside the caller's transaction TX: nothing is committed or rolled back here."""
    ids = sorted({int(i) for i in reminder_ids})
    if not ids:
        return 0
    found = {
        r[0]: (r[1], r[2])
        for r in tx.rows(
            "select reminder_id, status, document_date from reminder_headers"
            " where list_contains($ids, reminder_id)",
            {"ids": ids},
        )
    }
    problems = [f"reminder {i} does not exist" for i in ids if i not in found]
    problems += [
        f"reminder {i} is {status}; only a draft or an approved reminder can be issued"
        for i, (status, _) in found.items()
        if status not in ISSUABLE
    ]
    problems += [
        f"reminder {i} is dated {day}, after {on}; issue it on or after its date"
        for i, (_, day) in found.items()
        if day > on
    ]
    if problems:
        raise BadInput("nothing was issued: " + "; ".join(sorted(problems)))
    tx.execute(
        "update reminder_lines set interest_from = null, interest_to = null"
        " where list_contains($ids, reminder_id) and interest = 0",
        {"ids": ids},
    )
    tx.execute(
        "update reminder_headers set status = 'sent', sent_at = coalesce(sent_at, $on::timestamp),"
        " sent_by = coalesce($by, sent_by), reminder_no = coalesce(reminder_no, 'R' || lpad(reminder_id::varchar, 7, '0'))"
        " where list_contains($ids, reminder_id)",
        {"ids": ids, "on": on, "by": by},
    )
    return len(ids)


def cancel(db: Database, reminder_id: int, by: str | None = None) -> None:
    """Cancel an issued reminder: it no longer counts for levels, deadlines, interest or compensation.

    Refused while a reminder issued after it holds one of its entries: cancel the newest first."""
    require(db.actor, Action.CANCEL)
    by = by or db.actor.name
    with db.transaction() as tx:
        status = tx.scalar("select status from reminder_headers where reminder_id = $r", {"r": reminder_id})
        if status is None:
            raise BadInput(f"reminder {reminder_id} does not exist; check the number")
        if status != "sent":
            raise BadInput(
                f"reminder {reminder_id} is {status}, not issued; only an issued (sent) reminder can be cancelled"
            )
        # The newest first, as in Business Central: a later reminder of the same entry charged interest from
        # the day after this one's last day and took its level as given; cancelling this one under it would
        # lose those days for good and claim the compensation twice.
        later = tx.one(
            "select b.reminder_id, l.document_no from reminder_lines l"
            " join reminder_headers a on a.reminder_id = l.reminder_id"
            " join issued_lines b on b.entry_no = l.entry_no and b.reminder_id <> l.reminder_id"
            " where l.reminder_id = $r and l.kind = 'overdue'"
            "   and (b.issued_on > a.document_date or (b.issued_on = a.document_date and b.reminder_id > $r))"
            " order by b.issued_on desc, b.reminder_id desc limit 1",
            {"r": reminder_id},
        )
        if later is not None:
            raise BadInput(
                f"reminder {reminder_id} cannot be cancelled while reminder {later[0]}, issued after it, also"
                f" reminds {later[1]}; cancel reminder {later[0]} first (the newest first)"
            )
        tx.execute(
            "update reminder_headers set status = 'cancelled', cancelled_at = current_timestamp,"
            " cancelled_by = $by where reminder_id = $r",
            {"r": reminder_id, "by": by},
        )


def history(db: Database, entry_no: int) -> list[dict[str, object]]:
    """The issued lines of one entry, oldest first: level, date, deadline, fee, interest period, compensation."""
    return db.records(
        "select reminder_id, level_no, issued_on, payment_deadline, fee, interest, interest_from, interest_to,"
        " compensation from issued_lines where entry_no = $e order by issued_on, reminder_id",
        {"e": entry_no},
    )
