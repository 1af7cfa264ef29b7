"""Review of drafts: include, recipients, waivers, level changes and deletion with a reason, totals exact."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dunning.db import Database
from dunning.errors import BadInput
from dunning.reminders import review
from dunning.reminders.issued import issue
from dunning.reminders.proposal import ProposalOptions, propose
from tests.ledger import add_entry, add_reachable_customer

AS_OF = dt.date(2026, 11, 28)


def ago(days: int) -> dt.date:
    return AS_OF - dt.timedelta(days=days)


def final_level_draft(db: Database, no: str = "C1") -> int:
    """A level 3 draft (DEFAULT terms: fee 25 EUR, EU statutory interest and 40 EUR compensation) of two
    invoices and a credit memo."""
    add_reachable_customer(db, no)
    add_entry(db, no, due=ago(58), amount="200.00", last_reminder_level=2, last_reminder_date=ago(14))
    add_entry(db, no, due=ago(40), amount="300.00", last_reminder_level=2, last_reminder_date=ago(14))
    add_entry(db, no, due=ago(5), amount="-50.00", document_type="credit_memo")
    propose(db, ProposalOptions(as_of=AS_OF))
    rid = db.scalar("select reminder_id from reminder_headers where customer_no = $c", {"c": no})
    assert rid is not None
    return int(rid)


def header(db: Database, rid: int) -> dict[str, Any]:
    found = db.records("select * from reminder_headers where reminder_id = $r", {"r": rid})
    assert len(found) == 1
    return found[0]


def reconciles(db: Database, rid: int) -> dict[str, Any]:
    """total = overdue lines + credit lines + fee + interest, and the header's fee and interest are its
    lines' (per-line fees within the header fee), to the cent."""
    h = header(db, rid)
    lines, charges, line_fees = db.one(
        "select coalesce(sum(remaining_amount) filter (where kind in ('overdue', 'credit')), 0),"
        " coalesce(sum(interest + compensation), 0), coalesce(sum(fee), 0) from reminder_lines"
        " where reminder_id = $r",
        {"r": rid},
    ) or (None, None, None)
    assert h["overdue_amount"] + h["credits_amount"] == lines
    assert h["interest"] == charges
    assert h["total"] == lines + h["fee"] + h["interest"]
    assert h["fee"] >= line_fees
    return h


def snapshot(db: Database) -> list[Any]:
    return [
        db.rows("select * from reminder_headers order by reminder_id"),
        db.rows("select * from reminder_lines order by reminder_id, line_no"),
        db.rows("select * from agreements"),
        db.rows("select * from contact_log"),
    ]


# -- inclusion and recipients ------------------------------------------------------------------------------
def test_a_draft_left_out_stays_a_draft(db):
    rid = final_level_draft(db)
    assert header(db, rid)["included"] is True
    review.set_included(db, rid, False)
    h = header(db, rid)
    assert (h["included"], h["status"]) == (False, "draft")
    review.set_included(db, rid, True)
    assert header(db, rid)["included"] is True


def test_recipients_are_set_deduplicated_and_cc_drops_to(db):
    rid = final_level_draft(db)
    review.set_recipients(db, rid, ["ap@c1.example", "ap@c1.example"], ["boss@c1.example", "ap@c1.example"])
    h = header(db, rid)
    assert (h["to_emails"], h["cc_emails"], h["recipients_edited"]) == (
        ["ap@c1.example"],
        ["boss@c1.example"],
        True,
    )


@pytest.mark.parametrize(
    ("to", "cc", "named"),
    [
        (["ap@c1.example", "not an address"], [], "'not an address'"),
        (["ap@c1.example"], ["x@c1.example\r\nBcc: evil@x.example"], "line break"),
        (["Ann <ann@c1.example>"], [], "'Ann <ann@c1.example>'"),
        (["ann@localhost"], [], "'ann@localhost'"),
        (["ann@c1.example "], [], "'ann@c1.example '"),
        ([], ["cc@c1.example"], "no To address"),
    ],
)
def test_a_bad_address_is_named_and_nothing_changes(db, to, cc, named):
    rid = final_level_draft(db)
    before = snapshot(db)
    number = header(db, rid)["reminder_no"]
    with pytest.raises(BadInput) as err:
        review.set_recipients(db, rid, to, cc)
    assert named in str(err.value) and f"reminder {number} (customer C1, EUR)" in str(err.value)
    assert snapshot(db) == before


