"""The import page: renders, loads the bundled example export in one click, previews it and imports it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.ledger.imports import importer
from dunning.ledger.imports.readers import FORMATS

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "import_data.py")
EXAMPLE = ROOT / "sample_data" / "bc-customer-ledger-entries-example.csv"
TAG = hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()[:12]


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
    assert [b.key for b in at.button] == ["import_example"]
    (uploader,) = at.get("file_uploader")
    assert sorted(uploader.proto.type) == sorted(f".{ext}" for ext in FORMATS)  # what the reader reads


def test_example_export_is_detected_and_previewed(app_db: Path) -> None:
    at = _with_example()
    assert at.selectbox(key=f"import_preset_{TAG}").value == "bc"
    assert at.text_input(key=f"import_date_format_{TAG}_bc").value == "%d.%m.%Y"
    assert at.selectbox(key=f"import_map_{TAG}_bc_amount").value == "Original Amount"
    assert at.selectbox(key=f"import_map_{TAG}_bc_entry_no").value == "(not mapped)"
    rows = at.dataframe[0].value
    assert len(rows) == 14 and str(rows.loc[3, "remaining_amount"]) == "1480.50"
    assert not at.error
    assert "All 14 rows are ready" in at.success[0].value
    assert at.button(key="import_run").disabled is False


def test_example_import_writes_entries_once(app_db: Path) -> None:
    with Database(app_db) as db:
        before = db.scalar("select count(*) from ledger_entries")
    at = _with_example()
    at.button(key="import_run").click().run()
    assert not at.exception
    assert "14 inserted, 0 updated, 0 unchanged, 5 customers created" in at.success[-1].value
    at.button(key="import_run").click().run()
    assert "0 inserted, 0 updated, 14 unchanged" in at.success[-1].value
    st_cache_clear()
    with Database(app_db) as db:
        assert db.scalar("select count(*) from ledger_entries") == before + 14
        assert (
            db.scalar("select name from customers where customer_no = 'K50000'") == "Société Générale Paris"
        )


@pytest.mark.parametrize(
    ("widget", "value", "message"),
    [
        ("date_format", "%m/%d/%Y", "is not a date in the format MM/DD/YYYY"),
        ("map_due_date", "Customer Name", "is not a date"),
        ("map_customer_no", "(not mapped)", "the required field customer_no is not mapped"),
    ],
)
def test_problems_are_listed_and_block_the_import(
    app_db: Path, widget: str, value: str, message: str
) -> None:
    at = _with_example()
    if widget == "date_format":
        at.text_input(key=f"import_date_format_{TAG}_bc").input(value).run()
    else:
        at.selectbox(key=f"import_map_{TAG}_bc_{widget.removeprefix('map_')}").select(value).run()
    assert not at.exception
    assert "nothing can be imported" in at.error[0].value
    problems = at.dataframe[1].value  # the preview, then the problem list
    assert any(message in p for p in problems["problem"])
    assert at.button(key="import_run").disabled is True


def test_all_open_file_closes_what_it_does_not_list(app_db: Path) -> None:
    with Database(app_db) as db:
        open_before = db.scalar(
            "select count(*) from ledger_entries where closed_at is null and remaining_amount <> 0"
        )
    at = _with_example()
    assert not at.warning  # off by default: nothing is announced as closed
    at.checkbox(key="import_all_open").check().run()
    assert not at.exception
    assert at.warning[0].value == f"{open_before:,} open entries not in this file will be closed."
    at.button(key="import_run").click().run()
    assert f"5 customers created, {open_before} closed" in at.success[-1].value
    st_cache_clear()
    with Database(app_db) as db:
        still_open = db.rows(
            "select document_no from ledger_entries where closed_at is null and remaining_amount <> 0"
        )
    paid = {"103004", "G00101"}  # closed in the file itself
    assert sorted(r[0] for r in still_open) == sorted(
        set(importer.read_file(EXAMPLE).frame["Document No."]) - paid
    )


def test_ambiguous_dates_are_not_guessed_but_asked_for(app_db: Path) -> None:
    data = b"document_no,customer_no,due_date,amount\r\nA1,C1,01/02/2026,10.00\r\nA2,C1,03/04/2026,20.00\r\n"
    tag = hashlib.sha256(data).hexdigest()[:12]
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["import_source"] = ("us.csv", data)
    at.run()
    assert not at.exception
    (warning,) = at.warning
    assert "'due_date'" in warning.value and "DD/MM/YYYY" in warning.value and "MM/DD/YYYY" in warning.value
    assert at.text_input(key=f"import_date_format_{tag}_native").value == ""  # nothing picked
    assert at.button(key="import_run").disabled is True  # 01/02/2026 is not ISO: blocked until chosen
    at.text_input(key=f"import_date_format_{tag}_native").input("%m/%d/%Y").run()
    assert not at.warning and at.button(key="import_run").disabled is False
    assert str(at.dataframe[0].value.loc[2, "due_date"]) == "2026-01-02"


def st_cache_clear() -> None:
    """Close the page's cached database handle so the test can open the file itself."""
    import streamlit as st

    st.cache_resource.clear()
