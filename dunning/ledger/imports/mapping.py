"""Which file column feeds which ledger field: presets, explicit `field=Column` pairs, a date format.

A mapping lists, per field, the candidate columns in order of preference; it is resolved against a file's
header (the first candidate present wins). Columns named by the user must exist; preset columns are used
when present, so one preset fits exports with and without optional columns. Business Central's "Original
Amount" feeds `amount` when exported, else "Amount"; its "Last Issued Reminder Level" feeds
`last_reminder_level`, so that the next reminder continues at the level the ERP reached; its "Language Code"
(or "Customer Language Code") feeds `customer_language`, the language the customer's documents are written in.

A file that matches no preset is mapped from its column names (preset "auto", names.py: DueDate, Due Date,
Fälligkeitsdatum, Échéance ...). A mapping also carries the file's currency where it has no currency column,
whether amounts with more decimals than their currency are rounded, and the face it comes from (the page or
the command line), so that the problems name that face's controls.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dunning.errors import BadInput, Problem
from dunning.ledger.imports.names import match_columns

FIELDS: tuple[str, ...] = (
    "entry_no", "document_type", "document_no", "customer_no", "customer_name",
    "customer_language",  # e.g. FRA, fr, fr-BE; not in the file: stored customers keep theirs, new ones get 'en'
    "description", "currency", "posting_date", "document_date", "due_date", "amount", "remaining_amount",
    "amount_lcy", "remaining_amount_lcy", "closed_at", "on_hold", "dispute_status", "promised_pay_date",
    "external_document_no",
    "open",  # not stored: Yes/No; an entry that is not open has nothing remaining
    "last_reminder_level", "last_reminder_date",  # the ERP's reminders; not in the file: the stored ones kept
)  # fmt: skip
REQUIRED: tuple[str, ...] = ("document_no", "customer_no", "due_date", "amount")
DATE_FIELDS: tuple[str, ...] = (
    "posting_date", "document_date", "due_date", "closed_at", "promised_pay_date", "last_reminder_date",
)  # fmt: skip
AMOUNT_FIELDS: tuple[str, ...] = ("amount", "remaining_amount", "amount_lcy", "remaining_amount_lcy")

PRESETS: dict[str, dict[str, tuple[str, ...]]] = {
    # Business Central, page "Customer Ledger Entries" (Open in Excel / export), English captions.
    "bc": {
        "entry_no": ("Entry No.",),
        "document_type": ("Document Type",),
        "document_no": ("Document No.",),
        "customer_no": ("Customer No.",),
        "customer_name": ("Customer Name",),
        "customer_language": ("Language Code", "Customer Language Code"),  # FRA, DEU, NLB, ENU ...
        "description": ("Description",),
        "currency": ("Currency Code",),
        "posting_date": ("Posting Date",),
        "document_date": ("Document Date",),
        "due_date": ("Due Date",),
        "amount": ("Original Amount", "Amount"),
        "remaining_amount": ("Remaining Amount",),
        "amount_lcy": ("Original Amt. (LCY)", "Amount (LCY)"),
        "remaining_amount_lcy": ("Remaining Amt. (LCY)",),
        "closed_at": ("Closed at Date",),
        "on_hold": ("On Hold",),
        "dispute_status": ("Dispute Status",),
        "promised_pay_date": ("Promised Pay Date",),
        "external_document_no": ("External Document No.",),
        "open": ("Open",),
        # the level of the last reminder issued in Business Central for the entry; it has no standard column
        # for that reminder's date (map last_reminder_date to a column of your own when you export one)
        "last_reminder_level": ("Last Issued Reminder Level",),
    },
    # The field names themselves are the column names.
    "native": {f: (f,) for f in FIELDS},
    # Recognised from the column names (names.py): filled per file by Mapping.candidates.
    "auto": {},
}
# The date format a preset reads when none is given (ISO dates are read as well): Business Central exports
# dates as the user's locale shows them; DD.MM.YYYY is the one of the shipped example export.
PRESET_DATE_FORMATS: dict[str, str] = {"bc": "%d.%m.%Y"}
PRESET_LABELS = {
    "bc": "Business Central: Customer Ledger Entries",
    "native": "Field names as column names",
    "auto": "Matched from the column names",
}
FACES = ("cli", "page")  # where a mapping comes from: its problems name that face's controls


@dataclass(frozen=True)
class Mapping:
    """Candidate columns per field; `preset=None` means: detect the preset from the file's header."""

    preset: str | None = None
    explicit: tuple[tuple[str, str], ...] = ()  # (field, column) the user chose; the column must exist
    date_format: str | None = None  # strptime format; None: the preset's (PRESET_DATE_FORMATS), else ISO
    only_explicit: bool = False  # True: no preset at all, unmapped fields stay unmapped (the page's form)
    currency: str | None = None  # the file's currency where it has no currency column (None: local currency)
    round_amounts: bool = False  # round amounts with more decimals than their currency has, half away from 0
    face: str = "cli"  # "cli" or "page": whose controls the problems name

    def preset_for(self, header: Sequence[str]) -> str:
        return self.preset or detect_preset(header) or "auto"

    def candidates(self, header: Sequence[str]) -> dict[str, tuple[str, ...]]:
        preset = self.preset_for(header)
        if self.only_explicit:
            found: dict[str, tuple[str, ...]] = {}
        elif preset == "auto":  # a required field not recognised is looked for under its own name
            found = {f: (f,) for f in REQUIRED}
            found.update({f: (c,) for f, c in match_columns(header, FIELDS).items()})
        else:
            found = dict(PRESETS[preset])
        found.update({f: (c,) for f, c in self.explicit})
        return found

    def resolve(self, header: Sequence[str], file: str) -> Resolved:
        """The column of each field present in the header, and a problem per missing required column."""
        by_key = {_key(h): h for h in reversed(header)}
        explicit = dict(self.explicit)
        columns: dict[str, str] = {}
        problems: list[Problem] = []
        candidates = self.candidates(header)
        for name, options in candidates.items():
            hit = next((h for c in options if (h := _match(c, header, by_key)) is not None), None)
            if hit is not None:
                columns[name] = hit
            elif name in explicit or name in REQUIRED:
                wanted = " or ".join(repr(c) for c in options)
                need = "required" if name in REQUIRED else "mapped"
                problems.append(Problem(file, None, options[0], (
                    f"column {wanted} for the {need} field {name} is not in the file "
                    f"(its columns: {', '.join(header)}); map {name} to one of them"
                )))  # fmt: skip
        for name in REQUIRED:
            if name not in columns and not any(
                p.column == c for p in problems for c in candidates.get(name, ())
            ):
                problems.append(Problem(file, None, None, (
                    f"the required field {name} is not mapped to a column; map it to one of: {', '.join(header)}"
                )))  # fmt: skip
        date_format = self.date_format
        if date_format is None and not self.only_explicit:
            date_format = PRESET_DATE_FORMATS.get(self.preset_for(header))
        return Resolved(
            columns=columns, date_format=date_format, problems=tuple(problems), currency=self.currency,
            round_amounts=self.round_amounts, face=self.face,
        )  # fmt: skip


