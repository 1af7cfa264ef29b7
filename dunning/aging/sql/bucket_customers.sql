-- Drill-down of one aging bucket: its open debit entries (invoices, finance charges) grouped by customer.
-- The bucket is a range of days past due ($min_days / $max_days, null: open); $customer_no narrows it to one
-- customer (null: all). Reads `filtered` (dunning.aging.with_filtered).
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
        sum(open_amount_lcy)::decimal(18, 2) as amount_lcy,
        max(days_overdue)::integer as oldest_days_overdue,
        nullif(max(last_reminder_level), 0)::integer as last_reminder_level,
        max(last_reminder_date) as last_reminder_date,
        bool_or(coalesce(on_hold, '') <> '') as on_hold,
        bool_or(coalesce(dispute_status, '') <> '') as disputed,
        min(promised_pay_date) as promised_pay_date
    from in_bucket
    group by customer_no
),
contact_list as (
    select
        customer_no,
        string_agg(
            name || ' (' || case role
                when 'accounts_payable' then 'AP'
                when 'finance_manager' then 'Finance'
                when 'sales_owner' then 'Sales'
                else role end || ') ' || email,
            '; ' order by case role when 'accounts_payable' then 0 when 'finance_manager' then 1 else 2 end, name
        ) as contacts
    from contacts
    where active and customer_no in (select customer_no from per_customer)
    group by customer_no
)
select
    p.customer_no, c.name, coalesce(k.contacts, '') as contacts, c.country, p.currencies, p.invoices,
    p.amount_lcy, p.oldest_days_overdue, p.last_reminder_level, p.last_reminder_date,
    p.on_hold, p.disputed, p.promised_pay_date
from per_customer p
join customers c using (customer_no)
left join contact_list k using (customer_no)
order by p.amount_lcy desc, p.customer_no
