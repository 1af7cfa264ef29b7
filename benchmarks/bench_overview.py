"""Overview page speed on a database of 1,000,000 open invoices.

Targets (issue 3): the page renders in 3 s or less; every filter change answers in 1 s or less.

Builds the database once (dunning.sample.generate with paid history, cached by benchmarks/common.py), then times every query the page runs
for the first render and for a filter change (best of 3, time.perf_counter), prints each, their sum and the
ratio to the target; then times an AppTest-driven first render of the app (app.py, whose default page is
the overview) on that database.

The cost of sharing the file with the command line: the app holds the database file only for one page run
(dunning.db: a connection per unit of work), so every run opens the file and reads it without DuckDB's
buffer cache of the run before. Each set of queries is therefore timed twice in the same run: in one unit of
work that opens the file first (what a page run does now) and on a connection held open across runs (what
the app did when it held the file all day); the ratio is the price of the design.

    .venv/bin/python benchmarks/bench_overview.py [--invoices N] [--db PATH] [--no-apptest]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from common import AS_OF, best_of, database  # noqa: E402

from dunning.aging import overview as ov  # noqa: E402
from dunning.aging.report import AgingFilter, aging  # noqa: E402
from dunning.db import Database  # noqa: E402

FIRST_RENDER_TARGET = 3.0
FILTER_CHANGE_TARGET = 1.0


def page_queries(db: Database, flt: AgingFilter, bucket_pos: int) -> list[tuple[str, Callable[[], Any]]]:
    """The queries the page runs, in its order: data version, filter options, aging, KPIs, charts, list."""
    report = aging(db, AS_OF, flt)
    bucket = report.buckets[bucket_pos]
    top = ov.top_customers(db, AS_OF, flt)
    customer = str(top["customer_no"].iloc[0]) if len(top) else None
    return [
        ("data_version", db.data_version),
        ("filter_options", lambda: ov.filter_options(db)),
        ("aging (tiles)", lambda: aging(db, AS_OF, flt)),
        ("kpis (over 90 + DSO sales)", lambda: ov.kpis(db, AS_OF, flt, report)),
        ("distribution", lambda: ov.distribution(db, AS_OF, flt)),
        ("top_customers", lambda: ov.top_customers(db, AS_OF, flt)),
        ("overdue_trend", lambda: ov.overdue_trend(db, AS_OF, flt)),
        (f"bucket_customers ({bucket.label})", lambda: ov.bucket_customers(db, AS_OF, flt, bucket)),
        ("bucket_invoices (1 customer)", lambda: ov.bucket_invoices(db, AS_OF, flt, bucket, customer)),
    ]


def run_set(title: str, db: Database, flt: AgingFilter, bucket_pos: int, target: float) -> float:
    """Each query on a held connection, then the whole set as one page run that opens the file first."""
    print(f"\n{title} (filter {flt})")
    with db.session():
        queries = page_queries(db, flt, bucket_pos)
        held = 0.0
        for name, fn in queries:
            t = best_of(fn)
            held += t
            print(f"  {name:<36} {t * 1000:8.1f} ms")

    def page_run() -> None:
        with db.session():  # opens the file, runs the page's queries, closes it: one unit of work
            for _, fn in queries:
                fn()

    per_run = best_of(page_run)
    print(f"  {'sum, connection held open':<36} {held * 1000:8.1f} ms")
    print(
        f"  {'one page run opening the file':<36} {per_run * 1000:8.1f} ms   {per_run / held:.2f}x the held "
        f"connection; target {target:.0f} s: {per_run / target:.2f} of it"
    )
    return per_run


def open_close(db: Database) -> float:
    """A unit of work that reads only the data version: what a rerun with warm page caches costs."""
    return best_of(db.data_version, runs=5)


def apptest_first_render(path: Path) -> float:
    from streamlit.testing.v1 import AppTest

    os.environ["DUNNING_DB"] = str(path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["ov_as_of"] = AS_OF
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"the page failed: {at.exception}")
    # a filter change on the same session (caches warm for everything but the new filter)
    at.multiselect(key="ov_currencies").set_value(["GBP"])
    started = time.perf_counter()
    at.run()
    change = time.perf_counter() - started
    print(
        f"\nAppTest app.py (overview) first render: {elapsed:.2f} s (target {FIRST_RENDER_TARGET:.0f} s: "
        f"{elapsed / FIRST_RENDER_TARGET:.2f}); filter change currency=GBP: {change:.2f} s "
        f"(target {FILTER_CHANGE_TARGET:.0f} s: {change / FILTER_CHANGE_TARGET:.2f})"
    )
    # opening a list: the largest (within terms) and 8-14, still filtered to GBP
    for key in ("tile_0", "tile_2"):
        started = time.perf_counter()
        at.button(key=key).click().run()
        if at.exception:
            raise SystemExit(f"the page failed: {at.exception}")
        rows = len(at.dataframe[0].value)
        print(f"AppTest tile click {key}: {time.perf_counter() - started:.2f} s ({rows:,} customers listed)")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--no-apptest", action="store_true")
    args = parser.parse_args()
    path = args.db or database(args.invoices, history=True)
    with Database(path) as db:
        n_open = db.scalar("select count(*) from open_entries($d::date)", {"d": AS_OF})
        n_all = db.scalar("select count(*) from ledger_entries")
        print(f"database {path}: {n_open:,} open entries, {n_all:,} ledger entries")
        first = run_set("first render", db, AgingFilter(), 2, FIRST_RENDER_TARGET)
        change = run_set(
            "filter change", db, AgingFilter(currencies=("GBP",), include_held=False), 2, FILTER_CHANGE_TARGET
        )
        by_customer = run_set(
            "filter change by country and customer search", db,
            AgingFilter(countries=("GB",), customer_search="ltd"), 2, FILTER_CHANGE_TARGET,
        )  # fmt: skip
        print(
            f"\nqueries, one page run each: first render {first:.2f} s, filter change {change:.2f} s, "
            f"country + search {by_customer:.2f} s"
        )
        print(f"open the file, read the data version, close it: {open_close(db) * 1000:.1f} ms")
    if not args.no_apptest:
        apptest_first_render(path)


if __name__ == "__main__":
    main()
