"""The app's database session: the database opened once per path, each page run inside app.py's navigation,
and the project's errors shown to the user.

Every page calls database() first and draws inside shown_errors(); the other modules of dunning/ui/ hold the
pages' shared parts (forms, frames, charts, tiles, the cached loaders).
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
    from dunning.sample.ledger import SampleSpec, generate, refresh_if_stale

    today = dt.date.today()
    if db.scalar("select count(*) from ledger_entries") == 0 and db.setting("sample_loaded") is None:
        generate(db, SampleSpec(as_of=today))
    else:
        refresh_if_stale(db, today)
    return db


def database() -> Database:
    """The app's database: $DUNNING_DB or dunning.duckdb; filled with sample data on first start.

    Every page opens the database first, so this is also where a page makes sure it runs inside app.py's
    navigation (see _ensure_app_navigation).
    """
    _ensure_app_navigation()
    return _open(resolve_path())


def _ensure_app_navigation() -> None:
    """Run a page inside app.py's st.navigation even when a fresh server's first request is a deep link.

    Streamlit still treats an app with a pages/ folder as an old-style multipage app until some run has
    called st.navigation: a first request for /customer?customer=X would run pages/customer.py on its own,
    with a file-name sidebar, and every later session too until someone opens /. Clearing that flag and
    rerunning makes Streamlit run app.py, whose navigation then routes to the page asked for. The flag is
    Streamlit's own (pinned version); tests/test_browser.py opens a deep link on a fresh server to keep this
    honest.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@contextmanager
def shown_errors() -> Iterator[None]:
    """Show the project's own errors to the user; anything else is a bug and surfaces."""
    try:
        yield
    except DunningError as exc:
        st.error(str(exc))
