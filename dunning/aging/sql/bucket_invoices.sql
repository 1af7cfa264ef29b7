-- The open debit entries behind the drill-down list: one bucket ($min_days / $max_days, null: open), one
-- customer or all ($customer_no null). Reads `filtered` (dunning.aging.with_filtered). A reminder mark dated
-- after the as-of date did not exist yet on that date (as on the customer page's open items).
select
    o.customer_no, c.name, o.document_type, o.document_no, o.external_document_no, o.currency,
    o.posting_date, o.due_date, o.days_overdue::integer as days_overdue,
    o.open_amount::decimal(38, 2) as open_amount, o.open_amount_lcy::decimal(38, 2) as open_amount_lcy,
    case when o.last_reminder_date <= $as_of::date then nullif(o.last_reminder_level, 0) end as last_reminder_level,
    case when o.last_reminder_date <= $as_of::date then o.last_reminder_date end as last_reminder_date,
    nullif(o.on_hold, '') as hold_code, nullif(o.dispute_status, '') as dispute_status, o.promised_pay_date
from filtered o
join customers c using (customer_no)
    where o.open_amount_lcy >= 0  -- a debit, as in the tiles (aging.sql): not negative in LCY
  and o.days_overdue >= coalesce($min_days, -2147483647)
  and o.days_overdue <= coalesce($max_days, 2147483647)
  and ($customer_no is null or o.customer_no = $customer_no)
order by o.customer_no, o.due_date, o.document_no
