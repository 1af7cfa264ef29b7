"""The company every document speaks for: legal name, address, contact details, the credit controller's
signature and logo, and one bank account per currency (tables company and bank_accounts, migration 009).

`set_company`, `set_logo`, `set_bank_account` and `set_bank_accounts` (the Company page's table: replaces
them all) check every value first and write nothing when one is wrong; the BadInput names each wrong field
or currency and says what to give. `missing_fields` lists what a document in a currency needs but the
company lacks (for each of `document_currencies`), so a document is never printed with a blank where the
sender should be. IBANs and BICs are checked by dunning.documents.payment, the project's one check of
payment data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import PurePath
from typing import Any

from dunning.access import Action, require
from dunning.db import Database
from dunning.documents.payment import bic_problem, iban_for_print, iban_problem
from dunning.errors import BadInput

# One-line fields and the longest value each takes; address and signature hold several lines.
ONE_LINE = {
    "legal_name": 140,
    "post_code": 16,
    "city": 70,
    "country": 2,
    "vat_no": 30,
    "registration": 140,
    "phone": 40,
    "reply_to": 254,
    "controller_name": 70,
}
MULTI_LINE = {"address": (4, 70), "signature": (6, 100)}  # (most lines, longest line)
TEXT_FIELDS = ("legal_name", "address", "post_code", "city", "country", "vat_no", "registration", "phone",
               "reply_to", "controller_name", "signature")  # fmt: skip
FIELDS = (*TEXT_FIELDS, "logo", "logo_media_type")
LOGO_TYPES = {"image/png": (b"\x89PNG\r\n\x1a\n",), "image/jpeg": (b"\xff\xd8\xff",), "image/svg+xml": ()}
LOGO_MAX_BYTES = 1_000_000
LOGO_SUFFIXES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
# What a document cannot do without (besides a bank account in its currency).
REQUIRED = ("legal_name", "address", "city", "country", "reply_to")

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_PHONE = re.compile(r"\+?[0-9 ()./-]+")
_CURRENCY = re.compile(r"[A-Z]{3}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class BankAccount:
    currency: str
    iban: str  # without spaces
    bic: str
    bank_name: str

    @property
    def iban_grouped(self) -> str:
        """'NL91 ABNA 0417 1643 00', as banks print it."""
        return iban_for_print(self.iban)


@dataclass(frozen=True)
class Company:
    legal_name: str = ""
    address: str = ""  # street lines separated by newlines
    post_code: str = ""
    city: str = ""
    country: str = ""
    vat_no: str = ""
    registration: str = ""
    phone: str = ""
    reply_to: str = ""
    controller_name: str = ""
    signature: str = ""
    logo: bytes | None = None
    logo_media_type: str | None = None
    bank_accounts: tuple[BankAccount, ...] = ()

    @property
    def address_lines(self) -> tuple[str, ...]:
        return tuple(line for line in self.address.splitlines() if line.strip())

    def bank_account(self, currency: str) -> BankAccount | None:
        return next((a for a in self.bank_accounts if a.currency == currency.upper()), None)


def normal_iban(iban: str) -> str:
    return re.sub(r"\s+", "", iban).upper()


def _problem(name: str, value: Any) -> str | None:
    """What is wrong with one field's value, or None."""
    if name == "logo":
        if value is None:
            return None
        if not isinstance(value, bytes) or not value:
            return "give the logo as the bytes of an image file"
        if len(value) > LOGO_MAX_BYTES:
            return f"is {len(value):,} bytes; give an image of at most {LOGO_MAX_BYTES:,} bytes"
        return None
    if name == "logo_media_type":
        if value is None or value in LOGO_TYPES:
            return None
        return f"{value!r} is not a logo format; give one of {', '.join(LOGO_TYPES)}"
    if not isinstance(value, str):
        return "give text"
    if name in MULTI_LINE:
        most, longest = MULTI_LINE[name]
        lines = [line for line in value.splitlines() if line.strip()]
        if len(lines) > most:
            return f"has {len(lines)} lines; give at most {most}"
        if any(len(line.strip()) > longest for line in lines):
            return f"has a line longer than {longest} characters; split it"
        if any(_CONTROL.search(line.replace("\t", " ")) for line in lines):
            return "holds a control character; give plain text"
        return None
    if "\r" in value or "\n" in value:
        return "must be one line: remove the line break"
    if _CONTROL.search(value):
        return "holds a control character; give plain text"
    text = value.strip()
    if name == "country" and text and not re.fullmatch(r"[A-Za-z]{2}", text):
        return f"{text!r} is not a country code; give the two letters of ISO 3166, e.g. NL, DE, GB"
    if len(text) > ONE_LINE[name]:
        return f"is {len(text)} characters long; give at most {ONE_LINE[name]}"
    if name == "legal_name" and not text:
        return "cannot be empty: give the company's name as registered"
    if not text:
        return None
    if name == "reply_to" and not _EMAIL.fullmatch(text):
        return f"{text!r} is not an email address; give e.g. credit@example.com"
    if name == "phone" and (not _PHONE.fullmatch(text) or sum(c.isdigit() for c in text) < 5):
        return (
            f"{text!r} is not a phone number; give digits, spaces and + ( ) - / . only, e.g. +31 10 123 4567"
        )
    return None


