"""The reminder terms settings page: levels are edited in a table, validated, and saved only when valid."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.reminders.terms import Fee, load_terms, terms_codes
from dunning.ui.markdown import literal
from tests.conftest import ROOT
from tests.test_frames import MAIN_WIDTH_1440

PAGE = str(ROOT / "pages" / "reminder_terms.py")
EDITOR = "terms_levels_DEFAULT"
FEES = "terms_fees_DEFAULT"


def start() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def edit(
    at: AppTest, edited: dict, added: list | None = None, deleted: list | None = None, key: str = EDITOR
) -> None:
    at.session_state[key] = {
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
    fees = at.dataframe(key=FEES).value  # one row per level and currency, by level then currency
    assert list(zip(fees["level_no"], fees["currency"], fees["fixed_fee"], strict=True))[:4] == [
        (2, "CHF", "10"), (2, "EUR", "10"), (2, "GBP", "10"), (2, "USD", "12")
    ]  # fmt: skip
    assert len(fees) == 8
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
    at.session_state[FEES] = {"edited_rows": {5: {"fixed_fee": "ten"}}, "added_rows": [], "deleted_rows": []}
    edit(at, {1: {"due_days": 0}})
    text = at.error[0].value
    assert (
        literal("level 2: days after the previous level") in text and literal("'ten' is not a number") in text
    )


def test_valid_edit_is_saved(app_db: Path) -> None:
    at = start()
    edit(
        at,
        {1: {"cc_roles": "finance_manager, sales_owner"}},
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
    # level 2 in EUR: 15.00 fixed, 1.50 per line; and a new row: level 4 in HUF, 600.00 per line
    edit(
        at,
        {1: {"fixed_fee": "15.00", "fee_per_line": "1,50"}},
        added=[{"level_no": 4, "currency": "huf", "fee_per_line": "600"}],
        key=FEES,
    )
    at.text_input(key="terms_min_amount_DEFAULT").input("25").run()
    assert not at.error, [e.value for e in at.error]
    at.button(key="terms_save").click().run()
    assert not at.exception and "Saved terms DEFAULT with 4 levels" in at.success[0].value
    with Database(app_db) as db:
        t = load_terms(db, "DEFAULT")
    assert t.min_amount_lcy == Decimal("25.00") and len(t.levels) == 4
    assert t.levels[1].fee("EUR") == Fee("EUR", Decimal("15.00"), Decimal("1.50"))
    assert t.levels[1].fee("GBP") == Fee("GBP", Decimal("10.00"))
    assert t.levels[3].fees == (Fee("HUF", Decimal("0.00"), Decimal("600.00")),)
    assert t.levels[1].cc_roles == ("finance_manager", "sales_owner")


def test_save_as_new_terms(app_db: Path) -> None:
    at = start()
    at.text_input(key="terms_new_code").input("STRICT").run()
    at.button(key="terms_save").click().run()
    assert not at.exception
    with Database(app_db) as db:
        assert terms_codes(db) == ["DEFAULT", "AUTO", "STRICT"]  # AUTO: the sample's terms sent unreviewed
        assert len(load_terms(db, "STRICT").levels) == 3


# -- reference rates -------------------------------------------------------------------------------------
RATES = "rates_editor"


def edit_rates(at: AppTest, edited: dict, added: list | None = None) -> None:
    at.session_state[RATES] = {"edited_rows": edited, "added_rows": added or [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception


def stored_rates(path: Path) -> list[tuple]:
    with Database(path) as db:
        return db.rows(
            "select scheme, valid_from, rate from reference_rates order by valid_from desc, scheme"
        )


def test_reference_rates_are_listed_newest_first_and_a_new_half_year_is_saved(app_db: Path) -> None:
    import datetime as dt

    at = start()
    shown = at.dataframe(key=RATES).value
    stored = stored_rates(app_db)
    assert len(shown) == len(stored)
    newest = [
        (s, str(d)[:10], r)
        for s, d, r in zip(shown["scheme"], shown["valid_from"], shown["rate"], strict=True)
    ]
    assert newest[:3] == [
        ("de", "2026-07-01", "1.27"),
        ("eu", "2026-07-01", "2.15"),
        ("uk", "2026-07-01", "3.75"),
    ]
    edit_rates(at, {}, [{"scheme": "uk", "valid_from": "2027-01-01", "rate": "3.5"}])
    assert not at.error
    at.button(key="rates_save").click().run()
    assert not at.exception and not at.error, at.error
    assert f"Saved {len(stored) + 1} reference rates." in at.success[0].value
    assert stored_rates(app_db)[0] == ("uk", dt.date(2027, 1, 1), Decimal("3.5000"))
    assert at.dataframe(key=RATES).value["rate"][0] == "3.50"


def test_a_rate_not_starting_a_half_year_is_explained_and_not_saved(app_db: Path) -> None:
    before = stored_rates(app_db)
    at = start()
    edit_rates(at, {0: {"rate": "99"}}, [{"scheme": "eu", "valid_from": "2027-02-01", "rate": "2"}])
    assert literal("row 1: rate 99 % is not between -5 and 30") in at.error[0].value
    assert literal("2027-02-01 must be 1 January or 1 July") in at.error[0].value
    assert at.button(key="rates_save").disabled
    assert stored_rates(app_db) == before


def test_a_missing_current_half_year_rate_is_warned(app_db: Path) -> None:
    import datetime as dt

    from dunning.reminders.interest import half_year_start

    current = half_year_start(dt.date.today())
    with Database(app_db) as db:
        db.execute("delete from reference_rates where valid_from >= $d", {"d": current})
        db.execute("insert into reference_rates values ('uk', $d, 4)", {"d": current})
    at = start()
    # the UK rate is there; the EU and German ones are missing for the current half-year
    assert sorted(w.value.split(":")[0] for w in at.warning) == [
        f"DE reference rate for {current} missing",
        f"EU reference rate for {current} missing",
    ]


def test_a_level_before_the_previous_deadline_is_warned_and_may_be_saved(app_db: Path) -> None:
    at = start()
    # level 1 now gives 20 days to pay; level 2 still comes 14 days after it
    edit(at, {0: {"payment_days": 20}})
    assert not at.error
    assert [w.value for w in at.warning] == [
        "terms DEFAULT: level 2 comes 14 days (14 + 0 grace) after level 1, which gives 20 days to pay: the next"
        " reminder would be sent on or before that deadline; give level 2 at least 21 days (days + grace), or"
        " level 1 fewer days to pay"
    ]
    at.button(key="terms_save").click().run()
    with Database(app_db) as db:
        assert load_terms(db, "DEFAULT").levels[0].payment_days == 20


def test_levels_show_labels_and_their_fee_and_role_columns_fit_1440_px(app_db: Path) -> None:
    editor = start().dataframe(key=EDITOR)
    shown = editor.value
    assert list(shown["to_roles"]) == ["Accounts payable", "Accounts payable", "Finance manager"]
    config = json.loads(editor.proto.columns)
    interest = {o["value"]: o["label"] for o in config["interest_method"]["type_config"]["options"]}
    assert interest["eu_statutory"] == "EU statutory interest (2011/7/EU)"
    order = list(shown.columns)
    upto = order[: order.index("fallback_roles") + 1]
    assert "pct_fee" in upto and "cc_roles" in upto
    assert sum(config[k]["width"] for k in upto) <= MAIN_WIDTH_1440
