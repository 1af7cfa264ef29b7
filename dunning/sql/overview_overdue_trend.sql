-- Overdue amount over time: at each of the last 12 month ends (the as-of date standing in for the current
-- month's end), the overdue open debit entries as open_entries(that date) sees them, from posting, due and
-- closed-at dates. One query: a generate_series of dates joined laterally to the macro.
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
points as (
    select distinct least(last_day(($as_of::date - to_months(k::integer))::date), $as_of::date) as month_end
    from generate_series(0, 11) g(k)
)
select
    p.month_end,
    count(o.entry_no)::bigint as invoices,
    coalesce(sum(o.open_amount_lcy), 0)::decimal(18, 2) as overdue_lcy
from points p
left join lateral (
    select x.entry_no, x.open_amount_lcy
    from open_entries(p.month_end) x
    where x.open_amount_lcy > 0
      and x.days_overdue >= 1
      and ($currencies is null or list_contains($currencies, x.currency))
      and ($include_held or (coalesce(x.on_hold, '') = '' and coalesce(x.dispute_status, '') = ''))
      and ($countries is null and $customer_search is null or x.customer_no in (select customer_no from picked))
) o on true
group by p.month_end
order by p.month_end
