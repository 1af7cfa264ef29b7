-- Step 1 of a proposal, p_cust: the customers in scope ($customers, $search), with the terms that apply to them
-- (their own, else the default terms). Reads customers and reminder_terms.
create or replace temp table p_cust as
select
    c.customer_no, c.name, c.language, c.blocked,
    coalesce(nullif(c.reminder_terms_code, ''),
             (select code from reminder_terms where is_default order by code limit 1), 'DEFAULT') as terms_code
from customers c
where ($customers::varchar[] is null or list_contains($customers::varchar[], c.customer_no))
  and customer_matches(c.customer_no, c.name, $search::varchar);
