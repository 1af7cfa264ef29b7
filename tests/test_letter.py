"""A reminder's documents from a real draft of the sample: subject, both email bodies and the letter list the
same lines and figures, in the customer's language, with hostile data kept literal."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest

from dunning.db import Database
from dunning.documents import formatting, letter, payment, templating, texts
from dunning.documents.reminder import load_reminder, open_reminder_ids
from dunning.errors import BadInput
from dunning.reminders.proposal import ProposalOptions, propose
from tests.conftest import AS_OF


@pytest.fixture
def drafts(sample_db: Database) -> Database:
    propose(sample_db, ProposalOptions(as_of=AS_OF))
    return sample_db


def _draft(
    db: Database, language: str | None = None, currency: str | None = None, level: int | None = None
) -> int:
    for reminder_id in open_reminder_ids(db):
        r = load_reminder(db, reminder_id)
        if (
            (language is None or r.language == language)
            and (currency is None or r.currency == currency)
            and (level is None or r.level_no == level)
        ):
            return reminder_id
    pytest.fail(f"the sample has no draft in {language} {currency} level {level}")


def _plain(text: str) -> str:
    """Text with HTML tags dropped and entities decoded, spaces of any kind as one space."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\u202f", " "))


def test_every_draft_lists_every_line_with_its_amount_in_both_bodies_and_the_letter(drafts):
    ids = open_reminder_ids(drafts)
    assert len(ids) >= 10
    for reminder_id in ids:
        docs = letter.compose(drafts, reminder_id)
        r = docs.reminder
        locale = formatting.document_locale(r.language, r.customer.country)
        total = formatting.money(r.total, r.currency, locale).replace("\u202f", " ").replace("\xa0", " ")
        bodies = {"text": _plain(docs.text), "html": _plain(docs.html), "letter": _plain(docs.letter_html)}
        for name, body in bodies.items():
            body = body.replace("\xa0", " ")
            assert total in body, (name, r.reminder_no)
            for line in r.lines:
                if line.kind in ("overdue", "credit"):
                    amount = formatting.number(line.remaining_amount, locale).replace("\u202f", " ")
                    assert line.document_no in body, (name, line.document_no)
                    assert amount.replace("\xa0", " ") in body, (name, line.document_no, amount)
        assert r.sums_agree()


def test_subject_and_words_are_in_the_customers_language(drafts):
    for language in ("de", "fr", "nl", "en"):
        word = templating.gettext_for(language)("Due date")
        assert (word == "Due date") == (language == "en")
        docs = letter.compose(drafts, _draft(drafts, language=language))
        r = docs.reminder
        tone = r.tone
        shipped_subject = texts.shipped(tone, language)["subject"].split("{{")[0].strip()
        assert docs.subject.startswith(shipped_subject), (language, docs.subject)
        assert docs.language == language
        assert f'lang="{language}"' in docs.letter_html
        assert word in docs.letter_html and word in docs.text and word in docs.html


def test_the_reference_is_the_reminders_stored_rf_reference(drafts):
    docs = letter.compose(drafts, _draft(drafts, currency="EUR"))
    assert docs.reference == docs.reminder.payment_reference
    assert payment.reference_problem(docs.reference) is None
    assert payment.creditor_reference(docs.reminder.reminder_no) == docs.reference
    assert payment.reference_for_print(docs.reference) in docs.text


def test_eur_letter_carries_an_epc_qr_code_and_others_the_bank_details(drafts):
    eur = letter.compose(drafts, _draft(drafts, currency="EUR"))
    assert (
        'class="qr"' in eur.letter_html and "data:image/png;base64," in eur.letter_html and not eur.problems
    )
    usd = letter.compose(drafts, _draft(drafts, currency="USD"))
    assert 'class="qr"' not in usd.letter_html and "qr-bill" not in usd.letter_html
    assert "IBAN" in usd.text and 'class="bank"' in usd.letter_html


def test_final_level_states_interest_rate_period_and_compensation(drafts):
    reminder_id = next(
        i for i in open_reminder_ids(drafts)
        if (r := load_reminder(drafts, i)).level_no == 3 and r.language == "fr" and r.compensation
    )  # fmt: skip
    docs = letter.compose(drafts, reminder_id)
    body = _plain(docs.text).replace("\xa0", " ")
    assert "10,15 %" in body
    assert "indemnité forfaitaire" in body and "40,00 €" in body
    r = docs.reminder
    start, end = r.interest_period  # type: ignore[misc]
    assert formatting.date(start, "fr") in body and formatting.date(end, "fr") in body


