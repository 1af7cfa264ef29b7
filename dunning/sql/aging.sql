-- Aging of open debit entries by days past due, plus the open credits (credit memos, unapplied payments).
-- Entries are first grouped by due date (a few thousand groups even for millions of entries), then the
-- groups are placed in the configured buckets.
with filtered as (
    select o.due_date, o.open_amount_lcy
    from open_entries($as_of::date) o
    join customers c using (customer_no)
    where ($currencies is null or list_contains($currencies, o.currency))
      and ($countries is null or list_contains($countries, c.country))
      and ($customer_search is null
           or o.customer_no ilike '%' || $customer_search || '%'
           or c.name ilike '%' || $customer_search || '%')
      and ($include_held or (coalesce(o.on_hold, '') = '' and coalesce(o.dispute_status, '') = ''))
),
by_due as (
    select due_date, open_amount_lcy > 0 as is_debit, count(*) as n, sum(open_amount_lcy) as amount
    from filtered
    group by all
)
select
    b.position, b.label, b.min_days, b.max_days, b.severity, b.alert_amount_lcy,
    coalesce(sum(d.n), 0)::bigint as n,
    coalesce(sum(d.amount), 0)::decimal(18, 2) as amount
from aging_buckets b
left join by_due d
    on d.is_debit
   and ($as_of::date - d.due_date) >= coalesce(b.min_days, -2147483647)
   and ($as_of::date - d.due_date) <= coalesce(b.max_days, 2147483647)
group by all
union all
select -1, 'credits', null, null, 'credit', null,
       coalesce(sum(n), 0)::bigint, coalesce(sum(amount), 0)::decimal(18, 2)
from by_due where not is_debit
order by 1
