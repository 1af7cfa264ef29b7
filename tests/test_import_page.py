"""The import page: renders, loads the bundled example export in one click, previews it and imports it."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.ledger.imports import importer
from dunning.ledger.imports.mapping import Mapping
from dunning.ledger.imports.parsing import DateReading
from dunning.ledger.imports.readers import FORMATS
from dunning.sample.remove import remove_sample

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "import_data.py")
EXAMPLE = ROOT / "sample_data" / "bc-customer-ledger-entries-example.csv"
TAG = hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()[:12]


def shown(text: str) -> str:
    """Text as the reader sees it (the page escapes the file's name and other user text for Markdown)."""
    return text.replace("\\", "")


def problem_list(at: AppTest) -> pd.DataFrame:
    """The problems as the page lists them under the preview, one row per kind of problem and column."""
    return at.table[0].value.rename(columns=str.lower).map(shown)  # the table escapes the file's text


def _page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60).run()


def _with_example() -> AppTest:
    at = _page()
    at.button(key="import_example").click().run()
    assert not at.exception
    return at


def test_page_invites_to_choose_a_file(app_db: Path) -> None:
    at = _page()
    assert not at.exception
    assert "Choose a file" in at.info[0].value
    assert [b.key for b in at.button] == [
        "import_sample_remove",
        "import_example",
    ]  # the sample is offered away
    (uploader,) = at.get("file_uploader")
    assert sorted(uploader.proto.type) == sorted(f".{ext}" for ext in FORMATS)  # what the reader reads


def test_example_export_is_detected_and_previewed(app_db: Path) -> None:
    at = _with_example()
    assert at.selectbox(key=f"import_preset_{TAG}").value == "bc"
    dates = at.radio(key=f"import_dates_{TAG}_bc")
    assert dates.value.format == "%d.%m.%Y" and len(dates.options) == 1 and " = " in dates.options[0]
    assert at.selectbox(key=f"import_map_{TAG}_bc_amount").value == "Original Amount"
    assert at.selectbox(key=f"import_map_{TAG}_bc_entry_no").value == "(not mapped)"
    rows = at.dataframe[0].value
    assert len(rows) == 14 and rows.loc[3, "remaining_amount"] == "1480.50"
    # what a person checks first fits a 1440 px screen; columns empty on every row are left out, and said so
    assert list(rows.columns[:7]) == ["document_type", "document_no", "customer_no", "customer_name", "due_date",
                                      "amount", "remaining_amount"]  # fmt: skip
    assert "customer_language" not in rows and "2 columns empty on every row shown left out" in " ".join(
        c.value for c in at.caption
    )
    assert not at.error
    assert "All 14 rows are ready" in at.success[0].value
    assert at.button(key="import_run").disabled is False


def test_example_import_writes_entries_once(app_db: Path) -> None:
    with Database(app_db) as db:
        before = db.scalar("select count(*) from ledger_entries")
    at = _with_example()
    at.button(key="import_run").click().run()
    assert not at.exception
    assert "14 inserted, 0 updated, 0 unchanged, 5 customers created" in shown(at.success[-1].value)
    at.button(key="import_run").click().run()
    assert "0 inserted, 0 updated, 14 unchanged" in shown(at.success[-1].value)
    st_cache_clear()
    with Database(app_db) as db:
        assert db.scalar("select count(*) from ledger_entries") == before + 14
        assert (
            db.scalar("select name from customers where customer_no = 'K50000'") == "Société Générale Paris"
        )


@pytest.mark.parametrize(
    ("widget", "value", "message"),
    [
        ("map_due_date", "Customer Name", "does not read as DD.MM.YYYY"),
        ("map_customer_no", "(not mapped)", "the required field customer_no is not mapped"),
    ],
)
def test_problems_are_listed_and_block_the_import(
    app_db: Path, widget: str, value: str, message: str
) -> None:
    at = _with_example()
    at.selectbox(key=f"import_map_{TAG}_bc_{widget.removeprefix('map_')}").select(value).run()
    assert not at.exception
    assert "nothing can be imported" in at.error[0].value
    problems = problem_list(at)
    assert any(message in p for p in problems["problem"])
    assert "--" not in " ".join(problems["problem"])  # the page speaks of its controls, not of flags
    assert at.button(key="import_run").disabled is True


