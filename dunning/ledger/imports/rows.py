"""Turn a file's text rows into ledger rows: parse every mapped field, apply the defaults, check the rules.

Every problem is collected (file, row as a spreadsheet shows it, column as named in the file, what to do),
never just the first. Defaults: document type invoice; remaining amount = amount, but 0 when the entry is
closed (a closed-at date, or an Open column saying No); LCY amounts = the amounts when the currency is the
local one or absent; posting and document date default to each other, then to the due date.

Signs follow Business Central: invoices, finance charges, reminders and refunds are positive, credit memos
and payments negative. A file that gives a credit memo or payment as a positive amount has all its amounts
on that row negated; debit documents keep the sign they come with.

The customer's language (customer_language) is kept as the file writes it, trimmed: Business Central's
'FRA' or 'NLB', ISO 'fr', 'fra' or 'fr-BE' (the documents map each to their language). A value that cannot
be a language code (more than 10 characters, anything but letters, '-' and '_', or no letter first) is a
problem like a bad currency code: the row is named and the file rejected, so a typo is corrected in the
export rather than the customer silently getting documents in English.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from dunning.errors import Problem
from dunning.ledger.imports import parsing as P
from dunning.ledger.imports.mapping import DATE_FIELDS, REQUIRED, Mapping, Resolved
from dunning.ledger.imports.readers import RawTable
from dunning.money import round_money

TEXT_FIELDS = (
    "document_no", "customer_no", "customer_name", "customer_language", "description", "external_document_no",
)  # fmt: skip
STORED = (
    "entry_no", "customer_no", "customer_name", "customer_language", "document_type", "document_no",
    "description", "currency", "posting_date", "document_date", "due_date", "amount", "remaining_amount",
    "amount_lcy", "remaining_amount_lcy", "closed_at", "on_hold", "dispute_status", "promised_pay_date",
    "external_document_no", "last_reminder_level", "last_reminder_date",
)  # fmt: skip
MAX_REMINDER_LEVEL = 99
LANGUAGE_CODE = r"[A-Za-z][A-Za-z_-]{0,9}"  # FRA, fr, fra, fr-BE, fr_BE; at most 10 characters


@dataclass(frozen=True)
class Prepared:
    """Rows ready to store (amounts as exact text, dates as datetime64; index = spreadsheet row)."""

    file: str
    rows_read: int
    frame: pd.DataFrame
    problems: tuple[Problem, ...]
    resolved: Resolved


class _Checker:
    def __init__(self, table: RawTable, resolved: Resolved) -> None:
        self.table, self.resolved = table, resolved
        self.problems: list[Problem] = list(resolved.problems)

    def text(self, name: str) -> pd.Series | None:
        column = self.resolved.columns.get(name)
        return None if column is None else P.stripped(self.table.frame[column])

    def column(self, name: str) -> str:
        return self.resolved.columns.get(name, name)

    def flag(self, mask: pd.Series, name: str, message: str, values: pd.Series | None = None) -> None:
        """One problem per flagged row; '{value}' in the message is the row's value (from `values`)."""
        hits = mask[mask.fillna(False).astype(bool)].index
        source = values if values is not None else self.text(name)
        for row in hits:
            value = "" if source is None else source.loc[row]
            self.problems.append(
                Problem(self.table.file, int(row), self.column(name), message.format(value=value))
            )


