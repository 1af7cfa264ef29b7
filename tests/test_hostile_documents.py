"""Hostile text in what a customer receives (issue 12): line breaks in names and addresses cannot add a
header, and a name, address or text that carries a URL or markup stays literal in the subject, both bodies and
the PDF letter, which fetches nothing from outside while it is drawn."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from email.policy import SMTP, default
from typing import Any

import pytest

from dunning.db import Database
from dunning.documents import letter, message, pdf
from dunning.documents.reminder import load_reminder, open_reminder_ids
from dunning.reminders.proposal import ProposalOptions, propose
from tests.conftest import AS_OF
from tests.pdfs import text_of

PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def draft(sample_db: Database) -> Iterator[tuple[Database, int]]:
    propose(sample_db, ProposalOptions(as_of=AS_OF))
    yield (
        sample_db,
        next(i for i in open_reminder_ids(sample_db) if load_reminder(sample_db, i).currency == "EUR"),
    )


def parsed(db: Database, rid: int) -> Any:
    raw = message.email_message(letter.compose(db, rid), PDF).as_bytes(policy=SMTP)
    return message_from_bytes(raw, policy=default)


def test_a_company_name_with_a_line_break_cannot_add_a_header(draft: tuple[Database, int]) -> None:
    """The company page refuses a line break, but a stored name may predate that check (or come back with an
    old backup): the From header stays one line, with no Bcc, instead of failing the send."""
    db, rid = draft
    db.execute("update company set legal_name = 'Northwind\r\nBcc: all@example.com'")
    mail = parsed(db, rid)
    assert mail["Bcc"] is None
    assert mail["From"].addresses[0].display_name == "Northwind Bcc: all@example.com"


@pytest.mark.parametrize("field", ["name", "address"])
def test_a_line_break_in_a_customer_field_stays_inside_the_message(
    draft: tuple[Database, int], field: str
) -> None:
    db, rid = draft
    no = load_reminder(db, rid).customer.customer_no
    db.execute(
        f"update customers set {field} = $v where customer_no = $c",  # noqa: S608 (field: the test's own)
        {"v": "Acme\r\nBcc: all@example.com\r\n\r\nInjected body", "c": no},
    )
    mail = parsed(db, rid)
    assert mail["Bcc"] is None
    assert [k.lower() for k in mail.keys()].count("to") == 1
    assert all("\n" not in str(v) and "\r" not in str(v) for v in mail.values())


def test_urls_and_markup_in_names_stay_literal_and_nothing_is_fetched(
    draft: tuple[Database, int],
    http_server: tuple[str, list[str]],  # noqa: F811
) -> None:
    db, rid = draft
    url, seen = http_server
    no = load_reminder(db, rid).customer.customer_no
    name = f'<img src="{url}/name.png"> ![x]({url}/md.png) {{{{ 7*7 }}}}'
    address = f'<link rel="stylesheet" href="{url}/a.css">Main Street 1'
    db.execute(
        "update customers set name = $n, address = $a where customer_no = $c",
        {"n": name, "a": address, "c": no},
    )
    docs = letter.compose(db, rid)
    assert name in docs.text
    for html in (docs.html, docs.letter_html):
        assert "<img src=" not in html.split("<body", 1)[-1].replace('<img src="data:', "")
        assert "&lt;img src=" in html
    assert "&lt;link" in docs.letter_html  # the address is printed on the letter
    drawn = text_of(pdf.html_to_pdf(docs.letter_html))
    assert "![x](" in drawn and "{{ 7*7 }}" in drawn  # printed as written: no image, no template code run
    assert seen == [], f"drawing the letter fetched {seen}"
    assert parsed(db, rid)["Subject"] == " ".join(docs.subject.split())
