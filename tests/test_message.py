"""The email of a reminder: multipart plain + HTML with the PDF letter attached, addresses from the draft,
one-line headers whatever the data, a stable Message-ID, and the invoice PDFs attached when configured."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import SMTP, default

import pytest

from dunning.db import Database
from dunning.documents import letter, message
from dunning.documents.reminder import load_reminder, open_reminder_ids
from dunning.errors import BadInput
from dunning.reminders.proposal import ProposalOptions, propose
from tests.conftest import AS_OF

PDF = b"%PDF-1.7\n% a letter\n%%EOF\n"


@pytest.fixture
def drafts(sample_db: Database) -> Database:
    propose(sample_db, ProposalOptions(as_of=AS_OF))
    return sample_db


def _eur_draft(db: Database) -> int:
    return next(i for i in open_reminder_ids(db) if load_reminder(db, i).currency == "EUR")


def _parsed(msg) -> object:
    return message_from_bytes(msg.as_bytes(policy=SMTP), policy=default)


def test_message_is_plain_and_html_with_the_letter_attached(drafts):
    docs = letter.compose(drafts, _eur_draft(drafts))
    parsed = _parsed(message.email_message(docs, PDF))
    assert parsed.get_content_type() == "multipart/mixed"
    assert parsed.get_body(("plain",)).get_content().replace("\r\n", "\n") == docs.text
    assert "<table" in parsed.get_body(("html",)).get_content()
    (attachment,) = list(parsed.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"{docs.reminder.reminder_no}.pdf"
    assert attachment.get_content() == PDF
    assert parsed["Subject"] == docs.subject
    assert parsed["To"].addresses[0].addr_spec == docs.reminder.to_emails[0]
    assert parsed["Reply-To"].addresses[0].addr_spec == docs.reply_to
    assert parsed["From"].addresses[0].display_name == docs.company_name
    assert parsed["Content-Language"] == docs.language


def test_cc_comes_from_the_draft(drafts):
    reminder_id = _eur_draft(drafts)
    drafts.execute(
        "update reminder_headers set cc_emails = ['fm@customer.example', 'boss@customer.example']"
        " where reminder_id = $id",
        {"id": reminder_id},
    )
    parsed = _parsed(message.email_message(letter.compose(drafts, reminder_id), PDF))
    assert [a.addr_spec for a in parsed["Cc"].addresses] == ["fm@customer.example", "boss@customer.example"]


def test_message_id_is_the_same_for_every_rendering_of_a_reminder(drafts):
    reminder_id = _eur_draft(drafts)
    first = message.email_message(letter.compose(drafts, reminder_id), PDF)
    second = message.email_message(letter.compose(drafts, reminder_id), PDF)
    assert first["Message-ID"] == second["Message-ID"]
    assert first["Message-ID"].endswith("@northwind.example>")
    other = next(i for i in open_reminder_ids(drafts) if i != reminder_id)
    assert message.email_message(letter.compose(drafts, other), PDF)["Message-ID"] != first["Message-ID"]


@pytest.mark.parametrize(
    "address",
    ["victim@example.com\r\nBcc: all@example.com", "not an address", "a@b", "x@example.com, y@example.com"],
)
def test_a_bad_or_injected_address_is_refused_naming_the_reminder(drafts, address):
    reminder_id = _eur_draft(drafts)
    drafts.execute(
        "update reminder_headers set to_emails = [$a] where reminder_id = $id",
        {"a": address, "id": reminder_id},
    )
    docs = letter.compose(drafts, reminder_id)
    with pytest.raises(BadInput, match=f"reminder {docs.reminder.reminder_no}"):
        message.email_message(docs, PDF)


def test_a_hostile_customer_name_cannot_add_a_header(drafts):
    reminder_id = _eur_draft(drafts)
    r = load_reminder(drafts, reminder_id)
    drafts.execute(
        "update customers set name = $n where customer_no = $c",
        {"n": "Evil\r\nBcc: all@example.com", "c": r.customer.customer_no},
    )
    drafts.execute("insert into template_versions (terms_code, level_no, language, version, subject, opening,"
                   " closing) values ($t, $l, $g, 1, 'For {{ customer_name }}', 'x', 'y')",
                   {"t": r.terms_code, "l": r.level_no, "g": r.language})  # fmt: skip
    raw = message.email_message(letter.compose(drafts, reminder_id), PDF).as_bytes(policy=SMTP)
    parsed = message_from_bytes(raw, policy=default)
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "For Evil Bcc: all@example.com"


def test_no_recipient_or_no_reply_to_is_refused(drafts):
    reminder_id = _eur_draft(drafts)
    drafts.execute("update reminder_headers set to_emails = [] where reminder_id = $id", {"id": reminder_id})
    with pytest.raises(BadInput, match="has no recipient"):
        message.email_message(letter.compose(drafts, reminder_id), PDF)


def test_invoice_pdfs_are_attached_by_document_number_and_missing_ones_named(drafts, tmp_path):
    reminder_id = next(
        i for i in open_reminder_ids(drafts) if len(load_reminder(drafts, i).overdue_lines) >= 2
    )
    docs = letter.compose(drafts, reminder_id)
    first, second = docs.reminder.overdue_lines[:2]
    (tmp_path / message.invoice_pdf_name(first.document_no)).write_bytes(b"%PDF-1.4 invoice one")
    assert message.invoice_attachments(docs, message.invoice_files(drafts)) == ([], [])  # none configured
    files = message.set_invoice_files(drafts, str(tmp_path), "overdue")
    found, missing = message.invoice_attachments(docs, files)
    assert found == [(f"{first.document_no}.pdf", b"%PDF-1.4 invoice one")]
    assert any(second.document_no in m for m in missing)
    parsed = _parsed(message.email_message(docs, PDF, found))
    assert [a.get_filename() for a in parsed.iter_attachments()] == [
        f"{docs.reminder.reminder_no}.pdf",
        f"{first.document_no}.pdf",
    ]


def test_invoice_pdf_names_cannot_leave_the_folder():
    assert message.invoice_pdf_name("../../etc/passwd") == ".._.._etc_passwd.pdf"
    assert message.invoice_pdf_name("SI/2026/001") == "SI_2026_001.pdf"


def test_invoice_files_setting_is_checked(drafts, tmp_path):
    with pytest.raises(BadInput, match="does not exist"):
        message.set_invoice_files(drafts, str(tmp_path / "nope"), "all")
    with pytest.raises(BadInput, match="choose one of none, overdue, all"):
        message.set_invoice_files(drafts, str(tmp_path), "some")
    assert message.invoice_files(drafts).attach == "none"
