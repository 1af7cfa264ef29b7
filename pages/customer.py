"""Customer: everything about one customer on one page, and the statement of account as PDF."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dunning.documents import formatting, statement
from dunning.ledger import customer
from dunning.ledger.payment_behaviour import behaviour_text
from dunning.ui import session as ui

cc = st.column_config
ITEM_COLUMNS = {
    "document_date": cc.DateColumn("Date", format="YYYY-MM-DD"),
    "document_no": cc.TextColumn("Document"),
    "document_type": cc.TextColumn("Type", width="small"),
    "external_document_no": cc.TextColumn("Their ref."),
    "due_date": cc.DateColumn("Due", format="YYYY-MM-DD"),
    "days_overdue": cc.NumberColumn("Days late", format="%d", width="small", help="Days past the due date"),
    "currency": cc.TextColumn("Cur.", width="small"),
    "amount": cc.NumberColumn("Original", format="accounting"),
    "open_amount": cc.NumberColumn("Open", format="accounting"),
    "on_hold": cc.TextColumn("Hold", width="small"),
    "dispute_status": cc.TextColumn("Dispute"),
    "promised_pay_date": cc.DateColumn("Promised", format="YYYY-MM-DD"),
    "last_reminder_level": cc.NumberColumn("Level", format="%d", width="small"),
    "last_reminder_date": cc.DateColumn("Reminded", format="YYYY-MM-DD"),
}
AMOUNTS = {k: cc.NumberColumn(k.replace("_", " ").capitalize(), format="accounting")
           for k in ("total", "open_amount", "overdue_amount", "open_amount_lcy", "overdue_amount_lcy")}  # fmt: skip
REMINDER_COLUMNS = {
    "sent_on": cc.DateColumn("Sent on", format="YYYY-MM-DD"),
    "level_no": cc.NumberColumn("Level", format="%d", width="small"),
    "source": cc.TextColumn(
        "Source", help="dunning: sent from this app; ledger: marked on the imported entries"
    ),
    "reminder_no": cc.TextColumn("Reminder"),
    "currency": cc.TextColumn("Cur.", width="small"),
    "total": cc.NumberColumn("Total", format="accounting"),
    "documents": cc.TextColumn("Documents", width="large"),
}
CONTACT_COLUMNS = {k: cc.TextColumn(k.capitalize()) for k in ("role", "name", "email", "phone")} | {
    "active": cc.CheckboxColumn("Active", width="small")
}

st.title("Customer", anchor=False)
db = ui.database()
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
as_of = cols[-1].date_input("As of", value=dt.date.today(), key="customer_as_of", format="YYYY-MM-DD")
if customer_no != wanted:
    st.query_params["customer"] = customer_no
    st.session_state["customer_param_seen"] = customer_no

with ui.shown_errors():
    view = customer.customer_view(db, customer_no, as_of)
    c = view.customer
    h1, h2 = st.columns([3, 1], vertical_alignment="center")
    h1.subheader(c.name, anchor=False)
    h1.caption(
        f"{c.customer_no} · {formatting.country_name(c.country, 'en') or 'no country'} · "
        f"language {c.language} · currency {c.currency} · payment terms {c.payment_terms or '–'} · "
        f"reminder terms {c.reminder_terms_code or 'default'}"
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

    cur, b, last = view.headline_currency, view.behaviour, view.last_reminder
    m1, m2, m3, m4 = st.columns(4)
    note = {"border": True, "delta_color": "off", "delta_arrow": "off"}
    m1.metric(f"Open balance ({cur})", f"{view.open_balance:,.2f}", f"{len(view.items)} open items", **note,
              help="Open invoices less open credit memos and unapplied payments")  # fmt: skip
    m2.metric(f"Overdue ({cur})", f"{view.overdue:,.2f}", f"oldest {view.oldest_days_overdue} days", **note,
              help="Invoices past their due date")  # fmt: skip
    m3.metric("Average days late", "–" if b.avg_days_late_weighted is None else f"{b.avg_days_late_weighted} days",
              f"{b.invoices} invoices paid in 12 months", **note, help="Weighted by amount")  # fmt: skip
    m4.metric("Last reminder", "none" if last is None else f"Level {last.level_no}",
              "never reminded" if last is None else f"sent {last.sent_on:%d %b %Y}", **note)  # fmt: skip

    if view.mixed_currencies:
        st.dataframe(customer.balances_frame(view.balances), hide_index=True, key="customer_balances",
                     column_config=AMOUNTS, placeholder="")  # fmt: skip

    st.markdown(f"**Open items** as of {as_of:%d %b %Y} · {len(view.items)}")
    st.dataframe(customer.items_frame(view.items), hide_index=True, width="stretch", key="customer_items",
                 column_config=ITEM_COLUMNS, placeholder="")  # fmt: skip

    left, right = st.columns(2)
    left.markdown("**Contacts**")
    left.dataframe(customer.contacts_frame(view.contacts), hide_index=True, width="stretch",
                   key="customer_contacts", column_config=CONTACT_COLUMNS, placeholder="")  # fmt: skip
    right.markdown("**Reminders sent**")
    right.dataframe(customer.reminders_frame(view.reminders), hide_index=True, width="stretch",
                    key="customer_reminders", column_config=REMINDER_COLUMNS, placeholder="")  # fmt: skip

    st.markdown("**Payment behaviour**")
    st.write(behaviour_text(b))

    st.markdown("**Dunning**")
    ui.customer_terms(db, customer_no, c.reminder_terms_code or None)
    ui.contact_forms(db, customer_no, as_of)