def prepare(table: RawTable, mapping: Mapping, lcy: str) -> Prepared:
    """Parse and check every row of the table; the frame holds the rows as they would be stored."""
    resolved = mapping.resolve(table.columns, table.file)
    c = _Checker(table, resolved)
    index = table.frame.index
    empty = pd.Series("", index=index, dtype=str)
    get = {name: (c.text(name) if c.text(name) is not None else empty) for name in resolved.columns}
    mapped = set(resolved.columns)

    def field(name: str) -> pd.Series:
        return get.get(name, empty)

    out = pd.DataFrame(index=index)
    for name in REQUIRED:
        if name in mapped:
            c.flag(field(name) == "", name, f"the {name} is empty; every row needs one")
    for name in TEXT_FIELDS:
        out[name] = field(name).where(field(name) != "", None)
    out["customer_name"] = out["customer_name"].fillna(out["customer_no"])
    language = field("customer_language")
    c.flag((language != "") & ~language.str.fullmatch(LANGUAGE_CODE), "customer_language", (
        "{value!r} is not a language code (a letter, then letters, '-' or '_', at most 10 characters: FRA, fr, "
        "fr-BE); correct it or leave it empty"
    ))  # fmt: skip

    kinds, bad = P.parse_document_types(field("document_type"))
    c.flag(bad, "document_type", (
        "unknown document type {value!r}; use Invoice, Credit Memo, Payment, Refund, Finance Charge Memo "
        "or Reminder (or leave it empty for an invoice)"
    ))  # fmt: skip
    out["document_type"] = kinds

    currency = field("currency").str.upper()
    bad_currency = (currency != "") & ~currency.str.fullmatch(r"[A-Z]{3}")
    c.flag(bad_currency, "currency",
           "currency code {value!r} is not three letters (ISO 4217, e.g. EUR, USD); correct it")  # fmt: skip
    out["currency"] = currency.where(currency != "", lcy)

    fmt = resolved.date_format
    also = " (or YYYY-MM-DD)" if fmt else ""
    example = "%m/%d/%Y" if fmt == "%d.%m.%Y" else "%d.%m.%Y"
    dates: dict[str, pd.Series] = {}
    for name in DATE_FIELDS:
        dates[name], bad = P.parse_dates(field(name), fmt)
        c.flag(bad, name, (
            f"{{value!r}} is not a date in the format {P.date_format_label(fmt)}{also}; correct the value or "
            f"set the date format (--date-format, e.g. {example})"
        ))  # fmt: skip
    out["posting_date"] = dates["posting_date"].fillna(dates["document_date"]).fillna(dates["due_date"])
    out["document_date"] = dates["document_date"].fillna(dates["posting_date"]).fillna(dates["due_date"])
    for name in ("due_date", "closed_at", "promised_pay_date", "last_reminder_date"):
        out[name] = dates[name]
    c.flag(out["closed_at"] < out["posting_date"], "closed_at", (
        "the entry is closed at {value} before it was posted; correct the closed-at or posting date"
    ))  # fmt: skip

    entry_no, bad = P.parse_entry_numbers(field("entry_no"))
    c.flag(
        bad, "entry_no", "entry no. {value!r} is not a positive whole number; correct it or leave it empty"
    )
    out["entry_no"] = entry_no
    is_open, bad = P.parse_yes_no(field("open"))
    c.flag(bad, "open", "{value!r} is neither Yes nor No; write Yes for an open entry, No for a closed one")
    # not in the file (or an empty cell): null, and the stored level is kept
    out["last_reminder_level"], bad = _reminder_levels(field("last_reminder_level"))
    c.flag(bad, "last_reminder_level", (
        f"last reminder level {{value!r}} is not a whole number from 0 to {MAX_REMINDER_LEVEL}; correct it or "
        "leave it empty"
    ))  # fmt: skip
    out["on_hold"] = P.flag_text(field("on_hold"))
    out["dispute_status"] = P.flag_text(field("dispute_status"))

    _amounts(c, out, field, mapped, table.delimiter, is_open, lcy, bad_currency)
    _duplicates(c, out)
    problems = sorted(c.problems, key=lambda p: p.row or 0)  # stable: within a row, in field order
    return Prepared(
        file=table.file, rows_read=len(index), frame=out[list(STORED)], problems=tuple(problems),
        resolved=resolved,
    )  # fmt: skip


