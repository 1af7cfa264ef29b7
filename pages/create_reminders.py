"""Reminders: Create reminders. Options as in Business Central; the proposal saves drafts and lists who was
skipped and why."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dunning.reminders import proposal, review
from dunning.reminders.proposal import ProposalOptions, parse_customer_filter, propose
from dunning.ui import review_grid, send_panel
from dunning.ui import session as ui
from dunning.ui.markdown import literal

st.title("Create reminders", anchor=False)
st.caption(
    "Proposes a reminder for every customer with entries due for their next level, listing all their overdue "
    "entries after netting open credits; the others are listed with the reason. Running it again replaces the "
    "open drafts; approved and sent reminders stay."
)
db = ui.database()
c1, c2, c3 = st.columns(3)
as_of = c1.date_input("Document date (as of)", dt.date.today(), key="cr_as_of", format="YYYY-MM-DD")
posting = c1.date_input("Posting date", as_of, key="cr_posting", format="YYYY-MM-DD")
override = c2.checkbox("Override the grace period", key="cr_override_grace")
grace = c2.number_input("Grace period (days)", 0, 365, 0, key="cr_grace", disabled=not override)
customers = c3.text_input(
    "Customers", key="cr_customers", help="Customer numbers (comma-separated) or a search text"
)
o1, o2 = st.columns(2)
only_overdue = o1.checkbox(
    "Only entries with overdue amounts", True, key="cr_only_overdue",
    help="Off: also list the entries not yet due, as information",
)  # fmt: skip
on_hold = o1.checkbox(
    "Include entries on hold", key="cr_on_hold",
    help="List held, disputed, agreed and maxed-out entries as information, never triggering",
)  # fmt: skip
not_due = o2.checkbox("List entries not yet due", key="cr_not_due", help="Listed as information")
header_level = o2.checkbox(
    "Use the header level for all lines", key="cr_header_level",
    help="Each line takes the reminder's level, but never more than one above its last level",
)  # fmt: skip

with ui.shown_errors():
    if st.button("Create reminders", key="cr_run", type="primary", icon=":material/playlist_add:"):
        nos, search = parse_customer_filter(db, customers)
        options = ProposalOptions(
            as_of=as_of, posting_date=posting, grace_days=int(grace) if override else None, customer_nos=nos,
            customer_search=search, only_overdue=only_overdue, include_on_hold=on_hold,
            include_not_due=not_due, use_header_level=header_level,
        )  # fmt: skip
        run = propose(db, options)
        st.session_state["cr_run_id"] = run.run_id
        st.session_state["cr_scope_note"] = run.scope_note and f"{run.scope_note} ({customers.strip()!r})"

run_id = st.session_state.get("cr_run_id")
if run_id is not None:
    if st.session_state.get("cr_scope_note"):
        st.warning(literal(st.session_state["cr_scope_note"]), icon=":material/person_search:")
    with ui.shown_errors():
        for error in review_grid.apply_pending(db, run_id):
            st.error(literal(error))
    drafts, skipped = review.grid(db, run_id), proposal.skipped_frame(db, run_id)
    m1, m2, m3 = st.columns(3)
    m1.metric("Draft reminders", f"{len(drafts):,}")
    m2.metric("Lines", f"{int(drafts['lines'].sum()) if len(drafts) else 0:,}")
    m3.metric("Customers skipped", f"{skipped['customer_no'].nunique():,}")
    st.subheader(
        "Drafts", anchor=False,
        help="Change a level, the recipients, waive a fee or interest, leave a draft out, or delete it (select"
        " the row, press Delete) saying why; each change is saved at once",
    )  # fmt: skip
    with ui.shown_errors():
        review_grid.draw(db, run_id, drafts)
        review_grid.ask_deletions(db, drafts)
        review_grid.lines_section(db, drafts)
    send_panel.send_section(db, run_id)
    st.subheader("Skipped", anchor=False)
    st.dataframe(
        skipped, key="cr_skipped", hide_index=True, width="stretch",
        column_config={"customer_no": "Customer", "name": "Name", "currency": "Currency", "reason": "Reason"},
    )  # fmt: skip
