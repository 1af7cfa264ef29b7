-- Step 6 of a proposal: p_rate_days, then the drafts' lines, written straight into reminder_lines (no copy in
-- between). Reads p_entries, p_heads, reminder_levels and reference_rates.
-- Each line is priced under its own level's interest method and compensation rule (reminder_levels of the
-- header's terms at the line's level), not the header's. Interest runs from p_entries.interest_from (the day
-- after the due date, or after the last day an issued reminder charged) to the document date, both inclusive,
-- on the entry's open principal; entries that are themselves fees or interest (reminder, finance_charge) bear
-- none. The period is recorded on the line (interest_from, interest_to) when interest is charged, so that the
-- next reminder starts after it. The fixed compensation is claimed once per invoice (p_entries.comp_claimed).
-- Exact in integers: cents x the sum over periods of (rate in 1/10,000 points x days) / $days_per_year,
-- rounded half up to the cent once per line. The law's figures ($statutory_points, $de_points,
-- $period_months, the fixed sums...) are bound from dunning/reminders/law.py through
-- dunning/reminders/interest.py; tests/interest_oracle.py states the same rules in Python.
-- Statutory rates are looked up per distinct due date and first day (a few hundred), never per line:
-- EU and DE: the days are split at half-year boundaries, each half-year at the reference rate in force on its
-- first day + the scheme's points (8 EU, 9 DE); UK: the rate of the half-year in which the debt fell overdue +
-- 8 points, for all its days. A half-year without a rate row gets no interest (before the table's first row)
-- or the last known rate (after its last row), with a note for the draft's header.
create or replace temp table p_rate_days as
with d as (
    select s.scheme, e.due_date, e.interest_from,
           -- the first rate period (half-year): UK the one the debt fell overdue in, else that of the first day
           case when s.scheme = 'uk' then e.due_date + 1 else e.interest_from end as rate_day
    from (select distinct due_date, interest_from from p_entries
          where is_line and days_overdue > 0 and interest_from <= $as_of::date) e,
         (select unnest(['eu', 'de', 'uk']) as scheme) s
),
d2 as (
    select d.*,
           make_date(year(rate_day), (month(rate_day) - 1) // $period_months * $period_months + 1, 1) as first_start,
           -- how many periods follow it up to the as-of date (periods are numbered year x periods a year + index)
           (year($as_of::date) * (12 // $period_months) + (month($as_of::date) - 1) // $period_months)
             - (year(rate_day) * (12 // $period_months) + (month(rate_day) - 1) // $period_months) as n_more
    from d
),
p as (
    select d.scheme, d.due_date, d.interest_from, (d.first_start + to_months($period_months * k.k))::date as start,
           case when d.scheme = 'uk' then $as_of::date - d.interest_from + 1
                else least((d.first_start + to_months($period_months * (k.k + 1)))::date, $as_of::date + 1)
                     - greatest((d.first_start + to_months($period_months * k.k))::date, d.interest_from) end as days
    from d2 d, lateral (select unnest(range(0, case when d.scheme = 'uk' then 1 else d.n_more + 1 end)) as k) k
),
r as (
    select p.*, rr.valid_from, rr.rate
    from p asof left join reference_rates rr on rr.scheme = p.scheme and rr.valid_from <= p.start
)
select r.*,
       ((r.rate + case r.scheme when 'de' then $de_points::decimal(9, 4) else $statutory_points::decimal(9, 4) end)
         * 10000)::hugeint * r.days as rate_days,
       case when r.rate is null  -- texts: dunning/reminders/reasons.py
                then format($text_rate_missing, upper(r.scheme), strftime(r.start, '%Y-%m-%d'))
            when r.start > l.last_from
                then format($text_rate_assumed, upper(r.scheme), strftime(r.start, '%Y-%m-%d'),
                            strftime(r.valid_from, '%Y-%m-%d'), r.rate::varchar)
       end as rate_note
from r
left join (select scheme, max(valid_from) as last_from from reference_rates group by all) l using (scheme);

insert into reminder_lines (reminder_id, line_no, kind, entry_no, document_type, document_no, document_date,
    due_date, days_overdue, original_amount, remaining_amount, level_no, interest, compensation, interest_waived,
    interest_from, interest_to, fee)
with l as (
    select h.reminder_id, h.terms_code, h.level_no as header_level, e.*,
           case when e.is_line then 'overdue'
                when e.base_kind = 'credit' then 'credit'
                when e.base_kind = 'not_due' then 'not_due'
                else 'on_hold' end as kind
    from p_heads h
    join p_entries e using (customer_no, currency)
    where e.is_line
       or e.base_kind = 'credit'
       or (e.base_kind = 'not_due' and $include_not_due)
       or (e.base_kind = 'not_due' and not $only_overdue)
       or (e.base_kind = 'overdue' and e.excluded_reason is not null and $include_on_hold)
),
leveled as (
    select l.*,
           -- the header level for all lines (option): never more than one above the line's last level, and
           -- never before the last reminder's payment deadline has passed
           case when kind <> 'overdue' then 0
                when $use_header_level and (last_deadline is null or last_deadline < $as_of::date)
                    then greatest(line_level, least(header_level, last_level + 1))
                else line_level end as level_no
    from l
),
r as (  -- the line's own level decides its interest method, compensation and per-line fee
    select x.*, lv.interest_method, lv.interest_rate,
           -- the per-line fee of the line's level in its currency, once per document and level: only when the
           -- line rises to a level it did not have (the ERP's or ours), and not again when the entry was
           -- already on an issued reminder at this level
           case when x.kind = 'overdue' and x.level_no > x.last_level and c.entry_no is null
                then coalesce(f.fee_per_line, 0.00) else 0.00 end as line_fee,
           case lv.interest_method when 'eu_statutory' then 'eu' when 'de_statutory' then 'de'
                when 'uk_statutory' then 'uk' end as scheme,
           $as_of::date - x.interest_from + 1 as interest_days,
           (x.open_amount * 100)::hugeint as cents,
           (x.original_amount * 100)::hugeint as orig_cents,
           (x.original_amount_lcy * 100)::hugeint as orig_lcy_cents
    from leveled x
    left join reminder_levels lv on lv.terms_code = x.terms_code and lv.level_no = x.level_no
    left join reminder_level_fees f
        on f.terms_code = x.terms_code and f.level_no = x.level_no and f.currency = x.currency
    left join (select distinct entry_no, level_no from issued_lines) c
        on c.entry_no = x.entry_no and c.level_no = x.level_no
),
rate_days as (  -- per scheme, due date and first day: sum of (rate + points) x days over the periods with a rate
    select scheme, due_date, interest_from, coalesce(sum(rate_days), 0) as rate_days from p_rate_days group by all
),
rated as (
    select r.*,
           case when r.kind <> 'overdue' or r.days_overdue <= 0 or r.open_amount <= 0 or r.interest_days <= 0
                     or r.document_type in ('reminder', 'finance_charge') then null
                when r.interest_method = 'contractual' then (r.interest_rate * 10000)::hugeint * r.interest_days
                when r.scheme is not null then rd.rate_days end as rate_days
    from r
    left join rate_days rd using (scheme, due_date, interest_from)
),
priced as (
    select rated.*,
           -- cents x (rate x 10,000) x days / (days a year x 100 percent x 10,000), rounded half up
           coalesce((cents * rate_days * 2 + $days_per_year::hugeint * 1000000)
                    // ($days_per_year::hugeint * 2000000), 0) as interest_cents,
           -- the fixed sum, once per invoice, converted at the invoice's own rate when only the local currency
           -- is the scheme's
           case
               when kind <> 'overdue' or scheme is null or document_type <> 'invoice' or open_amount <= 0
                    or days_overdue <= 0 or comp_claimed then 0
               when currency = scheme_currency then comp_home
               when $lcy::varchar = scheme_currency and orig_lcy_cents > 0 and orig_cents > 0
                   then (comp_lcy * orig_cents * 2 + orig_lcy_cents) // (2 * orig_lcy_cents)
               else 0
           end as comp_cents
    from (
        select rated.*,
               case scheme when 'uk' then $uk_currency::varchar else $eu_currency::varchar end as scheme_currency,
               -- UK: the band of the debt when it fell overdue (the invoice's amount, in GBP or in LCY)
               case when scheme = 'eu' then $eu_compensation_cents::hugeint
                    when scheme = 'de' then $de_compensation_cents::hugeint
                    when orig_cents < $uk_band_1_below_cents then $uk_band_1_cents::hugeint
                    when orig_cents < $uk_band_2_below_cents then $uk_band_2_cents::hugeint
                    else $uk_top_cents::hugeint end as comp_home,
               case when scheme = 'eu' then $eu_compensation_cents::hugeint
                    when scheme = 'de' then $de_compensation_cents::hugeint
                    when orig_lcy_cents < $uk_band_1_below_cents then $uk_band_1_cents::hugeint
                    when orig_lcy_cents < $uk_band_2_below_cents then $uk_band_2_cents::hugeint
                    else $uk_top_cents::hugeint end as comp_lcy
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
    original_amount, open_amount as remaining_amount, level_no,
    (interest_cents::decimal(18, 0) * 0.01)::decimal(18, 2) as interest,
    (comp_cents::decimal(18, 0) * 0.01)::decimal(18, 2) as compensation,
    false as interest_waived,
    case when interest_cents > 0 then interest_from end as interest_from,
    case when interest_cents > 0 then $as_of::date end as interest_to,
    line_fee as fee
from priced;
