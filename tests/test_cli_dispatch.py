"""`dunning send`, `dunning history`, `dunning cancel` as real processes: the outbox and a real SMTP server on
127.0.0.1; a sender killed (SIGKILL) mid-batch and run again; two senders racing. Each reminder arrives
exactly once, or is shown as unknown for a person to decide."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
import sys
import threading
from collections import Counter
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from dunning.db import Database
from dunning.reminders.proposal import ProposalOptions, propose
from dunning.sample.company import write_company
from tests.cli import _env, dunning, dunning_process
from tests.ledger import add_entry, add_reachable_customer
from tests.smtp_server import SmtpServer, serve

TODAY = dt.date.today()  # `dunning send` sends today: the drafts are dated today
CUSTOMERS = ("C1", "C2", "C3", "C4")
LIMIT = 120  # seconds a step may take before the test gives up (a bound on failure, not a timing)


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    """A database file with the sample's company and one open draft per customer, dated today."""
    path = tmp_path / "dunning.duckdb"
    with Database(path) as db:
        write_company(db)
        for no in CUSTOMERS:
            add_reachable_customer(db, no)
            add_entry(db, no, due=TODAY - dt.timedelta(days=40), amount="500.00", document_no=f"INV-{no}")
        assert propose(db, ProposalOptions(as_of=TODAY)).drafts == len(CUSTOMERS)
    return path


@pytest.fixture
def outbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "outbox"
    for name in ("DUNNING_SMTP_HOST", "DUNNING_SMTP_PORT", "DUNNING_SMTP_SECURITY", "DUNNING_FROM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DUNNING_OUTBOX", str(folder))
    return folder


def smtp_env(monkeypatch: pytest.MonkeyPatch, server: SmtpServer) -> None:
    monkeypatch.setenv("DUNNING_SMTP_HOST", server.host)
    monkeypatch.setenv("DUNNING_SMTP_PORT", str(server.port))
    monkeypatch.setenv("DUNNING_SMTP_SECURITY", "none")
    monkeypatch.delenv("DUNNING_OUTBOX", raising=False)


def statuses(db_path: Path) -> dict[str, str]:
    with Database(db_path) as db:
        return dict(db.rows("select customer_no, status from reminder_headers"))


def message_ids(contents: list[bytes]) -> Counter[str]:
    return Counter(str(message_from_bytes(c, policy=default)["Message-ID"]) for c in contents)


def outbox_ids(folder: Path) -> Counter[str]:
    return message_ids([p.read_bytes() for p in folder.glob("*.eml")])


def results(done: subprocess.CompletedProcess[str]) -> dict[str, dict[str, Any]]:
    return {r["customer_no"]: r for r in json.loads(done.stdout)}


def test_dry_run_lists_what_would_go_and_sends_nothing(drafts, outbox):
    with Database(drafts) as db:  # left out in the review: stays a draft, is not sent
        db.execute("update reminder_headers set included = false where customer_no = 'C4'")
    done = dunning("send", "--dry-run", db=drafts)
    assert done.returncode == 0, done.stderr
    assert "dry run, nothing was sent: 3 reminder(s) to 3 recipient(s), totals EUR 1,500.00" in done.stdout
    assert "would send to accounts_payable@c1.example" in done.stdout and "C4" not in done.stdout
    assert not outbox.exists()
    assert set(statuses(drafts).values()) == {"draft"}


def test_send_asks_first_and_a_no_sends_nothing(drafts, outbox):
    def send(answer: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "dunning.cli", "send"], input=answer, capture_output=True, text=True,
            env=_env(drafts), timeout=300,
        )  # fmt: skip

    declined = send("n\n")
    assert declined.returncode == 1 and "nothing was sent" in declined.stderr
    assert "Send 4 reminder(s) to 4 recipient(s), totals EUR 2,000.00; " in declined.stdout
    assert f"outbox {outbox}" in declined.stdout or str(outbox) in declined.stdout
    assert not outbox.exists() and set(statuses(drafts).values()) == {"draft"}
    accepted = send("y\n")
    assert accepted.returncode == 0, accepted.stderr
    assert sum(outbox_ids(outbox).values()) == 4


def test_send_history_and_cancel(drafts, outbox):
    done = dunning("send", "--yes", "--json", "--customer", "C1", "C2", db=drafts)
    assert done.returncode == 0, done.stderr
    sent = results(done)
    assert {c: r["status"] for c, r in sent.items()} == {"C1": "sent", "C2": "sent"}
    assert outbox_ids(outbox) == Counter({r["message_id"]: 1 for r in sent.values()})
    assert statuses(drafts) == {"C1": "sent", "C2": "sent", "C3": "draft", "C4": "draft"}
    history = json.loads(dunning("history", "--json", db=drafts).stdout)
    assert sorted((h["customer_no"], h["status"], h["level"], h["transport"]) for h in history) == [
        ("C1", "sent", 1, f"outbox {outbox}"), ("C2", "sent", 1, f"outbox {outbox}")]  # fmt: skip
    cancelled = dunning("cancel", sent["C1"]["reminder_no"], db=drafts)
    assert cancelled.returncode == 0, cancelled.stderr
    assert f"cancelled {sent['C1']['reminder_no']} of C1" in cancelled.stdout
    (c1,) = json.loads(dunning("history", "--customer", "C1", "--json", db=drafts).stdout)
    assert c1["status"] == "cancelled" and "cancelled on" in c1["detail"]
    again = dunning("cancel", sent["C1"]["reminder_no"], db=drafts)
    assert again.returncode == 2 and "is cancelled, not issued" in again.stderr
    assert dunning("cancel", "R9999999", db=drafts).returncode == 2


