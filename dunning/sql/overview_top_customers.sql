-- Customers with the largest overdue exposure: the sum of their overdue open debit entries in LCY.
with overdue as (
    select o.customer_no, o.open_amount_lcy, o.days_overdue
    from open_entries($as_of::date) o
    join customers c using (customer_no)
    where ($currencies is null or list_contains($currencies, o.currency))
      and ($countries is null or list_contains($countries, c.country))
      and ($customer_search is null
           or o.customer_no ilike '%' || $customer_search || '%'
           or c.name ilike '%' || $customer_search || '%')
      and ($include_held or (coalesce(o.on_hold, '') = '' and coalesce(o.dispute_status, '') = ''))
      and o.open_amount_lcy > 0
      and o.days_overdue >= 1
),
per_customer as (
    select customer_no, count(*)::bigint as invoices, sum(open_amount_lcy)::decimal(18, 2) as overdue_lcy,
           max(days_overdue)::integer as oldest_days_overdue
    from overdue
    group by customer_no
)
select p.customer_no, c.name, p.invoices, p.overdue_lcy, p.oldest_days_overdue
from per_customer p
join customers c using (customer_no)
order by p.overdue_lcy desc, p.customer_no
limit $limit
