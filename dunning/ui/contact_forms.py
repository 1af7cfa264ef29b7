"""The customer page's two forms that hold reminders back: log a contact, record an agreement.

Each saves in its submit callback (dunning.ui.forms), shows the outcome under it and lists the customer's
contacts or agreements below; a saved note is cleared, a rejected one stays in the form.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dunning.db import Database
from dunning.ledger import contacts
from dunning.ui import forms, frames


def _log_contact(db: Database, customer_no: str) -> None:
    s = st.session_state
    on, channel, note = s["contact_on"], s["contact_channel"], s["contact_note"]
    if forms.save("contact", lambda: contacts.log_contact(db, customer_no, on, channel, note, created_by="app"),
                  f"Logged the {channel} contact of {on:%d %b %Y}."):  # fmt: skip
        s["contact_note"] = ""


def _add_agreement(db: Database, customer_no: str) -> None:
    s = st.session_state
    on, until, note = s["agreement_on"], s["agreement_until"], s["agreement_note"]
    if forms.save("agreement", lambda: contacts.add_agreement(db, customer_no, on, until, note, created_by="app"),
                  f"Recorded the agreement: no reminder for {customer_no} until {until}."):  # fmt: skip
        s["agreement_note"], s["agreement_until"] = "", None


def contact_form(db: Database, customer_no: str) -> None:
    """Log a contact made by hand, then the customer's contact log."""
    today = dt.date.today()
    with st.form("contact_form"):
        st.markdown("**Log a contact**")
        c1, c2 = st.columns(2)
        c1.date_input("Date", value=today, max_value=today, key="contact_on", format="YYYY-MM-DD")
        c2.selectbox("Channel", contacts.CHANNELS, key="contact_channel", format_func=str.capitalize)
        st.text_area("Note", key="contact_note", required=True, height=80,
                     placeholder="What was said or promised")  # fmt: skip
        st.form_submit_button("Log contact", key="contact_submit", type="primary", width="stretch",
                              icon=":material/call:", on_click=_log_contact, args=(db, customer_no))  # fmt: skip
    forms.show_outcome("contact")
    log = contacts.contact_history(db, customer_no)
    st.markdown(f"**Contact log** · {len(log)}")
    st.dataframe(frames.contact_log_frame(log), key="customer_contact_log", hide_index=True, width="stretch",
                 placeholder="", column_config=frames.CONTACT_LOG_COLUMNS)  # fmt: skip


def agreement_form(db: Database, customer_no: str, as_of: dt.date) -> None:
    """Record an agreement, then the customer's agreements and whether each is active on as_of."""
    with st.form("agreement_form"):
        st.markdown("**Record an agreement**")
        c1, c2 = st.columns(2)
        c1.date_input("Agreed on", value=dt.date.today(), key="agreement_on", format="YYYY-MM-DD")
        c2.date_input("Valid until", value=None, key="agreement_until", format="YYYY-MM-DD", required=True,
                      help="No reminder for this customer until this date")  # fmt: skip
        st.text_area("Note", key="agreement_note", required=True, height=80,
                     placeholder="e.g. payment plan: two instalments")  # fmt: skip
        st.form_submit_button("Record agreement", key="agreement_submit", type="primary", width="stretch",
                              icon=":material/handshake:", on_click=_add_agreement, args=(db, customer_no))  # fmt: skip
    forms.show_outcome("agreement")
    items = contacts.agreements(db, customer_no)
    st.markdown(f"**Agreements** · {sum(a.active(as_of) for a in items)} active on {as_of:%d %b %Y}")
    st.dataframe(frames.agreements_frame(items, as_of), key="customer_agreements", hide_index=True,
                 width="stretch", placeholder="", column_config=frames.AGREEMENT_COLUMNS)  # fmt: skip
