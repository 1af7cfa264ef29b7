"""Undoing an import as a whole (issue 12): the entries it inserted go, the ones it changed or closed return as
they were, and an undo that would break what came later is refused with nothing changed."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dunning.access import Actor, Role
from dunning.db import Database
from dunning.errors import BadInput, NotAllowed
from dunning.ledger.imports.importer import import_file
from dunning.ledger.imports.mapping import build_mapping
from dunning.ledger.imports.parties import import_parties
from dunning.ledger.imports.undo import batches, undo_import
from dunning.reminders.issued import issue
from dunning.reminders.proposal import ProposalOptions, propose
from tests.cli import dunning
from tests.test_importer import write_csv

NATIVE = build_mapping(None, [], None)
AS_OF = dt.date(2026, 11, 28)


def row(no: int, customer: str = "C1", amount: str = "100.00", **kw: str) -> dict[str, str]:
    return {"document_no": f"INV-{no}", "customer_no": customer, "customer_name": f"{customer} Ltd",
            "due_date": "2026-10-01", "amount": amount, **kw}  # fmt: skip


def state(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every table an import writes, whole."""
    return {
        "entries": db.records("select * from ledger_entries order by entry_no"),
        "customers": db.records("select * exclude (created_at) from customers order by customer_no"),
        "contacts": db.records("select * from contacts order by contact_id"),
    }


def imported(db: Database, tmp_path: Path, name: str, rows: list[dict[str, str]], **kw: Any) -> int:
    return import_file(db, write_csv(tmp_path / name, rows), NATIVE, **kw).batch_id


@pytest.fixture
def db(tmp_path: Path):
    with Database(tmp_path / "undo.duckdb") as d:
        yield d


def test_undoing_the_first_import_leaves_an_empty_ledger(db, tmp_path):
    empty = state(db)
    batch = imported(db, tmp_path, "a.csv", [row(1), row(2, "C2", email="ap@c2.example")])
    assert db.scalar("select count(*) from contacts") == 1  # from the email column
    result = undo_import(db, batch)
    assert (result.removed, result.restored, result.customers_removed, result.contacts_removed) == (
        2,
        0,
        2,
        1,
    )
    assert state(db) == empty
    (listed,) = batches(db)
    assert listed.undone_at is not None and not listed.undoable and listed.undone_by


def test_undo_restores_changed_entries_exactly_and_removes_the_new_ones(db, tmp_path):
    imported(db, tmp_path, "a.csv", [row(1), row(2), row(3, "C2")])
    before = state(db)
    second = imported(db, tmp_path, "b.csv", [row(1, amount="150.00"), row(2, due_date="2026-11-15"), row(4)])
    assert state(db) != before
    result = undo_import(db, second)
    assert (result.removed, result.restored) == (1, 2)
    assert state(db) == before


def test_undo_of_a_file_of_every_open_entry_opens_the_closed_entries_again(db, tmp_path):
    imported(db, tmp_path, "a.csv", [row(1), row(2), row(3)])
    before = state(db)
    batch = imported(db, tmp_path, "all.csv", [row(1)], all_open=True, closed_on=AS_OF)
    assert db.scalar("select count(*) from ledger_entries where closed_at is not null") == 2
    assert undo_import(db, batch).restored == 2
    assert state(db) == before


def test_a_changed_language_returns_unless_someone_changed_it_since(db, tmp_path):
    imported(db, tmp_path, "a.csv", [row(1, customer_language="en"), row(2, "C2", customer_language="en")])
    batch = imported(
        db, tmp_path, "b.csv", [row(1, customer_language="FRA"), row(2, "C2", customer_language="DEU")]
    )
    db.execute("update customers set language = 'nl' where customer_no = 'C2'")  # a person, since
    undo_import(db, batch)
    assert dict(db.rows("select customer_no, language from customers")) == {"C1": "en", "C2": "nl"}


def test_a_later_import_on_the_same_entries_is_undone_first(db, tmp_path):
    first = imported(db, tmp_path, "a.csv", [row(1)])
    second = imported(db, tmp_path, "b.csv", [row(1, amount="90.00")])
    version = db.data_version()
    with pytest.raises(BadInput, match=f"undo import {second} first"):
        undo_import(db, first)
    assert db.data_version() == version
    undo_import(db, second)
    undo_import(db, first)
    assert db.scalar("select count(*) from ledger_entries") == 0


