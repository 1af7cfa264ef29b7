"""Customers and contacts through the Import page (issue 11): the kind of file told from its columns and
changeable, Business Central's presets and the column form, the rows as they will be stored, problems grouped,
the import's summary; and, done when, a fresh database filled from Business Central's Customers, Contact
Business Relations, Contacts and Customer Ledger Entries through the page alone gives drafts addressed to the
imported contacts on the Create reminders page."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dunning.db import Database
from tests import bc_exports as bc
from tests.conftest import AS_OF, ROOT
from tests.test_import_page import problem_list, shown, st_cache_clear

PAGE = str(ROOT / "pages" / "import_data.py")
CREATE = str(ROOT / "pages" / "create_reminders.py")
LEDGER = [
    ("10000", "Adatum Corporation", "103001", "30.09.2026", "1.250,00"),
    ("20000", "Trey Research", "103002", "15.10.2026", "480,50"),
    ("30000", "School of Fine Art", "103003", "01.10.2026", "99,90"),
]


def exports(folder: Path) -> dict[str, Path]:
    """Business Central's four exports, each in the layout and format "Open in Excel" gives it."""
    return {
        "customers": bc.write_xlsx(folder / "Customers.xlsx", bc.CUSTOMER_COLUMNS, bc.customer_rows()),
        "relations": bc.write_xlsx(
            folder / "Business Relation Contacts.xlsx", bc.RELATION_COLUMNS, bc.relation_rows()
        ),
        "contacts": bc.write_csv(folder / "Contacts.csv", bc.CONTACT_COLUMNS, bc.contact_rows()),
        "ledger": bc.write_csv(
            folder / "Customer Ledger Entries.csv", bc.LEDGER_COLUMNS, bc.ledger_rows(LEDGER)
        ),
    }


def tag(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, path: Path) -> AppTest:
    at.session_state["import_source"] = (path.name, path.read_bytes())
    return ok(at.run())


def imported(at: AppTest, key: str = "import_party_run") -> str:
    """Press the import button; the summary it shows."""
    assert at.button(key=key).disabled is False
    ok(at.button(key=key).click().run())
    assert not at.error, [e.value for e in at.error]
    return shown(at.success[-1].value)


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


@pytest.fixture
def page(app_db: Path) -> AppTest:
    """The Import page on the app's database after its own "Remove the sample data" (with its confirmation)."""
    at = ok(AppTest.from_file(PAGE, default_timeout=120).run())
    at.checkbox(key="import_sample_sure").check().run()
    ok(at.button(key="import_sample_remove").click().run())
    assert at.success[0].value.startswith("Sample data removed")
    return at


