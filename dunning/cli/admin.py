"""The commands that keep the database safe: a consistent backup while the app and other commands use the
file, and a restore from one (which first backs up what it replaces)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from dunning.cli.common import Handler, confirm
from dunning.db import Database
from dunning.db.backup import backup, default_file, info, restore
from dunning.errors import BadInput


def cmd_backup(args: argparse.Namespace, db: Database) -> int:
    written = backup(db, args.file or default_file(db))
    print(f"backup written to {written}")
    return 0


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        raise BadInput("restore replaces the whole database; confirm with --yes when no one can answer")
    return confirm(question)


def cmd_restore(args: argparse.Namespace, db: Database) -> int:
    source = info(args.file)  # a bad file is refused before anything is asked or written
    if not args.yes and not _confirm(
        f"Replace everything in {db.path} with the backup {source}? The current data is backed up first. [y/N]"
    ):
        print("dunning restore: nothing was changed", file=sys.stderr)
        return 1
    saved = backup(db, default_file(db))
    print(f"the data it replaces was backed up to {saved.path}", file=sys.stderr)
    restored = restore(db, args.file)
    print(
        f"restored {db.path} from {restored.path} (schema {restored.schema_version}, now {db.schema_version()}): "
        f"{restored.ledger_entries:,} ledger entries, {restored.reminders:,} reminders"
    )
    return 0


def add_commands(
    add: Callable[[str, Handler, str], argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """backup and restore, on the main parser's subcommands (add) with its common options."""
    p = add("backup", cmd_backup, "copy the whole database into a new file, consistent while the app runs")
    p.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="the backup to write (default: DB-YYYYMMDD-HHMMSS.duckdb beside it)",
    )
    p = add(
        "restore", cmd_restore, "replace the whole database with a backup (the current data is backed up)"
    )
    p.add_argument("file", metavar="FILE", help="a backup written by `dunning backup`")
    p.add_argument("--yes", action="store_true", help="do not ask first")
