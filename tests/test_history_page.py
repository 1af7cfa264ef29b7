"""The History page: what was issued (sent here through a real SMTP server on 127.0.0.1, and the sample's
earlier runs), filtered by customer, status and date; the archived email of a selected reminder, the same
bytes the server received; cancelling with a confirmation, and the core's refusal shown as it is."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.dispatch import batch
from dunning.dispatch.history import archived, issued_reminders
from dunning.dispatch.send import SendResult, send_reminders
from dunning.mail.smtp import SmtpSettings, SmtpTransport
from dunning.reminders.proposal import ProposalOptions, propose
from tests.conftest import AS_OF, ROOT
from tests.smtp_server import Received, serve

PAGE = str(ROOT / "pages" / "history.py")
SENT_ON = AS_OF + dt.timedelta(days=1)


@pytest.fixture
def sent(app_db: Path) -> tuple[list[SendResult], list[Received]]:
    """The sample's drafts as of AS_OF sent to a real SMTP server on SENT_ON, one customer's only address
    refused (that reminder fails): the results and what the server received."""
    with Database(app_db) as db, serve() as server:
        propose(db, ProposalOptions(as_of=AS_OF))
        drafts = batch.sendable(db)
        lone = [d for d in drafts if len(d.recipients) == 1]
        shared = {a for d in drafts if d not in lone for a in d.recipients}
        server.handler.refuse.add(next(d.recipients[0] for d in lone if d.recipients[0] not in shared))
        transport = SmtpTransport(SmtpSettings(host=server.host, port=server.port, security="none"))
        results = send_reminders(db, [d.reminder_id for d in drafts], transport, on=SENT_ON, by="tester")
        return results, list(server.received)


def start() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    return ok(at.run())


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def listed(at: AppTest) -> list[str]:
    (table,) = at.dataframe
    return list(table.value["reminder_no"])


def select(at: AppTest, reminder_no: str) -> AppTest:
    row = listed(at).index(reminder_no)
    at.session_state["hist_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return ok(at.run())


def test_every_issued_reminder_is_listed_newest_first_with_what_was_sent(app_db: Path, sent) -> None:
    results, _ = sent
    at = start()
    with Database(app_db) as db:
        everything = issued_reminders(db)
    assert listed(at) == [r.reminder_no for r in everything]
    frame = at.dataframe[0].value.set_index("reminder_no")
    mine = next(r for r in results if r.status == "sent")
    row = frame.loc[mine.reminder_no]
    assert (row["status"], row["sent_by"], row["customer_no"]) == ("sent", "tester", mine.customer_no)
    assert row["recipients"] == ", ".join(mine.recipients)
    assert row["transport"].startswith("SMTP 127.0.0.1:")
    assert row["date"] == SENT_ON
    assert set(listed(at)[: len(results)]) == {r.reminder_no for r in results}  # newest first


def test_filters_by_status_customer_and_date(app_db: Path, sent) -> None:
    results, _ = sent
    at = start()
    at.selectbox(key="hist_status").set_value("failed")
    ok(at.run())
    failed = [r.reminder_no for r in results if r.status == "failed"]
    assert failed and listed(at) == failed
    at.selectbox(key="hist_status").set_value("all")
    at.date_input(key="hist_from").set_value(SENT_ON)
    ok(at.run())
    assert sorted(listed(at)) == sorted(r.reminder_no for r in results)
    customer = results[0].customer_no
    at.text_input(key="hist_customer").set_value(customer.lower())
    ok(at.run())
    assert listed(at) == [r.reminder_no for r in results if r.customer_no == customer]
    at.date_input(key="hist_from").set_value(None)
    at.date_input(key="hist_to").set_value(AS_OF - dt.timedelta(days=1))
    ok(at.run())
    with Database(app_db) as db:
        earlier = [r.reminder_no for r in issued_reminders(db, customer_no=customer) if r.date < AS_OF]
    assert listed(at) == earlier and results[0].reminder_no not in earlier


def test_a_selected_reminder_offers_the_archived_email_the_server_received(app_db: Path, sent) -> None:
    results, received = sent
    mine = next(r for r in results if r.status == "sent")
    at = start()
    assert not at.get("download_button")
    select(at, mine.reminder_no)
    labels = [b.label for b in at.get("download_button")]
    assert labels == [f"Email {mine.reminder_no} (.eml)", f"Letter {mine.reminder_no} (PDF)"]
    # the page's buttons carry exactly archived()'s bytes; the email is what the server received
    with Database(app_db) as db:
        eml, letter_pdf = archived(db, mine.reminder_id)
    (got,) = [
        r for r in received if message_from_bytes(r.content, policy=default)["Message-ID"] == mine.message_id
    ]
    assert got.content == eml
    assert letter_pdf.startswith(b"%PDF")
    assert not at.button(key="hist_cancel").disabled


def test_cancel_asks_then_cancels_and_a_refusal_is_shown(app_db: Path, sent) -> None:
    results, _ = sent
    mine = next(r for r in results if r.status == "sent")
    with Database(app_db) as db:
        older = db.scalar(
            "select distinct b.reminder_id from reminder_lines l join issued_lines b using (entry_no)"
            " join reminder_headers h on h.reminder_id = b.reminder_id"
            " where l.reminder_id = $r and b.reminder_id <> $r and h.status = 'sent' limit 1",
            {"r": mine.reminder_id},
        )
        older_no = next(r.reminder_no for r in issued_reminders(db) if r.reminder_id == older)
    at = start()

    select(at, older_no)  # a later reminder (ours) holds one of its entries: refused, the newest first
    ok(at.button(key="hist_cancel").click().run())
    ok(at.button(key="hist_cancel_confirm").click().run())
    (error,) = at.error
    assert f"cancel reminder {mine.reminder_id} first (the newest first)" in error.value

    select(at, mine.reminder_no)
    ok(at.button(key="hist_cancel").click().run())
    assert any(mine.reminder_no in m.value and "Its entries fall back" in m.value for m in at.markdown)
    ok(at.button(key="hist_cancel_keep").click().run())  # kept: nothing changed
    with Database(app_db) as db:
        assert batch_status(db, mine.reminder_id) == "sent"
    ok(at.button(key="hist_cancel").click().run())
    ok(at.button(key="hist_cancel_confirm").click().run())
    assert f"Cancelled {mine.reminder_no} of {mine.customer_no}." in [s.value for s in at.success]
    with Database(app_db) as db:
        assert batch_status(db, mine.reminder_id) == "cancelled"
    assert at.dataframe[0].value.set_index("reminder_no").loc[mine.reminder_no, "status"] == "cancelled"
    assert at.button(key="hist_cancel").disabled  # a cancelled one cannot be cancelled again


def batch_status(db: Database, reminder_id: int) -> str:
    return str(db.scalar("select status from reminder_headers where reminder_id = $r", {"r": reminder_id}))
