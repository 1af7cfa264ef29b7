"""Statement of account: one customer's open items as of a date, in the customer's language, as HTML and PDF.

The context is plain data (dataclasses and dicts) rendered by templates/statement.html in the sandbox, in the
customer's language (en, fr, nl, de; English otherwise). Its fixed words are msgids of the "documents" gettext
catalogs: the template's through _(), the document types and aging columns below through N_ and the
language's gettext.

The sender is the company (dunning.documents.company): its legal name, address, contact details and the bank
account of each currency the statement shows. What the company lacks is never printed blank: the statement
says to use the account on the invoices, and `statement_missing` names the fields for the command line.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from dunning.db import Database
from dunning.documents import formatting, pdf, templating
from dunning.documents.company import Company, load_company, missing_fields
from dunning.documents.translations import N_
from dunning.ledger.customer import CustomerView, OpenItem, customer_view
from dunning.money import ZERO

# Customer-facing aging: the usual 30-day columns of a statement, independent of the app's own buckets.
AGING_COLUMNS = (
    ("not_due", N_("Not yet due"), None, 0),
    ("d1_30", N_("1–30 days"), 1, 30),
    ("d31_60", N_("31–60 days"), 31, 60),
    ("d61_90", N_("61–90 days"), 61, 90),
    ("d90", N_("Over 90 days"), 91, None),
)
CREDITS_LABEL = N_("Open credits")
# the ledger's document types (dunning.ledger) as a statement names them
DOCUMENT_TYPES = {
    "invoice": N_("Invoice"),
    "credit_memo": N_("Credit memo"),
    "payment": N_("Payment"),
    "refund": N_("Refund"),
    "finance_charge": N_("Interest charge"),
    "reminder": N_("Reminder fee"),
}


@dataclass(frozen=True)
class AgingCell:
    key: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Section:
    """The open items of one currency, with their total and aging."""

    currency: str
    items: tuple[OpenItem, ...]
    total: Decimal
    overdue: Decimal
    aging: tuple[AgingCell, ...]  # the columns, then 'credits' when there are open credits


def _column(days: int, low: int | None, high: int | None) -> bool:
    return (low is None or days >= low) and (high is None or days <= high)


def section(currency: str, items: list[OpenItem], gettext: Callable[[str], str]) -> Section:
    cells = []
    for key, label, low, high in AGING_COLUMNS:
        amount = sum(
            (i.open_amount for i in items if not i.is_credit and _column(i.days_overdue, low, high)), ZERO
        )
        cells.append(AgingCell(key, gettext(label), amount))
    credits = sum((i.open_amount for i in items if i.is_credit), ZERO)
    if credits:
        cells.append(AgingCell("credits", gettext(CREDITS_LABEL), credits))
    return Section(
        currency=currency,
        items=tuple(items),
        total=sum((i.open_amount for i in items), ZERO),
        overdue=sum((i.open_amount for i in items if i.is_overdue), ZERO),
        aging=tuple(cells),
    )


def currencies(db: Database, view: CustomerView) -> list[str]:
    """The currencies the statement shows: those of its open items, else the customer's."""
    return sorted({i.currency for i in view.items}) or [view.customer.currency or db.lcy()]


def company(c: Company, shown: list[str], locale: str) -> dict[str, Any]:
    """The sender as the template reads it, with the bank account of each currency shown that has one."""
    town = " ".join(p for p in (c.post_code, c.city) if p)
    lines = [*c.address_lines, town, formatting.country_name(c.country, locale)]
    accounts = [
        {"currency": a.currency, "bank": a.bank_name, "iban": a.iban_grouped, "bic": a.bic}
        for a in (c.bank_account(cur) for cur in shown)
        if a is not None
    ]
    return {
        "name": c.legal_name,
        "address_lines": [line for line in lines if line],
        "email": c.reply_to,
        "phone": c.phone,
        "vat_no": c.vat_no,
        "registration": c.registration,
        "accounts": accounts,
        "all_accounts": len(accounts) == len(shown),
        "logo": (
            f"data:{c.logo_media_type};base64,{base64.b64encode(c.logo).decode('ascii')}"
            if c.logo and c.logo_media_type
            else None
        ),
    }


def missing(c: Company, shown: list[str]) -> tuple[str, ...]:
    """What the statement needs but the company lacks, each field once."""
    return tuple(dict.fromkeys(name for cur in shown for name in missing_fields(c, cur)))


def statement_missing(db: Database, customer_no: str, as_of: dt.date) -> tuple[str, ...]:
    """The company's fields the customer's statement needs and lacks (empty when it is complete)."""
    with db.session():
        return missing(load_company(db), currencies(db, customer_view(db, customer_no, as_of)))


def statement_context(db: Database, view: CustomerView) -> dict[str, Any]:
    """Everything templates/statement.html may use."""
    c = view.customer
    lang = formatting.language_of(c.language)
    gettext = templating.gettext_for(lang)
    locale = formatting.document_locale(c.language, c.country)
    ap = next((p for p in view.contacts if p.active and p.role == "accounts_payable"), None)
    town = " ".join(p for p in (c.post_code, c.city) if p)
    country = formatting.country_name(c.country, locale).upper()
    return {
        "lang": lang,
        "locale": locale,
        "doc_types": {k: gettext(v) for k, v in DOCUMENT_TYPES.items()},
        "company": company(load_company(db), currencies(db, view), locale),
        "customer": c,
        "address_lines": [line for line in (c.name, c.address, town, country) if line],
        "attention": ap.name if ap else "",
        "as_of": view.as_of,
        "sections": [
            section(cur, [i for i in view.items if i.currency == cur], gettext)
            for cur in sorted({i.currency for i in view.items})
        ],
    }


def statement_html(db: Database, customer_no: str, as_of: dt.date, folder: str | Path | None = None) -> str:
    """The statement as HTML, read in one unit of work: one consistent state of the data, one wait for the
    file at most (a download prepares it outside the page's run), and the file is free again before the
    PDF is rendered."""
    with db.session():
        context = statement_context(db, customer_view(db, customer_no, as_of))
    return templating.render("statement.html", context, folder, context["lang"])


def statement_pdf(db: Database, customer_no: str, as_of: dt.date, folder: str | Path | None = None) -> bytes:
    """The statement of account as PDF bytes."""
    return pdf.html_to_pdf(statement_html(db, customer_no, as_of, folder), folder)


def file_name(customer_no: str, as_of: dt.date) -> str:
    return f"statement-{customer_no}-{as_of.isoformat()}.pdf"