def test_any_later_ledger_import_still_in_place_is_undone_first(db, tmp_path):
    # the reviewer's case: Monday's file of every open entry closes INV-1 (paid); Tuesday's leaves it out too
    # and, finding it closed, records nothing for it. Undoing Monday under Tuesday would reopen a paid invoice.
    imported(db, tmp_path, "base.csv", [row(1), row(2)])
    monday = imported(db, tmp_path, "mon.csv", [row(2)], all_open=True, closed_on=AS_OF)
    tuesday = imported(db, tmp_path, "tue.csv", [row(2)], all_open=True, closed_on=AS_OF)
    version = db.data_version()
    with pytest.raises(BadInput, match=f"undo import {tuesday} first"):
        undo_import(db, monday)
    assert db.data_version() == version
    undo_import(db, tuesday)
    undo_import(db, monday)  # now INV-1 is open again, as it was before Monday's file said it was paid
    assert db.scalar("select closed_at from ledger_entries where document_no = 'INV-1'") is None


def test_an_import_of_customers_made_later_does_not_hold_a_ledger_undo_back(db, tmp_path):
    first = imported(db, tmp_path, "a.csv", [row(1, "C9")])
    path = tmp_path / "customers.csv"
    path.write_text("customer_no,name,address\nC9,Nine Ltd,Quay 9\n", encoding="utf-8")
    import_parties(db, path, "customers")
    undo_import(db, first)
    assert db.scalar("select count(*) from ledger_entries") == 0
    # the customers file gave C9 its address since: the customer stays
    assert db.scalar("select address from customers where customer_no = 'C9'") == "Quay 9"


def test_a_created_customer_a_person_has_worked_on_stays(db, tmp_path):
    batch = imported(db, tmp_path, "a.csv", [row(1, "C9")])
    db.execute(
        "insert into agreements (customer_no, agreed_on, valid_until, note, created_by)"
        " values ('C9', $d, $d, 'plan', 'x')",
        {"d": AS_OF},
    )
    result = undo_import(db, batch)
    assert result.customers_removed == 0
    assert db.scalar("select count(*) from customers where customer_no = 'C9'") == 1


def test_an_import_made_before_undo_was_recorded_is_not_offered(db, tmp_path):
    batch = imported(db, tmp_path, "a.csv", [row(1)])
    db.execute("update import_batches set kind = null where batch_id = $b", {"b": batch})  # as migrated
    (listed,) = batches(db)
    assert not listed.undoable
    with pytest.raises(BadInput, match="before imports recorded"):
        undo_import(db, batch)
    assert db.scalar("select count(*) from ledger_entries") == 1


def _reachable(db: Database, customer: str) -> None:
    db.execute(
        "insert into contacts (customer_no, name, email, role) values ($c, 'AP', 'ap@example.com', $r)",
        {"c": customer, "r": "accounts_payable"},
    )


def test_open_drafts_on_its_entries_go_with_the_import_and_are_counted(db, tmp_path):
    batch = imported(db, tmp_path, "a.csv", [row(1)])
    _reachable(db, "C1")
    propose(db, ProposalOptions(as_of=AS_OF))
    assert db.scalar("select count(*) from reminder_headers where status = 'draft'") == 1
    result = undo_import(db, batch)
    assert result.drafts_removed == 1 and "create reminders again" in result.summary()
    assert db.scalar("select count(*) from reminder_headers") == 0
    assert db.scalar("select count(*) from reminder_lines") == 0
    assert db.scalar("select count(*) from customers") == 1  # C1 keeps the contact a person gave it


def test_a_reminder_issued_since_on_its_entries_refuses_the_undo_and_names_it(db, tmp_path):
    batch = imported(db, tmp_path, "a.csv", [row(1)])
    _reachable(db, "C1")
    propose(db, ProposalOptions(as_of=AS_OF))
    rid = int(db.scalar("select reminder_id from reminder_headers"))
    issue(db, [rid], AS_OF)
    number = db.scalar("select reminder_no from reminder_headers")
    before, version = state(db), db.data_version()
    with pytest.raises(BadInput, match=f"{number}.*cancel"):
        undo_import(db, batch)
    assert state(db) == before and db.data_version() == version


