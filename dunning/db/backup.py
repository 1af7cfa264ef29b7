"""Backup and restore of the whole database, consistent while the app and commands use the file.

A backup is one unit of work (dunning.db.database): it holds the file as any command does, so no other
process writes meanwhile, and copies every table, view, macro and sequence (with its current value) in one
statement, DuckDB's `COPY FROM DATABASE`, which reads one snapshot even while threads of this process write.
It is written to FILE.partial and renamed when complete: a FILE that exists is a whole backup.

A restore checks the backup first, apart from the database it replaces: it must be a DuckDB file holding a
dunning schema no newer than this version's; a copy of it is brought up to the newest schema. Then, in one
transaction on the held file, every object of the database goes and the copy's come in; the data version
ends above both the old and the backup's, so the app's caches (keyed by it) show the restored data on their
next run. A failure anywhere leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dunning.access import Action, require
from dunning.db.database import MEMORY, Database, Session, migration_scripts
from dunning.db.files import check_database_file
from dunning.errors import BadInput

_INTO = "dunning_backup"
_FROM = "dunning_restore"


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, for the command's answer."""

    path: Path
    schema_version: int
    ledger_entries: int
    reminders: int
    size_bytes: int

    def __str__(self) -> str:
        return (
            f"{self.path}: schema version {self.schema_version}, {self.ledger_entries:,} ledger entries, "
            f"{self.reminders:,} reminders, {self.size_bytes / 1e6:,.1f} MB"
        )


def _ident(name: str) -> str:
    """NAME quoted as an SQL identifier (a database's name comes from its file name)."""
    return '"' + name.replace('"', '""') + '"'


def default_file(db: Database, now: dt.datetime | None = None) -> Path:
    """DB-YYYYMMDD-HHMMSS.duckdb beside the database file (in the working folder for an in-memory one)."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    if db.path == MEMORY:
        return Path(f"dunning-{stamp}.duckdb")
    path = Path(db.path)
    return path.with_name(f"{path.stem}-{stamp}.duckdb")


def _count(s: Session, table: str) -> int:
    """Rows of TABLE in the current database (0 when it has no such table)."""
    exists = s.scalar(
        "select count(*) from duckdb_tables() where table_name = $t and database_name = current_database()",
        {"t": table},
    )
    return int(s.scalar(f"select count(*) from {_ident(table)}") or 0) if exists else 0  # noqa: S608


def _info(db: Database, path: Path, schema_version: int | None = None) -> BackupInfo:
    with db.session() as s:
        version = db.schema_version() if schema_version is None else schema_version
        entries, reminders = _count(s, "ledger_entries"), _count(s, "reminder_headers")
    return BackupInfo(path, version, entries, reminders, path.stat().st_size)


def info(path: str | Path) -> BackupInfo:
    """What the backup file at PATH holds (BadInput when it is not a dunning database)."""
    p = check_database_file(path, must_exist=True)
    found = _info(Database(p, migrate=False, wait=0), p)
    if found.schema_version == 0:
        raise BadInput(f"{p} is a DuckDB database but not a dunning one (it has no schema_migrations table)")
    return found


def backup(db: Database, target: str | Path) -> BackupInfo:
    """Copy the whole database into the new file TARGET (refused when it exists) and say what it holds."""
    path = Path(target).expanduser()
    if path.exists():
        raise BadInput(f"{path} exists; give a new file name for the backup (nothing was overwritten)")
    if not path.parent.is_dir():
        raise BadInput(f"the folder {path.parent} does not exist; create it or give another file name")
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}.wal")):
        leftover.unlink(missing_ok=True)
    try:
        with db.session() as s:
            name = str(s.scalar("select current_database()"))
            with s.attached(partial, _INTO):
                s.execute(f"copy from database {_ident(name)} to {_INTO}")
                s.execute(f"checkpoint {_INTO}")
        os.replace(partial, path)
    finally:
        for leftover in (partial, Path(f"{partial}.wal")):
            leftover.unlink(missing_ok=True)
    return info(path)


def _objects(s: Session) -> list[str]:
    """DROP statements for every object of the current database, dependants first."""
    here = {"d": s.scalar("select current_database()")}
    drops = [
        f"drop view {_ident(v)}"
        for (v,) in s.rows(
            "select view_name from duckdb_views() where not internal and database_name = $d", here
        )
    ]
    drops += [
        f"drop macro {'table ' if kind == 'table_macro' else ''}{_ident(f)}"
        for f, kind in s.rows(
            "select distinct function_name, function_type from duckdb_functions()"
            " where not internal and database_name = $d and function_type in ('macro', 'table_macro')",
            here,
        )
    ]
    drops += [
        f"drop table {_ident(t)}"
        for (t,) in s.rows("select table_name from duckdb_tables() where database_name = $d", here)
    ]
    drops += [
        f"drop sequence {_ident(q)}"
        for (q,) in s.rows("select sequence_name from duckdb_sequences() where database_name = $d", here)
    ]
    return drops


def _staged(source: Path, folder: Path) -> tuple[Path, int]:
    """A copy of the backup in FOLDER brought up to the newest schema, and the schema version it had."""
    newest = max(v for v, _, _ in migration_scripts())
    staged = folder / "restore.duckdb"
    shutil.copyfile(source, staged)
    if Path(f"{source}.wal").exists():  # a backup copied while open: its log belongs to it
        shutil.copyfile(f"{source}.wal", f"{staged}.wal")
    copy = Database(staged, migrate=False, wait=0)
    had = copy.schema_version()
    if had == 0:
        raise BadInput(
            f"{source} is a DuckDB database but not a dunning backup (it has no schema_migrations)"
        )
    if had > newest:
        raise BadInput(
            f"{source} was made by a newer version of dunning (schema {had}, this one knows {newest}); "
            "restore it with that version or newer"
        )
    with copy.session():
        copy.migrate()
        copy.checkpoint()
    return staged, had


def restore(db: Database, source: str | Path) -> BackupInfo:
    """Replace everything in the database with the backup at SOURCE (brought up to the newest schema); says
    what the backup held (its schema version) and the database now holds."""
    require(db.actor, Action.SETTINGS)
    path = check_database_file(source, must_exist=True)
    with tempfile.TemporaryDirectory(prefix="dunning-restore-") as folder:
        staged, had = _staged(path, Path(folder))
        with db.transaction(audit=(Action.SETTINGS, f"restored from {path}")) as tx:
            name = str(tx.scalar("select current_database()"))
            before = tx.scalar("select max(version) from data_version") if _count(tx, "data_version") else 0
            for drop in _objects(tx):
                tx.execute(drop)
            with tx.attached(staged, _FROM, read_only=True):
                tx.execute(f"copy from database {_FROM} to {_ident(name)}")
            tx.execute("update data_version set version = greatest(version, $v) + 1", {"v": int(before or 0)})
    return _info(db, path, had)
