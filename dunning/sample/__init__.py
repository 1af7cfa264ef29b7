"""Deterministic sample data: a receivables ledger dated around an as-of date, for the app, tests and benchmarks.

Customers and contacts (customers.py), entries aged like the product this is modelled on (entries.py), the
year of reminder runs that produced today's levels (history.py), and loading it all in one transaction
(ledger.py). It writes through dunning.db and may import everything below it (reminders, aging, ledger, db,
the base modules); only the faces (dunning.ui, dunning.cli) import it.
"""

from dunning.sample.entries import DEFAULT_BUCKET_COUNTS, bucket_counts
from dunning.sample.ledger import SampleSpec, SampleStats, generate, refresh_if_stale, user_work

__all__ = [
    "DEFAULT_BUCKET_COUNTS",
    "SampleSpec",
    "SampleStats",
    "bucket_counts",
    "generate",
    "refresh_if_stale",
    "user_work",
]
