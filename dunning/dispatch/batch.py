"""What a send would take: the reminders open for sending, what a person confirms before they go (how many,
to how many recipients, totals per currency), the reminders of unknown fate waiting for a person, and a
reminder found by its number. Reads only; nothing here loads the documents or the mail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from dunning.db import Database
from dunning.errors import BadInput

SENDABLE = ("draft", "approved", "failed")  # as claims.CLAIMABLE: nothing of theirs has left


@dataclass(frozen=True)
class Pending:
    reminder_id: int
    reminder_no: str
    customer_no: str
    currency: str
    total: Decimal
    recipients: tuple[str, ...]
    status: str
    detail: str  # why it failed before, or why its fate is unknown


@dataclass(frozen=True)
class Summary:
    count: int
    recipients: int  # distinct addresses, To and Cc
    totals: dict[str, Decimal]  # per currency

    def totals_text(self) -> str:
        return ", ".join(f"{cur} {amount:,.2f}" for cur, amount in sorted(self.totals.items())) or "nothing"


_PENDING = """
select reminder_id, coalesce(reminder_no, 'R' || lpad(reminder_id::varchar, 7, '0')), customer_no, currency,
       total, list_concat(to_emails, cc_emails), status, coalesce(send_error, '')
from reminder_headers
where list_contains($statuses, status) and (len($customers) = 0 or list_contains($customers, customer_no))
  and (included or not $included_only)
order by customer_no, currency, reminder_id
"""


def _pending(
    db: Database, statuses: Sequence[str], customer_nos: Sequence[str], included_only: bool
) -> list[Pending]:
    rows = db.rows(
        _PENDING,
        {"statuses": list(statuses), "customers": list(customer_nos), "included_only": included_only},
    )
    return [Pending(int(r[0]), r[1], r[2], r[3], r[4], tuple(r[5] or ()), r[6], r[7]) for r in rows]


def sendable(db: Database, customer_nos: Sequence[str] = ()) -> list[Pending]:
    """The reminders a send takes (draft, approved, or failed before) and the review left included, of the
    given customers or all."""
    return _pending(db, SENDABLE, customer_nos, True)


def unknown(db: Database, customer_nos: Sequence[str] = ()) -> list[Pending]:
    """The reminders whose delivery is unknown: a person decides (dispatch.claims.resolve_unknown)."""
    return _pending(db, ("unknown",), customer_nos, False)


def summary(pending: Sequence[Pending]) -> Summary:
    totals: dict[str, Decimal] = {}
    for p in pending:
        totals[p.currency] = totals.get(p.currency, Decimal(0)) + p.total
    addresses = {a.lower() for p in pending for a in p.recipients}
    return Summary(len(pending), len(addresses), totals)


def reminder_id_of(db: Database, number: str) -> int:
    """The reminder numbered NUMBER (R0000114, or its id 114)."""
    text = number.strip()
    row = db.one(
        "select reminder_id from reminder_headers where upper(reminder_no) = upper($no)"
        " or (regexp_full_match($no, '[0-9]+') and reminder_id = try_cast($no as bigint))"
        " order by reminder_no = $no desc limit 1",
        {"no": text},
    )
    if row is None:
        raise BadInput(f"reminder {number!r} does not exist; `dunning history` lists the reminders issued")
    return int(row[0])
