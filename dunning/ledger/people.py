"""The people reminders go to: a customer's contacts with their roles, added, changed and removed by hand or by
an import, and which levels of the customer's reminder terms would find nobody to write to.

A contact has a name, an email address, a phone, a role and a language (empty: the customer's). An address is
checked with email-validator for its form (syntax only: nothing is looked up on the network), stored as its
ASCII form (an international domain as xn--), and must then pass the project's one address rule
(addresses.address_problem) that the review and the transports apply. A contact may have no address (a phone
number to call): it receives no reminder.

A level of the terms writes to the contacts of its 'to' roles, else of its fallback roles; a customer with
neither is skipped at that level ("no contact with an email for roles ..."). `levels_lost` says which levels
a change would leave without a recipient, so the page says so before and after a contact is removed.

Owns email_validator. The terms are read by SQL (dunning.reminders is a layer above).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from dunning.access import Action, require
from dunning.db import Database
from dunning.errors import BadInput
from dunning.ledger.addresses import address_problem

ROLES = ("accounts_payable", "finance_manager", "sales_owner")  # the roles every list offers, in this order
DEFAULT_ROLE = "accounts_payable"  # when the customer's terms have no level 1
ROLE = re.compile(r"^[a-z][a-z0-9_]*$")
LANGUAGE = re.compile(r"^[A-Za-z][A-Za-z_-]{0,9}$")  # en, FRA, fr-BE: as the ledger import accepts them
COUNTRY = re.compile(r"^[A-Z]{2}$")

# The terms that apply to each customer: its own, else the default terms (as the proposal picks them).
TERMS_OF = (
    "coalesce(nullif(c.reminder_terms_code, ''), (select code from reminder_terms where is_default order by code"
    " limit 1), 'DEFAULT')"
)


@dataclass(frozen=True)
class Person:
    contact_id: int
    customer_no: str
    name: str
    email: str  # '' when the contact has none
    phone: str
    role: str
    language: str  # '' : the customer's
    active: bool
    contact_no: str  # the ERP's number, '' for a contact added here

    @property
    def label(self) -> str:
        return " · ".join(x for x in (self.name, role_label(self.role), self.email) if x)


@dataclass(frozen=True)
class LevelRoles:
    level_no: int
    to_roles: tuple[str, ...]
    fallback_roles: tuple[str, ...]

    def reached_by(self, people: Iterable[Person]) -> bool:
        roles = set(self.to_roles) | set(self.fallback_roles)
        return any(p.active and p.email and p.role in roles for p in people)


def role_label(role: str) -> str:
    """accounts_payable -> 'Accounts payable'."""
    return role.replace("_", " ").strip().capitalize()


def role_code(text: str) -> str | None:
    """'Accounts payable', 'accounts_payable', 'Accounts-Payable' -> 'accounts_payable'; None when it cannot be a
    role (a letter first, then letters, digits or _)."""
    code = re.sub(r"[\s\-]+", "_", text.strip()).casefold()
    return code if ROLE.match(code) else None


def email_problem(address: str) -> tuple[str, str | None]:
    """(the address as stored, None) or (the address as given, what is wrong with it)."""
    try:
        checked = validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        return address, f"{address!r} is not an email address: {exc}"
    stored = checked.ascii_email or checked.normalized
    problem = address_problem(stored)
    return (stored, None) if problem is None else (address, f"{address!r} {problem}")


def role_choices(db: Database) -> list[str]:
    """The roles a contact may take: the usual ones, then those any level of any terms writes to."""
    used = db.rows(
        "select distinct unnest(list_concat(to_roles, cc_roles, fallback_roles)) as r from reminder_levels order by r"
    )
    return list(dict.fromkeys([*ROLES, *(r[0] for r in used)]))


def default_role(db: Database, customer_no: str) -> str:
    """The first role level 1 of the customer's terms writes to (accounts payable when there is none)."""
    role = db.scalar(
        f"select lv.to_roles[1] from customers c join reminder_levels lv on lv.terms_code = {TERMS_OF}"  # noqa: S608
        " and lv.level_no = 1 where c.customer_no = $c",
        {"c": customer_no},
    )
    return role or DEFAULT_ROLE


