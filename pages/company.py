"""Settings: the company every statement and reminder speaks for — its details, logo and bank accounts."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dunning.documents.company import (
    document_currencies,
    load_company,
    missing_fields,
    set_bank_accounts,
)
from dunning.ui import company_form, forms
from dunning.ui.session import database, shown_errors

st.title("Company", anchor=False)
st.caption(
    "The sender of every statement and reminder: its name and address head the letter, the reply-to address "
    "receives the customers' answers, and each document shows the bank account of its currency."
)
db = database()
cc = st.column_config
with shown_errors():
    company = load_company(db)
    currencies = document_currencies(db)
    summary = company_form.missing_summary({cur: missing_fields(company, cur) for cur in currencies})
    if summary:
        st.warning(f"{summary} Complete them below: until then statements and reminders leave them out.",
                   icon=":material/warning:")  # fmt: skip
    else:
        st.success(f"Documents in {', '.join(currencies)} have everything they need.",
                   icon=":material/check_circle:")  # fmt: skip

    st.subheader("Details", anchor=False)
    company_form.details_form(db, company)

    logo_col, bank_col = st.columns([1, 2], gap="large")
    with logo_col:
        st.subheader("Logo", anchor=False)
        url = company_form.logo_data_url(company)
        with st.container(border=True, height=120, vertical_alignment="center", key="company_logo_box"):
            if url:
                st.image(url, width=240)
            else:
                st.caption("No logo: the letterhead shows the company's name alone.")
        st.file_uploader(
            "Upload a logo", type=["png", "jpg", "jpeg", "svg"], key=company_form.upload_key(), max_upload_size=1,
            on_change=company_form.upload_logo, args=(db,), help="It replaces the current logo on every document",
        )  # fmt: skip
        st.button("Remove logo", key="company_logo_remove", icon=":material/delete:", disabled=url is None,
                  on_click=company_form.remove_logo, args=(db,))  # fmt: skip
        forms.show_outcome("company_logo")

    with bank_col:
        st.subheader("Bank accounts", anchor=False)
        st.caption(
            f"One account per currency; documents go out in {', '.join(currencies)}. Add a row, change a "
            "cell or delete a row, then save: every IBAN is checked with its check digits, and a table "
            "with a mistake is not saved."
        )
        current = company_form.bank_frame(company)
        edited = st.data_editor(
            current, key="company_banks_editor", num_rows="dynamic", hide_index=True, width="stretch",
            column_config={
                "currency": cc.TextColumn("Currency", required=True, max_chars=3, help="e.g. EUR"),
                "iban": cc.TextColumn("IBAN", required=True, help="Spaces are allowed"),
                "bic": cc.TextColumn("BIC", help="8 or 11 characters; optional"),
                "bank_name": cc.TextColumn("Bank"),
            },
        )  # fmt: skip
        rows = company_form.bank_rows(edited.to_dict("records"))
        st.session_state["company_banks_pending"] = rows
        unchanged = rows == company_form.bank_rows(current.to_dict("records"))
        st.button("Save bank accounts", key="company_banks_save", type="primary", icon=":material/save:",
                  disabled=unchanged, on_click=forms.save_edits,
                  args=("company_banks", partial(set_bank_accounts, db), "Saved {n} bank accounts."))  # fmt: skip
        forms.show_outcome("company_banks")

    st.subheader("Invoice PDFs", anchor=False)
    st.caption(
        "Optionally, reminder emails carry the original invoices: a file per invoice named by its document "
        "number in one folder on this machine. An invoice without a file is named on the draft's result."
    )
    company_form.invoice_files_form(db)
