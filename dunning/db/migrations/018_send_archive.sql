-- What each hand-over to a transport sent, archived in a table of its own, one row per attempt, inserted
-- in the hand-over's transaction (dunning/dispatch/claims.py hand_over). The email and letter used to be
-- two blob columns of reminder_headers, set by an UPDATE: DuckDB's cost for such an update grew with the
-- blobs the table held already (1.5 ms for the first of a batch, 20 ms a reminder after a thousand), so
-- every batch sent slower than the last; an insert stays at the same cost.
create table reminder_archive (
    reminder_id bigint not null,
    attempt integer not null,                 -- reminder_headers.attempts after this hand-over
    message_id varchar,
    handed_at timestamp not null,
    email_eml blob not null,                  -- the message exactly as handed to the transport
    letter_pdf blob not null,                 -- the letter attached to it
    primary key (reminder_id, attempt)
);

insert into reminder_archive
select reminder_id, coalesce(attempts, 1), message_id, coalesce(send_started_at, sent_at, current_timestamp),
       email_eml, letter_pdf
from reminder_headers
where email_eml is not null and letter_pdf is not null;

alter table reminder_headers drop column email_eml;
alter table reminder_headers drop column letter_pdf;
