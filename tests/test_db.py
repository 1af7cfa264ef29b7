from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from decimal import Decimal

import pandas as pd
import pytest

from dunning.db import Database, bound, resolve_path
from dunning.db.database import migration_scripts, resolve_wait
from dunning.errors import BadInput, DatabaseBusy, DunningError


def test_new_database_is_at_the_newest_schema_version(db):
    newest = migration_scripts()[-1][0]
    assert db.schema_version() == newest
    applied = [r[0] for r in db.rows("select version from schema_migrations order by 1")]
    assert applied == [v for v, _, _ in migration_scripts()]


def test_migrations_are_numbered_without_gaps():
    versions = [v for v, _, _ in migration_scripts()]
    assert versions == list(range(1, len(versions) + 1))


def test_upgrade_keeps_existing_data(tmp_path):
    path = tmp_path / "old.duckdb"
    with Database(path, migrate=False) as old:
        assert old.migrate(target=1) == 1
        old.execute("insert into customers (customer_no, name) values ('C1', 'Kept Ltd')")
        old.execute(
            "insert into ledger_entries (entry_no, customer_no, document_type, document_no, currency,"
            " posting_date, document_date, due_date, amount, remaining_amount, amount_lcy, remaining_amount_lcy)"
            " values (1, 'C1', 'invoice', 'I1', 'EUR', '2026-01-01', '2026-01-01', '2026-01-31',"
            " 10.10, 10.10, 10.10, 10.10)"
        )
    with Database(path) as new:
        assert new.schema_version() == migration_scripts()[-1][0]
        assert new.rows("select name from customers") == [("Kept Ltd",)]
        assert new.scalar("select remaining_amount from ledger_entries") == Decimal("10.10")


def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "x.duckdb"
    Database(path).close()
    with Database(path) as again:
        assert again.scalar("select count(*) from schema_migrations") == len(migration_scripts())


def test_money_columns_are_exact_decimals(db):
    types = dict(
        db.rows(
            "select column_name, data_type from information_schema.columns where table_name = 'ledger_entries'"
        )
    )
    for col in ("amount", "remaining_amount", "amount_lcy", "remaining_amount_lcy"):
        assert types[col] == "DECIMAL(18,3)"  # three places: a KWD, BHD or OMR amount keeps its third digit
    frame = db.frame("select $x::decimal(18, 2) as a", {"x": "0.10"})
    assert frame["a"][0] == Decimal("0.10") and isinstance(frame["a"][0], Decimal)


def test_failed_transaction_leaves_data_as_it_was(db):
    db.execute("insert into customers (customer_no, name) values ('C1', 'Before')")
    with pytest.raises(RuntimeError), db.transaction() as cur:
        cur.execute("update customers set name = 'After'")
        raise RuntimeError("boom")
    assert db.scalar("select name from customers") == "Before"


def test_each_thread_gets_its_own_connection(tmp_path):
    db = Database(tmp_path / "threads.duckdb")
    db.execute("insert into customers (customer_no, name) select 'C' || i, 'N' from range(1000) t(i)")
    sessions, results, errors = [], [], []

    def work():
        try:
            with db.session() as s:
                sessions.append(s)
                for _ in range(20):
                    results.append(db.scalar("select count(*) from customers"))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({id(s) for s in sessions}) == 4
    assert results == [1000] * 80


def test_nested_sessions_share_one_connection(tmp_path):
    db = Database(tmp_path / "nested.duckdb")
    with db.session() as outer, db.session() as inner:
        assert inner is outer
        outer.execute("create temp table t as select 42 as x")
        assert db.scalar("select x from t") == 42  # a call inside the block runs on the same connection


# -- sharing the file with other processes ------------------------------------------------------------
def in_other_process(code: str, *, env: dict[str, str] | None = None, timeout: float = 60):
    """Run Python code in a new process (as the command line or a second app would)."""
    return subprocess.run(
        [sys.executable, "-c", "from dunning.db import Database\n" + code],
        capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})},
    )  # fmt: skip


COMMAND_WRITE = """
db = Database({path!r}, wait=0)
db.execute("insert into customers (customer_no, name) values ('C9', 'From a command')")
"""
SETTING_WRITE = """
Database({path!r}).execute("update settings set value = value where key = 'lcy_code'")
"""


def test_holding_a_database_holds_no_file(tmp_path):
    path = tmp_path / "shared.duckdb"
    db = Database(path)  # as the app holds it all day
    done = in_other_process(COMMAND_WRITE.format(path=str(path)))
    assert done.returncode == 0, done.stderr
    assert db.scalar("select name from customers where customer_no = 'C9'") == "From a command"


WAITING_WRITER = """
from contextlib import nullcontext
def told(message):
    print(message, flush=True)
    return nullcontext()
db = Database({path!r}, wait=30, on_wait=told)
db.execute("insert into customers (customer_no, name) values ('W1', 'After the wait')")
"""


