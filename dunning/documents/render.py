"""Render a batch of reminders into the files that would go out: `<reminder>.eml` (the whole message, PDF
attached) and `<reminder>.pdf` beside it, with one result per reminder.

A reminder whose documents would print a blank (the company lacks its legal name, address, reply-to or the
bank account of the reminder's currency) is not rendered: its result names the missing fields. A reminder
whose text or address fails is not rendered either, and its result says why; the others are. The letters
of a batch are drawn together by drawing.render_many (shared stylesheets and fonts, both cores). Each rendered
draft records the text version that produced it (reminder_headers.template_version).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from email.policy import SMTP
from pathlib import Path
from typing import Any

from dunning.db import Database
from dunning.documents import drawing, letter, message
from dunning.documents.reminder import OPEN_STATUSES
from dunning.errors import BadInput


@dataclass(frozen=True)
class Rendered:
    reminder_id: int
    reminder_no: str
    customer_no: str
    currency: str
    total: Decimal
    status: str  # written | incomplete | failed
    subject: str = ""
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    language: str = ""
    template_version: int | None = None
    reference: str = ""
    missing: tuple[str, ...] = ()  # company fields the documents need
    problems: tuple[str, ...] = ()  # why it failed, or what to know (a missing invoice PDF)
    eml: Path | None = None
    pdf: Path | None = None
    attachments: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data["total"] = f"{self.total:.2f}"
        for key in ("eml", "pdf"):
            data[key] = str(data[key]) if data[key] is not None else None
        for key in ("to", "cc", "missing", "problems", "attachments"):
            data[key] = list(data[key])
        return data


def _failed(db: Database, reminder_id: int, why: str) -> Rendered:
    row = db.one(
        "select coalesce(reminder_no, ''), customer_no, currency, total from reminder_headers"
        " where reminder_id = $id",
        {"id": reminder_id},
    )
    no, customer_no, currency, total = row if row is not None else (str(reminder_id), "", "", Decimal(0))
    return Rendered(reminder_id, no, customer_no, currency, total, "failed", problems=(why,))


def _result(docs: letter.Documents, status: str, **extra: Any) -> Rendered:
    r = docs.reminder
    return Rendered(
        r.reminder_id, r.reminder_no, r.customer.customer_no, r.currency, r.total, status,
        subject=docs.subject, to=r.to_emails, cc=r.cc_emails, language=docs.language,
        template_version=docs.template_version, reference=docs.reference, missing=docs.missing, **extra,
    )  # fmt: skip


def render_reminders(
    db: Database,
    reminder_ids: Sequence[int],
    out_dir: str | Path,
    *,
    folder: str | Path | None = None,
    workers: int | None = None,
) -> list[Rendered]:
    """Write the documents of the reminders into OUT_DIR; a result per reminder, in the order given."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(f"cannot create {out} ({exc.strerror}); choose a folder that may be written") from None
    results: dict[int, Rendered] = {}
    ready: list[letter.Documents] = []
    with db.session():
        files = message.invoice_files(db)
        for reminder_id in reminder_ids:
            try:
                docs = letter.compose(db, reminder_id, folder)
            except BadInput as exc:
                results[reminder_id] = _failed(db, reminder_id, str(exc))
                continue
            if docs.missing:
                results[reminder_id] = _result(docs, "incomplete")
            else:
                ready.append(docs)
    letters = drawing.render_many([d.letter_html for d in ready], folder, workers=workers)
    written: list[tuple[int, int]] = []
    for docs, pdf_bytes in zip(ready, letters, strict=True):
        r = docs.reminder
        attachments, missing_files = message.invoice_attachments(docs, files)
        try:
            msg = message.email_message(docs, pdf_bytes, attachments)
        except BadInput as exc:
            results[r.reminder_id] = _result(docs, "failed", problems=(str(exc),))
            continue
        eml, pdf_path = out / f"{r.reminder_no}.eml", out / message.pdf_name(docs)
        try:
            pdf_path.write_bytes(pdf_bytes)
            eml.write_bytes(msg.as_bytes(policy=SMTP))
        except OSError as exc:
            raise BadInput(
                f"cannot write {eml} ({exc.strerror}); choose a folder that may be written"
            ) from None
        problems = (*docs.problems, *missing_files)
        names = tuple(name for name, _ in attachments)
        results[r.reminder_id] = _result(docs, "written", problems=problems, eml=eml, pdf=pdf_path,
                                         attachments=names)  # fmt: skip
        written.append((r.reminder_id, docs.template_version))
    if written:
        with db.transaction() as tx:
            for reminder_id, version in written:
                tx.execute(
                    "update reminder_headers set template_version = $v"
                    " where reminder_id = $id and list_contains($open, status)",
                    {"v": version, "id": reminder_id, "open": list(OPEN_STATUSES)},
                )
    return [results[i] for i in reminder_ids]
