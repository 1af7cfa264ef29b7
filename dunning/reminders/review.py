"""Review of the drafts before they are sent: what a credit controller may change on a draft, each change one
transaction that leaves the draft's total exact (total = overdue lines + credit lines + fee + interest, to the
cent) and every proposed figure kept, so that a change can be taken back.

- set_included: a draft left out stays a draft but is not sent with the others.
- set_recipients: To and Cc, each a plain address (name@example.com); a level change keeps them afterwards.
- waive_fee: the fee (fixed, percentage and per line) to 0, and back to the proposed fee.
- waive_interest: interest and fixed compensation to 0, per draft or per line, and back. A waived line
  charges nothing, so the issued history records no interest period and no compensation for it
  (dunning.reminders.issued): a later reminder may still charge those days.
- change_level: the draft proposed again at another of its terms' levels (proposal.redraft_in); inclusion,
  hand-set recipients and waivers are kept.
- delete_draft: the draft and its lines go, and why is recorded so that the next run does not draft it
  again: an agreement or a promise to pay until a date (the proposal skips the customer until then), or
  another reason in the customer's contact log (which holds the customer back for the terms' minimum days
  between reminders, as a call does).

Migration 012 holds the columns. A draft (or a failed reminder, never delivered) can be changed; approved,
sent and cancelled reminders cannot.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dunning.access import Action, require
from dunning.db import Database
from dunning.db.database import Session
from dunning.errors import BadInput
from dunning.ledger.addresses import address_problem
from dunning.reminders.proposal import redraft_in

EDITABLE = ("draft", "failed")


def _waived(waived: bool) -> str:
    return "waived" if waived else "restored"


DELETE_REASONS = ("agreement", "promise", "other")


@dataclass(frozen=True)
class Draft:
    reminder_id: int
    reminder_no: str
    customer_no: str
    currency: str
    status: str
    level_no: int
    terms_code: str
    document_date: dt.date

    @property
    def name(self) -> str:
        """How messages name it: 'reminder R0000114 (customer C0001, EUR)'."""
        return f"reminder {self.reminder_no} (customer {self.customer_no}, {self.currency})"


def _draft(tx: Session, reminder_id: int) -> Draft:
    row = tx.one(
        "select reminder_id, coalesce(reminder_no, 'R' || lpad(reminder_id::varchar, 7, '0')), customer_no,"
        " currency, status, level_no, terms_code, document_date from reminder_headers where reminder_id = $r",
        {"r": int(reminder_id)},
    )
    if row is None:
        raise BadInput(f"reminder {reminder_id} does not exist (any more); run Create reminders again")
    draft = Draft(*row)
    if draft.status not in EDITABLE:
        raise BadInput(f"{draft.name} is {draft.status}; only a draft can be changed in the review")
    return draft


def _recompute(tx: Session, reminder_id: int) -> None:
    """The header's interest from its lines, and its total: lines + fee + interest."""
    tx.execute(
        "update reminder_headers set interest = s.interest,"
        " total = overdue_amount + credits_amount + fee + s.interest"
        " from (select coalesce(sum(interest + compensation), 0) as interest from reminder_lines"
        "       where reminder_id = $r) s"
        " where reminder_headers.reminder_id = $r",
        {"r": reminder_id},
    )


# -- inclusion and recipients ------------------------------------------------------------------------------
def set_included(db: Database, reminder_id: int, included: bool) -> None:
    """Include the draft in the next send, or leave it out (it stays a draft)."""
    require(db.actor, Action.EDIT_DRAFTS)
    with db.transaction(
        audit=(Action.EDIT_DRAFTS, f"reminder {reminder_id}: {'included' if included else 'left out'}")
    ) as tx:
        _draft(tx, reminder_id)
        tx.execute(
            "update reminder_headers set included = $i where reminder_id = $r",
            {"i": bool(included), "r": reminder_id},
        )


