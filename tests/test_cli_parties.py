"""`dunning import FILE --kind customers|contacts|ledger`: the kind told or detected, the same exit codes and
all-or-nothing rule as the ledger import."""

from __future__ import annotations

from pathlib import Path

from dunning.db import Database
from tests import bc_exports as bc
from tests.cli import dunning


def count(db: Path, table: str) -> int:
    with Database(db) as d:
        return int(d.scalar(f"select count(*) from {table}"))  # noqa: S608


def test_bc_customers_relations_and_contacts_import_with_their_kind_detected(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    customers = bc.write_xlsx(tmp_path / "Customers.xlsx", bc.CUSTOMER_COLUMNS, bc.customer_rows())
    relations = bc.write_xlsx(tmp_path / "Relations.xlsx", bc.RELATION_COLUMNS, bc.relation_rows())
    contacts = bc.write_csv(tmp_path / "Contacts.csv", bc.CONTACT_COLUMNS, bc.contact_rows())
    done = dunning("import", str(customers), db=db)
    assert done.returncode == 0, done.stderr
    assert "3 rows read, 3 customers inserted" in done.stdout
    assert "reminder terms DOMESTIC are not set up here" in done.stdout
    done = dunning("import", str(relations), db=db)
    assert done.returncode == 0 and "3 links to customers inserted" in done.stdout, done.stderr
    done = dunning("import", str(contacts), "--kind", "contacts", "--mapping", "bc", db=db)
    assert done.returncode == 0 and "6 contacts inserted" in done.stdout, done.stderr
    again = dunning("import", str(contacts), db=db)
    assert again.returncode == 0 and "0 contacts inserted, 0 updated, 6 unchanged" in again.stdout
    assert count(db, "contacts") == 7  # six people and companies, and one customer's own address


def test_a_customers_file_with_problems_exits_2_naming_row_and_column_and_writes_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "d.duckdb"
    path = tmp_path / "customers.csv"
    path.write_text("customer_no,name,country,email\nC1,Alpha,BE,ap@alpha.example\nC2,Beta,Belgium,x@\n")
    done = dunning("import", str(path), "--kind", "customers", db=db)
    assert done.returncode == 2
    assert "nothing was written: 2 problem(s)" in done.stderr
    assert "customers.csv, row 3, column 'country'" in done.stderr and "row 3, column 'email'" in done.stderr
    assert count(db, "customers") == 0


def test_an_ambiguous_file_needs_its_kind_and_then_takes_mapped_columns(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    path = tmp_path / "kunden.csv"
    path.write_text("Nr;Firma\nK1;Müller GmbH\n", encoding="utf-8")
    done = dunning("import", str(path), db=db)  # nothing tells: read as ledger entries, which it is not
    assert done.returncode == 2 and "document_no" in done.stderr
    done = dunning(
        "import", str(path), "--kind", "customers", "--map", "customer_no=Nr", "--map", "name=Firma", db=db
    )
    assert done.returncode == 0, done.stderr
    assert count(db, "customers") == 1


def test_ledger_options_are_refused_for_customers(tmp_path: Path) -> None:
    path = bc.write_xlsx(tmp_path / "Customers.xlsx", bc.CUSTOMER_COLUMNS, bc.customer_rows())
    done = dunning("import", str(path), "--date-format", "%d.%m.%Y", "--all-open", db=tmp_path / "d.duckdb")
    assert done.returncode == 2
    assert "--date-format, --all-open only apply to ledger entries, not to customers" in done.stderr
