"""Aging of 1M and 10M open entries: DuckDB (dunning.aging) against a straightforward pandas groupby.

    .venv/bin/python benchmarks/bench_aging.py [--sizes 1000000 10000000]

Both age the same open entries as of the same date into the same buckets. pandas gets the data already in
memory as a DataFrame with integer cents (exact, and the fastest exact form for it); loading it is not timed.
The figures printed are the best of three runs; the ratio is pandas time / DuckDB time. Target: 10M entries in
0.5 s or less, and at least 5x faster than pandas.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import AS_OF, best_of, database  # noqa: E402

from dunning.aging.report import aging  # noqa: E402
from dunning.db import Database  # noqa: E402

EDGES = [-(10**6), 0, 7, 14, 30, 60, 90, 10**6]  # the default buckets, as pd.cut edges


def pandas_aging(frame: pd.DataFrame, edges: list[int]) -> pd.DataFrame:
    """The straightforward way: days past due, pd.cut into buckets, groupby count and sum."""
    days = (pd.Timestamp(AS_OF) - frame["due_date"]).dt.days
    debit = frame["open_cents"] > 0
    bucket = pd.cut(days[debit], bins=edges, labels=False)
    return frame.loc[debit, "open_cents"].groupby(bucket).agg(["count", "sum"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    args = ap.parse_args()
    print(
        f"{'open entries':>14} {'duckdb s':>9} {'pandas s':>9} {'ratio':>7}  target 10M <= 0.5 s, ratio >= 5"
    )
    for n in args.sizes:
        with Database(database(n)) as db:
            report = aging(db, AS_OF)
            t_duck = best_of(lambda db=db: aging(db, AS_OF))
            frame = db.frame(
                "select due_date::timestamp as due_date, (open_amount_lcy * 100)::bigint as open_cents"
                " from open_entries($d::date)",
                {"d": AS_OF},
            )
        frame["due_date"] = pd.to_datetime(frame["due_date"])
        frame["open_cents"] = frame["open_cents"].astype(np.int64)
        result = pandas_aging(frame, EDGES)
        t_pandas = best_of(lambda frame=frame: pandas_aging(frame, EDGES))
        # both must agree to the cent before their times mean anything
        for b, (count, cents) in zip(report.buckets, result.itertuples(index=False), strict=True):
            assert b.count == count and b.amount_lcy == Decimal(int(cents)) / 100, (b, count, cents)
        print(f"{n:>14,} {t_duck:>9.3f} {t_pandas:>9.3f} {t_pandas / t_duck:>6.1f}x")


if __name__ == "__main__":
    main()
