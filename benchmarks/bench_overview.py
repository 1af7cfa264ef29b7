"""Overview page speed on a database of 1,000,000 open invoices.

Targets (issue 3): the page renders in 3 s or less; every filter change answers in 1 s or less.

Builds the database once (dunning.sample.generate with paid history, cached by benchmarks/common.py), then times every query the page runs
for the first render and for a filter change (best of 3, time.perf_counter), prints each, their sum and the
ratio to the target; then times an AppTest-driven first render of pages/overview.py on that database.

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
    print(f"\n{title} (filter {flt})")
    total = 0.0
    for name, fn in page_queries(db, flt, bucket_pos):
        t = best_of(fn)
        total += t
        print(f"  {name:<36} {t * 1000:8.1f} ms")
    print(f"  {'sum':<36} {total * 1000:8.1f} ms   target {target:.0f} s: {total / target:.2f} of it")
    return total


def apptest_first_render(path: Path) -> float:
    from streamlit.testing.v1 import AppTest

    os.environ["DUNNING_DB"] = str(path)
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=120)
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
        f"\nAppTest pages/overview.py first render: {elapsed:.2f} s (target {FIRST_RENDER_TARGET:.0f} s: "
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
            f"\nqueries: first render {first:.2f} s, filter change {change:.2f} s, "
            f"country + search {by_customer:.2f} s"
        )
    if not args.no_apptest:
        apptest_first_render(path)


if __name__ == "__main__":
    main()
