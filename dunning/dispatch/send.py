"""Send a batch of reminders through a transport, each exactly once, with one result per reminder.

send_reminders() first settles the claims of senders that died (claims.recover), then:
(a) composes every reminder and checks it before anything is sent: its date, the company fields its
    documents print, every address; a reminder that fails is marked failed with the reason, the others go on.
    The statuses are read in one query, and reminders are composed COMPOSE_CHUNK at a time (letter.compose_many,
    the company and texts read once for the batch); a chunk one of whose reminders cannot be composed is
    composed one by one, so that only that one fails;
(b) claims the ones still open in one transaction (claims.claim): a reminder another sender claimed or sent
    meanwhile is skipped, so two senders racing deliver each reminder once;
(c) draws the letters (letters.Letters: worker processes, and this one when it would wait) chunk by chunk from
    the moment (a) composes them, so composing, drawing and sending overlap on the cores; a letter that cannot
    be drawn fails its reminder alone; builds each message (documents.message) with the invoice
    PDFs, `Auto-Submitted: auto-generated`, and the archive address of setting 'archive_bcc' as an envelope
    recipient only (a Bcc header would show it to every recipient);
(d) per reminder: records the hand-over with the exact bytes (claims.hand_over), sends over the batch's one
    connection, and records the answer: accepted -> sent with the history the next proposal reads, in one
    transaction (claims.record_sent); refused -> failed with the server's words. A process that dies between
    the hand-over and the record leaves the reminder 'sending', and the next batch calls it unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any

from dunning.access import Action, require
from dunning.db import Database
from dunning.dispatch import claims
from dunning.dispatch.letters import Letters
from dunning.documents import drawing, letter, message
from dunning.errors import BadInput
from dunning.mail.transport import (
    Delivery,
    DeliveryUnknown,
    MailError,
    TemporaryFailure,
    Transport,
    check_address,
)

Progress = Callable[[int, int], None]
COMPOSE_CHUNK = 16  # reminders composed together (read in a few queries), each streamed to the drawing on


@dataclass(frozen=True)
class SendResult:
    reminder_id: int
    reminder_no: str
    customer_no: str
    status: str  # sent | failed | unknown | skipped
    recipients: tuple[str, ...] = ()
    detail: str = ""  # the server's answer, or why it was not sent
    message_id: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            **{k: getattr(self, k) for k in self.__dataclass_fields__},
            "recipients": list(self.recipients),
        }


@dataclass(frozen=True)
class _Ready:
    docs: letter.Documents
    recipients: tuple[str, ...]  # To and Cc: the customer's

    @property
    def reminder_id(self) -> int:
        return self.docs.reminder.reminder_id


def _headers(db: Database, reminder_ids: Sequence[int]) -> dict[int, tuple[str, str, str, str | None]]:
    """(reminder no, customer, status, sent on) of each reminder that exists, in one query."""
    rows = db.rows(
        "select reminder_id, coalesce(reminder_no, 'R' || lpad(reminder_id::varchar, 7, '0')), customer_no,"
        " status, strftime(sent_at, '%Y-%m-%d') from reminder_headers where list_contains($ids, reminder_id)",
        {"ids": list(reminder_ids)},
    )
    return {int(r[0]): (str(r[1]), str(r[2]), str(r[3]), r[4]) for r in rows}


def _check(docs: letter.Documents, on: dt.date) -> tuple[str, ...]:
    """The customer's recipients; BadInput saying what to fix when the reminder cannot go out."""
    r = docs.reminder
    where = f"reminder {r.reminder_no} ({r.customer.customer_no})"
    if r.document_date > on:
        raise BadInput(f"{where} is dated {r.document_date}, after {on}; send it on or after its date")
    if docs.missing:
        raise BadInput(
            f"{where}: the company lacks {', '.join(docs.missing)}; set them on the Company page or with"
            " `dunning company set FIELD=VALUE` / `dunning company bank CURRENCY --iban IBAN`"
        )
    if not r.to_emails:
        raise BadInput(f"{where} has no recipient; add an email address in the review or a contact")
    for kind, addresses in (("To", r.to_emails), ("Cc", r.cc_emails)):
        for address in addresses:
            message.checked_address(address, f"{where} {kind}")
            check_address(address, f"{where} {kind}")
    return (*r.to_emails, *r.cc_emails)


