"""Reminders: Runs. Every scheduled run (`dunning run`, from cron or a systemd timer): when, what it imported,
proposed, sent, left for review and why; the reminders of one run; when runs may send, and what."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dunning.access import Action
from dunning.jobs.log import reminders_frame, runs_frame
from dunning.ui import runs_view as view
from dunning.ui import session as ui
from dunning.ui.auth import can

st.title("Runs", anchor=False)
st.caption(
    "Scheduled runs import, propose and, with --send, send the reminders whose terms (or customer) send "
    "automatically, on business days inside the sending window; everything else stays a draft on Create "
    "reminders. Running again sends nothing twice. README's Scheduled runs shows a cron line and a systemd timer."
)
db = ui.database()
with ui.shown_errors():
    view.status(db, dt.datetime.now(dt.UTC))
    runs = runs_frame(db)
    if runs.empty:
        st.info(
            "No run yet: schedule `dunning run --send` (see README's Scheduled runs).",
            icon=":material/schedule:",
        )
    else:
        event = st.dataframe(
            runs, key="runs_table", hide_index=True, width="stretch", column_config=view.COLUMNS,
            column_order=list(view.COLUMNS), on_select="rerun", selection_mode="single-row",
        )  # fmt: skip
        run_id = view.picked_run(runs, event)
        row = runs[runs["run"] == run_id].iloc[0]
        st.subheader(f"Run {run_id}: {row['status']}, as of {row['as_of']}", anchor=False)
        view.imported_and_note(row, newest=run_id == int(runs.iloc[0]["run"]))
        st.dataframe(reminders_frame(db, run_id), key="runs_reminders", hide_index=True, width="stretch",
                     column_config=view.REMINDER_COLUMNS)  # fmt: skip
    if can(Action.SETTINGS):  # an admin's: the window, the time zone and the terms sent unreviewed
        with st.expander("When runs send, and what", icon=":material/tune:"):
            view.settings_form(db)
