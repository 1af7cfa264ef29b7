"""When a run may send: business days per country (holidays), the company's time zone and sending window,
and the "send automatically" switches per terms and per customer."""

from __future__ import annotations

import datetime as dt

import pytest

from dunning.access import Actor, Role
from dunning.db import Database
from dunning.errors import BadInput, NotAllowed
from dunning.jobs import business_days
from dunning.jobs.schedule import (
    auto_send_customers,
    load_schedule,
    set_customer_auto_send,
    set_schedule,
    set_terms_auto_send,
)
from tests.jobs_setup import AUTO, CUSTOMERS, setup_runs


@pytest.mark.parametrize(
    ("country", "day", "why"),
    [
        ("NL", dt.date(2026, 11, 30), None),
        ("NL", dt.date(2026, 11, 28), "Saturday"),
        ("NL", dt.date(2026, 4, 27), "King's Day (NL)"),
        ("DE", dt.date(2026, 5, 1), "Labor Day (DE)"),
        ("NL", dt.date(2026, 5, 1), None),
        ("GB", dt.date(2026, 12, 28), "Boxing Day (observed) (GB)"),
        ("SA", dt.date(2026, 11, 27), "Friday"),  # the package knows the weekend of each country
        ("SA", dt.date(2026, 11, 29), None),  # a Sunday is a working day there
        ("", dt.date(2026, 11, 29), "Sunday"),  # no country: Saturday and Sunday
        ("XX", dt.date(2026, 12, 25), None),  # a country the package does not know: weekends only
    ],
)
def test_business_days_per_country(country, day, why):
    assert business_days.not_business_day(country, day) == why


def test_a_country_is_known_by_its_code():
    assert business_days.known("de") and not business_days.known("XX") and not business_days.known("")


def test_the_schedule_is_read_from_the_settings_and_the_company_country():
    with Database() as db:
        s = load_schedule(db)
        assert (s.time_zone, s.window_text, s.country) == ("UTC", "08:00-18:00 UTC", "")
        db.execute("update company set country = 'BE'")
        s = set_schedule(db, time_zone="Europe/Brussels", window_start="7:30", window_end="24:00")
        assert (s.window_text, s.country) == ("07:30-24:00 Europe/Brussels", "BE")
        late = dt.datetime(2026, 11, 30, 23, 59, tzinfo=s.zone)
        assert s.why_not(late) is None and s.today(late) == dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "not a time zone"),
        ({"window_start": "8h"}, "not a time of day"),
        ({"window_start": "19:00"}, "is empty"),
        ({"window": "08:00"}, "unknown setting"),
    ],
)
def test_a_wrong_setting_is_refused_and_nothing_changes(changes, message):
    with Database() as db:
        with pytest.raises(BadInput, match=message):
            set_schedule(db, **changes)
        assert load_schedule(db).window_text == "08:00-18:00 UTC"


def test_a_naive_clock_is_refused():
    with Database() as db, pytest.raises(ValueError, match="time zone"):
        load_schedule(db).why_not(dt.datetime(2026, 11, 30, 10))


def test_send_automatically_follows_the_customer_then_the_terms_and_is_off_by_default():
    with Database() as db:
        assert auto_send_customers(db, []) == set()
        setup_runs(db)
        assert auto_send_customers(db, CUSTOMERS) == AUTO
        set_customer_auto_send(db, "C", None)  # back to its terms: the default terms do not
        set_terms_auto_send(db, "DEFAULT", True)
        assert auto_send_customers(db, CUSTOMERS) == {"A", "B", "C", "E"}  # D said no itself
        with pytest.raises(BadInput, match="do not exist"):
            set_terms_auto_send(db, "NOPE", True)
        with pytest.raises(BadInput, match="does not exist"):
            set_customer_auto_send(db, "NOPE", True)


def test_only_an_admin_changes_the_schedule_and_a_viewer_no_switch():
    with Database() as db:
        setup_runs(db)
        controller = db.as_actor(Actor("carl@example.com", Role.CONTROLLER))
        with pytest.raises(NotAllowed):
            set_schedule(controller, window_start="06:00")
        with pytest.raises(NotAllowed):
            set_terms_auto_send(controller, "DEFAULT", True)
        set_customer_auto_send(controller, "B", True)  # picking a customer's terms is a controller's
        with pytest.raises(NotAllowed):
            set_customer_auto_send(db.as_actor(Actor("vera@example.com", Role.VIEWER)), "B", False)
