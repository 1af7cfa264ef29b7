-- The data version: one counter that every write transaction raises in the same transaction
-- (dunning.db.Database.transaction), in whichever process it runs. The app keys its caches by it, so a page
-- shows on its next run what a command such as `dunning import` wrote meanwhile. A counter, not a checksum
-- of the data: an edit that leaves some sum unchanged still changes the version.
create table data_version (version bigint not null);
insert into data_version values (0);
