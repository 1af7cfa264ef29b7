-- What the ledger's amounts add up to once the file (import_totals) is imported, its rows taking the place of
-- the stored entries of the same documents: the sums of absolute amounts, in the entries' currencies and in
-- the local one, so every total aging and the overview take is at most these. With each, the file's row of the
-- largest amount, to name in the problem.
with f as (
    select row, document_type, document_no,
           abs(amount::decimal(38, 3)) as amount, abs(amount_lcy::decimal(38, 3)) as amount_lcy
    from import_totals
),
kept as (
    select abs(e.amount::decimal(38, 3)) as amount, abs(e.amount_lcy::decimal(38, 3)) as amount_lcy
    from ledger_entries e
    where not exists (select 1 from f where f.document_type = e.document_type and f.document_no = e.document_no)
)
select
    coalesce((select sum(amount) from f), 0) + coalesce((select sum(amount) from kept), 0) as amount,
    coalesce((select sum(amount_lcy) from f), 0) + coalesce((select sum(amount_lcy) from kept), 0) as amount_lcy,
    (select arg_max(row, amount) from f) as amount_row,
    (select arg_max(row, amount_lcy) from f) as amount_lcy_row
