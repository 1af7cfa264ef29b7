"""Importing customers and contacts (dunning.ledger.imports.parties), from Business Central's exports and from
files with the field names; all or nothing, every problem at once, the same file twice changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dunning.db import Database
from dunning.errors import BadInput, ImportRejected, Problem
from dunning.ledger.imports.importer import import_file
from dunning.ledger.imports.mapping import build_mapping
from dunning.ledger.imports.parties import PartiesResult, check_parties, detect_kind, import_parties
from dunning.ledger.imports.party_fields import build_party_mapping, form_columns, mapping_from_columns
from dunning.reminders.proposal import ProposalOptions, propose, run_json
from tests import bc_exports as bc
from tests.ledger import add_customer


def customers_file(tmp_path: Path, rows: list[dict[str, str]] | None = None) -> Path:
    return bc.write_xlsx(tmp_path / "Customers.xlsx", bc.CUSTOMER_COLUMNS, rows or bc.customer_rows())


def relations_file(tmp_path: Path) -> Path:
    return bc.write_xlsx(
        tmp_path / "Business Relation Contacts.xlsx", bc.RELATION_COLUMNS, bc.relation_rows()
    )


def contacts_file(tmp_path: Path, rows: list[dict[str, str]] | None = None) -> Path:
    return bc.write_csv(tmp_path / "Contacts.csv", bc.CONTACT_COLUMNS, rows or bc.contact_rows())


def native(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rejected(db: Database, path: Path, kind: str | None = None, **kw: object) -> list[Problem]:
    with pytest.raises(ImportRejected) as caught:
        import_parties(db, path, kind, **kw)  # type: ignore[arg-type]
    return caught.value.problems


def contacts(db: Database) -> list[tuple[str, str, str, str, str | None]]:
    return db.rows("select customer_no, name, email, role, language from contacts order by customer_no, name")


# -- what a file holds -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (bc.CUSTOMER_COLUMNS, "customers"),
        (bc.CONTACT_COLUMNS, "contacts"),
        (bc.RELATION_COLUMNS, "contacts"),
        (bc.LEDGER_COLUMNS, "ledger"),
        (("customer_no", "name", "address", "city", "country"), "customers"),
        (("customer_no", "name", "email", "role"), "contacts"),
        (("document_no", "customer_no", "due_date", "amount"), "ledger"),
        (("customer_no", "name", "city", "email"), None),  # a customer's or a contact's email: ambiguous
        (("No.", "Name"), None),  # customers or contacts: nothing tells
        (("invoiceNumber", "customerID"), None),
    ],
)
def test_the_kind_of_a_file_is_told_by_its_header_only_when_unambiguous(header, kind):
    assert detect_kind(list(header)) == kind


# -- customers ---------------------------------------------------------------------------------------
def test_bc_customers_export_is_stored_with_every_field(db: Database, tmp_path: Path) -> None:
    result = import_parties(db, customers_file(tmp_path))
    assert (result.kind, result.rows_read, result.inserted) == ("customers", 3, 3)
    row = db.one(
        "select name, address, post_code, city, country, language, currency, vat_no, reminder_terms_code,"
        " blocked, payment_terms from customers where customer_no = '10000'"
    )
    assert row == (
        "Adatum Corporation", "Station Road, 21", "CB1 2FB", "Cambridge", "GB", "ENU", None, "GB789456278",
        "DOMESTIC", None, "1M(8D)",
    )  # fmt: skip
    # EUR is the local currency: stored as none of its own
    assert db.scalar("select currency from customers where customer_no = '20000'") is None
    # terms DOMESTIC are not set up here: imported, and the summary says what to do
    assert result.unknown_terms == ("DOMESTIC",) and "Reminder terms page" in result.summary()


def test_a_customers_email_becomes_a_contact_with_the_role_level_1_writes_to(
    db: Database, tmp_path: Path
) -> None:
    result = import_parties(db, customers_file(tmp_path))
    assert result.contacts_created == 1
    assert contacts(db) == [("20000", "Trey Research", "ap@trey.example.com", "accounts_payable", None)]


def test_importing_the_same_customers_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = customers_file(tmp_path)
    import_parties(db, path)
    before = db.rows("select * exclude (created_at) from customers order by 1"), contacts(db)
    again = import_parties(db, path)
    assert (again.inserted, again.updated, again.unchanged, again.contacts_created) == (0, 0, 3, 0)
    assert (db.rows("select * exclude (created_at) from customers order by 1"), contacts(db)) == before


def test_a_changed_customer_is_updated_and_an_empty_cell_keeps_what_is_stored(
    db: Database, tmp_path: Path
) -> None:
    import_parties(db, customers_file(tmp_path))
    rows = bc.customer_rows()
    rows[0].update({"Name": "Adatum Corp.", "City": "", "Blocked": "Invoice", "Currency Code": "GBP"})
    result = import_parties(db, customers_file(tmp_path, rows))
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 2)
    assert db.one("select name, city, blocked, currency from customers where customer_no = '10000'") == (
        "Adatum Corp.", "Cambridge", "invoice", "GBP",
    )  # fmt: skip


def test_a_customer_the_ledger_created_gets_its_master_data(db: Database, tmp_path: Path) -> None:
    add_customer(db, "10000", name="10000", language="en", country=None)
    result = import_parties(db, customers_file(tmp_path))
    assert (result.inserted, result.updated) == (2, 1)
    assert db.one("select name, language, country from customers where customer_no = '10000'") == (
        "Adatum Corporation", "ENU", "GB",
    )  # fmt: skip


def test_every_problem_of_a_customers_file_is_reported_and_nothing_is_written(
    db: Database, tmp_path: Path
) -> None:
    path = native(tmp_path, "customers.csv", (
        "customer_no,name,country,language,currency,blocked,email\n"
        "C1,Alpha,Belgium,fr,EUR,,ap@alpha.example.com\n"
        "C2,,DE,d e,EURO,maybe,not-an-address\n"
        "C1,Alpha again,BE,fr,,,\n"
    ))  # fmt: skip
    problems = rejected(db, path, "customers")
    found = {(p.row, p.column) for p in problems}
    assert found == {
        (2, "country"), (3, "name"), (3, "language"), (3, "currency"), (3, "blocked"), (3, "email"),
        (4, "customer_no"),
    }  # fmt: skip
    messages = " | ".join(p.message for p in problems)
    assert "'Belgium' is not a two-letter country code" in messages and "also on row 2" in messages
    assert db.scalar("select count(*) from customers") == 0
    assert db.scalar("select count(*) from import_batches") == 0


def test_a_file_without_the_customer_number_column_names_the_column(db: Database, tmp_path: Path) -> None:
    path = native(tmp_path, "customers.csv", "Nummer,name,city\nC1,Alpha,Gent\n")
    (problem, *_) = rejected(db, path, "customers")
    assert problem.row is None and "customer_no" in problem.message and "Nummer" in problem.message


def test_mapped_columns_read_any_file(db: Database, tmp_path: Path) -> None:
    path = native(tmp_path, "kunden.csv", "Kundennr;Firma;Land\nK1;Müller GmbH;de\n")
    mapping = build_party_mapping("customers", None, ["customer_no=Kundennr", "name=Firma", "country=Land"])
    import_parties(db, path, "customers", mapping)
    assert db.one("select name, country from customers") == ("Müller GmbH", "DE")


@pytest.mark.parametrize(
    ("pairs", "words"),
    [
        (["nope"], "FIELD=COLUMN"),
        (["colour=X"], "no field 'colour'"),
        (["name=A", "name=B"], "already mapped"),
    ],
)
def test_a_wrong_map_is_refused(pairs, words):
    with pytest.raises(BadInput, match=words):
        build_party_mapping("customers", None, pairs)


# -- contacts --------------------------------------------------------------------------------------
def import_bc_parties(db: Database, tmp_path: Path) -> None:
    import_parties(db, customers_file(tmp_path))
    links = import_parties(db, relations_file(tmp_path))
    assert (links.kind, links.inserted, links.left_out) == ("links", 3, 1)  # the vendor's link is left out
    result = import_parties(db, contacts_file(tmp_path))
    assert (result.kind, result.inserted, result.left_out) == ("contacts", 6, 2)  # the vendor's contacts


def test_bc_contacts_find_their_customer_through_the_business_relations(db: Database, tmp_path: Path) -> None:
    import_bc_parties(db, tmp_path)
    people = db.rows(
        "select customer_no, contact_no, name, email, phone, role, language from contacts"
        " where contact_no is not null order by contact_no"
    )
    assert [p[:3] for p in people] == [
        ("10000", "CT000010", "Adatum Corporation"), ("10000", "CT000011", "Robert Townes"),
        ("20000", "CT000020", "Trey Research"), ("20000", "CT000021", "Claire Dubois"),
        ("30000", "CT000030", "School of Fine Art"), ("30000", "CT000031", "Meagan Bond"),
    ]  # fmt: skip
    assert people[1][3:] == (
        "robert.townes@adatum.example.com",
        "+44 1223 555 011",
        "accounts_payable",
        "ENU",
    )
    assert people[4][3] == ""  # a company contact without an address: kept for its phone, never mailed
    assert people[3][4] == "+33 6 55 55 01 21"  # no phone: the mobile phone


def test_importing_the_same_contacts_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    import_bc_parties(db, tmp_path)
    before = db.rows("select * from contacts order by contact_id")
    again = import_parties(db, contacts_file(tmp_path))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 6)
    assert import_parties(db, relations_file(tmp_path)).unchanged == 3
    assert db.rows("select * from contacts order by contact_id") == before


def test_a_contacts_role_set_by_hand_stays_when_the_file_has_none(db: Database, tmp_path: Path) -> None:
    import_bc_parties(db, tmp_path)
    db.execute("update contacts set role = 'finance_manager' where contact_no = 'CT000011'")
    rows = bc.contact_rows()
    rows[1]["Phone No."] = "+44 1223 555 099"
    result = import_parties(db, contacts_file(tmp_path, rows))
    assert (result.updated, result.unchanged) == (1, 5)
    assert db.one("select role, phone from contacts where contact_no = 'CT000011'") == (
        "finance_manager", "+44 1223 555 099",
    )  # fmt: skip


def test_contacts_before_their_business_relations_are_refused_with_what_to_do(
    db: Database, tmp_path: Path
) -> None:
    import_parties(db, customers_file(tmp_path))
    problems = rejected(db, contacts_file(tmp_path))
    assert [p.row for p in problems] == [2, 3, 4, 5, 6, 7]
    assert all(p.column == "Company Name" and "Contact Business Relations" in p.message for p in problems)
    assert db.scalar("select count(*) from contacts") == 1  # only the one the customers file gave


def test_a_hand_added_contact_is_found_again_by_its_address(db: Database, tmp_path: Path) -> None:
    add_customer(db, "C1")
    db.execute(
        "insert into contacts (customer_no, name, email, role) values ('C1', 'AP', 'ap@c1.example', 'sales_owner')"
    )
    path = native(
        tmp_path, "contacts.csv", "customer_no,name,email,phone\nC1,Accounts,AP@c1.example,+32 9 555\n"
    )
    result = import_parties(db, path, "contacts")
    assert (result.inserted, result.updated) == (0, 1)
    assert contacts(db) == [
        ("C1", "Accounts", "AP@c1.example", "sales_owner", None)
    ]  # the file's spelling wins


def test_role_labels_are_read_and_an_empty_role_is_the_one_level_1_of_the_customers_terms_writes_to(
    db: Database, tmp_path: Path
) -> None:
    db.execute("insert into reminder_terms (code, description) values ('FM', 'Finance first')")
    db.execute(
        "insert into reminder_levels (terms_code, level_no, due_days, to_roles) values ('FM', 1, 5, ['finance_manager'])"
    )
    add_customer(db, "C1")
    add_customer(db, "C2")
    db.execute("update customers set reminder_terms_code = 'FM' where customer_no = 'C2'")
    path = native(tmp_path, "contacts.csv", (
        "customer_no,name,email,role\n"
        "C1,Ann,ann@c1.example,Sales owner\n"
        "C1,Bob,bob@c1.example,\n"
        "C2,Cid,cid@c2.example,\n"
    ))  # fmt: skip
    import_parties(db, path, "contacts")
    assert [(c[1], c[3]) for c in contacts(db)] == [
        ("Ann", "sales_owner"), ("Bob", "accounts_payable"), ("Cid", "finance_manager"),
    ]  # fmt: skip


def test_every_problem_of_a_contacts_file_is_reported_and_nothing_is_written(
    db: Database, tmp_path: Path
) -> None:
    add_customer(db, "C1")
    path = native(tmp_path, "contacts.csv", (
        "customer_no,name,email,role,language\n"
        "C1,Ann,ann@c1.example,accounts_payable,fr\n"
        "C9,Bob,bob@c9.example,,\n"
        "C1,,ann@,Chief!,f r\n"
        "C1,Ann B,ANN@c1.example,,\n"
    ))  # fmt: skip
    problems = rejected(db, path, "contacts")
    assert {(p.row, p.column) for p in problems} == {
        (3, "customer_no"), (4, "name"), (4, "email"), (4, "role"), (4, "language"), (5, "name"),
    }  # fmt: skip
    assert "customer C9 does not exist" in next(p.message for p in problems if p.row == 3)
    assert db.scalar("select count(*) from contacts") == 0


def test_the_check_shows_the_rows_as_they_would_be_stored_and_writes_nothing(
    db: Database, tmp_path: Path
) -> None:
    found = check_parties(db, customers_file(tmp_path), limit=2)
    assert (found.kind, found.preset, found.rows_read, found.problems) == ("customers", "bc", 3, ())
    assert list(found.rows["customer_no"]) == ["10000", "20000"] and list(found.rows["currency"]) == ["", ""]
    assert db.scalar("select count(*) from customers") == 0


# -- from Business Central's exports to the first reminders ------------------------------------------
def test_bc_customers_contacts_and_ledger_give_reminders_to_the_imported_contacts(
    db: Database, tmp_path: Path
) -> None:
    import_bc_parties(db, tmp_path)
    ledger = bc.write_csv(tmp_path / "Customer Ledger Entries.csv", bc.LEDGER_COLUMNS, bc.ledger_rows([
        ("10000", "Adatum Corporation", "103001", "30.09.2026", "1.250,00"),
        ("20000", "Trey Research", "103002", "15.10.2026", "480,50"),
        ("30000", "School of Fine Art", "103003", "01.10.2026", "99,90"),
    ]))  # fmt: skip
    assert detect_kind(list(bc.LEDGER_COLUMNS)) == "ledger"
    import_file(db, ledger, build_mapping("bc", [], None))
    db.execute(
        "update customers set reminder_terms_code = null"
    )  # Business Central's DOMESTIC is not set up here
    run = run_json(db, propose(db, ProposalOptions(as_of=dt.date(2026, 11, 28))).run_id)
    to = {r["customer_no"]: r["to"] for r in run["reminders"]}
    assert to == {
        "10000": ["robert.townes@adatum.example.com"],
        "20000": ["ap@trey.example.com", "claire.dubois@trey.example.com"],
        "30000": ["meagan.bond@fineart.example.com"],
    }
    assert run["skipped"] == []


def test_a_contacts_file_without_a_customer_column_says_that_alone(db: Database, tmp_path: Path) -> None:
    path = native(
        tmp_path, "contacts.csv", "client,name,email\nC1,Ann,ann@c1.example\nC1,Bob,bob@c1.example\n"
    )
    (problem,) = rejected(db, path, "contacts")
    assert (problem.row, problem.column) == (
        None,
        "customer_no",
    ) and "map customer_no to one of them" in problem.message


# -- a form's mapping (the import page) ------------------------------------------------------------
def test_a_form_is_prefilled_with_the_columns_the_detected_preset_finds():
    columns = form_columns("customers", list(bc.CUSTOMER_COLUMNS))
    assert columns["customer_no"] == "No." and columns["terms_code"] == "Reminder Terms Code"
    assert columns["vat_no"] == "VAT Registration No." and columns["email"] == "E-Mail"
    assert form_columns("contacts", ["customer_no", "name", "email"])["role"] is None


def test_a_forms_mapping_reads_only_the_columns_chosen(db: Database, tmp_path: Path) -> None:
    path = native(tmp_path, "customers.csv", "customer_no,name,Firma,city\nC1,Alpha,Alpha SA,Gent\n")
    import_parties(db, path, "customers", mapping_from_columns("customers", {"customer_no": "customer_no",
                                                                              "name": "Firma", "city": None}))  # fmt: skip
    assert db.one("select name, city from customers") == ("Alpha SA", None)
    (problem,) = rejected(db, path, "customers", mapping=mapping_from_columns("customers", {"name": "name"}))
    assert "required customers field customer_no is not mapped" in problem.message
    with pytest.raises(BadInput, match="no field colour"):
        mapping_from_columns("customers", {"colour": "X"})


def test_the_summary_counts_with_thousands_separators_and_singular_nouns():
    result = PartiesResult("c.xlsx", "customers", 12345, 12000, 300, 45, 7, left_out=1, contacts_created=1)
    assert result.summary() == (
        "c.xlsx: 12,345 rows read, 12,000 customers inserted, 300 updated, 45 unchanged, 1 contact created from "
        "the customers' email addresses, 1 row left out (not a customer's) (import batch 7)"
    )


def test_the_check_shows_the_role_a_contact_without_one_gets(db: Database, tmp_path: Path) -> None:
    add_customer(db, "C1")
    path = native(
        tmp_path, "contacts.csv", "customer_no,name,email,role\nC1,Ann,ann@c1.example,\nC1,Bob,,sales_owner\n"
    )
    found = check_parties(db, path)
    assert (found.kind, found.problems) == ("contacts", ())
    assert list(found.rows["role"]) == ["accounts_payable", "sales_owner"] and list(found.rows["email"]) == [
        "ann@c1.example",
        "",
    ]


def test_two_rows_that_are_one_stored_contact_are_refused_and_nothing_is_lost(
    db: Database, tmp_path: Path
) -> None:
    # the reviewer's case: one row finds Ann by her contact number, the other by her address; only one could
    # be stored and both were reported updated
    native(tmp_path, "c.csv", "customer_no,name\nK1,Kay Ltd\n")
    import_parties(db, tmp_path / "c.csv", "customers")
    db.execute(
        "insert into contacts (customer_no, name, email, role, contact_no) values"
        " ('K1', 'Ann Smith', 'ann@k.example', 'accounts_payable', 'CT1')"
    )
    before = contacts(db)
    path = native(
        tmp_path, "p.csv", "customer_no,contact_no,name,email\nK1,CT1,Ann Smith,\nK1,,Bob,ann@k.example\n"
    )
    (problem,) = rejected(db, path, "contacts")
    assert problem.row == 3 and "rows 2, 3 match the same stored contact" in problem.message
    assert contacts(db) == before
