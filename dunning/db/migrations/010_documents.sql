-- Reminder documents (issue 9): the texts of each level per language, kept in versions, and the reminder's
-- creditor reference.
--
-- template_versions (002) was laid out for whole templates and never written; a level's texts are three
-- short Jinja2 sources (subject, opening and closing paragraph) that the shipped letter and email lay out.
-- Every save is a new version; version 0 is the text shipped with the package (not stored). A reminder
-- records the version that produced its documents in reminder_headers.template_version.
drop table template_versions;
create table template_versions (
    terms_code varchar not null,
    level_no integer not null,
    language varchar not null,                    -- en | fr | nl | de
    version integer not null,                     -- 1, 2, ... per terms, level and language
    subject varchar not null,
    opening varchar not null,
    closing varchar not null,
    created_at timestamp not null default current_timestamp,
    created_by varchar,
    primary key (terms_code, level_no, language, version)
);

-- ISO 11649 creditor reference printed on the letter (EPC QR, QR-bill), derived from the reminder number;
-- a bank-statement import matches payments by it.
alter table reminder_headers add column payment_reference varchar;