def _clean(name: str, value: Any) -> Any:
    if name in MULTI_LINE:
        return "\n".join(line.strip() for line in value.splitlines() if line.strip())
    if isinstance(value, str):
        value = value.strip()
        return value.upper() if name in ("country", "vat_no") else value
    return value


def load_company(db: Database) -> Company:
    with db.session() as s:
        row = s.records("select * exclude (id) from company where id = 1")
        accounts = s.rows("select currency, iban, bic, bank_name from bank_accounts order by currency")
    values = dict(row[0]) if row else {}
    if values.get("logo") is not None:
        values["logo"] = bytes(values["logo"])
    return Company(**values, bank_accounts=tuple(BankAccount(*a) for a in accounts))


def set_company(db: Database, **changes: Any) -> Company:
    """Change the named fields (every field checked first; nothing is written on a problem)."""
    require(db.actor, Action.SETTINGS)
    problems = [
        f"unknown company field {name!r}; the fields are {', '.join(FIELDS)}"
        for name in changes
        if name not in FIELDS
    ]
    problems += [
        f"company field {name!r} {problem}"
        for name, value in changes.items()
        if name in FIELDS and (problem := _problem(name, value)) is not None
    ]
    if problems:
        raise BadInput("company not changed: " + "; ".join(problems))
    with db.transaction(audit=(Action.SETTINGS, "company: " + ", ".join(sorted(changes)))) as tx:
        current = load_company(db)
        new = replace(current, **{name: _clean(name, value) for name, value in changes.items()})
        if new.logo is None:
            new = replace(new, logo_media_type=None)
        elif new.logo_media_type is None:
            raise BadInput(
                "company not changed: company field 'logo_media_type' is missing; say what the logo is"
            )
        elif (magic := LOGO_TYPES[new.logo_media_type]) and not new.logo.startswith(magic):
            raise BadInput(f"company not changed: company field 'logo' is not a {new.logo_media_type} image")
        elif new.logo_media_type == "image/svg+xml" and b"<svg" not in new.logo[:4096]:
            raise BadInput("company not changed: company field 'logo' is not an SVG image")
        values = {f.name: getattr(new, f.name) for f in fields(Company) if f.name != "bank_accounts"}
        tx.execute(
            "insert or replace into company (id, legal_name, address, post_code, city, country, vat_no,"
            " registration, phone, reply_to, controller_name, signature, logo, logo_media_type)"
            " values (1, $legal_name, $address, $post_code, $city, $country, $vat_no, $registration, $phone,"
            " $reply_to, $controller_name, $signature, $logo, $logo_media_type)",
            values,
        )
    return new


def logo_type(file_name: str) -> str | None:
    """The media type of a logo file by its name's suffix (LOGO_SUFFIXES); None for other files."""
    return LOGO_SUFFIXES.get(PurePath(file_name).suffix.lower())


def set_logo(db: Database, file_name: str, data: bytes) -> Company:
    """The logo from an image file: its type by the file name's suffix (.png, .jpg, .jpeg, .svg)."""
    media_type = logo_type(file_name)
    if media_type is None:
        raise BadInput(
            f"logo {file_name!r} not changed: give an image file ending in {', '.join(LOGO_SUFFIXES)}"
        )
    return set_company(db, logo=data, logo_media_type=media_type)