def test_the_problems_table_shows_the_file_s_text_literally(app_db: Path) -> None:
    # st.table renders Markdown: a value quoted in a problem (here a customer name mapped as the due date)
    # reaches it escaped, so a name written as a link stays text
    at = _with_example()
    at.selectbox(key=f"import_map_{TAG}_bc_due_date").select("Customer Name").run()
    raw = at.table[0].value
    cells = [str(v) for v in raw.to_numpy().ravel()]
    assert any("\\'" in c or "\\." in c for c in cells)  # punctuation arrives escaped


def _open_entries(path: Path) -> list[str]:
    st_cache_clear()
    with Database(path) as db:
        return sorted(
            r[0]
            for r in db.rows(
                "select document_no from ledger_entries where closed_at is null and remaining_amount <> 0"
            )
        )


def test_all_open_file_says_how_many_it_closes_and_closes_them_once_confirmed(app_db: Path) -> None:
    open_before = len(_open_entries(app_db))
    at = _with_example()
    assert not at.warning  # off by default: nothing is announced as closed
    at.checkbox(key="import_all_open").check().run()
    assert not at.exception
    assert shown(at.warning[0].value).startswith(f"{open_before:,} open entries are not in this file")
    sure = at.checkbox(key=f"import_close_sure_{TAG}_{open_before}")
    assert sure.label == f"Close {open_before:,} entries" and sure.value is False
    run = at.button(key="import_run")
    assert run.disabled is True and run.label == f"Import 14 rows and close {open_before:,} entries"
    sure.check().run()
    assert at.button(key="import_run").disabled is False
    at.button(key="import_run").click().run()
    assert not at.exception
    assert f"5 customers created, {open_before} closed" in shown(at.success[-1].value)
    paid = {"103004", "G00101"}  # closed in the file itself
    assert _open_entries(app_db) == sorted(set(importer.read_file(EXAMPLE).frame["Document No."]) - paid)


def test_all_open_import_without_the_confirmation_closes_and_writes_nothing(app_db: Path) -> None:
    before = _open_entries(app_db)
    at = _with_example()
    at.checkbox(key="import_all_open").check()
    at.button(key="import_run").click().run()  # both in one run: the box ticked as the import is clicked
    assert not at.exception and not at.success[1:]  # only "ready to import": no import summary
    assert at.button(key="import_run").disabled is True  # until "Close N entries" is ticked
    assert _open_entries(app_db) == before
    with Database(app_db) as db:
        assert db.scalar("select count(*) from import_batches") == 0


def test_a_file_that_lists_every_open_entry_asks_nothing(fresh_db: Path) -> None:
    at = _with_example()
    at.checkbox(key="import_all_open").check().run()
    assert "closes none" in at.info[0].value and not at.warning
    assert (
        at.button(key="import_run").disabled is False
        and at.button(key="import_run").label == "Import 14 rows"
    )


def test_ambiguous_dates_are_not_guessed_but_asked_for(app_db: Path) -> None:
    data = b"document_no,customer_no,due_date,amount\r\nA1,C1,01/02/2026,10.00\r\nA2,C1,03/04/2026,20.00\r\n"
    tag = hashlib.sha256(data).hexdigest()[:12]
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["import_source"] = ("us.csv", data)
    at.run()
    assert not at.exception
    dates = at.radio(key=f"import_dates_{tag}_native")
    assert dates.options == ["01/02/2026 = 1 February 2026", "01/02/2026 = 2 January 2026"]  # real dates
    assert dates.value is None  # nothing picked: the user chooses
    assert "choose how the file means them" in at.warning[0].value
    assert all(b.key != "import_run" for b in at.button)  # no import until the dates are read one way
    month_first = next(r for r in _readings(data) if r.format == "%m/%d/%Y")
    at.radio(key=f"import_dates_{tag}_native").set_value(month_first).run()
    assert not at.exception and not at.warning
    assert at.button(key="import_run").disabled is False
    assert str(at.dataframe[0].value.loc[2, "due_date"]) == "2026-01-02"


