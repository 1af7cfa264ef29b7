-- An import of a file that lists every open entry: the entries still open in the database (not closed, something
-- remaining) whose document is not in the staged file were settled in the ERP, so nothing remains of them and
-- they are closed on $closed_on. Returns the closed entries' numbers.
update ledger_entries e
set remaining_amount = 0, remaining_amount_lcy = 0, closed_at = $closed_on, import_batch_id = $batch_id
where e.closed_at is null
  and e.remaining_amount <> 0
  and not exists (
      select 1 from import_stage s where s.document_type = e.document_type and s.document_no = e.document_no
  )
returning e.entry_no
