-- Contacts of a staged contacts import (party_stage), upserted per customer: a stored contact is the same one
-- when it has the same ERP contact number, else (when one of the two has no number) the same email address,
-- else (neither has an address nor a number) the same name. The file's name wins; its empty cells keep what
-- is stored. A new contact without a role gets the one level 1 of its customer's terms writes to.
create or replace temp table party_contacts as
with matched as (
    select s.*,
           (select c.contact_id from contacts c
            where c.customer_no = s.customer_no
              and ((s.contact_no is not null and c.contact_no = s.contact_no)
                or ((s.contact_no is null or c.contact_no is null)
                    and s.email is not null and lower(c.email) = lower(s.email))
                or (s.contact_no is null and c.contact_no is null and s.email is null
                    and coalesce(c.email, '') = '' and lower(c.name) = lower(s.name)))
            order by (c.contact_no is not distinct from s.contact_no) desc, c.contact_id
            limit 1) as contact_id
    from party_stage s
)
select m.*,
       case when m.contact_id is null then 'new'
            when struct_pack(nm := m.name, e := coalesce(m.email, c.email), p := coalesce(m.phone, c.phone),
                             r := coalesce(m.role, c.role), l := coalesce(m.language, c.language),
                             n := coalesce(m.contact_no, c.contact_no))
                 is distinct from
                 struct_pack(nm := c.name, e := c.email, p := c.phone, r := c.role, l := c.language, n := c.contact_no)
                then 'changed'
            else 'same' end as status,
       coalesce((select lv.to_roles[1] from customers cu join reminder_levels lv
                     on lv.terms_code = coalesce(nullif(cu.reminder_terms_code, ''),
                                                 (select code from reminder_terms where is_default order by code limit 1),
                                                 'DEFAULT')
                    and lv.level_no = 1
                 where cu.customer_no = m.customer_no), 'accounts_payable') as default_role
from matched m left join contacts c using (contact_id);

update contacts c
set name = s.name,
    email = coalesce(s.email, c.email),
    phone = coalesce(s.phone, c.phone),
    role = coalesce(s.role, c.role),
    language = coalesce(s.language, c.language),
    contact_no = coalesce(s.contact_no, c.contact_no)
from party_contacts s
where s.contact_id = c.contact_id and s.status = 'changed';

insert into contacts (customer_no, name, email, phone, role, language, contact_no)
select customer_no, name, coalesce(email, ''), phone, coalesce(role, default_role), language, contact_no
from party_contacts where status = 'new';
