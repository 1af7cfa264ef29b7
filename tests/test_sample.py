from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from dunning.aging.report import aging
from dunning.errors import BadInput
from dunning.sample import DEFAULT_BUCKET_COUNTS, SampleSpec, bucket_counts, generate, refresh_if_stale
from tests.ledger import add_customer, add_entry


def test_default_sample_shows_the_seed_tiles(sample_db, as_of):
    report = aging(sample_db, as_of)
    got = {b.label: b.count for b in report.buckets}
    assert (got["Within terms"], got["1-7"], got["8-14"]) == (519, 25, 41)
    assert all(got[label] > 0 for label in ("15-30", "31-60", "61-90", "Over 90"))


@pytest.mark.parametrize("as_of", [dt.date(2026, 1, 1), dt.date(2027, 6, 30)])
def test_sample_is_dated_relative_to_the_as_of_date(db, as_of):
    generate(db, SampleSpec(as_of=as_of))
    got = [b.count for b in aging(db, as_of).buckets]
    assert tuple(got) == DEFAULT_BUCKET_COUNTS


def test_sample_is_deterministic(db, as_of):
    def snapshot():
        return db.rows("select * exclude (created_at) from customers order by 1"), db.rows(
            "select * from ledger_entries order by entry_no"
        )

    generate(db, SampleSpec(as_of=as_of))
    first = snapshot()
    generate(db, SampleSpec(as_of=as_of))
    assert snapshot() == first


def test_sample_covers_languages_currencies_and_roles(sample_db):
    langs = {r[0] for r in sample_db.rows("select language from customers")}
    currencies = {r[0] for r in sample_db.rows("select distinct currency from ledger_entries")}
    assert langs == {"en", "fr", "nl", "de"}
    assert "EUR" in currencies and len(currencies - {"EUR"}) >= 2
    assert 55 <= sample_db.scalar("select count(*) from customers") <= 65
    per_customer = sample_db.rows(
        "select customer_no, count(*), count(distinct role) from contacts group by 1"
    )
    assert all(n >= 2 and roles >= 2 for _, n, roles in per_customer)
    roles = {r[0] for r in sample_db.rows("select distinct role from contacts")}
    assert {"accounts_payable", "finance_manager", "sales_owner"} <= roles


def test_sample_holds_every_kind_of_case(sample_db, as_of):
    def count(where: str) -> int:
        return sample_db.scalar(f"select count(*) from open_entries($d::date) where {where}", {"d": as_of})  # noqa: S608

    assert count("document_type = 'credit_memo'") > 0
    assert count("document_type = 'payment'") > 0  # unapplied payments
    assert count("document_type = 'invoice' and remaining_amount < amount") > 0  # part paid
    assert count("on_hold is not null") > 0
    assert count("dispute_status is not null") > 0
    assert count("promised_pay_date > $d") > 0
    assert count("promised_pay_date <= $d") > 0  # broken promises
    assert count("last_reminder_level >= 2") > 0
    closed = sample_db.scalar("select count(*) from ledger_entries where closed_at is not null")
    assert closed > 500  # paid history, for DSO and payment behaviour


def test_sample_amounts_reconcile_in_local_currency(sample_db):
    # EUR entries carry identical LCY amounts; others convert at the fixed rate, rounded to the cent
    bad = sample_db.scalar(
        "select count(*) from ledger_entries where currency = 'EUR' and"
        " (amount <> amount_lcy or remaining_amount <> remaining_amount_lcy)"
    )
    assert bad == 0
    gbp = sample_db.one("select amount, amount_lcy from ledger_entries where currency = 'GBP' limit 1")
    assert gbp is not None
    assert gbp[1] == (gbp[0] * Decimal("1.15")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_sample_refuses_to_overwrite_imported_data(db, as_of):
    add_customer(db)
    add_entry(db, due=as_of)
    with pytest.raises(BadInput, match="already holds imported"):
        generate(db, SampleSpec(as_of=as_of))
    assert db.scalar("select count(*) from ledger_entries") == 1


@pytest.mark.parametrize("n", [7, 1000, 12345])
def test_size_option_scales_open_invoices_exactly(n):
    counts = bucket_counts(n)
    assert sum(counts) == n and all(c > 0 for c in counts)


def test_scaled_sample_has_the_asked_number_of_open_invoices(db, as_of):
    stats = generate(db, SampleSpec(as_of=as_of, open_invoices=5000, history=False))
    report = aging(db, as_of)
    assert sum(b.count for b in report.buckets) == 5000 == stats.open_invoices
    assert stats.customers == 500


def test_untouched_sample_is_redated_to_today(db, as_of):
    generate(db, SampleSpec(as_of=as_of - dt.timedelta(days=10)))
    assert refresh_if_stale(db, as_of)
    assert db.setting("sample_loaded") == as_of.isoformat()
    assert [b.count for b in aging(db, as_of).buckets][:3] == [519, 25, 41]
    assert not refresh_if_stale(db, as_of)  # already current


def test_sample_with_user_work_is_never_redated(db, as_of):
    generate(db, SampleSpec(as_of=as_of - dt.timedelta(days=10)))
    db.execute(
        "insert into contact_log (customer_no, contacted_on, note) values ('C010001', $d, 'called')",
        {"d": as_of},
    )
    before = db.rows("select entry_no, due_date from ledger_entries order by 1")
    assert not refresh_if_stale(db, as_of)
    assert db.rows("select entry_no, due_date from ledger_entries order by 1") == before


def test_sample_never_replaces_a_users_work(db, as_of):
    generate(db, SampleSpec(as_of=as_of))
    db.execute(
        "insert into import_batches (file_name, file_sha256, mapping, rows_read, rows_inserted, rows_updated)"
        " values ('mine.csv', 'x', '{}', 1, 1, 0)"
    )
    before = db.scalar("select count(*) from ledger_entries")
    with pytest.raises(BadInput, match="holds your own work"):
        generate(db, SampleSpec(as_of=as_of))
    assert db.scalar("select count(*) from ledger_entries") == before


def test_a_sample_kept_at_its_date_is_not_redated(db, as_of):
    generate(db, SampleSpec(as_of=as_of - dt.timedelta(days=3)))
    db.execute("insert or replace into settings values ('sample_redate', 'off')")
    assert not refresh_if_stale(db, as_of)
