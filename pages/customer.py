"""Customer: everything about one customer on one page, and the statement of account as PDF."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dunning.access import Action
from dunning.db import Database
from dunning.documents import formatting, statement
from dunning.documents.company import load_company
from dunning.ledger import customer
from dunning.ledger.payment_behaviour import behaviour_text
from dunning.reminders.terms import default_code, set_customer_terms, terms_codes
from dunning.ui import as_of as as_of_field
from dunning.ui import cached, company_form, contact_forms, forms, frames
from dunning.ui.auth import can
from dunning.ui.markdown import literal
from dunning.ui.session import database, shown_errors


def set_terms(db: Database, customer_no: str, key: str) -> None:
    code = st.session_state[key] or None  # "": the default terms
    forms.save("customer_terms", lambda: set_customer_terms(db, customer_no, code),
               f"{customer_no} now follows {'the default reminder terms' if code is None else f'terms {code}'}.")  # fmt: skip


st.title("Customer", anchor=False)
db = database()
total = customer.customer_count(db)
if not total:
    st.info("No customers yet: import a ledger on the Import page.", icon=":material/info:")
    st.stop()

# ?customer=NO (the overview links here) selects the customer; a choice made here goes back into the URL.
wanted = st.query_params.get("customer")
big = total > customer.CHOICE_LIMIT  # too many customers for one list: search first
cols = st.columns([2, 4, 1] if big else [4, 1], vertical_alignment="bottom")
hint = f"{total:,} customers: number or name"
search = cols[0].text_input("Find customer", key="customer_search", placeholder=hint) if big else ""
keep = (wanted, st.session_state.get("customer_select"))
choices = {
    c.customer_no: c.label
    for c in customer.customer_choices(db, search, limit=customer.CHOICE_LIMIT, keep=keep)
}
if st.session_state.get("customer_select") not in choices or (
    wanted in choices and wanted != st.session_state.get("customer_param_seen")
):
    st.session_state["customer_select"] = wanted if wanted in choices else next(iter(choices))
st.session_state["customer_param_seen"] = wanted

customer_no = cols[-2].selectbox("Customer", list(choices), format_func=choices.get, key="customer_select")
dates = cached.as_of_range(db.path, cached.data_version(db), dt.date.today())
as_of = as_of_field.chosen("customer_as_of", dates, dt.date.today())  # any date of the ledger, ?as_of= too
as_of_field.field(cols[-1], "customer_as_of", dates, as_of)
as_of_field.note("customer_as_of", as_of)
if customer_no != wanted:
    st.query_params["customer"] = customer_no
    st.session_state["customer_param_seen"] = customer_no

with shown_errors():
    view = customer.customer_view(db, customer_no, as_of)
    c = view.customer
    h1, h2 = st.columns([3, 1], vertical_alignment="center")
    h1.subheader(literal(c.name), anchor=False)
    h1.caption(
        literal(
            f"{c.customer_no} · {formatting.country_name(c.country, 'en') or 'no country'} · "
            f"language {c.language} · currency {c.currency} · payment terms {c.payment_terms or '–'} · "
            f"reminder terms {c.reminder_terms_code or 'default'}"
        )
    )
    h2.download_button(
        "Statement of account (PDF)",
        data=lambda: statement.statement_pdf(db, customer_no, as_of),
        file_name=statement.file_name(customer_no, as_of),
        mime="application/pdf",
        key="customer_statement",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        type="primary",
        width="stretch",
    )
    if lacks := statement.missing(load_company(db), statement.currencies(db, view)):
        st.warning(f"The statement lacks the company's {company_form.missing_text(lacks)}: complete them on "
                   "the Company page.", icon=":material/warning:")  # fmt: skip
        st.page_link("pages/company.py", label="Complete the company", icon=":material/business:")

    cur, b, last = view.headline_currency, view.behaviour, view.last_reminder
    m1, m2, m3, m4 = st.columns(4)
    note = {"border": True, "delta_color": "off", "delta_arrow": "off"}
    m1.metric(f"Open balance ({cur})", f"{view.open_balance:,.2f}", f"{len(view.items)} open items", **note,
              help="Open invoices less open credit memos and unapplied payments")  # fmt: skip
    m2.metric(f"Overdue ({cur})", f"{view.overdue:,.2f}", f"oldest {view.oldest_days_overdue} days", **note,
              help="Invoices past their due date")  # fmt: skip
    m3.metric("Average days late", "—" if b.avg_days_late_weighted is None else f"{b.avg_days_late_weighted} days",
              f"{b.invoices} invoices paid in 12 months", **note, help="Weighted by amount")  # fmt: skip
    m4.metric("Last reminder", "none" if last is None else f"Level {last.level_no}",
              "never reminded" if last is None else f"sent {last.sent_on:%d %b %Y}", **note)  # fmt: skip

    if view.mixed_currencies:
        st.dataframe(frames.balances_frame(view.balances), hide_index=True, key="customer_balances",
                     column_config=frames.BALANCE_COLUMNS, placeholder="")  # fmt: skip

    st.markdown(f"**Open items** as of {as_of:%d %b %Y} · {len(view.items)}")
    st.dataframe(frames.items_frame(view.items), hide_index=True, width="stretch", key="customer_items",
                 column_config=frames.ITEM_COLUMNS, placeholder="")  # fmt: skip

    left, right = st.columns([3, 2])  # the contacts' phone numbers fit at 1440 px
    with left:
        st.markdown("**Contacts**")
        contact_forms.people_table(db, customer_no)
    right.markdown("**Reminders sent**")
    right.dataframe(frames.reminders_frame(view.reminders), hide_index=True, width="stretch",
                    key="customer_reminders", column_config=frames.REMINDER_COLUMNS, placeholder="")  # fmt: skip

    st.markdown("**Payment behaviour**")
    st.write(behaviour_text(b))

    st.markdown("**Dunning**")
    # reminder terms: the customer's own, or the default terms ("Default (CODE)", first)
    codes, key = ["", *terms_codes(db)], f"customer_terms_{customer_no}"  # "": the default terms
    t1, t2 = st.columns([1, 2], vertical_alignment="bottom")
    t2.caption("A contact logged within the terms' minimum days between reminders, or an agreement valid on "
               "the reminders' date, holds automatic reminders back for this customer.")  # fmt: skip
    default = f"Default ({default_code(db) or 'none marked'})"
    current = c.reminder_terms_code or None
    t1.selectbox("Reminder terms", codes, index=codes.index(current) if current in codes else 0, key=key,
                 format_func=lambda code: code or default, on_change=set_terms, args=(db, customer_no, key),
                 disabled=not can(Action.CUSTOMERS), width="stretch",
                 help="Terms deciding when and how this customer is reminded")  # fmt: skip
    forms.show_outcome("customer_terms")
    if can(Action.CUSTOMERS):  # a viewer sees the contacts above, and no editor
        e1, e2 = st.columns([2, 1])
        with e1:
            st.markdown("**Edit contacts** · the people reminders are addressed to")
            contact_forms.people_editor(db, customer_no)
        with e2:
            st.markdown("**Customer**")
            contact_forms.details_form(db, customer_no, c.language, c.country)
    left, right = st.columns(2)
    with left:
        contact_forms.contact_form(db, customer_no)
    with right:
        contact_forms.agreement_form(db, customer_no, as_of)
