"""The email of a reminder, exactly as it would be sent: RFC 5322, multipart/alternative (plain text and HTML)
inside multipart/mixed with the PDF letter and, when configured, the original invoice PDFs attached.

Built with the standard library's email package under the SMTP policy (CRLF line ends): header values are
single lines (the subject is collapsed to one line by texts.subject_line; an address that is not a valid
addr-spec, or that carries a line break, is refused with the reminder named), so no header can be injected.
The Message-ID is derived from the reminder (its number and creditor reference) and the sender's domain, so
every rendering of one reminder carries the same id and a mail server or the send log can spot a repeat.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, localtime
from pathlib import Path

from dunning.access import Action, require
from dunning.db import Database
from dunning.documents.letter import Documents
from dunning.errors import BadInput
from dunning.ledger.addresses import address_problem

ATTACH_CHOICES = ("none", "overdue", "all")  # which lines' invoice PDFs are attached
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class InvoiceFiles:
    """Where the original invoice PDFs are (settings invoice_pdf_folder, invoice_pdf_attach)."""

    folder: Path | None
    attach: str = "none"  # none | overdue | all


def invoice_files(db: Database) -> InvoiceFiles:
    rows = dict(
        db.rows("select key, value from settings where key in ('invoice_pdf_folder', 'invoice_pdf_attach')")
    )
    folder = rows.get("invoice_pdf_folder") or None
    attach = rows.get("invoice_pdf_attach") or "none"
    return InvoiceFiles(Path(folder) if folder else None, attach if attach in ATTACH_CHOICES else "none")


def set_invoice_files(db: Database, folder: str | None, attach: str) -> InvoiceFiles:
    """Configure the invoice PDFs attached to reminder emails; the folder must exist unless attach is none."""
    if attach not in ATTACH_CHOICES:
        raise BadInput(f"invoice PDFs: attach {attach!r}; choose one of {', '.join(ATTACH_CHOICES)}")
    path = Path(folder).expanduser() if folder else None
    if attach != "none" and (path is None or not path.is_dir()):
        raise BadInput(f"invoice PDFs: folder {folder!r} does not exist; give the folder that holds them")
    require(db.actor, Action.SETTINGS)
    with db.transaction(audit=(Action.SETTINGS, f"invoice PDFs: attach {attach} from {path or '-'}")) as tx:
        for key, value in (("invoice_pdf_folder", str(path) if path else ""), ("invoice_pdf_attach", attach)):
            tx.execute("insert or replace into settings (key, value) values ($k, $v)", {"k": key, "v": value})
    return InvoiceFiles(path, attach)


def invoice_pdf_name(document_no: str) -> str:
    """The file an invoice's PDF is looked for under: its document number, characters outside letters, digits,
    dot, dash and underscore replaced by '_' (so a number cannot reach outside the folder), plus .pdf."""
    return _SAFE_NAME.sub("_", document_no) + ".pdf"


def invoice_attachments(docs: Documents, files: InvoiceFiles) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The invoice PDFs to attach, and the documents whose PDF is missing (named for the draft)."""
    if files.attach == "none" or files.folder is None:
        return [], []
    wanted = [
        line.document_no for line in docs.reminder.lines if files.attach == "all" or line.kind == "overdue"
    ]
    found, missing = [], []
    for document_no in dict.fromkeys(wanted):
        path = files.folder / invoice_pdf_name(document_no)
        if path.is_file():
            found.append((path.name, path.read_bytes()))
        else:
            missing.append(f"invoice PDF of {document_no} not found ({path})")
    return found, missing


def checked_address(address: str, where: str) -> Address:
    """An Address from a plain addr-spec; BadInput naming WHERE for anything else (a line break included)."""
    text = address.strip()
    if address_problem(text):
        raise BadInput(
            f"{where}: {address!r} is not an email address; correct it in the review or the contacts"
        )
    user, domain = text.rsplit("@", 1)
    return Address(username=user, domain=domain)


def message_id(docs: Documents) -> str:
    """'<R0000114.RF13R0000114@northwind.example>': the same for every rendering of the reminder."""
    domain = docs.reply_to.rsplit("@", 1)[-1] if "@" in docs.reply_to else "dunning.invalid"
    return f"<{docs.reminder.reminder_no}.{docs.reference or docs.reminder.reminder_id}@{domain}>"


def pdf_name(docs: Documents) -> str:
    return f"{docs.reminder.reminder_no}.pdf"


def email_message(
    docs: Documents, letter_pdf: bytes, attachments: Sequence[tuple[str, bytes]] = ()
) -> EmailMessage:
    """The complete message: From the company (its reply-to address), To and Cc the reminder's, the bodies,
    the letter and ATTACHMENTS (name, bytes) as PDF files."""
    r = docs.reminder
    where = f"reminder {r.reminder_no} ({r.customer.customer_no})"
    if not r.to_emails:
        raise BadInput(f"{where}: has no recipient; add an email address in the review or a contact")
    if not docs.reply_to:
        raise BadInput(f"{where}: the company has no reply-to address; set it on the Company page")
    sender = checked_address(docs.reply_to, "company reply-to")
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = docs.subject
    # one line whatever the stored name holds (a name from before the company checks, a restored backup)
    name = " ".join(docs.company_name.split())
    msg["From"] = Address(display_name=name, username=sender.username, domain=sender.domain)
    msg["To"] = [checked_address(a, f"{where} To") for a in r.to_emails]
    if r.cc_emails:
        msg["Cc"] = [checked_address(a, f"{where} Cc") for a in r.cc_emails]
    msg["Reply-To"] = sender
    msg["Date"] = format_datetime(localtime())
    msg["Message-ID"] = message_id(docs)
    msg["X-Dunning-Reminder"] = r.reminder_no
    msg.set_content(docs.text, subtype="plain", charset="utf-8")
    msg.add_alternative(docs.html, subtype="html", charset="utf-8")
    msg.add_attachment(letter_pdf, maintype="application", subtype="pdf", filename=pdf_name(docs))
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    msg["Content-Language"] = docs.language  # after the parts: set_content drops Content-* headers
    return msg
