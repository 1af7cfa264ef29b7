"""Deterministic sample data dated relative to an as-of date, so the dashboard always looks current.

With default settings the aging as of the as-of date shows the example of the product this is modelled on:
519 open invoices within payment terms, 25 overdue 1-7 days, 41 overdue 8-14 days, and the later buckets
filled realistically. `open_invoices=N` scales every count (customers, contacts, credits, history) to N open
invoices, for benchmarks on 1,000,000 and more.

generate() fills a database in one transaction: dunning.sample.customers makes the customers and contacts,
dunning.sample.entries the ledger entries, dunning.sample.history the reminders sent. Generation is vectorised
(numpy arrays of integer cents and day offsets) and the conversion to dates and DECIMAL(18,2) happens in DuckDB
(the statements below), so no amount ever passes through float and 10M rows take seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from dunning.db import Database
from dunning.errors import BadInput
from dunning.sample.company import write_company
from dunning.sample.customers import DEFAULT_CUSTOMERS, make_contacts, make_customers
from dunning.sample.entries import bucket_counts, make_entries
from dunning.sample.history import EDGE_CASES, INSERT_HEADERS, INSERT_LINES, INSERT_NOTES, reminder_runs


@dataclass(frozen=True)
class SampleSpec:
    as_of: dt.date
    open_invoices: int | None = None  # None: the seed's example (DEFAULT_BUCKET_COUNTS)
    history: bool = True  # a year of paid invoices and their payments, for DSO and payment behaviour
    seed: int = 20261128


@dataclass(frozen=True)
class SampleStats:
    as_of: dt.date
    customers: int
    contacts: int
    entries: int
    open_invoices: int


def generate(db: Database, spec: SampleSpec) -> SampleStats:
    """Replace the database's customers, contacts and ledger with sample data (one transaction).

    Refuses a database that holds anything not made by this generator (imported entries, reminders, contact
    notes, agreements), so a user's data is never lost.
    """
    if db.setting("sample_loaded") is None and db.scalar("select count(*) from ledger_entries"):
        raise BadInput(
            f"database {db.path} already holds imported ledger entries; "
            "sample data would replace them: use another file with --db or DUNNING_DB"
        )
    work = user_work(db)
    if work:
        raise BadInput(
            f"database {db.path} holds your own work ({work} imports, reminders, contact notes or agreements); "
            "sample data would replace it: use another file with --db or DUNNING_DB"
        )
    rng = np.random.default_rng(spec.seed)
    counts = bucket_counts(spec.open_invoices)
    n_open = sum(counts)
    n_cust = DEFAULT_CUSTOMERS if spec.open_invoices is None else max(DEFAULT_CUSTOMERS, n_open // 10)
    customers = make_customers(rng, n_cust)
    contacts = make_contacts(rng, customers)
    entries = make_entries(rng, customers, counts, spec.history)
    headers, lines = reminder_runs(entries, customers, contacts)
    with db.transaction() as cur:
        for table in (
            "reminder_lines",
            "reminder_headers",
            "contact_log",
            "agreements",
            "ledger_entries",
            "contacts",
            "customers",
        ):
            cur.execute(f"delete from {table}")  # noqa: S608 - fixed table names, no user text
        cur.register("sample_customers", customers)
        cur.register("sample_contacts", contacts)
        cur.register("sample_entries", entries)
        cur.register("sample_headers", headers)
        cur.register("sample_lines", lines)
        cur.execute(_INSERT_CUSTOMERS)
        cur.execute(_INSERT_CONTACTS)
        cur.execute(_INSERT_ENTRIES, {"as_of": spec.as_of})
        cur.execute(INSERT_HEADERS, {"as_of": spec.as_of})
        cur.execute(INSERT_LINES)
        for statement in (*INSERT_NOTES, *EDGE_CASES):
            cur.execute(statement, {"as_of": spec.as_of})
        cur.script(AUTO_SEND_TERMS)
        for name in (
            "sample_customers",
            "sample_contacts",
            "sample_entries",
            "sample_headers",
            "sample_lines",
        ):
            cur.unregister(name)
        cur.execute(
            "insert or replace into settings values ('sample_loaded', $d)", {"d": spec.as_of.isoformat()}
        )
    write_company(db)
    return SampleStats(spec.as_of, len(customers), len(contacts), len(entries), n_open)


_INSERT_CUSTOMERS = """
insert into customers (customer_no, name, language, currency, country, reminder_terms_code, payment_terms,
                       address, post_code, city)
