-- Open debit entries in LCY: all of them, and those more than 90 days past due (for the share > 90 days).
select
    coalesce(sum(o.open_amount_lcy), 0)::decimal(18, 2) as debits_lcy,
    coalesce(sum(o.open_amount_lcy) filter (where o.days_overdue > 90), 0)::decimal(18, 2) as over_90_lcy
from open_entries($as_of::date) o
join customers c using (customer_no)
where ($currencies is null or list_contains($currencies, o.currency))
  and ($countries is null or list_contains($countries, c.country))
  and ($customer_search is null
       or o.customer_no ilike '%' || $customer_search || '%'
       or c.name ilike '%' || $customer_search || '%')
  and ($include_held or (coalesce(o.on_hold, '') = '' and coalesce(o.dispute_status, '') = ''))
  and o.open_amount_lcy > 0
