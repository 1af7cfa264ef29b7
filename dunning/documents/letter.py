"""A reminder's documents: subject, plain-text and HTML email body, and the letter's HTML (PDF by pdf.py).

compose() reads the reminder (reminder.py), the company, and the level's texts in the customer's language
(texts.py), and renders the shipped templates (reminder_letter.html, reminder_email.txt, reminder_email.html)
in that language. The letter carries the way to pay: for EUR an EPC QR code ("GiroCode") with the company's
IBAN, the amount due and the reminder's RF creditor reference; for CHF the Swiss QR-bill payment part; for
other currencies the bank details. What the company lacks for this document is listed in `missing` and is
never printed blank: the letter then points to the bank account on the invoices. compose_many() composes a
batch alike, reading the reminders, the company and each level's texts once for the batch.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from dunning.db import Database
from dunning.documents import formatting, payment, templating, texts
from dunning.documents.company import Company, load_company, missing_fields
from dunning.documents.reminder import OPEN_STATUSES, Line, Reminder, load_reminder, load_reminders
from dunning.documents.statement import DOCUMENT_TYPES
from dunning.documents.statement import company as sender
from dunning.documents.translations import N_
from dunning.errors import BadInput
from dunning.money import minor_units

TITLES = {"friendly": N_("Payment reminder"), "firm": N_("Reminder"), "final": N_("Final reminder")}


@dataclass(frozen=True)
class Documents:
    """Everything that goes out for one reminder, before the PDF is drawn."""

    reminder: Reminder
    language: str
    subject: str
    text: str  # the plain-text email body
    html: str  # the HTML email body
    letter_html: str  # the letter, for pdf.py
    template_version: int
    reference: str  # the compact RF creditor reference
    missing: tuple[str, ...]  # company fields the documents need and lack
    problems: tuple[str, ...]  # other things to fix before sending (e.g. no payment QR code, and why)
    reply_to: str
    company_name: str


def percent(rate: Decimal, locale: str) -> str:
    """'10.15 %' in the customer's locale (the sign as the language writes it)."""
    return formatting.percent(rate, locale)


def _rates_text(rates: tuple[Decimal, ...], locale: str) -> str:
    return " / ".join(percent(r, locale) for r in rates)


def text_variables(r: Reminder, c: Company, locale: str) -> dict[str, Any]:
    """The variables of the level's texts (texts.VARIABLES), formatted for the customer."""

    def money(amount: Decimal) -> str:
        return formatting.money(amount, r.currency, locale)

    period = r.interest_period
    return {
        "customer_name": r.customer.name,
        "customer_no": r.customer.customer_no,
        "contact_name": r.contact_name,
        "company_name": c.legal_name,
        "controller_name": c.controller_name,
        "reminder_no": r.reminder_no,
        "reference": payment.reference_for_print(r.payment_reference)
        if r.payment_reference
        else r.reminder_no,
        "level": r.level_no,
        "document_date": formatting.date(r.document_date, locale, "long"),
        "deadline": formatting.date(r.payment_deadline, locale, "long"),
        "currency": r.currency,
        "invoice_count": len(r.overdue_lines),
        "overdue": money(r.overdue_amount),
        "credits": money(r.credits_amount),
        "total": money(r.total),
        "fee": money(r.fee),
        "fee_charged": bool(r.fee),
        "interest_amount": money(r.interest_only),
        "interest_charged": bool(r.interest_only),
        "interest_rate": _rates_text(r.rates, locale),
        "interest_period": (
            f"{formatting.date(period[0], locale)} – {formatting.date(period[1], locale)}" if period else ""
        ),
        "compensation": money(r.compensation),
        "compensation_charged": bool(r.compensation),
    }


