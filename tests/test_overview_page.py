"""The overview page driven by AppTest against a copy of the sample database (as of 2026-11-28)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from dunning.aging import overview
from dunning.aging.as_of import year_after
from dunning.aging.report import AgingFilter, aging
from dunning.db import Database
from dunning.documents import export
from dunning.ui import frames
from dunning.ui.markdown import literal
from tests.conftest import AS_OF, ROOT
from tests.ledger import add_customer, add_entry

APP = str(ROOT / "app.py")
PAGE = str(ROOT / "pages" / "overview.py")


def start(script: str = APP, as_of: dt.date = AS_OF) -> AppTest:
    at = AppTest.from_file(script, default_timeout=60)
    at.session_state["ov_as_of"] = as_of
    at.run()
    assert not at.exception, at.exception
    return at


def tile_counts(at: AppTest) -> list[str]:
    return [at.button(key=f"tile_{i}").label for i in range(7)]


def metric(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_tiles_show_the_sample_aging(app_db: Path) -> None:
    at = start()
    assert tile_counts(at)[:3] == ["519 invoices", "25 invoices", "41 invoices"]
    assert tile_counts(at)[3:] == ["33 invoices", "22 invoices", "12 invoices", "8 invoices"]
    with Database(app_db) as db:
        report = aging(db, AS_OF)
    tiles = {m.label: m.value for m in at.metric}
    for b in report.buckets:
        assert tiles[literal(b.label)] == f"{b.amount_lcy:,.2f}"  # amount with thousands separators and cents
    assert metric(at, "Open receivables") == f"{report.open_amount_lcy:,.2f}"
    assert metric(at, "Overdue") == f"{report.overdue_amount_lcy:,.2f}"
    assert metric(at, "DSO").endswith("days")
    assert metric(at, "More than 90").endswith("%")
    assert not at.dataframe  # no list until a tile is clicked


def test_tile_click_opens_its_list(app_db: Path) -> None:
    at = start()
    at.button(key="tile_1").click().run()
    assert not at.exception
    (listing,) = at.dataframe
    assert int(listing.value["invoices"].sum()) == 25
    assert at.subheader[0].value.startswith(f"{literal('1-7')}: 25 invoices of ")  # a label stays literal
    at.button(key="tile_2").click().run()
    assert int(at.dataframe[0].value["invoices"].sum()) == 41


def test_selecting_a_customer_shows_its_invoices_and_a_link(app_db: Path) -> None:
    at = start()
    at.button(key="tile_2").click().run()
    first = at.dataframe[0].value.iloc[0]
    at.session_state["ov_list"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    invoices = at.dataframe[1].value
    assert len(invoices) == first["invoices"]
    assert set(invoices["customer_no"]) == {first["customer_no"]}
    # whom to call, whole, under the customer's name: the list's column shows only its start at 1440 px
    assert literal(first["contacts"].replace("; ", " · ")) in [c.value for c in at.caption]
    assert sum(invoices["open_amount_lcy"], Decimal("0.00")) == first["amount_lcy"]
    link = at.get("page_link")[0]
    assert link.proto.page.endswith("customer.py") or "customer" in link.proto.page
    assert f"customer={first['customer_no']}" in link.proto.query_string


@pytest.mark.parametrize(
    ("change", "flt"),
    [
        (lambda at: at.multiselect(key="ov_currencies").set_value(["GBP"]), AgingFilter(currencies=("GBP",))),
        (lambda at: at.toggle(key="ov_include_held").set_value(False), AgingFilter(include_held=False)),
        (lambda at: at.text_input(key="ov_search").input("Blanc"), AgingFilter(customer_search="Blanc")),
    ],
)
def test_filters_change_the_figures(app_db: Path, change, flt: AgingFilter) -> None:
    at = start()
    before = tile_counts(at)
    overdue_before = metric(at, "Overdue")
    change(at)
    at.run()
    assert not at.exception
    with Database(app_db) as db:
        report = aging(db, AS_OF, flt)
    assert tile_counts(at) == [f"{b.count:,} invoice{'s' * (b.count != 1)}" for b in report.buckets]
    assert tile_counts(at) != before
    assert metric(at, "Overdue") == f"{report.overdue_amount_lcy:,.2f}" != overdue_before
    at.button(key="tile_2").click().run()  # the list follows the filter too
    assert int(at.dataframe[0].value["invoices"].sum()) == report.buckets[2].count


def test_export_contains_the_listed_rows(app_db: Path) -> None:
    at = start()
    at.button(key="tile_2").click().run()
    listed = at.dataframe[0].value
    with Database(app_db) as db:
        report = aging(db, AS_OF)
        expected = overview.bucket_customers(db, AS_OF, AgingFilter(), report.buckets[2])
    assert list(listed["customer_no"]) == list(expected["customer_no"])
    # the page's download buttons call exactly these, with the listed frame
    csv_lines = export.to_csv(frames.export_frame(listed, "EUR")).decode("utf-8-sig").strip().split("\r\n")
    assert len(csv_lines) == len(expected) + 1
    assert csv_lines[0].startswith("Customer no.,Customer name,Contacts")
    assert {line.split(",")[0] for line in csv_lines[1:]} == set(expected["customer_no"])
    ws = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(frames.export_frame(listed, "EUR")))).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == len(expected) + 1
    assert sum(r[rows[0].index("Invoices")] for r in rows[1:]) == 41
    assert [b.label for b in at.get("download_button")] == ["Download CSV", "Download XLSX"]


def test_focus_on_a_top_customer_lists_its_overdue(app_db: Path) -> None:
    at = start()
    with Database(app_db) as db:
        top = overview.top_customers(db, AS_OF, AgingFilter(), limit=1)
    customer_no = str(top["customer_no"].iloc[0])
    at.session_state["ov_focus"] = customer_no  # what a click on its bar sets
    at.run()
    listing = at.dataframe[0].value
    assert list(listing["customer_no"]) == [customer_no]
    assert listing["amount_lcy"].iloc[0] == top["overdue_lcy"].iloc[0]
    at.button(key="ov_clear_focus").click().run()
    assert not at.dataframe


def test_page_runs_on_its_own(app_db: Path) -> None:
    at = start(PAGE)
    at.button(key="tile_2").click().run()
    at.session_state["ov_list"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    assert len(at.dataframe) == 2


@pytest.fixture
def hand_app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """An empty app database of the test's own, dated around today (the page's note compares with today)."""
    path = tmp_path / "hand.duckdb"
    monkeypatch.setenv("DUNNING_DB", str(path))
    with Database(path) as db:
        add_customer(db)
        yield db


def past_notes(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if "today's remaining amount" in c.value]


def test_past_figures_say_part_paid_entries_use_todays_remaining(hand_app_db: Database) -> None:
    today = dt.date.today()
    past = today - dt.timedelta(days=20)
    # open on the past date and part-paid today: 600.00 of 1000.00 remain, paid when the ledger does not say
    add_entry(hand_app_db, posting=today - dt.timedelta(days=60), due=today - dt.timedelta(days=30),
              amount="1000.00", remaining="600.00")  # fmt: skip
    at = start(as_of=past)
    assert metric(at, "Open receivables") == "600.00"
    (note,) = past_notes(at)
    assert note.startswith(f"1 entry open on {past.isoformat()} is part-paid today and counts at today's")
    assert not past_notes(start(as_of=today))  # today: today's remaining amounts are the figures


def test_past_figures_without_part_paid_entries_have_no_note(hand_app_db: Database) -> None:
    today = dt.date.today()
    past = today - dt.timedelta(days=20)
    # open in full; paid in full after the past date (counts in full on it); part-paid but posted after it
    add_entry(hand_app_db, posting=today - dt.timedelta(days=60), due=today - dt.timedelta(days=30),
              amount="300.00")  # fmt: skip
    add_entry(hand_app_db, posting=today - dt.timedelta(days=50), due=today - dt.timedelta(days=20),
              amount="200.00", remaining="0.00", closed_at=today - dt.timedelta(days=5))  # fmt: skip
    add_entry(hand_app_db, posting=today - dt.timedelta(days=10), due=today + dt.timedelta(days=20),
              amount="400.00", remaining="100.00")  # fmt: skip
    at = start(as_of=past)
    assert metric(at, "Open receivables") == "500.00"
    assert not past_notes(at)


def test_dso_shows_a_dash_without_sales(hand_app_db: Database) -> None:
    today = dt.date.today()
    # open for four years: there is a balance, but no sale in the 36 months the countback walks
    add_entry(hand_app_db, posting=today - dt.timedelta(days=4 * 365), due=today - dt.timedelta(days=4 * 365 - 30),
              amount="100.00")  # fmt: skip
    at = start(as_of=today)
    assert metric(at, "Open receivables") == "100.00"
    assert metric(at, "DSO") == "—"


def link(query: str) -> AppTest:
    """The overview opened from a link (e.g. the import page's ?as_of=...), no date picked before."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as_of"] = query
    at.run()
    assert not at.exception, at.exception
    return at


def warnings(at: AppTest) -> list[str]:
    """The warnings as the reader sees them (the page escapes the link's text for Markdown)."""
    return [w.value.replace("\\", "") for w in at.warning]


def test_a_link_with_markdown_shows_it_as_text(app_db: Path) -> None:
    # a crafted ?as_of= quoted in the note must not become a link or an image of the app's own warning
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["as_of"] = "[log in again](https://evil.example/login) ![](https://evil.example/t.png)"
    at.run()
    (raw,) = [w.value for w in at.warning]
    assert "\\[log in again\\]\\(https" in raw and "\\!\\[\\]" in raw


def test_a_link_opens_the_overview_as_of_its_date(app_db: Path) -> None:
    at = link("2026-06-30")
    with Database(app_db) as db:
        report = aging(db, dt.date(2026, 6, 30))
    assert metric(at, "Open receivables") == f"{report.open_amount_lcy:,.2f}"
    assert at.date_input(key="ov_as_of").value == dt.date(2026, 6, 30)
    assert not warnings(at)
    at.date_input(key="ov_as_of").set_value(AS_OF).run()  # a date picked after the link wins over it
    assert at.query_params["as_of"] == AS_OF.isoformat()  # the address says which date is shown
    with Database(app_db) as db:
        assert metric(at, "Open receivables") == f"{aging(db, AS_OF).open_amount_lcy:,.2f}"


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("2001-01-01", "2001-01-01 is before the ledger's first posting date, "),
        ("yesterday", "'yesterday' is not"),
    ],
)
def test_a_link_outside_the_ledger_says_so_and_which_date_is_shown(
    app_db: Path, query: str, says: str
) -> None:
    at = link(query)
    (warning,) = warnings(at)
    assert warning.startswith(says)
    assert warning.endswith(f"The figures are as of {dt.date.today().isoformat()}.")
    at.date_input(key="ov_as_of").set_value(AS_OF).run()  # picking a date answers the note
    assert not warnings(at)


