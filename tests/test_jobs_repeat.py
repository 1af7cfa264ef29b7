"""Runs are safe to repeat: a run every 15 minutes for a day, then twice a day for six weeks, against a
real SMTP server on 127.0.0.1 (aiosmtpd). Each reminder is delivered once, each customer is reminded once per
level, and no fee, interest day or fixed compensation is charged twice. The clock is pinned with now=."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from email import message_from_bytes
from email.policy import default

from dunning.db import Database
from dunning.jobs.run import RunOptions, execute
from dunning.mail.settings import transport_from_env
from dunning.reminders.terms import load_terms, save_terms
from tests.jobs_setup import AUTO, CUSTOMERS, MONDAY, at, setup_runs
from tests.smtp_server import serve

QUARTERS = [at(MONDAY, 6) + dt.timedelta(minutes=15 * k) for k in range(57)]  # 06:00 to 20:00
LATER = [at(MONDAY + dt.timedelta(days=d), h, m) for d in range(1, 43) for h, m in ((9, 0), (9, 15))]


def _contractual_interest_at_every_level(db: Database) -> None:
    terms = load_terms(db, "AUTO")
    levels = tuple(
        replace(lv, interest_method="contractual", interest_rate=Decimal("8")) if lv.level_no < 3 else lv
        for lv in terms.levels
    )
    save_terms(db, replace(terms, levels=levels))


def test_runs_repeated_every_15_minutes_and_for_weeks_send_each_reminder_once_and_charge_once():
    with Database() as db, serve() as server:
        due = MONDAY - dt.timedelta(days=20)
        setup_runs(db, due=due)
        _contractual_interest_at_every_level(db)
        transport = transport_from_env(
            {"DUNNING_SMTP_HOST": server.host, "DUNNING_SMTP_PORT": str(server.port),
             "DUNNING_SMTP_SECURITY": "none"}, None,
        )  # fmt: skip
        reports = [execute(db, RunOptions(send=True, by="cron"), now=now, transport=transport)
                   for now in QUARTERS + LATER]  # fmt: skip

        assert not any(r.problems for r in reports)
        assert sum(r.count("sent") for r in reports[: len(QUARTERS)]) == len(AUTO)  # the first day: once each
        ids = Counter(
            str(message_from_bytes(m.content, policy=default)["Message-ID"]) for m in server.received
        )
        assert len(ids) == len(server.received) == sum(r.count("sent") for r in reports)
        sent = db.rows(
            "select customer_no, list(level_no order by document_date), sum(fee), count(distinct message_id)"
            " from reminder_headers where status = 'sent' group by customer_no order by customer_no"
        )
        assert [(no, levels, fee, n) for no, levels, fee, n in sent] == [
            (no, [1, 2, 3], Decimal("35.00"), 3) for no in sorted(AUTO)
        ]  # levels 2 and 3 charge 10.00 and 25.00 once; B and D are never sent anything
        assert {
            no for (no,) in db.rows("select customer_no from reminder_headers where status = 'draft'")
        } == (set(CUSTOMERS) - AUTO)
        for no in sorted(AUTO):
            lines = db.rows(
                "select level_no, interest, interest_from, interest_to, compensation from issued_lines"
                " where customer_no = $c order by issued_on",
                {"c": no},
            )
            assert [lv for lv, *_ in lines] == [1, 2, 3]
            periods = [(start, end) for _, interest, start, end, _ in lines if interest > 0]
            # A and E: contractual interest at levels 1 and 2, statutory at 3; C (default terms) only at 3
            assert len(periods) == (1 if no == "C" else 3)
            assert periods[0][0] == due + dt.timedelta(days=1) and periods[-1][1] == lines[-1][3]
            for (_, end), (start, _) in zip(periods, periods[1:], strict=False):
                assert start == end + dt.timedelta(days=1), f"{no}: interest days charged twice or skipped"
            assert [c for *_, c in lines if c > 0] == [Decimal("40.00")]  # the compensation, once
