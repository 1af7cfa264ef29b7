"""The aging bucket settings page: edits are validated, saved only when valid, and the overview follows."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dunning.aging import buckets
from dunning.db import Database
from tests.conftest import AS_OF, ROOT

PAGE = str(ROOT / "pages" / "aging_settings.py")


def start() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def edit(
    at: AppTest, edited_rows: dict, added_rows: list | None = None, deleted_rows: list | None = None
) -> None:
    at.session_state["bucket_editor"] = {
        "edited_rows": edited_rows, "added_rows": added_rows or [], "deleted_rows": deleted_rows or [],
    }  # fmt: skip
    at.run()
    assert not at.exception, at.exception


def test_shows_the_configured_buckets(app_db: Path) -> None:
    at = start()
    shown = at.dataframe(key="bucket_editor").value
    assert list(shown["label"]) == [
        "Within terms", "1-7", "8-14", "15-30", "31-60", "61-90", "Over 90",
    ]  # fmt: skip
    assert not at.error
    assert at.button(key="bucket_save").disabled is False


def test_a_gap_is_explained_and_cannot_be_saved(app_db: Path) -> None:
    at = start()
    edit(at, {1: {"max_days": 9}})
    assert "make it start at 10" in at.error[0].value
    assert at.button(key="bucket_save").disabled
    with Database(app_db) as db:
        assert [b.max_days for b in buckets.load(db)][1] == 7


def test_valid_edit_is_saved_and_the_overview_follows(app_db: Path) -> None:
    at = start()
    edit(at, {1: {"max_days": 10}, 2: {"min_days": 11, "alert_amount_lcy": "1000"}})
    assert not at.error
    at.button(key="bucket_save").click().run()
    assert not at.exception
    assert "Saved 7 aging buckets" in at.success[0].value
    with Database(app_db) as db:
        saved = buckets.load(db)
    assert (saved[1].max_days, saved[2].min_days, saved[2].alert_amount_lcy) == (10, 11, Decimal("1000.00"))

    overview_page = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60)
    overview_page.session_state["ov_as_of"] = AS_OF
    overview_page.run()
    assert not overview_page.exception
    # 1-10 days now holds more than the 25 invoices of 1-7, and 11-14 fewer than the 41 of 8-14
    one, two = (int(overview_page.button(key=f"tile_{i}").label.split()[0]) for i in (1, 2))
    assert one > 25 and two < 41 and one + two == 25 + 41


def test_added_and_deleted_rows(app_db: Path) -> None:
    at = start()
    # drop "Over 90" and make "61-90" open above: a valid configuration of six buckets
    edit(at, {5: {"max_days": None, "label": "61+"}}, deleted_rows=[6])
    at.button(key="bucket_save").click().run()
    with Database(app_db) as db:
        assert [b.label for b in buckets.load(db)][-1] == "61+"
    at = start()
    edit(at, {}, added_rows=[{"label": "Later", "min_days": 200, "severity": "critical"}])
    assert "the last bucket must be open above" in at.error[0].value or "only the last" in at.error[0].value


def test_severities_read_as_words_and_open_ends_as_open(app_db: Path) -> None:
    editor = start().dataframe(key="bucket_editor").proto
    options = json.loads(editor.columns)["severity"]["type_config"]["options"]
    assert [(o["value"], o["label"]) for o in options] == [
        ("ok", "OK (green)"), ("info", "Info (amber)"), ("warn", "Warning (amber)"), ("alert", "Alert (red)"),
        ("critical", "Critical (red)"),
    ]  # fmt: skip
    assert editor.placeholder == "open"  # the first bucket's From and the last one's To, never "None"
