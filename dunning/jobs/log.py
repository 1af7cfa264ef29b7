"""The runs log (migration 015): a run is 'running' from its start, then ok or failed with what it did;
each reminder it handled is a row of job_run_reminders (those left for review, of the newest run only). A run found 'running' by the next one (which holds
the lock, so the first is gone) is marked 'interrupted'. The Runs page and `dunning run --json` read it."""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dunning.db import Database


@dataclass(frozen=True)
class Handled:
    """One reminder a run handled, and what became of it."""

    reminder_id: int
    reminder_no: str
    customer_no: str
    status: str  # sent | failed | unknown | skipped | held
    detail: str = ""


def utc(now: dt.datetime) -> dt.datetime:
    """NOW as a naive UTC timestamp, as the log stores it."""
    return now.astimezone(dt.UTC).replace(tzinfo=None)


def start(db: Database, now: dt.datetime, as_of: dt.date, send: bool, by: str | None) -> int:
    """Log a run as running (and any run left running before it as interrupted); its id. The drafts earlier
    runs left for review are forgotten (their counts stay): this run lists them anew, with today's reasons,
    and a run every 15 minutes would otherwise log every draft 96 times a day."""
    with db.transaction() as tx:
        tx.execute("delete from job_run_reminders where status = 'held'")
        tx.execute(
            "update job_runs set status = 'interrupted', note = 'the run ended without finishing (killed or"
            " crashed); the next run did its work again' where status = 'running'"
        )
        row = tx.one(
            "insert into job_runs (started_at, as_of, send, started_by, pid, host)"
            " values ($at, $as_of, $send, $by, $pid, $host) returning run_id",
            {"at": utc(now), "as_of": as_of, "send": send, "by": by, "pid": os.getpid(),
             "host": socket.gethostname()},
        )  # fmt: skip
    assert row is not None
    return int(row[0])


def finish(
    db: Database,
    run_id: int,
    now: dt.datetime,
    *,
    status: str,
    imported: Sequence[str] = (),
    proposal_run_id: int | None = None,
    drafts: int = 0,
    skipped: int = 0,
    handled: Sequence[Handled] = (),
    note: str = "",
) -> None:
    counts = {s: sum(h.status == s for h in handled) for s in ("sent", "held", "failed", "unknown")}
    with db.transaction() as tx:
        tx.execute(
            "update job_runs set finished_at = $at, status = $status, imported = $imported,"
            " proposal_run_id = $proposal, drafts = $drafts, skipped = $skipped, sent = $sent, held = $held,"
            " failed = $failed, note = $note where run_id = $run",
            {"at": utc(now), "status": status, "imported": "\n".join(imported), "proposal": proposal_run_id,
             "drafts": drafts, "skipped": skipped, "sent": counts["sent"], "held": counts["held"],
             "failed": counts["failed"] + counts["unknown"], "note": note, "run": run_id},
        )  # fmt: skip
        for h in handled:
            tx.execute(
                "insert or replace into job_run_reminders values ($run, $id, $no, $customer, $status, $detail)",
                {"run": run_id, "id": h.reminder_id, "no": h.reminder_no, "customer": h.customer_no,
                 "status": h.status, "detail": h.detail},
            )  # fmt: skip


def runs_frame(db: Database, limit: int = 200) -> pd.DataFrame:
    """The latest runs, newest first: when, status, as of, what was imported, drafted, sent, held, failed."""
    return db.frame(
        "select run_id as run, started_at, finished_at, status, as_of, send, imported, drafts, skipped, sent,"
        " held, failed, note, started_by from job_runs order by run_id desc limit $n",
        {"n": limit},
    )


def reminders_frame(db: Database, run_id: int) -> pd.DataFrame:
    """The reminders one run handled, with what became of each and why: sent first, held for review last."""
    return db.frame(
        "select r.reminder_no, r.customer_no, c.name, r.status, r.detail from job_run_reminders r"
        " left join customers c using (customer_no) where r.run_id = $run"
        " order by list_position(['sent', 'failed', 'unknown', 'skipped', 'held'], r.status), r.customer_no",
        {"run": run_id},
    )
