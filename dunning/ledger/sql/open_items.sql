-- One customer's open entries as of a date, with days overdue and the collection flags. A reminder mark
-- dated after the as-of date did not exist yet on that date, so it is not shown.
select
    o.entry_no,
    o.document_type,
    o.document_no,
    coalesce(o.description, '') as description,
    coalesce(o.external_document_no, '') as external_document_no,
    o.currency,
    o.document_date,
    o.due_date,
    o.days_overdue::integer as days_overdue,
    o.amount,
    o.open_amount,
    o.open_amount_lcy,
    coalesce(o.on_hold, '') as on_hold,
    coalesce(o.dispute_status, '') as dispute_status,
    o.promised_pay_date,
    case when o.last_reminder_date <= $as_of::date then o.last_reminder_level else 0 end as last_reminder_level,
    case when o.last_reminder_date <= $as_of::date then o.last_reminder_date end as last_reminder_date
from open_entries($as_of::date) o
where o.customer_no = $customer_no
order by o.currency, o.due_date, o.document_date, o.entry_no
