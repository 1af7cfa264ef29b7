"""Shared set-up of the benchmarks: sample databases of N open invoices, built once and kept in a cache folder.

The 1M database comes from the sample generator (`dunning sample --invoices 1000000`, without paid history);
larger ones copy its open entries with new entry and document numbers, which keeps their shape and is quick.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from dunning.db import Database
from dunning.sample import SampleSpec, generate

AS_OF = dt.date(2026, 11, 28)
CACHE = Path(os.environ.get("DUNNING_BENCH_CACHE", "/tmp/dunning-bench"))
BASE = 1_000_000


def database(open_invoices: int, history: bool = False) -> Path:
    """Path of a database holding `open_invoices` open invoices (a multiple of 1M above 1M); with history, also
    the sample's year of paid invoices and reminder runs (for DSO and trends; up to 1M only)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"open-{open_invoices}{'-history' if history else ''}.duckdb"
    if path.exists():
        _keep_date(path)
        return path
    tmp = path.with_suffix(".partial")
    tmp.unlink(missing_ok=True)
    if open_invoices <= BASE or history:
        with Database(tmp) as db:
            generate(db, SampleSpec(as_of=AS_OF, open_invoices=open_invoices, history=history))
    else:
        copies, rest = divmod(open_invoices, BASE)
        if rest:
            raise SystemExit(f"{open_invoices} is not a multiple of {BASE}")
        shutil.copy(database(BASE), tmp)
        with Database(tmp) as db:
            base_max = db.scalar("select max(entry_no) from ledger_entries")
            for k in range(1, copies):
                db.execute(
                    "insert into ledger_entries select * replace ("
                    " entry_no + $shift as entry_no, document_no || '-' || $k as document_no)"
                    " from ledger_entries where entry_no <= $base_max",
                    {"shift": k * base_max, "k": k, "base_max": base_max},
                )
            db.execute("checkpoint")
    _keep_date(tmp)
    tmp.rename(path)
    return path


def _keep_date(path: Path) -> None:
    """The app re-dates an untouched sample to today on start (AppTest runs app.py): a benchmark database
    must stay at AS_OF and keep its size, so it is marked like the tests' fixed-date sample."""
    db = Database(path)
    if db.setting("sample_redate") != "off":
        db.execute("insert or replace into settings values ('sample_redate', 'off')")


def best_of(fn: Callable[[], object], runs: int = 3) -> float:
    """Best wall time of several runs, in seconds (the first run warms caches and counts too)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)
