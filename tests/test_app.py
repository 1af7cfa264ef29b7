"""The app as a first-time user starts it: no database yet, no configuration."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import streamlit as st
from streamlit.testing.v1 import AppTest

from dunning.aging.report import aging
from dunning.db import Database
from dunning.ui.markdown import literal
from tests.conftest import ROOT


def test_first_start_creates_the_sample_database_dated_today(tmp_path, monkeypatch):
    path = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("DUNNING_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    st.cache_resource.clear()  # let go of the app's handle before opening the file here
    with Database(path) as db:
        assert db.setting("sample_loaded") == dt.date.today().isoformat()
        counts = [b.count for b in aging(db, dt.date.today()).buckets][:3]
    assert counts == [519, 25, 41]


HOLDER = """
import sys, time
from dunning.db import Database
with Database(sys.argv[1]).session():  # a long command holding the file
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_file_held_past_the_wait_says_so_and_offers_to_try_again(app_db, monkeypatch):
    """Another process holds the file longer than the app waits: the page says who holds it and offers a
    button, and shows no exception; once the file is free, the button brings the page back."""
    monkeypatch.setenv("DUNNING_DB_WAIT", "0.5")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()  # the app's first run (opens and checks the database) while nobody holds the file
    assert not at.exception and at.metric
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(app_db), "60"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        at.run()
        assert not at.exception, at.exception
        assert "in use by process" in at.warning[0].value and literal(app_db) in at.warning[0].value
        assert not at.metric  # the page itself is not drawn
        retry = at.button(key="db_busy_retry")
    finally:
        holder.kill()
        holder.wait()
    retry.click().run()
    assert not at.exception and not at.warning and at.metric
