"""The only module that talks to DuckDB: connection, per-thread cursors, migrations, queries.

Streamlit serves sessions from several threads; DuckDB connections are not safe to share across threads,
so `Database.cursor()` gives each thread its own cursor on one shared connection.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dunning.errors import DatabaseBusy, DunningError

DEFAULT_DB_FILE = "dunning.duckdb"
Params = Mapping[str, Any] | Sequence[Any] | None


def resolve_path(cli_path: str | None = None) -> str:
    """--db PATH, else $DUNNING_DB, else dunning.duckdb in the working folder."""
    return cli_path or os.environ.get("DUNNING_DB") or DEFAULT_DB_FILE


def migration_scripts() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("dunning.db.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name[:-4], entry.read_text(encoding="utf-8")))
    return sorted(found)


def bound(sql: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values a statement names ($name): DuckDB refuses parameters that a statement does not use."""
    used = set(re.findall(r"\$([a-z_][a-z0-9_]*)", sql))
    return {k: v for k, v in values.items() if k in used}


def load_sql(package: str | None, name: str) -> str:
    """Text of NAME.sql in the sql/ folder of a package (pass the calling module's __package__)."""
    if not package:
        raise ValueError("load_sql needs the package that holds the sql/ folder")
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


class Database:
    """A DuckDB database file (or ':memory:') with the schema migrated to the newest version."""

    def __init__(self, path: str | Path = ":memory:", *, migrate: bool = True) -> None:
        self.path = str(path)
        try:
            self._conn = duckdb.connect(self.path)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise DatabaseBusy(
                    f"database {self.path} is in use by another process (is the app running?); "
                    "stop it or pass another file with --db"
                ) from exc
            raise DunningError(f"cannot open database {self.path}: {exc}") from exc
        self._local = threading.local()
        self._write_lock = threading.RLock()
        if migrate:
            self.migrate()

    # -- connections -------------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's own cursor (created on first use)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._conn.cursor()
            self._local.cursor = cur
        return cur

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: a failure inside rolls every change back and re-raises."""
        with self._write_lock:
            cur = self.cursor()
            cur.execute("begin transaction")
            try:
                yield cur
            except BaseException:
                cur.execute("rollback")
                raise
            cur.execute("commit")

    # -- queries -----------------------------------------------------------------------------------
    def execute(self, sql: str, params: Params = None) -> duckdb.DuckDBPyConnection:
        return self.cursor().execute(sql, params)

    def rows(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        return self.cursor().execute(sql, params).fetchall()

    def one(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        """The first row or None. Fetches the whole result: DuckDB refuses new work on a cursor that holds
        an unfinished one, so no helper here leaves rows unread."""
        rows = self.cursor().execute(sql, params).fetchall()
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = None) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def records(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        cur = self.cursor().execute(sql, params)
        names = [d[0] for d in cur.description or []]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def frame(self, sql: str, params: Params = None) -> pd.DataFrame:
        """Query result as a DataFrame; DECIMAL columns stay exact (Python Decimal objects), never float."""
        table = self.cursor().sql(sql, params=params).to_arrow_table()
        return table.to_pandas()

    # -- schema ------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.scalar(
            "select count(*) from information_schema.tables where table_name = 'schema_migrations'"
        )
        if not exists:
            return 0
        return int(self.scalar("select coalesce(max(version), 0) from schema_migrations"))

    def migrate(self, target: int | None = None) -> int:
        """Apply the pending migrations up to target (default: all), each in its own transaction."""
        with self._write_lock:
            cur = self.cursor()
            cur.execute(
                "create table if not exists schema_migrations ("
                " version integer primary key, name varchar not null,"
                " applied_at timestamp not null default current_timestamp)"
            )
            current = self.schema_version()
            for version, name, sql in migration_scripts():
                if version <= current or (target is not None and version > target):
                    continue
                with self.transaction() as tx:
                    tx.execute(sql)
                    tx.execute(
                        "insert into schema_migrations (version, name) values ($v, $n)",
                        {"v": version, "n": name},
                    )
                current = version
            return current

    def setting(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("select value from settings where key = $k", {"k": key})
        return default if value is None else str(value)

    def lcy(self) -> str:
        """The local currency code (the currency of the *_lcy amounts)."""
        return self.setting("lcy_code", "EUR") or "EUR"
