-- The customers' email addresses on the rows of a staged ledger import ("Customer E-Mail", "Email" ...) become
-- contacts named after the customer, with the role level 1 of the customer's terms writes to (else
-- accounts_payable), unless the customer has a contact with that address already. Returns the contacts added.
insert into contacts (customer_no, name, email, role)
select a.customer_no, c.name, a.email,
       coalesce((select lv.to_roles[1] from reminder_levels lv
                 where lv.level_no = 1
                   and lv.terms_code = coalesce(nullif(c.reminder_terms_code, ''),
                       (select code from reminder_terms where is_default order by code limit 1), 'DEFAULT')),
                'accounts_payable')
from (
    select customer_no, arg_min(email, row) as email, min(row) as first_row
    from import_stage
    where email is not null
    group by customer_no, lower(email)
) a
join customers c on c.customer_no = a.customer_no
where not exists (
    select 1 from contacts ct where ct.customer_no = a.customer_no and lower(ct.email) = lower(a.email)
)
order by a.first_row
returning contact_id
