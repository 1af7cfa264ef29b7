-- Aging of open debit entries by days past due, plus the open credits (credit memos, unapplied payments).
-- Reads `filtered` (dunning.aging.with_filtered). Entries are first grouped by due date alone (a few thousand
-- groups even for millions of entries, on DuckDB's fastest, perfect-hash aggregate), then the groups are
-- placed in the configured buckets. Debits and credits are told apart without a filtered aggregate, which
-- costs twice as much: with s = sum(x) and a = sum(|x|), debits are (s + a) / 2 and credits (s - a) / 2,
-- exactly (both are sums of cents; the halving is decimal, never float).
with by_due as (
    select
        due_date,
        count(*) as n,
        sum((open_amount_lcy < 0)::integer) as credit_n,
        sum(open_amount_lcy) as s,
        sum(abs(open_amount_lcy)) as a
    from filtered
    group by due_date
),
split as (
    select
        due_date,
        n - credit_n as n,
        ((s + a) * 0.5)::decimal(38, 2) as amount,
        credit_n,
        ((s - a) * 0.5)::decimal(38, 2) as credit_amount
    from by_due
)
select
    b.position, b.label, b.min_days, b.max_days, b.severity, b.alert_amount_lcy,
    coalesce(sum(d.n), 0)::bigint as n,
    coalesce(sum(d.amount), 0)::decimal(38, 2) as amount
from aging_buckets b
left join split d
    on ($as_of::date - d.due_date) >= coalesce(b.min_days, -2147483647)
   and ($as_of::date - d.due_date) <= coalesce(b.max_days, 2147483647)
group by all
union all
select -1, 'credits', null, null, 'credit', null,
       coalesce(sum(credit_n), 0)::bigint, coalesce(sum(credit_amount), 0)::decimal(38, 2)
from split
order by 1