def test_hostile_customer_name_stays_literal_everywhere(drafts):
    reminder_id = _draft(drafts, currency="EUR")
    r = load_reminder(drafts, reminder_id)
    hostile = "<script>alert(1)</script> {{ 7*7 }} & Co"
    drafts.execute(
        "update customers set name = $n where customer_no = $c", {"n": hostile, "c": r.customer.customer_no}
    )
    docs = letter.compose(drafts, reminder_id)
    assert hostile in docs.text
    for body in (docs.html, docs.letter_html):
        assert "<script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp; Co" in body
    assert "{{ 7*7 }}" in docs.text and " 49 " not in docs.text


def test_missing_company_fields_are_named(drafts):
    drafts.execute("update company set reply_to = '', city = ''")
    drafts.execute("delete from bank_accounts where currency = 'GBP'")
    docs = letter.compose(drafts, _draft(drafts, currency="GBP"))
    assert set(docs.missing) >= {"city", "reply_to", "bank account GBP"}
    assert "IBAN" not in docs.text  # no account printed blank: the invoices' account is named instead


def test_a_company_without_names_or_signature_still_gets_its_letter_and_is_told_what_is_missing(drafts):
    # a new install: no legal name, no credit controller, no signature; the letter is composed (nothing
    # printed blank) and says what to set, instead of failing on an empty signature
    drafts.execute("update company set legal_name = '', controller_name = '', signature = ''")
    docs = letter.compose(drafts, _draft(drafts, currency="EUR"))
    assert "legal_name" in docs.missing
    assert docs.letter_html.count('class="name"') == 0


def test_an_unsaved_text_previews_in_place_of_the_current_one(drafts):
    reminder_id = _draft(drafts, language="de")
    r = load_reminder(drafts, reminder_id)
    draft_text = texts.LevelText(
        r.terms_code,
        r.level_no,
        "de",
        0,
        "Vorschau {{ reminder_no }}",
        "Hallo {{ customer_name }}",
        "Tschüss",
    )
    docs = letter.compose(drafts, reminder_id, text=draft_text)
    assert docs.subject == f"Vorschau {r.reminder_no}"
    assert f"Hallo {r.customer.name}" in docs.text


def test_line_fees_and_interest_add_up_to_the_total(drafts):
    for reminder_id in open_reminder_ids(drafts):
        r = load_reminder(drafts, reminder_id)
        listed = sum((x.remaining_amount for x in r.lines if x.kind in ("overdue", "credit")), Decimal(0))
        assert listed + r.fee + r.interest == r.total


def test_many_composed_at_once_are_each_what_compose_makes_of_it(drafts):
    ids = open_reminder_ids(drafts)
    sent = ids[0]
    drafts.execute(
        "update reminder_headers set status = 'sent', template_version = 0 where reminder_id = $r",
        {"r": sent},
    )  # a sent reminder keeps the text version it was sent with
    many = letter.compose_many(drafts, ids)
    assert [d.reminder.reminder_id for d in many] == ids
    assert len({(d.reminder.terms_code, d.reminder.level_no, d.language) for d in many}) > 1
    for docs in many:
        assert docs == letter.compose(drafts, docs.reminder.reminder_id)
    sources = letter.Sources(drafts)  # one kept across the chunks of a batch
    assert (
        letter.compose_many(drafts, ids[:3], sources=sources)
        + letter.compose_many(drafts, ids[3:], sources=sources)
        == many
    )


def test_composing_many_fails_as_composing_one_of_them_does(drafts):
    first, second, *_ = open_reminder_ids(drafts)
    drafts.execute(
        "update reminder_headers set status = 'sent', template_version = 99 where reminder_id = $r",
        {"r": second},
    )
    with pytest.raises(BadInput, match="has no text version 99") as many:
        letter.compose_many(drafts, [first, second])
    with pytest.raises(BadInput) as one:
        letter.compose(drafts, second)
    assert str(many.value) == str(one.value)
