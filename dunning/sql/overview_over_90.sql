-- Open debit entries in LCY: all of them, and those more than 90 days past due (for the share > 90 days).
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
open_src as (
    select * from open_entries($as_of::date) where $countries is null and $customer_search is null
    union all
    select * from open_entries($as_of::date) semi join picked using (customer_no)
)
select
    coalesce(sum(o.open_amount_lcy), 0)::decimal(18, 2) as debits_lcy,
    coalesce(sum(o.open_amount_lcy) filter (where o.days_overdue > 90), 0)::decimal(18, 2) as over_90_lcy
from open_src o
where ($currencies is null or list_contains($currencies, o.currency))
      and ($include_held or (coalesce(o.on_hold, '') = '' and coalesce(o.dispute_status, '') = ''))
  and o.open_amount_lcy > 0
