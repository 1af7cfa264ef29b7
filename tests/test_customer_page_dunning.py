"""The customer page's dunning section: reminder terms, the contact log and agreements, saved from the page."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dunning.access import system_actor
from dunning.db import Database
from dunning.reminders.terms import load_terms, save_terms
from tests.conftest import AS_OF

TODAY = dt.date.today()


def first_customer(path: Path) -> str:
    with Database(path) as db:
        return db.scalar("select customer_no from customers order by name, customer_no limit 1")


@pytest.fixture
def at(customer_page: AppTest) -> AppTest:
    return customer_page


TABLES = {"contact_log": ["contacted_on", "channel", "note"], "agreements": ["active", "agreed_on",
          "valid_until", "note", "covers"]}  # fmt: skip


def shown(at: AppTest, table: str) -> list[dict]:
    """The rows of the contact log or agreements table (AppTest does not expose a read-only table's key)."""
    (frame,) = [d.value for d in at.dataframe if list(d.value.columns) == TABLES[table]]
    return frame.to_dict("records")


def test_logging_a_contact_saves_it_lists_it_first_and_clears_the_note(at, app_db):
    no = first_customer(app_db)
    at.date_input(key="contact_on").set_value(TODAY - dt.timedelta(days=1))
    at.selectbox(key="contact_channel").set_value("meeting")
    at.text_area(key="contact_note").input("Met the CFO; pays on Friday")
    at.button(key="contact_submit").click().run()
    assert not at.exception and not at.error, at.error
    assert "Logged the meeting contact" in at.success[0].value
    with Database(app_db) as db:
        assert db.rows(
            "select contacted_on, channel, note, created_by from contact_log where customer_no = $c",
            {"c": no},
        ) == [
            (
                TODAY - dt.timedelta(days=1),
                "meeting",
                "Met the CFO; pays on Friday",
                system_actor("app:").name,
            )
        ]
    assert shown(at, "contact_log")[0]["note"] == "Met the CFO; pays on Friday"
    assert at.text_area(key="contact_note").value == ""


def test_a_contact_without_a_note_is_refused_with_a_message(at, app_db):
    at.text_area(key="contact_note").input("   ")
    at.button(key="contact_submit").click().run()
    assert "write a note" in at.error[0].value
    assert not at.success
    with Database(app_db) as db:
        assert db.scalar("select count(*) from contact_log where created_by = 'app'") == 0


def test_recording_an_agreement_lists_it_as_active(at, app_db):
    no = first_customer(app_db)
    until = AS_OF + dt.timedelta(days=20)
    at.date_input(key="agreement_on").set_value(AS_OF - dt.timedelta(days=1))
    at.date_input(key="agreement_until").set_value(until)
    at.text_area(key="agreement_note").input("Two instalments")
    at.button(key="agreement_submit").click().run()
    assert not at.exception and not at.error, at.error
    with Database(app_db) as db:
        assert db.rows("select valid_until, note from agreements where customer_no = $c", {"c": no}) == [
            (until, "Two instalments")
        ]
    row = shown(at, "agreements")[0]
    assert row["note"] == "Two instalments" and row["active"] and row["covers"] == "all items"
    assert at.text_area(key="agreement_note").value == ""


def test_an_agreement_ending_before_it_starts_is_refused(at, app_db):
    at.date_input(key="agreement_until").set_value(dt.date(2020, 1, 1))
    at.text_area(key="agreement_note").input("plan")
    at.button(key="agreement_submit").click().run()
    assert "is before" in at.error[0].value
    assert at.text_area(key="agreement_note").value == "plan"
    with Database(app_db) as db:
        assert db.scalar("select count(*) from agreements where created_by = 'app'") == 0


def test_choosing_reminder_terms_saves_them_for_the_customer(at, app_db):
    no = first_customer(app_db)
    with Database(app_db) as db:
        save_terms(db, dataclasses.replace(load_terms(db, "DEFAULT"), code="STRICT", is_default=False))
    at.run()
    box = at.selectbox(key=f"customer_terms_{no}")
    assert box.options[:2] == ["Default (DEFAULT)", "DEFAULT"] and box.value == ""
    box.set_value("STRICT").run()
    assert not at.exception and not at.error
    with Database(app_db) as db:
        assert (
            db.scalar("select reminder_terms_code from customers where customer_no = $c", {"c": no})
            == "STRICT"
        )
    assert "reminder terms STRICT" in at.caption[0].value
    at.selectbox(key=f"customer_terms_{no}").set_value("").run()
    with Database(app_db) as db:
        assert (
            db.scalar("select reminder_terms_code from customers where customer_no = $c", {"c": no}) is None
        )