def _prepare(
    db: Database,
    reminder_ids: Sequence[int],
    on: dt.date,
    results: dict[int, SendResult],
    composed: Callable[[_Ready], None] = lambda r: None,
) -> list[_Ready]:
    """(a): compose and check each reminder; the ones that cannot go out get their result (and failed).
    COMPOSED is told of each one ready, so that its letter can be drawn while the next are composed."""
    ready: list[_Ready] = []
    failed: dict[str, list[int]] = {}
    with db.session():
        heads = _headers(db, reminder_ids)
        todo: list[int] = []
        for reminder_id in reminder_ids:
            head = heads.get(reminder_id)
            if head is None:
                results[reminder_id] = SendResult(reminder_id, str(reminder_id), "", "skipped",
                                                  detail=f"reminder {reminder_id} does not exist")  # fmt: skip
            elif head[2] not in claims.CLAIMABLE:
                why = f"already sent on {head[3]}" if head[2] == "sent" else f"it is {head[2]}, not open"
                results[reminder_id] = SendResult(reminder_id, head[0], head[1], "skipped", detail=why)
            else:
                todo.append(reminder_id)
        sources = letter.Sources(db)
        for start in range(0, len(todo), COMPOSE_CHUNK):
            for reminder_id, docs in _composed(db, todo[start : start + COMPOSE_CHUNK], sources):
                try:
                    if isinstance(docs, BadInput):
                        raise docs
                    recipients = _check(docs, on)
                except BadInput as exc:
                    number, customer_no = heads[reminder_id][:2]
                    results[reminder_id] = SendResult(
                        reminder_id, number, customer_no, "failed", detail=str(exc)
                    )
                    failed.setdefault(str(exc), []).append(reminder_id)
                    continue
                ready.append(_Ready(docs, recipients))
                composed(ready[-1])
    for why, ids in failed.items():
        claims.record_failed(db, ids, why)
    return ready


def _composed(
    db: Database, chunk: list[int], sources: letter.Sources
) -> list[tuple[int, letter.Documents | BadInput]]:
    """The documents of each reminder of CHUNK, composed together; when one of them cannot be composed, each
    is composed alone, so that only that one fails (with its reason)."""
    try:
        return list(zip(chunk, letter.compose_many(db, chunk, sources=sources), strict=True))
    except BadInput:
        pass
    out: list[tuple[int, letter.Documents | BadInput]] = []
    for reminder_id in chunk:
        try:
            out.append((reminder_id, letter.compose_many(db, [reminder_id], sources=sources)[0]))
        except BadInput as exc:
            out.append((reminder_id, exc))
    return out


def _archive_bcc(db: Database) -> tuple[str, ...]:
    bcc = (db.setting("archive_bcc") or "").strip()
    if not bcc:
        return ()
    try:
        message.checked_address(bcc, "the archive address (setting archive_bcc)")
        return (check_address(bcc, "the archive address (setting archive_bcc)"),)
    except BadInput as exc:
        raise BadInput(f"nothing was sent: {exc}; correct it or clear it") from None


def build_message(
    db: Database, docs: letter.Documents, letter_pdf: bytes, files: message.InvoiceFiles | None = None
) -> EmailMessage:
    """The message exactly as it goes out: the reminder's email with its letter and invoice PDFs, marked as
    sent automatically (RFC 3834) so that auto-responders do not answer it. FILES: the invoice PDF settings
    (message.invoice_files), read here when not given (a batch reads them once)."""
    attachments, _ = message.invoice_attachments(
        docs, files if files is not None else message.invoice_files(db)
    )
    msg = message.email_message(docs, letter_pdf, attachments)
    msg["Auto-Submitted"] = "auto-generated"
    return msg


