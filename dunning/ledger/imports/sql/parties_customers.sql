-- Customers of a staged customers import (party_stage), upserted by customer number. The file's name wins; an
-- empty cell keeps what is stored, except currency and blocked when the file has their column ($currency_given,
-- $blocked_given): there an empty cell means the local currency, not blocked. A new customer without a
-- language gets English. Returns (customer_no, status) with status new, changed or same.
create or replace temp table party_customers as
select s.*, c.customer_no is not null as stored,
       case when c.customer_no is null then 'new'
            when struct_pack(nm := s.name, a := coalesce(s.address, c.address), p := coalesce(s.post_code, c.post_code),
                             t := coalesce(s.city, c.city), k := coalesce(s.country, c.country),
                             l := coalesce(s.language, c.language),
                             cur := case when $currency_given then s.currency else c.currency end,
                             v := coalesce(s.vat_no, c.vat_no), r := coalesce(s.terms_code, c.reminder_terms_code),
                             b := case when $blocked_given then s.blocked else c.blocked end,
                             pt := coalesce(s.payment_terms, c.payment_terms))
                 is distinct from
                 struct_pack(nm := c.name, a := c.address, p := c.post_code, t := c.city, k := c.country, l := c.language,
                             cur := c.currency, v := c.vat_no, r := c.reminder_terms_code, b := c.blocked,
                             pt := c.payment_terms)
                then 'changed'
            else 'same' end as status
from party_stage s left join customers c using (customer_no);

update customers c
set name = s.name,
    address = coalesce(s.address, c.address),
    post_code = coalesce(s.post_code, c.post_code),
    city = coalesce(s.city, c.city),
    country = coalesce(s.country, c.country),
    language = coalesce(s.language, c.language),
    currency = case when $currency_given then s.currency else c.currency end,
    vat_no = coalesce(s.vat_no, c.vat_no),
    reminder_terms_code = coalesce(s.terms_code, c.reminder_terms_code),
    blocked = case when $blocked_given then s.blocked else c.blocked end,
    payment_terms = coalesce(s.payment_terms, c.payment_terms)
from party_customers s
where s.customer_no = c.customer_no and s.status = 'changed';

insert into customers (customer_no, name, address, post_code, city, country, language, currency, vat_no,
                       reminder_terms_code, blocked, payment_terms)
select customer_no, name, address, post_code, city, country, coalesce(language, 'en'), currency, vat_no,
       terms_code, blocked, payment_terms
from party_customers where status = 'new';
