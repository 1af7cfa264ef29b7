"""The customer page's forms: log a contact, record an agreement (both hold reminders back); the customer's
contacts (add, change, remove: the people reminders are addressed to) and the customer's language and country.

Each saves in its submit callback (dunning.ui.forms) and shows the outcome under it; a saved form is cleared,
a rejected one keeps what was typed. Removing a contact says first which reminder levels would then skip the
customer (dunning.ledger.people decides), and says it again once removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dunning.access import Action
from dunning.db import Database
from dunning.documents import formatting
from dunning.ledger import contacts, people
from dunning.ui import forms, frames
from dunning.ui.auth import can
from dunning.ui.markdown import literal


def _log_contact(db: Database, customer_no: str) -> None:
    s = st.session_state
    on, channel, note = s["contact_on"], s["contact_channel"], s["contact_note"]
    if forms.save("contact", lambda: contacts.log_contact(db, customer_no, on, channel, note),
                  f"Logged the {channel} contact of {on:%d %b %Y}."):  # fmt: skip
        s["contact_note"] = ""


def _add_agreement(db: Database, customer_no: str) -> None:
    s = st.session_state
    on, until, note = s["agreement_on"], s["agreement_until"], s["agreement_note"]
    if forms.save("agreement", lambda: contacts.add_agreement(db, customer_no, on, until, note),
                  f"Recorded the agreement: no reminder for {customer_no} until {until}."):  # fmt: skip
        s["agreement_note"], s["agreement_until"] = "", None


def contact_form(db: Database, customer_no: str) -> None:
    """Log a contact made by hand, then the customer's contact log."""
    today = dt.date.today()
    if can(Action.LOG):  # a viewer reads the log only
        with st.form("contact_form"):
            st.markdown("**Log a contact**")
            c1, c2 = st.columns(2)
            c1.date_input("Date", value=today, max_value=today, key="contact_on", format="YYYY-MM-DD")
            c2.selectbox("Channel", contacts.CHANNELS, key="contact_channel", format_func=str.capitalize)
            st.text_area("Note", key="contact_note", required=True, height=80,
                         placeholder="What was said or promised")  # fmt: skip
            st.form_submit_button("Log contact", key="contact_submit", type="primary", width="stretch",
                                  icon=":material/call:", on_click=_log_contact, args=(db, customer_no))  # fmt: skip
        forms.show_outcome("contact")
    log = contacts.contact_history(db, customer_no)
    st.markdown(f"**Contact log** · {len(log)}")
    st.dataframe(frames.contact_log_frame(log), key="customer_contact_log", hide_index=True, width="stretch",
                 placeholder="", column_config=frames.CONTACT_LOG_COLUMNS)  # fmt: skip


def agreement_form(db: Database, customer_no: str, as_of: dt.date) -> None:
    """Record an agreement, then the customer's agreements and whether each is active on as_of."""
    if can(Action.LOG):  # a viewer reads the agreements only
        with st.form("agreement_form"):
            st.markdown("**Record an agreement**")
            c1, c2 = st.columns(2)
            c1.date_input("Agreed on", value=dt.date.today(), key="agreement_on", format="YYYY-MM-DD")
            c2.date_input("Valid until", value=None, key="agreement_until", format="YYYY-MM-DD", required=True,
                          help="No reminder for this customer until this date")  # fmt: skip
            st.text_area("Note", key="agreement_note", required=True, height=80,
                         placeholder="e.g. payment plan: two instalments")  # fmt: skip
            st.form_submit_button("Record agreement", key="agreement_submit", type="primary", width="stretch",
                                  icon=":material/handshake:", on_click=_add_agreement, args=(db, customer_no))  # fmt: skip
        forms.show_outcome("agreement")
    items = contacts.agreements(db, customer_no)
    st.markdown(f"**Agreements** · {sum(a.active(as_of) for a in items)} active on {as_of:%d %b %Y}")
    st.dataframe(frames.agreements_frame(items, as_of), key="customer_agreements", hide_index=True,
                 width="stretch", placeholder="", column_config=frames.AGREEMENT_COLUMNS)  # fmt: skip


# -- the customer's contacts and the customer's own settings ------------------------------------------------
NEW = 0  # the contact picker's choice for a new contact
LANGUAGE_NAMES = {"en": "English", "fr": "French", "nl": "Dutch", "de": "German"}


def language_label(code: str) -> str:
    if not code:
        return "The customer's"
    name = LANGUAGE_NAMES[formatting.language_of(code)]
    return name if code in LANGUAGE_NAMES else f"{code} ({name})"


def _options(choices: Sequence[str], current: str) -> list[str]:
    return [*choices, current] if current not in choices else list(choices)


def people_table(db: Database, customer_no: str) -> None:
    """The customer's contacts: name, role (as a label; inactive ones say so), email, phone, language."""
    rows = [
        {"Name": p.name, "Role": people.role_label(p.role) + ("" if p.active else " (inactive)"), "Email": p.email,
         "Phone": p.phone, "Language": language_label(p.language) if p.language else "customer's"}
        for p in people.people(db, customer_no)
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["Name", "Role", "Email", "Phone", "Language"])
    st.dataframe(frame, key="customer_contacts", hide_index=True, width="stretch", placeholder="")


