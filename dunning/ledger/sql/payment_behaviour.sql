-- Invoices of one customer closed (paid in full) in the window ($since, $as_of], with their days late:
-- days from the due date to the closing date, an early payment counting as 0 days late.
select
    count(*)::bigint as invoices,
    (count(*) filter (where e.closed_at > e.due_date))::bigint as paid_late,
    coalesce(sum(greatest(e.closed_at - e.due_date, 0)), 0)::bigint as days_late_sum,
    coalesce(sum(e.amount_lcy), 0)::decimal(18, 2) as weight_sum,
    coalesce(sum(greatest(e.closed_at - e.due_date, 0) * e.amount_lcy), 0)::decimal(38, 2) as weighted_days_sum
from ledger_entries e
where e.customer_no = $customer_no
  and e.document_type = 'invoice'
  and e.amount > 0
  and e.closed_at is not null
  and e.closed_at > $since::date
  and e.closed_at <= $as_of::date