def test_an_undone_import_cannot_be_undone_again(db, tmp_path):
    batch = imported(db, tmp_path, "a.csv", [row(1)])
    undo_import(db, batch)
    with pytest.raises(BadInput, match="undone already"):
        undo_import(db, batch)


def test_an_import_of_customers_is_listed_but_not_undone_as_a_batch(db, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text("customer_no,name\nC9,Nine Ltd\n", encoding="utf-8")
    batch = import_parties(db, path, "customers").batch_id
    (listed,) = batches(db)
    assert (listed.batch_id, listed.kind, listed.undoable) == (batch, "customers", False)
    with pytest.raises(BadInput, match="customer page"):
        undo_import(db, batch)


def test_a_viewer_may_not_undo(db, tmp_path):
    batch = imported(db, tmp_path, "a.csv", [row(1)])
    with pytest.raises(NotAllowed):
        undo_import(db.as_actor(Actor("vera@example.com", Role.VIEWER)), batch)
    assert db.scalar("select count(*) from ledger_entries") == 1


def test_an_unknown_batch_is_bad_input(db):
    with pytest.raises(BadInput, match="import 42 does not exist"):
        undo_import(db, 42)


AMOUNTS = st.decimals(min_value=-5000, max_value=5000, places=2).map(lambda d: f"{d:.2f}")


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    first=st.dictionaries(st.integers(1, 12), AMOUNTS, min_size=1, max_size=8),
    second=st.dictionaries(st.integers(1, 16), AMOUNTS, min_size=1, max_size=8),
    all_open=st.booleans(),
)
def test_an_undone_import_restores_the_ledger_exactly(tmp_path_factory, first, second, all_open):
    folder = tmp_path_factory.mktemp("undo")
    with Database(folder / "p.duckdb") as d:
        imported(d, folder, "a.csv", [row(n, f"C{n % 3}", a) for n, a in sorted(first.items())])
        before = state(d)
        batch = imported(d, folder, "b.csv", [row(n, f"C{n % 3}", a) for n, a in sorted(second.items())],
                         all_open=all_open, closed_on=AS_OF)  # fmt: skip
        undo_import(d, batch)
        assert state(d) == before


def test_command_line_lists_imports_and_undoes_one(tmp_path):
    db_path = tmp_path / "cli.duckdb"
    path = write_csv(tmp_path / "a.csv", [row(1), row(2)])
    assert dunning("--db", str(db_path), "import", str(path)).returncode == 0
    listed = dunning("--db", str(db_path), "import", "--batches")
    assert listed.returncode == 0 and "a.csv" in listed.stdout and "2 new" in listed.stdout
    undone = dunning("--db", str(db_path), "import", "--undo", "1")
    assert undone.returncode == 0, undone.stderr
    assert "2 entries it added removed" in undone.stdout
    again = dunning("--db", str(db_path), "import", "--undo", "1")
    assert again.returncode == 2 and "undone already" in again.stderr
    with Database(db_path) as d:
        assert d.scalar("select count(*) from ledger_entries") == 0


@pytest.mark.parametrize(("answer", "closed"), [("n\n", 0), ("", 0), ("y\n", 2)])
def test_a_file_of_every_open_entry_says_how_many_it_closes_and_asks_first(tmp_path, answer, closed):
    db_path = tmp_path / "ask.duckdb"
    assert (
        dunning(
            "--db", str(db_path), "import", str(write_csv(tmp_path / "a.csv", [row(1), row(2), row(3)]))
        ).returncode
        == 0
    )
    done = subprocess.run(
        [sys.executable, "-m", "dunning.cli", "--db", str(db_path), "import", str(write_csv(tmp_path / "b.csv", [row(1)])),
         "--all-open", "--closed-on", "2026-11-28"],
        input=answer, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert "close the 2 open entries it does not list?" in done.stdout
    assert done.returncode == (0 if closed else 1), done.stderr
    with Database(db_path) as d:
        assert d.scalar("select count(*) from ledger_entries where closed_at is not null") == closed
        assert d.scalar("select count(*) from import_batches") == (2 if closed else 1)