def test_a_held_file_makes_another_process_wait_then_work(tmp_path):
    path = tmp_path / "wait.duckdb"
    db = Database(path)
    with db.session():
        other = subprocess.Popen(
            [sys.executable, "-c", "from dunning.db import Database\n" + WAITING_WRITER.format(path=str(path))],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert other.stdout is not None
        told = other.stdout.readline()  # returns once the other process finds the file held and waits
        assert other.poll() is None, other.communicate()
    out, err = other.communicate(timeout=60)
    assert other.returncode == 0, err
    assert "Waiting for the database" in told and str(path) in told and f"process {os.getpid()}" in told
    assert db.scalar("select name from customers where customer_no = 'W1'") == "After the wait"


def test_a_file_held_past_the_wait_gives_a_clear_message(tmp_path):
    path = tmp_path / "busy.duckdb"
    db = Database(path)
    with db.session():
        done = in_other_process(
            "import sys\nfrom dunning.errors import DatabaseBusy\n"
            f"try:\n    Database({str(path)!r})\nexcept DatabaseBusy as e:\n    print(e); sys.exit(3)\n",
            env={"DUNNING_DB_WAIT": "0.3"},
        )
    assert done.returncode == 3, done.stderr
    assert "busy.duckdb" in done.stdout and f"process {os.getpid()}" in done.stdout
    assert "--wait" in done.stdout
    assert issubclass(DatabaseBusy, DunningError)


RACING_WRITER = """
import sys
db = Database({path!r})
for i in range(40):
    db.execute("insert into customers (customer_no, name) values ($n, $n)", {{"n": f"{{sys.argv[1]}}-{{i}}"}})
"""


def test_two_writing_processes_both_succeed_and_nothing_is_lost(tmp_path):
    path = tmp_path / "race.duckdb"
    before = Database(path).data_version()
    code = "from dunning.db import Database\n" + RACING_WRITER.format(path=str(path))
    procs = [
        subprocess.Popen([sys.executable, "-c", code, tag], stderr=subprocess.PIPE, text=True) for tag in "AB"
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    db = Database(path)
    assert db.scalar("select count(*) from customers") == 80
    assert db.data_version() == before + 80  # each insert its own transaction, none lost


@pytest.mark.parametrize("bad", ["soon", "-1", "nan"])
def test_a_bad_wait_is_refused_with_what_to_give(monkeypatch, bad):
    monkeypatch.setenv("DUNNING_DB_WAIT", bad)
    with pytest.raises(BadInput, match="seconds"):
        resolve_wait()


# -- the data version ----------------------------------------------------------------------------------
def test_every_write_raises_the_data_version_and_reads_do_not(db):
    v0 = db.data_version()
    db.execute("insert into customers (customer_no, name) values ('A', 'a'), ('B', 'b')")
    v1 = db.data_version()
    assert v1 == v0 + 1
    db.rows("select * from customers")
    assert db.data_version() == v1
    # swapping two names leaves every count and sum the same; the version still moves
    with db.transaction() as tx:
        tx.execute("update customers set name = case name when 'a' then 'b' else 'a' end")
    assert db.data_version() == v1 + 1


def test_a_rolled_back_write_leaves_the_data_version(db):
    before = db.data_version()
    with pytest.raises(RuntimeError), db.transaction() as tx:
        tx.execute("insert into customers (customer_no, name) values ('X', 'x')")
        raise RuntimeError("boom")
    assert db.data_version() == before


def test_a_write_of_another_process_raises_the_data_version(tmp_path):
    path = tmp_path / "version.duckdb"
    db = Database(path)
    before = db.data_version()
    done = in_other_process(SETTING_WRITE.format(path=str(path)))
    assert done.returncode == 0, done.stderr
    assert db.data_version() == before + 1


# -- statements and frames -----------------------------------------------------------------------------
def test_scripts_are_split_by_duckdbs_parser(db):
    with db.transaction() as tx:
        tx.script(
            "create temp table t (s varchar);\n"
            "insert into t values ('a;\nb'); -- a comment; with a semicolon\n"
            "insert into t values ($v);",
            {"v": "c", "unused": 1},
        )
        assert tx.rows("select s from t order by s") == [("a;\nb",), ("c",)]


def test_bound_keeps_only_the_parameters_a_statement_names():
    assert bound("select $a, '$b' as text", {"a": 1, "b": 2, "c": 3}) == {"a": 1}


def test_a_registered_frame_is_readable_only_inside_its_block(db):
    frame = pd.DataFrame({"x": [1, 2, 3]})
    with db.registered("numbers", frame) as s:
        assert s.scalar("select sum(x) from numbers") == 6
    with pytest.raises(Exception, match="numbers"):
        db.scalar("select sum(x) from numbers")


@pytest.mark.parametrize(
    ("resolve", "variable", "flag", "env", "expected"),
    [
        (resolve_path, "DUNNING_DB", "a.duckdb", "b.duckdb", "a.duckdb"),
        (resolve_path, "DUNNING_DB", None, "b.duckdb", "b.duckdb"),
        (resolve_path, "DUNNING_DB", None, None, "dunning.duckdb"),
        (resolve_wait, "DUNNING_DB_WAIT", 5.0, "1", 5.0),
        (resolve_wait, "DUNNING_DB_WAIT", None, "2.5", 2.5),
        (resolve_wait, "DUNNING_DB_WAIT", None, None, 30.0),
    ],
)
def test_option_then_environment_then_default(monkeypatch, resolve, variable, flag, env, expected):
    if env:
        monkeypatch.setenv(variable, env)
    else:
        monkeypatch.delenv(variable, raising=False)
    assert resolve(flag) == expected


def test_upgrade_moves_fees_to_their_currencies_without_losing_a_value(tmp_path):
    """Migration 007: per-line fee and percentage bounds go from the level to each currency's fee row."""
    path = tmp_path / "v6.duckdb"
    with Database(path, migrate=False) as old:
        assert old.migrate(target=6) == 6
        old.execute(
            "insert into reminder_terms (code, description) values ('T', 'old terms'), ('P', 'percentage only')"
        )
        old.execute(
            "insert into reminder_levels (terms_code, level_no, due_days, fee_per_line, pct_fee, pct_fee_min,"
            " pct_fee_max) values ('T', 1, 7, 1.50, 2, 10.00, 40.00), ('T', 2, 14, 0.75, 0, null, null),"
            " ('T', 3, 14, 0, 0, null, null), ('P', 1, 7, 0, 3, 5.00, null)"
        )
        old.execute(
            "insert into reminder_level_fees values ('T', 1, 'EUR', 5.00), ('T', 1, 'GBP', 4.00),"
            " ('T', 3, 'EUR', 25.00)"
        )
    with Database(path) as new:
        assert new.schema_version() >= 7
        rows = new.rows(
            "select terms_code, level_no, currency, fixed_fee, fee_per_line, pct_fee_min, pct_fee_max"
            " from reminder_level_fees where terms_code in ('T', 'P') order by 1 desc, 2, 3"
        )
        pct = [
            r[0]
            for r in new.rows("select pct_fee from reminder_levels where terms_code = 'T' order by level_no")
        ]
    assert rows == [
        # each fixed-fee row keeps its fee and gains the level's per-line fee and bounds, in its own currency
        ("T", 1, "EUR", Decimal("5.00"), Decimal("1.50"), Decimal("10.00"), Decimal("40.00")),
        ("T", 1, "GBP", Decimal("4.00"), Decimal("1.50"), Decimal("10.00"), Decimal("40.00")),
        # level 2 had a per-line fee but no fixed fee: rows in the terms' fee currencies (EUR, GBP), fixed 0
        ("T", 2, "EUR", Decimal("0.00"), Decimal("0.75"), None, None),
        ("T", 2, "GBP", Decimal("0.00"), Decimal("0.75"), None, None),
        ("T", 3, "EUR", Decimal("25.00"), Decimal("0.00"), None, None),
        # terms without any fee row: the local currency (EUR) carries the percentage's minimum
        ("P", 1, "EUR", Decimal("0.00"), Decimal("0.00"), Decimal("5.00"), None),
    ]
    assert pct == [
        Decimal("2.0000"),
        Decimal("0.0000"),
        Decimal("0.0000"),
    ]  # the percentage stays on the level


def test_upgrade_records_the_interest_period_of_lines_sent_before_it_was_recorded(tmp_path):
    """Migration 008: a line sent before migration 006 that charged interest gets the period the engine of the
    time charged (day after the due date to the reminder's date), so those days are not charged again."""
    path = tmp_path / "v5.duckdb"
    with Database(path, migrate=False) as old:
        assert old.migrate(target=5) == 5
        old.execute(
            "insert into reminder_headers (reminder_id, customer_no, currency, level_no, terms_code, status,"
            " posting_date, document_date, payment_deadline, language, overdue_amount, total, template_code)"
            " values (1, 'C1', 'EUR', 3, 'DEFAULT', 'sent', '2025-07-20', '2025-07-20', '2025-07-25', 'en', 10000,"
            " 10236.14, 'reminder'), (2, 'C1', 'EUR', 1, 'DEFAULT', 'draft', '2025-07-20', '2025-07-20',"
            " '2025-07-27', 'en', 100, 101, 'reminder')"
        )
        old.execute(
            "insert into reminder_lines (reminder_id, line_no, kind, entry_no, document_type, document_no, due_date,"
            " days_overdue, original_amount, remaining_amount, level_no, interest, compensation) values"
            " (1, 1, 'overdue', 7, 'invoice', 'INV-7', '2025-05-15', 66, 10000, 10000, 3, 196.14, 40),"
            " (1, 2, 'overdue', 8, 'invoice', 'INV-8', '2025-07-01', 19, 500, 500, 1, 0, 0),"
            " (2, 1, 'overdue', 9, 'invoice', 'INV-9', '2025-07-01', 19, 100, 100, 1, 1.00, 0)"
        )
    with Database(path) as new:
        periods = new.rows(
            "select document_no, interest_from, interest_to from reminder_lines order by document_no"
        )
    assert periods == [
        ("INV-7", dt.date(2025, 5, 16), dt.date(2025, 7, 20)),  # sent, charged: 16 May .. 20 Jul
        ("INV-8", None, None),  # sent, no interest: nothing charged, nothing recorded
        ("INV-9", None, None),  # a draft: nothing was charged yet
    ]
