"""Deterministic sample data: a receivables ledger dated around an as-of date, for the app, tests and benchmarks."""

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
