-- Step 2 of a proposal, p_entries: every open entry of the customers in scope (p_cust), classified, with its next
-- level. Reads ledger_entries (open today), reminder_levels, reminder_terms, issued_lines (the history: lines
-- of reminders issued and not cancelled), reminder_lines and reminder_headers (pending reminders), agreements
-- on single entries.
-- Open today: a run dated in the past still uses what is known now about payments (an entry paid since is not
-- reminded); its days overdue count to the run's document date ($as_of).
-- base_kind: overdue (open debit past its due date), not_due (open debit not yet due), credit (open credit).
-- excluded_reason: why an overdue entry cannot be reminded now (dispute, hold, agreement, pending reminder,
-- maximum reached). triggering: overdue, not excluded, and its next level is due (next_due <= $as_of):
-- level 1 on the first document date after due date + days + grace of level 1; a next level on the later of
-- the last reminder's date + days + grace of that level and the first date after the last reminder's payment
-- deadline + grace of that level.
-- interest_from: the first day not yet charged with interest (the day after the due date, or after the last
-- day an issued reminder charged); comp_claimed: an issued reminder claimed the fixed compensation.
-- forced_level: a level a person chose for the customer and currency in review ($forced_customers,
-- $forced_currencies, $forced_levels side by side; ProposalOptions.forced_levels): every remindable overdue
-- entry of the group triggers now and is a line at that level.
create or replace temp table p_entries as
with levels as (
    select terms_code, level_no, due_days, coalesce($grace::integer, grace_days) as grace_days,
           due_days + coalesce($grace::integer, grace_days) as wait_days
    from reminder_levels
),
n_levels as (
    select terms_code, max(level_no) as n_levels from reminder_levels group by all
),
issued as (   -- per entry, the reminders issued and not cancelled (issued_lines, migration 006)
    select entry_no, count(*) as n, max(level_no) as level_no, max(issued_on) as issued_on,
           arg_max(payment_deadline, (issued_on, reminder_id)) as deadline,
           max(interest_to) as charged_to, bool_or(compensation > 0) as comp_claimed
    from issued_lines
    where issued_on <= $as_of::date
    group by all
),
pending as (  -- entries on reminders approved, being sent or unknown (a person decides): not proposed again (the customer is skipped too)
    select l.entry_no, min(h.reminder_id) as reminder_id
    from reminder_lines l join reminder_headers h using (reminder_id)
    where h.status in ('approved', 'sending', 'unknown') and l.kind = 'overdue'
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
forced as (
    select unnest($forced_customers::varchar[]) as customer_no, unnest($forced_currencies::varchar[]) as currency,
           unnest($forced_levels::integer[]) as level_no
),
e as (
    select
        o.entry_no, o.customer_no, o.currency, o.document_type, o.document_no, o.document_date, o.due_date,
        o.amount as original_amount, o.amount_lcy as original_amount_lcy, o.remaining_amount as open_amount,
        o.remaining_amount_lcy as open_amount_lcy, ($as_of::date - o.due_date)::integer as days_overdue,
        -- the level: the ERP's (imported) or the highest issued here, whichever is higher; the date likewise
        greatest(o.last_reminder_level, coalesce(i.level_no, 0)) as last_level,
        greatest(o.last_reminder_date, i.issued_on) as last_reminder_date,
        -- the last reminder's payment deadline; a reminder known only from the ERP: its date
        case when i.issued_on is not null and i.issued_on >= coalesce(o.last_reminder_date, i.issued_on)
             then i.deadline else o.last_reminder_date end as last_deadline,
        greatest(o.due_date, i.charged_to) + 1 as interest_from, coalesce(i.comp_claimed, false) as comp_claimed,
        o.promised_pay_date,
        coalesce(o.dispute_status, '') as dispute_status, coalesce(o.on_hold, '') as on_hold,
        c.terms_code, t.max_reminders, t.after_last_level, n.n_levels,
        greatest(o.last_reminder_level, coalesce(i.n, 0)) as reminders_done,
        case when o.remaining_amount < 0 then 'credit' when o.due_date >= $as_of::date then 'not_due'
             else 'overdue' end as base_kind,
        a.valid_until as agreed_until, p.reminder_id as pending_reminder, f.level_no as forced_level
    from ledger_entries o
    join p_cust c using (customer_no)
    left join reminder_terms t on t.code = c.terms_code
    left join n_levels n on n.terms_code = c.terms_code
    left join issued i on i.entry_no = o.entry_no
    left join pending p on p.entry_no = o.entry_no
    left join agreed a on a.entry_no = o.entry_no
    left join forced f on f.customer_no = o.customer_no and f.currency = o.currency
    where o.posting_date <= $as_of::date and o.closed_at is null and o.remaining_amount <> 0
),
x as (
select
    e.*,
    least(e.last_level + 1, e.n_levels) as next_level,
    case when e.last_level = 0 or e.last_reminder_date is null then e.due_date + lv.wait_days + 1
         else greatest(e.last_reminder_date + lv.wait_days,
                       coalesce(e.last_deadline, e.last_reminder_date) + lv.grace_days + 1) end as next_due,
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
    select x.*, (x.base_kind = 'overdue' and x.excluded_reason is null
                 and (x.next_due <= $as_of::date or x.forced_level is not null)) as triggering
    from x
)
select
    y.*,
    -- an overdue line of the reminder: every remindable overdue entry (as Business Central lists them), so that
    -- credits are netted against all of them and the total is the sum of what is listed. Only triggering
    -- entries decide whether there is a reminder and at which level; the others keep their level.
    (y.base_kind = 'overdue' and y.excluded_reason is null) as is_line,
    case when y.triggering and y.forced_level is not null then y.forced_level
         when y.triggering then y.next_level else least(greatest(y.last_level, 1), y.n_levels) end as line_level
from y;
