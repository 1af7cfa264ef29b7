"""One scheduled run (dunning.jobs.run.execute) against a real database and a real outbox folder: what it
sends without review, what it leaves for review and why, when it sends (business days of the company's and
the customer's country, the window in the company's time zone), what it imports, and its log. The clock is
pinned with now=."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dunning.access import Actor, Role
from dunning.db import Database
from dunning.errors import BadInput, ImportRejected, NotAllowed
from dunning.jobs import log
from dunning.jobs.run import RunOptions, execute
from dunning.ledger.imports.importer import import_file
from dunning.ledger.imports.mapping import Mapping
from dunning.ledger.imports.undo import undo_import
from dunning.mail.outbox import OutboxTransport
from dunning.reminders.proposal import ProposalOptions, propose
from dunning.reminders.review import change_level, set_included, waive_fee
from tests.jobs_setup import AUTO, CUSTOMERS, MONDAY, at, setup_runs


@pytest.fixture
def db():
    with Database() as db:
        setup_runs(db)
        yield db


@pytest.fixture
def outbox(tmp_path: Path) -> OutboxTransport:
    return OutboxTransport(tmp_path / "outbox")


def by_customer(report) -> dict[str, tuple[str, str]]:
    return {h.customer_no: (h.status, h.detail) for h in report.handled}


def statuses(db: Database) -> dict[str, str]:
    return dict(db.rows("select customer_no, status from reminder_headers"))


def test_a_run_without_send_leaves_every_draft_for_review(db, outbox):
    report = execute(db, RunOptions(), now=at(MONDAY, 10), transport=outbox)
    assert report.drafts == len(CUSTOMERS)
    assert {no: s for no, (s, _) in by_customer(report).items()} == dict.fromkeys(CUSTOMERS, "held")
    assert all("--send" in why for _, why in by_customer(report).values())
    assert set(statuses(db).values()) == {"draft"}
    assert not outbox.folder.exists() or not list(outbox.folder.iterdir())


def test_a_sending_run_sends_what_the_terms_or_the_customer_allow_and_leaves_the_rest(db, outbox):
    report = execute(db, RunOptions(send=True), now=at(MONDAY, 10), transport=outbox)
    got = by_customer(report)
    assert {no for no, (s, _) in got.items() if s == "sent"} == AUTO
    assert {no for no, (s, _) in got.items() if s == "held"} == {"B", "D"}
    assert "do not send automatically" in got["B"][1] and "do not send automatically" in got["D"][1]
    assert statuses(db) == {"A": "sent", "B": "draft", "C": "sent", "D": "draft", "E": "sent"}
    assert len(list(outbox.folder.glob("*.eml"))) == len(AUTO)


@pytest.mark.parametrize(
    ("now", "why"),
    [
        (at(dt.date(2026, 11, 28), 10), "Saturday"),
        (at(dt.date(2026, 11, 29), 10), "Sunday"),
        (at(dt.date(2026, 4, 27), 10), "King's Day (NL)"),
        (at(dt.date(2026, 12, 25), 10), "Christmas Day (NL)"),
        (at(MONDAY, 7, 59), "outside the sending window 08:00-18:00 Europe/Amsterdam"),
        (at(MONDAY, 18, 0), "outside the sending window"),
        (dt.datetime(2026, 11, 30, 6, 59, tzinfo=dt.UTC), "07:59 is outside"),  # 07:59 in Amsterdam
    ],
    ids=["saturday", "sunday", "kings-day", "christmas", "before-window", "at-window-end", "utc-clock"],
)
def test_nothing_is_sent_on_a_day_off_or_outside_the_window(db, outbox, now, why):
    report = execute(db, RunOptions(send=True), now=now, transport=outbox)
    assert report.count("sent") == 0 and report.count("held") == len(CUSTOMERS)
    assert why in report.note
    assert all(why in detail for no, (_, detail) in by_customer(report).items() if no in AUTO)
    assert set(statuses(db).values()) == {"draft"}


def test_the_window_is_read_in_the_company_time_zone(db, outbox):
    report = execute(db, RunOptions(send=True), now=dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC),
                     transport=outbox)  # fmt: skip
    assert report.count("sent") == len(AUTO)  # 08:00 in Amsterdam


def test_a_public_holiday_in_the_customer_country_holds_only_that_customer(db, outbox):
    labour_day = dt.date(2026, 5, 1)  # a holiday in Germany, a business day in the Netherlands
    report = execute(db, RunOptions(send=True), now=at(labour_day, 10), transport=outbox)
    got = by_customer(report)
    assert got["E"][0] == "held" and "public holiday in the customer's country DE" in got["E"][1]
    assert {no for no, (s, _) in got.items() if s == "sent"} == AUTO - {"E"}


def test_a_run_leaves_alone_the_drafts_a_person_proposed_or_changed(db, outbox):
    first = execute(db, RunOptions(), now=at(MONDAY, 7), transport=outbox)
    ids = dict(db.rows("select customer_no, reminder_id from reminder_headers"))
    set_included(db, ids["A"], False)  # a person left A out
    waive_fee(db, ids["C"], True)  # waived C's fee
    change_level(db, ids["E"], 2)  # and chose level 2 for E
    report = execute(db, RunOptions(send=True), now=at(MONDAY, 10), transport=outbox)
    assert report.left_out == ("A", "C", "E")
    assert {no for no, (s, _) in by_customer(report).items() if s == "sent"} == set()
    after = dict(db.rows("select customer_no, reminder_id from reminder_headers where status = 'draft'"))
    assert (after["A"], after["C"], after["E"]) == (ids["A"], ids["C"], ids["E"])  # the person's, untouched
    assert db.scalar("select level_no from reminder_headers where reminder_id = $r", {"r": ids["E"]}) == 2
    assert after["B"] != ids["B"]  # a draft of the run's own is proposed anew
    assert first.left_out == ()
    notes = [r[0] for r in db.rows("select note from job_runs order by run_id")]
    assert notes[-1].endswith("3 customers left out: a person reviews their drafts")  # the Runs page says why
    assert "left out" not in (notes[0] or "")


def test_a_person_proposal_is_not_replaced_or_sent_by_a_run(db, outbox):
    propose(db, ProposalOptions(as_of=MONDAY, customer_nos=("A",)))
    report = execute(db, RunOptions(send=True), now=at(MONDAY, 10), transport=outbox)
    assert report.left_out == ("A",)
    assert statuses(db)["A"] == "draft"


def test_a_sending_run_dates_its_reminders_today(db, outbox):
    with pytest.raises(BadInput, match="leave out --as-of"):
        execute(db, RunOptions(send=True, as_of=MONDAY - dt.timedelta(days=1)), now=at(MONDAY, 10),
                transport=outbox)  # fmt: skip
    report = execute(db, RunOptions(as_of=MONDAY + dt.timedelta(days=3)), now=at(MONDAY, 10))
    assert report.as_of == MONDAY + dt.timedelta(days=3)


def test_a_viewer_cannot_run(db, outbox):
    viewer = db.as_actor(Actor("vera@example.com", Role.VIEWER))
    with pytest.raises(NotAllowed):
        execute(viewer, RunOptions(), now=at(MONDAY, 10))
    assert db.scalar("select count(*) from job_runs") == 0


def _csv(path: Path, *rows: str) -> Path:
    path.write_text("document_no,customer_no,due_date,amount\n" + "".join(r + "\n" for r in rows))
    return path


def test_a_folder_is_imported_file_by_file_in_name_order_before_the_proposal(db, tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    _csv(folder / "b.csv", "INV-F2,F,2026-03-01,70.00")
    _csv(folder / "a.csv", "INV-F1,F,2026-03-01,30.00")
    (folder / "notes.txt").write_text("not an export")
    report = execute(db, RunOptions(imports=folder, mapping=Mapping()), now=at(MONDAY, 7))
    assert [line.split(":")[0] for line in report.imported] == ["a.csv", "b.csv"]
    assert db.scalar("select count(*) from ledger_entries where customer_no = 'F'") == 2
    again = execute(db, RunOptions(imports=folder), now=at(MONDAY, 7, 15))
    assert again.imported == ("a.csv: unchanged since it was last imported, skipped",
                              "b.csv: unchanged since it was last imported, skipped")  # fmt: skip
    _csv(folder / "b.csv", "INV-F2,F,2026-03-01,70.00", "INV-F3,F,2026-03-01,5.00")
    third = execute(db, RunOptions(imports=folder), now=at(MONDAY, 7, 30))
    assert "1 inserted, 0 updated, 1 unchanged" in third.imported[1]
    assert db.scalar("select count(*) from import_batches") == 3
    undo_import(db, int(db.scalar("select max(batch_id) from import_batches")))  # a person undid b.csv
    fourth = execute(db, RunOptions(imports=folder), now=at(MONDAY, 7, 45))
    assert fourth.imported[0].startswith("a.csv: unchanged") and "1 inserted" in fourth.imported[1]


def test_a_file_of_every_open_entry_is_imported_again_even_when_unchanged(db, tmp_path):
    # the reviewer's case: the same export checked on the Import page first; the run must still close the
    # entries it leaves out (they were paid), not skip the file as already imported
    export = _csv(tmp_path / "open.csv", *(f"INV-{no},{no},2026-03-01,500.00" for no in ("A", "B", "C", "D")))
    import_file(db, export, Mapping())
    assert db.scalar("select closed_at from ledger_entries where document_no = 'INV-E'") is None
    report = execute(db, RunOptions(imports=export, all_open=True), now=at(MONDAY, 7))
    assert "1 closed" in report.imported[0]
    assert db.scalar("select closed_at from ledger_entries where document_no = 'INV-E'") == MONDAY


def test_a_file_of_every_open_entry_closes_the_paid_ones_before_the_proposal(db, tmp_path):
    export = _csv(tmp_path / "open.csv", *(f"INV-{no},{no},2026-03-01,500.00" for no in ("A", "B", "C", "D")))
    report = execute(db, RunOptions(imports=export, all_open=True), now=at(MONDAY, 7))
    assert "1 closed" in report.imported[0]
    assert db.scalar("select closed_at from ledger_entries where document_no = 'INV-E'") == MONDAY
    assert set(statuses(db)) == {"A", "B", "C", "D"}  # E paid: not reminded
    _csv(tmp_path / "more.csv", "INV-G,G,2026-03-01,1.00")
    with pytest.raises(BadInput, match="--all-open needs one file"):
        execute(db, RunOptions(imports=tmp_path, all_open=True), now=at(MONDAY, 7))


def test_a_rejected_import_stops_the_run_before_the_proposal_and_is_logged(db, tmp_path):
    bad = _csv(tmp_path / "bad.csv", "INV-X,F,not-a-date,10.00")
    with pytest.raises(ImportRejected):
        execute(db, RunOptions(imports=bad), now=at(MONDAY, 7))
    assert db.scalar("select count(*) from reminder_headers") == 0
    (status, note), *_ = db.rows("select status, note from job_runs")
    assert status == "failed" and "import rejected" in note


def test_each_run_is_logged_with_what_it_did(db, outbox):
    execute(db, RunOptions(send=True), now=at(MONDAY, 10), transport=outbox)
    runs = log.runs_frame(db)
    row = runs.iloc[0]
    assert (row["status"], row["drafts"], row["sent"], row["held"], row["failed"]) == ("ok", 5, 3, 2, 0)
    assert row["started_at"] == dt.datetime(2026, 11, 30, 9, 0)  # 10:00 in Amsterdam, stored in UTC
    handled = log.reminders_frame(db, int(row["run"]))
    assert sorted(handled["customer_no"]) == list(CUSTOMERS)
    assert set(handled["status"]) == {"sent", "held"}


def test_only_the_newest_run_lists_the_drafts_left_for_review(db, outbox):
    first = execute(db, RunOptions(send=True), now=at(MONDAY, 10), transport=outbox)
    second = execute(db, RunOptions(send=True), now=at(MONDAY, 10, 15), transport=outbox)
    assert set(log.reminders_frame(db, first.run_id)["status"]) == {"sent"}
    assert sorted(log.reminders_frame(db, second.run_id)["customer_no"]) == ["B", "D"]
    assert list(log.runs_frame(db)["held"]) == [2, 2]  # the counts stay


def test_a_run_that_never_finished_is_marked_interrupted_by_the_next(db, outbox):
    log.start(db, at(MONDAY, 9), MONDAY, True, "killed")
    execute(db, RunOptions(), now=at(MONDAY, 10))
    assert [r[0] for r in db.rows("select status from job_runs order by run_id")] == ["interrupted", "ok"]
