-- Aging distribution by currency: count, amount in entry currency and in LCY of open debit entries per
-- configured bucket and currency (combinations without entries are left out).
with by_due as (
    select o.currency, o.due_date, count(*) as n, sum(o.open_amount) as amount, sum(o.open_amount_lcy) as amount_lcy
    from filtered o
    where o.open_amount_lcy >= 0  -- a debit, as in the tiles (aging.sql): not negative in LCY
    group by all
)
select
    b.position, b.label, d.currency,
    sum(d.n)::bigint as invoices,
    sum(d.amount)::decimal(38, 2) as amount,
    sum(d.amount_lcy)::decimal(38, 2) as amount_lcy
from aging_buckets b
join by_due d
    on ($as_of::date - d.due_date) >= coalesce(b.min_days, -2147483647)
   and ($as_of::date - d.due_date) <= coalesce(b.max_days, 2147483647)
group by all
order by b.position, d.currency
