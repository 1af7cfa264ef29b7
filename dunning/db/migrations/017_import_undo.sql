-- Every import is a batch that can be undone as a whole (dunning/ledger/imports/undo.py): the entries it
-- inserted go, the entries it changed or closed return to their state before it, the customers it created
-- (and the contacts it made from their email addresses) go when nothing else holds them, and a language it
-- changed returns. What the batch changed is recorded by the import itself, in its own transaction.
-- kind: ledger, customers, contacts, links; null for a batch imported before this migration, which recorded
-- nothing to undo it with
alter table import_batches add column kind varchar;
alter table import_batches add column imported_by varchar;
alter table import_batches add column closed integer default 0;        -- entries closed (a file of every open entry)
alter table import_batches add column undone_at timestamp;
alter table import_batches add column undone_by varchar;

-- the ledger entries a batch inserted
create table import_entry_inserted (
    batch_id bigint not null,
    entry_no bigint not null,
    primary key (batch_id, entry_no)
);

-- each ledger entry a batch changed or closed, as it was before (every column of ledger_entries)
create table import_entry_before as select 0::bigint as batch_id, * from ledger_entries limit 0;

-- the customers a batch created, and the languages it changed (before and after)
create table import_customer_changes (
    batch_id bigint not null,
    customer_no varchar not null,
    created boolean not null,
    language_before varchar,
    language_after varchar,
    primary key (batch_id, customer_no)
);

-- the contacts a batch made from a customer email column
create table import_contacts_created (
    batch_id bigint not null,
    contact_id bigint not null,
    primary key (batch_id, contact_id)
);
