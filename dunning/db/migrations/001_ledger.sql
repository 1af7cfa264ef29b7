-- Receivables store: customers, contacts, the customer ledger, aging buckets, import batches.
-- Money is DECIMAL(18,2) throughout: amounts in entry currency and in local currency (LCY).
-- No foreign keys or secondary indexes: DuckDB checks them eagerly on upsert and they slow bulk loads;
-- dunning.db and the importers keep references whole.

create table settings (
    key varchar primary key,
    value varchar not null
);
insert into settings values ('lcy_code', 'EUR'), ('company_name', 'Northwind Logistics B.V.');

create table customers (
    customer_no varchar primary key,
    name varchar not null,
    language varchar not null default 'en',       -- ISO 639-1: en, fr, nl, de ...
    currency varchar,                             -- null: local currency
    country varchar,                              -- ISO 3166-1 alpha-2
    reminder_terms_code varchar,                  -- null: the default terms
    payment_terms varchar,                        -- e.g. 30D
    address varchar,
    post_code varchar,
    city varchar,
    created_at timestamp not null default current_timestamp
);

create sequence contact_id_seq start 1;
create table contacts (
    contact_id bigint primary key default nextval('contact_id_seq'),
    customer_no varchar not null,
    name varchar not null,
    email varchar not null,
    role varchar not null,                        -- accounts_payable, finance_manager, sales_owner, ...
    phone varchar,
    active boolean not null default true
);

create sequence import_batch_id_seq start 1;
create table import_batches (
    batch_id bigint primary key default nextval('import_batch_id_seq'),
    file_name varchar not null,
    file_sha256 varchar not null,
    mapping varchar not null,                     -- JSON: field -> column, date format
    rows_read integer not null,
    rows_inserted integer not null,
    rows_updated integer not null,
    imported_at timestamp not null default current_timestamp
);

create table ledger_entries (
    entry_no bigint primary key,
    customer_no varchar not null,
    document_type varchar not null,               -- invoice, credit_memo, payment, refund, finance_charge, reminder
    document_no varchar not null,
    description varchar,
    currency varchar not null,                    -- ISO 4217; the LCY code for local-currency entries
    posting_date date not null,
    document_date date not null,
    due_date date not null,
    amount decimal(18, 2) not null,               -- signed: debits positive, credits negative
    remaining_amount decimal(18, 2) not null,
    amount_lcy decimal(18, 2) not null,
    remaining_amount_lcy decimal(18, 2) not null,
    closed_at date,                               -- date the entry was fully applied
    on_hold varchar,                              -- null or empty: not on hold; else the hold code
    dispute_status varchar,                       -- null or empty: no dispute
    promised_pay_date date,
    external_document_no varchar,
    last_reminder_level integer not null default 0,
    last_reminder_date date,
    import_batch_id bigint,
    unique (document_type, document_no)
);

-- Aging buckets by days past due; configurable in the app. min_days null: no lower bound; max_days null: none.
create table aging_buckets (
    position integer primary key,
    label varchar not null,
    min_days integer,
    max_days integer,
    severity varchar not null,                    -- ok, info, warn, alert, critical
    alert_amount_lcy decimal(18, 2)               -- tile turns red above this amount, when set
);
insert into aging_buckets values
    (0, 'Within terms', null, 0, 'ok', null),
    (1, '1-7', 1, 7, 'info', null),
    (2, '8-14', 8, 14, 'warn', null),
    (3, '15-30', 15, 30, 'warn', null),
    (4, '31-60', 31, 60, 'alert', null),
    (5, '61-90', 61, 90, 'critical', null),
    (6, 'Over 90', 91, null, 'critical', null);

-- Entries open as of a date, with their open amount on that date. An entry is open on a date when it was
-- posted on or before it and not closed by then. An entry closed since was open in full on that date (the
-- ledger keeps no history of partial applications); an entry still open has its current remaining amount.
create macro open_entries(as_of) as table
select
    e.*,
    case when e.closed_at is not null then e.amount else e.remaining_amount end as open_amount,
    case when e.closed_at is not null then e.amount_lcy else e.remaining_amount_lcy end as open_amount_lcy,
    (as_of - e.due_date) as days_overdue
from ledger_entries e
where e.posting_date <= as_of
  and (e.closed_at is null or e.closed_at > as_of)
  and (e.closed_at is not null or e.remaining_amount <> 0);
