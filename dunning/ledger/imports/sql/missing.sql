-- How many entries open in the database (not closed, something remaining) have a document that is not in the
-- registered import frame import_frame: the entries an import of a file listing every open entry would close.
select count(*)
from ledger_entries e
where e.closed_at is null
  and e.remaining_amount <> 0
  and not exists (
      select 1 from import_frame f where f.document_type = e.document_type and f.document_no = e.document_no
  )
