-- Step 3 of a proposal, p_groups: one row per customer and currency with overdue entries (p_entries, p_cust):
-- either a draft (skip_reason null: level, fee, recipients and note filled in) or the reason it gets no
-- reminder. Also reads reminder_terms, reminder_levels, reminder_level_fees (fees per currency), issued_lines
-- (per-line fees charged), agreements on the whole customer, reminder_headers (awaiting sending, last sent),
-- ledger_entries (last reminded), contact_log and contacts.
-- Every text is a template of dunning/reminders/reasons.py ($text_...), filled in with format().
-- Netting: open credits of the group's currency are netted against its lines; an open unapplied payment in that
-- currency skips the group until it is applied (the lines' interest would otherwise run on money already
-- received); open credits in other currencies are named in the note, never netted.
create or replace temp table p_groups as
with n_levels as (
    select terms_code, max(level_no) as n_levels from reminder_levels group by all
),
promises as (
    select customer_no,
           max(promised_pay_date) filter (where promised_pay_date >= $as_of::date) as promised,
           coalesce(bool_or(promised_pay_date < $as_of::date), false) as broken
    from p_entries where open_amount > 0
    group by all
),
agreed as (
    select customer_no,
           arg_max(format($text_agreement, strftime(agreed_on, '%Y-%m-%d'), strftime(valid_until, '%Y-%m-%d'),
                          note), valid_until) as agreement
    from agreements
    where entry_nos is null and agreed_on <= $as_of::date and valid_until >= $as_of::date
    group by all
),
awaiting as ( -- a reminder approved, being sent or of unknown fate: no second one before it is sent (or cancelled)
    select customer_no,
           arg_min(format($text_awaiting, reminder_id::varchar, status, strftime(document_date, '%Y-%m-%d')),
                   reminder_id) as awaiting
    from reminder_headers
    where status in ('approved', 'sending', 'unknown')
    group by all
),
reminded as (
    select customer_no, max(d) as last_reminded from (
        select customer_no, max(last_reminder_date) as d from ledger_entries
        where last_reminder_date is not null and customer_no in (select customer_no from p_cust) group by all
        union all
        select customer_no, max(greatest(document_date, coalesce(sent_at::date, document_date))) from reminder_headers
        where status = 'sent' group by all
    ) group by all
),
contacted as (
    select customer_no, max(contacted_on) as contacted_on,
           arg_max(case when note is null then format($text_contact, channel, strftime(contacted_on, '%Y-%m-%d'))
                        else format($text_contact_with_note, channel, strftime(contacted_on, '%Y-%m-%d'), note) end,
                   contacted_on) as contact
    from contact_log where contacted_on <= $as_of::date
    group by all
),
cust as (
    select c.*, t.code is not null as terms_exist, n.n_levels, t.min_amount_lcy, t.min_days_between,
           p.promised, coalesce(p.broken, false) as broken_promise, a.agreement, r.last_reminded,
           k.contacted_on, k.contact, w.awaiting
    from p_cust c
    left join reminder_terms t on t.code = c.terms_code
    left join n_levels n on n.terms_code = c.terms_code
    left join promises p using (customer_no)
    left join agreed a using (customer_no)
    left join reminded r using (customer_no)
    left join contacted k using (customer_no)
    left join awaiting w using (customer_no)
),
grp as (
    select customer_no, currency,
           count(*) filter (where excluded_reason is null and base_kind = 'overdue') as n_remindable,
           count(*) filter (where triggering) as n_triggering,
           count(*) filter (where is_line) as n_lines,
           min(next_due) filter (where excluded_reason is null and base_kind = 'overdue') as next_due,
           coalesce(sum(open_amount) filter (where is_line), 0) as overdue_amount,
           coalesce(sum(open_amount_lcy) filter (where is_line), 0) as overdue_lcy,
           coalesce(sum(open_amount) filter (where base_kind = 'credit'), 0) as credits_amount,
           coalesce(sum(open_amount_lcy) filter (where base_kind = 'credit'), 0) as credits_lcy,
           -- payments received but not applied to the invoices they pay: the customer is skipped until they are
           coalesce(sum(open_amount) filter (where base_kind = 'credit' and document_type = 'payment'), 0)
               as unapplied_amount,
           -- the level is that of the entries due for their next level; the other lines keep theirs
           max(line_level) filter (where triggering) as level_no
    from p_entries
    group by all
    having count(*) filter (where base_kind = 'overdue') > 0
),
excluded as (  -- the first three excluded overdue entries, and how many there are: skip reason or draft note
    select customer_no, currency, n_excluded,
           array_to_string(list_transform(x, lambda v: format($text_excluded_entry, v.doc, v.why)), $text_separator)
               as excluded,
           case when n_excluded > 3 then format($text_and_more, (n_excluded - 3)::varchar) else '' end as and_more
    from (
        select e.customer_no, e.currency, count(*) as n_excluded,
               min_by({'doc': e.document_no, 'why': e.excluded_reason}, {'due': e.due_date, 'doc': e.document_no}, 3)
                   as x
        from p_entries e
        where e.excluded_reason is not null
        group by all
    )
),
other_credits as (  -- open credits (credit memos, payments) in another currency than a group's: never netted
    select grp.customer_no, grp.currency,
           array_to_string(list(format($text_credit_other_currency, amount_text(-c.amount), c.currency)
                                order by c.currency), $text_separator) as other_credits
    from grp
    join (select customer_no, currency, sum(open_amount) as amount from p_entries where base_kind = 'credit'
          group by all) c
        on c.customer_no = grp.customer_no and c.currency <> grp.currency
    group by all
),
g as (
    select grp.*, x.excluded, x.and_more, x.n_excluded, o.other_credits,
           cust.* exclude (customer_no),
           lv.to_roles, lv.cc_roles, lv.fallback_roles, lv.payment_days, lv.template_code, lv.interest_method,
           lv.interest_rate, lv.pct_fee, f.currency is not null as has_fees, f.fixed_fee,
           f.pct_fee_min, f.pct_fee_max,
           lv.pct_fee > 0 or exists (select 1 from reminder_level_fees x where x.terms_code = cust.terms_code
                                      and x.level_no = grp.level_no) as level_has_fees
    from grp
    join cust using (customer_no)
    left join excluded x using (customer_no, currency)
    left join other_credits o using (customer_no, currency)
    left join reminder_levels lv on lv.terms_code = cust.terms_code and lv.level_no = grp.level_no
    left join reminder_level_fees f
        on f.terms_code = cust.terms_code and f.level_no = grp.level_no and f.currency = grp.currency
),
mail as (
    select g.customer_no, g.currency,
           list_sort(list_distinct(coalesce(list(ct.email) filter (where list_contains(g.to_roles, ct.role)), [])))
               as to_main,
           list_sort(list_distinct(coalesce(
               list(ct.email) filter (where list_contains(g.fallback_roles, ct.role)), []))) as to_fallback,
           list_sort(list_distinct(coalesce(list(ct.email) filter (where list_contains(g.cc_roles, ct.role)), [])))
               as cc_all
    from g
    join contacts ct on ct.customer_no = g.customer_no and ct.active and coalesce(trim(ct.email), '') <> ''
    where g.level_no is not null
    group by all
),
decided as (
    select g.*,
           case when len(coalesce(m.to_main, [])) > 0 then m.to_main else coalesce(m.to_fallback, []) end
               as to_emails,
           coalesce(m.cc_all, []) as cc_all
    from g left join mail m using (customer_no, currency)
)
select
    d.* exclude (cc_all, excluded, and_more, other_credits),
    list_filter(d.cc_all, lambda x: not list_contains(d.to_emails, x)) as cc_emails,
    case
        when d.blocked = 'all' then $text_blocked
        when not d.terms_exist then format($text_terms_missing, d.terms_code)
        when d.n_levels is null then format($text_no_levels, d.terms_code)
        when d.promised is not null then format($text_promised, strftime(d.promised, '%Y-%m-%d'))
        when d.agreement is not null then d.agreement
        when d.awaiting is not null then d.awaiting
        when d.last_reminded is not null and $as_of::date - d.last_reminded < d.min_days_between
            then format($text_reminded_recently, strftime(d.last_reminded, '%Y-%m-%d'), d.min_days_between::varchar)
        when d.contacted_on is not null and $as_of::date - d.contacted_on < d.min_days_between
            then format($text_contacted_recently, d.contact, d.min_days_between::varchar)
        when d.n_remindable = 0 then format($text_nothing_remindable, d.excluded, d.and_more)
        when d.n_triggering = 0 then format($text_not_due_yet, strftime(d.next_due, '%Y-%m-%d'))
        when d.overdue_amount + d.credits_amount <= 0
            then format($text_credits_cover, amount_text(d.credits_amount), d.currency, amount_text(d.overdue_amount))
        when d.unapplied_amount < 0 then format($text_unapplied_payment, amount_text(-d.unapplied_amount), d.currency)
        when d.overdue_lcy + d.credits_lcy < d.min_amount_lcy
            then format($text_below_minimum, amount_text(d.overdue_lcy + d.credits_lcy), $lcy::varchar,
                        d.min_amount_lcy::varchar)
        when len(d.to_emails) = 0
            then format($text_no_recipient,
                        array_to_string(list_concat(d.to_roles, d.fallback_roles), $text_role_separator))
    end as skip_reason,
    -- fees in the group's currency only (reminder_level_fees); a currency without a row is charged none.
    -- The per-line fee is added from the lines (lines.sql: each line's own level, once per document and level).
    case when not d.has_fees then 0.00 else
        d.fixed_fee
      + case when d.pct_fee > 0 then least(greatest(
                round(d.pct_fee::decimal(38, 4) * (d.overdue_amount + d.credits_amount)::decimal(38, 2) * 0.01, 2),
                coalesce(d.pct_fee_min, 0.00)), coalesce(d.pct_fee_max, 999999999999.99))
             else 0.00 end
    end as fee,
    nullif(concat_ws($text_separator,
        case when not d.has_fees and d.level_has_fees then format($text_no_fees, d.level_no::varchar, d.currency) end,
        case when d.n_excluded = 1 then format($text_excluded_one, d.n_excluded::varchar, d.excluded, d.and_more)
             when d.n_excluded > 1 then format($text_excluded_many, d.n_excluded::varchar, d.excluded, d.and_more) end,
        d.other_credits
    ), '') as note
from decided d;
