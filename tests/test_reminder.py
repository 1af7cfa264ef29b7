"""A reminder as its documents read it: many read at once (load_reminders) read exactly as each read alone, and
as a query of one reminder at a time finds them (the addressee's name, the lines in the letter's order)."""

from __future__ import annotations

import datetime as dt

import pytest

from dunning.db import Database
from dunning.documents.reminder import load_reminder, load_reminders, open_reminder_ids
from dunning.errors import BadInput
from dunning.ledger.customer import CustomerNotFound, load_customer, load_customers
from dunning.reminders.proposal import ProposalOptions, propose
from tests.conftest import AS_OF
from tests.ledger import add_customer, add_entry

# one reminder at a time, as the loader read it before it read many at once: the oracle
_CONTACT_NAME = """
select coalesce((select c.name from contacts c where c.customer_no = h.customer_no and c.active
                 and lower(c.email) = lower(h.to_emails[1]) order by c.contact_id limit 1), '')
from reminder_headers h where h.reminder_id = $id
"""
_LINE_ORDER = """
select l.line_no from reminder_lines l where l.reminder_id = $id
order by case l.kind when 'overdue' then 0 when 'credit' then 1 when 'on_hold' then 2 else 3 end,
         l.due_date, l.document_no, l.line_no
"""


@pytest.fixture
def drafts(sample_db: Database) -> Database:
    propose(sample_db, ProposalOptions(as_of=AS_OF))
    return sample_db


def test_many_read_at_once_are_each_what_one_read_alone_and_one_at_a_time_finds(drafts):
    ids = open_reminder_ids(drafts)
    assert len(ids) >= 10
    many = load_reminders(drafts, reversed(ids))
    assert list(many) == list(reversed(ids))  # in the order asked
    for reminder_id in ids:
        r = many[reminder_id]
        assert r == load_reminder(drafts, reminder_id)
        assert r.contact_name == drafts.scalar(_CONTACT_NAME, {"id": reminder_id})
        assert [x.line_no for x in r.lines] == [
            row[0] for row in drafts.rows(_LINE_ORDER, {"id": reminder_id})
        ]
        assert r.customer == load_customer(drafts, r.customer.customer_no)
    assert any(many[i].contact_name for i in ids) and any(len(many[i].lines) > 1 for i in ids)


def test_the_addressee_is_the_first_active_contact_of_the_first_to_address_whatever_its_case(db):
    for customer, name, email, active in [
        ("C1", "Old Ann", "ap@c1.example", False),
        ("C2", "Someone else's", "ap@c1.example", True),
        ("C1", "Ann", "AP@C1.example", True),
        ("C1", "Bob", "ap@c1.example", True),
        ("C1", "Cc only", "cc@c1.example", True),
    ]:
        if not db.scalar("select count(*) from customers where customer_no = $c", {"c": customer}):
            add_customer(db, customer)
            add_entry(db, customer, due=dt.date(2026, 9, 30), amount="500.00")
        db.execute(
            "insert into contacts (customer_no, name, email, role, active)"
            " values ($c, $n, $e, 'accounts_payable', $a)",
            {"c": customer, "n": name, "e": email, "a": active},
        )
    propose(db, ProposalOptions(as_of=dt.date(2026, 10, 11)))
    ids = dict(db.rows("select customer_no, reminder_id from reminder_headers"))
    named, mailbox = ids["C1"], ids["C2"]
    for rid, to in ((named, ["Ap@c1.Example", "cc@c1.example"]), (mailbox, ["invoices@c2.example"])):
        db.execute("update reminder_headers set to_emails = $to where reminder_id = $r", {"to": to, "r": rid})
    both = load_reminders(db, [named, mailbox])
    assert (both[named].contact_name, both[mailbox].contact_name) == ("Ann", "")
    assert load_reminder(db, named).contact_name == "Ann"


def test_a_reminder_that_does_not_exist_is_named(drafts):
    (first, *_) = open_reminder_ids(drafts)
    with pytest.raises(BadInput, match="^reminder 999999 does not exist; list the drafts"):
        load_reminder(drafts, 999999)
    with pytest.raises(BadInput, match="^reminders 999998, 999999 do not exist"):
        load_reminders(drafts, [999998, first, 999999])
    assert load_reminders(drafts, []) == {}


def test_customers_read_at_once_and_one_that_does_not_exist_is_named(db):
    add_customer(db, "C1")
    add_customer(db, "C2", currency="USD")
    found = load_customers(db, ["C2", "C1", "C2"])
    assert (found["C1"].currency, found["C2"].currency) == ("EUR", "USD")  # none of its own: the local one
    assert found["C1"] == load_customer(db, "C1")
    with pytest.raises(CustomerNotFound, match="customer 'C9' does not exist"):
        load_customers(db, ["C1", "C9"])
