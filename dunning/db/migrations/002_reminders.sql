-- Reminder terms and levels, interest rate tables, contact log and agreements, template versions, and
-- reminders themselves (header + lines) with states. Designed now for the documents, sending, history and
-- scheduled-run issues that follow, so they extend this schema rather than reshape it.

-- Terms: per customer (customers.reminder_terms_code), else the one marked default.
create table reminder_terms (
    code varchar primary key,
    description varchar not null,
    is_default boolean not null default false,
    max_reminders integer,                        -- null: unlimited
    after_last_level varchar not null default 'repeat',   -- repeat | stop
    min_amount_lcy decimal(18, 2) not null default 0,
    min_days_between integer not null default 7
);

create table reminder_levels (
    terms_code varchar not null,
    level_no integer not null,                    -- 1, 2, 3 ...
    due_days integer not null,                    -- level 1: days past due date; next levels: days since previous reminder
    grace_days integer not null default 0,
    payment_days integer not null default 7,      -- new payment deadline: days from the reminder's document date
    fee_per_line decimal(18, 2) not null default 0,
    pct_fee decimal(9, 4) not null default 0,     -- percent of the overdue amount
    pct_fee_min decimal(18, 2),
    pct_fee_max decimal(18, 2),
    interest_method varchar not null default 'none',   -- none | contractual | eu_statutory | uk_statutory
    interest_rate decimal(9, 4),                  -- annual percent, for contractual interest
    to_roles varchar[] not null default ['accounts_payable'],
    cc_roles varchar[] not null default [],
    fallback_roles varchar[] not null default ['finance_manager'],
    template_code varchar not null default 'reminder',
    tone varchar not null default 'friendly',     -- friendly | firm | final
    primary key (terms_code, level_no)
);

-- Fixed fee per level and currency.
create table reminder_level_fees (
    terms_code varchar not null,
    level_no integer not null,
    currency varchar not null,
    fixed_fee decimal(18, 2) not null,
    primary key (terms_code, level_no, currency)
);

-- Reference rates for statutory interest, dated; kept current by the user. scheme: eu | uk.
create table reference_rates (
    scheme varchar not null,
    valid_from date not null,
    rate decimal(9, 4) not null,                  -- annual percent, before the 8 points added by law
    primary key (scheme, valid_from)
);

-- Contact made by hand (phone call, letter, visit): no automatic reminder within the minimum interval.
create sequence contact_log_id_seq start 1;
create table contact_log (
    log_id bigint primary key default nextval('contact_log_id_seq'),
    customer_no varchar not null,
    contacted_on date not null,
    channel varchar not null default 'phone',
    note varchar,
    created_by varchar,
    created_at timestamp not null default current_timestamp
);

-- Agreements reached with a customer (payment plan, settlement): why a reminder was deleted in review.
create sequence agreement_id_seq start 1;
create table agreements (
    agreement_id bigint primary key default nextval('agreement_id_seq'),
    customer_no varchar not null,
    agreed_on date not null,
    valid_until date,                             -- no reminder before this date
    note varchar not null,
    entry_nos bigint[],                           -- null: the whole customer
    created_by varchar,
    created_at timestamp not null default current_timestamp
);

-- Template versions: every edit is a new version; a sent reminder names the version it used.
create table template_versions (
    template_code varchar not null,
    language varchar not null,
    version integer not null,
    subject varchar not null,
    body_text varchar not null,                   -- Jinja2 source of the email body
    letter_html varchar not null,                 -- Jinja2 source of the PDF letter
    created_at timestamp not null default current_timestamp,
    created_by varchar,
    primary key (template_code, language, version)
);

-- A proposal run: the options it was made with, for audit and for safe repetition by schedulers.
create sequence run_id_seq start 1;
create table proposal_runs (
    run_id bigint primary key default nextval('run_id_seq'),
    as_of date not null,
    posting_date date not null,
    options varchar not null,                     -- JSON
    created_by varchar,
    created_at timestamp not null default current_timestamp
);

-- Reminder header. status: draft -> approved -> sending -> sent; draft/approved -> cancelled.
-- A sent reminder is never changed again; re-running a proposal replaces only drafts.
create sequence reminder_id_seq start 1;
create table reminder_headers (
    reminder_id bigint primary key default nextval('reminder_id_seq'),
    reminder_no varchar,                          -- assigned when issued
    run_id bigint,
    customer_no varchar not null,
    currency varchar not null,
    level_no integer not null,
    terms_code varchar not null,
    status varchar not null default 'draft',
    posting_date date not null,
    document_date date not null,
    payment_deadline date not null,
    language varchar not null,
    overdue_amount decimal(18, 2) not null,       -- sum of the overdue lines, before netting
    credits_amount decimal(18, 2) not null default 0,   -- open credits netted (negative)
    fee decimal(18, 2) not null default 0,
    interest decimal(18, 2) not null default 0,
    total decimal(18, 2) not null,                -- lines (overdue + credits) + fee + interest
    to_emails varchar[] not null default [],
    cc_emails varchar[] not null default [],
    template_code varchar not null,
    template_version integer,
    broken_promise boolean not null default false,
    note varchar,
    created_at timestamp not null default current_timestamp,
    sent_at timestamp,
    sent_by varchar,
    message_id varchar,                           -- the email's Message-ID, for exactly-once sending
    email_eml blob,                               -- archived email as sent
    letter_pdf blob                               -- archived PDF as sent
);

-- Reminder lines. kind: overdue (triggers and is reminded), credit (netted), not_due (information),
-- on_hold (listed, never triggering). No primary key: DuckDB keeps one in an ART index, and replacing a
-- proposal's drafts deletes and rewrites up to a million lines, which costs about 1.8 s per million at commit
-- with the index and 0.05 s without. (reminder_id, line_no) stays unique by construction: lines are
-- numbered per reminder when written.
create table reminder_lines (
    reminder_id bigint not null,
    line_no integer not null,
    kind varchar not null,
    entry_no bigint not null,
    document_type varchar not null,
    document_no varchar not null,
    document_date date,
    due_date date not null,
    days_overdue integer not null,
    original_amount decimal(18, 2) not null,
    remaining_amount decimal(18, 2) not null,
    level_no integer not null default 0,          -- level this line is reminded at (0 for info lines)
    interest decimal(18, 2) not null default 0,
    compensation decimal(18, 2) not null default 0,    -- statutory fixed compensation (EU 40 EUR, UK 40/70/100 GBP)
    interest_waived boolean not null default false
);
