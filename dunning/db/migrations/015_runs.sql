-- Scheduled runs (issue 12, dunning/jobs/): which reminders a run may send without review, when it may send,
-- and the log of every run.
--
-- terms_auto_send     reminder terms whose reminders a scheduled run (`dunning run --send`) sends without
--                     review; a terms code without a row does not (off by default). Kept beside
--                     reminder_terms so that saving the terms (which writes their row anew) keeps the switch.
-- customer_auto_send  one customer's own choice, over that of its terms; no row: the terms decide.
-- job_runs            one row per run: when, as of which date, what it imported, the proposal it made, how
--                     many reminders it sent, left for review (and why), failed; 'running' until it ends
--                     (a run that died is marked 'interrupted' by the next one).
-- job_run_reminders   per run, each reminder it handled: sent, failed, unknown, skipped, or held (left for
--                     review) with the reason.
-- settings            company_time_zone (IANA name), send_window_start / send_window_end (HH:MM, local
--                     time): a run sends only inside the window, on the company's business days (its
--                     country is company.country, migration 009).
create table terms_auto_send (
    terms_code varchar primary key,
    auto_send boolean not null
);

create table customer_auto_send (
    customer_no varchar primary key,
    auto_send boolean not null
);

create sequence job_run_id_seq start 1;
create table job_runs (
    run_id bigint primary key default nextval('job_run_id_seq'),
    started_at timestamp not null,                -- UTC
    finished_at timestamp,                        -- UTC; null while running
    status varchar not null default 'running',    -- running | ok | failed | interrupted
    as_of date not null,
    send boolean not null,                        -- --send: auto-send reminders were to be sent
    started_by varchar,
    pid integer,
    host varchar,
    imported varchar not null default '',         -- one line per file imported
    proposal_run_id bigint,                       -- proposal_runs.run_id of its proposal; null: none made
    drafts integer not null default 0,
    skipped integer not null default 0,           -- customer/currency pairs the proposal skipped
    sent integer not null default 0,
    held integer not null default 0,              -- drafts left for review
    failed integer not null default 0,            -- failed or of unknown fate
    note varchar not null default ''              -- why nothing was sent, or what went wrong
);

create table job_run_reminders (
    run_id bigint not null,
    reminder_id bigint not null,
    reminder_no varchar not null,
    customer_no varchar not null,
    status varchar not null,                      -- sent | failed | unknown | skipped | held
    detail varchar not null default '',
    primary key (run_id, reminder_id)
);

insert or ignore into settings (key, value) values
    ('company_time_zone', 'UTC'), ('send_window_start', '08:00'), ('send_window_end', '18:00');
