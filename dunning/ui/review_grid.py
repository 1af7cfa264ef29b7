"""The review grid of the Create reminders page: the drafts of a run as an st.data_editor (key "cr_review"),
edits applied through dunning.reminders.review, deletion asking why in a dialog, a draft's lines and its
customer one click away.

How edits are applied: the grid's edit state (st.session_state["cr_review"]: edited_rows and deleted_rows by
row position) is read at the top of the next run and applied against the drafts the grid showed
(st.session_state["cr_review_ids"], position -> reminder id), each change through the core, which refuses
what is wrong with a message naming the reminder. Then the grid is drawn afresh from the database: its data
carries a generation number (a hidden column), raised after every applied edit, so the editor starts clean
and a refused edit does not linger in the grid. Deleted rows are queued in st.session_state["cr_deleting"]
and the dialog asks why for each, one at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from dunning.db import Database
from dunning.documents.letter import compose
from dunning.errors import DunningError
from dunning.reminders import proposal, review
from dunning.ui import preview
from dunning.ui.markdown import literal

KEY = "cr_review"
cc = st.column_config
REASONS = {
    "agreement": "Agreement reached, until a date",
    "promise": "Promise to pay, until a date",
    "other": "Other reason (noted in the customer's log)",
}


def apply_pending(db: Database, run_id: int) -> list[str]:
    """Apply the grid's edit state of the last run; queue deleted rows for the dialog. Returns the errors."""
    state = st.session_state.get(KEY) or {}
    ids: list[int] = st.session_state.get("cr_review_ids") or []
    edited: Mapping[Any, Mapping[str, Any]] = state.get("edited_rows") or {}
    deleted = [ids[int(p)] for p in state.get("deleted_rows") or [] if int(p) < len(ids)]
    if not (edited or deleted) or st.session_state.get("cr_review_run") != run_id:
        return []
    current = review.grid(db, run_id).set_index("reminder_id")
    errors = []
    for pos, changes in edited.items():
        if int(pos) >= len(ids):
            continue
        rid = ids[int(pos)]
        if rid not in current.index:
            errors.append(f"reminder {rid} is no longer in this run; run Create reminders again")
            continue
        try:
            apply_row(db, rid, current.loc[rid], changes)
        except DunningError as exc:
            errors.append(str(exc))
    st.session_state["cr_deleting"] = list(
        dict.fromkeys([*st.session_state.get("cr_deleting", []), *deleted])
    )
    st.session_state["cr_review_gen"] = st.session_state.get("cr_review_gen", 0) + 1
    return errors


def apply_row(db: Database, rid: int, row: pd.Series, changes: Mapping[str, Any]) -> None:
    """One row's edits, each through the core and only where the value differs from the draft's."""
    if "to" in changes or "cc" in changes:
        to = review.parse_addresses(str(changes.get("to", row["to"]) or ""))
        cc_ = review.parse_addresses(str(changes.get("cc", row["cc"]) or ""))
        if (to, cc_) != (review.parse_addresses(row["to"]), review.parse_addresses(row["cc"])):
            review.set_recipients(db, rid, to, cc_)
    if "included" in changes and bool(changes["included"]) != bool(row["included"]):
        review.set_included(db, rid, bool(changes["included"]))
    if changes.get("level") is not None and int(changes["level"]) != int(row["level"]):
        review.change_level(db, rid, int(changes["level"]))
    if "fee_waived" in changes and bool(changes["fee_waived"]) != bool(row["fee_waived"]):
        review.waive_fee(db, rid, bool(changes["fee_waived"]))
    if "interest_waived" in changes and bool(changes["interest_waived"]) != bool(row["interest_waived"]):
        review.waive_interest(db, rid, bool(changes["interest_waived"]))


def _money(label: str, help: str | None = None, width: Any = None) -> Any:
    return cc.NumberColumn(label, format="accounting", disabled=True, help=help, width=width)


def columns(levels: list[int]) -> dict[str, Any]:
    """The grid's columns in order: what decides a reminder (who, level, total, currency, deadline, recipients)
    and its note first, in widths that fit 1440 px; the Cc and the figures behind the total after."""
    return {
        "reminder_id": None,
        "_gen": None,
        "included": cc.CheckboxColumn("Send", width=62, help="Leave out: it stays a draft, not sent"),
        "customer_no": cc.TextColumn("Customer", width=72, disabled=True),
        "name": cc.TextColumn("Name", width=140, disabled=True),
        "level": cc.SelectboxColumn("Level", options=levels, width=64, required=True,
                                    help="Another level proposes the draft again at that level"),
        "total": _money("Total", width=95),
        "currency": cc.TextColumn("Cur.", width=46, disabled=True),
        "payment_deadline": cc.DateColumn("Pay by", format="YYYY-MM-DD", width=86, disabled=True),
        "to": cc.TextColumn("To", width=170, help="Email addresses, separated by commas"),
        "note": cc.TextColumn("Note", width=200, disabled=True, help="What the draft leaves out, and why"),
        "cc": cc.TextColumn("Cc", width="medium", help="Email addresses, separated by commas"),
        "lines": cc.NumberColumn("Lines", format="%d", width="small", disabled=True),
        "overdue": _money("Overdue"),
        "credits": _money("Credits"),
        "fee": _money("Fee"),
        "fee_waived": cc.CheckboxColumn("Waive fee", width="small"),
        "interest": _money("Interest", "Interest and fixed compensation"),
        "interest_waived": cc.CheckboxColumn("Waive int.", width="small"),
        "status": cc.TextColumn("Status", width="small", disabled=True),
        "reminder_no": cc.TextColumn("Number", width="small", disabled=True),
    }  # fmt: skip


