"""Settings: the aging buckets behind the overview's tiles (day ranges, labels, severity, alert amounts)."""

from __future__ import annotations

import streamlit as st

from dunning.ui import session as ui

st.title("Aging buckets", anchor=False)
st.caption(
    "One row per tile of the overview, in order. The first bucket ends at 0 days (within terms), each next "
    "one starts the day after the previous ends, and the last one is open above."
)
db = ui.database()
with ui.shown_errors():
    ui.bucket_editor(db)
