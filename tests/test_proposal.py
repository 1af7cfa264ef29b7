"""Create reminders: levels from history, netting, exclusions, intervals, fees, interest, recipients, drafts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal as D
from typing import Any

import pytest

from dunning.cli import main
from dunning.errors import BadInput
from dunning.ledger.contacts import add_agreement, log_contact
from dunning.reminders import reasons
from dunning.reminders.proposal import (
    ProposalOptions,
    drafts_frame,
    parse_customer_filter,
    propose,
    run_json,
    skipped_frame,
)
from dunning.reminders.terms import Fee, Level, Terms, load_terms, save_terms
from tests.ledger import ALL_ROLES, add_entry, add_reachable_customer

AS_OF = dt.date(2026, 11, 28)


def ago(days: int) -> dt.date:
    return AS_OF - dt.timedelta(days=days)


customer = add_reachable_customer


def overdue(db, no: str = "C1", days: int = 20, amount: str = "100.00", **kw: Any) -> int:
    return add_entry(db, no, due=ago(days), amount=amount, **kw)


def run(db, **opts: Any) -> dict[str, Any]:
    result = propose(db, ProposalOptions(as_of=opts.pop("as_of", AS_OF), **opts))
    return run_json(db, result.run_id)


def one(result: dict[str, Any], no: str = "C1") -> dict[str, Any]:
    found = [r for r in result["reminders"] if r["customer_no"] == no]
    assert len(found) == 1, (found, result["skipped"])
    return found[0]


def reason(result: dict[str, Any], no: str = "C1") -> str:
    assert not [r for r in result["reminders"] if r["customer_no"] == no], "expected no reminder"
    found = [s["reason"] for s in result["skipped"] if s["customer_no"] == no]
    assert len(found) == 1, result["skipped"]
    return found[0]


def check_total(r: dict[str, Any]) -> None:
    lines = sum(D(x["remaining_amount"]) for x in r["lines"])
    assert lines + D(r["fee"]) + D(r["interest"]) == D(r["total"])


# -- levels from history ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("days", "last_level", "since", "grace", "expected"),
    [
        # level 1 as Business Central: the first document date after due date + 7 days + 3 grace
        (9, 0, None, None, "next is due on 2026-11-30"),  # due 19 Nov + 10 = 29 Nov; the day after: 30 Nov
        (10, 0, None, None, "next is due on 2026-11-29"),  # due 18 Nov + 10 = 28 Nov (today): not yet
        (11, 0, None, None, 1),  # due 17 Nov + 10 = 27 Nov < 28 Nov
        (90, 0, None, None, 1),  # never reminded: level 1 however late, levels are not skipped
        (10, 0, None, 2, 1),  # grace override 2: 7 + 2 days, due 18 Nov + 9 = 27 Nov
        (9, 0, None, 2, "next is due on 2026-11-29"),  # due 19 Nov + 9 = 28 Nov (today): not yet
        (6, 0, None, 0, "next is due on 2026-11-30"),  # due 22 Nov + 7 = 29 Nov
        (40, 1, 13, None, "next is due on 2026-11-29"),  # level 2 needs 14 days since level 1
        (40, 1, 14, None, 2),
        (60, 2, 14, None, 3),
        (60, 2, 20, None, 3),
        (80, 3, 14, None, "reached the maximum of 3 reminders"),
    ],
)
def test_level_follows_history(db, days, last_level, since, grace, expected):
    customer(db)
    overdue(db, days=days, last_reminder_level=last_level, last_reminder_date=ago(since) if since else None)
    result = run(db, grace_days=grace)
    if isinstance(expected, int):
        r = one(result)
        assert r["level"] == expected and [x["level"] for x in r["lines"]] == [expected]
    else:
        assert expected in reason(result)


def _terms(db, after: str, max_reminders: int | None) -> None:
    t = load_terms(db, "DEFAULT")
    save_terms(
        db,
        dataclasses.replace(
            t, code="T", is_default=False, after_last_level=after, max_reminders=max_reminders
        ),
    )


@pytest.mark.parametrize(
    ("after", "max_reminders", "expected"),
    [
        ("repeat", None, 3),
        ("stop", None, "all 3 levels issued"),
        ("repeat", 3, "maximum of 3"),
        ("repeat", 5, 3),
    ],
)
def test_after_the_last_level(db, after, max_reminders, expected):
    _terms(db, after, max_reminders)
    customer(db, terms="T")
    overdue(db, days=80, last_reminder_level=3, last_reminder_date=ago(15))
    result = run(db)
    if isinstance(expected, int):
        assert one(result)["level"] == expected
    else:
        assert expected in reason(result)


def test_maximum_counts_reminders_sent_from_this_database(db):
    _terms(db, "repeat", 2)
    customer(db, terms="T")
    e = overdue(db, days=60, last_reminder_level=1, last_reminder_date=ago(20))
    for rid in (91, 92):  # two reminders were sent for the entry (level 1, then level 1 repeated)
        db.execute(
            "insert into reminder_headers (reminder_id, customer_no, currency, level_no, terms_code, status,"
            " posting_date, document_date, payment_deadline, language, overdue_amount, total, template_code)"
            " values ($id, 'C1', 'EUR', 1, 'T', 'sent', $d, $d, $d, 'en', 100, 100, 'reminder')",
            {"id": rid, "d": ago(40 if rid == 91 else 20)},
        )
        db.execute(
            "insert into reminder_lines (reminder_id, line_no, kind, entry_no, document_type, document_no, due_date,"
            " days_overdue, original_amount, remaining_amount, level_no)"
            " values ($id, 1, 'overdue', $e, 'invoice', 'X', $d, 1, 100, 100, 1)",
            {"id": rid, "e": e, "d": ago(60)},
        )
    assert "maximum of 2" in reason(run(db))


def test_reminder_level_is_the_highest_of_its_lines(db):
    customer(db)
    overdue(db, days=60, last_reminder_level=2, last_reminder_date=ago(14), document_no="OLD")
    overdue(db, days=12, document_no="NEW")
    r = one(run(db))
    assert r["level"] == 3
    assert {x["document_no"]: x["level"] for x in r["lines"]} == {"OLD": 3, "NEW": 1}
    r = one(run(db, use_header_level=True))  # never reminded: at most level 1, whatever the header
    assert {x["document_no"]: x["level"] for x in r["lines"]} == {"OLD": 3, "NEW": 1}


def test_header_level_for_all_lines_rises_at_most_one_level(db):
    customer(db)
    overdue(db, days=60, last_reminder_level=2, last_reminder_date=ago(14), document_no="OLD")
    overdue(db, days=30, last_reminder_level=1, last_reminder_date=ago(10), document_no="WAIT")
    overdue(db, days=12, document_no="NEW")
    plain = {x["document_no"]: x["level"] for x in one(run(db))["lines"]}
    assert plain == {"OLD": 3, "WAIT": 1, "NEW": 1}
    r = one(run(db, use_header_level=True))
    assert r["level"] == 3
    assert {x["document_no"]: x["level"] for x in r["lines"]} == {"OLD": 3, "WAIT": 2, "NEW": 1}


@pytest.mark.parametrize(("only_overdue", "info"), [(True, []), (False, ["SOON"])])
def test_every_overdue_entry_is_listed_and_only_due_ones_trigger(db, only_overdue, info):
    customer(db)
    overdue(db, days=15, document_no="DUE")
    overdue(db, days=8, document_no="GRACE")  # overdue, within level 1's grace
    overdue(db, days=30, last_reminder_level=2, last_reminder_date=ago(10), document_no="WAIT")
    add_entry(db, "C1", due=AS_OF + dt.timedelta(days=3), document_no="SOON")
    r = one(run(db, only_overdue=only_overdue))
    # as in Business Central: every overdue entry is on the reminder, those not due for a level keep theirs;
    # the reminder's level is that of the entries due for their next level
    assert {x["document_no"]: x["level"] for x in r["lines"]} == {"DUE": 1, "GRACE": 1, "WAIT": 2}
    assert r["level"] == 1 and r["fee"] == "0.00" and r["total"] == "300.00"
    assert [x["document_no"] for x in r["info_lines"]] == info
    check_total(r)


def test_credits_are_netted_against_every_remindable_overdue_entry(db):
    customer(db)
    overdue(
        db, days=40, amount="1000.00", last_reminder_level=1, last_reminder_date=ago(10), document_no="OLD"
    )
    overdue(db, days=15, amount="100.00", document_no="NEW")
    add_entry(db, "C1", due=ago(5), amount="-150.00", document_type="credit_memo", document_no="CM")
    r = one(run(db))
    assert r["total"] == "950.00" and r["level"] == 1
    assert {x["document_no"]: x["kind"] for x in r["lines"]} == {
        "OLD": "overdue",
        "NEW": "overdue",
        "CM": "credit",
    }
    check_total(r)


def test_credits_covering_everything_say_so_and_waiting_entries_do_not_trigger(db):
    customer(db)
    overdue(db, days=40, amount="1000.00", last_reminder_level=1, last_reminder_date=ago(10))
    assert "no entry is due for a reminder yet; the next is due on 2026-12-02" in reason(run(db))
    overdue(db, days=15, amount="100.00")
    add_entry(db, "C1", due=ago(5), amount="-1100.00", document_type="credit_memo")
    assert reason(run(db)) == (
        "open credits -1100.00 EUR cover the overdue amount 1100.00 of all remindable entries; nothing to remind"
    )


# -- net before you dun -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("debits", "credits", "expected"),
    [
        (["100.00"], ["-30.00"], "70.00"),
        (["100.00", "50.00"], ["-30.00", "-20.00"], "100.00"),
        (["100.00"], ["-100.00"], "cover the overdue amount 100.00 of all remindable entries"),
        (["100.00"], ["-150.00"], "cover the overdue amount 100.00 of all remindable entries"),
        (["15.00"], ["-10.00"], "below the minimum of 10.00"),
        (["9.99"], [], "below the minimum of 10.00"),
        (["10.00"], [], "10.00"),
    ],
)
def test_credits_are_netted_before_dunning(db, debits, credits, expected):
    customer(db)
    for amount in debits:
        overdue(db, amount=amount)
    for amount in credits:  # unapplied payments skip the customer: tests/test_fees.py
        add_entry(db, "C1", due=ago(5), amount=amount, document_type="credit_memo")
    result = run(db)
    if "." in expected and expected[0].isdigit():
        r = one(result)
        assert r["total"] == expected
        assert sum(1 for x in r["lines"] if x["kind"] == "credit") == len(credits)
        check_total(r)
    else:
        assert expected in reason(result)


def test_credits_net_per_currency(db):
    customer(db)
    overdue(db, amount="100.00")
    add_entry(db, "C1", due=ago(5), amount="-500.00", currency="GBP", document_type="credit_memo")
    assert one(run(db))["total"] == "100.00"


def test_minimum_amount_is_in_local_currency(db):
    customer(db)
    overdue(db, amount="10.00", currency="USD", lcy_rate=D("0.92"))  # 9.20 EUR
    assert "below the minimum" in reason(run(db))


# -- exclusions -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"dispute_status": "Price difference"}, "disputed (Price difference)"),
        ({"on_hold": "HLD"}, "on hold (HLD)"),
        ({"promised_pay_date": AS_OF + dt.timedelta(days=5)}, "promised to pay by 2026-12-03"),
        ({"promised_pay_date": AS_OF}, "promised to pay by 2026-11-28"),
    ],
)
def test_excluded_entries_and_promises(db, fields, expected):
    customer(db)
    overdue(db, **fields)
    assert expected in reason(run(db))


def test_broken_promise_resumes_dunning_and_is_flagged(db):
    customer(db)
    overdue(db, promised_pay_date=ago(3))
    r = one(run(db))
    assert r["broken_promise"] is True and r["level"] == 1


def test_held_entries_never_trigger_but_can_be_listed(db):
    customer(db)
    overdue(db, document_no="OK")
    overdue(db, on_hold="HLD", document_no="HELD", amount="500.00")
    overdue(db, dispute_status="Damaged", document_no="DISP", amount="700.00")
    r = one(run(db))
    assert [x["document_no"] for x in r["lines"]] == ["OK"] and r["info_lines"] == []
    r = one(run(db, include_on_hold=True))
    assert [x["document_no"] for x in r["lines"]] == ["OK"]
    assert {x["document_no"] for x in r["info_lines"]} == {"HELD", "DISP"}
    assert r["total"] == "100.00"


def test_not_due_entries_listed_as_information(db):
    customer(db)
    overdue(db, document_no="LATE")
    add_entry(db, "C1", due=AS_OF + dt.timedelta(days=10), document_no="SOON")
    assert one(run(db))["info_lines"] == []
    r = one(run(db, include_not_due=True))
    assert [x["document_no"] for x in r["info_lines"]] == ["SOON"] and r["total"] == "100.00"


@pytest.mark.parametrize(
    ("blocked", "reminded"), [(None, True), ("ship", True), ("invoice", True), ("all", False)]
)
def test_a_customer_blocked_for_all_transactions_is_not_reminded(db, blocked, reminded):
    # Business Central's Blocked: a customer blocked for shipping or invoicing still owes and is reminded;
    # one blocked for all transactions gets no reminder, and the reason says how to change that
    customer(db)
    overdue(db)
    db.execute("update customers set blocked = $b where customer_no = 'C1'", {"b": blocked})
    result = run(db)
    if reminded:
        assert one(result)["level"] == 1
    else:
        assert reason(result) == reasons.TEXTS["blocked"]()
        assert result["reminders"] == []


def test_paid_entries_are_never_reminded(db):
    customer(db)
    overdue(db, remaining="0.00", closed_at=ago(1), document_no="PAID")
    overdue(db, document_no="OPEN")
    assert [x["document_no"] for x in one(run(db))["lines"]] == ["OPEN"]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            lambda db: log_contact(db, "C1", ago(3), "phone", "promised to look"),
            "contacted by hand: phone on",
        ),
        (lambda db: log_contact(db, "C1", ago(10), "phone", "left a message"), None),
        (
            lambda db: add_agreement(db, "C1", ago(5), AS_OF + dt.timedelta(days=20), "payment plan"),
            "payment plan",
        ),
        (lambda db: add_agreement(db, "C1", ago(40), ago(1), "expired plan"), None),
        (
            lambda db: overdue(
                db, remaining="0.00", closed_at=ago(3), last_reminder_level=1, last_reminder_date=ago(3)
            ),
            "last reminded on 2026-11-25",
        ),
    ],
)
def test_recent_contact_and_agreements_hold_reminders_back(db, make, expected):
    customer(db)
    overdue(db)
    make(db)
    result = run(db)
    if expected is None:
        one(result)
    else:
        assert expected in reason(result)


def test_agreement_on_single_entries_excludes_only_those(db):
    customer(db)
    covered = overdue(db, document_no="PLAN")
    overdue(db, document_no="OTHER")
    add_agreement(db, "C1", ago(2), AS_OF + dt.timedelta(days=30), "pay in 3 parts", entry_nos=[covered])
    assert [x["document_no"] for x in one(run(db))["lines"]] == ["OTHER"]


def test_a_sent_reminder_within_the_interval_holds_back(db):
    customer(db)
    overdue(db)
    db.execute(
        "insert into reminder_headers (customer_no, currency, level_no, terms_code, status, posting_date,"
        " document_date, payment_deadline, language, overdue_amount, total, template_code, sent_at)"
        " values ('C1', 'EUR', 1, 'DEFAULT', 'sent', $d, $d, $d, 'en', 1, 1, 'reminder', $t)",
        {"d": ago(10), "t": dt.datetime.combine(ago(2), dt.time(9))},
    )
    assert "last reminded on 2026-11-26" in reason(run(db))


def test_contact_and_agreement_inputs_are_checked(db):
    customer(db)
    with pytest.raises(BadInput, match="does not exist"):
        log_contact(db, "NOPE", AS_OF)
    with pytest.raises(BadInput, match="unknown"):
        log_contact(db, "C1", AS_OF, channel="pigeon")
    with pytest.raises(BadInput, match="before"):
        add_agreement(db, "C1", AS_OF, ago(1), "x")


# -- recipients -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("roles", "level", "to", "cc"),
    [
        (ALL_ROLES, 1, ["accounts_payable"], []),
        (("finance_manager",), 1, ["finance_manager"], []),  # fallback role
        (ALL_ROLES, 2, ["accounts_payable"], ["finance_manager"]),
        (ALL_ROLES, 3, ["finance_manager"], ["accounts_payable", "sales_owner"]),
        (
            ("accounts_payable", "sales_owner"),
            3,
            ["accounts_payable"],
            ["sales_owner"],
        ),  # fallback; no cc twice
    ],
)
def test_recipients_by_role_with_fallback(db, roles, level, to, cc):
    customer(db, roles=roles)
    overdue(db, days=60, last_reminder_level=level - 1, last_reminder_date=ago(14) if level > 1 else None)
    r = one(run(db))
    assert r["level"] == level
    assert r["to"] == [f"{x}@c1.example" for x in to] and r["cc"] == [f"{x}@c1.example" for x in cc]


@pytest.mark.parametrize("setup", ["none", "inactive", "no_email", "wrong_role"])
def test_never_a_reminder_without_a_recipient(db, setup):
    customer(
        db, roles=() if setup == "none" else ("sales_owner" if setup == "wrong_role" else "accounts_payable",)
    )
    if setup == "inactive":
        db.execute("update contacts set active = false")
    if setup == "no_email":
        db.execute("update contacts set email = ''")
    overdue(db)
    assert "no contact with an email for roles accounts_payable, finance_manager; add a contact" in reason(
        run(db)
    )


# -- fees and interest ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("currency", "fee", "note"),
    [
        ("EUR", "10.00", None),
        ("USD", "12.00", None),
        (
            "JPY",
            "0.00",
            "no fees defined for level 2 in JPY; none charged (add a fee row in JPY on the Reminder terms page)",
        ),
    ],
)
def test_fixed_fee_per_currency(db, currency, fee, note):
    customer(db)
    overdue(
        db, days=40, currency=currency, amount="1000.00", last_reminder_level=1, last_reminder_date=ago(20)
    )
    r = one(run(db))
    assert (r["level"], r["fee"], r["note"]) == (2, fee, note)
    check_total(r)


@pytest.mark.parametrize(
    ("per_line", "pct", "pct_min", "pct_max", "expected"),
    [
        ("1.50", "0", None, None, "3.00"),  # two overdue lines
        ("0", "2", None, None, "30.00"),  # 2% of the net 1500.00
        ("0", "2", "40.00", None, "40.00"),
        ("0", "2", None, "20.00", "20.00"),
        ("1.00", "0.5", None, None, "9.50"),  # 2 x 1.00 + 7.50
    ],
)
def test_fees_per_line_and_percentage(db, per_line, pct, pct_min, pct_max, expected):
    fee = Fee("EUR", fee_per_line=D(per_line), pct_fee_min=D(pct_min) if pct_min else None,
              pct_fee_max=D(pct_max) if pct_max else None)  # fmt: skip
    lv = Level(1, 7, grace_days=3, pct_fee=D(pct), fees=(fee,))
    save_terms(db, Terms("F", "fees", levels=(lv,)))
    customer(db, terms="F")
    overdue(db, amount="1000.00")
    overdue(db, amount="600.00")
    add_entry(db, "C1", due=ago(3), amount="-100.00", document_type="credit_memo")
    r = one(run(db))
    assert r["fee"] == expected
    check_total(r)


def test_statutory_interest_and_compensation_on_the_final_level(db):
    customer(db)
    overdue(db, days=58, amount="200.00", last_reminder_level=2, last_reminder_date=ago(14))  # due 2026-10-01
    r = one(run(db))
    # (2.15 + 8)% x 200.00 x 58 / 365 = 3.23; plus 40 EUR compensation; fee 25
    assert (r["level"], r["fee"], r["interest"], r["total"]) == (3, "25.00", "43.23", "268.23")
    line = db.one("select interest, compensation from reminder_lines where kind = 'overdue'")
    assert line == (D("3.23"), D("40.00"))


def test_sql_interest_agrees_with_the_python_rules(db):
    from tests.interest_oracle import line_interest

    save_terms(db, Terms("I", "interest", levels=(Level(1, 0, interest_method="uk_statutory"),)))
    customer(db, terms="I")
    cases = [
        ("GBP", "999.99", 31, "1"),
        ("GBP", "12345.67", 200, "1"),
        ("EUR", "2300.00", 95, "0.87"),
        ("USD", "55.55", 1, "0.92"),
    ]
    for cur, amount, days, rate in cases:
        overdue(db, days=days, amount=amount, currency=cur, lcy_rate=D(rate))
    propose(db, ProposalOptions(as_of=AS_OF))
    rates = db.rows("select valid_from, rate from reference_rates where scheme = 'uk'")
    for doc_type, cur, due, amount, lcy, interest, comp in db.rows(
        "select l.document_type, e.currency, l.due_date, l.remaining_amount, e.remaining_amount_lcy, l.interest,"
        " l.compensation from reminder_lines l join ledger_entries e using (entry_no)"
    ):
        expected = line_interest(
            "uk_statutory",
            amount=amount,
            days=(AS_OF - due).days,
            due_date=due,
            rates=rates,
            document_type=doc_type,
            currency=cur,
            lcy="EUR",
            amount_lcy=lcy,
        )
        assert (interest, comp) == expected


# -- drafts -----------------------------------------------------------------------------------------------
def test_rerun_replaces_drafts_and_never_touches_sent(db):
    customer(db)
    customer(db, "C2")
    overdue(db)
    overdue(db, "C2")
    first = propose(db, ProposalOptions(as_of=AS_OF))
    db.execute("update reminder_headers set status = 'sent', sent_at = now() where customer_no = 'C2'")
    second = propose(db, ProposalOptions(as_of=AS_OF))
    statuses = db.rows("select customer_no, status, run_id from reminder_headers order by 1, 2")
    assert statuses == [("C1", "draft", second.run_id), ("C2", "sent", first.run_id)]
    assert db.scalar("select count(*) from reminder_lines") == 2  # one line each: old draft lines are gone


@pytest.mark.parametrize("status", ["approved", "sending"])
def test_a_reminder_awaiting_sending_holds_the_customer_back(db, status):
    customer(db)
    overdue(db, document_no="A")
    propose(db, ProposalOptions(as_of=AS_OF))
    db.execute("update reminder_headers set status = $s", {"s": status})
    rid = db.scalar("select reminder_id from reminder_headers")
    overdue(db, document_no="B")
    later = run(db, as_of=AS_OF + dt.timedelta(days=30))  # even past the minimum interval
    assert reason(later) == (
        f"reminder {rid} ({status}, dated 2026-11-28) awaits sending; no new reminder before it is sent or cancelled"
    )
    db.execute("update reminder_headers set status = 'sent', sent_at = document_date")
    db.execute("update ledger_entries set last_reminder_level = 1, last_reminder_date = $d where document_no = 'A'",
               {"d": AS_OF})  # fmt: skip
    assert [x["document_no"] for x in one(run(db, as_of=AS_OF + dt.timedelta(days=8)))["lines"]] == ["A", "B"]


def test_customer_filter_replaces_only_those_drafts(db):
    for no in ("C1", "C2"):
        customer(db, no)
        overdue(db, no)
    propose(db, ProposalOptions(as_of=AS_OF))
    run2 = propose(db, ProposalOptions(as_of=AS_OF, customer_nos=("C2",)))
    assert run2.drafts == 1
    assert db.rows("select customer_no from reminder_headers order by 1") == [("C1",), ("C2",)]
    assert parse_customer_filter(db, "C1, C2") == (("C1", "C2"), None)
    assert parse_customer_filter(db, "Customer") == ((), "Customer")
    assert propose(db, ProposalOptions(as_of=AS_OF, customer_search="c1")).drafts == 1


def test_unknown_customer_is_bad_input(db):
    with pytest.raises(BadInput, match="NOPE"):
        propose(db, ProposalOptions(as_of=AS_OF, customer_nos=("NOPE",)))


def test_frames_for_the_page(db):
    customer(db)
    customer(db, "C2", roles=())
    overdue(db)
    overdue(db, "C2")
    run_id = propose(db, ProposalOptions(as_of=AS_OF)).run_id
    drafts = drafts_frame(db, run_id)
    assert list(drafts["customer_no"]) == ["C1"] and drafts.loc[0, "total"] == D("100.00")
    assert list(skipped_frame(db, run_id)["customer_no"]) == ["C2"]


def test_sample_every_overdue_customer_is_drafted_or_skipped(sample_db):
    result = run(sample_db)
    overdue_customers = {
        r[0]
        for r in sample_db.rows(
            "select distinct customer_no from open_entries($d) where open_amount > 0 and days_overdue > 0",
            {"d": AS_OF},
        )
    }
    named = {r["customer_no"] for r in result["reminders"]} | {s["customer_no"] for s in result["skipped"]}
    assert overdue_customers == named
    assert result["reminders"] and result["skipped"]  # the sample exercises both outcomes
    assert all(s["reason"] for s in result["skipped"])
    for r in result["reminders"]:
        check_total(r)
        assert r["to"]


# -- command line -----------------------------------------------------------------------------------------
def test_cli_propose_json(tmp_path, monkeypatch, capsys):
    path = tmp_path / "c.duckdb"
    from dunning.db import Database

    with Database(path) as db:
        customer(db)
        overdue(db, days=15)
    monkeypatch.setenv("DUNNING_DB", str(path))
    assert main(["propose", "--as-of", "2026-11-28", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reminders"][0]["lines"][0] == {
        "document_no": out["reminders"][0]["lines"][0]["document_no"],
        "days_overdue": 15,
        "remaining_amount": "100.00",
        "kind": "overdue",
        "level": 1,
    }
    assert {
        k: out["reminders"][0][k] for k in ("customer_no", "level", "currency", "fee", "interest", "total")
    } == {
        "customer_no": "C1",
        "level": 1,
        "currency": "EUR",
        "fee": "0.00",
        "interest": "0.00",
        "total": "100.00",
    }
    assert out["skipped"] == []
    assert main(["propose", "--as-of", "2026-11-28", "--customer", "NOPE"]) == 2
    assert "NOPE" in capsys.readouterr().err
    assert main(["propose", "--as-of", "2026-11-28", "--grace-days", "-1"]) == 2
    with pytest.raises(SystemExit) as bad:
        main(["propose", "--as-of", "28.11.2026"])
    assert bad.value.code == 2


# -- review fixes: moved entries, filters, excluded entries -----------------------------------------------
def test_an_entry_moved_to_another_customer_is_on_one_open_draft(db):
    customer(db)
    customer(db, "C2")
    moved = overdue(db, document_no="MOVED")
    overdue(db, document_no="STAYS")
    propose(db, ProposalOptions(as_of=AS_OF))
    db.execute("update ledger_entries set customer_no = 'C2' where entry_no = $e", {"e": moved})  # re-import
    second = propose(db, ProposalOptions(as_of=AS_OF, customer_nos=("C2",)))
    on_drafts = db.rows(
        "select h.customer_no, l.document_no from reminder_lines l join reminder_headers h using (reminder_id)"
        " where h.status = 'draft' order by 1, 2"
    )
    assert on_drafts == [("C2", "MOVED")]  # C1's stale draft, which held MOVED, is gone
    assert second.replaced_elsewhere == ("C1",)


def test_a_customer_list_with_a_typo_is_bad_input_naming_it(db):
    customer(db, "C010023")
    customer(db, "C01009")
    assert parse_customer_filter(db, "C010023, C01009") == (("C010023", "C01009"), None)
    with pytest.raises(BadInput, match="C01008 do not exist"):
        parse_customer_filter(db, "C010023, C01008")
    assert parse_customer_filter(db, "C0100") == ((), "C0100")  # one word: a search


def test_an_empty_scope_says_so(db):
    customer(db)
    overdue(db)
    run_ = propose(db, ProposalOptions(as_of=AS_OF, customer_search="nobody"))
    assert (run_.customers, run_.drafts, run_.skipped) == (0, 0, 0)
    assert run_.scope_note == "no customer matches the filter; nothing was proposed"
    assert propose(db, ProposalOptions(as_of=AS_OF)).scope_note is None


def test_excluded_entries_of_a_reminded_customer_are_counted_and_listed(db):
    customer(db)
    overdue(db, document_no="OK")
    overdue(db, days=25, on_hold="HLD", document_no="HELD")
    plan = overdue(db, days=22, document_no="PLAN")
    add_agreement(db, "C1", ago(2), AS_OF + dt.timedelta(days=30), "pay in 3 parts", entry_nos=[plan])
    r = one(run(db))
    assert r["note"] == (
        "2 overdue entries not reminded: HELD on hold (HLD); PLAN covered by an agreement until 2026-12-28"
    )
    assert r["info_lines"] == [] and r["total"] == "100.00"
    r = one(run(db, include_on_hold=True))
    assert [x["document_no"] for x in r["info_lines"]] == ["HELD", "PLAN"] and r["total"] == "100.00"


def _eu_terms(db) -> None:
    save_terms(db, Terms("EU", "statutory", levels=(Level(1, 0, interest_method="eu_statutory"),)))
    customer(db, terms="EU")


def test_eu_interest_is_split_at_half_years(db):
    _eu_terms(db)
    add_entry(db, "C1", due=dt.date(2023, 6, 15), amount="10000.00")
    r = one(run(db, as_of=dt.date(2024, 6, 15)))
    # seeded EU rates: 2.50 (H1 2023), 4.00 (H2 2023), 4.50 (H1 2024); + 8 points each; 365-day year
    by_hand = D("10000.00") * (15 * D("10.50") + 184 * D("12.00") + 167 * D("12.50")) / 100 / 365
    interest = by_hand.quantize(D("0.01"), rounding="ROUND_HALF_UP")
    assert db.one("select interest, compensation from reminder_lines") == (interest, D("40.00"))
    assert (r["interest"], r["total"], r["note"]) == ("1260.00", "11260.00", None)


@pytest.mark.parametrize(
    ("due", "as_of", "note"),
    [
        (  # before the table's first row: those days earn nothing (only 2023's 31 days do), and the draft says so
            dt.date(2022, 12, 1),
            dt.date(2023, 1, 31),
            "reference rate for EU 2022-07-01 missing; interest for those days not claimed - add it in Reminder terms",
        ),
        (  # after the table's last row: the last known rate, with a note
            dt.date(2026, 12, 1),
            dt.date(2027, 1, 31),
            "reference rate for EU 2027-01-01 missing; the rate of 2026-07-01 (2.1500%) was used"
            " - add it in Reminder terms",
        ),
    ],
)
def test_missing_reference_rates_are_noted_on_the_draft(db, due, as_of, note):
    from tests.interest_oracle import line_interest

    _eu_terms(db)
    add_entry(db, "C1", due=due, amount="3500.00")
    r = one(run(db, as_of=as_of))
    assert r["note"] == note
    rates = db.rows("select valid_from, rate from reference_rates where scheme = 'eu'")
    expected, _ = line_interest(
        "eu_statutory", amount=D("3500.00"), days=(as_of - due).days, due_date=due, rates=rates
    )
    assert db.scalar("select interest from reminder_lines") == expected > 0


@pytest.mark.parametrize("method", ["eu_statutory", "uk_statutory"])
def test_sql_statutory_interest_agrees_with_the_python_rules_across_half_years(db, method):
    from tests.interest_oracle import line_interest

    save_terms(db, Terms("S", "statutory", levels=(Level(1, 0, interest_method=method),)))
    customer(db, terms="S")
    as_of = dt.date(2025, 8, 20)
    dues = [
        dt.date(2022, 11, 30),
        dt.date(2023, 6, 30),
        dt.date(2023, 7, 1),
        dt.date(2024, 12, 31),
        dt.date(2025, 8, 1),
    ]
    for i, due in enumerate(dues):
        add_entry(
            db,
            "C1",
            due=due,
            amount=f"{1234 + i * 997}.{i}5",
            currency="GBP" if method == "uk_statutory" else "EUR",
        )
    propose(db, ProposalOptions(as_of=as_of))
    scheme = method.split("_")[0]
    rates = db.rows("select valid_from, rate from reference_rates where scheme = $s", {"s": scheme})
    rows = db.rows("select due_date, remaining_amount, interest, days_overdue from reminder_lines")
    assert len(rows) == len(dues)
    for due, amount, interest, days in rows:
        got, _ = line_interest(method, amount=amount, days=days, due_date=due, rates=rates, currency="GBP")
        assert interest == got, due


def test_cli_says_when_no_customer_is_in_scope(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DUNNING_DB", str(tmp_path / "empty.duckdb"))
    assert main(["propose", "--as-of", "2026-11-28", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["reminders"] == []
    assert "no customer matches the filter; nothing was proposed" in captured.err


# -- a run's lines, the law's figures and the texts, each from one place --------------------------------------
def _draft_by_hand(db, reminder_id: int, customer_no: str, n_lines: int) -> None:
    """A draft with an id chosen by hand (as a restored or imported database may hold): above the sequence."""
    db.execute(
        "insert into reminder_headers (reminder_id, customer_no, currency, level_no, terms_code, status,"
        " posting_date, document_date, payment_deadline, language, overdue_amount, total, template_code)"
        " values ($id, $c, 'EUR', 1, 'DEFAULT', 'draft', $d, $d, $d, 'en', 100, 100, 'reminder')",
        {"id": reminder_id, "c": customer_no, "d": ago(1)},
    )
    for n in range(1, n_lines + 1):
        db.execute(
            "insert into reminder_lines (reminder_id, line_no, kind, entry_no, document_type, document_no,"
            " due_date, days_overdue, original_amount, remaining_amount, level_no, interest)"
            " values ($id, $n, 'overdue', $e, 'invoice', $doc, $d, 20, 100, 100, 1, 5)",
            {"id": reminder_id, "n": n, "e": 9000 + n, "doc": f"KEPT{n}", "d": ago(20)},
        )


def test_a_runs_lines_are_counted_by_its_run_not_by_reminder_ids(db):
    customer(db)
    customer(db, "C2")
    overdue(db, document_no="A")
    overdue(db, days=30, document_no="B")
    _draft_by_hand(db, 1000, "C2", n_lines=3)  # kept: C2 is not in the next run's scope
    result = propose(db, ProposalOptions(as_of=AS_OF, customer_nos=("C1",)))
    new_id = db.scalar("select reminder_id from reminder_headers where run_id = $r", {"r": result.run_id})
    assert new_id < 1000  # the case a count of lines "from the lowest new id up" got wrong
    assert result.lines == 2 == len(one(run_json(db, result.run_id))["lines"])
    assert db.scalar("select count(*) from reminder_lines where reminder_id = 1000") == 3
    header = db.one(
        "select interest, total from reminder_headers where reminder_id = $r", {"r": new_id}
    )  # its interest is summed from its own lines only
    assert header == (D("0.00"), D("200.00"))


def _statutory_lines(db, method: str) -> list[tuple[Any, ...]]:
    return db.rows(
        "select l.document_no, l.document_type, e.currency, l.due_date, l.days_overdue, l.remaining_amount,"
        " e.remaining_amount_lcy, l.interest, l.compensation"
        " from reminder_lines l join ledger_entries e using (entry_no) order by l.document_no"
    )


def _oracle(db, method: str, rows) -> list[tuple[D, D]]:
    from tests.interest_oracle import line_interest

    scheme = method.split("_")[0]
    rates = db.rows("select valid_from, rate from reference_rates where scheme = $s", {"s": scheme})
    return [
        line_interest(
            method,
            amount=amount,
            days=days,
            due_date=due,
            rates=rates,
            document_type=doc_type,
            currency=cur,
            lcy="EUR",
            amount_lcy=lcy,
        )
        for _, doc_type, cur, due, days, amount, lcy, _, _ in rows
    ]


def _statutory_case(db, method: str) -> None:
    save_terms(db, Terms("S", "statutory", levels=(Level(1, 0, interest_method=method),)))
    customer(db, terms="S")
    home = "GBP" if method == "uk_statutory" else "EUR"
    # a quarter's own rate, which only periods of three months would read
    db.execute("insert into reference_rates values ('eu', '2025-10-01', 5.00), ('uk', '2025-10-01', 5.50)")
    cases = [  # across the UK bands, over several half-years and quarters; one invoice in another currency
        ("A", "300.00", dt.date(2025, 2, 10), home, "1"),
        ("B", "999.99", dt.date(2025, 6, 30), home, "1"),
        ("C", "4000.00", dt.date(2025, 11, 15), home, "1"),
        ("D", "7000.00", dt.date(2026, 5, 1), home, "1"),
        ("E", "12000.00", dt.date(2026, 8, 31), home, "1"),
        ("F", "2300.00", dt.date(2026, 3, 3), "USD", "0.87"),
    ]
    for doc, amount, due, cur, rate in cases:
        add_entry(db, "C1", due=due, amount=amount, currency=cur, lcy_rate=D(rate), document_no=doc)


@pytest.mark.parametrize("method", ["eu_statutory", "uk_statutory"])
def test_fixed_sums_on_a_draft_are_the_laws(db, method):
    from dunning.reminders import law

    _statutory_case(db, method)
    propose(db, ProposalOptions(as_of=AS_OF))
    comp = {r[0]: r[-1] for r in _statutory_lines(db, method)}
    if method == "eu_statutory":
        assert {comp[d] for d in "ABCDE"} == {law.EU_COMPENSATION}
    else:
        (_, low), (_, mid) = law.UK_COMPENSATION_BANDS
        assert [comp[d] for d in "ABCDE"] == [low, low, mid, mid, law.UK_COMPENSATION_TOP]
        assert (low, mid, law.UK_COMPENSATION_TOP) == (D("40.00"), D("70.00"), D("100.00"))


LAW_CHANGES = {  # each changes one figure of dunning/reminders/law.py; the drafts must follow it
    "points": {"STATUTORY_POINTS": D("9")},
    "day count": {"DAYS_PER_YEAR": 360},
    "quarters": {"RATE_PERIOD_MONTHS": 3},
    "eu sum": {"EU_COMPENSATION": D("41.00")},
    "uk bands": {
        "UK_COMPENSATION_BANDS": ((D("500.00"), D("30.00")), (D("5000.00"), D("60.00"))),
        "UK_COMPENSATION_TOP": D("90.00"),
    },
    "currencies": {"SCHEME_CURRENCY": {"eu": "USD", "uk": "USD"}},
}


@pytest.mark.parametrize("method", ["eu_statutory", "uk_statutory"])
@pytest.mark.parametrize("change", list(LAW_CHANGES), ids=list(LAW_CHANGES))
def test_every_legal_figure_reaches_the_sql_from_the_law_module(db, monkeypatch, method, change):
    from dunning.reminders import law

    _statutory_case(db, method)
    propose(db, ProposalOptions(as_of=AS_OF))
    before = _statutory_lines(db, method)
    assert [r[-2:] for r in before] == _oracle(db, method, before)
    for name, value in LAW_CHANGES[change].items():
        monkeypatch.setattr(law, name, value)
    propose(db, ProposalOptions(as_of=AS_OF))
    after = _statutory_lines(db, method)
    assert [r[-2:] for r in after] == _oracle(db, method, after)  # the SQL and the oracle read the same law
    if change not in {"eu sum", "uk bands"} or change[:2] == method[:2]:
        assert [r[-2:] for r in after] != [r[-2:] for r in before]  # and the SQL did follow the change


def test_every_text_names_its_fields():
    import string

    from dunning.reminders.reasons import TEXTS, sql_params

    for code, text in TEXTS.items():
        used = {f for _, f, _, _ in string.Formatter().parse(text.template) if f}
        assert used == set(text.fields), code
        assert sql_params()[f"text_{code}"].format(*text.fields) == text(**{f: f for f in text.fields})


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            lambda db: db.execute(  # a contact logged without a note (before notes were required)
                "insert into contact_log (customer_no, contacted_on, channel) values ('C1', $d, 'visit')",
                {"d": ago(1)},
            ),
            "contacted by hand: visit on 2026-11-27, less than 7 days ago",
        ),
        (
            lambda db: log_contact(db, "C1", ago(2), "phone", "promised to look"),
            "contacted by hand: phone on 2026-11-26 (promised to look), less than 7 days ago",
        ),
        (
            lambda db: add_agreement(db, "C1", ago(5), AS_OF + dt.timedelta(days=20), "payment plan"),
            "agreement of 2026-11-23 valid until 2026-12-18: payment plan",
        ),
        (
            lambda db: overdue(db, promised_pay_date=AS_OF + dt.timedelta(days=5)),
            "promised to pay by 2026-12-03; no reminder before then",
        ),
        (
            lambda db: db.execute(
                "update ledger_entries set amount = 9.99, remaining_amount = 9.99,"
                " amount_lcy = 9.99, remaining_amount_lcy = 9.99"
            ),  # fmt: skip
            "net overdue amount 9.99 EUR after credits is below the minimum of 10.00 EUR",
        ),
        (
            lambda db: (
                [overdue(db, days=20 + n, dispute_status="Damaged", document_no=f"X{n}") for n in range(4)]
                and db.execute("update ledger_entries set on_hold = 'HLD' where document_no not like 'X%'")
            ),
            "nothing can be reminded: X3 disputed (Damaged); X2 disputed (Damaged); X1 disputed (Damaged);"
            " and 2 more",
        ),
    ],
)
def test_skip_reasons_read_as_they_always_did(db, make, expected):
    customer(db)
    overdue(db)
    make(db)
    assert reason(run(db)) == expected


def test_an_entry_on_a_reminder_awaiting_sending_is_named(db):
    customer(db)
    customer(db, "C2")
    moved = overdue(db, document_no="MOVED")
    propose(db, ProposalOptions(as_of=AS_OF))
    rid = db.scalar("select reminder_id from reminder_headers")
    db.execute("update reminder_headers set status = 'approved'")
    db.execute("update ledger_entries set customer_no = 'C2' where entry_no = $e", {"e": moved})
    assert reason(run(db, customer_nos=("C2",)), "C2") == (
        f"nothing can be reminded: MOVED on reminder {rid} awaiting sending"
    )
