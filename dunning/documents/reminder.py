"""A reminder as its documents read it: header, lines, customer, addressee, the level's interest rates.

Read in one unit of work from reminder_headers and reminder_lines (what the proposal decided and the review
may have changed), never recomputed here: the letter prints the figures the reminder holds, to the cent.
load_reminders() reads many at once (headers, lines and customers each in one query for the set); load_reminder()
is its one-reminder case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from dunning.db import Database
from dunning.errors import BadInput
from dunning.ledger.customer import Customer, load_customers
from dunning.money import ZERO
from dunning.reminders import interest, rates

OPEN_STATUSES = ("draft", "approved", "failed")  # not yet sent: a failed one is retried


@dataclass(frozen=True)
class Line:
    line_no: int
    kind: str  # overdue | credit | not_due | on_hold
    document_type: str
    document_no: str
    document_date: dt.date | None
    due_date: dt.date
    days_overdue: int
    original_amount: Decimal
    remaining_amount: Decimal
    level_no: int
    fee: Decimal
    interest: Decimal
    compensation: Decimal
    interest_from: dt.date | None
    interest_to: dt.date | None
    rates: tuple[Decimal, ...]  # annual percent over the interest period, each once

    @property
    def charges(self) -> Decimal:
        return self.fee + self.interest + self.compensation


@dataclass(frozen=True)
class Reminder:
    reminder_id: int
    reminder_no: str
    status: str
    customer: Customer
    currency: str
    level_no: int
    terms_code: str
    tone: str
    template_code: str
    template_version: int | None
    language: str
    posting_date: dt.date
    document_date: dt.date
    payment_deadline: dt.date
    overdue_amount: Decimal
    credits_amount: Decimal
    fee: Decimal
    interest: Decimal  # interest and compensation, as the header holds it
    total: Decimal
    to_emails: tuple[str, ...]
    cc_emails: tuple[str, ...]
    payment_reference: str
    note: str
    contact_name: str  # the first To address's contact, '' for a role mailbox
    lines: tuple[Line, ...]

    @property
    def overdue_lines(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.kind == "overdue")

    @property
    def compensation(self) -> Decimal:
        return sum((line.compensation for line in self.lines), ZERO)

    @property
    def interest_only(self) -> Decimal:
        return self.interest - self.compensation

    @property
    def line_fees(self) -> Decimal:
        return sum((line.fee for line in self.lines), ZERO)

    @property
    def rates(self) -> tuple[Decimal, ...]:
        return tuple(dict.fromkeys(r for line in self.lines if line.interest for r in line.rates))

    @property
    def interest_period(self) -> tuple[dt.date, dt.date] | None:
        charged = [line for line in self.lines if line.interest and line.interest_from and line.interest_to]
        if not charged:
            return None
        return min(line.interest_from for line in charged if line.interest_from), max(
            line.interest_to for line in charged if line.interest_to
        )

    def sums_agree(self) -> bool:
        """Whether the lines add up to the header to the cent (the proposal guarantees it; a check)."""
        listed = sum((x.remaining_amount for x in self.lines if x.kind in ("overdue", "credit")), ZERO)
        charges = sum((x.interest + x.compensation for x in self.lines), ZERO)
        return listed + self.fee + charges == self.total and charges == self.interest


# The contact name is the first (by contact_id) active contact of the customer whose address is the first To
# address: one aggregate over the batch's headers, not a subquery per row.
_HEADERS = """
with heads as (select * from reminder_headers where list_contains($ids, reminder_id)),
named as (
    select h.reminder_id, arg_min(c.name, c.contact_id) as contact_name
    from heads h join contacts c on c.customer_no = h.customer_no and c.active
         and lower(c.email) = lower(h.to_emails[1])
    group by h.reminder_id
)
select h.reminder_id, coalesce(h.reminder_no, 'R' || lpad(h.reminder_id::varchar, 7, '0')), h.status,
       h.customer_no, h.currency, h.level_no, h.terms_code, coalesce(lv.tone, 'friendly'), h.template_code,
       h.template_version, h.language, h.posting_date, h.document_date, h.payment_deadline, h.overdue_amount,
       h.credits_amount, h.fee, h.interest, h.total, h.to_emails, h.cc_emails,
       coalesce(h.payment_reference, ''), coalesce(h.note, ''), coalesce(n.contact_name, '')
