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

Amounts are held in thousandths and checked against their currency's ISO 4217 minor unit (money.minor_units):
an amount with more decimals is a problem, or, when the mapping says so, is rounded half away from zero and
counted per currency with the total difference (Prepared.rounded).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from dunning.errors import Problem
from dunning.ledger.imports import parsing as P
from dunning.ledger.imports.characters import ascii_digits, has_control
from dunning.ledger.imports.mapping import AMOUNT_FIELDS, DATE_FIELDS, REQUIRED, Mapping, Resolved
from dunning.ledger.imports.names import email_column
from dunning.ledger.imports.readers import RawTable
from dunning.ledger.people import email_problem
from dunning.money import minor_units, round_to_minor_unit

TEXT_FIELDS = (
    "document_no", "customer_no", "customer_name", "customer_language", "description", "external_document_no",
)  # fmt: skip
STORED = (
    "entry_no", "customer_no", "customer_name", "customer_language", "document_type", "document_no",
    "description", "currency", "posting_date", "document_date", "due_date", "amount", "remaining_amount",
    "amount_lcy", "remaining_amount_lcy", "closed_at", "on_hold", "dispute_status", "promised_pay_date",
    "external_document_no", "last_reminder_level", "last_reminder_date",
)  # fmt: skip
NUMBER_FIELDS = (*AMOUNT_FIELDS, *DATE_FIELDS, "entry_no", "last_reminder_level")
MAX_REMINDER_LEVEL = 99
HINTS = {
    "cli": {
        "round": "import with --round to round it to the currency's minor unit",
        "date_format": "give the file's date format with --date-format (e.g. {example})",
    },
    "page": {
        "round": "tick 'Round amounts to the currency's minor unit'",
        "date_format": "choose another reading under 'Dates'",
    },
}
LANGUAGE_CODE = r"[A-Za-z][A-Za-z_-]{0,9}"  # FRA, fr, fra, fr-BE, fr_BE; at most 10 characters


@dataclass(frozen=True)
class Prepared:
    """Rows ready to store (amounts as exact text, dates as datetime64; index = spreadsheet row)."""

    file: str
    rows_read: int
    frame: pd.DataFrame
    problems: tuple[Problem, ...]
    resolved: Resolved
    rounded: tuple[Rounded, ...] = ()  # amounts rounded to their currency's minor unit, per currency


