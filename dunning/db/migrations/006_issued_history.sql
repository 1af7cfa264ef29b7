-- The history of issued reminders, as the proposal reads it back (dunning/reminders/issued.py writes it).
-- An issued reminder's lines ARE the history: per entry its level, the reminder's date and payment deadline,
-- the fee charged on the line, the interest period charged (interest_from .. interest_to, both inclusive) and
-- the fixed compensation claimed. A reminder counts while its header's status is 'sent'; cancelling it sets
-- status 'cancelled' (one row), and the entries' levels, charged days and claimed compensation fall back.

alter table reminder_headers add column cancelled_at timestamp;
alter table reminder_headers add column cancelled_by varchar;

alter table reminder_lines add column interest_from date;    -- first day charged; null: no interest charged
alter table reminder_lines add column interest_to date;      -- last day charged (the reminder's document date)
alter table reminder_lines add column fee decimal(18, 2) not null default 0;   -- fee charged on this line

-- The lines of reminders issued and not cancelled: what the proposal counts as already reminded and charged.
create view issued_lines as
select
    l.entry_no, l.level_no, h.reminder_id, h.customer_no, h.currency, h.document_date as issued_on,
    h.payment_deadline, l.fee, l.interest, l.interest_from, l.interest_to, l.compensation
from reminder_lines l
join reminder_headers h using (reminder_id)
where h.status = 'sent' and l.kind = 'overdue';

-- German statutory interest between businesses: the base rate (Basiszinssatz, § 247 BGB, published by the
-- Deutsche Bundesbank; changes on 1 January and 1 July) + 9 points (§ 288(2) BGB). Keep these current.
insert or ignore into reference_rates (scheme, valid_from, rate) values
    ('de', '2023-01-01', 1.62), ('de', '2023-07-01', 3.12), ('de', '2024-01-01', 3.62),
    ('de', '2024-07-01', 3.37), ('de', '2025-01-01', 2.27), ('de', '2025-07-01', 1.27),
    ('de', '2026-01-01', 1.27), ('de', '2026-07-01', 1.27);
