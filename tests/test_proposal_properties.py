"""Rules that must hold on any ledger (hypothesis): generated customers, contacts and entries, proposals run
and issued over several rounds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dunning.db import Database
from dunning.reminders import issued
from dunning.reminders.proposal import ProposalOptions, propose, run_json
from tests.ledger import ALL_ROLES

AS_OF = dt.date(2026, 11, 28)
ROLES = ALL_ROLES
METHODS = ("none", "contractual", "eu_statutory", "de_statutory", "uk_statutory")
TABLES = (
    "reminder_lines",
    "reminder_headers",
    "proposal_skips",
    "proposal_runs",
    "contact_log",
    "agreements",
    "ledger_entries",
    "contacts",
    "customers",
)

entry = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["invoice"] * 6 + ["credit_memo", "payment"]),
        "cents": st.integers(1, 500_000),
        "paid": st.sampled_from(["none", "none", "part", "full"]),
        "days": st.integers(-20, 120),
        "level": st.integers(0, 4),
        "since": st.integers(0, 40),
        "flag": st.sampled_from([None] * 8 + ["hold", "dispute", "promise_ahead", "promise_broken"]),
        "currency": st.sampled_from(["EUR", "EUR", "GBP"]),
    }
)
customer = st.fixed_dictionaries(
    {"roles": st.sets(st.sampled_from(ROLES)), "entries": st.lists(entry, min_size=0, max_size=7)}
)
ledger = st.fixed_dictionaries(
    {
        "customers": st.lists(customer, min_size=1, max_size=4),
        "after_last_level": st.sampled_from(["repeat", "stop"]),
        "max_reminders": st.sampled_from([None, 2, 3, 5]),
        "rounds": st.lists(
            st.fixed_dictionaries(
                {
                    "gap": st.integers(1, 20),
                    # entries moved to another customer before the run (a re-import rewrote customer_no)
                    "moves": st.lists(st.tuples(st.integers(0, 40), st.integers(0, 3)), max_size=2),
                    # run for one customer only: the one the last entry moved to (else C0)
                    "scope": st.booleans(),
                    "send": st.sampled_from([True, False, False]),  # issue the drafts, or leave them open
                }
            ),
            min_size=1,
            max_size=3,
        ),
        # the interest method of levels 1, 2, 3
        "methods": st.tuples(*[st.sampled_from(METHODS)] * 3),
        "only_overdue": st.booleans(),
        "use_header_level": st.booleans(),
        "include_on_hold": st.booleans(),
    }
)


@pytest.fixture(scope="module")
def mdb() -> Iterator[Database]:
    with Database(":memory:") as d:
        yield d


def load(db: Database, data: dict[str, Any]) -> None:
    for t in TABLES:
        db.execute(f"delete from {t}")  # noqa: S608 - fixed names
    db.execute(
        "update reminder_terms set after_last_level = $a, max_reminders = $m where code = 'DEFAULT'",
        {"a": data["after_last_level"], "m": data["max_reminders"]},
    )
    for n, method in enumerate(data["methods"], start=1):
        db.execute(
            "update reminder_levels set interest_method = $m, interest_rate = $r"
            " where terms_code = 'DEFAULT' and level_no = $n",
            {"m": method, "r": D("9.5") if method == "contractual" else None, "n": n},
        )
    no = 0
    for c, cust in enumerate(data["customers"]):
        cno = f"C{c}"
        db.execute("insert into customers (customer_no, name) values ($c, $c)", {"c": cno})
        for role in sorted(cust["roles"]):
            db.execute(
                "insert into contacts (customer_no, name, email, role) values ($c, $r, $e, $r)",
                {"c": cno, "r": role, "e": f"{role}@{cno}.example"},
            )
        for e in cust["entries"]:
            no += 1
            sign = 1 if e["kind"] == "invoice" else -1
            amount = D(e["cents"]) / 100 * sign
            remaining = {"none": amount, "part": (amount / 2).quantize(D("0.01")), "full": D("0.00")}[
                e["paid"]
            ]
            level = e["level"] if e["kind"] == "invoice" and e["days"] > 0 else 0
            due = AS_OF - dt.timedelta(days=e["days"])
            flag = e["flag"]
            db.execute(
                "insert into ledger_entries (entry_no, customer_no, document_type, document_no, currency,"
                " posting_date, document_date, due_date, amount, remaining_amount, amount_lcy,"
                " remaining_amount_lcy, closed_at, on_hold, dispute_status, promised_pay_date,"
                " last_reminder_level, last_reminder_date) values ($n, $c, $k, 'D' || $n, $cur, $p, $p, $due,"
                " $a, $r, $a, $r, $closed, $hold, $disp, $promise, $lvl, $last)",
                {
                    "n": no,
                    "c": cno,
                    "k": e["kind"],
                    "cur": e["currency"],
                    "p": due - dt.timedelta(days=30),
                    "due": due,
                    "a": amount,
                    "r": remaining,
                    "closed": AS_OF if e["paid"] == "full" else None,
                    "hold": "HLD" if flag == "hold" else None,
                    "disp": "Damaged" if flag == "dispute" else None,
                    "promise": {
                        "promise_ahead": AS_OF + dt.timedelta(days=5),
                        "promise_broken": AS_OF - dt.timedelta(days=5),
                    }.get(flag),
                    "lvl": level,
                    "last": AS_OF - dt.timedelta(days=e["since"]) if level else None,
                },
            )


SENT_SNAPSHOT = (
    "select h.*, l.* from reminder_headers h"
    " left join reminder_lines l using (reminder_id) where h.status = 'sent' order by all"
)


def issue(db: Database, on: dt.date) -> None:
    """Send every draft through the API sending calls once the mail server accepted the message."""
    ids = [r for (r,) in db.rows("select reminder_id from reminder_headers where status = 'draft'")]
    issued.issue(db, ids, on, "hypothesis")


LEVELS = (  # per entry: the ERP's level or the highest issued, and the last issued reminder's deadline
    "select e.entry_no, greatest(e.last_reminder_level, coalesce(max(i.level_no), 0)) as level,"
    " arg_max(i.payment_deadline, i.issued_on) as deadline"
    " from ledger_entries e left join issued_lines i using (entry_no) group by e.entry_no, e.last_reminder_level"
)


def check_history(db: Database) -> None:
    """No day of interest is charged twice; the fixed compensation is claimed once per invoice."""
    overlaps = db.rows(
        "select a.entry_no from issued_lines a join issued_lines b"
        " on a.entry_no = b.entry_no and a.reminder_id < b.reminder_id"
        " where a.interest_from is not null and b.interest_from is not null"
        "   and a.interest_from <= b.interest_to and b.interest_from <= a.interest_to"
    )
    assert overlaps == []
    twice = db.rows(
        "select entry_no from issued_lines where compensation > 0 group by all having count(*) > 1"
    )
    assert twice == []
    # a period is charged only over days overdue, ending on its reminder's date
    bad = db.rows(
        "select i.entry_no from issued_lines i join ledger_entries e using (entry_no)"
        " where i.interest_from is not null"
        "   and (i.interest_from <= e.due_date or i.interest_to <> i.issued_on or i.interest_from > i.interest_to)"
    )
    assert bad == []


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=ledger)
def test_proposal_rules_hold_on_any_ledger(mdb, data):
    db = mdb
    load(db, data)
    as_of = AS_OF
    n_customers = len(data["customers"])
    entry_nos = [n for (n,) in db.rows("select entry_no from ledger_entries order by 1")]
    first = {"gap": 0, "moves": [], "scope": False, "send": False}
    for rnd in [first, *data["rounds"]]:
        as_of += dt.timedelta(days=rnd["gap"])
        for e, c in rnd["moves"] if entry_nos else ():
            db.execute(
                "update ledger_entries set customer_no = $c where entry_no = $e",
                {"c": f"C{c % n_customers}", "e": entry_nos[e % len(entry_nos)]},
            )
        target = rnd["moves"][-1][1] % n_customers if rnd["moves"] else 0
        scope = (f"C{target}",) if rnd["scope"] else ()
        history = {n: (lvl, deadline) for n, lvl, deadline in db.rows(LEVELS)}
        before = {n: lvl for n, (lvl, _) in history.items()}
        sent_before = db.rows(SENT_SNAPSHOT)
        options = ProposalOptions(
            as_of=as_of,
            customer_nos=scope,
            only_overdue=data["only_overdue"],
            use_header_level=data["use_header_level"],
            include_on_hold=data["include_on_hold"],
        )
        run = propose(db, options)
        result = run_json(db, run.run_id)
        # a run never touches what was sent
        assert db.rows(SENT_SNAPSHOT) == sent_before
        lines = db.records(
            "select l.*, e.remaining_amount as ledger_remaining, e.on_hold, e.dispute_status, h.customer_no"
            " from reminder_lines l join reminder_headers h using (reminder_id) join ledger_entries e using (entry_no)"
            " where h.run_id = $r",
            {"r": run.run_id},
        )
        for line in lines:
            # no fully paid entry is ever on a draft
            assert line["ledger_remaining"] != 0
            if line["kind"] == "overdue":
                # on-hold and disputed entries never trigger, nor are they reminded
                assert not line["on_hold"] and not line["dispute_status"]
                # a level never rises by more than one per issued reminder, never passes the maximum
                assert 1 <= line["level_no"] <= min(3, before[line["entry_no"]] + 1)
                # a level never rises before the previous reminder's payment deadline has passed
                level, deadline = history[line["entry_no"]]
                if line["level_no"] > level and deadline is not None:
                    assert as_of > deadline
                # interest only for days no issued reminder charged; compensation once per invoice
                if line["interest_from"] is not None:
                    charged = db.scalar(
                        "select count(*) from issued_lines where entry_no = $e and interest_to >= $f",
                        {"e": line["entry_no"], "f": line["interest_from"]},
                    )
                    assert charged == 0 and line["interest_to"] == as_of
                if line["compensation"] > 0:
                    assert not db.scalar(
                        "select count(*) from issued_lines where entry_no = $e and compensation > 0",
                        {"e": line["entry_no"]},
                    )
        # an entry is on one open draft at most
        open_entries = db.rows(
            "select entry_no from reminder_lines l join reminder_headers h using (reminder_id)"
            " where h.status = 'draft' group by all having count(*) > 1"
        )
        assert open_entries == []
        # each total equals lines plus fee plus interest to the cent; never a reminder without a recipient
        for r in result["reminders"]:
            assert sum(D(x["remaining_amount"]) for x in r["lines"]) + D(r["fee"]) + D(r["interest"]) == D(
                r["total"]
            )
            assert D(r["total"]) > 0 and r["to"]
        # every customer with overdue entries is drafted or skipped with its reason
        overdue = {
            c
            for (c,) in db.rows(
                "select distinct customer_no from open_entries($d) where open_amount > 0 and days_overdue > 0",
                {"d": as_of},
            )
            if not scope or c in scope
        }
        drafted = {r["customer_no"] for r in result["reminders"]}
        skipped = {s["customer_no"] for s in result["skipped"] if s["reason"]}
        assert overdue <= drafted | skipped
        # a customer whose overdue entries are all held or disputed is never reminded
        held_only = {
            c
            for (c,) in db.rows(
                "select customer_no from open_entries($d) where open_amount > 0 and days_overdue > 0 group by all"
                " having bool_and(coalesce(on_hold, '') <> '' or coalesce(dispute_status, '') <> '')",
                {"d": as_of},
            )
        }
        assert not (held_only & drafted)
        if rnd["send"]:
            issue(db, as_of)
            check_history(db)