def test_a_refused_recipient_fails_its_reminder_with_the_servers_words_and_the_others_go(drafts, monkeypatch):
    with serve(refuse={"accounts_payable@c2.example"}) as server:
        smtp_env(monkeypatch, server)
        done = dunning("send", "--yes", "--json", db=drafts)
        received = list(server.received)
    assert done.returncode == 1, done.stderr
    got = results(done)
    assert {c: r["status"] for c, r in got.items()} == {
        "C1": "sent",
        "C2": "failed",
        "C3": "sent",
        "C4": "sent",
    }
    assert "User unknown" in got["C2"]["detail"] and "550" in got["C2"]["detail"]
    assert sorted(r.rcpt_tos for r in received) == [
        (f"accounts_payable@{c}.example",) for c in ("c1", "c3", "c4")
    ]
    with Database(drafts) as db:
        assert "User unknown" in db.scalar("select send_error from reminder_headers where customer_no = 'C2'")
    assert "1 reminder(s) failed" in done.stderr


def block_after(server: SmtpServer, k: int) -> threading.Event:
    """Make the server accept message K and then never answer it; the event is set once it holds K."""
    holding = threading.Event()
    original = server.handler.handle_DATA

    async def handle_data(srv: Any, session: Any, envelope: Any) -> str:
        reply = await original(srv, session, envelope)
        if len(server.handler.received) == k:
            holding.set()
            await asyncio.Event().wait()  # the sender is killed while it waits for this answer
        return reply

    server.handler.handle_DATA = handle_data  # type: ignore[method-assign]
    return holding


def test_a_sender_killed_mid_batch_then_run_again_delivers_each_reminder_once(drafts, monkeypatch):
    with serve() as server:
        smtp_env(monkeypatch, server)
        holding = block_after(server, 2)
        first = dunning_process("send", "--yes", "--json", db=drafts)
        try:
            assert holding.wait(LIMIT), "the sender never delivered two messages"
        finally:
            first.kill()  # SIGKILL: no cleanup of any kind
            first.communicate()
        assert first.returncode == -9
        # message 1 was recorded; message 2 the server holds but never answered; 3 and 4 were only claimed
        server.handler.handle_DATA = type(server.handler).handle_DATA.__get__(server.handler)  # type: ignore[method-assign]
        second = dunning("send", "--yes", "--json", db=drafts)
        received = list(server.received)
    assert second.returncode == 1, second.stderr  # one is of unknown fate
    ids = message_ids([r.content for r in received])
    assert len(ids) == 4 and set(ids.values()) == {1}  # every reminder arrived, each exactly once
    got = results(second)
    (unknown,) = [c for c, r in got.items() if r["status"] == "unknown"]
    assert sorted(c for c, r in got.items() if r["status"] == "sent") == sorted(
        c for c in CUSTOMERS if c != unknown and c != _first_sent(drafts, unknown)
    )
    assert "check whether it arrived" in got[unknown]["detail"]
    with Database(drafts) as db:
        held = db.scalar("select message_id from reminder_headers where customer_no = $c", {"c": unknown})
    assert held == str(message_from_bytes(received[1].content, policy=default)["Message-ID"])
    assert sorted(statuses(drafts).values()) == ["sent", "sent", "sent", "unknown"]
    # a person checks with the customer: it arrived; the next send is clean
    with Database(drafts) as db:
        number = db.scalar("select reminder_no from reminder_headers where customer_no = $c", {"c": unknown})
    decided = dunning("resolve", number, "--delivered", db=drafts)
    assert decided.returncode == 0 and "recorded as sent" in decided.stdout, decided.stderr
    assert sorted(statuses(drafts).values()) == ["sent", "sent", "sent", "sent"]
    again = dunning("send", "--yes", "--json", db=drafts)
    assert again.returncode == 0, again.stderr
    refused = dunning("resolve", number, "--not-delivered", db=drafts)
    assert refused.returncode == 2 and number in refused.stderr  # only an unknown one can be decided


def _first_sent(db_path: Path, unknown: str) -> str:
    """The customer whose reminder the killed sender delivered and recorded (sent, one attempt, first)."""
    with Database(db_path) as db:
        return str(
            db.scalar(
                "select customer_no from reminder_headers where status = 'sent' order by sent_at limit 1"
            )
        )


def test_two_senders_racing_deliver_each_reminder_once(drafts, outbox):
    racers = [dunning_process("send", "--yes", "--json", "--wait", str(LIMIT), db=drafts) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in racers]
    assert [p.returncode for p in racers] == [0, 0], outputs
    assert outbox_ids(outbox) == Counter({mid: 1 for mid in outbox_ids(outbox)})
    assert sum(outbox_ids(outbox).values()) == 4
    sent = [r for out, _ in outputs for r in json.loads(out) if r["status"] == "sent"]
    assert sorted(r["customer_no"] for r in sent) == list(CUSTOMERS)  # each by exactly one of the two
    assert set(statuses(drafts).values()) == {"sent"}


def test_a_connection_lost_after_the_message_makes_it_unknown_and_it_is_never_resent(drafts, monkeypatch):
    with serve(drop_before_reply=1) as server:  # accepts the first message, closes before answering
        smtp_env(monkeypatch, server)
        first = dunning("send", "--yes", "--json", db=drafts)
        again = dunning("send", "--yes", "--json", db=drafts)
        received = list(server.received)
    assert first.returncode == 1 and again.returncode == 1  # the unknown one is shown until a person decides
    assert len(received) == 4 and set(message_ids([r.content for r in received]).values()) == {1}
    assert sorted(r["status"] for r in results(again).values()) == ["unknown"]
    assert sorted(statuses(drafts).values()) == ["sent", "sent", "sent", "unknown"]
