"""Backup and restore: consistent while another process uses the file, a restore brings back the same
figures, and a file that is not a dunning backup is refused with nothing changed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dunning.access import Actor, Role
from dunning.aging.report import aging
from dunning.db import Database
from dunning.db.backup import backup, info, restore
from dunning.db.database import migration_scripts
from dunning.errors import BadInput, NotAllowed
from tests.cli import dunning, dunning_process
from tests.conftest import AS_OF


def figures(db: Database) -> tuple[object, ...]:
    report = aging(db, AS_OF)
    return (report.open_count, report.open_amount_lcy, tuple((b.count, b.amount_lcy) for b in report.buckets))


def test_a_backup_restores_to_the_same_aging_figures(sample_db: Database, tmp_path: Path) -> None:
    before = figures(sample_db)
    reminders = sample_db.scalar("select count(*) from reminder_headers")
    saved = backup(sample_db, tmp_path / "b.duckdb")
    assert (saved.schema_version, saved.reminders) == (sample_db.schema_version(), reminders)
    version = sample_db.data_version()

    sample_db.execute("delete from ledger_entries where entry_no % 3 = 0")
    sample_db.execute("delete from reminder_headers")
    assert figures(sample_db) != before

    restore(sample_db, saved.path)
    assert figures(sample_db) == before
    assert sample_db.scalar("select count(*) from reminder_headers") == reminders
    assert sample_db.data_version() > version + 2, "the app's caches must not take the restore for old data"
    # sequences continue after the restored rows: the next reminder does not reuse a number
    assert sample_db.scalar("select nextval('reminder_id_seq')") > sample_db.scalar(
        "select max(reminder_id) from reminder_headers"
    )


def test_a_backup_never_overwrites_a_file(sample_db: Database, tmp_path: Path) -> None:
    there = tmp_path / "there.duckdb"
    there.write_bytes(b"keep me")
    with pytest.raises(BadInput, match="exists"):
        backup(sample_db, there)
    assert there.read_bytes() == b"keep me"


def test_a_backup_of_an_older_schema_is_upgraded_when_restored(tmp_path: Path, sample_db: Database) -> None:
    old = tmp_path / "old.duckdb"
    with Database(old, migrate=False) as d:
        d.migrate(target=2)
        d.execute("insert into customers (customer_no, name) values ('OLD1', 'Old Customer')")
    restore(sample_db, old)
    assert sample_db.rows("select customer_no from customers") == [("OLD1",)]
    assert info(old).schema_version == 2
    assert sample_db.schema_version() == max(v for v, _, _ in migration_scripts())


@pytest.mark.parametrize(
    ("content", "why"),
    [(b"document_no,amount\nINV1,10.00\n", "not a DuckDB"), (b"", "empty|not a DuckDB")],
    ids=["csv", "empty"],
)
def test_restore_refuses_a_file_that_is_no_backup(
    sample_db: Database, tmp_path: Path, content: bytes, why: str
) -> None:
    before = figures(sample_db), sample_db.data_version()
    bad = tmp_path / "backup.duckdb"
    bad.write_bytes(content)
    with pytest.raises(BadInput, match=why):
        restore(sample_db, bad)
    assert (figures(sample_db), sample_db.data_version()) == before


def test_restore_refuses_a_duckdb_file_that_is_not_dunning(sample_db: Database, tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    with Database(other, migrate=False) as d:
        d.execute("create table t (a integer)")
    with pytest.raises(BadInput, match="not a dunning"):
        restore(sample_db, other)
    assert sample_db.scalar("select count(*) from ledger_entries") > 0


def test_restore_refuses_a_backup_of_a_newer_version(sample_db: Database, tmp_path: Path) -> None:
    saved = backup(sample_db, tmp_path / "b.duckdb").path
    with Database(saved) as d:
        d.execute("insert into schema_migrations (version, name) values (999, '999_future')")
    with pytest.raises(BadInput, match="newer version of dunning"):
        restore(sample_db, saved)


def test_only_an_admin_restores(sample_db: Database, tmp_path: Path) -> None:
    saved = backup(sample_db, tmp_path / "b.duckdb").path
    with pytest.raises(NotAllowed):
        restore(sample_db.as_actor(Actor("carl@example.com", Role.CONTROLLER)), saved)


# -- the command line, while another process uses the file --------------------------------------------
HOLDER = textwrap.dedent(
    """
    import sys, time
    from dunning.db import Database
    from dunning.ledger.contacts import log_contact
    import datetime as dt
    db = Database(sys.argv[1])
    with db.session():  # holds the file, as a long command or a page run does, until told to go on
        print("holding", flush=True)
        sys.stdin.readline()
    while True:  # then writes in units of work of its own, as the app does on every page run
        log_contact(db, db.scalar("select min(customer_no) from customers"), dt.date(2026, 11, 1), "phone", "x")
        time.sleep(0.05)
    """
)


def test_backup_while_another_process_uses_the_file_restores_the_same_figures(
    sample_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "live.duckdb"
    path.write_bytes(sample_file.read_bytes())
    before = figures(Database(path))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env=os.environ,
    )  # fmt: skip
    try:
        assert holder.stdin is not None and holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        backup_run = dunning_process("backup", str(tmp_path / "b.duckdb"), "--wait", "120", db=path)
        assert backup_run.stderr is not None
        waiting = backup_run.stderr.readline()
        assert "Waiting for the database" in waiting, waiting  # it found the file held and waits
        holder.stdin.write("go\n")  # the holder lets go and then writes in units of work of its own
        holder.stdin.flush()
        out, err = backup_run.communicate(timeout=300)
        assert backup_run.returncode == 0, err
        assert "backup written to" in out
        time.sleep(0.3)  # the holder writes meanwhile
    finally:
        holder.kill()
        holder.wait()
    assert Database(path).scalar("select count(*) from contact_log where note = 'x'") > 0

    fresh = tmp_path / "restored.duckdb"
    done = dunning("restore", str(tmp_path / "b.duckdb"), "--yes", db=fresh)
    assert done.returncode == 0, done.stderr
    assert figures(Database(fresh)) == before


def test_restore_asks_first_and_refuses_without_an_answer(sample_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    path.write_bytes(sample_file.read_bytes())
    assert dunning("backup", str(tmp_path / "b.duckdb"), db=path).returncode == 0
    asked = dunning("restore", str(tmp_path / "b.duckdb"), db=path)  # stdin is not a terminal
    assert asked.returncode == 2 and "--yes" in asked.stderr


def test_restore_backs_up_what_it_replaces(sample_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    path.write_bytes(sample_file.read_bytes())
    assert dunning("backup", str(tmp_path / "b.duckdb"), db=path).returncode == 0
    Database(path).execute("delete from ledger_entries")
    done = dunning("restore", str(tmp_path / "b.duckdb"), "--yes", db=path)
    assert done.returncode == 0, done.stderr
    (kept,) = [p for p in tmp_path.glob("db-*.duckdb")]
    assert str(kept) in done.stderr
    assert Database(kept).scalar("select count(*) from ledger_entries") == 0
    assert Database(path).scalar("select count(*) from ledger_entries") > 0


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".json"])
def test_a_db_that_is_not_a_duckdb_file_is_refused_with_exit_2(tmp_path: Path, suffix: str) -> None:
    """Issue 12, item 9: DuckDB opened such a file as an empty in-memory database and the command 'worked'."""
    not_db = tmp_path / f"ledger{suffix}"
    not_db.write_bytes(b"document_no,customer_no,due_date,amount\nINV1,C1,2026-10-01,10.00\n")
    content = not_db.read_bytes()
    done = dunning("aging", "--db", str(not_db))
    assert done.returncode == 2, done.stderr
    assert "is not a DuckDB database" in done.stderr and "Traceback" not in done.stderr
    assert not_db.read_bytes() == content
    folder = dunning("aging", "--db", str(tmp_path))
    assert folder.returncode == 2 and "is a folder" in folder.stderr


def test_output_to_a_reader_that_went_away_is_no_traceback(sample_file: Path, tmp_path: Path) -> None:
    """Issue 12, item 12: `dunning aging --json | head` printed a BrokenPipeError traceback."""
    path = tmp_path / "db.duckdb"
    path.write_bytes(sample_file.read_bytes())
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written, as `head` is after its lines
    env = {**os.environ, "DUNNING_DB": str(path)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "dunning.cli", "aging", "--json"],
            stdout=write, stderr=subprocess.PIPE, text=True, env=env, timeout=120,
        )  # fmt: skip
    finally:
        os.close(write)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
