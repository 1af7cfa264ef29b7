-- Customers with the largest overdue exposure: the sum of their overdue open debit entries in LCY.
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
per_customer as (
    select customer_no, count(*)::bigint as invoices, sum(open_amount_lcy)::decimal(18, 2) as overdue_lcy,
           max(days_overdue)::integer as oldest_days_overdue
    from open_src o
    where ($currencies is null or list_contains($currencies, o.currency))
      and ($include_held or (coalesce(o.on_hold, '') = '' and coalesce(o.dispute_status, '') = ''))
      and o.open_amount_lcy > 0
      and o.days_overdue >= 1
    group by customer_no
    order by overdue_lcy desc, customer_no
    limit $limit
)
select p.customer_no, c.name, p.invoices, p.overdue_lcy, p.oldest_days_overdue
from per_customer p
join customers c using (customer_no)
order by p.overdue_lcy desc, p.customer_no
