"""Everything about one customer as of a date: master data, open items, contacts, reminders sent, and how it
paid (dunning.ledger.payment_behaviour).

The customer page and the statement of account read this (dunning.ui.frames shapes the page's tables);
nothing here writes. Amounts stay Decimal; balances are summed in Python from the same open items the page
lists, so every total reconciles to its lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from dunning.db import Database, load_sql
from dunning.errors import BadInput
from dunning.ledger.payment_behaviour import PaymentBehaviour, payment_behaviour
from dunning.money import ZERO

ROLE_ORDER = ("accounts_payable", "finance_manager", "sales_owner")


class CustomerNotFound(BadInput):
    """No customer with that number."""


@dataclass(frozen=True)
class CustomerChoice:
    customer_no: str
    name: str
    country: str

    @property
    def label(self) -> str:
        return f"{self.name} · {self.customer_no}" + (f" · {self.country}" if self.country else "")


@dataclass(frozen=True)
class Customer:
    customer_no: str
    name: str
    language: str
    currency: str  # the local currency code when the customer has none of its own
    country: str
    reminder_terms_code: str
    payment_terms: str
    address: str
    post_code: str
    city: str


@dataclass(frozen=True)
class OpenItem:
    entry_no: int
    document_type: str
    document_no: str
    description: str
    external_document_no: str
    currency: str
    document_date: dt.date
    due_date: dt.date
    days_overdue: int  # as-of date minus due date; negative while not yet due
    amount: Decimal  # original amount, signed
    open_amount: Decimal  # open on the as-of date, signed
    open_amount_lcy: Decimal
    on_hold: str
    dispute_status: str
    promised_pay_date: dt.date | None
    last_reminder_level: int
    last_reminder_date: dt.date | None

    @property
    def is_credit(self) -> bool:
        return self.open_amount < 0

    @property
    def is_overdue(self) -> bool:
        return not self.is_credit and self.days_overdue > 0

    @property
    def days_late(self) -> int | None:
        """Days overdue for a debit (0 while within terms); None for a credit, which is never late."""
        return None if self.is_credit else max(self.days_overdue, 0)


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    role: str
    phone: str
    active: bool


@dataclass(frozen=True)
class SentReminder:
    source: str  # 'app': sent by this tool; 'ledger': a reminder mark on the imported ledger entries
    reminder_no: str
    level_no: int
    sent_on: dt.date
    currency: str
    total: Decimal | None  # None for ledger marks (the ledger keeps no reminder totals)
    documents: tuple[str, ...]


@dataclass(frozen=True)
class CurrencyBalance:
    currency: str
    items: int
    open_amount: Decimal  # net: debits less open credits
    overdue_amount: Decimal  # debits past their due date
    open_amount_lcy: Decimal
    overdue_amount_lcy: Decimal


CHOICE_LIMIT = 500  # more customers than this: the page asks for a search text first


def customer_count(db: Database) -> int:
    return int(db.scalar("select count(*) from customers"))


def customer_choices(
    db: Database, search: str | None = None, limit: int | None = None, keep: tuple[str | None, ...] = ()
) -> list[CustomerChoice]:
    """Customers for a selectbox, by name; search matches number or name, case-insensitively.

    The customers in keep (the current selection, a linked customer) are always included, even beyond limit.
    """
    rows = db.rows(
        "select customer_no, name, coalesce(country, '') from customers"
        " where customer_matches(customer_no, name, $s::varchar)"
        " order by name, customer_no limit $limit",
        {"s": (search or "").strip() or None, "limit": limit if limit is not None else 2**62},
    )
    kept = [k for k in keep if k]
    if kept:
        rows += db.rows(
            "select customer_no, name, coalesce(country, '') from customers where list_contains($k, customer_no)",
            {"k": kept},
        )
    unique = {r[0]: r for r in rows}
    return sorted((CustomerChoice(*r) for r in unique.values()), key=lambda c: (c.name, c.customer_no))


def load_customers(db: Database, customer_nos: Iterable[str]) -> dict[str, Customer]:
    """The customers by number, in one query; raises CustomerNotFound naming the first that does not exist."""
    nos = list(dict.fromkeys(customer_nos))
    rows = db.rows(
        "select customer_no, name, language, coalesce(currency, $lcy), coalesce(country, ''),"
        " coalesce(reminder_terms_code, ''), coalesce(payment_terms, ''), coalesce(address, ''),"
        " coalesce(post_code, ''), coalesce(city, '') from customers where list_contains($nos, customer_no)",
        {"nos": nos, "lcy": db.lcy()},
    )
    found = {str(r[0]): Customer(*r) for r in rows}
    for no in nos:
        if no not in found:
            raise CustomerNotFound(f"customer {no!r} does not exist; pick one from the list or import it")
    return found


def load_customer(db: Database, customer_no: str) -> Customer:
    return load_customers(db, [customer_no])[customer_no]


def open_items(db: Database, customer_no: str, as_of: dt.date) -> list[OpenItem]:
    """Open entries on the as-of date, by currency and due date."""
    rows = db.rows(load_sql(__package__, "open_items"), {"customer_no": customer_no, "as_of": as_of})
    return [OpenItem(*r) for r in rows]


def contacts(db: Database, customer_no: str) -> list[Contact]:
    """Contacts, active first, by role (accounts payable, finance manager, sales owner, others) and name."""
    rows = db.rows(
        "select name, email, role, coalesce(phone, ''), active from contacts where customer_no = $no"
        " order by not active, coalesce(list_position($roles, role), 99), name",
        {"no": customer_no, "roles": list(ROLE_ORDER)},
    )
    return [Contact(*r) for r in rows]


def reminders_sent(db: Database, customer_no: str, as_of: dt.date) -> list[SentReminder]:
    """Reminders sent up to the as-of date, newest first: this tool's and the ledger's reminder marks."""
    rows = db.rows(load_sql(__package__, "reminders_sent"), {"customer_no": customer_no, "as_of": as_of})
    return [
        SentReminder(source, no or "", int(level), sent_on, currency, total, tuple(docs))
        for source, no, level, sent_on, currency, total, docs in rows
    ]


def balances(items: list[OpenItem]) -> list[CurrencyBalance]:
    """Open and overdue amounts per currency, summed from the items."""
    out = []
    for currency in sorted({i.currency for i in items}):
        mine = [i for i in items if i.currency == currency]
        late = [i for i in mine if i.is_overdue]
        out.append(
            CurrencyBalance(
                currency=currency,
                items=len(mine),
                open_amount=sum((i.open_amount for i in mine), ZERO),
                overdue_amount=sum((i.open_amount for i in late), ZERO),
                open_amount_lcy=sum((i.open_amount_lcy for i in mine), ZERO),
                overdue_amount_lcy=sum((i.open_amount_lcy for i in late), ZERO),
            )
        )
    return out


@dataclass(frozen=True)
class CustomerView:
    """One customer on one page: what the customer page shows and the statement prints."""

    customer: Customer
    as_of: dt.date
    lcy: str
    items: tuple[OpenItem, ...]
    contacts: tuple[Contact, ...]
    reminders: tuple[SentReminder, ...]
    behaviour: PaymentBehaviour

    @property
    def balances(self) -> list[CurrencyBalance]:
        return balances(list(self.items))

    @property
    def mixed_currencies(self) -> bool:
        """Open items in more than one currency: the headline figures are then in the local currency."""
        return len({i.currency for i in self.items}) > 1

    @property
    def headline_currency(self) -> str:
        if self.mixed_currencies:
            return self.lcy
        return self.items[0].currency if self.items else self.customer.currency

    def _sum(self, items: list[OpenItem]) -> Decimal:
        if self.mixed_currencies:
            return sum((i.open_amount_lcy for i in items), ZERO)
        return sum((i.open_amount for i in items), ZERO)

    @property
    def open_balance(self) -> Decimal:
        """Net open balance (debits less open credits) in the headline currency."""
        return self._sum(list(self.items))

    @property
    def overdue(self) -> Decimal:
        """Debits past their due date, in the headline currency."""
        return self._sum([i for i in self.items if i.is_overdue])

    @property
    def last_reminder(self) -> SentReminder | None:
        return self.reminders[0] if self.reminders else None

    @property
    def oldest_days_overdue(self) -> int:
        return max((i.days_overdue for i in self.items if i.is_overdue), default=0)


def customer_view(db: Database, customer_no: str, as_of: dt.date) -> CustomerView:
    customer = load_customer(db, customer_no)
    return CustomerView(
        customer=customer,
        as_of=as_of,
        lcy=db.lcy(),
        items=tuple(open_items(db, customer_no, as_of)),
        contacts=tuple(contacts(db, customer_no)),
        reminders=tuple(reminders_sent(db, customer_no, as_of)),
        behaviour=payment_behaviour(db, customer_no, as_of),
    )
