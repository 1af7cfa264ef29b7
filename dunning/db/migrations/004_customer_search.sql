-- One meaning of "customer search" everywhere: the text occurs in the customer number or name, ignoring case.
-- A literal substring test: '%' and '_' in what the user types are characters, not LIKE wildcards.
create macro customer_matches(customer_no, name, q) as
    q is null or contains(lower(customer_no), lower(q)) or contains(lower(coalesce(name, '')), lower(q));
