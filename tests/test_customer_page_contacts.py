"""The customer page edits the customer's contacts (add, change, remove, with the address checked and the
levels a removal leaves without a recipient named) and the customer's language and country."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dunning.db import Database


def first_customer(path: Path) -> str:
    with Database(path) as db:
        return str(db.scalar("select customer_no from customers order by name, customer_no limit 1"))


def stored(path: Path, customer_no: str) -> list[tuple[str, str, str, str, str | None]]:
    with Database(path) as db:
        return db.rows(
            "select name, email, coalesce(phone, ''), role, language from contacts where customer_no = $c order by name",
            {"c": customer_no},
        )


@pytest.fixture
def at(customer_page: AppTest) -> AppTest:
    return customer_page


def fill(
    at: AppTest, name: str, email: str, phone: str = "", role: str | None = None, language: str = ""
) -> None:
    at.text_input(key="person_name").input(name)
    at.text_input(key="person_email").input(email)
    at.text_input(key="person_phone").input(phone)
    if role is not None:
        at.selectbox(key="person_role").set_value(role)
    at.selectbox(key="person_language").set_value(language)
    at.button(key="person_save").click().run()
    assert not at.exception, at.exception


def shown(markdown: str) -> str:
    """A message as the user reads it: without the backslashes that keep its text from being markdown."""
    return markdown.replace("\\", "")


def contacts_table(at: AppTest) -> list[dict]:
    (frame,) = [d.value for d in at.dataframe if list(d.value.columns)[:3] == ["Name", "Role", "Email"]]
    return frame.to_dict("records")


def test_a_contact_is_added_with_its_role_shown_as_a_label(at, app_db):
    no = first_customer(app_db)
    before = stored(app_db, no)
    assert at.selectbox(key="person_role").value == "accounts_payable"  # what level 1 writes to
    fill(at, "Zoë Archer", "zoe.archer@example.com", "+32 9 555 01 02", "finance_manager", "fr")
    assert stored(app_db, no) == sorted([*before, ("Zoë Archer", "zoe.archer@example.com", "+32 9 555 01 02",
                                                   "finance_manager", "fr")])  # fmt: skip
    assert any("Added Zoë Archer" in shown(s.value) for s in at.success)
    row = next(r for r in contacts_table(at) if r["Name"] == "Zoë Archer")
    assert (row["Role"], row["Phone"], row["Language"]) == ("Finance manager", "+32 9 555 01 02", "French")
    assert at.text_input(key="person_name").value == ""  # the form is empty for the next one


def test_a_malformed_address_is_refused_and_kept_in_the_form(at, app_db):
    no = first_customer(app_db)
    before = stored(app_db, no)
    fill(at, "Zoë Archer", "zoe.archer@")
    (error,) = at.error
    assert "'zoe.archer@' is not an email address" in shown(error.value) and "was not saved" in shown(
        error.value
    )
    assert at.text_input(key="person_email").value == "zoe.archer@"
    assert stored(app_db, no) == before


def test_a_picked_contact_is_changed(at, app_db):
    no = first_customer(app_db)
    name, email, *_ = stored(app_db, no)[0]
    box = at.selectbox(key="person_pick")
    (pick,) = [o for o in box.options if o != "New contact" and o.startswith(name)]
    box.select(pick).run()
    assert at.text_input(key="person_email").value == email
    at.text_input(key="person_phone").input("+31 20 555 0000")
    at.button(key="person_save").click().run()
    assert not at.exception
    assert next(c for c in stored(app_db, no) if c[0] == name)[2] == "+31 20 555 0000"


def test_removing_the_last_contact_the_levels_need_says_which_levels_will_skip_the_customer(at, app_db):
    no = first_customer(app_db)
    with Database(app_db) as db:
        db.execute("delete from contacts where customer_no = $c", {"c": no})
        db.execute("insert into contacts (customer_no, name, email, role) values ($c, 'Ann Payable',"
                   " 'ann@example.com', 'accounts_payable')", {"c": no})  # fmt: skip
    at.run()
    box = at.selectbox(key="person_pick")
    box.select(next(o for o in box.options if o.startswith("Ann Payable"))).run()
    (before,) = [shown(w.value) for w in at.warning if "If you remove Ann Payable" in w.value]
    assert f"Reminder levels 1, 2, 3 will then skip {no}" in before
    at.button(key="person_remove").click().run()
    assert not at.exception
    assert stored(app_db, no) == []
    assert any("Removed Ann Payable" in shown(s.value) for s in at.success)
    assert any(f"Reminder levels 1, 2, 3 will then skip {no}" in shown(w.value) for w in at.warning)
    assert at.selectbox(key="person_pick").options == ["New contact"]  # the form is back to a new contact


def test_the_customers_language_and_country_are_saved(at, app_db):
    no = first_customer(app_db)
    at.selectbox(key=f"customer_language_{no}").set_value("de")
    at.text_input(key=f"customer_country_{no}").input("ch")
    at.button(key=f"customer_details_save_{no}").click().run()
    assert not at.exception
    with Database(app_db) as db:
        assert db.one("select language, country from customers where customer_no = $c", {"c": no}) == (
            "de",
            "CH",
        )
    assert "language de" in at.caption[0].value
