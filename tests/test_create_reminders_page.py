"""The Create reminders page: options in, drafts and the skipped list with reasons out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dunning.db import Database
from tests.conftest import AS_OF, ROOT

PAGE = str(ROOT / "pages" / "create_reminders.py")


def start(**state: object) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["cr_as_of"] = AS_OF
    at.session_state["cr_posting"] = AS_OF
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def create(at: AppTest) -> AppTest:
    at.button(key="cr_run").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def counts(at: AppTest) -> tuple[int, int, int]:
    return tuple(int(m.value.replace(",", "")) for m in at.metric)  # type: ignore[return-value]


def test_nothing_is_proposed_before_the_button(app_db: Path) -> None:
    at = start()
    assert len(at.dataframe) == 0 and len(at.metric) == 0
    with Database(app_db) as db:
        assert db.scalar("select count(*) from reminder_headers where status = 'draft'") == 0


def test_creates_drafts_and_lists_skips_with_reasons(app_db: Path) -> None:
    at = create(start())
    drafts, lines, skipped = counts(at)
    assert drafts > 0 and lines >= drafts and skipped > 0
    shown, skips = at.dataframe[0].value, at.dataframe[1].value
    assert len(shown) == drafts and len(skips) == skipped
    assert {"customer_no", "level", "currency", "lines", "fee", "interest", "total", "to", "cc"} <= set(
        shown.columns
    )
    assert skips["reason"].str.len().min() > 0
    with Database(app_db) as db:
        rows = db.rows(
            "select h.total, h.fee, h.interest, sum(l.remaining_amount) filter (where l.kind in ('overdue', 'credit'))"
            " from reminder_headers h join reminder_lines l using (reminder_id) where h.status = 'draft' group by all"
        )
    assert len(rows) == drafts
    assert all(total == fee + interest + lines_sum for total, fee, interest, lines_sum in rows)
    assert sum(r[0] for r in rows) == sum(shown["total"], Decimal("0"))


def test_customer_filter_and_rerun_replace_drafts(app_db: Path) -> None:
    at = create(start())
    first = at.dataframe[0].value
    customer = first["customer_no"].iloc[0]
    at.text_input(key="cr_customers").input(customer)
    create(at)
    assert list(at.dataframe[0].value["customer_no"]) == [customer]
    with Database(app_db) as db:  # the other customers' drafts of the first run are still there, once each
        assert db.scalar("select count(*) from reminder_headers where status = 'draft'") == len(first)


def test_grace_override_holds_back_level_one(app_db: Path) -> None:
    base = counts(create(start()))[0]
    at = create(start(cr_override_grace=True, cr_grace=60))
    assert counts(at)[0] < base


def test_information_lines_do_not_change_totals(app_db: Path) -> None:
    plain = create(start()).dataframe[0].value
    at = create(start(cr_on_hold=True, cr_not_due=True))
    listed = at.dataframe[0].value
    assert list(listed["total"]) == list(plain["total"])
    with Database(app_db) as db:
        kinds = {k for (k,) in db.rows("select distinct kind from reminder_lines")}
    assert "not_due" in kinds


def test_bad_grace_days_are_impossible_and_dates_default_to_today(app_db: Path) -> None:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception
    assert at.date_input(key="cr_as_of").value == dt.date.today()
    assert at.number_input(key="cr_grace").disabled
