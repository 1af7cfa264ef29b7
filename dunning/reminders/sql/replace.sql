-- Step 5 of a proposal, p_old, before the new drafts are written: the open drafts they replace, deleted from
-- reminder_lines and reminder_headers. Those of the customers in scope (p_cust), and any other open draft
-- holding an entry of a customer in scope (p_entries; a re-import moved the entry to another customer), so that
-- an entry is on one open draft at most. A run over every customer ($everyone) deletes every draft.
-- A 'failed' reminder (never delivered) is replaced like a draft: the new run's figures are as of its date,
-- and keeping it would leave its entries on two open reminders.
create or replace temp table p_old as
select reminder_id, customer_no, customer_no in (select customer_no from p_cust) as in_scope
from reminder_headers h
where status in ('draft', 'failed')
  and ($everyone
       or customer_no in (select customer_no from p_cust)
       or reminder_id in (select l.reminder_id from reminder_lines l semi join p_entries e using (entry_no)));
delete from reminder_lines where reminder_id in (select reminder_id from p_old);
delete from reminder_archive where reminder_id in (select reminder_id from p_old);  -- a failed one's hand-over
delete from reminder_headers where reminder_id in (select reminder_id from p_old);