def _answer(delivery: Delivery, recipients: tuple[str, ...]) -> tuple[bool, str]:
    """Whether a customer's recipient (To or Cc) accepted it, and the server's words to show."""
    accepted = {a.lower() for a in delivery.accepted}
    reached = [a for a in recipients if a.lower() in accepted]
    refused = "; ".join(f"{a} refused: {code} {text}".strip() for a, (code, text) in delivery.refused.items())
    detail = "; ".join(x for x in (delivery.server_reply, refused) if x)
    if not reached:
        return False, f"no recipient of the customer accepted it: {refused or delivery.server_reply}"
    return True, detail or "accepted"


def send_reminders(
    db: Database,
    reminder_ids: Sequence[int],
    transport: Transport,
    *,
    on: dt.date,
    by: str | None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[SendResult]:
    """Send the reminders through TRANSPORT, each exactly once, dated ON and recorded as sent by BY; one
    result per reminder, in the order given. PROGRESS(done, total) is called after each reminder that
    was claimed. A bad archive address stops the batch before anything is sent (BadInput)."""
    require(db.actor, Action.SEND)
    by = by or db.actor.name
    ids = list(dict.fromkeys(int(i) for i in reminder_ids))
    claims.recover(db)
    bcc = _archive_bcc(db)
    results: dict[int, SendResult] = {}
    with drawing.RenderPool(workers=workers, expected=len(ids)) as pool:
        letters = Letters(pool)
        ready = _prepare(db, ids, on, results, lambda r: letters.add(r.reminder_id, r.docs.letter_html))
        letters.flush()
        _claim_and_deliver(db, ready, transport, on, by, bcc, results, progress, letters)
    return [results[i] for i in ids]


def _claim_and_deliver(
    db: Database,
    ready: list[_Ready],
    transport: Transport,
    on: dt.date,
    by: str | None,
    bcc: tuple[str, ...],
    results: dict[int, SendResult],
    progress: Progress | None,
    letters: Letters,
) -> None:
    """(b) claim the ready reminders, then (c) and (d) for those this batch holds."""
    token = claims.new_token()
    try:
        claimed = set(claims.claim(db, [r.reminder_id for r in ready], token))
        unclaimed = _headers(db, [r.reminder_id for r in ready if r.reminder_id not in claimed])
        for r in ready:
            if r.reminder_id not in claimed:
                head = unclaimed.get(r.reminder_id)
                state = head[2] if head else "deleted"
                why = ("left out of sending meanwhile; it stays a draft" if state in claims.CLAIMABLE
                       else f"claimed by another sender meanwhile ({state})")  # fmt: skip
                results[r.reminder_id] = _result(r, "skipped", why)
        changed = _changed_since_composed(db, [r for r in ready if r.reminder_id in claimed])
        claims.give_back(db, [r.reminder_id for r in changed], token)
        for r in changed:
            claimed.discard(r.reminder_id)
            results[r.reminder_id] = _result(r, "skipped", "changed meanwhile (level, fee, total or recipients); "
                                             "it stays a draft: send it again to send what it says now")  # fmt: skip
        batch = [r for r in ready if r.reminder_id in claimed]
        _deliver(db, batch, transport, token, on, by, bcc, results, progress, letters)
    finally:
        claims.release(db, token)
        claims.finish(token)


def _changed_since_composed(db: Database, ready: list[_Ready]) -> list[_Ready]:
    """The claimed reminders a person changed after their message was composed (a fee waived, a level or a
    recipient changed in the review grid while the batch composed): sending them would send the old figures."""
    if not ready:
        return []
    now = {
        int(rid): (Decimal(total), Decimal(fee), int(level), tuple(to or ()), tuple(cc or ()))
        for rid, total, fee, level, to, cc in db.rows(
            "select reminder_id, total, fee, level_no, to_emails, cc_emails from reminder_headers"
            " where list_contains($ids, reminder_id)",
            {"ids": [r.reminder_id for r in ready]},
        )
    }
    composed = {
        r.reminder_id: (r.docs.reminder.total, r.docs.reminder.fee, r.docs.reminder.level_no,
                        tuple(r.docs.reminder.to_emails), tuple(r.docs.reminder.cc_emails))
        for r in ready
    }  # fmt: skip
    return [r for r in ready if now.get(r.reminder_id) != composed[r.reminder_id]]


def _result(r: _Ready, status: str, detail: str, message_id: str = "") -> SendResult:
    rem = r.docs.reminder
    return SendResult(rem.reminder_id, rem.reminder_no, rem.customer.customer_no, status, r.recipients, detail,
                      message_id)  # fmt: skip


def _deliver(
    db: Database,
    batch: list[_Ready],
    transport: Transport,
    token: str,
    on: dt.date,
    by: str | None,
    bcc: tuple[str, ...],
    results: dict[int, SendResult],
    progress: Progress | None,
    letters: Letters,
) -> None:
    """(c) and (d) for the claimed reminders, each sent as soon as its letter is drawn."""
    if not batch:
        return
    files = message.invoice_files(db)
    try:
        with transport:
            for done, r in enumerate(batch, start=1):
                results[r.reminder_id] = _send_one(db, r, letters, transport, token, on, by, bcc, files)
                if progress is not None:
                    progress(done, len(batch))
    except MailError as exc:  # the connection itself: nothing more was handed over
        left = [r for r in batch if r.reminder_id not in results]
        why = f"not sent: {exc}; try again later"
        claims.record_failed(db, [r.reminder_id for r in left], why, token)
        for r in left:
            results[r.reminder_id] = _result(r, "failed", why)


def _send_one(
    db: Database,
    r: _Ready,
    letters: Letters,
    transport: Transport,
    token: str,
    on: dt.date,
    by: str | None,
    bcc: tuple[str, ...],
    files: message.InvoiceFiles,
) -> SendResult:
    try:
        letter_pdf = letters.of(r.reminder_id)
        msg = build_message(db, r.docs, letter_pdf, files)
    except BadInput as exc:  # nothing was handed over: it alone fails, the batch goes on
        claims.record_failed(db, [r.reminder_id], str(exc), token)
        return _result(r, "failed", str(exc))
    mid = str(msg["Message-ID"])
    try:
        claims.hand_over(
            db, r.reminder_id, token, transport.description, mid, msg.as_bytes(policy=SMTP), letter_pdf
        )
    except BadInput as exc:  # the batch lost its claim meanwhile: not handed over, not ours to record
        return _result(r, "skipped", str(exc))
    try:
        delivery = transport.send(msg, [*r.recipients, *bcc])
    except DeliveryUnknown as exc:  # the server may have it: never resent silently, a person decides
        why = f"{exc}; check whether it arrived, then mark it delivered or not delivered"
        claims.mark_unknown(db, r.reminder_id, token, why)
        return _result(r, "unknown", why, mid)
    except (MailError, BadInput) as exc:
        why = str(exc) + ("; try again later" if isinstance(exc, TemporaryFailure) else "")
        claims.record_failed(db, [r.reminder_id], why, token)
        return _result(r, "failed", why, mid)
    reached, detail = _answer(delivery, r.recipients)
    try:
        if reached:
            claims.record_sent(db, r.reminder_id, token, on, by, r.docs.template_version)
        else:
            claims.record_failed(db, [r.reminder_id], detail, token)
    except Exception as exc:  # accepted but not recorded: never resent silently
        why = f"accepted ({detail}) but not recorded ({exc}); mark it delivered"
        try:
            claims.mark_unknown(db, r.reminder_id, token, why)
        except Exception:  # noqa: S110 - the claim stays 'sending' and the next batch calls it unknown
            pass
        return _result(r, "unknown", why, mid)
    return _result(r, "sent" if reached else "failed", detail, mid)
