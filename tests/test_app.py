"""The app as a first-time user starts it: no database yet, no configuration."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit.testing.v1 import AppTest

from dunning.aging.report import aging
from dunning.db import Database
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