def test_parse_addresses_splits_on_commas_and_semicolons():
    assert review.parse_addresses(" a@x.example,b@y.example; c@z.example  ,") == [
        "a@x.example",
        "b@y.example",
        "c@z.example",
    ]
    assert review.parse_addresses("not an address") == ["not an address"]
    assert review.parse_addresses("") == []


# -- waivers -------------------------------------------------------------------------------------------------
def test_waiving_the_fee_and_restoring_it(db):
    rid = final_level_draft(db)
    proposed = reconciles(db, rid)
    assert proposed["fee"] == D("25.00")
    review.waive_fee(db, rid, True)
    waived = reconciles(db, rid)
    assert (waived["fee"], waived["fee_waived"]) == (D("0.00"), True)
    assert waived["total"] == proposed["total"] - D("25.00")
    review.waive_fee(db, rid, True)  # twice: still the proposed fee kept
    review.waive_fee(db, rid, False)
    restored = reconciles(db, rid)
    assert (restored["fee"], restored["total"], restored["fee_waived"]) == (
        proposed["fee"],
        proposed["total"],
        False,
    )


def test_waiving_per_line_fees_too(db):
    db.execute(
        "update reminder_level_fees set fee_per_line = 2.50 where terms_code = 'DEFAULT' and level_no = 3"
    )
    rid = final_level_draft(db)
    proposed = reconciles(db, rid)
    assert proposed["fee"] == D("30.00")  # 25 + 2 lines x 2.50
    review.waive_fee(db, rid, True)
    assert reconciles(db, rid)["fee"] == 0
    assert db.scalar("select sum(fee) from reminder_lines where reminder_id = $r", {"r": rid}) == 0
    review.waive_fee(db, rid, False)
    assert reconciles(db, rid)["fee"] == D("30.00")


def test_waiving_interest_per_draft_and_per_line(db):
    rid = final_level_draft(db)
    proposed = reconciles(db, rid)
    lines = db.rows(
        "select entry_no, interest, compensation from reminder_lines where reminder_id = $r and kind = 'overdue'"
        " order by line_no",
        {"r": rid},
    )
    assert all(i > 0 and c == D("40.00") for _, i, c in lines)
    first, i1, c1 = lines[0]
    review.waive_interest(db, rid, True, entry_no=first)
    one = reconciles(db, rid)
    assert one["interest"] == proposed["interest"] - i1 - c1
    review.waive_interest(db, rid, True)
    assert reconciles(db, rid)["interest"] == 0
    review.waive_interest(db, rid, False, entry_no=first)
    assert reconciles(db, rid)["interest"] == i1 + c1
    review.waive_interest(db, rid, False)
    assert reconciles(db, rid)["total"] == proposed["total"]


def test_waiving_interest_on_a_line_not_on_the_draft_is_named(db):
    rid = final_level_draft(db)
    before = snapshot(db)
    with pytest.raises(
        BadInput, match=r"reminder R\d+ \(customer C1, EUR\) has no overdue line for entry 999999"
    ):
        review.waive_interest(db, rid, True, entry_no=999999)
    assert snapshot(db) == before


def test_waived_interest_is_no_charged_period_so_a_later_reminder_can_charge_it(db):
    rid = final_level_draft(db)
    first = db.scalar(
        "select entry_no from reminder_lines where reminder_id = $r and kind = 'overdue' order by line_no limit 1",
        {"r": rid},
    )
    review.waive_interest(db, rid, True, entry_no=first)
    issue(db, [rid], AS_OF)
    waived, charged = db.rows(
        "select interest, compensation, interest_from, interest_to from issued_lines where reminder_id = $r"
        " order by entry_no <> $e",
        {"r": rid, "e": first},
    )
    assert waived == (D("0.00"), D("0.00"), None, None)
    assert charged[0] > 0 and charged[2] is not None and charged[3] == AS_OF


