"""A customer's contacts by hand (dunning.ledger.people): add, change, remove, addresses checked, and which
reminder levels a change leaves without anybody to write to."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dunning.db import Database
from dunning.errors import BadInput
from dunning.ledger import people
from dunning.ledger.addresses import address_problem
from dunning.ledger.people import ContactInput
from tests.ledger import add_customer


@pytest.fixture
def c1(db: Database) -> str:
    return add_customer(db, "C1", name="Alpha SA")


def ids(db: Database, customer_no: str) -> dict[str, int]:
    return {p.name: p.contact_id for p in people.people(db, customer_no)}


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("anna.smith@example.com", "anna.smith@example.com"),
        ("Anna@Example.COM", "Anna@example.com"),  # the domain is case-free
        ("info@exämple.de", "info@xn--exmple-cua.de"),  # an international domain in its ASCII form
    ],
)
def test_an_address_is_stored_in_the_form_the_transports_accept(given, stored):
    assert people.email_problem(given) == (stored, None)


@pytest.mark.parametrize(
    "bad", ["anna@", "anna smith@example.com", "anna@localhost", "ännä@example.com", "a@b@c.de"]
)
def test_a_malformed_address_is_named_with_what_is_wrong(bad):
    address, problem = people.email_problem(bad)
    assert address == bad and problem is not None and problem.startswith(repr(bad))


@pytest.mark.parametrize(
    ("text", "code"),
    [("Accounts payable", "accounts_payable"), ("finance_manager", "finance_manager"), (" Sales-Owner ", "sales_owner"),
     ("Chief!", None), ("1st", None)],
)  # fmt: skip
def test_a_role_is_read_from_its_label_or_its_code(text, code):
    assert people.role_code(text) == code
    if code:
        assert people.role_code(people.role_label(code)) == code


def test_a_contact_is_added_changed_and_removed(db: Database, c1: str) -> None:
    cid = people.add_person(
        db, c1, ContactInput("Anna Smith", " anna@alpha.example ", "+32 9 555 01 01", "", "fr")
    )
    (anna,) = people.people(db, c1)
    assert (anna.contact_id, anna.email, anna.phone, anna.role, anna.language) == (
        cid, "anna@alpha.example", "+32 9 555 01 01", "accounts_payable", "fr",
    )  # fmt: skip
    people.update_person(db, cid, ContactInput("Anna Smith-Lee", "anna@alpha.example", "", "Finance manager"))
    (anna,) = people.people(db, c1)
    assert (anna.name, anna.phone, anna.role, anna.language) == ("Anna Smith-Lee", "", "finance_manager", "")
    people.remove_person(db, cid)
    assert people.people(db, c1) == []


def test_a_contact_with_problems_is_refused_with_all_of_them_and_nothing_is_written(
    db: Database, c1: str
) -> None:
    with pytest.raises(BadInput) as caught:
        people.add_person(db, c1, ContactInput(" ", "anna@", role="Chief!", language="f r"))
    text = str(caught.value)
    assert text.startswith("contact (no name) of C1 was not saved")
    for words in ("give the contact a name", "'anna@' is not an email address", "'Chief!' is not a role",
                  "'f r' is not a language code"):  # fmt: skip
        assert words in text
    assert people.people(db, c1) == []


def test_a_contact_for_an_unknown_customer_is_refused(db: Database) -> None:
    with pytest.raises(BadInput, match="customer 'C9' does not exist"):
        people.add_person(db, "C9", ContactInput("Anna", "anna@c9.example"))


def test_the_default_role_is_the_one_level_1_of_the_customers_terms_writes_to(db: Database, c1: str) -> None:
    assert people.default_role(db, c1) == "accounts_payable"  # the default terms
    db.execute("insert into reminder_terms (code, description) values ('FM', 'Finance first')")
    db.execute(
        "insert into reminder_levels (terms_code, level_no, due_days, to_roles) values ('FM', 1, 5, ['finance_manager'])"
    )
    db.execute("update customers set reminder_terms_code = 'FM' where customer_no = 'C1'")
    assert people.default_role(db, c1) == "finance_manager"
    people.add_person(db, c1, ContactInput("Finn", "finn@alpha.example"))
    assert people.people(db, c1)[0].role == "finance_manager"


# The default terms: levels 1 and 2 write to accounts payable, else the finance manager; level 3 the other way.
@pytest.mark.parametrize(
    ("contacts", "removed", "lost"),
    [
        ([("AP", "accounts_payable")], "AP", (1, 2, 3)),
        (
            [("AP", "accounts_payable"), ("FM", "finance_manager")],
            "AP",
            (),
        ),  # the fallback still reaches them
        ([("AP", "accounts_payable"), ("AP2", "accounts_payable")], "AP", ()),
        ([("AP", "accounts_payable"), ("Sales", "sales_owner")], "AP", (1, 2, 3)),  # no level writes to sales
        ([("AP", "accounts_payable"), ("Sales", "sales_owner")], "Sales", ()),
    ],
)
def test_removing_the_last_contact_a_levels_roles_need_names_the_levels_that_will_skip(
    db: Database, c1: str, contacts: list[tuple[str, str]], removed: str, lost: tuple[int, ...]
) -> None:
    for name, role in contacts:
        people.add_person(db, c1, ContactInput(name, f"{name.lower()}@alpha.example", role=role))
    warning = people.levels_lost_without(db, c1, ids(db, c1)[removed])
    assert warning.levels == lost
    done = people.remove_person(db, ids(db, c1)[removed])
    assert done == warning
    if lost:
        assert warning.text() == (
            "Reminder levels 1, 2, 3 will then skip C1: no contact with an email address for accounts payable or "
            "finance manager. Add a contact with one of those roles."
        )


def test_a_contact_without_an_address_reaches_no_level(db: Database, c1: str) -> None:
    cid = people.add_person(db, c1, ContactInput("AP", "ap@alpha.example"))
    assert people.skipped_levels(people.level_roles(db, c1), people.people(db, c1)) == ()
    lost = people.update_person(db, cid, ContactInput("AP", "", "+32 9 555"))
    assert lost.levels == (1, 2, 3)
    # levels that skipped the customer before are not news
    assert people.update_person(db, cid, ContactInput("AP", "", "+32 9 556")).levels == ()


def test_the_customers_language_and_country_are_saved_checked(db: Database, c1: str) -> None:
    people.set_customer_details(db, c1, "fr", "be")
    assert db.one("select language, country from customers where customer_no = 'C1'") == ("fr", "BE")
    with pytest.raises(BadInput, match="'Belgium' is not a two-letter country code"):
        people.set_customer_details(db, c1, "fr", "Belgium")
    with pytest.raises(BadInput, match="customer 'C9' does not exist"):
        people.set_customer_details(db, "C9", "fr", "BE")


@given(st.from_regex(r"[a-z][a-z0-9]{0,8}(_[a-z0-9]{1,8}){0,3}", fullmatch=True))
def test_a_roles_label_reads_back_as_the_role(role):
    assert people.role_code(people.role_label(role)) == role


@given(st.emails())
def test_an_accepted_address_is_accepted_again_as_stored(address):
    stored, problem = people.email_problem(address)
    if problem is None:
        assert people.email_problem(stored) == (stored, None)
        assert address_problem(stored) is None
