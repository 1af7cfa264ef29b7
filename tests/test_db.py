from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from dunning.db import Database, resolve_path
from dunning.db.database import migration_scripts
from dunning.errors import DatabaseBusy


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
        assert types[col] == "DECIMAL(18,2)"
    frame = db.frame("select $x::decimal(18, 2) as a", {"x": "0.10"})
    assert frame["a"][0] == Decimal("0.10") and isinstance(frame["a"][0], Decimal)


def test_failed_transaction_leaves_data_as_it_was(db):
    db.execute("insert into customers (customer_no, name) values ('C1', 'Before')")
    with pytest.raises(RuntimeError), db.transaction() as cur:
        cur.execute("update customers set name = 'After'")
        raise RuntimeError("boom")
    assert db.scalar("select name from customers") == "Before"


def test_each_thread_gets_its_own_cursor(db):
    db.execute("insert into customers (customer_no, name) select 'C' || i, 'N' from range(1000) t(i)")
    cursors, results, errors = [], [], []

    def work():
        try:
            cursors.append(db.cursor())
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
    assert len({id(c) for c in cursors}) == 4
    assert results == [1000] * 80


def test_second_process_gets_a_clear_message_when_the_file_is_in_use(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "busy.duckdb"
    with Database(path):
        code = (
            "import sys\nfrom dunning.db import Database\nfrom dunning.errors import DatabaseBusy\n"
            f"try:\n    Database({str(path)!r})\nexcept DatabaseBusy as e:\n    print(e); sys.exit(3)\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    assert "in use by another process" in done.stdout and "busy.duckdb" in done.stdout
    assert DatabaseBusy.__mro__[1].__name__ == "DunningError"


@pytest.mark.parametrize(
    ("flag", "env", "expected"),
    [("a.duckdb", "b.duckdb", "a.duckdb"), (None, "b.duckdb", "b.duckdb"), (None, None, "dunning.duckdb")],
)
def test_database_path_precedence(monkeypatch, flag, env, expected):
    if env:
        monkeypatch.setenv("DUNNING_DB", env)
    else:
        monkeypatch.delenv("DUNNING_DB", raising=False)
    assert resolve_path(flag) == expected