def check_address(address: str, where: str) -> str:
    """The plain addr-spec ADDRESS, or BadInput naming WHERE and the address and saying what to write."""
    problem = address_problem(address)
    if problem:
        raise BadInput(f"{where}: {address!r} {problem}")
    return address


def parse_addresses(text: str) -> list[str]:
    """'a@x.example, b@y.example' (commas or semicolons between) -> the addresses, unchecked; spaces around
    each are dropped, so that a text 'not an address' stays whole and is named as such."""
    return [a.strip(" \t") for a in re.split(r"[,;]", text or "") if a.strip(" \t")]


def set_recipients(db: Database, reminder_id: int, to: Sequence[str], cc: Sequence[str] = ()) -> None:
    """Set To and Cc. Each must be a plain address and To must have one at least; else BadInput naming the
    draft and the address, and nothing is changed. Repeats are dropped, and Cc drops the To addresses."""
    require(db.actor, Action.EDIT_DRAFTS)
    with db.transaction(
        audit=(Action.EDIT_DRAFTS, f"reminder {reminder_id}: to {', '.join(to)}; cc {', '.join(cc)}")
    ) as tx:
        draft = _draft(tx, reminder_id)
        to_list = list(dict.fromkeys(check_address(a, f"{draft.name}, To") for a in to))
        cc_list = list(dict.fromkeys(check_address(a, f"{draft.name}, Cc") for a in cc))
        if not to_list:
            raise BadInput(f"{draft.name} has no To address; give at least one, e.g. ap@customer.example")
        tx.execute(
            "update reminder_headers set to_emails = $to, cc_emails = $cc, recipients_edited = true"
            " where reminder_id = $r",
            {"to": to_list, "cc": [a for a in cc_list if a not in to_list], "r": reminder_id},
        )


# -- waivers -----------------------------------------------------------------------------------------------
def _waive_fee(tx: Session, reminder_id: int, waived: bool) -> None:
    params = {"w": waived, "r": reminder_id}
    tx.execute(
        "update reminder_lines set proposed_fee = coalesce(proposed_fee, fee),"
        " fee = case when $w then 0 else coalesce(proposed_fee, fee) end where reminder_id = $r",
        params,
    )
    tx.execute(
        "update reminder_headers set proposed_fee = coalesce(proposed_fee, fee),"
        " fee = case when $w then 0 else coalesce(proposed_fee, fee) end, fee_waived = $w where reminder_id = $r",
        params,
    )
    _recompute(tx, reminder_id)


def waive_fee(db: Database, reminder_id: int, waived: bool) -> None:
    """Waive the draft's fee (fixed, percentage and per line: all 0), or restore the proposed fee."""
    require(db.actor, Action.EDIT_DRAFTS)
    with db.transaction(audit=(Action.EDIT_DRAFTS, f"reminder {reminder_id}: fee {_waived(waived)}")) as tx:
        _draft(tx, reminder_id)
        _waive_fee(tx, reminder_id, waived)


def _waive_interest(tx: Session, reminder_id: int, waived: bool, entry_nos: Sequence[int] | None) -> None:
    tx.execute(
        "update reminder_lines set proposed_interest = coalesce(proposed_interest, interest),"
        " proposed_compensation = coalesce(proposed_compensation, compensation),"
        " interest = case when $w then 0 else coalesce(proposed_interest, interest) end,"
        " compensation = case when $w then 0 else coalesce(proposed_compensation, compensation) end,"
        " interest_waived = $w"
        " where reminder_id = $r and kind = 'overdue' and ($e::bigint[] is null or list_contains($e, entry_no))",
        {"w": waived, "r": reminder_id, "e": None if entry_nos is None else [int(e) for e in entry_nos]},
    )
    _recompute(tx, reminder_id)


