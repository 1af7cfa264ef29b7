from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dunning.aging.as_of import year_after
from dunning.db import Database

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "customer.py")
AS_OF = dt.date(2026, 11, 28)


def expected_balance(path: Path, customer_no: str) -> tuple[str, str, str]:
    """Open and overdue balance straight from the ledger, formatted as the page shows them, and the currency."""
    with Database(path) as db:
        open_, overdue, cur = db.one(
            "select sum(remaining_amount), coalesce(sum(remaining_amount) filter"
            " (where due_date < $d and remaining_amount > 0), 0), any_value(currency)"
            " from ledger_entries where customer_no = $c and closed_at is null and posting_date <= $d",
            {"c": customer_no, "d": AS_OF},
        )
    assert isinstance(open_, Decimal)
    return f"{open_:,.2f}", f"{overdue:,.2f}", cur


def customers(path: Path) -> list[str]:
    with Database(path) as db:
        return [r[0] for r in db.rows("select customer_no from customers order by name, customer_no")]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def run(at: AppTest) -> AppTest:
    at.run()
    at.date_input(key="customer_as_of").set_value(AS_OF).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def at(app_db: Path) -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60)


def test_selecting_a_customer_shows_its_balance(at, app_db):
    run(at)
    first, other = customers(app_db)[0], customers(app_db)[7]
    assert at.selectbox(key="customer_select").value == first
    at.selectbox(key="customer_select").set_value(other).run()
    assert not at.exception
    open_text, overdue_text, cur = expected_balance(app_db, other)
    shown = metrics(at)
    assert shown[f"Open balance ({cur})"] == open_text
    assert shown[f"Overdue ({cur})"] == overdue_text
    assert at.query_params["customer"] == other
    assert at.subheader[0].value in at.selectbox(key="customer_select").format_func(other)


def test_query_parameter_preselects_the_customer(at, app_db):
    wanted = customers(app_db)[12]
    at.query_params["customer"] = wanted
    run(at)
    assert at.selectbox(key="customer_select").value == wanted
    open_text, _, cur = expected_balance(app_db, wanted)
    assert metrics(at)[f"Open balance ({cur})"] == open_text
    assert wanted in at.caption[0].value


def test_unknown_query_parameter_falls_back_to_the_first_customer(at, app_db):
    at.query_params["customer"] = "NO-SUCH"
    run(at)
    assert at.selectbox(key="customer_select").value == customers(app_db)[0]


def test_page_shows_tables_metrics_and_the_statement_download(at, app_db):
    wanted = customers(app_db)[3]
    at.query_params["customer"] = wanted
    run(at)
    cur = expected_balance(app_db, wanted)[2]
    assert set(metrics(at)) == {
        f"Open balance ({cur})",
        f"Overdue ({cur})",
        "Average days late",
        "Last reminder",
    }
    assert len(at.dataframe) == 5  # items, contacts, reminders sent, contact log, agreements (no balances)
    items = at.dataframe[0].value
    with Database(app_db) as db:
        open_docs = {r[0] for r in db.rows(
            "select document_no from open_entries($d) where customer_no = $c", {"d": AS_OF, "c": wanted})}  # fmt: skip
    assert set(items["document_no"]) == open_docs
    buttons = at.get("download_button")
    assert [b.label for b in buttons] == ["Statement of account (PDF)"]
    assert any("paid in the 12 months" in md.value for md in at.markdown)


def test_many_customers_are_found_by_search_first(at, app_db):
    with Database(app_db) as db:
        db.execute(
            "insert into customers (customer_no, name) select 'X' || lpad(i::varchar, 4, '0'), 'Extra ' || i"
            " from range(600) t(i)"
        )
    run(at)
    options = at.selectbox(key="customer_select").options
    assert len(options) <= 501  # the limit, plus the selected customer
    at.text_input(key="customer_search").input("X0599").run()
    assert not at.exception
    box = at.selectbox(key="customer_select")
    assert any("X0599" in o for o in box.options)
    box.set_value("X0599").run()
    assert at.subheader[0].value == "Extra 599"
    assert metrics(at)["Open balance (EUR)"] == "0.00"


def test_the_as_of_field_offers_the_ledger_first_posting_to_a_year_ahead_and_reads_a_link(at, app_db):
    # the overview's range, not Streamlit's default ten years; ?as_of= opens the page on that date
    at.query_params["as_of"] = "2026-10-31"
    at.run()
    with Database(app_db) as db:
        first = db.scalar("select min(posting_date) from ledger_entries")
    field = at.date_input(key="customer_as_of")
    assert (field.proto.min, field.proto.max) == (first.isoformat(), year_after(dt.date.today()).isoformat())
    assert field.value == dt.date(2026, 10, 31)
    assert "as of 31 Oct 2026" in " ".join(m.value for m in at.markdown)
