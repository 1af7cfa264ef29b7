-- Write the new and changed entries of a staged import. The ERP's reminder level and date (last_reminder_*,
-- e.g. Business Central's "Last Issued Reminder Level") are written when the file has them; a file without
-- them keeps the stored ones.
insert into ledger_entries (
    entry_no, customer_no, document_type, document_no, description, currency, posting_date, document_date,
    due_date, amount, remaining_amount, amount_lcy, remaining_amount_lcy, closed_at, on_hold, dispute_status,
    promised_pay_date, external_document_no, import_batch_id
)
select
    entry_no, customer_no, document_type, document_no, description, currency, posting_date, document_date,
    due_date, amount, remaining_amount, amount_lcy, remaining_amount_lcy, closed_at, on_hold, dispute_status,
    promised_pay_date, external_document_no, $batch_id
from import_stage
where status <> 'same'
on conflict (entry_no) do update set
    customer_no = excluded.customer_no,
    description = excluded.description,
    currency = excluded.currency,
    posting_date = excluded.posting_date,
    document_date = excluded.document_date,
    due_date = excluded.due_date,
    amount = excluded.amount,
    remaining_amount = excluded.remaining_amount,
    amount_lcy = excluded.amount_lcy,
    remaining_amount_lcy = excluded.remaining_amount_lcy,
    closed_at = excluded.closed_at,
    on_hold = excluded.on_hold,
    dispute_status = excluded.dispute_status,
    promised_pay_date = excluded.promised_pay_date,
    external_document_no = excluded.external_document_no,
    import_batch_id = excluded.import_batch_id;

-- the ERP's reminder level and date where the file has them (null: not in the file, the stored ones kept)
update ledger_entries e
set last_reminder_level = coalesce(s.last_reminder_level, e.last_reminder_level),
    last_reminder_date = coalesce(s.last_reminder_date, e.last_reminder_date)
from import_stage s
where s.entry_no = e.entry_no and s.status <> 'same'
  and (s.last_reminder_level is not null or s.last_reminder_date is not null);
