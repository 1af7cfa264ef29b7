"""Aging bucket configuration: load, validate and save the rows of the aging_buckets table.

A valid configuration covers every number of days past due exactly once, in order:

* the first bucket is open below (no lower bound) and ends at 0 days: the invoices within terms;
* each following bucket starts the day after the previous one ends (contiguous) and ends on or after its
  start (increasing);
* the last bucket is open above (no upper bound).

`validate` returns every problem at once, each naming the bucket and saying what to do, so the settings page
can show them together; `save` refuses to write anything while there is a problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from dunning.access import Action, require
from dunning.db import Database
from dunning.errors import BadInput
from dunning.money import round_money

SEVERITIES = ("ok", "info", "warn", "alert", "critical")


@dataclass(frozen=True)
class BucketDef:
    """One configured bucket; position 0 is the first (within terms)."""

    position: int
    label: str
    min_days: int | None  # None: open below
    max_days: int | None  # None: open above
    severity: str
    alert_amount_lcy: Decimal | None = None  # the tile turns red above this amount, when set


def load(db: Database) -> list[BucketDef]:
    """The configured buckets in order."""
    rows = db.rows(
        "select position, label, min_days, max_days, severity, alert_amount_lcy"
        " from aging_buckets order by position"
    )
    return [BucketDef(*r) for r in rows]


def _name(i: int, label: str) -> str:
    return f"bucket {i + 1} ({label!r})" if label else f"bucket {i + 1}"


def validate(buckets: list[BucketDef]) -> list[str]:
    """Every problem of a configuration, in bucket order; an empty list means it can be saved."""
    problems: list[str] = []
    if len(buckets) < 2:
        return ["give at least two buckets: one within terms (up to 0 days) and one open above"]
    seen: dict[str, int] = {}
    for i, b in enumerate(buckets):
        name = _name(i, b.label)
        if not b.label.strip():
            problems.append(f"{name}: the label is empty; give it a short name such as '1-7'")
        elif (key := b.label.strip().lower()) in seen:
            problems.append(f"{name}: the label is also used by bucket {seen[key] + 1}; make it unique")
        else:
            seen[b.label.strip().lower()] = i
        if b.severity not in SEVERITIES:
            problems.append(f"{name}: severity {b.severity!r} is unknown; use one of {', '.join(SEVERITIES)}")
        if b.alert_amount_lcy is not None and b.alert_amount_lcy < 0:
            problems.append(f"{name}: the alert amount is negative; give 0 or more, or leave it empty")
        first, last = i == 0, i == len(buckets) - 1
        if first:
            if b.min_days is not None:
                problems.append(f"{name}: the first bucket must be open below; leave its 'from' days empty")
            if b.max_days != 0:
                problems.append(f"{name}: the first bucket must end at 0 days (within terms); set 'to' to 0")
            continue
        prev = buckets[i - 1]
        if b.min_days is None:
            problems.append(f"{name}: only the first bucket may be open below; give its 'from' days")
        elif prev.max_days is not None and b.min_days != prev.max_days + 1:
            problems.append(
                f"{name}: starts at {b.min_days} days but the bucket before ends at {prev.max_days}; "
                f"make it start at {prev.max_days + 1} so that no day is missing or counted twice"
            )
        if last:
            if b.max_days is not None:
                problems.append(f"{name}: the last bucket must be open above; leave its 'to' days empty")
        elif b.max_days is None:
            problems.append(f"{name}: only the last bucket may be open above; give its 'to' days")
        elif b.min_days is not None and b.max_days < b.min_days:
            problems.append(
                f"{name}: ends at {b.max_days} days, before it starts ({b.min_days}); "
                "buckets must increase: make 'to' at least 'from'"
            )
    return problems


def _missing(value: Any) -> bool:
    """None, NaN or pd.NA: what an emptied cell of the data editor holds."""
    return value is None or (not isinstance(value, (str, list, tuple)) and bool(pd.isna(value)))


def _int_or_none(value: Any, what: str, name: str, problems: list[str]) -> int | None:
    if _missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        problems.append(f"{name}: {what} {value!r} is not a whole number of days")
        return None
    if number != number.to_integral_value():
        problems.append(f"{name}: {what} {value!r} is not a whole number of days")
        return None
    return int(number)


def _amount_or_none(value: Any, name: str, problems: list[str]) -> Decimal | None:
    if _missing(value):
        return None
    text = str(value).strip().replace(",", "").replace(" ", "")
    if not text:
        return None
    try:
        return round_money(Decimal(text))
    except InvalidOperation:
        problems.append(f"{name}: the alert amount {value!r} is not an amount; write it like 25000.00")
        return None


def from_records(records: list[dict[str, Any]]) -> tuple[list[BucketDef], list[str]]:
    """Buckets from edited rows (label, min_days, max_days, severity, alert_amount_lcy as text or numbers).

    Positions follow the row order. Returns (buckets, problems): problems of reading and of `validate`.
    """
    problems: list[str] = []
    buckets = []
    for i, r in enumerate(records):
        label = "" if _missing(r.get("label")) else str(r["label"]).strip()
        name = _name(i, label)
        severity = r.get("severity")
        buckets.append(
            BucketDef(
                position=i,
                label=label,
                min_days=_int_or_none(r.get("min_days"), "'from' days", name, problems),
                max_days=_int_or_none(r.get("max_days"), "'to' days", name, problems),
                severity="" if _missing(severity) else str(severity).strip().lower(),
                alert_amount_lcy=_amount_or_none(r.get("alert_amount_lcy"), name, problems),
            )
        )
    return buckets, problems + validate(buckets)


def save(db: Database, buckets: list[BucketDef]) -> None:
    """Replace the configuration; refuses (BadInput listing every problem) and writes nothing if invalid."""
    require(db.actor, Action.SETTINGS)
    problems = validate(buckets)
    if problems:
        raise BadInput("aging buckets not saved:\n" + "\n".join(f"  - {p}" for p in problems))
    with db.transaction(audit=(Action.SETTINGS, f"aging buckets: {len(buckets)}")) as tx:
        tx.execute("delete from aging_buckets")
        for i, b in enumerate(buckets):
            tx.execute(
                "insert into aging_buckets values ($p, $l, $mn, $mx, $s, $a)",
                {
                    "p": i,
                    "l": b.label.strip(),
                    "mn": b.min_days,
                    "mx": b.max_days,
                    "s": b.severity,
                    "a": b.alert_amount_lcy,
                },
            )
