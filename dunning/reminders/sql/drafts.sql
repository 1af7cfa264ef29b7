-- The drafts of a proposal run, one row per reminder, for the page and the command line.
with n as (
    select l.reminder_id, count(*) filter (where l.kind in ('overdue', 'credit'))::integer as lines
    from reminder_lines l join reminder_headers h using (reminder_id)
    where h.run_id = $run
    group by all
)
select
    h.reminder_id, h.customer_no, c.name, h.level_no as level, h.currency, coalesce(n.lines, 0) as lines,
    h.overdue_amount as overdue, h.credits_amount as credits, h.fee, h.interest, h.total,
    h.to_emails as "to", h.cc_emails as cc, h.broken_promise, h.payment_deadline, h.note
from reminder_headers h
left join customers c using (customer_no)
left join n using (reminder_id)
where h.run_id = $run
order by h.customer_no, h.currency
