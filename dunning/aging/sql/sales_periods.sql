-- Sales (invoice amounts in LCY by posting date) in the $months periods of one month each that end at the
-- as-of date and walk back from it: period k covers (as_of - k months, as_of - (k - 1) months]. For DSO.
with periods as (
    select
        k,
        ($as_of::date - to_months(k::integer))::date as starts_after,
        ($as_of::date - to_months((k - 1)::integer))::date as ends_on
    from generate_series(1, $months) g(k)
),
daily as (
    select o.posting_date, sum(o.amount_lcy) as sales
    from filtered o
    where o.document_type = 'invoice'
      and o.posting_date <= $as_of::date
      and o.posting_date > ($as_of::date - to_months($months::integer))::date
    group by o.posting_date
)
select p.k, p.starts_after, p.ends_on, (p.ends_on - p.starts_after)::integer as days,
       coalesce(sum(d.sales), 0)::decimal(18, 2) as sales_lcy
from periods p
left join daily d on d.posting_date > p.starts_after and d.posting_date <= p.ends_on
group by all
order by p.k
