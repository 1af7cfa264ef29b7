-- Customers of a staged import that are not stored yet, named after their first row; their currency is the
-- one currency of their entries when that is not the local currency; their language the first one their rows
-- give (e.g. Business Central's "Language Code" FRA), else English.
insert into customers (customer_no, name, currency, language)
select
    s.customer_no,
    arg_min(s.customer_name, s.row),
    case when count(distinct s.currency) = 1 and min(s.currency) <> $lcy then min(s.currency) end,
    coalesce(arg_min(s.customer_language, s.row) filter (where s.customer_language is not null), 'en')
from import_stage s
where not exists (select 1 from customers c where c.customer_no = s.customer_no)
group by s.customer_no