def people(db: Database, customer_no: str) -> list[Person]:
    """The customer's contacts, active first, by the usual role order and name."""
    rows = db.rows(
        "select contact_id, customer_no, name, coalesce(email, ''), coalesce(phone, ''), role,"
        " coalesce(language, ''), active, coalesce(contact_no, '') from contacts where customer_no = $c"
        " order by not active, coalesce(list_position($roles, role), 99), name, contact_id",
        {"c": customer_no, "roles": list(ROLES)},
    )
    return [Person(*r) for r in rows]


def level_roles(db: Database, customer_no: str) -> list[LevelRoles]:
    rows = db.rows(
        f"select lv.level_no, lv.to_roles, lv.fallback_roles from customers c join reminder_levels lv"  # noqa: S608
        f" on lv.terms_code = {TERMS_OF} where c.customer_no = $c order by lv.level_no",
        {"c": customer_no},
    )
    return [LevelRoles(n, tuple(to), tuple(fb)) for n, to, fb in rows]


def skipped_levels(levels: Sequence[LevelRoles], contacts: Iterable[Person]) -> tuple[int, ...]:
    """The levels that find no active contact with an address in their 'to' or fallback roles."""
    found = list(contacts)
    return tuple(lv.level_no for lv in levels if not lv.reached_by(found))


@dataclass(frozen=True)
class LevelsLost:
    """What a change to a customer's contacts does to its reminders: the levels that reached someone before
    and will skip the customer after, with the roles that would reach them again."""

    customer_no: str
    levels: tuple[int, ...]
    roles: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.levels)

    def text(self) -> str:
        if not self.levels:
            return ""
        which = ", ".join(str(n) for n in self.levels)
        roles = " or ".join(role_label(r).lower() for r in self.roles)
        return (
            f"Reminder level{'s' if len(self.levels) > 1 else ''} {which} will then skip {self.customer_no}: "
            f"no contact with an email address for {roles}. Add a contact with one of those roles."
        )


def levels_lost(
    db: Database, customer_no: str, before: Sequence[Person], after: Sequence[Person]
) -> LevelsLost:
    levels = level_roles(db, customer_no)
    was = set(skipped_levels(levels, before))
    lost = [lv for lv in levels if lv.level_no not in was and not lv.reached_by(after)]
    roles = dict.fromkeys(r for lv in lost for r in (*lv.to_roles, *lv.fallback_roles))
    return LevelsLost(customer_no, tuple(lv.level_no for lv in lost), tuple(roles))


def levels_lost_without(db: Database, customer_no: str, contact_id: int) -> LevelsLost:
    """The levels that removing the contact would leave without a recipient."""
    before = people(db, customer_no)
    return levels_lost(db, customer_no, before, [p for p in before if p.contact_id != contact_id])


# -- writing ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ContactInput:
    """A contact as a form gives it: text, checked by `checked` before anything is written."""

    name: str
    email: str = ""
    phone: str = ""
    role: str = ""  # empty: the default role of the customer's level 1
    language: str = ""


def checked(db: Database, customer_no: str, given: ContactInput) -> ContactInput:
    """The contact with its email in stored form and its role as a code; BadInput naming every problem."""
    who = f"contact {given.name.strip() or '(no name)'} of {customer_no}"
    problems = []
    if not given.name.strip():
        problems.append("give the contact a name")
    email = given.email.strip()
    if email:
        email, bad = email_problem(email)
        if bad:
            problems.append(f"{bad}; correct the address or leave it empty")
    role = role_code(given.role) if given.role.strip() else default_role(db, customer_no)
    if role is None:
        problems.append(f"{given.role!r} is not a role; pick one of {', '.join(map(role_label, ROLES))}")
    language = given.language.strip()
    if language and not LANGUAGE.match(language):
        problems.append(f"{language!r} is not a language code (en, fr, de-CH); correct it or leave it empty")
    if problems:
        raise BadInput(f"{who} was not saved: " + "; ".join(problems))
    return ContactInput(given.name.strip(), email, given.phone.strip(), role or "", language)