@dataclass(frozen=True)
class Resolved:
    """A mapping resolved against one file: field -> the file's column."""

    columns: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    problems: tuple[Problem, ...] = ()
    currency: str | None = None  # the file's currency where it has no currency column
    round_amounts: bool = False
    face: str = "cli"

    def to_json(self) -> str:
        return json.dumps({
            "columns": self.columns, "date_format": self.date_format, "currency": self.currency,
            "round_amounts": self.round_amounts,
        }, ensure_ascii=False)  # fmt: skip


def _key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _match(column: str, header: Sequence[str], by_key: dict[str, str]) -> str | None:
    """Exact name first, then ignoring case and surrounding/double spaces."""
    if column in header:
        return column
    return by_key.get(_key(column))


def detect_preset(header: Iterable[str]) -> str | None:
    """'bc' or 'native' when the header holds that preset's required columns, 'auto' when its column names
    give every required field (names.py), else None."""
    header = list(header)
    keys = {_key(h) for h in header}
    for name, cols in PRESETS.items():
        if cols and all(any(_key(c) in keys for c in cols[f]) for f in REQUIRED):
            return name
    if set(REQUIRED) <= set(match_columns(header, FIELDS)):
        return "auto"
    return None


def build_mapping(
    preset: str | None, pairs: Sequence[str], date_format: str | None, *, currency: str | None = None,
    round_amounts: bool = False,
) -> Mapping:  # fmt: skip
    """A mapping from a preset name (None: detect from the header), `field=Column` pairs and a date format.

    Raises BadInput for an unknown preset, a pair without '=', an unknown field or a field mapped twice.
    """
    if preset is not None and preset not in PRESETS:
        raise BadInput(f"unknown mapping preset {preset!r}; use one of: {', '.join(PRESETS)}")
    explicit: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        name, column = name.strip(), column.strip()
        if not sep or not name or not column:
            raise BadInput(f"--map {pair!r} is not FIELD=COLUMN, e.g. --map document_no=invoiceNumber")
        if name not in FIELDS:
            raise BadInput(f"--map {pair!r}: unknown field {name!r}; the fields are: {', '.join(FIELDS)}")
        if name in explicit:
            raise BadInput(f"--map {pair!r}: field {name} is already mapped to {explicit[name]!r}")
        explicit[name] = column
    return Mapping(
        preset=preset, explicit=tuple(explicit.items()), date_format=date_format_of(date_format, "--date-format"),
        currency=_currency(currency, "--currency"), round_amounts=round_amounts,
    )  # fmt: skip


