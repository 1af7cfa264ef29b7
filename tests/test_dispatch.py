"""Sending reminders exactly once: claim, deliver, record in one transaction; what the next proposal reads;
failures and unknown fates for a person to decide. Real DuckDB files, the outbox folder of .eml files."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from decimal import Decimal as D
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from dunning.db import Database
from dunning.dispatch import claims as claims_module
from dunning.dispatch import send as send_module
from dunning.dispatch.claims import claim, recover, resolve_unknown
from dunning.dispatch.history import archived, issued_reminders
from dunning.dispatch.letters import STREAM_CHUNK
from dunning.dispatch.send import send_reminders
from dunning.errors import BadInput
from dunning.mail.outbox import OutboxTransport
from dunning.mail.smtp import SmtpSettings, SmtpTransport
from dunning.reminders.issued import history
from dunning.reminders.proposal import ProposalOptions, propose, run_json
from dunning.reminders.review import set_included, waive_fee
from dunning.sample.company import write_company
from tests.ledger import add_entry, add_reachable_customer
from tests.pdfs import text_of
from tests.smtp_server import serve

DUE = dt.date(2026, 9, 30)
LEVEL_1 = dt.date(2026, 10, 11)  # default terms: due + 7 + 3 days, first document date after it


def run(db: Database, on: dt.date) -> dict[str, Any]:
    return run_json(db, propose(db, ProposalOptions(as_of=on)).run_id)


def status(db: Database, reminder_id: int) -> str:
    return str(db.scalar("select status from reminder_headers where reminder_id = $r", {"r": reminder_id}))


# -- what the proposal makes of the new statuses -----------------------------------------------------------
def test_a_reminder_of_unknown_fate_holds_its_customer_and_entries(db):
    add_reachable_customer(db)
    add_entry(db, due=DUE, amount="500.00")
    (r,) = run(db, LEVEL_1)["reminders"]
    db.execute(
        "update reminder_headers set status = 'unknown' where reminder_id = $r", {"r": r["reminder_id"]}
    )
    again = run(db, LEVEL_1 + dt.timedelta(days=1))
    assert again["reminders"] == []
    assert f"reminder {r['reminder_id']} (unknown" in again["skipped"][0]["reason"]
    assert status(db, r["reminder_id"]) == "unknown"  # never replaced: a person decides


def test_a_failed_reminder_is_replaced_by_the_next_proposal_like_a_draft(db):
    add_reachable_customer(db)
    entry = add_entry(db, due=DUE, amount="500.00")
    (r,) = run(db, LEVEL_1)["reminders"]
    db.execute(
        "update reminder_headers set status = 'failed' where reminder_id = $r", {"r": r["reminder_id"]}
    )
    (new,) = run(db, LEVEL_1 + dt.timedelta(days=1))["reminders"]
    assert new["reminder_id"] != r["reminder_id"]
    assert (
        db.scalar("select count(*) from reminder_headers where reminder_id = $r", {"r": r["reminder_id"]})
        == 0
    )
    assert db.scalar("select count(*) from reminder_lines where entry_no = $e", {"e": entry}) == 1


# -- sending -------------------------------------------------------------------------------------------------
@pytest.fixture
def fdb(tmp_path: Path) -> Iterator[Database]:
    """A database file with the sample's company (every document complete) and no customers yet."""
    with Database(tmp_path / "dunning.duckdb") as d:
        write_company(d)
        yield d


def eu_interest(db: Database) -> None:
    db.execute(
        "update reminder_levels set interest_method = 'eu_statutory' where terms_code = 'DEFAULT' and level_no <= 2"
    )


