"""The History page's parts: the reminders issued (and failed, unknown, cancelled) as a table, the archived
email and letter of the one selected to download, and cancelling it after a confirmation dialog.

Every value comes from dunning.dispatch.history unchanged; cancelling goes through
dunning.reminders.issued.cancel, whose refusal (a later reminder holds one of its entries: the newest
first) is shown as it is. The outcome is kept in st.session_state[NOTICE] and shown once on the next run.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dunning.access import Action
from dunning.db import Database
from dunning.dispatch.history import IssuedReminder, archived
from dunning.errors import DunningError
from dunning.reminders.issued import cancel
from dunning.ui.auth import can
from dunning.ui.markdown import literal
from dunning.ui.send_panel import sender

CANCELLING = "hist_cancelling"  # the reminder id the open dialog offers to cancel
NOTICE = "hist_notice"  # (kind, text) of the last cancel, shown once
cc = st.column_config

COLUMNS = {
    "date": cc.DateColumn("Date", format="YYYY-MM-DD", width="small"),
    "reminder_no": cc.TextColumn("Reminder", width=95),
    "customer_no": cc.TextColumn("Customer", width="small"),
    "name": cc.TextColumn("Name", width="medium"),
    "level": cc.NumberColumn("Level", format="%d", width="small"),
    "status": cc.TextColumn("Status", width="small"),
    "total": cc.NumberColumn("Total", format="accounting"),
    "currency": cc.TextColumn("Cur.", width="small"),
    "recipients": cc.TextColumn("Recipients", width="medium"),
    "overdue_amount": cc.NumberColumn("Overdue", format="accounting"),
    "fee": cc.NumberColumn("Fee", format="accounting"),
    "interest": cc.NumberColumn("Interest", format="accounting"),
    "transport": cc.TextColumn("Transport", width="medium"),
    "sent_by": cc.TextColumn("Sent by", width="small"),
    "template_version": cc.NumberColumn("Text version", format="%d", width="small"),
    "detail": cc.TextColumn("Note", width="large"),
}


def matching(rows: Sequence[IssuedReminder], text: str) -> list[IssuedReminder]:
    """The reminders whose customer number or name holds TEXT (any case); all when TEXT is blank."""
    needle = text.strip().casefold()
    if not needle:
        return list(rows)
    return [r for r in rows if needle in r.customer_no.casefold() or needle in r.name.casefold()]


def frame(rows: Sequence[IssuedReminder]) -> pd.DataFrame:
    """One row per reminder, in the columns of COLUMNS (recipients joined; money stays Decimal)."""
    return pd.DataFrame(
        [
            {k: (", ".join(r.recipients) if k == "recipients" else getattr(r, k)) for k in COLUMNS}
            for r in rows
        ],
        columns=list(COLUMNS),
    )


def selected(rows: Sequence[IssuedReminder], event: object) -> IssuedReminder | None:
    """The reminder of the table's selected row, if one is selected and still listed."""
    picked = getattr(getattr(event, "selection", None), "rows", None) or []
    return rows[picked[0]] if picked and picked[0] < len(rows) else None


def downloads(db: Database, r: IssuedReminder) -> None:
    """The archived email and letter of a reminder, or why there are none."""
    try:
        eml, letter_pdf = archived(db, r.reminder_id)
    except DunningError as exc:
        st.caption(literal(exc))
        return
    left, right = st.columns(2)
    left.download_button(
        f"Email {r.reminder_no} (.eml)", eml, file_name=f"{r.reminder_no}.eml", mime="message/rfc822",
        key="hist_eml", on_click="ignore", icon=":material/mail:", width="stretch",
    )  # fmt: skip
    right.download_button(
        f"Letter {r.reminder_no} (PDF)", letter_pdf, file_name=f"{r.reminder_no}.pdf", mime="application/pdf",
        key="hist_pdf", on_click="ignore", icon=":material/picture_as_pdf:", width="stretch",
    )  # fmt: skip


def _ask(reminder_id: int) -> None:
    st.session_state[CANCELLING] = reminder_id


def _drop() -> None:
    st.session_state.pop(CANCELLING, None)


def cancel_button(db: Database, r: IssuedReminder) -> None:
    """The "Cancel reminder" button of a sent one; the dialog asks before anything changes. None for someone
    who may not cancel."""
    if not can(Action.CANCEL):
        return
    st.button(
        f"Cancel {r.reminder_no}", key="hist_cancel", icon=":material/cancel:", disabled=r.status != "sent",
        on_click=_ask, args=(r.reminder_id,),
        help="Takes back its entries' levels, interest and compensation, as Business Central's \"Cancel issued"
        " reminder\"; only a sent reminder, and the newest first",
    )  # fmt: skip
    if st.session_state.get(CANCELLING) == r.reminder_id:
        cancel_dialog(db, r)


@st.dialog("Cancel reminder", on_dismiss=_drop)
def cancel_dialog(db: Database, r: IssuedReminder) -> None:
    st.markdown(
        f"Cancel **{r.reminder_no}** of **{literal(r.customer_no)} {literal(r.name)}** (level {r.level}, {r.currency} "
        f"{r.total:,.2f}, sent {r.date})? Its entries fall back to their level before it, and its fee, interest "
        "and compensation are no longer charged. Who cancelled it and when is recorded on the reminder."
    )
    left, right = st.columns(2)
    if left.button(
        "Cancel the reminder", key="hist_cancel_confirm", type="primary", icon=":material/cancel:"
    ):
        if st.session_state.pop(CANCELLING, None) == r.reminder_id:
            try:
                cancel(db, r.reminder_id, by=sender())
            except DunningError as exc:
                st.session_state[NOTICE] = ("error", str(exc))
            else:
                st.session_state[NOTICE] = ("success", f"Cancelled {r.reminder_no} of {r.customer_no}.")
        st.rerun()
    if right.button("Keep it", key="hist_cancel_keep", icon=":material/undo:"):
        _drop()
        st.rerun()


def notice() -> None:
    """The outcome of the last cancel, once."""
    shown = st.session_state.pop(NOTICE, None)
    if shown is not None:
        (st.success if shown[0] == "success" else st.error)(shown[1])