# -- level ---------------------------------------------------------------------------------------------------
def test_changing_the_level_recomputes_lines_fee_and_interest(db):
    rid = final_level_draft(db)
    number = header(db, rid)["reminder_no"]
    review.set_included(db, rid, False)
    review.change_level(db, rid, 2)
    two = reconciles(db, rid)
    # level 2 of DEFAULT: fee 10 EUR, no interest; the draft keeps its number and run, and stays left out
    assert (two["level_no"], two["fee"], two["interest"], two["reminder_no"], two["included"]) == (
        2,
        D("10.00"),
        D("0.00"),
        number,
        False,
    )
    assert {
        r[0]
        for r in db.rows(
            "select level_no from reminder_lines where reminder_id = $r and kind = 'overdue'", {"r": rid}
        )
    } == {2}
    review.change_level(db, rid, 3)
    three = reconciles(db, rid)
    assert (three["level_no"], three["fee"]) == (3, D("25.00")) and three["interest"] > D("80.00")
    assert db.scalar("select count(*) from reminder_headers") == 1


def test_a_level_change_keeps_waivers_and_hand_set_recipients(db):
    rid = final_level_draft(db)
    review.set_recipients(db, rid, ["me@c1.example"], [])
    review.waive_fee(db, rid, True)
    review.change_level(db, rid, 2)
    h = reconciles(db, rid)
    assert (h["fee"], h["fee_waived"], h["proposed_fee"], h["to_emails"]) == (
        D("0.00"),
        True,
        D("10.00"),
        ["me@c1.example"],
    )
    review.waive_fee(db, rid, False)
    assert reconciles(db, rid)["fee"] == D("10.00")


def test_a_level_change_takes_the_levels_recipients_unless_set_by_hand(db):
    rid = final_level_draft(db)
    assert header(db, rid)["to_emails"] == ["finance_manager@c1.example"]  # level 3's role
    review.change_level(db, rid, 1)
    assert header(db, rid)["to_emails"] == ["accounts_payable@c1.example"]  # level 1's role


@pytest.mark.parametrize("level", [0, 4, -1])
def test_a_level_outside_the_terms_is_refused_naming_the_valid_ones(db, level):
    rid = final_level_draft(db)
    before = snapshot(db)
    with pytest.raises(
        BadInput, match=rf"level {level} is not a level of the terms DEFAULT; choose one of 1, 2, 3"
    ):
        review.change_level(db, rid, level)
    assert snapshot(db) == before


def test_a_level_change_the_proposal_now_refuses_is_named_and_changes_nothing(db):
    rid = final_level_draft(db)
    db.execute("update ledger_entries set dispute_status = 'quality' where customer_no = 'C1'")
    before = snapshot(db)
    with pytest.raises(
        BadInput,
        match=r"reminder R\d+ \(customer C1, EUR\) cannot be drafted at level 2: nothing can be reminded: D\d+ disputed",
    ):
        review.change_level(db, rid, 2)
    assert snapshot(db) == before


def test_a_level_change_leaves_other_drafts_alone(db):
    rid = final_level_draft(db)
    add_entry(db, "C1", due=ago(30), amount="70.00", currency="USD")
    propose(db, ProposalOptions(as_of=AS_OF, customer_nos=("C1",)))
    rid = db.scalar("select reminder_id from reminder_headers where currency = 'EUR'")
    usd = db.rows("select * from reminder_headers where currency = 'USD'")
    assert len(usd) == 1
    review.change_level(db, rid, 1)
    assert db.rows("select * from reminder_headers where currency = 'USD'") == usd
    assert header(db, rid)["level_no"] == 1


def test_only_a_draft_can_be_changed(db):
    rid = final_level_draft(db)
    issue(db, [rid], AS_OF)
    with pytest.raises(BadInput, match=r"is sent; only a draft can be changed"):
        review.waive_fee(db, rid, True)
    with pytest.raises(BadInput, match="reminder 424242 does not exist"):
        review.set_included(db, 424242, False)


