"""The only module that talks to DuckDB: units of work, transactions, migrations, queries.

Sharing one file between processes. DuckDB lets one process at a time open a database file for writing, and
the credit controller's dashboard stays open all day while `dunning import` runs from cron. So nobody holds
the file longer than one unit of work: a `Database` is a path and its settings, and each unit of work (a
page run of the app, one command, one call outside a `session()` block) opens a connection, does its work
and closes it, which releases the file. A unit that finds the file held by another process waits for it
(up to `wait` seconds, default 30 or $DUNNING_DB_WAIT), telling `on_wait` once that it waits, instead of
failing. Threads of one process (Streamlit's sessions) each get their own connection; DuckDB shares one
database instance among the connections of a process, so they see each other's writes at once.

An in-memory database (tests, ':memory:') has no file to share: it keeps one connection for its life and
gives each unit of work a cursor on it.

Every write goes through `transaction()` (or `execute()`, a one-statement transaction), which raises the
data version in the same transaction: caches keyed by `data_version()` see every change made by any process.
No DuckDB object leaves this module; callers get a `Session` that runs SQL with bound parameters.

A Database also carries the person acting (`actor`, dunning.access): core actions check it first and record
its name. `as_actor()` gives a handle on the same database for another person (the app: one per login).
"""

from __future__ import annotations

import copy
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dunning.access import Action, Actor, system_actor
from dunning.db.files import check_database_file
from dunning.errors import BadInput, DatabaseBusy, DunningError

DEFAULT_DB_FILE = "dunning.duckdb"
DEFAULT_WAIT_SECONDS = 30.0
MEMORY = ":memory:"
Params = Mapping[str, Any] | Sequence[Any] | None
# Told once when a unit of work starts to wait for the file; the context ends when the wait does.
Waiter = Callable[[str], AbstractContextManager[Any]]


def resolve_path(cli_path: str | None = None) -> str:
    """--db PATH, else $DUNNING_DB, else dunning.duckdb in the working folder."""
    return cli_path or os.environ.get("DUNNING_DB") or DEFAULT_DB_FILE


def resolve_wait(cli_wait: float | None = None) -> float:
    """--wait SECONDS, else $DUNNING_DB_WAIT, else 30: how long a unit of work waits for a held file."""
    if cli_wait is not None:
        value: float | str = cli_wait
    else:
        value = os.environ.get("DUNNING_DB_WAIT", "").strip() or DEFAULT_WAIT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        raise BadInput(f"DUNNING_DB_WAIT={value!r} is not a number of seconds; give e.g. 30") from None
    if not seconds >= 0:  # also refuses NaN
        raise BadInput(f"the wait for the database ({value}) must be 0 or more seconds")
    return seconds


