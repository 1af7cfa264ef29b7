-- Customers of a staged import that are not stored yet, named after their first row; their currency is the
-- one currency of their entries when that is not the local currency.
insert into customers (customer_no, name, currency)
select
    s.customer_no,
    arg_min(s.customer_name, s.row),
    case when count(distinct s.currency) = 1 and min(s.currency) <> $lcy then min(s.currency) end
from import_stage s
where not exists (select 1 from customers c where c.customer_no = s.customer_no)
group by s.customer_no
