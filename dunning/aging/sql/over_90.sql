-- Open debit entries in LCY: all of them, and those more than 90 days past due (for the share > 90 days).
select
    coalesce(sum(o.open_amount_lcy), 0)::decimal(18, 2) as debits_lcy,
    coalesce(sum(o.open_amount_lcy) filter (where o.days_overdue > 90), 0)::decimal(18, 2) as over_90_lcy
from filtered o
    where o.open_amount_lcy >= 0  -- a debit, as in the tiles (aging.sql): not negative in LCY
