"""Who is sending which reminder: the claim a batch takes before anything leaves, the mark made before each
message is handed to the transport, the record of what came back, and the recovery after a sender died.

A reminder moves draft | approved | failed -> sending (claim: one transaction for the batch, so of two
senders racing for it exactly one gets it) -> handed over (transport set, attempts + 1, the message's id and
bytes archived; recorded BEFORE the message leaves) -> sent | failed. A sender that dies leaves 'sending'
rows behind with its process number and host; recover() finds those whose process is gone: one never handed
over goes back to the status it was claimed from (it provably never left), one handed over becomes 'unknown'
(it may have been delivered) and waits for a person (resolve_unknown). A process on another host cannot be
checked from here; its claims stay 'sending' until it finishes or someone resolves them.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Sequence
from pathlib import Path

from dunning.access import Action, require
from dunning.db import Database
from dunning.db.database import Session
from dunning.errors import BadInput
from dunning.reminders.issued import issue_in

CLAIMABLE = ("draft", "approved", "failed")  # statuses a batch may claim: nothing of theirs has left
# Batches running in this process (Streamlit serves sessions from threads of one process): their claims
# are alive even though the process number is the caller's own.
_ACTIVE: set[str] = set()


def _now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_token() -> str:
    token = uuid.uuid4().hex
    _ACTIVE.add(token)
    return token


def finish(token: str) -> None:
    _ACTIVE.discard(token)


def claim(db: Database, reminder_ids: Sequence[int], token: str) -> list[int]:
    """Move the reminders still open (draft, approved, failed) to 'sending' for the batch TOKEN, in one
    transaction; returns those claimed. One claimed by another batch (or sent meanwhile), or left out of
    sending by a person meanwhile, is not claimed."""
    if not reminder_ids:
        return []
    with db.transaction() as tx:
        rows = tx.rows(
            "update reminder_headers set status = 'sending', claimed_from = status, send_token = $token,"
            " send_pid = $pid, send_host = $host, send_started_at = $at, transport = null, send_error = null"
            " where list_contains($ids, reminder_id) and list_contains($open, status)"
            " and coalesce(included, true)"  # one a person left out since the batch chose it stays a draft
            " returning reminder_id",
            {
                "ids": list(reminder_ids),
                "open": list(CLAIMABLE),
                "token": token,
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "at": _now_utc(),
            },
        )
    return sorted(int(r[0]) for r in rows)


def _claimed(tx: Session, reminder_id: int, updated: int) -> None:
    """BadInput when the UPDATE of a claimed reminder, made only where the batch holds the claim, changed no
    row (the caller's transaction then rolls back). DuckDB answers an UPDATE with the rows it changed: the
    check costs no query of its own (RETURNING would cost more than the update)."""
    if not updated:
        row = tx.one("select status from reminder_headers where reminder_id = $r", {"r": reminder_id})
        raise BadInput(
            f"reminder {reminder_id} is no longer claimed by this batch ({row[0] if row else 'deleted'});"
            " look it up in the history before sending it again"
        )


def hand_over(
    db: Database, reminder_id: int, token: str, transport: str, message_id: str, eml: bytes, pdf: bytes
) -> None:
    """Record, before the message leaves, that it is handed to TRANSPORT, with the exact bytes that go (a
    row of reminder_archive per attempt: inserted, as an update of blobs costs more the more the table holds)."""
    with db.transaction() as tx:
        updated = tx.scalar(
            "update reminder_headers set transport = $transport, attempts = coalesce(attempts, 0) + 1,"
            " message_id = $mid where reminder_id = $r and status = 'sending' and send_token = $t",
            {"r": reminder_id, "t": token, "transport": transport, "mid": message_id},
        )
        _claimed(tx, reminder_id, updated)
        tx.execute(
            "insert into reminder_archive select reminder_id, attempts, message_id, $at, $eml, $pdf"
            " from reminder_headers where reminder_id = $r",
            {"r": reminder_id, "at": _now_utc(), "eml": eml, "pdf": pdf},
        )


def record_sent(
    db: Database, reminder_id: int, token: str, on: dt.date, by: str | None, version: int | None
) -> None:
    """The server accepted it: sent, with the history the next proposal reads (issue_in), in one
    transaction. sent_at is now when ON is today, else ON itself."""
    at = dt.datetime.now() if on == dt.date.today() else dt.datetime.combine(on, dt.time())
    with db.transaction() as tx:
        updated = tx.scalar(
            "update reminder_headers set sent_at = $at, template_version = coalesce($v, template_version),"
            " send_error = null"
            " where reminder_id = $r and status = 'sending' and send_token = $t",
            {"r": reminder_id, "t": token, "at": at, "v": version},
        )
        _claimed(tx, reminder_id, updated)
        issue_in(tx, [reminder_id], on, by)


def record_failed(db: Database, reminder_ids: Sequence[int], why: str, token: str | None = None) -> None:
    """Not delivered: 'failed' with the reason (it may be sent again). With TOKEN, only this batch's claims;
    without, only reminders still open (a check before the batch)."""
    if not reminder_ids:
        return
    with db.transaction() as tx:
        tx.execute(
            "update reminder_headers set status = 'failed', send_error = $why, send_token = null,"
            " send_pid = null where list_contains($ids, reminder_id)"
            " and (($token is null and list_contains($open, status))"
            "      or (status = 'sending' and send_token = $token))",
            {"ids": list(reminder_ids), "why": why, "token": token, "open": list(CLAIMABLE)},
        )


def give_back(db: Database, reminder_ids: Sequence[int], token: str) -> None:
    """Give back some of the batch's claims before anything was handed over: they return to what they were."""
    if not reminder_ids:
        return
    with db.transaction() as tx:
        tx.execute(
            "update reminder_headers set status = coalesce(claimed_from, 'draft'), send_token = null,"
            " send_pid = null where list_contains($ids, reminder_id) and status = 'sending' and send_token = $t"
            " and transport is null",
            {"ids": list(reminder_ids), "t": token},
        )


def release(db: Database, token: str) -> None:
    """Give back the batch's claims that were never handed to the transport (they never left)."""
    with db.transaction() as tx:
        tx.execute(
            "update reminder_headers set status = coalesce(claimed_from, 'draft'), send_token = null,"
            " send_pid = null where status = 'sending' and send_token = $t and transport is null",
            {"t": token},
        )


def mark_unknown(db: Database, reminder_id: int, token: str, why: str) -> None:
    """The batch lost track of a reminder it handed over (an error while recording): a person decides."""
    with db.transaction() as tx:
        tx.execute(
            "update reminder_headers set status = 'unknown', send_error = $why"
            " where reminder_id = $r and status = 'sending' and send_token = $t",
            {"r": reminder_id, "t": token, "why": why},
        )


def _process_start(pid: int) -> tuple[str, float] | None:
    """(state, start time as a Unix time) of a process from /proc, None where /proc cannot tell."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime")
        )
    except (OSError, StopIteration, ValueError):
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return fields[0], boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")


def claimer_alive(pid: int | None, token: str | None, claimed_at: dt.datetime | None) -> bool:
    """Whether the process that claimed a reminder (on this host) still runs: not gone, not a zombie, and
    not a newer process that was given the same number."""
    if pid is None:
        return False
    if pid == os.getpid():
        return token in _ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    found = _process_start(pid)
    if found is None:
        return True
    state, started = found
    if state == "Z":
        return False
    claimed = claimed_at.replace(tzinfo=dt.UTC).timestamp() if claimed_at else None
    return claimed is None or started <= claimed + 1.0


def recover(db: Database) -> list[int]:
    """Settle the claims of senders on this host that are gone: a reminder never handed over goes back to
    the status it was claimed from; one handed over becomes 'unknown' (never resent silently). Returns
    the reminders now unknown."""
    host = socket.gethostname()
    rows = db.rows(
        "select reminder_id, send_token, send_pid, send_started_at, transport from reminder_headers"
        " where status = 'sending' and send_host = $host",
        {"host": host},
    )
    dead = [r for r in rows if not claimer_alive(r[2], r[1], r[3])]
    if not dead:
        return []
    unknown = []
    with db.transaction() as tx:
        for reminder_id, token, pid, _, transport in dead:
            if transport is None:
                tx.execute(
                    "update reminder_headers set status = coalesce(claimed_from, 'draft'), send_token = null,"
                    " send_pid = null where reminder_id = $r and status = 'sending' and send_token = $t",
                    {"r": reminder_id, "t": token},
                )
                continue
            tx.execute(
                "update reminder_headers set status = 'unknown', send_error = $why"
                " where reminder_id = $r and status = 'sending' and send_token = $t",
                {
                    "r": reminder_id,
                    "t": token,
                    "why": f"its sender (process {pid}) stopped after handing it to {transport} and before"
                    " recording the answer; check whether it arrived, then mark it delivered or not delivered",
                },
            )
            unknown.append(int(reminder_id))
    return unknown


def resolve_unknown(
    db: Database, reminder_id: int, delivered: bool, by: str | None, on: dt.date | None = None
) -> None:
    """A person decided the fate of an 'unknown' reminder: delivered -> issued (sent, dated the day it was
    handed over unless ON is given, with its history); not delivered -> back to draft, to be sent again."""
    require(db.actor, Action.SEND)
    by = by or db.actor.name
    with db.transaction() as tx:
        row = tx.one(
            "select status, coalesce(reminder_no, reminder_id::varchar), send_started_at::date"
            " from reminder_headers where reminder_id = $r",
            {"r": reminder_id},
        )
        if row is None:
            raise BadInput(f"reminder {reminder_id} does not exist; check the number")
        status, number, started = row
        if status != "unknown":
            raise BadInput(
                f"reminder {number} is {status}, not unknown; only a reminder whose delivery is unknown is"
                " decided this way"
            )
        if delivered:
            tx.execute(
                "update reminder_headers set send_error = null where reminder_id = $r", {"r": reminder_id}
            )
            issue_in(tx, [reminder_id], on or started or dt.date.today(), by)
        else:
            tx.execute(
                "update reminder_headers set status = 'draft', send_token = null, send_pid = null,"
                " send_error = $why where reminder_id = $r",
                {
                    "r": reminder_id,
                    "why": f"not delivered, as {by or 'a person'} found; it may be sent again",
                },
            )
