"""Vectorised parsers for the text columns of an import: amounts to exact thousandths, dates, codes, yes/no.

Each parser takes a pandas Series of stripped text ('' = empty) and returns the parsed values plus a mask of
the rows whose text is not empty yet not understood, so the caller can report each one. Amounts become
integer thousandths (Int64), never floats: '1.234,56' and '1,234.56' are both 1234560.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

ISO_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
MAX_INTEGER_DIGITS = 15  # DECIMAL(18, 3)

DOCUMENT_TYPES: dict[str, str] = {
    "": "invoice",
    # Business Central (English captions) and the stored names
    "invoice": "invoice", "credit memo": "credit_memo", "credit_memo": "credit_memo", "payment": "payment",
    "refund": "refund", "finance charge memo": "finance_charge", "finance_charge": "finance_charge",
    "finance charge": "finance_charge", "reminder": "reminder", "credit note": "credit_memo",
    # German, French and Dutch captions of the same options
    "rechnung": "invoice", "gutschrift": "credit_memo", "zahlung": "payment", "erstattung": "refund",
    "zinsrechnung": "finance_charge", "mahnung": "reminder",
    "facture": "invoice", "avoir": "credit_memo", "paiement": "payment", "remboursement": "refund",
    "factuur": "invoice", "creditnota": "credit_memo", "betaling": "payment", "terugbetaling": "refund",
    "aanmaning": "reminder",
}  # fmt: skip
CREDIT_TYPES = ("credit_memo", "payment")
YES = frozenset({"yes", "y", "true", "1", "ja", "oui", "x"})
NO = frozenset({"no", "n", "false", "0", "nein", "non", "nee", ""})


def stripped(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.strip()


# -- amounts ---------------------------------------------------------------------------------------
def infer_decimal(columns: Iterable[pd.Series], delimiter: str | None) -> str:
    """',' or '.': the decimal separator the file's amounts use.

    A value ending in one or two digits after a separator, or with a thousands group before the other
    separator, settles it; otherwise semicolon-separated files use a decimal comma, all others a point.
    """
    values = pd.concat([c[c != ""] for c in columns]) if columns else pd.Series([], dtype=str)
    comma = values.str.contains(r",\d{1,2}\)?-?$|\.\d{3},", regex=True).sum()
    point = values.str.contains(r"\.\d{1,2}\)?-?$|,\d{3}\.", regex=True).sum()
    if comma != point:
        return "," if comma > point else "."
    return "," if delimiter == ";" else "."


def amount_pattern(decimal: str) -> re.Pattern[str]:
    d = re.escape(decimal)
    t = re.escape("." if decimal == "," else ",")
    return re.compile(rf"^(?:\d{{1,3}}(?:{t}\d{{3}})+|\d+)(?:{d}\d*)?$|^{d}\d+$")


@dataclass(frozen=True)
class Amounts:
    """A column of amounts: `milli` in thousandths (Int64, <NA> for empty cells, bad ones and those with more
    than three decimals), `places` the decimals each value is written with, `text` the exact value as plain
    text ('-64982.5891'; '' where empty or bad), `bad` the cells that are not an amount at all."""

    milli: pd.Series
    places: pd.Series
    text: pd.Series
    bad: pd.Series


def parse_amounts(s: pd.Series, decimal: str) -> Amounts:
    """Amounts in thousandths, exact (the ledger stores three decimals: DECIMAL(18, 3)).

    Accepts signs in front or behind ('123.45-'), parentheses for negatives, spaces, apostrophes and
    currency symbols; thousands separators must group by three. Whether a value has more decimals than its
    currency's minor unit is the caller's question (rows.py), which knows the currency.
    """
    text = s.str.replace(r"[\s\u00a0\u202f'’€$£]", "", regex=True)
    blank = text == ""
    paren = text.str.match(r"^\(.*\)$")
    text = text.where(~paren, text.str.slice(1, -1))
    trailing = text.str.endswith("-") & ~text.str.startswith(("-", "+"))
    text = text.where(~trailing, text.str.slice(0, -1))
    lead = text.str.match(r"^[+-]")
    negative = paren | trailing | text.str.startswith("-")
    text = text.where(~lead, text.str.slice(1))
    shaped = text.str.match(amount_pattern(decimal).pattern)
    plain = text.str.replace("." if decimal == "," else ",", "", regex=False)
    # partition gives no columns at all for a column without rows (a file with a header only)
    parts = plain.str.partition(decimal) if len(plain) else pd.DataFrame({0: plain, 2: plain})
    whole = parts[0].fillna("").str.lstrip("0").replace("", "0")
    frac = parts[2].fillna("").str.rstrip("0")
    ok = shaped & ~blank & (whole.str.len() <= MAX_INTEGER_DIGITS)
    ok = ok & (paren.astype(int) + trailing.astype(int) + lead.astype(int) <= 1)
    short = ok & (frac.str.len() <= 3)
    digits = (whole + frac.str.ljust(3, "0")).where(short, "0")
    milli = pd.to_numeric(digits, errors="coerce").astype("Int64")
    milli = milli.where(~negative, -milli).where(short, pd.NA).astype("Int64")
    sign = negative.map({True: "-", False: ""}).astype(str)
    exact = (sign + whole + frac.map(lambda f: f".{f}" if f else "")).where(ok, "")
    places = frac.str.len().where(ok, 0).astype("int64")
    return Amounts(milli=milli, places=places, text=exact.astype(object), bad=~blank & ~ok)


def units_text(milli: pd.Series) -> pd.Series:
    """Int64 thousandths -> '1234.560' text (exact; what DuckDB casts to DECIMAL(18, 3)); <NA> stays missing."""
    present = milli.notna()
    c = milli.fillna(0).astype("int64")
    a = c.abs()
    text = (
        c.lt(0).map({True: "-", False: ""}).astype(str)
        + (a // 1000).astype(str)
        + "."
        + (a % 1000).astype(str).str.zfill(3)
    )
    return text.where(present, None)


def shown_amounts(milli: pd.Series, places: pd.Series) -> pd.Series:
    """Int64 thousandths as text with each row's decimals ('1234.56' for EUR, '1234.567' for KWD, '12' for
    JPY): what a message or the preview shows. <NA> becomes ''."""
    full = units_text(milli)
    cut = [
        ((t[: len(t) - 3 + p] if p else t[:-4]) if isinstance(t, str) else "")
        for t, p in zip(full, places, strict=True)
    ]
    return pd.Series(cut, index=milli.index, dtype=object)


# -- dates -----------------------------------------------------------------------------------------
def parse_dates(s: pd.Series, fmt: str | None) -> tuple[pd.Series, pd.Series]:
    """(datetime64 at midnight, NaT for empty cells; mask of cells that are not a date).

    With a format the dates must match it; ISO dates (YYYY-MM-DD, as spreadsheets' date cells read) are
    accepted too, since they cannot be mistaken for anything else.
    """
    blank = s == ""
    # a date has digits: pandas reads the words 'today' and 'now' as the day of the import
    dated = s.str.contains(r"[0-9]", regex=True)
    parsed = pd.Series(pd.NaT, index=s.index, dtype="datetime64[s]")
    for f in ((fmt,) if fmt else ()) + ISO_FORMATS:
        todo = parsed.isna() & ~blank & dated
        if not todo.any():
            break
        parsed = parsed.where(~todo, pd.to_datetime(s.where(todo, ""), format=f, errors="coerce"))
    return parsed.dt.normalize(), parsed.isna() & ~blank


def date_format_label(fmt: str | None) -> str:
    if not fmt:
        return "YYYY-MM-DD"
    return fmt.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD").replace("%y", "YY")


# Formats tried in order; a format with '/' or '-' and its day/month swap can both read dates up to the 12th.
GUESSED_FORMATS = (
    "%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%m-%d-%Y", "%d/%m/%y", "%m/%d/%y",
)  # fmt: skip


@dataclass(frozen=True)
class DateGuess:
    """The date format of some columns; when both a day-first and a month-first format read every value,
    nothing is chosen (format None) and `ambiguous` holds the two readings for the user to choose from."""

    format: str | None  # None: ISO dates, nothing fits, or ambiguous
    ambiguous: tuple[str, str] | None = None  # (day-first, month-first)
    columns: tuple[str, ...] = ()  # the columns whose values read both ways
    example: str = ""  # a value that reads differently each way, e.g. '01/02/2026'

    def warning(self) -> str | None:
        if self.ambiguous is None:
            return None
        day, month = self.ambiguous
        return (
            f"The dates in {', '.join(repr(c) for c in self.columns)} read both as {date_format_label(day)} and "
            f"as {date_format_label(month)} ({self.example!r} is {_long(self.example, day)} or "
            f"{_long(self.example, month)}): set the date format; none is chosen until you do."
        )


def _long(value: str, fmt: str) -> str:
    day = dt.datetime.strptime(value, fmt)
    return f"{day.day} {day:%B %Y}"


def _swapped(fmt: str) -> str:
    return fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")


def guess_dates(columns: Iterable[pd.Series]) -> DateGuess:
    """The first common format that reads every non-empty value; None when ISO does or nothing fits.

    When a day-first format and its month-first swap both read every value (01/02/2026 is 1 February or
    2 January), the guess is ambiguous: no format is chosen, so nothing is read silently the wrong way.
    """
    columns = list(columns)
    filled = [c[c != ""] for c in columns]
    values = pd.concat(filled) if filled else pd.Series([], dtype=str)
    values = values.drop_duplicates().head(2000)
    if values.empty:
        return DateGuess(None)
    for fmt in GUESSED_FORMATS:
        _, bad = parse_dates(values, fmt)
        if bad.any():
            continue
        if fmt == "%Y-%m-%d":
            return DateGuess(None)
        other = _swapped(fmt)
        if other in GUESSED_FORMATS and fmt != other and not parse_dates(values, other)[1].any():
            day, month = (fmt, other) if fmt.index("%d") < fmt.index("%m") else (other, fmt)
            a, _ = parse_dates(values, day)
            b, _ = parse_dates(values, month)
            differ = values[a != b]
            if differ.empty:  # every value reads the same either way (01/01, 02/02 ...): nothing to choose
                return DateGuess(fmt)
            columns_read = tuple(dict.fromkeys(str(c.name) for c in filled if not c.empty))
            return DateGuess(None, (day, month), columns_read, str(differ.iloc[0]))
        return DateGuess(fmt)
    return DateGuess(None)


@dataclass(frozen=True)
class DateReading:
    """One way to read a file's dates, told with one of its own values: '1/2/2013 = 2 January 2013'."""

    format: str
    example: str  # a value of the file that reads differently the other way
    unreadable: int = 0  # distinct values this reading cannot read
    first_unreadable: str = ""

    @property
    def label(self) -> str:
        day = dt.datetime.strptime(self.example, self.format)
        text = f"{self.example} = {day.day} {day:%B %Y}"
        if self.unreadable:
            n = self.unreadable
            text += f" (cannot read {n:,} date{'s' if n != 1 else ''} such as {self.first_unreadable})"
        return text


def date_readings(columns: Iterable[pd.Series]) -> tuple[DateReading, ...]:
    """The readings of the dates a person can choose from: the format that reads them and, where it has one,
    its day/month swap, each shown with a value that reads differently the other way; the reading that reads
    every value comes first. When no format reads every value (a typo, a date that does not exist), the one
    that reads the most and its swap, each saying how many it cannot read. Empty when the dates are ISO or no
    known format reads any of them."""
    filled = [c[c != ""] for c in columns]
    values = pd.concat(filled).drop_duplicates() if filled else pd.Series([], dtype=str)
    guess = guess_dates(filled)
    if values.empty:
        return ()
    fmt = guess.format or (guess.ambiguous[0] if guess.ambiguous else None) or _closest(values)
    if fmt is None:
        return ()
    pair = [fmt] + ([_swapped(fmt)] if _swapped(fmt) in GUESSED_FORMATS and _swapped(fmt) != fmt else [])
    parsed = {f: parse_dates(values, f) for f in pair}
    if len(pair) == 2:
        (a, bad_a), (b, bad_b) = parsed[pair[0]], parsed[pair[1]]
        differ = values[(a != b) & ~bad_a & ~bad_b]
    else:
        differ = values[~parsed[fmt][1]]
    if differ.empty:
        return (DateReading(fmt, str(values[~parsed[fmt][1]].iloc[0])),) if not parsed[fmt][1].all() else ()
    example = str(differ.iloc[0])
    readings = []
    for f in pair:
        bad = values[parsed[f][1]]
        readings.append(DateReading(f, example, len(bad), str(bad.iloc[0]) if len(bad) else ""))
    return tuple(sorted(readings, key=lambda r: r.unreadable))


def _closest(values: pd.Series) -> str | None:
    """The format that reads the most of the values, when ISO does not read them all and some format reads one."""
    if not parse_dates(values, None)[1].any():
        return None
    unread = {f: int(parse_dates(values, f)[1].sum()) for f in GUESSED_FORMATS[1:]}
    best = min(unread, key=lambda f: unread[f])
    return best if unread[best] < len(values) else None


def guess_date_format(columns: Iterable[pd.Series]) -> str | None:
    """The guessed date format (None: ISO, nothing fits, or day/month order ambiguous)."""
    return guess_dates(columns).format


# -- codes and flags -------------------------------------------------------------------------------
def parse_document_types(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    key = s.str.casefold().str.replace(r"\s+", " ", regex=True)
    kinds = key.map(DOCUMENT_TYPES)
    return kinds, kinds.isna()


def parse_yes_no(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(True/False/<NA> for empty, mask of values that are neither yes nor no)."""
    key = s.str.casefold()
    value = pd.Series(pd.NA, index=s.index, dtype="boolean")
    value[key.isin(YES)] = True
    value[key.isin(NO) & (key != "")] = False
    return value, ~key.isin(YES | NO)


def flag_text(s: pd.Series) -> pd.Series:
    """A hold code or dispute status: No/False/0/empty mean none (null); Yes/True/1 become 'Yes'."""
    key = s.str.casefold()
    out = s.where(~key.isin(YES), "Yes").astype(object)
    return out.where(~key.isin(NO), None)


def parse_entry_numbers(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    ok = s.str.fullmatch(r"\d{1,18}") & (s.str.lstrip("0") != "")
    nums = pd.to_numeric(s.where(ok, None), errors="coerce").astype("Int64")
    return nums, (s != "") & ~ok
