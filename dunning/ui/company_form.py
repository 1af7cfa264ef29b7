"""The Company page's parts: the details form kept in step with the database, the logo upload, the bank
account table, and the words for what documents still lack (the customer page says it too).

Each part saves in its widget callback through dunning.ui.forms, so a rejected change keeps what the user
typed and the core's message under it, and a saved one shows the stored (cleaned) values on the next run.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dunning.db import Database
from dunning.documents.company import (
    TEXT_FIELDS,
    Company,
    load_company,
    set_company,
    set_logo,
)
from dunning.documents.message import ATTACH_CHOICES, invoice_files, set_invoice_files
from dunning.ui import forms

LABELS = {
    "legal_name": "Legal name",
    "address": "Address",
    "post_code": "Post code",
    "city": "City",
    "country": "Country",
    "vat_no": "VAT number",
    "registration": "Registration",
    "phone": "Phone",
    "reply_to": "Reply-to email",
    "controller_name": "Credit controller",
    "signature": "Signature",
}
BANK_COLUMNS = ["currency", "iban", "bic", "bank_name"]
_BANK = "bank account "  # missing_fields names a missing account 'bank account CUR'


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def missing_text(names: Iterable[str]) -> str:
    """'legal name, city and a bank account in GBP and USD' for missing_fields' names."""
    names = list(dict.fromkeys(names))
    words = [LABELS.get(n, n).lower() for n in names if not n.startswith(_BANK)]
    banks = [n.removeprefix(_BANK) for n in names if n.startswith(_BANK)]
    if banks:
        words.append(f"a bank account in {_and(banks)}")
    return _and(words) if words else ""


def missing_summary(missing: Mapping[str, Sequence[str]]) -> str:
    """What documents in the given currencies still lack, in one sentence ('' when nothing)."""
    text = missing_text(name for names in missing.values() for name in names)
    return f"Documents still lack the company's {text}." if text else ""


def _key(name: str) -> str:
    return f"company_{name}"


def sync_fields(company: Company) -> None:
    """Show the stored values in the form when they changed (saved here or by `dunning company set`) or the
    form was away; a rejected save keeps what was typed."""
    stored = {name: getattr(company, name) for name in TEXT_FIELDS}
    s = st.session_state
    if s.get("company_seen") != stored or any(_key(name) not in s for name in TEXT_FIELDS):
        for name, value in stored.items():
            s[_key(name)] = value
        s["company_seen"] = stored


def save_details(db: Database) -> None:
    """Submit callback of the details form: the fields that changed, checked and saved by the core."""
    current = load_company(db)
    changes = {
        name: st.session_state[_key(name)]
        for name in TEXT_FIELDS
        if st.session_state[_key(name)] != getattr(current, name)
    }
    if not changes:
        forms.save("company", lambda: None, "Nothing to save: no field was changed.")
        return
    saved = _and([LABELS[name].lower() for name in changes])
    forms.save("company", lambda: set_company(db, **changes), f"Saved the company's {saved}.")


def details_form(db: Database, company: Company) -> None:
    """Every text field of the company in one form."""
    sync_fields(company)
    with st.form("company_form", border=True):
        c1, c2, c3 = st.columns(3)
        c1.text_input(LABELS["legal_name"], key=_key("legal_name"), help="As registered")
        c1.text_area(LABELS["address"], key=_key("address"), height=110, help="Street lines, at most 4")
        p1, p2, p3 = c1.columns([3, 4, 2])
        p1.text_input(LABELS["post_code"], key=_key("post_code"))
        p2.text_input(LABELS["city"], key=_key("city"))
        p3.text_input(LABELS["country"], key=_key("country"), max_chars=2, placeholder="NL")
        for name, hint in [
            ("vat_no", "e.g. NL123456789B01"),
            ("registration", "e.g. KvK 12345678"),
            ("phone", "e.g. +31 10 123 4567"),
            ("reply_to", "Where customers' answers go, e.g. credit@example.com"),
        ]:
            c2.text_input(LABELS[name], key=_key(name), help=hint)
        c3.text_input(LABELS["controller_name"], key=_key("controller_name"), help="Signs the letters")
        c3.text_area(LABELS["signature"], key=_key("signature"), height=180,
                     help="The lines under the letter, at most 6")  # fmt: skip
        st.form_submit_button("Save company details", key="company_save", type="primary",
                              icon=":material/save:", on_click=save_details, args=(db,))  # fmt: skip
    forms.show_outcome("company")