DATE_DIRECTIVES = {"d": "day", "m": "month", "b": "month", "B": "month", "Y": "year", "y": "year"}


def date_format_of(fmt: str | None, control: str) -> str | None:
    """The date format given (None when empty); BadInput unless it reads dates: %d, %m (or %b, %B) and %Y
    (or %y), once each, between literal characters. '%s', '%Q' or a lone '%' would fail in the parser."""
    fmt = (fmt or "").strip()
    if not fmt:
        return None
    parts = re.findall(r"%(.?)", fmt.replace("%%", ""))
    seen = [DATE_DIRECTIVES.get(p) for p in parts]
    ok = sorted(s or "" for s in seen) == ["day", "month", "year"]
    day = dt.date(2026, 10, 15)
    if ok:
        try:
            ok = dt.datetime.strptime(day.strftime(fmt), fmt).date() == day
        except ValueError:
            ok = False
    if not ok:
        raise BadInput(
            f"{control} {fmt!r} is not a date format: write the day as %d, the month as %m (or %b for Oct), the "
            "year as %Y (or %y for 26), with the file's separators, e.g. %d.%m.%Y or %m/%d/%Y"
        )
    return fmt


def _currency(code: str | None, control: str) -> str | None:
    code = (code or "").strip().upper()
    if code and not re.fullmatch(r"[A-Z]{3}", code):
        raise BadInput(f"{control} {code!r} is not a three-letter currency code (ISO 4217, e.g. EUR, USD)")
    return code or None


def mapping_from_columns(
    columns: dict[str, str | None], date_format: str | None, *, currency: str | None = None,
    round_amounts: bool = False,
) -> Mapping:  # fmt: skip
    """The mapping the page's form produced: every field explicit; None or '' leaves a field unmapped."""
    chosen = tuple((f, c) for f, c in columns.items() if c)
    unknown = [f for f, _ in chosen if f not in FIELDS]
    if unknown:
        raise BadInput(f"unknown field(s) {', '.join(unknown)}; the fields are: {', '.join(FIELDS)}")
    return Mapping(
        explicit=chosen, date_format=date_format_of(date_format, "The date format"), only_explicit=True,
        currency=_currency(currency, "The file's currency"), round_amounts=round_amounts, face="page",
    )  # fmt: skip
