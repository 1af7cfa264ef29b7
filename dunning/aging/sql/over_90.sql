-- The KPIs read from the open entries: open debit entries in LCY, all of them and those more than 90 days
-- past due (for the share > 90 days); and how many entries open on the as-of date are part-paid today
-- (still open, remaining amount not the full amount): on a past as-of date they count at today's remaining
-- amount, since the ledger keeps no dates of part payments.
select
    coalesce(sum(o.open_amount_lcy) filter (where o.open_amount_lcy >= 0), 0)::decimal(38, 2) as debits_lcy,
    coalesce(sum(o.open_amount_lcy) filter (where o.open_amount_lcy >= 0 and o.days_overdue > 90), 0)
        ::decimal(38, 2) as over_90_lcy,  -- a debit, as in the tiles (report.sql): not negative in LCY
    count(*) filter (where o.closed_at is null and o.remaining_amount <> o.amount)::bigint as part_paid
from filtered o
