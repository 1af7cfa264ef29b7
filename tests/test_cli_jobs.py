"""`dunning run` and `dunning schedule` as real processes: sending to a real SMTP server on 127.0.0.1 in a
loop of runs that delivers each reminder once, the run lock (exit 3 at once, or waiting with --wait), the
JSON output and the settings. The clock is pinned with DUNNING_NOW."""

from __future__ import annotations

import json
from collections import Counter
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from dunning.db import Database
from dunning.jobs.lock import run_lock
from tests.cli import dunning, dunning_process
from tests.jobs_setup import AUTO, CUSTOMERS, setup_runs
from tests.smtp_server import serve

MONDAY_10 = "2026-11-30T10:00:00+01:00"


@pytest.fixture
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "dunning.duckdb"
    with Database(path) as db:
        setup_runs(db)
    for name in ("DUNNING_SMTP_HOST", "DUNNING_SMTP_PORT", "DUNNING_SMTP_SECURITY", "DUNNING_FROM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DUNNING_OUTBOX", str(tmp_path / "outbox"))
    monkeypatch.setenv("DUNNING_NOW", MONDAY_10)
    return path


def test_runs_in_a_loop_send_each_auto_reminder_once_over_smtp(db_file, monkeypatch):
    with serve() as server:
        monkeypatch.setenv("DUNNING_SMTP_HOST", server.host)
        monkeypatch.setenv("DUNNING_SMTP_PORT", str(server.port))
        monkeypatch.setenv("DUNNING_SMTP_SECURITY", "none")
        outputs = []
        for clock in ("07:45", "08:00", "08:15", "08:30", "12:00"):
            monkeypatch.setenv("DUNNING_NOW", f"2026-11-30T{clock}:00+01:00")
            done = dunning("run", "--send", "--json", db=db_file)
            assert done.returncode == 0, done.stderr
            outputs.append(json.loads(done.stdout))
        received = list(server.received)
    assert [o["sent"] for o in outputs] == [0, len(AUTO), 0, 0, 0]
    assert "outside the sending window" in outputs[0]["note"]
    ids = Counter(str(message_from_bytes(m.content, policy=default)["Message-ID"]) for m in received)
    assert len(received) == len(ids) == len(AUTO)
    assert {r["customer_no"] for r in outputs[1]["reminders"] if r["status"] == "sent"} == AUTO
    with Database(db_file) as db:
        assert db.scalar("select count(*) from job_runs where status = 'ok'") == 5


def test_a_run_without_send_prints_the_drafts_left_for_review(db_file):
    done = dunning("run", db=db_file)
    assert done.returncode == 0, done.stderr
    assert f"{len(CUSTOMERS)} draft(s) proposed, 0 sent, {len(CUSTOMERS)} left for review" in done.stdout
    assert "left for review: the run was not asked to send (--send)" in done.stdout


def test_a_second_run_exits_3_at_once_and_does_nothing(db_file):
    with run_lock(db_file):
        done = dunning("run", "--send", db=db_file)
    assert done.returncode == 3
    assert "another run is in progress (process" in done.stderr and "--wait SECONDS" in done.stderr
    with Database(db_file) as db:
        assert db.scalar("select count(*) from job_runs") == 0


def test_a_second_run_with_wait_goes_on_when_the_first_has_finished(db_file):
    with run_lock(db_file):
        waiting = dunning_process("run", "--wait", "300", db=db_file)
        assert waiting.stderr is not None
        assert "waiting for the run in progress" in waiting.stderr.readline()
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert "draft(s) proposed" in out


def test_the_help_names_the_exit_codes():
    done = dunning("run", "--help")
    assert done.returncode == 0 and "3 another run is in progress" in " ".join(done.stdout.split())


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (("run", "--send", "--as-of", "2026-11-27"), {}, "leave out --as-of"),
        (("run", "--import", "/nonexistent/folder"), {}, "does not exist"),
        (("run",), {"DUNNING_NOW": "tomorrow"}, "DUNNING_NOW"),
        (("run",), {"DUNNING_NOW": "2026-11-30T10:00"}, "with its offset"),
        (("schedule", "set", "time_zone=Nowhere/Town"), {}, "not a time zone"),
    ],
)
def test_bad_input_exits_2_and_says_what_to_do(db_file, monkeypatch, args, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    done = dunning(*args, db=db_file)
    assert done.returncode == 2 and message in done.stderr


def test_schedule_shows_and_changes_the_window_and_the_switches(db_file):
    done = dunning("schedule", "set", "window_start=09:30", "window_end=16:00", db=db_file)
    assert done.returncode == 0, done.stderr
    assert "sending window 09:30-16:00 Europe/Amsterdam, business days of NL" in done.stdout
    assert dunning("schedule", "auto-send", "on", "--customer", "B", db=db_file).returncode == 0
    assert dunning("schedule", "auto-send", "off", "--terms", "AUTO", db=db_file).returncode == 0
    shown = json.loads(dunning("schedule", "show", "--json", db=db_file).stdout)
    assert shown["may_send_now"] and shown["terms_auto_send"] == {"AUTO": False, "DEFAULT": False}
    assert shown["customers_auto_send"] == {"B": True, "C": True, "D": False}
    done = dunning("schedule", "auto-send", "default", "--terms", "AUTO", db=db_file)
    assert done.returncode == 2 and "'default' is for a customer" in done.stderr
