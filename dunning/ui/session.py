"""The app's database session: the database of the app, each page run one unit of work inside app.py's
navigation, and the project's errors shown to the user.

The app shares its database file with the command line (`dunning import` from cron while the dashboard is
open): app.py runs every page through `run_page()`, which holds the file for that run only. A run that
finds the file held by a command shows a spinner saying so and goes on when the command is done; past the
wait (DUNNING_DB_WAIT, default 30 s) it shows the reason and a button to try again, never a traceback.

Every page calls database() first and draws inside shown_errors(); the other modules of dunning/ui/ hold the
pages' shared parts (forms, frames, charts, tiles, the cached loaders).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dunning.db import Database, resolve_path
from dunning.errors import DatabaseBusy, DunningError
from dunning.sample import SampleSpec, generate, refresh_if_stale
from dunning.ui.auth import acting
from dunning.ui.markdown import literal_lines


def _waiting(message: str) -> AbstractContextManager[Any]:
    """What a page shows while a command holds the database file (nothing outside a page run, e.g. while a
    download is prepared in a worker thread)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return nullcontext()
    return st.spinner(message, show_time=True)


@st.cache_resource(show_spinner="Opening the receivables database ...")
def _open(path: str) -> Database:
    """The app's Database for a path: settings only, it holds no file (see dunning.db)."""
    db = Database(path, on_wait=_waiting)
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
    return acting(_open(resolve_path()))  # the person logged in acts (dunning/ui/auth.py)


def _ensure_app_navigation() -> None:
    """Run a page inside app.py's st.navigation even when a fresh server's first request is a deep link.

    Streamlit still treats an app with a pages/ folder as an old-style multipage app until some run has
    called st.navigation: a first request for /customer?customer=X would run pages/customer.py on its own,
    with a file-name sidebar, and every later session too until someone opens /. Clearing that flag and
    rerunning makes Streamlit run app.py, whose navigation then routes to the page asked for. The flag is
    Streamlit's own (pinned version); tests/test_browser.py opens a deep link on a fresh server to keep this
    honest.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def run_page(page: StreamlitPage) -> None:
    """Run a page as one unit of work (app.py runs every page through here): its queries share one
    connection, and nothing holds the file between runs. A file that stays held past the wait is said on
    the page, with a button that runs the page again, instead of the page."""
    try:
        with _open(resolve_path()).session():
            page.run()
    except DatabaseBusy as exc:
        st.warning(literal_lines(exc), icon=":material/hourglass_top:")
        st.button("Try again", key="db_busy_retry", icon=":material/refresh:")
    except DunningError as exc:  # e.g. DUNNING_DB names a file that is no database: said, never a traceback
        st.error(literal_lines(exc), icon=":material/error:")


@contextmanager
def shown_errors() -> Iterator[None]:
    """Show the project's own errors to the user; anything else is a bug and surfaces."""
    try:
        yield
    except DunningError as exc:
        st.error(literal_lines(exc))  # messages quote what the user gave: names, numbers, files
