"""Turn a file's text rows into customers, contacts or customer links, collecting every problem at once.

Each problem names the file, the row as a spreadsheet shows it, the column as the file names it, and what to
do. The frames hold the values as they would be stored (None for an empty cell: a stored value stays).

Customers: a customer number and a name on every row, each number once; country a two-letter code, language a
code like the ledger's (FRA, fr, fr-BE), currency three letters (empty or the local currency: local),
blocked as Business Central writes it (empty, Ship, Invoice, All; Yes counts as All, No as not blocked).
Contacts: a name; an email address when given must be one (email-validator); a role a role name or its label
("Accounts payable"). The customer of a contact is the file's customer number, else the customer linked to
its company contact (by the company's number, its own number, or the company's name) through the stored
Contact Business Relations; a contact whose Business Relation says it is no customer's is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dunning.errors import Problem
from dunning.ledger import people
from dunning.ledger.imports import parsing as P
from dunning.ledger.imports.party_fields import Resolved
from dunning.ledger.imports.readers import RawTable

CUSTOMER_STORED = (
    "customer_no", "name", "address", "post_code", "city", "country", "language", "currency", "vat_no",
    "terms_code", "blocked", "payment_terms", "email", "contact",
)  # fmt: skip
CONTACT_STORED = ("customer_no", "contact_no", "name", "email", "phone", "role", "language")
LINK_STORED = ("contact_no", "contact_name", "customer_no")
BLOCKED = {"ship": "ship", "invoice": "invoice", "all": "all"} | dict.fromkeys(P.YES, "all")
CUSTOMER_RELATIONS = {"customer", "multiple"}  # Business Central's Business Relation of a customer's contact


@dataclass(frozen=True)
class PartyRows:
    """Rows ready to store (index = spreadsheet row), the rows left out (not a customer's) and every problem."""

    file: str
    rows_read: int
    frame: pd.DataFrame
    problems: tuple[Problem, ...]
    resolved: Resolved
    left_out: int = 0


@dataclass(frozen=True)
class Links:
    """The stored Contact Business Relations: company contact no. -> customer, company name -> customers."""

    by_contact: dict[str, str]
    by_name: dict[str, set[str]]
    customers: set[str]


class _Rows:
    def __init__(self, table: RawTable, resolved: Resolved) -> None:
        self.table, self.resolved = table, resolved
        self.problems: list[Problem] = list(resolved.problems)
        self.empty = pd.Series("", index=table.frame.index, dtype=str)

    def text(self, name: str) -> pd.Series:
        column = self.resolved.columns.get(name)
        return self.empty if column is None else P.stripped(self.table.frame[column])

    def value(self, name: str) -> pd.Series:
        return pd.Series([v or None for v in self.text(name)], index=self.empty.index, dtype=object)

    def flag(self, row: object, name: str, message: str) -> None:
        column = self.resolved.columns.get(name, name)
        self.problems.append(Problem(self.table.file, int(str(row)), column, message))

    def check(self, name: str, test: Callable[[str], str | None]) -> None:
        """test(value) -> a problem's message, for each non-empty cell of the field."""
        for row, value in self.text(name).items():
            if value and (message := test(value)):
                self.flag(row, name, message)

    def required(self, names: tuple[str, ...], what: str) -> None:
        for name in names:
            if name in self.resolved.columns:
                for row in self.text(name).index[self.text(name) == ""]:
                    self.flag(row, name, f"the {name} is empty; every {what} needs one")

    def once(self, keys: pd.Series, name: str, what: str) -> None:
        first: dict[object, object] = {}
        for row, key in keys.items():
            if key is None:
                continue
            if key in first:
                self.flag(row, name, f"{what} is also on row {first[key]}; each may appear once, remove one")
            else:
                first[key] = row

    def done(self, frame: pd.DataFrame, left_out: int = 0) -> PartyRows:
        problems = sorted(self.problems, key=lambda p: p.row or 0)
        return PartyRows(
            self.table.file, len(self.table.frame), frame, tuple(problems), self.resolved, left_out
        )


def _language(value: str) -> str | None:
    if people.LANGUAGE.match(value):
        return None
    return f"{value!r} is not a language code (FRA, fr, fr-BE); correct it or leave it empty"


def _email(value: str) -> str | None:
    _, problem = people.email_problem(value)
    return None if problem is None else f"{problem}; correct the address or leave it empty"


def prepare_customers(table: RawTable, resolved: Resolved, lcy: str) -> PartyRows:
    r = _Rows(table, resolved)
    r.required(("customer_no", "name"), "customer")
    out = pd.DataFrame({name: r.value(name) for name in CUSTOMER_STORED}, index=table.frame.index)
    r.check("country", lambda v: None if people.COUNTRY.match(v.upper()) else (
        f"{v!r} is not a two-letter country code (ISO 3166, e.g. BE, DE); correct it or leave it empty"))  # fmt: skip
    out["country"] = [None if v is None else v.upper() for v in out["country"]]
    r.check("language", _language)
    r.check("currency", lambda v: None if re.fullmatch(r"[A-Za-z]{3}", v) else (
        f"currency code {v!r} is not three letters (ISO 4217, e.g. EUR, USD); correct it"))  # fmt: skip
    out["currency"] = [None if v is None or v.upper() == lcy else v.upper() for v in out["currency"]]
    r.check("blocked", lambda v: None if v.casefold() in BLOCKED or v.casefold() in P.NO else (
        f"{v!r} is not a blocked state; use Ship, Invoice or All (or leave it empty: not blocked)"))  # fmt: skip
    out["blocked"] = [BLOCKED.get(v.casefold()) for v in r.text("blocked")]
    r.check("email", _email)
    out["email"] = [None if v is None else people.email_problem(v)[0] for v in out["email"]]
    r.once(out["customer_no"], "customer_no", "this customer number")
    return r.done(out[list(CUSTOMER_STORED)])


def prepare_links(table: RawTable, resolved: Resolved) -> PartyRows:
    """Business Central's Contact Business Relations: the rows linking a company contact to a customer."""
    r = _Rows(table, resolved)
    link = r.text("link_to_table").str.casefold()
    keep = (link == "") | (link == "customer")
    r.required(("contact_no", "customer_no"), "link to a customer")
    out = pd.DataFrame({
        "contact_no": r.value("contact_no"), "contact_name": r.value("name"), "customer_no": r.value("customer_no"),
    }, index=table.frame.index)[keep]  # fmt: skip
    r.once(out["contact_no"], "contact_no", "this contact's link to a customer")
    return r.done(out[list(LINK_STORED)], left_out=int((~keep).sum()))


def prepare_contacts(table: RawTable, resolved: Resolved, links: Links) -> PartyRows:
    r = _Rows(table, resolved)
    relation = r.text("business_relation").str.casefold()
    keep = (relation == "") | relation.isin(CUSTOMER_RELATIONS)
    r.required(("name",), "contact")
    out = pd.DataFrame({name: r.value(name) for name in CONTACT_STORED}, index=table.frame.index)
    out["phone"] = out["phone"].where(out["phone"].notna(), r.value("mobile"))
    r.check("email", _email)
    out["email"] = [None if v is None else people.email_problem(v)[0] for v in out["email"]]
    roles = r.text("role")
    r.check("role", lambda v: None if people.role_code(v) else (
        f"{v!r} is not a role; use one of {', '.join(map(people.role_label, people.ROLES))} (or leave it empty: "
        "the role level 1 of the customer's terms writes to)"))  # fmt: skip
    out["role"] = [people.role_code(v) if v else None for v in roles]
    r.check("language", _language)
    companies, company_names = r.text("company_no"), r.text("company_name")
    for row in out.index[keep] if not resolved.problems else ():  # a column is missing: say that alone
        given = out.at[row, "customer_no"]
        found = given or _customer_of(r, row, links, companies[row], company_names[row])
        out.at[row, "customer_no"] = found
        if found is not None and found not in links.customers:
            r.flag(row, "customer_no" if given else "name", (
                f"customer {found} does not exist; import the customers (or their ledger entries) first"
                + (", or correct the number" if given else f" (the contact's company is linked to {found})")
            ))  # fmt: skip
    out = out[keep]
    identity = pd.Series([
        None if c is None else (c, "no", n) if n else (c, "email", e.casefold()) if e else (c, "name", m.casefold())
        for c, n, e, m in zip(out["customer_no"], out["contact_no"].fillna(""), out["email"].fillna(""),
                              out["name"].fillna(""), strict=True)
    ], index=out.index, dtype=object)  # fmt: skip
    r.once(identity, "name", "this contact of the customer (same number, else same email, else same name)")
    return r.done(out[list(CONTACT_STORED)], left_out=int((~keep).sum()))


def _customer_of(r: _Rows, row: object, links: Links, company_no: str, company_name: str) -> str | None:
    contact_no = r.text("contact_no")[row]
    for number in (company_no, contact_no):
        if number and number in links.by_contact:
            return links.by_contact[number]
    named = links.by_name.get(company_name.casefold(), set()) if company_name else set()
    if len(named) == 1:
        return next(iter(named))
    name = r.text("name")[row]
    if len(named) > 1:
        r.flag(row, "company_name", (
            f"contact {name!r}: the company {company_name!r} is linked to customers {', '.join(sorted(named))}; "
            "add a Customer No. or Company No. column to tell them apart"
        ))  # fmt: skip
        return None
    if "customer_no" not in r.resolved.columns:
        r.flag(row, "company_name" if company_name else "contact_no", (
            f"contact {name!r}{f' of {company_name!r}' if company_name else ''} is linked to no customer; import "
            "Business Central's Contact Business Relations (Link to Table = Customer) first, or map customer_no"
        ))  # fmt: skip
    else:
        r.flag(row, "customer_no", f"contact {name!r} has no customer number; every contact needs one")
    return None