def test_the_as_of_field_offers_the_ledger_first_posting_to_a_year_ahead(app_db: Path) -> None:
    at = start()
    with Database(app_db) as db:
        first = db.scalar("select min(posting_date) from ledger_entries")
    field = at.date_input(key="ov_as_of").proto  # what the browser lets the user pick
    assert (field.min, field.max) == (first.isoformat(), year_after(dt.date.today()).isoformat())
    assert first < dt.date.today() - dt.timedelta(days=365)  # the sample reaches back further than a year


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def test_a_search_that_matches_nothing_says_so_instead_of_empty_charts(app_db: Path) -> None:
    at = start()
    at.button(key="tile_2").click().run()
    at.text_input(key="ov_search").set_value("zzzz").run()
    assert not at.exception, at.exception
    assert infos(at) == [literal(f"No open invoices match 'zzzz' on {AS_OF.isoformat()}.")]
    assert not at.get("plotly_chart") and not at.dataframe  # no axes without data, no empty table
    assert metric(at, "DSO") == "—"


def test_an_empty_tile_says_what_matched_nothing(app_db: Path) -> None:
    at = start()
    at.multiselect(key="ov_currencies").set_value(["USD"]).run()
    with Database(app_db) as db:
        usd = aging(db, AS_OF, AgingFilter(currencies=("USD",)))
    empty = next(b for b in usd.buckets if b.count == 0)
    at.button(key=f"tile_{empty.position}").click().run()
    assert infos(at) == [literal(f"No open invoices in {empty.label} in USD on {AS_OF.isoformat()}.")]
    assert not at.dataframe
    assert len(at.get("plotly_chart")) == 3  # the other buckets' figures are still drawn


def test_nothing_overdue_draws_no_empty_top_customers_or_trend(hand_app_db: Database) -> None:
    today = dt.date.today()
    add_entry(hand_app_db, posting=today - dt.timedelta(days=5), due=today + dt.timedelta(days=25),
              amount="100.00")  # fmt: skip
    at = start(as_of=today)
    captions = [c.value for c in at.caption]
    assert f"Nothing is overdue on {today.isoformat()}." in captions
    assert "Nothing was overdue at any of these month ends." in captions
    assert len(at.get("plotly_chart")) == 1  # aging by currency: the invoice within terms