def _customer_exists(db: Database, customer_no: str) -> None:
    if not db.scalar("select count(*) from customers where customer_no = $c", {"c": customer_no}):
        raise BadInput(f"customer {customer_no!r} does not exist; check the customer number")


def add_person(db: Database, customer_no: str, given: ContactInput) -> int:
    """Add a contact to the customer; returns its id."""
    require(db.actor, Action.CUSTOMERS)
    _customer_exists(db, customer_no)
    c = checked(db, customer_no, given)
    with db.transaction(audit=(Action.CUSTOMERS, f"customer {customer_no}: contact {c.name} added")) as tx:
        row = tx.one(
            "insert into contacts (customer_no, name, email, phone, role, language)"
            " values ($c, $n, $e, nullif($p, ''), $r, nullif($l, '')) returning contact_id",
            {"c": customer_no, "n": c.name, "e": c.email, "p": c.phone, "r": c.role, "l": c.language},
        )
    assert row is not None
    return int(row[0])


def _person(db: Database, contact_id: int) -> Person:
    found = db.one("select customer_no from contacts where contact_id = $id", {"id": contact_id})
    if found is None:
        raise BadInput(f"contact {contact_id} does not exist (any more); reload the page")
    return next(p for p in people(db, found[0]) if p.contact_id == contact_id)


def update_person(db: Database, contact_id: int, given: ContactInput) -> LevelsLost:
    """Change a contact; returns the levels the change leaves without a recipient."""
    require(db.actor, Action.CUSTOMERS)
    old = _person(db, contact_id)
    c = checked(db, old.customer_no, given)
    before = people(db, old.customer_no)
    with db.transaction(
        audit=(Action.CUSTOMERS, f"customer {old.customer_no}: contact {c.name} changed")
    ) as tx:
        tx.execute(
            "update contacts set name = $n, email = $e, phone = nullif($p, ''), role = $r,"
            " language = nullif($l, '') where contact_id = $id",
            {"id": contact_id, "n": c.name, "e": c.email, "p": c.phone, "r": c.role, "l": c.language},
        )
    return levels_lost(db, old.customer_no, before, people(db, old.customer_no))


def remove_person(db: Database, contact_id: int) -> LevelsLost:
    """Remove a contact; returns the levels that now skip its customer."""
    require(db.actor, Action.CUSTOMERS)
    old = _person(db, contact_id)
    lost = levels_lost_without(db, old.customer_no, contact_id)
    with db.transaction(
        audit=(Action.CUSTOMERS, f"customer {old.customer_no}: contact {old.name} removed")
    ) as tx:
        tx.execute("delete from contacts where contact_id = $id", {"id": contact_id})
    return lost


def set_customer_details(db: Database, customer_no: str, language: str, country: str) -> None:
    """The customer's language (of its documents) and country (ISO 3166 alpha-2, empty: none)."""
    require(db.actor, Action.CUSTOMERS)
    language, country = language.strip(), country.strip()
    problems = []
    if not LANGUAGE.match(language):
        problems.append(f"{language!r} is not a language code (en, fr, de-CH); pick one")
    if country and not COUNTRY.match(country.upper()):
        problems.append(f"{country!r} is not a two-letter country code (ISO 3166, e.g. BE, DE); correct it")
    if problems:
        raise BadInput(f"customer {customer_no} was not saved: " + "; ".join(problems))
    with db.transaction(
        audit=(Action.CUSTOMERS, f"customer {customer_no}: language {language}, country {country}")
    ) as tx:
        found = tx.rows(
            "update customers set language = $l, country = nullif($k, '') where customer_no = $c"
            " returning customer_no",
            {"l": language, "k": country.upper(), "c": customer_no},
        )
        if not found:
            raise BadInput(f"customer {customer_no!r} does not exist; check the customer number")
