-- Before a staged ledger import (import_stage) writes anything: what it is about to change, so that its batch
-- ($batch_id) can be undone (undo.sql). The entries it inserts, each entry it changes as it is now, the customers
-- it creates, and the stored customers whose language its rows change (languages.sql), before and after.
insert into import_entry_inserted
select $batch_id, entry_no from import_stage where status = 'new';

insert into import_entry_before
select $batch_id, e.* from ledger_entries e
where e.entry_no in (select entry_no from import_stage where status = 'changed');

insert into import_customer_changes (batch_id, customer_no, created)
select distinct $batch_id, s.customer_no, true
from import_stage s
where not exists (select 1 from customers c where c.customer_no = s.customer_no);

insert into import_customer_changes (batch_id, customer_no, created, language_before, language_after)
select $batch_id, c.customer_no, false, c.language, l.language
from customers c
join (
    select customer_no, arg_min(customer_language, row) as language
    from import_stage where customer_language is not null group by customer_no
) l using (customer_no)
where c.language is distinct from l.language;
