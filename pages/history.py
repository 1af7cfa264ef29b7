"""Reminders: History. Every reminder issued, failed, of unknown fate or cancelled, newest first; the archived
email and letter of one, and cancelling it."""

from __future__ import annotations

import streamlit as st

from dunning.dispatch.history import STATUSES, issued_reminders
from dunning.ui import history_view as view
from dunning.ui import session as ui
from dunning.ui.markdown import literal

st.title("History", anchor=False)
st.caption(
    "Every reminder that left the draft stage: sent, failed (sent again by the next send, or replaced by the "
    "next proposal), unknown (a person decides on the Create reminders page), cancelled. Select one to "
    "download the email and letter exactly as they went out, or to cancel it."
)
db = ui.database()
view.notice()
c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
customer = c1.text_input("Customer", key="hist_customer", placeholder="Number or part of the name")
status = c2.selectbox("Status", ["all", *STATUSES], key="hist_status")
date_from = c3.date_input("From", None, key="hist_from", format="YYYY-MM-DD")
date_to = c4.date_input("To", None, key="hist_to", format="YYYY-MM-DD")

with ui.shown_errors():
    rows = issued_reminders(
        db, status=None if status == "all" else status, date_from=date_from, date_to=date_to
    )
    rows = view.matching(rows, customer)
    st.caption(f"{len(rows):,} reminder{'s' * (len(rows) != 1)}")
    event = st.dataframe(
        view.frame(rows), key="hist_table", hide_index=True, width="stretch", column_config=view.COLUMNS,
        on_select="rerun", selection_mode="single-row",
    )  # fmt: skip
    chosen = view.selected(rows, event)
    if chosen is None:
        st.caption("Select a reminder to download its email and letter or to cancel it.")
    else:
        st.subheader(
            f"{chosen.reminder_no}: {literal(chosen.customer_no)} {literal(chosen.name)}, {chosen.status}",
            anchor=False,
        )
        if chosen.detail:
            st.caption(literal(chosen.detail))
        view.downloads(db, chosen)
        view.cancel_button(db, chosen)
