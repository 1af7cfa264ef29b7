-- Step 3 of a proposal: the drafts' lines, written straight into reminder_lines (no copy in between), with
-- interest per overdue line under the header level's method, computed exactly as dunning/interest.py does:
-- integer cents x rate in 1/10,000 points x days / 365, rounded half up to the cent.
insert into reminder_lines (reminder_id, line_no, kind, entry_no, document_type, document_no, document_date,
    due_date, days_overdue, original_amount, remaining_amount, level_no, interest, compensation, interest_waived)
with l as (
    select h.reminder_id, h.interest_method, h.interest_rate, h.level_no as header_level, e.*,
           case when e.is_line then 'overdue'
                when e.base_kind = 'credit' then 'credit'
                when e.base_kind = 'not_due' then 'not_due'
                else 'on_hold' end as kind
    from p_heads h
    join p_entries e using (customer_no, currency)
    where e.is_line
       or e.base_kind = 'credit'
       or (e.base_kind = 'not_due' and $include_not_due)
       or (e.base_kind = 'overdue' and (e.dispute_status <> '' or e.on_hold <> '') and $include_on_hold)
),
r as (
    select l.*,
           case l.interest_method when 'eu_statutory' then 'eu' when 'uk_statutory' then 'uk' end as scheme,
           make_date(year(l.due_date + 1), case when month(l.due_date + 1) <= 6 then 1 else 7 end, 1) as ref_day,
           (l.open_amount * 100)::hugeint as cents,
           (l.open_amount_lcy * 100)::hugeint as lcy_cents
    from l
),
ref_days as (  -- the few distinct reference days: the as-of lookup runs on these, not on every line
    select d.scheme, d.ref_day, rr.rate
    from (select distinct scheme, ref_day from r where scheme is not null) d
    asof left join reference_rates rr on rr.scheme = d.scheme and rr.valid_from <= d.ref_day
),
rated as (
    select r.*,
           case when r.kind <> 'overdue' or r.days_overdue <= 0 or r.open_amount <= 0 then null
                when r.interest_method = 'contractual' then r.interest_rate
                when r.scheme is not null then rd.rate + 8 end as annual_rate
    from r
    left join ref_days rd using (scheme, ref_day)
),
priced as (
    select rated.*,
           coalesce((cents * (annual_rate * 10000)::hugeint * days_overdue * 2 + 365000000)
                    // 730000000, 0) as interest_cents,
           case
               when kind <> 'overdue' or scheme is null or document_type <> 'invoice' or open_amount <= 0 then 0
               when currency = case scheme when 'eu' then 'EUR' else 'GBP' end then comp_home
               when $lcy::varchar = case scheme when 'eu' then 'EUR' else 'GBP' end and lcy_cents > 0
                   then (comp_lcy * cents * 2 + lcy_cents) // (2 * lcy_cents)
               else 0
           end as comp_cents
    from (
        select rated.*,
               case when scheme = 'eu' then 4000 when cents < 100000 then 4000 when cents < 1000000 then 7000
                    else 10000 end as comp_home,
               case when scheme = 'eu' then 4000 when lcy_cents < 100000 then 4000
                    when lcy_cents < 1000000 then 7000 else 10000 end as comp_lcy
        from rated
    ) rated
)
select
    reminder_id,
    row_number() over (
        partition by reminder_id
        order by case kind when 'overdue' then 1 when 'credit' then 2 when 'on_hold' then 3 else 4 end,
                 due_date, document_no, entry_no
    )::integer as line_no,
    kind, entry_no, document_type, document_no, document_date, due_date, days_overdue,
    original_amount, open_amount as remaining_amount,
    case when kind <> 'overdue' then 0 when $use_header_level then header_level else line_level end as level_no,
    (interest_cents::decimal(18, 0) * 0.01)::decimal(18, 2) as interest,
    (comp_cents::decimal(18, 0) * 0.01)::decimal(18, 2) as compensation,
    false as interest_waived
from priced;