def _readings(data: bytes) -> list[DateReading]:
    return list(importer.date_readings(importer.read_upload(data, "f.csv"), Mapping()))


def st_cache_clear() -> None:
    """Close the page's cached database handle so the test can open the file itself."""
    import streamlit as st

    st.cache_resource.clear()


# -- a company's own file on a fresh database ------------------------------------------------------------
IBM = ROOT / "tests" / "data" / "ibm-accounts-receivable.csv"


@pytest.fixture
def fresh_db(app_db: Path) -> Path:
    """The app's database with the sample removed (the app would fill an empty one with a new sample)."""
    with Database(app_db) as db:
        remove_sample(db)
    return app_db


def _with_file(name: str, data: bytes, signed_in_as: str | None = None) -> AppTest:
    """The page with NAME chosen; signed in with a role's address when given (login configured)."""
    at = AppTest.from_file(PAGE, default_timeout=120)
    if signed_in_as is not None:
        from tests.test_auth_page import SECRETS

        at.secrets.update(SECRETS)
        at.user = {"is_logged_in": True, "email": signed_in_as}
    at.session_state["import_source"] = (name, data)
    return at.run()


def test_ibm_file_imports_through_the_page_with_columns_and_dates_recognised(fresh_db: Path) -> None:
    """Done when of issue 11: columns matched automatically, the date format picked from two real readings."""
    data = IBM.read_bytes()
    tag = hashlib.sha256(data).hexdigest()[:12]
    at = _with_file("ibm.csv", data)
    assert not at.exception
    assert at.selectbox(key=f"import_preset_{tag}").value == "auto"
    mapped = {f: at.selectbox(key=f"import_map_{tag}_auto_{f}").value for f in ("document_no", "customer_no",
              "posting_date", "due_date", "amount", "closed_at", "dispute_status")}  # fmt: skip
    assert mapped == {"document_no": "invoiceNumber", "customer_no": "customerID", "posting_date": "InvoiceDate",
                      "due_date": "DueDate", "amount": "InvoiceAmount", "closed_at": "SettledDate",
                      "dispute_status": "Disputed"}  # fmt: skip
    dates = at.radio(key=f"import_dates_{tag}_auto")
    assert dates.options[0] == "1/2/2013 = 2 January 2013"  # the reading that reads every date, picked
    assert dates.options[1].startswith("1/2/2013 = 1 February 2013 (cannot read ")
    assert dates.value.format == "%m/%d/%Y"
    assert (
        at.text_input(key=f"import_currency_{tag}").value == "EUR"
    )  # no currency column: asked, local shown
    assert "All 2,466 rows are ready to import." in at.success[0].value
    preview = at.dataframe[0].value
    assert "None" not in preview.to_string()
    at.button(key="import_run").click().run()
    assert not at.exception
    assert "2,466 inserted" in shown(at.success[-1].value) and "100 customers created" in shown(
        at.success[-1].value
    )
    assert at.info[-1].value.startswith("2,466 entries imported; none is open on ")
    assert "the latest open entry is from 2014-01-08" in at.info[-1].value
    st_cache_clear()
    with Database(fresh_db) as db:
        assert db.rows("select count(*), min(currency), max(currency) from ledger_entries") == [
            (2466, "EUR", "EUR")
        ]


def test_wrong_reading_groups_its_problems_and_names_the_page_control(fresh_db: Path) -> None:
    data = IBM.read_bytes()
    tag = hashlib.sha256(data).hexdigest()[:12]
    at = _with_file("ibm.csv", data)
    day_first = next(r for r in _readings(data) if r.format == "%d/%m/%Y")
    at.radio(key=f"import_dates_{tag}_auto").set_value(day_first).run()
    assert not at.exception
    problems = problem_list(at)
    assert len(problems) <= 4  # thousands of rows, one line per column and kind
    due = problems[problems["column"] == "DueDate"].iloc[0]
    assert int(due["rows"].replace(",", "")) > 100 and due["first rows"].endswith("more")
    assert "choose another reading under 'Dates'" in due["problem"] and "--date-format" not in due["problem"]
    assert "None" not in problems.to_string()


