"""The run lock: a second run finds it held and says by whom, waits for it when asked, and a lock whose
process is gone is free again (the operating system releases it)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dunning.jobs.lock import EXIT_CODE, RunInProgress, holder, lock_path, run_lock


def test_a_second_run_finds_the_lock_held_and_says_by_whom(tmp_path: Path):
    db = tmp_path / "d.duckdb"
    with run_lock(db):
        assert "process" in (holder(db) or "")
        with pytest.raises(RunInProgress, match="another run is in progress .*--wait SECONDS") as raised:
            with run_lock(db):
                pass  # pragma: no cover
        assert raised.value.exit_code == EXIT_CODE == 3
    assert holder(db) is None
    with run_lock(db):  # free again
        pass


def test_a_run_that_waits_goes_on_when_the_first_has_finished(tmp_path: Path):
    db = tmp_path / "d.duckdb"
    told = threading.Event()
    entered = threading.Event()

    def second() -> None:
        with run_lock(db, wait=300, on_wait=lambda message: told.set()):
            entered.set()

    with run_lock(db):
        waiter = threading.Thread(target=second)
        waiter.start()
        assert told.wait(120)  # it says that it waits ...
        assert not entered.is_set()  # ... and does not go on while the first holds the lock
    waiter.join(120)
    assert entered.is_set()


def test_a_wait_that_runs_out_gives_up(tmp_path: Path):
    db = tmp_path / "d.duckdb"
    with run_lock(db), pytest.raises(RunInProgress, match="stayed so for 0.01 s"):
        with run_lock(db, wait=0.01):
            pass  # pragma: no cover


def test_a_killed_run_leaves_no_lock_behind(tmp_path: Path):
    db = tmp_path / "d.duckdb"
    code = (
        "import sys, os; from dunning.jobs.lock import run_lock\n"
        f"with run_lock({str(db)!r}):\n    print('held', flush=True); sys.stdin.read(); os._exit(9)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    assert holder(db) is not None
    child.kill()
    child.wait(120)
    assert lock_path(db).exists() and holder(db) is None


def test_an_in_memory_database_needs_no_lock():
    with run_lock(":memory:"), run_lock(":memory:"):
        assert holder(":memory:") is None