def waive_interest(db: Database, reminder_id: int, waived: bool, entry_no: int | None = None) -> None:
    """Waive the interest and fixed compensation of every line of the draft, or of the line of ENTRY_NO;
    waived=False restores what was proposed."""
    require(db.actor, Action.EDIT_DRAFTS)
    with db.transaction(
        audit=(
            Action.EDIT_DRAFTS,
            f"reminder {reminder_id}: interest {_waived(waived)}"
            + (f" on entry {entry_no}" if entry_no is not None else ""),
        )
    ) as tx:
        draft = _draft(tx, reminder_id)
        if entry_no is not None and not tx.scalar(
            "select count(*) from reminder_lines where reminder_id = $r and entry_no = $e and kind = 'overdue'",
            {"r": reminder_id, "e": entry_no},
        ):
            raise BadInput(
                f"{draft.name} has no overdue line for entry {entry_no}; pick one of the draft's overdue lines"
            )
        _waive_interest(tx, reminder_id, waived, None if entry_no is None else [entry_no])


# -- level ---------------------------------------------------------------------------------------------------
def levels(db: Database, reminder_id: int) -> list[int]:
    """The levels of the draft's terms, the choices of change_level."""
    return [
        int(r[0])
        for r in db.rows(
            "select lv.level_no from reminder_levels lv join reminder_headers h using (terms_code)"
            " where h.reminder_id = $r order by 1",
            {"r": reminder_id},
        )
    ]


def change_level(db: Database, reminder_id: int, level_no: int) -> None:
    """Propose the draft again at LEVEL_NO, one of its terms' levels: its lines, fees, interest and note are
    those of that level. Kept: its number, whether it is included, recipients set by hand, the waived fee
    and the lines whose interest was waived (by entry)."""
    require(db.actor, Action.EDIT_DRAFTS)
    with db.transaction(audit=(Action.EDIT_DRAFTS, f"reminder {reminder_id}: level {level_no}")) as tx:
        draft = _draft(tx, reminder_id)
        valid = [
            int(r[0])
            for r in tx.rows(
                "select level_no from reminder_levels where terms_code = $t order by 1",
                {"t": draft.terms_code},
            )
        ]
        if int(level_no) not in valid:
            raise BadInput(
                f"{draft.name}: level {level_no} is not a level of the terms {draft.terms_code};"
                f" choose one of {', '.join(map(str, valid))}"
            )
        if int(level_no) == draft.level_no:
            return
        kept = tx.one(
            "select included, fee_waived, recipients_edited, to_emails, cc_emails from reminder_headers"
            " where reminder_id = $r",
            {"r": reminder_id},
        )
        assert kept is not None
        included, fee_waived, edited, to, cc = kept
        waived_entries = [
            int(r[0])
            for r in tx.rows(
                "select entry_no from reminder_lines where reminder_id = $r and interest_waived",
                {"r": reminder_id},
            )
        ]
        redraft_in(tx, reminder_id, int(level_no))
        tx.execute(
            "update reminder_headers set included = $i where reminder_id = $r",
            {"i": included, "r": reminder_id},
        )
        if edited:
            tx.execute(
                "update reminder_headers set to_emails = $to, cc_emails = $cc, recipients_edited = true"
                " where reminder_id = $r",
                {"to": to, "cc": cc, "r": reminder_id},
            )
        if fee_waived:
            _waive_fee(tx, reminder_id, True)
        if waived_entries:
            _waive_interest(tx, reminder_id, True, waived_entries)


