"""Issued reminders as the history: levels climb, deadlines hold, interest and compensation are charged once,
cancelling takes a reminder back. Each case computed by hand, the figure in a comment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from dunning.db import Database
from dunning.errors import BadInput
from dunning.reminders.issued import cancel, history, issue
from dunning.reminders.proposal import ProposalOptions, propose, run_json
from tests.ledger import add_entry, add_reachable_customer

customer = add_reachable_customer


def level(db: Database, level_no: int, **columns: Any) -> None:
    """Change one level of the DEFAULT terms (columns of reminder_levels)."""
    for col, value in columns.items():
        assert col in ("interest_method", "payment_days", "due_days", "grace_days", "interest_rate")
        db.execute(
            f"update reminder_levels set {col} = $v where terms_code = 'DEFAULT' and level_no = $n",  # noqa: S608
            {"v": value, "n": level_no},
        )


def run(db: Database, on: dt.date) -> dict[str, Any]:
    return run_json(db, propose(db, ProposalOptions(as_of=on)).run_id)


def run_and_issue(db: Database, on: dt.date) -> dict[str, Any]:
    result = run(db, on)
    issue(db, [r["reminder_id"] for r in result["reminders"]], on, "test")
    return result


def line(db: Database, reminder_id: int, entry_no: int) -> dict[str, Any]:
    rows = db.records(
        "select level_no, interest, compensation, interest_from, interest_to from reminder_lines"
        " where reminder_id = $r and entry_no = $e",
        {"r": reminder_id, "e": entry_no},
    )
    assert len(rows) == 1
    return rows[0]


def skip(result: dict[str, Any]) -> str:
    assert not result["reminders"], result["reminders"]
    return result["skipped"][0]["reason"]


# -- levels come from what was issued ---------------------------------------------------------------------
def test_levels_climb_with_each_issued_reminder_and_stop_at_the_maximum(db):
    # default terms: level 1 at due + 7 + 3 days, pay within 7; levels 2 and 3 14 days after the previous
    # reminder; at most 3 reminders. Due 30 Sep: level 1 on 11 Oct (30 Sep + 10 = 10 Oct < 11 Oct),
    # level 2 on 25 Oct (11 Oct + 14; deadline 18 Oct passed), level 3 on 8 Nov (25 Oct + 14; deadline 1 Nov).
    customer(db)
    add_entry(db, due=dt.date(2026, 9, 30), amount="500.00")
    levels = []
    for on in (dt.date(2026, 10, 11), dt.date(2026, 10, 25), dt.date(2026, 11, 8)):
        (r,) = run_and_issue(db, on)["reminders"]
        levels.append(r["level"])
    assert levels == [1, 2, 3]
    assert "maximum of 3 reminders" in skip(run(db, dt.date(2026, 11, 22)))


def test_cancelling_an_issued_reminder_takes_its_level_back(db):
    customer(db)
    entry = add_entry(db, due=dt.date(2026, 9, 30), amount="500.00")
    run_and_issue(db, dt.date(2026, 10, 11))
    (second,) = run_and_issue(db, dt.date(2026, 10, 25))["reminders"]
    assert [h["level_no"] for h in history(db, entry)] == [1, 2]
    cancel(db, second["reminder_id"], "test")
    # one row changed: the header's status; the entry is at level 1 again, level 2 is due again
    assert [h["level_no"] for h in history(db, entry)] == [1]
    assert db.scalar(
        "select status from reminder_headers where reminder_id = $r", {"r": second["reminder_id"]}
    ) == ("cancelled")
    (again,) = run(db, dt.date(2026, 10, 26))["reminders"]
    assert again["level"] == 2


def test_a_reminder_under_a_later_one_cannot_be_cancelled_before_it(db):
    """Cancelling the older of two reminders of an entry would lose the days it charged (the later one
    charged from the day after them) and claim the compensation again: the newest goes first."""
    level(db, 1, interest_method="eu_statutory")
    level(db, 2, interest_method="eu_statutory")
    customer(db)
    entry = add_entry(db, due=dt.date(2025, 5, 15), amount="10000.00", document_no="INV-1")
    (r1,) = run_and_issue(db, dt.date(2025, 7, 20))["reminders"]
    (r2,) = run_and_issue(db, dt.date(2025, 8, 3))["reminders"]
    with pytest.raises(
        BadInput, match=f"while reminder {r2['reminder_id']}, issued after it, also reminds INV-1"
    ):
        cancel(db, r1["reminder_id"])
    assert [h["level_no"] for h in history(db, entry)] == [1, 2]  # nothing changed
    cancel(db, r2["reminder_id"])
    cancel(db, r1["reminder_id"])
    # both gone: everything from 16 May is charged again, once: 235.07 (= 196.14 + 38.93) and 40.00
    (r,) = run(db, dt.date(2025, 8, 3))["reminders"]
    got = line(db, r["reminder_id"], entry)
    assert (r["level"], got["interest"], got["compensation"]) == (1, D("235.07"), D("40.00"))


def test_issue_and_cancel_refuse_the_wrong_reminders(db):
    customer(db)
    add_entry(db, due=dt.date(2026, 9, 30), amount="500.00")
    (r,) = run(db, dt.date(2026, 10, 11))["reminders"]
    with pytest.raises(BadInput, match="not issued"):
        cancel(db, r["reminder_id"])
    with pytest.raises(BadInput, match="after 2026-10-10"):
        issue(db, [r["reminder_id"]], dt.date(2026, 10, 10))
    with pytest.raises(BadInput, match="reminder 999 does not exist"):
        issue(db, [r["reminder_id"], 999], dt.date(2026, 10, 11))
    assert issue(db, [r["reminder_id"]], dt.date(2026, 10, 11), "me") == 1
    with pytest.raises(BadInput, match="is sent; only a draft"):
        issue(db, [r["reminder_id"]], dt.date(2026, 10, 12))
    cancel(db, r["reminder_id"], "me")
    with pytest.raises(BadInput, match="is cancelled, not issued"):
        cancel(db, r["reminder_id"])


# -- deadlines given are respected -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("on", "expected"),
    [
        # level 1 on 10 Nov, pay by 10 Dec (30 days); level 2 14 days after it would be 24 Nov: too early
        (dt.date(2026, 11, 24), "next is due on 2026-12-11"),
        (dt.date(2026, 12, 10), "next is due on 2026-12-11"),  # the deadline itself: still in time
        (dt.date(2026, 12, 11), 2),  # the first day after the deadline (+ level 2's grace 0)
    ],
)
def test_the_next_level_waits_for_the_previous_deadline(db, on, expected):
    level(db, 1, payment_days=30)
    customer(db)
    add_entry(db, due=dt.date(2026, 10, 20), amount="500.00")
    (first,) = run_and_issue(db, dt.date(2026, 11, 10))["reminders"]
    assert first["payment_deadline"] == "2026-12-10"
    result = run(db, on)
    if isinstance(expected, int):
        assert [r["level"] for r in result["reminders"]] == [expected]
    else:
        assert expected in skip(result)


def test_level_2_appears_on_its_day_with_interest_for_the_new_days_only(db):
    # contractual 10 % on every level; EUR 3,650 due 30 Sep. Level 1 on 11 Oct (pay by 18 Oct): 11 days,
    # 3,650 x 10 % x 11 / 365 = 11.00. Level 2 due 14 days later: 25 Oct, not a day before; then
    # 12 Oct-25 Oct, 14 days: 3,650 x 10 % x 14 / 365 = 14.00 (not 25.00 for all 25 days)
    for n in (1, 2, 3):
        level(db, n, interest_method="contractual", interest_rate=D("10"))
    customer(db)
    entry = add_entry(db, due=dt.date(2026, 9, 30), amount="3650.00")
    (r1,) = run_and_issue(db, dt.date(2026, 10, 11))["reminders"]
    assert line(db, r1["reminder_id"], entry)["interest"] == D("11.00")
    for day in range(12, 25):  # the first week: "last reminded ... less than 7 days ago", then "next is due"
        assert skip(run(db, dt.date(2026, 10, day)))
        assert not db.scalar("select count(*) from reminder_headers where status = 'draft'")
    assert "next is due on 2026-10-25" in skip(run(db, dt.date(2026, 10, 24)))
    (r2,) = run(db, dt.date(2026, 10, 25))["reminders"]
    got = line(db, r2["reminder_id"], entry)
    assert (r2["level"], got["interest"]) == (2, D("14.00"))
    assert (got["interest_from"], got["interest_to"]) == (dt.date(2026, 10, 12), dt.date(2026, 10, 25))


# -- interest and compensation are charged once ----------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "first", "second"),
    [
        # EUR 10,000 due 15 May 2025; the sample's EU rates: 3.15 % from 1 Jan 2025, 2.15 % from 1 Jul 2025.
        # 20 Jul: 16 May-30 Jun 46 days at 11.15 % + 1-20 Jul 20 days at 10.15 %:
        #   10,000 x (11.15 x 46 + 10.15 x 20) / 36,500 = 10,000 x 715.9 / 36,500 = 196.137 -> 196.14 (66 days)
        # 3 Aug: 21 Jul-3 Aug 14 days at 10.15 %: 10,000 x 10.15 x 14 / 36,500 = 38.931 -> 38.93 (not 235.07)
        ("eu_statutory", ("196.14", "40.00"), ("38.93", "0.00")),
        # German base rate 2.27 % from 1 Jan 2025, 1.27 % from 1 Jul 2025, + 9 points:
        #   10,000 x (11.27 x 46 + 10.27 x 20) / 36,500 = 10,000 x 723.82 / 36,500 = 198.306 -> 198.31
        #   10,000 x 10.27 x 14 / 36,500 = 39.391 -> 39.39
        ("de_statutory", ("198.31", "40.00"), ("39.39", "0.00")),
    ],
)
def test_interest_runs_from_the_last_day_charged_and_compensation_is_claimed_once(db, method, first, second):
    level(db, 1, interest_method=method)
    level(db, 2, interest_method=method)
    customer(db)
    entry = add_entry(db, due=dt.date(2025, 5, 15), amount="10000.00")
    (r1,) = run_and_issue(db, dt.date(2025, 7, 20))["reminders"]
    got = line(db, r1["reminder_id"], entry)
    assert (got["interest"], got["compensation"]) == (D(first[0]), D(first[1]))
    assert (got["interest_from"], got["interest_to"]) == (dt.date(2025, 5, 16), dt.date(2025, 7, 20))
    (r2,) = run_and_issue(db, dt.date(2025, 8, 3))["reminders"]
    got = line(db, r2["reminder_id"], entry)
    assert r2["level"] == 2
    assert (got["interest"], got["compensation"]) == (D(second[0]), D(second[1]))
    assert (got["interest_from"], got["interest_to"]) == (dt.date(2025, 7, 21), dt.date(2025, 8, 3))


def test_cancelled_charges_are_charged_again(db):
    level(db, 1, interest_method="eu_statutory")
    level(db, 2, interest_method="eu_statutory")
    customer(db)
    entry = add_entry(db, due=dt.date(2025, 5, 15), amount="10000.00")
    (r1,) = run_and_issue(db, dt.date(2025, 7, 20))["reminders"]
    cancel(db, r1["reminder_id"])
    # nothing issued counts: level 1 again, 80 days from 16 May: 10,000 x (11.15 x 46 + 10.15 x 34) / 36,500
    # = 10,000 x 858.0 / 36,500 = 235.068 -> 235.07 (= 196.14 + 38.93), and the 40.00 again
    (r,) = run(db, dt.date(2025, 8, 3))["reminders"]
    got = line(db, r["reminder_id"], entry)
    assert (r["level"], got["interest"], got["compensation"]) == (1, D("235.07"), D("40.00"))


@pytest.mark.parametrize(
    ("amount", "remaining", "expected"),
    [
        ("1500.00", "600.00", "70.00"),  # part-paid from 1,500 to 600 GBP: the debt was 1,500 -> band 70
        ("1500.00", "1500.00", "70.00"),
        ("900.00", "900.00", "40.00"),
        ("10000.00", "100.00", "100.00"),
    ],
)
def test_the_uk_band_follows_the_debt_when_it_fell_overdue(db, amount, remaining, expected):
    level(db, 1, interest_method="uk_statutory")
    customer(db)
    entry = add_entry(db, due=dt.date(2026, 10, 1), amount=amount, remaining=remaining, currency="GBP")
    (r,) = run(db, dt.date(2026, 11, 28))["reminders"]
    assert line(db, r["reminder_id"], entry)["compensation"] == D(expected)


def test_a_line_takes_its_own_levels_interest_method(db):
    # an entry at level 2 goes to level 3 (EU statutory + 40 EUR); a new invoice 11 days late is on its first
    # reminder on the same level-3 reminder: level 1, no interest, no compensation
    customer(db)
    old = add_entry(
        db,
        due=dt.date(2026, 9, 1),
        amount="1000.00",
        last_reminder_level=2,
        last_reminder_date=dt.date(2026, 11, 1),
    )
    new = add_entry(db, due=dt.date(2026, 11, 17), amount="1000.00")
    (r,) = run(db, dt.date(2026, 11, 28))["reminders"]
    assert r["level"] == 3
    # 2 Sep-28 Nov: 88 days at 2.15 + 8 = 10.15 %: 1,000 x 10.15 x 88 / 36,500 = 24.471 -> 24.47
    assert [line(db, r["reminder_id"], old)[k] for k in ("level_no", "interest", "compensation")] == [
        3,
        D("24.47"),
        D("40.00"),
    ]
    assert [line(db, r["reminder_id"], new)[k] for k in ("level_no", "interest", "compensation")] == [
        1,
        D("0.00"),
        D("0.00"),
    ]


def test_fees_and_interest_already_charged_bear_no_interest(db):
    level(db, 1, interest_method="contractual", interest_rate=D("10"))
    customer(db)
    inv = add_entry(db, due=dt.date(2026, 10, 1), amount="365.00")
    fee = add_entry(db, due=dt.date(2026, 10, 1), amount="25.00", document_type="finance_charge")
    (r,) = run(db, dt.date(2026, 11, 28))["reminders"]
    # 365 x 10 % x 58 days / 365 = 5.80; the finance charge (interest already charged) gets none
    assert line(db, r["reminder_id"], inv)["interest"] == D("5.80")
    assert line(db, r["reminder_id"], fee)["interest"] == D("0.00")


# -- a run never reminds what is already paid ------------------------------------------------------------
def test_a_run_dated_in_the_past_uses_what_is_known_today(db):
    customer(db)
    add_entry(db, due=dt.date(2026, 10, 1), amount="100.00", document_no="PAID")
    add_entry(db, due=dt.date(2026, 10, 1), amount="300.00", remaining="120.00", document_no="PART")
    db.execute(
        "update ledger_entries set remaining_amount = 0, remaining_amount_lcy = 0, closed_at = '2026-11-20'"
        " where document_no = 'PAID'"
    )
    # dated 15 Nov, run on 28 Nov: PAID was paid on 20 Nov and is not reminded; PART at what remains today
    (r,) = run(db, dt.date(2026, 11, 15))["reminders"]
    assert [(x["document_no"], x["remaining_amount"], x["days_overdue"]) for x in r["lines"]] == [
        ("PART", "120.00", 45)
    ]
