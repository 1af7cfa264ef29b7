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
    # the metric counts customers; the list has a row per customer and currency
    assert len(shown) == drafts and skips["customer_no"].nunique() == skipped <= len(skips)
    assert {
        "customer_no", "level", "currency", "lines", "fee", "interest", "total", "to", "cc", "note",
        "payment_deadline",
    } <= set(shown.columns)  # fmt: skip
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


def test_selecting_a_draft_shows_its_lines(app_db: Path) -> None:
    at = create(start())
    assert len(at.dataframe) == 2  # drafts and skipped; no lines before a draft is selected
    drafts = at.dataframe[0].value
    at.session_state["cr_drafts"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    assert len(at.dataframe) == 3
    lines = at.dataframe[1].value
    assert list(lines.columns) == [
        "kind", "document_type", "document_no", "due_date", "days_overdue", "remaining", "level", "interest",
    ]  # fmt: skip
    assert len(lines) >= int(drafts["lines"].iloc[0])
    assert drafts["customer_no"].iloc[0] in at.subheader[1].value


def test_a_typo_in_a_customer_list_is_named_and_an_empty_scope_says_so(app_db: Path) -> None:
    at = start()
    at.text_input(key="cr_customers").input("C0001, C0001X9").run()
    at.button(key="cr_run").click().run()
    assert any("C0001X9 do not exist" in e.value for e in at.error), [e.value for e in at.error]
    at.text_input(key="cr_customers").input("no such customer anywhere")
    create(at)
    assert [w.value for w in at.warning] == [
        "no customer matches the filter; nothing was proposed ('no such customer anywhere')"
    ]
    assert counts(at) == (0, 0, 0)


def test_dates_are_shown_as_iso_dates(app_db: Path) -> None:
    at = start()
    assert at.date_input(key="cr_as_of").proto.format == "YYYY/MM/DD".replace("/", "-")
