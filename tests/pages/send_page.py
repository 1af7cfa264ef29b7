"""A page that holds nothing but the send section, for tests/test_send_panel.py: the run's drafts are those
of st.session_state["cr_run_id"], as on the Create reminders page (all open drafts when unset)."""

from __future__ import annotations

import streamlit as st

from dunning.ui import session as ui
from dunning.ui.send_panel import send_section

db = ui.database()
with ui.shown_errors():
    send_section(db, st.session_state.get("cr_run_id"))
