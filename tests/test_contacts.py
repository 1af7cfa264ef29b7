"""The contact log and agreements: what is checked when they are recorded, and how they are listed back."""

from __future__ import annotations

import datetime as dt

import pytest

from dunning.errors import BadInput
from dunning.ledger.contacts import (
    CHANNELS,
    Agreement,
    add_agreement,
    agreements,
    contact_history,
    log_contact,
)
from tests.conftest import AS_OF
from tests.ledger import add_customer, add_entry

DAY = dt.timedelta(days=1)


@pytest.fixture
def c1(db):
    add_customer(db, "C1")
    add_customer(db, "C2")
    return db


def test_a_logged_contact_is_listed_newest_first_and_only_for_its_customer(c1):
    log_contact(c1, "C1", AS_OF - 10 * DAY, "letter", "sent copies", today=AS_OF)
    newest = log_contact(c1, "C1", AS_OF, "meeting", "  agreed to pay Friday  ", "me", today=AS_OF)
    log_contact(c1, "C2", AS_OF - DAY, "phone", "other customer", today=AS_OF)
    notes = contact_history(c1, "C1")
    assert [(n.contacted_on, n.channel, n.note) for n in notes] == [
        (AS_OF, "meeting", "agreed to pay Friday"),
        (AS_OF - 10 * DAY, "letter", "sent copies"),
    ]
    assert notes[0].log_id == newest and notes[0].created_by == "me"


@pytest.mark.parametrize(
    ("customer_no", "on", "channel", "note", "message"),
    [
        ("NOPE", AS_OF, "phone", "x", "customer 'NOPE' does not exist"),
        ("C1", AS_OF, "pigeon", "x", "channel 'pigeon' is unknown; use one of phone, email"),
        ("C1", AS_OF, "phone", None, "write a note"),
        ("C1", AS_OF, "phone", "   ", "write a note"),
        ("C1", AS_OF + DAY, "phone", "x", "2026-11-29 is in the future"),
    ],
)
def test_a_contact_is_checked_and_nothing_is_written_when_it_is_wrong(
    c1, customer_no, on, channel, note, message
):
    with pytest.raises(BadInput, match=message):
        log_contact(c1, customer_no, on, channel, note, today=AS_OF)
    assert c1.scalar("select count(*) from contact_log") == 0


def test_every_channel_of_the_form_is_accepted(c1):
    for ch in CHANNELS:
        log_contact(c1, "C1", AS_OF, ch, f"by {ch}", today=AS_OF)
    assert {n.channel for n in contact_history(c1, "C1")} == set(CHANNELS)


def test_agreements_are_listed_with_what_they_cover_and_whether_they_are_active(c1):
    plan = add_entry(c1, "C1", due=AS_OF - 20 * DAY, document_no="INV-7")
    add_agreement(c1, "C1", AS_OF - 40 * DAY, AS_OF - DAY, "old plan")
    add_agreement(c1, "C1", AS_OF - 2 * DAY, AS_OF + 30 * DAY, "pay INV-7 in parts", entry_nos=[plan])
    add_agreement(c1, "C1", AS_OF + 5 * DAY, AS_OF + 9 * DAY, "from next week")
    add_agreement(c1, "C2", AS_OF, AS_OF, "not C1")
    items = agreements(c1, "C1")
    assert [a.note for a in items] == ["from next week", "pay INV-7 in parts", "old plan"]
    assert [a.active(AS_OF) for a in items] == [False, True, False]
    assert items[1].documents == "INV-7" and items[2].documents == ""


def test_an_agreement_valid_on_its_last_day_is_active():
    a = Agreement(1, AS_OF - DAY, AS_OF, "n", "", "")
    assert a.active(AS_OF) and not a.active(AS_OF + DAY) and not a.active(AS_OF - 2 * DAY)


@pytest.mark.parametrize(
    ("customer_no", "until", "note", "message"),
    [
        ("C1", AS_OF - DAY, "plan", "valid until 2026-11-27 is before 2026-11-28"),
        ("C1", None, "plan", "give the date it is valid until"),
        ("C1", AS_OF, "  ", "say what was agreed"),
        ("NOPE", AS_OF, "plan", "does not exist"),
    ],
)
def test_an_agreement_is_checked_and_nothing_is_written_when_it_is_wrong(
    c1, customer_no, until, note, message
):
    with pytest.raises(BadInput, match=message):
        add_agreement(c1, customer_no, AS_OF, until, note)
    assert c1.scalar("select count(*) from agreements") == 0
