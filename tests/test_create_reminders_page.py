"""The Create reminders page: options in, drafts and the skipped list with reasons out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.documents.reminder import load_reminder
from dunning.ui.markdown import literal
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


def test_selecting_a_draft_shows_its_lines_and_its_customer(app_db: Path) -> None:
    at = create(start())
    assert len(at.dataframe) == 2  # drafts and skipped; no lines before a draft is picked
    drafts = at.dataframe[0].value
    at.selectbox(key="cr_pick").select(int(drafts["reminder_id"].iloc[0])).run()
    assert not at.exception, at.exception
    assert len(at.dataframe) == 3
    lines = at.dataframe[1].value
    assert list(lines.columns) == [
        "kind", "document_type", "document_no", "due_date", "days_overdue", "remaining", "level", "interest",
        "interest_waived", "entry_no",
    ]  # fmt: skip
    assert len(lines) >= int(drafts["lines"].iloc[0])
    customer = drafts["customer_no"].iloc[0]
    assert customer in at.subheader[1].value
    # run on its own the page has no navigation to link through: the customer is named instead
    assert f"Customer {customer}" in [c.value for c in at.caption]


# -- the review grid -------------------------------------------------------------------------------------
def edit(
    at: AppTest, edited: dict[int, dict[str, object]] | None = None, deleted: list[int] | None = None
) -> AppTest:
    at.session_state["cr_review"] = {
        "edited_rows": edited or {},
        "added_rows": [],
        "deleted_rows": deleted or [],
    }
    at.run()
    assert not at.exception, at.exception
    return at


def grid_row(at: AppTest, reminder_id: int) -> dict[str, object]:
    shown = at.dataframe[0].value
    found = shown[shown["reminder_id"] == reminder_id]
    assert len(found) == 1
    return dict(found.iloc[0])


def position(at: AppTest, **where: object) -> tuple[int, int]:
    shown = at.dataframe[0].value
    for pos, row in enumerate(shown.itertuples()):
        if all(getattr(row, k) == v for k, v in where.items()):
            return pos, int(row.reminder_id)
    raise AssertionError(f"no draft with {where}")


def reconciled(row: dict[str, object]) -> bool:
    return row["total"] == row["overdue"] + row["credits"] + row["fee"] + row["interest"]  # type: ignore[operator]


def test_a_level_changed_in_the_grid_recomputes_fee_and_total(app_db: Path) -> None:
    at = create(start())
    pos, rid = position(at, level=1, currency="EUR")
    before = grid_row(at, rid)
    edit(at, {pos: {"level": 2}})
    assert not at.error, [e.value for e in at.error]
    after = grid_row(at, rid)
    with Database(app_db) as db:
        level, fee, total = db.one(
            "select level_no, fee, total from reminder_headers where reminder_id = $r", {"r": rid}
        )
        lines = db.scalar(
            "select count(*) from reminder_lines where reminder_id = $r and kind = 'overdue' and level_no = 2",
            {"r": rid},
        )
    assert (after["level"], after["fee"], after["total"]) == (2, fee, total) == (level, fee, total)
    assert fee > before["fee"] and lines > 0 and reconciled(after)
    assert after["reminder_no"] == before["reminder_no"]
    edit(at)  # a later run does not apply the edit again
    assert grid_row(at, rid)["level"] == 2


def test_waiving_a_fee_and_leaving_a_draft_out_in_the_grid(app_db: Path) -> None:
    at = create(start())
    shown = at.dataframe[0].value
    pos = int((shown["fee"] > 0).to_numpy().argmax())
    rid = int(shown["reminder_id"].iloc[pos])
    fee, total = shown["fee"].iloc[pos], shown["total"].iloc[pos]
    assert fee > 0
    edit(at, {pos: {"fee_waived": True, "included": False}})
    after = grid_row(at, rid)
    assert (after["fee"], after["total"], after["fee_waived"], after["included"]) == (
        0,
        total - fee,
        True,
        False,
    )
    assert reconciled(after)
    with Database(app_db) as db:
        assert db.one("select included, fee from reminder_headers where reminder_id = $r", {"r": rid}) == (
            False,
            0,
        )


def test_a_bad_address_in_the_grid_is_named_and_changes_nothing(app_db: Path) -> None:
    at = create(start())
    rid = int(at.dataframe[0].value["reminder_id"].iloc[0])
    number = grid_row(at, rid)["reminder_no"]
    with Database(app_db) as db:
        before = db.rows("select * from reminder_headers order by reminder_id")
    edit(at, {0: {"to": "ap@good.example, not an address"}})
    assert any(
        literal(f"reminder {number}") in e.value and literal("'not an address'") in e.value for e in at.error
    ), [e.value for e in at.error]
    with Database(app_db) as db:
        assert db.rows("select * from reminder_headers order by reminder_id") == before
    assert "not an address" not in str(grid_row(at, rid)["to"])


def test_deleting_a_row_asks_why_and_records_the_agreement(app_db: Path) -> None:
    at = create(start())
    rid = int(at.dataframe[0].value["reminder_id"].iloc[0])
    customer = grid_row(at, rid)["customer_no"]
    edit(at, deleted=[0])
    with Database(app_db) as db:  # nothing is deleted before the question is answered
        assert db.scalar("select count(*) from reminder_headers where reminder_id = $r", {"r": rid}) == 1
    at.radio(key="cr_del_reason").set_value("agreement")
    at.date_input(key="cr_del_until").set_value(AS_OF + dt.timedelta(days=30))
    at.text_area(key="cr_del_note").input("pays in three instalments")
    at.button(key="cr_del_confirm").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert rid not in set(at.dataframe[0].value["reminder_id"])
    with Database(app_db) as db:
        assert db.scalar("select count(*) from reminder_headers where reminder_id = $r", {"r": rid}) == 0
        agreed = db.one(
            "select customer_no, valid_until, note from agreements order by agreement_id desc limit 1"
        )
    assert agreed is not None and agreed[:2] == (customer, AS_OF + dt.timedelta(days=30))
    assert "pays in three instalments" in agreed[2]


def test_keeping_a_deleted_row_brings_it_back(app_db: Path) -> None:
    at = create(start())
    rid = int(at.dataframe[0].value["reminder_id"].iloc[0])
    edit(at, deleted=[0])
    at.button(key="cr_del_keep").click().run()
    assert not at.exception, at.exception
    assert rid in set(at.dataframe[0].value["reminder_id"])
    with Database(app_db) as db:
        assert db.scalar("select count(*) from reminder_headers where reminder_id = $r", {"r": rid}) == 1
        assert db.scalar("select count(*) from agreements where note like '%deleted%'") == 0


def test_a_typo_in_a_customer_list_is_named_and_an_empty_scope_says_so(app_db: Path) -> None:
    at = start()
    at.text_input(key="cr_customers").input("C0001, C0001X9").run()
    at.button(key="cr_run").click().run()
    assert any("C0001X9 do not exist" in e.value for e in at.error), [e.value for e in at.error]
    at.text_input(key="cr_customers").input("no such customer anywhere")
    create(at)
    # the send section's notice that messages go to the outbox (no SMTP server configured) is the other one
    assert [w.value for w in at.warning if not w.value.startswith("Outbox folder")] == [
        literal("no customer matches the filter; nothing was proposed ('no such customer anywhere')")
    ]
    assert counts(at) == (0, 0, 0)


def test_dates_are_shown_as_iso_dates(app_db: Path) -> None:
    at = start()
    assert at.date_input(key="cr_as_of").proto.format == "YYYY/MM/DD".replace("/", "-")


def test_picking_a_draft_previews_what_the_customer_receives(app_db):
    at = create(start())
    drafts = at.dataframe[0].value
    rid = int(drafts["reminder_id"].iloc[0])
    at.selectbox(key="cr_pick").select(rid).run()
    assert not at.exception, at.exception
    with Database(app_db) as db:
        r = load_reminder(db, rid)
    shown = " ".join(m.value for m in at.markdown).replace("\\", "")  # markdown escapes shown literally
    assert r.reminder_no in shown and r.to_emails[0] in shown  # subject and recipients
    (html,) = [h for h in at.get("html") if r.customer.name.split()[0] in h.proto.body]
    assert all(line.document_no in html.proto.body for line in r.overdue_lines)
    assert at.get("download_button")  # the letter, drawn when clicked


def test_waiving_one_lines_interest_in_the_lines_table_lowers_the_total_by_exactly_that(app_db):
    at = create(start())
    with Database(app_db) as db:
        rid, total, interest = db.one(
            "select reminder_id, total, interest from reminder_headers where status = 'draft' and interest > 0"
            " order by reminder_id limit 1"
        )
    at.selectbox(key="cr_pick").select(int(rid)).run()
    assert not at.exception, at.exception
    lines = at.dataframe[1].value
    index = next(i for i, line in enumerate(lines.itertuples()) if line.interest > 0)
    charged = Decimal(str(lines.iloc[index]["interest"]))
    at.session_state[f"cr_lines_{rid}_0"] = {
        "edited_rows": {index: {"interest_waived": True}}, "added_rows": [], "deleted_rows": [],
    }  # fmt: skip
    at.run()
    assert not at.exception, at.exception
    with Database(app_db) as db:
        after = db.one("select total, interest from reminder_headers where reminder_id = $r", {"r": rid})
        waived = db.scalar(
            "select interest_waived from reminder_lines where reminder_id = $r and entry_no = $e",
            {"r": rid, "e": int(lines.iloc[index]["entry_no"])},
        )
    assert waived is True
    assert after == (total - charged, interest - charged)
