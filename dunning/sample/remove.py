"""Remove the sample data, so a company's own data does not mix with invented customers.

The sample is what dunning.sample.ledger.generate wrote: the setting sample_loaded says a database holds it;
its ledger entries have no import batch, its reminders are sent by 'sample', its contact notes and agreements
are made by 'sample', and its customers were all created in the one transaction that wrote them (the earliest
created_at). What a user made (imports, their customers and contacts, reminders, notes, agreements) stays.
The terms, the company and the settings stay too: they are configuration a user may have adapted.

The setting sample_loaded stays, with sample_removed beside it and sample_redate 'off': the app fills an empty
database without sample_loaded with a new sample on start, and re-dates an untouched one; neither may bring
the sample back once it was removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from dunning.access import Action, require
from dunning.db import Database
from dunning.sample.ledger import user_work

_SAMPLE_CUSTOMERS = """
select customer_no from customers
where created_at = (select min(created_at) from customers)
  and customer_no not in (select customer_no from ledger_entries where import_batch_id is not null)
"""


@dataclass(frozen=True)
class SampleRemoved:
    customers: int
    entries: int
    reminders: int

    def summary(self) -> str:
        return (
            f"sample data removed: {self.customers:,} customers with their contacts, {self.entries:,} ledger "
            f"entries and {self.reminders:,} reminders"
        )


def holds_sample(db: Database) -> bool:
    """Whether the database holds the sample data: made by the generator and not removed since (or made
    again after a removal)."""
    if db.setting("sample_loaded") is None:
        return False
    if db.setting("sample_removed") is None:
        return True
    return bool(db.scalar("select count(*) from ledger_entries where import_batch_id is null"))


def holds_untouched_sample(db: Database) -> bool:
    """The sample and nothing a user made: the first import offers to remove it."""
    return holds_sample(db) and user_work(db) == 0


def remove_sample(db: Database) -> SampleRemoved:
    """Delete the sample's customers, contacts, entries, reminders, notes and agreements in one transaction;
    a database without the sample changes nothing. Removing data is a settings change: admins only."""
    require(db.actor, Action.SETTINGS)
    if not holds_sample(db):
        return SampleRemoved(0, 0, 0)
    with db.transaction(audit=(Action.SETTINGS, "remove the sample data")) as tx:
        tx.execute(f"create or replace temp table sample_customer_nos as {_SAMPLE_CUSTOMERS}")  # noqa: S608 - fixed text
        reminders = tx.rows(
            "delete from reminder_headers where sent_by = 'sample' or (status = 'draft' and customer_no in"
            " (select customer_no from sample_customer_nos)) returning reminder_id"
        )
        for table in ("reminder_lines", "reminder_archive"):
            tx.execute(
                f"delete from {table} where reminder_id not in (select reminder_id from reminder_headers)"  # noqa: S608
            )
        entries = tx.rows("delete from ledger_entries where import_batch_id is null returning entry_no")
        tx.execute("delete from contact_log where created_by = 'sample'")
        tx.execute("delete from agreements where created_by = 'sample'")
        tx.execute("delete from contacts where customer_no in (select customer_no from sample_customer_nos)")
        customers = tx.rows(
            "delete from customers where customer_no in (select customer_no from sample_customer_nos)"
            " returning customer_no"
        )
        tx.execute("drop table sample_customer_nos")
        tx.execute(
            "insert or replace into settings values ('sample_removed', current_date::varchar),"
            " ('sample_redate', 'off')"
        )
    return SampleRemoved(len(customers), len(entries), len(reminders))
