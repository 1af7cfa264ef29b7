-- Before an import of every open entry closes the entries its file does not list (close_missing.sql, the same
-- condition): each of them as it is now, so that undoing the batch ($batch_id) opens them again.
insert into import_entry_before
select $batch_id, e.* from ledger_entries e
where e.closed_at is null
  and e.remaining_amount <> 0
  and not exists (
      select 1 from import_stage s where s.document_type = e.document_type and s.document_no = e.document_no
  )
  and e.entry_no not in (select entry_no from import_entry_before where batch_id = $batch_id);
