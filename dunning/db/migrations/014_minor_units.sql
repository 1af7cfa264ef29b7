-- Amounts keep every digit of their currency's ISO 4217 minor unit: 0 for JPY, 2 for most, 3 for KWD, BHD,
-- OMR, JOD, TND (and IQD, LYD). DECIMAL(18, 2) cut a Kuwaiti dinar amount to two places, so the ledger's
-- amounts and the reminders' amounts in entry currency hold three decimals; an amount of a two-decimal currency
-- keeps a zero third decimal. Fees and interest stay at two places: the engine computes them to the cent.
alter table ledger_entries alter column amount set data type decimal(18, 3);
alter table ledger_entries alter column remaining_amount set data type decimal(18, 3);
alter table ledger_entries alter column amount_lcy set data type decimal(18, 3);
alter table ledger_entries alter column remaining_amount_lcy set data type decimal(18, 3);
alter table reminder_lines alter column original_amount set data type decimal(18, 3);
alter table reminder_lines alter column remaining_amount set data type decimal(18, 3);
alter table reminder_headers alter column overdue_amount set data type decimal(18, 3);
alter table reminder_headers alter column credits_amount set data type decimal(18, 3);
alter table reminder_headers alter column total set data type decimal(18, 3);

-- An amount as text for the messages the SQL writes: two decimals, three when the third is not zero (1100.00,
-- 1.235), as before for every two-decimal currency.
create or replace macro amount_text(x) as
    case when x = round(x, 2) then round(x, 2)::decimal(38, 2)::varchar else x::varchar end;
