-- The drafts of a proposal run, one row per reminder, for the page and the command line.
select
    h.reminder_id, h.customer_no, c.name, h.level_no as level, h.currency,
    (select count(*) from reminder_lines l where l.reminder_id = h.reminder_id
        and l.kind in ('overdue', 'credit'))::integer as lines,
    h.overdue_amount as overdue, h.credits_amount as credits, h.fee, h.interest, h.total,
    h.to_emails as "to", h.cc_emails as cc, h.broken_promise, h.payment_deadline, h.note
from reminder_headers h
left join customers c using (customer_no)
where h.run_id = $run
order by h.customer_no, h.currency
