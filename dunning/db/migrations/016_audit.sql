-- Who changed what (issue 12): one row per change made through a core action whose table has no "by" column
-- of its own: review edits of drafts, the settings (company, bank accounts, reminder terms, reference rates,
-- aging buckets), a customer's terms, contacts and details, restores. Written in the change's own transaction
-- (Database.transaction(audit=...)), with the person acting (dunning.access): an address in the app with
-- login, cli:USER or app:USER otherwise. Sends, cancels, proposals, contacts logged and texts saved record
-- their person on their own rows (sent_by, cancelled_by, created_by).
create sequence audit_id_seq start 1;
create table audit_log (
    audit_id bigint primary key default nextval('audit_id_seq'),
    changed_at timestamp not null default current_timestamp,
    actor varchar not null,
    action varchar not null,                      -- dunning.access.Action's words, e.g. 'edit draft reminders'
    detail varchar not null                       -- what was changed, e.g. 'reminder R0000102: fee waived'
);