def migration_scripts() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("dunning.db.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name[:-4], entry.read_text(encoding="utf-8")))
    return sorted(found)


def statements(sql: str) -> list[tuple[str, frozenset[str]]]:
    """The statements of a script as DuckDB's own parser splits them, each with the parameters it names."""
    return [(s.query, frozenset(s.named_parameters)) for s in duckdb.extract_statements(sql)]


def bound(sql: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values a statement names ($name): DuckDB refuses parameters that a statement does not use."""
    used: set[str] = set()
    for _, names in statements(sql):
        used |= names
    return {k: v for k, v in values.items() if k in used}


def load_sql(package: str | None, name: str) -> str:
    """Text of NAME.sql in the sql/ folder of a package (pass the calling module's __package__)."""
    if not package:
        raise ValueError("load_sql needs the package that holds the sql/ folder")
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def _holder(exc: Exception) -> str:
    """'PID 1234' from DuckDB's lock message, for telling the user who holds the file."""
    found = re.search(r"\(PID (\d+)\)", str(exc))
    return f"process {found.group(1)}" if found else "another process"


def _is_lock_conflict(exc: Exception) -> bool:
    return "lock" in str(exc).lower()


class Session:
    """One connection for one unit of work: queries and scripts with bound parameters, registered frames.

    Every helper fetches its whole result: DuckDB refuses new work on a connection that holds an unfinished
    one, so no helper leaves rows unread.
    """

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Params = None) -> None:
        self._conn.execute(sql, params).fetchall()

    def script(self, sql: str, values: Mapping[str, Any] | None = None) -> None:
        """Run every statement of a script, each with the values it names."""
        for query, names in statements(sql):
            self._conn.execute(query, {k: v for k, v in (values or {}).items() if k in names})

    def rows(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        """The first row or None."""
        rows = self.rows(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = None) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def records(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        cur = self._conn.execute(sql, params)
        names = [d[0] for d in cur.description or []]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def frame(self, sql: str, params: Params = None) -> pd.DataFrame:
        """Query result as a DataFrame; DECIMAL columns stay exact (Python Decimal objects), never float."""
        return self._conn.sql(sql, params=params).to_arrow_table().to_pandas()

    def register(self, name: str, frame: pd.DataFrame) -> None:
        """Make a DataFrame readable as a view NAME until unregister() or the end of the unit of work."""
        self._conn.register(name, frame)

    def unregister(self, name: str) -> None:
        self._conn.unregister(name)

    @contextmanager
    def attached(self, path: str | Path, alias: str, *, read_only: bool = False) -> Iterator[Session]:
        """Another database file, readable (and writable unless READ_ONLY) as ALIAS for the block."""
        if not alias.isidentifier():
            raise ValueError(f"alias {alias!r} must be an identifier")
        try:
            self._conn.execute(
                f"attach $p as {alias}" + (" (read_only)" if read_only else ""), {"p": str(path)}
            )
        except duckdb.Error as exc:
            raise BadInput(f"cannot open {path} as a database: {exc}") from None
        try:
            yield self
        finally:
            self._conn.execute(f"detach {alias}")

    @contextmanager
    def registered(self, name: str, frame: pd.DataFrame) -> Iterator[Session]:
        """A DataFrame readable as view NAME for the length of the block."""
        self.register(name, frame)
        try:
            yield self
        finally:
            self.unregister(name)


class Database:
    """A DuckDB database file (or ':memory:') with the schema migrated to the newest version.

    Holding a Database holds no file: see the module docstring.
    """

    def __init__(
        self,
        path: str | Path = MEMORY,
        *,
        migrate: bool = True,
        wait: float | None = None,
        on_wait: Waiter | None = None,
        actor: Actor | None = None,
    ) -> None:
        self.path = str(path)
        self.actor = actor or system_actor()  # who acts through this handle (default: the OS user, admin)
        self.wait = resolve_wait(wait)
        self.on_wait = on_wait
        self._local = threading.local()
        self._write_lock = threading.RLock()  # one writer at a time within this process
        self._memory: duckdb.DuckDBPyConnection | None = None
        self._versioned = False
        if self.path == MEMORY:
            self._memory = duckdb.connect(MEMORY)
        else:
            check_database_file(self.path)  # DuckDB would open a CSV file as an empty in-memory database
        if migrate:
            self.migrate()

    def as_actor(self, actor: Actor) -> Database:
        """This database (same file, connections and units of work) with ACTOR acting."""
        other = copy.copy(self)
        other.actor = actor
        return other

    # -- units of work -----------------------------------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: this thread keeps one connection until the block ends (nested blocks share it).

        Outside any block, every call is a unit of work of its own.
        """
        current: Session | None = getattr(self._local, "session", None)
        if current is not None:
            yield current
            return
        conn = self._memory.cursor() if self._memory is not None else self._connect()
        self._local.session = session = Session(conn)
        try:
            yield session
        finally:
            self._local.session = None
            conn.close()

    def _connect(self) -> duckdb.DuckDBPyConnection:
        """Open the file, waiting while another process holds it (the wait is told once to on_wait)."""
        deadline = time.monotonic() + self.wait
        delay = 0.01
        with ExitStack() as waiting:
            while True:
                try:
                    return duckdb.connect(self.path)
                except duckdb.IOException as exc:
                    if not _is_lock_conflict(exc):
                        raise DunningError(f"cannot open database {self.path}: {exc}") from exc
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise DatabaseBusy(
                            f"database {self.path} is in use by {_holder(exc)} and stayed so for "
                            f"{self.wait:g} s; try again when it has finished, or wait longer with --wait "
                            "SECONDS (DUNNING_DB_WAIT)"
                        ) from exc
                    if delay == 0.01 and self.on_wait is not None:
                        waiting.enter_context(
                            self.on_wait(
                                f"Waiting for the database {self.path}: it is in use by {_holder(exc)} "
                                f"(up to {self.wait:g} s) ..."
                            )
                        )
                    time.sleep(min(delay, left))
                    delay = min(delay * 2, 0.2)

    def close(self) -> None:
        if self._memory is not None:
            self._memory.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, audit: tuple[Action, str] | None = None) -> Iterator[Session]:
        """All or nothing: a failure inside rolls every change back and re-raises. Raises the data version.
        AUDIT, (action, what it changed), is recorded with the person acting in audit_log, in the same
        transaction."""
        with self._write_lock, self.session() as s:
            s.execute("begin transaction")
            try:
                yield s
                if audit is not None:
                    s.execute(
                        "insert into audit_log (actor, action, detail) values ($a, $w, $d)",
                        {"a": self.actor.name, "w": audit[0].value, "d": audit[1]},
                    )
                if self._versioned:
                    s.execute("update data_version set version = version + 1")
            except BaseException:
                s.execute("rollback")
                raise
            s.execute("commit")

    # -- queries, each its own unit of work outside a session() block -----------------------------
    def execute(self, sql: str, params: Params = None) -> None:
        """One writing statement in its own transaction."""
        with self.transaction() as s:
            s.execute(sql, params)

    def rows(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        with self.session() as s:
            return s.rows(sql, params)

    def one(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        with self.session() as s:
            return s.one(sql, params)

    def scalar(self, sql: str, params: Params = None) -> Any:
        with self.session() as s:
            return s.scalar(sql, params)

    def records(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        with self.session() as s:
            return s.records(sql, params)

    def frame(self, sql: str, params: Params = None) -> pd.DataFrame:
        with self.session() as s:
            return s.frame(sql, params)

    @contextmanager
    def registered(self, name: str, frame: pd.DataFrame) -> Iterator[Session]:
        """A unit of work in which a DataFrame is readable as view NAME."""
        with self.session() as s, s.registered(name, frame):
            yield s

    def checkpoint(self) -> None:
        """Write the write-ahead log into the file (benchmarks: measure the file, not the log)."""
        with self.session() as s:
            s.execute("checkpoint")

    def data_version(self) -> int:
        """A counter every write transaction raises, in any process: the key of every cache of this data."""
        return int(self.scalar("select version from data_version") or 0)

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
        with self._write_lock, self.session() as s:
            s.execute(
                "create table if not exists schema_migrations ("
                " version integer primary key, name varchar not null,"
                " applied_at timestamp not null default current_timestamp)"
            )
            current = self.schema_version()
            for version, name, sql in migration_scripts():
                if version <= current or (target is not None and version > target):
                    continue
                with self.transaction() as tx:
                    tx.script(sql)
                    tx.execute(
                        "insert into schema_migrations (version, name) values ($v, $n)",
                        {"v": version, "n": name},
                    )
                current = version
            self._versioned = bool(
                s.scalar("select count(*) from information_schema.tables where table_name = 'data_version'")
            )
            return current

    def setting(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("select value from settings where key = $k", {"k": key})
        return default if value is None else str(value)

    def lcy(self) -> str:
        """The local currency code (the currency of the *_lcy amounts)."""
        return self.setting("lcy_code", "EUR") or "EUR"
