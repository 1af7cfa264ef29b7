"""The reminder terms settings page: levels are edited in a table, validated, and saved only when valid."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.terms import load_terms, terms_codes
from tests.conftest import ROOT

PAGE = str(ROOT / "pages" / "reminder_terms.py")
EDITOR = "terms_levels_DEFAULT"


def start() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def edit(at: AppTest, edited: dict, added: list | None = None, deleted: list | None = None) -> None:
    at.session_state[EDITOR] = {
        "edited_rows": edited,
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }
    at.run()
    assert not at.exception, at.exception


def test_shows_the_default_levels(app_db: Path) -> None:
    at = start()
    shown = at.dataframe(key=EDITOR).value
    assert list(shown["level_no"]) == [1, 2, 3]
    assert list(shown["fee_EUR"]) == ["", "10", "25"]
    assert not at.error and not at.button(key="terms_save").disabled


def test_a_gap_in_the_levels_is_explained_and_not_saved(app_db: Path) -> None:
    at = start()
    edit(at, {2: {"level_no": 4}})
    assert "without gaps" in at.error[0].value
    assert at.button(key="terms_save").disabled
    with Database(app_db) as db:
        assert [lv.level_no for lv in load_terms(db, "DEFAULT").levels] == [1, 2, 3]


def test_days_that_do_not_increase_and_bad_numbers_are_explained(app_db: Path) -> None:
    at = start()
    edit(at, {1: {"due_days": 0}, 2: {"fee_EUR": "ten"}})
    text = at.error[0].value
    assert "level 2: days after the previous level" in text and "'ten' is not a number" in text


def test_valid_edit_is_saved(app_db: Path) -> None:
    at = start()
    edit(
        at,
        {1: {"fee_EUR": "15.00", "cc_roles": "finance_manager, sales_owner"}},
        added=[
            {
                "level_no": 4,
                "due_days": 10,
                "grace_days": 0,
                "payment_days": 3,
                "tone": "final",
                "interest_method": "none",
                "to_roles": "finance_manager",
            }
        ],
    )
    at.text_input(key="terms_min_amount_DEFAULT").input("25").run()
    assert not at.error, [e.value for e in at.error]
    at.button(key="terms_save").click().run()
    assert not at.exception and "Saved terms DEFAULT with 4 levels" in at.success[0].value
    with Database(app_db) as db:
        t = load_terms(db, "DEFAULT")
    assert t.min_amount_lcy == Decimal("25.00") and len(t.levels) == 4
    assert t.levels[1].fixed_fee("EUR") == Decimal("15.00")
    assert t.levels[1].cc_roles == ("finance_manager", "sales_owner")


def test_save_as_new_terms(app_db: Path) -> None:
    at = start()
    at.text_input(key="terms_new_code").input("STRICT").run()
    at.button(key="terms_save").click().run()
    assert not at.exception
    with Database(app_db) as db:
        assert terms_codes(db) == ["DEFAULT", "STRICT"]
        assert len(load_terms(db, "STRICT").levels) == 3
