-- Step 2 of a proposal, p_entries: every open entry of the customers in scope (p_cust), classified, with its next
-- level. Reads open_entries(), reminder_levels, reminder_terms, reminder_lines and reminder_headers (history and
-- pending reminders), agreements on single entries.
-- base_kind: overdue (open debit past its due date), not_due (open debit not yet due), credit (open credit).
-- excluded_reason: why an overdue entry cannot be reminded now (dispute, hold, agreement, pending reminder,
-- maximum reached). triggering: overdue, not excluded, and the wait for its next level has passed.
create or replace temp table p_entries as
with levels as (
    select terms_code, level_no, due_days + coalesce($grace::integer, grace_days) as wait_days
    from reminder_levels
),
n_levels as (
    select terms_code, max(level_no) as n_levels from reminder_levels group by all
),
issued as (   -- reminders already sent per entry (history kept in this database)
    select l.entry_no, count(*) as n
    from reminder_lines l join reminder_headers h using (reminder_id)
    where h.status = 'sent' and l.kind = 'overdue'
    group by all
),
pending as (  -- entries on reminders approved or being sent: not proposed again (the customer is skipped too)
    select l.entry_no, min(h.reminder_id) as reminder_id
    from reminder_lines l join reminder_headers h using (reminder_id)
    where h.status in ('approved', 'sending') and l.kind = 'overdue'
    group by all
),
agreed as (   -- agreements naming single entries
    select entry_no, max(valid_until) as valid_until
    from (
        select unnest(entry_nos) as entry_no, valid_until from agreements
        where entry_nos is not null and agreed_on <= $as_of::date and valid_until >= $as_of::date
    )
    group by all
),
e as (
    select
        o.entry_no, o.customer_no, o.currency, o.document_type, o.document_no, o.document_date, o.due_date,
        o.amount as original_amount, o.open_amount, o.open_amount_lcy, o.days_overdue::integer as days_overdue,
        o.last_reminder_level as last_level, o.last_reminder_date, o.promised_pay_date,
        coalesce(o.dispute_status, '') as dispute_status, coalesce(o.on_hold, '') as on_hold,
        c.terms_code, t.max_reminders, t.after_last_level, n.n_levels,
        greatest(o.last_reminder_level, coalesce(i.n, 0)) as reminders_done,
        case when o.open_amount < 0 then 'credit' when o.days_overdue <= 0 then 'not_due' else 'overdue' end
            as base_kind,
        a.valid_until as agreed_until, p.reminder_id as pending_reminder
    from open_entries($as_of::date) o
    join p_cust c using (customer_no)
    left join reminder_terms t on t.code = c.terms_code
    left join n_levels n on n.terms_code = c.terms_code
    left join issued i on i.entry_no = o.entry_no
    left join pending p on p.entry_no = o.entry_no
    left join agreed a on a.entry_no = o.entry_no
    where o.open_amount <> 0
),
x as (
select
    e.*,
    least(e.last_level + 1, e.n_levels) as next_level,
    case when e.last_level = 0 or e.last_reminder_date is null then e.due_date else e.last_reminder_date end
        + lv.wait_days as next_due,
    case  -- texts: dunning/reminders/reasons.py, filled in with format()
        when e.base_kind <> 'overdue' then null
        when e.dispute_status <> '' then format($text_disputed, e.dispute_status)
        when e.on_hold <> '' then format($text_on_hold, e.on_hold)
        when e.agreed_until is not null then format($text_entry_agreement, strftime(e.agreed_until, '%Y-%m-%d'))
        when e.pending_reminder is not null then format($text_entry_pending, e.pending_reminder::varchar)
        when e.max_reminders is not null and e.reminders_done >= e.max_reminders
            then format($text_maximum, e.max_reminders::varchar)
        when e.last_level >= e.n_levels and e.after_last_level = 'stop'
            then format($text_stopped, e.n_levels::varchar)
    end as excluded_reason
from e
left join levels lv on lv.terms_code = e.terms_code and lv.level_no = least(e.last_level + 1, e.n_levels)
),
y as (
    select x.*, (x.base_kind = 'overdue' and x.excluded_reason is null and x.next_due <= $as_of::date) as triggering
    from x
)
select
    y.*,
    -- an overdue line of the reminder: every remindable overdue entry (as Business Central lists them), so that
    -- credits are netted against all of them and the total is the sum of what is listed. Only triggering
    -- entries decide whether there is a reminder and at which level; the others keep their level.
    (y.base_kind = 'overdue' and y.excluded_reason is null) as is_line,
    case when y.triggering then y.next_level else least(greatest(y.last_level, 1), y.n_levels) end as line_level
from y;
