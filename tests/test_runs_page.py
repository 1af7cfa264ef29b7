"""The Runs page: the runs log newest first with what each run imported, proposed, sent and left for review,
the reminders of the run picked with the reason for each, when runs may send, and the settings form. Runs
are made by the core with a pinned clock on a copy of the sample database, sending into an outbox folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.jobs.lock import run_lock
from dunning.jobs.run import RunOptions, execute
from dunning.jobs.schedule import auto_send_overview, load_schedule, set_schedule
from dunning.mail.outbox import OutboxTransport
from tests.conftest import AS_OF, ROOT
from tests.test_auth_page import ADMIN, CONTROLLER, SECRETS, VIEWER

PAGE = str(ROOT / "pages" / "runs.py")


def shown(text: str) -> str:
    """Text as the reader sees it (the page escapes user text for Markdown)."""
    return text.replace("\\", "")


def start() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def two_runs(app_db: Path, tmp_path: Path) -> Path:
    """A run that only proposed (07:00, outside the window) and one that sent the AUTO terms' reminders."""
    with Database(app_db) as db:
        set_schedule(db, time_zone="UTC")
        outbox = OutboxTransport(tmp_path / "outbox")
        day = dt.datetime.combine(AS_OF, dt.time(7), tzinfo=dt.UTC)
        while day.weekday() >= 5:  # the sample's date may be a weekend: the next business day's morning
            day += dt.timedelta(days=1)
        execute(db, RunOptions(send=True, by="cron"), now=day, transport=outbox)
        execute(db, RunOptions(send=True, by="cron"), now=day + dt.timedelta(hours=3), transport=outbox)
    return app_db


def test_without_runs_the_page_says_how_to_schedule_them(app_db):
    at = start()
    assert "No run yet" in at.info[0].value
    assert "Sending window 08:00-18:00 UTC, business days of NL" in shown(at.caption[1].value)


def test_the_runs_are_listed_newest_first_with_the_newest_run_reminders(two_runs):
    at = start()
    runs = at.dataframe(key="runs_table").value
    assert list(runs["run"]) == [2, 1]
    assert runs.iloc[0]["sent"] > 0 and runs.iloc[1]["sent"] == 0
    assert "outside the sending window" in runs.iloc[1]["note"]
    assert at.subheader[0].value.startswith("Run 2: ok")
    handled = at.dataframe[1].value
    assert {"sent", "held"} == set(handled["status"])
    assert any("do not send automatically" in d for d in handled["detail"])


def test_picking_an_older_run_says_why_it_sent_nothing(two_runs):
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["runs_table"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert not at.exception and at.subheader[0].value.startswith("Run 1: ok")
    assert at.dataframe[1].value.empty  # its drafts waited, and the newest run lists them
    captions = " ".join(shown(c.value) for c in at.caption)
    assert "outside the sending window" in captions and "the newest run lists those still waiting" in captions


def test_a_run_in_progress_is_shown(two_runs):
    with run_lock(two_runs):
        at = start()
    assert "A run is in progress" in at.info[0].value


def test_the_settings_form_saves_the_window_and_the_terms_sent_automatically(two_runs):
    at = start()
    at.text_input(key="runs_tz").set_value("Europe/Amsterdam")
    at.text_input(key="runs_start").set_value("09:00")
    at.multiselect(key="runs_auto").set_value(["DEFAULT"])
    at.button[0].click().run()  # the form's submit button
    assert not at.exception and "Saved" in at.success[0].value
    with Database(two_runs) as db:
        assert load_schedule(db).window_text == "09:00-18:00 Europe/Amsterdam"
        assert dict(auto_send_overview(db)["terms"]) == {"AUTO": False, "DEFAULT": True}


def test_a_wrong_setting_is_shown_and_nothing_is_saved(two_runs):
    at = start()
    at.text_input(key="runs_end").set_value("07:00")
    at.button[0].click().run()
    assert not at.exception and "is empty" in at.error[0].value
    with Database(two_runs) as db:
        assert load_schedule(db).window_text == "08:00-18:00 UTC"


@pytest.mark.parametrize(("email", "form"), [(ADMIN, True), (CONTROLLER, False), (VIEWER, False)])
def test_only_an_admin_sees_the_settings_form_and_everyone_the_runs(two_runs, email, form):
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.secrets.update(SECRETS)
    at.user = {"is_logged_in": True, "email": email}
    at.run()
    assert not at.exception and list(at.dataframe(key="runs_table").value["run"]) == [2, 1]
    assert ("runs_tz" in {w.key for w in at.text_input}) is form
