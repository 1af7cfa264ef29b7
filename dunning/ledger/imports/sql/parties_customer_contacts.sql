-- A customer's own email address (a customers export's "E-Mail") becomes a contact of the customer with the
-- role level 1 of its terms writes to, named after the export's contact person, else the customer, unless the
-- customer has a contact with that address already. Returns the contacts added.
insert into contacts (customer_no, name, email, role)
select s.customer_no, coalesce(s.contact, s.name), s.email,
       coalesce((select lv.to_roles[1] from customers c join reminder_levels lv
                     on lv.terms_code = coalesce(nullif(c.reminder_terms_code, ''),
                                                 (select code from reminder_terms where is_default order by code limit 1),
                                                 'DEFAULT')
                    and lv.level_no = 1
                 where c.customer_no = s.customer_no), 'accounts_payable')
from party_stage s
where s.email is not null
  and not exists (select 1 from contacts ct where ct.customer_no = s.customer_no and lower(ct.email) = lower(s.email))
returning contact_id
