"""The send section of the Create reminders page (dunning/ui/send_panel.py), through tests/pages/send_page.py:
the transport in plain words, the confirmation dialog, sending only from its Confirm button, the results
(failed with the server's words, retried alone), unknown ones decided by a person, and the test email.
Delivery goes to a real outbox folder or a real SMTP server on 127.0.0.1 (tests/smtp_server.py)."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.dispatch import batch
from dunning.reminders.proposal import ProposalOptions, propose
from dunning.ui.markdown import literal
from tests.conftest import AS_OF, ROOT
from tests.smtp_server import serve

PAGE = str(ROOT / "tests" / "pages" / "send_page.py")
SMTP_VARIABLES = ("DUNNING_SMTP_HOST", "DUNNING_SMTP_PORT", "DUNNING_SMTP_SECURITY", "DUNNING_SMTP_USER",
                  "DUNNING_SMTP_PASSWORD", "DUNNING_FROM")  # fmt: skip


@pytest.fixture
def outbox(app_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No SMTP configured: the transport is the outbox folder DUNNING_OUTBOX."""
    for name in SMTP_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "outbox"
    monkeypatch.setenv("DUNNING_OUTBOX", str(folder))
    return folder


@pytest.fixture
def run_id(app_db: Path) -> int:
    """The drafts of a proposal as of AS_OF on the sample."""
    with Database(app_db) as db:
        return propose(db, ProposalOptions(as_of=AS_OF)).run_id


def pending(app_db: Path) -> list[batch.Pending]:
    with Database(app_db) as db:
        return batch.sendable(db)


def statuses(app_db: Path) -> dict[str, str]:
    with Database(app_db) as db:
        return dict(db.rows("select reminder_no, status from reminder_headers where run_id is not null"))


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def start(run_id: int) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["cr_run_id"] = run_id
    return ok(at.run())


def results(at: AppTest) -> dict[str, tuple[str, str]]:
    (table,) = at.dataframe  # the page holds only the results table
    frame = table.value
    return {r.reminder_no: (r.status, r.detail) for r in frame.itertuples()}


def texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "warning", "success", "error")
        for e in at.get(kind)
    ]
    return "\n".join(str(p) for p in parts) + "\n".join(b.label for b in at.button)