def upload_key() -> str:
    return f"company_logo_upload_{st.session_state.get('company_logo_round', 0)}"


def upload_logo(db: Database) -> None:
    """Uploader callback: save the file as the logo, then offer an empty uploader again."""
    file = st.session_state.get(upload_key())
    if file is None:
        return
    forms.save(
        "company_logo", lambda: set_logo(db, file.name, file.getvalue()), f"Saved {file.name} as the logo."
    )
    st.session_state["company_logo_round"] = st.session_state.get("company_logo_round", 0) + 1


def remove_logo(db: Database) -> None:
    forms.save("company_logo", lambda: set_company(db, logo=None), "Removed the logo.")


def logo_data_url(company: Company) -> str | None:
    """The logo as a data: URL (st.image shows PNG, JPEG and SVG alike that way)."""
    if company.logo is None or company.logo_media_type is None:
        return None
    return f"data:{company.logo_media_type};base64,{base64.b64encode(company.logo).decode('ascii')}"


def bank_frame(company: Company) -> pd.DataFrame:
    rows = [(a.currency, a.iban_grouped, a.bic, a.bank_name) for a in company.bank_accounts]
    return pd.DataFrame(rows, columns=BANK_COLUMNS, dtype="object")


def bank_rows(records: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str, str]]:
    """The edited table's rows as set_bank_accounts takes them (a wholly empty row is left out)."""
    rows = []
    for r in records:
        currency, iban, bic, bank_name = ("" if r.get(c) is None else str(r[c]) for c in BANK_COLUMNS)
        if any(cell.strip() for cell in (currency, iban, bic, bank_name)):
            rows.append((currency, iban, bic, bank_name))
    return rows


ATTACH_LABELS = {"none": "None", "overdue": "Overdue lines", "all": "Every line listed"}


def save_invoice_files(db: Database) -> None:
    """Save button callback of the invoice PDFs form: the folder and which lines' invoices are attached."""
    folder = (st.session_state.get("company_invoice_folder") or "").strip() or None
    attach = st.session_state.get("company_invoice_attach") or "none"
    forms.save("company_invoices", lambda: set_invoice_files(db, folder, attach),
               "Saved: " + ("no invoice PDFs are attached." if attach == "none"
                            else f"reminder emails attach the invoice PDFs of {ATTACH_LABELS[attach].lower()}."))  # fmt: skip


def invoice_files_form(db: Database) -> None:
    """The folder of the original invoice PDFs (named by document number) and which are attached."""
    files = invoice_files(db)
    with st.form("company_invoices_form", border=False):
        st.text_input("Folder holding the invoice PDFs", value=str(files.folder or ""), key="company_invoice_folder",
                      placeholder="/srv/erp/invoices", help="Each invoice as <document no>.pdf, e.g. SI0001234.pdf")  # fmt: skip
        st.radio("Attach to reminder emails", ATTACH_CHOICES, index=ATTACH_CHOICES.index(files.attach),
                 format_func=ATTACH_LABELS.get, horizontal=True, key="company_invoice_attach")  # fmt: skip
        st.form_submit_button(
            "Save invoice PDFs",
            icon=":material/save:",
            key="company_invoices_save",
            on_click=save_invoice_files,
            args=(db,),
        )
    forms.show_outcome("company_invoices")
