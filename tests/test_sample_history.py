"""The sample's reminder history and its skip cases (dunning/sample_history.py), on the default sample."""

from __future__ import annotations


def test_reminder_history_agrees_with_the_ledger(sample_db):
    # every entry's last reminder level and date is the latest sent reminder line for it
    mismatches = sample_db.scalar(
        "with last as (select l.entry_no, max(l.level_no) as level, max(h.document_date) as d"
        " from reminder_lines l join reminder_headers h using (reminder_id) where h.status = 'sent' group by 1)"
        " select count(*) from ledger_entries e full join last on last.entry_no = e.entry_no"
        " where coalesce(e.last_reminder_level, 0) <> coalesce(last.level, 0)"
        " or e.last_reminder_date is distinct from last.d"
    )
    assert mismatches == 0
    levels = {r[0] for r in sample_db.rows("select distinct level_no from reminder_headers")}
    assert levels == {1, 2, 3}
    # a level rises by one per reminder, and nobody got one before their invoice was 10 days overdue
    assert sample_db.scalar("select min(days_overdue) from reminder_lines where level_no = 1") >= 10
    bad_totals = sample_db.scalar(
        "select count(*) from reminder_headers h where total <> fee + interest +"
        " (select sum(remaining_amount) from reminder_lines l where l.reminder_id = h.reminder_id)"
    )
    assert bad_totals == 0
    no_recipient = sample_db.scalar("select count(*) from reminder_headers where len(to_emails) = 0")
    assert no_recipient == 0


def test_sample_proposal_shows_every_kind_of_decision(sample_db, as_of):
    """The sample gives a credit controller every case to look at: drafts of each level and each skip."""
    from dunning.reminders.proposal import ProposalOptions, propose, run_json

    out = run_json(sample_db, propose(sample_db, ProposalOptions(as_of=as_of)).run_id)
    assert {r["level"] for r in out["reminders"]} == {1, 2, 3}
    reasons = " | ".join(s["reason"] for s in out["skipped"])
    for phrase in ("cover the overdue amount", "below the minimum", "promised to pay", "contacted by hand",
                   "agreement", "maximum", "disputed"):  # fmt: skip
        assert phrase in reasons, phrase
