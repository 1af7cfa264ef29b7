-- Fees in the currency they are charged in. The fee per line and the percentage fee's minimum and maximum are
-- amounts, so they belong to a currency like the fixed fee: they move from reminder_levels to
-- reminder_level_fees (per terms, level and currency). The percentage itself stays on the level. A currency
-- without a row is charged no fee at that level.
--
-- An existing database keeps every value: each level's per-line fee, minimum and maximum are copied to each of
-- its fixed-fee rows. A level that charged a per-line or percentage fee without any fixed-fee row gets a row
-- (fixed fee 0) in each currency its terms charge fees in at other levels, else in the local currency.

alter table reminder_level_fees add column fee_per_line decimal(18, 2) not null default 0;  -- once per document
alter table reminder_level_fees add column pct_fee_min decimal(18, 2);
alter table reminder_level_fees add column pct_fee_max decimal(18, 2);

insert into reminder_level_fees (terms_code, level_no, currency, fixed_fee)
select lv.terms_code, lv.level_no,
       coalesce(c.currency, (select max(value) from settings where key = 'lcy_code'), 'EUR'), 0
from reminder_levels lv
left join (select distinct terms_code, currency from reminder_level_fees) c using (terms_code)
where (lv.fee_per_line <> 0 or lv.pct_fee <> 0 or lv.pct_fee_min is not null or lv.pct_fee_max is not null)
  and not exists (select 1 from reminder_level_fees f where f.terms_code = lv.terms_code and f.level_no = lv.level_no);

update reminder_level_fees f
set fee_per_line = lv.fee_per_line, pct_fee_min = lv.pct_fee_min, pct_fee_max = lv.pct_fee_max
from reminder_levels lv
where lv.terms_code = f.terms_code and lv.level_no = f.level_no;

alter table reminder_levels drop column fee_per_line;
alter table reminder_levels drop column pct_fee_min;
alter table reminder_levels drop column pct_fee_max;
