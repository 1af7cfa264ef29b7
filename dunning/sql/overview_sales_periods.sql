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
    select e.posting_date, sum(e.amount_lcy) as sales
    from ledger_entries e
    join customers c using (customer_no)
    where e.document_type = 'invoice'
      and e.posting_date <= $as_of::date
      and e.posting_date > ($as_of::date - to_months($months::integer))::date
      and ($currencies is null or list_contains($currencies, e.currency))
      and ($countries is null or list_contains($countries, c.country))
      and ($customer_search is null
           or e.customer_no ilike '%' || $customer_search || '%'
           or c.name ilike '%' || $customer_search || '%')
      and ($include_held or (coalesce(e.on_hold, '') = '' and coalesce(e.dispute_status, '') = ''))
    group by e.posting_date
)
select p.k, p.starts_after, p.ends_on, (p.ends_on - p.starts_after)::integer as days,
       coalesce(sum(d.sales), 0)::decimal(18, 2) as sales_lcy
from periods p
left join daily d on d.posting_date > p.starts_after and d.posting_date <= p.ends_on
group by all
order by p.k
