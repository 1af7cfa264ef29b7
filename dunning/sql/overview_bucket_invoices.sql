-- The open debit entries behind the drill-down list: one bucket ($min_days / $max_days, null: open), one
-- customer or all ($customer_no null). Filters as in aging.sql.
with picked as (
    -- customers chosen by country or search; empty (and unused) when neither filter is set. Joining the
    -- customers only then keeps the unfiltered page free of a million-row join.
    select customer_no
    from customers c
    where not ($countries is null and $customer_search is null)
      and ($countries is null or list_contains($countries, c.country))
      and ($customer_search is null
           or c.customer_no ilike '%' || $customer_search || '%'
           or c.name ilike '%' || $customer_search || '%')
),
open_src as (
    select * from open_entries($as_of::date) where $countries is null and $customer_search is null
    union all
    select * from open_entries($as_of::date) semi join picked using (customer_no)
)
select
    o.customer_no, c.name, o.document_type, o.document_no, o.external_document_no, o.currency,
    o.posting_date, o.due_date, o.days_overdue::integer as days_overdue,
    o.open_amount::decimal(18, 2) as open_amount, o.open_amount_lcy::decimal(18, 2) as open_amount_lcy,
    o.last_reminder_level, o.last_reminder_date,
    nullif(o.on_hold, '') as on_hold, nullif(o.dispute_status, '') as dispute_status, o.promised_pay_date
from open_src o
join customers c using (customer_no)
where ($currencies is null or list_contains($currencies, o.currency))
      and ($include_held or (coalesce(o.on_hold, '') = '' and coalesce(o.dispute_status, '') = ''))
  and o.open_amount_lcy > 0
  and o.days_overdue >= coalesce($min_days, -2147483647)
  and o.days_overdue <= coalesce($max_days, 2147483647)
  and ($customer_no is null or o.customer_no = $customer_no)
order by o.customer_no, o.due_date, o.document_no