def test_amounts_with_more_decimals_need_the_rounding_box(fresh_db: Path) -> None:
    data = (
        b"Document No.,Customer No.,Due Date,Amount\r\nI1,C1,2026-10-01,64982.589\r\n"
        b"I2,C1,2026-10-02,0.005\r\nI3,C1,2026-10-03,1.10\r\n"
    )
    at = _with_file("converted.csv", data)
    assert not at.exception
    problems = problem_list(at)
    assert (
        list(problems["rows"]) == ["2"]
        and "tick 'Round amounts to the currency's minor unit'" in (problems["problem"][0])
    )
    at.checkbox(key="import_round").check().run()
    assert not at.error
    assert "2 amounts rounded to their currency's minor unit (difference +0.006 EUR)" in at.success[0].value
    at.button(key="import_run").click().run()
    st_cache_clear()
    with Database(fresh_db) as db:
        assert db.rows("select amount from ledger_entries order by document_no") == [
            (Decimal("64982.59"),),
            (Decimal("0.01"),),
            (Decimal("1.10"),),
        ]


def test_the_sample_is_offered_away_before_the_first_import(app_db: Path) -> None:
    at = _page()
    assert at.button(key="import_sample_remove").disabled is True  # asks for the confirmation first
    at.checkbox(key="import_sample_sure").check().run()
    at.button(key="import_sample_remove").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Sample data removed: 60 customers")
    assert all(b.key != "import_sample_remove" for b in at.button)  # nothing left to remove
    st_cache_clear()
    with Database(app_db) as db:
        assert db.scalar("select count(*) from ledger_entries") == 0


# -- undoing an import (issue 12) ------------------------------------------------------------------------
def _ledger(path: Path) -> dict[str, list[dict[str, object]]]:
    """Every table a ledger import writes, whole."""
    st_cache_clear()
    with Database(path) as db:
        return {
            "entries": db.records("select * from ledger_entries order by entry_no"),
            "customers": db.records("select * exclude (created_at) from customers order by customer_no"),
            "contacts": db.records("select * from contacts order by contact_id"),
        }


def _batches(at: AppTest) -> pd.DataFrame:
    """The list of recent imports (the last table of the page)."""
    listed = at.dataframe[-1].value
    assert list(listed.columns)[:3] == ["import", "file", "holds"]
    return listed


def _undo(at: AppTest, batch_id: int) -> AppTest:
    """Pick import BATCH_ID under 'Undo an import', confirm it and press the button."""
    at.selectbox(key="import_undo_batch").select(next(o for o in at.selectbox(key="import_undo_batch").options
                                                      if o.startswith(f"import {batch_id} of "))).run()  # fmt: skip
    assert at.button(key="import_undo_run").disabled is True  # asks first
    at.checkbox(key=f"import_undo_sure_{batch_id}").check().run()
    at.button(key="import_undo_run").click().run()
    assert not at.exception
    return at


def test_undoing_an_import_from_the_page_restores_the_ledger_exactly(app_db: Path) -> None:
    before = _ledger(app_db)
    at = _with_example()
    at.checkbox(key="import_all_open").check().run()
    closing = next(c for c in at.checkbox if c.key and c.key.startswith("import_close_sure_"))
    closing.check().run()
    at.button(key="import_run").click().run()
    assert "closed" in shown(at.success[-1].value)
    listed = _batches(at)
    assert (
        list(listed["import"]) == [1] and listed["holds"][0] == "Ledger entries" and listed["undone"][0] == ""
    )
    assert _ledger(app_db) != before
    _undo(at, 1)
    assert not at.error
    done = shown(at.success[-1].value)
    assert done.startswith(
        "Import 1 of bc-customer-ledger-entries-example.csv undone: 14 entries it added removed"
    )
    assert "5 customers it created removed" in done
    assert _ledger(app_db) == before
    assert _batches(at)["undone"][0] != ""  # listed as undone, no longer offered
    assert at.caption[-1].value == "None of these imports can be undone: those undone stay undone."
    assert all(b.key != "import_undo_run" for b in at.button)


