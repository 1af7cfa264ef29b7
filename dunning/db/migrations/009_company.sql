-- The company every document speaks for: one row (id 1) with its legal name, address, contact details, the
-- credit controller's signature and logo, and one bank account per currency. Until now the company lived in
-- loose settings (company_name, company_address, company_email, company_phone, company_vat_no and one
-- account in company_bank, company_iban, company_bic); they move here, the account to the local currency.
create table company (
    id integer primary key check (id = 1),
    legal_name varchar not null default '',
    address varchar not null default '',  -- street lines, separated by newlines
    post_code varchar not null default '',
    city varchar not null default '',
    country varchar not null default '',  -- ISO 3166 alpha-2
    vat_no varchar not null default '',
    registration varchar not null default '',
    phone varchar not null default '',
    reply_to varchar not null default '',
    controller_name varchar not null default '',
    signature varchar not null default '',  -- lines separated by newlines
    logo blob,
    logo_media_type varchar
);

create table bank_accounts (
    currency varchar primary key,
    iban varchar not null,  -- without spaces, upper case
    bic varchar not null default '',
    bank_name varchar not null default ''
);

insert into company (id, legal_name, address, phone, reply_to, vat_no)
select 1,
       coalesce(max(value) filter (where key = 'company_name'), ''),
       coalesce(max(value) filter (where key = 'company_address'), ''),
       coalesce(max(value) filter (where key = 'company_phone'), ''),
       coalesce(max(value) filter (where key = 'company_email'), ''),
       coalesce(max(value) filter (where key = 'company_vat_no'), '')
from settings;

insert into bank_accounts (currency, iban, bic, bank_name)
select coalesce(max(value) filter (where key = 'lcy_code'), 'EUR'),
       upper(replace(max(value) filter (where key = 'company_iban'), ' ', '')),
       upper(coalesce(max(value) filter (where key = 'company_bic'), '')),
       coalesce(max(value) filter (where key = 'company_bank'), '')
from settings
having max(value) filter (where key = 'company_iban') is not null;

delete from settings
where key in ('company_name', 'company_address', 'company_phone', 'company_email', 'company_vat_no',
              'company_iban', 'company_bic', 'company_bank');