select customer_no, name, language, nullif(currency, 'EUR'), country, null, terms_days || ' days',
       (street_no + 1) || ' ' || street, lpad((10000 + idx * 37 % 89999)::varchar, 5, '0'), city
from sample_customers
"""
# Terms AUTO, the default terms' levels and fees that scheduled runs send without review (`dunning run
# --send`, migration 015), for every fourth customer (the second, sixth, ...), so the behaviour can be seen.
AUTO_SEND_TERMS = """
insert or ignore into reminder_terms
    (code, description, is_default, max_reminders, after_last_level, min_amount_lcy, min_days_between)
select 'AUTO', 'Sent automatically by scheduled runs: friendly, firm, final', false, max_reminders,
       after_last_level, min_amount_lcy, min_days_between
from reminder_terms where code = 'DEFAULT';
insert or ignore into reminder_levels select 'AUTO', * exclude (terms_code) from reminder_levels
where terms_code = 'DEFAULT';
insert or ignore into reminder_level_fees select 'AUTO', * exclude (terms_code) from reminder_level_fees
where terms_code = 'DEFAULT';
insert or replace into terms_auto_send (terms_code, auto_send) values ('AUTO', true);
update customers set reminder_terms_code = 'AUTO'
where customer_no in (select customer_no from sample_customers where idx % 4 = 1);
"""
_INSERT_CONTACTS = """
insert into contacts (customer_no, name, email, role, phone)
select customer_no, name, email, role, phone from sample_contacts
"""
_INSERT_ENTRIES = """
insert into ledger_entries
select
    row_number() over (order by posting_offset desc, kind, seq)::bigint as entry_no,
    e.customer_no,
    e.document_type,
    e.prefix || lpad(e.seq::varchar, 7, '0') as document_no,
    e.description,
    e.currency,
    $as_of::date - e.posting_offset::integer as posting_date,
    $as_of::date - e.posting_offset::integer as document_date,
    $as_of::date - e.due_offset::integer as due_date,
    (e.amount_cents * 0.01::decimal(3, 2))::decimal(18, 2) as amount,
    (e.remaining_cents * 0.01::decimal(3, 2))::decimal(18, 2) as remaining_amount,
    (e.amount_lcy_cents * 0.01::decimal(3, 2))::decimal(18, 2) as amount_lcy,
    (e.remaining_lcy_cents * 0.01::decimal(3, 2))::decimal(18, 2) as remaining_amount_lcy,
    case when e.closed_offset >= 0 then $as_of::date - e.closed_offset::integer end as closed_at,
    nullif(e.on_hold, '') as on_hold,
    nullif(e.dispute_status, '') as dispute_status,
    case when e.promise_offset > -9999 then $as_of::date + e.promise_offset::integer end as promised_pay_date,
    nullif(e.external_document_no, '') as external_document_no,
    e.reminder_level::integer as last_reminder_level,
    case when e.reminder_level > 0 then $as_of::date - e.reminder_offset::integer end as last_reminder_date,
    null as import_batch_id
from sample_entries e
"""


def refresh_if_stale(db: Database, today: dt.date) -> bool:
    """Re-date an untouched sample database to today, so the demo always looks current.

    Only a database that holds sample data alone (no import, no reminder, no contact note, no agreement) and
    was dated before today is regenerated; anything a user did keeps the data as it is. The setting
    sample_redate = 'off' keeps a sample at its date (the tests' fixed-date sample uses it).
    """
    loaded = db.setting("sample_loaded")
    if loaded is None or dt.date.fromisoformat(loaded) >= today or db.setting("sample_redate") == "off":
        return False
    if user_work(db):
        return False
    generate(db, SampleSpec(as_of=today))
    return True


def user_work(db: Database) -> int:
    """How many things in the database a user made: imports, reminders, contact notes, agreements."""
    return int(
        db.scalar(
            "select (select count(*) from import_batches)"
            " + (select count(*) from reminder_headers where coalesce(sent_by, '') <> 'sample')"
            " + (select count(*) from contact_log where coalesce(created_by, '') <> 'sample')"
            " + (select count(*) from agreements where coalesce(created_by, '') <> 'sample')"
        )
    )