class _Checker:
    def __init__(self, table: RawTable, resolved: Resolved) -> None:
        self.table, self.resolved = table, resolved
        self.problems: list[Problem] = list(resolved.problems)

    def text(self, name: str) -> pd.Series | None:
        column = self.resolved.columns.get(name)
        return None if column is None else P.stripped(self.table.frame[column])

    def hint(self, what: str) -> str:
        """How to fix it with the controls of the face the mapping came from (the page or the command line)."""
        return HINTS[self.resolved.face][what]

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
    for name in NUMBER_FIELDS:  # other scripts' digits (٥٠, １０) are read as the digits they are (item 1)
        if name in get:
            get[name] = ascii_digits(get[name])
    mapped = set(resolved.columns)

    def field(name: str) -> pd.Series:
        return get.get(name, empty)

    out = pd.DataFrame(index=index)
    for name in REQUIRED:
        if name in mapped:
            c.flag(field(name) == "", name, f"the {name} is empty; every row needs one")
    for name in (*TEXT_FIELDS, "on_hold", "dispute_status"):
        c.flag(has_control(field(name)), name, (
            "{value!r} holds a control character; remove it (names, numbers and texts are plain text)"
        ))  # fmt: skip
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
    out["currency"] = currency.where(currency != "", resolved.currency or lcy)

    fmt = resolved.date_format
    dates: dict[str, pd.Series] = {}
    unread: dict[str, pd.Series] = {}
    for name in DATE_FIELDS:
        dates[name], unread[name] = P.parse_dates(field(name), fmt)
    if any(bad.any() for bad in unread.values()):
        hint = c.hint("date_format").replace("{example}", _other_format(field, mapped, fmt))
        also = " (or YYYY-MM-DD)" if fmt else ""
        for name, bad in unread.items():
            c.flag(bad, name, (
                f"the date {{value!r}} does not read as {P.date_format_label(fmt)}{also}; correct the value or {hint}"
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

    rounded = _amounts(c, out, field, mapped, table.delimiter, is_open, lcy, bad_currency)
    out["email"] = _emails(c, table)
    _duplicates(c, out)
    problems = sorted(c.problems, key=lambda p: p.row or 0)  # stable: within a row, in field order
    return Prepared(
        file=table.file, rows_read=len(index), frame=out[[*STORED, "email"]], problems=tuple(problems),
        resolved=resolved, rounded=rounded,
    )  # fmt: skip


def _other_format(field: Callable[[str], pd.Series], mapped: set[str], fmt: str | None) -> str:
    """A date format that reads the file's dates, to suggest where the one given does not (e.g. %m/%d/%Y)."""
    readings = P.date_readings([field(n) for n in DATE_FIELDS if n in mapped])
    other = [r.format for r in readings if r.format != fmt]
    return other[0] if other else ("%m/%d/%Y" if fmt == "%d.%m.%Y" else "%d.%m.%Y")


def _emails(c: _Checker, table: RawTable) -> pd.Series:
    """The customer's email address on each row ('Customer E-Mail', 'Email' ...: names.py), as stored; None
    where the file has no such column or the cell is empty. A malformed address is a problem of its row."""
    column = email_column(table.columns)
    if column is None:
        return pd.Series(None, index=table.frame.index, dtype=object)
    text = P.stripped(table.frame[column])
    checked = {a: email_problem(a) for a in text.unique() if a}
    bad = text.map(lambda a: bool(a) and checked[a][1] is not None)
    for row in bad[bad].index:
        c.problems.append(Problem(c.table.file, int(row), column, (
            f"{checked[text[row]][1]}; correct the address or leave the cell empty"
        )))  # fmt: skip
    return text.map(lambda a: checked[a][0] if a and checked[a][1] is None else None).astype(object)


def _reminder_levels(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(level 0..99 or <NA> for empty, mask of values that are not such a whole number)."""
    ok = s.str.fullmatch(r"\d{1,2}")
    return pd.to_numeric(s.where(ok, None), errors="coerce").astype("Int64"), (s != "") & ~ok


def _amounts(
    c: _Checker, out: pd.DataFrame, field: Callable[[str], pd.Series], mapped: set[str], delimiter: str | None,
    is_open: pd.Series, lcy: str, bad_currency: pd.Series,
) -> tuple[Rounded, ...]:  # fmt: skip
    """Amounts in thousandths, each checked against its currency's minor unit (rounded when asked)."""
    names = ("amount", "remaining_amount", "amount_lcy", "remaining_amount_lcy")
    decimal = P.infer_decimal([field(n) for n in names if n in mapped], delimiter)
    example = "1.234,56" if decimal == "," else "1,234.56"
    currencies = out["currency"].where(~bad_currency, lcy)
    units_of = {c: minor_units(c) for c in currencies.unique()}
    places = {
        "": currencies.map(units_of).astype("int64"),
        "lcy": pd.Series(minor_units(lcy), index=out.index, dtype="int64"),
    }
    units: dict[str, pd.Series] = {}
    rounded: list[tuple[str, Decimal]] = []
    for name in names:
        parsed = P.parse_amounts(field(name), decimal)
        c.flag(
            parsed.bad,
            name,
            f"{{value!r}} is not an amount (this file writes amounts like {example}); correct it",
        )
        minor = places["lcy" if name.endswith("_lcy") else ""]
        code = currencies if not name.endswith("_lcy") else pd.Series(lcy, index=out.index)
        units[name], done = _to_minor_unit(c, name, parsed, minor, code)
        rounded += done
    amount = units["amount"]
    closed = out["closed_at"].notna() | _b(is_open == False)  # noqa: E712 (<NA>: no Open column or empty)
    remaining = units["remaining_amount"].where(units["remaining_amount"].notna(), amount.where(~closed, 0))

    flip = out["document_type"].isin(P.CREDIT_TYPES) & _b(amount > 0)
    for s in (amount, remaining, units["amount_lcy"], units["remaining_amount_lcy"]):
        negate = flip & _b(s > 0)
        s[negate] = -s[negate]

    local = (out["currency"] == lcy) | bad_currency  # a bad code is reported once, as a bad code
    amount_lcy = units["amount_lcy"].where(units["amount_lcy"].notna() | ~local, amount)
    c.flag(amount_lcy.isna() & amount.notna(), "currency", (
        f"the amount is in {{value}} but the file has no amount in local currency ({lcy}) for it; "
        "map amount_lcy (e.g. to 'Amount (LCY)') and remaining_amount_lcy"
    ), values=out["currency"])  # fmt: skip
    remaining_lcy = units["remaining_amount_lcy"].copy()
    todo = remaining_lcy.isna()
    remaining_lcy[todo & local] = remaining[todo & local]
    remaining_lcy[todo & ~local & _b(remaining == 0)] = 0
    same = todo & ~local & _b(remaining == amount)
    remaining_lcy[same] = amount_lcy[same]
    partial = remaining_lcy.isna() & amount_lcy.notna() & remaining.notna() & _b(amount.ne(0))
    for row in remaining_lcy.index[partial]:
        share = Decimal(int(amount_lcy[row])) * Decimal(int(remaining[row])) / Decimal(int(amount[row]))
        remaining_lcy[row] = int(round_to_minor_unit(share / 1000, lcy) * 1000)

    shown = {"": places[""], "lcy": places["lcy"]}
    _check_remaining(c, amount, remaining, "remaining_amount", shown[""])
    given = units["amount_lcy"].notna() | units["remaining_amount_lcy"].notna()  # derived ones follow suit
    _check_remaining(
        c, amount_lcy.where(given), remaining_lcy.where(given), "remaining_amount_lcy", shown["lcy"]
    )
    c.flag(_b((amount > 0) & (amount_lcy < 0)) | _b((amount < 0) & (amount_lcy > 0)), "amount_lcy",
           "the amount in local currency {value} has the opposite sign of the amount; correct one of them",
           values=P.shown_amounts(amount_lcy, shown["lcy"]))  # fmt: skip
    c.flag(closed & _b(remaining.ne(0)) & units["remaining_amount"].notna(),
           "remaining_amount", "the entry is closed but {value} remains open; a closed entry has 0 remaining",
           values=P.shown_amounts(remaining, shown[""]))  # fmt: skip
    for name, values in (("amount", amount), ("remaining_amount", remaining), ("amount_lcy", amount_lcy),
                         ("remaining_amount_lcy", remaining_lcy)):  # fmt: skip
        out[name] = P.units_text(values.astype("Int64"))
    return _rounding_totals(rounded)


@dataclass(frozen=True)
class Rounded:
    """Amounts of one currency rounded to its minor unit on import, and the sum of what rounding changed."""

    currency: str
    count: int
    difference: Decimal


def _to_minor_unit(
    c: _Checker, name: str, parsed: P.Amounts, minor: pd.Series, code: pd.Series
) -> tuple[pd.Series, list[tuple[str, Decimal]]]:
    """The column in thousandths at its currency's minor unit: a value with more decimals is a problem, or,
    when the user asked for rounding, is rounded half away from zero (the differences are returned)."""
    excess = (parsed.text != "") & (parsed.places > minor)
    if not excess.any():
        return parsed.milli, []
    if not c.resolved.round_amounts:
        c.flag(excess, name, (
            "the amount {value} has more decimals than its currency has; correct it, or " + c.hint("round")
        ), values=parsed.text + " " + code)  # fmt: skip
        return parsed.milli, []
    milli = parsed.milli.copy()
    done = []
    for row in excess[excess].index:
        exact = Decimal(parsed.text[row])
        value = round_to_minor_unit(exact, code[row])
        milli[row] = int(value * 1000)
        done.append((str(code[row]), value - exact))
    return milli, done


def _rounding_totals(rounded: list[tuple[str, Decimal]]) -> tuple[Rounded, ...]:
    totals: dict[str, tuple[int, Decimal]] = {}
    for currency, diff in rounded:
        n, total = totals.get(currency, (0, Decimal(0)))
        totals[currency] = (n + 1, total + diff)
    return tuple(Rounded(cur, n, total) for cur, (n, total) in sorted(totals.items()))


def _b(mask: pd.Series) -> pd.Series:
    """A plain boolean mask: unknown (<NA>, from a missing value) counts as False."""
    return mask.fillna(False).astype(bool)


def _check_remaining(
    c: _Checker, amount: pd.Series, remaining: pd.Series, name: str, places: pd.Series
) -> None:
    wrong_sign = (
        _b((amount > 0) & (remaining < 0))
        | _b((amount < 0) & (remaining > 0))
        | _b(amount.eq(0) & remaining.ne(0))
    )
    c.flag(wrong_sign, name, (
        "the remaining amount {value} has another sign than the amount; remaining must lie between 0 and the amount"
    ), values=P.shown_amounts(remaining, places))  # fmt: skip
    c.flag(~wrong_sign & _b(remaining.abs() > amount.abs()), name, (
        "the remaining amount {value} is more than the amount; remaining must lie between 0 and the amount"
    ), values=P.shown_amounts(remaining, places))  # fmt: skip


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
