"""Sending, below the review grid of the Create reminders page: where reminders go (the configured transport
in plain words), one button that sends the run's open drafts after a confirmation dialog (how many, to how
many recipients, by which transport, totals per currency), a progress bar during the batch, the result of
each reminder with a retry for a failed one alone, the reminders of unknown fate for a person to decide,
and a test email through the same transport.

Sending only ever starts from the dialog's Confirm button. The Send (or Retry) button puts a one-shot offer
in st.session_state[OFFER] (the ids shown in the dialog); Confirm pops it and sends exactly those. A rerun
the user did not start, a second click, or a Confirm replayed after the batch finds no offer and sends
nothing. The transport comes from os.environ with Streamlit secrets over it (top-level DUNNING_* values);
no secrets file is fine, and the password is never shown (the core's descriptions never hold it).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from dunning.access import Action
from dunning.db import Database
from dunning.dispatch import batch
from dunning.dispatch.claims import resolve_unknown
from dunning.documents.company import load_company
from dunning.errors import BadInput, DunningError
from dunning.mail.outbox import OutboxTransport
from dunning.mail.settings import describe, transport_from_env
from dunning.mail.smtp import send_test
from dunning.mail.transport import Transport
from dunning.money import round_to_minor_unit
from dunning.reminders import review
from dunning.ui.auth import can, current_actor
from dunning.ui.markdown import literal

if TYPE_CHECKING:
    from dunning.dispatch.send import SendResult

OFFER = "sp_offer"  # the ids the open dialog offers to send; popped by Confirm
RESULTS = "sp_results"  # {"run": run id, "results": {reminder id: SendResult}} of this session's batches
NOTICE = "sp_notice"  # (kind, text) of the last batch or decision, shown once
cc = st.column_config


def mail_environment() -> dict[str, str]:
    """os.environ with the top-level scalar values of Streamlit secrets over it (as Streamlit itself does)."""
    environ = dict(os.environ)
    try:
        secrets = st.secrets.to_dict()
    except FileNotFoundError:  # StreamlitSecretNotFoundError: no secrets file, or one that cannot be read
        secrets = {}
    environ.update({str(k): str(v) for k, v in secrets.items() if isinstance(v, str | int | float)})
    return environ


def _db_path(db: Database) -> Path | None:
    return None if db.path == ":memory:" else Path(db.path)


def sender() -> str:
    """Who sends, as recorded on the reminder: the person logged in, else 'app:' and the account the app
    runs as (dunning/ui/auth.py)."""
    actor = current_actor()
    return actor.name if actor is not None else "nobody"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def pending_of_run(db: Database, run_id: int | None) -> list[batch.Pending]:
    """The reminders a send takes (open, included), of the run when given."""
    pending = batch.sendable(db)
    if run_id is None:
        return pending
    ids = {int(i) for i in review.grid(db, run_id)["reminder_id"]}
    return [p for p in pending if p.reminder_id in ids]


def _offer(ids: Sequence[int]) -> None:
    st.session_state[OFFER] = [int(i) for i in ids]


def _drop_offer() -> None:
    st.session_state.pop(OFFER, None)


def send_section(db: Database, run_id: int | None) -> None:
    """The sending part of the page, for the drafts of run RUN_ID (all open drafts when None); nothing for
    someone who may not send."""
    if not can(Action.SEND):
        return
    st.subheader("Send", anchor=False)
    environ = mail_environment()
    try:
        where = describe(environ, _db_path(db))
        transport = transport_from_env(environ, _db_path(db))
    except BadInput as exc:
        st.error(f"Sending is not set up correctly: {literal(exc)}", icon=":material/error:")
        return
    if isinstance(transport, OutboxTransport):
        st.warning(where, icon=":material/outbox:")
    else:
        st.info(where, icon=":material/mail:")
    if RESULTS in st.session_state and st.session_state[RESULTS]["run"] != run_id:
        del st.session_state[RESULTS]  # a new proposal: the last batch's results belong to other drafts
    pending = pending_of_run(db, run_id)
    st.button(
        f"Send {_plural(len(pending), 'reminder')}" if pending else "Nothing left to send", key="sp_send", type="primary", icon=":material/send:",
        disabled=not pending, on_click=_offer, args=([p.reminder_id for p in pending],),
        help="Asks first: how many, to how many recipients, by which transport, totals per currency",
    )  # fmt: skip
    if OFFER in st.session_state:
        confirm_dialog(db, environ, run_id)
    notice = st.session_state.pop(NOTICE, None)
    if notice is not None:
        (st.success if notice[0] == "success" else st.error)(literal(notice[1]))
    results_section(db)
    unknown_section(db)
    test_email_section(db, environ)


@st.dialog("Send reminders", on_dismiss=_drop_offer)
def confirm_dialog(db: Database, environ: Mapping[str, str], run_id: int | None) -> None:
    ids = set(st.session_state.get(OFFER) or ())
    pending = [p for p in batch.sendable(db) if p.reminder_id in ids]
    s = batch.summary(pending)
    transport = transport_from_env(environ, _db_path(db))
    st.markdown(
        f"Send **{_plural(s.count, 'reminder')}** to **{_plural(s.recipients, 'recipient')}** by "
        f"**{transport.description}**."
    )
    for currency, total in sorted(s.totals.items()):
        st.markdown(f"- {currency} {round_to_minor_unit(total, currency):,}")  # KWD 3 places, JPY none
    if isinstance(transport, OutboxTransport):
        st.caption(
            "No SMTP server is configured: the messages go to the outbox folder and nobody receives them."
        )
    left, right = st.columns(2)
    if left.button("Confirm", key="sp_confirm", type="primary", icon=":material/send:", disabled=not pending):
        offer = st.session_state.pop(OFFER, None)  # one-shot: a replayed click finds nothing to send
        if offer is not None:
            _send(db, transport, [p.reminder_id for p in pending if p.reminder_id in set(offer)], run_id)
        st.rerun()
    if right.button("Cancel", key="sp_cancel", icon=":material/close:"):
        _drop_offer()
        st.rerun()


def _send(db: Database, transport: Transport, ids: list[int], run_id: int | None) -> None:
    from dunning.dispatch.send import send_reminders  # loads the documents (and WeasyPrint) when sending

    bar = st.progress(0.0, text=f"Drawing {_plural(len(ids), 'letter')} ...")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Sent {done:,} of {total:,}")

    kept = st.session_state.get(RESULTS) or {"run": run_id, "results": {}}
    try:
        results = send_reminders(db, ids, transport, on=dt.date.today(), by=sender(), progress=progress)
    except DunningError as exc:
        st.session_state[NOTICE] = ("error", str(exc))
        return
    kept["results"].update({r.reminder_id: r for r in results})
    st.session_state[RESULTS] = kept
    parts = []
    for status in ("sent", "failed", "unknown", "skipped"):
        numbers = [r.reminder_no for r in results if r.status == status]
        if numbers:
            named = "" if status == "sent" else f" ({', '.join(numbers)})"
            parts.append(f"{len(numbers)} {status}{named}")
    all_sent = all(r.status == "sent" for r in results)
    st.session_state[NOTICE] = ("success" if all_sent else "error", f"Done: {', '.join(parts)}.")


def results_frame(results: Sequence[SendResult]) -> pd.DataFrame:
    """One row per reminder of this session's batches: number, customer, status, recipients, what happened."""
    return pd.DataFrame(
        [
            {"reminder_no": r.reminder_no, "customer_no": r.customer_no, "status": r.status,
             "recipients": ", ".join(r.recipients), "detail": r.detail}
            for r in results
        ],
        columns=["reminder_no", "customer_no", "status", "recipients", "detail"],
    )  # fmt: skip


