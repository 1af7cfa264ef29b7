-- Rows of an import that clash with stored entries: the document is stored under another entry no., or the
-- file's entry no. already belongs to another document. Reads the registered frame import_frame.
select f.row, 'document' as clash, e.entry_no as stored_entry_no, e.document_type, e.document_no
from import_frame f
join ledger_entries e on e.document_type = f.document_type and e.document_no = f.document_no
where f.entry_no is not null and e.entry_no <> f.entry_no
union all
select f.row, 'entry', e.entry_no, e.document_type, e.document_no
from import_frame f
join ledger_entries e on e.entry_no = f.entry_no
where e.document_type <> f.document_type or e.document_no <> f.document_no
order by 1, 2
