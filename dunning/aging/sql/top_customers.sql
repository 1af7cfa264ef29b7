-- Customers with the largest overdue exposure: the sum of their overdue open debit entries in LCY.
with per_customer as (
    select customer_no, count(*)::bigint as invoices, sum(open_amount_lcy)::decimal(38, 2) as overdue_lcy,
           max(days_overdue)::integer as oldest_days_overdue
    from filtered o
    where o.open_amount_lcy >= 0  -- a debit, as in the tiles (aging.sql): not negative in LCY
      and o.days_overdue >= 1
    group by customer_no
    order by overdue_lcy desc, customer_no
    limit $limit
)
select p.customer_no, c.name, p.invoices, p.overdue_lcy, p.oldest_days_overdue
from per_customer p
join customers c using (customer_no)
order by p.overdue_lcy desc, p.customer_no
