"""Shared Streamlit helpers: the only module of dunning/ that imports streamlit, and the only st.cache_* user.

Pages call these to get the database handle and to show the project's errors; the core never sees streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from dunning.db import Database, resolve_path
from dunning.errors import DunningError


@st.cache_resource(show_spinner="Opening the receivables database ...")
def _open(path: str) -> Database:
    db = Database(path)
    if db.scalar("select count(*) from ledger_entries") == 0 and db.setting("sample_loaded") is None:
        from dunning.sample import SampleSpec, generate

        generate(db, SampleSpec(as_of=dt.date.today()))
    return db


def database() -> Database:
    """The app's database: $DUNNING_DB or dunning.duckdb; filled with sample data on first start."""
    return _open(resolve_path())


@contextmanager
def shown_errors() -> Iterator[None]:
    """Show the project's own errors to the user; anything else is a bug and surfaces."""
    try:
        yield
    except DunningError as exc:
        st.error(str(exc))