def _data_uri(data: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _line(line: Line, locale: str) -> dict[str, Any]:
    return {**line.__dict__, "charges": line.charges, "rate_text": _rates_text(line.rates, locale)}


Payment = tuple[dict[str, str], str | None, str | None, list[str]]


def _payment(r: Reminder, c: Company, lang: str) -> Payment:
    """The account to pay to, the EPC QR code or QR-bill as data: URIs, and why a code is missing."""
    account = c.bank_account(r.currency)
    if account is None or not r.payment_reference or r.total <= 0:
        return {}, None, None, []
    shown = {"bank": account.bank_name, "iban": account.iban_grouped, "bic": account.bic}
    try:
        if r.currency == "EUR":
            data = payment.epc_payload(c.legal_name, account.iban, account.bic, r.total, r.payment_reference)
            # a PNG, one pixel per module scaled without smoothing (reminder.css): drawing the SVG's path
            # cost WeasyPrint more than the rest of the letter's images together
            return shown, _data_uri(payment.qr_png(data, scale=1), "image/png"), None, []
        if r.currency == "CHF":
            cu = r.customer
            bill = payment.swiss_qr_bill_svg(
                account_iban=account.iban, creditor_name=c.legal_name,
                creditor_street=", ".join(c.address_lines), creditor_post_code=c.post_code,
                creditor_city=c.city, creditor_country=c.country, amount=r.total, currency=r.currency,
                reference=r.payment_reference, debtor_name=cu.name, debtor_street=cu.address,
                debtor_post_code=cu.post_code, debtor_city=cu.city, debtor_country=cu.country,
                message=r.reminder_no, language=lang,
            )  # fmt: skip
            return shown, None, _data_uri(bill.encode("utf-8"), "image/svg+xml"), []
    except BadInput as exc:
        return shown, None, None, [f"no payment QR code on reminder {r.reminder_no}: {exc}"]
    return shown, None, None, []


def _signature(c: Company) -> list[str]:
    lines = [line.strip() for line in c.signature.splitlines() if line.strip()]
    return lines or [name for name in (c.controller_name, c.legal_name) if name]


def letter_context(
    r: Reminder, c: Company, rendered: texts.RenderedText, folder: Path | None, pay: Payment
) -> dict[str, Any]:
    """Everything the letter and email templates may use; PAY is _payment()'s result."""
    lang = formatting.language_of(r.language)
    locale = formatting.document_locale(r.language, r.customer.country)
    _ = templating.gettext_for(lang, folder)
    cu = r.customer
    town = " ".join(p for p in (cu.post_code, cu.city) if p)
    account, epc_qr, qr_bill, _problems = pay
    totals = [(_("Overdue amount"), r.overdue_amount)]
    totals += [(_("Credits netted"), r.credits_amount)] if r.credits_amount else []
    totals += [(_("Reminder fee"), r.fee)] if r.fee else []
    totals += [(_("Interest"), r.interest_only)] if r.interest_only else []
    totals += [(_("Compensation for recovery costs"), r.compensation)] if r.compensation else []
    listed = [line for line in r.lines if line.kind in ("overdue", "credit")]
    return {
        "lang": lang,
        "locale": locale,
        "places": minor_units(r.currency),  # the decimals of the reminder's currency: 3 for KWD, 0 for JPY
        "r": r,
        "tone": r.tone,
        "title": _(TITLES.get(r.tone, TITLES["friendly"])),
        "subject": rendered.subject,
        "opening": rendered.opening,
        "closing": rendered.closing,
        "company": sender(c, [r.currency], locale),
        "address_lines": [
            x
            for x in (
                cu.name,
                *cu.address.splitlines(),
                town,
                formatting.country_name(cu.country, locale).upper(),
            )
            if x
        ],
        "attention": r.contact_name,
        "reference": payment.reference_for_print(r.payment_reference)
        if r.payment_reference
        else r.reminder_no,
        "lines": [_line(line, locale) for line in listed],
        "info_lines": [_line(line, locale) for line in r.lines if line.kind not in ("overdue", "credit")],
        "charges": any(line.charges for line in listed),
        "totals": totals,
        "doc_types": {k: _(v) for k, v in DOCUMENT_TYPES.items()},
        "account": account,
        "epc_qr": epc_qr,
        "qr_bill": qr_bill,
        "signature_lines": _signature(c),
    }


class Sources:
    """What the reminders of a batch read alike, each read once: the company (with its bank accounts) and
    each level's texts in each language (and version). A batch that composes in chunks keeps one."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.company = load_company(db)
        self._texts: dict[tuple[str, int, str, int | None], texts.LevelText] = {}

    def text(self, r: Reminder) -> texts.LevelText:
        """For a sent reminder the version it was sent with, else the level's current text."""
        number = r.template_version if r.status not in OPEN_STATUSES else None
        key = (r.terms_code, r.level_no, r.language, number)
        if key not in self._texts:
            self._texts[key] = (
                texts.version(self.db, r.terms_code, r.level_no, r.language, number)
                if number is not None
                else texts.current(self.db, r.terms_code, r.level_no, r.language)
            )
        return self._texts[key]


def compose(
    db: Database, reminder_id: int, folder: str | Path | None = None, text: texts.LevelText | None = None
) -> Documents:
    """The reminder's subject, email bodies and letter HTML, in the customer's language.

    The texts are TEXT when given (the Templates page previews an unsaved edit), else for a sent reminder
    the version it was sent with, else the level's current text."""
    r = load_reminder(db, reminder_id)
    with db.session():
        sources = Sources(db)
        chosen = text if text is not None else sources.text(r)
    return _documents(r, sources.company, chosen, folder)


def compose_many(
    db: Database,
    reminder_ids: Sequence[int],
    folder: str | Path | None = None,
    sources: Sources | None = None,
) -> list[Documents]:
    """compose() of each reminder, in the order given, reading the reminders and the reference rates once for
    the set, and the company and each level's texts once for SOURCES (a new one when not given); raises
    BadInput as compose() does for any of them."""
    with db.session():
        reminders = load_reminders(db, reminder_ids)
        sources = sources or Sources(db)
        chosen = [sources.text(reminders[int(i)]) for i in reminder_ids]
    return [
        _documents(reminders[int(i)], sources.company, text, folder)
        for i, text in zip(reminder_ids, chosen, strict=True)
    ]


def _documents(r: Reminder, c: Company, text: texts.LevelText, folder: str | Path | None) -> Documents:
    lang = formatting.language_of(r.language)
    locale = formatting.document_locale(r.language, r.customer.country)
    rendered = texts.render(text, text_variables(r, c, locale))
    where = Path(folder) if folder is not None else None
    pay = _payment(r, c, lang)
    context = letter_context(r, c, rendered, where, pay)
    return Documents(
        reminder=r,
        language=lang,
        subject=rendered.subject,
        text=templating.render("reminder_email.txt", context, folder, language=lang),
        html=templating.render("reminder_email.html", context, folder, language=lang),
        letter_html=templating.render("reminder_letter.html", context, folder, language=lang),
        template_version=rendered.version,
        reference=r.payment_reference,
        missing=missing_fields(c, r.currency),
        problems=tuple(pay[3]),
        reply_to=c.reply_to,
        company_name=c.legal_name,
    )