def test_a_refused_undo_shows_why_and_changes_nothing(app_db: Path) -> None:
    at = _with_example()
    at.button(key="import_run").click().run()
    paid = EXAMPLE.read_bytes().replace(b";1.250,00;1.250,00;15.10.2026", b";1.000,00;1.000,00;15.10.2026", 1)
    at.session_state["import_source"] = ("partly paid.csv", paid)
    at.run()
    at.button(key="import_run").click().run()
    assert "1 updated" in shown(at.success[-1].value)
    before = _ledger(app_db)
    _undo(at, 1)
    assert "ledger imports made after import 1 are still in place: undo import 2 first" in shown(
        at.error[0].value
    )
    assert _ledger(app_db) == before
    assert list(_batches(at)["undone"]) == ["", ""]


def test_a_viewer_sees_the_imports_but_no_undo_and_no_import(app_db: Path) -> None:
    from tests.test_auth_page import VIEWER

    with Database(app_db) as db:
        importer.import_file(db, EXAMPLE, Mapping(preset="bc"))
    at = _with_file(EXAMPLE.name, EXAMPLE.read_bytes(), signed_in_as=VIEWER)
    assert not at.exception
    assert list(_batches(at)["import"]) == [1]
    assert not {"import_run", "import_undo_run"} & {b.key for b in at.button}
    assert "needs the credit controller or admin role" in " ".join(c.value for c in at.caption)


def test_a_header_alone_imports_nothing_or_closes_every_open_entry_once_confirmed(app_db: Path) -> None:
    """Issue 12 item 2 on the page: an ERP export with nothing open."""
    open_before = len(_open_entries(app_db))
    header = EXAMPLE.read_bytes().split(b"\n")[0] + b"\n"
    at = _with_file("nothing open.csv", header)
    assert not at.exception and not at.error
    assert "holds no entries" in at.info[0].value
    at.checkbox(key="import_all_open").check().run()
    assert at.button(key="import_run").label == f"Import 0 rows and close {open_before:,} entries"
    at.checkbox(
        key=f"import_close_sure_{hashlib.sha256(header).hexdigest()[:12]}_{open_before}"
    ).check().run()
    at.button(key="import_run").click().run()
    assert not at.exception and f"{open_before} closed" in shown(at.success[-1].value)
    assert _open_entries(app_db) == []


def test_a_credit_controller_imports_but_leaves_removing_the_sample_to_an_admin(app_db: Path) -> None:
    from tests.test_auth_page import CONTROLLER

    at = _with_file(EXAMPLE.name, EXAMPLE.read_bytes(), signed_in_as=CONTROLLER)
    assert not at.exception
    assert "import_sample_remove" not in {b.key for b in at.button}  # the core would refuse them
    assert "Removing it needs the admin role." in [c.value for c in at.caption]
    at.button(key="import_run").click().run()
    assert "14 inserted" in shown(at.success[-1].value)
    assert _batches(at)["by"][0] == CONTROLLER


def test_an_undo_refused_for_a_reminder_issued_since_names_it_and_where_to_cancel_it(fresh_db: Path) -> None:
    from dunning.reminders.issued import issue
    from dunning.reminders.proposal import ProposalOptions, propose
    from tests.conftest import AS_OF

    data = b"document_no,customer_no,customer_name,due_date,amount,email\r\nINV-1,C1,C1 Ltd,2026-09-01,100.00,ap@c1.example\r\n"
    at = _with_file("c1.csv", data)
    at.button(key="import_run").click().run()
    assert "1 inserted" in shown(at.success[-1].value)
    st_cache_clear()
    with Database(fresh_db) as db:
        issue(db, [int(db.scalar("select reminder_id from reminder_headers where run_id = $r",
                                 {"r": propose(db, ProposalOptions(as_of=AS_OF)).run_id}))], AS_OF)  # fmt: skip
        number = db.scalar("select reminder_no from reminder_headers")
    before = _ledger(fresh_db)
    _undo(at, 1)
    refusal = shown(at.error[0].value)
    assert (
        f"reminders made since import 1 list its entries: {number}" in refusal and "History page" in refusal
    )
    assert _ledger(fresh_db) == before and list(_batches(at)["undone"]) == [""]
