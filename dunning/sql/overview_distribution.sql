-- Aging distribution by currency: count, amount in entry currency and in LCY of open debit entries per
-- configured bucket and currency (combinations without entries are left out).
with by_due as (
    select o.currency, o.due_date, count(*) as n, sum(o.open_amount) as amount, sum(o.open_amount_lcy) as amount_lcy
    from open_entries($as_of::date) o
    join customers c using (customer_no)
    where ($currencies is null or list_contains($currencies, o.currency))
      and ($countries is null or list_contains($countries, c.country))
      and ($customer_search is null
           or o.customer_no ilike '%' || $customer_search || '%'
           or c.name ilike '%' || $customer_search || '%')
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
