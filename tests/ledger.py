"""Helpers to write hand-made customers and ledger entries into a test database."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from dunning.db import Database

_entry_no = itertools.count(1)
ALL_ROLES = ("accounts_payable", "finance_manager", "sales_owner")


def add_customer(db: Database, no: str = "C1", **fields: Any) -> str:
    row = {"customer_no": no, "name": f"Customer {no}", "language": "en", "currency": None, "country": "NL"}
    row.update(fields)
    db.execute(
        "insert into customers (customer_no, name, language, currency, country) "
        "values ($customer_no, $name, $language, $currency, $country)",
        row,
    )
    return no


def add_reachable_customer(
    db: Database, no: str = "C1", roles: tuple[str, ...] = ALL_ROLES, terms: str | None = None, **fields: Any
) -> str:
    """A customer with one contact per role (email ROLE@NO.example), on the given reminder terms."""
    add_customer(db, no, **fields)
    if terms:
        db.execute(
            "update customers set reminder_terms_code = $t where customer_no = $c", {"t": terms, "c": no}
        )
    for role in roles:
        db.execute(
            "insert into contacts (customer_no, name, email, role) values ($c, $n, $e, $r)",
            {"c": no, "n": f"{role} of {no}", "e": f"{role}@{no.lower()}.example", "r": role},
        )
    return no


def add_entry(
    db: Database,
    customer_no: str = "C1",
    *,
    due: dt.date,
    amount: str | Decimal = "100.00",
    remaining: str | Decimal | None = None,
    document_type: str = "invoice",
    currency: str = "EUR",
    posting: dt.date | None = None,
    closed_at: dt.date | None = None,
    lcy_rate: Decimal = Decimal("1"),
    **fields: Any,
) -> int:
    """Insert one ledger entry; LCY amounts are the amounts times lcy_rate. Returns its entry no."""
    no = next(_entry_no)
    amt = Decimal(amount)
    rem = amt if remaining is None else Decimal(remaining)
    row = {
        "entry_no": no,
        "customer_no": customer_no,
        "document_type": document_type,
        "document_no": fields.pop("document_no", f"D{no}"),
        "currency": currency,
        "posting_date": posting or due - dt.timedelta(days=30),
        "due_date": due,
        "amount": amt,
        "remaining_amount": rem,
        "amount_lcy": (amt * lcy_rate).quantize(Decimal("0.01")),
        "remaining_amount_lcy": (rem * lcy_rate).quantize(Decimal("0.01")),
        "closed_at": closed_at,
        "on_hold": fields.pop("on_hold", None),
        "dispute_status": fields.pop("dispute_status", None),
        "promised_pay_date": fields.pop("promised_pay_date", None),
        "last_reminder_level": fields.pop("last_reminder_level", 0),
        "last_reminder_date": fields.pop("last_reminder_date", None),
    }
    assert not fields, f"unknown fields {fields}"
    db.execute(
        "insert into ledger_entries (entry_no, customer_no, document_type, document_no, currency, posting_date,"
        " document_date, due_date, amount, remaining_amount, amount_lcy, remaining_amount_lcy, closed_at,"
        " on_hold, dispute_status, promised_pay_date, last_reminder_level, last_reminder_date) values"
        " ($entry_no, $customer_no, $document_type, $document_no, $currency, $posting_date, $posting_date,"
        " $due_date, $amount, $remaining_amount, $amount_lcy, $remaining_amount_lcy, $closed_at, $on_hold,"
        " $dispute_status, $promised_pay_date, $last_reminder_level, $last_reminder_date)",
        row,
    )
    return no
