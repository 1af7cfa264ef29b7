"""The import fuzz test (tests/test_import_fuzz.py) with a larger budget: thousands of malformed CSV, XLSX and
Parquet files read, and as many malformed ledgers imported into one DuckDB, each rejected by row and column
with nothing written or imported correctly.

usage: .venv/bin/python benchmarks/fuzz_imports.py [--examples N] [--seed S]

The suite runs 1,000 reads, 100 imports and 30 `dunning import` commands from hypothesis' fixed seed; this
runs N reads and N imports (default 2,000) and N/10 commands, from the same fixed seed or from seed S, and
prints how long it took. An import takes about a tenth of a
second, so --examples 20000 runs for an hour or so. A failure prints the smallest file hypothesis found and
the seed to replay it with.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="files read, and ledgers imported")
    parser.add_argument("--seed", type=int, default=0, help="another seed than the fixed one (0: fixed)")
    args = parser.parse_args()
    env = dict(os.environ, DUNNING_FUZZ_EXAMPLES=str(args.examples), DUNNING_FUZZ_SEED=str(args.seed))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics",
         "tests/test_import_fuzz.py"],
        cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    took = time.perf_counter() - started
    print(f"{args.examples:,} files read and {args.examples:,} ledgers imported in {took:,.0f} s: "
          f"{'all clean' if done.returncode == 0 else 'FAILED'}")  # fmt: skip
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
