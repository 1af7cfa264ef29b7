-- Net sales in LCY per calendar month, walking back from the as-of date, for the countback DSO. Period 0 is
-- the as-of date's month up to and including the as-of date; period k (1 .. $months - 1) is the whole
-- calendar month k months before it. A period covers (starts_after, ends_on]. Net sales are the LCY amounts
-- of invoices less credit memos (negative amounts) posted in the period, whether open or paid since; the
-- receivables balance the DSO divides (the open entries net of open credits) holds credit memos the same way.
with periods as (
    select k, (date_trunc('month', $as_of::date) - to_months(k::integer))::date as first_day
    from generate_series(0, $months - 1) g(k)
),
monthly as (
    select date_trunc('month', o.posting_date)::date as first_day, sum(o.amount_lcy) as sales
    from filtered o
    where o.document_type in ('invoice', 'credit_memo')
      and o.posting_date <= $as_of::date
      and o.posting_date >= (date_trunc('month', $as_of::date) - to_months(($months - 1)::integer))::date
    group by 1
)
select
    p.k,
    (p.first_day - 1)::date as starts_after,
    least(last_day(p.first_day), $as_of::date) as ends_on,
    (least(last_day(p.first_day), $as_of::date) - (p.first_day - 1))::integer as days,
    coalesce(m.sales, 0)::decimal(38, 2) as sales_lcy
from periods p
left join monthly m using (first_day)
order by p.k
