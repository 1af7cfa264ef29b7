-- Sales (invoice amounts in LCY by posting date) in the $months periods of one month each that end at the
-- as-of date and walk back from it: period k covers (as_of - k months, as_of - (k - 1) months]. For DSO.
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
periods as (
    select
        k,
        ($as_of::date - to_months(k::integer))::date as starts_after,
        ($as_of::date - to_months((k - 1)::integer))::date as ends_on
    from generate_series(1, $months) g(k)
),
invoices as (
    select * from ledger_entries where $countries is null and $customer_search is null
    union all
    select * from ledger_entries semi join picked using (customer_no)
),
daily as (
    select o.posting_date, sum(o.amount_lcy) as sales
    from invoices o
    where o.document_type = 'invoice'
      and o.posting_date <= $as_of::date
      and o.posting_date > ($as_of::date - to_months($months::integer))::date
      and ($currencies is null or list_contains($currencies, o.currency))
      and ($include_held or (coalesce(o.on_hold, '') = '' and coalesce(o.dispute_status, '') = ''))
    group by o.posting_date
)
select p.k, p.starts_after, p.ends_on, (p.ends_on - p.starts_after)::integer as days,
       coalesce(sum(d.sales), 0)::decimal(18, 2) as sales_lcy
from periods p
left join daily d on d.posting_date > p.starts_after and d.posting_date <= p.ends_on
group by all
order by p.k
