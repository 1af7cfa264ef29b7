-- Stage an import (the registered, validated frame import_frame) with typed columns and resolved entry nos.:
-- the file's entry no., else the stored entry of the same document, else new numbers after the highest one.
-- status: new (insert), changed (update), same (nothing to do; re-importing a file changes nothing).
create or replace temp table import_stage as
with keyed as (
    select f.*, e.entry_no as stored_no
    from import_frame f
    left join ledger_entries e on e.document_type = f.document_type and e.document_no = f.document_no
),
top as (
    select greatest(
        (select coalesce(max(entry_no), 0) from ledger_entries),
        (select coalesce(max(entry_no), 0) from import_frame)
    ) as n
),
typed as (
    select
        k.row::integer as row,
        coalesce(
            k.entry_no, k.stored_no,
            top.n + row_number() over (partition by k.entry_no is null and k.stored_no is null order by k.row)
        )::bigint as entry_no,
        k.customer_no::varchar as customer_no,
        k.customer_name::varchar as customer_name,
        k.customer_language::varchar as customer_language,  -- null: not in the file or empty
        k.document_type::varchar as document_type,
        k.document_no::varchar as document_no,
        k.description::varchar as description,
        k.currency::varchar as currency,
        k.posting_date::date as posting_date,
        k.document_date::date as document_date,
        k.due_date::date as due_date,
        k.amount::varchar::decimal(18, 3) as amount,
        k.remaining_amount::varchar::decimal(18, 3) as remaining_amount,
        k.amount_lcy::varchar::decimal(18, 3) as amount_lcy,
        k.remaining_amount_lcy::varchar::decimal(18, 3) as remaining_amount_lcy,
        k.closed_at::date as closed_at,
        k.on_hold::varchar as on_hold,
        k.dispute_status::varchar as dispute_status,
        k.promised_pay_date::date as promised_pay_date,
        k.external_document_no::varchar as external_document_no,
        k.last_reminder_level::integer as last_reminder_level,  -- null: not in the file, the stored one kept
        k.last_reminder_date::date as last_reminder_date,
        k.email::varchar as email  -- the customer's email address on the row (not stored on the entry)
    from keyed k, top
)
select
    t.*,
    case
        when e.entry_no is null then 'new'
        when t.customer_no is distinct from e.customer_no
          or t.description is distinct from e.description
          or t.currency is distinct from e.currency
          or t.posting_date is distinct from e.posting_date
          or t.document_date is distinct from e.document_date
          or t.due_date is distinct from e.due_date
          or t.amount is distinct from e.amount
          or t.remaining_amount is distinct from e.remaining_amount
          or t.amount_lcy is distinct from e.amount_lcy
          or t.remaining_amount_lcy is distinct from e.remaining_amount_lcy
          or t.closed_at is distinct from e.closed_at
          or t.on_hold is distinct from e.on_hold
          or t.dispute_status is distinct from e.dispute_status
          or t.promised_pay_date is distinct from e.promised_pay_date
          or t.external_document_no is distinct from e.external_document_no
          or (t.last_reminder_level is not null and t.last_reminder_level is distinct from e.last_reminder_level)
          or (t.last_reminder_date is not null and t.last_reminder_date is distinct from e.last_reminder_date)
            then 'changed'
        else 'same'
    end as status
from typed t
left join ledger_entries e on e.entry_no = t.entry_no
