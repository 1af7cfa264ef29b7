-- Default reminder terms (3 levels), their fees, statutory reference rates, and the skipped list of a proposal.
-- Seeds are inserted only where nothing with the same key exists, so an upgraded database keeps its own terms.

insert or ignore into reminder_terms
    (code, description, is_default, max_reminders, after_last_level, min_amount_lcy, min_days_between)
select 'DEFAULT', 'Default: friendly, firm, final', not exists (select 1 from reminder_terms where is_default),
       3, 'stop', 10.00, 7;

insert or ignore into reminder_levels
    (terms_code, level_no, due_days, grace_days, payment_days, fee_per_line, pct_fee, pct_fee_min, pct_fee_max,
     interest_method, interest_rate, to_roles, cc_roles, fallback_roles, template_code, tone)
values
    ('DEFAULT', 1, 7, 3, 7, 0, 0, null, null, 'none', null,
     ['accounts_payable'], [], ['finance_manager'], 'reminder', 'friendly'),
    ('DEFAULT', 2, 14, 0, 7, 0, 0, null, null, 'none', null,
     ['accounts_payable'], ['finance_manager'], ['finance_manager'], 'reminder', 'firm'),
    ('DEFAULT', 3, 14, 0, 5, 0, 0, null, null, 'eu_statutory', null,
     ['finance_manager'], ['accounts_payable', 'sales_owner'], ['accounts_payable'], 'reminder', 'final');

insert or ignore into reminder_level_fees (terms_code, level_no, currency, fixed_fee) values
    ('DEFAULT', 2, 'EUR', 10.00), ('DEFAULT', 2, 'GBP', 10.00), ('DEFAULT', 2, 'USD', 12.00),
    ('DEFAULT', 2, 'CHF', 10.00),
    ('DEFAULT', 3, 'EUR', 25.00), ('DEFAULT', 3, 'GBP', 25.00), ('DEFAULT', 3, 'USD', 25.00),
    ('DEFAULT', 3, 'CHF', 25.00);

-- ECB main refinancing operations rate and Bank of England Bank Rate, as in force on the first day of each
-- half-year (the reference days of Directive 2011/7/EU and of the UK Late Payment Act). Keep these current.
insert or ignore into reference_rates (scheme, valid_from, rate) values
    ('eu', '2023-01-01', 2.50), ('eu', '2023-07-01', 4.00), ('eu', '2024-01-01', 4.50),
    ('eu', '2024-07-01', 4.25), ('eu', '2025-01-01', 3.15), ('eu', '2025-07-01', 2.15),
    ('eu', '2026-01-01', 2.15), ('eu', '2026-07-01', 2.15),
    ('uk', '2023-01-01', 3.50), ('uk', '2023-07-01', 5.00), ('uk', '2024-01-01', 5.25),
    ('uk', '2024-07-01', 5.25), ('uk', '2025-01-01', 4.75), ('uk', '2025-07-01', 4.25),
    ('uk', '2026-01-01', 3.75), ('uk', '2026-07-01', 3.75);

-- Customers a proposal run left without a reminder, and why (one row per customer and currency).
create table proposal_skips (
    run_id bigint not null,
    customer_no varchar not null,
    currency varchar,
    reason varchar not null
);