# -- deletion ------------------------------------------------------------------------------------------------
def delete_draft(
    db: Database,
    reminder_id: int,
    reason: str,
    note: str,
    until: dt.date | None = None,
    by: str | None = None,
    *,
    today: dt.date | None = None,
) -> None:
    """Delete the draft and its lines, recording why, in one transaction.

    "agreement" (an agreement reached) and "promise" (a promise to pay) record an agreement with the
    customer from the draft's date until UNTIL: the proposal skips the customer until then. "other" writes
    NOTE in the customer's contact log, dated the draft's date (today at the latest)."""
    require(db.actor, Action.EDIT_DRAFTS)
    by = by or db.actor.name
    if reason not in DELETE_REASONS:
        raise BadInput(f"deleting reminder {reminder_id}: reason {reason!r} is unknown; use {DELETE_REASONS}")
    text = (note or "").strip()
    with db.transaction(audit=(Action.EDIT_DRAFTS, f"reminder {reminder_id}: deleted ({reason})")) as tx:
        draft = _draft(tx, reminder_id)
        if reason == "other":
            if not text:
                raise BadInput(f"deleting {draft.name}: write a note saying why it is not sent")
            tx.execute(
                "insert into contact_log (customer_no, contacted_on, channel, note, created_by)"
                " values ($c, $d, 'note', $n, $u)",
                {
                    "c": draft.customer_no,
                    "d": min(draft.document_date, today or dt.date.today()),
                    "n": f"reminder {draft.reminder_no} deleted in review: {text}",
                    "u": by,
                },
            )
        else:
            what = "agreement reached" if reason == "agreement" else "promise to pay"
            if until is None:
                raise BadInput(f"deleting {draft.name}: give the date the {what} runs until")
            if until < draft.document_date:
                raise BadInput(
                    f"deleting {draft.name}: the {what} until {until} ends before the reminder's date"
                    f" {draft.document_date}; pick a later date"
                )
            tx.execute(
                "insert into agreements (customer_no, agreed_on, valid_until, note, created_by)"
                " values ($c, $a, $v, $n, $u)",
                {
                    "c": draft.customer_no,
                    "a": draft.document_date,
                    "v": until,
                    "n": f"{what} until {until} (reminder {draft.reminder_no} deleted)"
                    + (f": {text}" if text else ""),
                    "u": by,
                },
            )
        for table in ("reminder_lines", "reminder_archive", "reminder_headers"):
            tx.execute(f"delete from {table} where reminder_id = $r", {"r": reminder_id})  # noqa: S608


# -- reading -------------------------------------------------------------------------------------------------
def grid(db: Database, run_id: int) -> pd.DataFrame:
    """The open reminders of a run (draft, approved, failed: what can still be changed and sent; a sent one is
    on the History page) as the review shows them, one row each: included, customer, name, level, To and
    Cc (comma-separated), lines, overdue, credits, fee, fee waived, interest (compensation included), interest
    waived (every overdue line's), total, currency, payment deadline, note, status, number and id."""
    return db.frame(
        "select h.reminder_id, h.included, h.customer_no, c.name, h.level_no as level,"
        " array_to_string(h.to_emails, ', ') as \"to\", array_to_string(h.cc_emails, ', ') as cc,"
        " coalesce(n.lines, 0) as lines, h.overdue_amount as overdue, h.credits_amount as credits, h.fee,"
        " h.fee_waived, h.interest, coalesce(n.waived, false) as interest_waived, h.total, h.currency,"
        " h.payment_deadline, h.note, h.status, h.reminder_no"
        " from reminder_headers h left join customers c using (customer_no)"
        " left join (select reminder_id, count(*) filter (where kind in ('overdue', 'credit'))::integer as lines,"
        "            bool_and(interest_waived) filter (where kind = 'overdue') as waived"
        "            from reminder_lines group by all) n using (reminder_id)"
        " where h.run_id = $run and h.status in ('draft', 'approved', 'failed')"
        " order by h.customer_no, h.currency",
        {"run": run_id},
    )


def run_levels(db: Database, run_id: int) -> list[int]:
    """Every level of the terms of a run's reminders (the review's choices; each draft's own are checked)."""
    return [
        int(r[0])
        for r in db.rows(
            "select distinct lv.level_no from reminder_levels lv"
            " where lv.terms_code in (select terms_code from reminder_headers where run_id = $run) order by 1",
            {"run": run_id},
        )
    ]
