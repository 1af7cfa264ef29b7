-- Undo an import batch ($batch_id), after undo.py checked that nothing later depends on it: its open draft
-- reminders on its entries go (they were proposed from its figures), the entries it inserted go, the entries it
-- changed or closed return to their state before it, the contacts it made go, a language it changed returns
-- where nobody changed it since, the customers it created go where nothing holds them any more.
create or replace temp table undo_entries as
select entry_no from import_entry_inserted where batch_id = $batch_id
union
select entry_no from import_entry_before where batch_id = $batch_id;

create or replace temp table undo_drafts as
select distinct h.reminder_id
from reminder_headers h join reminder_lines l using (reminder_id)
where h.status in ('draft', 'failed') and l.entry_no in (select entry_no from undo_entries);
delete from reminder_lines where reminder_id in (select reminder_id from undo_drafts);
delete from reminder_archive where reminder_id in (select reminder_id from undo_drafts);
delete from reminder_headers where reminder_id in (select reminder_id from undo_drafts);

delete from ledger_entries where entry_no in (select entry_no from import_entry_inserted where batch_id = $batch_id);
delete from ledger_entries where entry_no in (select entry_no from import_entry_before where batch_id = $batch_id);
insert into ledger_entries select * exclude (batch_id) from import_entry_before where batch_id = $batch_id;

delete from contacts where contact_id in (select contact_id from import_contacts_created where batch_id = $batch_id);

update customers c
set language = x.language_before
from import_customer_changes x
where x.batch_id = $batch_id and not x.created and x.customer_no = c.customer_no
  and c.language is not distinct from x.language_after;

delete from customers c
where c.customer_no in (select customer_no from import_customer_changes where batch_id = $batch_id and created)
  and not exists (select 1 from ledger_entries e where e.customer_no = c.customer_no)
  and not exists (select 1 from reminder_headers h where h.customer_no = c.customer_no)
  and not exists (select 1 from contacts k where k.customer_no = c.customer_no)
  and not exists (select 1 from agreements a where a.customer_no = c.customer_no)
  and not exists (select 1 from contact_log l where l.customer_no = c.customer_no)
  and not exists (select 1 from customer_auto_send s where s.customer_no = c.customer_no)
  and not exists (  -- a later import of customers or contacts may have given it what a person relies on
      select 1 from import_batches b
      where b.batch_id > $batch_id and b.kind <> 'ledger' and b.undone_at is null
  );

update import_batches set undone_at = current_timestamp, undone_by = $by where batch_id = $batch_id;