def _fill(person: people.Person | None, role: str) -> None:
    """Put a contact (None: an empty one with the default role) into the contact form."""
    s = st.session_state
    s["person_name"] = person.name if person else ""
    s["person_email"] = person.email if person else ""
    s["person_phone"] = person.phone if person else ""
    s["person_role"] = person.role if person else role
    s["person_language"] = person.language if person else ""


def _picked(db: Database, customer_no: str) -> None:
    pick = st.session_state["person_pick"]
    found = {p.contact_id: p for p in people.people(db, customer_no)}
    _fill(found.get(pick), people.default_role(db, customer_no))


def _given() -> people.ContactInput:
    s = st.session_state
    return people.ContactInput(s["person_name"], s["person_email"], s["person_phone"], s["person_role"],
                               s["person_language"])  # fmt: skip


def _save_person(db: Database, customer_no: str) -> None:
    s, given, lost = st.session_state, _given(), []
    pick = s["person_pick"]
    if pick == NEW:
        if forms.save(
            "person", lambda: people.add_person(db, customer_no, given), f"Added {given.name.strip()}."
        ):
            _fill(None, people.default_role(db, customer_no))
    elif forms.save(
        "person", lambda: lost.append(people.update_person(db, pick, given)), f"Saved {given.name}."
    ):
        s["person_lost"] = lost[0].text()


def _remove_person(db: Database, customer_no: str, name: str) -> None:
    s, lost = st.session_state, []
    if forms.save(
        "person", lambda: lost.append(people.remove_person(db, s["person_pick"])), f"Removed {name}."
    ):
        s["person_lost"] = lost[0].text()
        s["person_pick"] = NEW
        _fill(None, people.default_role(db, customer_no))


def people_editor(db: Database, customer_no: str) -> None:
    """Pick a contact (or a new one), edit it in a form, remove it; says which levels a removal leaves without
    anybody to write to, before and after."""
    s = st.session_state
    found = {p.contact_id: p for p in people.people(db, customer_no)}
    if s.get("person_customer") != customer_no or s.get("person_pick") not in (NEW, *found):
        s["person_customer"], s["person_pick"] = customer_no, NEW
        _fill(None, people.default_role(db, customer_no))
    st.selectbox("Contact", [NEW, *found], key="person_pick", on_change=_picked, args=(db, customer_no),
                 format_func=lambda i: "New contact" if i == NEW else found[i].label)  # fmt: skip
    pick = s["person_pick"]
    with st.form("person_form"):
        c1, c2 = st.columns(2)
        c1.text_input("Name", key="person_name")
        c2.text_input("Email", key="person_email", placeholder="name@example.com")
        c3, c4, c5 = st.columns(3)
        c3.text_input("Phone", key="person_phone")
        c4.selectbox("Role", _options(people.role_choices(db), s["person_role"]), key="person_role",
                     format_func=people.role_label, help="The levels of the reminder terms write to roles")  # fmt: skip
        c5.selectbox("Language", _options(["", *LANGUAGE_NAMES], s["person_language"]), key="person_language",
                     format_func=language_label)  # fmt: skip
        st.form_submit_button("Add contact" if pick == NEW else "Save contact", key="person_save", type="primary",
                              icon=":material/person_add:", on_click=_save_person, args=(db, customer_no))  # fmt: skip
    if pick != NEW:
        name = found[pick].name
        if lost := people.levels_lost_without(db, customer_no, pick):
            st.warning(f"If you remove {literal(name)}: {literal(lost.text())}", icon=":material/warning:")
        st.button(f"Remove {literal(name)}", key="person_remove", icon=":material/person_remove:",
                  on_click=_remove_person, args=(db, customer_no, name))  # fmt: skip
    forms.show_outcome("person")
    if text := s.pop("person_lost", ""):
        st.warning(literal(text), icon=":material/warning:")


def _save_details(db: Database, customer_no: str) -> None:
    s = st.session_state
    language, country = s[f"customer_language_{customer_no}"], s[f"customer_country_{customer_no}"]
    forms.save("customer_details", lambda: people.set_customer_details(db, customer_no, language, country),
               f"Saved {customer_no}: documents in {language_label(language)}, country {country.upper() or 'none'}.")  # fmt: skip


def details_form(db: Database, customer_no: str, language: str, country: str) -> None:
    """The customer's language (of its reminders and statements) and country."""
    with st.form(f"customer_details_{customer_no}"):
        c1, c2 = st.columns(2)
        c1.selectbox("Language of documents", _options(list(LANGUAGE_NAMES), language), key=f"customer_language_{customer_no}",
                     index=_options(list(LANGUAGE_NAMES), language).index(language), format_func=language_label)  # fmt: skip
        c2.text_input("Country", value=country, key=f"customer_country_{customer_no}", max_chars=2,
                      help="ISO 3166 code, e.g. BE, DE, GB")  # fmt: skip
        st.form_submit_button("Save customer", key=f"customer_details_save_{customer_no}", on_click=_save_details,
                              args=(db, customer_no))  # fmt: skip
    forms.show_outcome("customer_details")