def _reminder_levels(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(level 0..99 or <NA> for empty, mask of values that are not such a whole number)."""
    ok = s.str.fullmatch(r"\d{1,2}")
    return pd.to_numeric(s.where(ok, None), errors="coerce").astype("Int64"), (s != "") & ~ok


def _amounts(
    c: _Checker, out: pd.DataFrame, field: Callable[[str], pd.Series], mapped: set[str], delimiter: str | None,
    is_open: pd.Series, lcy: str, bad_currency: pd.Series,
) -> None:  # fmt: skip
    names = ("amount", "remaining_amount", "amount_lcy", "remaining_amount_lcy")
    decimal = P.infer_decimal([field(n) for n in names if n in mapped], delimiter)
    example = "1.234,56" if decimal == "," else "1,234.56"
    cents: dict[str, pd.Series] = {}
    for name in names:
        cents[name], bad = P.parse_amounts(field(name), decimal)
        c.flag(bad, name, (
            f"{{value!r}} is not an amount with at most two decimals (this file writes amounts like {example}); "
            "correct it"
        ))  # fmt: skip
    amount = cents["amount"]
    closed = out["closed_at"].notna() | _b(is_open == False)  # noqa: E712 (<NA>: no Open column or empty)
    remaining = cents["remaining_amount"].where(cents["remaining_amount"].notna(), amount.where(~closed, 0))

    flip = out["document_type"].isin(P.CREDIT_TYPES) & _b(amount > 0)
    for s in (amount, remaining, cents["amount_lcy"], cents["remaining_amount_lcy"]):
        negate = flip & _b(s > 0)
        s[negate] = -s[negate]

    local = (out["currency"] == lcy) | bad_currency  # a bad code is reported once, as a bad code
    amount_lcy = cents["amount_lcy"].where(cents["amount_lcy"].notna() | ~local, amount)
    c.flag(amount_lcy.isna() & amount.notna(), "currency", (
        f"the amount is in {{value}} but the file has no amount in local currency ({lcy}) for it; "
        "map amount_lcy (e.g. to 'Amount (LCY)') and remaining_amount_lcy"
    ), values=out["currency"])  # fmt: skip
    remaining_lcy = cents["remaining_amount_lcy"].copy()
    todo = remaining_lcy.isna()
    remaining_lcy[todo & local] = remaining[todo & local]
    remaining_lcy[todo & ~local & _b(remaining == 0)] = 0
    same = todo & ~local & _b(remaining == amount)
    remaining_lcy[same] = amount_lcy[same]
    partial = remaining_lcy.isna() & amount_lcy.notna() & remaining.notna() & _b(amount.ne(0))
    for row in remaining_lcy.index[partial]:
        share = Decimal(int(amount_lcy[row])) * Decimal(int(remaining[row])) / Decimal(int(amount[row]))
        remaining_lcy[row] = int(round_money(share / 100) * 100)

    _check_remaining(c, amount, remaining, "remaining_amount")
    given = cents["amount_lcy"].notna() | cents["remaining_amount_lcy"].notna()  # derived ones follow suit
    _check_remaining(c, amount_lcy.where(given), remaining_lcy.where(given), "remaining_amount_lcy")
    c.flag(_b((amount > 0) & (amount_lcy < 0)) | _b((amount < 0) & (amount_lcy > 0)), "amount_lcy",
           "the amount in local currency {value} has the opposite sign of the amount; correct one of them",
           values=P.cents_text(amount_lcy))  # fmt: skip
    c.flag(closed & _b(remaining.ne(0)) & cents["remaining_amount"].notna(),
           "remaining_amount", "the entry is closed but {value} remains open; a closed entry has 0 remaining",
           values=P.cents_text(remaining))  # fmt: skip
    for name, values in (("amount", amount), ("remaining_amount", remaining), ("amount_lcy", amount_lcy),
                         ("remaining_amount_lcy", remaining_lcy)):  # fmt: skip
        out[name] = P.cents_text(values.astype("Int64"))


def _b(mask: pd.Series) -> pd.Series:
    """A plain boolean mask: unknown (<NA>, from a missing value) counts as False."""
    return mask.fillna(False).astype(bool)


def _check_remaining(c: _Checker, amount: pd.Series, remaining: pd.Series, name: str) -> None:
    wrong_sign = (
        _b((amount > 0) & (remaining < 0))
        | _b((amount < 0) & (remaining > 0))
        | _b(amount.eq(0) & remaining.ne(0))
    )
    c.flag(wrong_sign, name, (
        "the remaining amount {value} has another sign than the amount; remaining must lie between 0 and the amount"
    ), values=P.cents_text(remaining))  # fmt: skip
    c.flag(~wrong_sign & _b(remaining.abs() > amount.abs()), name, (
        "the remaining amount {value} is more than the amount; remaining must lie between 0 and the amount"
    ), values=P.cents_text(remaining))  # fmt: skip


def _duplicates(c: _Checker, out: pd.DataFrame) -> None:
    key = out[["document_type", "document_no"]].dropna()
    first = (
        key.reset_index()
        .drop_duplicates(["document_type", "document_no"])
        .set_index(["document_type", "document_no"])["index"]
    )
    dup = key.duplicated(keep="first")
    for row in dup[dup].index:
        kind, no = key.loc[row, "document_type"], key.loc[row, "document_no"]
        c.problems.append(Problem(c.table.file, int(row), c.column("document_no"), (
            f"{kind} {no} is also on row {first[(kind, no)]}; each document may appear once, remove one"
        )))  # fmt: skip
    entries = out["entry_no"].dropna()
    for row in entries[entries.duplicated(keep="first")].index:
        c.problems.append(Problem(c.table.file, int(row), c.column("entry_no"), (
            f"entry no. {entries[row]} is also on an earlier row; entry numbers must be unique"
        )))  # fmt: skip
