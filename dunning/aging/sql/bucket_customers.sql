-- Drill-down of one aging bucket: its open debit entries (invoices, finance charges) grouped by customer.
-- The bucket is a range of days past due ($min_days / $max_days, null: open); $customer_no narrows it to one
-- customer (null: all). Reads `filtered` (dunning.aging.with_filtered).
-- The last reminder is the customer's, as the customer page shows it (dunning/ledger/sql/reminders_sent.sql):
-- of the reminders this tool sent and the reminder marks on the ledger's entries up to the as-of date, the
-- latest, and its level (on a day with several, the highest of that day) -- not the highest level of any
-- date beside the latest date.
with in_bucket as (
    select o.*
    from filtered o
    where o.open_amount_lcy >= 0  -- a debit, as in the tiles (aging.sql): not negative in LCY
      and o.days_overdue >= coalesce($min_days, -2147483647)
      and o.days_overdue <= coalesce($max_days, 2147483647)
      and ($customer_no is null or o.customer_no = $customer_no)
),
per_customer as (
    select
        customer_no,
        string_agg(distinct currency, ', ' order by currency) as currencies,
        count(*)::bigint as invoices,
        sum(open_amount_lcy)::decimal(38, 2) as amount_lcy,
        max(days_overdue)::integer as oldest_days_overdue,
        bool_or(coalesce(on_hold, '') <> '') as on_hold,
        bool_or(coalesce(dispute_status, '') <> '') as disputed,
        min(promised_pay_date) as promised_pay_date
    from in_bucket
    group by customer_no
),
reminded as (
    select customer_no, level_no, sent_at::date as sent_on
    from reminder_headers
    where status = 'sent' and sent_at is not null and sent_at::date <= $as_of::date
      and customer_no in (select customer_no from per_customer)
    union all
    select customer_no, last_reminder_level, last_reminder_date
    from ledger_entries
    where last_reminder_level > 0 and last_reminder_date <= $as_of::date
      and customer_no in (select customer_no from per_customer)
),
last_reminder as (
    select customer_no, arg_max(level_no, (sent_on, level_no)) as level_no, max(sent_on) as sent_on
    from reminded
    group by customer_no
),
contact_list as (  -- whom to call: name, role, phone, email; accounts payable first
    select
        customer_no,
        string_agg(
            name || ' (' || case role
                when 'accounts_payable' then 'AP'
                when 'finance_manager' then 'Finance'
                when 'sales_owner' then 'Sales'
                else role end || ') ' || coalesce(nullif(phone, '') || ' ', '') || coalesce(email, ''),
            '; ' order by case role when 'accounts_payable' then 0 when 'finance_manager' then 1 else 2 end, name
        ) as contacts
    from contacts
    where active and customer_no in (select customer_no from per_customer)
    group by customer_no
)
select
    p.customer_no, c.name, coalesce(k.contacts, '') as contacts, c.country, p.currencies, p.invoices,
    p.amount_lcy, p.oldest_days_overdue, r.level_no::integer as last_reminder_level,
    r.sent_on as last_reminder_date,
    p.on_hold, p.disputed, p.promised_pay_date
from per_customer p
join customers c using (customer_no)
left join contact_list k using (customer_no)
left join last_reminder r using (customer_no)
order by p.amount_lcy desc, p.customer_no