def outbox_files(folder: Path) -> dict[str, bytes]:
    """Message-ID -> the bytes of its .eml, asserting each Message-ID is there once."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.glob("*.eml")):
        data = path.read_bytes()
        mid = message_from_bytes(data, policy=default)["Message-ID"]
        assert mid not in found, f"{mid} delivered twice"
        found[mid] = data
    return found


def test_a_sent_reminder_is_delivered_archived_byte_for_byte_and_charged(fdb, tmp_path):
    eu_interest(fdb)
    add_reachable_customer(fdb)
    entry = add_entry(fdb, due=dt.date(2025, 5, 15), amount="10000.00")
    (r,) = run(fdb, dt.date(2025, 7, 20))["reminders"]
    fdb.execute("insert or replace into settings values ('archive_bcc', 'archive@northwind.example')")
    outbox = OutboxTransport(tmp_path / "outbox")
    (result,) = send_reminders(fdb, [r["reminder_id"]], outbox, on=dt.date(2025, 7, 20), by="sanne")
    assert (result.status, result.recipients) == ("sent", ("accounts_payable@c1.example",))
    (eml,) = outbox_files(tmp_path / "outbox").values()
    eml_archived, pdf_archived = archived(fdb, r["reminder_id"])
    assert eml_archived == eml
    msg = message_from_bytes(eml, policy=default)
    assert msg["Message-ID"] == result.message_id
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Bcc"] is None and b"archive@northwind.example" not in eml  # an envelope recipient only
    (letter,) = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert letter.get_content() == pdf_archived and pdf_archived.startswith(b"%PDF")
    head = fdb.records(
        "select status, sent_by, sent_at::date as sent_on, message_id, transport, attempts, template_version"
        " from reminder_headers where reminder_id = $r",
        {"r": r["reminder_id"]},
    )[0]
    assert head == {
        "status": "sent", "sent_by": "sanne", "sent_on": dt.date(2025, 7, 20), "message_id": result.message_id,
        "transport": f"outbox {tmp_path / 'outbox'}", "attempts": 1, "template_version": 0,
    }  # fmt: skip
    # what the next proposal reads: level 1, 16 May - 20 Jul charged (196.14) and the 40.00 claimed
    (h,) = history(fdb, entry)
    assert (h["level_no"], h["interest"], h["compensation"]) == (1, D("196.14"), D("40.00"))
    assert (h["interest_from"], h["interest_to"]) == (dt.date(2025, 5, 16), dt.date(2025, 7, 20))


def test_after_a_send_the_next_level_comes_on_its_day_with_interest_for_the_new_days_only(fdb, tmp_path):
    eu_interest(fdb)
    add_reachable_customer(fdb)
    entry = add_entry(fdb, due=dt.date(2025, 5, 15), amount="10000.00")
    (r,) = run(fdb, dt.date(2025, 7, 20))["reminders"]
    outbox = OutboxTransport(tmp_path / "outbox")
    send_reminders(fdb, [r["reminder_id"]], outbox, on=dt.date(2025, 7, 20), by="sanne")
    # level 2: 14 days after 20 Jul (the deadline, 27 Jul, has passed by then); not a day before
    early = run(fdb, dt.date(2025, 8, 2))
    assert early["reminders"] == []
    (second,) = run(fdb, dt.date(2025, 8, 3))["reminders"]
    assert second["level"] == 2
    got = fdb.records(
        "select interest, compensation, interest_from, interest_to from reminder_lines"
        " where reminder_id = $r and entry_no = $e",
        {"r": second["reminder_id"], "e": entry},
    )[0]
    # 21 Jul - 3 Aug, 14 days at 10.15 %: 10,000 x 10.15 x 14 / 36,500 = 38.93; no second 40.00
    assert got == {"interest": D("38.93"), "compensation": D("0.00"),
                   "interest_from": dt.date(2025, 7, 21), "interest_to": dt.date(2025, 8, 3)}  # fmt: skip
    (result,) = send_reminders(fdb, [second["reminder_id"]], outbox, on=dt.date(2025, 8, 3), by="sanne")
    assert result.status == "sent"
    assert [h["level_no"] for h in history(fdb, entry)] == [1, 2]


def test_sending_the_same_reminders_again_delivers_nothing(fdb, tmp_path):
    for no in ("C1", "C2"):
        add_reachable_customer(fdb, no)
        add_entry(fdb, no, due=DUE, amount="500.00")
    ids = [r["reminder_id"] for r in run(fdb, LEVEL_1)["reminders"]]
    outbox = OutboxTransport(tmp_path / "outbox")
    assert [r.status for r in send_reminders(fdb, ids, outbox, on=LEVEL_1, by="a")] == ["sent", "sent"]
    again = send_reminders(fdb, ids, outbox, on=LEVEL_1, by="a")
    assert [(r.status, r.detail) for r in again] == [("skipped", f"already sent on {LEVEL_1}")] * 2
    assert len(outbox_files(tmp_path / "outbox")) == 2
    assert fdb.scalar("select sum(attempts) from reminder_headers") == 2


def test_a_bad_address_fails_its_reminder_before_anything_is_sent_and_the_others_go(fdb, tmp_path):
    for no in ("C1", "C2"):
        add_reachable_customer(fdb, no)
        add_entry(fdb, no, due=DUE, amount="500.00")
    bad, good = (r["reminder_id"] for r in run(fdb, LEVEL_1)["reminders"])
    fdb.execute(
        "update reminder_headers set to_emails = ['ap@c1.example\nBcc: x@evil.example'] where reminder_id = $r",
        {"r": bad},
    )
    results = send_reminders(fdb, [bad, good], OutboxTransport(tmp_path / "outbox"), on=LEVEL_1, by="a")
    assert [r.status for r in results] == ["failed", "sent"]
    assert "is not an email address; correct it" in results[0].detail and "(C1)" in results[0].detail
    assert status(fdb, bad) == "failed"
    assert "not an email address" in fdb.scalar(
        "select send_error from reminder_headers where reminder_id = $r", {"r": bad}
    )
    assert len(outbox_files(tmp_path / "outbox")) == 1
    # corrected, it goes on the next send
    fdb.execute(
        "update reminder_headers set to_emails = ['ap@c1.example'] where reminder_id = $r", {"r": bad}
    )
    (retry,) = send_reminders(fdb, [bad], OutboxTransport(tmp_path / "outbox"), on=LEVEL_1, by="a")
    assert retry.status == "sent" and status(fdb, bad) == "sent"


def test_a_bad_archive_address_stops_the_batch_before_anything_is_sent(fdb, tmp_path):
    add_reachable_customer(fdb)
    add_entry(fdb, due=DUE, amount="500.00")
    (r,) = run(fdb, LEVEL_1)["reminders"]
    fdb.execute("insert or replace into settings values ('archive_bcc', 'not an address')")
    with pytest.raises(BadInput, match="archive address .setting archive_bcc."):
        send_reminders(fdb, [r["reminder_id"]], OutboxTransport(tmp_path / "outbox"), on=LEVEL_1, by="a")
    assert status(fdb, r["reminder_id"]) == "draft" and not (tmp_path / "outbox").exists()


def dead_pid() -> int:
    """The number of a process that has ended (and been reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_a_dead_senders_claims_come_back_or_become_unknown(fdb):
    for no in ("C1", "C2"):
        add_reachable_customer(fdb, no)
        add_entry(fdb, no, due=DUE, amount="500.00")
    handed, never = (r["reminder_id"] for r in run(fdb, LEVEL_1)["reminders"])
    assert claim(fdb, [handed, never], "gone-batch") == sorted([handed, never])
    fdb.execute(
        "update reminder_headers set send_pid = $pid, transport = case when reminder_id = $h then 'outbox x' end",
        {"pid": dead_pid(), "h": handed},
    )
    assert recover(fdb) == [handed]
    assert (status(fdb, handed), status(fdb, never)) == ("unknown", "draft")
    assert "check whether it arrived" in fdb.scalar(
        "select send_error from reminder_headers where reminder_id = $r", {"r": handed}
    )
    # never proposed again while unknown, never sent by a batch
    assert (
        send_reminders(fdb, [handed], OutboxTransport(Path("/nonexistent/never")), on=LEVEL_1, by="a")[
            0
        ].status
        == "skipped"
    )


def test_a_live_senders_claims_are_left_alone(fdb):
    add_reachable_customer(fdb)
    add_entry(fdb, due=DUE, amount="500.00")
    (r,) = run(fdb, LEVEL_1)["reminders"]
    with subprocess.Popen(["sleep", "600"]) as alive:
        try:
            claim(fdb, [r["reminder_id"]], "other-batch")
            fdb.execute("update reminder_headers set send_pid = $p", {"p": alive.pid})
            assert recover(fdb) == []
            assert status(fdb, r["reminder_id"]) == "sending"
        finally:
            alive.kill()


@pytest.mark.parametrize("delivered", [True, False])
def test_a_person_decides_an_unknown_reminder(fdb, delivered):
    add_reachable_customer(fdb)
    entry = add_entry(fdb, due=DUE, amount="500.00")
    (r,) = run(fdb, LEVEL_1)["reminders"]
    claim(fdb, [r["reminder_id"]], "gone")
    fdb.execute(
        "update reminder_headers set status = 'unknown', send_started_at = $d",
        {"d": dt.datetime(2026, 10, 12, 9)},
    )
    resolve_unknown(fdb, r["reminder_id"], delivered, "sanne")
    if delivered:
        assert status(fdb, r["reminder_id"]) == "sent"
        assert [(h["level_no"], h["issued_on"]) for h in history(fdb, entry)] == [(1, LEVEL_1)]
    else:
        assert status(fdb, r["reminder_id"]) == "draft" and history(fdb, entry) == []
    with pytest.raises(BadInput, match="not unknown"):
        resolve_unknown(fdb, r["reminder_id"], True, "sanne")


def test_history_lists_what_was_issued_with_its_transport_and_status(fdb, tmp_path):
    for no in ("C1", "C2"):
        add_reachable_customer(fdb, no)
        add_entry(fdb, no, due=DUE, amount="500.00")
    ids = [r["reminder_id"] for r in run(fdb, LEVEL_1)["reminders"]]
    send_reminders(fdb, ids, OutboxTransport(tmp_path / "outbox"), on=LEVEL_1, by="sanne")
    rows = issued_reminders(fdb)
    assert sorted((x.customer_no, x.status, x.level, x.sent_by, x.date) for x in rows) == [
        ("C1", "sent", 1, "sanne", LEVEL_1), ("C2", "sent", 1, "sanne", LEVEL_1)]  # fmt: skip
    assert [x.reminder_id for x in rows] == sorted(ids, reverse=True)  # newest first
    assert rows[0].transport.startswith("outbox ") and rows[0].name == f"Customer {rows[0].customer_no}"
    assert [x.customer_no for x in issued_reminders(fdb, customer_no="C1")] == ["C1"]
    assert issued_reminders(fdb, status="failed") == []
    assert issued_reminders(fdb, date_from=LEVEL_1 + dt.timedelta(days=1)) == []
    with pytest.raises(BadInput, match="has no archived email"):
        archived(fdb, _draft(fdb))


def _draft(db: Database) -> int:
    add_reachable_customer(db, "C9")
    add_entry(db, "C9", due=DUE, amount="500.00")
    return int(run(db, LEVEL_1)["reminders"][0]["reminder_id"])


def test_a_draft_left_out_after_the_batch_chose_it_is_not_claimed(fdb):
    # a scheduled run or a page chose the draft, then a person unticked Send in the grid before the claim
    rid = _draft(fdb)
    set_included(fdb, rid, False)
    assert claim(fdb, [rid], "batch-1") == []
    assert status(fdb, rid) == "draft"
    set_included(fdb, rid, True)
    assert claim(fdb, [rid], "batch-2") == [rid]


def test_a_draft_changed_after_its_message_was_composed_is_not_sent_with_the_old_figures(
    fdb, tmp_path, monkeypatch
):
    # a person waives the fee in the review grid while the batch composes: the batch had composed the email
    # and letter with the fee, so it gives the claim back and the draft waits for the next send
    for no in ("C1", "C2"):
        add_reachable_customer(fdb, no)
        add_entry(fdb, no, due=DUE, amount="500.00")
    ids = [int(r["reminder_id"]) for r in run(fdb, LEVEL_1)["reminders"]]
    fdb.execute("update reminder_headers set fee = 5.00, total = total + 5.00")  # a level that charges a fee
    real_claim = claims_module.claim

    def person_waives_then_claim(db, reminder_ids, token):
        waive_fee(db, ids[0], True)  # between the batch's compose and its claim
        return real_claim(db, reminder_ids, token)

    monkeypatch.setattr(claims_module, "claim", person_waives_then_claim)
    outbox = OutboxTransport(tmp_path / "outbox")
    first, second = send_reminders(fdb, ids, outbox, on=LEVEL_1, by="a")
    assert (first.status, second.status) == ("skipped", "sent")
    assert "changed meanwhile" in first.detail
    assert status(fdb, ids[0]) == "draft" and len(outbox_files(tmp_path / "outbox")) == 1
    monkeypatch.setattr(claims_module, "claim", real_claim)
    (again,) = send_reminders(fdb, [ids[0]], outbox, on=LEVEL_1, by="a")
    assert again.status == "sent"
    assert fdb.scalar("select fee from reminder_headers where reminder_id = $r", {"r": ids[0]}) == 0


def test_a_reminder_whose_claim_is_lost_mid_batch_is_skipped_and_the_batch_goes_on(fdb, tmp_path):
    # while the first reminder goes out, the second's claim is settled elsewhere (a person gives it back):
    # the batch does not hand it over and still returns a result for every reminder
    for no in ("C1", "C2", "C3"):
        add_reachable_customer(fdb, no)
        add_entry(fdb, no, due=DUE, amount="500.00")
    ids = [int(r["reminder_id"]) for r in run(fdb, LEVEL_1)["reminders"]]

    class SettlesTheSecond(OutboxTransport):
        def send(self, msg, recipients):
            fdb.execute(
                "update reminder_headers set status = 'draft', send_token = null where reminder_id = $r",
                {"r": ids[1]},
            )
            return super().send(msg, recipients)

    results = send_reminders(fdb, ids, SettlesTheSecond(tmp_path / "outbox"), on=LEVEL_1, by="a")
    assert [r.status for r in results] == ["sent", "skipped", "sent"]
    assert "no longer claimed by this batch (draft)" in results[1].detail
    assert len(outbox_files(tmp_path / "outbox")) == 2
    assert status(fdb, ids[1]) == "draft"
    assert fdb.scalar("select count(*) from reminder_archive where reminder_id = $r", {"r": ids[1]}) == 0


def test_letters_drawn_by_worker_processes_go_out_each_with_its_own_letter(fdb, tmp_path):
    # two worker processes and chunks of STREAM_CHUNK: sending starts while later letters are still drawn
    for i in range(1, 12):
        add_reachable_customer(fdb, f"C{i:02d}")
        add_entry(fdb, f"C{i:02d}", due=dt.date(2025, 5, 15), amount=f"{100 + i}.00")
    ids = [int(r["reminder_id"]) for r in run(fdb, dt.date(2025, 7, 20))["reminders"]]
    assert len(ids) == 11 > STREAM_CHUNK
    results = send_reminders(fdb, ids, OutboxTransport(tmp_path / "outbox"), on=dt.date(2025, 7, 20), by="x",
                             workers=2)  # fmt: skip
    assert [r.status for r in results] == ["sent"] * 11
    sent = outbox_files(tmp_path / "outbox")
    for r in results:
        msg = message_from_bytes(sent[r.message_id], policy=default)
        (letter,) = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
        assert r.reminder_no in text_of(
            letter.get_content()
        )  # the letter of this reminder, not a neighbour's


def test_a_server_that_answers_4xx_then_accepts_gets_each_reminder_once(fdb):
    # the first two DATA commands are deferred (451): the transport waits (a recorded, instant backoff) and
    # tries again on the same reminder; every reminder is delivered once and recorded sent
    for i in range(1, 4):
        add_reachable_customer(fdb, f"C{i}")
        add_entry(fdb, f"C{i}", due=dt.date(2025, 5, 15), amount=f"{200 + i}.00")
    ids = [int(r["reminder_id"]) for r in run(fdb, dt.date(2025, 7, 20))["reminders"]]
    waits: list[float] = []
    with serve(data_451=2) as server:
        settings = SmtpSettings(server.host, server.port, security="none")
        transport = SmtpTransport(settings, sleep=waits.append)
        results = send_reminders(fdb, ids, transport, on=dt.date(2025, 7, 20), by="x")
        received = list(server.received)
    assert [r.status for r in results] == ["sent"] * 3
    assert len(waits) == 2  # two deferrals, each waited out once
    got = [message_from_bytes(m.content, policy=default)["Message-ID"] for m in received]
    assert sorted(got) == sorted(r.message_id for r in results)  # each exactly once
    assert {status(fdb, i) for i in ids} == {"sent"}


def test_a_reminder_that_cannot_be_composed_fails_alone_and_the_rest_of_its_chunk_goes(
    fdb, tmp_path, monkeypatch
):
    monkeypatch.setattr(send_module, "COMPOSE_CHUNK", 2)  # chunks [C1, C2] [C3, C4] [C5]
    for i in range(1, 6):
        add_reachable_customer(fdb, f"C{i}")
        add_entry(fdb, f"C{i}", due=DUE, amount="500.00")
    ids = [int(r["reminder_id"]) for r in run(fdb, LEVEL_1)["reminders"]]
    fdb.execute("delete from customers where customer_no = 'C4'")  # its reminder cannot be composed
    results = send_reminders(fdb, ids, OutboxTransport(tmp_path / "outbox"), on=LEVEL_1, by="a")
    assert [(r.customer_no, r.status) for r in results] == [
        ("C1", "sent"), ("C2", "sent"), ("C3", "sent"), ("C4", "failed"), ("C5", "sent")
    ]  # fmt: skip
    assert "customer 'C4' does not exist" in results[3].detail
    assert status(fdb, ids[3]) == "failed" and len(outbox_files(tmp_path / "outbox")) == 4