def draw(db: Database, run_id: int, frame: pd.DataFrame) -> None:
    """The grid of FRAME (review.grid), remembering which reminder each row is."""
    shown = frame.assign(_gen=st.session_state.get("cr_review_gen", 0))
    config = columns(review.run_levels(db, run_id))
    shown = shown[[c for c in config if c in shown.columns]]
    st.session_state["cr_review_ids"] = [int(r) for r in frame["reminder_id"]]
    st.session_state["cr_review_run"] = run_id
    st.data_editor(
        shown, key=KEY, hide_index=True, width="stretch", num_rows="delete", column_config=config,
        placeholder="",
    )  # fmt: skip


@st.dialog("Why is this reminder not sent?")
def delete_dialog(db: Database, rid: int, label: str) -> None:
    st.write(f"Deleting the draft {literal(label)}. Say why, so that the next run knows.")
    reason = st.radio("Reason", list(REASONS), format_func=REASONS.__getitem__, key="cr_del_reason")
    until = st.date_input("Until", dt.date.today() + dt.timedelta(days=14), key="cr_del_until",
                          format="YYYY-MM-DD", disabled=reason == "other")  # fmt: skip
    note = st.text_area("Note", key="cr_del_note", placeholder="What was agreed or why it is not sent")
    left, right = st.columns(2)
    if left.button("Delete the draft", key="cr_del_confirm", type="primary", icon=":material/delete:"):
        try:
            review.delete_draft(db, rid, str(reason), note, until if reason != "other" else None)
        except DunningError as exc:
            st.error(literal(exc))
            return
        _dequeue(rid)
        st.rerun()
    if right.button("Keep it", key="cr_del_keep", icon=":material/undo:"):
        _dequeue(rid)
        st.rerun()


def _dequeue(rid: int) -> None:
    st.session_state["cr_deleting"] = [r for r in st.session_state.get("cr_deleting", []) if r != rid]


def ask_deletions(db: Database, frame: pd.DataFrame) -> None:
    """Open the dialog for the first draft queued for deletion (dropping any no longer in the run)."""
    known = dict(
        zip(frame["reminder_id"], frame["reminder_no"] + " (" + frame["customer_no"] + ")", strict=True)
    )
    queue = [r for r in st.session_state.get("cr_deleting", []) if r in known]
    st.session_state["cr_deleting"] = queue
    if queue:
        delete_dialog(db, queue[0], known[queue[0]])


def lines_editor(db: Database, rid: int) -> None:
    """The draft's lines; ticking "Waive" on an overdue line waives its interest and compensation (the core
    recomputes the draft's total), unticking restores them. The editor starts clean after each change."""
    lines = proposal.lines_frame(db, rid)
    generation = st.session_state.get("cr_lines_gen", 0)
    edited = st.data_editor(
        lines, key=f"cr_lines_{rid}_{generation}", hide_index=True, width="stretch",
        disabled=[c for c in lines.columns if c != "interest_waived"],
        column_config={"kind": "Kind", "document_type": "Type", "document_no": "Document",
                       "due_date": cc.DateColumn("Due", format="YYYY-MM-DD"), "days_overdue": "Days overdue",
                       "remaining": cc.NumberColumn("Remaining", format="accounting"), "level": "Level",
                       "interest": cc.NumberColumn("Interest", format="accounting",
                                                   help="Interest and fixed compensation"),
                       "interest_waived": cc.CheckboxColumn("Waive", help="Waive this line's interest and compensation"),
                       "entry_no": None},
    )  # fmt: skip
    changed = edited[edited["interest_waived"] != lines["interest_waived"]]
    if changed.empty:
        return
    try:
        for line in changed.itertuples():
            review.waive_interest(db, rid, bool(line.interest_waived), int(line.entry_no))
    except DunningError as exc:
        st.session_state["cr_lines_error"] = str(exc)
    st.session_state["cr_lines_gen"] = generation + 1
    st.rerun()


def lines_section(db: Database, frame: pd.DataFrame) -> None:
    """Pick a draft: its lines, and a link to its customer."""
    labels = {
        int(r.reminder_id): f"{r.reminder_no} {r.customer_no} {r.name} ({r.currency})"
        for r in frame.itertuples()
    }
    rid = st.selectbox("Lines of", list(labels), format_func=labels.__getitem__, key="cr_pick", index=None,
                       placeholder="Pick a draft to see its lines")  # fmt: skip
    if rid is None:
        return
    row = frame.set_index("reminder_id").loc[rid]
    st.subheader(f"Lines of the draft for {literal(row['customer_no'])} ({row['currency']})", anchor=False)
    if "cr_lines_error" in st.session_state:
        st.error(literal(st.session_state.pop("cr_lines_error")))
    try:
        st.page_link("pages/customer.py", label=f"Customer page of {row['customer_no']}", icon=":material/person:",
                     query_params={"customer": row["customer_no"]})  # fmt: skip
    except StreamlitPageNotFoundError:
        st.caption(f"Customer {literal(row['customer_no'])}")
    lines_editor(db, rid)
    st.subheader("What the customer receives", anchor=False)
    docs = compose(db, rid)
    preview.letter_download(docs, "cr_letter_pdf")
    preview.show(docs, "cr_preview", recipients=True, height=480)
