-- Stored customers whose rows in a staged import give a language take the first one given, so a language
-- changed in the ERP reaches the documents; a file without the column (or with empty cells) changes none.
-- Returns the customers whose language changed.
update customers c
set language = l.language
from (
    select s.customer_no, arg_min(s.customer_language, s.row) as language
    from import_stage s
    where s.customer_language is not null
    group by s.customer_no
) l
where l.customer_no = c.customer_no and c.language is distinct from l.language
returning c.customer_no
