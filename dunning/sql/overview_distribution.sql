-- Aging distribution by currency: count, amount in entry currency and in LCY of open debit entries per
-- configured bucket and currency (combinations without entries are left out).
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
),
by_due as (
    select o.currency, o.due_date, count(*) as n, sum(o.open_amount) as amount, sum(o.open_amount_lcy) as amount_lcy
    from open_src o
    where ($currencies is null or list_contains($currencies, o.currency))
      and ($include_held or (coalesce(o.on_hold, '') = '' and coalesce(o.dispute_status, '') = ''))
      and o.open_amount_lcy > 0
    group by all
)
select
    b.position, b.label, d.currency,
    sum(d.n)::bigint as invoices,
    sum(d.amount)::decimal(18, 2) as amount,
    sum(d.amount_lcy)::decimal(18, 2) as amount_lcy
from aging_buckets b
join by_due d
    on ($as_of::date - d.due_date) >= coalesce(b.min_days, -2147483647)
   and ($as_of::date - d.due_date) <= coalesce(b.max_days, 2147483647)
group by all
order by b.position, d.currency
