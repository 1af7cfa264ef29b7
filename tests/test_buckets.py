from __future__ import annotations

from decimal import Decimal

import pytest

from dunning.aging import buckets
from dunning.aging.buckets import BucketDef
from dunning.aging.report import aging
from dunning.db import Database
from dunning.errors import BadInput
from tests.ledger import add_customer, add_entry
from tests.test_aging import AS_OF, days_ago


def defs(*ranges: tuple[int | None, int | None]) -> list[BucketDef]:
    return [BucketDef(i, f"b{i}", lo, hi, "ok" if i == 0 else "warn") for i, (lo, hi) in enumerate(ranges)]


def test_default_buckets_load_and_are_valid(db: Database) -> None:
    loaded = buckets.load(db)
    assert [b.label for b in loaded] == ["Within terms", "1-7", "8-14", "15-30", "31-60", "61-90", "Over 90"]
    assert buckets.validate(loaded) == []


@pytest.mark.parametrize(
    ("ranges", "expected"),
    [
        ([(None, 0), (1, None)], []),
        ([(None, 0), (1, 5), (6, 6), (7, None)], []),
        ([(None, 0), (2, None)], ["make it start at 1"]),  # a gap
        ([(None, 0), (1, 10), (8, None)], ["make it start at 11"]),  # an overlap
        ([(None, 0), (1, 0), (1, None)], ["buckets must increase"]),
        ([(0, 0), (1, None)], ["first bucket must be open below"]),
        ([(None, 3), (4, None)], ["must end at 0 days"]),
        ([(None, 0), (1, 7)], ["last bucket must be open above"]),
        ([(None, 0), (1, None), (8, None)], ["only the last bucket may be open above"]),
        ([(None, 0), (None, 7), (8, None)], ["only the first bucket may be open below"]),
        ([(None, 0)], ["at least two buckets"]),
    ],
)
def test_validate_names_the_problem(ranges: list, expected: list[str]) -> None:
    problems = buckets.validate(defs(*ranges))
    assert len(problems) == len(expected), problems
    for fragment, problem in zip(expected, problems, strict=True):
        assert fragment in problem


def test_validate_reports_every_problem_at_once() -> None:
    bad = [
        BucketDef(0, "", 1, 3, "purple"),
        BucketDef(1, "x", 5, 2, "warn", Decimal("-1.00")),
        BucketDef(2, "X", 9, 20, "warn"),
    ]
    problems = buckets.validate(bad)
    text = "\n".join(problems)
    for fragment in ("label is empty", "severity 'purple'", "open below", "end at 0", "negative",
                     "buckets must increase", "also used by bucket 2", "open above"):  # fmt: skip
        assert fragment in text
    assert all(p.startswith("bucket ") for p in problems)


def test_from_records_reads_editor_rows_and_text_amounts() -> None:
    rows = [
        {"label": "Not due", "min_days": None, "max_days": 0, "severity": "ok", "alert_amount_lcy": ""},
        {"label": "Late", "min_days": 1, "max_days": 30, "severity": "WARN", "alert_amount_lcy": "25,000.5"},
        {"label": "Very late", "min_days": 31, "max_days": float("nan"), "severity": "critical",
         "alert_amount_lcy": None},
    ]  # fmt: skip
    got, problems = buckets.from_records(rows)
    assert problems == []
    assert [(b.position, b.min_days, b.max_days, b.severity) for b in got] == [
        (0, None, 0, "ok"), (1, 1, 30, "warn"), (2, 31, None, "critical"),
    ]  # fmt: skip
    assert got[1].alert_amount_lcy == Decimal("25000.50")


def test_from_records_rejects_unreadable_cells() -> None:
    rows = [
        {"label": "a", "min_days": None, "max_days": "zero", "severity": "ok", "alert_amount_lcy": ""},
        {"label": "b", "min_days": "1.5", "max_days": None, "severity": "ok", "alert_amount_lcy": "lots"},
    ]
    _, problems = buckets.from_records(rows)
    text = "\n".join(problems)
    assert "'zero' is not a whole number" in text
    assert "'1.5' is not a whole number" in text
    assert "'lots' is not an amount" in text


def test_save_replaces_configuration_and_aging_follows(db: Database) -> None:
    add_customer(db)
    add_entry(db, due=days_ago(5))
    add_entry(db, due=days_ago(20))
    new = [
        BucketDef(0, "Not due", None, 0, "ok"),
        BucketDef(1, "1-10", 1, 10, "warn", Decimal("50.00")),
        BucketDef(2, "Later", 11, None, "critical"),
    ]
    buckets.save(db, new)
    assert buckets.load(db) == new
    report = aging(db, AS_OF)
    assert [(b.label, b.count) for b in report.buckets] == [("Not due", 0), ("1-10", 1), ("Later", 1)]


def test_save_refuses_invalid_and_keeps_the_old(db: Database) -> None:
    before = buckets.load(db)
    with pytest.raises(BadInput, match="aging buckets not saved") as err:
        buckets.save(db, defs((None, 0), (3, None)))
    assert "make it start at 1" in str(err.value)
    assert buckets.load(db) == before
