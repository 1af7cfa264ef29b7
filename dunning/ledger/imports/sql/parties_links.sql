-- Links of company contacts to customers (Business Central's Contact Business Relations) from party_stage,
-- upserted by contact number; a contacts import then finds each person's customer through its company.
create or replace temp table party_links as
select s.*,
       case when l.contact_no is null then 'new'
            when struct_pack(cn := s.customer_no, n := coalesce(s.contact_name, l.contact_name))
                 is distinct from struct_pack(cn := l.customer_no, n := l.contact_name) then 'changed'
            else 'same' end as status
from party_stage s left join contact_links l using (contact_no);

update contact_links l
set customer_no = s.customer_no, contact_name = coalesce(s.contact_name, l.contact_name)
from party_links s
where s.contact_no = l.contact_no and s.status = 'changed';

insert into contact_links (contact_no, contact_name, customer_no)
select contact_no, contact_name, customer_no from party_links where status = 'new';
