"""The claim a batch holds on a reminder guards each record it makes: a hand-over or a sent record for a
reminder the batch no longer holds is refused and changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dunning.db import Database
from dunning.dispatch import claims
from dunning.errors import BadInput
from dunning.reminders.proposal import ProposalOptions, propose
from dunning.sample.company import write_company
from tests.ledger import add_entry, add_reachable_customer

LEVEL_1 = dt.date(2026, 10, 11)


@pytest.fixture
def fdb(tmp_path: Path):
    with Database(tmp_path / "dunning.duckdb") as d:
        write_company(d)
        add_reachable_customer(d)
        add_entry(d, due=dt.date(2026, 9, 30), amount="500.00")
        propose(d, ProposalOptions(as_of=LEVEL_1))
        yield d


def _state(db: Database) -> list[tuple[object, ...]]:
    return db.rows(
        "select h.*, (select list(l order by line_no) from reminder_lines l"
        " where l.reminder_id = h.reminder_id) from reminder_headers h order by reminder_id"
    )


def _record(db: Database, rid: int, token: str, what: str) -> None:
    if what == "hand_over":
        claims.hand_over(db, rid, token, "outbox x", "<m@x>", b"eml", b"pdf")
    else:
        claims.record_sent(db, rid, token, LEVEL_1, "a", 0)


@pytest.mark.parametrize("what", ["hand_over", "record_sent"])
@pytest.mark.parametrize("holder", ["nobody", "another batch", "deleted"])
def test_a_record_for_a_reminder_the_batch_does_not_hold_is_refused_and_changes_nothing(fdb, what, holder):
    rid = int(fdb.scalar("select reminder_id from reminder_headers"))
    if holder == "another batch":
        assert claims.claim(fdb, [rid], "other") == [rid]
    elif holder == "deleted":
        fdb.execute("delete from reminder_headers where reminder_id = $r", {"r": rid})
    before, version = _state(fdb), fdb.data_version()
    expected = {"nobody": "draft", "another batch": "sending", "deleted": "deleted"}[holder]
    with pytest.raises(BadInput, match=rf"reminder {rid} is no longer claimed by this batch \({expected}\)"):
        _record(fdb, rid, "mine", what)
    assert (_state(fdb), fdb.data_version()) == (before, version)


def test_the_batch_that_holds_the_claim_hands_over_and_records_sent(fdb):
    rid = int(fdb.scalar("select reminder_id from reminder_headers"))
    assert claims.claim(fdb, [rid], "mine") == [rid]
    _record(fdb, rid, "mine", "hand_over")
    assert fdb.one(
        "select status, transport, attempts, message_id from reminder_headers where reminder_id = $r",
        {"r": rid},
    ) == ("sending", "outbox x", 1, "<m@x>")
    _record(fdb, rid, "mine", "record_sent")
    assert fdb.one(
        "select status, sent_by, template_version from reminder_headers where reminder_id = $r", {"r": rid}
    ) == ("sent", "a", 0)
    with pytest.raises(BadInput, match="no longer claimed by this batch .sent."):
        _record(fdb, rid, "mine", "record_sent")  # recorded once
