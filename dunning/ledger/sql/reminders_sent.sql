-- Reminders a customer was sent up to a date: those this tool sent (reminder_headers, status 'sent'), and the
-- reminder marks the imported ledger carries (last_reminder_level/date per entry, e.g. sent from the ERP),
-- grouped by date and level. A ledger mark that a sent reminder of this tool already accounts for (same
-- entry, level and date) is not listed twice.
with sent as (
    select h.reminder_id, h.reminder_no, h.level_no, h.sent_at::date as sent_on, h.currency, h.total
    from reminder_headers h
    where h.customer_no = $customer_no
      and h.status = 'sent'
      and h.sent_at is not null
      and h.sent_at::date <= $as_of::date
),
sent_docs as (
    select l.reminder_id, list(l.document_no order by l.line_no) as documents
    from reminder_lines l
    where l.reminder_id in (select reminder_id from sent) and l.kind = 'overdue'
    group by l.reminder_id
),
marks as (
    select e.entry_no, e.document_no, e.currency, e.amount, e.last_reminder_level, e.last_reminder_date
    from ledger_entries e
    where e.customer_no = $customer_no
      and e.last_reminder_level > 0
      and e.last_reminder_date is not null
      and e.last_reminder_date <= $as_of::date
      and not exists (
          select 1
          from reminder_lines l
          join reminder_headers h on h.reminder_id = l.reminder_id
          where l.entry_no = e.entry_no
            and h.status = 'sent'
            and l.level_no = e.last_reminder_level  -- the line's level (a reminder takes its highest line's)
            and (h.sent_at::date = e.last_reminder_date or h.document_date = e.last_reminder_date)
      )
)
select 'app' as source, s.reminder_no, s.level_no, s.sent_on, s.currency, s.total,
       coalesce(d.documents, []::varchar[]) as documents
from sent s
left join sent_docs d using (reminder_id)
union all
select 'ledger', null, m.last_reminder_level, m.last_reminder_date, m.currency, null,
       list(m.document_no order by m.document_no)
from marks m
group by m.last_reminder_level, m.last_reminder_date, m.currency
order by sent_on desc, level_no desc, source