def test_bc_exports_through_the_page_give_drafts_to_the_imported_contacts(
    page: AppTest, app_db: Path, tmp_path: Path
) -> None:
    """Done when of issue 11, in AppTest: no SQL, no command line."""
    files = exports(tmp_path)
    at = upload(page, files["customers"])
    t = tag(files["customers"])
    assert at.radio(
        key=f"import_kind_{t}"
    ).value == "customers" and "do not say what it holds" not in captions(at)
    assert at.selectbox(key=f"import_party_preset_{t}_customers").value == "bc"
    assert "Customers**, then **Contact Business Relations" in at.info[0].value  # the order, said
    assert at.selectbox(key=f"import_party_map_{t}_customers_bc_email").value == "E-Mail"
    # Business Central's terms code DOMESTIC is not set up here: the default terms are wanted instead
    at.selectbox(key=f"import_party_map_{t}_customers_bc_terms_code").select("(not mapped)").run()
    preview = at.dataframe[0].value
    assert list(preview["customer_no"]) == ["10000", "20000", "30000"] and "None" not in preview.to_string()
    assert at.button(key="import_party_run").label == "Import 3 rows of customers"
    summary = imported(at)
    assert "3 customers inserted" in summary and "1 contact created from the customers' email" in summary
    assert "Contact Business Relations, then its Contacts" in captions(at)  # what comes next

    at = upload(at, files["relations"])
    t = tag(files["relations"])
    assert at.radio(key=f"import_kind_{t}").value == "contacts"
    assert at.selectbox(key=f"import_party_preset_{t}_contacts").value == "bc_relations"
    assert "3 links to customers inserted" in imported(at) and "1 row left out" in shown(at.success[-1].value)

    at = upload(at, files["contacts"])
    t = tag(files["contacts"])
    assert at.selectbox(key=f"import_party_preset_{t}_contacts").value == "bc"
    roles = at.dataframe[0].value
    assert set(roles["role"]) == {"accounts_payable"}  # the role level 1 writes to, shown before the import
    summary = imported(at)
    assert "6 contacts inserted" in summary and "2 rows left out (not a customer's)" in summary

    at = upload(at, files["ledger"])
    t = tag(files["ledger"])
    assert at.radio(key=f"import_kind_{t}").value == "ledger"
    assert at.selectbox(key=f"import_preset_{t}").value == "bc"
    assert "3 inserted" in imported(at, "import_run")
    listed = at.dataframe[-1].value
    assert list(listed["holds"]) == ["Ledger entries", "Contacts", "Business relations", "Customers"]

    create = AppTest.from_file(CREATE, default_timeout=120)
    create.session_state["cr_as_of"] = AS_OF
    create.session_state["cr_posting"] = AS_OF
    ok(create.run())
    ok(create.button(key="cr_run").click().run())
    assert not create.error, [e.value for e in create.error]
    drafts = create.dataframe[0].value
    assert dict(zip(drafts["customer_no"], drafts["to"], strict=True)) == {
        "10000": "robert.townes@adatum.example.com",
        "20000": "ap@trey.example.com, claire.dubois@trey.example.com",
        "30000": "meagan.bond@fineart.example.com",
    }
    assert create.dataframe[1].value.empty  # nobody skipped
    st_cache_clear()
    with Database(app_db) as db:
        assert db.scalar("select count(*) from customers where reminder_terms_code is not null") == 0


def test_contacts_before_their_business_relations_are_refused_as_one_grouped_problem(
    page: AppTest, tmp_path: Path
) -> None:
    files = exports(tmp_path)
    imported(upload(page, files["customers"]))
    at = upload(page, files["contacts"])
    assert "nothing can be imported" in at.error[0].value
    (problem,) = problem_list(at).itertuples()  # six rows, one line
    assert (problem.rows, problem._2, problem.column) == ("6", "2, 3, 4, 5, 6 and 1 more", "Company Name")
    assert "Contact Business Relations" in problem.problem and "--" not in problem.problem
    assert at.button(key="import_party_run").disabled is True


def test_a_file_whose_columns_tell_nothing_is_imported_after_choosing_its_kind_and_columns(
    page: AppTest, app_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "crm.csv"
    path.write_text("Account,Firm,Mail\nC1,Alpha SA,ap@alpha.example\n", encoding="utf-8")
    t = tag(path)
    at = upload(page, path)
    assert at.radio(key=f"import_kind_{t}").value == "ledger"  # undetected: the default
    assert "Its columns do not say what it holds" in captions(at)
    at.radio(key=f"import_kind_{t}").set_value("customers").run()
    assert at.selectbox(key=f"import_party_preset_{t}_customers").value == "native"
    assert "required customers field customer_no is not mapped" in problem_list(at)["problem"][0]
    for field, column in (("customer_no", "Account"), ("name", "Firm"), ("email", "Mail")):
        at.selectbox(key=f"import_party_map_{t}_customers_native_{field}").select(column).run()
    assert "1 customers inserted" in imported(at)
    assert "0 updated, 1 unchanged" in imported(at)  # the same file again changes nothing
    st_cache_clear()
    with Database(app_db) as db:
        assert db.one("select customer_no, name from customers") == ("C1", "Alpha SA")
        assert db.one("select email, role from contacts") == ("ap@alpha.example", "accounts_payable")


def test_reminder_terms_not_set_up_here_are_a_warning_after_the_import(page: AppTest, tmp_path: Path) -> None:
    at = upload(page, exports(tmp_path)["customers"])  # Business Central's DOMESTIC for customer 10000
    summary = imported(at)
    assert "3 customers inserted" in summary and "not set up" not in summary
    (warning,) = at.warning
    assert "reminder terms DOMESTIC that the file gives customers are not set up here" in shown(warning.value)
    assert "Reminder terms page" in warning.value