def _checked_account(currency: str, iban: str, bic: str, bank_name: str) -> tuple[BankAccount, list[str]]:
    """The account as stored (compact, upper case) and what is wrong with it."""
    account = BankAccount(currency.strip().upper(), normal_iban(iban), bic.strip().upper().replace(" ", ""),
                          bank_name.strip())  # fmt: skip
    problems = []
    if not _CURRENCY.fullmatch(account.currency):
        problems.append(f"currency {currency!r} is not a currency code; give three letters, e.g. EUR")
    problems += [p for p in (iban_problem(iban), account.bic and bic_problem(bic)) if p]
    if "\n" in bank_name or "\r" in bank_name or len(account.bank_name) > 70:
        problems.append("bank name must be one line of at most 70 characters")
    return account, problems


def set_bank_account(
    db: Database, currency: str, iban: str, bic: str = "", bank_name: str = ""
) -> BankAccount:
    """The account customers pay documents in CURRENCY to (replacing the one that currency had)."""
    require(db.actor, Action.SETTINGS)
    account, problems = _checked_account(currency, iban, bic, bank_name)
    if problems:
        raise BadInput(
            f"bank account for {account.currency or currency!r} not changed: " + "; ".join(problems)
        )
    with db.transaction(audit=(Action.SETTINGS, f"bank account {account.currency}")) as tx:
        tx.execute(
            "insert or replace into bank_accounts (currency, iban, bic, bank_name) values ($c, $i, $b, $n)",
            {"c": account.currency, "i": account.iban, "b": account.bic, "n": account.bank_name},
        )
    return account


def set_bank_accounts(db: Database, accounts: Sequence[tuple[str, str, str, str]]) -> tuple[BankAccount, ...]:
    """Replace every bank account with these (currency, iban, bic, bank_name) rows, one per currency; every
    row is checked first and nothing is written on a problem."""
    require(db.actor, Action.SETTINGS)
    checked = [_checked_account(*row) for row in accounts]
    problems = [
        f"bank account for {account.currency or row[0]!r}: {'; '.join(found)}"
        for row, (account, found) in zip(accounts, checked, strict=True)
        if found
    ]
    currencies = [account.currency for account, _ in checked]
    problems += [
        f"currency {cur!r} has {currencies.count(cur)} accounts; keep one account per currency"
        for cur in sorted({c for c in currencies if c and currencies.count(c) > 1})
    ]
    if problems:
        raise BadInput("bank accounts not changed: " + "; ".join(problems))
    with db.transaction(
        audit=(Action.SETTINGS, "bank accounts: " + ", ".join(a.currency for a, _ in checked))
    ) as tx:
        tx.execute("delete from bank_accounts")
        for account, _ in checked:
            tx.execute(
                "insert into bank_accounts (currency, iban, bic, bank_name) values ($c, $i, $b, $n)",
                {"c": account.currency, "i": account.iban, "b": account.bic, "n": account.bank_name},
            )
    return tuple(sorted((account for account, _ in checked), key=lambda a: a.currency))


def document_currencies(db: Database) -> list[str]:
    """The currencies documents go out in: the local one, the customers' and those of open entries."""
    with db.session() as s:
        found = s.rows(
            "select currency from customers where currency is not null"
            " union select currency from ledger_entries where closed_at is null"
        )
    return sorted({db.lcy(), *(cur for (cur,) in found if cur and cur.strip())})


def missing_fields(company: Company, for_currency: str) -> tuple[str, ...]:
    """What a document in for_currency needs but the company lacks, by field name (the bank account as
    'bank account CUR')."""
    missing = [name for name in REQUIRED if not str(getattr(company, name)).strip()]
    if company.bank_account(for_currency) is None:
        missing.append(f"bank account {for_currency.upper()}")
    return tuple(missing)


def company_json(company: Company) -> dict[str, Any]:
    """The company as plain JSON data (the logo by its type and size)."""
    data: dict[str, Any] = {name: getattr(company, name) for name in TEXT_FIELDS}
    data["logo"] = (
        {"media_type": company.logo_media_type, "bytes": len(company.logo)}
        if company.logo is not None
        else None
    )
    data["bank_accounts"] = [
        {"currency": a.currency, "iban": a.iban, "bic": a.bic, "bank_name": a.bank_name}
        for a in company.bank_accounts
    ]
    return data