def results_section(db: Database) -> None:
    """The results of this session's batches; a failed one that is still open can be retried alone."""
    results: list[SendResult] = list((st.session_state.get(RESULTS) or {"results": {}})["results"].values())
    if not results:
        return
    st.dataframe(
        results_frame(results), key="sp_results_table", hide_index=True, width="stretch",
        column_config={"reminder_no": "Reminder", "customer_no": "Customer", "status": "Status",
                       "recipients": cc.TextColumn("Recipients", width="medium"),
                       "detail": cc.TextColumn("What happened", width="large")},
    )  # fmt: skip
    open_ids = {p.reminder_id for p in batch.sendable(db)}
    for r in results:
        if r.status == "failed" and r.reminder_id in open_ids:
            st.button(
                f"Retry {r.reminder_no} ({literal(r.customer_no)}) alone", key=f"sp_retry_{r.reminder_id}",
                icon=":material/replay:", on_click=_offer, args=([r.reminder_id],),
            )  # fmt: skip


def _resolve(db: Database, reminder_id: int, number: str, delivered: bool) -> None:
    try:
        resolve_unknown(db, reminder_id, delivered, sender())
    except DunningError as exc:
        st.session_state[NOTICE] = ("error", str(exc))
        return
    what = "recorded as sent" if delivered else "back to draft, to be sent again"
    st.session_state[NOTICE] = ("success", f"{number} {what}.")


def unknown_section(db: Database) -> None:
    """The reminders whose delivery is unknown (of any run): a person says whether each arrived."""
    waiting = batch.unknown(db)
    if not waiting:
        return
    st.warning(
        f"{_plural(len(waiting), 'reminder')} of unknown fate: the connection was lost after the server may "
        "have taken the message. Check whether it arrived (the recipient, or the server's log), then say so; "
        "until then its customer gets no new reminder.",
        icon=":material/help:",
    )
    for u in waiting:
        text, yes, no = st.columns([6, 1, 1], vertical_alignment="center")
        who = f"{u.customer_no} to {', '.join(u.recipients)}: {u.detail}"
        text.markdown(f"**{u.reminder_no}** {literal(who)}")
        yes.button("Delivered", key=f"sp_delivered_{u.reminder_id}", on_click=_resolve,
                   args=(db, u.reminder_id, u.reminder_no, True))  # fmt: skip
        no.button("Not delivered", key=f"sp_not_delivered_{u.reminder_id}", on_click=_resolve,
                  args=(db, u.reminder_id, u.reminder_no, False))  # fmt: skip


def test_email_section(db: Database, environ: Mapping[str, str]) -> None:
    """Send a short test message through the configured transport and show what the server said."""
    with st.expander("Send a test email", icon=":material/outgoing_mail:"):
        to = st.text_input("Send a test email to", key="sp_test_to", placeholder="you@example.com")
        if not st.button("Send the test email", key="sp_test_send", icon=":material/send:"):
            return
        try:
            sender_address = environ.get("DUNNING_FROM", "").strip() or load_company(db).reply_to
            if not sender_address:
                raise BadInput(
                    "no sender address: set the company's reply-to address on the Company page, or DUNNING_FROM"
                )
            transport = transport_from_env(environ, _db_path(db))
            delivery = send_test(transport, to.strip(), sender_address)
        except DunningError as exc:
            st.error(f"The test email was not sent: {literal(exc)}")
            return
        refused = "; ".join(f"{a} refused: {code} {text}" for a, (code, text) in delivery.refused.items())
        if delivery.accepted:
            reply = f" ({delivery.server_reply})" if delivery.server_reply else ""
            st.success(
                literal(
                    f"Test email from {sender_address} to {to.strip()} handed to {transport.description}{reply}."
                )
            )
        if refused:
            st.error(literal(refused))
