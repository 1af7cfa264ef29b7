"""What was issued: every reminder that left the draft stage (sent, cancelled, failed, unknown, being sent)
with its date, customer, level, recipients, amounts, transport, status, who sent it and the text version;
and the exact email and letter archived when it was handed to the transport."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dunning.db import Database
from dunning.errors import BadInput

STATUSES = ("sending", "sent", "failed", "unknown", "cancelled")


@dataclass(frozen=True)
class IssuedReminder:
    reminder_id: int
    reminder_no: str
    date: dt.date  # sent on; else when it was handed over or claimed; else its document date
    customer_no: str
    name: str
    level: int
    recipients: tuple[str, ...]
    currency: str
    overdue_amount: Decimal
    fee: Decimal
    interest: Decimal
    total: Decimal
    transport: str
    status: str
    sent_by: str
    template_version: int | None
    message_id: str
    detail: str  # why it failed or is unknown; when and by whom it was cancelled

    def to_json(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data["date"] = self.date.isoformat()
        data["recipients"] = list(self.recipients)
        for key in ("overdue_amount", "fee", "interest", "total"):
            data[key] = f"{data[key]:.2f}"
        return data


_LIST = """
select h.reminder_id, coalesce(h.reminder_no, 'R' || lpad(h.reminder_id::varchar, 7, '0')),
       coalesce(h.sent_at::date, h.send_started_at::date, h.document_date) as day,
       h.customer_no, coalesce(c.name, ''), h.level_no, list_concat(h.to_emails, h.cc_emails), h.currency,
       h.overdue_amount, h.fee, h.interest, h.total, coalesce(h.transport, ''), h.status,
       coalesce(h.sent_by, ''), h.template_version, coalesce(h.message_id, ''),
       case when h.status = 'cancelled'
            then 'cancelled on ' || strftime(h.cancelled_at, '%Y-%m-%d') || coalesce(' by ' || h.cancelled_by, '')
            else coalesce(h.send_error, '') end
from reminder_headers h
left join customers c using (customer_no)
where list_contains($statuses, h.status)
  and ($customer is null or h.customer_no = $customer)
  and ($from is null or coalesce(h.sent_at::date, h.send_started_at::date, h.document_date) >= $from)
  and ($to is null or coalesce(h.sent_at::date, h.send_started_at::date, h.document_date) <= $to)
order by day desc, h.reminder_id desc
"""


def issued_reminders(
    db: Database,
    customer_no: str | None = None,
    status: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[IssuedReminder]:
    """The reminders issued or tried, newest first, of one customer, status and date range when given."""
    if status is not None and status not in STATUSES:
        raise BadInput(f"status {status!r} is not one of {', '.join(STATUSES)}")
    rows = db.rows(
        _LIST,
        {
            "statuses": [status] if status else list(STATUSES),
            "customer": customer_no,
            "from": date_from,
            "to": date_to,
        },
    )
    return [
        IssuedReminder(*r[:6], tuple(r[6] or ()), *r[7:])  # type: ignore[call-arg]
        for r in rows
    ]


def archived(db: Database, reminder_id: int) -> tuple[bytes, bytes]:
    """The email (.eml, as it went to the transport) and the letter PDF archived for a reminder: those of
    its latest hand-over."""
    row = db.one(
        "select coalesce(h.reminder_no, h.reminder_id::varchar), h.status, a.email_eml, a.letter_pdf"
        " from reminder_headers h left join reminder_archive a on a.reminder_id = h.reminder_id"
        " where h.reminder_id = $r order by a.attempt desc nulls last limit 1",
        {"r": reminder_id},
    )
    if row is None:
        raise BadInput(f"reminder {reminder_id} does not exist; check the number")
    number, status, eml, letter_pdf = row
    if eml is None or letter_pdf is None:
        raise BadInput(
            f"reminder {number} ({status}) has no archived email; only a reminder sent here has one"
        )
    return bytes(eml), bytes(letter_pdf)
