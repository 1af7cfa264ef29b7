"""Settings: the aging buckets behind the overview's tiles (day ranges, labels, severity, alert amounts)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dunning.aging import buckets
from dunning.ui import forms, frames
from dunning.ui.session import database, shown_errors

st.title("Aging buckets", anchor=False)
st.caption(
    "One row per tile of the overview, in order. The first bucket ends at 0 days (within terms), each next "
    "one starts the day after the previous ends, and the last one is open above."
)
db = database()
with shown_errors():
    # Edit the buckets in a table; every problem is listed; saving is possible only without one.
    cc = st.column_config
    edited = st.data_editor(
        frames.buckets_frame(buckets.load(db)), key="bucket_editor", num_rows="dynamic", hide_index=True,
        width="stretch", placeholder="open",
        column_config={
            "label": cc.TextColumn("Label", required=True, max_chars=30),
            "min_days": cc.NumberColumn("From (days)", step=1, format="%d", help="Empty: open below (first bucket)"),
            "max_days": cc.NumberColumn("To (days)", step=1, format="%d", help="Empty: open above (last bucket)"),
            "severity": cc.SelectboxColumn("Severity", options=list(buckets.SEVERITIES), required=True,
                                           format_func=frames.SEVERITY_LABELS.__getitem__,
                                           help="The tile's colour; the overview shades the ambers and the reds "
                                                "light to dark in bucket order"),
            "alert_amount_lcy": cc.TextColumn(f"Alert above ({db.lcy()})",
                                              help="The tile turns red above this amount; empty: never"),
        },
    )  # fmt: skip
    defs, problems = buckets.from_records(edited.to_dict("records"))
    forms.show_outcome("bucket")
    forms.show_problems("buckets", problems)
    st.session_state["bucket_pending"] = None if problems else defs
    st.button("Save buckets", key="bucket_save", type="primary", disabled=bool(problems), icon=":material/save:",
              on_click=forms.save_edits, args=("bucket", partial(buckets.save, db), "Saved {n} aging buckets."))  # fmt: skip
