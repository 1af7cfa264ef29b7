"""The Runs page's parts: what the schedule allows now, the runs log as a table, the reminders of the run
selected, and the form that changes the sending window, the time zone and the terms sent automatically.

Every figure comes from dunning.jobs unchanged; changes go through dunning.jobs.schedule, whose refusals
(a wrong time zone, an empty window, a role that may not) are shown as they are.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dunning.db import Database
from dunning.jobs import lock, schedule
from dunning.ui import forms
from dunning.ui.markdown import literal

cc = st.column_config
COLUMNS = {
    "run": cc.NumberColumn("Run", format="%d", width="small"),
    "started_at": cc.DatetimeColumn("Started (UTC)", format="YYYY-MM-DD HH:mm"),
    "status": cc.TextColumn("Status", width="small"),
    "as_of": cc.DateColumn("As of", format="YYYY-MM-DD", width="small"),
    "send": cc.CheckboxColumn("Send", width="small"),
    "drafts": cc.NumberColumn("Drafts", format="%d", width="small"),
    "sent": cc.NumberColumn("Sent", format="%d", width="small"),
    "held": cc.NumberColumn("For review", format="%d", width="small"),
    "failed": cc.NumberColumn("Failed", format="%d", width="small"),
    "note": cc.TextColumn("Note", width="large"),
}
REMINDER_COLUMNS = {
    "reminder_no": cc.TextColumn("Reminder", width=95),
    "customer_no": cc.TextColumn("Customer", width="small"),
    "name": cc.TextColumn("Name", width="medium"),
    "status": cc.TextColumn("Status", width="small"),
    "detail": cc.TextColumn("Why / answer", width="large"),
}


def status(db: Database, now: dt.datetime) -> None:
    """The window, the country whose business days count, whether a run may send now, a run in progress."""
    s = schedule.load_schedule(db)
    why = s.why_not(now)
    country = s.country or "no country set on the Company page: weekends only"
    st.caption(literal(f"Sending window {s.window_text}, business days of {country}. Now: "
                       + ("a run with --send sends." if why is None else why)))  # fmt: skip
    holder = lock.holder(db.path)
    if holder:
        st.info(literal(f"A run is in progress: {holder}."), icon=":material/sync:")


def picked_run(runs: pd.DataFrame, event: object) -> int | None:
    """The run of the table's selected row, else the newest run; None when there is none."""
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    if runs.empty:
        return None
    index = rows[0] if rows and rows[0] < len(runs) else 0
    return int(runs.iloc[index]["run"])


def imported_and_note(row: pd.Series, newest: bool) -> None:
    """What a run imported, why it sent nothing (file names and messages as written, never Markdown), and
    where an older run's drafts left for review are listed."""
    for line in str(row["imported"]).splitlines():
        st.caption(literal(f"Imported {line}"))
    if row["note"]:
        st.caption(literal(row["note"]))
    if not newest and row["held"]:
        st.caption(
            f"It left {row['held']} draft(s) for review; the newest run lists those still waiting, and why."
        )


def settings_form(db: Database) -> None:
    """Time zone, window and the terms whose reminders runs send without review; saved in one go."""
    s = schedule.load_schedule(db)
    switches = schedule.auto_send_overview(db)
    with st.form("runs_settings"):
        zone = st.text_input("Time zone (IANA)", s.time_zone, key="runs_tz", help="e.g. Europe/Amsterdam")
        c1, c2 = st.columns(2)
        start = c1.text_input("Window from (HH:MM)", f"{s.window_start:%H:%M}", key="runs_start")
        end = c2.text_input("Window to (HH:MM)", s.window_end_text, key="runs_end")
        codes = [code for code, _ in switches["terms"]]
        auto = st.multiselect("Terms sent automatically by runs with --send", codes, key="runs_auto",
                              default=[code for code, on in switches["terms"] if on])  # fmt: skip
        saved = st.form_submit_button("Save", type="primary", icon=":material/save:")
    if saved:

        def write() -> None:
            schedule.set_schedule(db, time_zone=zone, window_start=start, window_end=end)
            for code in codes:
                schedule.set_terms_auto_send(db, code, code in auto)

        forms.save("runs_settings", write, "Saved: runs send in the new window, for the terms chosen.")
    forms.show_outcome("runs_settings")