@pytest.fixture
def smtp(app_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A real SMTP server on 127.0.0.1 that refuses one customer's only address; DUNNING_SMTP_* point at it."""
    for name in SMTP_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with serve() as server:
        monkeypatch.setenv("DUNNING_SMTP_HOST", server.host)
        monkeypatch.setenv("DUNNING_SMTP_PORT", str(server.port))
        monkeypatch.setenv("DUNNING_SMTP_SECURITY", "none")
        yield server


def lone_recipient(drafts: list[batch.Pending]) -> batch.Pending:
    """A reminder with one recipient that no other reminder has: refusing it fails that reminder alone."""
    counts: dict[str, int] = {}
    for p in drafts:
        for a in p.recipients:
            counts[a] = counts.get(a, 0) + 1
    return next(p for p in drafts if len(p.recipients) == 1 and counts[p.recipients[0]] == 1)


def test_outbox_send_asks_first_then_writes_one_eml_each_and_a_rerun_sends_nothing_more(
    app_db: Path, outbox: Path, run_id: int
) -> None:
    drafts = pending(app_db)
    s = batch.summary(drafts)
    at = start(run_id)
    (where,) = at.warning
    assert "no SMTP server configured" in where.value and str(outbox) in where.value
    assert at.button(key="sp_send").label == f"Send {s.count} reminders"

    ok(at.button(key="sp_send").click().run())
    shown = texts(at)
    assert f"Send **{s.count} reminders** to **{s.recipients} recipients** by **outbox {outbox}**." in shown
    for currency, total in s.totals.items():
        assert f"- {currency} {total:,.2f}" in shown
    assert not outbox.exists() and set(statuses(app_db).values()) == {"draft"}  # the dialog sent nothing

    ok(at.button(key="sp_confirm").click().run())
    done = results(at)
    assert set(done) == {p.reminder_no for p in drafts}
    assert {status for status, _ in done.values()} == {"sent"}
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == s.count
    to = {str(message_from_bytes(f.read_bytes(), policy=default)["To"]) for f in files}
    assert any(drafts[0].recipients[0] in t for t in to)
    assert set(statuses(app_db).values()) == {"sent"}
    assert "sp_confirm" not in [b.key for b in at.button]  # the dialog closed

    ok(at.run())  # a rerun nobody started with Confirm: nothing more leaves
    ok(at.run())
    assert len(list(outbox.glob("*.eml"))) == s.count
    assert at.button(key="sp_send").label == "Nothing left to send" and at.button(key="sp_send").disabled
    assert "sp_confirm" not in [b.key for b in at.button]


def test_cancel_in_the_dialog_sends_nothing_and_closes_it(app_db: Path, outbox: Path, run_id: int) -> None:
    at = start(run_id)
    ok(at.button(key="sp_send").click().run())
    ok(at.button(key="sp_cancel").click().run())
    assert "sp_confirm" not in [b.key for b in at.button]
    ok(at.run())
    assert not outbox.exists()
    assert set(statuses(app_db).values()) == {"draft"}


def test_smtp_refused_recipient_fails_that_reminder_alone_with_the_server_text_and_retry_sends_it(
    app_db: Path, smtp, run_id: int
) -> None:
    drafts = pending(app_db)
    bad = lone_recipient(drafts)
    smtp.handler.refuse.add(bad.recipients[0])
    at = start(run_id)
    (where,) = at.info
    assert f"SMTP 127.0.0.1:{smtp.port}" in where.value
    ok(at.button(key="sp_send").click().run())
    assert f"by **SMTP 127.0.0.1:{smtp.port} (no encryption)**" in texts(at)
    ok(at.button(key="sp_confirm").click().run())

    done = results(at)
    status, detail = done[bad.reminder_no]
    assert status == "failed"
    assert f"550 5.1.1 <{bad.recipients[0]}>: Recipient address rejected: User unknown" in detail
    assert {done[p.reminder_no][0] for p in drafts if p is not bad} == {"sent"}
    assert len(smtp.received) == len(drafts) - 1
    assert all(bad.recipients[0] not in r.rcpt_tos for r in smtp.received)
    assert any(bad.reminder_no in e.value for e in at.error)  # the summary says something failed

    # the failed one alone, after the same confirmation
    smtp.handler.refuse.clear()
    ok(at.button(key=f"sp_retry_{bad.reminder_id}").click().run())
    assert "Send **1 reminder** to **1 recipient**" in texts(at)
    ok(at.button(key="sp_confirm").click().run())
    assert results(at)[bad.reminder_no][0] == "sent"
    assert len(smtp.received) == len(drafts)
    assert smtp.received[-1].rcpt_tos == bad.recipients
    assert set(statuses(app_db).values()) == {"sent"}
    assert f"sp_retry_{bad.reminder_id}" not in [b.key for b in at.button]


def test_an_unknown_reminder_is_listed_and_a_person_decides(app_db: Path, smtp, run_id: int) -> None:
    smtp.handler.drop_before_reply = 2  # the server takes the second message and closes before saying so
    at = start(run_id)
    ok(at.button(key="sp_send").click().run())
    ok(at.button(key="sp_confirm").click().run())
    lost = [no for no, (status, _) in results(at).items() if status == "unknown"]
    assert len(lost) == 1
    (unknown,) = batch_unknown(app_db)
    assert unknown.reminder_no == lost[0]
    assert "of unknown fate" in at.warning[-1].value
    ok(at.button(key=f"sp_delivered_{unknown.reminder_id}").click().run())
    assert literal(f"{unknown.reminder_no} recorded as sent.") in [s.value for s in at.success]
    assert statuses(app_db)[unknown.reminder_no] == "sent"
    assert f"sp_delivered_{unknown.reminder_id}" not in [b.key for b in at.button]


def batch_unknown(app_db: Path) -> list[batch.Pending]:
    with Database(app_db) as db:
        return batch.unknown(db)


def test_settings_from_secrets_send_the_test_email_and_never_show_the_password(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in SMTP_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    password = "s3cret-Pa55word"
    with serve(credentials=("credit", password)) as server:
        at = AppTest.from_file(PAGE, default_timeout=180)
        at.secrets.update(
            {"DUNNING_SMTP_HOST": "127.0.0.1", "DUNNING_SMTP_PORT": server.port, "DUNNING_SMTP_SECURITY": "none",
             "DUNNING_SMTP_USER": "credit", "DUNNING_SMTP_PASSWORD": password, "DUNNING_FROM": "ar@northwind.example"}
        )  # fmt: skip
        ok(at.run())
        assert f"SMTP 127.0.0.1:{server.port} (no encryption, as credit)" in at.info[0].value
        at.text_input(key="sp_test_to").set_value("me@northwind.example")
        ok(at.button(key="sp_test_send").click().run())
        (success,) = at.success
        assert literal("Test email from ar@northwind.example to me@northwind.example") in success.value
        (received,) = server.received
        assert received.rcpt_tos == ("me@northwind.example",)
        assert message_from_bytes(received.content, policy=default)["Subject"] == "dunning: test email"
        assert password not in texts(at) and password not in str(at.get("text_input"))


def test_a_test_email_to_a_bad_address_says_why(app_db: Path, outbox: Path) -> None:
    at = AppTest.from_file(PAGE, default_timeout=180)
    ok(at.run())
    at.text_input(key="sp_test_to").set_value("not an address")
    ok(at.button(key="sp_test_send").click().run())
    (error,) = at.error
    assert error.value.startswith("The test email was not sent:") and "not an address" in error.value
    assert not outbox.exists() or not list(outbox.glob("*.eml"))


def test_wrong_smtp_settings_are_named_and_nothing_can_be_sent(
    app_db: Path, run_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in SMTP_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DUNNING_SMTP_HOST", "mail.example.com")
    monkeypatch.setenv("DUNNING_SMTP_SECURITY", "tls13")
    at = start(run_id)
    (error,) = at.error
    assert literal("DUNNING_SMTP_SECURITY='tls13' is unknown") in error.value
    assert "sp_send" not in [b.key for b in at.button]
