"""What may be opened as the database: a DuckDB file, or a path where none exists yet.

DuckDB opens other files too: given an existing CSV, Parquet or JSON file it starts an in-memory database
over it, so `dunning import x.csv --db ledger.csv` "worked" and saved nothing. A DuckDB database file
carries the magic bytes DUCK after its 8-byte checksum; anything else that exists is refused, naming it.
"""

from __future__ import annotations

import stat
from pathlib import Path

from dunning.errors import BadInput

MAGIC = b"DUCK"
MAGIC_AT = 8


def is_duckdb_file(path: str | Path) -> bool:
    """Whether PATH is a regular file that starts like a DuckDB database."""
    try:
        with open(path, "rb") as f:
            head = f.read(MAGIC_AT + len(MAGIC))
    except OSError:
        return False
    return head[MAGIC_AT:] == MAGIC


def check_database_file(path: str | Path, *, must_exist: bool = False) -> Path:
    """PATH as a database file: an existing DuckDB file, or (unless MUST_EXIST) a path nothing is at yet.
    Raises BadInput naming the path and what it is instead."""
    p = Path(path).expanduser()
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        if must_exist:
            raise BadInput(
                f"{p} does not exist; give the path of a dunning database or backup file"
            ) from None
        return p
    except OSError as exc:
        raise BadInput(f"cannot read {p} ({exc.strerror}); give a database file you may read") from None
    if not stat.S_ISREG(mode):
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise BadInput(f"{p} is {what}; give the path of a DuckDB database file (e.g. dunning.duckdb)")
    if p.stat().st_size == 0 and not must_exist:
        raise BadInput(f"{p} is an empty file, not a database; remove it, or give another path")
    if not is_duckdb_file(p):
        raise BadInput(
            f"{p} exists and is not a DuckDB database (perhaps a CSV, Parquet or JSON file); give the path "
            "of the dunning database (e.g. dunning.duckdb), or of a file that does not exist yet to start one"
        )
    return p
