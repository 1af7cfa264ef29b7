-- Customers and contacts as an ERP exports them (issue 11), and as the customer page edits them.
-- customers.vat_no       the VAT registration number (Business Central "VAT Registration No.")
-- customers.blocked      null: not blocked; else what the ERP blocks: ship, invoice or all (Business Central)
-- contacts.language      null: the customer's language
-- contacts.contact_no    the ERP's number of the contact (Business Central "No."); null for contacts added here.
--                        A second import finds its contacts again by this number, else by their email address.
-- contact_links          Business Central's Contact Business Relations with Link to Table = Customer: the
--                        company contact (its number and name) that stands for a customer. A contacts export
--                        names each person's company, not the customer: this table finds the customer.
alter table customers add column vat_no varchar;
alter table customers add column blocked varchar;
alter table contacts add column language varchar;
alter table contacts add column contact_no varchar;

create table contact_links (
    contact_no varchar primary key,
    contact_name varchar,
    customer_no varchar not null
);
