-- Step 7 of a proposal (after the lines): the drafts' headers into reminder_headers, under the run's id ($run),
-- with interest (fixed compensation included) and the per-line fees summed from their lines in reminder_lines
-- (the header's fee = its fixed and percentage fee from p_groups + the lines' fees), so that total =
-- overdue lines + credit lines + fee + interest, to the cent, and the notes about missing reference rates
-- (p_rate_days, under each line's own level's method) added to the note from p_groups. Reads p_heads, p_entries,
-- p_rate_days, reminder_levels and reminder_lines.
-- Each draft gets its number now, R + the id in at least 7 digits (the number it keeps when issued), and the
-- ISO 11649 creditor reference printed on its letter and stored for matching payments later: 'RF', the check
-- digits 98 - (n mod 97), the number; n is the number with letters as digits (R = 27, F = 15) followed by
-- 'RF00', at most 6 + 19 + 6 digits, within hugeint. documents.payment.creditor_reference is the same rule
-- in Python (a test compares them).
insert into reminder_headers (
    reminder_no, payment_reference, reminder_id, run_id, customer_no, currency, level_no, terms_code, status, posting_date, document_date,
    payment_deadline, language, overdue_amount, credits_amount, fee, interest, total, to_emails, cc_emails,
    template_code, broken_promise, note
)
select
    'R' || num.digits, 'RF' || lpad((98 - ('27' || num.digits || '271500')::hugeint % 97)::varchar, 2, '0') || 'R' || num.digits,
    h.reminder_id, $run, h.customer_no, h.currency, h.level_no, h.terms_code, 'draft', $posting::date,
    $as_of::date, $as_of::date + h.payment_days, h.language, h.overdue_amount, h.credits_amount,
    h.fee + coalesce(i.line_fees, 0), coalesce(i.interest, 0),
    h.overdue_amount + h.credits_amount + h.fee + coalesce(i.line_fees, 0) + coalesce(i.interest, 0),
    h.to_emails, h.cc_emails, h.template_code, h.broken_promise,
    nullif(concat_ws($text_separator, h.note, n.notes), '')
from p_heads h
cross join lateral (select lpad(h.reminder_id::varchar, greatest(7, length(h.reminder_id::varchar))::integer, '0') as digits) num
left join (
    select reminder_id, sum(interest + compensation) as interest, sum(fee) as line_fees
    from reminder_lines
    where reminder_id in (select reminder_id from p_heads)  -- this run's lines, whatever other ids exist
    group by all
) i using (reminder_id)
left join (  -- statutory interest on days without a reference rate: say so on the draft
    select l.reminder_id, string_agg(distinct x.rate_note, $text_separator order by x.rate_note) as notes
    from reminder_lines l
    join p_heads h using (reminder_id)
    join p_entries e using (entry_no)
    join reminder_levels lv on lv.terms_code = h.terms_code and lv.level_no = l.level_no
    join p_rate_days x
        on x.scheme = case lv.interest_method when 'eu_statutory' then 'eu' when 'de_statutory' then 'de'
                                              when 'uk_statutory' then 'uk' end
       and x.due_date = l.due_date and x.interest_from = e.interest_from
    where x.rate_note is not null and l.kind = 'overdue' and l.remaining_amount > 0 and l.days_overdue > 0
      and l.document_type not in ('reminder', 'finance_charge')
    group by all
) n using (reminder_id)