from heads h
left join named n using (reminder_id)
left join reminder_levels lv on lv.terms_code = h.terms_code and lv.level_no = h.level_no
"""

_LINES = """
select l.reminder_id, l.line_no, l.kind, l.document_type, l.document_no, l.document_date, l.due_date,
       l.days_overdue, l.original_amount, l.remaining_amount, l.level_no, l.fee, l.interest, l.compensation,
       l.interest_from, l.interest_to, coalesce(lv.interest_method, 'none'), lv.interest_rate
from reminder_lines l
join reminder_headers h using (reminder_id)
left join reminder_levels lv on lv.terms_code = h.terms_code and lv.level_no = l.level_no
where list_contains($ids, l.reminder_id)
order by l.reminder_id,
         case l.kind when 'overdue' then 0 when 'credit' then 1 when 'on_hold' then 2 else 3 end,
         l.due_date, l.document_no, l.line_no
"""


def _line(row: Sequence[object], reference: Sequence[rates.Rate]) -> Line:
    *fields, method, contractual = row
    start, end = fields[-2], fields[-1]
    found: tuple[Decimal, ...] = ()
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        rate = contractual if isinstance(contractual, Decimal) else None
        found = interest.annual_rates(reference, str(method), rate, start, end)
    return Line(*fields, found)  # type: ignore[arg-type, call-arg]


def load_reminders(db: Database, reminder_ids: Iterable[int]) -> dict[int, Reminder]:
    """The reminders with their lines, by id, read in a few queries for the whole set; raises BadInput naming
    the ones that do not exist (and CustomerNotFound for a customer that does not)."""
    ids = list(dict.fromkeys(int(i) for i in reminder_ids))
    if not ids:
        return {}
    with db.session():
        heads = {int(h[0]): h for h in db.rows(_HEADERS, {"ids": ids})}
        absent = [i for i in ids if i not in heads]
        if absent:
            which = f"reminder {absent[0]} does not" if len(absent) == 1 else (
                "reminders " + ", ".join(map(str, absent)) + " do not")  # fmt: skip
            raise BadInput(f"{which} exist; list the drafts with `dunning drafts`")
        reference = rates.load_rates(db)
        lines: dict[int, list[Line]] = {i: [] for i in ids}
        for row in db.rows(_LINES, {"ids": ids}):
            lines[int(row[0])].append(_line(row[1:], reference))
        customers = load_customers(db, [str(h[3]) for h in heads.values()])
    out = {}
    for i in ids:
        values = list(heads[i])
        values[3] = customers[str(values[3])]
        values[19], values[20] = tuple(values[19] or ()), tuple(values[20] or ())
        out[i] = Reminder(*values, tuple(lines[i]))  # type: ignore[call-arg]
    return out


def load_reminder(db: Database, reminder_id: int) -> Reminder:
    """The reminder with its lines; raises BadInput when it does not exist."""
    return load_reminders(db, [reminder_id])[reminder_id]


def open_reminder_ids(db: Database, customer_nos: Sequence[str] = ()) -> list[int]:
    """The open drafts (draft or approved), of the given customers or all, by customer and currency."""
    rows = db.rows(
        "select reminder_id from reminder_headers where list_contains($statuses, status)"
        " and (len($customers) = 0 or list_contains($customers, customer_no))"
        " order by customer_no, currency, reminder_id",
        {"statuses": list(OPEN_STATUSES), "customers": list(customer_nos)},
    )
    return [int(r[0]) for r in rows]
