-- Aging of open debit entries by days past due, plus the open credits (credit memos, unapplied payments).
-- Reads `filtered` (dunning.aging.with_filtered). Entries are first grouped by due date (a few thousand
-- groups even for millions of entries; one group key keeps DuckDB on its fastest, perfect-hash aggregate),
-- then the groups are placed in the configured buckets.
with by_due as (
    select
        due_date,
        count(*) filter (where open_amount_lcy > 0) as n,
        sum(open_amount_lcy) filter (where open_amount_lcy > 0) as amount,
        count(*) filter (where open_amount_lcy < 0) as credit_n,
        sum(open_amount_lcy) filter (where open_amount_lcy < 0) as credit_amount
    from filtered
    group by due_date
)
select
    b.position, b.label, b.min_days, b.max_days, b.severity, b.alert_amount_lcy,
    coalesce(sum(d.n), 0)::bigint as n,
    coalesce(sum(d.amount), 0)::decimal(18, 2) as amount
from aging_buckets b
left join by_due d
    on ($as_of::date - d.due_date) >= coalesce(b.min_days, -2147483647)
   and ($as_of::date - d.due_date) <= coalesce(b.max_days, 2147483647)
group by all
union all
select -1, 'credits', null, null, 'credit', null,
       coalesce(sum(credit_n), 0)::bigint, coalesce(sum(credit_amount), 0)::decimal(18, 2)
from by_due
order by 1