@hsettings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("fee"), st.booleans()),
            st.tuples(st.just("interest"), st.booleans(), st.sampled_from([None, 0, 1])),
            st.tuples(st.just("level"), st.sampled_from([1, 2, 3])),
        ),
        max_size=8,
    )
)
def test_totals_reconcile_after_any_sequence_of_changes(steps):
    with Database(":memory:") as db:
        db.execute("update reminder_level_fees set fee_per_line = 1.25 where terms_code = 'DEFAULT'")
        rid = final_level_draft(db)
        for step in steps:
            if step[0] == "fee":
                review.waive_fee(db, rid, step[1])
            elif step[0] == "interest":
                entries = [r[0] for r in db.rows(
                    "select entry_no from reminder_lines where reminder_id = $r and kind = 'overdue'"
                    " order by line_no", {"r": rid})]  # fmt: skip
                review.waive_interest(db, rid, step[1], None if step[2] is None else entries[step[2]])
            else:
                review.change_level(db, rid, step[1])
            h = reconciles(db, rid)
            assert (h["fee"] == 0) or not h["fee_waived"]
        # everything restored: the proposal's figures at the draft's level
        review.waive_fee(db, rid, False)
        review.waive_interest(db, rid, False)
        level = header(db, rid)["level_no"]
        got = reconciles(db, rid)
        propose(db, ProposalOptions(as_of=AS_OF, forced_levels=(("C1", "EUR", level),)))
        fresh = db.one("select fee, interest, total from reminder_headers")
        assert (got["fee"], got["interest"], got["total"]) == fresh


# -- deletion ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("reason", ["agreement", "promise"])
def test_deleting_with_an_agreement_holds_the_customer_until_the_date(db, reason):
    rid = final_level_draft(db)
    until = AS_OF + dt.timedelta(days=14)
    review.delete_draft(db, rid, reason, "pays in two parts", until, by="ann")
    assert db.scalar("select count(*) from reminder_headers") == 0
    assert db.scalar("select count(*) from reminder_lines") == 0
    agreed = db.one("select customer_no, agreed_on, valid_until, note, created_by from agreements")
    assert agreed is not None and agreed[:3] == ("C1", AS_OF, until) and agreed[4] == "ann"
    assert "pays in two parts" in agreed[3]
    for day in (AS_OF, until):
        propose(db, ProposalOptions(as_of=day))
        assert db.scalar("select count(*) from reminder_headers where customer_no = 'C1'") == 0, day
    propose(db, ProposalOptions(as_of=until + dt.timedelta(days=1)))
    assert db.scalar("select count(*) from reminder_headers where customer_no = 'C1'") == 1


def test_deleting_for_another_reason_logs_it_for_the_customer(db):
    rid = final_level_draft(db)
    number = header(db, rid)["reminder_no"]
    review.delete_draft(db, rid, "other", "customer is in administration", by="ann", today=AS_OF)
    assert db.scalar("select count(*) from reminder_headers") == 0
    logged = db.one("select customer_no, contacted_on, note, created_by from contact_log")
    assert logged == (
        "C1",
        AS_OF,
        f"reminder {number} deleted in review: customer is in administration",
        "ann",
    )


@pytest.mark.parametrize(
    ("reason", "note", "until", "message"),
    [
        ("other", "  ", None, "write a note saying why"),
        ("agreement", "x", None, "give the date the agreement reached runs until"),
        ("promise", "x", AS_OF - dt.timedelta(days=1), "ends before the reminder's date"),
        ("moved", "x", None, "reason 'moved' is unknown"),
    ],
)
def test_a_deletion_without_a_proper_reason_changes_nothing(db, reason, note, until, message):
    rid = final_level_draft(db)
    before = snapshot(db)
    with pytest.raises(BadInput, match=message):
        review.delete_draft(db, rid, reason, note, until)
    assert snapshot(db) == before
