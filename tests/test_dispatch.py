"""Sending reminders exactly once: claim, deliver, record in one transaction; what the next proposal reads;
failures and unknown fates for a person to decide. Real DuckDB files, the outbox folder of .eml files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dunning.db import Database
from dunning.reminders.proposal import ProposalOptions, propose, run_json
from tests.ledger import add_entry, add_reachable_customer

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
